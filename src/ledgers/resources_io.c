/* Charitable resources as ledgers: the donations, stock and distributions
 * exports (sheets of the export machinery) and the donations and 发放花名册
 * imports (one transaction each; a bad row goes to the error file with the
 * reason and the rest are written). */
#include "wushe/resources_io.h"
#include "wushe/workbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export_internal.h"
#include "import_internal.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/csv.h"
#include "wushe/encoding.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/text.h"
#include "wushe/validate.h"

/* ---------------------------------------------------------------- exports */

bool res_sheet_find(const char *name, res_sheet *out)
{
    static const char *const names[] = {"donations", "stock", "distributions", "notice",
                                        "statement"};
    for (int i = 0; i < 5; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (res_sheet)i;
            return true;
        }
    return false;
}

static const char *res_code_label(station *st, const char *list, const char *code)
{
    const code_item *it = codebook_find(station_codes(st), list, code);
    return it ? code_label(it, 0) : code;
}

/* Run sql (no parameters) and emit each row through fill. */
static ws_status res_walk_sql(station *st, const export_opts *o, const char *sql,
                              void (*fill)(station *st, const export_opts *o, sqlite3_stmt *q,
                                           export_row *row),
                              export_emit_fn emit, void *ctx, size_t *rows)
{
    db *d = station_db(st);
    export_row *row = malloc(sizeof *row);
    if (!row)
        return WS_ERR_NOMEM;
    /* Read the rows first: a fill may ask the model (labels, masks). */
    sqlite3_stmt *q = db_prepare(d, sql);
    ws_status s = q ? WS_OK : db_status(d);
    size_t done = 0;
    int rc = SQLITE_DONE;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        memset(row, 0, sizeof *row);
        fill(st, o, q, row);
        s = emit(ctx, row);
        done++;
    }
    if (q)
        db_reset(q);
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    free(row);
    if (rows)
        *rows = done;
    return s;
}

enum { XD_NUMBER, XD_DATE, XD_DONOR, XD_PURPOSE, XD_KIND, XD_ITEM, XD_QTY, XD_UNIT,
       XD_UNIT_VALUE, XD_AMOUNT, XD_FUND, XD_BATCH, XD_EXPIRY, XD_REVERSAL, XD_RECEIPT,
       XD_COUNT };
static const char *const res_donation_cols[XD_COUNT] = {
    "res.f_donation_number", "res.f_donation_date", "res.f_donor", "res.f_purpose",
    "res.x_kind", "res.f_item", "res.f_quantity", "res.f_unit", "res.f_unit_value",
    "res.f_amount", "res.f_fund", "res.f_batch", "res.f_expiry", "res.f_reverses",
    "res.f_receipt_no"};

#define RES_DONATIONS_SQL                                                                        \
    "SELECT d.number, d.donation_date, coalesce(dn.name, ''), d.purpose, 'goods', i.name,"       \
    " g.quantity, i.unit, g.unit_value, g.quantity * g.unit_value, '', g.batch,"                 \
    " coalesce(g.expiry, ''), g.reverses_id IS NOT NULL, d.receipt_no, g.id"                     \
    " FROM donation_goods g JOIN donations d ON d.id = g.donation_id"                            \
    " JOIN items i ON i.id = g.item_id LEFT JOIN donors dn ON dn.id = d.donor_id"                \
    " UNION ALL SELECT d.number, d.donation_date, coalesce(dn.name, ''), d.purpose, 'money',"    \
    " '', NULL, '', NULL, m.amount, f.name, '', '', m.reverses_id IS NOT NULL, d.receipt_no, m.id" \
    " FROM donation_money m JOIN donations d ON d.id = m.donation_id"                            \
    " JOIN funds f ON f.id = m.fund_id LEFT JOIN donors dn ON dn.id = d.donor_id"                \
    " ORDER BY 2, 1, 16"

static void res_fill_donation(station *st, const export_opts *o, sqlite3_stmt *q,
                              export_row *row)
{
    (void)o;
    size_t sz = sizeof row->cells[0];
    db_column_copy(q, 0, row->cells[XD_NUMBER], sz);
    db_column_copy(q, 1, row->cells[XD_DATE], sz);
    db_column_copy(q, 2, row->cells[XD_DONOR], sz);
    char code[32];
    db_column_copy(q, 3, code, sizeof code);
    snprintf(row->cells[XD_PURPOSE], sz, "%s", res_code_label(st, "donation_purpose", code));
    db_column_copy(q, 4, code, sizeof code);
    snprintf(row->cells[XD_KIND], sz, "%s",
             tr(strcmp(code, "goods") == 0 ? "res.x_goods" : "res.x_money"));
    db_column_copy(q, 5, row->cells[XD_ITEM], sz);
    if (sqlite3_column_type(q, 6) != SQLITE_NULL)
        snprintf(row->cells[XD_QTY], sz, "%lld", (long long)sqlite3_column_int64(q, 6));
    db_column_copy(q, 7, row->cells[XD_UNIT], sz);
    if (sqlite3_column_type(q, 8) != SQLITE_NULL)
        res_yuan(sqlite3_column_int64(q, 8), row->cells[XD_UNIT_VALUE], sz);
    res_yuan(sqlite3_column_int64(q, 9), row->cells[XD_AMOUNT], sz);
    db_column_copy(q, 10, row->cells[XD_FUND], sz);
    db_column_copy(q, 11, row->cells[XD_BATCH], sz);
    db_column_copy(q, 12, row->cells[XD_EXPIRY], sz);
    if (sqlite3_column_int(q, 13))
        snprintf(row->cells[XD_REVERSAL], sz, "%s", tr("res.reversal_mark"));
    db_column_copy(q, 14, row->cells[XD_RECEIPT], sz);
}

static ws_status res_walk_donations(const export_sheet *sh, station *st, const export_opts *o,
                                    export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)sh;
    return res_walk_sql(st, o, RES_DONATIONS_SQL, res_fill_donation, emit, ctx, rows);
}

enum { XS_ITEM, XS_CATEGORY, XS_UNIT, XS_BATCH, XS_EXPIRY, XS_QTY, XS_COUNT };
static const char *const res_stock_cols[XS_COUNT] = {
    "res.f_item", "res.f_category", "res.f_unit", "res.f_batch", "res.f_expiry",
    "res.f_on_hand"};

static void res_fill_stock(station *st, const export_opts *o, sqlite3_stmt *q, export_row *row)
{
    (void)o;
    size_t sz = sizeof row->cells[0];
    char code[32];
    db_column_copy(q, 0, row->cells[XS_ITEM], sz);
    db_column_copy(q, 1, code, sizeof code);
    snprintf(row->cells[XS_CATEGORY], sz, "%s", res_code_label(st, "item_category", code));
    db_column_copy(q, 2, row->cells[XS_UNIT], sz);
    db_column_copy(q, 3, row->cells[XS_BATCH], sz);
    db_column_copy(q, 4, row->cells[XS_EXPIRY], sz);
    snprintf(row->cells[XS_QTY], sz, "%lld", (long long)sqlite3_column_int64(q, 5));
}

static ws_status res_walk_stock(const export_sheet *sh, station *st, const export_opts *o,
                                export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)sh;
    return res_walk_sql(st, o,
        "SELECT i.name, i.category, i.unit, l.batch, l.expiry, l.qty FROM stock_levels l"
        " JOIN items i ON i.id = l.item_id WHERE l.qty <> 0 AND i.deleted_at IS NULL"
        " ORDER BY i.name, l.expiry = '', l.expiry, l.batch",
        res_fill_stock, emit, ctx, rows);
}

