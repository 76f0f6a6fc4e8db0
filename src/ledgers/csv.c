#include "wushe/csv.h"

#include "wushe/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
    const char *buf;
    size_t len;
    size_t pos;
    size_t line; /* row of the next record */
    char delim;
    char *text;  /* unquoted field bytes, NUL after each */
    size_t tlen, tcap;
    size_t *offs; /* start of each field in text */
    size_t *lens;
    char **fields;
    size_t nf, fcap;
};

csv_reader *csv_reader_new(const char *buf, size_t len, char delim)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->buf = buf;
    r->len = len;
    r->delim = delim ? delim : ',';
    r->line = 1;
    return r;
}

void csv_reader_free(csv_reader **rp)
{
    if (!rp || !*rp)
        return;
    csv_reader *r = *rp;
    free(r->text);
    free(r->offs);
    free(r->lens);
    free(r->fields);
    free(r);
    *rp = NULL;
}

void csv_rewind(csv_reader *r)
{
    r->pos = 0;
    r->line = 1;
}

size_t csv_offset(const csv_reader *r)
{
    return r->pos;
}

static bool csv_text_put(csv_reader *r, const char *s, size_t n)
{
    if (r->tlen + n + 1 > r->tcap) {
        size_t cap = r->tcap ? r->tcap : 256;
        while (cap < r->tlen + n + 1)
            cap *= 2;
        char *t = realloc(r->text, cap);
        if (!t)
            return false;
        r->text = t;
        r->tcap = cap;
    }
    memcpy(r->text + r->tlen, s, n);
    r->tlen += n;
    return true;
}

/* Close the current field (NUL-terminate it) and open the next slot. */
static bool csv_field_end(csv_reader *r, size_t start)
{
    if (r->nf == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 16;
        size_t *o = realloc(r->offs, cap * sizeof *o);
        if (!o)
            return false;
        r->offs = o;
        size_t *l = realloc(r->lens, cap * sizeof *l);
        if (!l)
            return false;
        r->lens = l;
        char **f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return false;
        r->fields = f;
        r->fcap = cap;
    }
    r->offs[r->nf] = start;
    r->lens[r->nf] = r->tlen - start;
    r->nf++;
    return csv_text_put(r, "", 1);
}

/* Whether the character of s[0..len) is wide (Chinese, full-width). */
static bool csv_wide(const char *s, size_t len)
{
    char one[8];
    if (len == 0 || len >= sizeof one)
        return false;
    memcpy(one, s, len);
    one[len] = '\0';
    return text_width(one) == 2;
}

void csv_join_lines(char *v)
{
    char *w = v;
    for (const char *p = v; *p;) {
        if (*p != '\r' && *p != '\n') {
            *w++ = *p++;
            continue;
        }
        while (*p == '\r' || *p == '\n')
            p++;
        /* Chinese text has no spaces: 桃源村 / 八组89号 is one address.
         * Between Latin words or numbers the break was a space. */
        const char *prev = w > v ? w - 1 : v;
        while (prev > v && ((unsigned char)*prev & 0xC0) == 0x80)
            prev--;
        size_t next = *p ? 1 : 0; /* (a break at the end has nothing after it) */
        while (next && p[next] && ((unsigned char)p[next] & 0xC0) == 0x80)
            next++;
        bool cjk = w > v && *p && (csv_wide(prev, (size_t)(w - prev)) || csv_wide(p, next));
        if (w > v && w[-1] != ' ' && *p && !cjk)
            *w++ = ' ';
    }
    *w = '\0';
}

/* Whether text[0..n) is only whitespace: ASCII spaces, tabs and line
 * breaks, the full-width space (U+3000), the no-break space (U+00A0) and
 * the invisible zero-width ones (U+200B..U+200D, U+FEFF). */
