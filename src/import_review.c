/* Possible duplicates waiting for review: imported rows kept in
 * import_pending until the clerk merges them into the resident they look
 * like, keeps both, or skips them. */
#include "wushe/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "resident_internal.h"
#include "station_internal.h"

ws_status import_pending_count(station *st, int64_t *n)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM import_pending");
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

#define IMPORT_PENDING_SELECT                                                                   \
    "SELECT p.id, p.source, p.line, p.candidate_id,"                                           \
    " json_extract(p.row_json, '$.name'), json_extract(p.row_json, '$.sex'),"                  \
    " json_extract(p.row_json, '$.birth_date'), json_extract(p.row_json, '$.id_number'),"      \
    " json_extract(p.row_json, '$.phone'),"                                                    \
    " (SELECT name FROM communities WHERE id = json_extract(p.row_json, '$.community_id')),"    \
    " json_extract(p.row_json, '$.address'),"                                                  \
    " r.name, r.sex, r.birth_date, r.id_number, r.phone, c.name, r.address"                    \
    " FROM import_pending p LEFT JOIN residents r ON r.id = p.candidate_id"                    \
    " LEFT JOIN communities c ON c.id = r.community_id"

static const char *const import_pending_sql[4] = {
    IMPORT_PENDING_SELECT " ORDER BY p.id LIMIT ?2",
    IMPORT_PENDING_SELECT " WHERE p.id > ?1 ORDER BY p.id LIMIT ?2",
    IMPORT_PENDING_SELECT " ORDER BY p.id DESC LIMIT ?2",
    IMPORT_PENDING_SELECT " WHERE p.id < ?1 ORDER BY p.id DESC LIMIT ?2",
};

static void import_person_read(sqlite3_stmt *q, int col, import_person *p)
{
    db_column_copy(q, col, p->name, sizeof p->name);
    p->sex = sqlite3_column_int(q, col + 1);
    db_column_copy(q, col + 2, p->birth_date, sizeof p->birth_date);
    db_column_copy(q, col + 3, p->id_number, sizeof p->id_number);
    db_column_copy(q, col + 4, p->phone, sizeof p->phone);
    db_column_copy(q, col + 5, p->community, sizeof p->community);
    db_column_copy(q, col + 6, p->address, sizeof p->address);
}

ws_status import_pending_list(station *st, int64_t after, int dir, import_pending_item *items,
                              size_t max, size_t *n)
{
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, import_pending_sql[(dir < 0 ? 2 : 0) + (after ? 1 : 0)]);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, after);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        import_pending_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, it->source, sizeof it->source);
        it->line = sqlite3_column_int64(q, 2);
        it->candidate_id = sqlite3_column_int64(q, 3);
        import_person_read(q, 4, &it->incoming);
        import_person_read(q, 11, &it->candidate);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status import_pending_load(db *d, int64_t id, resident *r, int64_t *candidate)
{
    resident_init(r);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT candidate_id, json_extract(row_json, '$.name'),"
        " json_extract(row_json, '$.id_number'), json_extract(row_json, '$.sex'),"
        " json_extract(row_json, '$.birth_date'), json_extract(row_json, '$.phone'),"
        " json_extract(row_json, '$.ethnicity'), json_extract(row_json, '$.community_id'),"
        " json_extract(row_json, '$.household_id'), json_extract(row_json, '$.relation'),"
        " json_extract(row_json, '$.address'), json_extract(row_json, '$.notes'), row_json"
        " FROM import_pending WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        db_reset(q);
        return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
    }
    /* Column 0 is the candidate here, not the resident's id (new: 0). */
    resident_read_columns(q, r);
    *candidate = r->id;
    r->id = 0;
    db_reset(q);
    q = db_prepare(d,
        "SELECT json_extract(g.value, '$.code'), json_extract(g.value, '$.start_date'),"
        " json_extract(g.value, '$.cert_no'), json_extract(g.value, '$.review_date'),"
        " json_extract(g.value, '$.disability_type'), json_extract(g.value, '$.disability_grade')"
        " FROM import_pending p, json_each(p.row_json, '$.groups') g WHERE p.id = ?1"
        " ORDER BY g.key");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    return resident_read_groups(q, r);
}

ws_status import_pending_resolve(station *st, int64_t pending_id, import_resolution how,
                                 int64_t *resident_id, field_error *fe)
{
    field_error local;
    if (!fe)
        fe = &local;
    memset(fe, 0, sizeof *fe);
    if (resident_id)
        *resident_id = 0;
    db *d = station_db(st);
    resident *in = malloc(sizeof *in);
    resident *cur = malloc(sizeof *cur);
    if (!in || !cur) {
        free(in);
        free(cur);
        return WS_ERR_NOMEM;
    }
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        free(in);
        free(cur);
        return s;
    }
    int64_t candidate = 0;
    s = import_pending_load(d, pending_id, in, &candidate);
    if (s == WS_OK && how == IMPORT_MERGE) {
        s = resident_load(st, candidate, cur);
        if (s == WS_OK) {
            import_merge(cur, in);
            s = resident_validate(st, cur, fe);
        }
        if (s == WS_OK)
            s = resident_store(st, cur);
        if (s == WS_OK && resident_id)
            *resident_id = cur->id;
    } else if (s == WS_OK && how == IMPORT_KEEP_BOTH) {
        in->id = 0;
        s = resident_validate(st, in, fe);
        if (s == WS_OK)
            s = resident_store(st, in);
        if (s == WS_OK && resident_id)
            *resident_id = in->id;
    }
    if (s == WS_OK) {
        sqlite3_stmt *q = db_prepare(d, "DELETE FROM import_pending WHERE id = ?1");
        if (!q) {
            s = db_status(d);
        } else {
            sqlite3_bind_int64(q, 1, pending_id);
            int rc = sqlite3_step(q);
            db_reset(q);
            if (rc != SQLITE_DONE)
                s = db_status_from(rc);
        }
    }
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    free(in);
    free(cur);
    return s;
}
