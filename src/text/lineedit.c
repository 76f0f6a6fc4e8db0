/* A line editor over UTF-8. After every change the text is split into
 * grapheme clusters (text_graphemes), so movement, deletion and column
 * arithmetic work on whole clusters with a binary search. An edit re-splits
 * only from the cluster before it on (a boundary depends on the text before
 * it and the character after it), so a long paste typed in key by key at
 * the end stays linear. */
#include "wushe/lineedit.h"
#include "wushe/text.h"
#include "text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

struct lineedit {
    char *buf;
    size_t len, cap;
    size_t max; /* 0 = no limit */
    size_t cur; /* byte offset, always on a grapheme boundary */
    size_t chars; /* code points, as the model counts characters */
    bool multi;   /* '\n' is text */
    text_grapheme *gr;
    size_t ngr, grcap;
    /* Row starts (grapheme indices) of one line wrapped at wcols, from its
     * start wls on, kept between draws: a paste typed in at the end of a
     * long line would otherwise re-wrap all of it on every key. An edit
     * drops the starts from its first changed grapheme on. */
    size_t *wrow;
    size_t nwrow, wrowcap, wls;
    int wcols;
};

/* Code points in s[0..n). */
static size_t count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The design makes out-of-memory the one fatal error; an editor that cannot
 * hold its text has no useful state to return to. */
static void oom(void)
{
    fputs("wushe: out of memory\n", stderr);
    abort();
}

/* Index of the grapheme starting at byte offset off (ngr for the end);
 * off inside a grapheme gives the index of the one that follows it. */
