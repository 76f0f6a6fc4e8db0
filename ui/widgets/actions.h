/* Actions, declared once: the enum, their names and their help text come
 * from this list. Key tables map keys to actions per screen. */
#ifndef WUSHE_UI_ACTIONS_H
#define WUSHE_UI_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* X(name, catalog key of the help text) */
#define ACTION_LIST(X)                     \
    X(ACT_NONE, "action.help")             \
    X(ACT_HELP, "action.help")             \
    X(ACT_SAVE, "action.save")             \
    X(ACT_SEARCH, "action.search")         \
    X(ACT_NEW, "action.new")               \
    X(ACT_OPEN, "action.open")             \
    X(ACT_DELETE, "action.delete")         \
    X(ACT_BACK, "action.back")             \
    X(ACT_QUIT, "action.quit")             \
    X(ACT_UP, "action.up")                 \
    X(ACT_DOWN, "action.down")             \
    X(ACT_PAGE_UP, "action.page_up")       \
    X(ACT_PAGE_DOWN, "action.page_down")   \
    X(ACT_FIRST, "action.first")           \
    X(ACT_LAST, "action.last")             \
    X(ACT_NEXT_FIELD, "action.next_field") \
    X(ACT_PREV_FIELD, "action.prev_field") \
    X(ACT_RESIDENTS, "action.residents")   \
    X(ACT_HOUSEHOLDS, "action.households") \
    X(ACT_MEMBERS, "action.members")       \
    X(ACT_MOVE, "action.move")             \
    X(ACT_PICK, "action.pick")             \
    X(ACT_NEWLINE, "action.newline")       \
    X(ACT_TOGGLE, "action.toggle")         \
    X(ACT_CLEAR, "action.clear")           \
    X(ACT_IMPORT, "action.import")         \
    X(ACT_EXPORT, "action.export")         \
    X(ACT_REVIEW, "action.review")         \
    X(ACT_MERGE, "action.merge")           \
    X(ACT_KEEP, "action.keep")             \
    X(ACT_SKIP, "action.skip")             \
    X(ACT_HISTORY, "action.history")       \
    X(ACT_UNMASK, "action.unmask")         \
    X(ACT_MENU, "action.menu")             \
    X(ACT_RECYCLE, "action.recycle")       \
    X(ACT_RESTORE, "action.restore")       \
    X(ACT_SYSTEM, "action.system")             \
    X(ACT_COMPARE, "action.compare")                     \
    X(ACT_UNDO_MERGE, "action.undo_merge")               \
    X(ACT_TAKE_REGISTERED, "action.take_registered")     \
    X(ACT_TAKE_IMPORTED, "action.take_imported")         \
    X(ACT_SWITCH_SIDE, "action.switch_side")

typedef enum {
#define ACTION_ENUM(name, key) name,
    ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
    ACT_COUNT
} action;

const char *action_name(action a);
const char *action_help_key(action a);

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
