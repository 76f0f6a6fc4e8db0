/* The stages of a case (MZ/T 094-2017) and its status, moved one step at a
 * time: forward only when the stage's required fields are filled, back or
 * void or reopened with a reason, closure approved by a 站长. Every move is
 * one transaction: the case row (revision + 1, audited) and its
 * transition row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework_internal.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/identity.h"

static const char *const case_stage_codes[STAGE_COUNT] = {
    "intake", "assessment", "plan", "intervention", "evaluation", "closure",
};

const char *case_stage_code(case_stage s)
{
    return (unsigned)s < STAGE_COUNT ? case_stage_codes[s] : "";
}

case_stage case_stage_find(const char *code)
{
    for (int i = 0; i < STAGE_COUNT; i++)
        if (strcmp(case_stage_codes[i], code) == 0)
            return (case_stage)i;
    return STAGE_COUNT;
}

static const char *const case_move_keys[CASE_MOVE_COUNT] = {
    "case.move_advance", "case.move_back", "case.move_submit", "case.move_approve",
    "case.move_return", "case.move_void", "case.move_reopen",
};

const char *case_move_key(case_move m)
{
    return (unsigned)m < CASE_MOVE_COUNT ? case_move_keys[m] : "";
}

bool case_move_needs_reason(case_move m)
{
    return m == CASE_BACK || m == CASE_RETURN || m == CASE_VOID || m == CASE_REOPEN;
}

ws_status case_transition_write(station *st, int64_t case_id, const char *from_stage,
                                const char *to_stage, const char *from_status,
                                const char *to_status, const char *reason)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO case_transitions(case_id, at, actor, from_stage, to_stage, from_status,"
        " to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, case_id);
    db_bind_text(q, 2, now);
    db_bind_text(q, 3, station_actor(st));
    db_bind_text(q, 4, from_stage);
    db_bind_text(q, 5, to_stage);
    db_bind_text(q, 6, from_status);
    db_bind_text(q, 7, to_status);
    db_bind_text(q, 8, reason ? reason : "");
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status case_status_of(station *st, int64_t case_id, char *out, size_t outsz)
{
    return db_text_i64(station_db(st), "SELECT status FROM cases WHERE id = ?1", case_id, out,
                       outsz);
}

ws_status case_parts_writable(station *st, int64_t case_id, record_error *re)
{
    char status[16] = "";
    ws_status s = case_status_of(st, case_id, status, sizeof status);
    if (s != WS_OK)
        return s;
    if (strcmp(status, "closed") != 0 && strcmp(status, "void") != 0)
        return WS_OK;
    const code_item *it = codebook_find(station_codes(st), "case_status", status);
    re->code = VAL_CASE_LOCKED;
    snprintf(re->detail, sizeof re->detail, "%s", it ? code_label(it, 0) : status);
    return WS_ERR_INVALID;
}

/* ---- what a stage needs before the case moves on ---- */

static ws_status move_fail(record_error *re, int field, val_status v, const char *detail_key)
{
    re->field = field;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%s", detail_key ? tr(detail_key) : "");
    return WS_ERR_INVALID;
}

/* The first empty field of the list (-1 when all are filled). */
static int case_first_empty(const casefile *c, const int *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const field_def *f = &kind_case.fields[fields[i]];
        if (field_is_int(f) ? field_int(f, c) == 0 : *field_str(f, (void *)c) == '\0')
            return fields[i];
    }
    return -1;
}

static ws_status case_count(db *d, const char *sql, int64_t id, int64_t *n)
{
    return db_int(d, sql, id, n);
}