enum { XT_NAME, XT_DATE, XT_NUMBER, XT_HEAD, XT_ID, XT_ITEMS, XT_STATUS, XT_BY, XT_SIGNED,
       XT_COUNT };
static const char *const res_dist_cols[XT_COUNT] = {
    "res.f_dist_name", "res.f_dist_date", "res.col_number", "res.col_head", "res.col_id",
    "res.x_items", "res.col_status", "res.col_collected_by", "res.x_signed_date"};

static void res_fill_dist(station *st, const export_opts *o, sqlite3_stmt *q, export_row *row)
{
    size_t sz = sizeof row->cells[0];
    db_column_copy(q, 0, row->cells[XT_NAME], sz);
    db_column_copy(q, 1, row->cells[XT_DATE], sz);
    db_column_copy(q, 2, row->cells[XT_NUMBER], sz);
    char name[256], id[32];
    db_column_copy(q, 3, name, sizeof name);
    db_column_copy(q, 4, id, sizeof id);
    /* A recipient's name and ID number masked unless unmasked (audited). */
    if (o->unmasked) {
        snprintf(row->cells[XT_HEAD], sz, "%s", name);
        snprintf(row->cells[XT_ID], sz, "%s", id);
    } else {
        res_mask_name(name, row->cells[XT_HEAD], sz);
        if (strlen(id) == 18)
            snprintf(row->cells[XT_ID], sz, "%.3s***********%s", id, id + 14);
    }
    db_column_copy(q, 5, row->cells[XT_ITEMS], sz);
    char code[32];
    db_column_copy(q, 6, code, sizeof code);
    snprintf(row->cells[XT_STATUS], sz, "%s", res_code_label(st, "sign_status", code));
    db_column_copy(q, 7, row->cells[XT_BY], sz);
    db_column_copy(q, 8, row->cells[XT_SIGNED], sz);
}

static ws_status res_walk_dist(const export_sheet *sh, station *st, const export_opts *o,
                               export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)sh;
    return res_walk_sql(st, o,
        "SELECT ds.name, ds.dist_date, h.number, coalesce(r.name, ''), coalesce(r.id_number, ''),"
        " (SELECT group_concat(i.name || ' ' || di.quantity || i.unit, '；')"
        " FROM distribution_items di JOIN items i ON i.id = di.item_id"
        " WHERE di.distribution_id = ds.id AND di.deleted_at IS NULL),"
        " l.status, l.collected_by, coalesce(l.signed_date, '')"
        " FROM distribution_lines l JOIN distributions ds ON ds.id = l.distribution_id"
        " JOIN households h ON h.id = l.household_id LEFT JOIN residents r ON r.id = h.head_id"
        " ORDER BY ds.dist_date, ds.name, h.number",
        res_fill_dist, emit, ctx, rows);
}

enum { XN_MONTH, XN_KIND, XN_WHO, XN_WHAT, XN_MONEY, XN_VALUE, XN_SPENT, XN_COUNT };
static const char *const res_notice_cols[XN_COUNT] = {
    "res.x_month", "res.x_kind", "res.x_who", "res.x_what", "res.x_money_yuan",
    "res.x_value_yuan", "res.x_spent_yuan"};

typedef struct res_period {
    char from[11], to[11];
} res_period;

typedef struct notice_walk {
    export_emit_fn emit;
    void *ctx;
    export_row *row;
    size_t rows;
    char month[8];
    res_notice_sum month_sum, all;
    ws_status s;
} notice_walk;

/* One row of the sheet: a line's cells, or a total's ("" amounts: none). */
static void notice_emit(notice_walk *w, const char *month, const char *kind, const char *who,
                        const char *what, const int64_t *amounts)
{
    size_t sz = sizeof w->row->cells[0];
    memset(w->row, 0, sizeof *w->row);
    snprintf(w->row->cells[XN_MONTH], sz, "%s", month);
    snprintf(w->row->cells[XN_KIND], sz, "%s", kind);
    snprintf(w->row->cells[XN_WHO], sz, "%s", who);
    snprintf(w->row->cells[XN_WHAT], sz, "%s", what);
    for (int i = 0; i < 3; i++)
        if (amounts[i] >= 0)
            res_yuan(amounts[i], w->row->cells[XN_MONEY + i], sz);
    if (w->s == WS_OK)
        w->s = w->emit(w->ctx, w->row);
    w->rows++;
}

/* A month's (or the period's) totals: money and goods in, money out,
 * households that signed. */
static void notice_total(notice_walk *w, const char *label, const res_notice_sum *sum)
{
    char what[128];
    trf(what, sizeof what, "res.x_households", (long long)sum->households);
    const int64_t amounts[] = {sum->money, sum->value, sum->spent};
    notice_emit(w, label, tr("res.x_total"), "", what, amounts);
}

static bool notice_line(void *ctx, const res_notice_line *l)
{
    notice_walk *w = ctx;
    if (w->month[0] && strcmp(w->month, l->month) != 0) {
        notice_total(w, w->month, &w->month_sum);
        memset(&w->month_sum, 0, sizeof w->month_sum);
    }
    snprintf(w->month, sizeof w->month, "%s", l->month);
    const int64_t amounts[] = {l->out ? -1 : l->money, l->out ? -1 : l->value,
                               l->out ? l->spent : -1};
    notice_emit(w, l->month, tr(res_notice_kind_key(l->kind)), l->who, l->what, amounts);
    res_notice_sum_add(&w->month_sum, l);
    res_notice_sum_add(&w->all, l);
    return w->s == WS_OK;
}

static ws_status res_walk_notice(const export_sheet *sh, station *st, const export_opts *o,
                                 export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)o;
    const res_period *p = sh->data;
    notice_walk w = {.emit = emit, .ctx = ctx, .row = malloc(sizeof(export_row))};
    if (!w.row)
        return WS_ERR_NOMEM;
    ws_status s = res_notice(st, p->from, p->to, notice_line, &w);
    if (s == WS_OK && w.month[0])
        notice_total(&w, w.month, &w.month_sum);
    if (s == WS_OK)
        notice_total(&w, tr("res.x_period"), &w.all);
    if (s == WS_OK)
        s = w.s;
    free(w.row);
    if (rows)
        *rows = w.rows;
    return s;
}

enum { XM_DATE, XM_NUMBER, XM_WHAT, XM_AMOUNT, XM_WHERE, XM_COUNT };
static const char *const res_statement_cols[XM_COUNT] = {
    "res.f_donation_date", "res.f_donation_number", "res.x_what", "res.x_amount_yuan",
    "res.x_where"};

typedef struct statement_walk {
    export_emit_fn emit;
    void *ctx;
    export_row *row;
    size_t rows;
    ws_status s;
} statement_walk;

static bool statement_line(void *ctx, const res_statement_line *l)
{
    statement_walk *w = ctx;
    size_t sz = sizeof w->row->cells[0];
    memset(w->row, 0, sizeof *w->row);
    snprintf(w->row->cells[XM_DATE], sz, "%s", l->date);
    snprintf(w->row->cells[XM_NUMBER], sz, "%s", l->number);
    snprintf(w->row->cells[XM_WHAT], sz, "%s", l->what);
    res_yuan(l->amount, w->row->cells[XM_AMOUNT], sz);
    snprintf(w->row->cells[XM_WHERE], sz, "%s", l->where);
    w->s = w->emit(w->ctx, w->row);
    w->rows++;
    return w->s == WS_OK;
}

static ws_status res_walk_statement(const export_sheet *sh, station *st, const export_opts *o,
                                    export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)o;
    const int64_t *donor = sh->data;
    statement_walk w = {.emit = emit, .ctx = ctx, .row = malloc(sizeof(export_row))};
    if (!w.row)
        return WS_ERR_NOMEM;
    ws_status s = res_statement(st, *donor, statement_line, &w);
    if (s == WS_OK)
        s = w.s;
    free(w.row);
    if (rows)
        *rows = w.rows;
    return s;
}

