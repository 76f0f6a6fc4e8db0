/* The household form: number, community, head (one of its members),
 * address, phone, notes; the members are listed below. Choosing another
 * head asks what the present head's relation becomes; the save changes
 * both relations and the head together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/text.h"

#define HOUSEHOLD_FORM_MEMBERS 12

typedef struct household_form {
    form_screen fs;
    household h;
    int64_t *saved_id;
    resident_row members[HOUSEHOLD_FORM_MEMBERS];
    size_t nmembers;
    int64_t picked_head; /* chosen, waiting for the old head's relation */
} household_form;

static const form_field_def household_fields[] = {
    {HF_NUMBER, "field.number", FT_TEXT, 40, NULL},
    {HF_COMMUNITY, "field.community", FT_REF, 0, NULL},
    {HF_HEAD, "field.head", FT_REF, 0, NULL},
    {HF_ADDRESS, "field.address", FT_TEXT, 500, NULL},
    {HF_PHONE, "field.phone", FT_PHONE, 36, NULL},
    {HF_NOTES, "field.notes", FT_TEXT, 1000, NULL},
};
#define HOUSEHOLD_NFIELDS (sizeof household_fields / sizeof household_fields[0])

static void household_form_members(household_form *hf)
{
    hf->nmembers = 0;
    if (hf->h.id)
        resident_members(app_station(hf->fs.base.app), hf->h.id, hf->members,
                         HOUSEHOLD_FORM_MEMBERS, &hf->nmembers);
}

static const char *household_form_member_name(household_form *hf, int64_t id)
{
    for (size_t i = 0; i < hf->nmembers; i++)
        if (hf->members[i].id == id)
            return hf->members[i].name;
    return "";
}

