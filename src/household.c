#include "wushe/household.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "household_internal.h"
#include "ids.h"
#include "station_internal.h"
#include "wushe/codes.h"

/* The head by the one truth, the members' relations: the living member of
 * household `h` whose relation is 户主; of several (an older register),
 * the one h.head_id names already, else the first. NULL when none. */
#define HOUSEHOLD_HEAD_OF(h)                                                          \
    "coalesce((SELECT r.id FROM residents r WHERE r.id = " h ".head_id"               \
    " AND r.household_id = " h ".id AND r.relation = 'head' AND r.deleted_at IS NULL)," \
    " (SELECT min(r.id) FROM residents r WHERE r.household_id = " h ".id"              \
    " AND r.relation = 'head' AND r.deleted_at IS NULL))"

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

/* Whom a change of head touches: the member who becomes 户主 and the one
 * who stops being it (0 when none, or nothing to change). */
typedef struct household_head_plan {
    int64_t new_head, old_head;
} household_head_plan;

/* Check a change of head (h->new_head_id) against the members as they are
 * now, inside the save's transaction. The present head must be the one the
 * form loaded (h->head_id): its old_head_relation answers for that person. */
static ws_status household_head_check(station *st, const household *h, household_error *he,
                                      household_head_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    if (!h->new_head_id)
        return WS_OK;
    db *d = station_db(st);
    bool found = false;
    ws_status s = household_exists(d, "SELECT 1 FROM residents WHERE id = ?1 AND household_id = ?2"
                                      " AND deleted_at IS NULL", h->new_head_id, h->id, &found);
    if (s != WS_OK)
        return s;
    if (!h->id || !found)
        return household_fail(he, HF_HEAD, VAL_NOT_FOUND);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name FROM residents WHERE household_id = ?1 AND relation = 'head'"
        " AND deleted_at IS NULL AND id <> ?2 ORDER BY id IS NOT ?3, id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, h->id);
    sqlite3_bind_int64(q, 2, h->new_head_id);
    sqlite3_bind_int64(q, 3, h->head_id);
    int rc = SQLITE_DONE;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, he->detail, sizeof he->detail);
        if (id != h->head_id) /* changed since the form loaded, or a second head */
            s = household_fail(he, HF_HEAD, VAL_HEAD_TAKEN);
        else
            plan->old_head = id;
    }
    db_reset(q);
    if (s != WS_OK)
        return s;
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (plan->old_head) {
        const char *rel = h->old_head_relation;
        if (!rel[0])
            return household_fail(he, HF_OLD_HEAD_RELATION, VAL_REQUIRED);
        if (strcmp(rel, "head") == 0 || !codebook_find(station_codes(st), "relation", rel))
            return household_fail(he, HF_OLD_HEAD_RELATION, VAL_UNKNOWN_CODE);
    }
    he->detail[0] = '\0';
    bool is_head = false;
    s = household_exists(d, "SELECT 1 FROM residents WHERE id = ?1 AND relation = 'head'",
                         h->new_head_id, 0, &is_head);
    if (s == WS_OK && !is_head)
        plan->new_head = h->new_head_id;
    return s;
}

/* One member's relation, audited like any write of a resident (the
 * relation is not part of the search index). */
static ws_status household_set_relation(station *st, int64_t rid, const char *relation)
{
    db *d = station_db(st);
    char *before = NULL;
    ws_status s = audit_snapshot(d, "residents", rid, &before);
    if (s == WS_OK && !before)
        s = WS_ERR_NOT_FOUND;
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "UPDATE residents SET relation = ?2, updated_at = ?3, revision = revision + 1"
        " WHERE id = ?1 AND deleted_at IS NULL") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, rid);
        db_bind_text(q, 2, relation);
        db_bind_text(q, 3, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    if (s == WS_OK)
        s = audit_write(d, station_actor(st), "residents", rid, AUDIT_UPDATE, before);
    free(before);
    return s;
}

/* The head by the members' relations (0 when none). */
static ws_status household_head_pick(db *d, int64_t hid, int64_t *head)
{
    *head = 0;
    sqlite3_stmt *q = db_prepare(d, "SELECT " HOUSEHOLD_HEAD_OF("h")
                                    " FROM households h WHERE h.id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, hid);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *head = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status household_head_sync(station *st, int64_t hid)
{
    if (!hid)
        return WS_OK;
    db *d = station_db(st);
    int64_t want = 0;
    ws_status s = household_head_pick(d, hid, &want);
    bool same = false;
    if (s == WS_OK)
        s = household_exists(d, "SELECT 1 FROM households WHERE id = ?1"
                                " AND head_id IS nullif(?2, 0)", hid, want, &same);
    if (s != WS_OK || same)
        return s;
    char *before = NULL;
    s = audit_snapshot(d, "households", hid, &before);
    if (s != WS_OK || !before) {
        free(before);
        return s; /* no such household: nothing to keep */
    }
    sqlite3_stmt *q = db_prepare(d,
        "UPDATE households SET head_id = nullif(?2, 0), updated_at = ?3,"
        " revision = revision + 1 WHERE id = ?1");
    if (!q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, hid);
        sqlite3_bind_int64(q, 2, want);
        db_bind_text(q, 3, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? audit_write(d, station_actor(st), "households", hid,
                                            AUDIT_UPDATE, before)
                              : db_status_from(rc);
    }
    free(before);
    return s;
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
    household_head_plan plan;
    int64_t head = 0;
    s = household_validate(st, h, he);
    if (s == WS_OK)
        s = household_head_check(st, h, he, &plan);
    if (s == WS_OK && !insert) {
        s = audit_snapshot(d, "households", id, &before);
        if (s == WS_OK && !before)
            s = WS_ERR_NOT_FOUND;
    }
    /* The relations first; the household then records the head they say. */
    if (s == WS_OK && plan.old_head)
        s = household_set_relation(st, plan.old_head, h->old_head_relation);
    if (s == WS_OK && plan.new_head)
        s = household_set_relation(st, plan.new_head, "head");
    if (s == WS_OK && !insert)
        s = household_head_pick(d, id, &head);
    sqlite3_stmt *q = NULL;
    if (s == WS_OK) {
        q = insert ? db_prepare(d,
                "INSERT INTO households(id, number, community_id, head_id, address, phone,"
                " notes, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)")
                   : db_prepare(d,
                "UPDATE households SET number=?2, community_id=?3, head_id=?4, address=?5,"
                " phone=?6, notes=?7, updated_at=?8, revision = revision + 1"
                " WHERE id=?1 AND deleted_at IS NULL");
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
        if (head)
            sqlite3_bind_int64(q, 4, head);
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
    if (s == WS_OK) {
        h->id = id;
        h->head_id = head;
        h->new_head_id = 0;
        h->old_head_relation[0] = '\0';
    }
    return s;
}

ws_status household_load(station *st, int64_t id, household *out)
{
    db *d = station_db(st);
    household_init(out);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT h.id, h.number, h.community_id, " HOUSEHOLD_HEAD_OF("h") ", h.address,"
        " h.phone, h.notes FROM households h WHERE h.id = ?1 AND h.deleted_at IS NULL");
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
        "UPDATE households SET deleted_at = ?2, updated_at = ?2, revision = revision + 1"
        " WHERE id = ?1 AND deleted_at IS NULL") : NULL;
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
