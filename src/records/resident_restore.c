/* The residents' recycle bin: the deleted residents, latest deletion
 * first, and a restore that puts one back as the delete took it away (the
 * row, its search postings, its household's 户主), in one audited
 * transaction, unless that would break what the register promises: one
 * living resident per ID number, one 户主 per household, references to
 * living households and communities. */
#include "wushe/casework.h"
#include "wushe/resident.h"
#include "wushe/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "household_internal.h"
#include "resident_internal.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/text.h"

static ws_status restore_fail(field_error *fe, resident_field f, val_status v)
{
    fe->field = f;
    fe->code = v;
    return WS_ERR_INVALID;
}

/* The deleted resident id with its statuses; WS_ERR_NOT_FOUND when no
 * deleted resident has it (an erased one is gone for good). */
static ws_status restore_load(station *st, int64_t id, resident *r)
{
    bool erased = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM residents WHERE id = ?1"
                                                " AND erased_at IS NOT NULL", id, 0, &erased);
    if (s == WS_OK && erased)
        s = WS_ERR_NOT_FOUND;
    if (s != WS_OK) {
        resident_init(r);
        return s;
    }
    return record_load_deleted(st, &kind_resident, id, r);
}

/* A reference that must be alive again: refused naming it (its number or
 * name) when it was deleted since. */
static ws_status restore_check_ref(db *d, const char *alive_sql, const char *title_sql,
                                   int64_t ref, resident_field f, field_error *fe)
{
    bool alive = true;
    ws_status s = ref ? db_exists_i64(d, alive_sql, ref, 0, &alive) : WS_OK;
    if (s != WS_OK || alive)
        return s;
    s = db_text_i64(d, title_sql, ref, fe->detail, sizeof fe->detail);
    return s == WS_OK ? restore_fail(fe, f, VAL_NOT_FOUND) : s;
}

/* What the restore would break, checked inside its transaction so that
 * another console cannot take the ID number or the head meanwhile. Not a
 * full validation: the record is as it was saved, under the rules of
 * then, and the clerk cannot edit it in the bin. */
static ws_status restore_check(station *st, const resident *r, field_error *fe)
{
    db *d = station_db(st);
    ws_status s = restore_check_ref(d, "SELECT 1 FROM households WHERE id = ?1 AND deleted_at IS NULL",
                                    "SELECT number FROM households WHERE id = ?1",
                                    r->household_id, RF_HOUSEHOLD, fe);
    if (s == WS_OK)
        s = restore_check_ref(d, "SELECT 1 FROM communities WHERE id = ?1 AND deleted_at IS NULL",
                              "SELECT name FROM communities WHERE id = ?1", r->community_id,
                              RF_COMMUNITY, fe);
    if (s != WS_OK)
        return s;
    if (r->id_number[0]) {
        sqlite3_stmt *q = db_prepare(d,
            "SELECT name FROM residents WHERE id_number = ?1 AND deleted_at IS NULL"
            " AND id <> ?2");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, r->id_number);
        sqlite3_bind_int64(q, 2, r->id);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            db_column_copy(q, 0, fe->detail, sizeof fe->detail);
        db_reset(q);
        if (rc == SQLITE_ROW)
            return restore_fail(fe, RF_ID_NUMBER, VAL_DUPLICATE_ID);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    return resident_check_head(st, r, fe);
}

/* Undelete the row, then everything the search needs computed again (a
 * reindex while it was deleted left its derived columns as they were and
 * may have numbered it apart, seq < 0) and its postings. */
static ws_status restore_row(station *st, int64_t id)
{
    char now[32];
    db_now(now);
    ws_status s = db_run_i64_text(station_db(st),
        "UPDATE residents SET deleted_at = NULL, updated_at = ?2, revision = revision + 1"
        " WHERE id = ?1 AND deleted_at IS NOT NULL", id, now); /* NOT_FOUND: restored meanwhile */
    return s == WS_OK ? resident_reindex(st, id, false) : s;
}

