/* The access log (审计) as a 站长 reads it: its entries in words, and its
 * export through export.c's sheets, recorded like every other export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/export.h"
#include "wushe/record.h"
#include "wushe/validate.h"

/* ---- an entry in words ---- */

static const record_kind *access_kind_of(const char *table)
{
    for (size_t i = 0; table && i < record_nkinds; i++)
        if (strcmp(record_kinds[i]->table, table) == 0)
            return record_kinds[i];
    return NULL;
}

const char *access_table_label(const char *table)
{
    if (!table || !*table)
        return "";
    if (strcmp(table, "residents") == 0)
        return tr("kind.resident");
    if (strcmp(table, "access_log") == 0)
        return tr("audit.kind_access_log");
    const record_kind *k = access_kind_of(table);
    if (k)
        return tr(k->label);
    /* Ledgers and sheets that are no declared kind: audit.table_NAME. */
    char key[96];
    snprintf(key, sizeof key, "audit.table_%.80s", table);
    const char *label = tr_or_null(key);
    return label ? label : table;
}

ws_status access_record_title(station *st, const char *table, int64_t row, char *out,
                              size_t outsz)
{
    out[0] = '\0';
    if (!table || !row)
        return WS_OK;
    /* Deleted residents too: the log may be read long after. */
    if (strcmp(table, "residents") == 0) {
        ws_status s = db_text_i64(station_db(st), "SELECT name FROM residents WHERE id = ?1",
                                  row, out, outsz);
        return s == WS_ERR_NOT_FOUND ? WS_OK : s;
    }
    const record_kind *k = access_kind_of(table);
    if (!k)
        return WS_OK;
    ws_status s = record_title(st, k, row, out, outsz);
    return s == WS_ERR_NOT_FOUND ? WS_OK : s;
}

/* UTF-8 of code point c into out (4 bytes at most); the bytes written. */
static size_t access_utf8(unsigned long c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static const char *access_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static bool access_hex4(const char *p, unsigned long *out)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return false;
        v = v * 16 + (unsigned long)d;
    }
    *out = v;
    return true;
}

/* A JSON string starting after its quote, unescaped into out (cut at
 * outsz); the position after the closing quote, NULL when malformed. */
static const char *access_json_string(const char *p, char *out, size_t outsz)
{
    size_t n = 0;
    while (*p && *p != '"') {
        char buf[4];
        size_t k = 1;
        if (*p != '\\') {
            buf[0] = *p++;
        } else {
            p++;
            unsigned long c = 0;
            switch (*p) {
            case 'n': buf[0] = ' '; break; /* one line in a cell */
            case 't': buf[0] = ' '; break;
            case 'r': buf[0] = ' '; break;
            case 'b': case 'f': buf[0] = ' '; break;
            case 'u':
                if (!access_hex4(p + 1, &c))
                    return NULL;
                p += 4;
                if (c >= 0xD800 && c < 0xDC00 && p[1] == '\\' && p[2] == 'u') {
                    unsigned long lo = 0;
                    if (access_hex4(p + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    }
                }
                if (c < 0x20 || (c >= 0xD800 && c < 0xE000))
                    c = 0xFFFD;
                k = access_utf8(c, buf);
                break;
            case '\0':
                return NULL;
            default: /* \" \\ \/ */
                buf[0] = *p;
                break;
            }
            p++;
        }
        if (n + k < outsz) {
            memcpy(out + n, buf, k);
            n += k;
        }
    }
    if (outsz)
        out[n] = '\0';
    return *p == '"' ? p + 1 : NULL;
}

/* Any other JSON value (number, literal, nested object or array) as its
 * text; the position after it. */
static const char *access_json_other(const char *p, char *out, size_t outsz)
{
    const char *start = p;
    int depth = 0;
    bool in_string = false;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = false;
            continue;
        }
        if (*p == '"')
            in_string = true;
        else if (*p == '{' || *p == '[')
            depth++;
        else if ((*p == '}' || *p == ']') && depth > 0)
            depth--;
        else if ((*p == ',' || *p == '}') && depth == 0)
            break;
    }
    size_t n = (size_t)(p - start);
    while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
        n--;
    snprintf(out, outsz, "%.*s", (int)n, start);
    return p;
}

