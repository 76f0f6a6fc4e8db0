/* 4 捐赠 (issue 13): the module's menu, and what the kinds' generic lists
 * and forms (screen_records.c) do not show: a donation's lines, 更正 and
 * 冲销 of posted entries, a distribution's items and its sign-off sheet
 * (keyed back one key a line), and what expires within 30 days. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/print_resources.h"
#include "wushe/resources.h"
#include "wushe/resources_io.h"
#include "wushe/validate.h"

/* ---------------------------------------------------------------- posted lines */

/* 更正: a form filled from the entry, saved as reversal + corrected entry. */
static ws_status res_save_correction(app *a, const record_kind *k, int64_t from, void *rec,
                                     record_error *re)
{
    return res_correct(app_station(a), k, from, rec, re);
}

static const kind_form_ext res_correct_ext = {
    .fixed_field = -1, .save_from = res_save_correction, .title_key = "res.correct_title"};

/* 冲销 of the selected entry of the list (ctx) after the question. */
static void res_reverse_yes(app *a, void *ctx)
{
    screen *s = ctx;
    const record_kind *k = kind_list_kind(s);
    record_error re;
    char msg[512];
    int64_t id = kind_list_selected_id(s), reversal = 0;
    ws_status st = res_correct(app_station(a), k, id, NULL, &re);
    if (st == WS_ERR_INVALID) {
        app_message(a, true, "%s", record_error_text(k, &re, msg, sizeof msg));
    } else if (st != WS_OK) {
        app_status_error(a, st);
    } else {
        /* The reversal is shown where the list puts it (on top, newest
         * first), not left above the view. */
        res_reversal_of(app_station(a), k, id, &reversal);
        kind_list_changed_at(s, "res.reversed", reversal);
    }
}

/* F7 更正 and F4 冲销 on a list of posted entries, whichever kind. */
static bool res_lines_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    const record_kind *k = kind_list_kind(s);
    if ((act != ACT_CORRECT && act != ACT_REVERSE) || !sel)
        return act == ACT_CORRECT || act == ACT_REVERSE;
    bool is_reversal = false, is_reversed = false;
    ws_status st = res_correction_state(app_station(a), k, sel->id, &is_reversal, &is_reversed);
    if (st != WS_OK) {
        app_status_error(a, st);
    } else if (is_reversal) {
        app_message(a, true, "%s", tr("res.err_correct_reversal"));
    } else if (is_reversed) {
        app_message(a, true, "%s", tr("res.err_already_corrected"));
    } else if (act == ACT_CORRECT) {
        screen *f = kind_form_copy_new(a, k, sel->id, NULL, &res_correct_ext);
        if (f)
            app_push(a, f);
    } else {
        char q[512];
        app_confirm(a, trf(q, sizeof q, res_posted_money(k) ? "res.confirm_reverse"
                                                             : "res.confirm_reverse_qty",
                           tr(k->label), sel->cells[0]),
                    res_reverse_yes, s);
    }
    return true;
}

static const keybind res_lines_keys[] = {
    {KEYCODE | KEY_F(7), ACT_CORRECT, KB_BAR},
    {KEYCODE | KEY_F(4), ACT_REVERSE, KB_BAR},
    {KEYCODE | KEY_F(11), ACT_HISTORY, 0},
    {0, ACT_NONE, 0},
};

/* A reversal says so in its 冲销 column (the original's title means
 * nothing to a clerk); an issue that is no exchange has no points, not 0. */
static void res_lines_cell(const record_kind *k, int field, char *cell, size_t cellsz)
{
    if (strcmp(k->fields[field].column, "reverses_id") == 0 && cell[0])
        snprintf(cell, cellsz, "%s", tr("res.reversal_mark"));
    else if (k == &kind_stock_issue && field == SIF_POINTS && strcmp(cell, "0") == 0)
        cell[0] = '\0';
}

/* Every posted kind's list: donation lines, payments, purchases, issues. */
static const kind_list_ext res_posted_ext = {.keys = res_lines_keys, .act = res_lines_act,
                                             .cell = res_lines_cell};

/* ---------------------------------------------------------------- donations */

