#include "wushe/export.h"

#include "wushe/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "export_internal.h"
#include "ids.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/csv.h"
#include "wushe/record.h"
#include "wushe/encoding.h"
#include "wushe/resident.h"
#include "wushe/text.h"

enum {
    EC_NAME,
    EC_SEX,
    EC_ID,
    EC_BIRTH,
    EC_PHONE,
    EC_ETHNICITY,
    EC_COMMUNITY,
    EC_HOUSEHOLD,
    EC_RELATION,
    EC_ADDRESS,
    EC_GROUPS,
    EC_DIS_TYPE, /* of the disability status */
    EC_DIS_GRADE,
    EC_DIS_CERT,
    EC_NOTES,
    EC_COUNT
};

/* The import maps every one of these titles back (both languages). */
static const char *const export_keys[EC_COUNT] = {
    "export.col_name",      "export.col_sex",       "export.col_id_number",
    "export.col_birth_date", "export.col_phone",    "export.col_ethnicity",
    "export.col_community", "export.col_household", "export.col_relation",
    "export.col_address",   "export.col_groups",    "export.col_disability_type",
    "export.col_disability_grade", "export.col_disability_cert", "export.col_notes",
};

size_t export_columns(const char *const **keys)
{
    *keys = export_keys;
    return EC_COUNT;
}


export_format export_format_for(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0 ? EXPORT_XLSX : EXPORT_CSV;
}

static const char *export_label(station *st, const char *list, const char *code, int brief)
{
    const code_item *it = *code ? codebook_find(station_codes(st), list, code) : NULL;
    return it ? code_label(it, brief) : code;
}

static void export_fill(station *st, const export_opts *o, const resident_row *rr,
                        const resident *r, export_row *row)
{
    memset(row->cells, 0, sizeof row->cells);
    snprintf(row->cells[EC_NAME], sizeof row->cells[0], "%s", r->name);
    char sex[4];
    snprintf(sex, sizeof sex, "%d", r->sex);
    snprintf(row->cells[EC_SEX], sizeof row->cells[0], "%s",
             r->sex ? export_label(st, "sex", sex, 0) : "");
    if (o->unmasked) {
        snprintf(row->cells[EC_ID], sizeof row->cells[0], "%s", r->id_number);
        snprintf(row->cells[EC_PHONE], sizeof row->cells[0], "%s", r->phone);
    } else {
        mask_id_number(r->id_number, row->cells[EC_ID], sizeof row->cells[0]);
        mask_phone(r->phone, row->cells[EC_PHONE], sizeof row->cells[0]);
    }
    if (o->unmasked)
        snprintf(row->cells[EC_BIRTH], sizeof row->cells[0], "%s", r->birth_date);
    else
        mask_birth_date(r->birth_date, row->cells[EC_BIRTH], sizeof row->cells[0]);
    snprintf(row->cells[EC_ETHNICITY], sizeof row->cells[0], "%s",
             export_label(st, "ethnicity", r->ethnicity, 0));
    snprintf(row->cells[EC_COMMUNITY], sizeof row->cells[0], "%s", rr->community);
    snprintf(row->cells[EC_HOUSEHOLD], sizeof row->cells[0], "%s", rr->household);
    snprintf(row->cells[EC_RELATION], sizeof row->cells[0], "%s",
             export_label(st, "relation", r->relation, 0));
    snprintf(row->cells[EC_ADDRESS], sizeof row->cells[0], "%s", r->address);
    size_t used = 0;
    for (size_t i = 0; i < r->ngroups && used + 64 < sizeof row->cells[0]; i++)
        used += (size_t)snprintf(row->cells[EC_GROUPS] + used, sizeof row->cells[0] - used,
                                 "%s%s", i ? tr("export.group_sep") : "",
                                 export_label(st, "vulnerable_group", r->groups[i].code, 1));
    int di = resident_disability_index(st, r);
    if (di >= 0) {
        const resident_group *g = &r->groups[di];
        snprintf(row->cells[EC_DIS_TYPE], sizeof row->cells[0], "%s",
                 export_label(st, "disability_type", g->disability_type, 0));
        snprintf(row->cells[EC_DIS_GRADE], sizeof row->cells[0], "%s",
                 export_label(st, "disability_grade", g->disability_grade, 0));
        /* A 残疾证号 is the ID number and two digits: masked like it. */
        if (o->unmasked)
            snprintf(row->cells[EC_DIS_CERT], sizeof row->cells[0], "%s", g->cert_no);
        else
            mask_id_number(g->cert_no, row->cells[EC_DIS_CERT], sizeof row->cells[0]);
    }
    snprintf(row->cells[EC_NOTES], sizeof row->cells[0], "%s", r->notes);
}

