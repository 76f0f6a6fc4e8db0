/* Residents: the register in pinyin order, filtered as the clerk types. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/household.h"
#include "wushe/resident.h"

typedef struct residents_screen {
    list_screen ls; /* saved_id: set by the form when a resident was saved */
    /* The title: what the filter means and how many it shows. The count
     * waits until no key is waiting (a search of one letter counts many). */
    char shown[512];  /* the filter the title is about */
    char what[512];   /* its meaning: "低保 · 学堂湾社区" */
    int64_t total;    /* -1: could not count */
    bool counted;     /* total is the count of `shown` */
    int64_t move_id;  /* resident being moved */
    int64_t move_household;
    char move_relation[LIST_CELL];
    char move_address[512]; /* the new household's, when it differs */
    char move_current[512]; /* the resident's */
    ui_export_job export; /* F9 */
} residents_screen;

const list_col residents_cols[] = {
    {"residents.col_name", 8, 3},
    {"residents.col_sex", 4, 0},
    {"residents.col_age", 4, 0},
    {"residents.col_id", 18, 0},
    {"residents.col_phone", 11, 0},
    {"residents.col_community", 10, 1},
    {"residents.col_household", 6, 1},
    {"residents.col_groups", 8, 4},
};
const size_t residents_ncols = sizeof residents_cols / sizeof residents_cols[0];

static const keybind residents_keys[] = {
    /* The commonest first on the key bar (a narrow one cuts the rest). */
    {KEYCODE | KEY_F(5), ACT_NEW, KB_BAR},
    {KEYCODE | KEY_F(8), ACT_DELETE, KB_BAR},
    {KEYCODE | KEY_F(6), ACT_HOUSEHOLDS, KB_BAR},
    {KEYCODE | KEY_F(7), ACT_MOVE, KB_BAR},
    {KEYCODE | KEY_F(9), ACT_EXPORT, KB_BAR},
    {KEY_CTRL('x'), ACT_EXPORT, 0},
    {KEYCODE | KEY_F(11), ACT_HISTORY, KB_BAR},
    {KEY_CTRL('o'), ACT_IMPORT, KB_BAR},
    {KEYCODE | KEY_F(4), ACT_RECYCLE, KB_BAR},
    {KEY_CTRL('w'), ACT_VISIT, KB_BAR},
    {KEY_CTRL('k'), ACT_OPEN_CASE, KB_BAR},
    {KEY_CTRL('r'), ACT_RECYCLE, 0},
    {0, ACT_NONE, 0},
};

/* Group codes "dibao,disabled" as short labels "低保 残疾". */
static void residents_group_labels(const codebook *cb, const char *codes, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    char buf[256];
    snprintf(buf, sizeof buf, "%s", codes);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const code_item *it = codebook_find(cb, "vulnerable_group", tok);
        int n = snprintf(out + used, outsz - used, "%s%s", used ? " " : "",
                         it ? code_label(it, 1) : tok);
        if (n < 0 || (size_t)n >= outsz - used)
            break;
        used += (size_t)n;
    }
}

void residents_fill_item(app *a, const resident_row *r, list_item *it)
{
    const codebook *cb = station_codes(app_station(a));
    char sexcode[4];
    snprintf(sexcode, sizeof sexcode, "%d", r->sex);
    const code_item *sex = codebook_find(cb, "sex", sexcode);
    it->id = r->id;
    snprintf(it->cells[0], LIST_CELL, "%s", r->name);
    snprintf(it->cells[1], LIST_CELL, "%s", sex && r->sex ? code_label(sex, 1) : "");
    int age = r->birth_date[0] ? date_age(r->birth_date, app_today(a)) : -1;
    if (age >= 0)
        snprintf(it->cells[2], LIST_CELL, "%d", age);
    else
        it->cells[2][0] = '\0';
    mask_id_number(r->id_number, it->cells[3], LIST_CELL);
    mask_phone(r->phone, it->cells[4], LIST_CELL);
    snprintf(it->cells[5], LIST_CELL, "%s", r->community);
    snprintf(it->cells[6], LIST_CELL, "%s", r->household);
    residents_group_labels(cb, r->groups, it->cells[7], LIST_CELL);
}

static ws_status residents_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                 list_item *items, size_t max, size_t *n)
{
    residents_screen *rs = ctx;
    resident_row *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    station *st = app_station(rs->ls.base.app);
    ws_status s = resident_list(st, filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++)
        residents_fill_item(rs->ls.base.app, &rows[i], &items[i]);
    free(rows);
    /* Another filter: the title says what it means now, its count follows. */
    if (strcmp(filter, rs->shown) != 0) {
        snprintf(rs->shown, sizeof rs->shown, "%s", filter);
        if (resident_filter_describe(st, filter, " · ", rs->what, sizeof rs->what) != WS_OK)
            rs->what[0] = '\0';
        rs->counted = false;
    }
    return s;
}

