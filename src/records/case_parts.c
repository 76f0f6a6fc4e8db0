/* The parts of a case, each a declared kind under kind_case: its needs
 * (预估), goals (计划, and their outcome at 评估) and service records (介入);
 * and referrals (转介), at any stage or from a visit. What they share: a
 * 社工 sees the parts of their own cases only, and the parts of a closed or
 * voided case stay as they were. */
#include <stdio.h>
#include <string.h>

#include "casework_internal.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/casework.h"
#include "wushe/identity.h"
#include "wushe/resident.h"
#include "wushe/resources.h"

/* The parts of the cases a 社工 works on. */
#define CASE_PART_SCOPE "case_id IN (SELECT id FROM cases WHERE " CASE_SCOPE ")"

/* The part's case accepts changes, and a date is not before its opening. */
static ws_status part_case_rules(station *st, int64_t case_id, int date_field, const char *date,
                                 record_error *re)
{
    ws_status s = case_parts_writable(st, case_id, re);
    if (s != WS_OK)
        return s;
    char opened[16] = "";
    s = db_text_i64(station_db(st), "SELECT opened_date FROM cases WHERE id = ?1", case_id,
                    opened, sizeof opened);
    if (s == WS_OK && date && date[0] && opened[0] && strcmp(date, opened) < 0)
        return record_fail(re, date_field, VAL_BEFORE_DATE, opened);
    return s;
}

/* A part leaves with its case's rules too (a closed case keeps them). */
#define PART_DELETE_HOOK(fn, table)                                                          \
    static ws_status fn(station *st, int64_t id, record_error *re)                          \
    {                                                                                        \
        int64_t case_id = 0;                                                                 \
        ws_status s = db_int(station_db(st), "SELECT case_id FROM " table " WHERE id = ?1",  \
                             id, &case_id);                                                  \
        return s == WS_OK && case_id ? case_parts_writable(st, case_id, re) : s;            \
    }

/* ---- needs ---- */

static void need_defaults(station *st, void *rec)
{
    (void)st;
    ((case_need *)rec)->severity = 3;
}

static ws_status need_rules(station *st, void *rec, record_error *re)
{
    case_need *n = rec;
    return part_case_rules(st, n->case_id, -1, NULL, re);
}
PART_DELETE_HOOK(need_before_delete, "case_needs")

static const field_def need_fields[] = {
    [CNF_CASE] = {.column = "case_id", .label = "field.case", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LEDGER, REC_AT(case_need, case_id),
                  .ref = &kind_case, .aliases = "个案编号"},
    [CNF_AREA] = {.column = "area", .label = "field.need_area", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_need, area),
                  .codes = "need_area", .aliases = "需求领域", .width = 8},
    [CNF_SEVERITY] = {.column = "severity", .label = "field.need_severity", .type = FLD_INT,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_need, severity),
                      .aliases = "严重程度", .width = 4, .min = 1, .max = 5},
    [CNF_NOTE] = {.column = "note", .label = "field.need_note", .type = FLD_MULTILINE,
                  .flags = FF_LIST | FF_LEDGER | FF_NOTES, REC_AT(case_need, note),
                  .limit = 500, .aliases = "说明", .width = 20},
};

static struct kind_sql need_sql;
const record_kind kind_case_need = {
    .name = "case_need",
    .table = "case_needs",
    .label = "kind.case_need",
    .size = sizeof(case_need),
    .id_offset = offsetof(case_need, id),
    .revision_offset = offsetof(case_need, revision),
    .fields = need_fields,
    .nfields = sizeof need_fields / sizeof need_fields[0],
    .title_field = CNF_AREA,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = CASE_PART_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .hooks = {.defaults = need_defaults,
              .validate = need_rules, .before_delete = need_before_delete},
    .sql = &need_sql,
};

/* ---- goals ---- */

static ws_status goal_rules(station *st, void *rec, record_error *re)
{
    case_goal *g = rec;
    if (g->outcome_note[0] && !g->outcome[0])
        return record_fail(re, CGF_OUTCOME, VAL_REQUIRED, NULL);
    return part_case_rules(st, g->case_id, CGF_DUE, g->due_date, re);
}
PART_DELETE_HOOK(goal_before_delete, "case_goals")