bool res_period_parse(const char *text, char from[11], char to[11])
{
    from[0] = to[0] = '\0';
    if (!text || !text[0])
        return true;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    char *dots = strstr(buf, "..");
    char *a = buf, *b = dots ? dots + 2 : buf;
    if (dots)
        *dots = '\0';
    if (*a && val_date(a, "9999-12-31", false, from) != VAL_OK)
        return false;
    if (*b && val_date(b, "9999-12-31", false, to) != VAL_OK)
        return false;
    return true;
}

static void res_sheet_make(res_sheet which, export_sheet *sh)
{
    memset(sh, 0, sizeof *sh);
    const char *const *cols = which == RES_SHEET_DONATIONS ? res_donation_cols
                              : which == RES_SHEET_STOCK   ? res_stock_cols
                              : which == RES_SHEET_NOTICE  ? res_notice_cols
                              : which == RES_SHEET_STATEMENT ? res_statement_cols
                                                           : res_dist_cols;
    sh->ncols = which == RES_SHEET_DONATIONS ? XD_COUNT
                : which == RES_SHEET_STOCK   ? XS_COUNT
                : which == RES_SHEET_NOTICE  ? XN_COUNT
                : which == RES_SHEET_STATEMENT ? XM_COUNT
                                             : XT_COUNT;
    for (size_t i = 0; i < sh->ncols; i++)
        sh->titles[i] = tr(cols[i]);
    if (which == RES_SHEET_DONATIONS) {
        sh->what = "donations";
        sh->name = tr("export.sheet_donations");
        sh->walk = res_walk_donations;
        sh->date[XD_DATE] = true;
        sh->text[XD_NUMBER] = sh->text[XD_RECEIPT] = sh->text[XD_BATCH] = true;
        sh->number[XD_QTY] = sh->number[XD_UNIT_VALUE] = sh->number[XD_AMOUNT] = true;
    } else if (which == RES_SHEET_NOTICE) {
        sh->what = "notice";
        sh->name = tr("export.sheet_notice");
        sh->walk = res_walk_notice;
        sh->number[XN_MONEY] = sh->number[XN_VALUE] = sh->number[XN_SPENT] = true;
    } else if (which == RES_SHEET_STATEMENT) {
        sh->what = "donors";
        sh->name = tr("export.sheet_statement");
        sh->walk = res_walk_statement;
        sh->date[XM_DATE] = true;
        sh->text[XM_NUMBER] = true;
        sh->number[XM_AMOUNT] = true;
    } else if (which == RES_SHEET_STOCK) {
        sh->what = "stock_levels";
        sh->name = tr("export.sheet_stock");
        sh->walk = res_walk_stock;
        sh->text[XS_BATCH] = true;
        sh->number[XS_QTY] = true;
    } else {
        sh->what = "distribution_lines";
        sh->name = tr("export.sheet_distributions");
        sh->walk = res_walk_dist;
        sh->date[XT_DATE] = true;
        sh->text[XT_NUMBER] = sh->text[XT_ID] = true;
    }
}

/* The sheet and the options it is made with; WS_ERR_USAGE for a period
 * that is no dates. A notice is public: never unmasked. */
static ws_status res_sheet_prepare(station *st, res_sheet which, const export_opts *opts,
                                   export_sheet *sh, export_opts *o, res_period *p,
                                   int64_t *donor, char *err, size_t errsz)
{
    res_sheet_make(which, sh);
    *o = *opts;
    if (which != RES_SHEET_DISTRIBUTIONS)
        o->unmasked = false; /* nothing there to unmask, or public */
    if (which == RES_SHEET_NOTICE) {
        if (!res_period_parse(opts->filter, p->from, p->to)) {
            trf(err, errsz, "res.x_bad_period", opts->filter);
            return WS_ERR_USAGE;
        }
        sh->data = p;
    }
    if (which == RES_SHEET_STATEMENT) {
        ws_status s = res_donor_find(st, opts->filter ? opts->filter : "", donor);
        if (s != WS_OK)
            return s;
        if (!*donor) {
            trf(err, errsz, "res.x_no_donor", opts->filter ? opts->filter : "");
            return WS_ERR_USAGE;
        }
        sh->data = donor;
    }
    return WS_OK;
}

ws_status res_export(station *st, res_sheet which, const char *path, const export_opts *opts,
                     size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_opts o;
    res_period p;
    int64_t donor = 0;
    err[0] = '\0';
    ws_status s = res_sheet_prepare(st, which, opts, &sh, &o, &p, &donor, err, errsz);
    return s == WS_OK ? export_sheet_file(&sh, st, path, &o, rows, err, errsz) : s;
}

ws_status res_export_csv(station *st, res_sheet which, const export_opts *opts, char **out,
                         size_t *len, size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_opts o;
    res_period p;
    int64_t donor = 0;
    err[0] = '\0';
    *out = NULL;
    *len = 0;
    ws_status s = res_sheet_prepare(st, which, opts, &sh, &o, &p, &donor, err, errsz);
    return s == WS_OK ? export_sheet_csv(&sh, st, &o, out, len, rows, err, errsz) : s;
}

/* ---------------------------------------------------------------- imports */

#define RES_MAX_COLS 32

typedef struct res_ledger {
    char *text;
    size_t len;
    enc_info enc;
    char sheet[256]; /* a workbook's sheet read ("" for a text file) */
    char delim;
    csv_reader *rd;
    csv_buf errors;
    int col[RES_MAX_COLS]; /* per wanted column: the ledger's column, -1 none */
    /* Distributions this import met, and whether each had a list then
     * (a roster makes the list of one that had none). */
    int64_t dist_seen[64];
    bool dist_listed[64];
    size_t ndist;
    /* Posted lines this import has matched a row to: a ledger listing the
     * same line twice matches two posted lines, not one twice. */
    int64_t *matched;
    size_t nmatched, capmatched;
} res_ledger;

/* Read and decode the file (the encoding as the resident import finds it). */
static ws_status res_ledger_open(res_ledger *l, const char *path, const import_opts *opts,
                                 char *err, size_t errsz)
{
    memset(l, 0, sizeof *l);
    char *buf = NULL;
    size_t len = 0;
    ws_status s = ledger_read(path, opts ? opts->sheet : NULL, &buf, &len, l->sheet,
                              sizeof l->sheet, err, errsz);
    if (s != WS_OK)
        return s;
    bool book = l->sheet[0] != '\0';
    if (!book && opts && opts->encoding && *opts->encoding) {
        if (!enc_canonical(opts->encoding, l->enc.name, sizeof l->enc.name)) {
            free(buf);
            trf(err, errsz, "import.bad_encoding", opts->encoding);
            return WS_ERR_USAGE;
        }
    } else {
        enc_detect(buf, len, &l->enc);
    }
    size_t bad = 0;
    s = enc_to_utf8(buf, len, l->enc.name, &l->text, &l->len, &bad);
    free(buf);
    if (s != WS_OK) {
        trf(err, errsz, "import.bad_encoding", l->enc.name);
        return s;
    }
    l->delim = csv_sniff(l->text, l->len);
    l->rd = csv_reader_new(l->text, l->len, l->delim);
    return l->rd ? WS_OK : WS_ERR_NOMEM;
}

static void res_ledger_close(res_ledger *l)
{
    csv_reader_free(&l->rd);
    csv_buf_free(&l->errors);
    free(l->text);
    free(l->matched);
}

