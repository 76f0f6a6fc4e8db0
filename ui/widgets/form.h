/* The form widget: labelled fields from a table, each typed (text, date,
 * ID number, phone, code picker, reference picker, or a button that opens
 * a sub-screen), one line editor per text field, inline errors. Text is
 * never cut: a field keeps what was typed or pasted (up to a 64 KiB safety
 * cap, which it reports) and says so when it is over the model's limit. */
#ifndef WUSHE_UI_FORM_H
#define WUSHE_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"

typedef enum {
    FT_TEXT,
    FT_LINES,  /* multi-line text (notes): several rows, wrapped */
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
/* Rows of an FT_LINES field. */
#define FORM_LINES_ROWS 5

/* For the .keys table of a form with a multi-line field, before keys_form:
 * Up/Down move between its rows (then on to the next field), Ctrl-J puts
 * a line break in it (elsewhere Ctrl-J stays Enter). */
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
void form_set_clean(form_widget *f);
/* A picker changed a value. */
void form_mark_dirty(form_widget *f);

/* Tab/Shift-Tab/arrows between fields, rows of a multi-line field, a line
 * break (ACT_NEWLINE); false when not a form action. Leaving a text field
 * over its limit marks it (the focus still moves). */
bool form_act(form_widget *f, action a);
/* Check every text field against its limit; on the first one over it,
 * mark it ("最多 500 字，现有 20000 字"), focus it and return false. */
bool form_check(form_widget *f);
/* Editing keys in a text field; false when not taken. A key marked
 * KEY_PASTED (inside a terminal paste) is text: a line break stays in a
 * multi-line field and is a space in a single-line one (a name or an
 * address pasted across lines; a run of breaks is one space), Tab is a
 * space, and nothing moves the focus, saves or leaves. */
bool form_key(form_widget *f, int key);
bool form_typing(const form_widget *f);

/* The form's message (the field in error and why) in full, wrapped over
 * up to three lines that end on row `bottom`. */
void form_draw_error(const form_widget *f, int bottom, int width);
/* Draw the fields from `top`; returns the first row below them. */
int form_draw(form_widget *f, int top, int height, int width);

#endif
