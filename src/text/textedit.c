/* The multi-line editor: a multi-line lineedit (which splits the text into
 * grapheme clusters and wraps it into rows) with the field's limit, the
 * cleaning of what comes in, a goal column for Up/Down, pages and the
 * scroll position. Everything an insertion does is linear in the text
 * inserted and the text after the cursor, so a 10,000-character paste is
 * one pass, not one re-layout per character. */
#include "wushe/textedit.h"
#include "wushe/lineedit.h"
#include "wushe/text.h"
#include "text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct textedit {
    lineedit *le;
    size_t limit; /* characters; 0 = none */
    int cols, rows; /* the box, as last given */
    size_t top;     /* byte offset of the row at the top of the box */
    int goal;       /* the display column Up/Down aim for; -1: the cursor's */
};

/* Out of memory is the one fatal error (as in lineedit.c). */
static void oom(void)
{
    fputs("wushe: out of memory\n", stderr);
    abort();
}

textedit *textedit_new(size_t limit)
{
    textedit *te = calloc(1, sizeof *te);
    if (!te)
        return NULL;
    /* No byte cap: the limit is the field's, in characters. */
    te->le = lineedit_new(0);
    if (!te->le) {
        free(te);
        return NULL;
    }
    lineedit_set_multiline(te->le, true);
    te->limit = limit;
    te->cols = 80;
    te->rows = 5;
    te->goal = -1;
    return te;
}

void textedit_free(textedit **te)
{
    if (!te || !*te)
        return;
    lineedit_free(&(*te)->le);
    free(*te);
    *te = NULL;
}

size_t textedit_limit(const textedit *te)
{
    return te->limit;
}

void textedit_set(textedit *te, const char *text)
{
    lineedit_set(te->le, text ? text : "");
    lineedit_home(te->le);
    te->top = 0;
    te->goal = -1;
}

const char *textedit_text(const textedit *te)
{
    return lineedit_text(te->le);
}

size_t textedit_len(const textedit *te)
{
    return lineedit_len(te->le);
}

size_t textedit_chars(const textedit *te)
{
    return lineedit_chars(te->le);
}

size_t textedit_cursor(const textedit *te)
{
    return lineedit_cursor(te->le);
}

void textedit_resize(textedit *te, int cols, int rows)
{
    te->cols = cols < 1 ? 1 : cols;
    te->rows = rows < 1 ? 1 : rows;
}

bool textedit_utf8(uint32_t cp, char out[5])
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    out[text_utf8_encode(cp, out)] = '\0';
    return true;
}

/* ---- cleaning ---- */

