#include "list.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "wushe/catalog.h"

#define LIST_FILTER_MAX 120

struct list_widget {
    const list_col *cols;
    size_t ncols;
    list_fetch_fn fetch;
    void *ctx;
    const char *empty_key;
    const char *no_match_key; /* with a search typed (NULL: empty_key) */
    const char *hint_key;
    list_item *items; /* the window: n of cap rows */
    list_item *tmp;   /* fetch buffer, cap rows */
    size_t n, cap;
    size_t cursor;
    bool loaded;
    lineedit *filter; /* NULL when not filterable; then it has the keyboard */
    size_t filter_first;
    ws_status status;
};

list_widget *list_new(const list_col *cols, size_t ncols, list_fetch_fn fetch, void *ctx,
                      bool filterable, const char *empty_key)
{
    list_widget *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->cols = cols;
    l->ncols = ncols < LIST_MAX_COLS ? ncols : LIST_MAX_COLS;
    l->fetch = fetch;
    l->ctx = ctx;
    l->empty_key = empty_key;
    l->hint_key = "residents.filter_hint";
    if (filterable && !(l->filter = lineedit_new(LIST_FILTER_MAX))) {
        free(l);
        return NULL;
    }
    return l;
}

void list_free(list_widget **lp)
{
    if (!lp || !*lp)
        return;
    list_widget *l = *lp;
    lineedit_free(&l->filter);
    free(l->items);
    free(l->tmp);
    free(l);
    *lp = NULL;
}

static const char *list_filter_text(const list_widget *l)
{
    return l->filter ? lineedit_text(l->filter) : "";
}

const char *list_filter(const list_widget *l)
{
    return list_filter_text(l);
}

static size_t list_fetch(list_widget *l, int64_t after, int dir, size_t max)
{
    size_t n = 0;
    if (max > l->cap)
        max = l->cap;
    l->status = l->fetch(l->ctx, list_filter_text(l), after, dir, l->tmp, max, &n);
    return l->status == WS_OK ? n : 0;
}

/* Set the window to tmp[0..k) in display order (reversed when backward). */
static void list_take(list_widget *l, size_t k, bool reversed)
{
    for (size_t i = 0; i < k; i++)
        l->items[i] = l->tmp[reversed ? k - 1 - i : i];
    l->n = k;
}

static void list_append(list_widget *l, size_t k)
{
    size_t total = l->n + k;
    size_t drop = total > l->cap ? total - l->cap : 0;
    if (drop) {
        memmove(l->items, l->items + drop, (l->n - drop) * sizeof *l->items);
        l->n -= drop;
        l->cursor = l->cursor >= drop ? l->cursor - drop : 0;
    }
    memcpy(l->items + l->n, l->tmp, k * sizeof *l->items);
    l->n += k;
}

/* tmp holds k rows nearest-first before the window. */
static void list_prepend(list_widget *l, size_t k)
{
    size_t keep = l->n;
    if (keep + k > l->cap)
        keep = l->cap - k;
    memmove(l->items + k, l->items, keep * sizeof *l->items);
    for (size_t i = 0; i < k; i++)
        l->items[k - 1 - i] = l->tmp[i];
    l->n = keep + k;
    l->cursor += k;
    if (l->cursor >= l->n)
        l->cursor = l->n ? l->n - 1 : 0;
}

static void list_home(list_widget *l)
{
    list_take(l, list_fetch(l, 0, 1, l->cap), false);
    l->cursor = 0;
    l->loaded = true;
}

static void list_end(list_widget *l)
{
    list_take(l, list_fetch(l, 0, -1, l->cap), true);
    l->cursor = l->n ? l->n - 1 : 0;
    l->loaded = true;
}

void list_goto(list_widget *l, int64_t id)
{
    if (l->cap == 0) {
        l->loaded = false;
        return;
    }
    size_t before = l->cap / 2;
    size_t m = list_fetch(l, id, -1, before + 1);
    int64_t from = m == before + 1 ? l->tmp[before].id : 0;
    if (l->status != WS_OK)
        return;
    list_take(l, list_fetch(l, from, 1, l->cap), false);
    l->cursor = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            l->cursor = i;
    l->loaded = true;
}

void list_reload(list_widget *l)
{
    if (!l->loaded || l->n == 0 || l->cap == 0) {
        list_home(l);
        return;
    }
    int64_t keep = l->items[l->cursor].id;
    size_t keep_cursor = l->cursor;
    int64_t first = l->items[0].id;
    size_t m = list_fetch(l, first, -1, 1);
    int64_t from = m ? l->tmp[0].id : 0;
    list_take(l, list_fetch(l, from, 1, l->cap), false);
    l->cursor = keep_cursor < l->n ? keep_cursor : (l->n ? l->n - 1 : 0);
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == keep)
            l->cursor = i;
}

