#include "wushe/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ids.h"
#include "station_internal.h"
#include "wushe/text.h"

ws_status community_list(station *st, community **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name, kind, coalesce(code, ''), revision FROM communities"
        " WHERE deleted_at IS NULL ORDER BY sort_key, id");
    if (!q)
        return db_status(d);
    size_t cap = 0;
    int rc;
    ws_status s = WS_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            community *grown = realloc(*items, ncap * sizeof **items);
            if (!grown) {
                s = WS_ERR_NOMEM;
                break;
            }
            *items = grown;
            cap = ncap;
        }
        community *c = &(*items)[(*n)++];
        c->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, c->name, sizeof c->name);
        db_column_copy(q, 2, c->kind, sizeof c->kind);
        db_column_copy(q, 3, c->code, sizeof c->code);
        c->revision = sqlite3_column_int64(q, 4);
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    if (s != WS_OK) {
        free(*items);
        *items = NULL;
        *n = 0;
    }
    return s;
}

ws_status community_find_by_name(station *st, const char *name, community *out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name, kind, coalesce(code, ''), revision FROM communities"
        " WHERE name = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, out->name, sizeof out->name);
        db_column_copy(q, 2, out->kind, sizeof out->kind);
        db_column_copy(q, 3, out->code, sizeof out->code);
        out->revision = sqlite3_column_int64(q, 4);
    }
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status community_save(station *st, community *c, val_status *why)
{
    record_error re;
    ws_status s = record_save(st, &kind_community, c, &re);
    *why = s == WS_ERR_INVALID ? re.code : VAL_OK;
    return s;
}