static void household_form_community(household_form *hf, int64_t cid)
{
    community *items = NULL;
    size_t n = 0;
    form_set_ref(hf->fs.form, HF_COMMUNITY, 0, "");
    if (!cid || community_list(app_station(hf->fs.base.app), &items, &n) != WS_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (items[i].id == cid)
            form_set_ref(hf->fs.form, HF_COMMUNITY, cid, items[i].name);
    free(items);
}

static void household_form_title(screen *s, char *out, size_t outsz)
{
    household_form *hf = (household_form *)s;
    const char *t = tr(form_readonly(hf->fs.form) ? "households.view_title"
                       : hf->h.id ? "households.edit_title" : "households.new_title");
    if (form_dirty(hf->fs.form))
        snprintf(out, outsz, "%s  [%s]", t, tr("form.unsaved"));
    else
        snprintf(out, outsz, "%s", t);
}

static void household_form_draw(screen *s, int top, int height, int width)
{
    household_form *hf = (household_form *)s;
    int y = form_draw(hf->fs.form, top + 1, (int)HOUSEHOLD_NFIELDS, width) + 1;
    if (hf->nmembers && y < top + height - 2) {
        char buf[300];
        draw_text_attr(y++, 1, width - 2, tr("action.members"), false,
                       A_BOLD | COLOR_PAIR(PAIR_HEADER));
        for (size_t i = 0; i < hf->nmembers && y < top + height - 1; i++) {
            const code_item *rel = codebook_find(station_codes(app_station(s->app)), "relation",
                                                 hf->members[i].relation);
            snprintf(buf, sizeof buf, "%s", hf->members[i].name);
            draw_text(y, 2, 16, buf, true);
            draw_text(y, 19, 14, rel ? code_label(rel, 0) : "", true);
            draw_text(y++, 34, 12, hf->members[i].birth_date, true);
        }
    }
    form_draw_error(hf->fs.form, top + height - 1, width);
}

static void household_form_save(household_form *hf)
{
    app *a = hf->fs.base.app;
    household h = hf->h;
    snprintf(h.number, sizeof h.number, "%s", form_text(hf->fs.form, HF_NUMBER));
    h.community_id = form_ref(hf->fs.form, HF_COMMUNITY);
    snprintf(h.address, sizeof h.address, "%s", form_text(hf->fs.form, HF_ADDRESS));
    snprintf(h.phone, sizeof h.phone, "%s", form_text(hf->fs.form, HF_PHONE));
    snprintf(h.notes, sizeof h.notes, "%s", form_text(hf->fs.form, HF_NOTES));
    form_clear_errors(hf->fs.form);
    household_error he;
    ws_status s = household_save(app_station(a), &h, &he);
    if (s == WS_ERR_INVALID) {
        char msg[512];
        household_field field = he.field;
        if (he.code == VAL_DUPLICATE)
            trf(msg, sizeof msg, "households.duplicate_number", he.detail);
        else if (he.field == HF_HEAD && he.code == VAL_HEAD_TAKEN)
            trf(msg, sizeof msg, "households.head_changed", he.detail);
        else if (he.field == HF_OLD_HEAD_RELATION)
            trf(msg, sizeof msg, "households.old_head_relation", he.detail);
        else
            snprintf(msg, sizeof msg, "%s", tr(val_status_key(he.code)));
        if (field == HF_OLD_HEAD_RELATION) /* asked on the head field */
            field = HF_HEAD;
        form_set_error(hf->fs.form, field, msg);
        return;
    }
    if (s == WS_ERR_STALE) {
        /* Saved in another console since this form opened: nothing is
         * overwritten, nothing typed here is lost. */
        char msg[512];
        app_message(a, true, "%s", trf(msg, sizeof msg, "record.stale", he.detail));
        return;
    }
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    if (hf->saved_id)
        *hf->saved_id = h.id;
    app_message(a, false, "%s", tr("app.saved"));
    app_pop(a);
}

static void household_form_picked_community(app *a, void *ctx, const list_item *row)
{
    household_form *hf = ctx;
    (void)a;
    form_set_ref(hf->fs.form, HF_COMMUNITY, atoll(row->cells[1]), row->cells[0]);
    form_mark_dirty(hf->fs.form);
    form_act(hf->fs.form, ACT_NEXT_FIELD);
}

/* The head field shows the new head and, when there was one, what the old
 * head becomes: "张小三（原户主张三改为父母）". */
static void household_form_show_head(household_form *hf)
{
    household *h = &hf->h;
    int64_t id = h->new_head_id ? h->new_head_id : h->head_id;
    const char *name = household_form_member_name(hf, id);
    const code_item *rel = h->old_head_relation[0]
        ? codebook_find(station_codes(app_station(hf->fs.base.app)), "relation", h->old_head_relation)
        : NULL;
    char buf[512];
    if (h->new_head_id && h->head_id && rel)
        trf(buf, sizeof buf, "households.head_change", name,
            household_form_member_name(hf, h->head_id), code_label(rel, 0));
    else
        snprintf(buf, sizeof buf, "%s", name);
    form_set_ref(hf->fs.form, HF_HEAD, id, buf);
}

static void household_form_picked_old_relation(app *a, void *ctx, const list_item *row)
{
    household_form *hf = ctx;
    (void)a;
    const char *code = row->cells[1];
    form_clear_errors(hf->fs.form);
    if (strcmp(code, "head") == 0) { /* one 户主: the old one must become something else */
        char msg[512];
        trf(msg, sizeof msg, "households.old_head_not_head",
            household_form_member_name(hf, hf->h.head_id));
        form_set_error(hf->fs.form, HF_HEAD, msg);
        return;
    }
    if (snprintf(hf->h.old_head_relation, sizeof hf->h.old_head_relation, "%s", code) >=
        (int)sizeof hf->h.old_head_relation)
        return; /* not a code of the list */
    hf->h.new_head_id = hf->picked_head;
    household_form_show_head(hf);
    form_mark_dirty(hf->fs.form);
    form_act(hf->fs.form, ACT_NEXT_FIELD);
}

static void household_form_picked_head(app *a, void *ctx, const list_item *row)
{
    household_form *hf = ctx;
    household *h = &hf->h;
    if (row->id != h->head_id && h->head_id) {
        /* Ask, never guess, what the present head becomes. */
        char title[512];
        hf->picked_head = row->id;
        trf(title, sizeof title, "households.old_head_title",
            household_form_member_name(hf, h->head_id));
        app_push(a, code_picker_new_except(a, "relation", "head", title,
                                           household_form_picked_old_relation, hf, NULL));
        return;
    }
    bool changed = row->id != (h->new_head_id ? h->new_head_id : h->head_id);
    h->new_head_id = row->id == h->head_id ? 0 : row->id;
    h->old_head_relation[0] = '\0';
    household_form_show_head(hf);
    if (changed)
        form_mark_dirty(hf->fs.form);
    form_act(hf->fs.form, ACT_NEXT_FIELD);
}

/* A member answers the search box as in every list: by name, its full
 * pinyin or its initials (a household has a handful). */
static bool household_form_member_matches(const char *name, const char *filter)
{
    char *f = text_fold(filter), *folded = text_fold(name);
    text_pinyin py = {0};
    text_pinyin_name(name, &py);
    bool hit = f && ((folded && strstr(folded, f)) || (py.full && strstr(py.full, f)) ||
                     (py.initials && strncmp(py.initials, f, strlen(f)) == 0) ||
                     (py.alt_full && strstr(py.alt_full, f)) ||
                     (py.alt_initials && strncmp(py.alt_initials, f, strlen(f)) == 0));
    text_pinyin_clear(&py);
    free(folded);
    free(f);
    return hit;
}

static ws_status household_form_head_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                           list_item *items, size_t max, size_t *n)
{
    household_form *hf = ctx;
    *n = 0;
    if (after || dir < 0)
        return WS_OK;
    for (size_t i = 0; i < hf->nmembers && *n < max; i++)
        if (!filter || !*filter || household_form_member_matches(hf->members[i].name, filter))
            residents_fill_item(hf->fs.base.app, &hf->members[i], &items[(*n)++]);
    return WS_OK;
}

