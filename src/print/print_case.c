/* Casework's paper: a case file (个案档案: every stage, the service
 * records, referrals and transitions, signature lines for the worker and
 * the 站长) and a referral (转介单 with a tear-off 回执). Fields come from
 * the kinds' declarations, formatted as the lists show them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/identity.h"
#include "wushe/print.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

#define PRINT_PARTS 500 /* a case's needs, goals, services, referrals printed */

/* One field's text, as the form shows it (full identifiers unless masked). */
typedef struct field_text {
    char v[RECORD_CHANGE_VALUE];
} field_text;

void print_record_fields(station *st, print_doc *doc, const record_kind *k, const void *rec,
                         const int *fields, size_t n, bool masked)
{
    field_text *t = calloc(n ? n : 1, sizeof *t);
    print_field *f = calloc(n ? n : 1, sizeof *f);
    if (!t || !f) {
        free(t);
        free(f);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const field_def *fd = &k->fields[fields[i]];
        record_format(st, k, fields[i], rec, masked, t[i].v, sizeof t[i].v);
        f[i] = (print_field){tr(fd->label), t[i].v, fd->type == FLD_MULTILINE};
    }
    print_fields(doc, 4, f, n);
    free(t);
    free(f);
}

/* The living records of one case of kind k (their ids, oldest first). */
static ws_status case_part_ids(station *st, const record_kind *k, int field, int64_t case_id,
                               int64_t **ids, size_t *n)
{
    record_row *rows = calloc(PRINT_PARTS, sizeof *rows);
    *ids = calloc(PRINT_PARTS, sizeof **ids);
    *n = 0;
    if (!rows || !*ids) {
        free(rows);
        return WS_ERR_NOMEM;
    }
    record_parent p = {.field = field, .id = case_id};
    ws_status s = record_list_in(st, k, &p, NULL, false, 0, k->newest_first ? -1 : 1, rows,
                                 PRINT_PARTS, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++)
        (*ids)[i] = rows[i].id;
    free(rows);
    return s;
}

/* A table of the parts of a case: one row per record, the given fields. */
static ws_status case_part_table(station *st, print_doc *doc, const record_kind *k,
                                 int parent_field, int64_t case_id, const int *fields,
                                 const double *widths, size_t ncols, const char *none_key)
{
    int64_t *ids = NULL;
    size_t n = 0;
    ws_status s = case_part_ids(st, k, parent_field, case_id, &ids, &n);
    void *rec = malloc(k->size);
    field_text *t = calloc(ncols, sizeof *t);
    if (s == WS_OK && (!rec || !t))
        s = WS_ERR_NOMEM;
    if (s == WS_OK && n == 0) {
        print_paragraph(doc, tr(none_key));
    } else if (s == WS_OK) {
        print_column cols[8];
        for (size_t c = 0; c < ncols && c < 8; c++)
            cols[c] = (print_column){tr(k->fields[fields[c]].label), widths[c], PRINT_LEFT};
        print_table(doc, cols, ncols, 0);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            s = record_load(st, k, ids[i], rec);
            const char *cells[8];
            for (size_t c = 0; s == WS_OK && c < ncols && c < 8; c++) {
                record_format(st, k, fields[c], rec, false, t[c].v, sizeof t[c].v);
                cells[c] = t[c].v;
            }
            if (s == WS_OK)
                print_row(doc, cells);
        }
    }
    free(t);
    free(rec);
    free(ids);
    return s;
}

/* The tasks under every goal of the case, one table. */
static void case_tasks_table(station *st, print_doc *doc, int64_t case_id)
{
    int64_t *goals = NULL;
    size_t ngoals = 0;
    if (case_part_ids(st, &kind_case_goal, CGF_CASE, case_id, &goals, &ngoals) != WS_OK) {
        free(goals);
        return;
    }
    static const int cols[] = {CTF_GOAL, CTF_TASK, CTF_WHO, CTF_DUE, CTF_DONE};
    print_column pc[] = {
        {tr("field.goal"), 0, PRINT_LEFT},    {tr("field.task"), 0, PRINT_LEFT},
        {tr("field.goal_who"), 6, PRINT_LEFT}, {tr("field.due_date"), 6, PRINT_LEFT},
        {tr("field.done_date"), 6, PRINT_LEFT},
    };
    field_text *t = calloc(5, sizeof *t);
    case_task task;
    size_t rows = 0;
    for (size_t g = 0; t && g < ngoals; g++) {
        int64_t *ids = NULL;
        size_t n = 0;
        if (case_part_ids(st, &kind_case_task, CTF_GOAL, goals[g], &ids, &n) == WS_OK)
            for (size_t i = 0; i < n; i++) {
                if (record_load(st, &kind_case_task, ids[i], &task) != WS_OK)
                    continue;
                if (rows++ == 0)
                    print_table(doc, pc, 5, 0);
                const char *cells[5];
                for (size_t c = 0; c < 5; c++) {
                    record_format(st, &kind_case_task, cols[c], &task, false, t[c].v,
                                  sizeof t[c].v);
                    cells[c] = t[c].v;
                }
                print_row(doc, cells);
            }
        free(ids);
    }
    if (!rows)
        print_paragraph(doc, tr("print.case_no_tasks"));
    free(t);
    free(goals);
}