static bool res_donation_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_RES_GOODS && act != ACT_RES_MONEY)
        return false;
    if (!sel)
        return true;
    app *a = s->app;
    bool goods = act == ACT_RES_GOODS;
    record_parent p = {.field = goods ? DGF_DONATION : DMF_DONATION, .id = sel->id};
    char title[2 * LIST_CELL + 2];
    /* The donation's number and donor name the lines. */
    snprintf(title, sizeof title, "%s %s", sel->cells[0], sel->cells[2]);
    screen *l = kind_list_screen_ext_in(a, goods ? &kind_donation_goods : &kind_donation_money,
                                        &res_posted_ext, &p, title);
    if (l)
        app_push(a, l);
    return true;
}

static const keybind res_donation_keys[] = {
    {KEYCODE | KEY_F(7), ACT_RES_GOODS, KB_BAR},
    {KEYCODE | KEY_F(4), ACT_RES_MONEY, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, 0},
    {0, ACT_NONE, 0},
};

static const kind_list_ext res_donation_ext = {.keys = res_donation_keys,
                                               .act = res_donation_act};

/* ---------------------------------------------------------------- sign-off sheet */

typedef struct sheet_screen {
    list_screen ls;
    int64_t dist;
    char name[256];
    char print_path[4096]; /* F9: waiting for a yes to overwrite */
    char group[LIST_CELL]; /* the vulnerable group chosen for adding by filter */
} sheet_screen;

static const list_col sheet_cols[] = {
    {"res.col_number", 8, 1},
    {"res.col_head", 8, 1},
    {"res.col_id", 18, 0},
    {"res.col_status", 6, 0},
    {"res.col_collected_by", 8, 1},
};

static ws_status sheet_fetch(void *ctx, const char *filter, int64_t after, int dir,
                             list_item *items, size_t max, size_t *n)
{
    sheet_screen *ss = ctx;
    station *st = app_station(ss->ls.base.app);
    res_line *lines = calloc(max ? max : 1, sizeof *lines);
    if (!lines)
        return WS_ERR_NOMEM;
    ws_status s = res_dist_lines(st, ss->dist, filter, after, dir, lines, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        items[i].id = lines[i].id;
        items[i].rev = lines[i].revision;
        snprintf(items[i].cells[0], LIST_CELL, "%s", lines[i].number);
        snprintf(items[i].cells[1], LIST_CELL, "%s", lines[i].head);
        snprintf(items[i].cells[2], LIST_CELL, "%s", lines[i].id_masked);
        const code_item *it = codebook_find(station_codes(st), "sign_status", lines[i].status);
        snprintf(items[i].cells[3], LIST_CELL, "%s", it ? code_label(it, 0) : lines[i].status);
        snprintf(items[i].cells[4], LIST_CELL, "%s", lines[i].collected_by);
    }
    free(lines);
    return s;
}

static void sheet_title(screen *s, char *out, size_t outsz)
{
    sheet_screen *ss = (sheet_screen *)s;
    res_dist_totals t;
    if (res_dist_totals_get(app_station(s->app), ss->dist, &t) != WS_OK)
        memset(&t, 0, sizeof t);
    trf(out, outsz, "res.sheet_title", ss->name, (long long)t.listed, (long long)t.signed_,
        (long long)t.collected, (long long)t.absent);
}

static void sheet_report(sheet_screen *ss, ws_status s, const record_error *re,
                         const char *done_key)
{
    app *a = ss->ls.base.app;
    char msg[512];
    if (s == WS_ERR_INVALID) {
        app_message(a, true, "%s", record_error_reason(re, msg, sizeof msg));
    } else if (s == WS_ERR_STALE) {
        /* Someone else marked it since the sheet was read: show theirs. */
        app_message(a, true, "%s", trf(msg, sizeof msg, "res.sheet_stale", re->detail));
    } else if (s != WS_OK) {
        app_status_error(a, s);
    } else if (done_key) {
        app_message(a, false, "%s", tr(done_key));
    }
    list_reload(ss->ls.list);
}

/* One key a line: the mark, then the next line. */
static void sheet_mark(sheet_screen *ss, const char *status, const char *by)
{
    const list_item *sel = list_selected(ss->ls.list);
    if (!sel || !sel->id)
        return;
    record_error re;
    ws_status s = res_dist_mark_seen(app_station(ss->ls.base.app), sel->id, sel->rev, status,
                                     by, &re);
    sheet_report(ss, s, &re, NULL);
    if (s == WS_OK)
        list_act(ss->ls.list, ACT_DOWN);
}