static const field_def goal_fields[] = {
    [CGF_CASE] = {.column = "case_id", .label = "field.case", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LEDGER, REC_AT(case_goal, case_id),
                  .ref = &kind_case, .aliases = "个案编号"},
    [CGF_GOAL] = {.column = "goal", .label = "field.goal", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_goal, goal),
                  .limit = 100, .aliases = "目标|服务目标", .width = 16},
    [CGF_TARGET] = {.column = "target", .label = "field.goal_target", .type = FLD_TEXT,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(case_goal, target), .limit = 100,
                    .aliases = "衡量指标|可衡量的指标", .width = 12},
    [CGF_DUE] = {.column = "due_date", .label = "field.due_date", .type = FLD_DATE,
                 .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(case_goal, due_date),
                 .aliases = "完成期限|期限", .width = 10},
    [CGF_WHO] = {.column = "who", .label = "field.goal_who", .type = FLD_TEXT,
                 .flags = FF_LIST | FF_LEDGER, REC_AT(case_goal, who), .limit = 30,
                 .aliases = "负责人|执行人", .width = 6},
    [CGF_OUTCOME] = {.column = "outcome", .label = "field.goal_outcome", .type = FLD_CODE,
                     .flags = FF_LIST | FF_LEDGER, REC_AT(case_goal, outcome),
                     .codes = "goal_outcome", .aliases = "达成情况", .width = 6},
    [CGF_NOTE] = {.column = "outcome_note", .label = "field.goal_note", .type = FLD_MULTILINE,
                  .flags = FF_LEDGER | FF_NOTES, REC_AT(case_goal, outcome_note), .limit = 500,
                  .aliases = "评估说明"},
};

static struct kind_sql goal_sql;
const record_kind kind_case_goal = {
    .name = "case_goal",
    .table = "case_goals",
    .label = "kind.case_goal",
    .size = sizeof(case_goal),
    .id_offset = offsetof(case_goal, id),
    .revision_offset = offsetof(case_goal, revision),
    .fields = goal_fields,
    .nfields = sizeof goal_fields / sizeof goal_fields[0],
    .title_field = CGF_GOAL,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = CASE_PART_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .hooks = {.validate = goal_rules, .before_delete = goal_before_delete},
    .sql = &goal_sql,
};

/* ---- more co-workers ---- */

static ws_status coworker_rules(station *st, void *rec, record_error *re)
{
    case_coworker *cw = rec;
    db *d = station_db(st);
    bool ok = false;
    ws_status s = db_exists_i64(d, "SELECT 1 FROM accounts WHERE id = ?1 AND active = '1' AND"
                                   " role IN ('worker', 'director') AND ?2 = ?2",
                                cw->worker_id, 0, &ok);
    if (s != WS_OK)
        return s;
    if (!ok)
        return record_fail(re, CCF_WORKER, VAL_NOT_WORKER, NULL);
    bool already = false;
    s = db_exists_i64(d, "SELECT 1 FROM cases WHERE id = ?1 AND (worker_id = ?2 OR"
                         " co_worker_id = ?2)", cw->case_id, cw->worker_id, &already);
    if (s == WS_OK && !already) {
        sqlite3_stmt *q = db_prepare(d, "SELECT 1 FROM case_coworkers WHERE case_id = ?1 AND"
                                        " worker_id = ?2 AND id <> ?3 AND deleted_at IS NULL");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, cw->case_id);
        sqlite3_bind_int64(q, 2, cw->worker_id);
        sqlite3_bind_int64(q, 3, cw->id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_status_from(rc);
        already = rc == SQLITE_ROW;
    }
    if (s != WS_OK)
        return s;
    if (already)
        return record_fail(re, CCF_WORKER, VAL_SAME_WORKER, NULL);
    return part_case_rules(st, cw->case_id, -1, NULL, re);
}
PART_DELETE_HOOK(coworker_before_delete, "case_coworkers")