ws_status resident_restore(station *st, int64_t id, field_error *fe)
{
    field_error ignored;
    if (!fe)
        fe = &ignored;
    memset(fe, 0, sizeof *fe);
    fe->field = RF_NONE;
    ws_status denied_ = station_require(st, PERM_REGISTER_WRITE);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    resident *r = malloc(sizeof *r);
    if (!r)
        return WS_ERR_NOMEM;
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        free(r);
        return s;
    }
    char *before = NULL;
    s = restore_load(st, id, r);
    if (s == WS_OK)
        s = restore_check(st, r, fe);
    if (s == WS_OK)
        s = record_audit_snapshot(st, &kind_resident, id, &before);
    if (s == WS_OK)
        s = restore_row(st, id);
    /* A restored 户主 is its household's head again. */
    if (s == WS_OK)
        s = household_head_sync(st, r->household_id);
    if (s == WS_OK)
        s = due_refresh(st, id);
    if (s == WS_OK)
        s = record_audit_write(st, &kind_resident, id, false, before);
    free(before);
    free(r);
    return db_end(d, s);
}

/* ---- the list ---- */

/* The residents' list row, who deleted it and when. Keyset on
 * (deleted_at, id), descending: ?2 the row to continue from, ?3 the limit,
 * ?1 a LIKE pattern over search_text (NULL: all). */
#define DELETED_SELECT                                                                      \
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, c.name, h.number,"     \
    " r.relation, (SELECT group_concat(group_code, ',') FROM resident_groups g"            \
    " WHERE g.resident_id = r.id), r.deleted_at,"                                                \
    " (SELECT " RECORD_ACTOR_NAME " FROM audit_log a"                                      \
    " WHERE a.table_name = 'residents' AND a.row_id = r.id AND a.action = 'delete'"         \
    " ORDER BY a.id DESC LIMIT 1) FROM residents r"                                        \
    " LEFT JOIN communities c ON c.id = r.community_id"                                     \
    " LEFT JOIN households h ON h.id = r.household_id"                                      \
    " WHERE r.deleted_at IS NOT NULL AND r.erased_at IS NULL"                               \
    " AND (?1 IS NULL OR r.search_text LIKE ?1 ESCAPE '\\')"
#define DELETED_AT " (SELECT deleted_at FROM residents WHERE id = ?2)"

static const char *const deleted_sql[4] = {
    DELETED_SELECT " ORDER BY r.deleted_at DESC, r.id DESC LIMIT ?3",
    DELETED_SELECT " AND (r.deleted_at, r.id) < (" DELETED_AT ", ?2)"
                   " ORDER BY r.deleted_at DESC, r.id DESC LIMIT ?3",
    DELETED_SELECT " ORDER BY r.deleted_at, r.id LIMIT ?3",
    DELETED_SELECT " AND (r.deleted_at, r.id) > (" DELETED_AT ", ?2)"
                   " ORDER BY r.deleted_at, r.id LIMIT ?3",
};

ws_status resident_list_deleted(station *st, const char *filter, int64_t after, int dir,
                                resident_deleted_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, deleted_sql[(dir < 0 ? 2 : 0) + (after ? 1 : 0)]);
    if (!q)
        return db_status(d);
    /* Deleted residents are few and out of the search index: their stored
     * search text (name, pinyin, initials, ID, phone digits, address,
     * folded) is read directly. */
    char *like = search_like_pattern(filter ? filter : "");
    db_bind_text_or_null(q, 1, like);
    free(like);
    if (after)
        sqlite3_bind_int64(q, 2, after);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        resident_deleted_row *o = &rows[(*n)++];
        memset(o, 0, sizeof *o);
        resident_row_read(q, &o->row); /* the list's columns first */
        db_column_copy(q, 10, o->deleted_at, sizeof o->deleted_at);
        db_column_copy(q, 11, o->deleted_by, sizeof o->deleted_by);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
