/* The roster of one session, to key back a paper sign-in sheet: one line
 * per volunteer and resident expected, one key per line (1 出席, 2 迟到,
 * 3 缺席, 4 请假, 0 clears), the cursor moving down after each; F5 adds a
 * resident from the register's search, F6 a volunteer, F7 records the
 * hours of the volunteers who came (the ledger's, once). No search box:
 * the digits are the marks, and the sheet is read top to bottom. Enter
 * opens a line's record (a volunteer's own minutes, a note). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/print.h"
#include "wushe/volunteer.h"

#define K(code) (KEYCODE | (code))
#define ROSTER_MAX 2000

typedef struct roster_screen {
    list_screen ls;
    int64_t session_id;
    char title[512];
    roster_line *lines;
    size_t n;
} roster_screen;

static const list_col roster_cols[] = {
    {"roster.col_kind", 6, 0},
    {"field.name", 8, 2},
    {"roster.col_detail", 19, 1},
    {"field.attendance_mark", 4, 0},
    {"field.attendance_minutes", 10, 0},
};

static const keybind roster_keys[] = {
    {'1', ACT_MARK_PRESENT, KB_LETTER | KB_BAR},
    {'2', ACT_MARK_LATE, KB_LETTER | KB_BAR},
    {'3', ACT_MARK_ABSENT, KB_LETTER | KB_BAR},
    {'4', ACT_MARK_EXCUSED, KB_LETTER | KB_BAR},
    {'0', ACT_MARK_CLEAR, KB_LETTER},
    {K(KEY_F(5)), ACT_ADD_RESIDENT, KB_BAR},
    {K(KEY_F(6)), ACT_ADD_VOLUNTEER, KB_BAR},
    {K(KEY_F(7)), ACT_POST_HOURS, KB_BAR},
    {K(KEY_F(8)), ACT_DELETE, KB_BAR},
    {K(KEY_F(9)), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {'\r', ACT_OPEN, 0},
    {'\n', ACT_OPEN, 0},
    {K(KEY_ENTER), ACT_OPEN, 0},
    {0, ACT_NONE, 0},
};


static void roster_load(roster_screen *rs)
{
    size_t n = 0;
    ws_status s = roster_list(app_station(rs->ls.base.app), rs->session_id, rs->lines,
                              ROSTER_MAX, &n);
    rs->n = s == WS_OK ? n : 0;
    if (s != WS_OK)
        app_status_error(rs->ls.base.app, s);
}

static void roster_fill(roster_screen *rs, const roster_line *l, list_item *it)
{
    station *st = app_station(rs->ls.base.app);
    memset(it, 0, sizeof *it);
    it->id = l->id;
    snprintf(it->cells[0], LIST_CELL, "%s", tr(l->is_volunteer ? "kind.volunteer"
                                                               : "kind.resident"));
    snprintf(it->cells[1], LIST_CELL, "%s", l->name);
    snprintf(it->cells[2], LIST_CELL, "%s", l->detail);
    const code_item *m = l->mark[0] ? codebook_find(station_codes(st), "attendance_mark",
                                                    l->mark)
                                    : NULL;
    snprintf(it->cells[3], LIST_CELL, "%s", m ? code_label(m, 1) : "");
    if (l->is_volunteer && l->minutes)
        hours_text(l->minutes, it->cells[4], LIST_CELL);
}

/* The lines are few (a sheet): held whole, paged by their position. */
static ws_status roster_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    roster_screen *rs = ctx;
    (void)filter;
    *n = 0;
    long at = dir > 0 ? -1 : (long)rs->n;
    for (size_t i = 0; after && i < rs->n; i++)
        if (rs->lines[i].id == after)
            at = (long)i;
    for (long i = at + dir; i >= 0 && (size_t)i < rs->n && *n < max; i += dir)
        roster_fill(rs, &rs->lines[i], &items[(*n)++]);
    return WS_OK;
}

