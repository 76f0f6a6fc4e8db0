/* Who is at the keyboard: the login screen at start, the first 站长 of a
 * station without accounts, the idle lock and the change of one's own
 * password. Each is a small form of the same shape (screen_login_ops); the
 * password fields never echo (FT_PASSWORD), and what was typed in them is
 * overwritten as soon as it was checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"

typedef enum { GATE_LOGIN, GATE_FIRST, GATE_LOCK, GATE_PASSWORD } gate_kind;

enum { G_LOGIN, G_NAME, G_OLD, G_PASSWORD, G_PASSWORD2 };

typedef struct gate_screen {
    form_screen fs;
    gate_kind kind;
    bool forced; /* GATE_PASSWORD after a reset: no way round it */
    int last_id; /* the last field: Enter there does what the screen is for */
} gate_screen;

static const form_field_def login_fields[] = {
    {G_LOGIN, "login.login", FT_TEXT, ACCOUNT_LOGIN_MAX, NULL},
    {G_PASSWORD, "login.password", FT_PASSWORD, 0, NULL},
};

static const form_field_def first_fields[] = {
    {G_LOGIN, "login.login", FT_TEXT, ACCOUNT_LOGIN_MAX, NULL},
    {G_NAME, "login.display_name", FT_TEXT, 20, NULL},
    {G_PASSWORD, "login.password", FT_PASSWORD, 0, NULL},
    {G_PASSWORD2, "login.password2", FT_PASSWORD, 0, NULL},
};

static const form_field_def lock_fields[] = {
    {G_PASSWORD, "login.password", FT_PASSWORD, 0, NULL},
};

static const form_field_def password_fields[] = {
    {G_OLD, "password.old", FT_PASSWORD, 0, NULL},
    {G_PASSWORD, "password.new", FT_PASSWORD, 0, NULL},
    {G_PASSWORD2, "password.new2", FT_PASSWORD, 0, NULL},
};

#define NFIELDS(t) (sizeof(t) / sizeof(t)[0])

/* Enter: the next field, and on the last one what the screen is for. */
static const keybind login_keys[] = {
    {'\r', ACT_LOGIN, KB_BAR},
    {'\n', ACT_LOGIN, 0},
    {KEYCODE | KEY_ENTER, ACT_LOGIN, 0},
    {'\t', ACT_NEXT_FIELD, KB_BAR},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {KEYCODE | KEY_DOWN, ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_UP, ACT_PREV_FIELD, 0},
    {27, ACT_QUIT, 0},
    {0, ACT_NONE, 0},
};

