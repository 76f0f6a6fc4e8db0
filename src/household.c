#include "wushe/household.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ids.h"
#include "station_internal.h"

void household_init(household *h)
{
    memset(h, 0, sizeof *h);
}

static ws_status household_fail(household_error *he, household_field f, val_status v)
{
    he->field = f;
    he->code = v;
    return WS_ERR_INVALID;
}

/* Whether sql (?1 = a and, when it has one, ?2 = b) finds a row. */
static ws_status household_exists(db *d, const char *sql, int64_t a, int64_t b, bool *found)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, a);
    if (sqlite3_bind_parameter_count(q) >= 2)
        sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status household_validate(station *st, household *h, household_error *he)
{
    memset(he, 0, sizeof *he);
    db *d = station_db(st);
    val_status v = val_name(h->number, 40);
    if (v != VAL_OK)
        return household_fail(he, HF_NUMBER, v);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT 1 FROM households WHERE number = ?1 AND id <> ?2 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, h->number);
    sqlite3_bind_int64(q, 2, h->id);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc == SQLITE_ROW) {
        snprintf(he->detail, sizeof he->detail, "%s", h->number);
        return household_fail(he, HF_NUMBER, VAL_DUPLICATE_ID);
    }
    bool found = true;
    ws_status s = WS_OK;
    if (h->community_id)
        s = household_exists(d, "SELECT 1 FROM communities WHERE id = ?1 AND deleted_at IS NULL",
                             h->community_id, 0, &found);
    if (s != WS_OK)
        return s;
    if (!found)
        return household_fail(he, HF_COMMUNITY, VAL_NOT_FOUND);
    if (h->head_id)
        s = household_exists(d, "SELECT 1 FROM residents WHERE id = ?1 AND household_id = ?2"
                                " AND deleted_at IS NULL", h->head_id, h->id, &found);
    if (s != WS_OK)
        return s;
    if (!found)
        return household_fail(he, HF_HEAD, VAL_NOT_FOUND);
    if (h->phone[0]) {
        char norm[32];
        if ((v = val_phone(h->phone, norm, sizeof norm)) != VAL_OK)
            return household_fail(he, HF_PHONE, v);
        snprintf(h->phone, sizeof h->phone, "%s", norm);
    }
    if ((v = val_text(h->address, 500)) != VAL_OK)
        return household_fail(he, HF_ADDRESS, v);
    if ((v = val_text(h->notes, 1000)) != VAL_OK)
        return household_fail(he, HF_NOTES, v);
    return WS_OK;
}

ws_status household_save(station *st, household *h, household_error *he)
{
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    bool insert = h->id == 0;
    int64_t id = insert ? ids_next() : h->id;
    char *before = NULL;
    s = household_validate(st, h, he);
    if (s == WS_OK && !insert) {
        s = audit_snapshot(d, "households", id, &before);
        if (s == WS_OK && !before)
            s = WS_ERR_NOT_FOUND;
    }
    sqlite3_stmt *q = NULL;
    if (s == WS_OK) {
        q = insert ? db_prepare(d,
                "INSERT INTO households(id, number, community_id, head_id, address, phone,"
                " notes, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)")
                   : db_prepare(d,
                "UPDATE households SET number=?2, community_id=?3, head_id=?4, address=?5,"
                " phone=?6, notes=?7, updated_at=?8 WHERE id=?1 AND deleted_at IS NULL");
        if (!q)
            s = db_status(d);
    }
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, id);
        db_bind_text(q, 2, h->number);
        if (h->community_id)
            sqlite3_bind_int64(q, 3, h->community_id);
        if (h->head_id)
            sqlite3_bind_int64(q, 4, h->head_id);
        db_bind_text(q, 5, h->address);
        db_bind_text(q, 6, h->phone);
        db_bind_text(q, 7, h->notes);
        db_bind_text(q, 8, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        else if (!insert && sqlite3_changes(db_handle(d)) == 0)
            s = WS_ERR_NOT_FOUND; /* deleted meanwhile: do not report a save */
    }
    if (s == WS_OK)
        s = audit_write(d, station_actor(st), "households", id,
                        insert ? AUDIT_INSERT : AUDIT_UPDATE, before);
    free(before);
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    if (s == WS_OK)
        h->id = id;
    return s;
}