static const roster_line *roster_selected(roster_screen *rs)
{
    int64_t id = list_selected_id(rs->ls.list);
    for (size_t i = 0; id && i < rs->n; i++)
        if (rs->lines[i].id == id)
            return &rs->lines[i];
    return NULL;
}

static void roster_title(screen *s, char *out, size_t outsz)
{
    roster_screen *rs = (roster_screen *)s;
    size_t came = 0;
    for (size_t i = 0; i < rs->n; i++)
        came += strcmp(rs->lines[i].mark, "present") == 0 || strcmp(rs->lines[i].mark, "late") == 0;
    trf(out, outsz, "roster.title", rs->title, (long long)came, (long long)rs->n);
}

static void roster_report(app *a, ws_status s, const record_error *re, const record_kind *k)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", record_error_text(k, re, msg, sizeof msg));
    else
        app_status_error(a, s);
}

static void roster_mark_line(roster_screen *rs, const char *mark)
{
    const roster_line *l = roster_selected(rs);
    if (!l)
        return;
    record_error re;
    ws_status s = roster_mark(app_station(rs->ls.base.app), l, mark, &re);
    if (s == WS_ERR_STALE) {
        /* Someone else marked it since the sheet was read: show theirs. */
        char msg[512];
        app_message(rs->ls.base.app, true, "%s", trf(msg, sizeof msg, "roster.stale", re.detail));
        roster_load(rs);
        list_reload(rs->ls.list);
        return;
    }
    if (s != WS_OK) {
        roster_report(rs->ls.base.app, s, &re,
                      l->is_volunteer ? &kind_service : &kind_attendance);
        return;
    }
    roster_load(rs);
    list_reload(rs->ls.list);
    list_act(rs->ls.list, ACT_DOWN); /* the next line of the sheet */
}

static void roster_added(roster_screen *rs, bool volunteer, const list_item *row)
{
    record_error re;
    app *a = rs->ls.base.app;
    ws_status s = roster_add(app_station(a), rs->session_id, volunteer, row->id, &re);
    if (s != WS_OK) {
        roster_report(a, s, &re, volunteer ? &kind_service : &kind_attendance);
        return;
    }
    roster_load(rs);
    /* The new line under the cursor (the picker may close before or after). */
    for (size_t i = 0; i < rs->n; i++)
        if (rs->lines[i].person_id == row->id && rs->lines[i].is_volunteer == volunteer)
            rs->ls.saved_id = rs->lines[i].id;
    list_goto(rs->ls.list, rs->ls.saved_id);
}

static void roster_picked_resident(app *a, void *ctx, const list_item *row)
{
    (void)a;
    roster_added(ctx, false, row);
}

static void roster_picked_volunteer(app *a, void *ctx, const list_item *row)
{
    (void)a;
    roster_added(ctx, true, row);
}

static void roster_remove_yes(app *a, void *ctx)
{
    roster_screen *rs = ctx;
    const roster_line *l = roster_selected(rs);
    if (!l)
        return;
    record_error re;
    const record_kind *k = l->is_volunteer ? &kind_service : &kind_attendance;
    ws_status s = record_delete(app_station(a), k, l->id, &re);
    if (s != WS_OK) {
        roster_report(a, s, &re, k);
        return;
    }
    app_message(a, false, "%s", tr("app.deleted"));
    roster_load(rs);
    list_reload(rs->ls.list);
}