static void case_transitions_table(station *st, print_doc *doc, int64_t case_id)
{
    case_transition *tr_ = calloc(PRINT_PARTS, sizeof *tr_);
    size_t n = 0;
    if (!tr_ || case_transitions(st, case_id, tr_, PRINT_PARTS, &n) != WS_OK) {
        free(tr_);
        return;
    }
    print_column cols[] = {
        {tr("case.col_at"), 8, PRINT_LEFT},    {tr("case.col_who"), 5, PRINT_LEFT},
        {tr("case.col_move"), 13, PRINT_LEFT}, {tr("case.col_reason"), 0, PRINT_LEFT},
    };
    print_table(doc, cols, 4, 0);
    const codebook *cb = station_codes(st);
    for (size_t i = 0; i < n; i++) {
        const code_item *fs = codebook_find(cb, "case_stage", tr_[i].from_stage);
        const code_item *ts = codebook_find(cb, "case_stage", tr_[i].to_stage);
        const code_item *tu = codebook_find(cb, "case_status", tr_[i].to_status);
        char move[128];
        snprintf(move, sizeof move, "%s%s%s（%s）", fs ? code_label(fs, 0) : "", fs ? "→" : "",
                 ts ? code_label(ts, 0) : "", tu ? code_label(tu, 0) : "");
        const char *cells[] = {tr_[i].at, tr_[i].who, move, tr_[i].reason};
        print_row(doc, cells);
    }
    free(tr_);
}

static print_doc *case_doc_new(station *st, const char *title_key)
{
    return print_station_doc(st, tr(title_key), NULL, PRINT_PORTRAIT);
}

static void case_sections(station *st, print_doc *doc, const casefile *c)
{
    static const int head[] = {CSF_NUMBER, CSF_RESIDENT, CSF_STAGE, CSF_STATUS, CSF_OPENED,
                               CSF_RISK, CSF_WORKER, CSF_CO_WORKER};
    static const int intake[] = {CSF_SOURCE, CSF_CATEGORIES, CSF_CONSENT_DATE, CSF_CONSENT_BY,
                                 CSF_CONSENT_REF, CSF_NO_CONSENT, CSF_PROBLEM};
    static const int assess[] = {CSF_STRENGTHS, CSF_SUPPORT, CSF_RISKS};
    static const int eval[] = {CSF_PERSON_VIEW, CSF_SUMMARY};
    static const int close[] = {CSF_CLOSE_REASON, CSF_CLOSE_DATE, CSF_FOLLOWUP,
                                CSF_NEXT_ACTION, CSF_CLOSE_SUMMARY};
    print_record_fields(st, doc, &kind_case, c, head, sizeof head / sizeof *head, false);
    print_heading(doc, tr("print.case_sec_intake"));
    print_record_fields(st, doc, &kind_case, c, intake, sizeof intake / sizeof *intake, false);
    print_heading(doc, tr("print.case_sec_assessment"));
    static const int need_cols[] = {CNF_AREA, CNF_SEVERITY, CNF_NOTE};
    static const double need_w[] = {7, 5, 0};
    case_part_table(st, doc, &kind_case_need, CNF_CASE, c->id, need_cols, need_w, 3,
                    "print.case_none");
    print_record_fields(st, doc, &kind_case, c, assess, sizeof assess / sizeof *assess, false);
    print_heading(doc, tr("print.case_sec_plan"));
    static const int goal_cols[] = {CGF_GOAL, CGF_TARGET, CGF_DUE, CGF_WHO};
    static const double goal_w[] = {0, 0, 6, 6};
    case_part_table(st, doc, &kind_case_goal, CGF_CASE, c->id, goal_cols, goal_w, 4,
                    "print.case_none");
    case_tasks_table(st, doc, c->id);
    print_heading(doc, tr("print.case_sec_intervention"));
    static const int svc_cols[] = {SVF_DATE, SVF_MINUTES, SVF_MODE, SVF_WORKER, SVF_CONTENT};
    static const double svc_w[] = {6, 5, 3, 4, 0};
    case_part_table(st, doc, &kind_case_service, SVF_CASE, c->id, svc_cols, svc_w, 5,
                    "print.case_none");
    print_heading(doc, tr("print.case_sec_evaluation"));
    static const int out_cols[] = {CGF_GOAL, CGF_OUTCOME, CGF_NOTE};
    static const double out_w[] = {0, 5, 0};
    case_part_table(st, doc, &kind_case_goal, CGF_CASE, c->id, out_cols, out_w, 3,
                    "print.case_none");
    print_record_fields(st, doc, &kind_case, c, eval, sizeof eval / sizeof *eval, false);
    print_heading(doc, tr("print.case_sec_closure"));
    print_record_fields(st, doc, &kind_case, c, close, sizeof close / sizeof *close, false);
    print_heading(doc, tr("print.case_sec_referrals"));
    static const int ref_cols[] = {RFF_DATE, RFF_AGENCY, RFF_REASON, RFF_FEEDBACK_DATE,
                                   RFF_FEEDBACK};
    static const double ref_w[] = {6, 6, 0, 6, 0};
    case_part_table(st, doc, &kind_referral, RFF_CASE, c->id, ref_cols, ref_w, 5,
                    "print.case_none");
    print_heading(doc, tr("print.case_sec_transitions"));
    case_transitions_table(st, doc, c->id);
    const char *labels[] = {tr("print.sign_worker"), tr("print.sign_director"),
                            tr("print.sign_date")};
    print_space(doc, 8);
    print_signatures(doc, labels, 3);
}