static ws_status export_residents_walk(const export_sheet *sh, station *st,
                                       const export_opts *o, export_emit_fn emit, void *ctx,
                                       size_t *rows)
{
    (void)sh;
    enum { PAGE = 256 };
    resident_row *page = calloc(PAGE, sizeof *page);
    resident *r = malloc(sizeof *r);
    export_row *row = malloc(sizeof *row);
    ws_status s = page && r && row ? WS_OK : WS_ERR_NOMEM;
    int64_t total = 0;
    if (s == WS_OK && o->progress && resident_count(st, o->filter, &total) != WS_OK)
        total = 0;
    int64_t after = 0;
    size_t n = 0, done = 0;
    while (s == WS_OK) {
        s = resident_list(st, o->filter, after, 1, page, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            s = resident_load(st, page[i].id, r);
            if (s == WS_ERR_NOT_FOUND) { /* deleted meanwhile */
                s = WS_OK;
                continue;
            }
            if (s != WS_OK)
                break;
            export_fill(st, o, &page[i], r, row);
            s = emit(ctx, row);
            done++;
            if (s == WS_OK && o->progress && done % 256 == 0 &&
                !o->progress(o->ctx, done, (size_t)total > done ? (size_t)total : done))
                s = WS_ERR_INVALID;
        }
        if (s != WS_OK || n < PAGE)
            break;
        after = page[n - 1].id;
    }
    if (s == WS_OK && o->progress)
        o->progress(o->ctx, done, done);
    free(page);
    free(r);
    free(row);
    if (rows)
        *rows = done;
    return s;
}

static void export_residents_sheet(export_sheet *sh)
{
    memset(sh, 0, sizeof *sh);
    sh->what = "residents";
    sh->name = tr("export.sheet");
    sh->ncols = EC_COUNT;
    for (int i = 0; i < EC_COUNT; i++)
        sh->titles[i] = tr(export_keys[i]);
    sh->text[EC_ID] = sh->text[EC_PHONE] = sh->text[EC_DIS_CERT] = true;
    sh->date[EC_BIRTH] = true;
    sh->walk = export_residents_walk;
}

/* ---- a declared kind's sheet: its ledger fields ---- */

/* Whether a record's period (its kind's date) is within --from/--to. */
static bool export_in_period(const record_kind *k, const export_opts *o, const void *rec)
{
    int f = k->period ? record_field_index(k, k->period) : -1;
    if (f < 0 || ((!o->from || !o->from[0]) && (!o->to || !o->to[0])))
        return true;
    const char *v = (const char *)rec + k->fields[f].offset;
    if (o->from && o->from[0] && (!v[0] || strcmp(v, o->from) < 0))
        return false;
    return !(o->to && o->to[0] && (!v[0] || strcmp(v, o->to) > 0));
}

/* A cell of a kind's sheet; a reference as its kind names it in a ledger
 * (so that a namesake's visit imports back as that person's). */
static ws_status export_cell(station *st, const record_kind *k, int field, const void *rec,
                             const export_opts *o, char *out, size_t outsz)
{
    const field_def *f = &k->fields[field];
    const record_kind *ref = f->type == FLD_REF ? field_ref(f) : NULL;
    int64_t id = 0;
    if (ref)
        memcpy(&id, (const char *)rec + f->offset, sizeof id);
    if (ref && id && ref->hooks.ledger_name)
        return ref->hooks.ledger_name(st, id, !o->unmasked, out, outsz);
    record_format(st, k, field, rec, !o->unmasked, out, outsz);
    return WS_OK;
}

