/* Households: the list, and the members of one household. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/household.h"
#include "wushe/resident.h"

typedef struct households_screen {
    list_screen ls;
    char counted[256]; /* the filter the count is for */
    int64_t total;     /* -1: to count again */
    ui_export_job export; /* F9 */
} households_screen;

static const list_col households_cols[] = {
    {"households.col_number", 7, 1},
    {"households.col_head", 8, 2},
    {"households.col_community", 8, 2},
    {"households.col_members", 4, 0},
    {"households.col_address", 12, 5},
};

static const keybind households_keys[] = {
    {KEYCODE | KEY_F(7), ACT_MEMBERS, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {KEYCODE | KEY_F(9), ACT_EXPORT, KB_BAR},
    {KEY_CTRL('x'), ACT_EXPORT, 0},
    {0, ACT_NONE, 0},
};

static ws_status households_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                  list_item *items, size_t max, size_t *n)
{
    households_screen *hs = ctx;
    household_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = household_list(app_station(hs->ls.base.app), filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        items[i].id = rows[i].id;
        snprintf(items[i].cells[0], LIST_CELL, "%s", rows[i].number);
        snprintf(items[i].cells[1], LIST_CELL, "%s",
                 rows[i].head[0] ? rows[i].head : tr("households.no_head"));
        snprintf(items[i].cells[2], LIST_CELL, "%s", rows[i].community);
        snprintf(items[i].cells[3], LIST_CELL, "%d", rows[i].members);
        snprintf(items[i].cells[4], LIST_CELL, "%s", rows[i].address);
    }
    free(rows);
    return s;
}

/* The title counts what the list shows, counted again only when the
 * search box or the register changed. */
static void households_title(screen *s, char *out, size_t outsz)
{
    households_screen *hs = (households_screen *)s;
    const char *f = list_filter(hs->ls.list);
    if (hs->total < 0 || strcmp(f, hs->counted) != 0) {
        snprintf(hs->counted, sizeof hs->counted, "%s", f);
        if (record_count(app_station(s->app), &kind_household, f, &hs->total) != WS_OK)
            hs->total = -2;
    }
    char count[64] = "";
    if (hs->total >= 0)
        trf(count, sizeof count, "app.count", (long long)hs->total);
    snprintf(out, outsz, "%s  %s", tr("households.title"), count);
}

static void households_delete_yes(app *a, void *ctx)
{
    households_screen *hs = ctx;
    hs->total = -1;
    ws_status s = household_delete(app_station(a), list_selected_id(hs->ls.list));
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", tr("households.has_members"));
    else if (s != WS_OK)
        app_status_error(a, s);
    else
        app_message(a, false, "%s", tr("app.deleted"));
    list_reload(hs->ls.list);
}

/* A household with members is not deleted: say so at once, with what to
 * do, rather than ask a question whose answer is no. */
static void households_delete(households_screen *hs, const list_item *sel)
{
    app *a = hs->ls.base.app;
    household_row row;
    char msg[512];
    ws_status s = household_row_get(app_station(a), sel->id, &row);
    if (s == WS_ERR_NOT_FOUND) {
        list_reload(hs->ls.list);
        app_status_error(a, s);
    } else if (s != WS_OK) {
        app_status_error(a, s);
    } else if (row.members > 0) {
        app_message(a, true, "%s", trf(msg, sizeof msg, "households.delete_has_members",
                                       row.number, row.members));
    } else {
        app_confirm(a, trf(msg, sizeof msg, "households.confirm_delete", row.number),
                    households_delete_yes, hs);
    }
}

