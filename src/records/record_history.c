/* The change history of any declared kind, from audit_log: which changes,
 * and what each changed from and to, as a clerk reads it. */
#include <stdio.h>
#include "wushe/access.h"
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/resident.h"

ws_status record_history(station *st, const char *table, int64_t id, record_change *out,
                         size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    /* The keys whose values differ between the before and after JSON. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT a.at, coalesce((SELECT display_name FROM accounts WHERE login = a.actor),"
        " a.actor), a.action, a.id, (SELECT group_concat(x.key, ',') FROM"
        " json_each(coalesce(a.after, '{}')) x WHERE x.key NOT IN ('id', 'deleted_at')"
        " AND (a.before IS NULL OR json_extract(a.before, x.fullkey) IS NOT x.value"
        "  OR json_type(a.before, x.fullkey) IS NOT x.type)"
        /* a new record: only what was filled in */
        " AND (a.before IS NOT NULL OR (x.value IS NOT NULL AND x.value <> ''"
        "  AND NOT (x.type = 'array' AND json_array_length(x.value) = 0)"
        "  AND NOT (x.type = 'integer' AND x.value = 0)))),"
        " json_extract(a.before, '$.deleted_at') IS NOT NULL"
        "  AND json_extract(a.after, '$.deleted_at') IS NULL"
        " FROM audit_log a WHERE a.table_name = ?3 AND a.row_id = ?1"
        " ORDER BY a.id DESC LIMIT ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    db_bind_text(q, 3, table);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        record_change *c = &out[(*n)++];
        db_column_copy(q, 0, c->at, sizeof c->at);
        db_column_copy(q, 1, c->actor, sizeof c->actor);
        db_column_copy(q, 2, c->action, sizeof c->action);
        c->audit_id = sqlite3_column_int64(q, 3);
        db_column_copy(q, 4, c->fields, sizeof c->fields);
        if (sqlite3_column_int(q, 5))
            snprintf(c->action, sizeof c->action, "restore");
    }
    db_reset(q);
    return *n == max || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* One side of a change as a record, so that it reads like a list cell. */
static void history_value(station *st, const record_kind *k, int field, sqlite3_stmt *q, int col,
                          void *rec, char *out, size_t outsz)
{
    const field_def *f = &k->fields[field];
    if (field_is_int(f))
        field_set_int(f, rec, sqlite3_column_int64(q, col));
    else
        db_column_copy(q, col, field_str(f, rec), f->size);
    record_format(st, k, field, rec, true, out, outsz);
}

ws_status record_change_details(station *st, const record_kind *k, int64_t audit_id,
                                record_field_change *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    *n = 0;
    void *rec = calloc(1, k->size);
    if (!rec)
        return WS_ERR_NOMEM;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT json_extract(before, '$.' || ?2), json_extract(after, '$.' || ?2),"
        " before IS NOT NULL, json_extract(before, '$.' || ?2) IS NOT"
        " json_extract(after, '$.' || ?2) FROM audit_log WHERE id = ?1");
    ws_status s = q ? WS_OK : db_status(d);
    for (size_t i = 0; s == WS_OK && i < k->nfields && *n < max; i++) {
        sqlite3_bind_int64(q, 1, audit_id);
        db_bind_text(q, 2, k->fields[i].column);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW && sqlite3_column_int(q, 3)) {
            record_field_change *c = &out[(*n)++];
            memset(c, 0, sizeof *c);
            snprintf(c->key, sizeof c->key, "%s", k->fields[i].column);
            c->label = k->fields[i].label;
            c->had_before = sqlite3_column_int(q, 2);
            if (c->had_before)
                history_value(st, k, (int)i, q, 0, rec, c->before, sizeof c->before);
            history_value(st, k, (int)i, q, 1, rec, c->after, sizeof c->after);
            if (!c->had_before && !c->after[0])
                (*n)--; /* a new record: only what was filled in */
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            s = db_status_from(rc);
        }
        db_reset(q);
    }
    free(rec);
    return s;
}

