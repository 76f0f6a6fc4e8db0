/* Actions, declared once: the enum, their names and their help text come
 * from this list. Key tables map keys to actions per screen. */
#ifndef WUSHE_UI_ACTIONS_H
#define WUSHE_UI_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/access.h"

/* X(name, catalog key of the help text, what it needs): the permission
 * (wushe/access.h) a role must have for the action to be offered and run;
 * ACT_ANYONE for none. A screen whose action means something else (a
 * prompt's Enter is ACT_SAVE) says so with screen_ops.perm. */
#define ACT_ANYONE PERM_COUNT
#define ACTION_LIST(X)                                             \
    X(ACT_NONE, "action.help", ACT_ANYONE)                         \
    X(ACT_HELP, "action.help", ACT_ANYONE)                         \
    X(ACT_SAVE, "action.save", PERM_REGISTER_WRITE)                \
    X(ACT_SEARCH, "action.search", ACT_ANYONE)                     \
    X(ACT_NEW, "action.new", PERM_REGISTER_WRITE)                  \
    X(ACT_OPEN, "action.open", ACT_ANYONE)                         \
    X(ACT_DELETE, "action.delete", PERM_REGISTER_WRITE)            \
    X(ACT_BACK, "action.back", ACT_ANYONE)                         \
    X(ACT_QUIT, "action.quit", ACT_ANYONE)                         \
    X(ACT_UP, "action.up", ACT_ANYONE)                             \
    X(ACT_DOWN, "action.down", ACT_ANYONE)                         \
    X(ACT_PAGE_UP, "action.page_up", ACT_ANYONE)                   \
    X(ACT_PAGE_DOWN, "action.page_down", ACT_ANYONE)               \
    X(ACT_FIRST, "action.first", ACT_ANYONE)                       \
    X(ACT_LAST, "action.last", ACT_ANYONE)                         \
    X(ACT_NEXT_FIELD, "action.next_field", ACT_ANYONE)             \
    X(ACT_PREV_FIELD, "action.prev_field", ACT_ANYONE)             \
    X(ACT_RESIDENTS, "action.residents", PERM_REGISTER_READ)       \
    X(ACT_HOUSEHOLDS, "action.households", PERM_REGISTER_READ)     \
    X(ACT_MEMBERS, "action.members", PERM_REGISTER_READ)           \
    X(ACT_MOVE, "action.move", PERM_REGISTER_WRITE)                \
    X(ACT_PICK, "action.pick", ACT_ANYONE)                         \
    X(ACT_NEWLINE, "action.newline", ACT_ANYONE)                   \
    X(ACT_TOGGLE, "action.toggle", PERM_REGISTER_WRITE)            \
    X(ACT_CLEAR, "action.clear", ACT_ANYONE)                       \
    X(ACT_IMPORT, "action.import", PERM_IMPORT)                    \
    X(ACT_EXPORT, "action.export", PERM_EXPORT)                    \
    X(ACT_REVIEW, "action.review", PERM_IMPORT)                    \
    X(ACT_MERGE, "action.merge", PERM_IMPORT)                      \
    X(ACT_KEEP, "action.keep", PERM_IMPORT)                        \
    X(ACT_SKIP, "action.skip", PERM_IMPORT)                        \
    X(ACT_HISTORY, "action.history", PERM_REGISTER_READ)           \
    X(ACT_UNMASK, "action.unmask", PERM_EXPORT_UNMASKED)           \
    X(ACT_MENU, "action.menu", ACT_ANYONE)                         \
    X(ACT_RECYCLE, "action.recycle", PERM_REGISTER_READ)           \
    X(ACT_RESTORE, "action.restore", PERM_REGISTER_WRITE)          \
    X(ACT_SYSTEM, "action.system", ACT_ANYONE)                     \
    X(ACT_COMPARE, "action.compare", PERM_IMPORT)                  \
    X(ACT_UNDO_MERGE, "action.undo_merge", PERM_IMPORT)            \
    X(ACT_TAKE_REGISTERED, "action.take_registered", PERM_IMPORT)  \
    X(ACT_TAKE_IMPORTED, "action.take_imported", PERM_IMPORT)      \
    X(ACT_SWITCH_SIDE, "action.switch_side", PERM_IMPORT)          \
    X(ACT_REVEAL, "action.reveal", PERM_UNMASK)                    \
    X(ACT_CONSENTS, "action.consents", PERM_REGISTER_READ)         \
    X(ACT_ERASE, "action.erase", PERM_ERASE)                       \
    X(ACT_LOGIN, "action.login", ACT_ANYONE)                       \
    X(ACT_UNLOCK, "action.unlock", ACT_ANYONE)                     \
    X(ACT_SWITCH_ACCOUNT, "action.switch_account", ACT_ANYONE)     \
    X(ACT_ENABLE, "action.enable", PERM_ACCOUNTS)                  \
    X(ACT_RESET_PASSWORD, "action.reset_password", PERM_ACCOUNTS)  \
    X(ACT_FILTER, "action.filter", ACT_ANYONE)                     \
    X(ACT_PRINT, "action.print", PERM_EXPORT)                      \
    X(ACT_CASEWORK, "action.casework", PERM_VISIT_READ)            \
    X(ACT_VISIT, "action.visit", PERM_VISIT_WRITE)                 \
    X(ACT_OPEN_CASE, "action.open_case", PERM_CASE_WRITE)          \
    X(ACT_CASE_MOVE, "action.case_move", PERM_CASE_WRITE)          \
    X(ACT_CASE_PARTS, "action.case_parts", PERM_CASE_READ)         \
    X(ACT_REFER, "action.refer", PERM_CASE_WRITE)                  \
    X(ACT_DUE_WEEK, "action.due_week", ACT_ANYONE)                 \
    /* charitable resources (issue 13); PERM_REGISTER_WRITE on a kind's   \
     * screen means the kind's own write permission */                   \
    X(ACT_RESOURCES, "res.act_resources", PERM_REGISTER_READ)      \
    X(ACT_RES_GOODS, "res.act_goods", PERM_REGISTER_READ)          \
    X(ACT_RES_MONEY, "res.act_money", PERM_REGISTER_READ)          \
    X(ACT_CORRECT, "res.act_correct", PERM_REGISTER_WRITE)         \
    X(ACT_REVERSE, "res.act_reverse", PERM_REGISTER_WRITE)         \
    X(ACT_RES_ITEMS, "res.act_dist_items", PERM_REGISTER_READ)     \
    X(ACT_RES_SHEET, "res.act_sheet", PERM_REGISTER_READ)          \
    X(ACT_RES_SIGNED, "res.act_signed", PERM_RESOURCES)            \
    X(ACT_RES_ABSENT, "res.act_absent", PERM_RESOURCES)            \
    X(ACT_RES_COLLECTED, "res.act_collected", PERM_RESOURCES)      \
    X(ACT_RES_ADD_GROUP, "res.act_add_group", PERM_RESOURCES)     \
    X(ACT_RES_WRITEOFF, "res.act_writeoff", PERM_RESOURCES) \
    X(ACT_VOLUNTEERS, "action.volunteers", PERM_VOLUNTEER_READ)    \
    X(ACT_ACTIVITIES, "action.activities", PERM_VOLUNTEER_READ)    \
    X(ACT_TEAMS, "action.teams", PERM_VOLUNTEER_READ)              \
    X(ACT_TEAM_MEMBERS, "action.team_members", PERM_VOLUNTEER_READ) \
    X(ACT_SESSIONS, "action.sessions", PERM_VOLUNTEER_READ)        \
    X(ACT_ROSTER, "action.roster", PERM_VOLUNTEER_READ)            \
    X(ACT_HOURS, "action.hours", PERM_VOLUNTEER_READ)              \
    X(ACT_MARK_PRESENT, "action.mark_present", PERM_VOLUNTEER_WRITE) \
    X(ACT_MARK_LATE, "action.mark_late", PERM_VOLUNTEER_WRITE)     \
    X(ACT_MARK_ABSENT, "action.mark_absent", PERM_VOLUNTEER_WRITE) \
    X(ACT_MARK_EXCUSED, "action.mark_excused", PERM_VOLUNTEER_WRITE) \
    X(ACT_MARK_CLEAR, "action.mark_clear", PERM_VOLUNTEER_WRITE)   \
    X(ACT_ADD_RESIDENT, "action.add_resident", PERM_VOLUNTEER_WRITE) \
    X(ACT_ADD_VOLUNTEER, "action.add_volunteer", PERM_VOLUNTEER_WRITE) \
    X(ACT_POST_HOURS, "action.post_hours", PERM_VOLUNTEER_WRITE)   \
    X(ACT_CONFIRM, "action.confirm", PERM_HOURS_CONFIRM)           \
    X(ACT_CONFIRM_ALL, "action.confirm_all", PERM_HOURS_CONFIRM)   \
    X(ACT_PENDING_HOURS, "action.pending_hours", PERM_HOURS_CONFIRM) \
    X(ACT_VOL_RECORD, "action.vol_record", PERM_VOLUNTEER_READ)    \
    X(ACT_SPEND, "action.spend", PERM_VOLUNTEER_WRITE)             \
    X(ACT_SHEET, "action.sheet", PERM_IMPORT)                      \
    X(ACT_ORGS, "org.act_orgs", PERM_ORG_READ)                      \
    X(ACT_ORG_MOVE, "org.act_move", PERM_ORG_INCUBATE)              \
    X(ACT_ORG_PAGE, "org.act_page", PERM_ORG_READ)                  \
    X(ACT_PROJECT_PARTS, "project.act_parts", PERM_ORG_READ)        \
    X(ACT_PROJECT_RESULTS, "project.act_results", PERM_ORG_READ)    \
    X(ACT_PREVIEW, "import.act_preview", PERM_IMPORT)               \
    X(ACT_BACKUP_RUN, "backup.act_run", PERM_BACKUP)              \
    X(ACT_CHECK, "check.act", PERM_BACKUP)

