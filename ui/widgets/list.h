/* The list widget: a window of rows fetched by keyset paging (never all
 * rows), an incremental filter line, a cursor. Every list screen and every
 * picker uses it with its own fetch callback and columns. */
#ifndef WUSHE_UI_LIST_H
#define WUSHE_UI_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "wushe/lineedit.h"
#include "wushe/status.h"

#define LIST_MAX_COLS 10
#define LIST_CELL 256

typedef struct list_item {
    int64_t id;
    int64_t rev; /* the row's revision as read (0: none), for a write from the list */
    char cells[LIST_MAX_COLS][LIST_CELL];
} list_item;

typedef struct list_col {
    const char *title_key;
    int min;    /* columns */
    int weight; /* share of the extra width */
} list_col;

/* Fetch up to max rows after the row `after` (0: from the start, or from the
 * end when dir < 0) in direction dir; backward rows come nearest first. */
typedef ws_status (*list_fetch_fn)(void *ctx, const char *filter, int64_t after, int dir,
                                   list_item *items, size_t max, size_t *n);

typedef struct list_widget list_widget;

list_widget *list_new(const list_col *cols, size_t ncols, list_fetch_fn fetch, void *ctx,
                      bool filterable, const char *empty_key);
void list_free(list_widget **l);

/* Refetch keeping the cursor on the same row when it still exists. */
void list_reload(list_widget *l);
/* Show the row with this id under the cursor. */
void list_goto(list_widget *l, int64_t id);
void list_set_filter(list_widget *l, const char *text);
/* Catalog key of the grey hint in the empty filter line. */
void list_set_hint(list_widget *l, const char *key);
/* Catalog key ("…%s…", the search) of an empty list while a search is
 * typed, when the empty list's own words would say there is nothing at all. */
void list_set_no_match(list_widget *l, const char *key);
const char *list_filter(const list_widget *l);

/* Movement and filter focus; false when not a list action. */
bool list_act(list_widget *l, action a);
/* Typing into the filter; false when not taken. */
bool list_key(list_widget *l, int key);
bool list_typing(const list_widget *l);

void list_draw(list_widget *l, int top, int height, int width);

int64_t list_selected_id(const list_widget *l);
const list_item *list_selected(const list_widget *l);
size_t list_count(const list_widget *l); /* rows in the window */
ws_status list_status(const list_widget *l);

#endif