/* A cell's text on one line without the spaces around it. */
static void res_trimmed(const char *v, char *out, size_t outsz)
{
    while (*v == ' ' || *v == '\t')
        v++;
    snprintf(out, outsz, "%s", v);
    csv_join_lines(out); /* every column it reads is one line */
    size_t n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\r'))
        out[--n] = '\0';
}

/* The header's titles that no wanted column took, for the clerk to see
 * what was not imported. */
static void res_ledger_unused(const res_ledger *l, size_t nwanted, const csv_row *row,
                              res_import_report *rep)
{
    for (size_t c = 0; c < row->n && rep->nskipped_cols < RES_IMPORT_MAX_SKIPPED; c++) {
        bool used = false;
        for (size_t w = 0; w < nwanted && !used; w++)
            used = l->col[w] == (int)c;
        char title[256];
        res_trimmed(row->fields[c], title, sizeof title);
        /* Whole characters that fit skipped_cols. */
        size_t n = text_prefix_bytes(title, 20);
        while (n >= sizeof rep->skipped_cols[0])
            for (n--; n && (title[n] & 0xC0) == 0x80;)
                n--;
        title[n] = '\0';
        if (!used && title[0])
            memcpy(rep->skipped_cols[rep->nskipped_cols++], title, strlen(title) + 1);
    }
}

/* The header: each wanted column ('|'-separated names) found by its
 * normalised title; true when every required one (flagged) is there. */
static bool res_ledger_header(res_ledger *l, const char *const *wanted, size_t nwanted,
                              const bool *required, res_import_report *rep)
{
    csv_row row;
    for (int tries = 0; tries < 10 && csv_next(l->rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        bool ok = true;
        for (size_t w = 0; w < nwanted; w++) {
            l->col[w] = -1;
            char names[256];
            snprintf(names, sizeof names, "%s", wanted[w]);
            char *save = NULL;
            for (char *n = strtok_r(names, "|", &save); n && l->col[w] < 0;
                 n = strtok_r(NULL, "|", &save)) {
                char want[256];
                import_header_norm(n, want, sizeof want);
                for (size_t c = 0; c < row.n && l->col[w] < 0; c++) {
                    char norm[256];
                    import_header_norm(row.fields[c], norm, sizeof norm);
                    if (strcmp(norm, want) == 0)
                        l->col[w] = (int)c;
                }
            }
            ok &= l->col[w] >= 0 || !required[w];
        }
        if (ok) {
            res_ledger_unused(l, nwanted, &row, rep);
            for (size_t i = 0; i < row.n; i++)
                csv_put_field(&l->errors, row.fields[i], l->delim, i == 0);
            csv_put_field(&l->errors, tr("import.reason_col"), l->delim, row.n == 0);
            csv_end_row(&l->errors, "\r\n");
            return true;
        }
    }
    return false;
}

/* A cell of wanted column w, trimmed ("" when the ledger has none). */
static void res_cell(const res_ledger *l, const csv_row *row, size_t w, char *out, size_t outsz)
{
    out[0] = '\0';
    int c = l->col[w];
    if (c >= 0 && (size_t)c < row->n)
        res_trimmed(row->fields[c], out, outsz);
}

static void res_error_row(res_ledger *l, res_import_report *rep, const csv_row *row,
                          const char *why)
{
    for (size_t i = 0; i < row->n; i++)
        csv_put_cell(&l->errors, row->fields[i], l->delim, i == 0, false);
    csv_put_field(&l->errors, why, l->delim, row->n == 0);
    csv_end_row(&l->errors, "\r\n");
    rep->invalid++;
    if (rep->nbad < RES_IMPORT_BAD_MAX) {
        rep->bad[rep->nbad].line = row->line;
        snprintf(rep->bad[rep->nbad++].why, sizeof rep->bad[0].why, "%s", why);
    }
}

/* Write the error file beside the ledger, in its encoding (elsewhere
 * when its folder is not writable: import_errors_save); without invalid
 * rows, an earlier one there is out of date. */
static ws_status res_ledger_errors(station *st, res_ledger *l, const char *path,
                                   res_import_report *rep)
{
    return import_ledger_errors(st, path, &l->enc, rep->invalid ? &l->errors : NULL,
                                IMPORT_ERRFILE(rep));
}

/* Copy a cell into a record's buffer; false when it does not fit (the
 * field's own limit is checked by the kind). */
static bool res_put(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

/* The id of a living record of kind k titled exactly `title` (0: none). */
static ws_status res_find(station *st, const record_kind *k, const char *title, int64_t *id)
{
    record_row rows[8];
    size_t n = 0;
    *id = 0;
    ws_status s = record_list(st, k, title, false, 0, 1, rows, 8, &n);
    for (size_t i = 0; s == WS_OK && i < n && !*id; i++)
        if (strcmp(rows[i].cells[0], title) == 0)
            *id = rows[i].id;
    return s;
}

/* A refusal of a kind's write as the error file's reason. */
static const char *res_why(const record_kind *k, const record_error *re, char *out, size_t outsz)
{
    return record_error_text(k, re, out, outsz);
}

enum { ID_NUMBER, ID_DATE, ID_DONOR, ID_PURPOSE, ID_ITEM, ID_QTY, ID_UNIT, ID_UNIT_VALUE,
       ID_AMOUNT, ID_FUND, ID_BATCH, ID_EXPIRY, ID_COUNT };
static const char *const res_donation_in[ID_COUNT] = {
    "登记号|捐赠编号", "捐赠日期|日期", "捐赠人|捐赠方|捐赠单位", "用途|捐赠用途",
    "物资|物资名称|品名", "数量", "单位|计量单位", "单价|单价（元）",
    "金额|金额（元）|捐款金额", "资金|进入资金|基金", "批次|批号", "有效期至|有效期|保质期至"};
static const bool res_donation_req[ID_COUNT] = {[ID_DATE] = true, [ID_DONOR] = true};

/* The donation a row belongs to: by its number, or its date and donor;
 * made when new. */
static ws_status res_row_donation(station *st, const char *number, const char *date,
                                  const char *donor_name, const char *purpose,
                                  int64_t *donation_id, res_import_report *rep, char *why,
                                  size_t whysz)
{
    db *d = station_db(st);
    int64_t donor_id = 0;
    ws_status s = res_find(st, &kind_donor, donor_name, &donor_id);
    record_error re;
    if (s == WS_OK && !donor_id) {
        donor dn;
        record_init(&kind_donor, &dn);
        if (!res_put(dn.name, sizeof dn.name, donor_name)) {
            trf(why, whysz, "record.field_error", tr("res.f_donor"), tr("valid.too_long"));
            return WS_ERR_INVALID;
        }
        snprintf(dn.donor_type, sizeof dn.donor_type, "person");
        snprintf(dn.public_name, sizeof dn.public_name, "no");
        s = record_save(st, &kind_donor, &dn, &re);
        if (s == WS_ERR_INVALID)
            res_why(&kind_donor, &re, why, whysz);
        donor_id = dn.id;
    }
    if (s != WS_OK)
        return s;
    donation dt;
    record_init(&kind_donation, &dt);
    char norm[16];
    val_status dv = val_date(date, "9999-12-31", false, norm);
    if (dv != VAL_OK) {
        trf(why, whysz, "record.field_error", tr("res.f_donation_date"), tr(val_status_key(dv)));
        return WS_ERR_INVALID;
    }
    memcpy(dt.donation_date, norm, sizeof norm < sizeof dt.donation_date ? sizeof norm
                                                                           : sizeof dt.donation_date);
    dt.donation_date[sizeof dt.donation_date - 1] = '\0';
    *donation_id = 0;
    if (number[0]) {
        s = res_find(st, &kind_donation, number, donation_id);
    } else {
        sqlite3_stmt *q = db_prepare(d, "SELECT id FROM donations WHERE donation_date = ?1 AND"
                                        " donor_id = ?2 AND deleted_at IS NULL ORDER BY id LIMIT 1");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, dt.donation_date);
        sqlite3_bind_int64(q, 2, donor_id);
        if (sqlite3_step(q) == SQLITE_ROW)
            *donation_id = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    if (s != WS_OK || *donation_id)
        return s;
    if (!res_put(dt.number, sizeof dt.number, number)) {
        trf(why, whysz, "record.field_error", tr("res.f_donation_number"), tr("valid.too_long"));
        return WS_ERR_INVALID;
    }
    dt.donor_id = donor_id;
    /* The ledger's 用途 as its label or code (the save names the choices
     * when it is neither); a ledger without one: 一般捐赠. */
    snprintf(dt.purpose, sizeof dt.purpose, "general");
    val_status pv = purpose[0] ? record_parse(st, &kind_donation, DOF_PURPOSE, purpose, &dt)
                               : VAL_OK;
    if (pv != VAL_OK) {
        record_error pe = {.field = DOF_PURPOSE, .code = pv};
        res_why(&kind_donation, &pe, why, whysz);
        return WS_ERR_INVALID;
    }
    snprintf(dt.agreement, sizeof dt.agreement, "no");
    s = record_save(st, &kind_donation, &dt, &re);
    if (s == WS_ERR_INVALID)
        res_why(&kind_donation, &re, why, whysz);
    if (s == WS_OK) {
        *donation_id = dt.id;
        rep->donations++;
    }
    return s;
}

/* A posted line a row of this import stands for (matched, or written). */
static ws_status res_matched_add(res_ledger *l, int64_t id)
{
    if (l->nmatched == l->capmatched) {
        size_t cap = l->capmatched ? 2 * l->capmatched : 64;
        int64_t *p = realloc(l->matched, cap * sizeof *p);
        if (!p)
            return WS_ERR_NOMEM;
        l->matched = p;
        l->capmatched = cap;
    }
    l->matched[l->nmatched++] = id;
    return WS_OK;
}

/* Whether a row's line is already posted: a line of the donation with the
 * row's 登记号 (or, without one, of the donor's donations of that date)
 * with the same item, quantity, price, batch and expiry (or the same fund
 * and amount), that no earlier row of this import matched. Posted lines
 * are never changed, so such a row is skipped, not posted again. */
static ws_status res_line_posted(station *st, res_ledger *l, const char *number,
                                 const char *date, const char *donor, const donation_goods *g,
                                 const donation_money *m, bool *posted)
{
    /* Literals: the statement cache knows a statement by its text's address. */
#define RES_POSTED_WHERE                                                                     \
    " JOIN donations d ON d.id = x.donation_id LEFT JOIN donors dn ON dn.id = d.donor_id"   \
    " WHERE d.deleted_at IS NULL AND x.deleted_at IS NULL AND (CASE WHEN ?1 <> ''"          \
    " THEN d.number = ?1 ELSE d.donation_date = ?2 AND dn.name = ?3 END)"
    const char *sql = g ? "SELECT x.id FROM donation_goods x" RES_POSTED_WHERE
                          " AND x.item_id = ?4 AND x.quantity = ?5 AND x.unit_value = ?6"
                          " AND x.batch = ?7 AND coalesce(x.expiry, '') = ?8 ORDER BY x.id"
                        : "SELECT x.id FROM donation_money x" RES_POSTED_WHERE
                          " AND x.fund_id = ?4 AND x.amount = ?5 ORDER BY x.id";
#undef RES_POSTED_WHERE
    db *d = station_db(st);
    *posted = false;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, number);
    db_bind_text(q, 2, date);
    db_bind_text(q, 3, donor);
    sqlite3_bind_int64(q, 4, g ? g->item_id : m->fund_id);
    sqlite3_bind_int64(q, 5, g ? g->quantity : m->amount);
    if (g) {
        sqlite3_bind_int64(q, 6, g->unit_value);
        db_bind_text(q, 7, g->batch);
        db_bind_text(q, 8, g->expiry);
    }
    int64_t id = 0;
    int rc;
    while (!id && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t cand = sqlite3_column_int64(q, 0);
        bool taken = false;
        for (size_t i = 0; i < l->nmatched && !taken; i++)
            taken = l->matched[i] == cand;
        if (!taken)
            id = cand;
    }
    db_reset(q);
    if (!id)
        return WS_OK;
    *posted = true;
    return res_matched_add(l, id);
}

/* The row's date as stored ("" when it is no date: the donation's own
 * check then says why). */
static void res_row_date(const char *cell, char out[16])
{
    if (val_date(cell, "9999-12-31", false, out) != VAL_OK)
        out[0] = '\0';
}

/* A code point of s at *i (advanced past it); full-width ASCII (１,０００．５,
 * ￥ typed in the IME's full-width mode) as its half-width self. */
static uint32_t res_next_char(const char *s, size_t *i, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t n = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < n; k++)
        if (!p[k] || (p[k] & 0xC0) != 0x80)
            n = k; /* broken UTF-8: the bytes it has */
    uint32_t c = n == 1 ? p[0] : n == 2 ? (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu)
                 : n == 3 ? (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu)
                          : 0xFFFD;
    *len = n;
    *i += n;
    return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c;
}