/* 代领: who collected, in a one-field form. */
typedef struct collect_form {
    form_screen fs;
    sheet_screen *sheet;
    int64_t line, rev; /* the line as the sheet showed it */
} collect_form;

static const form_field_def collect_fields[] = {
    {0, "res.col_collected_by", FT_TEXT, 30, NULL},
};

static void collect_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("res.collect_title"));
}

static void collect_draw(screen *s, int top, int height, int width)
{
    collect_form *cf = (collect_form *)s;
    int y = form_draw(cf->fs.form, top + 1, height - 2, width) + 1;
    draw_text_attr(y, 1, width - 2, tr("res.collect_hint"), false, A_DIM);
    form_draw_error(cf->fs.form, top + height - 1, width);
}

static bool collect_act(screen *s, action act)
{
    collect_form *cf = (collect_form *)s;
    if (act == ACT_SAVE) {
        char by[256];
        snprintf(by, sizeof by, "%s", form_text(cf->fs.form, 0));
        record_error re;
        ws_status st = res_dist_mark_seen(app_station(s->app), cf->line, cf->rev, "collected",
                                          by, &re);
        if (st == WS_ERR_INVALID) {
            char msg[512];
            form_set_error(cf->fs.form, 0, record_error_reason(&re, msg, sizeof msg));
            return true;
        }
        sheet_screen *sheet = cf->sheet;
        app_pop(s->app); /* cf is gone */
        sheet_report(sheet, st, &re, NULL);
        if (st == WS_OK)
            list_act(sheet->ls.list, ACT_DOWN);
        return true;
    }
    if (act == ACT_BACK)
        return form_screen_back(s);
    return form_act(cf->fs.form, act);
}

static void collect_destroy(screen *s)
{
    collect_form *cf = (collect_form *)s;
    form_free(&cf->fs.form);
    free(cf);
}

static access_perm res_write_perm(screen *s, action act)
{
    (void)s;
    access_perm p = action_perm(act);
    return p == PERM_REGISTER_WRITE ? PERM_RESOURCES : p;
}

static const screen_ops collect_ops = {
    .perm = res_write_perm,
    .widget_keys = keys_form,
    .title = collect_title,
    .draw = collect_draw,
    .act = collect_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = collect_destroy,
};

static void sheet_collect(sheet_screen *ss)
{
    app *a = ss->ls.base.app;
    if (!list_selected_id(ss->ls.list))
        return;
    collect_form *cf = calloc(1, sizeof *cf);
    if (!cf)
        return;
    cf->fs.base.ops = &collect_ops;
    cf->fs.base.app = a;
    cf->sheet = ss;
    cf->fs.form = form_new(collect_fields, 1);
    if (!cf->fs.form) {
        free(cf);
        return;
    }
    const list_item *sel = list_selected(ss->ls.list);
    cf->line = sel ? sel->id : 0;
    cf->rev = sel ? sel->rev : 0;
    form_set_text(cf->fs.form, 0, sel ? sel->cells[4] : "");
    form_set_clean(cf->fs.form);
    app_push(a, &cf->fs.base);
}

static void sheet_household_chosen(app *a, void *ctx, const list_item *row)
{
    sheet_screen *ss = ctx;
    record_error re;
    ws_status s = res_dist_add(app_station(a), ss->dist, row->id, &re);
    sheet_report(ss, s, &re, "res.added_one");
}

static void sheet_community_chosen(app *a, void *ctx, const list_item *row)
{
    sheet_screen *ss = ctx;
    record_error re;
    int64_t added = 0;
    int64_t keep = list_selected_id(ss->ls.list);
    /* The picker's row id is the row's position; the community's is in cells[1]. */
    ws_status s = res_dist_add_filter(app_station(a), ss->dist, ss->group,
                                      strtoll(row->cells[1], NULL, 10), &added, &re);
    sheet_report(ss, s, &re, NULL);
    /* The added lines may sort above the first one shown, where a reload
     * anchored on it would not show them: the window around the line the
     * cursor was on, the cursor still on it. */
    if (s == WS_OK && added && keep)
        list_goto(ss->ls.list, keep);
    if (s == WS_OK)
        app_message(a, false, "%s", trf((char[256]){0}, 256, "res.added_many", (long long)added));
}

