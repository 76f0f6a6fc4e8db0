/* Constructors of the console's screens. */
#ifndef WUSHE_UI_SCREENS_H
#define WUSHE_UI_SCREENS_H

#include <stdint.h>

#include "app.h"
#include "form.h"
#include "list.h"
#include "wushe/resident.h"

/* A screen whose body is one list starts with this: what every list
 * screen does alike is done once (screen_list.c). */
typedef struct list_screen {
    screen base;
    list_widget *list;
    int64_t saved_id; /* set by a form it opened: that row is shown on resume */
} list_screen;

bool list_screen_key(screen *s, int key);   /* typing into the search box */
bool list_screen_typing(screen *s);
void list_screen_draw(screen *s, int top, int height, int width);
/* Esc: the search box is cleared first, then the screen closes. */
bool list_screen_back(screen *s);
/* On top again: the row a form saved, or the same place. */
void list_screen_resume(screen *s);
/* Free a list screen that holds nothing else of its own. */
void list_screen_destroy(screen *s);

/* A screen whose body is one form starts with this (screen_list.c). */
typedef struct form_screen {
    screen base;
    form_widget *form;
} form_screen;

bool form_screen_key(screen *s, int key);
bool form_screen_typing(screen *s);
bool form_screen_dirty(screen *s);
/* Esc: asks before discarding what was typed, then closes. */
bool form_screen_back(screen *s);

/* Logging in (screen_login.c): the login screen at start (the demo's lists
 * its accounts); a station without accounts asks for its first 站长; the
 * idle lock, which the same account's password opens, or another account
 * logs in instead (asked first when a form is unsaved). */
screen *login_screen_new(app *a);
screen *first_director_screen_new(app *a);
screen *lock_screen_new(app *a);
/* Change one's own password (old, new twice): pushed on the stack; forced
 * after a reset (the password must be changed before anything else: Esc
 * does not close it), otherwise Esc closes it. */
void screen_password_change(app *a, bool forced);

screen *home_screen_new(app *a);
screen *residents_screen_new(app *a);
/* The residents list with its search box holding filter (resident_list). */
screen *residents_screen_filtered(app *a, const char *filter);
screen *households_screen_new(app *a);
/* Members of one household. */
screen *members_screen_new(app *a, int64_t household_id);

/* Resident form: id 0 = new (household_id prefilled when non-zero). When
 * saved, *saved_id (if not NULL) receives the id. */
screen *resident_form_new(app *a, int64_t id, int64_t household_id, int64_t *saved_id);
screen *household_form_new(app *a, int64_t id, int64_t *saved_id);

/* Vulnerable-group statuses of a resident being edited (borrowed; the
 * caller's form keeps ownership). *changed is set when anything changed. */
screen *groups_screen_new(app *a, resident *r, bool *changed);

/* Pickers: a list to choose one row from; `chosen` runs with the row when
 * the clerk presses Enter, then the picker closes. chosen NULL: a list to
 * read only (a stage history), titled as it is, that Esc closes. */
typedef void (*picker_fn)(app *a, void *ctx, const list_item *row);
screen *picker_screen_new(app *a, const char *title, const list_col *cols, size_t ncols,
                          list_fetch_fn fetch, void *fetch_ctx, void (*free_ctx)(void *),
                          picker_fn chosen, void *ctx, const char *initial_filter);
/* A module's menu of counted lines (5 组织, 2 个案): each line a catalog
 * key with up to three counts of the module's counts (int64_t fields at
 * the offsets given), read afresh whenever the menu is on top, and the
 * screen Enter opens; a line whose permission the role lacks is left out.
 * Found by initials and paged as every picker; Esc from what it opened
 * comes back to it. */
typedef struct hub_line {
    const char *key;
    int ncounts;
    size_t counts[3];
    bool needs_perm;
    access_perm perm;
    screen *(*open)(app *a);
} hub_line;
typedef struct hub_def {
    const char *title_key;
    const list_col *col;
    const hub_line *lines;
    size_t n;
    size_t counts_size;
    ws_status (*counts)(station *st, void *out);
} hub_def;
screen *hub_screen_new(app *a, const hub_def *hub);
/* Make picker s a menu titled `title` (not 请选择：...): it stays under
 * the screen a choice opens, and Esc there returns to it, its lines read
 * again (a module's hub, a record's parts). */
