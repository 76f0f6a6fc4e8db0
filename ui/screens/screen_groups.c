/* Vulnerable-group statuses of the resident being edited: a checklist of
 * the code list, and a small form for one status's dates and certificate.
 * Unticking keeps a status's details until the resident is saved, so
 * ticking it again brings them back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"

typedef struct groups_screen {
    screen base;
    list_widget *list;
    resident *r;
    bool *changed;
} groups_screen;

static const list_col groups_cols[] = {
    {"field.groups", 18, 2},
    {"field.group_start", 10, 0},
    {"field.group_cert", 10, 1},
    {"field.group_review", 10, 0},
    {"field.disability_type", 8, 1},
};

static const keybind groups_keys[] = {
    {' ', ACT_TOGGLE, KB_BAR},
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {KEYCODE | KEY_F(8), ACT_DELETE, KB_BAR},
    {KEY_CTRL('d'), ACT_DELETE, 0},
    {0, ACT_NONE, 0},
};

static const code_list *groups_codes(app *a)
{
    return codebook_list(station_codes(app_station(a)), "vulnerable_group");
}

static ws_status groups_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    groups_screen *g = ctx;
    (void)filter;
    const code_list *cl = groups_codes(g->base.app);
    const codebook *cb = station_codes(app_station(g->base.app));
    *n = 0;
    int64_t total = cl ? (int64_t)cl->n : 0;
    int64_t i = dir > 0 ? after : (after ? after - 2 : total - 1);
    for (; *n < max && i >= 0 && i < total; i += dir > 0 ? 1 : -1) {
        const code_item *it = &cl->items[i];
        resident_group *rg = resident_group_find(g->r, it->code);
        bool held = rg != NULL;
        if (!rg) /* unticked: its kept details show until the save */
            rg = resident_group_unticked(g->r, it->code);
        list_item *li = &items[(*n)++];
        memset(li->cells, 0, sizeof li->cells);
        li->id = i + 1;
        snprintf(li->cells[0], LIST_CELL, "[%s] %s", held ? "x" : " ", code_label(it, 0));
        if (!rg)
            continue;
        snprintf(li->cells[1], LIST_CELL, "%s", rg->start_date);
        snprintf(li->cells[2], LIST_CELL, "%s", rg->cert_no);
        snprintf(li->cells[3], LIST_CELL, "%s", rg->review_date);
        const code_item *t = codebook_find(cb, "disability_type", rg->disability_type);
        const code_item *gr = codebook_find(cb, "disability_grade", rg->disability_grade);
        snprintf(li->cells[4], LIST_CELL, "%s%s", t ? code_label(t, 1) : "",
                 gr ? code_label(gr, 1) : "");
    }
    return WS_OK;
}

static const code_item *groups_selected(groups_screen *g)
{
    int64_t id = list_selected_id(g->list);
    const code_list *cl = groups_codes(g->base.app);
    return cl && id > 0 && (size_t)id <= cl->n ? &cl->items[id - 1] : NULL;
}

static void groups_title(screen *s, char *out, size_t outsz)
{
    groups_screen *g = (groups_screen *)s;
    snprintf(out, outsz, "%s  %s", tr("form.groups_title"), g->r->name);
}

static void groups_draw(screen *s, int top, int height, int width)
{
    list_draw(((groups_screen *)s)->list, top, height, width);
}

static screen *group_form_new(app *a, resident *r, const char *code, bool *changed);

/* Untick a held status (its details stay until the save). */
static void groups_untick(groups_screen *g, const code_item *it)
{
    if (!resident_group_untick(g->r, it->code))
        return;
    *g->changed = true;
    list_reload(g->list);
    char msg[256];
    app_message(g->base.app, false, "%s",
                trf(msg, sizeof msg, "form.group_unticked", code_label(it, 0)));
}

static bool groups_act(screen *s, action act)
{
    groups_screen *g = (groups_screen *)s;
    const code_item *it = groups_selected(g);
    switch (act) {
    case ACT_TOGGLE:
        if (!it)
            return true;
        if (resident_group_find(g->r, it->code)) {
            groups_untick(g, it);
            return true;
        }
        if (resident_group_retick(g->r, it->code)) {
            char msg[256];
            app_message(s->app, false, "%s",
                        trf(msg, sizeof msg, "form.group_reticked", code_label(it, 0)));
        } else {
            resident_group rg;
            memset(&rg, 0, sizeof rg);
            snprintf(rg.code, sizeof rg.code, "%s", it->code);
            resident_group_set(g->r, &rg);
        }
        *g->changed = true;
        list_reload(g->list);
        return true;
    case ACT_OPEN:
        if (it)
            app_push(s->app, group_form_new(s->app, g->r, it->code, g->changed));
        return true;
    case ACT_DELETE:
        if (it)
            groups_untick(g, it);
        return true;
    case ACT_BACK:
        app_pop(s->app);
        return true;
    default:
        return list_act(g->list, act);
    }
}

static void groups_resume(screen *s)
{
    list_reload(((groups_screen *)s)->list);
}

static void groups_destroy(screen *s)
{
    groups_screen *g = (groups_screen *)s;
    list_free(&g->list);
    free(g);
}

static const screen_ops groups_ops = {
    .keys = groups_keys,
    .widget_keys = keys_browse,
    .title = groups_title,
    .draw = groups_draw,
    .act = groups_act,
    .resume = groups_resume,
    .destroy = groups_destroy,
};

screen *groups_screen_new(app *a, resident *r, bool *changed)
{
    groups_screen *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->base.ops = &groups_ops;
    g->base.app = a;
    g->r = r;
    g->changed = changed;
    g->list = list_new(groups_cols, sizeof groups_cols / sizeof groups_cols[0], groups_fetch, g,
                       false, "form.group_none");
    if (!g->list) {
        free(g);
        return NULL;
    }
    return &g->base;
}