static void sheet_group_chosen(app *a, void *ctx, const list_item *row)
{
    sheet_screen *ss = ctx;
    snprintf(ss->group, sizeof ss->group, "%s", row->cells[1]);
    screen *p = community_picker_new(a, sheet_community_chosen, ss);
    if (p)
        app_push(a, p);
}

static void sheet_remove_yes(app *a, void *ctx)
{
    sheet_screen *ss = ctx;
    record_error re;
    ws_status s = res_dist_remove(app_station(a), list_selected_id(ss->ls.list), &re);
    sheet_report(ss, s, &re, "res.removed");
}

/* F9: the 签领表 as a PDF named in a prompt (recorded in the access log). */
static void sheet_print_now(app *a, void *ctx)
{
    sheet_screen *ss = ctx;
    char err[4400], msg[4600];
    int pages = 0;
    ws_status st = print_distribution(app_station(a), ss->dist, ss->print_path, &pages, err,
                                      sizeof err);
    if (st != WS_OK) {
        app_message(a, true, "%s", trf(msg, sizeof msg, "app.error",
                                       err[0] ? err : tr(ws_status_key(st))));
        prompt_screen_again(a); /* what was typed, to correct */
    } else
        app_message(a, false, "%s", trf(msg, sizeof msg, "print.done", ss->print_path, pages));
}

static void sheet_print_to(app *a, void *ctx, const char *path)
{
    sheet_screen *ss = ctx;
    snprintf(ss->print_path, sizeof ss->print_path, "%s", path);
    app_confirm_overwrite(a, path, sheet_print_now, ss);
}

static void sheet_print(sheet_screen *ss)
{
    app *a = ss->ls.base.app;
    const char *home = getenv("HOME");
    const char *t = app_today(a);
    char day[16], name[512], path[4096];
    snprintf(day, sizeof day, "%.4s%.2s%.2s", t, t + 5, t + 8);
    trf(name, sizeof name, "res.print_default_sheet", ss->name, day);
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == ' ')
            *p = '_';
    snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    screen *p = prompt_screen_new(a, tr("res.print_sheet_prompt"), tr("print.path_label"),
                                  tr("print.hint"), path, sheet_print_to, ss);
    prompt_screen_set_file(p);
    app_push(a, p);
}

