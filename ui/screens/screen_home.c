/* Home: the station at a glance and the module menu. */
#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"

typedef struct home_screen {
    screen base;
    station_stats stats;
    ws_status status;
    bool loaded; /* counts come after the first frame: on a county-sized
                    register they take a moment */
} home_screen;

static const keybind home_keys[] = {
    {'1', ACT_RESIDENTS, KB_LETTER | KB_BAR},
    {'0', ACT_SYSTEM, KB_LETTER | KB_BAR},
    {'q', ACT_QUIT, KB_LETTER | KB_BAR},
    {0, ACT_NONE, 0},
};

static void home_refresh(home_screen *h)
{
    h->status = station_stats_get(app_station(h->base.app), &h->stats);
    h->loaded = true;
}

static bool home_idle(screen *s)
{
    home_screen *h = (home_screen *)s;
    if (h->loaded)
        return false;
    home_refresh(h);
    return true;
}

static void home_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("home.title"));
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
        y += 2;
    } else if (h->status != WS_OK) {
        app_status_error(a, h->status);
    } else {
        snprintf(buf, sizeof buf, "%s %lld    %s %lld    %s %lld", tr("home.residents"),
                 (long long)h->stats.residents, tr("home.households"),
                 (long long)h->stats.households, tr("home.communities"),
                 (long long)h->stats.communities);
        draw_text(y++, 2, width - 4, buf, false);
        y++;
        draw_text_attr(y++, 2, width - 4, tr("home.groups"), false, COLOR_PAIR(PAIR_HEADER) | A_BOLD);
        /* Groups in columns of 26 display cells. */
        int colw = 26, ncol = (width - 4) / colw;
        if (ncol < 1)
            ncol = 1;
        const codebook *cb = station_codes(app_station(a));
        for (size_t i = 0; i < h->stats.ngroups; i++) {
            const code_item *it = codebook_find(cb, "vulnerable_group", h->stats.group_code[i]);
            snprintf(buf, sizeof buf, "%s %lld", it ? code_label(it, 0) : h->stats.group_code[i],
                     (long long)h->stats.group_count[i]);
            int row = (int)i / ncol, col = (int)i % ncol;
            if (y + row < top + height - 6)
                draw_text(y + row, 2 + col * colw, colw - 1, buf, false);
        }
        y += ((int)h->stats.ngroups + ncol - 1) / ncol + 1;
    }
    draw_text_attr(y++, 2, width - 4, tr("home.menu"), false, COLOR_PAIR(PAIR_HEADER) | A_BOLD);
    snprintf(buf, sizeof buf, "1  %s", tr("home.module_residents"));
    draw_text_attr(y++, 4, width - 6, buf, false, A_BOLD);
    snprintf(buf, sizeof buf, "0  %s", tr("home.module_system"));
    draw_text_attr(y++, 4, width - 6, buf, false, A_BOLD);
    if (y < top + height)
        draw_text_attr(top + height - 1, 2, width - 4, tr("home.hint"), false, A_DIM);
}

static bool home_act(screen *s, action act)
{
    switch (act) {
    case ACT_RESIDENTS:
        app_push(s->app, residents_screen_new(s->app));
        return true;
    case ACT_SYSTEM:
        app_push(s->app, system_screen_new(s->app));
        return true;
    case ACT_QUIT:
        app_quit(s->app);
        return true;
    default:
        return false;
    }
}

static void home_resume(screen *s)
{
    home_refresh((home_screen *)s);
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
