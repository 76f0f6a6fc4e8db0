/* A volunteer's hours: the ledger's entries newest first, the totals the
 * model sums (lifetime, this year, pending), the star level and the
 * points balance in the title. F5 records service outside an activity,
 * F6 confirms a pending entry, F7 更正 (a reversal and the corrected
 * entry, with a reason: nothing is edited), F4 spends points at the
 * 爱心超市. Each asks in a small form that keeps what was typed when the
 * model refuses it. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/print.h"
#include "wushe/volunteer.h"

#define K(code) (KEYCODE | (code))

typedef struct hours_screen {
    list_screen ls;
    int64_t volunteer_id; /* 0: every volunteer's pending entries */
    bool pending;         /* only the entries waiting for confirmation */
    char name[192];
    volunteer_totals tot;
    int64_t *asked; /* 全部确认: the entries its question counted */
    size_t nasked;
} hours_screen;

static const list_col hours_cols[] = {
    {"hours.col_date", 10, 0},
    {"hours.col_what", 12, 3},
    {"field.attendance_minutes", 10, 0},
    {"hours.col_kind", 4, 0},
    {"hours.col_confirmed", 8, 1},
    {"hours.col_reason", 8, 2},
};

/* Every volunteer's entries waiting for confirmation: who instead of by whom. */
static const list_col pending_cols[] = {
    {"hours.col_date", 10, 0},
    {"hours.col_what", 12, 3},
    {"field.attendance_minutes", 10, 0},
    {"hours.col_recorded", 8, 1},
    {"kind.volunteer", 8, 1},
};

