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
        "SELECT id, name, kind, coalesce(code, '') FROM communities"
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
        "SELECT id, name, kind, coalesce(code, '') FROM communities"
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
    }
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

static val_status community_check(station *st, community *c)
{
    val_status v = val_name(c->name, 60);
    if (v != VAL_OK)
        return v;
    if (!c->kind[0])
        snprintf(c->kind, sizeof c->kind, "community");
    if (!codebook_find(station_codes(st), "community_kind", c->kind))
        return VAL_UNKNOWN_CODE;
    size_t n = strlen(c->code);
    if (n && n != 12)
        return VAL_TOO_LONG;
    for (size_t i = 0; i < n; i++)
        if (c->code[i] < '0' || c->code[i] > '9')
            return VAL_UNKNOWN_CODE;
    return VAL_OK;
}

ws_status community_save(station *st, community *c, val_status *why)
{
    *why = community_check(st, c);
    if (*why != VAL_OK)
        return WS_ERR_INVALID;
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    bool insert = c->id == 0;
    char *before = NULL;
    unsigned char *key = NULL;
    size_t keylen = 0;
    int64_t id = insert ? ids_next() : c->id;
    if (!insert) {
        s = audit_snapshot(d, "communities", id, &before);
        if (s == WS_OK && !before)
            s = WS_ERR_NOT_FOUND;
    }
    if (s == WS_OK)
        s = text_sort_key(c->name, &key, &keylen);
    sqlite3_stmt *q = NULL;
    if (s == WS_OK) {
        q = insert ? db_prepare(d,
                "INSERT INTO communities(id, name, kind, code, sort_key, created_at, updated_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)")
                   : db_prepare(d,
                "UPDATE communities SET name = ?2, kind = ?3, code = ?4, sort_key = ?5,"
                " updated_at = ?6 WHERE id = ?1 AND deleted_at IS NULL");
        if (!q)
            s = db_status(d);
    }
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, id);
        db_bind_text(q, 2, c->name);
        db_bind_text(q, 3, c->kind);
        db_bind_text_or_null(q, 4, c->code);
        sqlite3_bind_blob(q, 5, key, (int)keylen, SQLITE_TRANSIENT);
        db_bind_text(q, 6, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE) {
            s = db_status_from(rc);
            if (s == WS_ERR_INVALID)
                *why = VAL_DUPLICATE_ID;
        } else if (!insert && sqlite3_changes(db_handle(d)) == 0) {
            s = WS_ERR_NOT_FOUND; /* deleted: nothing was updated */
        }
    }
    if (s == WS_OK)
        s = audit_write(d, station_actor(st), "communities", id,
                        insert ? AUDIT_INSERT : AUDIT_UPDATE, before);
    free(before);
    free(key);
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    if (s == WS_OK)
        c->id = id;
    return s;
}
