/* Excel workbooks as rows of cell text (see workbook.h): .xlsx through
 * libzip and expat, .xls through libfreexl. */
#include "wushe/workbook.h"

#include <errno.h>
#include <expat.h>
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "wushe/catalog.h"
#include "wushe/csv.h"
#include "wushe/encoding.h"

#define BOOK_CHUNK 65536
#define BOOK_MAX_COLS 16384 /* Excel's XFD */
#define BOOK_SMALL_PART (16u << 20) /* workbook.xml, its rels: read whole */

/* What a cell's number format makes of a number. */
enum { FMT_NUMBER, FMT_DATE, FMT_TIME, FMT_DATETIME };

typedef struct book_sheet {
    char name[256];
    char part[512]; /* .xlsx: the part's name in the zip */
    bool hidden;    /* state="hidden" or "veryHidden" (.xlsx; libfreexl does not say) */
} book_sheet;

typedef struct book_fmt {
    unsigned id;
    unsigned char kind;
} book_fmt;

/* A merged range one column wide over rows r1..r2 (1-based): Excel shows
 * its top cell's text in all of them, and a clerk reads every row so. */
typedef struct book_merge {
    size_t r1, r2, col;
} book_merge;

#define BOOK_MAX_MERGES 200000

struct workbook {
    char path[4096];
    workbook_limits lim;
    book_sheet *sheets;
    size_t nsheets, cur;
    bool selected, date1904;
    /* .xls: libfreexl runs in a child process (a damaged file can make it
     * write outside its buffers); the parent keeps the rows it sent. */
    const void *xls;
    unsigned xls_rows, xls_row;
    unsigned short xls_cols;
    bool snap;
    csv_buf snap_buf;
    size_t *snap_start, *snap_end, *snap_err; /* each sheet's rows; its error (0 none) */
    size_t snap_pos;
    /* .xlsx */
    zip_t *zip;
    char sst_part[512], styles_part[512];
    csv_buf sst;            /* shared strings, each NUL-terminated */
    size_t *sst_off;
    size_t nsst, capsst;
    book_fmt *fmts;         /* custom number formats */
    size_t nfmts, capfmts;
    unsigned char *xf;      /* the FMT_ kind of each cell style */
    size_t nxf, capxf;
    book_merge *merges;     /* the sheet's vertical merges (<mergeCells>, after its rows) */
    size_t nmerges, capmerges;
    /* the sheet being streamed */
    zip_file_t *zf;
    uint64_t comp, got;
    uint64_t declared; /* the part's size as the zip says (UINT64_MAX: not said) */
    const char *part_name;
    XML_Parser p;
    char *chunk;
    bool eof, suspended, row_done;
    /* the row being built */
    csv_buf text;
    size_t *offs;
    char **cells;
    size_t ncells, capcells;
    size_t row_num;
    /* the cell being read */
    bool in_c, in_v, in_is, in_t, in_rph, has_v, has_f, in_si, in_cellxfs, in_numfmts;
    char cell_type[12];
    unsigned cell_style;
    size_t cell_col;
    char cell_ref[16];
    csv_buf val;
    /* an error raised inside a handler */
    bool failed;
    ws_status fail_status;
    char fail[1024];
};

book_type workbook_sniff(const void *head, size_t n)
{
    const unsigned char *h = head;
    if (n >= 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4)
        return BOOK_ZIP;
    if (n >= 8 && !memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return BOOK_OLE;
    return BOOK_TEXT;
}

bool workbook_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xls"));
}

static const char *book_base(const workbook *wb)
{
    const char *slash = strrchr(wb->path, '/');
    return slash ? slash + 1 : wb->path;
}

/* ---- cell text ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void book_civil(long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

/* A number as Excel's General format shows it: whole numbers in full up
 * to 15 digits, others with 15 significant digits, very large or small
 * ones in scientific notation with 6 (5.10902E+17: the digits of an ID
 * number typed as a number are gone). */
static void book_number(double v, char *out, size_t outsz)
{
    double a = fabs(v);
    if (!isfinite(v)) {
        snprintf(out, outsz, "#NUM!");
    } else if (a >= 1e15 || (a != 0 && a < 1e-9)) {
        char m[64];
        snprintf(m, sizeof m, "%.5E", v);
        char *e = strchr(m, 'E');
        char *z = e;
        while (z > m && z[-1] == '0')
            z--;
        if (z > m && z[-1] == '.')
            z--;
        snprintf(out, outsz, "%.*s%s", (int)(z - m), m, e);
    } else if (a == floor(a)) {
        snprintf(out, outsz, "%.0f", v);
    } else {
        snprintf(out, outsz, "%.15g", v);
    }
}

/* An Excel date serial as text (kind: FMT_DATE, _TIME, _DATETIME). */
static void book_date(double v, bool d1904, int kind, char *out, size_t outsz)
{
    if (!isfinite(v) || v < 0 || v > 2958466) {
        book_number(v, out, outsz);
        return;
    }
    long days = (long)floor(v);
    long secs = lround((v - (double)days) * 86400.0);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    /* 1900 system: serial 1 is 1900-01-01, and Excel counts a 1900-02-29
     * (serial 60) that never was. */
    long z = d1904 ? days - 24107 : days < 61 ? days - 25568 : days - 25569;
    int y;
    unsigned m, d;
    book_civil(z, &y, &m, &d);
    int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    if (kind == FMT_TIME)
        snprintf(out, outsz, "%02d:%02d:%02d", hh, mm, ss);
    else if (kind == FMT_DATETIME && secs)
        snprintf(out, outsz, "%04d-%02u-%02u %02d:%02d:%02d", y, m, d, hh, mm, ss);
    else
        snprintf(out, outsz, "%04d-%02u-%02u", y, m, d);
}

/* What a built-in number format id shows (the zh-CN ones included). */
static int book_builtin_fmt(unsigned id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
        (id >= 50 && id <= 58))
        return FMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
        return FMT_TIME;
    if (id == 22)
        return FMT_DATETIME;
    return FMT_NUMBER;
}

/* What a custom format code shows: its first section, without quoted
 * text, escaped characters and [...] (colours, locales), read for the
 * letters of dates and times. */
static int book_custom_fmt(const char *code)
{
    bool date = false, time = false, month = false;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = (char)(*p | 0x20);
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                break;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (!p[1])
                break;
            p++;
        } else if (*p == '[') {
            const char *q = strchr(p, ']');
            if (!q)
                break;
            /* [h]:mm elapsed time is a time. */
            if (q - p == 2 && strchr("hHmMsS", p[1]))
                time = true;
            p = q;
        } else if (c == 'y' || c == 'd') {
            date = true;
        } else if (c == 'm') {
            month = true;
        } else if (c == 'h' || c == 's') {
            time = true;
        } else if (c == 'e' && (p == code || (p[-1] | 0x20) != '0') && p[1] != '+' &&
                   p[1] != '-') {
            /* e: the year in zh-CN formats (not the E of 0.00E+00) */
            date = true;
        }
    }
    if (month && !time)
        date = true;
    return date && time ? FMT_DATETIME : date ? FMT_DATE : time ? FMT_TIME : FMT_NUMBER;
}