/* Enter: the next field, and on the last one save (gate_key). */
static const keybind save_keys[] = {
    {KEYCODE | KEY_F(2), ACT_SAVE, KB_BAR},
    {KEY_CTRL('s'), ACT_SAVE, 0},
    {'\t', ACT_NEXT_FIELD, KB_BAR},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {KEYCODE | KEY_DOWN, ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_UP, ACT_PREV_FIELD, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

/* The first 站长: nothing to go back to, Esc leaves (nothing is saved). */
static const keybind first_keys[] = {
    {KEYCODE | KEY_F(2), ACT_SAVE, KB_BAR},
    {KEY_CTRL('s'), ACT_SAVE, 0},
    {'\t', ACT_NEXT_FIELD, KB_BAR},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {KEYCODE | KEY_DOWN, ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_UP, ACT_PREV_FIELD, 0},
    {27, ACT_QUIT, 0},
    {0, ACT_NONE, 0},
};

static const keybind lock_keys[] = {
    {'\r', ACT_UNLOCK, KB_BAR},
    {'\n', ACT_UNLOCK, 0},
    {KEYCODE | KEY_ENTER, ACT_UNLOCK, 0},
    {KEYCODE | KEY_F(5), ACT_SWITCH_ACCOUNT, KB_BAR},
    {KEY_CTRL('n'), ACT_SWITCH_ACCOUNT, 0},
    {0, ACT_NONE, 0},
};

/* Overwrite a password in the field's buffer before it is emptied. */
static void gate_wipe(gate_screen *g, int id)
{
    size_t n = strlen(form_text(g->fs.form, id));
    char *x = malloc(n + 1);
    if (x) {
        memset(x, 'x', n);
        x[n] = '\0';
        form_set_text(g->fs.form, id, x);
        free(x);
    }
    form_set_text(g->fs.form, id, "");
}

static void gate_wipe_all(gate_screen *g)
{
    gate_wipe(g, G_OLD);
    gate_wipe(g, G_PASSWORD);
    gate_wipe(g, G_PASSWORD2);
}

static void gate_title(screen *s, char *out, size_t outsz)
{
    static const char *const keys[] = {"login.title", "login.first_title", "lock.title",
                                       "password.title"};
    snprintf(out, outsz, "%s", tr(keys[((gate_screen *)s)->kind]));
}

/* The demo's accounts, one per role, with the password they share: one
 * a line, so that longer role names (English) are never cut. */
static int gate_draw_demo(gate_screen *g, int y, int bottom, int width)
{
    static const char *const logins[] = {"zhanzhang", "shegong", "luru", "dudao"};
    station *st = app_station(g->fs.base.app);
    char buf[256];
    bool heading = false;
    for (size_t i = 0; i < sizeof logins / sizeof *logins && y < bottom; i++) {
        account ac;
        if (account_find(st, logins[i], &ac) != WS_OK)
            continue;
        if (!heading) {
            draw_text_attr(y++, 2, width - 4,
                           trf(buf, sizeof buf, "login.demo", ACCOUNT_DEMO_PASSWORD), false,
                           COLOR_PAIR(PAIR_HEADER) | A_BOLD);
            heading = true;
        }
        const code_item *it = codebook_find(station_codes(st), "role", ac.role);
        draw_text_attr(y, 4, 12, ac.login, false, A_BOLD);
        draw_text(y++, 17, width - 19, it ? code_label(it, 0) : ac.role, false);
    }
    return y;
}

static void gate_draw(screen *s, int top, int height, int width)
{
    gate_screen *g = (gate_screen *)s;
    app *a = s->app;
    char buf[512], who[200];
    int y = top + 1;
    switch (g->kind) {
    case GATE_LOGIN:
        draw_text_attr(y++, 2, width - 4, app_station_name(a), false, A_BOLD);
        y += draw_text_wrap(y, 2, width - 4, 2, tr("login.intro"), A_NORMAL);
        break;
    case GATE_FIRST:
        draw_text_attr(y++, 2, width - 4, tr("login.first_heading"), false, A_BOLD);
        y += draw_text_wrap(y, 2, width - 4, 3, tr("login.first_intro"), A_NORMAL);
        break;
    case GATE_LOCK:
        app_account_label(a, who, sizeof who);
        draw_text_attr(y++, 2, width - 4, trf(buf, sizeof buf, "lock.heading", who), false,
                       A_BOLD);
        y += draw_text_wrap(y, 2, width - 4, 2, tr("lock.intro"), A_NORMAL);
        break;
    case GATE_PASSWORD:
        draw_text_attr(y++, 2, width - 4, tr(g->forced ? "password.forced" : "password.heading"),
                       false, A_BOLD);
        y += draw_text_wrap(y, 2, width - 4, 2, tr("password.rule"), A_NORMAL);
        break;
    }
    y++;
    y = form_draw(g->fs.form, y, top + height - 4 - y, width) + 1;
    if (g->kind == GATE_LOGIN && app_demo(a))
        y = gate_draw_demo(g, y, top + height - 2, width);
    else if (g->kind == GATE_FIRST)
        y += draw_text_wrap(y, 2, width - 4, 2, tr("password.rule"), A_DIM);
    else if (g->kind == GATE_LOCK && app_dirty(a))
        y += draw_text_wrap(y, 2, width - 4, 2, tr("lock.unsaved"), COLOR_PAIR(PAIR_OK));
    form_draw_error(g->fs.form, top + height - 1, width);
}

/* A refused login or unlock, at the password field (emptied). */
static void gate_refused(gate_screen *g, ws_status s, const account_login_result *res)
{
    char msg[256];
    switch (s) {
    case WS_ERR_AUTH:
        snprintf(msg, sizeof msg, "%s",
                 tr(g->kind == GATE_LOCK ? "lock.wrong" : "status.auth"));
        break;
    case WS_ERR_LOCKED:
        trf(msg, sizeof msg, "login.locked", (long long)res->wait_seconds);
        break;
    case WS_ERR_DISABLED:
        snprintf(msg, sizeof msg, "%s", tr(g->kind == GATE_LOCK ? "lock.disabled" : "status.disabled"));
        break;
    default:
        trf(msg, sizeof msg, "app.error", tr(ws_status_key(s)));
        break;
    }
    form_set_error(g->fs.form, G_PASSWORD, msg);
}

/* Said before the check, which takes a moment on purpose. */
static void gate_checking(gate_screen *g)
{
    app *a = g->fs.base.app;
    app_message(a, false, "%s", tr("login.checking"));
    app_redraw(a);
    app_message(a, false, "%s", "");
}

static void gate_login(gate_screen *g)
{
    app *a = g->fs.base.app;
    form_clear_errors(g->fs.form);
    if (!form_text(g->fs.form, G_LOGIN)[0]) {
        form_set_error(g->fs.form, G_LOGIN, tr("login.login_needed"));
        return;
    }
    gate_checking(g);
    account_login_result res;
    ws_status s = account_login(app_station(a), form_text(g->fs.form, G_LOGIN),
                                form_text(g->fs.form, G_PASSWORD), &res);
    gate_wipe_all(g);
    if (s == WS_OK) {
        app_logged_in(a, res.must_change); /* closes this screen */
        return;
    }
    gate_refused(g, s, &res);
}

/* Which field of the form an account error is about. */
static int gate_error_field(const record_error *re)
{
    if (re->field < 0)
        return G_PASSWORD;
    const char *col = kind_account.fields[re->field].column;
    return strcmp(col, "display_name") == 0 ? G_NAME : G_LOGIN;
}

static void gate_first(gate_screen *g)
{
    app *a = g->fs.base.app;
    station *st = app_station(a);
    form_widget *f = g->fs.form;
    form_clear_errors(f);
    if (!form_check(f))
        return;
    char login[ACCOUNT_LOGIN_MAX * 4 + 1];
    account_login_fold(form_text(f, G_LOGIN), login, sizeof login);
    val_status v = account_login_check(login);
    if (v != VAL_OK) {
        form_set_error(f, G_LOGIN, tr(val_status_key(v)));
        return;
    }
    if (!form_text(f, G_NAME)[0]) {
        form_set_error(f, G_NAME, tr("valid.required"));
        return;
    }
    v = account_password_check(login, form_text(f, G_PASSWORD));
    if (v != VAL_OK) {
        form_set_error(f, G_PASSWORD, tr(val_status_key(v)));
        return;
    }
    if (strcmp(form_text(f, G_PASSWORD), form_text(f, G_PASSWORD2)) != 0) {
        form_set_error(f, G_PASSWORD2, tr(val_status_key(VAL_PASSWORD_MISMATCH)));
        return;
    }
    account ac;
    account_init(&ac);
    snprintf(ac.login, sizeof ac.login, "%.*s", (int)sizeof ac.login - 1, login); /* checked */
    snprintf(ac.display_name, sizeof ac.display_name, "%s", form_text(f, G_NAME));
    snprintf(ac.role, sizeof ac.role, "%s", access_role_code(ROLE_DIRECTOR));
    gate_checking(g);
    record_error re;
    ws_status s = account_create(st, &ac, form_text(f, G_PASSWORD), &re);
    if (s == WS_ERR_INVALID) {
        char msg[256];
        record_error_reason(&re, msg, sizeof msg);
        form_set_error(f, gate_error_field(&re), msg);
        return;
    }
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    account_login_result res;
    s = account_login(st, ac.login, form_text(f, G_PASSWORD), &res);
    gate_wipe_all(g);
    if (s != WS_OK) {
        /* Made but not logged in (a read-only file?): log in as usual. */
        app_status_error(a, s);
        return;
    }
    /* A new station's setup says what comes next instead. */
    char msg[256];
    app_message(a, false, "%s", trf(msg, sizeof msg, "login.first_done", ac.login));
    app_logged_in(a, false); /* closes this screen */
}

static void gate_unlock(gate_screen *g)
{
    app *a = g->fs.base.app;
    form_clear_errors(g->fs.form);
    gate_checking(g);
    account_login_result res;
    ws_status s = account_verify(app_station(a), form_text(g->fs.form, G_PASSWORD), &res);
    gate_wipe_all(g);
    if (s == WS_OK) {
        app_unlock(a); /* closes this screen */
        return;
    }
    gate_refused(g, s, &res);
}

static void gate_switch_yes(app *a, void *ctx)
{
    (void)ctx;
    app_switch_account(a);
}

/* Another account instead: an unsaved form is never dropped unasked. */
static void gate_switch(gate_screen *g)
{
    app *a = g->fs.base.app;
    if (app_dirty(a))
        app_confirm(a, tr("lock.confirm_switch"), gate_switch_yes, NULL);
    else
        app_switch_account(a);
}

static void gate_change(gate_screen *g)
{
    app *a = g->fs.base.app;
    form_widget *f = g->fs.form;
    form_clear_errors(f);
    if (strcmp(form_text(f, G_PASSWORD), form_text(f, G_PASSWORD2)) != 0) {
        form_set_error(f, G_PASSWORD2, tr(val_status_key(VAL_PASSWORD_MISMATCH)));
        return;
    }
    gate_checking(g);
    record_error re;
    ws_status s = account_change_password(app_station(a), form_text(f, G_OLD),
                                          form_text(f, G_PASSWORD), &re);
    if (s == WS_OK) {
        gate_wipe_all(g);
        app_message(a, false, "%s", tr("password.done"));
        app_pop(a); /* closes this screen */
        return;
    }
    char msg[256];
    if (s == WS_ERR_AUTH) {
        gate_wipe(g, G_OLD);
        form_set_error(f, G_OLD, tr("password.wrong_old"));
    } else if (s == WS_ERR_INVALID) {
        form_set_error(f, G_PASSWORD, record_error_reason(&re, msg, sizeof msg));
    } else {
        app_status_error(a, s);
    }
}

/* Enter on a field before the last: on to the next one. */
static bool gate_on_last(gate_screen *g)
{
    if (form_focus_id(g->fs.form) == g->last_id)
        return true;
    form_act(g->fs.form, ACT_NEXT_FIELD);
    return false;
}

static bool gate_act(screen *s, action act)
{
    gate_screen *g = (gate_screen *)s;
    switch (act) {
    case ACT_LOGIN:
        if (gate_on_last(g))
            gate_login(g);
        return true;
    case ACT_UNLOCK:
        gate_unlock(g);
        return true;
    case ACT_SWITCH_ACCOUNT:
        gate_switch(g);
        return true;
    case ACT_SAVE:
        if (g->kind == GATE_FIRST)
            gate_first(g);
        else
            gate_change(g);
        return true;
    case ACT_BACK:
        if (g->forced) {
            app_message(s->app, true, "%s", tr("password.forced_back"));
        } else {
            gate_wipe_all(g);
            app_pop(s->app);
        }
        return true;
    case ACT_QUIT:
        app_quit(s->app);
        return true;
    default:
        return form_act(g->fs.form, act);
    }
}

/* Enter in the forms that save: the next field, or save on the last. */
static bool gate_key(screen *s, int key)
{
    gate_screen *g = (gate_screen *)s;
    if (key == '\r' || key == '\n' || key == (KEYCODE | KEY_ENTER)) {
        if (gate_on_last(g))
            gate_act(s, ACT_SAVE);
        return true;
    }
    return form_key(g->fs.form, key);
}

static void gate_destroy(screen *s)
{
    gate_screen *g = (gate_screen *)s;
    gate_wipe_all(g);
    form_free(&g->fs.form);
    free(g);
}

/* The gates differ in their keys and in who reads a key first. */
#define GATE_OPS(k, keyfn)                                                   \
    {.keys = k, .title = gate_title, .draw = gate_draw, .act = gate_act,      \
     .key = keyfn, .typing = form_screen_typing, .destroy = gate_destroy,    \
     .perm = app_perm_anyone}
static const screen_ops login_ops = GATE_OPS(login_keys, form_screen_key);
static const screen_ops save_ops = GATE_OPS(save_keys, gate_key);
static const screen_ops first_ops = GATE_OPS(first_keys, gate_key);
static const screen_ops lock_ops = GATE_OPS(lock_keys, form_screen_key);
#undef GATE_OPS

static screen *gate_new(app *a, gate_kind kind, const screen_ops *ops,
                        const form_field_def *defs, size_t n)
{
    gate_screen *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->fs.base.ops = ops;
    g->fs.base.app = a;
    g->kind = kind;
    g->fs.form = form_new(defs, n);
    if (!g->fs.form) {
        free(g);
        return NULL;
    }
    form_focus(g->fs.form, defs[0].id);
    g->last_id = defs[n - 1].id;
    return &g->fs.base;
}

screen *login_screen_new(app *a)
{
    return gate_new(a, GATE_LOGIN, &login_ops, login_fields, NFIELDS(login_fields));
}

screen *first_director_screen_new(app *a)
{
    return gate_new(a, GATE_FIRST, &first_ops, first_fields, NFIELDS(first_fields));
}

screen *lock_screen_new(app *a)
{
    return gate_new(a, GATE_LOCK, &lock_ops, lock_fields, NFIELDS(lock_fields));
}

void screen_password_change(app *a, bool forced)
{
    screen *s = gate_new(a, GATE_PASSWORD, &save_ops, password_fields, NFIELDS(password_fields));
    if (!s)
        return;
    ((gate_screen *)s)->forced = forced;
    app_push(a, s);
    if (forced)
        app_message(a, false, "%s", tr("password.forced"));
}