/* One pair in words: "audit.d_KEY_VALUE" (masked 1 / 0), else
 * "audit.d_KEY" with the value, else "key：value". */
static void access_pair_text(const char *key, const char *value, char *out, size_t outsz)
{
    char ck[96];
    if (strlen(key) + strlen(value) < 64 && snprintf(ck, sizeof ck, "audit.d_%.40s_%.20s",
                                                     key, value) > 0 && tr_or_null(ck)) {
        snprintf(out, outsz, "%s", tr(ck));
        return;
    }
    snprintf(ck, sizeof ck, "audit.d_%.60s", key);
    if (tr_or_null(ck)) {
        /* A refusal names the permission by its catalog key. */
        const char *v = strcmp(key, "perm") == 0 && tr_or_null(value) ? tr(value) : value;
        trf(out, outsz, ck, v);
        return;
    }
    trf(out, outsz, "audit.d_other", key, value);
}

void access_detail_text(const char *json, char *out, size_t outsz)
{
    if (!outsz)
        return;
    out[0] = '\0';
    const char *p = access_ws(json ? json : "");
    if (!*p)
        return;
    if (*p != '{') {
        snprintf(out, outsz, "%s", p); /* not an object: as it is */
        return;
    }
    p = access_ws(p + 1);
    size_t used = 0;
    char key[64], value[1024], pair[1200];
    while (*p == '"') {
        p = access_json_string(p + 1, key, sizeof key);
        if (!p)
            break;
        p = access_ws(p);
        if (*p != ':')
            break;
        p = access_ws(p + 1);
        bool null = strncmp(p, "null", 4) == 0;
        if (*p == '"')
            p = access_json_string(p + 1, value, sizeof value);
        else
            p = access_json_other(p, value, sizeof value);
        if (!p)
            break;
        if (!null && value[0]) {
            access_pair_text(key, value, pair, sizeof pair);
            int n = snprintf(out + used, outsz - used, "%s%s", used ? tr("audit.d_sep") : "",
                             pair);
            if (n < 0 || (size_t)n >= outsz - used)
                return; /* cut: what fitted stays */
            used += (size_t)n;
        }
        p = access_ws(p);
        if (*p != ',')
            break;
        p = access_ws(p + 1);
    }
}

bool access_filter_date(const char *in, char out[11])
{
    out[0] = '\0';
    const char *p = in ? in : "";
    while (*p == ' ')
        p++;
    if (!*p)
        return true;
    char today[11];
    date_today(today);
    return val_date(p, today, false, out) == VAL_OK;
}

static size_t access_part(char *out, size_t outsz, size_t used, const char *sep,
                          const char *text)
{
    if (!text[0] || used >= outsz)
        return used;
    int n = snprintf(out + used, outsz - used, "%s%s", used ? sep : "", text);
    if (n < 0 || (size_t)n >= outsz - used)
        return outsz;
    return used + (size_t)n;
}

