/* Cases (个案): the field table of kind_case, its number, and the rules no
 * table can state. The stage and the status are not typed: they move
 * through case_move_do (case_stage.c), each move its own row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "casework_internal.h"
#include "station_internal.h"
#include "wushe/casework.h"
#include "wushe/identity.h"
#include "wushe/resident.h"

static void case_defaults(station *st, void *rec)
{
    casefile *c = rec;
    snprintf(c->stage, sizeof c->stage, "intake");
    snprintf(c->status, sizeof c->status, "open");
    date_today(c->opened_date);
    snprintf(c->risk, sizeof c->risk, "low");
    const account *a = station_account(st);
    c->worker_id = a ? a->id : 0;
}

void case_init(station *st, casefile *c, int64_t resident_id)
{
    record_new(st, &kind_case, c);
    c->resident_id = resident_id;
}

ws_status case_init_from_visit(station *st, casefile *c, int64_t visit_id)
{
    visit v;
    ws_status s = record_load(st, &kind_visit, visit_id, &v);
    if (s != WS_OK)
        return s;
    case_init(st, c, v.resident_id);
    c->visit_id = v.id;
    snprintf(c->source, sizeof c->source, "outreach");
    snprintf(c->problem, sizeof c->problem, "%s", v.findings);
    if (strcmp(v.risk, "none") != 0)
        snprintf(c->risk, sizeof c->risk, "%s", v.risk);
    return WS_OK;
}

/* The station's code in case numbers: its division code (a township's
 * nine digits when the village part is 000), else "WS". */
static void case_station_code(station *st, char *out, size_t outsz)
{
    station_division_code(st, out, outsz);
    size_t n = strlen(out);
    if (n == 12 && strcmp(out + 9, "000") == 0)
        out[9] = '\0';
    if (!out[0])
        snprintf(out, outsz, "WS");
}

static ws_status case_number_set(db *d, int64_t year, int64_t n)
{
    sqlite3_stmt *q = db_prepare(d, "INSERT INTO case_numbers(year, last) VALUES (?1, ?2)"
                                    " ON CONFLICT(year) DO UPDATE SET last = excluded.last");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, year);
    sqlite3_bind_int64(q, 2, n);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The year's next number, taken (inside the save's transaction: a number
 * once given is never given again, also when the case is voided). */
static ws_status case_number_take(station *st, const char *date, char *out, size_t outsz,
                                  bool take)
{
    db *d = station_db(st);
    int64_t year = atoi(date), last = 0;
    ws_status s = db_int(d, "SELECT coalesce((SELECT last FROM case_numbers WHERE year = ?1), 0)",
                         year, &last);
    char code[24];
    case_station_code(st, code, sizeof code);
    /* A number an import brought may be taken already: go on past it. */
    for (int64_t n = last + 1; s == WS_OK; n++) {
        snprintf(out, outsz, "%s-%04lld-%04lld", code, (long long)year, (long long)n);
        bool used = false;
        s = db_exists_text(d, "SELECT 1 FROM cases WHERE number = ?1", out, 0, &used);
        if (s == WS_OK && !used) {
            if (take)
                s = case_number_set(d, year, n);
            break;
        }
    }
    return s;
}

ws_status case_number_next(station *st, char *out, size_t outsz)
{
    char today[11];
    date_today(today);
    return case_number_take(st, today, out, outsz, false);
}

/* Whether an account may be a case's worker: a 社工 or a 站长 in use. */
static ws_status case_worker_ok(db *d, int64_t id, bool *ok)
{
    return db_exists_i64(d, "SELECT 1 FROM accounts WHERE id = ?1 AND active = '1' AND role IN"
                            " ('worker', 'director') AND ?2 = ?2", id, 0, ok);
}

