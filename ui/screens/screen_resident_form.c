/* The resident form: name first, then the ID number, which fills sex and
 * birth date. Saving validates in the model; errors land at the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "wushe/casework.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/print.h"
#include "wushe/resident.h"

typedef struct resident_form {
    form_screen fs;
    form_field_def defs[RF_NOTES + 2]; /* resident_form_defs */
    resident r;           /* the record being edited (groups live here) */
    int64_t *saved_id;
    bool groups_changed;
    char auto_birth[16];  /* what the ID number filled in, to refill on change */
    int auto_sex;
    char last_id[40];
    /* A saved record opens with its ID number and phone masked, for every
     * role; F6 shows them (PERM_UNMASK, recorded). What the fields showed
     * masked, to put the full values in only where nothing was typed. */
    bool masked;
    char shown_id[40];
    char shown_phone[40];
    char casework[160];   /* 上次走访 … · 个案 … ("" new or not allowed) */
} resident_form;

/* keys_form_lines, and F6 / Ctrl-T to show the identifiers in full (the
 * hint over the form names the key, the bar has no room for it). */
static const keybind resident_form_keys[] = {
    {KEYCODE | KEY_F(6), ACT_REVEAL, 0},
    {KEY_CTRL('t'), ACT_REVEAL, 0},
    {KEYCODE | KEY_F(7), ACT_CONSENTS, KB_BAR},
    {KEYCODE | KEY_F(9), ACT_PRINT, KB_BAR},
    {KEY_CTRL('p'), ACT_PRINT, 0},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {'\r', ACT_NEWLINE, 0},
    {KEYCODE | KEY_ENTER, ACT_NEWLINE, 0},
    {'\n', ACT_NEWLINE, 0},
    {0, ACT_NONE, 0},
};

/* How the form edits each field of kind_resident (the sex, a number in
 * the model, is picked from its code list); the labels, the limits (the
 * model's, in characters: the fields never cut) and the code lists are
 * the declaration's. The statuses come last, on a button. */
static const field_type resident_form_types[RF_NOTES + 1] = {
    [RF_NAME] = FT_TEXT,     [RF_ID_NUMBER] = FT_IDNUM, [RF_SEX] = FT_CODE,
    [RF_BIRTH_DATE] = FT_DATE, [RF_PHONE] = FT_PHONE,  [RF_ETHNICITY] = FT_CODE,
    [RF_COMMUNITY] = FT_REF, [RF_HOUSEHOLD] = FT_REF,   [RF_RELATION] = FT_CODE,
    [RF_ADDRESS] = FT_TEXT,  [RF_NOTES] = FT_LINES,
};
#define RESIDENT_NFIELDS (RF_NOTES + 2)

static void resident_form_defs(form_field_def *defs)
{
    for (int i = RF_NAME; i <= RF_NOTES; i++) {
        const field_def *f = &kind_resident.fields[i];
        bool text = f->type == FLD_NAME || f->type == FLD_TEXT || f->type == FLD_MULTILINE;
        defs[i] = (form_field_def){i, f->label, resident_form_types[i],
                                   text ? (size_t)f->limit : 0, f->codes};
    }
    defs[RF_NOTES + 1] = (form_field_def){RF_GROUPS, "field.groups", FT_BUTTON, 0, NULL};
}

static const form_field_def *resident_field_def(const resident_form *rf, int id)
{
    for (size_t i = 0; i < RESIDENT_NFIELDS; i++)
        if (rf->defs[i].id == id)
            return &rf->defs[i];
    return NULL;
}

static void resident_form_set_code(resident_form *rf, int id, const char *code)
{
    const form_field_def *d = resident_field_def(rf, id);
    const code_item *it = code && *code
        ? codebook_find(station_codes(app_station(rf->fs.base.app)), d->code_list, code) : NULL;
    form_set_code(rf->fs.form, id, it ? code : "", it ? code_label(it, 0) : "");
}

