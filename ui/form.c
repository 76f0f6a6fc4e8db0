#include "form.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "wushe/catalog.h"
#include "wushe/lineedit.h"

#define FORM_LABEL_COLS 14
#define FORM_VALUE_COLS 44

typedef struct form_field {
    const form_field_def *def;
    lineedit *le; /* text-like fields */
    char code[64];
    int64_t ref;
    char display[256];
    char error[256];
    size_t first; /* horizontal scroll of the line editor */
} form_field;

struct form_widget {
    form_field *fields;
    size_t n;
    size_t focus;
    size_t scroll; /* first field shown */
    bool dirty;
    char error[512];
};

static bool form_is_text(field_type t)
{
    return t == FT_TEXT || t == FT_DATE || t == FT_IDNUM || t == FT_PHONE;
}

form_widget *form_new(const form_field_def *defs, size_t n)
{
    form_widget *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->fields = calloc(n, sizeof *f->fields);
    if (!f->fields) {
        free(f);
        return NULL;
    }
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        f->fields[i].def = &defs[i];
        if (form_is_text(defs[i].type)) {
            f->fields[i].le = lineedit_new(defs[i].max_bytes);
            if (!f->fields[i].le) {
                form_free(&f);
                return NULL;
            }
        }
    }
    return f;
}

void form_free(form_widget **fp)
{
    if (!fp || !*fp)
        return;
    form_widget *f = *fp;
    for (size_t i = 0; i < f->n; i++)
        lineedit_free(&f->fields[i].le);
    free(f->fields);
    free(f);
    *fp = NULL;
}

static form_field *form_find(const form_widget *f, int id)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fields[i].def->id == id)
            return &f->fields[i];
    return NULL;
}

void form_set_text(form_widget *f, int id, const char *text)
{
    form_field *x = form_find(f, id);
    if (x && x->le) {
        lineedit_set(x->le, text ? text : "");
        x->first = 0;
    }
}

const char *form_text(const form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    return x && x->le ? lineedit_text(x->le) : "";
}

void form_set_code(form_widget *f, int id, const char *code, const char *label)
{
    form_field *x = form_find(f, id);
    if (!x)
        return;
    snprintf(x->code, sizeof x->code, "%s", code ? code : "");
    snprintf(x->display, sizeof x->display, "%s", label ? label : "");
}

const char *form_code(const form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    return x ? x->code : "";
}

void form_set_ref(form_widget *f, int id, int64_t ref, const char *display)
{
    form_field *x = form_find(f, id);
    if (!x)
        return;
    x->ref = ref;
    snprintf(x->display, sizeof x->display, "%s", display ? display : "");
}

int64_t form_ref(const form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    return x ? x->ref : 0;
}

void form_set_summary(form_widget *f, int id, const char *summary)
{
    form_field *x = form_find(f, id);
    if (x)
        snprintf(x->display, sizeof x->display, "%s", summary ? summary : "");
}

void form_set_error(form_widget *f, int id, const char *msg)
{
    form_field *x = form_find(f, id);
    if (!x)
        return;
    snprintf(x->error, sizeof x->error, "%s", msg);
    char label[128];
    snprintf(label, sizeof label, "%s", tr(x->def->label_key));
    trf(f->error, sizeof f->error, "form.error_at", label, msg);
    f->focus = (size_t)(x - f->fields);
}

void form_clear_errors(form_widget *f)
{
    for (size_t i = 0; i < f->n; i++)
        f->fields[i].error[0] = '\0';
    f->error[0] = '\0';
}

const char *form_error(const form_widget *f)
{
    return f->error;
}

void form_focus(form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    if (x)
        f->focus = (size_t)(x - f->fields);
}

int form_focus_id(const form_widget *f)
{
    return f->n ? f->fields[f->focus].def->id : -1;
}

field_type form_focus_type(const form_widget *f)
{
    return f->n ? f->fields[f->focus].def->type : FT_TEXT;
}

bool form_dirty(const form_widget *f)
{
    return f->dirty;
}

void form_set_clean(form_widget *f)
{
    f->dirty = false;
}

void form_mark_dirty(form_widget *f)
{
    f->dirty = true;
}