static bool csv_whitespace(const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
            i++;
        } else if (i + 1 < n && p[i] == 0xC2 && p[i + 1] == 0xA0) {
            i += 2;
        } else if (i + 2 < n && ((p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) ||
                                 (p[i] == 0xE2 && p[i + 1] == 0x80 && p[i + 2] >= 0x8B &&
                                  p[i + 2] <= 0x8D) ||
                                 (p[i] == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF))) {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

ws_status csv_next(csv_reader *r, csv_row *row)
{
    memset(row, 0, sizeof *row);
    if (r->pos >= r->len)
        return WS_ERR_NOT_FOUND;
    const char *b = r->buf;
    size_t n = r->len, p = r->pos;
    char d = r->delim;
    r->tlen = 0;
    r->nf = 0;
    row->line = r->line;
    size_t lines = 1;
    bool blank = true;
    for (;;) {
        /* One field starting at p. */
        size_t start = r->tlen;
        if (p < n && b[p] == '"') {
            blank = false;
            p++;
            for (;;) {
                if (p >= n) {
                    row->unterminated = true;
                    break;
                }
                /* Copy a run of ordinary bytes at once. */
                const char *q = memchr(b + p, '"', n - p);
                size_t run = q ? (size_t)(q - (b + p)) : n - p;
                for (size_t i = p; i < p + run; i++)
                    if (b[i] == '\n' || (b[i] == '\r' && (i + 1 >= n || b[i + 1] != '\n')))
                        lines++;
                if (run && !csv_text_put(r, b + p, run))
                    return WS_ERR_NOMEM;
                p += run;
                if (p >= n)
                    continue;
                /* At a quote: doubled, or the end of the quoted part. */
                if (p + 1 < n && b[p + 1] == '"') {
                    if (!csv_text_put(r, "\"", 1))
                        return WS_ERR_NOMEM;
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            /* Anything after the closing quote up to the delimiter is kept
             * (lenient, as Excel does with "ab"c). */
        }
        while (p < n && b[p] != d && b[p] != '\n' && b[p] != '\r') {
            size_t s = p;
            while (p < n && b[p] != d && b[p] != '\n' && b[p] != '\r')
                p++;
            for (size_t i = s; i < p && blank; i++)
                if (b[i] != ' ')
                    blank = false;
            if (!csv_text_put(r, b + s, p - s))
                return WS_ERR_NOMEM;
        }
        if (!csv_field_end(r, start))
            return WS_ERR_NOMEM;
        if (p < n && b[p] == d) {
            p++;
            continue;
        }
        /* End of record. */
        if (p < n && b[p] == '\r') {
            p++;
            if (p < n && b[p] == '\n')
                p++;
        } else if (p < n && b[p] == '\n') {
            p++;
        }
        break;
    }
    r->pos = p;
    r->line++; /* a record is one row, as a sheet shows it */
    for (size_t i = 0; i < r->nf; i++)
        r->fields[i] = r->text + r->offs[i];
    row->fields = r->fields;
    row->lens = r->lens;
    row->n = r->nf;
    row->lines = lines;
    /* A row of nothing but spaces is blank however they were typed: a
     * quoted " " (a workbook's cell), the IME's full-width space, a tab. */
    for (size_t i = 0; !blank; i++) {
        if (i == r->nf) {
            blank = true;
            break;
        }
        if (!csv_whitespace(r->fields[i], r->lens[i]))
            break;
    }
    row->blank = blank;
    return WS_OK;
}

/* Field counts of the first records of buf[0..len) split by d. */
/* Fields of each of the first rows: without the trailing empty ones
 * (Excel pads short rows) in counts, all of them in raw. */
static size_t csv_counts(const char *buf, size_t len, char d, size_t *counts, size_t *raw,
                         size_t max)
{
    csv_reader *r = csv_reader_new(buf, len, d);
    if (!r)
        return 0;
    size_t k = 0;
    csv_row row;
    while (k < max && csv_next(r, &row) == WS_OK) {
        if (row.blank)
            continue;
        size_t nf = row.n;
        while (nf > 1 && row.lens[nf - 1] == 0)
            nf--;
        raw[k] = row.n;
        counts[k++] = nf;
    }
    csv_reader_free(&r);
    return k;
}

char csv_sniff(const char *buf, size_t len)
{
    static const char cands[] = {',', '\t', ';'};
    enum { LINES = 20 };
    size_t sample = len < 65536 ? len : 65536;
    char best = ',';
    long best_score = 0;
    for (size_t c = 0; c < sizeof cands; c++) {
        size_t counts[LINES], raw[LINES];
        size_t k = csv_counts(buf, sample, cands[c], counts, raw, LINES);
        if (k == 0)
            continue;
        /* The widest of the first lines is the header (a title line above
         * it has one field); rows that agree with it make the score. */
        size_t width = 0;
        for (size_t i = 0; i < k; i++)
            if (counts[i] > width)
                width = counts[i];
        if (width < 2)
            continue;
        /* A row agrees whose empty cells at its end are written out too
         * (an export's, where a tab guards long numbers: split by tabs,
         * its rows end where their last number does). */
        size_t agree = 0;
        for (size_t i = 0; i < k; i++)
            if (counts[i] == width || raw[i] == width)
                agree++;
        long score = (long)(agree * 1000 / k) * 100 + (long)width;
        if (score > best_score) {
            best_score = score;
            best = cands[c];
        }
    }
    return best;
}

/* ---- writing ---- */

void csv_buf_append(csv_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void csv_put_field(csv_buf *b, const char *s, char delim, bool first)
{
    if (!first)
        csv_buf_append(b, &delim, 1);
    if (!s)
        s = "";
    size_t n = strlen(s);
    bool quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            quote = true;
    if (!quote) {
        csv_buf_append(b, s, n);
        return;
    }
    csv_buf_append(b, "\"", 1);
    const char *p = s;
    for (const char *q; (q = strchr(p, '"')); p = q + 1) {
        csv_buf_append(b, p, (size_t)(q - p) + 1);
        csv_buf_append(b, "\"", 1);
    }
    csv_buf_append(b, p, strlen(p));
    csv_buf_append(b, "\"", 1);
}

/* -150, -3600.00: a negative amount (a reversal's hours or money), which
 * Excel reads as the number it is. */
static bool csv_negative_number(const char *v)
{
    size_t i = 1, digits = strspn(v + 1, "0123456789");
    if (v[0] != '-' || digits == 0 || digits > 11)
        return false;
    i += digits;
    if (v[i] == '.') {
        size_t frac = strspn(v + i + 1, "0123456789");
        if (frac == 0)
            return false;
        i += 1 + frac;
    }
    return v[i] == '\0';
}

bool csv_cell_guarded(const char *v, bool ident)
{
    size_t n = strlen(v);
    /* A formula to Excel (=, +, - or @ first), which a cell from a ledger
     * or a register must never become; a negative number is not one (with
     * a tab Excel takes it for text, and a sum leaves it out). */
    if (n && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'))
        return !csv_negative_number(v);
    if (n < 2)
        return false;
    size_t digits = strspn(v, "0123456789");
    bool x = digits == n - 1 && (v[n - 1] == 'X' || v[n - 1] == 'x');
    if (digits != n && !x)
        return false;
    /* An identifier column's number of 11 or more (a phone, an ID number
     * ending in X); any cell of digits Excel would change: zeros in front
     * (000123, 0817...) or more than 11 digits (5.10902E+17). */
    return (ident && n >= 11) || (!x && (v[0] == '0' || n > 11));
}

void csv_put_cell(csv_buf *b, const char *v, char delim, bool first, bool ident)
{
    if (!v || !csv_cell_guarded(v, ident)) {
        csv_put_field(b, v, delim, first);
        return;
    }
    size_t n = strlen(v);
    char *g = malloc(n + 2);
    if (!g) {
        b->oom = true;
        return;
    }
    g[0] = '\t';
    memcpy(g + 1, v, n + 1);
    csv_put_field(b, g, delim, first);
    free(g);
}

void csv_end_row(csv_buf *b, const char *eol)
{
    csv_buf_append(b, eol, strlen(eol));
}

void csv_buf_free(csv_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}