/* Decode the _xHHHH_ escapes of OOXML strings; a line break in a cell
 * stays one '\n' (a multi-line field keeps it; the imports make it a space
 * in a one-line field). */
static void book_clean(csv_buf *v)
{
    if (!v->p)
        return;
    char *w = v->p;
    for (char *r = v->p; *r;) {
        unsigned cp;
        int used = 0;
        if (r[0] == '_' && r[1] == 'x' && sscanf(r, "_x%4x_%n", &cp, &used) == 1 && used == 7) {
            r += 7;
            if (cp == 0x0D && (*r == '\n' || strncmp(r, "_x000A_", 7) == 0))
                continue; /* CR LF: the LF makes the break */
            if (cp == 0x0A || cp == 0x0D) {
                *w++ = '\n';
            } else if (cp < 0x20 || cp == 0x7F) {
                *w++ = ' ';
            } else if (cp < 0x80) {
                *w++ = (char)cp;
            } else if (cp < 0x800) {
                *w++ = (char)(0xC0 | cp >> 6);
                *w++ = (char)(0x80 | (cp & 0x3F));
            } else {
                /* three bytes never outgrow the seven they replace */
                *w++ = (char)(0xE0 | cp >> 12);
                *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
                *w++ = (char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        if (r[0] == '\r' && r[1] == '\n')
            r++;
        *w++ = *r == '\r' ? '\n' : *r;
        r++;
    }
    *w = '\0';
    v->len = (size_t)(w - v->p);
}

/* ---- the row being built ---- */

static void book_fail(workbook *wb, ws_status s, const char *msg)
{
    if (wb->failed)
        return;
    wb->failed = true;
    wb->fail_status = s;
    snprintf(wb->fail, sizeof wb->fail, "%s", msg);
    if (wb->p)
        XML_StopParser(wb->p, XML_FALSE);
}

static void book_row_start(workbook *wb)
{
    wb->text.len = 0;
    wb->ncells = 0;
}

static void book_push(workbook *wb, const char *s, size_t n)
{
    if (wb->ncells == wb->capcells) {
        size_t cap = wb->capcells ? wb->capcells * 2 : 32;
        size_t *o = realloc(wb->offs, cap * sizeof *o);
        if (!o) {
            book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
            return;
        }
        wb->offs = o;
        wb->capcells = cap;
    }
    wb->offs[wb->ncells++] = wb->text.len;
    csv_buf_append(&wb->text, s, n);
    csv_buf_append(&wb->text, "", 1);
    if (wb->text.oom)
        book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
}

/* A cell at column col (0-based): the columns the row skipped are empty. */
static void book_put(workbook *wb, size_t col, const char *s, size_t n)
{
    if (col >= BOOK_MAX_COLS || col < wb->ncells)
        return;
    while (wb->ncells < col && !wb->failed)
        book_push(wb, "", 0);
    if (!wb->failed)
        book_push(wb, s, n);
}

static ws_status book_row_out(workbook *wb, workbook_row *row)
{
    size_t n = wb->ncells;
    char **c = realloc(wb->cells, (n ? n : 1) * sizeof *c);
    if (!c)
        return WS_ERR_NOMEM;
    wb->cells = c;
    for (size_t i = 0; i < n; i++)
        c[i] = wb->text.p + wb->offs[i];
    row->cells = c;
    row->n = n;
    row->row = wb->row_num;
    return WS_OK;
}

/* ---- XML helpers ---- */

static const char *book_local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *book_attr(const char **a, const char *key)
{
    for (; a && a[0]; a += 2)
        if (!strcmp(book_local(a[0]), key))
            return a[1];
    return NULL;
}

/* ---- zip parts, read under the bomb's guard ---- */

static void book_bomb(workbook *wb, const char *part, char *err, size_t errsz)
{
    trf(err, errsz, "book.bomb", book_base(wb), part,
        (unsigned long long)(wb->lim.max_part >> 20), (unsigned)wb->lim.max_ratio);
}

static void book_damaged(workbook *wb, const char *why, char *err, size_t errsz)
{
    trf(err, errsz, "book.damaged", book_base(wb), why);
}

/* What a libzip error means to a clerk (its own words are English). */
static const char *book_zip_why(int code)
{
    switch (code) {
    case ZIP_ER_MEMORY:
        return tr("status.nomem");
    case ZIP_ER_NOZIP:
    case ZIP_ER_EOF:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
        return tr("book.why_cut_short");
    case ZIP_ER_COMPNOTSUPP:
        return tr("book.why_compression");
    case ZIP_ER_OPEN:
    case ZIP_ER_NOENT:
        return tr("book.why_cannot_open");
    default:
        return tr("book.why_damaged");
    }
}

/* What freexl's return code means to a clerk. */
static const char *book_xls_why(int rc)
{
    switch (rc) {
    case FREEXL_INSUFFICIENT_MEMORY:
        return tr("status.nomem");
    case FREEXL_FILE_NOT_FOUND:
        return tr("book.why_cannot_open");
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
        return tr("book.why_cut_short");
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
        return tr("book.why_charset");
    default:
        return tr("book.why_damaged");
    }
}

/* Open a part for reading; *missing when the zip has none of that name. */
static ws_status book_part_open(workbook *wb, const char *name, bool *missing, char *err,
                                size_t errsz)
{
    *missing = false;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(wb->zip, name, 0, &st) != 0) {
        *missing = true;
        return WS_ERR_NOT_FOUND;
    }
    wb->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    wb->declared = (st.valid & ZIP_STAT_SIZE) ? st.size : UINT64_MAX;
    wb->got = 0;
    wb->part_name = name;
    /* What the zip declares is checked first; what it really holds is
     * counted as it is read (a declared size can lie). */
    if ((st.valid & ZIP_STAT_SIZE) &&
        (st.size > wb->lim.max_part ||
         (st.size > (1u << 20) && st.size / (wb->comp ? wb->comp : 1) > wb->lim.max_ratio))) {
        book_bomb(wb, name, err, errsz);
        return WS_ERR_INVALID;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        trf(err, errsz, "book.encrypted", book_base(wb));
        return WS_ERR_INVALID;
    }
    wb->zf = zip_fopen_index(wb->zip, st.index, 0);
    if (!wb->zf) {
        book_damaged(wb, book_zip_why(zip_error_code_zip(zip_get_error(wb->zip))), err, errsz);
        return WS_ERR_INVALID;
    }
    return WS_OK;
}

static void book_part_close(workbook *wb)
{
    if (wb->zf)
        zip_fclose(wb->zf);
    wb->zf = NULL;
}

static ws_status book_part_read(workbook *wb, char *buf, size_t cap, size_t *n, char *err,
                                size_t errsz)
{
    zip_int64_t r = zip_fread(wb->zf, buf, cap);
    if (r < 0) {
        book_damaged(wb, book_zip_why(zip_error_code_zip(zip_file_get_error(wb->zf))), err,
                     errsz);
        return WS_ERR_INVALID;
    }
    wb->got += (uint64_t)r;
    uint64_t comp = wb->comp ? wb->comp : 1;
    /* More than the zip said it holds: it lies; stop here, not at the cap. */
    if (wb->got > wb->declared) {
        trf(err, errsz, "book.size_lie", book_base(wb), wb->part_name);
        return WS_ERR_INVALID;
    }
    if (wb->got > wb->lim.max_part ||
        (wb->got > (1u << 20) && wb->got / comp > wb->lim.max_ratio)) {
        book_bomb(wb, wb->part_name, err, errsz);
        return WS_ERR_INVALID;
    }
    *n = (size_t)r;
    return WS_OK;
}

static void book_xml_error(workbook *wb, const char *part, char *err, size_t errsz)
{
    char why[512];
    trf(why, sizeof why, "book.why_xml", part, (unsigned long)XML_GetCurrentLineNumber(wb->p));
    book_damaged(wb, why, err, errsz);
}

/* Parse a whole part with the handlers set on wb->p. A part that is not
 * there is fine unless required. */
static ws_status book_parse_part(workbook *wb, const char *name, bool required, char *err,
                                 size_t errsz)
{
    bool missing;
    ws_status s = book_part_open(wb, name, &missing, err, errsz);
    if (missing) {
        if (!required)
            return WS_OK;
        trf(err, errsz, "book.not_workbook", book_base(wb));
        return WS_ERR_INVALID;
    }
    if (s != WS_OK)
        return s;
    for (;;) {
        size_t n = 0;
        s = book_part_read(wb, wb->chunk, BOOK_CHUNK, &n, err, errsz);
        if (s != WS_OK)
            break;
        if (XML_Parse(wb->p, wb->chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (wb->failed) {
                snprintf(err, errsz, "%s", wb->fail);
                s = wb->fail_status;
            } else {
                book_xml_error(wb, name, err, errsz);
                s = WS_ERR_INVALID;
            }
            break;
        }
        if (n == 0)
            break;
    }
    book_part_close(wb);
    return s;
}

static ws_status book_parser(workbook *wb, XML_StartElementHandler start,
                             XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
    if (wb->p)
        XML_ParserFree(wb->p);
    wb->p = XML_ParserCreate("UTF-8");
    if (!wb->p)
        return WS_ERR_NOMEM;
    XML_SetUserData(wb->p, wb);
    XML_SetElementHandler(wb->p, start, end);
    XML_SetCharacterDataHandler(wb->p, chars);
    return WS_OK;
}

/* ---- workbook.xml and its relationships ---- */

static void wbx_start(void *ud, const char *name, const char **a)
{
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "workbookPr")) {
        const char *d = book_attr(a, "date1904");
        wb->date1904 = d && (!strcmp(d, "1") || !strcasecmp(d, "true"));
    } else if (!strcmp(el, "sheet")) {
        const char *n = book_attr(a, "name"), *id = book_attr(a, "id");
        book_sheet *s = realloc(wb->sheets, (wb->nsheets + 1) * sizeof *s);
        if (!s) {
            book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
            return;
        }
        wb->sheets = s;
        s += wb->nsheets++;
        snprintf(s->name, sizeof s->name, "%s", n ? n : "");
        const char *state = book_attr(a, "state");
        s->hidden = state && (!strcmp(state, "hidden") || !strcmp(state, "veryHidden"));
        /* the relationship's id until the rels resolve it */
        snprintf(s->part, sizeof s->part, "%s", id ? id : "");
    }
}

static void book_target(const char *target, char *out, size_t outsz)
{
    if (target[0] == '/')
        snprintf(out, outsz, "%s", target + 1);
    else
        snprintf(out, outsz, "xl/%s", target);
}

static void rels_start(void *ud, const char *name, const char **a)
{
    workbook *wb = ud;
    if (strcmp(book_local(name), "Relationship"))
        return;
    const char *id = book_attr(a, "Id"), *target = book_attr(a, "Target"),
               *type = book_attr(a, "Type");
    if (!id || !target)
        return;
    size_t tl = type ? strlen(type) : 0;
    if (tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings"))
        book_target(target, wb->sst_part, sizeof wb->sst_part);
    else if (tl >= 7 && !strcmp(type + tl - 7, "/styles"))
        book_target(target, wb->styles_part, sizeof wb->styles_part);
    for (size_t i = 0; i < wb->nsheets; i++)
        if (!strcmp(wb->sheets[i].part, id))
            book_target(target, wb->sheets[i].part, sizeof wb->sheets[i].part);
}

static void book_no_end(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}

static void book_no_chars(void *ud, const char *s, int n)
{
    (void)ud;
    (void)s;
    (void)n;
}

/* ---- shared strings ---- */

static void sst_start(void *ud, const char *name, const char **a)
{
    (void)a;
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "si")) {
        wb->in_si = true;
        wb->val.len = 0;
        if (wb->val.p)
            wb->val.p[0] = '\0';
    } else if (!strcmp(el, "rPh")) {
        wb->in_rph = true;
    } else if (!strcmp(el, "t") && wb->in_si && !wb->in_rph) {
        wb->in_t = true;
    }
}

