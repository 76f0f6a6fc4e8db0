/* The audit trail of one record: when, who, what changed; under the list,
 * the selected change field by field, from what to what, wrapped to the
 * width so every value can be read in full (PgUp/PgDn scroll it when it
 * is longer than the space). Residents, households (with their members
 * coming and going) and every declared kind share it, each through a
 * history_source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/household.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/text.h"

#define HISTORY_MAX 500
#define DETAIL_MAX 24 /* fields a record has */
#define DETAIL_PANE_MAX (DETAIL_MAX + 2)

/* One row of the list: a change of the record itself, or (a household's
 * history) what happened to one of its members. */
typedef struct history_entry {
    record_change c;
    bool member;
    member_event_kind kind;
    char name[192];  /* the member */
    char other[64];  /* the household they came from or went to */
} history_entry;

/* Where a history comes from: a resident, a household, or a record of a
 * declared kind. */
typedef struct history_source {
    ws_status (*changes)(station *st, const void *ctx, int64_t id, history_entry *out,
                         size_t max, size_t *n);
    ws_status (*details)(station *st, const void *ctx, const history_entry *e,
                         record_field_change *out, size_t max, size_t *n);
    const char *(*label)(const void *ctx, const char *key);
} history_source;

typedef struct history_screen {
    screen base;
    const history_source *src;
    const void *ctx;
    list_widget *list;
    history_entry *changes;
    size_t n;
    char title[256];
    int64_t detail_for; /* list id the details are loaded for (0: none) */
    record_field_change detail[DETAIL_MAX];
    size_t ndetail;
    /* The detail pane as last drawn: its first line shown, its lines in
     * all, and the rows it had for them. */
    int detail_top, detail_lines, detail_rows;
} history_screen;

static const list_col history_cols[] = {
    {"history.col_time", 16, 0},
    {"history.col_actor", 10, 1},
    {"history.col_action", 8, 0},
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
        int w = snprintf(out + used, outsz - used, "%s%s", used ? tr("history.fields_sep") : "",
                         label);
        if (w < 0 || (size_t)w >= outsz - used)
            break;
        used += (size_t)w;
    }
}

void ui_local_time(const char *iso, char *out, size_t outsz)
{
    text_local_time(iso, false, out, outsz);
}

/* A member's event as the list says it: what happened, and to whom. */
static void history_member_cells(const history_entry *e, char *action, char *what)
{
    static const char *const actions[] = {
        [MEMBER_ADDED] = "history.member_added",
        [MEMBER_MOVED_IN] = "history.member_moved_in",
        [MEMBER_MOVED_OUT] = "history.member_moved_out",
        [MEMBER_DELETED] = "history.action_delete",
        [MEMBER_RESTORED] = "history.action_restore",
    };
    snprintf(action, LIST_CELL, "%s", tr(actions[e->kind]));
    if (e->kind == MEMBER_MOVED_IN && e->other[0])
        trf(what, LIST_CELL, "history.member_from", e->name, e->other);
    else if (e->kind == MEMBER_MOVED_OUT && e->other[0])
        trf(what, LIST_CELL, "history.member_to", e->name, e->other);
    else
        trf(what, LIST_CELL, "history.member_who", e->name);
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
        const history_entry *e = &h->changes[i];
        list_item *it = &items[(*n)++];
        it->id = i + 1;
        ui_local_time(e->c.at, it->cells[0], LIST_CELL);
        snprintf(it->cells[1], LIST_CELL, "%s", e->c.actor);
        if (e->member) {
            history_member_cells(e, it->cells[2], it->cells[3]);
            continue;
        }
        char key[32];
        snprintf(key, sizeof key, "history.action_%s", e->c.action);
        snprintf(it->cells[2], LIST_CELL, "%s", tr(key));
        history_fields(h, e->c.fields, it->cells[3], LIST_CELL);
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
    h->detail_top = 0;
    h->ndetail = 0;
    if (id <= 0 || (size_t)id > h->n)
        return;
    if (h->src->details(app_station(h->base.app), h->ctx, &h->changes[id - 1], h->detail,
                        DETAIL_MAX, &h->ndetail) != WS_OK)
        h->ndetail = 0;
}

