/* 5 组织: the module's hub, the organisations (their incubation moved with
 * F4, their page with F6), the counts per community against the targets,
 * and the projects (their parts with F6, target against actual with F7,
 * the closing sheet with F9). Lists and forms are the declared kinds' own
 * (screen_records.c); every count comes from the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/orgs.h"
#include "wushe/print.h"
#include "wushe/record.h"
#include "wushe/resources.h"

#define K(code) (KEYCODE | (code))

static const list_col orgs_one_col[] = {{"org.col_what", 20, 1}};

/* The move waiting for its outcome or reason (one prompt at a time on one
 * console, as a case's). */
static struct {
    screen *list;
    int64_t id;
    org_move move;
} orgs_pending;

/* What a picker of one organisation or project is about: its context,
 * kept by the picker until its choice has run. */
typedef struct orgs_of {
    app *a;
    int64_t id;
    char name[LIST_CELL];
} orgs_of;

static orgs_of *orgs_of_new(app *a, int64_t id, const char *name)
{
    orgs_of *o = calloc(1, sizeof *o);
    if (o) {
        o->a = a;
        o->id = id;
        snprintf(o->name, sizeof o->name, "%s", name);
    }
    return o;
}

/* A picker about one organisation or project (chosen NULL: a list to read). */
static void orgs_picker(app *a, const char *title_key, const list_col *cols, size_t ncols,
                        list_fetch_fn fetch, picker_fn chosen, int64_t id, const char *name)
{
    orgs_of *o = orgs_of_new(a, id, name);
    if (!o)
        return;
    char title[512];
    trf(title, sizeof title, title_key, name);
    screen *p = live_picker_new(a, title, cols, ncols, fetch, o, free, chosen, o);
    if (p)
        app_push(a, p);
}

static void orgs_report(app *a, const record_kind *k, ws_status s, const record_error *re)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(a, true, "%s", record_error_text(k, re, msg, sizeof msg));
    else if (s == WS_ERR_STALE)
        app_message(a, true, "%s", trf(msg, sizeof msg, "record.stale", re->detail));
    else
        app_status_error(a, s);
}

/* ---- moving an organisation through its incubation ---- */

static void org_move_run(app *a, const char *outcome, const char *reason)
{
    record_error re;
    ws_status s = org_move_do(app_station(a), orgs_pending.id, 0, orgs_pending.move, NULL,
                              outcome, reason, &re);
    if (s == WS_OK)
        kind_list_changed(orgs_pending.list, "org.moved");
    else
        orgs_report(a, &kind_organisation, s, &re);
}

static void org_move_reason(app *a, void *ctx, const char *text)
{
    (void)ctx;
    org_move_run(a, NULL, text);
}

static void org_outcome_chosen(app *a, void *ctx, const list_item *row)
{
    (void)ctx;
    org_move_run(a, row->cells[1], NULL);
}

static void org_move_confirmed(app *a, void *ctx)
{
    (void)ctx;
    org_move_run(a, NULL, NULL);
}

static void org_move_chosen(app *a, void *ctx, const list_item *row)
{
    (void)ctx;
    orgs_pending.move = (org_move)atoi(row->cells[1]);
    /* What is missing is said before anything is asked for the move. */
    record_error re;
    ws_status s = org_move_check(app_station(a), orgs_pending.id, orgs_pending.move, &re);
    if (s != WS_OK) {
        orgs_report(a, &kind_organisation, s, &re);
        return;
    }
    if (org_move_needs_reason(orgs_pending.move)) {
        screen *ask = prompt_screen_new(a, tr(org_move_key(orgs_pending.move)), tr("case.reason"),
                                        tr("case.reason_hint"), "", org_move_reason, NULL);
        if (ask)
            prompt_screen_set_text(ask);
        app_push(a, ask);
        return;
    }
    organisation o;
    s = record_load(app_station(a), &kind_organisation, orgs_pending.id, &o);
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    /* Into 出壳: its outcome first. */
    if (orgs_pending.move == ORG_MOVE_ADVANCE && strcmp(o.stage, "assessment") == 0) {
        screen *p = code_picker_new(a, "org_outcome", tr("org.outcome_title"),
                                    org_outcome_chosen, NULL, NULL);
        if (p)
            app_push(a, p);
        return;
    }
    /* A transition is kept for good: asked, 取消 first. */
    char q[512];
    app_confirm(a,
                trf(q, sizeof q, "org.move_confirm", o.name, tr(org_move_key(orgs_pending.move))),
                org_move_confirmed, NULL);
}