static bool is_break(uint32_t cp)
{
    return cp == '\n' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* C1 controls that open an escape sequence: CSI, and the strings OSC,
 * DCS, SOS, PM, APC. */
static bool is_c1_intro(uint32_t cp)
{
    return cp == 0x9B || cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F;
}

/* The end of the escape sequence that starts at s[i] (ESC, or a C1
 * introducer of n bytes). A string sequence (OSC ...) ends at BEL or ST,
 * and at the latest before the next control character, so an unterminated
 * one costs at most the rest of its line. */
static size_t escape_end(const char *s, size_t len, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t j = i + n;
    bool csi, str;
    if (u[i] == 0x1B) {
        if (j >= len)
            return len;
        unsigned char d = u[j];
        csi = d == '[';
        str = d == ']' || d == 'P' || d == 'X' || d == '^' || d == '_';
        if (!csi && !str) {
            while (j < len && u[j] >= 0x20 && u[j] <= 0x2F) /* intermediates */
                j++;
            return j < len && u[j] >= 0x30 && u[j] <= 0x7E ? j + 1 : j;
        }
        j++;
    } else {
        csi = u[i + 1] == 0x9B;
        str = !csi;
    }
    if (csi) {
        while (j < len && u[j] >= 0x20 && u[j] <= 0x3F) /* parameters, intermediates */
            j++;
        return j < len && u[j] >= 0x40 && u[j] <= 0x7E ? j + 1 : j;
    }
    for (; j < len; j++) {
        if (u[j] == 0x07)
            return j + 1;
        if (u[j] == 0x1B)
            return j + 1 < len && u[j + 1] == '\\' ? j + 2 : j;
        if (u[j] == 0xC2 && j + 1 < len && u[j + 1] == 0x9C)
            return j + 2;
        if (u[j] < 0x20 || u[j] == 0x7F)
            return j;
    }
    return len;
}

/* Byte offset of the start of the line (not the display row) that the
 * cursor is in. */
static size_t line_start(const textedit *te)
{
    const char *t = lineedit_text(te->le);
    size_t ls = lineedit_cursor(te->le);
    while (ls > 0 && t[ls - 1] != '\n')
        ls--;
    return ls;
}

/* The column the cursor is at in its line (not its display row): where a
 * tab at the start of the inserted text counts from. */
static int line_col(const textedit *te)
{
    const char *t = lineedit_text(te->le);
    size_t cur = lineedit_cursor(te->le), ls = line_start(te);
    char *seg = strndup(t + ls, cur - ls);
    if (!seg)
        oom();
    int w = text_width(seg);
    free(seg);
    return w;
}

/* in, cleaned (see textedit.h); *chars gets its code points. */
static char *clean(const textedit *te, const char *in, textedit_report *rep, size_t *chars)
{
    size_t len = strlen(in);
    /* Worst case: a tab becomes TEXTEDIT_TAB spaces, an invalid byte 3 bytes. */
    char *out = malloc((TEXTEDIT_TAB > 3 ? TEXTEDIT_TAB : 3) * len + 1);
    if (!out)
        oom();
    size_t o = 0, seg = 0, nc = 0;
    int col = -1; /* column at out[seg] in its line; -1: not measured yet */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_next(in + i, len - i, &cp);
        if (cp == '\r' || is_break(cp)) {
            i += n;
            if (cp == '\r' && i < len && in[i] == '\n')
                i++;
            out[o++] = '\n';
            nc++;
            seg = o;
            col = 0;
        } else if (cp == '\t') {
            /* Columns are measured once per stretch between tabs. */
            out[o] = '\0';
            col = (col < 0 ? line_col(te) : col) + text_width(out + seg);
            int sp = TEXTEDIT_TAB - col % TEXTEDIT_TAB;
            memset(out + o, ' ', (size_t)sp);
            o += (size_t)sp;
            nc += (size_t)sp;
            col += sp;
            seg = o;
            i += n;
        } else if (cp == 0x1B || is_c1_intro(cp)) {
            i = escape_end(in, len, i, n);
            rep->dropped++;
        } else if (cp == 0xFEFF) {
            i += n;
            rep->dropped++;
        } else if (cp == TEXT_INVALID_CP || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            o += text_utf8_encode(0xFFFD, out + o);
            nc++;
            i += n;
            rep->replaced++;
        } else {
            memcpy(out + o, in + i, n);
            o += n;
            nc++;
            i += n;
        }
    }
    out[o] = '\0';
    *chars = nc;
    return out;
}

/* Cut s (of `chars` code points) after its last whole grapheme within
 * `room` code points; returns the code points kept. */
static size_t cut_to(char *s, size_t chars, size_t room)
{
    if (chars <= room)
        return chars;
    text_grapheme *g = NULL;
    size_t ng = 0;
    if (!text_graphemes(s, strlen(s), &g, &ng))
        oom();
    size_t kept = 0, end = 0;
    for (size_t i = 0; i < ng; i++) {
        size_t c = 0;
        for (size_t b = g[i].off; b < g[i].off + g[i].len; b++)
            c += ((unsigned char)s[b] & 0xC0) != 0x80;
        if (kept + c > room)
            break;
        kept += c;
        end = g[i].off + g[i].len;
    }
    free(g);
    s[end] = '\0';
    return kept;
}

textedit_status textedit_insert(textedit *te, const char *utf8, textedit_report *report)
{
    textedit_report rep = {0};
    size_t chars = 0;
    char *s = clean(te, utf8 ? utf8 : "", &rep, &chars);
    size_t have = lineedit_chars(te->le);
    size_t room = !te->limit ? chars : te->limit > have ? te->limit - have : 0;
    rep.kept = cut_to(s, chars, room);
    rep.cut = chars - rep.kept;
    if (*s && !lineedit_insert(te->le, s))
        oom(); /* cleaned text is always taken; only memory can fail */
    free(s);
    te->goal = -1;
    if (report)
        *report = rep;
    if (!rep.cut)
        return TEXTEDIT_OK;
    return rep.kept ? TEXTEDIT_CUT : TEXTEDIT_FULL;
}

textedit_status textedit_insert_cp(textedit *te, uint32_t cp)
{
    char s[5];
    if (!textedit_utf8(cp, s))
        return TEXTEDIT_OK; /* nothing to insert */
    return textedit_insert(te, s, NULL);
}

/* ---- movement ---- */

static int goal_col(textedit *te)
{
    if (te->goal < 0)
        lineedit_row_span(te->le, te->cols, NULL, NULL, &te->goal);
    return te->goal;
}

