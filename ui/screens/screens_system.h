/* The screens under 0 系统 (accounts, the access log, backup, check) and what a
 * kind's own screen adds to the generic list and form of screen_records.c. */
#ifndef WUSHE_UI_SCREENS_SYSTEM_H
#define WUSHE_UI_SCREENS_SYSTEM_H

#include <stdint.h>

#include "screens.h"
#include "wushe/record.h"

/* 账户: the accounts (login, name, role, state, last login), new, edit,
 * 停用/启用, 重置密码; never deleted. */
screen *accounts_screen_new(app *a);
/* 审计: the access log, newest first, with its filter and export. */
screen *access_log_screen_new(app *a);
/* 备份: a checked backup now, plain or encrypted (screen_backup.c). */
screen *backup_screen_new(app *a);
/* 检查: `wushe check`'s report on the open station (screen_check.c), for
 * the roles that may back up. */
screen *check_screen_new(app *a);
/* A message that says to run `wushe check` (a backup refused for a damaged
 * station), reworded in place to name the 检查 screen for an account that
 * may open it. */
void check_screen_named(app *a, char *line, size_t linesz);
/* The line on the last good backup; warn: none, too old, or the last
 * automatic one failed. brief (the home screen): a failure's reason
 * without SQLite's own words (its 详情, shown whole on the 备份 screen);
 * to an account that may not back up, who to tell instead of what to do. */
/* Room for backup_last_line's line, a failure's reason in it. */
#define BACKUP_LINE_MAX 2048
void backup_last_line(station *st, bool brief, char *out, size_t outsz, bool *warn);

/* ---- a kind's list with more of its own (screen_records.c) ---- */

typedef struct kind_list_ext {
    const keybind *keys;        /* its own keys (NULL: the generic F6 bin, F11 history) */
    const keybind *widget_keys; /* NULL: keys_list */
    /* An action the kind's screen takes before the generic ones; sel is
     * the selected row (NULL: none). False: the generic action. */
    bool (*act)(screen *s, action act, const list_item *sel);
    /* A list cell as the kind shows it (a stored time in local time):
     * field is the kind's field index. */
    void (*cell)(const record_kind *k, int field, char *cell, size_t cellsz);
    /* A line above the list (the activities' 场次 and 人次); parent_id is
     * the list's parent (0: none). NULL: none. */
    void (*summary)(app *a, int64_t parent_id, char *out, size_t outsz);
    /* One more column after the kind's fields, computed for each row (a
     * volunteer's hours and stars); title_key NULL: none. */
    list_col extra_col;
    void (*extra_cell)(app *a, int64_t id, char *cell, size_t cellsz);
} kind_list_ext;

screen *kind_list_screen_ext(app *a, const record_kind *k, const kind_list_ext *ext);
/* The same, of one parent's records (a donation's lines). */
screen *kind_list_screen_ext_in(app *a, const record_kind *k, const kind_list_ext *ext,
                                const record_parent *parent, const char *title);
/* The selected row's id of a kind's list (0: none), and its kind, for an
 * extension's question answered later. */
int64_t kind_list_selected_id(screen *s);
const record_kind *kind_list_kind(screen *s);
/* The list as if text had been typed into its search box. */
void kind_list_set_filter(screen *s, const char *text);
/* After a write the kind's own action made: the message, the count and
 * the rows again. */
void kind_list_changed(screen *s, const char *done_key);
/* The same, the list then showing row `id` (a reversal just written). */
void kind_list_changed_at(screen *s, const char *done_key, int64_t id);

/* ---- a kind's form with more of its own ---- */

/* Extra fields have ids from KIND_FORM_EXTRA up (never a field index). */
#define KIND_FORM_EXTRA 100

typedef struct kind_form_ext {
    /* Fields after the kind's own, in a new record only (a password). */
    const form_field_def *extra;
    size_t nextra;
    /* A field typed only in a new record (the login): a saved record's
     * form leaves it out and names it in the title. -1: none. */
    int fixed_field;
    /* Save instead of record_save. A problem with an extra field comes
     * back as WS_ERR_INVALID with re->field -1 and *extra_field its id. */
    ws_status (*save)(app *a, form_widget *f, void *rec, bool is_new, record_error *re,
                      int *extra_field);
    /* A form filled from another record (kind_form_copy_new) saves by this,
     * given the id it was filled from (a correction: the original). */
    ws_status (*save_from)(app *a, const record_kind *k, int64_t from_id, void *rec,
                           record_error *re);
    const char *title_key; /* the form's title ("%s": the kind), NULL: the generic */
} kind_form_ext;

screen *kind_form_ext_new(app *a, const record_kind *k, int64_t id, int64_t *saved_id,
                          const kind_form_ext *ext);
/* A form for a new record filled from record from_id (its id and revision
 * left out), saved by ext->save_from: a correction of a posted entry. */
screen *kind_form_copy_new(app *a, const record_kind *k, int64_t from_id, int64_t *saved_id,
                           const kind_form_ext *ext);

/* ---- a record's parts (screen_parts.c) ---- */

/* One line of a record's parts menu: the part's own list of the record's
 * rows (kind's reference parent_field; ext NULL: the generic list), or a
 * screen of its own (open non-NULL). */
typedef struct kind_part {
    const char *label; /* catalog key */
    const record_kind *kind;
    int parent_field;
    const kind_list_ext *ext;
    void (*open)(app *a, int64_t parent_id, const char *parent_title);
} kind_part;

/* The menu of a record's parts; title_key formats the parent's title. */
void kind_parts_open(app *a, const char *title_key, const kind_part *parts, size_t n,
                     int64_t parent_id, const char *parent_title);

#endif
