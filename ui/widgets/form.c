#include "form.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "textarea.h"
#include "wushe/catalog.h"
#include "wushe/lineedit.h"
#include "wushe/textedit.h"
#include "wushe/validate.h"

#define FORM_LABEL_COLS 14
#define FORM_VALUE_COLS 44

typedef struct form_field {
    const form_field_def *def;
    lineedit *le; /* one-line text fields */
    textedit *te; /* multi-line text (FT_LINES) */
    char code[64];
    int64_t ref;
    char display[256];
    char error[256];
    size_t first;  /* scroll of the line editor: its first byte shown */
    bool paste_cr; /* the last pasted key was CR: an LF after it is the same break */
    bool fresh;    /* a date just arrived at: what is typed replaces it (form_enter) */
} form_field;

struct form_widget {
    form_field *fields;
    size_t n;
    size_t focus;
    size_t scroll; /* first field shown */
    bool dirty;
    char error[512];
    size_t error_at; /* the field the form's message is about */
    bool error_info; /* the message only informs: the field is not in error */
    int label_cols;  /* the widest label (0: not measured yet) */
    int lines_rows;  /* rows of each multi-line field at the last layout */
    bool readonly;   /* form_set_readonly */
    const char *readonly_why; /* its catalog key (NULL: form.readonly) */
};

const keybind keys_form_lines[] = {
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {'\r', ACT_NEWLINE, 0},
    {KEYCODE | KEY_ENTER, ACT_NEWLINE, 0},
    {'\n', ACT_NEWLINE, 0},
    {0, ACT_NONE, 0},
};

