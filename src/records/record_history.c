/* The change history of any declared kind, from audit_log: which changes,
 * and what each changed from and to, as a clerk reads it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"

ws_status record_history(station *st, const char *table, int64_t id, record_change *out,
                         size_t max, size_t *n)
{
    db *d = station_db(st);
    *n = 0;
    /* The keys whose values differ between the before and after JSON. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT a.at, a.actor, a.action, a.id, (SELECT group_concat(x.key, ',') FROM"
        " json_each(coalesce(a.after, '{}')) x WHERE x.key NOT IN ('id', 'deleted_at')"
        " AND (a.before IS NULL OR json_extract(a.before, x.fullkey) IS NOT x.value"
        "  OR json_type(a.before, x.fullkey) IS NOT x.type)),"
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