static const field_def coworker_fields[] = {
    [CCF_CASE] = {.column = "case_id", .label = "field.case", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LEDGER, REC_AT(case_coworker, case_id),
                  .ref = &kind_case, .aliases = "个案编号"},
    [CCF_WORKER] = {.column = "worker_id", .label = "field.co_worker", .type = FLD_REF,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_coworker, worker_id),
                    .ref = &kind_staff, .aliases = "协同社工", .width = 10},
};

/* A co-worker once on the case: a second row of the same is refused. */
static const int coworker_key[] = {CCF_CASE, CCF_WORKER, -1};

static struct kind_sql coworker_sql;
const record_kind kind_case_coworker = {
    .name = "case_coworker",
    .table = "case_coworkers",
    .label = "kind.case_coworker",
    .size = sizeof(case_coworker),
    .id_offset = offsetof(case_coworker, id),
    .revision_offset = offsetof(case_coworker, revision),
    .fields = coworker_fields,
    .nfields = sizeof coworker_fields / sizeof coworker_fields[0],
    .title_field = CCF_WORKER,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = CASE_PART_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .ledger_key = coworker_key,
    .hooks = {.validate = coworker_rules, .before_delete = coworker_before_delete},
    .sql = &coworker_sql,
};

/* ---- tasks under goals ---- */

static ws_status task_rules(station *st, void *rec, record_error *re)
{
    case_task *t = rec;
    int64_t case_id = 0;
    ws_status s = db_int(station_db(st), "SELECT case_id FROM case_goals WHERE id = ?1",
                         t->goal_id, &case_id);
    return s == WS_OK ? part_case_rules(st, case_id, CTF_DONE, t->done_date, re) : s;
}

static ws_status task_before_delete(station *st, int64_t id, record_error *re)
{
    int64_t case_id = 0;
    ws_status s = db_int(station_db(st), "SELECT g.case_id FROM case_tasks t JOIN case_goals g"
                                         " ON g.id = t.goal_id WHERE t.id = ?1", id, &case_id);
    return s == WS_OK && case_id ? case_parts_writable(st, case_id, re) : s;
}

static const field_def task_fields[] = {
    [CTF_GOAL] = {.column = "goal_id", .label = "field.goal", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_task, goal_id),
                  .ref = &kind_case_goal, .aliases = "目标", .width = 12},
    [CTF_TASK] = {.column = "task", .label = "field.task", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_task, task),
                  .limit = 100, .aliases = "任务|工作任务", .width = 16},
    [CTF_WHO] = {.column = "who", .label = "field.goal_who", .type = FLD_TEXT,
                 .flags = FF_LIST | FF_LEDGER, REC_AT(case_task, who), .limit = 30,
                 .aliases = "负责人|执行人", .width = 6},
    [CTF_DUE] = {.column = "due_date", .label = "field.due_date", .type = FLD_DATE,
                 .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(case_task, due_date),
                 .aliases = "完成期限|期限", .width = 10},
    [CTF_DONE] = {.column = "done_date", .label = "field.done_date", .type = FLD_DATE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(case_task, done_date),
                  .aliases = "完成日期", .width = 10},
    [CTF_NOTE] = {.column = "note", .label = "field.need_note", .type = FLD_MULTILINE,
                  .flags = FF_LEDGER | FF_NOTES, REC_AT(case_task, note), .limit = 500,
                  .aliases = "说明"},
};

static struct kind_sql task_sql;
const record_kind kind_case_task = {
    .name = "case_task",
    .table = "case_tasks",
    .label = "kind.case_task",
    .size = sizeof(case_task),
    .id_offset = offsetof(case_task, id),
    .revision_offset = offsetof(case_task, revision),
    .fields = task_fields,
    .nfields = sizeof task_fields / sizeof task_fields[0],
    .title_field = CTF_TASK,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = "goal_id IN (SELECT id FROM case_goals WHERE " CASE_PART_SCOPE ")",
    .scope_all = PERM_CASE_ALL,
    .hooks = {.validate = task_rules, .before_delete = task_before_delete},
    .sql = &task_sql,
};