/* One change as a line of text: "住址：旧 → 新", or "住址：新" in a new
 * record; an empty value is named (（无）), never left out. */
static void history_change_text(const record_field_change *c, char *out, size_t outsz)
{
    const char *none = tr("field.none");
    if (c->had_before)
        snprintf(out, outsz, "%s%s%s%s%s", tr(c->label), tr("history.sep"),
                 c->before[0] ? c->before : none, tr("history.arrow"),
                 c->after[0] ? c->after : none);
    else
        snprintf(out, outsz, "%s%s%s", tr(c->label), tr("history.sep"),
                 c->after[0] ? c->after : none);
}

/* Whether s starts with one of the characters in list. */
static bool history_starts_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strncmp(s, *list, strlen(*list)))
            return true;
    return false;
}

/* Where to break a line of p that fits in `take` bytes, before its line
 * break `brk`: not before a closing mark, not after an opening one or an
 * arrow, so that "→ （无）" and "（无）" stay whole. At most a few
 * characters back; `take` when no better place is near. */
static size_t history_break(const char *p, size_t take, size_t brk)
{
    static const char *const no_start[] = {"）", "」", "』", "”", "’", "，", "。", "、", "：",
                                           "；", "！", "？", ")", ",", ".", ":", ";", NULL};
    static const char *const no_end[] = {"（", "「", "『", "“", "‘", "(", "→", NULL};
    if (take >= brk)
        return take;
    size_t t = take;
    for (int back = 0; back < 8 && t > 0; back++) {
        size_t last = t; /* the last character before t that is not a space */
        while (last > 0 && p[last - 1] == ' ')
            last--;
        size_t prev = last;
        while (prev > 0 && (p[--prev] & 0xC0) == 0x80)
            ;
        bool bad_end = last > 0 && history_starts_any(p + prev, no_end);
        if (!bad_end && !history_starts_any(p + t, no_start))
            return t;
        t = bad_end ? prev : t;
        if (!bad_end)
            while (t > 0 && (p[--t] & 0xC0) == 0x80)
                ;
    }
    return t > 0 ? t : take;
}

/* Lay out the details wrapped by display columns (at line breaks too):
 * each change from x = 4, its continuation lines under its value. Lines
 * from `skip` on are drawn from row y, at most `rows` of them (none when
 * rows is 0). Returns how many lines the whole text needs. */
static int history_detail_layout(const history_screen *h, int width, int skip, int y, int rows)
{
    int line = 0;
    int cols = width - 6;
    size_t textsz = 2 * RECORD_CHANGE_VALUE + 256;
    char *text = cols >= 4 ? malloc(textsz) : NULL;
    if (!text)
        return 0;
    for (size_t i = 0; i < h->ndetail; i++) {
        history_change_text(&h->detail[i], text, textsz);
        /* Continuation lines start under the value, unless the label is so
         * wide that too little would be left for it. */
        char head[128];
        snprintf(head, sizeof head, "%s%s", tr(h->detail[i].label), tr("history.sep"));
        int hang = draw_width(head);
        if (hang > cols / 2)
            hang = 2;
        const char *p = text;
        bool first = true;
        do {
            int x = first ? 4 : 4 + hang;
            int avail = first ? cols : cols - hang;
            if (!first)
                while (*p == ' ') /* a wrapped line starts with its text */
                    p++;
            size_t brk = strcspn(p, "\n");
            size_t take = text_prefix_bytes(p, avail);
            if (take > brk)
                take = brk;
            if (take == 0 && brk > 0)
                take = text_prefix_bytes(p, 2) ? text_prefix_bytes(p, 2) : 1;
            else
                take = history_break(p, take, brk);
            if (rows > 0 && line >= skip && line < skip + rows) {
                char piece[1400];
                snprintf(piece, sizeof piece, "%.*s", (int)take, p);
                draw_text(y + line - skip, x, width - x - 2, piece, true);
            }
            p += take;
            if (take == brk && *p == '\n')
                p++;
            first = false;
            line++;
        } while (*p);
    }
    free(text);
    return line;
}