static bool sheet_act(screen *s, action act)
{
    sheet_screen *ss = (sheet_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(ss->ls.list);
    switch (act) {
    case ACT_RES_SIGNED:
        sheet_mark(ss, "signed", NULL);
        return true;
    case ACT_RES_ABSENT:
        sheet_mark(ss, "absent", NULL);
        return true;
    case ACT_RES_COLLECTED:
        sheet_collect(ss);
        return true;
    case ACT_PRINT:
        sheet_print(ss);
        return true;
    case ACT_NEW: {
        screen *p = household_picker_new(a, tr("res.pick_household"), sheet_household_chosen, ss);
        if (p)
            app_push(a, p);
        return true;
    }
    case ACT_RES_ADD_GROUP: {
        screen *p = code_picker_new(a, "vulnerable_group", tr("res.pick_group"),
                                    sheet_group_chosen, ss, NULL);
        if (p)
            app_push(a, p);
        return true;
    }
    case ACT_DELETE:
        if (sel) {
            char q[512];
            app_confirm(a, trf(q, sizeof q, "res.confirm_remove", sel->cells[0], sel->cells[1]),
                        sheet_remove_yes, ss);
        }
        return true;
    case ACT_OPEN:
        return true;
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(ss->ls.list, act);
    }
}

static const keybind sheet_keys[] = {
    {KEYCODE | KEY_F(6), ACT_RES_SIGNED, KB_BAR},
    {KEYCODE | KEY_F(7), ACT_RES_ABSENT, KB_BAR},
    {KEYCODE | KEY_F(4), ACT_RES_COLLECTED, KB_BAR},
    {KEY_CTRL('e'), ACT_RES_ADD_GROUP, KB_BAR},
    {KEYCODE | KEY_F(9), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops sheet_ops = {
    .perm = res_write_perm,
    .keys = sheet_keys,
    .widget_keys = keys_list,
    .title = sheet_title,
    .draw = list_screen_draw,
    .act = sheet_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = list_screen_resume,
    .destroy = list_screen_destroy,
};

static screen *sheet_screen_new(app *a, int64_t dist, const char *name)
{
    sheet_screen *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->ls.base.ops = &sheet_ops;
    ss->ls.base.app = a;
    ss->dist = dist;
    snprintf(ss->name, sizeof ss->name, "%s", name);
    ss->ls.list = list_new(sheet_cols, sizeof sheet_cols / sizeof *sheet_cols, sheet_fetch, ss,
                           true, "res.sheet_empty");
    if (!ss->ls.list) {
        free(ss);
        return NULL;
    }
    list_set_hint(ss->ls.list, "res.sheet_hint");
    return &ss->ls.base;
}

/* ---------------------------------------------------------------- distributions */

static bool res_distribution_act(screen *s, action act, const list_item *sel)
{
    app *a = s->app;
    if (act != ACT_RES_ITEMS && act != ACT_RES_SHEET)
        return false;
    if (!sel)
        return true;
    screen *n;
    if (act == ACT_RES_ITEMS) {
        record_parent p = {.field = DIF_DISTRIBUTION, .id = sel->id};
        n = kind_list_screen_in(a, &kind_distribution_item, false, &p, sel->cells[0]);
    } else {
        n = sheet_screen_new(a, sel->id, sel->cells[0]);
    }
    if (n)
        app_push(a, n);
    return true;
}

static const keybind res_distribution_keys[] = {
    {KEYCODE | KEY_F(7), ACT_RES_ITEMS, KB_BAR},
    {KEYCODE | KEY_F(4), ACT_RES_SHEET, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, 0},
    {0, ACT_NONE, 0},
};

static const kind_list_ext res_distribution_ext = {.keys = res_distribution_keys,
                                                   .act = res_distribution_act};

/* ---------------------------------------------------------------- write-offs */

/* 报损: batch, quantity and reason for one item, in a small form. */
typedef struct writeoff_form {
    form_screen fs;
    int64_t item;
    char name[LIST_CELL];
    char batches[512];
    screen *list;
} writeoff_form;

enum { WO_BATCH, WO_QTY, WO_REASON };
static const form_field_def writeoff_fields[] = {
    {WO_BATCH, "res.f_batch", FT_TEXT, 30, NULL},
    {WO_QTY, "res.f_quantity", FT_TEXT, 12, NULL},
    {WO_REASON, "res.wo_reason", FT_TEXT, 60, NULL},
};

static void writeoff_title(screen *s, char *out, size_t outsz)
{
    trf(out, outsz, "res.wo_title", ((writeoff_form *)s)->name);
}

static void writeoff_draw(screen *s, int top, int height, int width)
{
    writeoff_form *wf = (writeoff_form *)s;
    int y = form_draw(wf->fs.form, top + 1, height - 2, width) + 1;
    char line[768];
    trf(line, sizeof line, "res.wo_hint", wf->batches[0] ? wf->batches : tr("res.wo_none"));
    draw_text_attr(y, 1, width - 2, line, false, A_DIM);
    form_draw_error(wf->fs.form, top + height - 1, width);
}

static bool writeoff_act(screen *s, action act)
{
    writeoff_form *wf = (writeoff_form *)s;
    if (act == ACT_BACK)
        return form_screen_back(s);
    if (act != ACT_SAVE)
        return form_act(wf->fs.form, act);
    form_clear_errors(wf->fs.form);
    char tail;
    long long qty = 0;
    if (sscanf(form_text(wf->fs.form, WO_QTY), "%lld%c", &qty, &tail) != 1) {
        form_set_error(wf->fs.form, WO_QTY, tr("valid.number"));
        return true;
    }
    record_error re;
    ws_status st = res_writeoff(app_station(s->app), wf->item, form_text(wf->fs.form, WO_BATCH),
                                qty, form_text(wf->fs.form, WO_REASON), &re);
    if (st == WS_ERR_INVALID) {
        char msg[512];
        const char *why = record_error_reason(&re, msg, sizeof msg);
        /* The reason's own message, else the quantity's. */
        form_set_error(wf->fs.form, strstr(why, tr("res.wo_reason")) ? WO_REASON : WO_QTY, why);
        return true;
    }
    if (st != WS_OK) {
        app_status_error(s->app, st);
        return true;
    }
    screen *list = wf->list;
    app_pop(s->app); /* wf is gone */
    kind_list_changed(list, "res.wo_done");
    return true;
}

static void writeoff_destroy(screen *s)
{
    writeoff_form *wf = (writeoff_form *)s;
    form_free(&wf->fs.form);
    free(wf);
}

static const screen_ops writeoff_ops = {
    .perm = res_write_perm,
    .widget_keys = keys_form,
    .title = writeoff_title,
    .draw = writeoff_draw,
    .act = writeoff_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = writeoff_destroy,
};

static bool res_items_act(screen *s, action act, const list_item *sel)
{
    if (act != ACT_RES_WRITEOFF)
        return false;
    if (!sel)
        return true;
    writeoff_form *wf = calloc(1, sizeof *wf);
    if (!wf)
        return true;
    wf->fs.base.ops = &writeoff_ops;
    wf->fs.base.app = s->app;
    wf->item = sel->id;
    wf->list = s;
    snprintf(wf->name, sizeof wf->name, "%s", sel->cells[0]);
    res_item_batches(app_station(s->app), sel->id, wf->batches, sizeof wf->batches);
    wf->fs.form = form_new(writeoff_fields, sizeof writeoff_fields / sizeof *writeoff_fields);
    if (!wf->fs.form) {
        free(wf);
        return true;
    }
    app_push(s->app, &wf->fs.base);
    return true;
}

static const keybind res_items_keys[] = {
    {KEYCODE | KEY_F(7), ACT_RES_WRITEOFF, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_RECYCLE, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, 0},
    {0, ACT_NONE, 0},
};

static const kind_list_ext res_items_ext = {.keys = res_items_keys, .act = res_items_act};

/* ---------------------------------------------------------------- what expires */

typedef struct expiring_screen {
    list_screen ls;
} expiring_screen;

static const list_col expiring_cols[] = {
    {"res.f_expiry", 10, 0},
    {"res.f_item", 12, 2},
    {"res.f_batch", 8, 1},
    {"res.f_on_hand", 8, 0},
    /* its own column: a mark after the date was cut off at its width */
    {"res.col_expiry_state", 6, 0},
};

/* Every batch that expires within 30 days, in one page (a station has a
 * few dozen batches at most; 500 are shown). */
static ws_status expiring_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                list_item *items, size_t max, size_t *n)
{
    expiring_screen *es = ctx;
    *n = 0;
    if (after || dir < 0)
        return WS_OK;
    char today[11], until[11];
    date_today(today);
    struct tm tm = {0};
    strptime(today, "%Y-%m-%d", &tm);
    tm.tm_mday += 30;
    tm.tm_isdst = -1;
    mktime(&tm);
    strftime(until, sizeof until, "%Y-%m-%d", &tm);
    res_batch *b = calloc(max ? max : 1, sizeof *b);
    if (!b)
        return WS_ERR_NOMEM;
    ws_status s = res_expiring_find(app_station(es->ls.base.app), until, filter, b, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        items[i].id = (int64_t)i + 1;
        snprintf(items[i].cells[0], LIST_CELL, "%s", b[i].expiry);
        snprintf(items[i].cells[1], LIST_CELL, "%s", b[i].item);
        snprintf(items[i].cells[2], LIST_CELL, "%s", b[i].batch);
        snprintf(items[i].cells[3], LIST_CELL, "%lld %s", (long long)b[i].qty, b[i].unit);
        snprintf(items[i].cells[4], LIST_CELL, "%s", b[i].expired ? tr("res.expired_state") : "");
    }
    free(b);
    return s;
}

static void expiring_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("res.menu_expiring"));
}