static ws_status case_rules(station *st, void *rec, record_error *re)
{
    casefile *c = rec;
    db *d = station_db(st);
    /* A closed or voided case is kept as it was: reopen it first. */
    if (c->id) {
        char status[16] = "";
        ws_status s = db_text_i64(d, "SELECT status FROM cases WHERE id = ?1", c->id, status,
                                  sizeof status);
        if (s != WS_OK)
            return s;
        if (strcmp(status, "closed") == 0 || strcmp(status, "void") == 0) {
            const code_item *it = codebook_find(station_codes(st), "case_status", status);
            return record_fail(re, -1, VAL_CASE_LOCKED, it ? code_label(it, 0) : status);
        }
    }
    char birth[16] = "";
    ws_status s = db_text_i64(d, "SELECT coalesce(birth_date, '') FROM residents WHERE id = ?1",
                              c->resident_id, birth, sizeof birth);
    if (s != WS_OK)
        return s;
    if (birth[0] && strcmp(c->opened_date, birth) < 0)
        return record_fail(re, CSF_OPENED, VAL_BEFORE_BIRTH, birth);
    if (c->consent_date[0] && strcmp(c->consent_date, birth) < 0)
        return record_fail(re, CSF_CONSENT_DATE, VAL_BEFORE_BIRTH, birth);
    bool ok = false;
    if ((s = case_worker_ok(d, c->worker_id, &ok)) != WS_OK)
        return s;
    if (!ok)
        return record_fail(re, CSF_WORKER, VAL_NOT_WORKER, NULL);
    if (c->co_worker_id) {
        if (c->co_worker_id == c->worker_id)
            return record_fail(re, CSF_CO_WORKER, VAL_SAME_WORKER, NULL);
        if ((s = case_worker_ok(d, c->co_worker_id, &ok)) != WS_OK)
            return s;
        if (!ok)
            return record_fail(re, CSF_CO_WORKER, VAL_NOT_WORKER, NULL);
    }
    if (c->close_date[0] && strcmp(c->close_date, c->opened_date) < 0)
        return record_fail(re, CSF_CLOSE_DATE, VAL_BEFORE_DATE, c->opened_date);
    return WS_OK;
}

/* A new case gets its number, 接案 and 进行中; a saved one keeps its
 * stage and status as stored (only case_move_do moves them). */
static ws_status case_before_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    casefile *c = rec;
    db *d = station_db(st);
    if (!insert) {
        ws_status s = db_text_i64(d, "SELECT stage FROM cases WHERE id = ?1", c->id, c->stage,
                                  sizeof c->stage);
        if (s == WS_OK)
            s = db_text_i64(d, "SELECT status FROM cases WHERE id = ?1", c->id, c->status,
                            sizeof c->status);
        if (s == WS_OK)
            s = db_text_i64(d, "SELECT number FROM cases WHERE id = ?1", c->id, c->number,
                            sizeof c->number);
        return s;
    }
    snprintf(c->stage, sizeof c->stage, "intake");
    snprintf(c->status, sizeof c->status, "open");
    c->followup_date[0] = '\0';
    if (c->number[0]) {
        bool used = false;
        ws_status s = db_exists_text(d, "SELECT 1 FROM cases WHERE number = ?1", c->number, 0,
                                     &used);
        if (s != WS_OK || !used)
            return s; /* a number an import brought */
    }
    return case_number_take(st, c->opened_date, c->number, sizeof c->number, true);
}

/* Its first transition: opened at 接案. */
static ws_status case_after_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    if (!insert)
        return WS_OK;
    return case_transition_write(st, ((casefile *)rec)->id, "", "intake", "", "open", "");
}

/* The search box finds a case by the person's name, and narrows the list
 * by its stage, status, risk, worker or community typed as the list shows
 * them (介入, 待审批, 高, 李芳, 柳河社区). */
static void case_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const casefile *c = rec;
    db *d = station_db(st);
    char name[192] = "", worker[96] = "", place[192] = "";
    if (c->resident_id) {
        db_text_i64(d, "SELECT name FROM residents WHERE id = ?1", c->resident_id, name,
                    sizeof name);
        db_text_i64(d, "SELECT coalesce((SELECT name FROM communities WHERE id ="
                       " residents.community_id), '') FROM residents WHERE id = ?1",
                    c->resident_id, place, sizeof place);
    }
    if (c->worker_id)
        db_text_i64(d, "SELECT display_name FROM accounts WHERE id = ?1", c->worker_id, worker,
                    sizeof worker);
    const codebook *cb = station_codes(st);
    const code_item *sg = codebook_find(cb, "case_stage", c->stage);
    const code_item *su = codebook_find(cb, "case_status", c->status);
    const code_item *rk = codebook_find(cb, "risk_level", c->risk);
    snprintf(out, outsz, "%s %s %s %s %s %s", name, sg ? sg->zh_CN : "", su ? su->zh_CN : "",
             rk && strcmp(c->risk, "none") ? rk->zh_CN : "", worker, place);
}

