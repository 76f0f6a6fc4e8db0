/* Lists, forms and pickers of any declared kind of record, from its field
 * table: a kind needs no screen code of its own unless it has more to show
 * than its fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/textedit.h"

/* What an action needs on a kind's screens: reading and writing are the
 * kind's own permissions (accounts are a 站长's), the rest as declared. */
static access_perm kind_action_perm(const record_kind *k, action act)
{
    access_perm p = action_perm(act);
    if (p == PERM_REGISTER_WRITE)
        return k->write_perm;
    if (p == PERM_REGISTER_READ)
        return k->read_perm;
    return p;
}

/* ---------------------------------------------------------------- form */

typedef struct kind_form {
    form_screen fs;
    const record_kind *k;
    form_field_def *defs;
    size_t ndefs;  /* the kind's fields, then the extension's */
    size_t nkind;  /* of which the kind's */
    void *rec;
    int64_t *saved_id;
    const kind_form_ext *ext; /* NULL: the kind's fields alone */
    int parent_field;         /* left out and kept: the list's parent (-1: none) */
    int64_t from_id;          /* filled from this record (kind_form_copy_new; 0: none) */
} kind_form;

static field_type kind_form_type(const field_def *f)
{
    switch (f->type) {
    case FLD_MULTILINE:
        return FT_LINES;
    case FLD_DATE:
        return FT_DATE;
    case FLD_ID_NUMBER:
        return FT_IDNUM;
    case FLD_PHONE:
        return FT_PHONE;
    case FLD_CODE:
        return FT_CODE;
    case FLD_REF:
        return FT_REF;
    default:
        return FT_TEXT;
    }
}

static bool field_value_zero(const field_def *f, const void *rec)
{
    int64_t v;
    memcpy(&v, (const char *)rec + f->offset, sizeof v);
    return v == 0;
}

/* The record's fields into the form. */
static void kind_form_fill(kind_form *kf)
{
    station *st = app_station(kf->fs.base.app);
    char text[4096];
    for (size_t i = 0; i < kf->nkind; i++) {
        int fi = kf->defs[i].id;
        const field_def *f = &kf->k->fields[fi];
        record_format(st, kf->k, fi, kf->rec, false, text, sizeof text);
        if (f->type == FLD_CODE)
            form_set_code(kf->fs.form, fi, (const char *)kf->rec + f->offset, text);
        else if (f->type == FLD_REF) {
            int64_t ref;
            memcpy(&ref, (const char *)kf->rec + f->offset, sizeof ref);
            form_set_ref(kf->fs.form, fi, ref, text);
        } else if ((f->type == FLD_MONEY || f->type == FLD_MINUTES || f->type == FLD_INT) &&
                   record_id(kf->k, kf->rec) == 0 && !kf->from_id && field_value_zero(f, kf->rec))
            form_set_text(kf->fs.form, fi, "");
        else
            form_set_text(kf->fs.form, fi, text);
    }
}

static void kind_form_title(screen *s, char *out, size_t outsz)
{
    kind_form *kf = (kind_form *)s;
    char t[256];
    trf(t, sizeof t, kf->ext && kf->ext->title_key ? kf->ext->title_key
                     : form_readonly(kf->fs.form)    ? "records.view_title"
                     : record_id(kf->k, kf->rec)     ? "records.edit_title"
                                                     : "records.new_title",
        tr(kf->k->label));
    /* A saved record's derived title (a case's number) names it; so does
     * the field an extension fixes (a login). */
    int named = kf->ext && kf->ext->fixed_field >= 0 ? kf->ext->fixed_field
                : (kf->k->fields[kf->k->title_field].flags & FF_NO_FORM) ? kf->k->title_field
                                                                        : -1;
    if (named >= 0 && record_id(kf->k, kf->rec)) {
        /* The field it leaves out names the record. */
        char v[128];
        size_t n = strlen(t);
        record_format(app_station(s->app), kf->k, named, kf->rec, true, v, sizeof v);
        if (n + 1 + strlen(v) < sizeof t) {
            t[n] = ' ';
            memcpy(t + n + 1, v, strlen(v) + 1);
        }
    }
    if (form_dirty(kf->fs.form))
        snprintf(out, outsz, "%s  [%s]", t, tr("form.unsaved"));
    else
        snprintf(out, outsz, "%s", t);
}

