/* A single-line editor over UTF-8. After every change the text is split
 * into grapheme clusters (text_graphemes), so movement, deletion and column
 * arithmetic work on whole clusters with a binary search. Lines are short,
 * so re-splitting the whole text on each edit is cheap enough. */
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
    text_grapheme *gr;
    size_t ngr;
};

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

/* Re-split after a change and put the cursor back on a boundary: a
 * combining mark typed after a letter joins it, so a cursor inside a
 * cluster moves to its end. */
static void relayout(lineedit *le)
{
    free(le->gr);
    le->gr = NULL;
    le->ngr = 0;
    if (!text_graphemes(le->buf, le->len, &le->gr, &le->ngr))
        oom();
    if (le->cur > le->len)
        le->cur = le->len;
    size_t i = index_at(le, le->cur);
    if (i > 0 && le->cur != off_of(le, i)) {
        const text_grapheme *g = &le->gr[i - 1];
        if (le->cur > g->off && le->cur < g->off + g->len)
            le->cur = g->off + g->len;
    }
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

void lineedit_free(lineedit **le)
{
    if (!le || !*le)
        return;
    free((*le)->buf);
    free((*le)->gr);
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
    relayout(le);
    if (le->max && le->len > le->max) {
        size_t i = index_at(le, le->max + 1); /* first grapheme ending past max */
        while (i > 0 && le->gr[i - 1].off + le->gr[i - 1].len > le->max)
            i--;
        le->len = off_of(le, i);
        le->buf[le->len] = '\0';
        le->cur = le->len;
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

bool lineedit_insert(lineedit *le, const char *utf8)
{
    if (!utf8)
        return false;
    size_t n = strlen(utf8);
    if (!text_valid_utf8(utf8, n) || text_has_control(utf8))
        return false;
    if (n == 0)
        return true;
    if (le->max && le->len + n > le->max)
        return false;
    reserve(le, le->len + n);
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, utf8, n);
    le->len += n;
    le->cur += n;
    relayout(le);
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
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    le->cur = from;
    relayout(le);
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
    le->len = le->cur;
    le->buf[le->len] = '\0';
    relayout(le);
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
