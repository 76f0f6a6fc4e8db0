/* 审计 (0 系统, a 站长's): the access log, newest first, paged by its ids;
 * a filter form (F3) by account, kind of event, dates and the resident an
 * entry is about, shown in the title with its count; Enter shows an entry
 * in full; F9 exports what the filter shows (recorded itself). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/export.h"
#include "wushe/resident.h"

typedef struct access_screen {
    list_screen ls;
    access_filter filter;
    int64_t total;       /* -1: not known */
    char desc[512];      /* the filter in words, for the title */
    char path[4096];     /* an export waiting for a yes to overwrite */
} access_screen;

static const list_col access_cols[] = {
    {"audit.col_at", 16, 0},
    {"audit.col_who", 10, 2},
    {"audit.col_event", 10, 0},
    {"audit.col_record", 10, 2},
    {"audit.col_rows", 4, 0},
    {"audit.col_detail", 14, 3},
};
#define ACCESS_NCOLS (sizeof access_cols / sizeof *access_cols)

/* What the entry is about: "居民 王秀英", "账户 张建国", "居民" (an export). */
static void access_record_cell(station *st, const access_row *r, char *out, size_t outsz)
{
    char title[256] = "";
    access_record_title(st, r->table, r->row, title, sizeof title);
    if (!title[0] && r->row)
        snprintf(title, sizeof title, "#%lld", (long long)r->row);
    const char *label = access_table_label(r->table);
    snprintf(out, outsz, "%s%s%s", label, label[0] && title[0] ? " " : "", title);
}

static void access_rows_cell(const access_row *r, char *out, size_t outsz)
{
    if (r->rows || r->event == EV_EXPORT)
        snprintf(out, outsz, "%lld", (long long)r->rows);
    else
        out[0] = '\0';
}

static const char *access_event_label(access_event e)
{
    return e < EV_COUNT ? tr(access_event_key(e)) : "?";
}

static ws_status access_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    (void)filter; /* the screen's own filter, not a search box */
    access_screen *as = ctx;
    station *st = app_station(as->ls.base.app);
    access_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = access_list(st, &as->filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        const access_row *r = &rows[i];
        list_item *it = &items[i];
        it->id = r->id;
        snprintf(it->cells[0], LIST_CELL, "%.16s", r->at); /* to the minute */
        /* The name alone: the login is in the entry in full (Enter). */
        snprintf(it->cells[1], LIST_CELL, "%s", r->who);
        char *paren = strstr(it->cells[1], " (");
        if (paren && paren != it->cells[1])
            *paren = '\0';
        snprintf(it->cells[2], LIST_CELL, "%s", access_event_label(r->event));
        access_record_cell(st, r, it->cells[3], LIST_CELL);
        access_rows_cell(r, it->cells[4], LIST_CELL);
        access_detail_text(r->detail, it->cells[5], LIST_CELL);
    }
    free(rows);
    return s;
}

static void access_recount(access_screen *as)
{
    station *st = app_station(as->ls.base.app);
    if (access_count(st, &as->filter, &as->total) != WS_OK)
        as->total = -1;
    access_filter_describe(st, &as->filter, " · ", as->desc, sizeof as->desc);
}

static void access_title(screen *s, char *out, size_t outsz)
{
    access_screen *as = (access_screen *)s;
    char count[64] = "";
    if (as->total >= 0)
        trf(count, sizeof count, "app.count", (long long)as->total);
    snprintf(out, outsz, "%s%s%s  %s", tr("audit.title"), as->desc[0] ? " · " : "", as->desc,
             count);
}

static void access_draw(screen *s, int top, int height, int width)
{
    access_screen *as = (access_screen *)s;
    draw_text_attr(top, 0, width, tr(as->desc[0] ? "audit.hint_filtered" : "audit.hint"), true,
                   A_DIM);
    list_draw(as->ls.list, top + 1, height - 1, width);
}

/* A new filter: counted, and the list from its newest entry. */
static void access_apply(access_screen *as, const access_filter *f)
{
    as->filter = *f;
    access_recount(as);
    list_act(as->ls.list, ACT_FIRST);
}