/* A case is never deleted: a mistake is voided, with its reason. */
static ws_status case_never_deleted(station *st, int64_t id, record_error *re)
{
    (void)st;
    (void)id;
    return record_fail(re, -1, VAL_CASE_NO_DELETE, NULL);
}

#define CASE_NOTE(col, lbl, member, lim, al)                                               \
    {.column = col, .label = lbl, .type = FLD_MULTILINE, .flags = FF_LEDGER | FF_NOTES,   \
     REC_AT(casefile, member), .limit = lim, .aliases = al}

static const field_def case_fields[] = {
    [CSF_NUMBER] = {.column = "number", .label = "field.case_number", .type = FLD_TEXT,
                    .flags = FF_NO_FORM | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(casefile, number), .limit = 32, .aliases = "个案编号|案号|编号",
                    .width = 19},
    [CSF_RESIDENT] = {.column = "resident_id", .label = "field.case_resident", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(casefile, resident_id),
                      .ref = &kind_resident, .aliases = "服务对象|案主|姓名", .width = 8},
    [CSF_VISIT] = {.column = "visit_id", .label = "field.case_visit", .type = FLD_REF,
                   .flags = FF_NO_FORM, REC_AT(casefile, visit_id), .ref = &kind_visit},
    [CSF_STAGE] = {.column = "stage", .label = "field.case_stage", .type = FLD_CODE,
                   .flags = FF_NO_FORM | FF_LIST | FF_LEDGER, REC_AT(casefile, stage),
                   .codes = "case_stage", .aliases = "阶段", .width = 4},
    [CSF_STATUS] = {.column = "status", .label = "field.case_status", .type = FLD_CODE,
                    .flags = FF_NO_FORM | FF_LIST | FF_LEDGER, REC_AT(casefile, status),
                    .codes = "case_status", .aliases = "状态", .width = 6},
    [CSF_OPENED] = {.column = "opened_date", .label = "field.case_opened", .type = FLD_DATE,
                    .flags = FF_REQUIRED | FF_LEDGER, REC_AT(casefile, opened_date),
                    .aliases = "接案日期|开案日期"},
    [CSF_SOURCE] = {.column = "source", .label = "field.case_source", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LEDGER, REC_AT(casefile, source),
                    .codes = "case_source",
                    .aliases = "来源|案主来源"},
    [CSF_CATEGORIES] = {.column = "categories", .label = "field.case_categories",
                        .type = FLD_CODES, .flags = FF_REQUIRED | FF_LEDGER,
                        REC_AT(casefile, categories),
                        .codes = "case_category", .aliases = "问题类别|类别"},
    /* An intake says where the case came from and what it is about: a
     * case saved without them has a number that can never be freed. */
    [CSF_PROBLEM] = {.column = "problem", .label = "field.case_problem", .type = FLD_MULTILINE,
                     .flags = FF_REQUIRED | FF_LEDGER | FF_NOTES, REC_AT(casefile, problem),
                     .limit = 2000, .aliases = "主要问题|问题描述|求助问题"},
    [CSF_RISK] = {.column = "risk", .label = "field.risk", .type = FLD_CODE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(casefile, risk), .codes = "risk_level",
                  .aliases = "风险|风险等级", .width = 4},
    [CSF_WORKER] = {.column = "worker_id", .label = "field.case_worker", .type = FLD_REF,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(casefile, worker_id),
                    .ref = &kind_staff, .aliases = "负责社工|社工|主责社工", .width = 6},
    [CSF_CO_WORKER] = {.column = "co_worker_id", .label = "field.co_worker", .type = FLD_REF,
                       .flags = FF_LEDGER, REC_AT(casefile, co_worker_id), .ref = &kind_staff,
                       .aliases = "协办社工"},
    [CSF_CONSENT_DATE] = {.column = "consent_date", .label = "field.case_consent_date",
                          .type = FLD_DATE, .flags = FF_LEDGER,
                          REC_AT(casefile, consent_date), .aliases = "同意日期|知情同意日期"},
    [CSF_CONSENT_BY] = {.column = "consent_by", .label = "field.consent_giver", .type = FLD_CODE,
                        .flags = FF_LEDGER, REC_AT(casefile, consent_by),
                        .codes = "consent_giver", .aliases = "同意人"},
    [CSF_CONSENT_REF] = {.column = "consent_ref", .label = "field.consent_reference",
                         .type = FLD_TEXT, .flags = FF_LEDGER, REC_AT(casefile, consent_ref),
                         .limit = 40, .aliases = "同意书编号"},
    [CSF_NO_CONSENT] = {.column = "no_consent", .label = "field.case_no_consent",
                        .type = FLD_TEXT, .flags = FF_LEDGER, REC_AT(casefile, no_consent),
                        .limit = 100, .aliases = "未同意原因"},
    [CSF_STRENGTHS] = CASE_NOTE("strengths", "field.case_strengths", strengths, 1000,
                                "优势与资源"),
    [CSF_SUPPORT] = CASE_NOTE("support", "field.case_support", support, 1000,
                              "家庭和社会支持"),
    [CSF_RISKS] = CASE_NOTE("risks", "field.case_risks", risks, 1000, "风险评估"),
    [CSF_PERSON_VIEW] = CASE_NOTE("person_view", "field.case_person_view", person_view, 1000,
                                  "服务对象意见"),
    [CSF_SUMMARY] = CASE_NOTE("summary", "field.case_summary", summary, 1000, "社工总结"),
    [CSF_CLOSE_REASON] = {.column = "close_reason", .label = "field.close_reason",
                          .type = FLD_CODE, .flags = FF_LEDGER, REC_AT(casefile, close_reason),
                          .codes = "close_reason", .aliases = "结案原因"},
    [CSF_CLOSE_SUMMARY] = CASE_NOTE("close_summary", "field.close_summary", close_summary, 1000,
                                    "结案小结"),
    [CSF_CLOSE_DATE] = {.column = "close_date", .label = "field.close_date", .type = FLD_DATE,
                        .flags = FF_LEDGER, REC_AT(casefile, close_date), .aliases = "结案日期"},
    [CSF_NEXT_ACTION] = {.column = "next_action", .label = "field.next_action", .type = FLD_TEXT,
                         .flags = FF_LEDGER, REC_AT(casefile, next_action), .limit = 100,
                         .aliases = "下一步|下一步工作"},
    [CSF_NEXT_DATE] = {.column = "next_date", .label = "field.next_date", .type = FLD_DATE,
                       .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(casefile, next_date),
                       .aliases = "下一步日期", .width = 10},
    [CSF_FOLLOWUP] = {.column = "followup_date", .label = "field.followup_date",
                      .type = FLD_DATE, .flags = FF_NO_FORM | FF_FUTURE | FF_LEDGER,
                      REC_AT(casefile, followup_date), .aliases = "回访日期"},
};

