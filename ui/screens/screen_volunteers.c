/* 3 志愿者 and 6 活动 on the home screen: the declared kinds' own lists
 * (screen_records.c) with the keys that lead on: a volunteer's hours (F7)
 * and the teams (F4); a team's members (F7); an activity's sessions (F7)
 * and a session's roster (F7). Titles carry the counts the model defines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/catalog.h"
#include "wushe/volunteer.h"

#define K(code) (KEYCODE | (code))

/* ---- volunteers ---- */

static const keybind volunteers_keys[] = {
    {K(KEY_F(7)), ACT_HOURS, KB_BAR},
    {K(KEY_F(6)), ACT_VOL_RECORD, KB_BAR},
    {K(KEY_F(4)), ACT_TEAMS, KB_BAR},
    {KEY_CTRL('t'), ACT_TEAMS, 0},
    {KEY_CTRL('y'), ACT_PENDING_HOURS, KB_BAR},
    {KEY_CTRL('r'), ACT_RECYCLE, 0},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static screen *teams_screen_new(app *a);

/* The rest of the 67号令 record: what F6 offers on a volunteer. */
static const kind_part volunteer_parts[] = {
    {"kind.volunteer_training", &kind_volunteer_training, VTF_VOLUNTEER, NULL, NULL},
    {"kind.volunteer_commendation", &kind_volunteer_commendation, VCF_VOLUNTEER, NULL, NULL},
    {"kind.volunteer_evaluation", &kind_volunteer_evaluation, VEF_VOLUNTEER, NULL, NULL},
    {"hours.points_part", NULL, 0, NULL, points_screen_open},
};

static bool volunteers_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    switch (act) {
    case ACT_HOURS:
        if (sel)
            app_push(a, hours_screen_new(a, sel->id, sel->cells[1]));
        return true;
    case ACT_TEAMS:
        app_push(a, teams_screen_new(a));
        return true;
    case ACT_VOL_RECORD:
        if (sel)
            kind_parts_open(a, "volunteers.record_title", volunteer_parts,
                            sizeof volunteer_parts / sizeof *volunteer_parts, sel->id,
                            sel->cells[1]);
        return true;
    case ACT_PENDING_HOURS:
        app_push(a, hours_pending_screen_new(a));
        return true;
    default:
        return false;
    }
}

/* Hours in all and the star level, summed by the model. */
static void volunteers_hours_cell(app *a, int64_t id, char *cell, size_t cellsz)
{
    volunteer_totals t;
    cell[0] = '\0';
    if (volunteer_totals_get(app_station(a), id, "", "", &t) != WS_OK)
        return;
    char stars[32] = "";
    for (int i = 0; i < t.stars; i++)
        strcat(stars, "★");
    char hours[64];
    hours_text(t.minutes, hours, sizeof hours);
    trf(cell, cellsz, "volunteers.hours_cell", hours, stars);
}

static const kind_list_ext volunteers_ext = {
    .keys = volunteers_keys,
    .act = volunteers_act,
    .extra_col = {"volunteers.col_hours", 16, 0},
    .extra_cell = volunteers_hours_cell,
};

screen *volunteers_screen_new(app *a)
{
    return kind_list_screen_ext(a, &kind_volunteer, &volunteers_ext);
}

/* ---- teams and their members ---- */

static const keybind teams_keys[] = {
    {K(KEY_F(7)), ACT_TEAM_MEMBERS, KB_BAR},
    {K(KEY_F(6)), ACT_RECYCLE, KB_BAR},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool teams_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_TEAM_MEMBERS)
        return false;
    if (sel) {
        record_parent parent = {.field = TMF_TEAM, .id = sel->id};
        app_push(s->app, kind_list_screen_in(s->app, &kind_team_member, false, &parent,
                                             sel->cells[0]));
    }
    return true;
}

static const kind_list_ext teams_ext = {
    .keys = teams_keys,
    .act = teams_act,
};

static screen *teams_screen_new(app *a)
{
    return kind_list_screen_ext(a, &kind_team, &teams_ext);
}

/* ---- activities, their sessions ---- */

/* 场次 N · 服务 M 人 / K 人次 · 志愿者 V 人次 H 小时: of one activity, or of all. */
static void activity_counts_title(app *a, int64_t activity_id, char *out, size_t outsz)
{
    activity_counts c;
    out[0] = '\0';
    if (activity_counts_get(app_station(a), activity_id, "", "", &c) != WS_OK)
        return;
    char hours[64];
    hours_text(c.volunteer_minutes, hours, sizeof hours);
    trf(out, outsz, "activities.counts", (long long)c.sessions, (long long)c.people,
        (long long)c.person_times, (long long)c.volunteer_times, hours);
}

static const keybind sessions_keys[] = {
    {K(KEY_F(7)), ACT_ROSTER, KB_BAR},
    {K(KEY_F(6)), ACT_RECYCLE, KB_BAR},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool sessions_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_ROSTER)
        return false;
    if (sel) {
        char title[512];
        /* The date and the times name the session. */
        snprintf(title, sizeof title, "%.16s %.8s–%.8s", sel->cells[0], sel->cells[1],
                 sel->cells[2]);
        app_push(s->app, roster_screen_new(s->app, sel->id, title));
    }
    return true;
}

static const kind_list_ext sessions_ext = {
    .keys = sessions_keys,
    .act = sessions_act,
    .summary = activity_counts_title,
};

static const keybind activities_keys[] = {
    {K(KEY_F(7)), ACT_SESSIONS, KB_BAR},
    {K(KEY_F(6)), ACT_RECYCLE, KB_BAR},
    {K(KEY_F(11)), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static bool activities_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_SESSIONS)
        return false;
    if (sel) {
        record_parent parent = {.field = SF_ACTIVITY, .id = sel->id};
        app_push(s->app, kind_list_screen_ext_in(s->app, &kind_session, &sessions_ext, &parent,
                                                 sel->cells[0]));
    }
    return true;
}

static const kind_list_ext activities_ext = {
    .keys = activities_keys,
    .act = activities_act,
    .summary = activity_counts_title,
};

screen *activities_screen_new(app *a)
{
    return kind_list_screen_ext(a, &kind_activity, &activities_ext);
}
