/* Pickers: choose one row of a code list, a community or a household. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <unistd.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/pathcomplete.h"
#include "wushe/resident.h"
#include "wushe/text.h"

typedef struct picker_screen {
    list_screen ls;
    char title[256];
    void *fetch_ctx;
    void (*free_ctx)(void *);
    picker_fn chosen;
    void *ctx;
    /* What an empty list says: it names what the picker lists (没有找到社区/村,
     * 没有这个选项), and `none` what to do when there is nothing at all to
     * choose from yet ("" : the same as empty). */
    char empty[256];
    char none[256];
    /* A menu (a module's, a record's parts): it stays under what a choice
     * opens, and Esc there comes back to it, its lines read again. */
    bool menu;
    /* Its rows are read again when it is on top once more (live_picker_new's). */
    void (*reread)(void *fetch_ctx);
} picker_screen;

/* New, open and delete do not apply to a picker: only choosing, the
 * filter, and moving (keys_browse). */
static const keybind picker_keys[] = {
    {'\r', ACT_PICK, KB_BAR},
    {'\n', ACT_PICK, 0},
    {KEYCODE | KEY_ENTER, ACT_PICK, 0},
    {KEYCODE | KEY_F(3), ACT_SEARCH, 0},
    {0, ACT_NONE, 0},
};

static void picker_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((picker_screen *)s)->title);
}

static void picker_draw(screen *s, int top, int height, int width)
{
    picker_screen *p = (picker_screen *)s;
    list_draw(p->ls.list, top, height, width);
    /* The list says it has no rows below its search box and its header;
     * the picker's own words go there instead. */
    if (list_status(p->ls.list) == WS_OK && list_count(p->ls.list) == 0 && height > 2) {
        const char *f = list_filter(p->ls.list);
        const char *say = p->none[0] && !f[0] ? p->none : p->empty;
        draw_text_attr(top + 2, 0, width, say, true, A_DIM);
    }
}

/* The words of an empty picker (see picker_screen). */
static void picker_set_empty(screen *s, const char *empty, const char *none)
{
    picker_screen *p = (picker_screen *)s;
    if (!p)
        return;
    snprintf(p->empty, sizeof p->empty, "%s", empty);
    snprintf(p->none, sizeof p->none, "%s", none ? none : "");
}

static bool picker_act(screen *s, action act)
{
    picker_screen *p = (picker_screen *)s;
    app *a = s->app;
    switch (act) {
    case ACT_PICK: {
        if (list_typing(p->ls.list) && list_count(p->ls.list) == 0)
            return true;
        const list_item *sel = list_selected(p->ls.list);
        if (!sel || !p->chosen) /* a list to read only */
            return true;
        if (p->menu) {
            list_item row = *sel;
            p->chosen(a, p->ctx, &row);
            return true;
        }
        /* Close first: the callback may open the next screen. The fetch
         * context lives until the callback is done (it may be ctx too). */
        list_item row = *sel;
        picker_fn chosen = p->chosen;
        void *ctx = p->ctx, *fetch_ctx = p->fetch_ctx;
        void (*free_ctx)(void *) = p->free_ctx;
        p->free_ctx = NULL;
        app_pop(a);
        chosen(a, ctx, &row);
        if (free_ctx)
            free_ctx(fetch_ctx);
        return true;
    }
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(p->ls.list, act);
    }
}

static void picker_destroy(screen *s)
{
    picker_screen *p = (picker_screen *)s;
    list_free(&p->ls.list);
    if (p->free_ctx)
        p->free_ctx(p->fetch_ctx);
    free(p);
}

static void picker_resume(screen *s)
{
    picker_screen *p = (picker_screen *)s;
    if (p->reread)
        p->reread(p->fetch_ctx);
    list_screen_resume(s);
}

static const screen_ops picker_ops = {
    .resume = picker_resume,
    .keys = picker_keys,
    .widget_keys = keys_browse,
    .title = picker_title,
    .draw = picker_draw,
    .act = picker_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .destroy = picker_destroy,
};