void picker_set_menu(screen *s, const char *title);
/* A picker of a few lines (at most 128) that fetch makes afresh each time
 * (a hub's counts change while it stays open): fetch is asked for all of
 * them at once (no filter, from the start) with their own ids, and the
 * picker finds them by words, pinyin or initials and pages them as every
 * picker does. */
screen *live_picker_new(app *a, const char *title, const list_col *cols, size_t ncols,
                        list_fetch_fn fetch, void *fetch_ctx, void (*free_ctx)(void *),
                        picker_fn chosen, void *ctx);
/* Pick one of n lines (catalog keys), found by their words or pinyin
 * initials as every picker's; row->cells[1] is the line's index. ctx is
 * freed with ctx_free when the picker closes (after chosen ran). */
screen *label_picker_new(app *a, const char *title, const char *const *label_keys, size_t n,
                         picker_fn chosen, void *ctx, void (*ctx_free)(void *));
/* Pick from a code list; cells[0] = label, cells[1] = code. The _except
 * form leaves one code out (the old head cannot stay 户主). */
screen *code_picker_new_except(app *a, const char *list, const char *except, const char *title,
                               picker_fn chosen, void *ctx, const char *initial_filter);
screen *code_picker_new(app *a, const char *list, const char *title, picker_fn chosen,
                        void *ctx, const char *initial_filter);
/* Pick a household; cells[0] = number, cells[1] = head, cells[2] = community. */
screen *household_picker_new(app *a, const char *title, picker_fn chosen, void *ctx);
/* Pick a community; cells[0] = name, cells[1] = its id (the row id is
 * the row's position, never the community's). */
screen *community_picker_new(app *a, picker_fn chosen, void *ctx);
/* Pick a file: the folder's sub-folders and ledgers, then the USB sticks
 * (wushe/pathcomplete.h); cells[0] = name, cells[1] = the whole path. */
screen *file_picker_new(app *a, const char *folder, picker_fn chosen, void *ctx);
/* Pick one of n strings (copied), as label_picker_new; cells[0] = the
 * string, cells[1] its index. */
screen *strings_picker_new(app *a, const char *title, const char *const *items, size_t n,
                           picker_fn chosen, void *ctx);

/* Import of a ledger (path, preview, import, result) and the review of
 * possible duplicates it found. */
screen *import_screen_new(app *a);
screen *import_review_screen_new(app *a);

/* A one-line prompt for a file name; `done` runs with it resolved by
 * app_path_resolve ("~" and a name without a folder are in the home folder)
 * after Enter (the prompt is closed first), not on Esc or an empty line. */
typedef void (*prompt_fn)(app *a, void *ctx, const char *text);
screen *prompt_screen_new(app *a, const char *title, const char *label, const char *hint,
                          const char *initial, prompt_fn done, void *ctx);
/* The prompt asks for words (a reason), not a file: what is typed is
 * taken as it is (trimmed), with no path completion. */
void prompt_screen_set_text(screen *s);
/* A second way to finish the prompt, on F4/Ctrl-T (NULL: none). */
void prompt_screen_set_alt(screen *s, prompt_fn alt);
/* The prompt asks where to write a file, its text the path proposed: a
 * folder typed (~/kong/, or an existing folder without the "/") gets the
 * proposed file name after it, and the prompt stays for Enter. */
void prompt_screen_set_file(screen *s);
/* After writing the file failed (the message line says why): the last
 * file prompt again, with what was typed in it. */
void prompt_screen_again(app *a);

/* F9 in a list: export what its filter shows. A prompt proposes a new
 * name of the day in the home folder; an existing file is overwritten
 * only after a yes; F4 in the prompt exports full identifiers after a yes
 * (the model audits it). .xlsx or CSV by the name, with a progress bar;
 * the result goes to the message line. The job lives in the list screen
 * (the prompt and the questions come back to it). */
struct record_kind;
typedef struct ui_export_job {
    const struct record_kind *kind; /* NULL: residents */
    const char *title_key, *hint_key; /* the prompt's */
    const char *name_key, *name_n_key; /* "居民_%s.xlsx", "居民_%s(%d).xlsx" */
    const char *done_key, *done_unmasked_key; /* "已导出 %zu ... 到 %s" */
    char filter[256];
    char path[4096];
} ui_export_job;
void ui_export_ask(app *a, ui_export_job *job, const char *filter);

/* Any declared kind of record (wushe/record.h): its list (or, with
 * `deleted`, its recycle bin), its form (id 0 = new; *saved_id gets the id
 * when saved), and a picker whose row cells[0] is the record's title. */