static bool expiring_act(screen *s, action act)
{
    expiring_screen *es = (expiring_screen *)s;
    if (act == ACT_BACK)
        return list_screen_back(s); /* a search is cleared first */
    return list_act(es->ls.list, act);
}

static const keybind expiring_keys[] = {
    {KEYCODE | KEY_F(3), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops expiring_ops = {
    .keys = expiring_keys,
    .widget_keys = keys_browse,
    .title = expiring_title,
    .draw = list_screen_draw,
    .act = expiring_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .destroy = list_screen_destroy,
};

static screen *expiring_screen_new(app *a)
{
    expiring_screen *es = calloc(1, sizeof *es);
    if (!es)
        return NULL;
    es->ls.base.ops = &expiring_ops;
    es->ls.base.app = a;
    es->ls.list = list_new(expiring_cols, sizeof expiring_cols / sizeof *expiring_cols,
                           expiring_fetch, es, true, "res.expiring_none");
    if (!es->ls.list) {
        free(es);
        return NULL;
    }
    list_set_hint(es->ls.list, "res.expiring_filter_hint");
    list_set_no_match(es->ls.list, "list.no_match");
    return &es->ls.base;
}

/* ---------------------------------------------------------------- 公示 */

/* The period and the file, F2 prints (an existing file only after a yes). */
typedef struct notice_form {
    form_screen fs;
    char from[11], to[11];
    char path[4096];
} notice_form;

enum { NF_PERIOD, NF_PATH };
static const form_field_def notice_fields[] = {
    {NF_PERIOD, "res.nf_period", FT_TEXT, 30, NULL},
    {NF_PATH, "print.path_label", FT_TEXT, 200, NULL},
};

static void notice_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("res.print_notice_prompt"));
}

