#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/text.h"

void draw_init_colors(void)
{
    if (!has_colors())
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_BAR, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_YELLOW);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
    init_pair(PAIR_HEADER, COLOR_BLUE, -1);
    init_pair(PAIR_FIELD, COLOR_BLACK, COLOR_WHITE);
    init_pair(PAIR_OK, COLOR_GREEN, -1);
}

/* s fitted into cols columns at (y, x): cut (with "…" when marked) and
 * padded as asked. */
static void draw_fitted(int y, int x, int cols, const char *s, bool pad, bool marked,
                        attr_t attr)
{
    if (cols <= 0)
        return;
    size_t cap = (size_t)cols * 4 + 16;
    char stackbuf[1024];
    char *buf = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
    if (!buf)
        return;
    if (marked)
        text_fit_marked(s ? s : "", cols, pad, buf, cap);
    else
        text_fit(s ? s : "", cols, pad, buf, cap);
    attron(attr);
    mvaddstr(y, x, buf);
    attroff(attr);
    if (buf != stackbuf)
        free(buf);
}

void draw_text_attr(int y, int x, int cols, const char *s, bool pad, attr_t attr)
{
    draw_fitted(y, x, cols, s, pad, false, attr);
}

void draw_cell_attr(int y, int x, int cols, const char *s, attr_t attr)
{
    draw_fitted(y, x, cols, s, true, true, attr);
}

void draw_text(int y, int x, int cols, const char *s, bool pad)
{
    draw_text_attr(y, x, cols, s, pad, A_NORMAL);
}

void draw_fill(int y, int x, int cols, attr_t attr)
{
    draw_text_attr(y, x, cols, "", true, attr);
}

int draw_width(const char *s)
{
    return text_width(s);
}

/* The frame's cursor: curses has one terminal cursor, like stdscr. */
static int draw_cursor_y = -1, draw_cursor_x = -1;

void draw_set_cursor(int y, int x)
{
    draw_cursor_y = y;
    draw_cursor_x = x;
}

void draw_get_cursor(int *y, int *x)
{
    *y = draw_cursor_y;
    *x = draw_cursor_x;
}

/* Whether p starts with one of marks. */
static size_t draw_starts(const char *p, const char *const *marks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(p, marks[i], strlen(marks[i])) == 0)
            return strlen(marks[i]);
    return 0;
}

/* Punctuation a Chinese line does not start with (closing). */
static bool draw_closing(const char *p)
{
    static const char *const marks[] = {"）", "。", "，", "、", "：", "；", "！", "？",
                                        "”", "’", "》", "】", "」", "』", ")"};
    return draw_starts(p, marks, sizeof marks / sizeof *marks) > 0;
}

/* Punctuation a line does not end with (opening): a clause starts there. */
static bool draw_opening(const char *p)
{
    static const char *const marks[] = {"（", "“", "‘", "《", "【", "「", "『", "("};
    return draw_starts(p, marks, sizeof marks / sizeof *marks) > 0;
}

/* Whether p[0..k) ends with one of marks. */
static bool draw_ends(const char *p, size_t k, const char *const *marks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(marks[i]);
        if (k >= m && strncmp(p + k - m, marks[i], m) == 0)
            return true;
    }
    return false;
}

/* How well a row ends after p[0..k) with the next starting at p + k: 2 at
 * a space, before a bracket or quote that opens a clause, or after the
 * mark that ends one (，；。：); 1 inside one (after 、, or a path's "/");
 * 0 elsewhere, and always before a closing mark. */
static int draw_break_at(const char *p, size_t k)
{
    static const char *const ends[] = {"，", "；", "。", "：", "！", "？"};
    static const char *const inner[] = {"、", "/"};
    if (k == 0 || !p[k] || draw_closing(p + k))
        return 0;
    if (p[k] == ' ' || draw_opening(p + k) || draw_ends(p, k, ends, sizeof ends / sizeof *ends))
        return 2;
    return draw_ends(p, k, inner, sizeof inner / sizeof *inner) ? 1 : 0;
}

size_t draw_fit_row(const char *p, int cols, size_t *skip)
{
    *skip = 0;
    size_t fit = text_prefix_bytes(p, cols);
    if (!p[fit])
        return fit;
    if (fit == 0) /* not even one character fits: take it whole */
        return text_prefix_bytes(p, 2) ? text_prefix_bytes(p, 2) : strlen(p);
    /* The last good break in the row's second half (a clause kept whole,
     * "（身份证号、电话和证件号已遮盖）" on the next row), else the last
     * fair one: never a lone "）" on the next. */
    for (int want = 2; want > 0; want--)
        for (size_t k = fit; k > fit / 2; k--) {
            if ((p[k] & 0xC0) == 0x80 || draw_break_at(p, k) < want)
                continue;
            *skip = p[k] == ' ';
            return k;
        }
    /* No break (a long path): at least the character before a "）" goes
     * along with it, and with "），" the "）" too (back over every
     * closing mark, to the character they close). */
    size_t k = fit;
    while (k > fit / 2 && draw_closing(p + k)) {
        do
            k--;
        while (k > 0 && (p[k] & 0xC0) == 0x80);
    }
    return k > fit / 2 && k < fit ? k : fit;
}

int draw_text_wrap(int y, int x, int cols, int rows, const char *s, attr_t attr)
{
    int used = 0;
    while (used < rows && cols > 0) {
        size_t skip = 0;
        size_t n = draw_fit_row(s, cols, &skip);
        if (n == 0 && *s)
            n = 1; /* a character wider than the space: never loop */
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), s);
        draw_text_attr(y + used, x, cols, line, true, attr);
        used++;
        s += n + skip;
        if (!*s)
            break;
    }
    return used;
}

int draw_wrap_rows(const char *s, int cols)
{
    if (cols <= 0)
        return 1;
    int rows = 0;
    do {
        size_t skip = 0, n = draw_fit_row(s, cols, &skip);
        s += (n ? n : 1) + skip;
        rows++;
    } while (*s);
    return rows;
}
