/* 2 个案与走访: the module's hub, the due-visits list (应访名单), and what
 * the declared kinds' lists add for casework: moving a case through its
 * stages, its parts, opening a case from a visit, referring. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/print.h"
#include "wushe/record.h"

/* The move waiting for its reason (one prompt at a time on one console). */
static struct {
    screen *list;
    int64_t id;
    case_move move;
} casework_pending;

static void casework_report(app *a, const record_kind *k, ws_status s, const record_error *re)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", record_error_text(k, re, msg, sizeof msg));
    else if (s == WS_ERR_STALE)
        app_message(a, true, "%s", trf(msg, sizeof msg, "record.stale", re->detail));
    else
        app_status_error(a, s);
}

/* ---- moving a case ---- */

static void case_move_run(app *a, const char *reason)
{
    record_error re;
    ws_status s = case_move_do(app_station(a), casework_pending.id, 0, casework_pending.move,
                               reason, &re);
    if (s == WS_OK)
        kind_list_changed(casework_pending.list, "case.moved");
    else
        casework_report(a, &kind_case, s, &re);
}

static void case_move_reason(app *a, void *ctx, const char *text)
{
    (void)ctx;
    case_move_run(a, text);
}

static void case_move_chosen(app *a, void *ctx, const list_item *row)
{
    (void)ctx;
    casework_pending.move = (case_move)atoi(row->cells[1]);
    if (!case_move_needs_reason(casework_pending.move)) {
        case_move_run(a, NULL);
        return;
    }
    screen *ask = prompt_screen_new(a, tr(case_move_key(casework_pending.move)),
                                    tr("case.reason"), tr("case.reason_hint"), "",
                                    case_move_reason, NULL);
    if (ask)
        prompt_screen_set_text(ask);
    app_push(a, ask);
}

typedef struct move_rows {
    app *a;
    int64_t id;
} move_rows;

static ws_status case_moves_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                  list_item *items, size_t max, size_t *n)
{
    move_rows *m = ctx;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    for (int mv = 0; mv < CASE_MOVE_COUNT && *n < max; mv++) {
        if (!case_move_allowed(app_station(m->a), m->id, (case_move)mv))
            continue;
        const char *label = tr(case_move_key((case_move)mv));
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = mv + 1;
        snprintf(it->cells[0], LIST_CELL, "%s", label);
        snprintf(it->cells[1], LIST_CELL, "%d", mv);
    }
    return WS_OK;
}

static const list_col casework_one_col[] = {{"case.col_what", 20, 1}};

static void case_moves_open(screen *list, int64_t id, const char *number)
{
    app *a = list->app;
    move_rows *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->a = a;
    m->id = id;
    casework_pending.list = list;
    casework_pending.id = id;
    char title[256];
    trf(title, sizeof title, "case.moves_title", number);
    screen *p = live_picker_new(a, title, casework_one_col, 1, case_moves_fetch, m, free,
                                case_move_chosen, NULL);
    if (p)
        app_push(a, p);
}

/* ---- a case's parts ---- */

/* A goal's tasks: F6 in a case's goals. */
static const keybind goals_keys[] = {
    {KEYCODE | KEY_F(6), ACT_CASE_PARTS, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool goals_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_CASE_PARTS)
        return false;
    if (sel) {
        record_parent parent = {.field = CTF_GOAL, .id = sel->id};
        app_push(s->app, kind_list_screen_in(s->app, &kind_case_task, false, &parent,
                                             sel->cells[0]));
    }
    return true;
}

static const kind_list_ext goals_ext = {.keys = goals_keys, .act = goals_act};

/* Whose stage history a list shows. */
typedef struct transitions_of {
    app *a;
    int64_t case_id;
} transitions_of;