/* Whether s (len bytes) begins (or, at_end, ends) with word, in any case;
 * *cut: its length. */
static bool res_affix(const char *s, size_t len, const char *word, bool at_end, size_t *cut)
{
    size_t n = strlen(word);
    if (len < n || strncasecmp(at_end ? s + len - n : s, word, n) != 0)
        return false;
    *cut = n;
    return true;
}

/* Thousands separators where thousands are: 1,000 and 12,345.67, not
 * 1,5 or 10,00 (a decimal comma, or a typo). */
static bool res_thousands(const char *t)
{
    const char *p = t + (*t == '-');
    size_t lead = strspn(p, "0123456789");
    if (lead < 1 || lead > 3 || p[lead] != ',')
        return false;
    p += lead;
    while (*p == ',') {
        if (strspn(p + 1, "0123456789") < 3 || (p[4] >= '0' && p[4] <= '9'))
            return false;
        p += 4;
    }
    return *p == '\0' || (*p == '.' && strspn(p + 1, "0123456789") == strlen(p + 1));
}

/* A number cell as Excel or WPS writes it in a CSV, in out as the kind
 * reads numbers: thousands separators (1,000.00) off; for money a currency
 * sign or 元 around it (￥200, RMB 200, 200元) off too; a count written
 * with decimals of nothing (10.00) as 10. WS_ERR_INVALID with why naming
 * what to remove when that is not plain: a comma off the thousands, or a
 * character no number has. */