static void notice_draw(screen *s, int top, int height, int width)
{
    notice_form *nf = (notice_form *)s;
    int y = form_draw(nf->fs.form, top + 1, height - 2, width) + 1;
    draw_text_attr(y, 1, width - 2, tr("res.nf_hint"), false, A_DIM);
    form_draw_error(nf->fs.form, top + height - 1, width);
}

static void notice_print_now(app *a, void *ctx)
{
    notice_form *nf = ctx;
    char err[4400], msg[4600], path[4096];
    snprintf(path, sizeof path, "%s", nf->path);
    int pages = 0;
    ws_status st = print_notice(app_station(a), nf->from, nf->to, path, &pages, err, sizeof err);
    if (st != WS_OK) {
        app_message(a, true, "%s", trf(msg, sizeof msg, "app.error",
                                       err[0] ? err : tr(ws_status_key(st))));
        return;
    }
    app_pop(a); /* nf is gone */
    app_message(a, false, "%s", trf(msg, sizeof msg, "print.done", path, pages));
}

static bool notice_act(screen *s, action act)
{
    notice_form *nf = (notice_form *)s;
    if (act == ACT_BACK)
        return form_screen_back(s);
    if (act != ACT_SAVE)
        return form_act(nf->fs.form, act);
    form_clear_errors(nf->fs.form);
    if (!res_period_parse(form_text(nf->fs.form, NF_PERIOD), nf->from, nf->to)) {
        char msg[512];
        form_set_error(nf->fs.form, NF_PERIOD, trf(msg, sizeof msg, "res.x_bad_period",
                                                   form_text(nf->fs.form, NF_PERIOD)));
        return true;
    }
    if (!form_text(nf->fs.form, NF_PATH)[0]) {
        form_set_error(nf->fs.form, NF_PATH, tr("valid.required"));
        return true;
    }
    app_path_resolve(form_text(nf->fs.form, NF_PATH), nf->path, sizeof nf->path);
    if (app_path_is_folder(form_text(nf->fs.form, NF_PATH), nf->path)) {
        char msg[4400];
        form_set_error(nf->fs.form, NF_PATH, trf(msg, sizeof msg, "print.folder_no_name",
                                                 form_text(nf->fs.form, NF_PATH)));
        return true;
    }
    app_confirm_overwrite(s->app, nf->path, notice_print_now, nf);
    return true;
}

static void notice_destroy(screen *s)
{
    notice_form *nf = (notice_form *)s;
    form_free(&nf->fs.form);
    free(nf);
}

/* Printing is an export's right; reading the period is anyone's. */
static access_perm notice_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_SAVE ? PERM_EXPORT : action_perm(act);
}

static const screen_ops notice_ops = {
    .perm = notice_perm,
    .widget_keys = keys_form,
    .title = notice_title,
    .draw = notice_draw,
    .act = notice_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .dirty = form_screen_dirty,
    .destroy = notice_destroy,
};

static screen *notice_form_new(app *a)
{
    notice_form *nf = calloc(1, sizeof *nf);
    if (!nf)
        return NULL;
    nf->fs.base.ops = &notice_ops;
    nf->fs.base.app = a;
    nf->fs.form = form_new(notice_fields, sizeof notice_fields / sizeof *notice_fields);
    if (!nf->fs.form) {
        free(nf);
        return NULL;
    }
    /* This year so far, into the home folder. */
    const char *t = app_today(a);
    char period[64], name[128], path[4096];
    snprintf(period, sizeof period, "%.4s-01-01..%.10s", t, t);
    trf(name, sizeof name, "res.print_default_notice", t);
    const char *home = getenv("HOME");
    snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    form_set_text(nf->fs.form, NF_PERIOD, period);
    form_set_text(nf->fs.form, NF_PATH, path);
    form_set_clean(nf->fs.form);
    return &nf->fs.base;
}