static size_t index_at(const lineedit *le, size_t off)
{
    size_t lo = 0, hi = le->ngr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (le->gr[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t off_of(const lineedit *le, size_t i)
{
    return i < le->ngr ? le->gr[i].off : le->len;
}

static int col_of(const lineedit *le, size_t i)
{
    if (i < le->ngr)
        return le->gr[i].col;
    return le->ngr ? le->gr[le->ngr - 1].col + le->gr[le->ngr - 1].width : 0;
}

/* Graphemes before the one that ends at or contains byte `off`: an edit at
 * off cannot change them, so they are kept (computed before the edit). */
static size_t keep_before(const lineedit *le, size_t off)
{
    size_t i = index_at(le, off);
    return i ? i - 1 : 0;
}

/* Re-split after a change from grapheme `keep` on and put the cursor back
 * on a boundary: a combining mark typed after a letter joins it, so a
 * cursor inside a cluster moves to its end. */
static void relayout_from(lineedit *le, size_t keep)
{
    if (keep > le->ngr)
        keep = le->ngr;
    size_t start = keep ? le->gr[keep - 1].off + le->gr[keep - 1].len : 0;
    int col0 = keep ? le->gr[keep - 1].col + le->gr[keep - 1].width : 0;
    text_grapheme *tail = NULL;
    size_t nt = 0;
    if (!text_graphemes(le->buf + start, le->len - start, &tail, &nt))
        oom();
    if (keep + nt > le->grcap) {
        size_t cap = le->grcap ? le->grcap : 16;
        while (cap < keep + nt)
            cap *= 2;
        text_grapheme *g = realloc(le->gr, cap * sizeof *g);
        if (!g)
            oom();
        le->gr = g;
        le->grcap = cap;
    }
    for (size_t i = 0; i < nt; i++) {
        le->gr[keep + i] = tail[i];
        le->gr[keep + i].off += start;
        le->gr[keep + i].col += col0;
    }
    free(tail);
    le->ngr = keep + nt;
    if (keep <= le->wls)
        le->nwrow = 0;
    while (le->nwrow > 0 && le->wrow[le->nwrow - 1] >= keep)
        le->nwrow--;
    if (le->cur > le->len)
        le->cur = le->len;
    size_t i = index_at(le, le->cur);
    if (i > 0 && le->cur != off_of(le, i)) {
        const text_grapheme *g = &le->gr[i - 1];
        if (le->cur > g->off && le->cur < g->off + g->len)
            le->cur = g->off + g->len;
    }
}

static void relayout(lineedit *le)
{
    relayout_from(le, 0);
}

static void reserve(lineedit *le, size_t need)
{
    if (need + 1 <= le->cap)
        return;
    size_t cap = le->cap ? le->cap : 32;
    while (cap < need + 1)
        cap *= 2;
    char *b = realloc(le->buf, cap);
    if (!b)
        oom();
    le->buf = b;
    le->cap = cap;
}

lineedit *lineedit_new(size_t max_bytes)
{
    lineedit *le = calloc(1, sizeof *le);
    if (!le)
        return NULL;
    le->cap = 32;
    le->buf = malloc(le->cap);
    if (!le->buf) {
        free(le);
        return NULL;
    }
    le->buf[0] = '\0';
    le->max = max_bytes;
    return le;
}

size_t lineedit_max(const lineedit *le)
{
    return le->max;
}

void lineedit_set_multiline(lineedit *le, bool on)
{
    le->multi = on;
}

bool lineedit_multiline(const lineedit *le)
{
    return le->multi;
}

void lineedit_free(lineedit **le)
{
    if (!le || !*le)
        return;
    free((*le)->buf);
    free((*le)->gr);
    free((*le)->wrow);
    free(*le);
    *le = NULL;
}

/* Stored text is kept as it is (sanitising happens when drawing), but it is
 * cut at a grapheme boundary when longer than the limit. */
void lineedit_set(lineedit *le, const char *text)
{
    if (!text)
        text = "";
    size_t n = strlen(text);
    reserve(le, n);
    memcpy(le->buf, text, n + 1);
    le->len = n;
    le->cur = n;
    le->chars = count_chars(le->buf, n);
    relayout(le);
    if (le->max && le->len > le->max) {
        size_t i = index_at(le, le->max + 1); /* first grapheme ending past max */
        while (i > 0 && le->gr[i - 1].off + le->gr[i - 1].len > le->max)
            i--;
        le->len = off_of(le, i);
        le->buf[le->len] = '\0';
        le->cur = le->len;
        le->chars = count_chars(le->buf, le->len);
        relayout(le);
    }
}

const char *lineedit_text(const lineedit *le)
{
    return le->buf;
}

size_t lineedit_len(const lineedit *le)
{
    return le->len;
}

size_t lineedit_chars(const lineedit *le)
{
    return le->chars;
}

size_t lineedit_cursor(const lineedit *le)
{
    return le->cur;
}

int lineedit_cursor_col(const lineedit *le)
{
    return col_of(le, index_at(le, le->cur));
}

int lineedit_width(const lineedit *le)
{
    return col_of(le, le->ngr);
}

/* No control characters or invalid bytes; a multi-line editor takes '\n'. */
static bool insert_ok(const lineedit *le, const char *s, size_t n)
{
    if (!text_valid_utf8(s, n))
        return false;
    if (!le->multi || !memchr(s, '\n', n))
        return !text_has_control(s);
    char *copy = strdup(s);
    if (!copy)
        oom();
    for (char *p = copy; *p; p++)
        if (*p == '\n')
            *p = ' ';
    bool ok = !text_has_control(copy);
    free(copy);
    return ok;
}

bool lineedit_insert(lineedit *le, const char *utf8)
{
    if (!utf8)
        return false;
    size_t n = strlen(utf8);
    if (!insert_ok(le, utf8, n))
        return false;
    if (n == 0)
        return true;
    if (le->max && le->len + n > le->max)
        return false;
    size_t keep = keep_before(le, le->cur);
    reserve(le, le->len + n);
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, utf8, n);
    le->len += n;
    le->cur += n;
    le->chars += count_chars(utf8, n);
    relayout_from(le, keep);
    return true;
}

bool lineedit_insert_cp(lineedit *le, uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
        return false;
    char s[5];
    s[text_utf8_encode(cp, s)] = '\0';
    return lineedit_insert(le, s);
}

bool lineedit_left(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    if (i == 0)
        return false;
    le->cur = le->gr[i - 1].off;
    return true;
}

bool lineedit_right(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    if (i >= le->ngr)
        return false;
    le->cur = off_of(le, i + 1);
    return true;
}

void lineedit_home(lineedit *le)
{
    le->cur = 0;
}

void lineedit_end(lineedit *le)
{
    le->cur = le->len;
}

/* Remove bytes [from, to) and leave the cursor at `from`. */
static void cut(lineedit *le, size_t from, size_t to)
{
    size_t keep = keep_before(le, from);
    le->chars -= count_chars(le->buf + from, to - from);
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    le->cur = from;
    relayout_from(le, keep);
}

bool lineedit_backspace(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    if (i == 0)
        return false;
    cut(le, le->gr[i - 1].off, le->cur);
    return true;
}

bool lineedit_delete(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    if (i >= le->ngr)
        return false;
    cut(le, le->cur, off_of(le, i + 1));
    return true;
}

void lineedit_kill_to_end(lineedit *le)
{
    size_t keep = keep_before(le, le->cur);
    le->chars -= count_chars(le->buf + le->cur, le->len - le->cur);
    le->len = le->cur;
    le->buf[le->len] = '\0';
    relayout_from(le, keep);
}

void lineedit_kill_to_start(lineedit *le)
{
    cut(le, 0, le->cur);
}

/* Words are separated by runs of white space and punctuation (ASCII or
 * CJK like "，"). Chinese text without spaces is one word. */
static bool is_separator(const text_grapheme *g)
{
    UChar32 c = (UChar32)g->cp;
    return u_isUWhiteSpace(c) || u_ispunct(c);
}

bool lineedit_word_left(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    size_t start = i;
    while (i > 0 && is_separator(&le->gr[i - 1]))
        i--;
    while (i > 0 && !is_separator(&le->gr[i - 1]))
        i--;
    le->cur = off_of(le, i);
    return i != start;
}

bool lineedit_word_right(lineedit *le)
{
    size_t i = index_at(le, le->cur);
    size_t start = i;
    while (i < le->ngr && is_separator(&le->gr[i]))
        i++;
    while (i < le->ngr && !is_separator(&le->gr[i]))
        i++;
    le->cur = off_of(le, i);
    return i != start;
}

size_t lineedit_view(const lineedit *le, int cols, size_t *first, int *cursor_col)
{
    if (cols < 1)
        cols = 1;
    size_t ci = index_at(le, le->cur);
    int ccol = col_of(le, ci);
    /* Start from the caller's previous scroll position, snapped to a
     * grapheme boundary, so the view only moves when it has to. */
    size_t si = index_at(le, first ? *first : 0);
    if (si > ci)
        si = ci;
    /* Scroll right until the cursor's cell is inside the field. */
    while (si < ci && ccol - col_of(le, si) > cols - 1)
        si++;
    /* Scroll back left while everything from there on (and the cursor's
     * cell) still fits, so deleting text does not leave the field half empty. */
    int need = lineedit_width(le);
    if (ccol + 1 > need)
        need = ccol + 1;
    while (si > 0 && need - col_of(le, si - 1) <= cols)
        si--;
    size_t start = off_of(le, si);
    if (first)
        *first = start;
    if (cursor_col)
        *cursor_col = ccol - col_of(le, si);
    return start;
}

/* ---- multi-line layout ----
 * A row is the graphemes [s, e) of the line that ends at pe (its '\n' or
 * the end of the text). Rows are identified by s: the empty row after a
 * line that fills its row exactly starts at pe, past every other row of
 * that line, and the next line starts at pe + 1. */

typedef struct ml_row {
    size_t s, e, pe;
    bool last; /* the line's last row: a cursor at e is on it */
} ml_row;

/* The grapheme after the last '\n' before grapheme i (a break ends its
 * grapheme, "\r\n" included). */
static size_t line_start(const lineedit *le, size_t i)
{
    size_t off = off_of(le, i);
    const char *p = off ? memrchr(le->buf, '\n', off) : NULL;
    return p ? index_at(le, (size_t)(p - le->buf) + 1) : 0;
}

/* The grapheme of the next '\n' from grapheme i on (ngr when none). */
static size_t line_end(const lineedit *le, size_t i)
{
    size_t off = off_of(le, i);
    const char *p = memchr(le->buf + off, '\n', le->len - off);
    return p ? index_at(le, (size_t)(p - le->buf) + 1) - 1 : le->ngr;
}

static ml_row row_make(const lineedit *le, size_t s, size_t pe, int cols)
{
    ml_row r = {s, s, pe, true};
    int w = 0;
    while (r.e < pe && (r.e == s || w + le->gr[r.e].width <= cols))
        w += le->gr[r.e++].width;
    if (s < pe)
        r.last = r.e < pe ? false : w < cols;
    return r;
}

/* Point the row cache at the line starting at ls, wrapped at cols. */
static void wrap_cache(lineedit *le, size_t ls, int cols)
{
    if (le->nwrow && le->wls == ls && le->wcols == cols)
        return;
    if (!le->wrowcap) {
        le->wrow = malloc(64 * sizeof *le->wrow);
        if (!le->wrow)
            oom();
        le->wrowcap = 64;
    }
    le->wls = ls;
    le->wcols = cols;
    le->wrow[0] = ls;
    le->nwrow = 1;
}

static void wrap_push(lineedit *le, size_t s)
{
    if (le->nwrow == le->wrowcap) {
        size_t *w = realloc(le->wrow, 2 * le->wrowcap * sizeof *w);
        if (!w)
            oom();
        le->wrow = w;
        le->wrowcap *= 2;
    }
    le->wrow[le->nwrow++] = s;
}

/* Index in the cache of the last row start <= i. */
static size_t wrap_find(const lineedit *le, size_t i)
{
    size_t lo = 0, hi = le->nwrow;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (le->wrow[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool row_next(const lineedit *le, const ml_row *r, int cols, ml_row *out)
{
    if (!r->last) {
        *out = row_make(le, r->e, r->pe, cols);
        return true;
    }
    if (r->pe >= le->ngr)
        return false;
    *out = row_make(le, r->pe + 1, line_end(le, r->pe + 1), cols);
    return true;
}

static bool row_prev(const lineedit *le, const ml_row *r, int cols, ml_row *out)
{
    size_t ls = line_start(le, r->s);
    size_t pe = r->pe;
    if (r->s == ls) { /* the line's first row: the last row of the line above */
        if (ls == 0)
            return false;
        pe = ls - 1;
        ls = line_start(le, pe);
    } else if (le->nwrow && le->wls == ls && le->wcols == cols) {
        size_t k = wrap_find(le, r->s);
        if (k > 0 && le->wrow[k] == r->s) {
            *out = row_make(le, le->wrow[k - 1], pe, cols);
            return true;
        }
    }
    ml_row x = row_make(le, ls, pe, cols), nx;
    while (!x.last) {
        nx = row_make(le, x.e, pe, cols);
        if (nx.s == r->s)
            break;
        x = nx;
    }
    *out = x;
    return true;
}

/* The row a cursor before grapheme ci is shown on; its line's row starts
 * are cached on the way. */
static ml_row row_at(lineedit *le, size_t ci, int cols)
{
    size_t ls = line_start(le, ci), pe = line_end(le, ci);
    wrap_cache(le, ls, cols);
    size_t k = wrap_find(le, ci);
    ml_row x = row_make(le, le->wrow[k], pe, cols);
    while (ci >= x.e && !x.last) {
        x = row_make(le, x.e, pe, cols);
        if (++k == le->nwrow)
            wrap_push(le, x.s);
    }
    return x;
}

size_t lineedit_view_rows(lineedit *le, int cols, size_t max, size_t *first,
                          lineedit_row *rows, size_t *cursor_row, int *cursor_col)
{
    if (cols < 1)
        cols = 1;
    size_t ci = index_at(le, le->cur);
    ml_row cur = row_at(le, ci, cols);
    if (cursor_col)
        *cursor_col = col_of(le, ci) - col_of(le, cur.s);
    if (cursor_row)
        *cursor_row = 0;
    if (max == 0)
        return 0;
    /* Start from the caller's scroll position, snapped to a row, so the
     * view only moves when it has to. */
    ml_row top = row_at(le, index_at(le, first ? *first : 0), cols);
    if (cur.s < top.s) {
        top = cur;
    } else {
        ml_row x = top;
        size_t k = 0;
        while (x.s != cur.s && k + 1 < max && row_next(le, &x, cols, &x))
            k++;
        if (x.s != cur.s) { /* below the box: the cursor's row at the bottom */
            top = cur;
            for (size_t j = 0; j + 1 < max && row_prev(le, &top, cols, &top); j++)
                ;
        }
    }
    /* Keep the box full when the text below has gone. */
    size_t n = 1;
    ml_row x = top;
    while (n < max && row_next(le, &x, cols, &x))
        n++;
    while (n < max && row_prev(le, &top, cols, &top))
        n++;
    if (first)
        *first = off_of(le, top.s);
    x = top;
    for (size_t i = 0; i < n; i++) {
        if (rows) {
            rows[i].off = off_of(le, x.s);
            rows[i].len = off_of(le, x.e) - rows[i].off;
        }
        if (x.s == cur.s && cursor_row)
            *cursor_row = i;
        if (i + 1 < n)
            row_next(le, &x, cols, &x);
    }
    return n;
}

/* The cursor position in row r nearest to column c of the row (a cursor
 * at the end of a wrapped row would show on the next one). */
static size_t row_col_index(const lineedit *le, const ml_row *r, int c)
{
    size_t end = r->last ? r->e : r->e - 1;
    size_t i = r->s;
    while (i < end && col_of(le, i + 1) - col_of(le, r->s) <= c)
        i++;
    return i;
}

void lineedit_row_span(lineedit *le, int cols, size_t *start, size_t *end, int *col)
{
    if (cols < 1)
        cols = 1;
    size_t ci = index_at(le, le->cur);
    ml_row r = row_at(le, ci, cols);
    if (start)
        *start = off_of(le, r.s);
    if (end)
        *end = off_of(le, r.last ? r.e : r.e - 1);
    if (col)
        *col = col_of(le, ci) - col_of(le, r.s);
}

long lineedit_move_rows(lineedit *le, int cols, long delta, int col)
{
    if (!le->multi || delta == 0)
        return 0;
    if (cols < 1)
        cols = 1;
    ml_row r = row_at(le, index_at(le, le->cur), cols), to;
    long moved = 0;
    while (moved != delta &&
           (delta < 0 ? row_prev(le, &r, cols, &to) : row_next(le, &r, cols, &to))) {
        r = to;
        moved += delta < 0 ? -1 : 1;
    }
    if (moved)
        le->cur = off_of(le, row_col_index(le, &r, col));
    return moved;
}

bool lineedit_up(lineedit *le, int cols)
{
    int c = 0;
    lineedit_row_span(le, cols, NULL, NULL, &c);
    return lineedit_move_rows(le, cols, -1, c) != 0;
}

bool lineedit_down(lineedit *le, int cols)
{
    int c = 0;
    lineedit_row_span(le, cols, NULL, NULL, &c);
    return lineedit_move_rows(le, cols, 1, c) != 0;
}

size_t lineedit_row_step(lineedit *le, int cols, size_t off, long delta)
{
    if (cols < 1)
        cols = 1;
    ml_row r = row_at(le, index_at(le, off > le->len ? le->len : off), cols), to;
    for (; delta < 0 && row_prev(le, &r, cols, &to); delta++)
        r = to;
    for (; delta > 0 && row_next(le, &r, cols, &to); delta--)
        r = to;
    return off_of(le, r.s);
}

size_t lineedit_row_count(lineedit *le, int cols, size_t *cursor_row)
{
    if (cols < 1)
        cols = 1;
    ml_row cur = row_at(le, index_at(le, le->cur), cols);
    ml_row x = row_make(le, 0, line_end(le, 0), cols);
    size_t n = 0;
    if (cursor_row)
        *cursor_row = 0;
    do {
        if (x.s == cur.s && cursor_row)
            *cursor_row = n;
        n++;
    } while (row_next(le, &x, cols, &x));
    return n;
}

void lineedit_set_cursor(lineedit *le, size_t off)
{
    le->cur = off_of(le, index_at(le, off > le->len ? le->len : off));
}

void lineedit_delete_range(lineedit *le, size_t from, size_t to)
{
    if (to > le->len)
        to = le->len;
    if (from >= to)
        return;
    size_t i = index_at(le, from);
    if (i > 0 && off_of(le, i) != from)
        from = le->gr[i - 1].off; /* inside a grapheme: all of it */
    cut(le, from, off_of(le, index_at(le, to)));
}