static void resident_form_sex(resident_form *rf, int sex)
{
    char code[4];
    snprintf(code, sizeof code, "%d", sex);
    resident_form_set_code(rf, RF_SEX, sex ? code : "");
}

/* Labels of the held (or the unticked) statuses, joined. */
static void resident_form_group_labels(resident_form *rf, bool unticked, char *buf, size_t bufsz)
{
    size_t used = 0;
    buf[0] = '\0';
    const codebook *cb = station_codes(app_station(rf->fs.base.app));
    for (size_t i = 0; i < rf->r.ngroups; i++) {
        if (rf->r.groups[i].removed != unticked)
            continue;
        const code_item *it = codebook_find(cb, "vulnerable_group", rf->r.groups[i].code);
        int n = snprintf(buf + used, bufsz - used, "%s%s", used ? tr("export.group_sep") : "",
                         it ? code_label(it, 1) : rf->r.groups[i].code);
        if (n < 0 || (size_t)n >= bufsz - used)
            break;
        used += (size_t)n;
    }
}

/* The held statuses, and the unticked ones the save will remove. */
static void resident_form_groups_summary(resident_form *rf)
{
    char held[256], gone[256], pending[300], buf[600];
    resident_form_group_labels(rf, false, held, sizeof held);
    resident_form_group_labels(rf, true, gone, sizeof gone);
    if (!gone[0]) {
        form_set_summary(rf->fs.form, RF_GROUPS, held[0] ? held : tr("form.group_none"));
        return;
    }
    trf(pending, sizeof pending, "form.group_pending", gone);
    snprintf(buf, sizeof buf, "%s%s%s", held, held[0] ? "  " : "", pending);
    form_set_summary(rf->fs.form, RF_GROUPS, buf);
}

static void resident_form_household_display(resident_form *rf, int64_t hid)
{
    household_row row;
    if (hid && household_row_get(app_station(rf->fs.base.app), hid, &row) == WS_OK) {
        char buf[300];
        snprintf(buf, sizeof buf, "%s %s", row.number, row.head);
        form_set_ref(rf->fs.form, RF_HOUSEHOLD, hid, buf);
    } else {
        form_set_ref(rf->fs.form, RF_HOUSEHOLD, 0, "");
    }
}

