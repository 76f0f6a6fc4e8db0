/* The audit trail of one record: when, who, what changed; under the list,
 * the selected change field by field, from what to what. Residents and
 * every declared kind share it, each through a history_source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/record.h"
#include "wushe/resident.h"

#define HISTORY_MAX 500
#define DETAIL_MAX 24 /* fields a record has */

/* Where a history comes from: a resident, or a record of a declared kind. */
typedef struct history_source {
    ws_status (*changes)(station *st, const void *ctx, int64_t id, record_change *out,
                         size_t max, size_t *n);
    ws_status (*details)(station *st, const void *ctx, int64_t audit_id,
                         record_field_change *out, size_t max, size_t *n);
    const char *(*label)(const void *ctx, const char *key);
} history_source;

typedef struct history_screen {
    screen base;
    const history_source *src;
    const void *ctx;
    list_widget *list;
    record_change *changes;
    size_t n;
    char title[256];
    int64_t detail_for; /* list id the details are loaded for (0: none) */
    record_field_change detail[DETAIL_MAX];
    size_t ndetail;
} history_screen;

static const list_col history_cols[] = {
    {"history.col_time", 16, 0},
    {"history.col_actor", 10, 1},
    {"history.col_action", 6, 0},
    {"history.col_fields", 20, 4},
};

static void history_fields(const history_screen *h, const char *keys, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    char buf[256];
    snprintf(buf, sizeof buf, "%s", keys);
    char *save = NULL;
    for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        const char *lk = h->src->label(h->ctx, k);
        const char *label = lk ? tr(lk) : k;
        int w = snprintf(out + used, outsz - used, "%s%s", used ? "、" : "", label);
        if (w < 0 || (size_t)w >= outsz - used)
            break;
        used += (size_t)w;
    }
}

/* "2026-11-23T10:40:05.123Z" as local "2026-11-23 18:40". */
static void history_time(const char *iso, char *out, size_t outsz)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) {
        snprintf(out, outsz, "%s", iso);
        return;
    }
    time_t t = timegm(&tm);
    struct tm local;
    localtime_r(&t, &local);
    strftime(out, outsz, "%Y-%m-%d %H:%M", &local);
}

/* Rows from the array; the position + 1 is the row id. */
static ws_status history_fetch(void *ctx, const char *filter, int64_t after, int dir,
                               list_item *items, size_t max, size_t *n)
{
    history_screen *h = ctx;
    (void)filter;
    *n = 0;
    int64_t i = dir > 0 ? after : (after ? after - 2 : (int64_t)h->n - 1);
    for (; *n < max && i >= 0 && i < (int64_t)h->n; i += dir > 0 ? 1 : -1) {
        const record_change *c = &h->changes[i];
        list_item *it = &items[(*n)++];
        it->id = i + 1;
        history_time(c->at, it->cells[0], LIST_CELL);
        snprintf(it->cells[1], LIST_CELL, "%s", c->actor);
        char key[32];
        snprintf(key, sizeof key, "history.action_%s", c->action);
        snprintf(it->cells[2], LIST_CELL, "%s", tr(key));
        history_fields(h, c->fields, it->cells[3], LIST_CELL);
    }
    return WS_OK;
}

static void history_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((history_screen *)s)->title);
}

/* The selected change's fields, loaded when the selection moves. */
static void history_load_detail(history_screen *h)
{
    const list_item *it = list_selected(h->list);
    int64_t id = it ? it->id : 0;
    if (id == h->detail_for)
        return;
    h->detail_for = id;
    h->ndetail = 0;
    if (id <= 0 || (size_t)id > h->n)
        return;
    if (h->src->details(app_station(h->base.app), h->ctx, h->changes[id - 1].audit_id,
                        h->detail, DETAIL_MAX, &h->ndetail) != WS_OK)
        h->ndetail = 0;
}