/* ---------------------------------------------------------------- the menu */

typedef enum {
    RES_DONATIONS = 1,
    RES_DONORS,
    RES_ITEMS,
    RES_EXPIRING,
    RES_PURCHASES,
    RES_ISSUES,
    RES_FUNDS,
    RES_PAYMENTS,
    RES_DISTRIBUTIONS,
    RES_WISHES,
    RES_NOTICE,
} res_entry;

static const char *const res_entries[] = {
    NULL,
    "res.menu_donations",
    "res.menu_donors",
    "res.menu_items",
    "res.menu_expiring",
    "res.menu_purchases",
    "res.menu_issues",
    "res.menu_funds",
    "res.menu_payments",
    "res.menu_distributions",
    "res.menu_wishes",
    "res.menu_notice",
};
#define RES_NENTRIES (sizeof res_entries / sizeof *res_entries - 1)

typedef struct resources_screen {
    list_screen ls;
} resources_screen;

static const list_col resources_cols[] = {
    {"res.col_entry", 20, 1},
};

static ws_status resources_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    (void)ctx;
    (void)filter;
    *n = 0;
    for (size_t i = 0; i < RES_NENTRIES && *n < max; i++) {
        int64_t id = dir > 0 ? (int64_t)i + 1 : (int64_t)(RES_NENTRIES - i);
        if (after && (dir > 0 ? id <= after : id >= after))
            continue;
        items[*n].id = id;
        snprintf(items[*n].cells[0], LIST_CELL, "%s", tr(res_entries[id]));
        (*n)++;
    }
    return WS_OK;
}

static void resources_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("res.title"));
}

static bool resources_act(screen *s, action act)
{
    resources_screen *rs = (resources_screen *)s;
    app *a = s->app;
    screen *n = NULL;
    if (act == ACT_BACK) {
        app_pop(a);
        return true;
    }
    if (act != ACT_OPEN)
        return list_act(rs->ls.list, act);
    switch ((res_entry)list_selected_id(rs->ls.list)) {
    case RES_DONATIONS:
        n = kind_list_screen_ext(a, &kind_donation, &res_donation_ext);
        break;
    case RES_DONORS:
        n = kind_list_screen_new(a, &kind_donor, false);
        break;
    case RES_ITEMS:
        n = kind_list_screen_ext(a, &kind_item, &res_items_ext);
        break;
    case RES_EXPIRING:
        n = expiring_screen_new(a);
        break;
    case RES_FUNDS:
        n = kind_list_screen_new(a, &kind_fund, false);
        break;
    case RES_PAYMENTS:
        n = kind_list_screen_ext(a, &kind_payment, &res_posted_ext);
        break;
    case RES_DISTRIBUTIONS:
        n = kind_list_screen_ext(a, &kind_distribution, &res_distribution_ext);
        break;
    case RES_WISHES:
        n = kind_list_screen_new(a, &kind_wish, false);
        break;
    case RES_NOTICE:
        n = notice_form_new(a);
        break;
    case RES_PURCHASES:
        n = kind_list_screen_ext(a, &kind_purchase, &res_posted_ext);
        break;
    case RES_ISSUES:
        n = kind_list_screen_ext(a, &kind_stock_issue, &res_posted_ext);
        break;
    }
    if (n)
        app_push(a, n);
    return true;
}

static const keybind resources_keys[] = {
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {KEYCODE | KEY_ENTER, ACT_OPEN, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops resources_ops = {
    .keys = resources_keys,
    .widget_keys = keys_browse,
    .title = resources_title,
    .draw = list_screen_draw,
    .act = resources_act,
    .destroy = list_screen_destroy,
};

screen *resources_screen_new(app *a)
{
    resources_screen *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->ls.base.ops = &resources_ops;
    rs->ls.base.app = a;
    rs->ls.list = list_new(resources_cols, 1, resources_fetch, rs, false, "records.empty");
    if (!rs->ls.list) {
        free(rs);
        return NULL;
    }
    return &rs->ls.base;
}