static void kind_form_draw(screen *s, int top, int height, int width)
{
    kind_form *kf = (kind_form *)s;
    form_draw(kf->fs.form, top + 1, height - 2, width);
    form_draw_error(kf->fs.form, top + height - 1, width);
}

/* The form's text into a copy of the record; false with the field marked
 * when a value does not parse. */
static bool kind_form_collect(kind_form *kf, void *rec)
{
    station *st = app_station(kf->fs.base.app);
    for (size_t i = 0; i < kf->nkind; i++) {
        int fi = kf->defs[i].id;
        const field_def *f = &kf->k->fields[fi];
        val_status v;
        if (f->type == FLD_REF) {
            int64_t ref = form_ref(kf->fs.form, fi);
            memcpy((char *)rec + f->offset, &ref, sizeof ref);
            continue;
        }
        v = record_parse(st, kf->k, fi, f->type == FLD_CODE ? form_code(kf->fs.form, fi)
                                                             : form_text(kf->fs.form, fi),
                         rec);
        if (v != VAL_OK) {
            record_error re = {.field = fi, .code = v};
            if (v == VAL_TOO_LONG)
                snprintf(re.detail, sizeof re.detail, "%zu", f->size - 1);
            char msg[512];
            form_set_error(kf->fs.form, fi, record_error_reason(&re, msg, sizeof msg));
            return false;
        }
    }
    return true;
}

static bool form_has_field(const kind_form *kf, int field)
{
    for (size_t i = 0; i < kf->nkind; i++)
        if (kf->defs[i].id == field)
            return true;
    return false;
}

static void kind_form_save(kind_form *kf)
{
    app *a = kf->fs.base.app;
    form_clear_errors(kf->fs.form);
    if (!form_check(kf->fs.form))
        return;
    void *rec = malloc(kf->k->size);
    if (!rec) {
        app_status_error(a, WS_ERR_NOMEM);
        return;
    }
    memcpy(rec, kf->rec, kf->k->size);
    if (!kind_form_collect(kf, rec)) {
        free(rec);
        return;
    }
    record_error re;
    char msg[512];
    int extra = -1;
    bool is_new = record_id(kf->k, kf->rec) == 0;
    ws_status s = kf->from_id && kf->ext && kf->ext->save_from
                      ? kf->ext->save_from(a, kf->k, kf->from_id, rec, &re)
                  : kf->ext && kf->ext->save
                      ? kf->ext->save(a, kf->fs.form, rec, is_new, &re, &extra)
                      : record_save(app_station(a), kf->k, rec, &re);
    if (s == WS_ERR_INVALID && re.field >= 0 && form_has_field(kf, re.field)) {
        form_set_error(kf->fs.form, re.field, record_error_reason(&re, msg, sizeof msg));
    } else if (s == WS_ERR_INVALID && re.field < 0 && extra >= 0) {
        form_set_error(kf->fs.form, extra, record_error_reason(&re, msg, sizeof msg));
    } else if (s == WS_ERR_STALE) {
        /* Nothing typed is lost: the form stays as it is. */
        app_message(a, true, "%s", trf(msg, sizeof msg, "record.stale", re.detail));
    } else if (s == WS_ERR_INVALID) {
        app_message(a, true, "%s", record_error_text(kf->k, &re, msg, sizeof msg));
    } else if (s != WS_OK) {
        app_status_error(a, s);
    } else {
        if (kf->saved_id)
            *kf->saved_id = record_id(kf->k, rec);
        free(rec);
        app_message(a, false, "%s", tr("app.saved"));
        app_pop(a);
        return;
    }
    free(rec);
}

static void kind_form_picked_code(app *a, void *ctx, const list_item *row)
{
    kind_form *kf = ctx;
    (void)a;
    form_set_code(kf->fs.form, form_focus_id(kf->fs.form), row->cells[1], row->cells[0]);
    form_mark_dirty(kf->fs.form);
    form_act(kf->fs.form, ACT_NEXT_FIELD);
}