static void history_draw_detail(history_screen *h, int y, int rows, int width)
{
    if (rows <= 0)
        return;
    draw_fill(y, 0, width, A_NORMAL);
    draw_text_attr(y, 2, width - 4, tr("history.detail_title"), false, A_BOLD);
    y++;
    rows--;
    if (h->ndetail == 0 && rows > 0) {
        draw_text_attr(y, 4, width - 6, h->detail_for ? tr("history.detail_none") : "", true,
                       A_DIM);
        return;
    }
    for (size_t i = 0; i < h->ndetail && rows > 0; i++, y++, rows--) {
        const record_field_change *c = &h->detail[i];
        if (rows == 1 && i + 1 < h->ndetail) {
            char more[64];
            draw_text_attr(y, 4, width - 6, trf(more, sizeof more, "history.detail_more",
                                                h->ndetail - i), true, A_DIM);
            break;
        }
        char line[1200];
        const char *none = tr("field.none");
        if (c->had_before)
            snprintf(line, sizeof line, "%s%s%s%s%s", tr(c->label), tr("history.sep"),
                     c->before[0] ? c->before : none, tr("history.arrow"),
                     c->after[0] ? c->after : none);
        else
            snprintf(line, sizeof line, "%s%s%s", tr(c->label), tr("history.sep"),
                     c->after[0] ? c->after : none);
        draw_text(y, 4, width - 6, line, true);
    }
}

static void history_draw(screen *s, int top, int height, int width)
{
    history_screen *h = (history_screen *)s;
    /* The lower half (at most what a resident's fields need) shows the
     * selected change; the list is drawn first, since it selects. */
    int detail = height / 2 < DETAIL_MAX + 2 ? height / 2 : DETAIL_MAX + 2;
    list_draw(h->list, top, height - detail, width);
    history_load_detail(h);
    history_draw_detail(h, top + height - detail, detail, width);
}

static bool history_act(screen *s, action act)
{
    history_screen *h = (history_screen *)s;
    if (act == ACT_BACK) {
        app_pop(s->app);
        return true;
    }
    return list_act(h->list, act);
}

static void history_destroy(screen *s)
{
    history_screen *h = (history_screen *)s;
    list_free(&h->list);
    free(h->changes);
    free(h);
}

static const screen_ops history_ops = {
    .widget_keys = keys_browse,
    .title = history_title,
    .draw = history_draw,
    .act = history_act,
    .destroy = history_destroy,
};

static screen *history_open(app *a, const history_source *src, const void *ctx, int64_t id,
                            const char *name)
{
    history_screen *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.ops = &history_ops;
    h->base.app = a;
    h->src = src;
    h->ctx = ctx;
    h->changes = calloc(HISTORY_MAX, sizeof *h->changes);
    h->list = h->changes ? list_new(history_cols, sizeof history_cols / sizeof history_cols[0],
                                    history_fetch, h, false, "history.empty")
                         : NULL;
    ws_status s = h->list ? src->changes(app_station(a), ctx, id, h->changes, HISTORY_MAX, &h->n)
                          : WS_ERR_NOMEM;
    if (s != WS_OK) {
        app_status_error(a, s);
        history_destroy(&h->base);
        return NULL;
    }
    trf(h->title, sizeof h->title, "history.title", name);
    return &h->base;
}

/* ---- residents ---- */

static ws_status resident_source_changes(station *st, const void *ctx, int64_t id,
                                         record_change *out, size_t max, size_t *n)
{
    (void)ctx;
    return resident_history(st, id, out, max, n);
}

static ws_status resident_source_details(station *st, const void *ctx, int64_t audit_id,
                                         record_field_change *out, size_t max, size_t *n)
{
    (void)ctx;
    return resident_change_details(st, audit_id, out, max, n);
}

static const char *resident_source_label(const void *ctx, const char *key)
{
    (void)ctx;
    return resident_history_label(key);
}

static const history_source resident_source = {
    resident_source_changes, resident_source_details, resident_source_label};

screen *history_screen_new(app *a, int64_t resident_id, const char *name)
{
    return history_open(a, &resident_source, NULL, resident_id, name);
}

/* ---- declared kinds ---- */

static ws_status kind_source_changes(station *st, const void *ctx, int64_t id, record_change *out,
                                     size_t max, size_t *n)
{
    return record_history(st, ((const record_kind *)ctx)->table, id, out, max, n);
}

static ws_status kind_source_details(station *st, const void *ctx, int64_t audit_id,
                                     record_field_change *out, size_t max, size_t *n)
{
    return record_change_details(st, ctx, audit_id, out, max, n);
}

static const char *kind_source_label(const void *ctx, const char *key)
{
    return record_history_label(ctx, key);
}

static const history_source kind_source = {kind_source_changes, kind_source_details,
                                           kind_source_label};

screen *kind_history_new(app *a, const struct record_kind *k, int64_t id, const char *name)
{
    return history_open(a, &kind_source, k, id, name);
}