static ws_status export_kind_walk(const export_sheet *sh, station *st, const export_opts *o,
                                  export_emit_fn emit, void *ctx, size_t *rows)
{
    enum { PAGE = 256 };
    const record_kind *k = sh->kind;
    record_row *page = calloc(PAGE, sizeof *page);
    void *rec = calloc(1, k->size);
    export_row *row = malloc(sizeof *row);
    ws_status s = page && rec && row ? WS_OK : WS_ERR_NOMEM;
    int64_t after = 0;
    size_t n = 0, done = 0;
    while (s == WS_OK) {
        s = record_list(st, k, o->filter, false, after, 1, page, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            s = record_read(st, k, page[i].id, rec);
            if (s == WS_ERR_NOT_FOUND) { /* deleted meanwhile */
                s = WS_OK;
                continue;
            }
            if (s == WS_OK && !export_in_period(k, o, rec))
                continue;
            for (size_t c = 0; s == WS_OK && c < sh->ncols; c++)
                s = export_cell(st, k, sh->fields[c], rec, o, row->cells[c],
                                sizeof row->cells[c]);
            if (s == WS_OK)
                s = emit(ctx, row);
            done++;
        }
        if (s != WS_OK || n < PAGE)
            break;
        after = page[n - 1].id;
    }
    free(page);
    free(rec);
    free(row);
    if (rows)
        *rows = done;
    return s;
}

static void export_kind_sheet(const record_kind *k, const export_opts *o, export_sheet *sh)
{
    memset(sh, 0, sizeof *sh);
    sh->what = k->table;
    sh->name = tr(k->label);
    sh->kind = k;
    sh->walk = export_kind_walk;
    for (size_t i = 0; i < k->nfields && sh->ncols < EXPORT_MAX_COLS; i++) {
        const field_def *f = &k->fields[i];
        if (!(f->flags & FF_LEDGER) || ((f->flags & FF_NOTES) && !o->with_notes))
            continue;
        sh->fields[sh->ncols] = (int)i;
        sh->titles[sh->ncols] = tr(f->label);
        sh->text[sh->ncols] = f->type == FLD_ID_NUMBER || f->type == FLD_PHONE ||
                              f->type == FLD_DIGITS || (f->flags & FF_MASKED);
        sh->date[sh->ncols] = f->type == FLD_DATE;
        sh->number[sh->ncols] = f->type == FLD_INT || f->type == FLD_MONEY;
        sh->ncols++;
    }
}

/* Every export is for the role that may make it (an unmasked one only for
 * a 站长) and is recorded before any row is written; its entry gets the
 * row count when it is done. */
static ws_status export_record(station *st, const export_sheet *sh, const export_opts *o,
                               const char *path, int64_t *entry)
{
    *entry = 0;
    /* Full identifiers and case content: the 站长's. */
    ws_status s = station_require(st, o->unmasked || o->with_notes ? PERM_EXPORT_UNMASKED
                                                                   : PERM_EXPORT);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT json_object('file', ?1, 'format', ?2,"
                                    " 'filter', ?3, 'masked', ?4, 'notes', ?5, 'from', ?6,"
                                    " 'to', ?7)");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, path);
    db_bind_text(q, 2, o->format == EXPORT_XLSX ? "xlsx" : "csv");
    db_bind_text_or_null(q, 3, o->filter);
    sqlite3_bind_int(q, 4, !o->unmasked);
    sqlite3_bind_int(q, 5, o->with_notes);
    db_bind_text_or_null(q, 6, o->from);
    db_bind_text_or_null(q, 7, o->to);
    int rc = sqlite3_step(q);
    char *json = rc == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(q, 0)) : NULL;
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (!json)
        return WS_ERR_NOMEM;
    s = access_log(st, &(access_entry){.event = EV_EXPORT, .table = sh->what,
                                       .detail = json, .id_out = entry});
    free(json);
    return s;
}

/* ---- CSV ---- */

typedef struct export_csv {
    csv_buf b;
    char delim;
    const export_sheet *sh;
} export_csv;

static void export_csv_cell(export_csv *c, int col, const char *v)
{
    csv_put_cell(&c->b, v, c->delim, col == 0, c->sh->text[col]);
}

