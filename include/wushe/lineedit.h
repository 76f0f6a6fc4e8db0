/* A curses-free single-line editor over UTF-8 text. It keeps the cursor as a
 * byte offset on a grapheme boundary and knows the display column of every
 * grapheme, so the front end can draw and scroll it without re-measuring. */
#ifndef WUSHE_LINEEDIT_H
#define WUSHE_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lineedit lineedit;

lineedit *lineedit_new(size_t max_bytes); /* 0 = no limit */
void lineedit_free(lineedit **le);

void lineedit_set(lineedit *le, const char *text); /* cursor to end */
const char *lineedit_text(const lineedit *le);     /* NUL-terminated */
size_t lineedit_len(const lineedit *le);           /* bytes */

size_t lineedit_cursor(const lineedit *le); /* byte offset */
int lineedit_cursor_col(const lineedit *le); /* display column of the cursor */
int lineedit_width(const lineedit *le);      /* display width of all text */

/* Insert a UTF-8 string (e.g. one or several characters from the IME) at the
 * cursor. Control characters and invalid bytes are refused (returns false,
 * text unchanged); so is text that would exceed max_bytes. */
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

#endif