screen *picker_screen_new(app *a, const char *title, const list_col *cols, size_t ncols,
                          list_fetch_fn fetch, void *fetch_ctx, void (*free_ctx)(void *),
                          picker_fn chosen, void *ctx, const char *initial_filter)
{
    picker_screen *p = calloc(1, sizeof *p);
    if (p)
        p->ls.list = list_new(cols, ncols, fetch, fetch_ctx, true, "picker.no_choice");
    if (!p || !p->ls.list) {
        if (free_ctx)
            free_ctx(fetch_ctx);
        free(p);
        return NULL;
    }
    p->ls.base.ops = &picker_ops;
    p->ls.base.app = a;
    if (chosen)
        trf(p->title, sizeof p->title, "form.pick_title", title);
    else
        snprintf(p->title, sizeof p->title, "%s", title);
    trf(p->empty, sizeof p->empty, "picker.empty", title);
    p->fetch_ctx = fetch_ctx;
    p->free_ctx = free_ctx;
    p->chosen = chosen;
    p->ctx = ctx;
    list_set_hint(p->ls.list, chosen ? "form.pick_filter_hint" : "picker.view_hint");
    if (initial_filter && *initial_filter)
        list_set_filter(p->ls.list, initial_filter);
    return &p->ls.base;
}

/* ---- in-memory rows (code lists, communities) ---- */

typedef struct mem_rows {
    size_t n;
    list_item *items;
    char **keys;       /* folded label, pinyin, initials, code: the filter's, whole */
    void *owner;       /* the chooser's own state, freed with the rows */
    void (*owner_free)(void *);
} mem_rows;

static void mem_rows_free(void *p)
{
    mem_rows *m = p;
    if (!m)
        return;
    if (m->owner_free)
        m->owner_free(m->owner);
    for (size_t i = 0; m->keys && i < m->n; i++)
        free(m->keys[i]);
    free(m->items);
    free(m->keys);
    free(m);
}

static mem_rows *mem_rows_new(size_t n)
{
    mem_rows *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->items = calloc(n ? n : 1, sizeof *m->items);
    m->keys = calloc(n ? n : 1, sizeof *m->keys);
    if (!m->items || !m->keys) {
        mem_rows_free(m);
        return NULL;
    }
    m->n = n;
    return m;
}

static void mem_rows_key(mem_rows *m, size_t i, const char *label, const char *code)
{
    text_pinyin py = {0};
    char *folded = text_fold(label);
    text_pinyin_text(label, &py);
    /* Whole, however long the label: a file's name is told apart by its
     * end (…初稿.csv, …最终版.csv), and its initials by all of them. */
    const char *parts[] = {folded ? folded : label, py.full ? py.full : "",
                           py.initials ? py.initials : "", code};
    size_t len = 0;
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
        len += strlen(parts[k]) + 1;
    free(m->keys[i]);
    m->keys[i] = malloc(len);
    if (m->keys[i])
        snprintf(m->keys[i], len, "%s|%s|%s|%s", parts[0], parts[1], parts[2], parts[3]);
    free(folded);
    text_pinyin_clear(&py);
}

/* Position = index + 1 serves as the row id, so paging works. */
/* 2: a part of row i's key ("label|pinyin|initials|...") is the filter;
 * 1: the key contains it; 0: no match. */
static int mem_rows_match(const mem_rows *m, size_t i, const char *f)
{
    if (!m->keys[i] || !strstr(m->keys[i], f))
        return 0;
    size_t fl = strlen(f);
    for (const char *p = m->keys[i]; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == fl && memcmp(p, f, fl) == 0)
            return 2;
        p += len + (e ? 1 : 0);
    }
    return 1;
}

/* Positions of rows in display order: with a filter, the rows it names
 * exactly first (qt gives 其他 before 其他亲属); NULL on no memory. */
