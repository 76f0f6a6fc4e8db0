/* The form widget: labelled fields from a table, each typed (text, date,
 * ID number, phone, multi-line text, code picker, reference picker, or a
 * button that opens a sub-screen), one line editor per one-line text field
 * and a text box (textarea.h) per multi-line one, inline errors. One-line
 * text is never cut: a field keeps what was typed or pasted (up to a 64
 * KiB safety cap, which it reports) and says so when it is over the
 * model's limit. Multi-line text takes the model's limit as the editor's:
 * a paste past it is cut at a grapheme and the field says how much went
 * in; stored text past it is kept whole and refused on save. */
#ifndef WUSHE_UI_FORM_H
#define WUSHE_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"

typedef enum {
    FT_TEXT,
    FT_LINES,  /* multi-line text (notes): a box of rows, wrapped; Enter is a line break */
    FT_DATE,
    FT_IDNUM,
    FT_PHONE,
    FT_CODE,   /* chosen from a code list: Enter opens a picker */
    FT_REF,    /* a reference to another record: Enter opens a picker */
    FT_BUTTON, /* Enter opens a sub-screen; shows a summary */
    FT_PASSWORD, /* text never echoed: one ● per character */
} field_type;

typedef struct form_field_def {
    int id;                /* the screen's field id */
    const char *label_key;
    field_type type;
    size_t limit;          /* text fields: the model's limit in characters (0 = none) */
    const char *code_list; /* FT_CODE */
} form_field_def;

/* What a text field holds at most, whatever its limit. */
#define FORM_TEXT_CAP (64 * 1024)
/* Rows of an FT_LINES field: at least FORM_LINES_ROWS; the rows the other
 * fields leave of form_draw's height are shared among them (up to
 * FORM_LINES_MAX), keeping FORM_SPARE_ROWS for the form's message. */
#define FORM_LINES_ROWS 5
#define FORM_LINES_MAX 30
#define FORM_SPARE_ROWS 3

/* For the .keys table of a form with a multi-line field, before keys_form:
 * Up/Down move between its rows (then on to the next field), Enter (and
 * Ctrl-J) put a line break in it; elsewhere Enter stays keys_form's. Tab
 * and Shift-Tab leave it, F2/Ctrl-S save. */
extern const keybind keys_form_lines[];

typedef struct form_widget form_widget;

form_widget *form_new(const form_field_def *defs, size_t n);
void form_free(form_widget **f);

void form_set_text(form_widget *f, int id, const char *text);
const char *form_text(const form_widget *f, int id);
/* Code fields keep the code and show its label. */
void form_set_code(form_widget *f, int id, const char *code, const char *label);
const char *form_code(const form_widget *f, int id);
/* Reference fields keep the id and show a description. */
void form_set_ref(form_widget *f, int id, int64_t ref, const char *display);
int64_t form_ref(const form_widget *f, int id);
/* Button fields show a summary. */
void form_set_summary(form_widget *f, int id, const char *summary);

/* Mark a field with an error message and move the focus to it. */
void form_set_error(form_widget *f, int id, const char *msg);
void form_clear_errors(form_widget *f);
const char *form_error(const form_widget *f);

void form_focus(form_widget *f, int id);
int form_focus_id(const form_widget *f);
field_type form_focus_type(const form_widget *f);
bool form_dirty(const form_widget *f);
/* A form the role may only look at (a 督导's): typing changes nothing and
 * says so. */
void form_set_readonly(form_widget *f, bool readonly);
/* Why it is for looking only, said when a key would edit (a catalog key;
 * NULL: the role may not write, form.readonly). */
void form_set_readonly_why(form_widget *f, const char *key);
bool form_readonly(const form_widget *f);
void form_set_clean(form_widget *f);
/* A picker changed a value. */
void form_mark_dirty(form_widget *f);

/* Tab/Shift-Tab/arrows between fields, rows of a multi-line field, a line
 * break (ACT_NEWLINE: false outside a multi-line field, so Enter goes on to
 * the screen's ACT_PICK); false when not a form action. Leaving a text
 * field over its limit marks it (the focus still moves). */
bool form_act(form_widget *f, action a);
/* Check every text field against its limit; on the first one over it,
 * mark it ("最多 500 字，现有 20000 字"), focus it and return false. */
bool form_check(form_widget *f);
/* Editing keys in a text field; false when not taken. A key marked
 * KEY_PASTED (inside a terminal paste) is text: a multi-line field reads
 * the rest of the paste and takes it in one insertion (line breaks kept,
 * tabs to spaces, controls cleaned: textedit.h); in a single-line one a
 * line break is a space (a name or an address pasted across lines; a run
 * of breaks is one space), Tab is a space; nothing moves the focus, saves
 * or leaves. */
bool form_key(form_widget *f, int key);
bool form_typing(const form_widget *f);

/* The form's message (the field in error and why) in full, wrapped over
 * up to three lines that end on row `bottom`. */
void form_draw_error(const form_widget *f, int bottom, int width);
/* Draw the fields from `top` in `height` rows (multi-line fields grow
 * into what the others leave: pass only the rows the form may fill);
 * returns the first row below them. */
int form_draw(form_widget *f, int top, int height, int width);

#endif