static void sst_end(void *ud, const char *name)
{
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "t")) {
        wb->in_t = false;
    } else if (!strcmp(el, "rPh")) {
        wb->in_rph = false;
    } else if (!strcmp(el, "si")) {
        wb->in_si = false;
        if (wb->nsst == wb->capsst) {
            size_t cap = wb->capsst ? wb->capsst * 2 : 256;
            size_t *o = realloc(wb->sst_off, cap * sizeof *o);
            if (!o) {
                book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
                return;
            }
            wb->sst_off = o;
            wb->capsst = cap;
        }
        book_clean(&wb->val);
        wb->sst_off[wb->nsst++] = wb->sst.len;
        csv_buf_append(&wb->sst, wb->val.p ? wb->val.p : "", wb->val.len);
        csv_buf_append(&wb->sst, "", 1);
        if (wb->sst.oom || wb->val.oom)
            book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
    }
}

/* A cell's text in bytes: Excel's 32,767 characters, each written as an
 * _xHHHH_ escape at worst. More is no ledger (one cell of a bomb). */
#define BOOK_MAX_CELL ((size_t)32767 * 7)

static void book_chars(void *ud, const char *s, int n)
{
    workbook *wb = ud;
    if (!(wb->in_t || wb->in_v))
        return;
    if (wb->val.len + (size_t)n > BOOK_MAX_CELL) {
        char msg[1024];
        trf(msg, sizeof msg, "book.cell_too_long", book_base(wb));
        book_fail(wb, WS_ERR_INVALID, msg);
        return;
    }
    csv_buf_append(&wb->val, s, (size_t)n);
}

/* ---- styles: which cell styles show dates ---- */