static ws_status transitions_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                   list_item *items, size_t max, size_t *n)
{
    transitions_of *of = ctx;
    app *a = of->a;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    case_transition *t = calloc(max ? max : 1, sizeof *t);
    if (!t)
        return WS_ERR_NOMEM;
    size_t got = 0;
    ws_status s = case_transitions(app_station(a), of->case_id, t, max, &got);
    const codebook *cb = station_codes(app_station(a));
    for (size_t i = 0; s == WS_OK && i < got; i++) {
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = (int64_t)i + 1;
        const code_item *fs = codebook_find(cb, "case_stage", t[i].from_stage);
        const code_item *ts = codebook_find(cb, "case_stage", t[i].to_stage);
        const code_item *fu = codebook_find(cb, "case_status", t[i].from_status);
        const code_item *tu = codebook_find(cb, "case_status", t[i].to_status);
        snprintf(it->cells[0], LIST_CELL, "%s", t[i].at);
        snprintf(it->cells[1], LIST_CELL, "%s", t[i].who);
        snprintf(it->cells[2], LIST_CELL, "%s%s%s/%s", fs ? code_label(fs, 1) : "",
                 fs ? " → " : "", ts ? code_label(ts, 1) : "", tu ? code_label(tu, 1) : "");
        if (fu && tu && fu == tu)
            snprintf(it->cells[2], LIST_CELL, "%s → %s", fs ? code_label(fs, 1) : "",
                     ts ? code_label(ts, 1) : "");
        snprintf(it->cells[3], LIST_CELL, "%s", t[i].reason);
    }
    if (s == WS_OK)
        *n = got;
    free(t);
    return s;
}

static const list_col transition_cols[] = {
    {"case.col_at", 16, 0}, {"case.col_who", 8, 0}, {"case.col_move", 14, 1},
    {"case.col_reason", 12, 3},
};

/* The stage history: a list of its own, not a kind. */
static void transitions_open(app *a, int64_t case_id, const char *number)
{
    transitions_of *of = calloc(1, sizeof *of);
    if (!of)
        return;
    of->a = a;
    of->case_id = case_id;
    char title[256];
    trf(title, sizeof title, "case.transitions_title", number);
    screen *p = live_picker_new(a, title, transition_cols, 4, transitions_fetch, of, free,
                                NULL, NULL);
    if (p)
        app_push(a, p);
}

static const kind_part case_parts[] = {
    {"kind.case_need", &kind_case_need, CNF_CASE, NULL, NULL},
    {"kind.case_goal", &kind_case_goal, CGF_CASE, &goals_ext, NULL},
    {"kind.case_service", &kind_case_service, SVF_CASE, NULL, NULL},
    {"kind.referral", &kind_referral, RFF_CASE, NULL, NULL},
    {"kind.case_coworker", &kind_case_coworker, CCF_CASE, NULL, NULL},
    {"case.transitions", NULL, 0, NULL, transitions_open},
};

static void case_parts_open(app *a, int64_t id, const char *number)
{
    kind_parts_open(a, "case.parts_title", case_parts, sizeof case_parts / sizeof *case_parts,
                    id, number);
}

/* A referral of the person, from a case (case_id) or a visit. */
static void casework_refer(app *a, int64_t resident_id, int64_t case_id)
{
    referral r;
    referral_init(app_station(a), &r, resident_id, case_id);
    screen *f = kind_form_with(a, &kind_referral, &r, NULL);
    if (f)
        app_push(a, f);
}

/* ---- the cases list ---- */