static void history_draw_detail(history_screen *h, int y, int rows, int width)
{
    if (rows <= 0)
        return;
    draw_fill(y, 0, width, A_NORMAL);
    int tw = draw_width(tr("history.detail_title"));
    draw_text_attr(y, 2, width - 4, tr("history.detail_title"), false, A_BOLD);
    y++;
    rows--;
    for (int r = 0; r < rows; r++)
        draw_fill(y + r, 0, width, A_NORMAL);
    h->detail_rows = rows;
    h->detail_lines = 0;
    if (h->ndetail == 0) {
        if (rows > 0)
            draw_text_attr(y, 4, width - 6, h->detail_for ? tr("history.detail_none") : "", true,
                           A_DIM);
        return;
    }
    int total = history_detail_layout(h, width, 0, 0, 0);
    h->detail_lines = total;
    int most = total > rows ? total - rows : 0;
    if (h->detail_top > most)
        h->detail_top = most;
    if (h->detail_top < 0)
        h->detail_top = 0;
    history_detail_layout(h, width, h->detail_top, y, rows);
    if (total > rows) {
        /* More than the space: say which lines show and how to see the rest. */
        char where[160];
        int last = h->detail_top + rows;
        trf(where, sizeof where, "history.detail_scroll", h->detail_top + 1, last, total);
        draw_text_attr(y - 1, 2 + tw + 2, width - tw - 6, where, false, A_DIM);
    }
}

static void history_draw(screen *s, int top, int height, int width)
{
    history_screen *h = (history_screen *)s;
    /* The lower half (at most what a record's fields need) shows the
     * selected change; the list is drawn first, since it selects. */
    int detail = height / 2 < DETAIL_PANE_MAX ? height / 2 : DETAIL_PANE_MAX;
    list_draw(h->list, top, height - detail, width);
    history_load_detail(h);
    history_draw_detail(h, top + height - detail, detail, width);
}

/* PgUp/PgDn scroll the details when they are longer than their space
 * (a page less one line, so the reader keeps their place); false when they
 * fit, and the keys page the list. */
static bool history_scroll(history_screen *h, int dir)
{
    if (h->detail_lines <= h->detail_rows || h->detail_rows <= 0)
        return false;
    int step = h->detail_rows > 1 ? h->detail_rows - 1 : 1;
    int most = h->detail_lines - h->detail_rows;
    h->detail_top += dir * step;
    if (h->detail_top > most)
        h->detail_top = most;
    if (h->detail_top < 0)
        h->detail_top = 0;
    return true;
}

static bool history_act(screen *s, action act)
{
    history_screen *h = (history_screen *)s;
    if (act == ACT_BACK) {
        app_pop(s->app);
        return true;
    }
    if ((act == ACT_PAGE_DOWN || act == ACT_PAGE_UP) &&
        history_scroll(h, act == ACT_PAGE_DOWN ? 1 : -1))
        return true;
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

/* Changes of one row of a table (deleted ones too; a restore is named). */
static ws_status history_rows(station *st, const char *table, int64_t id, history_entry *out,
                              size_t max, size_t *n)
{
    record_change *c = calloc(max ? max : 1, sizeof *c);
    if (!c)
        return WS_ERR_NOMEM;
    ws_status s = record_history(st, table, id, c, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].c = c[i];
    }
    free(c);
    return s;
}

/* ---- residents ---- */

static ws_status resident_source_changes(station *st, const void *ctx, int64_t id,
                                         history_entry *out, size_t max, size_t *n)
{
    (void)ctx;
    return history_rows(st, "residents", id, out, max, n);
}