const char *record_history_label(const record_kind *k, const char *key)
{
    int i = record_field_index(k, key);
    return i >= 0 ? k->fields[i].label : NULL;
}

/* ---- a household's members ---- */

/* A resident's audit row that moved them between households; the same
 * condition as the partial indexes of schema 6, so they serve it. */
#define MEMBER_MOVED                                                                  \
    "table_name = 'residents' AND before IS NOT NULL"                                 \
    " AND json_extract(before, '$.household_id') IS NOT json_extract(after, '$.household_id')"

/* Residents who are or were members (?1 the household): those in it now,
 * living or deleted, and those moved in or out (by the indexes); then each
 * one's audit rows that touched the household: added into it, moved in or
 * out, deleted or restored while in it. */
static const char member_events_sql[] =
    "WITH cand(rid) AS ("
    " SELECT id FROM residents WHERE household_id = ?1 AND deleted_at IS NULL"
    " UNION SELECT id FROM residents WHERE deleted_at IS NOT NULL AND household_id = ?1"
    " UNION SELECT row_id FROM audit_log WHERE " MEMBER_MOVED
    "  AND json_extract(after, '$.household_id') = ?1"
    " UNION SELECT row_id FROM audit_log WHERE " MEMBER_MOVED
    "  AND json_extract(before, '$.household_id') = ?1),"
    " ev AS (SELECT a.id, a.at, coalesce((SELECT display_name FROM accounts"
    "  WHERE login = a.actor), a.actor) AS actor, a.row_id, a.before IS NULL AS ins,"
    "  json_extract(a.before, '$.household_id') AS hb, json_extract(a.after, '$.household_id') AS ha,"
    "  json_extract(a.before, '$.deleted_at') IS NULL AS was_alive,"
    "  json_extract(a.after, '$.deleted_at') IS NULL AS alive,"
    "  coalesce(json_extract(a.after, '$.name'), json_extract(a.before, '$.name')) AS name"
    "  FROM cand CROSS JOIN audit_log a ON a.table_name = 'residents' AND a.row_id = cand.rid)"
    " SELECT id, at, actor, row_id, name,"
    "  CASE WHEN ins THEN 0 WHEN hb IS NOT ha AND ha = ?1 THEN 1 WHEN hb IS NOT ha THEN 2"
    "  WHEN alive THEN 4 ELSE 3 END,"
    "  (SELECT number FROM households WHERE hb IS NOT ha"
    "   AND id = CASE WHEN ha = ?1 THEN hb ELSE ha END)"
    " FROM ev WHERE (ins AND ha = ?1)"
    "  OR (NOT ins AND hb IS NOT ha AND (ha = ?1 OR hb = ?1))"
    "  OR (NOT ins AND hb IS ha AND ha = ?1 AND was_alive <> alive)"
    " ORDER BY id DESC LIMIT ?2";

ws_status resident_household_events(station *st, int64_t household_id, member_event *out,
                                    size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    static const char *const actions[] = {"insert", "update", "update", "delete", "restore"};
    db *d = station_db(st);
    *n = 0;
    sqlite3_stmt *q = db_prepare(d, member_events_sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, household_id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        member_event *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        e->change.audit_id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, e->change.at, sizeof e->change.at);
        db_column_copy(q, 2, e->change.actor, sizeof e->change.actor);
        e->resident_id = sqlite3_column_int64(q, 3);
        db_column_copy(q, 4, e->name, sizeof e->name);
        int kind = sqlite3_column_int(q, 5);
        e->kind = (member_event_kind)kind;
        snprintf(e->change.action, sizeof e->change.action, "%s", actions[kind]);
        if (kind == MEMBER_ADDED || kind == MEMBER_MOVED_IN || kind == MEMBER_MOVED_OUT)
            snprintf(e->change.fields, sizeof e->change.fields, "household_id");
        db_column_copy(q, 6, e->other, sizeof e->other);
    }
    db_reset(q);
    return *n == max || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