static void sty_start(void *ud, const char *name, const char **a)
{
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "cellXfs")) {
        wb->in_cellxfs = true;
    } else if (!strcmp(el, "numFmt")) {
        const char *id = book_attr(a, "numFmtId"), *code = book_attr(a, "formatCode");
        if (!id || !code)
            return;
        if (wb->nfmts == wb->capfmts) {
            size_t cap = wb->capfmts ? wb->capfmts * 2 : 16;
            book_fmt *f = realloc(wb->fmts, cap * sizeof *f);
            if (!f) {
                book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
                return;
            }
            wb->fmts = f;
            wb->capfmts = cap;
        }
        wb->fmts[wb->nfmts++] = (book_fmt){(unsigned)strtoul(id, NULL, 10),
                                           (unsigned char)book_custom_fmt(code)};
    } else if (!strcmp(el, "xf") && wb->in_cellxfs) {
        const char *id = book_attr(a, "numFmtId");
        unsigned fid = id ? (unsigned)strtoul(id, NULL, 10) : 0;
        int kind = -1;
        for (size_t i = 0; i < wb->nfmts && kind < 0; i++)
            if (wb->fmts[i].id == fid)
                kind = wb->fmts[i].kind;
        if (kind < 0)
            kind = book_builtin_fmt(fid);
        if (wb->nxf == wb->capxf) {
            size_t cap = wb->capxf ? wb->capxf * 2 : 64;
            unsigned char *x = realloc(wb->xf, cap);
            if (!x) {
                book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
                return;
            }
            wb->xf = x;
            wb->capxf = cap;
        }
        wb->xf[wb->nxf++] = (unsigned char)kind;
    }
}

static void sty_end(void *ud, const char *name)
{
    workbook *wb = ud;
    if (!strcmp(book_local(name), "cellXfs"))
        wb->in_cellxfs = false;
}

/* ---- the sheet ---- */

/* "BC12" -> column 54 (0-based); SIZE_MAX when there are no letters. */
static size_t book_col(const char *ref)
{
    size_t col = 0;
    const char *p = ref;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        col = col * 26 + (size_t)((*p | 0x20) - 'a' + 1);
        if (col > BOOK_MAX_COLS)
            return BOOK_MAX_COLS;
    }
    return p == ref ? (size_t)-1 : col - 1;
}

/* A cell reference's row (A12: 12; 0 when none). */
static size_t book_row_of(const char *ref)
{
    while ((*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'))
        ref++;
    return *ref >= '1' && *ref <= '9' ? strtoul(ref, NULL, 10) : 0;
}

/* <mergeCell ref="A2:A3"/>: kept when it is one column over rows (a
 * title across columns is shown once, as it is). */
static void book_merge_add(workbook *wb, const char *ref)
{
    const char *colon = ref ? strchr(ref, ':') : NULL;
    if (!colon || wb->nmerges >= BOOK_MAX_MERGES)
        return;
    size_t c1 = book_col(ref), c2 = book_col(colon + 1);
    size_t r1 = book_row_of(ref), r2 = book_row_of(colon + 1);
    if (c1 == (size_t)-1 || c1 != c2 || c1 >= BOOK_MAX_COLS || !r1 || r2 <= r1)
        return;
    if (wb->nmerges == wb->capmerges) {
        size_t cap = wb->capmerges ? wb->capmerges * 2 : 64;
        book_merge *m = realloc(wb->merges, cap * sizeof *m);
        if (!m) {
            book_fail(wb, WS_ERR_NOMEM, tr("status.nomem"));
            return;
        }
        wb->merges = m;
        wb->capmerges = cap;
    }
    wb->merges[wb->nmerges++] = (book_merge){r1, r2, c1};
}

static void sh_start(void *ud, const char *name, const char **a)
{
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "row")) {
        const char *r = book_attr(a, "r");
        size_t n = r ? strtoul(r, NULL, 10) : 0;
        wb->row_num = n > wb->row_num ? n : wb->row_num + 1;
        book_row_start(wb);
    } else if (!strcmp(el, "c")) {
        const char *r = book_attr(a, "r"), *t = book_attr(a, "t"), *s = book_attr(a, "s");
        size_t col = r ? book_col(r) : (size_t)-1;
        wb->cell_col = col == (size_t)-1 ? wb->ncells : col;
        snprintf(wb->cell_ref, sizeof wb->cell_ref, "%s", r ? r : "");
        snprintf(wb->cell_type, sizeof wb->cell_type, "%s", t ? t : "n");
        wb->cell_style = s ? (unsigned)strtoul(s, NULL, 10) : 0;
        wb->in_c = true;
        wb->has_v = wb->has_f = false;
        wb->val.len = 0;
        if (wb->val.p)
            wb->val.p[0] = '\0';
    } else if (!strcmp(el, "mergeCell")) {
        book_merge_add(wb, book_attr(a, "ref"));
    } else if (wb->in_c && !strcmp(el, "v")) {
        wb->in_v = wb->has_v = true;
    } else if (wb->in_c && !strcmp(el, "f")) {
        wb->has_f = true;
    } else if (wb->in_c && !strcmp(el, "is")) {
        wb->in_is = true;
    } else if (wb->in_is && !strcmp(el, "rPh")) {
        wb->in_rph = true;
    } else if (wb->in_is && !wb->in_rph && !strcmp(el, "t")) {
        wb->in_t = true;
        wb->has_v = true;
    }
}

/* The finished cell's text, as its type and style say. */
static void sh_cell(workbook *wb)
{
    const char *v = wb->val.p ? wb->val.p : "";
    const char *t = wb->cell_type;
    char num[64];
    if (wb->has_f && !wb->has_v) {
        char msg[512], ref[32];
        if (wb->cell_ref[0])
            snprintf(ref, sizeof ref, "%s", wb->cell_ref);
        else
            snprintf(ref, sizeof ref, "%zu:%zu", wb->row_num, wb->cell_col + 1);
        book_fail(wb, WS_ERR_INVALID,
                  trf(msg, sizeof msg, "book.formula_no_value", wb->sheets[wb->cur].name, ref));
        return;
    }
    if (!strcmp(t, "s")) {
        char *end = NULL;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || i >= wb->nsst) {
            char msg[512];
            book_fail(wb, WS_ERR_INVALID,
                      trf(msg, sizeof msg, "book.damaged", book_base(wb), "sharedStrings"));
            return;
        }
        const char *s = wb->sst.p + wb->sst_off[i];
        book_put(wb, wb->cell_col, s, strlen(s));
        return;
    }
    if (!strcmp(t, "str") || !strcmp(t, "inlineStr") || !strcmp(t, "e")) {
        book_clean(&wb->val);
        book_put(wb, wb->cell_col, wb->val.p ? wb->val.p : "", wb->val.len);
        return;
    }
    if (!strcmp(t, "b")) {
        const char *b = !wb->has_v ? "" : strcmp(v, "0") ? "TRUE" : "FALSE";
        book_put(wb, wb->cell_col, b, strlen(b));
        return;
    }
    if (!strcmp(t, "d")) { /* an ISO 8601 date (strict OOXML) */
        size_t n = strlen(v);
        book_put(wb, wb->cell_col, v, n > 10 && v[10] == 'T' && !strncmp(v + 11, "00:00", 5)
                                              ? 10 : n);
        return;
    }
    if (!wb->has_v || !*v) {
        book_put(wb, wb->cell_col, "", 0);
        return;
    }
    char *end = NULL;
    double d = strtod(v, &end);
    if (end == v) {
        book_put(wb, wb->cell_col, v, strlen(v));
        return;
    }
    int kind = wb->cell_style < wb->nxf ? wb->xf[wb->cell_style] : FMT_NUMBER;
    if (kind == FMT_NUMBER)
        book_number(d, num, sizeof num);
    else
        book_date(d, wb->date1904, kind, num, sizeof num);
    book_put(wb, wb->cell_col, num, strlen(num));
}

