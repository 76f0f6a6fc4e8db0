#include "audit.h"

#include <stdlib.h>
#include <string.h>

struct audit_table {
    const char *name;
    const char *snapshot_sql; /* ?1 = row id */
    const char *insert_sql;   /* the audit row, its after snapshot taken in
                                 the same statement: ?1 row id, ?2 at,
                                 ?3 actor, ?5 action, ?6 before */
};

/* One JSON document per row; residents include their group statuses so a
 * change of status is visible in the same audit row. The declared kinds
 * (wushe/record.h) build theirs from their field tables. */
#define AUDIT_RESIDENT_JSON                                                         \
    "SELECT json_object('id', r.id, 'name', r.name, 'id_number', r.id_number,"     \
    " 'sex', r.sex, 'birth_date', r.birth_date, 'phone', r.phone,"                 \
    " 'ethnicity', r.ethnicity, 'community_id', r.community_id,"                   \
    " 'household_id', r.household_id, 'relation', r.relation,"                    \
    " 'address', r.address, 'notes', r.notes, 'deleted_at', r.deleted_at,"         \
    " 'groups', (SELECT json_group_array(json_object('code', g.group_code,"        \
    "   'start_date', g.start_date, 'cert_no', g.cert_no,"                         \
    "   'review_date', g.review_date, 'disability_type', g.disability_type,"       \
    "   'disability_grade', g.disability_grade))"                                  \
    "   FROM resident_groups g WHERE g.resident_id = r.id))"                       \
    " FROM residents r WHERE r.id = ?1"
#define AUDIT_INSERT(table, json)                                                   \
    "INSERT INTO audit_log(at, actor, table_name, row_id, action, before, after)"  \
    " VALUES (?2, ?3, '" table "', ?1, ?5, ?6, (" json "))"

static const struct audit_table audit_tables[] = {
    {"residents", AUDIT_RESIDENT_JSON, AUDIT_INSERT("residents", AUDIT_RESIDENT_JSON)},
};

static const char *const audit_action_names[] = {"insert", "update", "delete"};

static const struct audit_table *audit_find(const char *table)
{
    for (size_t i = 0; i < sizeof audit_tables / sizeof audit_tables[0]; i++)
        if (strcmp(audit_tables[i].name, table) == 0)
            return &audit_tables[i];
    return NULL;
}

ws_status audit_snapshot(db *d, const char *table, int64_t id, char **json)
{
    *json = NULL;
    const struct audit_table *t = audit_find(table);
    return t ? audit_snapshot_sql(d, t->snapshot_sql, id, json) : WS_ERR_NOT_FOUND;
}

ws_status audit_snapshot_sql(db *d, const char *snapshot_sql, int64_t id, char **json)
{
    *json = NULL;
    sqlite3_stmt *st = db_prepare(d, snapshot_sql);
    if (!st)
        return db_status(d);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    ws_status s = WS_OK;
    if (rc == SQLITE_ROW) {
        const char *txt = (const char *)sqlite3_column_text(st, 0);
        *json = strdup(txt ? txt : "null");
        if (!*json)
            s = WS_ERR_NOMEM;
    } else if (rc != SQLITE_DONE) {
        s = db_status_from(rc);
    }
    db_reset(st);
    return s;
}

ws_status audit_event(db *d, const char *actor, const char *table, int64_t id,
                      audit_action action, const char *before, const char *after)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_prepare(d,
        "INSERT INTO audit_log(at, actor, table_name, row_id, action, before, after)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return db_status(d);
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, actor);
    db_bind_text(st, 3, table);
    sqlite3_bind_int64(st, 4, id);
    db_bind_text(st, 5, audit_action_names[action]);
    db_bind_text_or_null(st, 6, before);
    db_bind_text_or_null(st, 7, after);
    int rc = sqlite3_step(st);
    db_reset(st);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status audit_write(db *d, const char *actor, const char *table, int64_t id,
                      audit_action action, const char *before)
{
    const struct audit_table *t = audit_find(table);
    return t ? audit_write_sql(d, t->insert_sql, actor, id, action, before) : WS_ERR_NOT_FOUND;
}

ws_status audit_write_sql(db *d, const char *insert_sql, const char *actor, int64_t id,
                          audit_action action, const char *before)
{
    /* One statement: the after snapshot never leaves SQLite. */
    sqlite3_stmt *st = db_prepare(d, insert_sql);
    if (!st)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, actor);
    db_bind_text(st, 5, audit_action_names[action]);
    db_bind_text_or_null(st, 6, before);
    int rc = sqlite3_step(st);
    db_reset(st);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