static ws_status res_number_cell(const char *cell, bool money, const char *label, char *out,
                                 size_t outsz, char *why, size_t whysz)
{
    static const char *const signs[] = {"￥", "¥", "RMB", "CNY", "人民币"};
    size_t len = strlen(cell), cut = 0;
    const char *v = cell;
    for (size_t i = 0; money && i < sizeof signs / sizeof *signs; i++)
        if (res_affix(v, len, signs[i], false, &cut)) {
            v += cut;
            len -= cut;
            break;
        }
    if (money && res_affix(v, len, "元", true, &cut))
        len -= cut;
    char t[128], stray[64] = "";
    size_t used = 0, nstray = 0;
    for (size_t i = 0; i < len && used + 1 < sizeof t;) {
        size_t at = i, n = 0;
        uint32_t c = res_next_char(v, &i, &n);
        if (c == ' ' || c == 0x3000)
            continue; /* around a sign, or Excel's "1 000" */
        if ((c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-') {
            t[used++] = (char)c;
        } else if (!memmem(stray, nstray, v + at, n)) {
            /* each one quoted: “约”“块” */
            const char *q = nstray ? "\xe2\x80\x9d\xe2\x80\x9c" : "";
            if (nstray + strlen(q) + n < sizeof stray)
                nstray += (size_t)snprintf(stray + nstray, sizeof stray - nstray, "%s%.*s", q,
                                           (int)n, v + at);
        }
    }
    t[used] = '\0';
    if (stray[0]) {
        trf(why, whysz, "res.import_number_strip", label, cell, stray);
        return WS_ERR_INVALID;
    }
    if (strchr(t, ',')) {
        if (!res_thousands(t)) {
            trf(why, whysz, "res.import_number_comma", label, cell);
            return WS_ERR_INVALID;
        }
        char *w = t;
        for (const char *r = t; *r; r++)
            if (*r != ',')
                *w++ = *r;
        *w = '\0';
    }
    if (money && !import_money_decimals(t, label, why, whysz))
        return WS_ERR_INVALID;
    char *dot = money ? NULL : strchr(t, '.');
    if (dot && dot > t && dot[1] && strspn(dot + 1, "0") == strlen(dot + 1))
        *dot = '\0';
    snprintf(out, outsz, "%s", t);
    return WS_OK;
}

/* A cell into field of a line (kind k) as the kind stores it: a number
 * without Excel's dressing, a date as YYYY-MM-DD (2027/11/30 is the
 * 2027-11-30 a posted line holds: compared as stored, a re-import posts
 * nothing twice). WS_ERR_INVALID with why. */
static ws_status res_line_field(station *st, const record_kind *k, int field, const char *cell,
                                void *rec, char *why, size_t whysz)
{
    const field_def *f = &k->fields[field];
    char num[128];
    if (cell[0] && (f->type == FLD_MONEY || f->type == FLD_INT)) {
        ws_status s = res_number_cell(cell, f->type == FLD_MONEY, tr(f->label), num, sizeof num,
                                      why, whysz);
        if (s != WS_OK)
            return s;
        cell = num;
    }
    val_status v = record_parse(st, k, field, cell, rec);
    if (v != VAL_OK) {
        record_error pe = {.field = field, .code = v};
        if (v == VAL_TOO_LONG && f->type == FLD_MONEY)
            res_fail(&pe, field, tr("res.err_amount_max"));
        res_why(k, &pe, why, whysz);
        return WS_ERR_INVALID;
    }
    if (f->type == FLD_DATE) {
        char *text = (char *)rec + f->offset, norm[16];
        if (text[0] && val_date(text, "9999-12-31", false, norm) == VAL_OK)
            snprintf(text, f->size, "%s", norm);
    }
    return WS_OK;
}

/* Whether two units are the same word (公斤, 公斤 ; ＫＧ, kg). */
static bool res_same_word(const char *a, const char *b)
{
    char *fa = text_fold(a), *fb = text_fold(b);
    char ta[64] = "", tb[64] = "";
    if (fa)
        res_trimmed(fa, ta, sizeof ta);
    if (fb)
        res_trimmed(fb, tb, sizeof tb);
    free(fa);
    free(fb);
    return strcmp(ta, tb) == 0;
}

/* A row's 单位, when it has one, is the item's: 10 斤 of rice is not 10 of
 * the item list's 袋. */
static ws_status res_row_unit(station *st, int64_t item, const char *name, const char *unit,
                              char *why, size_t whysz)
{
    char has[64] = "";
    if (!unit[0])
        return WS_OK;
    ws_status s = db_text_i64(station_db(st), "SELECT unit FROM items WHERE id = ?1", item, has,
                              sizeof has);
    if (s != WS_OK || res_same_word(unit, has))
        return s;
    trf(why, whysz, "res.import_unit_differs", name, has, unit, has);
    return WS_ERR_INVALID;
}

/* A goods row's line (item, quantity, unit, price, batch, expiry). */
static ws_status res_row_goods(station *st, char c[][512], donation_goods *g, char *why,
                               size_t whysz)
{
    ws_status s = res_find(st, &kind_item, c[ID_ITEM], &g->item_id);
    if (s == WS_OK && !g->item_id) {
        trf(why, whysz, "res.import_no_item", c[ID_ITEM]);
        return WS_ERR_INVALID;
    }
    if (s == WS_OK)
        s = res_row_unit(st, g->item_id, c[ID_ITEM], c[ID_UNIT], why, whysz);
    const int fields[] = {DGF_QUANTITY, DGF_UNIT_VALUE, DGF_BATCH, DGF_EXPIRY};
    const size_t cols[] = {ID_QTY, ID_UNIT_VALUE, ID_BATCH, ID_EXPIRY};
    for (size_t i = 0; s == WS_OK && i < 4; i++)
        s = res_line_field(st, &kind_donation_goods, fields[i], c[cols[i]], g, why, whysz);
    snprintf(g->condition, sizeof g->condition, "new");
    return s;
}

/* A money row's line (fund and amount). */
static ws_status res_row_money(station *st, char c[][512], donation_money *m, char *why,
                               size_t whysz)
{
    snprintf(m->method, sizeof m->method, "transfer");
    if (!c[ID_FUND][0]) {
        trf(why, whysz, "res.import_need", tr("res.f_fund"));
        return WS_ERR_INVALID;
    }
    ws_status s = res_find(st, &kind_fund, c[ID_FUND], &m->fund_id);
    if (s == WS_OK && !m->fund_id) {
        trf(why, whysz, "res.import_no_fund", c[ID_FUND]);
        return WS_ERR_INVALID;
    }
    return s == WS_OK ? res_line_field(st, &kind_donation_money, DMF_AMOUNT, c[ID_AMOUNT], m,
                                       why, whysz)
                      : s;
}

/* One row of the donations ledger: WS_ERR_INVALID with why when bad;
 * a row whose line is already posted counts in rep->posted, unwritten. */
static ws_status res_donation_row(station *st, res_ledger *l, const csv_row *row,
                                  res_import_report *rep, char *why, size_t whysz)
{
    char c[ID_COUNT][512];
    for (size_t w = 0; w < ID_COUNT; w++)
        res_cell(l, row, w, c[w], sizeof c[w]);
    if (!c[ID_DATE][0] || !c[ID_DONOR][0]) {
        trf(why, whysz, "res.import_need", tr(!c[ID_DATE][0] ? "res.f_donation_date"
                                                             : "res.f_donor"));
        return WS_ERR_INVALID;
    }
    bool goods = c[ID_ITEM][0] != '\0';
    if (!goods && !c[ID_AMOUNT][0]) {
        snprintf(why, whysz, "%s", tr("res.import_item_or_amount"));
        return WS_ERR_INVALID;
    }
    /* The line first, so that one already posted is known before anything
     * (a donor, a donation) is made for it. */
    donation_goods g;
    donation_money m;
    record_init(&kind_donation_goods, &g);
    record_init(&kind_donation_money, &m);
    ws_status s = goods ? res_row_goods(st, c, &g, why, whysz)
                        : res_row_money(st, c, &m, why, whysz);
    if (s != WS_OK)
        return s;
    char date[16];
    res_row_date(c[ID_DATE], date);
    bool posted = false;
    if (s == WS_OK && date[0])
        s = res_line_posted(st, l, c[ID_NUMBER], date, c[ID_DONOR], goods ? &g : NULL,
                            goods ? NULL : &m, &posted);
    if (s != WS_OK)
        return s;
    if (posted) {
        rep->posted++;
        return WS_OK;
    }
    int64_t donation_id = 0;
    s = res_row_donation(st, c[ID_NUMBER], c[ID_DATE], c[ID_DONOR], c[ID_PURPOSE],
                         &donation_id, rep, why, whysz);
    if (s != WS_OK)
        return s;
    record_error re;
    const record_kind *k = goods ? &kind_donation_goods : &kind_donation_money;
    if (goods)
        g.donation_id = donation_id;
    else
        m.donation_id = donation_id;
    s = record_save(st, k, goods ? (void *)&g : (void *)&m, &re);
    if (s == WS_ERR_INVALID)
        res_why(k, &re, why, whysz);
    /* A later row the same as this one is a second line, not this one. */
    if (s == WS_OK)
        s = res_matched_add(l, goods ? g.id : m.id);
    return s;
}

enum { IT_NAME, IT_ID, IT_PERSON, IT_SIGNED, IT_ITEM, IT_QTY, IT_BY, IT_DATE, IT_COUNT };
static const char *const res_dist_in[IT_COUNT] = {
    "发放名称|活动名称|慰问活动|发放", "身份证号|公民身份号码|身份证", "姓名|户主|户主姓名",
    "签领|签字|签领情况|是否签领", "物资|物资名称", "数量|每户数量", "代领人|代领人姓名|领取人",
    "签领日期|签字日期|领取日期"};
static const bool res_dist_req[IT_COUNT] = {[IT_NAME] = true, [IT_SIGNED] = true};

/* The household of the resident a row names (by ID number, else by a
 * name that only one living resident has). */
static ws_status res_row_household(station *st, const char *idnum, const char *name,
                                   int64_t *household, char *why, size_t whysz)
{
    db *d = station_db(st);
    *household = 0;
    if (strchr(idnum, '*')) {
        /* A masked export keyed back: the number names nobody. */
        trf(why, whysz, "res.import_id_masked", idnum);
        return WS_ERR_INVALID;
    }
    if (import_id_scientific(idnum)) {
        trf(why, whysz, "record.field_error", tr("field.id_number"), tr("import.scientific"));
        return WS_ERR_INVALID;
    }
    sqlite3_stmt *q;
    if (idnum[0]) {
        q = db_prepare(d, "SELECT household_id, 1 FROM residents WHERE id_number = upper(?1)"
                          " AND deleted_at IS NULL AND household_id IS NOT NULL LIMIT 1");
    } else {
        q = db_prepare(d, "SELECT min(household_id), count(*) FROM residents WHERE name = ?1"
                          " AND deleted_at IS NULL AND household_id IS NOT NULL");
    }
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, idnum[0] ? idnum : name);
    int64_t n = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        *household = sqlite3_column_int64(q, 0);
        n = sqlite3_column_int64(q, 1);
    }
    db_reset(q);
    if (n > 1) {
        trf(why, whysz, "res.import_name_twice", name, (long long)n);
        *household = 0;
        return WS_ERR_INVALID;
    }
    if (!*household) {
        if (idnum[0])
            trf(why, whysz, "res.import_no_resident_id", idnum);
        else if (name[0])
            trf(why, whysz, "res.import_no_resident", name);
        else
            trf(why, whysz, "res.import_need", tr("res.import_who"));
        return WS_ERR_INVALID;
    }
    return WS_OK;
}

