/* 账户 (0 系统, a 站长's): the station's accounts through the generic kind
 * list and form (screen_records.c), with what an account has that no field
 * table holds: a new one's password typed twice, 停用/启用, 重置密码.
 * Accounts are never deleted (the audit names them): no delete key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/account.h"
#include "wushe/catalog.h"

/* A refused step in the clerk's words: the model's own reason (the last
 * 站长, a password too short), a refusal by role, or the status. */
static void accounts_report(app *a, ws_status s, const record_error *re)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", record_error_text(&kind_account, re, msg, sizeof msg));
    else if (s == WS_ERR_DENIED)
        app_message(a, true, "%s", tr("status.denied"));
    else
        app_status_error(a, s);
}

/* ---------------------------------------------------------------- form */

enum { AX_PASSWORD = KIND_FORM_EXTRA, AX_PASSWORD2 };

/* No limit of the form's own: the model says what a password must be. */
static const form_field_def accounts_extra[] = {
    {AX_PASSWORD, "accounts.password", FT_PASSWORD, 0, NULL},
    {AX_PASSWORD2, "accounts.password2", FT_PASSWORD, 0, NULL},
};

/* A new account is created with its password (account_create); a saved
 * one keeps its login and password (account_save: name, role, phone). */
static ws_status accounts_form_save(app *a, form_widget *f, void *rec, bool is_new,
                                    record_error *re, int *extra)
{
    station *st = app_station(a);
    account *acc = rec;
    memset(re, 0, sizeof *re);
    re->field = -1;
    if (!is_new)
        return account_save(st, acc, re);
    const char *pw = form_text(f, AX_PASSWORD);
    if (strcmp(pw, form_text(f, AX_PASSWORD2)) != 0) {
        re->code = VAL_PASSWORD_MISMATCH;
        *extra = AX_PASSWORD2;
        return WS_ERR_INVALID;
    }
    ws_status s = account_create(st, acc, pw, re);
    if (s == WS_ERR_INVALID && re->field < 0)
        *extra = AX_PASSWORD;
    return s;
}

/* The login is fixed once saved (the logs name the account by it): its
 * field index is set when the screen opens. */
static kind_form_ext accounts_form_ext = {
    .extra = accounts_extra,
    .nextra = sizeof accounts_extra / sizeof *accounts_extra,
    .fixed_field = -1,
    .save = accounts_form_save,
};

/* ---------------------------------------------------------------- reset */

enum { RX_PASSWORD, RX_PASSWORD2 };

static const form_field_def reset_fields[] = {
    {RX_PASSWORD, "accounts.temp_password", FT_PASSWORD, 0, NULL},
    {RX_PASSWORD2, "accounts.password2", FT_PASSWORD, 0, NULL},
};

typedef struct reset_form {
    form_screen fs;
    int64_t id;
    char who[160]; /* 张建国 (zhanzhang) */
} reset_form;

static void reset_title(screen *s, char *out, size_t outsz)
{
    trf(out, outsz, "accounts.reset_title", ((reset_form *)s)->who);
}

static void reset_draw(screen *s, int top, int height, int width)
{
    reset_form *rf = (reset_form *)s;
    int y = form_draw(rf->fs.form, top + 1, height - 2, width) + 1;
    draw_text_wrap(y, 1, width - 2, 2, tr("accounts.reset_hint"), A_DIM);
    form_draw_error(rf->fs.form, top + height - 1, width);
}

static void reset_save(reset_form *rf)
{
    app *a = rf->fs.base.app;
    form_widget *f = rf->fs.form;
    form_clear_errors(f);
    const char *pw = form_text(f, RX_PASSWORD);
    if (strcmp(pw, form_text(f, RX_PASSWORD2)) != 0) {
        form_set_error(f, RX_PASSWORD2, tr(val_status_key(VAL_PASSWORD_MISMATCH)));
        return;
    }
    record_error re;
    ws_status s = account_reset_password(app_station(a), rf->id, pw, &re);
    if (s == WS_ERR_INVALID) {
        char msg[256];
        form_set_error(f, RX_PASSWORD, record_error_reason(&re, msg, sizeof msg));
        return;
    }
    if (s != WS_OK) {
        accounts_report(a, s, &re);
        return;
    }
    char msg[256];
    app_message(a, false, "%s", trf(msg, sizeof msg, "accounts.reset_done", rf->who));
    app_pop(a);
}

static bool reset_act(screen *s, action act)
{
    reset_form *rf = (reset_form *)s;
    switch (act) {
    case ACT_SAVE:
        reset_save(rf);
        return true;
    case ACT_PICK:
        form_act(rf->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(rf->fs.form, act);
    }
}

static void reset_destroy(screen *s)
{
    form_free(&((reset_form *)s)->fs.form);
    free(s);
}

/* Saving here is a 站长's reset, not a write to the register. */
static access_perm reset_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_SAVE ? PERM_ACCOUNTS : action_perm(act);
}

static const screen_ops reset_ops = {
    .perm = reset_perm,
    .widget_keys = keys_form,
    .title = reset_title,
    .draw = reset_draw,
    .act = reset_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = reset_destroy,
};

