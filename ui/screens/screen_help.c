/* Help: the keys that work on the screen below, from its own key tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"

#define HELP_MAX 40

typedef struct help_screen {
    screen base;
    char title[256];
    size_t n;
    action acts[HELP_MAX];
    char keys[HELP_MAX][96];
    size_t first; /* the first row shown: a long list scrolls */
    int rows;     /* rows the last frame had for the list */
} help_screen;

/* Every action of the tables once, with all its keys; letters are left out
 * where the screen below takes them as text, and what the role may not do
 * is not listed. */
static void help_fill(help_screen *h, screen *under, const keybind *const *tables,
                      size_t ntables, bool typing)
{
    for (size_t t = 0; t < ntables; t++)
        for (const keybind *b = tables[t]; b && b->key; b++) {
            size_t i = 0;
            while (i < h->n && h->acts[i] != b->act)
                i++;
            if (i < h->n || h->n == HELP_MAX || (typing && (b->flags & KB_LETTER)) ||
                !app_allows(h->base.app, under, b->act))
                continue;
            h->acts[h->n] = b->act;
            keys_describe(tables, ntables, b->act, 0, typing ? KB_LETTER : 0, " / ",
                          h->keys[h->n], sizeof h->keys[h->n]);
            h->n++;
        }
}

static void help_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((help_screen *)s)->title);
}

static void help_draw(screen *s, int top, int height, int width)
{
    help_screen *h = (help_screen *)s;
    int y = top + 1;
    draw_text_attr(y, 2, 28, tr("help.keys"), true, A_BOLD | COLOR_PAIR(PAIR_HEADER));
    draw_text_attr(y++, 32, width - 34, tr("help.what"), true, A_BOLD | COLOR_PAIR(PAIR_HEADER));
    h->rows = top + height - 1 - y;
    if (h->first + (size_t)h->rows > h->n)
        h->first = h->n > (size_t)h->rows ? h->n - (size_t)h->rows : 0;
    for (size_t i = h->first; i < h->n && y < top + height - 1; i++, y++) {
        draw_text(y, 2, 28, h->keys[i], true);
        draw_text(y, 32, width - 34, tr(action_help_key(h->acts[i])), true);
    }
    bool more = h->n > (size_t)h->rows;
    draw_text_attr(top + height - 1, 2, width - 4, tr(more ? "help.close_scroll" : "help.close"),
                   false, A_DIM);
}

static bool help_act(screen *s, action act)
{
    help_screen *h = (help_screen *)s;
    size_t page = h->rows > 1 ? (size_t)h->rows - 1 : 1;
    switch (act) {
    case ACT_UP:
        h->first -= h->first > 0;
        return true;
    case ACT_DOWN:
        h->first++;
        return true;
    case ACT_PAGE_UP:
        h->first = h->first > page ? h->first - page : 0;
        return true;
    case ACT_PAGE_DOWN:
        h->first += page;
        return true;
    default:
        app_pop(s->app);
        return true;
    }
}

static bool help_key(screen *s, int key)
{
    (void)key;
    app_pop(s->app);
    return true;
}

static void help_destroy(screen *s)
{
    free(s);
}

static const keybind help_keys[] = {
    {27, ACT_BACK, KB_BAR},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_PPAGE, ACT_PAGE_UP, 0},
    {KEYCODE | KEY_NPAGE, ACT_PAGE_DOWN, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops help_ops = {
    .keys = help_keys,
    .title = help_title,
    .draw = help_draw,
    .act = help_act,
    .key = help_key,
    .destroy = help_destroy,
};

screen *help_screen_new(app *a, screen *under)
{
    help_screen *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.ops = &help_ops;
    h->base.app = a;
    char name[200] = "";
    if (under && under->ops->title)
        under->ops->title(under, name, sizeof name);
    trf(h->title, sizeof h->title, "help.title", name);
    const keybind *tables[] = {under ? under->ops->keys : NULL,
                               under ? under->ops->widget_keys : NULL, keys_global};
    help_fill(h, under, tables, sizeof tables / sizeof *tables,
              under && under->ops->typing && under->ops->typing(under));
    return &h->base;
}