static bool household_form_act(screen *s, action act)
{
    household_form *hf = (household_form *)s;
    app *a = s->app;
    switch (act) {
    case ACT_SAVE:
        household_form_save(hf);
        return true;
    case ACT_PICK:
        if (form_focus_id(hf->fs.form) == HF_COMMUNITY)
            app_push(a, community_picker_new(a, household_form_picked_community, hf));
        else if (form_focus_id(hf->fs.form) == HF_HEAD && hf->nmembers == 0)
            /* An empty picker would say only 没有找到户主: say how to get one. */
            app_message(a, true, "%s", tr("households.head_no_members"));
        else if (form_focus_id(hf->fs.form) == HF_HEAD)
            app_push(a, picker_screen_new(a, tr("field.head"), residents_cols, residents_ncols,
                                          household_form_head_fetch, hf, NULL,
                                          household_form_picked_head, hf, NULL));
        else
            form_act(hf->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(hf->fs.form, act);
    }
}

static void household_form_destroy(screen *s)
{
    household_form *hf = (household_form *)s;
    form_free(&hf->fs.form);
    free(hf);
}

static const screen_ops household_form_ops = {
    .widget_keys = keys_form,
    .title = household_form_title,
    .draw = household_form_draw,
    .act = household_form_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = household_form_destroy,
};

screen *household_form_new(app *a, int64_t id, int64_t *saved_id)
{
    household_form *hf = calloc(1, sizeof *hf);
    if (!hf)
        return NULL;
    hf->fs.base.ops = &household_form_ops;
    hf->fs.base.app = a;
    hf->saved_id = saved_id;
    hf->fs.form = form_new(household_fields, HOUSEHOLD_NFIELDS);
    if (!hf->fs.form) {
        free(hf);
        return NULL;
    }
    household_init(&hf->h);
    form_set_readonly(hf->fs.form, id && !station_can(app_station(a), kind_household.write_perm));
    if (id) {
        ws_status s = household_load(app_station(a), id, &hf->h);
        if (s != WS_OK) {
            app_status_error(a, s);
            household_form_destroy(&hf->fs.base);
            return NULL;
        }
    } else {
        household_next_number(app_station(a), hf->h.number, sizeof hf->h.number);
    }
    household_form_members(hf);
    form_set_text(hf->fs.form, HF_NUMBER, hf->h.number);
    household_form_community(hf, hf->h.community_id);
    household_form_show_head(hf);
    form_set_text(hf->fs.form, HF_ADDRESS, hf->h.address);
    form_set_text(hf->fs.form, HF_PHONE, hf->h.phone);
    form_set_text(hf->fs.form, HF_NOTES, hf->h.notes);
    form_set_clean(hf->fs.form);
    return &hf->fs.base;
}