/* The count again (after a change of the register). */
static void residents_count(residents_screen *rs)
{
    rs->counted = false;
}

/* A key is waiting: the count can wait for it. */
static bool residents_key_waiting(void)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

static bool residents_idle(screen *s)
{
    residents_screen *rs = (residents_screen *)s;
    if (rs->counted || residents_key_waiting())
        return false;
    if (resident_count(app_station(s->app), rs->shown, &rs->total) != WS_OK)
        rs->total = -1;
    rs->counted = true;
    return true;
}

static void residents_title(screen *s, char *out, size_t outsz)
{
    residents_screen *rs = (residents_screen *)s;
    char count[64] = "…";
    if (rs->counted && rs->total >= 0)
        trf(count, sizeof count, "app.count", (long long)rs->total);
    else if (rs->counted)
        count[0] = '\0';
    snprintf(out, outsz, "%s%s%s  %s", tr("residents.title"), rs->what[0] ? " · " : "", rs->what,
             count);
}

/* The household resident `id` heads now (0: none), before it leaves. */
static int64_t residents_headed(app *a, int64_t id)
{
    resident r;
    if (resident_load(app_station(a), id, &r) != WS_OK || strcmp(r.relation, "head") != 0)
        return 0;
    return r.household_id;
}

/* After the head left: say the household has none now (members stay). */
static void residents_head_left(app *a, int64_t household_id, const char *done_key)
{
    household_row row;
    if (household_id && household_row_get(app_station(a), household_id, &row) == WS_OK &&
        !row.head_id && row.members > 0) {
        char msg[512];
        app_message(a, false, "%s", trf(msg, sizeof msg, "residents.head_left", tr(done_key),
                                          row.number));
    } else {
        app_message(a, false, "%s", tr(done_key));
    }
}

static void residents_delete_yes(app *a, void *ctx)
{
    residents_screen *rs = ctx;
    int64_t headed = residents_headed(a, list_selected_id(rs->ls.list));
    ws_status s = resident_delete(app_station(a), list_selected_id(rs->ls.list));
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    residents_head_left(a, headed, "app.deleted");
    residents_count(rs);
    list_reload(rs->ls.list);
}


void ui_move_error(app *a, ws_status s, const field_error *fe)
{
    if (s != WS_ERR_INVALID || fe->code == VAL_OK) {
        app_status_error(a, s);
        return;
    }
    char msg[512];
    app_message(a, true, "%s", record_error_reason(fe, msg, sizeof msg));
}

/* The move itself, taking address (NULL: the address stays). */
static void residents_move_finish(residents_screen *rs, const char *address)
{
    app *a = rs->ls.base.app;
    field_error fe;
    int64_t headed = residents_headed(a, rs->move_id);
    if (headed == rs->move_household)
        headed = 0; /* moved within its own household */
    ws_status s = resident_move_with_address(app_station(a), rs->move_id, rs->move_household,
                                             rs->move_relation, address, &fe);
    if (s != WS_OK) {
        ui_move_error(a, s, &fe);
        return;
    }
    residents_head_left(a, headed, address ? "residents.moved_address" : "app.moved");
    residents_count(rs);
    list_reload(rs->ls.list);
}

static const list_col residents_address_cols[] = {
    {"form.choice", 20, 1},
};

/* Two rows: 1 keeps the present address (first, as 取消 is), 2 takes the
 * new household's. */
static ws_status residents_address_fetch(void *ctx, const char *filter, int64_t after, int dir,
                                         list_item *items, size_t max, size_t *n)
{
    residents_screen *rs = ctx;
    *n = 0;
    int step = dir > 0 ? 1 : -1;
    for (int64_t id = after ? after + step : (dir > 0 ? 1 : 2); id >= 1 && id <= 2 && *n < max;
         id += step) {
        list_item *it = &items[*n];
        it->id = id;
        if (id == 1)
            trf(it->cells[0], LIST_CELL, "residents.address_keep",
                rs->move_current[0] ? rs->move_current : tr("residents.address_none"));
        else
            trf(it->cells[0], LIST_CELL, "residents.address_take", rs->move_address);
        if (!filter || !*filter || strstr(it->cells[0], filter))
            (*n)++;
    }
    return WS_OK;
}

static void residents_address_chosen(app *a, void *ctx, const list_item *row)
{
    residents_screen *rs = ctx;
    (void)a;
    residents_move_finish(rs, row->id == 2 ? rs->move_address : NULL);
}

/* After the relation: when the new household has an address other than
 * the resident's, ask whether to take it; else move. */
