/* A curses-free line editor over UTF-8 text. It keeps the cursor as a byte
 * offset on a grapheme boundary and knows the display column of every
 * grapheme, so the front end can draw and scroll it without re-measuring.
 * Single-line by default; a multi-line editor (notes) takes '\n' as text
 * and wraps it into rows by display columns. */
#ifndef WUSHE_LINEEDIT_H
#define WUSHE_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lineedit lineedit;

/* max_bytes is a safety cap on memory (0 = none), not a field's limit:
 * the form reports text past it instead of dropping it silently. */
lineedit *lineedit_new(size_t max_bytes);
void lineedit_free(lineedit **le);
size_t lineedit_max(const lineedit *le);

/* A multi-line editor accepts '\n' (and only that control character). */
void lineedit_set_multiline(lineedit *le, bool on);
bool lineedit_multiline(const lineedit *le);

void lineedit_set(lineedit *le, const char *text); /* cursor to end */
const char *lineedit_text(const lineedit *le);     /* NUL-terminated */
size_t lineedit_len(const lineedit *le);           /* bytes */
size_t lineedit_chars(const lineedit *le);         /* code points (characters) */

size_t lineedit_cursor(const lineedit *le); /* byte offset */
int lineedit_cursor_col(const lineedit *le); /* display column of the cursor */
int lineedit_width(const lineedit *le);      /* display width of all text */

/* Insert a UTF-8 string (e.g. one or several characters from the IME) at the
 * cursor. Control characters and invalid bytes are refused (returns false,
 * text unchanged), except '\n' in a multi-line editor; so is text that
 * would exceed max_bytes. */
bool lineedit_insert(lineedit *le, const char *utf8);
/* Insert one Unicode code point. */
bool lineedit_insert_cp(lineedit *le, uint32_t cp);

bool lineedit_left(lineedit *le);      /* one grapheme */
bool lineedit_right(lineedit *le);
void lineedit_home(lineedit *le);
void lineedit_end(lineedit *le);
bool lineedit_backspace(lineedit *le); /* delete grapheme before cursor */
bool lineedit_delete(lineedit *le);    /* delete grapheme at cursor */
void lineedit_kill_to_end(lineedit *le);   /* Ctrl-K */
void lineedit_kill_to_start(lineedit *le); /* Ctrl-U */
bool lineedit_word_left(lineedit *le);
bool lineedit_word_right(lineedit *le);

/* For drawing a window of `cols` columns that keeps the cursor visible:
 * returns the byte offset of the first grapheme to draw and stores the
 * cursor's column relative to that start in *cursor_col. `first` is the
 * previous start offset (scroll state kept by the caller), updated. */
size_t lineedit_view(const lineedit *le, int cols, size_t *first, int *cursor_col);

/* Multi-line layout: each line is wrapped into rows of at most `cols`
 * display columns, at grapheme boundaries (a wide character never
 * straddles the edge). A cursor at a wrap point shows at the start of the
 * next row; after a line that fills its row exactly it gets an empty row. */
typedef struct lineedit_row {
    size_t off, len; /* the row's bytes, without the line break */
} lineedit_row;

/* For drawing a box `cols` wide and `max` rows high: fills up to max rows
 * from the scroll position *first (byte offset of the top row, kept by the
 * caller, updated so the cursor's row is inside and the box stays full)
 * and returns how many; the cursor's row and column inside the box go to
 * *cursor_row and *cursor_col (either may be NULL). Row starts of the
 * cursor's line are cached in le between calls. */
size_t lineedit_view_rows(lineedit *le, int cols, size_t max, size_t *first,
                          lineedit_row *rows, size_t *cursor_row, int *cursor_col);
/* To the row above / below in that layout, as near the same display column
 * as it goes; false on the first / last row. */
bool lineedit_up(lineedit *le, int cols);
bool lineedit_down(lineedit *le, int cols);

/* The rest of the multi-line layout, for the multi-line editor (textedit):
 * the cursor's row as byte offsets of its start and of its last cursor
 * position (the end of a line's last row; before the last grapheme of a
 * row that wraps, since a cursor at a wrap shows on the next row), and the
 * cursor's column in it (either pointer may be NULL). */
void lineedit_row_span(lineedit *le, int cols, size_t *start, size_t *end, int *col);
/* `delta` rows down (up when negative) to display column `col` of that
 * row, or as near as it goes; returns the rows moved (fewer at the first
 * or last row). */
long lineedit_move_rows(lineedit *le, int cols, long delta, int col);
/* The start of the row `delta` rows from the row that byte offset `off`
 * is on (clamped to the first and last rows). */
size_t lineedit_row_step(lineedit *le, int cols, size_t off, long delta);
/* Rows of the whole text; the cursor's row (from 0) to *cursor_row. */
size_t lineedit_row_count(lineedit *le, int cols, size_t *cursor_row);
/* The cursor to byte offset off, on the grapheme boundary at or after it. */
void lineedit_set_cursor(lineedit *le, size_t off);
/* Delete bytes [from, to), widened to grapheme boundaries; cursor at from. */
void lineedit_delete_range(lineedit *le, size_t from, size_t to);

#endif
