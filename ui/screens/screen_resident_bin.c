/* The residents' recycle bin: who was deleted, when and by whom, found by
 * the search box like every list; F6 or Ctrl-R restores the selected one
 * after asking, F11 shows its history, and F8 or Ctrl-D erases a deleted
 * resident's personal data (a 站长: PERM_ERASE) after a reason and a
 * question whose first answer is 取消. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/privacy.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

typedef struct bin_screen {
    list_screen ls;
    /* An erasure was made: the file is rewritten once the bin is drawn
     * again (it takes a moment), and then said. */
    bool compact_pending;
    char erased[LIST_CELL];
} bin_screen;

enum { BIN_NAME, BIN_SEX, BIN_ID, BIN_HOUSEHOLD, BIN_AT, BIN_BY, BIN_NCOLS };

static const list_col bin_cols[BIN_NCOLS] = {
    [BIN_NAME] = {"residents.col_name", 8, 3},
    [BIN_SEX] = {"residents.col_sex", 4, 0},
    [BIN_ID] = {"residents.col_id", 18, 0},
    [BIN_HOUSEHOLD] = {"residents.col_household", 9, 1},
    [BIN_AT] = {"bin.col_deleted_at", 16, 0},
    [BIN_BY] = {"bin.col_deleted_by", 8, 2},
};

/* Nothing is opened, made or deleted here: restoring, the history, the
 * search box (keys_browse moves). */
static const keybind bin_keys[] = {
    {KEYCODE | KEY_F(6), ACT_RESTORE, KB_BAR},
    {KEY_CTRL('r'), ACT_RESTORE, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {KEYCODE | KEY_F(8), ACT_ERASE, KB_BAR},
    {KEY_CTRL('d'), ACT_ERASE, 0},
    {KEYCODE | KEY_F(3), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {0, ACT_NONE, 0},
};

static ws_status bin_fetch(void *ctx, const char *filter, int64_t after, int dir,
                           list_item *items, size_t max, size_t *n)
{
    bin_screen *b = ctx;
    resident_deleted_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    station *st = app_station(b->ls.base.app);
    ws_status s = resident_list_deleted(st, filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        const resident_row *r = &rows[i].row;
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = r->id;
        char sexcode[8];
        snprintf(sexcode, sizeof sexcode, "%d", r->sex);
        const code_item *sex = r->sex ? codebook_find(station_codes(st), "sex", sexcode) : NULL;
        snprintf(it->cells[BIN_NAME], LIST_CELL, "%s", r->name);
        snprintf(it->cells[BIN_SEX], LIST_CELL, "%s", sex ? code_label(sex, 1) : "");
        mask_id_number(r->id_number, it->cells[BIN_ID], LIST_CELL);
        snprintf(it->cells[BIN_HOUSEHOLD], LIST_CELL, "%s", r->household);
        ui_local_time(rows[i].deleted_at, it->cells[BIN_AT], LIST_CELL);
        snprintf(it->cells[BIN_BY], LIST_CELL, "%s", rows[i].deleted_by);
    }
    free(rows);
    return s;
}

static void bin_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    trf(out, outsz, "records.bin_title", tr("kind.resident"));
}

/* Why a restore was refused, in words that say what to do first. */
static void bin_refused(app *a, const list_item *row, const field_error *fe)
{
    char msg[512];
    if (fe->field == RF_HOUSEHOLD && fe->code == VAL_NOT_FOUND)
        trf(msg, sizeof msg, "bin.household_gone", fe->detail);
    else if (fe->field == RF_COMMUNITY && fe->code == VAL_NOT_FOUND)
        trf(msg, sizeof msg, "bin.community_gone", fe->detail);
    else if (fe->code == VAL_DUPLICATE_ID)
        trf(msg, sizeof msg, "bin.id_taken", fe->detail);
    else if (fe->code == VAL_HEAD_TAKEN)
        trf(msg, sizeof msg, "bin.head_taken", row->cells[BIN_HOUSEHOLD], fe->detail);
    else {
        char why[256];
        trf(msg, sizeof msg, "bin.refused", record_error_reason(fe, why, sizeof why));
    }
    app_message(a, true, "%s", msg);
}

static void bin_restore_yes(app *a, void *ctx)
{
    bin_screen *b = ctx;
    const list_item *sel = list_selected(b->ls.list);
    if (!sel)
        return;
    list_item row = *sel;
    field_error fe;
    char msg[256];
    ws_status s = resident_restore(app_station(a), row.id, &fe);
    if (s == WS_OK)
        app_message(a, false, "%s", trf(msg, sizeof msg, "bin.restored", row.cells[BIN_NAME]));
    else if (s == WS_ERR_INVALID)
        bin_refused(a, &row, &fe);
    else if (s == WS_ERR_NOT_FOUND)
        app_message(a, true, "%s", tr("bin.gone"));
    else
        app_status_error(a, s);
    list_reload(b->ls.list);
}

/* ---- erasing a deleted resident's personal data ---- */

enum { ERASE_REASON = 1 };

static const form_field_def erase_fields[] = {
    {ERASE_REASON, "bin.erase_reason", FT_TEXT, PRIVACY_REASON_CHARS, NULL},
};

/* The reason asked first (it is recorded), then the question. */
typedef struct erase_form {
    form_screen fs;
    bin_screen *bin;
    int64_t id;
    char name[LIST_CELL];
} erase_form;

static void erase_title(screen *s, char *out, size_t outsz)
{
    trf(out, outsz, "bin.erase_title", ((erase_form *)s)->name);
}

static void erase_draw(screen *s, int top, int height, int width)
{
    erase_form *ef = (erase_form *)s;
    int y = top + 1;
    y += draw_text_wrap(y, 1, width - 2, 3, tr("bin.erase_what"), A_NORMAL);
    y += draw_text_wrap(y, 1, width - 2, 3, tr("bin.erase_kept"), A_DIM);
    y = form_draw(ef->fs.form, y + 1, height - (y - top) - 3, width) + 1;
    draw_text_wrap(y, 1, width - 2, 2, tr("bin.erase_hint"), A_DIM);
    form_draw_error(ef->fs.form, top + height - 1, width);
}

static void erase_yes(app *a, void *ctx)
{
    erase_form *ef = ctx;
    bin_screen *b = ef->bin;
    char msg[512];
    ws_status s = resident_erase(app_station(a), ef->id, form_text(ef->fs.form, ERASE_REASON));
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    snprintf(b->erased, sizeof b->erased, "%s", ef->name);
    b->compact_pending = true;
    app_pop(a); /* the form; the bin shows the list without them */
    app_message(a, false, "%s", trf(msg, sizeof msg, "bin.erasing", b->erased));
}

static bool erase_act(screen *s, action act)
{
    erase_form *ef = (erase_form *)s;
    char q[512];
    switch (act) {
    case ACT_SAVE: {
        form_clear_errors(ef->fs.form);
        if (!form_check(ef->fs.form))
            return true;
        val_status v = privacy_reason_check(form_text(ef->fs.form, ERASE_REASON));
        if (v != VAL_OK) {
            form_set_error(ef->fs.form, ERASE_REASON, tr(val_status_key(v)));
            return true;
        }
        app_confirm(s->app, trf(q, sizeof q, "bin.confirm_erase", ef->name), erase_yes, ef);
        return true;
    }
    case ACT_PICK:
        return erase_act(s, ACT_SAVE); /* Enter in the one field goes on */
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(ef->fs.form, act);
    }
}

static void erase_destroy(screen *s)
{
    erase_form *ef = (erase_form *)s;
    form_free(&ef->fs.form);
    free(ef);
}

/* What the screen asks for: to erase (F2 goes on to the question). */
static access_perm erase_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_SAVE || act == ACT_PICK ? PERM_ERASE : action_perm(act);
}

