#include "draw.h"

#include <stdio.h>
#include <stdlib.h>

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

void draw_text_attr(int y, int x, int cols, const char *s, bool pad, attr_t attr)
{
    if (cols <= 0)
        return;
    size_t cap = (size_t)cols * 4 + 16;
    char stackbuf[1024];
    char *buf = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
    if (!buf)
        return;
    text_fit(s ? s : "", cols, pad, buf, cap);
    attron(attr);
    mvaddstr(y, x, buf);
    attroff(attr);
    if (buf != stackbuf)
        free(buf);
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

int draw_text_wrap(int y, int x, int cols, int rows, const char *s, attr_t attr)
{
    int used = 0;
    while (used < rows && cols > 0) {
        size_t n = text_prefix_bytes(s, cols);
        if (n == 0 && *s)
            n = 1; /* a character wider than the space: never loop */
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), s);
        draw_text_attr(y + used, x, cols, line, true, attr);
        used++;
        s += n;
        if (!*s)
            break;
    }
    return used;
}

int draw_wrap_rows(const char *s, int cols)
{
    int w = draw_width(s);
    return cols > 0 ? (w + cols - 1) / cols : 1;
}