static ws_status print_fail(ws_status s, char *err, size_t errsz)
{
    snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

ws_status print_case(station *st, int64_t id, const char *path, int *pages, char *err,
                     size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    casefile *c = malloc(sizeof *c);
    if (s == WS_OK && !c)
        s = WS_ERR_NOMEM;
    if (s == WS_OK)
        s = record_load(st, &kind_case, id, c); /* the case's permissions and scope */
    print_doc *doc = s == WS_OK ? case_doc_new(st, "print.case_title") : NULL;
    if (s == WS_OK && !doc)
        s = WS_ERR_NOMEM;
    if (s == WS_OK)
        case_sections(st, doc, c);
    if (s == WS_OK)
        s = print_log(st, "case", "cases", id, path, false);
    if (s == WS_OK)
        s = print_doc_write(doc, path, pages, err, errsz);
    else
        print_fail(s, err, errsz);
    print_doc_free(&doc);
    free(c);
    return s;
}

ws_status print_referral(station *st, int64_t id, const char *path, int *pages, char *err,
                         size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    referral r;
    resident p;
    if (s == WS_OK)
        s = record_load(st, &kind_referral, id, &r);
    if (s == WS_OK)
        s = resident_load(st, r.resident_id, &p); /* masked for who may not see them */
    print_doc *doc = s == WS_OK ? case_doc_new(st, "print.referral_title") : NULL;
    if (s == WS_OK && !doc)
        s = WS_ERR_NOMEM;
    if (s != WS_OK) {
        print_doc_free(&doc);
        return print_fail(s, err, errsz);
    }
    char age[16] = "", agency[256];
    int years = p.birth_date[0] ? date_age(p.birth_date, NULL) : -1;
    if (years >= 0)
        snprintf(age, sizeof age, "%d", years);
    record_format(st, &kind_referral, RFF_AGENCY, &r, false, agency, sizeof agency);
    if (r.agency_name[0]) {
        size_t used = strlen(agency);
        snprintf(agency + used, sizeof agency - used, "（%s）", r.agency_name);
    }
    char consent[128], number[64] = "";
    record_format(st, &kind_referral, RFF_CONSENT, &r, false, consent, sizeof consent);
    if (r.case_id)
        record_title(st, &kind_case, r.case_id, number, sizeof number);
    print_field f[] = {
        {tr("field.name"), p.name, false},           {tr("print.col_age"), age, false},
        {tr("field.phone"), p.phone, false},         {tr("field.case_number"), number, false},
        {tr("field.address"), p.address, true},      {tr("field.agency"), agency, false},
        {tr("field.referral_date"), r.referral_date, false},
        {tr("field.referral_consent"), consent, false},
        {tr("field.feedback_due"), r.feedback_due, false},
        {tr("field.override_reason"), r.override_reason, true},
        {tr("field.referral_reason"), r.reason, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
    const char *sign[] = {tr("print.sign_referrer"), tr("print.sign_station"),
                          tr("print.sign_date")};
    print_space(doc, 6);
    print_signatures(doc, sign, 3);
    /* The receipt the agency sends back. */
    print_tear_off(doc, tr("print.receipt"));
    print_heading(doc, tr("print.receipt_title"));
    print_field rf[] = {
        {tr("field.name"), p.name, false},       {tr("field.case_number"), number, false},
        {tr("field.agency"), agency, false},     {tr("field.referral_date"), r.referral_date, false},
    };
    print_fields(doc, 4, rf, sizeof rf / sizeof *rf);
    print_column result = {tr("print.receipt_result"), 0, PRINT_LEFT};
    print_table(doc, &result, 1, 10);
    print_blank_rows(doc, 4);
    const char *sign2[] = {tr("print.sign_receiver"), tr("print.sign_date")};
    print_space(doc, 6);
    print_signatures(doc, sign2, 2);
    s = print_log(st, "referral", "referrals", id, path, !station_can(st, PERM_IDS_FULL));
    if (s == WS_OK)
        s = print_doc_write(doc, path, pages, err, errsz);
    else
        print_fail(s, err, errsz);
    print_doc_free(&doc);
    return s;
}

/* A case by its number (or row id), as a script names it. */
ws_status print_find_case(station *st, const char *key, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_CASE_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM cases WHERE (number = ?1 OR CAST(id AS TEXT)"
                                    " = ?1) AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}