/* Enter: the whole entry on the message line (the list cuts it). */
static void access_show(access_screen *as)
{
    const list_item *sel = list_selected(as->ls.list);
    if (!sel)
        return;
    access_row r;
    size_t n = 0;
    /* The entry itself again: its time to the second, its detail in full. */
    if (access_list(app_station(as->ls.base.app), &as->filter, sel->id + 1, 1, &r, 1, &n) !=
            WS_OK ||
        n != 1 || r.id != sel->id)
        return;
    char record[512], count[32], rows[64] = "", detail[1024], msg[2048];
    access_record_cell(app_station(as->ls.base.app), &r, record, sizeof record);
    access_rows_cell(&r, count, sizeof count);
    if (count[0])
        trf(rows, sizeof rows, "audit.rows", (long long)r.rows);
    access_detail_text(r.detail, detail, sizeof detail);
    snprintf(msg, sizeof msg, "%s · %s · %s%s%s%s%s%s%s", r.at, r.who,
             access_event_label(r.event), record[0] ? " · " : "", record, rows[0] ? " · " : "",
             rows, detail[0] ? " · " : "", detail);
    app_message(as->ls.base.app, false, "%s", msg);
}

/* ---------------------------------------------------------------- export */

static bool access_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void access_export_now(app *a, void *ctx)
{
    access_screen *as = ctx;
    export_opts o = {.format = export_format_for(as->path)};
    size_t rows = 0;
    char err[1024], msg[1400];
    ws_status s = export_access_log(app_station(a), &as->filter, as->path, &o, &rows, err,
                                    sizeof err);
    if (s == WS_ERR_DENIED)
        app_message(a, true, "%s", tr("status.denied"));
    else if (s != WS_OK) {
        app_message(a, true, "%s",
                    trf(msg, sizeof msg, "app.error", err[0] ? err : tr(ws_status_key(s))));
        prompt_screen_again(a); /* what was typed, to correct */
    } else
        app_message(a, false, "%s", trf(msg, sizeof msg, "audit.exported", rows, as->path));
    /* The export is in the log itself now. */
    access_recount(as);
    list_reload(as->ls.list);
}

static void access_export_to(app *a, void *ctx, const char *path)
{
    access_screen *as = ctx;
    snprintf(as->path, sizeof as->path, "%s", path);
    app_confirm_overwrite(a, path, access_export_now, as);
}

/* F9: a name proposed in the home folder, a new one for a second export
 * of the day. */
static void access_export(access_screen *as)
{
    app *a = as->ls.base.app;
    const char *home = getenv("HOME");
    const char *t = app_today(a);
    char day[16], name[128], path[4096];
    snprintf(day, sizeof day, "%.4s%.2s%.2s", t, t + 5, t + 8);
    trf(name, sizeof name, "audit.default_name", day);
    snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    for (int k = 2; k < 100 && access_file_exists(path); k++) {
        trf(name, sizeof name, "audit.default_name_n", day, k);
        snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    }
    screen *p = prompt_screen_new(a, tr("audit.export_title"), tr("export.path_label"),
                                  tr("audit.export_hint"), path, access_export_to, as);
    prompt_screen_set_file(p);
    app_push(a, p);
}

/* ---------------------------------------------------------------- filter form */

enum { FX_ACCOUNT, FX_EVENT, FX_FROM, FX_TO, FX_RESIDENT };

static const form_field_def filter_fields[] = {
    {FX_ACCOUNT, "audit.f_account", FT_REF, 0, NULL},
    {FX_EVENT, "audit.f_event", FT_CODE, 0, NULL},
    {FX_FROM, "audit.f_from", FT_DATE, 20, NULL},
    {FX_TO, "audit.f_to", FT_DATE, 20, NULL},
    {FX_RESIDENT, "audit.f_resident", FT_REF, 0, NULL},
};

typedef struct filter_form {
    form_screen fs;
    access_screen *under;
} filter_form;

static void filter_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("audit.filter_title"));
}

static void filter_draw(screen *s, int top, int height, int width)
{
    filter_form *ff = (filter_form *)s;
    int y = form_draw(ff->fs.form, top + 1, height - 2, width) + 1;
    draw_text_wrap(y, 1, width - 2, 3, tr("audit.filter_hint"), A_DIM);
    form_draw_error(ff->fs.form, top + height - 1, width);
}

static void filter_apply(filter_form *ff)
{
    form_widget *f = ff->fs.form;
    form_clear_errors(f);
    access_filter nf;
    access_filter_init(&nf);
    nf.account_id = form_ref(f, FX_ACCOUNT);
    const char *ev = form_code(f, FX_EVENT);
    nf.event = ev[0] ? (int)access_event_find(ev) : -1;
    if (nf.event == EV_COUNT)
        nf.event = -1;
    if (!access_filter_date(form_text(f, FX_FROM), nf.from)) {
        form_set_error(f, FX_FROM, tr("audit.bad_date"));
        return;
    }
    if (!access_filter_date(form_text(f, FX_TO), nf.to)) {
        form_set_error(f, FX_TO, tr("audit.bad_date"));
        return;
    }
    if (nf.from[0] && nf.to[0] && strcmp(nf.from, nf.to) > 0) {
        form_set_error(f, FX_TO, tr("audit.to_before_from"));
        return;
    }
    nf.row = form_ref(f, FX_RESIDENT);
    if (nf.row)
        snprintf(nf.table, sizeof nf.table, "residents");
    access_apply(ff->under, &nf);
    app_pop(ff->fs.base.app);
}