bool textedit_left(textedit *te)
{
    te->goal = -1;
    return lineedit_left(te->le);
}

bool textedit_right(textedit *te)
{
    te->goal = -1;
    return lineedit_right(te->le);
}

bool textedit_up(textedit *te)
{
    return lineedit_move_rows(te->le, te->cols, -1, goal_col(te)) != 0;
}

bool textedit_down(textedit *te)
{
    return lineedit_move_rows(te->le, te->cols, 1, goal_col(te)) != 0;
}

static bool move_to(textedit *te, size_t off)
{
    te->goal = -1;
    if (off == lineedit_cursor(te->le))
        return false;
    lineedit_set_cursor(te->le, off);
    return true;
}

bool textedit_home(textedit *te)
{
    size_t s = 0;
    lineedit_row_span(te->le, te->cols, &s, NULL, NULL);
    return move_to(te, s);
}

bool textedit_end(textedit *te)
{
    size_t e = 0;
    lineedit_row_span(te->le, te->cols, NULL, &e, NULL);
    return move_to(te, e);
}

/* The cursor and the view move together, so the cursor keeps its place in
 * the box; with no row left that way, the cursor goes to the text's end. */
static bool page(textedit *te, long dir)
{
    /* From the view as it is drawn (a move since may have left the stored
     * scroll position where the next draw would not keep it). */
    textedit_view(te, NULL, NULL, NULL);
    long moved = lineedit_move_rows(te->le, te->cols, dir * te->rows, goal_col(te));
    if (moved == 0)
        return move_to(te, dir < 0 ? 0 : lineedit_len(te->le));
    te->top = lineedit_row_step(te->le, te->cols, te->top, moved);
    return true;
}

bool textedit_page_up(textedit *te)
{
    return page(te, -1);
}

bool textedit_page_down(textedit *te)
{
    return page(te, 1);
}

void textedit_start(textedit *te)
{
    move_to(te, 0);
}

void textedit_finish(textedit *te)
{
    move_to(te, lineedit_len(te->le));
}

/* ---- editing ---- */

bool textedit_backspace(textedit *te)
{
    te->goal = -1;
    return lineedit_backspace(te->le);
}

bool textedit_delete(textedit *te)
{
    te->goal = -1;
    return lineedit_delete(te->le);
}

bool textedit_kill_line_start(textedit *te)
{
    size_t cur = lineedit_cursor(te->le), ls = line_start(te);
    te->goal = -1;
    if (ls == cur) {
        if (cur == 0)
            return false;
        ls = cur - 1; /* the break: this line joins the one above */
    }
    lineedit_delete_range(te->le, ls, cur);
    return true;
}

bool textedit_kill_line_end(textedit *te)
{
    const char *t = lineedit_text(te->le);
    size_t cur = lineedit_cursor(te->le), len = lineedit_len(te->le);
    const char *p = memchr(t + cur, '\n', len - cur);
    size_t end = p ? (size_t)(p - t) : len;
    te->goal = -1;
    if (end == cur) {
        if (cur == len)
            return false;
        end = cur + 1; /* the break: the next line joins */
    }
    lineedit_delete_range(te->le, cur, end);
    return true;
}

/* ---- drawing ---- */

size_t textedit_view(textedit *te, lineedit_row *rows, size_t *cursor_row, int *cursor_col)
{
    return lineedit_view_rows(te->le, te->cols, (size_t)te->rows, &te->top, rows, cursor_row,
                              cursor_col);
}

void textedit_more(textedit *te, bool *above, bool *below)
{
    if (above)
        *above = te->top > 0;
    if (below) {
        size_t last = lineedit_row_step(te->le, te->cols, te->top, te->rows - 1);
        *below = lineedit_row_step(te->le, te->cols, last, 1) != last;
    }
}

size_t textedit_rows(textedit *te, size_t *cursor_row)
{
    return lineedit_row_count(te->le, te->cols, cursor_row);
}

char *textedit_one_line(const char *text, char *out, size_t outsz)
{
    static const char mark[] = "↵";
    size_t o = 0;
    if (!outsz)
        return out;
    for (const char *p = text ? text : ""; *p;) {
        const char *piece = p;
        size_t n = 1;
        if (*p == '\r' || *p == '\n') {
            p += *p == '\r' && p[1] == '\n' ? 2 : 1;
            piece = mark;
            n = sizeof mark - 1;
        } else {
            while (((unsigned char)p[n] & 0xC0) == 0x80)
                n++;
            p += n;
        }
        if (o + n >= outsz)
            break;
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = '\0';
    return out;
}