void access_filter_describe(station *st, const access_filter *f, const char *sep, char *out,
                            size_t outsz)
{
    if (!outsz)
        return;
    out[0] = '\0';
    size_t used = 0;
    char part[512];
    if (f->account_id) {
        account a;
        if (account_load(st, f->account_id, &a) == WS_OK)
            snprintf(part, sizeof part, "%s (%s)", a.display_name, a.login);
        else
            snprintf(part, sizeof part, "#%lld", (long long)f->account_id);
        used = access_part(out, outsz, used, sep, part);
    }
    if (f->event >= 0 && f->event < EV_COUNT)
        used = access_part(out, outsz, used, sep, tr(access_event_key((access_event)f->event)));
    if (f->from[0] && f->to[0])
        trf(part, sizeof part, "audit.from_to", f->from, f->to);
    else if (f->from[0])
        trf(part, sizeof part, "audit.from", f->from);
    else if (f->to[0])
        trf(part, sizeof part, "audit.to", f->to);
    else
        part[0] = '\0';
    used = access_part(out, outsz, used, sep, part);
    if (f->table[0]) {
        char title[256] = "";
        if (f->row)
            access_record_title(st, f->table, f->row, title, sizeof title);
        if (!title[0] && f->row)
            snprintf(title, sizeof title, "#%lld", (long long)f->row);
        snprintf(part, sizeof part, "%s%s%s", access_table_label(f->table), title[0] ? " " : "",
                 title);
        used = access_part(out, outsz, used, sep, part);
    }
    if (used >= outsz)
        out[outsz - 1] = '\0';
}

/* One word of a script's filter into f; false when it is none of them. */
static bool access_filter_word(station *st, const char *w, access_filter *f)
{
    access_event e = access_event_find(w);
    for (int i = 0; e == EV_COUNT && i < EV_COUNT; i++)
        if (strcmp(w, tr(access_event_key((access_event)i))) == 0)
            e = (access_event)i;
    if (e != EV_COUNT) {
        f->event = (int)e;
        return true;
    }
    /* TABLE:ID, the record an entry is about. */
    const char *colon = strchr(w, ':');
    if (colon && colon > w && (size_t)(colon - w) < sizeof f->table) {
        char *end = NULL;
        long long id = strtoll(colon + 1, &end, 10);
        if (end && end != colon + 1 && !*end && id > 0) {
            snprintf(f->table, sizeof f->table, "%.*s", (int)(colon - w), w);
            f->row = id;
            return true;
        }
    }
    /* A day, or FROM..TO with either end left open. */
    const char *dots = strstr(w, "..");
    if (dots) {
        char from[64];
        snprintf(from, sizeof from, "%.*s", (int)(dots - w), w);
        return (from[0] || dots[2]) && access_filter_date(from, f->from) &&
               access_filter_date(dots + 2, f->to);
    }
    if (w[0] >= '0' && w[0] <= '9' && access_filter_date(w, f->from)) {
        snprintf(f->to, sizeof f->to, "%s", f->from);
        return true;
    }
    account a;
    char login[ACCOUNT_LOGIN_MAX * 4 + 1];
    account_login_fold(w, login, sizeof login);
    if (account_find(st, login, &a) == WS_OK) {
        f->account_id = a.id;
        return true;
    }
    return false;
}

ws_status access_filter_parse(station *st, const char *words, access_filter *f, char *bad,
                              size_t badsz)
{
    access_filter_init(f);
    if (badsz)
        bad[0] = '\0';
    char *copy = strdup(words ? words : "");
    if (!copy)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w && s == WS_OK; w = strtok_r(NULL, " \t", &save))
        if (!access_filter_word(st, w, f)) {
            snprintf(bad, badsz, "%s", w);
            s = WS_ERR_USAGE;
        }
    free(copy);
    return s;
}

/* ---- its export ---- */

enum { XA_AT, XA_WHO, XA_EVENT, XA_TABLE, XA_ROW, XA_RECORD, XA_ROWS, XA_DETAIL, XA_COUNT };

static const char *const access_export_keys[XA_COUNT] = {
    "audit.col_at",     "audit.col_who",  "audit.col_event", "audit.col_table",
    "audit.col_row",    "audit.col_record", "audit.col_rows", "audit.col_detail",
};