static screen *reset_form_new(app *a, int64_t id)
{
    account acc;
    ws_status s = account_load(app_station(a), id, &acc);
    if (s != WS_OK) {
        record_error re = {.field = -1};
        accounts_report(a, s, &re);
        return NULL;
    }
    reset_form *rf = calloc(1, sizeof *rf);
    if (!rf)
        return NULL;
    rf->fs.base.ops = &reset_ops;
    rf->fs.base.app = a;
    rf->id = id;
    snprintf(rf->who, sizeof rf->who, "%s (%s)", acc.display_name, acc.login);
    rf->fs.form = form_new(reset_fields, sizeof reset_fields / sizeof *reset_fields);
    if (!rf->fs.form) {
        free(rf);
        return NULL;
    }
    return &rf->fs.base;
}

/* ---------------------------------------------------------------- list */

static void accounts_set_active(app *a, screen *s, int64_t id, bool active)
{
    record_error re;
    ws_status st = account_set_active(app_station(a), id, active, &re);
    if (st == WS_OK)
        kind_list_changed(s, active ? "accounts.enabled" : "accounts.disabled");
    else
        accounts_report(a, st, &re);
}

/* The confirmation is modal: the selected row is still the one asked about. */
static void accounts_disable_yes(app *a, void *ctx)
{
    screen *s = ctx;
    const list_item *sel = list_selected(((list_screen *)s)->list);
    if (sel)
        accounts_set_active(a, s, sel->id, false);
}

/* 停用 asks first (the account cannot log in after); 启用 does not. */
static void accounts_toggle(screen *s, const list_item *sel)
{
    app *a = s->app;
    account acc;
    ws_status st = account_load(app_station(a), sel->id, &acc);
    if (st != WS_OK) {
        record_error re = {.field = -1};
        accounts_report(a, st, &re);
        return;
    }
    if (strcmp(acc.active, "1") != 0) {
        accounts_set_active(a, s, sel->id, true);
        return;
    }
    char q[512];
    app_confirm(a, trf(q, sizeof q, "accounts.confirm_disable", acc.display_name, acc.login),
                accounts_disable_yes, s);
}

static bool accounts_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    list_screen *ls = (list_screen *)s;
    switch (act) {
    case ACT_NEW:
        ls->saved_id = 0;
        app_push(a, kind_form_ext_new(a, &kind_account, 0, &ls->saved_id, &accounts_form_ext));
        return true;
    case ACT_OPEN:
        if (sel) {
            ls->saved_id = 0;
            app_push(a, kind_form_ext_new(a, &kind_account, sel->id, &ls->saved_id,
                                          &accounts_form_ext));
        }
        return true;
    case ACT_ENABLE:
        if (sel)
            accounts_toggle(s, sel);
        return true;
    case ACT_RESET_PASSWORD:
        if (sel)
            app_push(a, reset_form_new(a, sel->id));
        return true;
    case ACT_DELETE:
    case ACT_RECYCLE:
        return true; /* never deleted: nothing to delete or restore */
    default:
        return false;
    }
}

/* The last login in local time ("" never). */
static void accounts_cell(const record_kind *k, int field, char *cell, size_t cellsz)
{
    if (strcmp(k->fields[field].column, "last_login_at") != 0)
        return;
    if (!cell[0]) {
        snprintf(cell, cellsz, "%s", tr("accounts.never"));
        return;
    }
    char iso[64];
    snprintf(iso, sizeof iso, "%s", cell);
    ui_local_time(iso, cell, cellsz);
}

static const keybind accounts_keys[] = {
    {KEYCODE | KEY_F(6), ACT_ENABLE, KB_BAR},
    {KEYCODE | KEY_F(7), ACT_RESET_PASSWORD, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

/* keys_list without F8/Ctrl-D: an account is disabled, never deleted. */
static const keybind accounts_list_keys[] = {
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_PPAGE, ACT_PAGE_UP, 0},
    {KEYCODE | KEY_NPAGE, ACT_PAGE_DOWN, 0},
    {KEYCODE | KEY_HOME, ACT_FIRST, 0},
    {KEYCODE | KEY_END, ACT_LAST, 0},
    {KEYCODE | KEY_F(3), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {KEYCODE | KEY_F(5), ACT_NEW, KB_BAR},
    {KEY_CTRL('n'), ACT_NEW, 0},
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

static const kind_list_ext accounts_list_ext = {
    .keys = accounts_keys,
    .widget_keys = accounts_list_keys,
    .act = accounts_act,
    .cell = accounts_cell,
};

screen *accounts_screen_new(app *a)
{
    /* The model refuses anyone else anyway; say so instead of an empty list. */
    if (!station_can(app_station(a), PERM_ACCOUNTS)) {
        app_message(a, true, "%s", tr("status.denied"));
        return NULL;
    }
    accounts_form_ext.fixed_field = record_field_index(&kind_account, "login");
    return kind_list_screen_ext(a, &kind_account, &accounts_list_ext);
}