static ws_status resident_source_details(station *st, const void *ctx, const history_entry *e,
                                         record_field_change *out, size_t max, size_t *n)
{
    (void)ctx;
    return resident_change_details(st, e->c.audit_id, out, max, n);
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

static ws_status kind_source_changes(station *st, const void *ctx, int64_t id,
                                     history_entry *out, size_t max, size_t *n)
{
    return history_rows(st, ((const record_kind *)ctx)->table, id, out, max, n);
}

static ws_status kind_source_details(station *st, const void *ctx, const history_entry *e,
                                     record_field_change *out, size_t max, size_t *n)
{
    return record_change_details(st, ctx, e->c.audit_id, out, max, n);
}

static const char *kind_source_label(const void *ctx, const char *key)
{
    return record_history_label(ctx, key);
}

static const history_source kind_source = {kind_source_changes, kind_source_details,
                                           kind_source_label};

/* ---- households: their own changes and their members' ---- */

/* The household's rows and its members' events, merged newest first (audit
 * ids grow with time). */
static ws_status household_source_changes(station *st, const void *ctx, int64_t id,
                                          history_entry *out, size_t max, size_t *n)
{
    (void)ctx;
    *n = 0;
    history_entry *own = calloc(max ? max : 1, sizeof *own);
    member_event *ev = calloc(max ? max : 1, sizeof *ev);
    size_t nown = 0, nev = 0;
    ws_status s = own && ev ? WS_OK : WS_ERR_NOMEM;
    if (s == WS_OK)
        s = history_rows(st, kind_household.table, id, own, max, &nown);
    if (s == WS_OK)
        s = resident_household_events(st, id, ev, max, &nev);
    size_t i = 0, j = 0;
    while (s == WS_OK && *n < max && (i < nown || j < nev)) {
        history_entry *e = &out[(*n)++];
        if (j == nev || (i < nown && own[i].c.audit_id > ev[j].change.audit_id)) {
            *e = own[i++];
            continue;
        }
        memset(e, 0, sizeof *e);
        e->c = ev[j].change;
        e->member = true;
        e->kind = ev[j].kind;
        snprintf(e->name, sizeof e->name, "%s", ev[j].name);
        snprintf(e->other, sizeof e->other, "%s", ev[j].other);
        j++;
    }
    free(own);
    free(ev);
    return s;
}

/* A member's event: who, then what of theirs concerns the household (which
 * household, their relation to its head). */
static ws_status household_source_details(station *st, const void *ctx, const history_entry *e,
                                          record_field_change *out, size_t max, size_t *n)
{
    if (!e->member)
        return kind_source_details(st, ctx, e, out, max, n);
    *n = 0;
    if (max == 0)
        return WS_OK;
    record_field_change *who = &out[(*n)++];
    memset(who, 0, sizeof *who);
    snprintf(who->key, sizeof who->key, "member");
    who->label = "history.member";
    snprintf(who->after, sizeof who->after, "%s", e->name);
    record_field_change *all = calloc(DETAIL_MAX, sizeof *all);
    if (!all)
        return WS_ERR_NOMEM;
    size_t k = 0;
    ws_status s = resident_change_details(st, e->c.audit_id, all, DETAIL_MAX, &k);
    for (size_t i = 0; s == WS_OK && i < k && *n < max; i++)
        if (!strcmp(all[i].key, "household_id") || !strcmp(all[i].key, "relation"))
            out[(*n)++] = all[i];
    free(all);
    return s;
}

static const history_source household_source = {
    household_source_changes, household_source_details, kind_source_label};

screen *kind_history_new(app *a, const struct record_kind *k, int64_t id, const char *name)
{
    /* A household's history has its members in it too. */
    if (k == &kind_household)
        return history_open(a, &household_source, k, id, name);
    return history_open(a, &kind_source, k, id, name);
}