void list_set_hint(list_widget *l, const char *key)
{
    l->hint_key = key;
}

void list_set_filter(list_widget *l, const char *text)
{
    if (!l->filter)
        return;
    lineedit_set(l->filter, text);
    list_home(l);
}

static void list_resize(list_widget *l, size_t rows)
{
    if (rows == l->cap)
        return;
    list_item *a = realloc(l->items, rows * sizeof *a);
    if (!a)
        return;
    l->items = a;
    list_item *b = realloc(l->tmp, rows * sizeof *b);
    if (!b)
        return;
    l->tmp = b;
    l->cap = rows;
    if (l->n > rows)
        l->n = rows;
    if (l->cursor >= rows)
        l->cursor = rows ? rows - 1 : 0;
    if (l->loaded)
        list_reload(l);
}

static void list_down(list_widget *l, size_t step)
{
    if (l->n == 0)
        return;
    if (l->cursor + step < l->n) {
        l->cursor += step;
        return;
    }
    size_t k = list_fetch(l, l->items[l->n - 1].id, 1, step);
    if (k == 0) {
        l->cursor = l->n - 1;
        return;
    }
    size_t target = l->cursor + step;
    size_t old_n = l->n;
    list_append(l, k);
    /* Rows dropped from the top moved the cursor up with them. */
    size_t dropped = old_n + k - l->n;
    target -= dropped;
    l->cursor = target < l->n ? target : l->n - 1;
}

static void list_up(list_widget *l, size_t step)
{
    if (l->n == 0)
        return;
    if (l->cursor >= step) {
        l->cursor -= step;
        return;
    }
    size_t k = list_fetch(l, l->items[0].id, -1, step);
    size_t target = l->cursor + k >= step ? l->cursor + k - step : 0;
    list_prepend(l, k);
    l->cursor = target < l->n ? target : 0;
}

/* A filterable list always takes printable keys into its search box: a
 * clerk's initials must never run a command. */
bool list_typing(const list_widget *l)
{
    return l->filter != NULL;
}

bool list_act(list_widget *l, action a)
{
    size_t page = l->cap > 1 ? l->cap - 1 : 1;
    switch (a) {
    case ACT_UP:
        list_up(l, 1);
        return true;
    case ACT_DOWN:
        list_down(l, 1);
        return true;
    case ACT_PAGE_UP:
        list_up(l, page);
        return true;
    case ACT_PAGE_DOWN:
        list_down(l, page);
        return true;
    case ACT_FIRST:
        list_home(l);
        return true;
    case ACT_LAST:
        list_end(l);
        return true;
    case ACT_SEARCH:
        /* The search box always has the keyboard; F3 selects its text for
         * a new search. */
        if (!l->filter)
            return false;
        lineedit_end(l->filter);
        return true;
    case ACT_BACK:
        if (!l->filter || !lineedit_len(l->filter))
            return false;
        /* Esc first clears the filter, then leaves the screen. */
        list_set_filter(l, "");
        return true;
    default:
        return false;
    }
}

bool list_key(list_widget *l, int key)
{
    if (!l->filter)
        return false;
    bool changed = false;
    if (key & KEY_PASTED) {
        /* Pasted into the search box: one line; breaks become spaces. */
        key &= ~KEY_PASTED;
        if (key == '\r' || key == '\n' || key == '\t')
            key = ' ';
        else if (key < 32 || key == 127)
            return true;
    }
    if (key == (KEYCODE | KEY_BACKSPACE) || key == 127 || key == 8) {
        changed = lineedit_backspace(l->filter);
    } else if (key == (KEYCODE | KEY_DC)) {
        changed = lineedit_delete(l->filter);
    } else if (key == (KEYCODE | KEY_LEFT)) {
        lineedit_left(l->filter);
    } else if (key == (KEYCODE | KEY_RIGHT)) {
        lineedit_right(l->filter);
    } else if (key == (KEYCODE | KEY_HOME) || key == KEY_CTRL('a')) {
        lineedit_home(l->filter);
    } else if (key == (KEYCODE | KEY_END) || key == KEY_CTRL('e')) {
        lineedit_end(l->filter);
    } else if (key == KEY_CTRL('u')) {
        lineedit_kill_to_start(l->filter);
        changed = true;
    } else if (!(key & KEYCODE) && (key > 32 || (key == 32 && lineedit_len(l->filter)))) {
        changed = lineedit_insert_cp(l->filter, (uint32_t)key);
    } else {
        return false;
    }
    if (changed)
        list_home(l);
    return true;
}