static void residents_move_relation(app *a, void *ctx, const list_item *row)
{
    residents_screen *rs = ctx;
    snprintf(rs->move_relation, sizeof rs->move_relation, "%s", row->cells[1]);
    resident *r = malloc(sizeof *r);
    household *h = malloc(sizeof *h);
    bool ask = r && h && rs->move_household &&
               resident_load(app_station(a), rs->move_id, r) == WS_OK &&
               household_load(app_station(a), rs->move_household, h) == WS_OK &&
               h->address[0] && strcmp(h->address, r->address) != 0;
    bool none_yet = ask && !r->address[0];
    if (ask) {
        snprintf(rs->move_address, sizeof rs->move_address, "%s", h->address);
        snprintf(rs->move_current, sizeof rs->move_current, "%s", r->address);
    }
    free(r);
    free(h);
    if (!ask || none_yet) {
        /* No address of its own yet: the new household's is the only one. */
        residents_move_finish(rs, none_yet ? rs->move_address : NULL);
        return;
    }
    screen *p = picker_screen_new(a, tr("residents.address_title"), residents_address_cols, 1,
                                  residents_address_fetch, rs, NULL, residents_address_chosen, rs,
                                  NULL);
    if (p)
        app_push(a, p);
}

static void residents_move_household(app *a, void *ctx, const list_item *row)
{
    residents_screen *rs = ctx;
    rs->move_household = row->id;
    /* The household picker closes after this; the relation picker follows. */
    app_push(a, code_picker_new(a, "relation", tr("residents.relation_title"),
                                residents_move_relation, rs, NULL));
}

static bool residents_act(screen *s, action act)
{
    residents_screen *rs = (residents_screen *)s;
    app *a = s->app;
    const list_item *sel = list_selected(rs->ls.list);
    switch (act) {
    case ACT_NEW:
        rs->ls.saved_id = 0;
        app_push(a, resident_form_new(a, 0, 0, &rs->ls.saved_id));
        return true;
    case ACT_OPEN:
        if (list_act(rs->ls.list, act))
            return true;
        if (!sel)
            return true;
        rs->ls.saved_id = 0;
        app_push(a, resident_form_new(a, sel->id, 0, &rs->ls.saved_id));
        return true;
    case ACT_DELETE:
        if (sel) {
            char q[512];
            app_confirm(a, trf(q, sizeof q, "residents.confirm_delete", sel->cells[0]),
                        residents_delete_yes, rs);
        }
        return true;
    case ACT_VISIT:
    case ACT_OPEN_CASE:
        if (list_selected_id(rs->ls.list)) {
            if (act == ACT_VISIT)
                casework_new_visit(s->app, list_selected_id(rs->ls.list));
            else
                casework_new_case(s->app, list_selected_id(rs->ls.list));
        }
        return true;
    case ACT_HISTORY:
        if (sel)
            app_push(a, history_screen_new(a, sel->id, sel->cells[0]));
        return true;
    case ACT_HOUSEHOLDS:
        app_push(a, households_screen_new(a));
        return true;
    case ACT_IMPORT:
        app_push(a, import_screen_new(a));
        return true;
    case ACT_RECYCLE:
        app_push(a, resident_bin_screen_new(a));
        return true;

    case ACT_EXPORT:
        ui_export_ask(a, &rs->export, list_filter(rs->ls.list));
        return true;
    case ACT_MOVE:
        if (sel) {
            rs->move_id = sel->id;
            app_push(a, household_picker_new(a, tr("residents.move_title"),
                                             residents_move_household, rs));
        }
        return true;
    case ACT_BACK:
        return list_screen_back(s);
    default:
        return list_act(rs->ls.list, act);
    }
}

static void residents_resume(screen *s)
{
    residents_screen *rs = (residents_screen *)s;
    residents_count(rs);
    list_screen_resume(s);
}

static const screen_ops residents_ops = {
    .keys = residents_keys,
    .widget_keys = keys_list,
    .title = residents_title,
    .draw = list_screen_draw,
    .act = residents_act,
    .key = list_screen_key,
    .typing = list_screen_typing,
    .resume = residents_resume,
    .idle = residents_idle,
    .destroy = list_screen_destroy,
};

screen *residents_screen_new(app *a)
{
    residents_screen *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    rs->ls.base.ops = &residents_ops;
    rs->ls.base.app = a;
    rs->export = (ui_export_job){.title_key = "export.title", .hint_key = "export.hint",
                                 .name_key = "export.default_name",
                                 .name_n_key = "export.default_name_n",
                                 .done_key = "export.done",
                                 .done_unmasked_key = "export.done_unmasked"};
    rs->ls.list = list_new(residents_cols, residents_ncols, residents_fetch, rs, true,
                        "residents.empty");
    if (!rs->ls.list) {
        free(rs);
        return NULL;
    }
    list_set_hint(rs->ls.list, "residents.search_hint");
    residents_count(rs);
    return &rs->ls.base;
}

screen *residents_screen_filtered(app *a, const char *filter)
{
    screen *s = residents_screen_new(a);
    if (s && filter && *filter)
        list_set_filter(((residents_screen *)s)->ls.list, filter);
    return s;
}