static void kind_form_picked_ref(app *a, void *ctx, const list_item *row)
{
    kind_form *kf = ctx;
    int fi = form_focus_id(kf->fs.form);
    /* The record's title, as the saved form will show it (a volunteer's
     * name, not the number its list begins with). */
    char title[RECORD_CELL];
    if (record_title(app_station(a), field_ref(&kf->k->fields[fi]), row->id, title, sizeof title) !=
            WS_OK || !title[0])
        snprintf(title, sizeof title, "%s", row->cells[0]);
    form_set_ref(kf->fs.form, fi, row->id, title);
    form_mark_dirty(kf->fs.form);
    form_act(kf->fs.form, ACT_NEXT_FIELD);
}

/* A set of codes: the chosen one in or out of the field's text, which
 * stays the focus for the next. */
static void kind_form_picked_codes(app *a, void *ctx, const list_item *row)
{
    kind_form *kf = ctx;
    int fi = form_focus_id(kf->fs.form);
    const field_def *f = &kf->k->fields[fi];
    void *tmp = calloc(1, kf->k->size);
    if (!tmp)
        return;
    station *st = app_station(a);
    record_parse(st, kf->k, fi, form_text(kf->fs.form, fi), tmp);
    char *v = (char *)tmp + f->offset, out[256] = "";
    size_t used = 0;
    bool had = false;
    char *save = NULL;
    for (char *t = strtok_r(v, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, row->cells[1]) == 0) {
            had = true;
            continue;
        }
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", t);
    }
    if (!had)
        snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", row->cells[1]);
    snprintf(v, f->size, "%s", out);
    char text[512];
    record_format(st, kf->k, fi, tmp, false, text, sizeof text);
    form_set_text(kf->fs.form, fi, text);
    form_mark_dirty(kf->fs.form);
    free(tmp);
}

