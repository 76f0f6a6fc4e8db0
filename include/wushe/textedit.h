/* A curses-free multi-line text editor for long text in forms (notes, a
 * case's presenting problem, a service record's content). It is a line
 * editor in multi-line mode (lineedit.h: grapheme clusters, display
 * columns, wrapped rows) with what long text needs on top: the field's one
 * limit in characters, text cleaned as it comes in (a paste of 10,000
 * characters is one call), Up/Down that keep their display column, Home/End
 * of the display row, PgUp/PgDn by the visible height, and a scroll
 * position that keeps the cursor visible.
 *
 * The text is never wrapped in place: rows are computed from it for the
 * box's width at each call, so a resize re-wraps and loses nothing. */
#ifndef WUSHE_TEXTEDIT_H
#define WUSHE_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/lineedit.h"

typedef struct textedit textedit;

/* Tab stops for tabs that come in with a paste (columns). */
#define TEXTEDIT_TAB 4

/* limit: the field's limit in characters (code points, as the model
 * counts them); 0 = none. NULL only when out of memory. */
textedit *textedit_new(size_t limit);
void textedit_free(textedit **te);
size_t textedit_limit(const textedit *te);

/* Stored text, kept whole (even past the limit: the form says so and the
 * save refuses it; nothing is cut on load). Cursor and view at the start. */
void textedit_set(textedit *te, const char *text);
const char *textedit_text(const textedit *te); /* NUL-terminated UTF-8 */
size_t textedit_len(const textedit *te);        /* bytes */
size_t textedit_chars(const textedit *te);      /* characters (code points) */
size_t textedit_cursor(const textedit *te);     /* byte offset */

/* What an insertion did to the text it was given. Typed or pasted text is
 * cleaned first (text_sanitize's rules, except that what makes lines is
 * kept as lines):
 *   - CR LF and CR become LF; so do VT, FF, NEL, U+2028 and U+2029 (line
 *     breaks from word processors);
 *   - a tab becomes spaces up to the next TEXTEDIT_TAB column of its line;
 *   - a terminal escape sequence (ESC or CSI with its parameters, OSC, DCS,
 *     ...) is dropped whole, since its parameters would stay as junk such
 *     as "[31m"; so are NUL and a byte order mark;
 *   - any other control character (C0, DEL, C1) and each invalid UTF-8
 *     byte becomes U+FFFD, visible, so the clerk sees where it was.
 * Then, past the limit, the text is cut at a grapheme boundary. */
typedef struct textedit_report {
    size_t kept;     /* characters inserted */
    size_t cut;      /* characters left out at the limit */
    size_t replaced; /* control characters and invalid bytes now U+FFFD */
    size_t dropped;  /* escape sequences and other characters removed */
} textedit_report;

typedef enum {
    TEXTEDIT_OK,   /* all of it went in (cleaned) */
    TEXTEDIT_CUT,  /* the limit cut it: report->kept went in, report->cut not */
    TEXTEDIT_FULL, /* at the limit already: nothing went in */
} textedit_status;

/* Insert text at the cursor (a typed character, an IME's commit or a whole
 * paste) in one call: linear in the text inserted and the text after the
 * cursor. report may be NULL. Cleaning that leaves nothing is TEXTEDIT_OK. */
textedit_status textedit_insert(textedit *te, const char *utf8, textedit_report *report);
/* One typed code point (Enter is '\n'). */
textedit_status textedit_insert_cp(textedit *te, uint32_t cp);
/* A valid code point as NUL-terminated UTF-8; false for none (0,
 * surrogates, past U+10FFFF). */
bool textedit_utf8(uint32_t cp, char out[5]);

/* The box the text is shown in: wrapping, Up/Down/Home/End and pages use
 * the size given last (80 x 5 until then). A different width only changes
 * the rows computed from the text. */
void textedit_resize(textedit *te, int cols, int rows);

/* Movement; false when the cursor could not move (the first or last row
 * for Up/Down: a form then moves to the field before or after). */
bool textedit_left(textedit *te);  /* one grapheme */
bool textedit_right(textedit *te);
bool textedit_up(textedit *te);    /* keep the display column (over a */
bool textedit_down(textedit *te);  /* shorter row it is remembered)   */
bool textedit_home(textedit *te);  /* start of the display row */
bool textedit_end(textedit *te);   /* end of the display row */
/* By the visible height, the view with it; on the first (last) row, to the
 * start (end) of the text. */
bool textedit_page_up(textedit *te);
bool textedit_page_down(textedit *te);
void textedit_start(textedit *te); /* start of the text */
void textedit_finish(textedit *te); /* end of the text */

/* Editing; false when nothing changed. */
bool textedit_backspace(textedit *te); /* the grapheme before the cursor */
bool textedit_delete(textedit *te);    /* the grapheme at the cursor */
/* Ctrl-U: from the start of the line (not the display row) to the cursor;
 * at its start, the line break before it (the line joins the one above).
 * Ctrl-K: from the cursor to the end of the line; at its end, the line
 * break (the next line joins). Never more than one line at a time. */
bool textedit_kill_line_start(textedit *te);
bool textedit_kill_line_end(textedit *te);

/* The rows to draw (at most the box's height, into rows[]) from the scroll
 * position, moved only as far as needed to keep the cursor's row inside
 * the box and the box full; returns how many. The cursor's row in the box
 * and its display column go to *cursor_row and *cursor_col (may be NULL). */
size_t textedit_view(textedit *te, lineedit_row *rows, size_t *cursor_row, int *cursor_col);
/* Whether there are rows above and below the box as textedit_view showed
 * it (a few rows' work, whatever the length of the text). */
void textedit_more(textedit *te, bool *above, bool *below);
/* Rows of the whole text at the box's width, and the cursor's (from 0):
 * linear in the text, for a summary, not for every key. */
size_t textedit_rows(textedit *te, size_t *cursor_row);

/* Text for one cell of a list: each line break shown as "↵" (so a note's
 * first line comes first and nothing is run together); other controls are
 * left to the drawing, which shows them as replacements. Writes at most
 * outsz bytes, never cutting a character. Returns out. */
char *textedit_one_line(const char *text, char *out, size_t outsz);

#endif