struct record_kind;
screen *kind_list_screen_new(app *a, const struct record_kind *k, bool deleted);
/* The records of one parent (a resident's consents): the list, bin and
 * forms of kind_list_screen_new, whose forms leave the parent out; title
 * names the parent. */
struct record_parent;
screen *kind_list_screen_in(app *a, const struct record_kind *k, bool deleted,
                            const struct record_parent *parent, const char *title);
screen *kind_form_new(app *a, const struct record_kind *k, int64_t id, int64_t *saved_id);
/* A new record's form filled in from rec (a case opened from a visit). */
screen *kind_form_with(app *a, const struct record_kind *k, const void *rec, int64_t *saved_id);
/* Pick a resident with the register's search box (names, pinyin,
 * initials, ID and phone tails); the row's cells[0] is the name. */
screen *resident_picker_new(app *a, const char *title, picker_fn chosen, void *ctx);
/* The form of one parent's record, the parent left out (a roster line's
 * record without its session). */
screen *kind_form_of(app *a, const struct record_kind *k, int64_t id, int64_t *saved_id,
                     const struct record_parent *parent);
screen *kind_picker_new(app *a, const struct record_kind *k, picker_fn chosen, void *ctx);
/* The change history of record `id` of kind k. */
screen *kind_history_new(app *a, const struct record_kind *k, int64_t id, const char *name);
/* 4 捐赠 (screen_resources.c): donations, donors, stock, funds, payments,
 * distributions with their sign-off sheets, 微心愿. */
screen *resources_screen_new(app *a);
/* 系统: communities, the station's name and division code. */
screen *system_screen_new(app *a);
/* 2 个案与走访 (screen_casework.c): the module's hub, the due-visits list,
 * the visits and the cases; a new visit or case of one resident. */
screen *casework_screen_new(app *a);
/* Print record `id` with `print` (print_case, print_resident, ...) to a
 * PDF whose path a prompt asks for, proposing ~/<title>_<name>_<date>.pdf
 * (title_key names the paper); asks before replacing a file; the result
 * on the message line. */
typedef ws_status (*ui_print_fn)(station *st, int64_t id, const char *path, int *pages,
                                 char *err, size_t errsz);
void ui_print_ask(app *a, const char *title_key, const char *name, ui_print_fn print,
                  int64_t id);
screen *due_screen_new(app *a);
screen *visits_screen_new(app *a);
screen *cases_screen_new(app *a);
void casework_new_visit(app *a, int64_t resident_id);
void casework_new_case(app *a, int64_t resident_id);
screen *station_form_new(app *a);

/* The audit trail of one resident. */
screen *history_screen_new(app *a, int64_t resident_id, const char *name);
/* The residents' recycle bin: deleted residents (identifiers masked, who
 * deleted them and when), the search box, F6/Ctrl-R restore after asking,
 * F11 history. */
screen *resident_bin_screen_new(app *a);
/* Volunteers (3 on the home screen), activities (6) and what hangs from
 * them: teams, sessions, the roster of a session, a volunteer's hours
 * (screen_volunteers.c, screen_roster.c, screen_hours.c). */
screen *volunteers_screen_new(app *a);
screen *activities_screen_new(app *a);
screen *roster_screen_new(app *a, int64_t session_id, const char *title);
screen *hours_screen_new(app *a, int64_t volunteer_id, const char *name);
/* Every volunteer's hours waiting for a 站长's confirmation: F6 one, F7 all. */
screen *hours_pending_screen_new(app *a);
/* 积分明细: a volunteer's points, each movement, newest first. */
void points_screen_open(app *a, int64_t volunteer_id, const char *name);
/* 5 组织 (screen_orgs.c): social organisations, their incubation, the
 * counts per community against the targets, projects. */
screen *orgs_screen_new(app *a);
/* A resident's consents (screen_consent.c), named by name. */
screen *consent_screen_new(app *a, int64_t resident_id, const char *name);
/* An audit time ("2026-11-23T10:40:05.123Z") as local "2026-11-23 18:40". */
void ui_local_time(const char *iso, char *out, size_t outsz);

/* A refused move on the message line: the validation's own words, else the
 * status. */
void ui_move_error(app *a, ws_status s, const field_error *fe);

/* Shared cell helpers for lists of residents. */
void residents_fill_item(app *a, const resident_row *r, list_item *it);
extern const list_col residents_cols[];
extern const size_t residents_ncols;

#endif