/* What the 签领 cell says: signed, absent, or who collected; the list's
 * own labels first (an export keyed back: 待签领 is nobody's name). */
static const char *res_sign_of(station *st, const char *cell, const char **by)
{
    const code_list *cl = codebook_list(station_codes(st), "sign_status");
    for (size_t i = 0; cl && cell[0] && i < cl->n; i++)
        if (strcmp(cell, code_label(&cl->items[i], 0)) == 0 ||
            strcmp(cell, code_label(&cl->items[i], 1)) == 0) {
            *by = NULL;
            return cl->items[i].code;
        }
    static const char *const yes[] = {"是", "已签领", "已签", "签领", "√", "✓", "Y", "y", "yes", "1"};
    static const char *const no[] = {"否", "未领", "未签", "缺席", "×", "N", "n", "no", "0"};
    *by = NULL;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(cell, yes[i]) == 0)
            return "signed";
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(cell, no[i]) == 0)
            return "absent";
    if (!cell[0])
        return "listed";
    /* "代领：张三", "张三代领", or a name */
    const char *p = strstr(cell, "代领");
    if (p == cell) {
        p += strlen("代领");
        while (*p == ':' || *p == ' ' || strncmp(p, "：", 3) == 0)
            p += (*p == ':' || *p == ' ') ? 1 : 3;
        *by = p;
    } else {
        *by = cell;
    }
    return "collected";
}

/* Whether distribution `dist` had a list when this import first met it. */
static ws_status res_dist_listed(station *st, res_ledger *l, int64_t dist, bool *listed)
{
    for (size_t i = 0; i < l->ndist; i++)
        if (l->dist_seen[i] == dist) {
            *listed = l->dist_listed[i];
            return WS_OK;
        }
    bool found = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM distribution_lines WHERE"
                                " distribution_id = ?1", dist, 0, &found);
    *listed = found;
    if (s == WS_OK && l->ndist < 64) {
        l->dist_seen[l->ndist] = dist;
        l->dist_listed[l->ndist++] = found;
    }
    return s;
}

/* The distribution a row names: by its name, or, when none has it, the
 * one whose name differs only in spaces (2026春节慰问 for 2026 春节慰问).
 * WS_ERR_INVALID with why when none is, or more than one. */
static ws_status res_dist_find(station *st, const char *name, int64_t *dist, char *why,
                               size_t whysz)
{
    ws_status s = res_find(st, &kind_distribution, name, dist);
    if (s != WS_OK || *dist)
        return s;
    char bare[512];
    size_t used = 0;
    for (size_t i = 0, n = 0; name[i] && used + 4 < sizeof bare;) {
        size_t at = i;
        uint32_t c = res_next_char(name, &i, &n);
        if (c != ' ' && c != '\t' && c != 0x3000) {
            memcpy(bare + used, name + at, n);
            used += n;
        }
    }
    bare[used] = '\0';
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id, name FROM distributions WHERE deleted_at IS NULL"
                                    " AND replace(replace(replace(name, ' ', ''), char(9), ''),"
                                    " char(12288), '') = ?1 ORDER BY id LIMIT 2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, bare);
    char names[2][256] = {"", ""};
    int64_t ids[2] = {0, 0};
    int rc, n = 0;
    while (n < 2 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        ids[n] = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, names[n++], sizeof names[0]);
    }
    db_reset(q);
    if (n == 1)
        *dist = ids[0];
    else if (n == 2)
        trf(why, whysz, "res.import_dist_alike", name, names[0], names[1]);
    else
        trf(why, whysz, "res.import_no_dist", name);
    return n == 1 ? WS_OK : WS_ERR_INVALID;
}

/* Whether line already says status (and who collected, and the day it
 * was signed when the row gives one): a sheet keyed back as it was
 * exported writes nothing. */