static void access_export_fill(station *st, const access_row *r, export_row *row)
{
    for (int c = 0; c < XA_COUNT; c++)
        row->cells[c][0] = '\0';
    size_t sz = sizeof row->cells[0];
    snprintf(row->cells[XA_AT], sz, "%s", r->at);
    snprintf(row->cells[XA_WHO], sz, "%s", r->who);
    snprintf(row->cells[XA_EVENT], sz, "%s",
             r->event < EV_COUNT ? tr(access_event_key(r->event)) : "?");
    snprintf(row->cells[XA_TABLE], sz, "%s", access_table_label(r->table));
    if (r->row)
        snprintf(row->cells[XA_ROW], sz, "%lld", (long long)r->row);
    access_record_title(st, r->table, r->row, row->cells[XA_RECORD], sz);
    if (r->rows || r->event == EV_EXPORT)
        snprintf(row->cells[XA_ROWS], sz, "%lld", (long long)r->rows);
    access_detail_text(r->detail, row->cells[XA_DETAIL], sz);
}

static ws_status access_export_walk(const export_sheet *sh, station *st, const export_opts *o,
                                    export_emit_fn emit, void *ctx, size_t *rows)
{
    enum { PAGE = 256 };
    const access_filter *f = sh->data;
    access_row *page = calloc(PAGE, sizeof *page);
    export_row *row = malloc(sizeof *row);
    ws_status s = page && row ? WS_OK : WS_ERR_NOMEM;
    int64_t total = 0;
    if (s == WS_OK && o->progress && access_count(st, f, &total) != WS_OK)
        total = 0;
    int64_t after = 0;
    size_t n = 0, done = 0;
    while (s == WS_OK) {
        s = access_list(st, f, after, 1, page, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            access_export_fill(st, &page[i], row);
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
    free(row);
    if (rows)
        *rows = done;
    return s;
}

/* The sheet, and the options as recorded: the filter in words, never
 * "unmasked" (the log holds no identifiers of its own to unmask). */
static void access_export_sheet(station *st, const access_filter *f, const export_opts *opts,
                                export_sheet *sh, export_opts *o, char *desc, size_t descsz)
{
    memset(sh, 0, sizeof *sh);
    sh->what = "access_log";
    sh->name = tr("audit.kind_access_log");
    sh->ncols = XA_COUNT;
    for (int i = 0; i < XA_COUNT; i++)
        sh->titles[i] = tr(access_export_keys[i]);
    sh->text[XA_ROW] = true; /* 19 digits: a spreadsheet would round them */
    sh->walk = access_export_walk;
    sh->data = f;
    *o = *opts;
    o->unmasked = false;
    access_filter_describe(st, f, " · ", desc, descsz);
    o->filter = desc[0] ? desc : NULL;
}

static ws_status access_export_allowed(station *st, char *err, size_t errsz)
{
    ws_status s = station_require(st, PERM_ACCESS_LOG);
    if (s != WS_OK)
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

ws_status export_access_log(station *st, const access_filter *f, const char *path,
                            const export_opts *opts, size_t *rows, char *err, size_t errsz)
{
    if (rows)
        *rows = 0;
    err[0] = '\0';
    ws_status s = access_export_allowed(st, err, errsz);
    if (s != WS_OK)
        return s;
    export_sheet sh;
    export_opts o;
    char desc[1024];
    access_export_sheet(st, f, opts, &sh, &o, desc, sizeof desc);
    return export_sheet_file(&sh, st, path, &o, rows, err, errsz);
}

ws_status export_access_log_csv(station *st, const access_filter *f, const export_opts *opts,
                                char **out, size_t *len, size_t *rows, char *err,
                                size_t errsz)
{
    *out = NULL;
    *len = 0;
    if (rows)
        *rows = 0;
    err[0] = '\0';
    ws_status s = access_export_allowed(st, err, errsz);
    if (s != WS_OK)
        return s;
    export_sheet sh;
    export_opts o;
    char desc[1024];
    access_export_sheet(st, f, opts, &sh, &o, desc, sizeof desc);
    return export_sheet_csv(&sh, st, &o, out, len, rows, err, errsz);
}
