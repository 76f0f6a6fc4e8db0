/* Visits (走访/探访): the field table of kind_visit and the rules no table
 * can state: not before the person was born, a next visit after this one,
 * and on a household visit the other members met, by name, each counted
 * as visited (visit_people). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/account.h"
#include "wushe/casework.h"
#include "wushe/identity.h"
#include "wushe/resident.h"

static void visit_defaults(station *st, void *rec)
{
    visit *v = rec;
    date_today(v->visit_date);
    snprintf(v->mode, sizeof v->mode, "home");
    snprintf(v->risk, sizeof v->risk, "none");
    snprintf(v->follow_up, sizeof v->follow_up, "none");
    const account *a = station_account(st);
    v->worker_id = a ? a->id : 0;
}

void visit_init(station *st, visit *v, int64_t resident_id)
{
    record_new(st, &kind_visit, v);
    v->resident_id = resident_id;
}

/* The next name of a list typed as "王芳、李强, 张三" into out; the rest. */
static const char *visit_next_name(const char *p, char *out, size_t outsz)
{
    static const char *const seps[] = {"\xe3\x80\x81", "\xef\xbc\x8c", ",", " ", "\xe3\x80\x80",
                                       ";", "\xef\xbc\x9b"};
    size_t n = 0;
    out[0] = '\0';
    while (*p) {
        size_t sl = 0;
        for (size_t i = 0; i < sizeof seps / sizeof seps[0] && !sl; i++)
            if (strncmp(p, seps[i], strlen(seps[i])) == 0)
                sl = strlen(seps[i]);
        if (sl) {
            p += sl;
            if (n)
                break;
            continue;
        }
        if (n + 1 < outsz)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

/* The living member of the resident's household called `name` (0: none). */
static ws_status visit_member(db *d, int64_t resident_id, const char *name, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT m.id FROM residents r JOIN residents m ON m.household_id = r.household_id"
        " WHERE r.id = ?1 AND r.household_id IS NOT NULL AND m.deleted_at IS NULL"
        " AND m.name = ?2 AND m.id <> ?1 ORDER BY m.id LIMIT 1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, resident_id);
    db_bind_text(q, 2, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status visit_rules(station *st, void *rec, record_error *re)
{
    visit *v = rec;
    db *d = station_db(st);
    char birth[16] = "";
    ws_status s = db_text_i64(d, "SELECT coalesce(birth_date, '') FROM residents WHERE id = ?1",
                              v->resident_id, birth, sizeof birth);
    if (s != WS_OK)
        return s;
    if (birth[0] && strcmp(v->visit_date, birth) < 0)
        return record_fail(re, VF_DATE, VAL_BEFORE_BIRTH, birth);
    if (v->co_worker_id && v->co_worker_id == v->worker_id)
        return record_fail(re, VF_CO_WORKER, VAL_SAME_WORKER, NULL);
    if (strcmp(v->follow_up, "revisit") == 0 && !v->next_date[0])
        return record_fail(re, VF_NEXT_DATE, VAL_REQUIRED, NULL);
    if (v->next_date[0] && strcmp(v->next_date, v->visit_date) <= 0)
        return record_fail(re, VF_NEXT_DATE, VAL_BEFORE_DATE, v->visit_date);
    char name[192];
    for (const char *p = visit_next_name(v->met, name, sizeof name); name[0];
         p = visit_next_name(p, name, sizeof name)) {
        int64_t id;
        if ((s = visit_member(d, v->resident_id, name, &id)) != WS_OK)
            return s;
        if (!id)
            return record_fail(re, VF_MET, VAL_NOT_MEMBER, name);
    }
    return WS_OK;
}

static ws_status visit_person(db *d, const visit *v, int64_t resident_id)
{
    sqlite3_stmt *q = db_prepare(d, "INSERT OR IGNORE INTO visit_people(resident_id, visit_date,"
                                    " visit_id, worker_id) VALUES (?1, ?2, ?3, ?4)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, resident_id);
    db_bind_text(q, 2, v->visit_date);
    sqlite3_bind_int64(q, 3, v->id);
    if (v->worker_id)
        sqlite3_bind_int64(q, 4, v->worker_id);
    else
        sqlite3_bind_null(q, 4);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The people a visit counts for are due again (before and after a change). */
static ws_status visit_people_due(station *st, int64_t visit_id)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT resident_id FROM visit_people WHERE visit_id = ?1");
    if (!q)
        return db_status(d);
    int64_t ids[64];
    size_t n = 0;
    sqlite3_bind_int64(q, 1, visit_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 64)
        ids[n++] = sqlite3_column_int64(q, 0);
    db_reset(q);
    ws_status s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = due_refresh(st, ids[i]);
    return s;
}

static ws_status visit_state(station *st, int64_t id, bool deleted)
{
    (void)deleted;
    return visit_people_due(st, id);
}

/* Who the visit counts for, written again with the row. */
static ws_status visit_people_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    visit *v = rec;
    db *d = station_db(st);
    ws_status s = WS_OK;
    if (!insert) {
        /* Those it counted for before may be due sooner now. */
        int64_t was[64];
        size_t nwas = 0;
        sqlite3_stmt *w = db_prepare(d, "SELECT resident_id FROM visit_people WHERE"
                                        " visit_id = ?1");
        if (!w)
            return db_status(d);
        sqlite3_bind_int64(w, 1, v->id);
        while (nwas < 64 && sqlite3_step(w) == SQLITE_ROW)
            was[nwas++] = sqlite3_column_int64(w, 0);
        db_reset(w);
        sqlite3_stmt *q = db_prepare(d, "DELETE FROM visit_people WHERE visit_id = ?1");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, v->id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
        for (size_t i = 0; s == WS_OK && i < nwas; i++)
            s = due_refresh(st, was[i]);
    }
    if (s == WS_OK)
        s = visit_person(d, v, v->resident_id);
    char name[192];
    for (const char *p = visit_next_name(v->met, name, sizeof name); s == WS_OK && name[0];
         p = visit_next_name(p, name, sizeof name)) {
        int64_t id;
        s = visit_member(d, v->resident_id, name, &id);
        if (s == WS_OK && id)
            s = visit_person(d, v, id);
    }
    return s == WS_OK ? visit_people_due(st, v->id) : s;
}

/* The search box finds a visit by the person's name. */
static void visit_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const visit *v = rec;
    out[0] = '\0';
    if (v->resident_id)
        db_text_i64(station_db(st), "SELECT name FROM residents WHERE id = ?1", v->resident_id,
                    out, outsz);
}

static const field_def visit_fields[] = {
    [VF_RESIDENT] = {.column = "resident_id", .label = "field.visit_resident", .type = FLD_REF,
                     .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, resident_id),
                     .ref = &kind_resident, .aliases = "居民|姓名|走访对象|探访对象", .width = 8},
    [VF_DATE] = {.column = "visit_date", .label = "field.visit_date", .type = FLD_DATE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, visit_date),
                 .aliases = "走访日期|探访日期|日期", .width = 10},
    [VF_MODE] = {.column = "mode", .label = "field.visit_mode", .type = FLD_CODE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, mode),
                 .codes = "visit_mode", .aliases = "走访方式|方式", .width = 4},
    [VF_WORKER] = {.column = "worker_id", .label = "field.worker", .type = FLD_REF,
                   .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, worker_id),
                   .ref = &kind_staff, .aliases = "走访人|社工|走访社工", .width = 6},
    [VF_CO_WORKER] = {.column = "co_worker_id", .label = "field.co_worker", .type = FLD_REF,
                      .flags = FF_LEDGER, REC_AT(visit, co_worker_id), .ref = &kind_staff,
                      .aliases = "同行人|协同走访"},
    [VF_MET] = {.column = "met", .label = "field.visit_met", .type = FLD_TEXT,
                .flags = FF_LEDGER, REC_AT(visit, met), .limit = 80,
                .aliases = "同户见到|见到的家庭成员"},
    [VF_FINDINGS] = {.column = "findings", .label = "field.visit_findings",
                     .type = FLD_MULTILINE, .flags = FF_LIST | FF_LEDGER,
                     REC_AT(visit, findings), .limit = 2000,
                     .aliases = "走访情况|发现情况|情况记录", .width = 16},
    [VF_RISK] = {.column = "risk", .label = "field.risk", .type = FLD_CODE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, risk),
                 .codes = "risk_level", .aliases = "风险|风险等级", .width = 4},
    [VF_NEEDS] = {.column = "needs", .label = "field.visit_needs", .type = FLD_CODES,
                  .flags = FF_LEDGER, REC_AT(visit, needs), .codes = "visit_need",
                  .aliases = "需求|发现需求"},
    [VF_FOLLOW_UP] = {.column = "follow_up", .label = "field.follow_up", .type = FLD_CODE,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(visit, follow_up),
                      .codes = "visit_follow_up", .aliases = "后续安排|跟进", .width = 4},
    [VF_NEXT_DATE] = {.column = "next_date", .label = "field.next_visit", .type = FLD_DATE,
                      .flags = FF_FUTURE | FF_LEDGER, REC_AT(visit, next_date),
                      .aliases = "下次走访日期|下次走访"},
};

/* A visit ledger's row is the visit already there when the person, the
 * day and the worker are the same. */
static const int visit_key[] = {VF_RESIDENT, VF_DATE, VF_WORKER, -1};

static struct kind_sql visit_sql;
const record_kind kind_visit = {
    .name = "visit",
    .table = "visits",
    .label = "kind.visit",
    .size = sizeof(visit),
    .id_offset = offsetof(visit, id),
    .revision_offset = offsetof(visit, revision),
    .fields = visit_fields,
    .nfields = sizeof visit_fields / sizeof visit_fields[0],
    .title_field = VF_DATE,
    .period = "visit_date",
    .ledger_key = visit_key,
    .newest_first = true,
    .read_perm = PERM_VISIT_READ,
    .write_perm = PERM_VISIT_WRITE,
    .hooks = {.defaults = visit_defaults,
              .validate = visit_rules,
              .after_write = visit_people_write,
              .after_state = visit_state,
              .search_text = visit_search_text},
    .sql = &visit_sql,
};