static ws_status export_csv_emit(void *ctx, const export_row *row)
{
    export_csv *c = ctx;
    for (size_t i = 0; i < c->sh->ncols; i++)
        export_csv_cell(c, (int)i, row->cells[i]);
    csv_end_row(&c->b, "\r\n");
    return c->b.oom ? WS_ERR_NOMEM : WS_OK;
}

static ws_status export_csv_bytes(const export_sheet *sh, station *st, const export_opts *opts,
                                  char **out, size_t *len, size_t *rows, char *err, size_t errsz)
{
    export_opts o = *opts;
    *out = NULL;
    *len = 0;
    err[0] = '\0';
    char enc[ENC_NAME_MAX] = "UTF-8";
    if (o.encoding && *o.encoding && !enc_canonical(o.encoding, enc, sizeof enc)) {
        trf(err, errsz, "import.bad_encoding", o.encoding);
        return WS_ERR_USAGE;
    }
    export_csv c = {.delim = strncasecmp(enc, "UTF-16", 6) == 0 ? '\t' : ',', .sh = sh};
    for (size_t i = 0; i < sh->ncols; i++)
        csv_put_field(&c.b, sh->titles[i], c.delim, i == 0);
    csv_end_row(&c.b, "\r\n");
    ws_status s = sh->walk(sh, st, &o, export_csv_emit, &c, rows);
    if (s == WS_OK && c.b.oom)
        s = WS_ERR_NOMEM;
    if (s == WS_OK)
        s = enc_from_utf8(c.b.p ? c.b.p : "", c.b.len, enc, strncasecmp(enc, "UTF-", 4) == 0,
                          out, len);
    csv_buf_free(&c.b);
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

ws_status export_sheet_csv(const export_sheet *sh, station *st, const export_opts *opts,
                           char **out, size_t *len, size_t *rows, char *err, size_t errsz)
{
    *out = NULL;
    *len = 0;
    int64_t entry = 0;
    ws_status s = export_record(st, sh, opts, "-", &entry);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    size_t n = 0;
    s = export_csv_bytes(sh, st, opts, out, len, &n, err, errsz);
    if (rows)
        *rows = n;
    return s == WS_OK ? access_log_rows(st, entry, (int64_t)n) : s;
}

ws_status export_residents_csv(station *st, const export_opts *opts, char **out, size_t *len,
                               size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_residents_sheet(&sh);
    return export_sheet_csv(&sh, st, opts, out, len, rows, err, errsz);
}

ws_status export_kind_csv(station *st, const record_kind *k, const export_opts *opts, char **out,
                          size_t *len, size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_kind_sheet(k, opts, &sh);
    return export_sheet_csv(&sh, st, opts, out, len, rows, err, errsz);
}

/* ---- XLSX ---- */

typedef struct export_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *text, *date, *header, *money;
    lxw_row_t row;
    int width[EXPORT_MAX_COLS]; /* display columns */
    lxw_error error;
    const export_sheet *sh;
} export_xlsx;

static void export_xlsx_width(export_xlsx *x, int col, const char *v)
{
    int w = text_width(v);
    if (w > x->width[col])
        x->width[col] = w;
}

static ws_status export_xlsx_emit(void *ctx, const export_row *row)
{
    export_xlsx *x = ctx;
    lxw_row_t y = ++x->row;
    for (int i = 0; i < (int)x->sh->ncols && !x->error; i++) {
        const char *v = row->cells[i];
        if (x->sh->date[i] && v[0]) {
            lxw_datetime dt = {0};
            if (sscanf(v, "%4d-%2d-%2d", &dt.year, &dt.month, &dt.day) == 3) {
                x->error = worksheet_write_datetime(x->ws, y, (lxw_col_t)i, &dt, x->date);
                export_xlsx_width(x, i, "0000-00-00");
                continue;
            }
        }
        if (!*v)
            continue;
        char *end = NULL;
        double d = x->sh->number[i] ? strtod(v, &end) : 0;
        if (end && end != v && !*end && d > -1e15 && d < 1e15) {
            /* An amount in yuan keeps its two decimals as Excel shows it. */
            x->error = worksheet_write_number(x->ws, y, (lxw_col_t)i, d,
                                              strchr(v, '.') ? x->money : NULL);
            export_xlsx_width(x, i, v);
            continue;
        }
        x->error = worksheet_write_string(x->ws, y, (lxw_col_t)i, v,
                                          x->sh->text[i] ? x->text : NULL);
        export_xlsx_width(x, i, v);
    }
    return x->error ? WS_ERR_IO : WS_OK;
}