static ws_status org_moves_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    app *a = ctx;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    for (int mv = 0; mv < ORG_MOVE_COUNT && *n < max; mv++) {
        if (!org_move_allowed(app_station(a), orgs_pending.id, (org_move)mv))
            continue;
        const char *label = tr(org_move_key((org_move)mv));
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = mv + 1;
        snprintf(it->cells[0], LIST_CELL, "%s", label);
        snprintf(it->cells[1], LIST_CELL, "%d", mv);
    }
    return WS_OK;
}

static void org_moves_open(screen *list, int64_t id, const char *name)
{
    app *a = list->app;
    orgs_pending.list = list;
    orgs_pending.id = id;
    char title[512];
    trf(title, sizeof title, "org.moves_title", name);
    screen *p = live_picker_new(a, title, orgs_one_col, 1, org_moves_fetch, a, NULL,
                                org_move_chosen, NULL);
    if (p)
        app_push(a, p);
}

/* ---- an organisation's transitions ---- */

static const char *orgs_code(app *a, const char *list, const char *code)
{
    const code_item *it = codebook_find(station_codes(app_station(a)), list, code);
    return it ? code_label(it, 1) : tr("org.not_incubated");
}

static ws_status org_transitions_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                       list_item *items, size_t max, size_t *n)
{
    orgs_of *of = ctx;
    app *a = of->a;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    org_transition *t = calloc(max ? max : 1, sizeof *t);
    if (!t)
        return WS_ERR_NOMEM;
    size_t got = 0;
    ws_status s = org_transitions(app_station(a), of->id, t, max, &got);
    for (size_t i = 0; s == WS_OK && i < got; i++) {
        list_item *it = &items[i];
        memset(it, 0, sizeof *it);
        it->id = (int64_t)i + 1;
        snprintf(it->cells[0], LIST_CELL, "%s", t[i].decided_on);
        snprintf(it->cells[1], LIST_CELL, "%s", t[i].who);
        snprintf(it->cells[2], LIST_CELL, "%s → %s%s%s", orgs_code(a, "org_stage", t[i].from_stage),
                 orgs_code(a, "org_stage", t[i].to_stage), t[i].outcome[0] ? "·" : "",
                 t[i].outcome[0] ? orgs_code(a, "org_outcome", t[i].outcome) : "");
        snprintf(it->cells[3], LIST_CELL, "%s", t[i].reason);
    }
    if (s == WS_OK)
        *n = got;
    free(t);
    return s;
}

static const list_col org_transition_cols[] = {
    {"org.col_date", 10, 0}, {"case.col_who", 8, 0}, {"case.col_move", 16, 1},
    {"case.col_reason", 12, 3},
};

/* ---- an organisation's page ---- */

enum {
    PAGE_COMMUNITIES, PAGE_STAGE, PAGE_TASKS, PAGE_ASSESSMENTS, PAGE_TEAMS, PAGE_ACTIVITIES,
    PAGE_PROJECTS, PAGE_MONEY, PAGE_COUNT
};

static void org_page_line(app *a, int line, const org_summary *sm, const organisation *o,
                          char *out, size_t outsz)
{
    char money[64], given[64], goods[64], hours[64];
    switch (line) {
    case PAGE_COMMUNITIES: {
        int64_t n = 0;
        record_parent parent = {.field = OCF_ORG, .id = o->id};
        record_count_in(app_station(a), &kind_org_community, &parent, "", &n);
        trf(out, outsz, "org.page_communities", (long long)n);
        break;
    }
    case PAGE_STAGE:
        if (!o->stage[0])
            snprintf(out, outsz, "%s", tr("org.page_no_stage"));
        else
            trf(out, outsz, "org.page_stage", orgs_code(a, "org_stage", o->stage), o->stage_date,
                o->outcome[0] ? orgs_code(a, "org_outcome", o->outcome) : "");
        break;
    case PAGE_TASKS:
        trf(out, outsz, "org.page_tasks", (long long)sm->tasks, (long long)sm->tasks_done);
        break;
    case PAGE_ASSESSMENTS:
        trf(out, outsz, "org.page_assessments", (long long)sm->assessments);
        break;
    case PAGE_TEAMS:
        trf(out, outsz, "org.page_teams", (long long)sm->teams, (long long)sm->volunteers);
        break;
    case PAGE_ACTIVITIES:
        hours_text(sm->counts.volunteer_minutes, hours, sizeof hours);
        trf(out, outsz, "org.page_activities", (long long)sm->activities,
            (long long)sm->counts.sessions, (long long)sm->counts.people,
            (long long)sm->counts.person_times, hours);
        break;
    case PAGE_PROJECTS:
        trf(out, outsz, "org.page_projects", (long long)sm->projects);
        break;
    default:
        res_yuan(sm->money_in, money, sizeof money);
        res_yuan(sm->money_given, given, sizeof given);
        res_yuan(sm->goods_given, goods, sizeof goods);
        trf(out, outsz, "org.page_money", money, given, goods);
    }
}

