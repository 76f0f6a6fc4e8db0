/* The paper of charitable resources: a distribution's 签领表 and the 公示
 * notice (print_resources.h), on the print module's blocks. */
#include "wushe/print_resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/print.h"
#include "wushe/resources.h"
#include "wushe/validate.h"

static print_doc *res_doc_new(station *st, const char *title, const char *note_extra)
{
    return print_station_doc(st, title, note_extra, PRINT_PORTRAIT);
}

static ws_status res_print_allowed(station *st, char *err, size_t errsz)
{
    ws_status s = station_require(st, PERM_EXPORT);
    if (s == WS_OK)
        s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

ws_status print_distribution(station *st, int64_t dist, const char *path, int *pages, char *err,
                             size_t errsz)
{
    err[0] = '\0';
    if (pages)
        *pages = 0;
    ws_status s = res_print_allowed(st, err, errsz);
    if (s != WS_OK)
        return s;
    distribution d;
    s = record_load(st, &kind_distribution, dist, &d);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    char items[1024] = "";
    if (db_text_i64(station_db(st),
                    "SELECT coalesce(group_concat(i.name || ' ' || di.quantity || i.unit, '；'),"
                    " '') FROM distribution_items di JOIN items i ON i.id = di.item_id"
                    " WHERE di.distribution_id = ?1 AND di.deleted_at IS NULL",
                    dist, items, sizeof items) != WS_OK)
        items[0] = '\0';
    s = print_log(st, "distribution", "distributions", dist, path, true);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    char title[512];
    trf(title, sizeof title, "res.print_sheet_title", d.name);
    print_doc *doc = res_doc_new(st, title, NULL);
    print_field f[] = {
        {tr("res.f_dist_name"), d.name, false},
        {tr("res.f_dist_date"), d.dist_date, false},
        {tr("res.x_items"), items, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
    print_space(doc, 3);
    print_column cols[] = {
        {tr("res.print_col_no"), 2.5, PRINT_CENTER}, {tr("res.col_number"), 6, PRINT_LEFT},
        {tr("res.col_head"), 5, PRINT_LEFT},         {tr("res.col_id"), 10, PRINT_LEFT},
        {tr("res.x_items"), 0, PRINT_LEFT},          {tr("res.print_col_sign"), 8, PRINT_CENTER},
    };
    print_table(doc, cols, sizeof cols / sizeof *cols, 12);
    enum { PAGE = 256 };
    res_line *lines = calloc(PAGE, sizeof *lines);
    if (!lines) {
        print_doc_free(&doc);
        return WS_ERR_NOMEM;
    }
    size_t n = 0, no = 0;
    int64_t after = 0;
    do {
        s = res_dist_lines(st, dist, "", after, 1, lines, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            char num[24];
            snprintf(num, sizeof num, "%zu", ++no);
            const char *cells[] = {num, lines[i].number, lines[i].head, lines[i].id_masked,
                                   items, ""};
            print_row(doc, cells);
        }
        after = n ? lines[n - 1].id : after;
    } while (s == WS_OK && n == PAGE);
    free(lines);
    if (s == WS_OK) {
        print_space(doc, 6);
        const char *sig[] = {tr("res.print_sig_distributor"), tr("res.print_sig_supervisor"),
                             tr("res.print_sig_date")};
        print_signatures(doc, sig, 3);
        s = print_doc_write(doc, path, pages, err, errsz);
    }
    print_doc_free(&doc);
    return s;
}

typedef struct notice_doc {
    print_doc *doc;
    char month[8];
    res_notice_sum month_sum, all;
} notice_doc;

static void notice_total_row(notice_doc *n, const char *label, const res_notice_sum *sum)
{
    char what[128], m[32], v[32], p[32];
    trf(what, sizeof what, "res.x_households", (long long)sum->households);
    res_yuan(sum->money, m, sizeof m);
    res_yuan(sum->value, v, sizeof v);
    res_yuan(sum->spent, p, sizeof p);
    const char *cells[] = {label, tr("res.x_total"), "", what, m, v, p};
    print_row(n->doc, cells);
}

static bool notice_print_line(void *ctx, const res_notice_line *l)
{
    notice_doc *n = ctx;
    if (n->month[0] && strcmp(n->month, l->month) != 0) {
        notice_total_row(n, n->month, &n->month_sum);
        memset(&n->month_sum, 0, sizeof n->month_sum);
    }
    snprintf(n->month, sizeof n->month, "%s", l->month);
    char m[32] = "", v[32] = "", p[32] = "";
    if (!l->out) {
        res_yuan(l->money, m, sizeof m);
        res_yuan(l->value, v, sizeof v);
    } else if (l->spent) {
        res_yuan(l->spent, p, sizeof p);
    }
    const char *cells[] = {l->month, tr(res_notice_kind_key(l->kind)), l->who, l->what, m, v, p};
    print_row(n->doc, cells);
    res_notice_sum_add(&n->month_sum, l);
    res_notice_sum_add(&n->all, l);
    return true;
}

ws_status print_notice(station *st, const char *from, const char *to, const char *path,
                       int *pages, char *err, size_t errsz)
{
    err[0] = '\0';
    if (pages)
        *pages = 0;
    ws_status s = res_print_allowed(st, err, errsz);
    if (s != WS_OK)
        return s;
    s = print_log(st, "notice", "", 0, path, true);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    char period[64];
    trf(period, sizeof period, "res.print_period", from && from[0] ? from : "…",
        to && to[0] ? to : "…");
    notice_doc n = {.doc = res_doc_new(st, tr("res.print_notice_title"), period)};
    print_column cols[] = {
        {tr("res.x_month"), 4.5, PRINT_LEFT},     {tr("res.x_kind"), 2.5, PRINT_CENTER},
        {tr("res.x_who"), 6, PRINT_LEFT},         {tr("res.x_what"), 0, PRINT_LEFT},
        {tr("res.x_money_yuan"), 5, PRINT_RIGHT}, {tr("res.x_value_yuan"), 5, PRINT_RIGHT},
        {tr("res.x_spent_yuan"), 5, PRINT_RIGHT},
    };
    print_table(n.doc, cols, sizeof cols / sizeof *cols, 0);
    s = res_notice(st, from, to, notice_print_line, &n);
    if (s == WS_OK && n.month[0])
        notice_total_row(&n, n.month, &n.month_sum);
    if (s == WS_OK)
        notice_total_row(&n, tr("res.x_period"), &n.all);
    if (s == WS_OK) {
        print_space(n.doc, 4);
        print_paragraph(n.doc, tr("res.print_notice_text"));
        print_space(n.doc, 6);
        const char *sig[] = {tr("res.print_sig_station"), tr("res.print_sig_date")};
        print_signatures(n.doc, sig, 2);
        s = print_doc_write(n.doc, path, pages, err, errsz);
    } else if (!err[0]) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    }
    print_doc_free(&n.doc);
    return s;
}
