/* A record's parts (a case's needs and goals, a volunteer's trainings and
 * awards): one small menu from a table, each line opening the part's own
 * list of that record's rows, or a screen of its own. Typing finds a line
 * by its words or initials, as in every picker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"
#include "screens_system.h"
#include "wushe/catalog.h"

#define PARTS_MAX 16

typedef struct parts_menu {
    const kind_part *parts;
    size_t n;
    int64_t parent_id;
    char parent_title[LIST_CELL];
} parts_menu;

static void parts_chosen(app *a, void *ctx, const list_item *row)
{
    parts_menu *m = ctx;
    size_t i = (size_t)strtoul(row->cells[1], NULL, 10);
    if (i >= m->n)
        return;
    const kind_part *p = &m->parts[i];
    if (p->open) {
        p->open(a, m->parent_id, m->parent_title);
        return;
    }
    record_parent parent = {.field = p->parent_field, .id = m->parent_id};
    app_push(a, p->ext ? kind_list_screen_ext_in(a, p->kind, p->ext, &parent, m->parent_title)
                       : kind_list_screen_in(a, p->kind, false, &parent, m->parent_title));
}

void kind_parts_open(app *a, const char *title_key, const kind_part *parts, size_t n,
                     int64_t parent_id, const char *parent_title)
{
    parts_menu *m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->parts = parts;
    m->n = n < PARTS_MAX ? n : PARTS_MAX;
    m->parent_id = parent_id;
    snprintf(m->parent_title, sizeof m->parent_title, "%s", parent_title ? parent_title : "");
    const char *labels[PARTS_MAX];
    for (size_t i = 0; i < m->n; i++)
        labels[i] = parts[i].label;
    char title[512];
    trf(title, sizeof title, title_key, m->parent_title);
    screen *p = label_picker_new(a, title, labels, m->n, parts_chosen, m, free);
    if (p)
        app_push(a, p);
}