static size_t *mem_rows_order(const mem_rows *m, const char *filter, size_t *count)
{
    char *f = filter && *filter ? text_fold(filter) : NULL;
    size_t *order = malloc((m->n ? m->n : 1) * sizeof *order);
    *count = 0;
    for (int want = 2; order && want >= 1; want--)
        for (size_t i = 0; i < m->n; i++)
            if (f ? mem_rows_match(m, i, f) == want : want == 2)
                order[(*count)++] = i;
    free(f);
    return order;
}

/* The position + 1 is the row id. */
static ws_status mem_rows_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                list_item *items, size_t max, size_t *n)
{
    mem_rows *m = ctx;
    size_t count;
    size_t *order = mem_rows_order(m, filter, &count);
    if (!order)
        return WS_ERR_NOMEM;
    *n = 0;
    int64_t k = dir > 0 ? after : (after ? after - 2 : (int64_t)count - 1);
    for (; *n < max && k >= 0 && k < (int64_t)count; k += dir > 0 ? 1 : -1) {
        items[*n] = m->items[order[k]];
        items[*n].id = k + 1;
        (*n)++;
    }
    free(order);
    return WS_OK;
}

/* ---- a few lines made afresh on every fetch ---- */

#define LIVE_MAX 128

typedef struct live_rows {
    list_fetch_fn fetch;
    void *ctx;
    void (*ctx_free)(void *);
    mem_rows *rows; /* as last read, with their keys; NULL: to read */
} live_rows;

static void live_rows_free(void *p)
{
    live_rows *l = p;
    if (!l)
        return;
    if (l->ctx_free)
        l->ctx_free(l->ctx);
    mem_rows_free(l->rows);
    free(l);
}

/* On top again: what it opened may have changed the lines (a count). */
static void live_rows_stale(void *p)
{
    live_rows *l = p;
    mem_rows_free(l->rows);
    l->rows = NULL;
}

/* The lines (their ids kept), read with their pinyin keys when shown, not
 * at each key typed into the search box; filtered and paged as a mem_rows
 * picker's. */
static ws_status live_rows_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    live_rows *l = ctx;
    *n = 0;
    ws_status s = WS_OK;
    if (!l->rows) {
        mem_rows *fresh = mem_rows_new(LIVE_MAX);
        if (!fresh)
            return WS_ERR_NOMEM;
        size_t got = 0;
        s = l->fetch(l->ctx, NULL, 0, 1, fresh->items, LIVE_MAX, &got);
        if (s != WS_OK) {
            mem_rows_free(fresh);
            return s;
        }
        fresh->n = got;
        for (size_t i = 0; i < fresh->n; i++)
            mem_rows_key(fresh, i, fresh->items[i].cells[0], "");
        l->rows = fresh;
    }
    const mem_rows *m = l->rows;
    size_t count = 0;
    size_t *order = s == WS_OK ? mem_rows_order(m, filter, &count) : NULL;
    if (s == WS_OK && !order)
        s = WS_ERR_NOMEM;
    int64_t k = dir > 0 ? 0 : (int64_t)count - 1;
    for (size_t i = 0; after && order && i < count; i++)
        if (m->items[order[i]].id == after)
            k = dir > 0 ? (int64_t)i + 1 : (int64_t)i - 1;
    for (; order && *n < max && k >= 0 && k < (int64_t)count; k += dir > 0 ? 1 : -1)
        items[(*n)++] = m->items[order[k]];
    free(order);
    return s;
}

void picker_set_menu(screen *s, const char *title)
{
    picker_screen *p = (picker_screen *)s;
    if (!p)
        return;
    p->menu = true;
    snprintf(p->title, sizeof p->title, "%s", title);
}

screen *live_picker_new(app *a, const char *title, const list_col *cols, size_t ncols,
                        list_fetch_fn fetch, void *fetch_ctx, void (*free_ctx)(void *),
                        picker_fn chosen, void *ctx)
{
    live_rows *l = calloc(1, sizeof *l);
    if (!l) {
        if (free_ctx)
            free_ctx(fetch_ctx);
        return NULL;
    }
    *l = (live_rows){.fetch = fetch, .ctx = fetch_ctx, .ctx_free = free_ctx};
    screen *s = picker_screen_new(a, title, cols, ncols, live_rows_fetch, l, live_rows_free,
                                  chosen, ctx, NULL);
    if (s)
        ((picker_screen *)s)->reread = live_rows_stale;
    return s;
}