/* ---- service records ---- */

static void service_defaults(station *st, void *rec)
{
    case_service *sv = rec;
    date_today(sv->service_date);
    sv->minutes = 60;
    snprintf(sv->mode, sizeof sv->mode, "home");
    const account *a = station_account(st);
    sv->worker_id = a ? a->id : 0;
}

static ws_status service_rules(station *st, void *rec, record_error *re)
{
    case_service *sv = rec;
    if (sv->goal_id) {
        bool ours = false;
        ws_status s = db_exists_i64(station_db(st),
                                    "SELECT 1 FROM case_goals WHERE id = ?1 AND case_id = ?2",
                                    sv->goal_id, sv->case_id, &ours);
        if (s != WS_OK)
            return s;
        if (!ours)
            return record_fail(re, SVF_GOAL, VAL_OTHER_CASE, NULL);
    }
    if (sv->next_date[0] && strcmp(sv->next_date, sv->service_date) < 0)
        return record_fail(re, SVF_NEXT_DATE, VAL_BEFORE_DATE, sv->service_date);
    /* What was given went to the person's household. */
    db *d = station_db(st);
    int64_t household = 0;
    ws_status hs = db_int(d, "SELECT coalesce(r.household_id, 0) FROM cases c JOIN residents r"
                             " ON r.id = c.resident_id WHERE c.id = ?1", sv->case_id, &household);
    if (hs != WS_OK)
        return hs;
    if (sv->payment_id) {
        bool theirs = false;
        hs = db_exists_i64(d, "SELECT 1 FROM payments WHERE id = ?1 AND household_id = ?2",
                           sv->payment_id, household, &theirs);
        if (hs != WS_OK)
            return hs;
        if (!theirs)
            return record_fail(re, SVF_PAYMENT, VAL_NOT_THEIRS, NULL);
    }
    if (sv->distribution_id) {
        bool on = false;
        hs = db_exists_i64(d, "SELECT 1 FROM distribution_lines WHERE distribution_id = ?1 AND"
                              " household_id = ?2", sv->distribution_id, household, &on);
        if (hs != WS_OK)
            return hs;
        if (!on)
            return record_fail(re, SVF_DISTRIBUTION, VAL_NOT_THEIRS, NULL);
    }
    return part_case_rules(st, sv->case_id, SVF_DATE, sv->service_date, re);
}
PART_DELETE_HOOK(service_before_delete, "case_services")

static const field_def service_fields[] = {
    [SVF_CASE] = {.column = "case_id", .label = "field.case", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LEDGER, REC_AT(case_service, case_id),
                  .ref = &kind_case, .aliases = "个案编号"},
    [SVF_DATE] = {.column = "service_date", .label = "field.service_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_service, service_date),
                  .aliases = "服务日期|日期", .width = 10},
    [SVF_MINUTES] = {.column = "minutes", .label = "field.minutes", .type = FLD_MINUTES,
                     .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_service, minutes),
                     .aliases = "时长|服务时长（分钟）|分钟", .width = 5, .min = 1, .max = 1440},
    [SVF_MODE] = {.column = "mode", .label = "field.visit_mode", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_service, mode),
                  .codes = "visit_mode", .aliases = "服务方式|方式", .width = 4},
    [SVF_CONTENT] = {.column = "content", .label = "field.service_content",
                     .type = FLD_MULTILINE, .flags = FF_REQUIRED | FF_LIST | FF_LEDGER | FF_NOTES,
                     REC_AT(case_service, content), .limit = 2000,
                     .aliases = "服务内容|内容", .width = 20},
    [SVF_GOAL] = {.column = "goal_id", .label = "field.goal", .type = FLD_REF,
                  .flags = FF_LEDGER, REC_AT(case_service, goal_id), .ref = &kind_case_goal,
                  .aliases = "对应目标"},
    [SVF_WORKER] = {.column = "worker_id", .label = "field.worker", .type = FLD_REF,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(case_service, worker_id),
                    .ref = &kind_staff, .aliases = "社工|服务社工", .width = 6},
    [SVF_NEXT_ACTION] = {.column = "next_action", .label = "field.next_action", .type = FLD_TEXT,
                         .flags = FF_LEDGER, REC_AT(case_service, next_action), .limit = 100,
                         .aliases = "下一步|下一步工作"},
    [SVF_NEXT_DATE] = {.column = "next_date", .label = "field.next_date", .type = FLD_DATE,
                       .flags = FF_FUTURE | FF_LEDGER, REC_AT(case_service, next_date),
                       .aliases = "下一步日期"},
    [SVF_PAYMENT] = {.column = "payment_id", .label = "field.service_payment", .type = FLD_REF,
                     .flags = FF_LEDGER, REC_AT(case_service, payment_id), .ref = &kind_payment,
                     .aliases = "给予的资金|资金支出"},
    [SVF_DISTRIBUTION] = {.column = "distribution_id", .label = "field.service_distribution",
                          .type = FLD_REF, .flags = FF_LEDGER,
                          REC_AT(case_service, distribution_id), .ref = &kind_distribution,
                          .aliases = "给予的物资|物资发放"},
};