static void sh_end(void *ud, const char *name)
{
    workbook *wb = ud;
    const char *el = book_local(name);
    if (!strcmp(el, "v")) {
        wb->in_v = false;
    } else if (!strcmp(el, "t")) {
        wb->in_t = false;
    } else if (!strcmp(el, "rPh")) {
        wb->in_rph = false;
    } else if (!strcmp(el, "is")) {
        wb->in_is = false;
    } else if (!strcmp(el, "c") && wb->in_c) {
        wb->in_c = false;
        sh_cell(wb);
    } else if (!strcmp(el, "row")) {
        wb->row_done = true;
        if (!wb->failed)
            XML_StopParser(wb->p, XML_TRUE);
    }
}

/* ---- opening ---- */

static ws_status book_open_xlsx(workbook *wb, char *err, size_t errsz)
{
    int zerr = 0;
    wb->zip = zip_open(wb->path, ZIP_RDONLY, &zerr);
    if (!wb->zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        book_damaged(wb, book_zip_why(zerr), err, errsz);
        zip_error_fini(&ze);
        return WS_ERR_INVALID;
    }
    snprintf(wb->sst_part, sizeof wb->sst_part, "xl/sharedStrings.xml");
    snprintf(wb->styles_part, sizeof wb->styles_part, "xl/styles.xml");
    /* workbook.xml and its rels are small: a tighter guard */
    workbook_limits saved = wb->lim;
    if (saved.max_part > BOOK_SMALL_PART)
        wb->lim.max_part = BOOK_SMALL_PART;
    ws_status s = book_parser(wb, wbx_start, book_no_end, book_no_chars);
    if (s == WS_OK)
        s = book_parse_part(wb, "xl/workbook.xml", true, err, errsz);
    if (s == WS_OK)
        s = book_parser(wb, rels_start, book_no_end, book_no_chars);
    if (s == WS_OK)
        s = book_parse_part(wb, "xl/_rels/workbook.xml.rels", false, err, errsz);
    wb->lim = saved;
    if (s != WS_OK)
        return s;
    /* A sheet the rels did not name: the usual part name. */
    for (size_t i = 0; i < wb->nsheets; i++)
        if (strncmp(wb->sheets[i].part, "xl/", 3))
            snprintf(wb->sheets[i].part, sizeof wb->sheets[i].part,
                     "xl/worksheets/sheet%zu.xml", i + 1);
    s = book_parser(wb, sty_start, sty_end, book_no_chars);
    if (s == WS_OK)
        s = book_parse_part(wb, wb->styles_part, false, err, errsz);
    if (s == WS_OK)
        s = book_parser(wb, sst_start, sst_end, book_chars);
    if (s == WS_OK)
        s = book_parse_part(wb, wb->sst_part, false, err, errsz);
    return s;
}

/* An OLE file freexl could not read: an encrypted .xlsx keeps its zip in
 * a stream named EncryptedPackage (a name in UTF-16LE in the directory). */
static bool book_ole_encrypted(const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    if (enc_read_file(path, &buf, &len) != WS_OK)
        return false;
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    bool found = false;
    for (size_t i = 0; !found && i + sizeof name - 1 <= len; i++)
        found = buf[i] == 'E' && !memcmp(buf + i, name, sizeof name - 1);
    free(buf);
    return found;
}

static ws_status book_load_xls(workbook *wb, char *err, size_t errsz)
{
    int rc = freexl_open(wb->path, &wb->xls);
    if (rc != FREEXL_OK) {
        wb->xls = NULL;
        if (book_ole_encrypted(wb->path)) {
            trf(err, errsz, "book.encrypted", book_base(wb));
        } else {
            trf(err, errsz, "book.xls_unreadable", book_base(wb), book_xls_why(rc));
        }
        return WS_ERR_INVALID;
    }
    unsigned info = 0;
    if (freexl_get_info(wb->xls, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        trf(err, errsz, "book.encrypted", book_base(wb));
        return WS_ERR_INVALID;
    }
    unsigned count = 0;
    freexl_get_info(wb->xls, FREEXL_BIFF_SHEET_COUNT, &count);
    wb->sheets = calloc(count ? count : 1, sizeof *wb->sheets);
    if (!wb->sheets)
        return WS_ERR_NOMEM;
    for (unsigned i = 0; i < count; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(wb->xls, (unsigned short)i, &name) == FREEXL_OK && name)
            snprintf(wb->sheets[i].name, sizeof wb->sheets[i].name, "%s", name);
    }
    wb->nsheets = count;
    return WS_OK;
}

static ws_status book_start_sheet(workbook *wb, size_t i, char *err, size_t errsz);
static ws_status book_next_xls(workbook *wb, workbook_row *row);

/* ---- .xls through a child process ----
 * The child reads the workbook with libfreexl and writes frames to a pipe:
 * 'E' a refusal's message; or 'S', the sheets' names, then for each sheet
 * its rows ('R': row number, cells) ending in 'Z', or 'X' with the message
 * of a sheet that cannot be read. Lengths are native uint32/uint64. */

static void frame_put(FILE *f, char tag, const void *p, size_t n)
{
    uint32_t len = (uint32_t)n;
    fputc(tag, f);
    fwrite(&len, sizeof len, 1, f);
    if (n)
        fwrite(p, 1, n, f);
}

static int book_xls_child(workbook *wb, int fd)
{
    FILE *f = fdopen(fd, "wb");
    if (!f)
        return 1;
    char err[1024] = "";
    if (book_load_xls(wb, err, sizeof err) != WS_OK) {
        frame_put(f, 'E', err, strlen(err));
        return fclose(f) == 0 ? 0 : 1;
    }
    uint32_t n = (uint32_t)wb->nsheets;
    fputc('S', f);
    fwrite(&n, sizeof n, 1, f);
    for (size_t i = 0; i < wb->nsheets; i++)
        frame_put(f, 'N', wb->sheets[i].name, strlen(wb->sheets[i].name));
    for (size_t i = 0; i < wb->nsheets; i++) {
        ws_status st = book_start_sheet(wb, i, err, sizeof err);
        workbook_row row;
        while (st == WS_OK && (st = book_next_xls(wb, &row)) == WS_OK) {
            uint64_t r = row.row;
            uint32_t c = (uint32_t)row.n;
            fputc('R', f);
            fwrite(&r, sizeof r, 1, f);
            fwrite(&c, sizeof c, 1, f);
            for (size_t k = 0; k < row.n; k++) {
                uint32_t len = (uint32_t)strlen(row.cells[k]);
                fwrite(&len, sizeof len, 1, f);
                fwrite(row.cells[k], 1, len, f);
            }
        }
        if (st == WS_ERR_NOT_FOUND)
            frame_put(f, 'Z', "", 0);
        else
            frame_put(f, 'X', wb->failed ? wb->fail : err, strlen(wb->failed ? wb->fail : err));
    }
    return fclose(f) == 0 ? 0 : 1;
}

/* Bytes at *pos of the snapshot, moved past; false when it is short. */
static bool snap_take(const csv_buf *b, size_t *pos, void *out, size_t n)
{
    if (!b->p || *pos + n > b->len)
        return false;
    memcpy(out, b->p + *pos, n);
    *pos += n;
    return true;
}