static const list_col code_cols[] = {
    {"form.choice", 20, 1},
};

screen *code_picker_new(app *a, const char *list, const char *title, picker_fn chosen,
                        void *ctx, const char *initial_filter)
{
    return code_picker_new_except(a, list, NULL, title, chosen, ctx, initial_filter);
}

screen *code_picker_new_except(app *a, const char *list, const char *except, const char *title,
                               picker_fn chosen, void *ctx, const char *initial_filter)
{
    const code_list *cl = codebook_list(station_codes(app_station(a)), list);
    size_t n = cl ? cl->n : 0;
    mem_rows *m = mem_rows_new(n);
    if (!m)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (except && strcmp(cl->items[i].code, except) == 0)
            continue;
        snprintf(m->items[k].cells[0], LIST_CELL, "%s", code_label(&cl->items[i], 0));
        snprintf(m->items[k].cells[1], LIST_CELL, "%s", cl->items[i].code);
        /* Only what the clerk sees is searched: an English code would
         * answer letters typed as initials (n found 子 by "son"). */
        mem_rows_key(m, k, m->items[k].cells[0], "");
        k++;
    }
    m->n = k;
    screen *s = picker_screen_new(a, title, code_cols, 1, mem_rows_fetch, m, mem_rows_free,
                                  chosen, ctx, initial_filter);
    picker_set_empty(s, tr("picker.no_choice"), NULL);
    return s;
}

static const list_col label_cols[] = {
    {"app.parts_col", 20, 1},
};

/* One of n lines of text (translated with tr when keys), found by their
 * words or pinyin initials; cells[1] is the line's index. */
static screen *lines_picker_new(app *a, const char *title, const char *const *lines, size_t n,
                                bool keys, picker_fn chosen, void *ctx,
                                void (*ctx_free)(void *))
{
    mem_rows *m = mem_rows_new(n);
    if (!m) {
        if (ctx_free)
            ctx_free(ctx);
        return NULL;
    }
    m->owner = ctx;
    m->owner_free = ctx_free;
    for (size_t i = 0; i < n; i++) {
        snprintf(m->items[i].cells[0], LIST_CELL, "%s", keys ? tr(lines[i]) : lines[i]);
        snprintf(m->items[i].cells[1], LIST_CELL, "%zu", i);
        mem_rows_key(m, i, m->items[i].cells[0], "");
    }
    return picker_screen_new(a, title, label_cols, 1, mem_rows_fetch, m, mem_rows_free, chosen,
                             ctx, NULL);
}

screen *label_picker_new(app *a, const char *title, const char *const *label_keys, size_t n,
                         picker_fn chosen, void *ctx, void (*ctx_free)(void *))
{
    return lines_picker_new(a, title, label_keys, n, true, chosen, ctx, ctx_free);
}

screen *strings_picker_new(app *a, const char *title, const char *const *items, size_t n,
                           picker_fn chosen, void *ctx)
{
    return lines_picker_new(a, title, items, n, false, chosen, ctx, NULL);
}

#define FILE_NAME_COLS 74 /* an 80-column screen's row, less the list's margins */

static const list_col file_cols[] = {
    {"complete.col_file", 20, 1},
};

static const char *file_user(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : NULL;
}