static struct kind_sql service_sql;
const record_kind kind_case_service = {
    .name = "case_service",
    .table = "case_services",
    .label = "kind.case_service",
    .size = sizeof(case_service),
    .id_offset = offsetof(case_service, id),
    .revision_offset = offsetof(case_service, revision),
    .fields = service_fields,
    .nfields = sizeof service_fields / sizeof service_fields[0],
    .title_field = SVF_DATE,
    .period = "service_date",
    .newest_first = true,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = CASE_PART_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .hooks = {.defaults = service_defaults,
              .validate = service_rules, .before_delete = service_before_delete},
    .sql = &service_sql,
};

/* ---- referrals ---- */

static void referral_defaults(station *st, void *rec)
{
    (void)st;
    referral *r = rec;
    date_today(r->referral_date);
    date_add_days(r->referral_date, 14, r->feedback_due);
    snprintf(r->consent, sizeof r->consent, "given");
}

void referral_init(station *st, referral *r, int64_t resident_id, int64_t case_id)
{
    record_new(st, &kind_referral, r);
    r->resident_id = resident_id;
    r->case_id = case_id;
    if (case_id && !resident_id)
        db_int(station_db(st), "SELECT resident_id FROM cases WHERE id = ?1", case_id,
               &r->resident_id);
}

static ws_status referral_rules(station *st, void *rec, record_error *re)
{
    referral *r = rec;
    db *d = station_db(st);
    if (strcmp(r->agency, "other") == 0 && !r->agency_name[0])
        return record_fail(re, RFF_AGENCY_NAME, VAL_REQUIRED, NULL);
    if (strcmp(r->consent, "override") == 0 && !r->override_reason[0])
        return record_fail(re, RFF_OVERRIDE, VAL_REQUIRED, NULL);
    if (r->feedback_due[0] && strcmp(r->feedback_due, r->referral_date) < 0)
        return record_fail(re, RFF_FEEDBACK_DUE, VAL_BEFORE_DATE, r->referral_date);
    if (r->feedback_date[0] && strcmp(r->feedback_date, r->referral_date) < 0)
        return record_fail(re, RFF_FEEDBACK_DATE, VAL_BEFORE_DATE, r->referral_date);
    if (r->feedback[0] && !r->feedback_date[0])
        return record_fail(re, RFF_FEEDBACK_DATE, VAL_REQUIRED, NULL);
    char birth[16] = "";
    ws_status s = db_text_i64(d, "SELECT coalesce(birth_date, '') FROM residents WHERE id = ?1",
                              r->resident_id, birth, sizeof birth);
    if (s == WS_OK && birth[0] && strcmp(r->referral_date, birth) < 0)
        return record_fail(re, RFF_DATE, VAL_BEFORE_BIRTH, birth);
    if (s == WS_OK && r->case_id) {
        bool same = false;
        s = db_exists_i64(d, "SELECT 1 FROM cases WHERE id = ?1 AND resident_id = ?2",
                          r->case_id, r->resident_id, &same);
        if (s == WS_OK && !same)
            return record_fail(re, RFF_CASE, VAL_OTHER_CASE, NULL);
    }
    return s;
}