static bool kind_form_act(screen *s, action act)
{
    kind_form *kf = (kind_form *)s;
    app *a = s->app;
    int fi = form_focus_id(kf->fs.form);
    const field_def *f = fi >= 0 ? &kf->k->fields[fi] : NULL;
    switch (act) {
    case ACT_SAVE:
        kind_form_save(kf);
        return true;
    case ACT_PICK:
        if (f && f->type == FLD_CODE)
            app_push(a, code_picker_new(a, f->codes, tr(f->label), kind_form_picked_code, kf,
                                        NULL));
        else if (f && f->type == FLD_CODES)
            app_push(a, code_picker_new(a, f->codes, tr(f->label), kind_form_picked_codes, kf,
                                        NULL));
        else if (f && f->type == FLD_REF)
            app_push(a, kind_picker_new(a, field_ref(f), kind_form_picked_ref, kf));
        else
            form_act(kf->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(kf->fs.form, act);
    }
}

static void kind_form_destroy(screen *s)
{
    kind_form *kf = (kind_form *)s;
    form_free(&kf->fs.form);
    free(kf->defs);
    free(kf->rec);
    free(kf);
}

static access_perm kind_form_perm(screen *s, action act)
{
    return kind_action_perm(((kind_form *)s)->k, act);
}

static const screen_ops kind_form_ops = {
    .perm = kind_form_perm,
    .keys = keys_form_lines,
    .widget_keys = keys_form,
    .title = kind_form_title,
    .draw = kind_form_draw,
    .act = kind_form_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = kind_form_destroy,
};

/* A form; `parent` (may be NULL) is left out and set in a new record. */
/* The characters a field takes as typed: its declared limit, or its
 * buffer's; a number (money 120000.00, minutes 1:30, a count) is read by
 * the model, which says what is wrong with it: only a paste of pages is
 * kept out. */
static size_t kind_field_limit(const field_def *f)
{
    bool number = f->type == FLD_INT || f->type == FLD_MONEY || f->type == FLD_MINUTES ||
                  f->type == FLD_REF;
    if (number)
        return 32;
    return f->limit > 0 ? (size_t)f->limit : f->size - 1;
}

static screen *kind_form_make(app *a, const record_kind *k, int64_t id, int64_t *saved_id,
                              const kind_form_ext *ext, const record_parent *parent)
{
    kind_form *kf = calloc(1, sizeof *kf);
    if (!kf)
        return NULL;
    kf->fs.base.ops = &kind_form_ops;
    kf->fs.base.app = a;
    kf->k = k;
    kf->saved_id = saved_id;
    kf->ext = ext;
    kf->parent_field = parent ? parent->field : -1;
    size_t nextra = ext && !id ? ext->nextra : 0;
    kf->rec = calloc(1, k->size);
    kf->defs = calloc(k->nfields + nextra, sizeof *kf->defs);
    if (!kf->rec || !kf->defs) {
        kind_form_destroy(&kf->fs.base);
        return NULL;
    }
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if ((f->flags & FF_NO_FORM) || (id && ext && ext->fixed_field == (int)i) ||
            (int)i == kf->parent_field)
            continue;
        kf->defs[kf->ndefs++] = (form_field_def){
            .id = (int)i,
            .label_key = f->label,
            .type = kind_form_type(f),
            .limit = kind_field_limit(f),
            .code_list = f->codes,
        };
    }
    kf->nkind = kf->ndefs;
    for (size_t i = 0; i < nextra; i++)
        kf->defs[kf->ndefs++] = ext->extra[i];
    kf->fs.form = form_new(kf->defs, kf->ndefs);
    ws_status s = kf->fs.form ? WS_OK : WS_ERR_NOMEM;
    if (s == WS_OK)
        form_set_readonly(kf->fs.form,
                          id && (k->posted || !station_can(app_station(a), k->write_perm)));
    /* A posted entry: not the role but the ledger forbids it. */
    if (s == WS_OK && id && k->posted)
        form_set_readonly_why(kf->fs.form, "valid.posted");
    if (s == WS_OK && id)
        s = record_load(app_station(a), k, id, kf->rec);
    if (s != WS_OK) {
        app_status_error(a, s);
        kind_form_destroy(&kf->fs.base);
        return NULL;
    }
    if (!id)
        record_new(app_station(a), k, kf->rec);
    if (parent && !id)
        memcpy((char *)kf->rec + k->fields[parent->field].offset, &parent->id,
               sizeof parent->id);
    kind_form_fill(kf);
    form_set_clean(kf->fs.form);
    return &kf->fs.base;
}

screen *kind_form_ext_new(app *a, const record_kind *k, int64_t id, int64_t *saved_id,
                          const kind_form_ext *ext)
{
    return kind_form_make(a, k, id, saved_id, ext, NULL);
}

screen *kind_form_with(app *a, const record_kind *k, const void *rec, int64_t *saved_id)
{
    kind_form *kf = (kind_form *)kind_form_make(a, k, 0, saved_id, NULL, NULL);
    if (!kf)
        return NULL;
    memcpy(kf->rec, rec, k->size);
    kind_form_fill(kf);
    form_set_clean(kf->fs.form);
    return &kf->fs.base;
}

screen *kind_form_copy_new(app *a, const record_kind *k, int64_t from_id, int64_t *saved_id,
                           const kind_form_ext *ext)
{
    kind_form *kf = (kind_form *)kind_form_make(a, k, 0, saved_id, ext, NULL);
    if (!kf)
        return NULL;
    ws_status s = record_load(app_station(a), k, from_id, kf->rec);
    if (s != WS_OK) {
        app_status_error(a, s);
        kind_form_destroy(&kf->fs.base);
        return NULL;
    }
    int64_t zero = 0;
    memcpy((char *)kf->rec + k->id_offset, &zero, sizeof zero);
    memcpy((char *)kf->rec + k->revision_offset, &zero, sizeof zero);
    kf->from_id = from_id;
    kind_form_fill(kf);
    form_set_clean(kf->fs.form);
    return &kf->fs.base;
}

screen *kind_form_new(app *a, const record_kind *k, int64_t id, int64_t *saved_id)
{
    return kind_form_ext_new(a, k, id, saved_id, NULL);
}

