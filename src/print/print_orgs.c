/* A project's closing sheet (结项): the project, its indicators target
 * against actual (counted from its linked activities), the activities
 * held, the money received and spent from its fund, the evaluation and
 * signature lines. In the access log before the file is written. */
#include "print_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/orgs.h"
#include "wushe/record.h"
#include "wushe/resources.h"

#define PROJECT_LINES 500 /* activities and custom indicators on a sheet */

static print_doc *project_doc_new(station *st)
{
    return print_station_doc(st, tr("print.project_title"), NULL, PRINT_PORTRAIT);
}

/* Target, actual and rate, as the model words them. */
static void project_indicator_row(print_doc *doc, const char *label, const char *target,
                                  const char *actual, const char *rate)
{
    const char *cells[] = {label, target, actual, rate};
    print_row(doc, cells);
}

static void project_indicators(station *st, print_doc *doc, const project *p,
                               const project_actuals *pa)
{
    static const print_column cols[] = {{NULL, 0, PRINT_LEFT}, {NULL, 7, PRINT_RIGHT},
                                        {NULL, 7, PRINT_RIGHT}, {NULL, 5, PRINT_RIGHT}};
    print_column c[4];
    memcpy(c, cols, sizeof c);
    c[0].label = tr("org.col_indicator");
    c[1].label = tr("org.col_target");
    c[2].label = tr("org.col_actual");
    c[3].label = tr("org.col_rate");
    print_table(doc, c, 4, 0);
    project_result lines[PROJECT_RESULTS];
    project_results(p, pa, lines);
    for (size_t i = 0; i < PROJECT_RESULTS; i++)
        if (!lines[i].money)
            project_indicator_row(doc, tr(lines[i].label_key), lines[i].target,
                                  lines[i].actual, lines[i].rate);
    /* Custom indicators: as recorded. */
    record_row *rows = print_alloc(PROJECT_LINES * sizeof *rows);
    size_t n = 0;
    record_parent parent = {.field = PIF_PROJECT, .id = p->id};
    if (record_list_in(st, &kind_project_indicator, &parent, "", false, 0, 1, rows,
                       PROJECT_LINES, &n) != WS_OK)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        project_indicator pi;
        if (record_load(st, &kind_project_indicator, rows[i].id, &pi) != WS_OK)
            continue;
        char label[192];
        snprintf(label, sizeof label, "%s%s%s%s", pi.name, pi.unit[0] ? "（" : "", pi.unit,
                 pi.unit[0] ? "）" : "");
        project_result r;
        project_indicator_result(&pi, &r);
        project_indicator_row(doc, label, r.target, r.actual, r.rate);
    }
    free(rows);
}

static void project_activities(station *st, print_doc *doc, int64_t project_id)
{
    static const print_column cols[] = {{NULL, 0, PRINT_LEFT}, {NULL, 6, PRINT_LEFT},
                                        {NULL, 4, PRINT_RIGHT}, {NULL, 4, PRINT_RIGHT},
                                        {NULL, 4, PRINT_RIGHT}};
    print_column c[5];
    memcpy(c, cols, sizeof c);
    c[0].label = tr("field.activity_title");
    c[1].label = tr("org.col_last");
    c[2].label = tr("org.col_sessions");
    c[3].label = tr("org.col_people");
    c[4].label = tr("org.col_times");
    record_row *rows = print_alloc(PROJECT_LINES * sizeof *rows);
    size_t n = 0;
    record_parent parent = {.field = AF_PROJECT, .id = project_id};
    if (record_list_in(st, &kind_activity, &parent, "", false, 0, 1, rows, PROJECT_LINES, &n) !=
        WS_OK)
        n = 0;
    if (n == 0) {
        print_paragraph(doc, tr("print.case_none"));
        free(rows);
        return;
    }
    print_table(doc, c, 5, 0);
    for (size_t i = 0; i < n; i++) {
        activity_counts ac;
        char last[16] = "", sessions[16], people[16], times[16], title[256] = "";
        if (activity_counts_get(st, rows[i].id, "", "", &ac) != WS_OK)
            continue;
        record_title(st, &kind_activity, rows[i].id, title, sizeof title);
        db_text_i64(station_db(st), "SELECT coalesce(max(session_date), '') FROM"
                                    " activity_sessions WHERE activity_id = ?1"
                                    " AND deleted_at IS NULL", rows[i].id, last, sizeof last);
        snprintf(sessions, sizeof sessions, "%lld", (long long)ac.sessions);
        snprintf(people, sizeof people, "%lld", (long long)ac.people);
        snprintf(times, sizeof times, "%lld", (long long)ac.person_times);
        const char *cells[] = {title, last, sessions, people, times};
        print_row(doc, cells);
    }
    free(rows);
}

ws_status print_project(station *st, int64_t id, const char *path, int *pages, char *err,
                        size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    project p;
    project_actuals pa;
    if (s == WS_OK)
        s = record_load(st, &kind_project, id, &p);
    if (s == WS_OK)
        s = project_actuals_get(st, id, &pa);
    print_doc *doc = s == WS_OK ? project_doc_new(st) : NULL;
    if (s == WS_OK) {
        static const int head[] = {PJF_NUMBER, PJF_TITLE, PJF_KIND, PJF_FUNDER, PJF_AMOUNT,
                                   PJF_STATUS, PJF_START, PJF_END, PJF_FUND, PJF_ORG};
        /* Carried out by the station itself: its name, not an empty cell. */
        size_t nhead = sizeof head / sizeof *head - (p.org_id ? 0 : 1);
        print_record_fields(st, doc, &kind_project, &p, head, nhead, false);
        if (!p.org_id) {
            char name[256];
            station_name(st, name, sizeof name);
            print_field f[] = {{tr("field.project_org"), name, true}};
            print_fields(doc, 4, f, 1);
        }
        print_heading(doc, tr("print.project_sec_indicators"));
        project_indicators(st, doc, &p, &pa);
        print_heading(doc, tr("print.project_sec_activities"));
        project_activities(st, doc, id);
        print_heading(doc, tr("print.project_sec_money"));
        char amount[32], in[32], out[32], left[32];
        res_yuan(p.amount, amount, sizeof amount);
        res_yuan(pa.money_in, in, sizeof in);
        res_yuan(pa.money_out, out, sizeof out);
        res_yuan(pa.money_in - pa.money_out, left, sizeof left);
        print_field f[] = {{tr("field.project_amount"), amount, false},
                           {tr("org.money_in"), in, false},
                           {tr("org.money_out"), out, false},
                           {tr("org.money_left"), left, false}};
        print_fields(doc, 4, f, 4);
        if (!p.fund_id)
            print_paragraph(doc, tr("print.project_no_fund"));
        print_heading(doc, tr("print.project_sec_evaluation"));
        print_paragraph(doc, p.evaluation[0] ? p.evaluation : tr("print.case_none"));
        const char *labels[] = {tr("print.project_sign_org"), tr("print.sign_director"),
                                tr("print.sign_date")};
        print_space(doc, 8);
        print_signatures(doc, labels, 3);
    }
    if (s == WS_OK)
        s = print_log(st, "project", "projects", id, path, false);
    if (s == WS_OK)
        s = print_doc_write(doc, path, pages, err, errsz);
    else if (!err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    print_doc_free(&doc);
    return s;
}