static ws_status org_page_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                list_item *items, size_t max, size_t *n)
{
    orgs_of *of = ctx;
    app *a = of->a;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    org_summary sm;
    organisation o;
    ws_status s = record_load(app_station(a), &kind_organisation, of->id, &o);
    if (s == WS_OK)
        s = org_summary_get(app_station(a), of->id, &sm);
    for (int line = 0; s == WS_OK && line < PAGE_COUNT && *n < max; line++) {
        list_item *it = &items[*n];
        memset(it, 0, sizeof *it);
        it->id = line + 1;
        org_page_line(a, line, &sm, &o, it->cells[0], LIST_CELL);
        (*n)++;
    }
    return s;
}

/* An organisation's activities: its teams' and its projects'. */
static ws_status org_activities_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                      list_item *items, size_t max, size_t *n)
{
    orgs_of *of = ctx;
    app *a = of->a;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    org_activity *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    size_t got = 0;
    ws_status s = org_activities(app_station(a), of->id, rows, max, &got);
    for (size_t i = 0; s == WS_OK && i < got; i++) {
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = rows[i].id;
        snprintf(it->cells[0], LIST_CELL, "%s", rows[i].title);
        snprintf(it->cells[1], LIST_CELL, "%s", rows[i].last_date);
        snprintf(it->cells[2], LIST_CELL, "%lld", (long long)rows[i].sessions);
    }
    free(rows);
    return s;
}

static const list_col org_activity_cols[] = {
    {"field.activity_title", 16, 3}, {"org.col_last", 10, 0}, {"org.col_sessions", 4, 0},
};

static void org_page_chosen(app *a, void *ctx, const list_item *row)
{
    const orgs_of *of = ctx;
    screen *s = NULL;
    switch ((int)row->id - 1) {
    case PAGE_COMMUNITIES:
        s = kind_list_screen_in(a, &kind_org_community, false,
                                &(record_parent){.field = OCF_ORG, .id = of->id}, of->name);
        break;
    case PAGE_STAGE:
        orgs_picker(a, "org.transitions_title", org_transition_cols, 4, org_transitions_fetch,
                    NULL, of->id, of->name);
        break;
    case PAGE_TASKS:
        s = kind_list_screen_in(a, &kind_org_task, false,
                                &(record_parent){.field = OTF_ORG, .id = of->id}, of->name);
        break;
    case PAGE_ASSESSMENTS:
        s = kind_list_screen_in(a, &kind_org_assessment, false,
                                &(record_parent){.field = OAF_ORG, .id = of->id}, of->name);
        break;
    case PAGE_TEAMS:
        s = kind_list_screen_in(a, &kind_team, false,
                                &(record_parent){.field = TF_ORG, .id = of->id}, of->name);
        break;
    case PAGE_ACTIVITIES:
        orgs_picker(a, "org.activities_title", org_activity_cols, 3, org_activities_fetch, NULL,
                    of->id, of->name);
        break;
    case PAGE_PROJECTS:
        s = kind_list_screen_in(a, &kind_project, false,
                                &(record_parent){.field = PJF_ORG, .id = of->id}, of->name);
        break;
    default:
        break;
    }
    if (s)
        app_push(a, s);
}

static void org_page_open(app *a, int64_t id, const char *name)
{
    orgs_picker(a, "org.page_title", orgs_one_col, 1, org_page_fetch, org_page_chosen, id, name);
}

/* ---- the organisations list ---- */