typedef enum {
#define ACTION_ENUM(name, key, perm) name,
    ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
    ACT_COUNT
} action;

const char *action_name(action a);
const char *action_help_key(action a);
/* The permission the action needs (ACT_ANYONE: none). */
access_perm action_perm(action a);

/* A key: a Unicode character, or a curses key code with KEYCODE set. */
#define KEYCODE 0x40000000
/* A character that arrived inside a terminal paste: text, never a command
 * (no key table has it). F-keys and arrows are never marked, so they work
 * should a paste's end mark be lost. */
#define KEY_PASTED 0x20000000
/* The terminal's bracketed paste marks (ESC[200~, ESC[201~), as key codes. */
#define KEY_PASTE_BEGIN (KEYCODE | 0x1200)
#define KEY_PASTE_END (KEYCODE | 0x1201)
#define KEY_CTRL(c) ((c) & 0x1f)

enum {
    KB_LETTER = 1u << 0, /* a printable key: not while the clerk is typing */
    KB_BAR = 1u << 1,    /* show it on the bottom line */
};

typedef struct keybind {
    int key;
    action act;
    unsigned flags;
} keybind;

/* Key tables end with {0, ACT_NONE, 0}. */
extern const keybind keys_global[];
extern const keybind keys_list[];
extern const keybind keys_form[];
extern const keybind keys_browse[];

/* Look up a key in a table; `typing` skips KB_LETTER bindings. */
action keys_lookup(const keybind *table, int key, bool typing);
/* The keys bound to `act` in the tables ("F8 / Ctrl-D"): bindings with
 * every flag of `need` and none of `skip`. Returns out. */
const char *keys_describe(const keybind *const *tables, size_t ntables, action act,
                          unsigned need, unsigned skip, const char *sep, char *out,
                          size_t outsz);
/* Actions that only move (arrows, pages, fields): not listed in menus. */
bool action_is_movement(action a);
/* Human name of a key ("F2", "Ctrl-S", "Enter", "n"); out >= 16 bytes. */
void key_label(int key, char *out, size_t outsz);

#endif