/* The sheet's name as Excel allows one: none of []:*?/\ (社区/村 is
 * 社区、村), at most 31 characters. */
static void export_sheet_name(const export_sheet *sh, char *out, size_t outsz)
{
    const char *in = sh->name && sh->name[0] ? sh->name : tr("export.sheet");
    size_t used = 0, chars = 0;
    for (const char *p = in; *p && chars < 31 && used + 4 < outsz; chars++) {
        if (strchr("[]:*?/\\", *p)) {
            memcpy(out + used, "、", 3);
            used += 3;
            p++;
            continue;
        }
        size_t n = 1;
        while ((p[n] & 0xC0) == 0x80)
            n++;
        memcpy(out + used, p, n);
        used += n;
        p += n;
    }
    out[used] = '\0';
}

static ws_status export_xlsx_file(const export_sheet *sh, station *st, const export_opts *o,
                                  const char *tmp, size_t *rows, char *err, size_t errsz)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    export_xlsx x = {.sh = sh};
    x.wb = workbook_new_opt(tmp, &wo);
    if (!x.wb)
        return WS_ERR_IO;
    char name[128];
    export_sheet_name(sh, name, sizeof name);
    x.ws = workbook_add_worksheet(x.wb, name);
    x.text = workbook_add_format(x.wb);
    format_set_num_format(x.text, "@");
    x.date = workbook_add_format(x.wb);
    format_set_num_format(x.date, "yyyy-mm-dd");
    x.money = workbook_add_format(x.wb);
    format_set_num_format(x.money, "0.00");
    x.header = workbook_add_format(x.wb);
    format_set_bold(x.header);
    format_set_bottom(x.header, LXW_BORDER_THIN);
    format_set_bg_color(x.header, 0xDDEBF7);
    ws_status s = x.ws ? WS_OK : WS_ERR_IO;
    for (int i = 0; s == WS_OK && i < (int)sh->ncols; i++) {
        if (worksheet_write_string(x.ws, 0, (lxw_col_t)i, sh->titles[i], x.header))
            s = WS_ERR_IO;
        export_xlsx_width(&x, i, sh->titles[i]);
    }
    if (s == WS_OK) {
        worksheet_freeze_panes(x.ws, 1, 0);
        s = sh->walk(sh, st, o, export_xlsx_emit, &x, rows);
    }
    if (s == WS_OK) {
        /* Excel's column unit is about one Latin digit; a Chinese character
         * takes two, as in the terminal. */
        for (int i = 0; i < (int)sh->ncols; i++) {
            int w = x.width[i] + 2;
            if (w > 60)
                w = 60;
            worksheet_set_column(x.ws, (lxw_col_t)i, (lxw_col_t)i, w,
                                 sh->text[i] ? x.text : NULL);
        }
        if (x.row > 0)
            worksheet_autofilter(x.ws, 0, 0, x.row, (lxw_col_t)(sh->ncols - 1));
    }
    lxw_error e = workbook_close(x.wb);
    int why = errno;
    if (s == WS_OK && e != LXW_NO_ERROR) {
        /* The library says only "Zip generic error ZIP_ERRNO" (in English):
         * the clerk reads what the disk said. */
        struct statvfs fs;
        if (why != ENOSPC && why != EDQUOT && why != EROFS && why != EACCES &&
            statvfs(tmp, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < (1u << 20))
            why = ENOSPC;
        errno = why ? why : EIO;
        s = errno == ENOSPC || errno == EDQUOT ? WS_ERR_FULL : WS_ERR_IO;
        if (errsz)
            err[0] = '\0';
    }
    return s;
}

/* libxlsxwriter reports its failures on stderr, which in the console is
 * the screen curses draws: they are kept off it while a workbook is
 * written (what failed is said in the clerk's words instead). */
static int export_stderr_mute(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, STDERR_FILENO);
    if (null >= 0)
        close(null);
    return saved;
}