static const keybind orgs_keys[] = {
    {K(KEY_F(4)), ACT_ORG_MOVE, KB_BAR},
    {K(KEY_F(6)), ACT_ORG_PAGE, KB_BAR},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool orgs_act(screen *s, action act, const list_item *sel)
{
    switch (act) {
    case ACT_ORG_MOVE:
        if (sel)
            org_moves_open(s, sel->id, sel->cells[1]);
        return true;
    case ACT_ORG_PAGE:
        if (sel)
            org_page_open(s->app, sel->id, sel->cells[1]);
        return true;
    default:
        return false;
    }
}

static const kind_list_ext orgs_ext = {.keys = orgs_keys, .act = orgs_act};

static screen *org_list_new(app *a, const char *filter)
{
    screen *s = kind_list_screen_ext(a, &kind_organisation, &orgs_ext);
    if (s && filter)
        kind_list_set_filter(s, filter);
    return s;
}

/* ---- counts per community against the targets ---- */

typedef struct counts_ctx {
    app *a;
    bool below;
} counts_ctx;

static ws_status community_counts_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                        list_item *items, size_t max, size_t *n)
{
    counts_ctx *c = ctx;
    *n = 0;
    org_community_count *rows = NULL;
    size_t got = 0;
    ws_status s = org_community_counts(app_station(c->a), c->below, &rows, &got);
    (void)filter, (void)after, (void)dir; /* tens of communities: live_picker_new */
    for (size_t i = 0; s == WS_OK && i < got && *n < max; i++) {
        const org_community_count *r = &rows[i];
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = r->community_id;
        snprintf(it->cells[0], LIST_CELL, "%s", r->name);
        snprintf(it->cells[1], LIST_CELL, "%s", orgs_code(c->a, "community_kind", r->kind));
        for (int t = 0; t < ORG_TYPES; t++)
            snprintf(it->cells[2 + t], LIST_CELL, "%lld", (long long)r->by_type[t]);
        trf(it->cells[9], LIST_CELL, "org.total_of_target", (long long)r->total,
            (long long)r->target);
    }
    free(rows);
    return s;
}

static const list_col community_count_cols[] = {
    {"field.community", 10, 3}, {"org.col_kind", 4, 0},   {"org.col_life", 4, 0},
    {"org.col_charity", 4, 0},  {"org.col_mutual", 4, 0}, {"org.col_culture", 4, 0},
    {"org.col_volunteer", 4, 0}, {"org.col_affairs", 4, 0}, {"org.col_other", 4, 0},
    {"org.col_total", 9, 0},
};

/* Enter: the organisations serving that community. */
static void community_count_chosen(app *a, void *ctx, const list_item *row)
{
    (void)ctx;
    app_push(a, org_list_new(a, row->cells[0]));
}

static screen *community_counts_new(app *a, bool below)
{
    counts_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->a = a;
    c->below = below;
    return live_picker_new(a, tr(below ? "org.below_title" : "org.counts_title"),
                           community_count_cols,
                           sizeof community_count_cols / sizeof *community_count_cols,
                           community_counts_fetch, c, free, community_count_chosen, NULL);
}

/* ---- projects ---- */

/* A project's parts: the communities it serves, its custom indicators,
 * its activities (the machinery's parts menu). */
static const kind_part project_parts[] = {
    {"kind.project_community", &kind_project_community, PCF_PROJECT, NULL, NULL},
    {"kind.project_indicator", &kind_project_indicator, PIF_PROJECT, NULL, NULL},
    {"org.project_activities", &kind_activity, AF_PROJECT, NULL, NULL},
};