/* WS_OK when the stage's work is done; otherwise what is missing. */
static ws_status case_stage_done(station *st, const casefile *c, record_error *re)
{
    db *d = station_db(st);
    int64_t n = 0;
    ws_status s = WS_OK;
    int empty;
    switch (case_stage_find(c->stage)) {
    case STAGE_INTAKE: {
        static const int need[] = {CSF_SOURCE, CSF_CATEGORIES, CSF_PROBLEM, CSF_RISK,
                                   CSF_WORKER};
        if ((empty = case_first_empty(c, need, 5)) >= 0)
            return move_fail(re, empty, VAL_REQUIRED, NULL);
        /* Without consent a case stays at 接案, with the reason. */
        if (!c->consent_date[0] || !c->consent_by[0])
            return move_fail(re, c->consent_date[0] ? CSF_CONSENT_BY : CSF_CONSENT_DATE,
                             VAL_NO_CONSENT, NULL);
        return WS_OK;
    }
    case STAGE_ASSESSMENT: {
        s = case_count(d, "SELECT count(*) FROM case_needs WHERE case_id = ?1 AND"
                          " deleted_at IS NULL AND severity BETWEEN 1 AND 5", c->id, &n);
        if (s == WS_OK && n == 0)
            return move_fail(re, -1, VAL_STAGE_MISSING, "case.missing_needs");
        static const int need[] = {CSF_STRENGTHS, CSF_SUPPORT, CSF_RISKS};
        if (s == WS_OK && (empty = case_first_empty(c, need, 3)) >= 0)
            return move_fail(re, empty, VAL_REQUIRED, NULL);
        return s;
    }
    case STAGE_PLAN:
        s = case_count(d, "SELECT count(*) FROM case_goals WHERE case_id = ?1 AND"
                          " deleted_at IS NULL", c->id, &n);
        if (s == WS_OK && n == 0)
            return move_fail(re, -1, VAL_STAGE_MISSING, "case.missing_goals");
        if (s == WS_OK)
            s = case_count(d, "SELECT count(*) FROM case_goals WHERE case_id = ?1 AND"
                              " deleted_at IS NULL AND (target = '' OR due_date IS NULL OR"
                              " who = '')", c->id, &n);
        if (s == WS_OK && n > 0)
            return move_fail(re, -1, VAL_STAGE_MISSING, "case.missing_goal_parts");
        return s;
    case STAGE_INTERVENTION:
        s = case_count(d, "SELECT count(*) FROM case_services WHERE case_id = ?1 AND"
                          " deleted_at IS NULL", c->id, &n);
        if (s == WS_OK && n == 0)
            return move_fail(re, -1, VAL_STAGE_MISSING, "case.missing_services");
        return s;
    case STAGE_EVALUATION: {
        s = case_count(d, "SELECT count(*) FROM case_goals WHERE case_id = ?1 AND"
                          " deleted_at IS NULL AND outcome = ''", c->id, &n);
        if (s == WS_OK && n > 0)
            return move_fail(re, -1, VAL_STAGE_MISSING, "case.missing_outcomes");
        static const int need[] = {CSF_PERSON_VIEW, CSF_SUMMARY};
        if (s == WS_OK && (empty = case_first_empty(c, need, 2)) >= 0)
            return move_fail(re, empty, VAL_REQUIRED, NULL);
        return s;
    }
    case STAGE_CLOSURE: {
        static const int need[] = {CSF_CLOSE_REASON, CSF_CLOSE_SUMMARY, CSF_CLOSE_DATE};
        if ((empty = case_first_empty(c, need, 3)) >= 0)
            return move_fail(re, empty, VAL_REQUIRED, NULL);
        return WS_OK;
    }
    default:
        return move_fail(re, -1, VAL_MOVE_DENIED, NULL);
    }
}

/* ---- the moves ---- */

/* Whether move m fits the case's stage and status, and the role. */
static bool case_move_fits(station *st, const casefile *c, case_move m)
{
    bool open = strcmp(c->status, "open") == 0;
    case_stage sg = case_stage_find(c->stage);
    switch (m) {
    case CASE_ADVANCE:
        return open && sg < STAGE_CLOSURE && station_can(st, PERM_CASE_WRITE);
    case CASE_BACK:
        return open && sg > STAGE_INTAKE && sg < STAGE_COUNT && station_can(st, PERM_CASE_WRITE);
    case CASE_SUBMIT:
        return open && sg == STAGE_CLOSURE && station_can(st, PERM_CASE_WRITE);
    case CASE_APPROVE:
    case CASE_RETURN:
        return strcmp(c->status, "pending") == 0 && station_can(st, PERM_CASE_APPROVE);
    case CASE_VOID:
        return (open || strcmp(c->status, "pending") == 0) && station_can(st, PERM_CASE_WRITE);
    case CASE_REOPEN:
        return strcmp(c->status, "closed") == 0 && station_can(st, PERM_CASE_WRITE);
    default:
        return false;
    }
}

bool case_move_allowed(station *st, int64_t id, case_move m)
{
    casefile *c = malloc(sizeof *c);
    if (!c)
        return false;
    bool ok = station_can(st, PERM_CASE_READ) && record_scope_check(st, &kind_case, id) == WS_OK &&
              record_load_row(st, &kind_case, id, c) == WS_OK && case_move_fits(st, c, m);
    free(c);
    return ok;
}

static int case_followup_days(station *st)
{
    const station_config *cfg = station_cfg(st);
    return cfg && cfg->followup_days > 0 ? cfg->followup_days : CONFIG_FOLLOWUP_DAYS;
}