static bool households_act(screen *s, action act)
{
    households_screen *hs = (households_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(hs->ls.list);
    switch (act) {
    case ACT_NEW:
        hs->ls.saved_id = 0;
        app_push(a, household_form_new(a, 0, &hs->ls.saved_id));
        return true;
    case ACT_OPEN:
        if (list_act(hs->ls.list, act) || !sel)
            return true;
        hs->ls.saved_id = 0;
        app_push(a, household_form_new(a, sel->id, &hs->ls.saved_id));
        return true;
    case ACT_MEMBERS:
        if (sel)
            app_push(a, members_screen_new(a, sel->id));
        return true;
    case ACT_DELETE:
        if (sel)
            households_delete(hs, sel);
        return true;
    case ACT_RECYCLE:
        app_push(a, kind_list_screen_new(a, &kind_household, true));
        return true;
    case ACT_HISTORY:
        if (sel)
            app_push(a, kind_history_new(a, &kind_household, sel->id, sel->cells[0]));
        return true;
    case ACT_EXPORT:
        ui_export_ask(a, &hs->export, list_filter(hs->ls.list));
        return true;
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(hs->ls.list, act);
    }
}

static void households_resume(screen *s)
{
    ((households_screen *)s)->total = -1; /* a form may have added one */
    list_screen_resume(s);
}

static const screen_ops households_ops = {
    .keys = households_keys,
    .widget_keys = keys_list,
    .title = households_title,
    .draw = list_screen_draw,
    .act = households_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = households_resume,
    .destroy = list_screen_destroy,
};

screen *households_screen_new(app *a)
{
    households_screen *hs = calloc(1, sizeof *hs);
    if (hs)
        hs->total = -1;
    if (!hs)
        return NULL;
    hs->ls.base.ops = &households_ops;
    hs->ls.base.app = a;
    hs->export = (ui_export_job){.kind = &kind_household, .title_key = "households.export_title",
                                 .hint_key = "households.export_hint",
                                 .name_key = "households.export_name",
                                 .name_n_key = "households.export_name_n",
                                 .done_key = "households.exported",
                                 .done_unmasked_key = "households.exported_unmasked"};
    hs->ls.list = list_new(households_cols, sizeof households_cols / sizeof households_cols[0],
                        households_fetch, hs, true, "households.empty");
    if (!hs->ls.list) {
        free(hs);
        return NULL;
    }
    list_set_hint(hs->ls.list, "households.filter_hint");
    return &hs->ls.base;
}

/* ---- members of one household ---- */

typedef struct members_screen {
    list_screen ls;
    int64_t household_id;
    int64_t move_id, move_to;
    char title[256];
} members_screen;

/* The residents columns, with the relation to the head in place of the
 * household number. */
static const list_col members_cols[] = {
    {"residents.col_name", 8, 3},
    {"residents.col_sex", 4, 0},
    {"residents.col_age", 4, 0},
    {"residents.col_id", 18, 0},
    {"residents.col_phone", 11, 0},
    {"residents.col_community", 10, 1},
    {"field.relation", 10, 1},
    {"residents.col_groups", 8, 4},
};

static const keybind members_keys[] = {
    {KEYCODE | KEY_F(7), ACT_MOVE, KB_BAR},
    {KEYCODE | KEY_F(5), ACT_NEW, KB_BAR},
    {KEY_CTRL('n'), ACT_NEW, 0},
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {KEYCODE | KEY_F(8), ACT_DELETE, KB_BAR},
    {KEY_CTRL('d'), ACT_DELETE, 0},
    {0, ACT_NONE, 0},
};

/* A household has a handful of members: one fetch returns them all. */
static ws_status members_fetch(void *ctx, const char *filter, int64_t after, int dir,
                               list_item *items, size_t max, size_t *n)
{
    members_screen *ms = ctx;
    (void)filter;
    *n = 0;
    if (after || dir < 0)
        return WS_OK;
    resident_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = resident_members(app_station(ms->ls.base.app), ms->household_id, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        residents_fill_item(ms->ls.base.app, &rows[i], &items[i]);
        /* The household column shows the relation to the head here. */
        const code_item *rel = codebook_find(station_codes(app_station(ms->ls.base.app)),
                                             "relation", rows[i].relation);
        snprintf(items[i].cells[6], LIST_CELL, "%s", rel ? code_label(rel, 1) : "");
    }
    free(rows);
    return s;
}

static void members_refresh_title(members_screen *ms)
{
    household_row row;
    if (household_row_get(app_station(ms->ls.base.app), ms->household_id, &row) == WS_OK) {
        char what[300];
        snprintf(what, sizeof what, "%s %s", row.number, row.head);
        trf(ms->title, sizeof ms->title, "households.members_title", what);
    }
}

static void members_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((members_screen *)s)->title);
}

static void members_moved(app *a, void *ctx, const list_item *row)
{
    members_screen *ms = ctx;
    field_error fe;
    ws_status s = resident_move(app_station(a), ms->move_id, ms->move_to, row->cells[1], &fe);
    if (s != WS_OK) {
        ui_move_error(a, s, &fe);
        return;
    }
    app_message(a, false, "%s", tr("app.moved"));
    members_refresh_title(ms);
    list_reload(ms->ls.list);
}

static void members_move_to(app *a, void *ctx, const list_item *row)
{
    members_screen *ms = ctx;
    ms->move_to = row->id;
    app_push(a, code_picker_new(a, "relation", tr("residents.relation_title"), members_moved,
                                ms, NULL));
}

static void members_delete_yes(app *a, void *ctx)
{
    members_screen *ms = ctx;
    ws_status s = resident_delete(app_station(a), list_selected_id(ms->ls.list));
    if (s != WS_OK)
        app_status_error(a, s);
    else
        app_message(a, false, "%s", tr("app.deleted"));
    members_refresh_title(ms);
    list_reload(ms->ls.list);
}

static bool members_act(screen *s, action act)
{
    members_screen *ms = (members_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(ms->ls.list);
    switch (act) {
    case ACT_NEW:
        app_push(a, resident_form_new(a, 0, ms->household_id, &ms->ls.saved_id));
        return true;
    case ACT_OPEN:
        if (sel)
            app_push(a, resident_form_new(a, sel->id, 0, &ms->ls.saved_id));
        return true;
    case ACT_MOVE:
        if (sel) {
            ms->move_id = sel->id;
            app_push(a, household_picker_new(a, tr("residents.move_title"), members_move_to, ms));
        }
        return true;
    case ACT_DELETE:
        if (sel) {
            char q[512];
            app_confirm(a, trf(q, sizeof q, "residents.confirm_delete", sel->cells[0]),
                        members_delete_yes, ms);
        }
        return true;
    case ACT_BACK:
        app_pop(a);
        return true;
    case ACT_SEARCH:
        return false;
    default:
        return list_act(ms->ls.list, act);
    }
}

static void members_resume(screen *s)
{
    members_screen *ms = (members_screen *)s;
    members_refresh_title(ms);
    list_reload(ms->ls.list);
}

static const screen_ops members_ops = {
    .keys = members_keys,
    .widget_keys = keys_browse,
    .title = members_title,
    .draw = list_screen_draw,
    .act = members_act,
    .resume = members_resume,
    .destroy = list_screen_destroy,
};

screen *members_screen_new(app *a, int64_t household_id)
{
    members_screen *ms = calloc(1, sizeof *ms);
    if (!ms)
        return NULL;
    ms->ls.base.ops = &members_ops;
    ms->ls.base.app = a;
    ms->household_id = household_id;
    ms->ls.list = list_new(members_cols, sizeof members_cols / sizeof members_cols[0], members_fetch,
                        ms, false, "residents.empty");
    if (!ms->ls.list) {
        free(ms);
        return NULL;
    }
    members_refresh_title(ms);
    return &ms->ls.base;
}