/* Target against actual, each line from the model's counts. */
static ws_status project_results_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                       list_item *items, size_t max, size_t *n)
{
    orgs_of *of = ctx;
    app *a = of->a;
    *n = 0;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    project p;
    project_actuals pa;
    ws_status s = record_load(app_station(a), &kind_project, of->id, &p);
    if (s == WS_OK)
        s = project_actuals_get(app_station(a), of->id, &pa);
    if (s != WS_OK)
        return s;
    project_result lines[PROJECT_RESULTS];
    project_results(&p, &pa, lines);
    for (size_t i = 0; i < PROJECT_RESULTS && *n < max; i++) {
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = (int64_t)i + 1;
        snprintf(it->cells[0], LIST_CELL, "%s", tr(lines[i].label_key));
        snprintf(it->cells[1], LIST_CELL, "%s", lines[i].target);
        snprintf(it->cells[2], LIST_CELL, "%s", lines[i].actual);
        snprintf(it->cells[3], LIST_CELL, "%s", lines[i].rate);
    }
    /* The custom indicators, as recorded. */
    record_row rows[16];
    size_t nrows = 0;
    record_parent parent = {.field = PIF_PROJECT, .id = of->id};
    s = record_list_in(app_station(a), &kind_project_indicator, &parent, "", false, 0, 1, rows,
                       16, &nrows);
    for (size_t i = 0; s == WS_OK && i < nrows && *n < max; i++) {
        project_indicator pi;
        if (record_load(app_station(a), &kind_project_indicator, rows[i].id, &pi) != WS_OK)
            continue;
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = 100 + (int64_t)i;
        snprintf(it->cells[0], LIST_CELL, "%s%s%s%s", pi.name, pi.unit[0] ? "（" : "", pi.unit,
                 pi.unit[0] ? "）" : "");
        project_result r;
        project_indicator_result(&pi, &r);
        snprintf(it->cells[1], LIST_CELL, "%s", r.target);
        snprintf(it->cells[2], LIST_CELL, "%s", r.actual);
        snprintf(it->cells[3], LIST_CELL, "%s", r.rate);
    }
    return s;
}

static const list_col project_result_cols[] = {
    {"org.col_indicator", 14, 2}, {"org.col_target", 12, 0}, {"org.col_actual", 12, 0},
    {"org.col_rate", 6, 0},
};

static const keybind projects_keys[] = {
    {K(KEY_F(6)), ACT_PROJECT_PARTS, KB_BAR},
    {K(KEY_F(7)), ACT_PROJECT_RESULTS, KB_BAR},
    {K(KEY_F(9)), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool projects_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    if (act != ACT_PROJECT_PARTS && act != ACT_PROJECT_RESULTS && act != ACT_PRINT)
        return false;
    if (!sel)
        return true;
    if (act == ACT_PRINT)
        ui_print_ask(a, "print.project_title", sel->cells[1], print_project, sel->id);
    else if (act == ACT_PROJECT_PARTS)
        kind_parts_open(a, "org.project_parts_title", project_parts,
                        sizeof project_parts / sizeof *project_parts, sel->id, sel->cells[1]);
    else
        orgs_picker(a, "org.results_title", project_result_cols, 4, project_results_fetch, NULL,
                    sel->id, sel->cells[1]);
    return true;
}

static const kind_list_ext projects_ext = {.keys = projects_keys, .act = projects_act};

/* ---- the module's hub ---- */

static screen *hub_orgs(app *a)
{
    return org_list_new(a, NULL);
}

static screen *hub_incubating(app *a)
{
    return org_list_new(a, tr("org.word_incubating"));
}

static screen *hub_below(app *a)
{
    return community_counts_new(a, true);
}

static screen *hub_counts(app *a)
{
    return community_counts_new(a, false);
}

static screen *hub_projects(app *a)
{
    return kind_list_screen_ext(a, &kind_project, &projects_ext);
}

static ws_status hub_get_counts(station *st, void *out)
{
    return org_counts_get(st, out);
}

#define HUB_COUNT_OF(m) offsetof(org_counts, m)
static const hub_line orgs_hub_lines[] = {
    {"org.hub_orgs", 1, {HUB_COUNT_OF(organisations)}, false, 0, hub_orgs},
    {"org.hub_incubating", 2, {HUB_COUNT_OF(incubating), HUB_COUNT_OF(graduated)}, false, 0,
     hub_incubating},
    {"org.hub_below", 1, {HUB_COUNT_OF(below_target)}, false, 0, hub_below},
    {"org.hub_counts", 0, {0}, false, 0, hub_counts},
    {"org.hub_projects", 1, {HUB_COUNT_OF(projects_running)}, false, 0, hub_projects},
};
#undef HUB_COUNT_OF

static const hub_def orgs_hub = {
    .title_key = "org.hub_title", .col = orgs_one_col, .lines = orgs_hub_lines,
    .n = sizeof orgs_hub_lines / sizeof *orgs_hub_lines, .counts_size = sizeof(org_counts),
    .counts = hub_get_counts};

screen *orgs_screen_new(app *a)
{
    return hub_screen_new(a, &orgs_hub);
}