/* The case after move m: its stage, status and follow-up date. */
static ws_status case_move_apply(station *st, casefile *c, case_move m, record_error *re)
{
    case_stage sg = case_stage_find(c->stage);
    ws_status s = WS_OK;
    switch (m) {
    case CASE_ADVANCE:
        if ((s = case_stage_done(st, c, re)) == WS_OK)
            snprintf(c->stage, sizeof c->stage, "%s", case_stage_code(sg + 1));
        return s;
    case CASE_BACK:
        snprintf(c->stage, sizeof c->stage, "%s", case_stage_code(sg - 1));
        return WS_OK;
    case CASE_SUBMIT:
        if ((s = case_stage_done(st, c, re)) == WS_OK)
            snprintf(c->status, sizeof c->status, "pending");
        return s;
    case CASE_APPROVE: {
        snprintf(c->status, sizeof c->status, "closed");
        char when[11];
        date_add_days(c->close_date[0] ? c->close_date : c->opened_date, case_followup_days(st),
                      when);
        snprintf(c->followup_date, sizeof c->followup_date, "%s", when);
        return WS_OK;
    }
    case CASE_RETURN:
        snprintf(c->status, sizeof c->status, "open");
        return WS_OK;
    case CASE_VOID:
        snprintf(c->status, sizeof c->status, "void");
        return WS_OK;
    case CASE_REOPEN:
        snprintf(c->status, sizeof c->status, "open");
        snprintf(c->stage, sizeof c->stage, "intervention");
        c->followup_date[0] = '\0';
        return WS_OK;
    default:
        return WS_ERR_INVALID;
    }
}

static ws_status case_row_moved(db *d, const casefile *c)
{
    sqlite3_stmt *q = db_prepare(d,
        "UPDATE cases SET stage = ?2, status = ?3, followup_date = ?4, revision = revision + 1,"
        " updated_at = ?5 WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, c->id);
    db_bind_text(q, 2, c->stage);
    db_bind_text(q, 3, c->status);
    db_bind_text_or_null(q, 4, c->followup_date);
    db_bind_text(q, 5, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status case_move_do(station *st, int64_t id, int64_t revision, case_move m,
                       const char *reason, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, m == CASE_APPROVE || m == CASE_RETURN ? PERM_CASE_APPROVE
                                                                            : PERM_CASE_WRITE);
    if (s == WS_OK && kind_sql_ready(&kind_case))
        s = record_scope_check(st, &kind_case, id);
    if (s != WS_OK)
        return s;
    char why[400] = "";
    const char *r = reason ? reason : "";
    while (*r == ' ' || *r == '\t')
        r++;
    snprintf(why, sizeof why, "%s", r);
    if (case_move_needs_reason(m) && !why[0])
        return move_fail(re, -1, VAL_REASON_NEEDED, NULL);
    casefile *c = malloc(sizeof *c);
    if (!c)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    char *before = NULL;
    s = db_begin(d);
    if (s == WS_OK)
        s = record_load_row(st, &kind_case, id, c);
    if (s == WS_OK && revision && c->revision != revision) {
        record_changed_by(st, "cases", id, re->detail, sizeof re->detail);
        s = WS_ERR_STALE;
    }
    if (s == WS_OK && !case_move_fits(st, c, m)) {
        const code_item *it = codebook_find(station_codes(st), "case_status", c->status);
        re->code = VAL_MOVE_DENIED;
        snprintf(re->detail, sizeof re->detail, "%s", it ? code_label(it, 0) : c->status);
        s = WS_ERR_INVALID;
    }
    char from_stage[16], from_status[16];
    snprintf(from_stage, sizeof from_stage, "%s", c->stage);
    snprintf(from_status, sizeof from_status, "%s", c->status);
    if (s == WS_OK)
        s = record_audit_snapshot(st, &kind_case, id, &before);
    if (s == WS_OK)
        s = case_move_apply(st, c, m, re);
    if (s == WS_OK)
        s = case_row_moved(d, c);
    if (s == WS_OK)
        s = case_transition_write(st, id, from_stage, c->stage, from_status, c->status, why);
    if (s == WS_OK) /* found by its stage and status as they are now */
        s = record_terms_refresh(st, &kind_case, id);
    if (s == WS_OK)
        s = record_audit_write(st, &kind_case, id, false, before);
    free(before);
    free(c);
    return db_end(d, s);
}

ws_status case_transitions(station *st, int64_t case_id, case_transition *out, size_t max,
                           size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_CASE_READ);
    if (s == WS_OK && kind_sql_ready(&kind_case))
        s = record_scope_check(st, &kind_case, case_id);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT strftime('%Y-%m-%d %H:%M', at, 'localtime'), " RECORD_ACTOR_NAME ", from_stage,"
        " to_stage, from_status, to_status, reason FROM case_transitions WHERE case_id = ?1"
        " ORDER BY id LIMIT ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, case_id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        case_transition *t = &out[(*n)++];
        db_column_copy(q, 0, t->at, sizeof t->at);
        db_column_copy(q, 1, t->who, sizeof t->who);
        db_column_copy(q, 2, t->from_stage, sizeof t->from_stage);
        db_column_copy(q, 3, t->to_stage, sizeof t->to_stage);
        db_column_copy(q, 4, t->from_status, sizeof t->from_status);
        db_column_copy(q, 5, t->to_status, sizeof t->to_status);
        db_column_copy(q, 6, t->reason, sizeof t->reason);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