static void filter_picked_account(app *a, void *ctx, const list_item *row)
{
    (void)a;
    filter_form *ff = ctx;
    account acc;
    char shown[256];
    if (account_load(app_station(a), row->id, &acc) == WS_OK)
        snprintf(shown, sizeof shown, "%s (%s)", acc.display_name, acc.login);
    else
        snprintf(shown, sizeof shown, "%s", row->cells[0]);
    form_set_ref(ff->fs.form, FX_ACCOUNT, row->id, shown);
    form_mark_dirty(ff->fs.form);
    form_act(ff->fs.form, ACT_NEXT_FIELD);
}

static void filter_picked_event(app *a, void *ctx, const list_item *row)
{
    (void)a;
    filter_form *ff = ctx;
    form_set_code(ff->fs.form, FX_EVENT, row->cells[1], row->cells[0]);
    form_mark_dirty(ff->fs.form);
    form_act(ff->fs.form, ACT_NEXT_FIELD);
}

static void filter_picked_resident(app *a, void *ctx, const list_item *row)
{
    (void)a;
    filter_form *ff = ctx;
    form_set_ref(ff->fs.form, FX_RESIDENT, row->id, row->cells[0]);
    form_mark_dirty(ff->fs.form);
    form_act(ff->fs.form, ACT_NEXT_FIELD);
}

static const list_col event_cols[] = {{"audit.col_event", 20, 1}};

/* The kinds of event, in their declared order; the id is the event + 1.
 * The search box finds a label or a code by what it contains. */
static ws_status event_fetch(void *ctx, const char *filter, int64_t after, int dir,
                             list_item *items, size_t max, size_t *n)
{
    (void)ctx;
    *n = 0;
    for (int i = 0; i < EV_COUNT && *n < max; i++) {
        int64_t id = dir > 0 ? i + 1 : EV_COUNT - i;
        if (after && (dir > 0 ? id <= after : id >= after))
            continue;
        access_event e = (access_event)(id - 1);
        const char *label = tr(access_event_key(e));
        if (filter && filter[0] && !strstr(label, filter) &&
            !strstr(access_event_code(e), filter))
            continue;
        items[*n].id = id;
        snprintf(items[*n].cells[0], LIST_CELL, "%s", label);
        snprintf(items[*n].cells[1], LIST_CELL, "%s", access_event_code(e));
        (*n)++;
    }
    return WS_OK;
}

static bool filter_act(screen *s, action act)
{
    filter_form *ff = (filter_form *)s;
    app *a = s->app;
    switch (act) {
    case ACT_SAVE:
        filter_apply(ff);
        return true;
    case ACT_PICK:
        switch (form_focus_id(ff->fs.form)) {
        case FX_ACCOUNT:
            app_push(a, kind_picker_new(a, &kind_account, filter_picked_account, ff));
            break;
        case FX_EVENT:
            app_push(a, picker_screen_new(a, tr("audit.f_event"), event_cols, 1, event_fetch,
                                          NULL, NULL, filter_picked_event, ff, NULL));
            break;
        case FX_RESIDENT:
            app_push(a, resident_picker_new(a, tr("audit.f_resident"), filter_picked_resident,
                                            ff));
            break;
        default:
            form_act(ff->fs.form, ACT_NEXT_FIELD);
        }
        return true;
    case ACT_BACK:
        return form_screen_back(s);
    default:
        return form_act(ff->fs.form, act);
    }
}

/* A picker field with nothing chosen: every account, event, resident. */
static void filter_any(form_widget *f, int id)
{
    if (id == FX_EVENT)
        form_set_code(f, id, "", tr("audit.any"));
    else
        form_set_ref(f, id, 0, tr("audit.any"));
}

/* Backspace or Delete on a chosen account, event or resident: any again. */
static bool filter_key(screen *s, int key)
{
    filter_form *ff = (filter_form *)s;
    field_type t = form_focus_type(ff->fs.form);
    bool erase = key == (KEYCODE | KEY_BACKSPACE) || key == 127 || key == 8 ||
                 key == (KEYCODE | KEY_DC);
    if (erase && (t == FT_REF || t == FT_CODE)) {
        filter_any(ff->fs.form, form_focus_id(ff->fs.form));
        form_mark_dirty(ff->fs.form);
        return true;
    }
    return form_screen_key(s, key);
}