/* Typed alone into the cases list's search box: open cases whose next
 * action (the latest service record's, else the case's own) is overdue;
 * closed cases whose follow-up visit is due. */
static const record_word case_words[] = {
    {"case.word_overdue",
     "status = 'open' AND coalesce((SELECT s.next_date FROM case_services s WHERE"
     " s.case_id = cases.id AND s.deleted_at IS NULL AND s.next_date IS NOT NULL ORDER BY"
     " s.service_date DESC, s.id DESC LIMIT 1), next_date) < ?11"},
    {"case.word_followup", "status = 'closed' AND followup_date <= ?11"},
    {NULL, NULL},
};

static struct kind_sql case_sql;
const record_kind kind_case = {
    .name = "case",
    .table = "cases",
    .label = "kind.case",
    .size = sizeof(casefile),
    .id_offset = offsetof(casefile, id),
    .revision_offset = offsetof(casefile, revision),
    .fields = case_fields,
    .nfields = sizeof case_fields / sizeof case_fields[0],
    .title_field = CSF_NUMBER,
    .period = "opened_date",
    .newest_first = true,
    .read_perm = PERM_CASE_READ,
    .write_perm = PERM_CASE_WRITE,
    .scope = CASE_SCOPE,
    .scope_all = PERM_CASE_ALL,
    .log_open = true,
    .words = case_words,
    .hooks = {.defaults = case_defaults,
              .validate = case_rules,
              .before_write = case_before_write,
              .after_write = case_after_write,
              .search_text = case_search_text,
              .before_delete = case_never_deleted},
    .sql = &case_sql,
};