/* Column widths for the available width; separators are one space. */
static void list_layout(const list_widget *l, int width, int *w)
{
    int total = 0, weights = 0;
    for (size_t i = 0; i < l->ncols; i++) {
        w[i] = l->cols[i].min;
        total += w[i] + (i ? 1 : 0);
        weights += l->cols[i].weight;
    }
    int extra = width - total;
    if (extra > 0 && weights > 0) {
        int given = 0;
        for (size_t i = 0; i < l->ncols; i++) {
            int add = extra * l->cols[i].weight / weights;
            w[i] += add;
            given += add;
        }
        for (size_t i = l->ncols; i-- > 0 && given < extra;)
            if (l->cols[i].weight) {
                w[i] += extra - given;
                given = extra;
            }
    }
    for (size_t i = l->ncols; extra < 0 && i-- > 0;) {
        int cut = w[i] - 1 < -extra ? w[i] - 1 : -extra;
        w[i] -= cut;
        extra += cut;
    }
}

static void list_draw_row(const list_widget *l, int y, const int *w, const char *const *cells,
                          attr_t attr)
{
    int x = 0;
    for (size_t c = 0; c < l->ncols; c++) {
        draw_cell_attr(y, x, w[c], cells[c], attr); /* "…" where cut */
        x += w[c];
        if (c + 1 < l->ncols) {
            draw_text_attr(y, x, 1, " ", true, attr);
            x += 1;
        }
    }
}

void list_draw(list_widget *l, int top, int height, int width)
{
    int y = top;
    if (l->filter) {
        const char *label = tr("residents.filter");
        int lw = draw_width(label) + 2;
        draw_text_attr(y, 0, lw, label, true, A_BOLD);
        int fw = width - lw - 1;
        int cur = 0;
        size_t first = lineedit_view(l->filter, fw, &l->filter_first, &cur);
        if (lineedit_len(l->filter) == 0)
            draw_text_attr(y, lw, fw, tr(l->hint_key), true, A_DIM);
        else
            draw_text_attr(y, lw, fw, lineedit_text(l->filter) + first, true,
                           COLOR_PAIR(PAIR_FIELD));
        draw_set_cursor(y, lw + cur);
        y++;
    }
    int w[LIST_MAX_COLS];
    list_layout(l, width, w);
    const char *titles[LIST_MAX_COLS];
    for (size_t c = 0; c < l->ncols; c++)
        titles[c] = tr(l->cols[c].title_key);
    list_draw_row(l, y++, w, titles, A_BOLD | COLOR_PAIR(PAIR_HEADER));
    int rows = top + height - y;
    if (rows < 1)
        rows = 1;
    list_resize(l, (size_t)rows);
    if (!l->loaded)
        list_home(l);
    if (l->status != WS_OK) {
        char buf[256];
        draw_text_attr(y, 0, width, trf(buf, sizeof buf, "app.error", tr(ws_status_key(l->status))),
                       true, COLOR_PAIR(PAIR_ERROR));
        return;
    }
    if (l->n == 0) {
        const char *typed = l->filter ? lineedit_text(l->filter) : "";
        char buf[512];
        if (l->no_match_key && typed[0])
            trf(buf, sizeof buf, l->no_match_key, typed);
        else
            snprintf(buf, sizeof buf, "%s", tr(l->empty_key));
        draw_text_attr(y, 0, width, buf, true, A_DIM);
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        const char *cells[LIST_MAX_COLS];
        for (size_t c = 0; c < l->ncols; c++)
            cells[c] = l->items[i].cells[c];
        attr_t attr = i == l->cursor ? (COLOR_PAIR(PAIR_SELECT) | A_BOLD) : A_NORMAL;
        list_draw_row(l, y + (int)i, w, cells, attr);
    }
}

int64_t list_selected_id(const list_widget *l)
{
    return l->n ? l->items[l->cursor].id : 0;
}

const list_item *list_selected(const list_widget *l)
{
    return l->n ? &l->items[l->cursor] : NULL;
}

size_t list_count(const list_widget *l)
{
    return l->n;
}

ws_status list_status(const list_widget *l)
{
    return l->status;
}

void list_set_no_match(list_widget *l, const char *key)
{
    l->no_match_key = key;
}