static void export_stderr_restore(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

/* "无法写入 path：磁盘已满" from errno, in the user's language. */
static void export_os_error(const char *path, char *err, size_t errsz)
{
    char why[256];
    trf(err, errsz, "os.write_failed", path, enc_os_error(errno, why, sizeof why));
}

static ws_status export_sheet_write(const export_sheet *sh, station *st, const char *path,
                                    const export_opts *opts, size_t *rows, char *err,
                                    size_t errsz);

/* A folder where the file should be named (home/kong/, or a folder
 * without the "/"): said so, with a name to add, before anything is
 * recorded ("路径中有一段不是文件夹" would be wrong: what is missing is
 * the file's name). */
static bool export_path_folder(const export_sheet *sh, const char *path,
                               const export_opts *opts, char *err, size_t errsz)
{
    size_t n = strlen(path);
    struct stat sb;
    if (!(n && path[n - 1] == '/') && !(stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return false;
    char example[4096], name[128];
    export_sheet_name(sh, name, sizeof name);
    snprintf(example, sizeof example, "%s%s%s%s", path, n && path[n - 1] == '/' ? "" : "/",
             name, opts->format == EXPORT_XLSX ? ".xlsx" : ".csv");
    trf(err, errsz, "export.folder_no_name", path, example);
    return true;
}

ws_status export_sheet_file(const export_sheet *sh, station *st, const char *path,
                            const export_opts *opts, size_t *rows, char *err, size_t errsz)
{
    err[0] = '\0';
    size_t written = 0;
    int64_t entry = 0;
    if (export_path_folder(sh, path, opts, err, errsz))
        return WS_ERR_INVALID;
    if (enc_output_protected(path)) {
        errno = EEXIST;
        export_os_error(path, err, errsz);
        return WS_ERR_INVALID;
    }
    ws_status s = export_record(st, sh, opts, path, &entry);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    s = export_sheet_write(sh, st, path, opts, &written, err, errsz);
    if (rows)
        *rows = s == WS_OK ? written : 0;
    return s == WS_OK ? access_log_rows(st, entry, (int64_t)written) : s;
}

static ws_status export_sheet_write(const export_sheet *sh, station *st, const char *path,
                                    const export_opts *opts, size_t *rows, char *err,
                                    size_t errsz)
{
    ws_status s;
    if (opts->format == EXPORT_CSV) {
        char *data = NULL;
        size_t len = 0;
        s = export_csv_bytes(sh, st, opts, &data, &len, rows, err, errsz);
        if (s == WS_OK) {
            s = enc_write_file(path, data, len);
            if (s != WS_OK)
                export_os_error(path, err, errsz);
        }
        free(data);
        return s;
    }
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return WS_ERR_NOMEM;
    snprintf(tmp, n, "%s.tmp%d", path, (int)getpid());
    /* The workbook library says only "Error creating output xlsx file"
     * (in English) when the folder is wrong: try the file first, so the
     * clerk reads why. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        export_os_error(path, err, errsz);
        free(tmp);
        return errno == ENOSPC ? WS_ERR_FULL : WS_ERR_IO;
    }
    close(fd);
    int saved = export_stderr_mute();
    s = export_xlsx_file(sh, st, opts, tmp, rows, err, errsz);
    int e = errno;
    export_stderr_restore(saved);
    errno = e;
    if (s != WS_OK && !err[0] && (s == WS_ERR_FULL || s == WS_ERR_IO))
        export_os_error(path, err, errsz);
    if (s == WS_OK && rename(tmp, path) != 0) {
        export_os_error(path, err, errsz);
        s = WS_ERR_IO;
    }
    if (s != WS_OK) {
        if (!err[0])
            snprintf(err, errsz, "%s: %s", path, tr(ws_status_key(s)));
        unlink(tmp);
    }
    free(tmp);
    return s;
}

ws_status export_residents(station *st, const char *path, const export_opts *opts,
                           size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_residents_sheet(&sh);
    return export_sheet_file(&sh, st, path, opts, rows, err, errsz);
}

ws_status export_kind(station *st, const record_kind *k, const char *path,
                      const export_opts *opts, size_t *rows, char *err, size_t errsz)
{
    export_sheet sh;
    export_kind_sheet(k, opts, &sh);
    return export_sheet_file(&sh, st, path, opts, rows, err, errsz);
}
