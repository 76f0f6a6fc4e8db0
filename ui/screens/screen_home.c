/* Home: the station at a glance and the module menu. Every count is a way
 * in: ↑↓←→ choose one, Enter opens the list of what it counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/orgs.h"

/* The modules, in the order the home screen lists them (their keys are
 * in home_keys); PERM_COUNT: everyone's. */
static const struct {
    char key;
    const char *label;
    access_perm perm;
} home_modules[] = {
    {'1', "home.module_residents", PERM_REGISTER_READ},
    {'2', "home.module_casework", PERM_VISIT_READ},
    {'3', "home.module_volunteers", PERM_VOLUNTEER_READ},
    {'4', "home.module_resources", PERM_REGISTER_READ},
    {'5', "org.module", PERM_ORG_READ},
    {'6', "home.module_activities", PERM_VOLUNTEER_READ},
    {'0', "home.module_system", PERM_COUNT},
};

/* The age bands the home screen counts, as [min, below) (-1: open): the
 * elderly, the very old and minors, as stations report them. */
static const struct {
    int min, below;
} home_ages[] = {{60, -1}, {80, -1}, {-1, 18}};
#define HOME_NAGES (sizeof home_ages / sizeof *home_ages)

enum { HOME_RESIDENTS, HOME_HOUSEHOLDS, HOME_COMMUNITIES, HOME_AGE0 };
#define HOME_GROUP0 (HOME_AGE0 + (int)HOME_NAGES)
#define HOME_MAX_ITEMS (HOME_GROUP0 + STATION_MAX_GROUPS)

typedef struct home_screen {
    screen base;
    station_stats stats;
    int64_t ages[HOME_NAGES];
    ws_status status;
    casework_counts cw;
    org_counts orgs;
    bool loaded; /* counts come after the first frame: on a county-sized
                    register they take a moment */
    bool stale;  /* shown counts are being read again */
    int sel;     /* the chosen count (an item index) */
    int nitems;
    struct {
        int y, x;
    } at[HOME_MAX_ITEMS]; /* where each count was drawn */
} home_screen;

static const keybind home_keys[] = {
    {'1', ACT_RESIDENTS, KB_LETTER | KB_BAR},
    {'2', ACT_CASEWORK, KB_LETTER | KB_BAR},
    {'4', ACT_RESOURCES, KB_LETTER}, /* shown in the module menu */
    {'3', ACT_VOLUNTEERS, KB_LETTER},
    {'6', ACT_ACTIVITIES, KB_LETTER},
    {'5', ACT_ORGS, KB_LETTER},
    {'0', ACT_SYSTEM, KB_LETTER | KB_BAR},
    {'\r', ACT_OPEN, 0}, /* the hint line says what Enter does */
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_LEFT, ACT_PREV_FIELD, 0},
    {KEYCODE | KEY_RIGHT, ACT_NEXT_FIELD, 0},
    {'\t', ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {'q', ACT_QUIT, KB_LETTER | KB_BAR},
    {0, ACT_NONE, 0},
};

static void home_refresh(home_screen *h)
{
    station *st = app_station(h->base.app);
    h->status = station_stats_get(st, &h->stats);
    for (size_t i = 0; h->status == WS_OK && i < HOME_NAGES; i++) {
        char words[64];
        resident_filter_words_age(home_ages[i].min, home_ages[i].below, words, sizeof words);
        h->status = resident_count(st, words, &h->ages[i]);
    }
    if (h->status == WS_OK)
        casework_counts_get(st, &h->cw);
    if (h->status == WS_OK && station_can(st, PERM_ORG_READ))
        org_counts_get(st, &h->orgs);
    h->loaded = true;
    h->stale = false;
}

static bool home_idle(screen *s)
{
    home_screen *h = (home_screen *)s;
    if (h->loaded && !h->stale)
        return false;
    home_refresh(h);
    return true;
}

static void home_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("home.title"));
}

/* One count at (y, x), highlighted when chosen; returns the columns used. */
static int home_item(home_screen *h, int item, int y, int x, int w, const char *label,
                     int64_t count)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s %lld", label, (long long)count);
    int used = draw_width(buf);
    if (used > w)
        used = w;
    draw_text_attr(y, x, used, buf, false, item == h->sel ? A_REVERSE : A_NORMAL);
    h->at[item].y = y;
    h->at[item].x = x;
    if (item + 1 > h->nitems)
        h->nitems = item + 1;
    return used;
}

/* When the last good backup was made (after a week, or a failure, a
 * warning); a damaged log found at the open outranks it (issue 15). */
static void home_backup_line(app *a, char *line, size_t linesz, bool *warn)
{
    backup_last_line(app_station(a), true, line, linesz, warn);
    check_screen_named(a, line, linesz);
    char kept[4300];
    int64_t lost = station_wal_dropped(app_station(a), kept, sizeof kept);
    if (lost > 0) {
        const char *base = strrchr(kept, '/');
        trf(line, linesz, "damage.wal_dropped_short", (long long)lost, base ? base + 1 : kept);
        *warn = true;
    }
}