/* A form of one parent's record (the list's). */
static screen *kind_form_in(app *a, const record_kind *k, int64_t id, int64_t *saved_id,
                            const record_parent *parent)
{
    return kind_form_make(a, k, id, saved_id, NULL, parent);
}

screen *kind_form_of(app *a, const record_kind *k, int64_t id, int64_t *saved_id,
                     const record_parent *parent)
{
    return kind_form_in(a, k, id, saved_id, parent);
}

/* ---------------------------------------------------------------- lists */

typedef struct kind_list {
    list_screen ls;
    const record_kind *k;
    bool deleted; /* the recycle bin */
    record_parent parent;     /* one parent's records (field -1: all) */
    char parent_title[128];   /* its title, for the screen's */
    list_col cols[RECORD_MAX_COLS];
    int fields[RECORD_MAX_COLS]; /* the field of each column (-1: the bin's own) */
    size_t ncols;
    int64_t total;
    int64_t saved_id;
    const kind_list_ext *ext; /* what the kind's own screen adds (NULL: none) */
    screen_ops ops;           /* the generic ops with the extension's keys */
    char name[RECORD_CELL];   /* kind_list_name's */
} kind_list;

/* kind_list.fields of the extension's extra column. */
#define KIND_LIST_EXTRA (-2)