static bool form_is_text(field_type t)
{
    return t == FT_TEXT || t == FT_LINES || t == FT_DATE || t == FT_IDNUM || t == FT_PHONE ||
           t == FT_PASSWORD;
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
        if (defs[i].type == FT_LINES) {
            /* Long text: the model's limit is the editor's (a paste past it
             * is cut and says so); stored text is kept whole. */
            f->fields[i].te = textedit_new(defs[i].limit);
            if (!f->fields[i].te) {
                form_free(&f);
                return NULL;
            }
        } else if (form_is_text(defs[i].type)) {
            /* No byte cap per field: what does not fit the model's limit
             * is kept and reported, never cut. */
            f->fields[i].le = lineedit_new(FORM_TEXT_CAP);
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
    for (size_t i = 0; i < f->n; i++) {
        lineedit_free(&f->fields[i].le);
        textedit_free(&f->fields[i].te);
    }
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
    if (x && x->te)
        textedit_set(x->te, text);
    if (x && x->le) {
        lineedit_set(x->le, text ? text : "");
        x->first = 0;
    }
}

const char *form_text(const form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    if (x && x->te)
        return textedit_text(x->te);
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

/* The message at the field and, with its label, on the form's line. */
static void form_mark(form_widget *f, form_field *x, const char *msg)
{
    snprintf(x->error, sizeof x->error, "%s", msg);
    char label[128];
    snprintf(label, sizeof label, "%s", tr(x->def->label_key));
    trf(f->error, sizeof f->error, "form.error_at", label, msg);
    f->error_at = (size_t)(x - f->fields);
    f->error_info = false;
}

/* The clerk changed field x: its messages are out of date. */
static void form_changed(form_widget *f, form_field *x)
{
    f->dirty = true;
    x->error[0] = '\0';
    if (f->error_at == (size_t)(x - f->fields))
        f->error[0] = '\0';
}

void form_set_error(form_widget *f, int id, const char *msg)
{
    form_field *x = form_find(f, id);
    if (!x)
        return;
    form_mark(f, x, msg);
    f->focus = (size_t)(x - f->fields);
}

/* A text field over the model's limit is marked with both numbers. */
static bool form_check_field(form_widget *f, form_field *x)
{
    if (!(x->le || x->te) || !x->def->limit)
        return true;
    size_t chars = 0;
    if (val_text_chars(x->te ? textedit_text(x->te) : lineedit_text(x->le), x->def->limit,
                       x->te != NULL, &chars) != VAL_TOO_LONG)
        return true;
    char msg[128];
    form_mark(f, x, trf(msg, sizeof msg, "form.too_long", x->def->limit, chars));
    return false;
}

bool form_check(form_widget *f)
{
    for (size_t i = 0; i < f->n; i++) {
        if (!form_check_field(f, &f->fields[i])) {
            f->focus = i;
            return false;
        }
    }
    return true;
}

void form_clear_errors(form_widget *f)
{
    for (size_t i = 0; i < f->n; i++)
        f->fields[i].error[0] = '\0';
    f->error[0] = '\0';
}

void form_draw_error(const form_widget *f, int bottom, int width)
{
    if (!f->error[0])
        return;
    int rows = draw_wrap_rows(f->error, width);
    if (rows > 3)
        rows = 3;
    draw_text_wrap(bottom - rows + 1, 0, width, rows, f->error,
                   f->error_info ? A_BOLD : A_BOLD | COLOR_PAIR(PAIR_ERROR));
}

const char *form_error(const form_widget *f)
{
    return f->error;
}

static void form_enter(form_widget *f, size_t i);

void form_focus(form_widget *f, int id)
{
    form_field *x = form_find(f, id);
    if (x)
        form_enter(f, (size_t)(x - f->fields));
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
    /* The form as loaded: a date it starts on is as if arrived at. */
    if (f->n)
        form_enter(f, f->focus);
}

void form_mark_dirty(form_widget *f)
{
    f->dirty = true;
}

/* Insert text typed or pasted into the focused field; past the safety cap
 * the field says so rather than dropping it silently. */
static void form_insert(form_widget *f, form_field *x, const char *s)
{
    if (lineedit_insert(x->le, s)) {
        form_changed(f, x);
    } else if (lineedit_len(x->le) + strlen(s) > lineedit_max(x->le)) {
        char msg[128];
        form_mark(f, x, trf(msg, sizeof msg, "form.cap_reached", FORM_TEXT_CAP / 1024));
    } else {
        beep();
    }
}

static bool form_lines(const form_field *x)
{
    return x->te != NULL;
}

/* Append one part of a message ("；" between parts). */
static void form_msg_add(char *msg, size_t msgsz, const char *part)
{
    size_t used = strlen(msg);
    snprintf(msg + used, msgsz - used, "%s%s", used ? tr("form.paste_sep") : "", part);
}

/* What an insertion into a multi-line field left out or changed, said at
 * the field: the limit that stopped typing or cut a paste, control
 * characters shown as U+FFFD, escape sequences removed. */
static void form_lines_report(form_widget *f, form_field *x, textedit_status st,
                              const textedit_report *rep, bool pasted)
{
    char msg[256] = "", part[160];
    if (st != TEXTEDIT_OK && pasted)
        form_msg_add(msg, sizeof msg,
                     trf(part, sizeof part, "form.paste_cut", x->def->limit, rep->kept, rep->cut));
    else if (st != TEXTEDIT_OK)
        form_msg_add(msg, sizeof msg, trf(part, sizeof part, "form.full", x->def->limit));
    bool cut = msg[0] != '\0';
    if (rep->replaced)
        form_msg_add(msg, sizeof msg,
                     trf(part, sizeof part, "form.paste_replaced", rep->replaced));
    if (rep->dropped)
        form_msg_add(msg, sizeof msg, trf(part, sizeof part, "form.paste_dropped", rep->dropped));
    if (!msg[0])
        return;
    form_mark(f, x, msg);
    if (!cut) {
        /* Cleaned, nothing lost: said on the form's line, no ✗ on the field. */
        x->error[0] = '\0';
        f->error_info = true;
    }
}

/* Text typed or pasted, or a line break, into a multi-line field. */
static void form_lines_insert(form_widget *f, form_field *x, const char *s, bool pasted)
{
    textedit_report rep;
    textedit_status st = textedit_insert(x->te, s, &rep);
    if (rep.kept)
        form_changed(f, x);
    form_lines_report(f, x, st, &rep, pasted);
}

/* Arrive at field i. A date there already (today, as a form fills it in)
 * is replaced by what the clerk types first, as a spreadsheet's cell is:
 * typed after it, 2026-11-2320261120 was only ever an error. A movement
 * of the cursor or a deletion edits it instead. */
static void form_enter(form_widget *f, size_t i)
{
    f->focus = i;
    form_field *x = &f->fields[i];
    x->fresh = x->le && x->def->type == FT_DATE && lineedit_text(x->le)[0];
}

/* Move to another field; the one left is checked against its limit. */
static void form_move(form_widget *f, bool forward)
{
    form_check_field(f, &f->fields[f->focus]);
    form_enter(f, forward ? (f->focus + 1) % f->n : (f->focus + f->n - 1) % f->n);
}

bool form_act(form_widget *f, action a)
{
    if (f->n == 0)
        return false;
    form_field *x = &f->fields[f->focus];
    switch (a) {
    case ACT_NEXT_FIELD:
        form_move(f, true);
        return true;
    case ACT_PREV_FIELD:
        form_move(f, false);
        return true;
    case ACT_UP:
    case ACT_DOWN:
        x->paste_cr = false;
        if (form_lines(x) && (a == ACT_UP ? textedit_up(x->te) : textedit_down(x->te)))
            return true;
        form_move(f, a == ACT_DOWN);
        return true;
    case ACT_NEWLINE:
        if (!form_lines(x))
            return false;
        form_lines_insert(f, x, "\n", false);
        return true;
    default:
        return false;
    }
}

/* A line break or tab inside a paste (see form_key). */
static bool form_paste_key(form_widget *f, int key)
{
    form_field *x = &f->fields[f->focus];
    if (!x->le)
        return true; /* never opens a picker or moves on */
    if (x->def->type == FT_PASSWORD)
        return true; /* a pasted password's line break is not part of it */
    if (key == '\n' && x->paste_cr) {
        x->paste_cr = false; /* CR LF is one break */
        return true;
    }
    x->paste_cr = key == '\r';
    const char *t = lineedit_text(x->le);
    size_t c = lineedit_cursor(x->le);
    if (c > 0 && t[c - 1] != ' ')
        form_insert(f, x, " ");
    return true;
}

bool form_typing(const form_widget *f)
{
    return f->n && form_is_text(f->fields[f->focus].def->type);
}

/* A key in a multi-line field. A paste is read whole and inserted in one
 * call: its line breaks, tabs and controls are the editor's to clean. */
static bool form_lines_key(form_widget *f, form_field *x, int key)
{
    if (key & KEY_PASTED) {
        char *paste = textarea_read_paste(key & ~KEY_PASTED);
        if (paste)
            form_lines_insert(f, x, paste, true);
        free(paste);
        return true;
    }
    textedit_status st;
    textedit_report rep;
    switch (textarea_key(x->te, key, &st, &rep)) {
    case TEXTAREA_IGNORED:
        return false;
    case TEXTAREA_CHANGED:
        form_changed(f, x);
        break;
    default:
        break;
    }
    form_lines_report(f, x, st, &rep, false);
    return true;
}

void form_set_readonly(form_widget *f, bool readonly)
{
    f->readonly = readonly;
}

void form_set_readonly_why(form_widget *f, const char *key)
{
    f->readonly_why = key;
}

bool form_readonly(const form_widget *f)
{
    return f->readonly;
}

/* Whether a key would change a field's text (moving does not). */
static bool form_key_edits(int key)
{
    int k = key & ~KEY_PASTED;
    if (key & KEY_PASTED)
        return true;
    if (k == (KEYCODE | KEY_BACKSPACE) || k == 127 || k == 8 || k == (KEYCODE | KEY_DC) ||
        k == KEY_CTRL('d') || k == KEY_CTRL('u') || k == KEY_CTRL('k') || k == '\r' ||
        k == '\n' || k == (KEYCODE | KEY_ENTER) || k == KEY_CTRL('j'))
        return true;
    return !(k & KEYCODE) && k >= 32 && k != 127;
}

/* Backspace, Delete, Ctrl-K or Ctrl-U on a chosen code or record: an
 * optional choice can be left blank again (a required one is then
 * refused at the save, by the model). */
static bool form_key_unchoose(form_widget *f, int key)
{
    form_field *x = &f->fields[f->focus];
    if (x->def->type != FT_CODE && x->def->type != FT_REF)
        return false;
    if (key != (KEYCODE | KEY_BACKSPACE) && key != 127 && key != 8 &&
        key != (KEYCODE | KEY_DC) && key != KEY_CTRL('d') && key != KEY_CTRL('k') &&
        key != KEY_CTRL('u'))
        return false;
    if (f->readonly) {
        snprintf(f->error, sizeof f->error, "%s",
                 tr(f->readonly_why ? f->readonly_why : "form.readonly"));
        f->error_at = f->focus;
        f->error_info = true;
        return true;
    }
    if (x->ref || x->code[0] || x->display[0]) {
        x->ref = 0;
        x->code[0] = x->display[0] = '\0';
        form_changed(f, x);
    }
    return true;
}

bool form_key(form_widget *f, int key)
{
    if (f->n && form_key_unchoose(f, key))
        return true;
    if (!form_typing(f))
        return false;
    if (f->readonly && form_key_edits(key)) {
        snprintf(f->error, sizeof f->error, "%s",
                 tr(f->readonly_why ? f->readonly_why : "form.readonly"));
        f->error_at = f->focus;
        f->error_info = true;
        return true;
    }
    form_field *x = &f->fields[f->focus];
    lineedit *le = x->le;
    if (x->te)
        return form_lines_key(f, x, key);
    if (key & KEY_PASTED) {
        /* Text, never a command: a line break or Tab as the field takes
         * it, other control characters dropped. */
        key &= ~KEY_PASTED;
        if (key == '\r' || key == '\n' || key == '\t')
            return form_paste_key(f, key);
        if (key < 32 || key == 127)
            return true;
    }
    x->paste_cr = false;
    bool changed = false, fresh = x->fresh;
    x->fresh = false;
    if (fresh && !(key & KEYCODE) && key >= 32 && key != 127) {
        lineedit_set(le, "");
        changed = true;
    }
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
        char s[5];
        if (textedit_utf8((uint32_t)key, s))
            form_insert(f, x, s);
        else
            beep();
    } else {
        return false;
    }
    if (changed)
        form_changed(f, x);
    return true;
}

static int form_field_rows(const form_widget *f, const form_field *x)
{
    return x->def->type != FT_LINES ? 1 : f->lines_rows ? f->lines_rows : FORM_LINES_ROWS;
}

/* Multi-line fields share the rows the others leave, keeping a few for
 * the form's message: a taller window shows more of a long text. */
static void form_layout_lines(form_widget *f, int height)
{
    int need = 0, nlines = 0;
    for (size_t i = 0; i < f->n; i++) {
        bool lines = f->fields[i].def->type == FT_LINES;
        nlines += lines;
        need += lines ? FORM_LINES_ROWS : 1;
    }
    int extra = height - need - FORM_SPARE_ROWS;
    f->lines_rows = FORM_LINES_ROWS + (nlines && extra > 0 ? extra / nlines : 0);
    if (f->lines_rows > FORM_LINES_MAX)
        f->lines_rows = FORM_LINES_MAX;
}

/* A multi-line field: its rows wrapped to the value column, a hint and
 * the count against the limit under the label while it has the focus. */
static void form_draw_lines(form_field *x, int y, int rows, int x0, int vw, bool focused,
                            attr_t vattr)
{
    textarea_draw(x->te, y, x0, rows, vw, focused, vattr);
    if (!focused)
        return;
    if (rows > 1)
        draw_text_attr(y + 1, 1, x0 - 2, tr("form.newline_hint"), false, A_DIM);
    if (rows > 2 && x->def->limit) {
        size_t chars = textedit_chars(x->te);
        char count[64];
        trf(count, sizeof count, "form.count", chars, x->def->limit);
        draw_text_attr(y + 2, 1, x0 - 2, count, false,
                       chars > x->def->limit ? COLOR_PAIR(PAIR_ERROR) : A_DIM);
    }
}

/* A password: one ● per character, the last ones when it is longer than
 * the field; the cursor among them. */
static void form_draw_secret(const form_field *x, int y, int x0, int vw, bool focused,
                             attr_t vattr)
{
    const char *t = lineedit_text(x->le);
    size_t cur = lineedit_cursor(x->le), n = 0, before = 0;
    for (size_t i = 0; t[i]; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80) {
            n++;
            before += i < cur;
        }
    size_t room = vw > 1 ? (size_t)vw - 1 : 0;
    size_t shown = n < room ? n : room;
    char dots[FORM_VALUE_COLS * 3 + 1];
    size_t len = 0;
    for (size_t i = 0; i < shown && len + 3 < sizeof dots; i++, len += 3)
        memcpy(dots + len, "●", 3);
    dots[len] = '\0';
    draw_text_attr(y, x0, vw, dots, true, vattr);
    if (focused)
        draw_set_cursor(y, x0 + (int)(before > shown ? shown : before));
}

int form_draw(form_widget *f, int top, int height, int width)
{
    form_layout_lines(f, height);
    /* Scroll so that the whole focused field shows. */
    if (f->focus < f->scroll)
        f->scroll = f->focus;
    for (;;) {
        int need = 0;
        for (size_t i = f->scroll; i <= f->focus && i < f->n; i++)
            need += form_field_rows(f, &f->fields[i]);
        if (need <= height || f->scroll >= f->focus)
            break;
        f->scroll++;
    }
    int y = top;
    if (!f->label_cols) {
        /* As wide as the widest label (English ones are longer), never
         * narrower than the Chinese layout nor wider than a third. */
        f->label_cols = FORM_LABEL_COLS;
        for (size_t i = 0; i < f->n; i++) {
            int w = draw_width(tr(f->fields[i].def->label_key)) + 2;
            if (w > f->label_cols)
                f->label_cols = w;
        }
        if (f->label_cols > 26)
            f->label_cols = 26;
    }
    int lc = f->label_cols;
    int vw = width - lc - 2;
    if (vw > FORM_VALUE_COLS)
        vw = FORM_VALUE_COLS;
    for (size_t i = f->scroll; i < f->n && y < top + height; i++) {
        form_field *x = &f->fields[i];
        bool focused = i == f->focus;
        int rows = form_field_rows(f, x);
        if (rows > top + height - y)
            rows = top + height - y;
        attr_t lattr = x->error[0] ? (A_BOLD | COLOR_PAIR(PAIR_ERROR))
                                   : (focused ? A_BOLD : COLOR_PAIR(PAIR_HEADER));
        char label[128];
        snprintf(label, sizeof label, "%s%s", x->error[0] ? "✗" : " ", tr(x->def->label_key));
        draw_text_attr(y, 0, lc, label, true, lattr);
        attr_t vattr = focused ? COLOR_PAIR(PAIR_FIELD) : A_UNDERLINE;
        if (focused && x->fresh)
            vattr |= A_REVERSE; /* shown as chosen: typing replaces it */
        int x0 = lc + 1;
        /* Long text has the width of the window, one column left for the
         * marks of rows above and below. */
        int fw = form_lines(x) && width - lc - 3 > vw ? width - lc - 3 : vw;
        if (form_lines(x)) {
            form_draw_lines(x, y, rows, x0, fw, focused, vattr);
        } else if (x->def->type == FT_PASSWORD) {
            form_draw_secret(x, y, x0, vw, focused, vattr);
        } else if (x->le) {
            int cur = 0;
            size_t first = lineedit_view(x->le, vw, &x->first, &cur);
            draw_text_attr(y, x0, vw, lineedit_text(x->le) + first, true, vattr);
            if (focused)
                draw_set_cursor(y, x0 + cur);
        } else {
            char shown[300];
            const char *hint = x->def->type == FT_BUTTON ? "" : " ▾";
            snprintf(shown, sizeof shown, "%s%s",
                     x->display[0] ? x->display : tr("field.none"), hint);
            draw_text_attr(y, x0, vw, shown, true, vattr);
        }
        int ex = x0 + fw + 1;
        if (x->error[0] && ex < width)
            draw_text_attr(y, ex, width - ex, x->error, false, COLOR_PAIR(PAIR_ERROR));
        else if (focused && !x->le && !x->te && ex < width)
            draw_text_attr(y, ex, width - ex,
                           tr(x->def->type == FT_BUTTON ? "field.groups_hint" : "field.pick_hint"),
                           false, A_DIM);
        y += rows;
    }
    return y;
}