ws_status household_load(station *st, int64_t id, household *out)
{
    db *d = station_db(st);
    household_init(out);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, number, community_id, head_id, address, phone, notes FROM households"
        " WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, out->number, sizeof out->number);
        out->community_id = sqlite3_column_int64(q, 2);
        out->head_id = sqlite3_column_int64(q, 3);
        db_column_copy(q, 4, out->address, sizeof out->address);
        db_column_copy(q, 5, out->phone, sizeof out->phone);
        db_column_copy(q, 6, out->notes, sizeof out->notes);
    }
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status household_delete(station *st, int64_t id)
{
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    bool members = false;
    char *before = NULL;
    s = household_exists(d, "SELECT 1 FROM residents WHERE household_id = ?1"
                            " AND deleted_at IS NULL", id, 0, &members);
    if (s == WS_OK && members)
        s = WS_ERR_INVALID;
    if (s == WS_OK)
        s = audit_snapshot(d, "households", id, &before);
    if (s == WS_OK && !before)
        s = WS_ERR_NOT_FOUND;
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "UPDATE households SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1"
        " AND deleted_at IS NULL") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, id);
        db_bind_text(q, 2, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        else if (sqlite3_changes(db_handle(d)) == 0)
            s = WS_ERR_NOT_FOUND; /* already deleted */
    }
    if (s == WS_OK)
        s = audit_write(d, station_actor(st), "households", id, AUDIT_DELETE, before);
    free(before);
    if (s == WS_OK)
        return db_commit(d);
    db_rollback(d);
    return s;
}

#define HOUSEHOLD_ROW_SELECT                                                            \
    "SELECT h.id, h.number, c.name, hr.name, h.head_id, (SELECT count(*) FROM residents m" \
    " WHERE m.household_id = h.id AND m.deleted_at IS NULL), h.address FROM households h"  \
    " LEFT JOIN communities c ON c.id = h.community_id"                                    \
    " LEFT JOIN residents hr ON hr.id = h.head_id AND hr.deleted_at IS NULL"               \
    " WHERE h.deleted_at IS NULL AND (?1 IS NULL OR h.number LIKE ?1 ESCAPE '\\'"          \
    " OR h.address LIKE ?1 ESCAPE '\\' OR hr.search_text LIKE ?1 ESCAPE '\\')"

static const char *const household_list_sql[4] = {
    HOUSEHOLD_ROW_SELECT " ORDER BY h.number, h.id LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " AND (h.number, h.id) > ((SELECT number FROM households"
                         " WHERE id = ?2), ?2) ORDER BY h.number, h.id LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " ORDER BY h.number DESC, h.id DESC LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " AND (h.number, h.id) < ((SELECT number FROM households"
                         " WHERE id = ?2), ?2) ORDER BY h.number DESC, h.id DESC LIMIT ?3",
};

static void household_row_read(sqlite3_stmt *q, household_row *row)
{
    row->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, row->number, sizeof row->number);
    db_column_copy(q, 2, row->community, sizeof row->community);
    db_column_copy(q, 3, row->head, sizeof row->head);
    row->head_id = sqlite3_column_int64(q, 4);
    row->members = sqlite3_column_int(q, 5);
    db_column_copy(q, 6, row->address, sizeof row->address);
}

ws_status household_list(station *st, const char *filter, int64_t after, int dir,
                         household_row *rows, size_t max, size_t *n)
{
    *n = 0;
    db *d = station_db(st);
    int which = (dir < 0 ? 2 : 0) + (after ? 1 : 0);
    sqlite3_stmt *q = db_prepare(d, household_list_sql[which]);
    if (!q)
        return db_status(d);
    char *pat = search_like_pattern(filter);
    db_bind_text_or_null(q, 1, pat);
    free(pat);
    if (after)
        sqlite3_bind_int64(q, 2, after);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        household_row_read(q, &rows[(*n)++]);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status household_row_get(station *st, int64_t id, household_row *out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, HOUSEHOLD_ROW_SELECT " AND h.id = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_null(q, 1);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        household_row_read(q, out);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status household_next_number(station *st, char *out, size_t outsz)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT coalesce(max(CAST(substr(number, 2) AS INTEGER)), 0) + 1 FROM households"
        " WHERE number GLOB 'H[0-9]*'");
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    int64_t next = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 1;
    db_reset(q);
    snprintf(out, outsz, "H%05lld", (long long)next);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}