static const keybind kind_list_keys[] = {
    {KEYCODE | KEY_F(6), ACT_RECYCLE, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

static const keybind kind_bin_keys[] = {
    {KEYCODE | KEY_F(6), ACT_RESTORE, KB_BAR},
    {KEY_CTRL('r'), ACT_RESTORE, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {0, ACT_NONE, 0},
};

/* A row named as the clerks know it (a volunteer by name, not number),
 * for a question or a title; kept in the list until the next call. */
static const char *kind_list_name(kind_list *kl, const list_item *sel)
{
    if (record_name(app_station(kl->ls.base.app), kl->k, sel->id, kl->name, sizeof kl->name) !=
            WS_OK || !kl->name[0])
        snprintf(kl->name, sizeof kl->name, "%s", sel->cells[0]);
    return kl->name;
}

static const record_parent *kind_list_parent(const kind_list *kl)
{
    return kl->parent.field >= 0 ? &kl->parent : NULL;
}

static ws_status kind_list_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    kind_list *kl = ctx;
    record_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = record_list_in(app_station(kl->ls.base.app), kl->k, kind_list_parent(kl), filter,
                              kl->deleted, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        items[i].id = rows[i].id;
        for (size_t c = 0; c < kl->ncols && c < LIST_MAX_COLS; c++) {
            if (kl->fields[c] == KIND_LIST_EXTRA)
                kl->ext->extra_cell(kl->ls.base.app, rows[i].id, items[i].cells[c], LIST_CELL);
            else if (kl->fields[c] >= 0 && kl->k->fields[kl->fields[c]].type == FLD_MULTILINE)
                textedit_one_line(rows[i].cells[c], items[i].cells[c], LIST_CELL); /* ↵ */
            else
                snprintf(items[i].cells[c], LIST_CELL, "%s", rows[i].cells[c]);
            if (kl->ext && kl->ext->cell && kl->fields[c] >= 0)
                kl->ext->cell(kl->k, kl->fields[c], items[i].cells[c], LIST_CELL);
        }
    }
    free(rows);
    return s;
}

static void kind_list_count(kind_list *kl)
{
    if (kl->deleted || record_count_in(app_station(kl->ls.base.app), kl->k, kind_list_parent(kl),
                                       list_filter(kl->ls.list), &kl->total) != WS_OK)
        kl->total = -1;
}

static void kind_list_title(screen *s, char *out, size_t outsz)
{
    kind_list *kl = (kind_list *)s;
    char count[64] = "", name[128];
    if (kl->total >= 0)
        trf(count, sizeof count, "app.count", (long long)kl->total);
    if (kl->deleted)
        trf(name, sizeof name, "records.bin_title", tr(kl->k->label));
    else
        snprintf(name, sizeof name, "%s", tr(kl->k->label));
    if (kl->parent.field >= 0) {
        char whose[256];
        trf(whose, sizeof whose, "records.in_title", name, kl->parent_title);
        snprintf(out, outsz, "%s  %s", whose, count);
        return;
    }
    snprintf(out, outsz, "%s  %s", name, count);
}

/* The extension's summary line, then the list under it. */
static void kind_list_draw_summary(screen *s, int top, int height, int width)
{
    kind_list *kl = (kind_list *)s;
    char line[512] = "";
    kl->ext->summary(s->app, kl->parent.field >= 0 ? kl->parent.id : 0, line, sizeof line);
    draw_text_attr(top, 1, width - 2, line, false, A_BOLD);
    list_draw(kl->ls.list, top + 1, height - 1, width);
}

static void kind_list_after_write(kind_list *kl, const char *done_key)
{
    app_message(kl->ls.base.app, false, "%s", tr(done_key));
    kind_list_count(kl);
    list_reload(kl->ls.list);
}

static void kind_list_report(kind_list *kl, ws_status s, const record_error *re)
{
    char msg[512];
    if (s == WS_ERR_INVALID)
        app_message(kl->ls.base.app, true, "%s", record_error_text(kl->k, re, msg, sizeof msg));
    else
        app_status_error(kl->ls.base.app, s);
}

static void kind_list_delete_yes(app *a, void *ctx)
{
    kind_list *kl = ctx;
    record_error re;
    ws_status s = record_delete(app_station(a), kl->k, list_selected_id(kl->ls.list), &re);
    if (s == WS_OK)
        kind_list_after_write(kl, "app.deleted");
    else
        kind_list_report(kl, s, &re);
}

static void kind_list_restore_yes(app *a, void *ctx)
{
    kind_list *kl = ctx;
    record_error re;
    ws_status s = record_restore(app_station(a), kl->k, list_selected_id(kl->ls.list), &re);
    if (s == WS_OK)
        kind_list_after_write(kl, "records.restored");
    else
        kind_list_report(kl, s, &re);
}

static bool kind_list_act(screen *s, action act)
{
    kind_list *kl = (kind_list *)s;
    app *a = s->app;
    const list_item *sel = list_selected(kl->ls.list);
    char q[512];
    if (kl->ext && kl->ext->act && kl->ext->act(s, act, sel))
        return true;
    switch (act) {
    case ACT_NEW:
        if (kl->deleted)
            return false;
        kl->ls.saved_id = 0;
        app_push(a, kind_form_in(a, kl->k, 0, &kl->ls.saved_id, kind_list_parent(kl)));
        return true;
    case ACT_OPEN:
        if (!sel || kl->deleted)
            return !kl->deleted;
        kl->ls.saved_id = 0;
        app_push(a, kind_form_in(a, kl->k, sel->id, &kl->ls.saved_id, kind_list_parent(kl)));
        return true;
    case ACT_DELETE:
        if (sel && !kl->deleted) {
            /* What forbids the delete is said at once, not after a yes. */
            record_error re;
            ws_status s = record_can_delete(app_station(a), kl->k, sel->id, &re);
            if (s != WS_OK)
                kind_list_report(kl, s, &re);
            else
                app_confirm(a, trf(q, sizeof q, "records.confirm_delete", tr(kl->k->label),
                                   kind_list_name(kl, sel)),
                            kind_list_delete_yes, kl);
        }
        return !kl->deleted;
    case ACT_RESTORE:
        if (sel && kl->deleted)
            app_confirm(a, trf(q, sizeof q, "records.confirm_restore", tr(kl->k->label),
                               sel->cells[0]),
                        kind_list_restore_yes, kl);
        return kl->deleted;
    case ACT_HISTORY:
        if (sel)
            app_push(a, kind_history_new(a, kl->k, sel->id, kind_list_name(kl, sel)));
        return true;
    case ACT_RECYCLE:
        if (kl->deleted)
            return false;
        app_push(a, kind_list_screen_in(a, kl->k, true, kind_list_parent(kl),
                                        kl->parent_title));
        return true;
    case ACT_BACK:
        if (!list_act(kl->ls.list, act))
            app_pop(a);
        else
            kind_list_count(kl);
        return true;
    default:
        return list_act(kl->ls.list, act);
    }
}

static bool kind_list_key(screen *s, int key)
{
    kind_list *kl = (kind_list *)s;
    bool taken = list_key(kl->ls.list, key);
    if (taken)
        kind_list_count(kl);
    return taken;
}

static void kind_list_resume(screen *s)
{
    kind_list *kl = (kind_list *)s;
    kind_list_count(kl);
    if (kl->ls.saved_id)
        list_goto(kl->ls.list, kl->ls.saved_id);
    else
        list_reload(kl->ls.list);
    kl->ls.saved_id = 0;
}

static access_perm kind_list_perm(screen *s, action act)
{
    return kind_action_perm(((kind_list *)s)->k, act);
}

static const screen_ops kind_list_ops = {
    .perm = kind_list_perm,
    .keys = kind_list_keys,
    .widget_keys = keys_list,
    .title = kind_list_title,
    .draw = list_screen_draw,
    .act = kind_list_act,
    .key = kind_list_key,
    .typing = list_screen_typing,
    .resume = kind_list_resume,
    .destroy = list_screen_destroy,
};

/* The recycle bin: restoring and moving only. */
static const screen_ops kind_bin_ops = {
    .perm = kind_list_perm,
    .keys = kind_bin_keys,
    .widget_keys = keys_browse,
    .title = kind_list_title,
    .draw = list_screen_draw,
    .act = kind_list_act,
    .key = kind_list_key,
    .typing = list_screen_typing,
    .resume = kind_list_resume,
    .destroy = list_screen_destroy,
};

/* A column's share of the spare width: none for values of a fixed width
 * (a date, a time, an amount); the most for the first text (a training's
 * topic after its date), so that it is not the date that grows. */
static int kind_col_weight(const record_kind *k, const int *idx, size_t c)
{
    static const unsigned fixed = 1u << FLD_DATE | 1u << FLD_TIME | 1u << FLD_MINUTES |
                                  1u << FLD_MONEY | 1u << FLD_INT | 1u << FLD_PHONE |
                                  1u << FLD_ID_NUMBER | 1u << FLD_DIGITS;
    if (fixed & 1u << k->fields[idx[c]].type)
        return 0;
    for (size_t i = 0; i < c; i++)
        if (!(fixed & 1u << k->fields[idx[i]].type))
            return 1;
    return 3;
}

static void kind_list_columns(kind_list *kl)
{
    int idx[RECORD_MAX_COLS];
    kl->ncols = record_list_fields(kl->k, idx);
    for (size_t c = 0; c < kl->ncols; c++) {
        const field_def *f = &kl->k->fields[idx[c]];
        int w = f->width ? f->width : draw_width(tr(f->label));
        kl->cols[c] = (list_col){f->label, w, kind_col_weight(kl->k, idx, c)};
        kl->fields[c] = idx[c];
    }
    /* The recycle bin: when and by whom, as record_list gives them. */
    if (kl->deleted && kl->ncols + 2 <= RECORD_MAX_COLS) {
        kl->fields[kl->ncols] = kl->fields[kl->ncols + 1] = -1;
        kl->cols[kl->ncols++] = (list_col){"records.col_deleted_at", 16, 0};
        kl->cols[kl->ncols++] = (list_col){"records.col_deleted_by", 8, 1};
    }
}

screen *kind_list_screen_new(app *a, const record_kind *k, bool deleted)
{
    kind_list *kl = calloc(1, sizeof *kl);
    if (!kl)
        return NULL;
    kl->ls.base.ops = deleted ? &kind_bin_ops : &kind_list_ops;
    kl->ls.base.app = a;
    kl->k = k;
    kl->deleted = deleted;
    kl->parent.field = -1;
    kind_list_columns(kl);
    kl->ls.list = list_new(kl->cols, kl->ncols, kind_list_fetch, kl, true, "records.empty");
    if (!kl->ls.list) {
        free(kl);
        return NULL;
    }
    list_set_hint(kl->ls.list, "records.filter_hint");
    kind_list_count(kl);
    return &kl->ls.base;
}

screen *kind_list_screen_in(app *a, const record_kind *k, bool deleted,
                            const record_parent *parent, const char *title)
{
    kind_list *kl = (kind_list *)kind_list_screen_new(a, k, deleted);
    if (!kl || !parent)
        return kl ? &kl->ls.base : NULL;
    kl->parent = *parent;
    snprintf(kl->parent_title, sizeof kl->parent_title, "%s", title ? title : "");
    kind_list_count(kl);
    return &kl->ls.base;
}

screen *kind_list_screen_ext(app *a, const record_kind *k, const kind_list_ext *ext)
{
    return kind_list_screen_ext_in(a, k, ext, NULL, NULL);
}

screen *kind_list_screen_ext_in(app *a, const record_kind *k, const kind_list_ext *ext,
                                const record_parent *parent, const char *title)
{
    kind_list *kl = (kind_list *)kind_list_screen_in(a, k, false, parent, title);
    if (!kl)
        return NULL;
    kl->ext = ext;
    kl->ops = kind_list_ops;
    if (ext->keys)
        kl->ops.keys = ext->keys;
    if (ext->widget_keys)
        kl->ops.widget_keys = ext->widget_keys;
    if (ext->summary)
        kl->ops.draw = kind_list_draw_summary;
    kl->ls.base.ops = &kl->ops;
    if (ext->extra_col.title_key && ext->extra_cell && kl->ncols < RECORD_MAX_COLS &&
        kl->ncols < LIST_MAX_COLS) {
        /* The list again, with the extra column. */
        kl->cols[kl->ncols] = ext->extra_col;
        kl->fields[kl->ncols++] = KIND_LIST_EXTRA;
        list_widget *l = list_new(kl->cols, kl->ncols, kind_list_fetch, kl, true,
                                  "records.empty");
        if (l) {
            list_free(&kl->ls.list);
            kl->ls.list = l;
            list_set_hint(l, "records.filter_hint");
        } else {
            kl->ncols--;
        }
    }
    return &kl->ls.base;
}

int64_t kind_list_selected_id(screen *s)
{
    const list_item *sel = list_selected(((kind_list *)s)->ls.list);
    return sel ? sel->id : 0;
}

const record_kind *kind_list_kind(screen *s)
{
    return ((kind_list *)s)->k;
}

void kind_list_set_filter(screen *s, const char *text)
{
    kind_list *kl = (kind_list *)s;
    list_set_filter(kl->ls.list, text);
    kind_list_count(kl);
}

void kind_list_changed(screen *s, const char *done_key)
{
    kind_list_after_write((kind_list *)s, done_key);
}

void kind_list_changed_at(screen *s, const char *done_key, int64_t id)
{
    kind_list *kl = (kind_list *)s;
    kind_list_after_write(kl, done_key);
    if (id)
        list_goto(kl->ls.list, id);
}

/* ---------------------------------------------------------------- pickers */

typedef struct kind_pick {
    app *a;
    const record_kind *k;
    list_col cols[RECORD_MAX_COLS];
    size_t ncols;
} kind_pick;

static ws_status kind_pick_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    kind_pick *p = ctx;
    record_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = record_list(app_station(p->a), p->k, filter, false, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        items[i].id = rows[i].id;
        for (size_t c = 0; c < p->ncols && c < LIST_MAX_COLS; c++)
            snprintf(items[i].cells[c], LIST_CELL, "%s", rows[i].cells[c]);
    }
    free(rows);
    return s;
}

screen *kind_picker_new(app *a, const record_kind *k, picker_fn chosen, void *ctx)
{
    /* Residents keep their own search index. */
    if (k == &kind_resident)
        return resident_picker_new(a, tr(k->label), chosen, ctx);
    kind_pick *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->a = a;
    p->k = k;
    int idx[RECORD_MAX_COLS];
    p->ncols = record_list_fields(k, idx);
    for (size_t c = 0; c < p->ncols; c++) {
        const field_def *f = &k->fields[idx[c]];
        p->cols[c] = (list_col){f->label, f->width ? f->width : 8, kind_col_weight(k, idx, c)};
    }
    return picker_screen_new(a, tr(k->label), p->cols, p->ncols, kind_pick_fetch, p, free,
                             chosen, ctx, NULL);
}
