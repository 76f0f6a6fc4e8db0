#include <stdlib.h>
#include "db.h"

ws_status db_end(db *d, ws_status s)
{
    if (s == WS_OK)
        return db_commit(d);
    db_rollback(d);
    return s;
}

/* Step once; ROW and DONE are not errors. */
static ws_status db_step_once(sqlite3_stmt *q, bool *row)
{
    int rc = sqlite3_step(q);
    *row = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static void db_bind_second(sqlite3_stmt *q, int64_t b)
{
    if (sqlite3_bind_parameter_count(q) >= 2)
        sqlite3_bind_int64(q, 2, b);
}

ws_status db_exists_i64(db *d, const char *sql, int64_t a, int64_t b, bool *found)
{
    *found = false;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, a);
    db_bind_second(q, b);
    ws_status s = db_step_once(q, found);
    db_reset(q);
    return s;
}

ws_status db_exists_text(db *d, const char *sql, const char *a, int64_t b, bool *found)
{
    *found = false;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, a);
    db_bind_second(q, b);
    ws_status s = db_step_once(q, found);
    db_reset(q);
    return s;
}

ws_status db_int(db *d, const char *sql, int64_t a, int64_t *out)
{
    *out = 0;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    if (sqlite3_bind_parameter_count(q) >= 1)
        sqlite3_bind_int64(q, 1, a);
    bool row;
    ws_status s = db_step_once(q, &row);
    if (row)
        *out = sqlite3_column_int64(q, 0);
    db_reset(q);
    return s;
}

ws_status db_text_i64(db *d, const char *sql, int64_t a, char *out, size_t outsz)
{
    out[0] = '\0';
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, a);
    bool row;
    ws_status s = db_step_once(q, &row);
    if (row)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
    return s;
}

ws_status db_run_i64_text(db *d, const char *sql, int64_t a, const char *text)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, a);
    db_bind_text(q, 2, text);
    bool row;
    ws_status s = db_step_once(q, &row);
    db_reset(q);
    if (s == WS_OK && sqlite3_changes(db_handle(d)) == 0)
        s = WS_ERR_NOT_FOUND;
    return s;
}

ws_status db_exec_text(db *d, const char *sql, const char *text)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, text);
    bool row;
    ws_status s = db_step_once(q, &row);
    db_reset(q);
    return s;
}

ws_status db_ids_of(sqlite3_stmt *q, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            int64_t *g = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof *g);
            if (!g) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = g;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    if (rc == SQLITE_DONE)
        return WS_OK;
    free(*ids);
    *ids = NULL;
    *n = 0;
    return db_status_from(rc);
}

ws_status db_ids(db *d, const char *sql, int64_t a, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db_handle(d), sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return db_status_from(rc);
    }
    if (sqlite3_bind_parameter_count(q) >= 1)
        sqlite3_bind_int64(q, 1, a);
    ws_status s = db_ids_of(q, ids, n);
    sqlite3_finalize(q);
    return s;
}