/* ---- one status ---- */

enum { GF_START = 1, GF_CERT, GF_REVIEW, GF_DTYPE, GF_DGRADE };

static const form_field_def group_fields[] = {
    {GF_START, "field.group_start", FT_DATE, 0, NULL},
    {GF_CERT, "field.group_cert", FT_TEXT, RESIDENT_CERT_CHARS, NULL},
    {GF_REVIEW, "field.group_review", FT_DATE, 0, NULL},
    {GF_DTYPE, "field.disability_type", FT_CODE, 0, "disability_type"},
    {GF_DGRADE, "field.disability_grade", FT_CODE, 0, "disability_grade"},
};

typedef struct group_form {
    form_screen fs;
    resident *r;
    char code[32];
    bool *changed;
    char title[256];
} group_form;

static void group_form_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((group_form *)s)->title);
}

static void group_form_draw(screen *s, int top, int height, int width)
{
    group_form *gf = (group_form *)s;
    form_draw(gf->fs.form, top + 1, height - 2, width);
    form_draw_error(gf->fs.form, top + height - 1, width);
}

static bool group_form_check_date(group_form *gf, int id, bool past_only, char out[16])
{
    const char *t = form_text(gf->fs.form, id);
    if (!*t) {
        out[0] = '\0';
        return true;
    }
    char norm[11];
    val_status v = val_date(t, app_today(gf->fs.base.app), past_only, norm);
    if (v != VAL_OK) {
        form_set_error(gf->fs.form, id, tr(val_status_key(v)));
        return false;
    }
    snprintf(out, 16, "%s", norm);
    return true;
}

static void group_form_save(group_form *gf)
{
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "%s", gf->code);
    form_clear_errors(gf->fs.form);
    if (!group_form_check_date(gf, GF_START, true, g.start_date) ||
        !group_form_check_date(gf, GF_REVIEW, false, g.review_date) || !form_check(gf->fs.form))
        return;
    snprintf(g.cert_no, sizeof g.cert_no, "%s", form_text(gf->fs.form, GF_CERT));
    snprintf(g.disability_type, sizeof g.disability_type, "%s", form_code(gf->fs.form, GF_DTYPE));
    snprintf(g.disability_grade, sizeof g.disability_grade, "%s", form_code(gf->fs.form, GF_DGRADE));
    resident_group_set(gf->r, &g); /* ticks it, unticked or not */
    *gf->changed = true;
    app_pop(gf->fs.base.app);
}

static void group_form_picked(app *a, void *ctx, const list_item *row)
{
    group_form *gf = ctx;
    (void)a;
    form_set_code(gf->fs.form, form_focus_id(gf->fs.form), row->cells[1], row->cells[0]);
    form_mark_dirty(gf->fs.form);
    form_act(gf->fs.form, ACT_NEXT_FIELD);
}

static bool group_form_act(screen *s, action act)
{
    group_form *gf = (group_form *)s;
    switch (act) {
    case ACT_SAVE:
        group_form_save(gf);
        return true;
    case ACT_PICK: {
        int id = form_focus_id(gf->fs.form);
        if (id == GF_DTYPE || id == GF_DGRADE) {
            const form_field_def *d = &group_fields[id - 1];
            app_push(s->app, code_picker_new(s->app, d->code_list, tr(d->label_key),
                                             group_form_picked, gf, NULL));
        } else {
            form_act(gf->fs.form, ACT_NEXT_FIELD);
        }
        return true;
    }
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(gf->fs.form, act);
    }
}

static void group_form_destroy(screen *s)
{
    group_form *gf = (group_form *)s;
    form_free(&gf->fs.form);
    free(gf);
}

static const screen_ops group_form_ops = {
    .widget_keys = keys_form,
    .title = group_form_title,
    .draw = group_form_draw,
    .act = group_form_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = group_form_destroy,
};

static screen *group_form_new(app *a, resident *r, const char *code, bool *changed)
{
    const code_item *it = codebook_find(station_codes(app_station(a)), "vulnerable_group", code);
    if (!it)
        return NULL;
    group_form *gf = calloc(1, sizeof *gf);
    if (!gf)
        return NULL;
    bool disability = it->flags & CODE_DISABILITY;
    gf->fs.form = form_new(group_fields, disability ? 5 : 3);
    if (!gf->fs.form) {
        free(gf);
        return NULL;
    }
    gf->fs.base.ops = &group_form_ops;
    gf->fs.base.app = a;
    gf->r = r;
    gf->changed = changed;
    snprintf(gf->code, sizeof gf->code, "%s", code);
    trf(gf->title, sizeof gf->title, "form.group_title", code_label(it, 0));
    resident_group *g = resident_group_find(r, code);
    if (!g) /* unticked: its kept details, saved again when ticked */
        g = resident_group_unticked(r, code);
    if (g) {
        const codebook *cb = station_codes(app_station(a));
        form_set_text(gf->fs.form, GF_START, g->start_date);
        form_set_text(gf->fs.form, GF_CERT, g->cert_no);
        form_set_text(gf->fs.form, GF_REVIEW, g->review_date);
        const code_item *t = codebook_find(cb, "disability_type", g->disability_type);
        const code_item *gr = codebook_find(cb, "disability_grade", g->disability_grade);
        form_set_code(gf->fs.form, GF_DTYPE, t ? t->code : "", t ? code_label(t, 0) : "");
        form_set_code(gf->fs.form, GF_DGRADE, gr ? gr->code : "", gr ? code_label(gr, 0) : "");
    }
    form_set_clean(gf->fs.form);
    return &gf->fs.base;
}