static bool roster_act(screen *s, action act)
{
    roster_screen *rs = (roster_screen *)s;
    app *a = s->app;
    char q[512];
    switch (act) {
    case ACT_MARK_PRESENT:
        roster_mark_line(rs, "present");
        return true;
    case ACT_MARK_LATE:
        roster_mark_line(rs, "late");
        return true;
    case ACT_MARK_ABSENT:
        roster_mark_line(rs, "absent");
        return true;
    case ACT_MARK_EXCUSED:
        roster_mark_line(rs, "excused");
        return true;
    case ACT_MARK_CLEAR:
        roster_mark_line(rs, "");
        return true;
    case ACT_ADD_RESIDENT:
        app_push(a, resident_picker_new(a, tr("roster.add_resident"), roster_picked_resident, rs));
        return true;
    case ACT_ADD_VOLUNTEER:
        app_push(a, kind_picker_new(a, &kind_volunteer, roster_picked_volunteer, rs));
        return true;
    case ACT_POST_HOURS: {
        size_t posted = 0, skipped = 0;
        record_error why;
        ws_status st = hours_post_session(app_station(a), rs->session_id, &posted, &skipped,
                                          &why);
        char reason[256];
        if (st != WS_OK)
            app_status_error(a, st);
        else if (skipped)
            app_message(a, true, "%s",
                        trf(q, sizeof q, "roster.posted_skipped", posted, skipped,
                            record_error_reason(&why, reason, sizeof reason)));
        else
            app_message(a, false, "%s", trf(q, sizeof q, "roster.posted", posted));
        return true;
    }
    case ACT_DELETE: {
        const roster_line *l = roster_selected(rs);
        if (l)
            app_confirm(a, trf(q, sizeof q, "roster.confirm_remove", l->name), roster_remove_yes,
                        rs);
        return true;
    }
    case ACT_OPEN: {
        /* The line's record: a volunteer's minutes, a note; the session
         * is the sheet's. */
        const roster_line *l = roster_selected(rs);
        if (l) {
            record_parent parent = {.field = l->is_volunteer ? VSV_SESSION : ATF_SESSION,
                                    .id = rs->session_id};
            rs->ls.saved_id = 0;
            app_push(a, kind_form_of(a, l->is_volunteer ? &kind_service : &kind_attendance,
                                     l->id, &rs->ls.saved_id, &parent));
        }
        return true;
    }
    case ACT_PRINT: {
        /* The session's date and times name the file. */
        char name[600];
        snprintf(name, sizeof name, "%s", rs->title);
        for (char *p = name; *p; p++)
            if (*p == ' ' || *p == ':')
                *p = '_';
        ui_print_ask(a, "print.signin_title", name, print_signin, rs->session_id);
        return true;
    }
    case ACT_BACK:
        app_pop(a);
        return true;
    default:
        return list_act(rs->ls.list, act);
    }
}

/* Back from a line's form: the sheet as it is now. */
static void roster_resume(screen *s)
{
    roster_load((roster_screen *)s);
    list_screen_resume(s);
}

static void roster_destroy(screen *s)
{
    roster_screen *rs = (roster_screen *)s;
    free(rs->lines);
    list_screen_destroy(s);
}

/* Deleting a line is writing the roster. */
static access_perm roster_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_DELETE ? PERM_VOLUNTEER_WRITE : action_perm(act);
}

static const screen_ops roster_ops = {
    .perm = roster_perm,
    .keys = roster_keys,
    .widget_keys = keys_browse,
    .title = roster_title,
    .draw = list_screen_draw,
    .act = roster_act,
    .resume = roster_resume,
    .destroy = roster_destroy,
};

screen *roster_screen_new(app *a, int64_t session_id, const char *title)
{
    roster_screen *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->lines = calloc(ROSTER_MAX, sizeof *rs->lines);
    rs->ls.base.ops = &roster_ops;
    rs->ls.base.app = a;
    rs->session_id = session_id;
    snprintf(rs->title, sizeof rs->title, "%s", title ? title : "");
    if (rs->lines)
        roster_load(rs);
    rs->ls.list = rs->lines ? list_new(roster_cols, sizeof roster_cols / sizeof *roster_cols,
                                       roster_fetch, rs, false, "roster.empty")
                            : NULL;
    if (!rs->ls.list) {
        free(rs->lines);
        free(rs);
        return NULL;
    }
    return &rs->ls.base;
}
