/* 系统 (0 on the home screen): the station's own records and settings, the
 * 站长's accounts and access log, one's own password, the check of the
 * station file and its backup; an entry the role may not use is not shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/community.h"

typedef struct system_screen {
    screen base;
    list_widget *list;
} system_screen;

typedef enum {
    SYS_COMMUNITIES = 1,
    SYS_HOUSEHOLDS,
    SYS_STATION,
    SYS_ACCOUNTS,
    SYS_ACCESS_LOG,
    SYS_PASSWORD,
    SYS_CHECK,
    SYS_BACKUP,
} system_entry;

/* Each entry with what it needs (PERM_COUNT: a logged-in account). */
static const struct {
    const char *label;
    access_perm perm;
} system_entries[] = {
    {NULL, PERM_COUNT},
    {"system.communities", PERM_REGISTER_READ},
    {"system.households", PERM_REGISTER_READ},
    {"system.station", PERM_STATION},
    {"system.accounts", PERM_ACCOUNTS},
    {"system.access_log", PERM_ACCESS_LOG},
    {"system.password", PERM_COUNT},
    {"system.check", PERM_BACKUP},
    {"system.backup", PERM_BACKUP},
};
#define SYSTEM_NENTRIES (sizeof system_entries / sizeof *system_entries - 1)

static bool system_allowed(station *st, size_t entry)
{
    access_perm p = system_entries[entry].perm;
    return p == PERM_COUNT ? station_account(st) != NULL : station_can(st, p);
}

static const list_col system_cols[] = {
    {"system.col_entry", 20, 1},
};

static ws_status system_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    system_screen *ss = ctx;
    station *st = app_station(ss->base.app);
    (void)filter;
    *n = 0;
    for (size_t i = 0; i < SYSTEM_NENTRIES && *n < max; i++) {
        int64_t id = dir > 0 ? (int64_t)i + 1 : (int64_t)(SYSTEM_NENTRIES - i);
        if ((after && (dir > 0 ? id <= after : id >= after)) || !system_allowed(st, (size_t)id))
            continue;
        items[*n].id = id;
        snprintf(items[*n].cells[0], LIST_CELL, "%s", tr(system_entries[id].label));
        (*n)++;
    }
    return WS_OK;
}

static void system_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("system.title"));
}

static void system_draw(screen *s, int top, int height, int width)
{
    list_draw(((system_screen *)s)->list, top + 1, height - 1, width);
}

static bool system_act(screen *s, action act)
{
    system_screen *ss = (system_screen *)s;
    app *a = s->app;
    switch (act) {
    case ACT_OPEN:
        switch ((system_entry)list_selected_id(ss->list)) {
        case SYS_COMMUNITIES:
            app_push(a, kind_list_screen_new(a, &kind_community, false));
            break;
        case SYS_HOUSEHOLDS:
            app_push(a, households_screen_new(a));
            break;
        case SYS_STATION:
            app_push(a, station_form_new(a));
            break;
        case SYS_ACCOUNTS:
            app_push(a, accounts_screen_new(a));
            break;
        case SYS_ACCESS_LOG:
            app_push(a, access_log_screen_new(a));
            break;
        case SYS_PASSWORD:
            screen_password_change(a, false);
            break;
        case SYS_CHECK:
            app_push(a, check_screen_new(a));
            break;
        case SYS_BACKUP:
            app_push(a, backup_screen_new(a));
            break;
        }
        return true;
    case ACT_CHECK:
        app_push(a, check_screen_new(a));
        return true;
    case ACT_BACK:
        app_pop(a);
        return true;
    default:
        return list_act(ss->list, act);
    }
}

static void system_destroy(screen *s)
{
    system_screen *ss = (system_screen *)s;
    list_free(&ss->list);
    free(ss);
}