static void filter_destroy(screen *s)
{
    form_free(&((filter_form *)s)->fs.form);
    free(s);
}

static const screen_ops filter_ops = {
    .perm = app_perm_anyone, /* F2 applies the filter: nothing is written */
    .widget_keys = keys_form,
    .title = filter_title,
    .draw = filter_draw,
    .act = filter_act,
    .key = filter_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = filter_destroy,
};

static screen *filter_form_new(app *a, access_screen *as)
{
    filter_form *ff = calloc(1, sizeof *ff);
    if (!ff)
        return NULL;
    ff->fs.base.ops = &filter_ops;
    ff->fs.base.app = a;
    ff->under = as;
    ff->fs.form = form_new(filter_fields, sizeof filter_fields / sizeof *filter_fields);
    if (!ff->fs.form) {
        free(ff);
        return NULL;
    }
    /* What the list shows now. */
    station *st = app_station(a);
    const access_filter *f = &as->filter;
    char shown[256];
    filter_any(ff->fs.form, FX_ACCOUNT);
    filter_any(ff->fs.form, FX_EVENT);
    filter_any(ff->fs.form, FX_RESIDENT);
    if (f->account_id) {
        account acc;
        if (account_load(st, f->account_id, &acc) == WS_OK)
            snprintf(shown, sizeof shown, "%s (%s)", acc.display_name, acc.login);
        else
            snprintf(shown, sizeof shown, "#%lld", (long long)f->account_id);
        form_set_ref(ff->fs.form, FX_ACCOUNT, f->account_id, shown);
    }
    if (f->event >= 0 && f->event < EV_COUNT)
        form_set_code(ff->fs.form, FX_EVENT, access_event_code((access_event)f->event),
                      access_event_label((access_event)f->event));
    form_set_text(ff->fs.form, FX_FROM, f->from);
    form_set_text(ff->fs.form, FX_TO, f->to);
    if (f->row && strcmp(f->table, "residents") == 0) {
        access_record_title(st, f->table, f->row, shown, sizeof shown);
        form_set_ref(ff->fs.form, FX_RESIDENT, f->row, shown);
    }
    form_set_clean(ff->fs.form);
    return &ff->fs.base;
}

/* ---------------------------------------------------------------- the list */

static bool access_act(screen *s, action act)
{
    access_screen *as = (access_screen *)s;
    app *a = s->app;
    switch (act) {
    case ACT_FILTER:
        app_push(a, filter_form_new(a, as));
        return true;
    case ACT_OPEN:
        access_show(as);
        return true;
    case ACT_EXPORT:
        access_export(as);
        return true;
    case ACT_BACK:
        /* As a list's search box: Esc clears the filter first. */
        if (as->desc[0]) {
            access_filter none;
            access_filter_init(&none);
            access_apply(as, &none);
            app_message(a, false, "%s", tr("audit.filter_cleared"));
        } else {
            app_pop(a);
        }
        return true;
    default:
        return list_act(as->ls.list, act);
    }
}

static void access_resume(screen *s)
{
    access_screen *as = (access_screen *)s;
    access_recount(as);
    list_reload(as->ls.list);
}

static const keybind access_keys[] = {
    {KEYCODE | KEY_F(3), ACT_FILTER, KB_BAR},
    {KEY_CTRL('f'), ACT_FILTER, 0},
    {'\r', ACT_OPEN, 0}, /* the line above the list says what it does here */
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {KEYCODE | KEY_F(9), ACT_EXPORT, KB_BAR},
    {KEY_CTRL('x'), ACT_EXPORT, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops access_ops = {
    .keys = access_keys,
    .widget_keys = keys_browse,
    .title = access_title,
    .draw = access_draw,
    .act = access_act,
    .resume = access_resume,
    .destroy = list_screen_destroy,
};

screen *access_log_screen_new(app *a)
{
    if (!station_can(app_station(a), PERM_ACCESS_LOG)) {
        app_message(a, true, "%s", tr("status.denied"));
        return NULL;
    }
    access_screen *as = calloc(1, sizeof *as);
    if (!as)
        return NULL;
    as->ls.base.ops = &access_ops;
    as->ls.base.app = a;
    access_filter_init(&as->filter);
    as->ls.list = list_new(access_cols, ACCESS_NCOLS, access_fetch, as, false, "audit.empty");
    if (!as->ls.list) {
        free(as);
        return NULL;
    }
    access_recount(as);
    return &as->ls.base;
}