static ws_status res_dist_same(station *st, int64_t line, const char *status, const char *by,
                               const char *signed_on, bool *same)
{
    *same = false;
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT status, coalesce(collected_by, ''),"
                                                 " coalesce(signed_date, '')"
                                                 " FROM distribution_lines WHERE id = ?1");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, line);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *was = (const char *)sqlite3_column_text(q, 0);
        const char *was_by = (const char *)sqlite3_column_text(q, 1);
        const char *was_on = (const char *)sqlite3_column_text(q, 2);
        *same = was && strcmp(was, status) == 0 &&
                (strcmp(status, "collected") != 0 || strcmp(was_by, by ? by : "") == 0) &&
                (!signed_on[0] || strcmp(was_on, signed_on) == 0);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status res_dist_row(station *st, res_ledger *l, const csv_row *row,
                              res_import_report *rep, char *why, size_t whysz)
{
    char c[IT_COUNT][512];
    for (size_t w = 0; w < IT_COUNT; w++)
        res_cell(l, row, w, c[w], sizeof c[w]);
    int64_t dist = 0;
    ws_status s = res_dist_find(st, c[IT_NAME], &dist, why, whysz);
    int64_t household = 0;
    if (s == WS_OK)
        s = res_row_household(st, c[IT_ID], c[IT_PERSON], &household, why, whysz);
    if (s != WS_OK)
        return s;
    /* 物资 and 数量, when given, are the distribution's. */
    if (c[IT_ITEM][0]) {
        int64_t per = -1;
        sqlite3_stmt *q = db_prepare(station_db(st),
            "SELECT di.quantity FROM distribution_items di JOIN items i ON i.id = di.item_id"
            " WHERE di.distribution_id = ?1 AND i.name = ?2 AND di.deleted_at IS NULL");
        if (!q)
            return db_status(station_db(st));
        sqlite3_bind_int64(q, 1, dist);
        db_bind_text(q, 2, c[IT_ITEM]);
        if (sqlite3_step(q) == SQLITE_ROW)
            per = sqlite3_column_int64(q, 0);
        db_reset(q);
        if (per < 0 || (c[IT_QTY][0] && strtoll(c[IT_QTY], NULL, 10) != per)) {
            trf(why, whysz, "res.import_not_dist_item", c[IT_ITEM], c[IT_QTY]);
            return WS_ERR_INVALID;
        }
    }
    const char *by = NULL;
    const char *status = res_sign_of(st, c[IT_SIGNED], &by);
    if ((!by || !by[0]) && c[IT_BY][0])
        by = c[IT_BY]; /* 代领 with the name in a 代领人 column */
    /* The day the person signed, as the kind stores a date; a line not
     * signed for has none (a date there is a mistake on one side). */
    char signed_on[16] = "";
    if (c[IT_DATE][0] && strcmp(status, "signed") != 0 && strcmp(status, "collected") != 0) {
        if (c[IT_SIGNED][0])
            trf(why, whysz, "res.import_signed_not_taken", c[IT_SIGNED]);
        else
            snprintf(why, whysz, "%s", tr("res.import_signed_empty"));
        return WS_ERR_INVALID;
    }
    if (c[IT_DATE][0]) {
        char today[11];
        date_today(today);
        val_status v = val_date(c[IT_DATE], today, true, signed_on);
        if (v != VAL_OK) {
            trf(why, whysz, "record.field_error", tr("res.x_signed_date"), tr(val_status_key(v)));
            return WS_ERR_INVALID;
        }
    }
    record_error re;
    int64_t line = 0;
    bool listed = false;
    s = res_dist_listed(st, l, dist, &listed);
    if (s == WS_OK)
        s = res_dist_line_of(st, dist, household, &line);
    /* A roster makes the list of a distribution that had none; a sheet
     * keyed back names only the households on it. */
    if (s == WS_ERR_NOT_FOUND && listed) {
        trf(why, whysz, "res.import_not_on_sheet", c[IT_ID][0] ? c[IT_ID] : c[IT_PERSON],
            c[IT_NAME]);
        return WS_ERR_INVALID;
    }
    if (s == WS_ERR_NOT_FOUND) {
        s = res_dist_add(st, dist, household, &re);
        if (s == WS_OK)
            s = res_dist_line_of(st, dist, household, &line);
    }
    bool same = false;
    if (s == WS_OK)
        s = res_dist_same(st, line, status, by, signed_on, &same);
    if (s == WS_OK && same) {
        rep->unchanged++;
        return WS_OK;
    }
    if (s == WS_OK)
        s = res_dist_mark_on(st, line, status, by, signed_on, &re);
    if (s == WS_ERR_INVALID)
        record_error_reason(&re, why, whysz);
    return s;
}

typedef ws_status (*res_row_fn)(station *st, res_ledger *l, const csv_row *row,
                                res_import_report *rep, char *why, size_t whysz);

static ws_status res_dist_row_fn(station *st, res_ledger *l, const csv_row *row,
                                 res_import_report *rep, char *why, size_t whysz)
{
    return res_dist_row(st, l, row, rep, why, whysz);
}

/* One transaction; each row in its own level, so a bad one leaves nothing. */
static ws_status res_import_run(station *st, const char *path, const import_opts *opts,
                                res_import_report *rep, char *err, size_t errsz,
                                const char *const *wanted, const bool *required, size_t nwanted,
                                res_row_fn row_fn, const char *header_key)
{
    memset(rep, 0, sizeof *rep);
    err[0] = '\0';
    ws_status s = station_require(st, PERM_IMPORT);
    if (s == WS_OK)
        s = station_require(st, PERM_RESOURCES);
    if (s != WS_OK)
        return s;
    res_ledger l;
    s = res_ledger_open(&l, path, opts, err, errsz);
    if (s == WS_OK && !res_ledger_header(&l, wanted, nwanted, required, rep)) {
        /* a workbook's sheet, not an encoding: "book." + the key's name */
        char book_key[96];
        snprintf(book_key, sizeof book_key, "book.%s", strchr(header_key, '.') + 1);
        if (l.sheet[0])
            trf(err, errsz, book_key, l.sheet);
        else
            trf(err, errsz, header_key, l.enc.name);
        s = WS_ERR_INVALID;
    }
    db *d = station_db(st);
    if (s == WS_OK)
        s = db_begin(d);
    bool began = s == WS_OK;
    csv_row row;
    while (s == WS_OK && (s = csv_next(l.rd, &row)) == WS_OK) {
        if (row.blank)
            continue;
        import_skip_reason skip;
        if (import_summary_row(&row, l.col[1], NULL, &skip)) {
            rep->skipped++;
            continue;
        }
        rep->rows++;
        char why[512] = "";
        size_t made = rep->donations, posted = rep->posted, unchanged = rep->unchanged;
        s = db_begin(d);
        if (s == WS_OK)
            s = row_fn(st, &l, &row, rep, why, sizeof why);
        if (s == WS_ERR_INVALID) {
            db_rollback(d);
            rep->donations = made; /* its donation went with it */
            res_error_row(&l, rep, &row, why[0] ? why : tr("status.invalid"));
            s = WS_OK;
        } else {
            s = db_end(d, s);
            if (s == WS_OK && rep->posted == posted && rep->unchanged == unchanged)
                rep->written++;
        }
    }
    if (s == WS_ERR_NOT_FOUND)
        s = WS_OK;
    if (began) {
        if (s == WS_OK && opts && opts->dry_run)
            db_rollback(d);
        else
            s = db_end(d, s);
    }
    if (s == WS_OK && !(opts && opts->dry_run))
        s = res_ledger_errors(st, &l, path, rep);
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    res_ledger_close(&l);
    return s;
}

ws_status res_import_donations(station *st, const char *path, const import_opts *opts,
                               res_import_report *rep, char *err, size_t errsz)
{
    return res_import_run(st, path, opts, rep, err, errsz, res_donation_in, res_donation_req,
                          ID_COUNT, res_donation_row, "res.import_no_header_donations");
}

ws_status res_import_distributions(station *st, const char *path, const import_opts *opts,
                                   res_import_report *rep, char *err, size_t errsz)
{
    return res_import_run(st, path, opts, rep, err, errsz, res_dist_in, res_dist_req, IT_COUNT,
                          res_dist_row_fn, "res.import_no_header_distributions");
}