static const keybind system_keys[] = {
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {KEYCODE | KEY_F(5), ACT_CHECK, KB_BAR},
    {KEY_CTRL('r'), ACT_CHECK, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops system_ops = {
    .keys = system_keys,
    .widget_keys = keys_browse,
    .title = system_title,
    .draw = system_draw,
    .act = system_act,
    .destroy = system_destroy,
};

screen *system_screen_new(app *a)
{
    system_screen *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->base.ops = &system_ops;
    ss->base.app = a;
    ss->list = list_new(system_cols, 1, system_fetch, ss, false, "records.empty");
    if (!ss->list) {
        free(ss);
        return NULL;
    }
    return &ss->base;
}

/* ---- the station's name and division code ---- */

enum { STF_NAME, STF_CODE };

static const form_field_def station_fields[] = {
    {STF_NAME, "system.station_name", FT_TEXT, 60, NULL},
    {STF_CODE, "field.division_code", FT_TEXT, 12, NULL},
};

typedef struct station_form {
    form_screen fs;
} station_form;

static void station_form_title(screen *s, char *out, size_t outsz)
{
    station_form *sf = (station_form *)s;
    if (form_dirty(sf->fs.form))
        snprintf(out, outsz, "%s  [%s]", tr("system.station"), tr("form.unsaved"));
    else
        snprintf(out, outsz, "%s", tr("system.station"));
}

static void station_form_draw(screen *s, int top, int height, int width)
{
    station_form *sf = (station_form *)s;
    int y = form_draw(sf->fs.form, top + 1, height - 2, width) + 1;
    draw_text_attr(y, 1, width - 2, tr("system.station_hint"), false, A_DIM);
    form_draw_error(sf->fs.form, top + height - 1, width);
}

static void station_form_save(station_form *sf)
{
    app *a = sf->fs.base.app;
    char name[256], code[64];
    snprintf(name, sizeof name, "%s", form_text(sf->fs.form, STF_NAME));
    snprintf(code, sizeof code, "%s", form_text(sf->fs.form, STF_CODE));
    form_clear_errors(sf->fs.form);
    if (!form_check(sf->fs.form))
        return;
    val_status v = station_info_check(name, code);
    if (v != VAL_OK) {
        char msg[256];
        form_set_error(sf->fs.form, v == VAL_DIGITS ? STF_CODE : STF_NAME,
                       v == VAL_DIGITS ? trf(msg, sizeof msg, "valid.digits", "12")
                                       : tr(val_status_key(v)));
        return;
    }
    ws_status s = station_set_info(app_station(a), name, code);
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    app_refresh_station(a);
    app_message(a, false, "%s", tr("app.saved"));
    app_pop(a);
}

static bool station_form_act(screen *s, action act)
{
    station_form *sf = (station_form *)s;
    switch (act) {
    case ACT_SAVE:
        station_form_save(sf);
        return true;
    case ACT_PICK:
        form_act(sf->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(sf->fs.form, act);
    }
}

static void station_form_destroy(screen *s)
{
    station_form *sf = (station_form *)s;
    form_free(&sf->fs.form);
    free(sf);
}

static const screen_ops station_form_ops = {
    .widget_keys = keys_form,
    .title = station_form_title,
    .draw = station_form_draw,
    .act = station_form_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = station_form_destroy,
};

screen *station_form_new(app *a)
{
    station_form *sf = calloc(1, sizeof *sf);
    if (!sf)
        return NULL;
    sf->fs.base.ops = &station_form_ops;
    sf->fs.base.app = a;
    sf->fs.form = form_new(station_fields, sizeof station_fields / sizeof *station_fields);
    if (!sf->fs.form) {
        free(sf);
        return NULL;
    }
    char name[256], code[64];
    station_name(app_station(a), name, sizeof name);
    station_division_code(app_station(a), code, sizeof code);
    form_set_text(sf->fs.form, STF_NAME, name);
    form_set_text(sf->fs.form, STF_CODE, code);
    form_set_clean(sf->fs.form);
    return &sf->fs.base;
}