static void resident_form_community_display(resident_form *rf, int64_t cid)
{
    community *items = NULL;
    size_t n = 0;
    form_set_ref(rf->fs.form, RF_COMMUNITY, 0, "");
    if (!cid || community_list(app_station(rf->fs.base.app), &items, &n) != WS_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (items[i].id == cid)
            form_set_ref(rf->fs.form, RF_COMMUNITY, cid, items[i].name);
    free(items);
}

/* A saved record's identifiers as the form first shows them: masked (a
 * 录入员's record came masked from the model already). */
static void resident_form_mask(resident_form *rf)
{
    resident *r = &rf->r;
    rf->masked = r->id && (r->id_number[0] || r->phone[0]);
    if (!rf->masked) {
        snprintf(rf->shown_id, sizeof rf->shown_id, "%s", r->id_number);
        snprintf(rf->shown_phone, sizeof rf->shown_phone, "%s", r->phone);
        return;
    }
    bool full = station_can(app_station(rf->fs.base.app), PERM_IDS_FULL);
    if (full) {
        mask_id_number(r->id_number, rf->shown_id, sizeof rf->shown_id);
        mask_phone(r->phone, rf->shown_phone, sizeof rf->shown_phone);
    } else {
        snprintf(rf->shown_id, sizeof rf->shown_id, "%s", r->id_number);
        snprintf(rf->shown_phone, sizeof rf->shown_phone, "%s", r->phone);
    }
}

static void resident_form_load(resident_form *rf)
{
    resident *r = &rf->r;
    resident_form_mask(rf);
    form_set_text(rf->fs.form, RF_NAME, r->name);
    form_set_text(rf->fs.form, RF_ID_NUMBER, rf->shown_id);
    resident_form_sex(rf, r->sex);
    form_set_text(rf->fs.form, RF_BIRTH_DATE, r->birth_date);
    form_set_text(rf->fs.form, RF_PHONE, rf->shown_phone);
    resident_form_set_code(rf, RF_ETHNICITY, r->ethnicity);
    resident_form_community_display(rf, r->community_id);
    resident_form_household_display(rf, r->household_id);
    resident_form_set_code(rf, RF_RELATION, r->relation);
    form_set_text(rf->fs.form, RF_ADDRESS, r->address);
    form_set_text(rf->fs.form, RF_NOTES, r->notes);
    resident_form_groups_summary(rf);
    snprintf(rf->last_id, sizeof rf->last_id, "%s", rf->shown_id);
    form_set_clean(rf->fs.form);
}

/* F6: the full ID number and phone, recorded in the access log before
 * they are shown (the key is offered only to roles with PERM_UNMASK). A
 * field the clerk has typed in keeps what was typed. */
static void resident_form_reveal(resident_form *rf)
{
    app *a = rf->fs.base.app;
    if (!rf->masked)
        return;
    ws_status s = access_unmask(app_station(a), "residents", rf->r.id, NULL);
    if (s != WS_OK) {
        app_message(a, true, "%s", tr(ws_status_key(s)));
        return;
    }
    bool dirty = form_dirty(rf->fs.form);
    if (strcmp(form_text(rf->fs.form, RF_ID_NUMBER), rf->shown_id) == 0) {
        form_set_text(rf->fs.form, RF_ID_NUMBER, rf->r.id_number);
        snprintf(rf->last_id, sizeof rf->last_id, "%s", rf->r.id_number);
    }
    if (strcmp(form_text(rf->fs.form, RF_PHONE), rf->shown_phone) == 0)
        form_set_text(rf->fs.form, RF_PHONE, rf->r.phone);
    if (!dirty)
        form_set_clean(rf->fs.form);
    rf->masked = false;
    app_message(a, false, "%s", tr("reveal.done"));
}

/* Copy what the form holds into the record (raw, as typed). */
static void resident_form_collect(resident_form *rf)
{
    resident *r = &rf->r;
    snprintf(r->name, sizeof r->name, "%s", form_text(rf->fs.form, RF_NAME));
    snprintf(r->id_number, sizeof r->id_number, "%s", form_text(rf->fs.form, RF_ID_NUMBER));
    r->sex = atoi(form_code(rf->fs.form, RF_SEX));
    snprintf(r->birth_date, sizeof r->birth_date, "%s", form_text(rf->fs.form, RF_BIRTH_DATE));
    snprintf(r->phone, sizeof r->phone, "%s", form_text(rf->fs.form, RF_PHONE));
    snprintf(r->ethnicity, sizeof r->ethnicity, "%s", form_code(rf->fs.form, RF_ETHNICITY));
    r->community_id = form_ref(rf->fs.form, RF_COMMUNITY);
    r->household_id = form_ref(rf->fs.form, RF_HOUSEHOLD);
    snprintf(r->relation, sizeof r->relation, "%s", form_code(rf->fs.form, RF_RELATION));
    snprintf(r->address, sizeof r->address, "%s", form_text(rf->fs.form, RF_ADDRESS));
    snprintf(r->notes, sizeof r->notes, "%s", form_text(rf->fs.form, RF_NOTES));
}

/* Leaving the ID number: a valid number fills sex and birth date (again,
 * when they were filled from an earlier number); an invalid one is flagged
 * at once, though the clerk may go on typing elsewhere. */
static void resident_form_id_left(resident_form *rf)
{
    const char *idn = form_text(rf->fs.form, RF_ID_NUMBER);
    if (strcmp(idn, rf->last_id) == 0)
        return;
    snprintf(rf->last_id, sizeof rf->last_id, "%s", idn);
    if (!*idn)
        return;
    val_id v;
    val_status vs = val_id_number(idn, app_today(rf->fs.base.app), &v);
    if (vs != VAL_OK) {
        int next = form_focus_id(rf->fs.form);
        form_set_error(rf->fs.form, RF_ID_NUMBER, tr(val_status_key(vs)));
        form_focus(rf->fs.form, next);
        return;
    }
    form_set_text(rf->fs.form, RF_ID_NUMBER, v.number);
    snprintf(rf->last_id, sizeof rf->last_id, "%s", v.number);
    int sex = atoi(form_code(rf->fs.form, RF_SEX));
    if (sex == SEX_UNKNOWN || sex == rf->auto_sex) {
        resident_form_sex(rf, v.sex);
        rf->auto_sex = v.sex;
    }
    const char *birth = form_text(rf->fs.form, RF_BIRTH_DATE);
    if (!*birth || strcmp(birth, rf->auto_birth) == 0) {
        form_set_text(rf->fs.form, RF_BIRTH_DATE, v.birth);
        snprintf(rf->auto_birth, sizeof rf->auto_birth, "%s", v.birth);
    }
}

static void resident_form_title(screen *s, char *out, size_t outsz)
{
    resident_form *rf = (resident_form *)s;
    const char *t = tr(form_readonly(rf->fs.form) ? "residents.view_title"
                       : rf->r.id ? "residents.edit_title" : "residents.new_title");
    if (form_dirty(rf->fs.form))
        snprintf(out, outsz, "%s  [%s]", t, tr("form.unsaved"));
    else
        snprintf(out, outsz, "%s", t);
}

static void resident_form_draw(screen *s, int top, int height, int width)
{
    resident_form *rf = (resident_form *)s;
    if (rf->masked) {
        /* The key that shows them, for whoever may see them. */
        char keys[64], hint[256];
        if (app_allows(s->app, s, ACT_REVEAL)) {
            const keybind *tables[] = {resident_form_keys};
            keys_describe(tables, 1, ACT_REVEAL, 0, 0, "/", keys, sizeof keys);
            trf(hint, sizeof hint, "reveal.hint", keys);
        } else {
            snprintf(hint, sizeof hint, "%s", tr("reveal.hint_denied"));
        }
        draw_text_attr(top, 1, width - 2, hint, false, A_DIM);
    }
    /* The last visit and the open cases, at the right of the top line. */
    int cw = draw_width(rf->casework);
    if (cw && cw < width - 4)
        draw_text_attr(top, width - cw - 1, cw, rf->casework, false, A_DIM);
    form_draw(rf->fs.form, top + 1, height - 2, width);
    form_draw_error(rf->fs.form, top + height - 1, width);
}

/* The person's last visit and open cases, as the role may see them. */
static void resident_form_casework(resident_form *rf)
{
    station *st = app_station(rf->fs.base.app);
    char last[16];
    int64_t open = 0;
    rf->casework[0] = '\0';
    if (!station_can(st, PERM_VISIT_READ) ||
        casework_resident_summary(st, rf->r.id, last, &open) != WS_OK)
        return;
    char visit[96], cases[64] = "";
    if (last[0])
        trf(visit, sizeof visit, "case.form_last_visit", last);
    else
        snprintf(visit, sizeof visit, "%s", tr("case.form_never_visited"));
    if (open && station_can(st, PERM_CASE_READ))
        trf(cases, sizeof cases, "case.form_open_cases", (long long)open);
    snprintf(rf->casework, sizeof rf->casework, "%s%s%s", visit, cases[0] ? " · " : "", cases);
}

static int resident_form_error_field(resident_field f)
{
    switch (f) {
    case RF_GROUP_START:
    case RF_GROUP_CERT:
    case RF_GROUP_REVIEW:
    case RF_GROUP_DISABILITY:
    case RF_GROUPS:
        return RF_GROUPS;
    default:
        return (int)f;
    }
}

static void resident_form_save(resident_form *rf)
{
    app *a = rf->fs.base.app;
    resident_form_id_left(rf);
    form_clear_errors(rf->fs.form);
    /* Over-long text is refused here, naming the limit, before the record
     * (whose buffers hold the limits) would cut it. */
    if (!form_check(rf->fs.form))
        return;
    resident_form_collect(rf);
    field_error fe;
    resident copy = rf->r;
    ws_status s = resident_save(app_station(a), &copy, &fe);
    if (s == WS_ERR_INVALID) {
        char msg[512];
        record_error_reason(&fe, msg, sizeof msg);
        form_set_error(rf->fs.form, resident_form_error_field(fe.field), msg);
        return;
    }
    if (s == WS_ERR_STALE) {
        /* Saved in another console since this form opened: nothing is
         * overwritten, and nothing typed here is lost. */
        char msg[512];
        app_message(a, true, "%s", trf(msg, sizeof msg, "record.stale", fe.detail));
        return;
    }
    if (s != WS_OK) {
        /* Disk full, locked...: the form keeps everything typed. */
        app_status_error(a, s);
        return;
    }
    if (rf->saved_id)
        *rf->saved_id = copy.id;
    app_message(a, false, "%s", tr("app.saved"));
    app_pop(a);
}

static void resident_form_picked_code(app *a, void *ctx, const list_item *row)
{
    resident_form *rf = ctx;
    (void)a;
    int id = form_focus_id(rf->fs.form);
    form_set_code(rf->fs.form, id, row->cells[1], row->cells[0]);
    form_mark_dirty(rf->fs.form);
    form_act(rf->fs.form, ACT_NEXT_FIELD);
}

static void resident_form_picked_community(app *a, void *ctx, const list_item *row)
{
    resident_form *rf = ctx;
    (void)a;
    form_set_ref(rf->fs.form, RF_COMMUNITY, atoll(row->cells[1]), row->cells[0]);
    form_mark_dirty(rf->fs.form);
    form_act(rf->fs.form, ACT_NEXT_FIELD);
}

static void resident_form_picked_household(app *a, void *ctx, const list_item *row)
{
    resident_form *rf = ctx;
    resident_form_household_display(rf, row->id);
    household h;
    /* A new member usually lives where the household lives. */
    if (household_load(app_station(a), row->id, &h) == WS_OK) {
        if (!form_ref(rf->fs.form, RF_COMMUNITY) && h.community_id)
            resident_form_community_display(rf, h.community_id);
        if (!form_text(rf->fs.form, RF_ADDRESS)[0])
            form_set_text(rf->fs.form, RF_ADDRESS, h.address);
    }
    form_mark_dirty(rf->fs.form);
    form_act(rf->fs.form, ACT_NEXT_FIELD);
}

static void resident_form_pick(resident_form *rf, const char *initial)
{
    app *a = rf->fs.base.app;
    int id = form_focus_id(rf->fs.form);
    const form_field_def *d = resident_field_def(rf, id);
    switch (d->type) {
    case FT_CODE:
        app_push(a, code_picker_new(a, d->code_list, tr(d->label_key),
                                    resident_form_picked_code, rf, initial));
        break;
    case FT_REF:
        if (id == RF_COMMUNITY)
            app_push(a, community_picker_new(a, resident_form_picked_community, rf));
        else
            app_push(a, household_picker_new(a, tr(d->label_key),
                                             resident_form_picked_household, rf));
        break;
    case FT_BUTTON:
        rf->groups_changed = false;
        app_push(a, groups_screen_new(a, &rf->r, &rf->groups_changed));
        break;
    default:
        form_act(rf->fs.form, ACT_NEXT_FIELD);
        break;
    }
}

/* F9: the saved resident's 居民信息表 (print_resident: masked as the
 * role sees it, recorded) to a PDF named in a prompt. */
static void resident_form_print(resident_form *rf)
{
    app *a = rf->fs.base.app;
    if (!rf->r.id || form_dirty(rf->fs.form)) {
        app_message(a, true, "%s", tr("print.save_first"));
        return;
    }
    ui_print_ask(a, "print.resident_title", rf->r.name, print_resident, rf->r.id);
}

static bool resident_form_act(screen *s, action act)
{
    resident_form *rf = (resident_form *)s;
    int before = form_focus_id(rf->fs.form);
    switch (act) {
    case ACT_SAVE:
        resident_form_save(rf);
        return true;
    case ACT_PICK:
        resident_form_pick(rf, NULL);
        break;
    case ACT_BACK:
        return form_screen_back(s);
    case ACT_CONSENTS: /* a saved resident's */
        if (rf->r.id)
            app_push(s->app, consent_screen_new(s->app, rf->r.id, rf->r.name));
        else
            app_message(s->app, true, "%s", tr("records.save_first"));
        return true;
    case ACT_REVEAL:
        resident_form_reveal(rf);
        return true;
    case ACT_PRINT:
        resident_form_print(rf);
        return true;
    default:
        if (!form_act(rf->fs.form, act))
            return false;
        break;
    }
    if (before == RF_ID_NUMBER && form_focus_id(rf->fs.form) != RF_ID_NUMBER)
        resident_form_id_left(rf);
    return true;
}

static bool resident_form_key(screen *s, int key)
{
    resident_form *rf = (resident_form *)s;
    if (form_key(rf->fs.form, key))
        return true;
    /* Typing on a code field opens its picker already filtered. */
    if (form_focus_type(rf->fs.form) == FT_CODE && !(key & KEYCODE) && key > 32 && key != 127) {
        char initial[8] = {0};
        wchar_t wc = (wchar_t)key;
        if (wctomb(initial, wc) > 0) {
            resident_form_pick(rf, initial);
            return true;
        }
    }
    return false;
}

static bool resident_form_typing(screen *s)
{
    resident_form *rf = (resident_form *)s;
    return form_typing(rf->fs.form) || form_focus_type(rf->fs.form) == FT_CODE;
}

static void resident_form_resume(screen *s)
{
    resident_form *rf = (resident_form *)s;
    if (rf->groups_changed) {
        resident_form_groups_summary(rf);
        form_mark_dirty(rf->fs.form);
        rf->groups_changed = false;
    }
}

static void resident_form_destroy(screen *s)
{
    resident_form *rf = (resident_form *)s;
    form_free(&rf->fs.form);
    free(rf);
}

static const screen_ops resident_form_ops = {
    .keys = resident_form_keys,
    .widget_keys = keys_form,
    .title = resident_form_title,
    .draw = resident_form_draw,
    .act = resident_form_act,
    .key = resident_form_key,
    .typing = resident_form_typing,
    .dirty = form_screen_dirty,
    .resume = resident_form_resume,
    .destroy = resident_form_destroy,
};

screen *resident_form_new(app *a, int64_t id, int64_t household_id, int64_t *saved_id)
{
    resident_form *rf = calloc(1, sizeof *rf);
    if (!rf)
        return NULL;
    rf->fs.base.ops = &resident_form_ops;
    rf->fs.base.app = a;
    rf->saved_id = saved_id;
    resident_form_defs(rf->defs);
    rf->fs.form = form_new(rf->defs, RESIDENT_NFIELDS);
    if (!rf->fs.form) {
        free(rf);
        return NULL;
    }
    resident_init(&rf->r);
    form_set_readonly(rf->fs.form, id && !station_can(app_station(a), PERM_REGISTER_WRITE));
    if (id) {
        ws_status s = resident_load(app_station(a), id, &rf->r);
        if (s != WS_OK) {
            app_status_error(a, s);
            resident_form_destroy(&rf->fs.base);
            return NULL;
        }
        resident_form_casework(rf);
    } else {
        snprintf(rf->r.ethnicity, sizeof rf->r.ethnicity, "01");
        rf->r.household_id = household_id;
    }
    resident_form_load(rf);
    if (!id && household_id) {
        household h;
        if (household_load(app_station(a), household_id, &h) == WS_OK) {
            resident_form_community_display(rf, h.community_id);
            form_set_text(rf->fs.form, RF_ADDRESS, h.address);
            form_set_clean(rf->fs.form);
        }
    }
    form_focus(rf->fs.form, RF_NAME);
    return &rf->fs.base;
}