static void home_draw(screen *s, int top, int height, int width)
{
    home_screen *h = (home_screen *)s;
    app *a = s->app;
    char buf[512];
    int y = top + 1;
    draw_text_attr(y++, 2, width - 4, app_station_name(a), false, A_BOLD);
    y++;
    if (!h->loaded) {
        draw_text_attr(y++, 2, width - 4, "…", false, A_DIM);
        y += 3;
    } else if (h->status != WS_OK) {
        app_status_error(a, h->status);
    } else {
        h->nitems = 0;
        /* Register totals, then the age bands, each a way into its list. */
        const char *totals[] = {tr("home.residents"), tr("home.households"),
                                tr("home.communities")};
        int64_t tcount[] = {h->stats.residents, h->stats.households, h->stats.communities};
        int x = 2;
        for (int i = 0; i < 3; i++)
            x += home_item(h, HOME_RESIDENTS + i, y, x, width - 2 - x, totals[i], tcount[i]) + 4;
        y++;
        x = 2;
        for (size_t i = 0; i < HOME_NAGES; i++) {
            const char *key = home_ages[i].min >= 0 ? "filter.age_min" : "filter.age_below";
            trf(buf, sizeof buf, key, home_ages[i].min >= 0 ? home_ages[i].min : home_ages[i].below);
            x += home_item(h, HOME_AGE0 + (int)i, y, x, width - 2 - x, buf, h->ages[i]) + 4;
        }
        y += 2;
        draw_text_attr(y++, 2, width - 4, tr("home.groups"), false, COLOR_PAIR(PAIR_HEADER) | A_BOLD);
        /* Groups in columns of 25 display cells (three at 80). */
        int colw = 25, ncol = (width - 4) / colw;
        if (ncol < 1)
            ncol = 1;
        const codebook *cb = station_codes(app_station(a));
        for (size_t i = 0; i < h->stats.ngroups; i++) {
            const code_item *it = codebook_find(cb, "vulnerable_group", h->stats.group_code[i]);
            int row = (int)i / ncol, col = (int)i % ncol;
            /* The count must show: a label too long for its column (an
             * English one) gives way to its short form. */
            const char *label = it ? code_label(it, 0) : h->stats.group_code[i];
            if (it && draw_width(label) > colw - 8)
                label = code_label(it, 1);
            if (y + row < top + height - 6)
                home_item(h, HOME_GROUP0 + (int)i, y + row, 2 + col * colw, colw - 1, label,
                          h->stats.group_count[i]);
        }
        y += ((int)h->stats.ngroups + ncol - 1) / ncol + 1;
        if (h->sel >= h->nitems)
            h->sel = h->nitems ? h->nitems - 1 : 0;
    }
    draw_text_attr(y++, 2, width - 4, tr("home.menu"), false, COLOR_PAIR(PAIR_HEADER) | A_BOLD);
    /* The modules the account may open, as many to a line as fit. */
    int x = 4;
    for (size_t i = 0; i < sizeof home_modules / sizeof *home_modules; i++) {
        const access_perm need = home_modules[i].perm;
        if (need != PERM_COUNT && !station_can(app_station(a), need))
            continue;
        snprintf(buf, sizeof buf, "%c  %s", home_modules[i].key, tr(home_modules[i].label));
        int w = draw_width(buf);
        if (x > 4 && x + w > width - 2) {
            y++;
            x = 4;
        }
        draw_text_attr(y, x, width - 2 - x, buf, false, A_BOLD);
        x += w + 4;
    }
    y++;
    bool warn;
    char line[BACKUP_LINE_MAX];
    home_backup_line(a, line, sizeof line, &warn);
    int line_rows = draw_wrap_rows(line, width - 4);
    int counts_end = top + height - 1 - line_rows; /* the counts' rows end here */
    /* What is due, on a line of its own. */
    if (h->loaded && y < counts_end && station_can(app_station(a), PERM_VISIT_READ)) {
        char counts[256];
        if (station_can(app_station(a), PERM_CASE_READ))
            trf(counts, sizeof counts, "home.casework_counts", (long long)h->cw.overdue,
                (long long)h->cw.due_week, (long long)h->cw.open_cases, (long long)h->cw.pending);
        else
            trf(counts, sizeof counts, "home.visit_counts", (long long)h->cw.overdue,
                (long long)h->cw.due_week);
        draw_text_attr(y++, 4, width - 6, counts, false,
                       h->cw.overdue ? COLOR_PAIR(PAIR_ERROR) : A_DIM);
    }
    /* Social organisations against the targets, on a line of their own. */
    if (h->loaded && y < counts_end && station_can(app_station(a), PERM_ORG_READ)) {
        char counts[256];
        trf(counts, sizeof counts, "org.home_counts", (long long)h->orgs.organisations,
            (long long)h->orgs.incubating, (long long)h->orgs.below_target,
            (long long)h->orgs.projects_running);
        draw_text_attr(y++, 4, width - 6, counts, false, A_DIM);
    }
    /* The backup's line, wrapped above the hint, never cut: a failure's
     * reason is what the clerk must read: it takes the counts' rows. */
    if (y < top + height - 1) {
        int rows = line_rows > top + height - 1 - y ? top + height - 1 - y : line_rows;
        draw_text_wrap(top + height - 1 - rows, 2, width - 4, rows, line,
                       warn ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_DIM);
    }
    if (y < top + height)
        draw_text_attr(top + height - 1, 2, width - 4, tr("home.hint"), false, A_DIM);
}