/* A frame's text (tag, length, bytes): its offset and length. */
static bool snap_frame(const csv_buf *b, size_t *pos, char tag, size_t *at, uint32_t *len)
{
    char t = 0;
    if (!snap_take(b, pos, &t, 1) || t != tag || !snap_take(b, pos, len, sizeof *len) ||
        *pos + *len > b->len)
        return false;
    *at = *pos;
    *pos += *len;
    return true;
}

/* Skip the rows of one sheet to its 'Z' or 'X'. */
static bool snap_sheet(workbook *wb, size_t i, size_t *pos)
{
    const csv_buf *b = &wb->snap_buf;
    wb->snap_start[i] = *pos;
    for (;;) {
        size_t here = *pos;
        char t = 0;
        if (!snap_take(b, pos, &t, 1))
            return false;
        if (t == 'Z' || t == 'X') {
            *pos = here;
            size_t at;
            uint32_t len;
            if (!snap_frame(b, pos, t, &at, &len))
                return false;
            wb->snap_end[i] = here;
            wb->snap_err[i] = t == 'X' ? here : 0;
            return true;
        }
        uint64_t r;
        uint32_t c, len;
        if (t != 'R' || !snap_take(b, pos, &r, sizeof r) || !snap_take(b, pos, &c, sizeof c))
            return false;
        for (uint32_t k = 0; k < c; k++) {
            if (!snap_take(b, pos, &len, sizeof len) || *pos + len > b->len)
                return false;
            *pos += len;
        }
    }
}

static ws_status snap_parse(workbook *wb, char *err, size_t errsz)
{
    const csv_buf *b = &wb->snap_buf;
    size_t pos = 0, at;
    uint32_t len, n = 0;
    if (b->len && b->p[0] == 'E' && snap_frame(b, &pos, 'E', &at, &len)) {
        snprintf(err, errsz, "%.*s", (int)len, b->p + at);
        return WS_ERR_INVALID;
    }
    char t = 0;
    bool ok = snap_take(b, &pos, &t, 1) && t == 'S' && snap_take(b, &pos, &n, sizeof n) &&
              n < 65536;
    if (ok) {
        wb->sheets = calloc(n ? n : 1, sizeof *wb->sheets);
        wb->snap_start = calloc(n ? n : 1, sizeof *wb->snap_start);
        wb->snap_end = calloc(n ? n : 1, sizeof *wb->snap_end);
        wb->snap_err = calloc(n ? n : 1, sizeof *wb->snap_err);
        if (!wb->sheets || !wb->snap_start || !wb->snap_end || !wb->snap_err)
            return WS_ERR_NOMEM;
    }
    for (uint32_t i = 0; ok && i < n; i++) {
        ok = snap_frame(b, &pos, 'N', &at, &len);
        if (ok)
            snprintf(wb->sheets[i].name, sizeof wb->sheets[i].name, "%.*s", (int)len,
                     b->p + at);
    }
    for (uint32_t i = 0; ok && i < n; i++)
        ok = snap_sheet(wb, i, &pos);
    if (!ok) {
        trf(err, errsz, "book.xls_unreadable", book_base(wb), tr("book.xls_crashed"));
        return WS_ERR_INVALID;
    }
    wb->nsheets = n;
    wb->snap = true;
    return WS_OK;
}