static void referral_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const referral *r = rec;
    out[0] = '\0';
    db_text_i64(station_db(st), "SELECT name FROM residents WHERE id = ?1", r->resident_id, out,
                outsz);
}

static const field_def referral_fields[] = {
    [RFF_RESIDENT] = {.column = "resident_id", .label = "field.case_resident", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(referral, resident_id),
                      .ref = &kind_resident, .aliases = "服务对象|姓名", .width = 8},
    [RFF_CASE] = {.column = "case_id", .label = "field.case", .type = FLD_REF,
                  .flags = FF_LEDGER, REC_AT(referral, case_id), .ref = &kind_case,
                  .aliases = "个案编号"},
    [RFF_AGENCY] = {.column = "agency", .label = "field.agency", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(referral, agency),
                    .codes = "agency", .aliases = "转介机构|接收机构", .width = 8},
    [RFF_AGENCY_NAME] = {.column = "agency_name", .label = "field.agency_name",
                         .type = FLD_TEXT, .flags = FF_SEARCH | FF_LEDGER,
                         REC_AT(referral, agency_name), .limit = 60, .aliases = "机构名称"},
    [RFF_REASON] = {.column = "reason", .label = "field.referral_reason",
                    .type = FLD_MULTILINE, .flags = FF_REQUIRED | FF_LEDGER | FF_NOTES,
                    REC_AT(referral, reason), .limit = 1000, .aliases = "转介原因"},
    [RFF_DATE] = {.column = "referral_date", .label = "field.referral_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(referral, referral_date),
                  .aliases = "转介日期|日期", .width = 10},
    [RFF_CONSENT] = {.column = "consent", .label = "field.referral_consent", .type = FLD_CODE,
                     .flags = FF_REQUIRED | FF_LEDGER, REC_AT(referral, consent),
                     .codes = "referral_consent", .aliases = "是否同意"},
    [RFF_OVERRIDE] = {.column = "override_reason", .label = "field.override_reason",
                      .type = FLD_TEXT, .flags = FF_LEDGER, REC_AT(referral, override_reason),
                      .limit = 100, .aliases = "未经同意的理由"},
    [RFF_FEEDBACK_DUE] = {.column = "feedback_due", .label = "field.feedback_due",
                          .type = FLD_DATE, .flags = FF_FUTURE | FF_LIST | FF_LEDGER,
                          REC_AT(referral, feedback_due), .aliases = "反馈期限", .width = 10},
    [RFF_FEEDBACK_DATE] = {.column = "feedback_date", .label = "field.feedback_date",
                           .type = FLD_DATE, .flags = FF_LIST | FF_LEDGER,
                           REC_AT(referral, feedback_date), .aliases = "反馈日期", .width = 10},
    [RFF_FEEDBACK] = {.column = "feedback", .label = "field.feedback", .type = FLD_MULTILINE,
                      .flags = FF_LEDGER | FF_NOTES, REC_AT(referral, feedback), .limit = 1000,
                      .aliases = "反馈情况|回执"},
};

/* 反馈逾期, typed alone: referrals whose feedback is overdue. */
static const record_word referral_words[] = {
    {"case.word_feedback", "feedback_date IS NULL AND feedback_due < ?11"},
    {NULL, NULL},
};

static struct kind_sql referral_sql;
const record_kind kind_referral = {
    .name = "referral",
    .table = "referrals",
    .label = "kind.referral",
    .size = sizeof(referral),
    .id_offset = offsetof(referral, id),
    .revision_offset = offsetof(referral, revision),
    .fields = referral_fields,
    .nfields = sizeof referral_fields / sizeof referral_fields[0],
    .title_field = RFF_DATE,
    .period = "referral_date",
    .newest_first = true,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = "case_id IS NULL OR " CASE_PART_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .words = referral_words,
    .hooks = {.defaults = referral_defaults,
              .validate = referral_rules,
              .search_text = referral_search_text},
    .sql = &referral_sql,
};
