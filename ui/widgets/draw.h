/* Drawing helpers: every string reaches the terminal through these, fitted
 * to columns and sanitised (no control or escape characters). */
#ifndef WUSHE_UI_DRAW_H
#define WUSHE_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum {
    PAIR_BAR = 1,   /* top and bottom lines */
    PAIR_SELECT,    /* list cursor */
    PAIR_ERROR,
    PAIR_HEADER,    /* column titles, labels */
    PAIR_FIELD,     /* focused field */
    PAIR_OK,
};

void draw_init_colors(void);
/* Draw s at (y, x) in exactly cols columns (padded when pad). */
void draw_text(int y, int x, int cols, const char *s, bool pad);
/* Same with an attribute (A_BOLD | COLOR_PAIR(...)). */
void draw_text_attr(int y, int x, int cols, const char *s, bool pad, attr_t attr);
/* A list's cell: as draw_text_attr, padded, but text wider than cols
 * ends in "…" in its last column, so the reader knows it was cut. */
void draw_cell_attr(int y, int x, int cols, const char *s, attr_t attr);
/* Fill a row with spaces in an attribute. */
void draw_fill(int y, int x, int cols, attr_t attr);
int draw_width(const char *s);
/* s over at most `rows` lines from (y, x), each at most `cols` columns
 * (a message is never cut off at the edge); returns lines drawn. A row
 * ends at the last space, clause mark (，；。：) or opening bracket in its
 * second half (else after 、 or a path's "/"), and no row starts with a
 * closing mark (")", "）"). */
int draw_text_wrap(int y, int x, int cols, int rows, const char *s, attr_t attr);
/* Bytes of p on the first such row of cols columns; *skip: the space
 * after it, not drawn. */
size_t draw_fit_row(const char *p, int cols, size_t *skip);
/* Lines s needs at `cols` columns. */
int draw_wrap_rows(const char *s, int cols);
/* Where the terminal cursor goes after this frame (a field being typed
 * in); -1 hides it. The console clears it before each frame and shows it
 * after. */
void draw_set_cursor(int y, int x);
void draw_get_cursor(int *y, int *x);

#endif