static ws_status book_open_xls(workbook *wb, char *err, size_t errsz)
{
    int fds[2];
    if (pipe(fds) != 0) {
        char why[256];
        trf(err, errsz, "os.read_failed", wb->path, enc_os_error(errno, why, sizeof why));
        return WS_ERR_IO;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(err, errsz, "%s", tr("status.nomem"));
        return WS_ERR_NOMEM;
    }
    if (pid == 0) {
        close(fds[0]);
        _exit(book_xls_child(wb, fds[1]));
    }
    close(fds[1]);
    /* All the child sends, within the limit a part may take. */
    bool too_big = false;
    ssize_t got;
    while ((got = read(fds[0], wb->chunk, BOOK_CHUNK)) > 0 || (got < 0 && errno == EINTR)) {
        if (got < 0)
            continue;
        if (wb->snap_buf.len + (size_t)got > wb->lim.max_part) {
            too_big = true;
            kill(pid, SIGKILL);
            break;
        }
        csv_buf_append(&wb->snap_buf, wb->chunk, (size_t)got);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (too_big) {
        trf(err, errsz, "book.xls_unreadable", book_base(wb), tr("book.xls_too_big"));
        return WS_ERR_INVALID;
    }
    if (wb->snap_buf.oom) {
        snprintf(err, errsz, "%s", tr("status.nomem"));
        return WS_ERR_NOMEM;
    }
    ws_status s = snap_parse(wb, err, errsz);
    /* A child that died (a signal, an abort) may have sent a good start. */
    if (s == WS_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        trf(err, errsz, "book.xls_unreadable", book_base(wb), tr("book.xls_crashed"));
        s = WS_ERR_INVALID;
    }
    return s;
}

/* The next row of the selected sheet from the child's snapshot. */
static ws_status book_next_snap(workbook *wb, workbook_row *row, char *err, size_t errsz)
{
    const csv_buf *b = &wb->snap_buf;
    size_t end = wb->snap_end[wb->cur];
    while (wb->snap_pos < end) {
        size_t pos = wb->snap_pos + 1;
        uint64_t r = 0;
        uint32_t c = 0, len = 0;
        snap_take(b, &pos, &r, sizeof r);
        snap_take(b, &pos, &c, sizeof c);
        book_row_start(wb);
        wb->row_num = (size_t)r;
        for (uint32_t k = 0; k < c && !wb->failed; k++) {
            snap_take(b, &pos, &len, sizeof len);
            book_put(wb, k, b->p + pos, len);
            pos += len;
        }
        wb->snap_pos = pos;
        if (wb->failed) {
            snprintf(err, errsz, "%s", wb->fail);
            return wb->fail_status;
        }
        while (wb->ncells && wb->text.p[wb->offs[wb->ncells - 1]] == '\0')
            wb->ncells--;
        if (wb->ncells)
            return book_row_out(wb, row);
    }
    if (wb->snap_err[wb->cur]) {
        size_t pos = wb->snap_err[wb->cur], at;
        uint32_t len;
        if (snap_frame(b, &pos, 'X', &at, &len))
            snprintf(err, errsz, "%.*s", (int)len, b->p + at);
        return WS_ERR_INVALID;
    }
    return WS_ERR_NOT_FOUND;
}

ws_status workbook_open(const char *path, const workbook_limits *lim, workbook **out,
                        char *err, size_t errsz)
{
    *out = NULL;
    err[0] = '\0';
    unsigned char head[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        char why[256];
        trf(err, errsz, "os.read_failed", path, enc_os_error(errno, why, sizeof why));
        return WS_ERR_IO;
    }
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    book_type t = workbook_sniff(head, n);
    workbook *wb = calloc(1, sizeof *wb);
    if (!wb)
        return WS_ERR_NOMEM;
    snprintf(wb->path, sizeof wb->path, "%s", path);
    wb->lim = lim ? *lim : (workbook_limits){WORKBOOK_MAX_PART, WORKBOOK_MAX_RATIO};
    wb->chunk = malloc(BOOK_CHUNK);
    ws_status s = WS_ERR_NOMEM;
    if (!wb->chunk) {
        snprintf(err, errsz, "%s", tr("status.nomem"));
    } else if (t == BOOK_ZIP) {
        s = book_open_xlsx(wb, err, errsz);
    } else if (t == BOOK_OLE) {
        s = book_open_xls(wb, err, errsz);
    } else {
        trf(err, errsz, "book.not_workbook", book_base(wb));
        s = WS_ERR_INVALID;
    }
    if (s == WS_OK && wb->nsheets == 0) {
        /* Excel and WPS never save a workbook without a sheet: damaged. */
        trf(err, errsz, t == BOOK_OLE ? "book.xls_unreadable" : "book.damaged", book_base(wb),
            tr("book.why_no_sheets"));
        s = WS_ERR_INVALID;
    }
    if (s != WS_OK) {
        if (!err[0])
            snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        workbook_free(&wb);
        return s;
    }
    *out = wb;
    return WS_OK;
}

void workbook_free(workbook **wbp)
{
    if (!wbp || !*wbp)
        return;
    workbook *wb = *wbp;
    book_part_close(wb);
    if (wb->p)
        XML_ParserFree(wb->p);
    if (wb->zip)
        zip_discard(wb->zip);
    if (wb->xls)
        freexl_close(wb->xls);
    csv_buf_free(&wb->snap_buf);
    free(wb->snap_start);
    free(wb->snap_end);
    free(wb->snap_err);
    free(wb->sheets);
    csv_buf_free(&wb->sst);
    free(wb->sst_off);
    free(wb->fmts);
    free(wb->xf);
    free(wb->merges);
    free(wb->chunk);
    csv_buf_free(&wb->text);
    free(wb->offs);
    free(wb->cells);
    csv_buf_free(&wb->val);
    free(wb);
    *wbp = NULL;
}

size_t workbook_sheet_count(const workbook *wb)
{
    return wb->nsheets;
}

const char *workbook_sheet_name(const workbook *wb, size_t i)
{
    return i < wb->nsheets ? wb->sheets[i].name : NULL;
}

/* Start streaming sheet i. */
static ws_status book_start_sheet(workbook *wb, size_t i, char *err, size_t errsz)
{
    wb->cur = i;
    wb->selected = true;
    wb->row_num = 0;
    wb->nmerges = 0;
    wb->eof = wb->suspended = wb->failed = false;
    wb->in_c = wb->in_v = wb->in_t = wb->in_is = wb->in_rph = false;
    if (wb->snap) {
        wb->snap_pos = wb->snap_start[i];
        return WS_OK;
    }
    if (wb->xls) {
        wb->xls_row = 0;
        wb->xls_rows = 0;
        wb->xls_cols = 0;
        if (freexl_select_active_worksheet(wb->xls, (unsigned short)i) != FREEXL_OK ||
            freexl_worksheet_dimensions(wb->xls, &wb->xls_rows, &wb->xls_cols) != FREEXL_OK) {
            book_damaged(wb, wb->sheets[i].name, err, errsz);
            return WS_ERR_INVALID;
        }
        return WS_OK;
    }
    book_part_close(wb);
    ws_status s = book_parser(wb, sh_start, sh_end, book_chars);
    if (s != WS_OK)
        return s;
    bool missing;
    s = book_part_open(wb, wb->sheets[i].part, &missing, err, errsz);
    if (missing) {
        book_damaged(wb, wb->sheets[i].part, err, errsz);
        return WS_ERR_INVALID;
    }
    return s;
}

bool workbook_sheet_hidden(const workbook *wb, size_t i)
{
    return i < wb->nsheets && wb->sheets[i].hidden;
}

ws_status workbook_select(workbook *wb, const char *name, char *err, size_t errsz)
{
    err[0] = '\0';
    if (!name || !*name) {
        /* The first sheet the clerk sees in Excel: a hidden one (often a
         * template's lists or old data) is read only when named. */
        size_t first = 0;
        while (first < wb->nsheets && wb->sheets[first].hidden)
            first++;
        return book_start_sheet(wb, first < wb->nsheets ? first : 0, err, errsz);
    }
    for (size_t i = 0; i < wb->nsheets; i++)
        if (!strcmp(wb->sheets[i].name, name))
            return book_start_sheet(wb, i, err, errsz);
    csv_buf list = {0};
    for (size_t i = 0; i < wb->nsheets; i++) {
        const char *sep = tr("book.sheet_sep");
        if (i)
            csv_buf_append(&list, sep, strlen(sep));
        csv_buf_append(&list, wb->sheets[i].name, strlen(wb->sheets[i].name));
    }
    trf(err, errsz, "book.no_such_sheet", name, list.p ? list.p : "");
    csv_buf_free(&list);
    return WS_ERR_NOT_FOUND;
}

static ws_status book_next_xls(workbook *wb, workbook_row *row)
{
    while (wb->xls_row < wb->xls_rows) {
        unsigned r = wb->xls_row++;
        book_row_start(wb);
        wb->row_num = r + 1;
        for (unsigned short c = 0; c < wb->xls_cols && !wb->failed; c++) {
            FreeXL_CellValue v;
            char num[64];
            const char *s = "";
            if (freexl_get_cell_value(wb->xls, r, c, &v) != FREEXL_OK)
                v.type = FREEXL_CELL_NULL;
            switch (v.type) {
            case FREEXL_CELL_INT:
                snprintf(num, sizeof num, "%d", v.value.int_value);
                s = num;
                break;
            case FREEXL_CELL_DOUBLE:
                book_number(v.value.double_value, num, sizeof num);
                s = num;
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                s = v.value.text_value ? v.value.text_value : "";
                break;
            default:
                break;
            }
            wb->val.len = 0;
            csv_buf_append(&wb->val, s, strlen(s));
            book_clean(&wb->val);
            book_put(wb, c, wb->val.p ? wb->val.p : "", wb->val.len);
        }
        if (wb->failed)
            return wb->fail_status;
        while (wb->ncells && wb->text.p[wb->offs[wb->ncells - 1]] == '\0')
            wb->ncells--;
        if (wb->ncells)
            return book_row_out(wb, row);
    }
    return WS_ERR_NOT_FOUND;
}

/* Feed the parser until a row ends (it suspends there) or the part does. */
static ws_status book_pump(workbook *wb, char *err, size_t errsz)
{
    enum XML_Status st;
    if (wb->suspended) {
        st = XML_ResumeParser(wb->p);
    } else {
        if (wb->eof)
            return WS_ERR_NOT_FOUND;
        size_t n = 0;
        ws_status s = book_part_read(wb, wb->chunk, BOOK_CHUNK, &n, err, errsz);
        if (s != WS_OK)
            return s;
        wb->eof = n == 0;
        st = XML_Parse(wb->p, wb->chunk, (int)n, n == 0);
    }
    wb->suspended = st == XML_STATUS_SUSPENDED;
    if (st == XML_STATUS_ERROR) {
        if (wb->failed) {
            snprintf(err, errsz, "%s", wb->fail);
            return wb->fail_status;
        }
        book_xml_error(wb, wb->sheets[wb->cur].part, err, errsz);
        return WS_ERR_INVALID;
    }
    return WS_OK;
}

ws_status workbook_next(workbook *wb, workbook_row *row, char *err, size_t errsz)
{
    memset(row, 0, sizeof *row);
    err[0] = '\0';
    if (!wb->selected) {
        ws_status s = workbook_select(wb, NULL, err, errsz);
        if (s != WS_OK)
            return s;
    }
    if (wb->snap)
        return book_next_snap(wb, row, err, errsz);
    if (wb->xls)
        return book_next_xls(wb, row);
    for (;;) {
        wb->row_done = false;
        while (!wb->row_done) {
            ws_status s = book_pump(wb, err, errsz);
            if (s != WS_OK)
                return s;
            if (wb->failed) {
                snprintf(err, errsz, "%s", wb->fail);
                return wb->fail_status;
            }
        }
        /* Empty cells at the end (a merged title's, styled blanks) are no
         * cells; a row of nothing else is no row. */
        while (wb->ncells && wb->text.p[wb->offs[wb->ncells - 1]] == '\0')
            wb->ncells--;
        if (wb->ncells)
            return book_row_out(wb, row);
    }
}

static int book_merge_cmp(const void *a, const void *b)
{
    const book_merge *x = a, *y = b;
    return x->r1 < y->r1 ? -1 : x->r1 > y->r1;
}

/* One row of the sheet's text with the merges over it filled in: each
 * active merge's column takes its top cell's text. */
static void book_row_filled(csv_buf *out, const csv_row *row, const book_merge *act,
                            char *const *top, size_t nact)
{
    size_t width = row->blank ? 0 : row->n;
    for (size_t m = 0; m < nact; m++)
        if (top[m] && *top[m] && act[m].col + 1 > width)
            width = act[m].col + 1;
    for (size_t i = 0; i < width; i++) {
        const char *v = i < row->n && !row->blank ? row->fields[i] : "";
        for (size_t m = 0; m < nact; m++)
            if (act[m].col == i && top[m] && *top[m])
                v = top[m];
        csv_put_field(out, v, ',', i == 0);
    }
    csv_end_row(out, "\r\n");
}

/* The sheet's text (a BOM, then its rows) again, with each vertical
 * merge's lower rows holding the top cell's text: a 序号 or 户号 merged
 * over a two-row header or over a household's members is what every one
 * of those rows says. Rows under no merge are copied as they are. */
static ws_status book_fill_merges(workbook *wb, csv_buf *b)
{
    if (!wb->nmerges)
        return WS_OK;
    qsort(wb->merges, wb->nmerges, sizeof *wb->merges, book_merge_cmp);
    csv_reader *rd = csv_reader_new(b->p + 3, b->len - 3, ',');
    book_merge *act = calloc(wb->nmerges, sizeof *act);
    char **top = calloc(wb->nmerges, sizeof *top);
    csv_buf o = {0};
    ws_status s = rd && act && top ? WS_OK : WS_ERR_NOMEM;
    csv_buf_append(&o, b->p, 3);
    size_t next = 0, nact = 0, at = 0;
    csv_row row;
    while (s == WS_OK && (s = csv_next(rd, &row)) == WS_OK) {
        size_t end = csv_offset(rd);
        /* Those that start here take this row's cell; those past end. */
        for (; next < wb->nmerges && wb->merges[next].r1 <= row.line; next++) {
            if (wb->merges[next].r2 <= row.line)
                continue;
            const book_merge *m = &wb->merges[next];
            act[nact] = *m;
            top[nact] = strdup(m->col < row.n && !row.blank ? row.fields[m->col] : "");
            if (!top[nact++])
                s = WS_ERR_NOMEM;
        }
        bool under = false;
        for (size_t m = 0; m < nact; m++)
            under |= act[m].r1 < row.line && top[m] && *top[m];
        if (under)
            book_row_filled(&o, &row, act, top, nact);
        else
            csv_buf_append(&o, b->p + 3 + at, end - at);
        at = end;
        for (size_t m = 0; m < nact;)
            if (act[m].r2 <= row.line) {
                free(top[m]);
                act[m] = act[nact - 1];
                top[m] = top[--nact];
            } else {
                m++;
            }
    }
    if (s == WS_ERR_NOT_FOUND)
        s = o.oom ? WS_ERR_NOMEM : WS_OK;
    for (size_t m = 0; m < nact; m++)
        free(top[m]);
    free(top);
    free(act);
    csv_reader_free(&rd);
    if (s == WS_OK) {
        csv_buf_free(b);
        *b = o;
    } else {
        csv_buf_free(&o);
    }
    return s;
}

ws_status workbook_to_csv(workbook *wb, char **out, size_t *len, char *err, size_t errsz)
{
    *out = NULL;
    *len = 0;
    csv_buf b = {0};
    csv_buf_append(&b, "\xEF\xBB\xBF", 3);
    size_t line = 1, width = 0;
    workbook_row row;
    ws_status s;
    while ((s = workbook_next(wb, &row, err, errsz)) == WS_OK && !b.oom) {
        for (; line < row.row; line++)
            csv_end_row(&b, "\r\n");
        /* A row ends at its last filled cell; the imports read a row
         * shorter than the header as one a line break split, which a
         * sheet's row never is: each is as wide as the widest so far. */
        if (row.n > width)
            width = row.n;
        for (size_t i = 0; i < width; i++)
            csv_put_field(&b, i < row.n ? row.cells[i] : "", ',', i == 0);
        csv_end_row(&b, "\r\n");
        line++;
    }
    if (s == WS_ERR_NOT_FOUND)
        s = b.oom ? WS_ERR_NOMEM : WS_OK;
    if (s == WS_OK)
        s = book_fill_merges(wb, &b);
    if (s != WS_OK) {
        if (!err[0])
            snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        csv_buf_free(&b);
        return s;
    }
    *out = b.p;
    *len = b.len;
    return WS_OK;
}

ws_status ledger_read(const char *path, const char *sheet, char **out, size_t *len,
                      char *sheet_read, size_t sheet_readsz, char *err, size_t errsz)
{
    *out = NULL;
    *len = 0;
    if (sheet_read && sheet_readsz)
        sheet_read[0] = '\0';
    err[0] = '\0';
    unsigned char head[8] = {0};
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    if (!f || workbook_sniff(head, n) == BOOK_TEXT) {
        /* A file that is not there is said so, --sheet or not. */
        if (f && sheet && *sheet) {
            trf(err, errsz, "book.sheet_not_book", path);
            return WS_ERR_USAGE;
        }
        ws_status s = enc_read_file(path, out, len);
        if (s != WS_OK) {
            char why[256];
            trf(err, errsz, "os.read_failed", path,
                s == WS_ERR_IO ? enc_os_error(errno, why, sizeof why) : tr(ws_status_key(s)));
        }
        return s;
    }
    workbook *wb = NULL;
    ws_status s = workbook_open(path, NULL, &wb, err, errsz);
    if (s == WS_OK)
        s = workbook_select(wb, sheet, err, errsz);
    if (s == WS_OK && sheet_read && sheet_readsz)
        snprintf(sheet_read, sheet_readsz, "%s", wb->sheets[wb->cur].name);
    if (s == WS_OK)
        s = workbook_to_csv(wb, out, len, err, errsz);
    workbook_free(&wb);
    return s;
}
