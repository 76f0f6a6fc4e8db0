/* A box of multi-line text in a form: draws a textedit (the curses-free
 * editor, wushe/textedit.h) into a rectangle and turns keys into its
 * editing. The rows are computed from the text at each draw for the box's
 * width, so a resize re-wraps and loses nothing. */
#ifndef WUSHE_UI_TEXTAREA_H
#define WUSHE_UI_TEXTAREA_H

#include <curses.h>
#include <stdbool.h>

#include "wushe/textedit.h"

/* Draw te in `rows` x `cols` at (y, x), each row fitted to the columns and
 * sanitised; when focused, the terminal cursor goes to the editor's. When
 * rows are hidden above or below, "↑" / "↓" show in the column right of
 * the box (x + cols) on its first / last row. */
void textarea_draw(textedit *te, int y, int x, int rows, int cols, bool focused, attr_t attr);

typedef enum {
    TEXTAREA_IGNORED, /* not an editing key: for the form or the screen */
    TEXTAREA_KEPT,    /* taken; nothing changed (Backspace at the start) */
    TEXTAREA_MOVED,
    TEXTAREA_CHANGED, /* the text changed; *status says whether all went in */
} textarea_result;

/* An editing key (a character, ← → Home End PgUp PgDn, Backspace, Delete,
 * Ctrl-A/E/B/F/D/U/K); Up, Down and Enter are the form's (its key table
 * makes them ACT_UP, ACT_DOWN and ACT_NEWLINE). *status and *report (may
 * be NULL) tell what an insertion did. */
textarea_result textarea_key(textedit *te, int key, textedit_status *status,
                             textedit_report *report);

/* A terminal paste arrives a key at a time; the box takes it in one
 * insertion instead (a re-layout and a redraw per character made a long
 * paste slow). Given the first pasted key (without KEY_PASTED), this reads
 * the rest of the paste from the terminal until its end mark, which it
 * leaves for the console to read (so the console knows the paste ended),
 * or a key that is not text, or a pause; returns the text, malloc'd
 * (controls left in: textedit_insert cleans them). */
char *textarea_read_paste(int first);

#endif