static const keybind cases_keys[] = {
    {KEYCODE | KEY_F(4), ACT_CASE_MOVE, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_CASE_PARTS, KB_BAR},
    {KEYCODE | KEY_F(7), ACT_REFER, KB_BAR},
    {KEYCODE | KEY_F(9), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool cases_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    switch (act) {
    case ACT_CASE_MOVE:
        if (sel)
            case_moves_open(s, sel->id, sel->cells[0]);
        return true;
    case ACT_CASE_PARTS:
        if (sel)
            case_parts_open(a, sel->id, sel->cells[0]);
        return true;
    case ACT_REFER:
        if (sel)
            casework_refer(a, 0, sel->id);
        return true;
    case ACT_PRINT:
        if (sel)
            ui_print_ask(a, "print.case_title", sel->cells[0], print_case, sel->id);
        return true;
    default:
        return false;
    }
}

static const kind_list_ext cases_ext = {.keys = cases_keys, .act = cases_act};

screen *cases_screen_new(app *a)
{
    return kind_list_screen_ext(a, &kind_case, &cases_ext);
}

/* ---- the visits list ---- */

static const keybind visits_keys[] = {
    {KEYCODE | KEY_F(4), ACT_OPEN_CASE, KB_BAR},
    {KEYCODE | KEY_F(7), ACT_REFER, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool visits_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    switch (act) {
    case ACT_OPEN_CASE: {
        if (!sel)
            return true;
        casefile *c = malloc(sizeof *c);
        ws_status st = c ? case_init_from_visit(app_station(a), c, sel->id) : WS_ERR_NOMEM;
        if (st == WS_OK) {
            screen *f = kind_form_with(a, &kind_case, c, NULL);
            if (f)
                app_push(a, f);
        } else {
            app_status_error(a, st);
        }
        free(c);
        return true;
    }
    case ACT_REFER: {
        if (!sel)
            return true;
        visit v;
        ws_status st = record_load(app_station(a), &kind_visit, sel->id, &v);
        if (st == WS_OK)
            casework_refer(a, v.resident_id, 0);
        else
            app_status_error(a, st);
        return true;
    }
    default:
        return false;
    }
}

static const kind_list_ext visits_ext = {.keys = visits_keys, .act = visits_act};

/* ---- the referrals list ---- */

static const keybind referrals_keys[] = {
    {KEYCODE | KEY_F(9), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool referrals_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_PRINT)
        return false;
    if (sel)
        ui_print_ask(s->app, "print.referral_title", sel->cells[0], print_referral, sel->id);
    return true;
}

static const kind_list_ext referrals_ext = {.keys = referrals_keys, .act = referrals_act};

screen *visits_screen_new(app *a)
{
    return kind_list_screen_ext(a, &kind_visit, &visits_ext);
}

/* A new visit or case of one resident (from the residents list). */
void casework_new_visit(app *a, int64_t resident_id)
{
    visit v;
    visit_init(app_station(a), &v, resident_id);
    screen *f = kind_form_with(a, &kind_visit, &v, NULL);
    if (f)
        app_push(a, f);
}

void casework_new_case(app *a, int64_t resident_id)
{
    casefile *c = malloc(sizeof *c);
    if (!c)
        return;
    case_init(app_station(a), c, resident_id);
    screen *f = kind_form_with(a, &kind_case, c, NULL);
    free(c);
    if (f)
        app_push(a, f);
}

/* ---- the due-visits list (应访名单) ---- */

#define DUE_PAGE_MAX 256

typedef struct due_screen {
    list_screen ls;
    bool week;          /* also those due within the next 7 days */
    /* The days overdue of the rows fetched last, to page on from one. */
    int64_t ids[DUE_PAGE_MAX], days[DUE_PAGE_MAX];
    size_t nseen;
    casework_counts counts;
} due_screen;

static const list_col due_cols[] = {
    {"field.name", 8, 2},          {"due.col_community", 8, 1}, {"due.col_groups", 6, 1},
    {"due.col_last", 10, 0},       {"due.col_worker", 6, 0},    {"due.col_due", 10, 0},
    {"due.col_overdue", 6, 0},
};

static ws_status due_fetch(void *ctx, const char *filter, int64_t after, int dir,
                           list_item *items, size_t max, size_t *n)
{
    due_screen *ds = ctx;
    /* The row to page on from was fetched before (its days overdue are
     * the same until a visit is saved, which reloads from the top). */
    int64_t after_days = 0;
    for (size_t i = ds->nseen; after && i-- > 0;)
        if (ds->ids[i] == after) {
            after_days = ds->days[i];
            break;
        }
    due_filter f = {.week = ds->week};
    snprintf(f.text, sizeof f.text, "%s", filter ? filter : "");
    due_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = due_list(app_station(ds->ls.base.app), &f, after_days, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        const due_row *r = &rows[i];
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = r->resident_id;
        snprintf(it->cells[0], LIST_CELL, "%s", r->name);
        snprintf(it->cells[1], LIST_CELL, "%s", r->community);
        snprintf(it->cells[2], LIST_CELL, "%s", r->groups);
        snprintf(it->cells[3], LIST_CELL, "%s", r->last_visit[0] ? r->last_visit : tr("due.never"));
        snprintf(it->cells[4], LIST_CELL, "%s", r->last_worker);
        snprintf(it->cells[5], LIST_CELL, "%s", r->due_date);
        if (r->days_overdue >= 0)
            trf(it->cells[6], LIST_CELL, "due.days_over", (long long)r->days_overdue);
        else
            trf(it->cells[6], LIST_CELL, "due.days_left", (long long)-r->days_overdue);
        if (ds->nseen < DUE_PAGE_MAX) {
            ds->ids[ds->nseen] = r->resident_id;
            ds->days[ds->nseen++] = r->days_overdue;
        } else {
            /* Keep the latest rows: paging goes on from them. */
            memmove(ds->ids, ds->ids + 1, (DUE_PAGE_MAX - 1) * sizeof ds->ids[0]);
            memmove(ds->days, ds->days + 1, (DUE_PAGE_MAX - 1) * sizeof ds->days[0]);
            ds->ids[DUE_PAGE_MAX - 1] = r->resident_id;
            ds->days[DUE_PAGE_MAX - 1] = r->days_overdue;
        }
    }
    free(rows);
    return s;
}

static void due_title(screen *s, char *out, size_t outsz)
{
    due_screen *ds = (due_screen *)s;
    trf(out, outsz, ds->week ? "due.title_week" : "due.title",
        (long long)ds->counts.overdue, (long long)ds->counts.due_week);
}

static const keybind due_keys[] = {
    {KEYCODE | KEY_F(4), ACT_DUE_WEEK, KB_BAR},
    {KEYCODE | KEY_F(5), ACT_VISIT, KB_BAR},
    {KEY_CTRL('w'), ACT_VISIT, 0},
    {0, ACT_NONE, 0},
};

static bool due_act(screen *s, action act)
{
    due_screen *ds = (due_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(ds->ls.list);
    switch (act) {
    case ACT_DUE_WEEK:
        ds->week = !ds->week;
        list_reload(ds->ls.list);
        return true;
    case ACT_OPEN:
    case ACT_VISIT:
        if (sel)
            casework_new_visit(a, sel->id);
        return true;
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(ds->ls.list, act);
    }
}

static void due_resume(screen *s)
{
    due_screen *ds = (due_screen *)s;
    casework_counts_get(app_station(s->app), &ds->counts);
    list_reload(ds->ls.list);
}

static const screen_ops due_ops = {
    .keys = due_keys,
    .widget_keys = keys_list,
    .title = due_title,
    .draw = list_screen_draw,
    .act = due_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = due_resume,
    .destroy = list_screen_destroy,
};

screen *due_screen_new(app *a)
{
    due_screen *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->ls.base.ops = &due_ops;
    ds->ls.base.app = a;
    casework_counts_get(app_station(a), &ds->counts);
    ds->ls.list = list_new(due_cols, sizeof due_cols / sizeof due_cols[0], due_fetch, ds, true,
                           "due.empty");
    if (!ds->ls.list) {
        free(ds);
        return NULL;
    }
    list_set_hint(ds->ls.list, "due.filter_hint");
    return &ds->ls.base;
}

/* ---- the module's hub ---- */

/* The cases list with the word 下一步逾期 typed. */
static screen *hub_overdue(app *a)
{
    screen *s = cases_screen_new(a);
    if (s)
        kind_list_set_filter(s, tr("case.word_overdue"));
    return s;
}

static screen *hub_referrals(app *a)
{
    return kind_list_screen_ext(a, &kind_referral, &referrals_ext);
}

/* A role that reads no cases (a 录入员) still has the visits' lines: the
 * counts it may not read stay 0. */
static ws_status hub_get_counts(station *st, void *out)
{
    casework_counts_get(st, out);
    return WS_OK;
}

#define HUB_COUNT_OF(m) offsetof(casework_counts, m)
static const hub_line casework_hub_lines[] = {
    {"case.hub_due", 2, {HUB_COUNT_OF(overdue), HUB_COUNT_OF(due_week)}, false, 0,
     due_screen_new},
    {"case.hub_visits", 0, {0}, false, 0, visits_screen_new},
    {"case.hub_cases", 3,
     {HUB_COUNT_OF(open_cases), HUB_COUNT_OF(pending), HUB_COUNT_OF(action_overdue)}, true,
     PERM_CASE_READ, cases_screen_new},
    {"case.hub_overdue", 1, {HUB_COUNT_OF(action_overdue)}, true, PERM_CASE_READ, hub_overdue},
    {"case.hub_referrals", 1, {HUB_COUNT_OF(feedback_overdue)}, true, PERM_CASE_READ,
     hub_referrals},
};
#undef HUB_COUNT_OF

static const hub_def casework_hub = {
    .title_key = "case.hub_title", .col = casework_one_col, .lines = casework_hub_lines,
    .n = sizeof casework_hub_lines / sizeof *casework_hub_lines,
    .counts_size = sizeof(casework_counts), .counts = hub_get_counts};

screen *casework_screen_new(app *a)
{
    return hub_screen_new(a, &casework_hub);
}