static const screen_ops erase_ops = {
    .perm = erase_perm,
    .widget_keys = keys_form,
    .title = erase_title,
    .draw = erase_draw,
    .act = erase_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = erase_destroy,
};

static screen *erase_form_new(app *a, bin_screen *b, const list_item *row)
{
    erase_form *ef = calloc(1, sizeof *ef);
    if (!ef)
        return NULL;
    ef->fs.base.ops = &erase_ops;
    ef->fs.base.app = a;
    ef->bin = b;
    ef->id = row->id;
    snprintf(ef->name, sizeof ef->name, "%s", row->cells[BIN_NAME]);
    ef->fs.form = form_new(erase_fields, sizeof erase_fields / sizeof *erase_fields);
    if (!ef->fs.form) {
        free(ef);
        return NULL;
    }
    return &ef->fs.base;
}

static bool bin_act(screen *s, action act)
{
    bin_screen *b = (bin_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(b->ls.list);
    char q[512];
    switch (act) {
    case ACT_RESTORE:
        if (sel)
            app_confirm(a, sel->cells[BIN_ID][0]
                               ? trf(q, sizeof q, "bin.confirm_restore_id", sel->cells[BIN_NAME],
                                     sel->cells[BIN_ID])
                               : trf(q, sizeof q, "bin.confirm_restore", sel->cells[BIN_NAME]),
                        bin_restore_yes, b);
        return true;
    case ACT_HISTORY:
        if (sel)
            app_push(a, history_screen_new(a, sel->id, sel->cells[BIN_NAME]));
        return true;
    case ACT_ERASE:
        if (sel)
            app_push(a, erase_form_new(a, b, sel));
        return true;
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(b->ls.list, act);
    }
}

static void bin_resume(screen *s)
{
    list_reload(((bin_screen *)s)->ls.list);
}

/* After an erasure, once the bin is drawn: the file rewritten without
 * what was freed (privacy_compact), and said. */
static bool bin_idle(screen *s)
{
    bin_screen *b = (bin_screen *)s;
    if (!b->compact_pending)
        return false;
    b->compact_pending = false;
    char msg[512];
    ws_status st = privacy_compact(app_station(s->app));
    if (st == WS_OK)
        app_message(s->app, false, "%s", trf(msg, sizeof msg, "bin.erased", b->erased));
    else if (st == WS_ERR_BUSY)
        app_message(s->app, true, "%s", trf(msg, sizeof msg, "bin.erased_busy", b->erased));
    else
        app_status_error(s->app, st);
    return true;
}

static const screen_ops bin_ops = {
    .keys = bin_keys,
    .widget_keys = keys_browse,
    .title = bin_title,
    .draw = list_screen_draw,
    .act = bin_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = bin_resume,
    .idle = bin_idle,
    .destroy = list_screen_destroy,
};

screen *resident_bin_screen_new(app *a)
{
    bin_screen *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ls.base.ops = &bin_ops;
    b->ls.base.app = a;
    b->ls.list = list_new(bin_cols, BIN_NCOLS, bin_fetch, b, true, "bin.empty");
    if (!b->ls.list) {
        free(b);
        return NULL;
    }
    list_set_hint(b->ls.list, "residents.filter_hint");
    return &b->ls.base;
}