/* ↑↓: the nearest count on the line above or below. */
static void home_move_line(home_screen *h, int dir)
{
    if (h->nitems == 0)
        return;
    int cy = h->at[h->sel].y, cx = h->at[h->sel].x, best = -1, by = 0, bdx = 0;
    for (int i = 0; i < h->nitems; i++) {
        int y = h->at[i].y, dx = abs(h->at[i].x - cx);
        if ((dir > 0 && y <= cy) || (dir < 0 && y >= cy))
            continue;
        if (best < 0 || (dir > 0 ? y < by : y > by) || (y == by && dx < bdx)) {
            best = i;
            by = y;
            bdx = dx;
        }
    }
    if (best >= 0)
        h->sel = best;
}

static void home_community_chosen(app *a, void *ctx, const list_item *row)
{
    (void)ctx;
    app_push(a, residents_screen_filtered(a, row->cells[0]));
}

/* Enter: the list behind the chosen count. */
static void home_open(home_screen *h)
{
    app *a = h->base.app;
    char words[64];
    if (!h->loaded || h->status != WS_OK || h->nitems == 0)
        return;
    if (h->sel == HOME_RESIDENTS) {
        app_push(a, residents_screen_new(a));
    } else if (h->sel == HOME_HOUSEHOLDS) {
        app_push(a, households_screen_new(a));
    } else if (h->sel == HOME_COMMUNITIES) {
        screen *p = community_picker_new(a, home_community_chosen, h);
        if (p)
            app_push(a, p);
    } else if (h->sel < HOME_GROUP0) {
        int i = h->sel - HOME_AGE0;
        resident_filter_words_age(home_ages[i].min, home_ages[i].below, words, sizeof words);
        app_push(a, residents_screen_filtered(a, words));
    } else if ((size_t)(h->sel - HOME_GROUP0) < h->stats.ngroups) {
        resident_filter_words_group(app_station(a), h->stats.group_code[h->sel - HOME_GROUP0],
                                    words, sizeof words);
        app_push(a, residents_screen_filtered(a, words));
    }
}

static bool home_act(screen *s, action act)
{
    home_screen *h = (home_screen *)s;
    switch (act) {
    case ACT_RESIDENTS:
        app_push(s->app, residents_screen_new(s->app));
        return true;
    case ACT_SYSTEM:
        app_push(s->app, system_screen_new(s->app));
        return true;
    case ACT_CASEWORK:
        app_push(s->app, casework_screen_new(s->app));
        return true;
    case ACT_RESOURCES:
        app_push(s->app, resources_screen_new(s->app));
        return true;
    case ACT_VOLUNTEERS:
        app_push(s->app, volunteers_screen_new(s->app));
        return true;
    case ACT_ACTIVITIES:
        app_push(s->app, activities_screen_new(s->app));
        return true;
    case ACT_ORGS:
        app_push(s->app, orgs_screen_new(s->app));
        return true;
    case ACT_OPEN:
        home_open(h);
        return true;
    case ACT_UP:
    case ACT_DOWN:
        home_move_line(h, act == ACT_DOWN ? 1 : -1);
        return true;
    case ACT_NEXT_FIELD:
        if (h->sel + 1 < h->nitems)
            h->sel++;
        return true;
    case ACT_PREV_FIELD:
        if (h->sel > 0)
            h->sel--;
        return true;
    case ACT_QUIT:
        app_quit(s->app);
        return true;
    default:
        return false;
    }
}

/* Back from a list: the counts are read again after the next frame, the
 * ones shown stay until then. */
static void home_resume(screen *s)
{
    ((home_screen *)s)->stale = true;
}

static void home_destroy(screen *s)
{
    free(s);
}

static const screen_ops home_ops = {
    .keys = home_keys,
    .title = home_title,
    .draw = home_draw,
    .act = home_act,
    .resume = home_resume,
    .idle = home_idle,
    .destroy = home_destroy,
};

screen *home_screen_new(app *a)
{
    home_screen *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.ops = &home_ops;
    h->base.app = a;
    return &h->base;
}