screen *file_picker_new(app *a, const char *folder, picker_fn chosen, void *ctx)
{
    path_list files = {0}, sticks = {0};
    path_ledgers(folder, &files);
    path_mounts("", file_user(), &sticks);
    mem_rows *m = mem_rows_new(files.n + sticks.n);
    size_t k = 0;
    for (size_t i = 0; m && i < files.n + sticks.n; i++) {
        bool stick = i >= files.n;
        const path_entry *e = stick ? &sticks.items[i - files.n] : &files.items[i];
        /* a row holds its whole path, or is left out (never cut short) */
        if (snprintf(m->items[k].cells[1], LIST_CELL, "%s", e->path) >= LIST_CELL)
            continue;
        if (stick) {
            trf(m->items[k].cells[0], LIST_CELL, "complete.usb_item", e->name);
        } else {
            /* Two long names differ at their end (…初稿.csv, …最终版.csv):
             * both ends shown within the narrowest screen's row. */
            char *shown = text_elide_middle(e->name, FILE_NAME_COLS);
            snprintf(m->items[k].cells[0], LIST_CELL, "%s", shown ? shown : e->name);
            free(shown);
        }
        mem_rows_key(m, k, e->name, "");
        k++;
    }
    if (m)
        m->n = k;
    path_list_free(&files);
    path_list_free(&sticks);
    if (!m)
        return NULL;
    screen *s = picker_screen_new(a, tr("complete.ledgers"), file_cols, 1, mem_rows_fetch, m,
                                  mem_rows_free, chosen, ctx, NULL);
    picker_set_empty(s, tr("complete.no_match"), tr("complete.no_files"));
    return s;
}

static const list_col community_cols[] = {
    {"field.community", 20, 1},
};

screen *community_picker_new(app *a, picker_fn chosen, void *ctx)
{
    community *items = NULL;
    size_t n = 0;
    ws_status s = community_list(app_station(a), &items, &n);
    if (s != WS_OK) {
        app_status_error(a, s);
        return NULL;
    }
    mem_rows *m = mem_rows_new(n);
    if (!m) {
        free(items);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(m->items[i].cells[0], LIST_CELL, "%s", items[i].name);
        /* Real id kept in cells[1]; the list id is the position. */
        snprintf(m->items[i].cells[1], LIST_CELL, "%lld", (long long)items[i].id);
        mem_rows_key(m, i, items[i].name, items[i].code);
    }
    free(items);
    screen *p = picker_screen_new(a, tr("field.community"), community_cols, 1, mem_rows_fetch,
                                  m, mem_rows_free, chosen, ctx, NULL);
    char empty[256];
    picker_set_empty(p, trf(empty, sizeof empty, "picker.empty", tr("kind.community")),
                     tr("picker.no_communities"));
    return p;
}

/* ---- households ---- */

static const list_col household_pick_cols[] = {
    {"households.col_number", 8, 1},
    {"households.col_head", 8, 2},
    {"households.col_community", 8, 2},
    {"households.col_members", 4, 0},
    {"households.col_address", 10, 4},
};