bool form_act(form_widget *f, action a)
{
    if (f->n == 0)
        return false;
    switch (a) {
    case ACT_NEXT_FIELD:
        f->focus = (f->focus + 1) % f->n;
        return true;
    case ACT_PREV_FIELD:
        f->focus = (f->focus + f->n - 1) % f->n;
        return true;
    default:
        return false;
    }
}

bool form_typing(const form_widget *f)
{
    return f->n && form_is_text(f->fields[f->focus].def->type);
}

bool form_key(form_widget *f, int key)
{
    if (!form_typing(f))
        return false;
    form_field *x = &f->fields[f->focus];
    lineedit *le = x->le;
    bool changed = false;
    if (key == (KEYCODE | KEY_BACKSPACE) || key == 127 || key == 8)
        changed = lineedit_backspace(le);
    else if (key == (KEYCODE | KEY_DC) || key == KEY_CTRL('d'))
        changed = lineedit_delete(le);
    else if (key == (KEYCODE | KEY_LEFT) || key == KEY_CTRL('b'))
        lineedit_left(le);
    else if (key == (KEYCODE | KEY_RIGHT) || key == KEY_CTRL('f'))
        lineedit_right(le);
    else if (key == (KEYCODE | KEY_HOME) || key == KEY_CTRL('a'))
        lineedit_home(le);
    else if (key == (KEYCODE | KEY_END) || key == KEY_CTRL('e'))
        lineedit_end(le);
    else if (key == KEY_CTRL('u')) {
        lineedit_kill_to_start(le);
        changed = true;
    } else if (key == KEY_CTRL('k')) {
        lineedit_kill_to_end(le);
        changed = true;
    } else if (!(key & KEYCODE) && key >= 32 && key != 127) {
        changed = lineedit_insert_cp(le, (uint32_t)key);
        if (!changed)
            beep();
    } else {
        return false;
    }
    if (changed) {
        f->dirty = true;
        x->error[0] = '\0';
    }
    return true;
}

int form_draw(form_widget *f, int top, int height, int width)
{
    if (f->focus < f->scroll)
        f->scroll = f->focus;
    if ((int)(f->focus - f->scroll) >= height)
        f->scroll = f->focus - (size_t)height + 1;
    int y = top;
    int vw = width - FORM_LABEL_COLS - 2;
    if (vw > FORM_VALUE_COLS)
        vw = FORM_VALUE_COLS;
    for (size_t i = f->scroll; i < f->n && y < top + height; i++, y++) {
        form_field *x = &f->fields[i];
        bool focused = i == f->focus;
        attr_t lattr = x->error[0] ? (A_BOLD | COLOR_PAIR(PAIR_ERROR))
                                   : (focused ? A_BOLD : COLOR_PAIR(PAIR_HEADER));
        char label[128];
        snprintf(label, sizeof label, "%s%s", x->error[0] ? "✗" : " ", tr(x->def->label_key));
        draw_text_attr(y, 0, FORM_LABEL_COLS, label, true, lattr);
        attr_t vattr = focused ? COLOR_PAIR(PAIR_FIELD) : A_UNDERLINE;
        int x0 = FORM_LABEL_COLS + 1;
        if (x->le) {
            int cur = 0;
            size_t first = lineedit_view(x->le, vw, &x->first, &cur);
            draw_text_attr(y, x0, vw, lineedit_text(x->le) + first, true, vattr);
            if (focused)
                app_set_cursor(app_current(), y, x0 + cur);
        } else {
            char shown[300];
            const char *hint = x->def->type == FT_BUTTON ? "" : " ▾";
            snprintf(shown, sizeof shown, "%s%s",
                     x->display[0] ? x->display : tr("field.none"), hint);
            draw_text_attr(y, x0, vw, shown, true, vattr);
        }
        int ex = x0 + vw + 1;
        if (x->error[0] && ex < width)
            draw_text_attr(y, ex, width - ex, x->error, false, COLOR_PAIR(PAIR_ERROR));
        else if (focused && !x->le && ex < width)
            draw_text_attr(y, ex, width - ex,
                           tr(x->def->type == FT_BUTTON ? "field.groups_hint" : "field.pick_hint"),
                           false, A_DIM);
    }
    return y;
}