static const keybind hours_keys[] = {
    {K(KEY_F(3)), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {K(KEY_F(5)), ACT_NEW, KB_BAR},
    {KEY_CTRL('n'), ACT_NEW, 0},
    {K(KEY_F(6)), ACT_CONFIRM, KB_BAR},
    {KEY_CTRL('y'), ACT_CONFIRM_ALL, 0},
    {K(KEY_F(7)), ACT_CORRECT, KB_BAR},
    {KEY_CTRL('e'), ACT_CORRECT, 0},
    {K(KEY_F(4)), ACT_SPEND, KB_BAR},
    {K(KEY_F(9)), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {0, ACT_NONE, 0},
};

static const keybind pending_keys[] = {
    {K(KEY_F(3)), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {K(KEY_F(6)), ACT_CONFIRM, KB_BAR},
    {K(KEY_F(7)), ACT_CONFIRM_ALL, KB_BAR},
    {KEY_CTRL('y'), ACT_CONFIRM_ALL, 0},
    {0, ACT_NONE, 0},
};

/* All the volunteer's confirmed service, to today. */
static ws_status hours_print_all(station *st, int64_t volunteer_id, const char *path, int *pages,
                                 char *err, size_t errsz)
{
    char number[48];
    return print_certificate(st, volunteer_id, "", "", path, pages, number, sizeof number, err,
                             errsz);
}

static ws_status hours_fetch(void *ctx, const char *filter, int64_t after, int dir,
                             list_item *items, size_t max, size_t *n)
{
    hours_screen *hs = ctx;
    *n = 0;
    if (dir < 0)
        return WS_OK; /* newest first from the top; PgUp comes back by reloading */
    hour_entry *e = calloc(max ? max : 1, sizeof *e);
    if (!e)
        return WS_ERR_NOMEM;
    station *st = app_station(hs->ls.base.app);
    ws_status s;
    if (hs->pending && !hs->volunteer_id)
        s = hours_find_pending(st, filter, after, e, max, n);
    else if (hs->pending)
        s = hours_list_pending(st, hs->volunteer_id, after, e, max, n);
    else
        s = hours_find(st, hs->volunteer_id, filter, after, e, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = e[i].id;
        snprintf(it->cells[0], LIST_CELL, "%s", e[i].date);
        snprintf(it->cells[1], LIST_CELL, "%s", e[i].description);
        hours_text(e[i].minutes, it->cells[2], LIST_CELL);
        if (hs->pending) {
            snprintf(it->cells[3], LIST_CELL, "%s", e[i].recorded_by);
            snprintf(it->cells[4], LIST_CELL, "%s", e[i].volunteer_name);
            continue;
        }
        char key[32];
        snprintf(key, sizeof key, "hours.kind_%s", e[i].kind);
        snprintf(it->cells[3], LIST_CELL, "%s", tr(key));
        snprintf(it->cells[4], LIST_CELL, "%s", e[i].confirmed_by[0] ? e[i].confirmed_by
                                                                      : tr("hours.pending"));
        snprintf(it->cells[5], LIST_CELL, "%s", e[i].reason);
    }
    free(e);
    return s;
}

static void hours_totals(hours_screen *hs)
{
    if (volunteer_totals_get(app_station(hs->ls.base.app), hs->volunteer_id, "", "",
                             &hs->tot) != WS_OK)
        memset(&hs->tot, 0, sizeof hs->tot);
}

static void hours_title(screen *s, char *out, size_t outsz)
{
    hours_screen *hs = (hours_screen *)s;
    if (hs->pending)
        snprintf(out, outsz, "%s", tr("hours.pending_title"));
    else
        trf(out, outsz, "hours.title", hs->name);
}

/* The totals the model sums, above the entries. */
static void hours_draw(screen *s, int top, int height, int width)
{
    hours_screen *hs = (hours_screen *)s;
    if (hs->pending) {
        draw_text_attr(top, 1, width - 2, tr("hours.pending_hint"), false, A_DIM);
        list_draw(hs->ls.list, top + 1, height - 1, width);
        return;
    }
    char all[64], year[64], pending[64], stars[32] = "", line[512];
    hours_text(hs->tot.minutes, all, sizeof all);
    hours_text(hs->tot.minutes_year, year, sizeof year);
    hours_text(hs->tot.pending_minutes, pending, sizeof pending);
    for (int i = 0; i < hs->tot.stars; i++)
        strcat(stars, "★");
    trf(line, sizeof line, "hours.totals", all, year, pending,
        stars[0] ? stars : tr("hours.no_star"), (long long)hs->tot.points);
    draw_text_attr(top, 1, width - 2, line, false, A_BOLD);
    list_draw(hs->ls.list, top + 1, height - 1, width);
}

static void hours_changed(hours_screen *hs, const char *msg)
{
    hours_totals(hs);
    list_reload(hs->ls.list);
    app_message(hs->ls.base.app, false, "%s", msg);
}

/* ---- the small forms: new entry, 更正, spending points ---- */

typedef enum { LF_NEW, LF_CORRECT, LF_SPEND } ledger_form_kind;

enum { LX_DATE = HEF_DATE, LX_MINUTES = HEF_MINUTES, LX_WHAT = HEF_DESCRIPTION,
       LX_REASON = HEF_REASON, LX_POINTS = HEF_POINTS, LX_FAMILY = HEF_FAMILY };

static const form_field_def new_fields[] = {
    {LX_DATE, "hours.f_date", FT_DATE, 10, NULL},
    {LX_MINUTES, "hours.f_minutes", FT_TEXT, 8, NULL},
    {LX_WHAT, "hours.f_what", FT_TEXT, 80, NULL},
};
static const form_field_def correct_fields[] = {
    {LX_MINUTES, "hours.f_corrected", FT_TEXT, 8, NULL},
    {LX_REASON, "hours.f_reason", FT_TEXT, 80, NULL},
};
static const form_field_def spend_fields[] = {
    {LX_POINTS, "hours.f_points", FT_TEXT, 8, NULL},
    {LX_WHAT, "hours.f_for", FT_TEXT, 80, NULL},
    {LX_FAMILY, "hours.f_family", FT_REF, 0, NULL},
};

typedef struct ledger_form {
    form_screen fs;
    hours_screen *hs;
    ledger_form_kind kind;
    int64_t entry_id; /* LF_CORRECT */
} ledger_form;

static void ledger_form_title(screen *s, char *out, size_t outsz)
{
    ledger_form *lf = (ledger_form *)s;
    static const char *const keys[] = {"hours.new_title", "hours.correct_title",
                                       "hours.spend_title"};
    trf(out, outsz, keys[lf->kind], lf->hs->name);
}

static void ledger_form_draw(screen *s, int top, int height, int width)
{
    ledger_form *lf = (ledger_form *)s;
    int y = form_draw(lf->fs.form, top + 1, height - 2, width) + 1;
    static const char *const hints[] = {"hours.new_hint", "hours.correct_hint",
                                        "hours.spend_hint"};
    draw_text_attr(y, 1, width - 2, tr(hints[lf->kind]), false, A_DIM);
    form_draw_error(lf->fs.form, top + height - 1, width);
}

/* Minutes as typed ("90", "1:30"); -1 when not a number. */
static int64_t typed_minutes(const char *t)
{
    long long h = 0, m = 0;
    char tail;
    if (sscanf(t, "%lld:%lld%c", &h, &m, &tail) == 2 && h >= 0 && m >= 0 && m < 60)
        return h * 60 + m;
    if (sscanf(t, "%lld%c", &m, &tail) == 1)
        return m; /* negative too: the model says why not */
    return -1;
}

static void ledger_form_save(ledger_form *lf)
{
    app *a = lf->fs.base.app;
    station *st = app_station(a);
    form_widget *f = lf->fs.form;
    form_clear_errors(f);
    if (!form_check(f))
        return;
    record_error re = {.field = -1};
    ws_status s;
    const char *done = "app.saved";
    if (lf->kind == LF_SPEND) {
        int64_t pts = typed_minutes(form_text(f, LX_POINTS));
        if (pts == -1 && strchr(form_text(f, LX_POINTS), ':') == NULL &&
            *form_text(f, LX_POINTS) != '-') {
            form_set_error(f, LX_POINTS, tr("valid.number"));
            return;
        }
        s = points_spend(st, lf->hs->volunteer_id, pts, form_ref(f, LX_FAMILY),
                         form_text(f, LX_WHAT), &re, NULL);
        done = "hours.spent";
    } else {
        int64_t m = typed_minutes(form_text(f, LX_MINUTES));
        if (m == -1 && *form_text(f, LX_MINUTES) != '-') {
            form_set_error(f, LX_MINUTES, tr("valid.number"));
            return;
        }
        if (lf->kind == LF_NEW) {
            hour_entry e = {.volunteer_id = lf->hs->volunteer_id, .minutes = m};
            snprintf(e.date, sizeof e.date, "%s", form_text(f, LX_DATE));
            snprintf(e.description, sizeof e.description, "%s", form_text(f, LX_WHAT));
            s = hours_add(st, &e, &re, NULL);
        } else {
            s = hours_correct(st, lf->entry_id, m, form_text(f, LX_REASON), &re, NULL);
            done = "hours.corrected";
        }
    }
    char msg[512];
    if (s == WS_ERR_INVALID && re.field >= 0 && re.field != HEF_VOLUNTEER &&
        re.field != HEF_SESSION) {
        form_set_error(f, re.field, record_error_reason(&re, msg, sizeof msg));
    } else if (s == WS_ERR_INVALID) {
        app_message(a, true, "%s", record_error_reason(&re, msg, sizeof msg));
    } else if (s != WS_OK) {
        app_status_error(a, s);
    } else {
        hours_screen *hs = lf->hs;
        app_pop(a);
        hours_changed(hs, tr(done));
    }
}

/* Points given to a family member on the register instead of spent. */
static void ledger_form_family(app *a, void *ctx, const list_item *row)
{
    (void)a;
    ledger_form *lf = ctx;
    form_set_ref(lf->fs.form, LX_FAMILY, row->id, row->cells[0]);
    form_mark_dirty(lf->fs.form);
}

/* Backspace or Delete on the family member: spent, not given. */
static bool ledger_form_key(screen *s, int key)
{
    ledger_form *lf = (ledger_form *)s;
    bool erase = key == (KEYCODE | KEY_BACKSPACE) || key == 127 || key == 8 ||
                 key == (KEYCODE | KEY_DC);
    if (erase && form_focus_type(lf->fs.form) == FT_REF) {
        form_set_ref(lf->fs.form, form_focus_id(lf->fs.form), 0, tr("hours.no_family"));
        form_mark_dirty(lf->fs.form);
        return true;
    }
    return form_screen_key(s, key);
}

static bool ledger_form_act(screen *s, action act)
{
    ledger_form *lf = (ledger_form *)s;
    switch (act) {
    case ACT_SAVE:
        ledger_form_save(lf);
        return true;
    case ACT_PICK:
        if (lf->kind == LF_SPEND && form_focus_id(lf->fs.form) == LX_FAMILY)
            app_push(s->app, resident_picker_new(s->app, tr("hours.f_family"),
                                                 ledger_form_family, lf));
        else
            form_act(lf->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(lf->fs.form, act);
    }
}

static void ledger_form_destroy(screen *s)
{
    ledger_form *lf = (ledger_form *)s;
    form_free(&lf->fs.form);
    free(lf);
}

static access_perm ledger_form_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_SAVE ? PERM_VOLUNTEER_WRITE : action_perm(act);
}

static const screen_ops ledger_form_ops = {
    .perm = ledger_form_perm,
    .widget_keys = keys_form,
    .title = ledger_form_title,
    .draw = ledger_form_draw,
    .act = ledger_form_act,
    .key = ledger_form_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = ledger_form_destroy,
};

static screen *ledger_form_new(hours_screen *hs, ledger_form_kind kind, int64_t entry_id)
{
    ledger_form *lf = calloc(1, sizeof *lf);
    if (!lf)
        return NULL;
    lf->fs.base.ops = &ledger_form_ops;
    lf->fs.base.app = hs->ls.base.app;
    lf->hs = hs;
    lf->kind = kind;
    lf->entry_id = entry_id;
    const form_field_def *defs = kind == LF_NEW ? new_fields
                                 : kind == LF_CORRECT ? correct_fields : spend_fields;
    size_t n = kind == LF_CORRECT ? 2 : 3;
    lf->fs.form = form_new(defs, n);
    if (!lf->fs.form) {
        free(lf);
        return NULL;
    }
    if (kind == LF_NEW)
        form_set_text(lf->fs.form, LX_DATE, app_today(hs->ls.base.app));
    if (kind == LF_SPEND)
        form_set_ref(lf->fs.form, LX_FAMILY, 0, tr("hours.no_family"));
    form_set_clean(lf->fs.form);
    return &lf->fs.base;
}

/* ---- the ledger list ---- */

/* A refusal: the rule's reason, else the status's message. */
static void hours_report(app *a, ws_status s, const record_error *re)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", record_error_reason(re, msg, sizeof msg));
    else
        app_status_error(a, s);
}

static void hours_confirm_yes(app *a, void *ctx)
{
    hours_screen *hs = ctx;
    record_error re;
    ws_status s = hours_confirm(app_station(a), list_selected_id(hs->ls.list), &re);
    if (s != WS_OK)
        hours_report(a, s, &re);
    else
        hours_changed(hs, tr("hours.confirmed"));
}

/* Exactly the entries the question counted: one another console adds
 * meanwhile is not confirmed unseen. */
static void hours_confirm_all_yes(app *a, void *ctx)
{
    hours_screen *hs = ctx;
    record_error re;
    size_t n = 0;
    ws_status s = hours_confirm_ids(app_station(a), hs->asked, hs->nasked, &n, &re);
    size_t asked = hs->nasked;
    free(hs->asked);
    hs->asked = NULL;
    hs->nasked = 0;
    char msg[512];
    if (s != WS_OK)
        hours_report(a, s, &re);
    else if (n < asked)
        hours_changed(hs, trf(msg, sizeof msg, "hours.confirmed_some", n, asked - n));
    else
        hours_changed(hs, trf(msg, sizeof msg, "hours.confirmed_all", n));
}

/* F7: what 全部确认 takes now, counted in its question; nothing to ask
 * when there is nothing. */
static void hours_confirm_all_ask(hours_screen *hs)
{
    app *a = hs->ls.base.app;
    const char *found = hs->volunteer_id ? "" : list_filter(hs->ls.list);
    free(hs->asked);
    hs->asked = NULL;
    hs->nasked = 0;
    ws_status s = hours_pending_ids(app_station(a), hs->volunteer_id, found, &hs->asked,
                                    &hs->nasked);
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    if (hs->nasked == 0) {
        app_message(a, false, "%s", tr("hours.nothing_to_confirm"));
        return;
    }
    char q[512];
    if (found && *found)
        trf(q, sizeof q, "hours.confirm_found_q", found, hs->nasked);
    else
        trf(q, sizeof q, hs->volunteer_id ? "hours.confirm_all_one_q" : "hours.confirm_all_q",
            hs->nasked);
    app_confirm(a, q, hours_confirm_all_yes, hs);
}

static bool hours_act(screen *s, action act)
{
    hours_screen *hs = (hours_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(hs->ls.list);
    char q[512];
    switch (act) {
    case ACT_NEW:
        app_push(a, ledger_form_new(hs, LF_NEW, 0));
        return true;
    case ACT_CORRECT:
        if (sel) {
            /* Refused before a word is typed when it cannot be corrected. */
            record_error re;
            ws_status s = hours_may_correct(app_station(a), sel->id, &re);
            if (s == WS_OK)
                app_push(a, ledger_form_new(hs, LF_CORRECT, sel->id));
            else
                hours_report(a, s, &re);
        }
        return true;
    case ACT_SPEND:
        app_push(a, ledger_form_new(hs, LF_SPEND, 0));
        return true;
    case ACT_CONFIRM:
        if (sel)
            app_confirm(a, hs->pending ? trf(q, sizeof q, "hours.confirm_whose_q", sel->cells[4],
                                             sel->cells[0], sel->cells[1], sel->cells[2])
                                       : trf(q, sizeof q, "hours.confirm_q", sel->cells[0],
                                             sel->cells[2]),
                        hours_confirm_yes, hs);
        return true;
    case ACT_CONFIRM_ALL:
        hours_confirm_all_ask(hs);
        return true;
    case ACT_PRINT:
        ui_print_ask(a, "print.cert_title", hs->name, hours_print_all, hs->volunteer_id);
        return true;
    case ACT_BACK:
        return list_screen_back(s); /* a search is cleared first */
    default:
        return list_act(hs->ls.list, act);
    }
}

static access_perm hours_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_NEW || act == ACT_CORRECT ? PERM_VOLUNTEER_WRITE : action_perm(act);
}

static void hours_destroy(screen *s)
{
    free(((hours_screen *)s)->asked);
    list_screen_destroy(s);
}

static const screen_ops hours_ops = {
    .perm = hours_perm,
    .keys = hours_keys,
    .widget_keys = keys_browse,
    .title = hours_title,
    .draw = hours_draw,
    .act = hours_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = list_screen_resume,
    .destroy = hours_destroy,
};

static const screen_ops pending_ops = {
    .perm = hours_perm,
    .keys = pending_keys,
    .widget_keys = keys_browse,
    .title = hours_title,
    .draw = hours_draw,
    .act = hours_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = list_screen_resume,
    .destroy = hours_destroy,
};

static screen *hours_screen_make(app *a, int64_t volunteer_id, const char *name, bool pending)
{
    hours_screen *hs = calloc(1, sizeof *hs);
    if (!hs)
        return NULL;
    hs->ls.base.ops = pending ? &pending_ops : &hours_ops;
    hs->ls.base.app = a;
    hs->volunteer_id = volunteer_id;
    hs->pending = pending;
    snprintf(hs->name, sizeof hs->name, "%s", name ? name : "");
    if (!pending)
        hours_totals(hs);
    hs->ls.list = pending ? list_new(pending_cols, sizeof pending_cols / sizeof *pending_cols,
                                     hours_fetch, hs, volunteer_id == 0, "hours.pending_empty")
                          : list_new(hours_cols, sizeof hours_cols / sizeof *hours_cols,
                                     hours_fetch, hs, true, "hours.empty");
    if (!hs->ls.list) {
        free(hs);
        return NULL;
    }
    list_set_hint(hs->ls.list, pending ? "hours.pending_filter_hint" : "hours.filter_hint");
    list_set_no_match(hs->ls.list, "list.no_match");
    return &hs->ls.base;
}

screen *hours_screen_new(app *a, int64_t volunteer_id, const char *name)
{
    return hours_screen_make(a, volunteer_id, name, false);
}

screen *hours_pending_screen_new(app *a)
{
    return hours_screen_make(a, 0, "", true);
}

/* ---- 积分明细: every movement of a volunteer's points ---- */

typedef struct points_of {
    app *a;
    int64_t volunteer_id;
} points_of;

static const list_col points_cols[] = {
    {"hours.col_date", 10, 0},   {"hours.col_points", 6, 0}, {"hours.col_movement", 8, 0},
    {"hours.col_points_what", 12, 3}, {"hours.col_recorded", 8, 1},
};

static ws_status points_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    points_of *of = ctx;
    (void)filter;
    *n = 0;
    if (dir < 0)
        return WS_OK; /* newest first from the top */
    points_move *m = calloc(max ? max : 1, sizeof *m);
    if (!m)
        return WS_ERR_NOMEM;
    ws_status s = points_list(app_station(of->a), of->volunteer_id, after, m, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = m[i].id;
        char key[48];
        snprintf(it->cells[0], LIST_CELL, "%s", m[i].date);
        snprintf(it->cells[1], LIST_CELL, "%+lld", (long long)m[i].points);
        snprintf(key, sizeof key, "hours.points_%s", m[i].movement);
        snprintf(it->cells[2], LIST_CELL, "%s", tr(key));
        if (m[i].family[0])
            trf(it->cells[3], LIST_CELL, "hours.points_for", m[i].family, m[i].what);
        else
            snprintf(it->cells[3], LIST_CELL, "%s", m[i].what);
        snprintf(it->cells[4], LIST_CELL, "%s", m[i].recorded_by);
    }
    free(m);
    return s;
}

void points_screen_open(app *a, int64_t volunteer_id, const char *name)
{
    points_of *of = calloc(1, sizeof *of);
    if (!of)
        return;
    of->a = a;
    of->volunteer_id = volunteer_id;
    char title[256];
    trf(title, sizeof title, "hours.points_title", name);
    screen *p = picker_screen_new(a, title, points_cols, sizeof points_cols / sizeof *points_cols,
                                  points_fetch, of, free, NULL, NULL, NULL);
    if (p)
        app_push(a, p);
}