static ws_status household_pick_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                      list_item *items, size_t max, size_t *n)
{
    app *a = ctx;
    household_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = household_list(app_station(a), filter, after, dir, rows, max, n);
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

screen *household_picker_new(app *a, const char *title, picker_fn chosen, void *ctx)
{
    screen *s = picker_screen_new(a, title, household_pick_cols,
                                  sizeof household_pick_cols / sizeof household_pick_cols[0],
                                  household_pick_fetch, a, NULL, chosen, ctx, NULL);
    char empty[256];
    picker_set_empty(s, trf(empty, sizeof empty, "picker.empty", tr("kind.household")), NULL);
    return s;
}

/* ---- the menu: every action of a screen, for terminals that eat F-keys ---- */

static const list_col menu_cols[] = {
    {"menu.col_action", 16, 2},
    {"menu.col_keys", 16, 1},
};

static void menu_chosen(app *a, void *ctx, const list_item *row)
{
    app_run_action(a, ctx, (action)atoi(row->cells[2]));
}

screen *menu_screen_new(app *a, screen *under)
{
    const keybind *tables[] = {under->ops->keys, under->ops->widget_keys, keys_global};
    size_t ntables = sizeof tables / sizeof *tables;
    action acts[ACT_COUNT];
    size_t n = 0;
    bool typing = under->ops->typing && under->ops->typing(under);
    for (size_t t = 0; t < ntables; t++)
        for (const keybind *b = tables[t]; b && b->key; b++) {
            size_t i = 0;
            while (i < n && acts[i] != b->act)
                i++;
            if (i == n && !action_is_movement(b->act) && b->act != ACT_MENU &&
                app_allows(a, under, b->act))
                acts[n++] = b->act;
        }
    mem_rows *m = mem_rows_new(n);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        snprintf(m->items[i].cells[0], LIST_CELL, "%s", tr(action_help_key(acts[i])));
        keys_describe(tables, ntables, acts[i], 0, typing ? KB_LETTER : 0, " / ",
                      m->items[i].cells[1], LIST_CELL);
        snprintf(m->items[i].cells[2], LIST_CELL, "%d", (int)acts[i]);
        mem_rows_key(m, i, m->items[i].cells[0], m->items[i].cells[1]);
    }
    char name[200] = "", title[256];
    if (under->ops->title)
        under->ops->title(under, name, sizeof name);
    trf(title, sizeof title, "menu.title", name);
    screen *s = picker_screen_new(a, title, menu_cols, 2, mem_rows_fetch, m, mem_rows_free,
                                  menu_chosen, under, NULL);
    if (s) {
        picker_screen *p = (picker_screen *)s;
        snprintf(p->title, sizeof p->title, "%s", title);
        list_set_hint(p->ls.list, "menu.hint");
        picker_set_empty(s, tr("menu.empty"), NULL);
    }
    return s;
}

/* ---- residents, with the register's own search ---- */

static ws_status resident_pick_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                     list_item *items, size_t max, size_t *n)
{
    app *a = ctx;
    resident_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = resident_list(app_station(a), filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++)
        residents_fill_item(a, &rows[i], &items[i]);
    free(rows);
    return s;
}

screen *resident_picker_new(app *a, const char *title, picker_fn chosen, void *ctx)
{
    return picker_screen_new(a, title, residents_cols, residents_ncols, resident_pick_fetch, a,
                             NULL, chosen, ctx, NULL);
}

/* ---- a module's menu of counted lines ---- */

typedef struct hub_ctx {
    app *a;
    const hub_def *hub;
} hub_ctx;

static ws_status hub_fetch(void *ctx, const char *filter, int64_t after, int dir,
                           list_item *items, size_t max, size_t *n)
{
    const hub_ctx *h = ctx;
    (void)filter, (void)after, (void)dir; /* all at once: live_picker_new */
    *n = 0;
    char *counts = calloc(1, h->hub->counts_size);
    if (!counts)
        return WS_ERR_NOMEM;
    station *st = app_station(h->a);
    ws_status s = h->hub->counts(st, counts);
    for (size_t i = 0; s == WS_OK && i < h->hub->n && *n < max; i++) {
        const hub_line *l = &h->hub->lines[i];
        if (l->needs_perm && !station_can(st, l->perm))
            continue;
        long long v[3] = {0, 0, 0};
        for (int k = 0; k < l->ncounts && k < 3; k++) {
            int64_t c;
            memcpy(&c, counts + l->counts[k], sizeof c);
            v[k] = (long long)c;
        }
        list_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = (int64_t)i + 1;
        trf(it->cells[0], LIST_CELL, l->key, v[0], v[1], v[2]);
    }
    free(counts);
    return s;
}

static void hub_chosen(app *a, void *ctx, const list_item *row)
{
    const hub_ctx *h = ctx;
    size_t i = (size_t)(row->id - 1);
    screen *s = i < h->hub->n ? h->hub->lines[i].open(a) : NULL;
    if (s)
        app_push(a, s);
}

screen *hub_screen_new(app *a, const hub_def *hub)
{
    hub_ctx *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    *h = (hub_ctx){.a = a, .hub = hub};
    screen *s = live_picker_new(a, tr(hub->title_key), hub->col, 1, hub_fetch, h, free,
                                hub_chosen, h);
    picker_set_menu(s, tr(hub->title_key));
    return s;
}
