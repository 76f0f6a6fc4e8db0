#include "actions.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static const char *const action_names[] = {
#define ACTION_NAME(name, key, perm) #name,
    ACTION_LIST(ACTION_NAME)
#undef ACTION_NAME
};

static const char *const action_keys[] = {
#define ACTION_KEY(name, key, perm) key,
    ACTION_LIST(ACTION_KEY)
#undef ACTION_KEY
};

static const access_perm action_perms[] = {
#define ACTION_PERM(name, key, perm) perm,
    ACTION_LIST(ACTION_PERM)
#undef ACTION_PERM
};

const char *action_name(action a)
{
    return (unsigned)a < ACT_COUNT ? action_names[a] : "ACT_?";
}

const char *action_help_key(action a)
{
    return (unsigned)a < ACT_COUNT ? action_keys[a] : "action.help";
}

access_perm action_perm(action a)
{
    return (unsigned)a < ACT_COUNT ? action_perms[a] : ACT_ANYONE;
}

#define K(code) (KEYCODE | (code))

/* Printable keys belong to the search box of every list and picker (a
 * clerk types initials such as "dy"): commands are on F-keys and Ctrl
 * keys, and every action of a screen is in its menu (F12, Ctrl-G), since
 * some terminals eat F-keys. Letters are bound only where nothing is typed
 * (the home screen, "?" for help). */
const keybind keys_global[] = {
    {K(KEY_F(1)), ACT_HELP, KB_BAR},
    {'?', ACT_HELP, KB_LETTER},
    {K(KEY_F(12)), ACT_MENU, KB_BAR},
    {KEY_CTRL('g'), ACT_MENU, KB_BAR},
    {K(KEY_F(10)), ACT_QUIT, KB_BAR},
    {0, ACT_NONE, 0},
};

const keybind keys_list[] = {
    {K(KEY_UP), ACT_UP, 0},
    {K(KEY_DOWN), ACT_DOWN, 0},
    {K(KEY_PPAGE), ACT_PAGE_UP, 0},
    {K(KEY_NPAGE), ACT_PAGE_DOWN, 0},
    {K(KEY_HOME), ACT_FIRST, 0},
    {K(KEY_END), ACT_LAST, 0},
    {K(KEY_F(3)), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {K(KEY_F(5)), ACT_NEW, KB_BAR},
    {KEY_CTRL('n'), ACT_NEW, 0},
    {'\r', ACT_OPEN, KB_BAR},
    {'\n', ACT_OPEN, 0},
    {K(KEY_ENTER), ACT_OPEN, 0},
    {K(KEY_F(8)), ACT_DELETE, KB_BAR},
    {KEY_CTRL('d'), ACT_DELETE, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

/* Moving through a list and leaving it: screens whose rows are not opened,
 * created or filtered (groups, history, members, review) or that add their
 * own keys for that. */
const keybind keys_browse[] = {
    {K(KEY_UP), ACT_UP, 0},
    {K(KEY_DOWN), ACT_DOWN, 0},
    {K(KEY_PPAGE), ACT_PAGE_UP, 0},
    {K(KEY_NPAGE), ACT_PAGE_DOWN, 0},
    {K(KEY_HOME), ACT_FIRST, 0},
    {K(KEY_END), ACT_LAST, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

const keybind keys_form[] = {
    {K(KEY_F(2)), ACT_SAVE, KB_BAR},
    {KEY_CTRL('s'), ACT_SAVE, KB_BAR},
    {'\t', ACT_NEXT_FIELD, KB_BAR},
    {K(KEY_BTAB), ACT_PREV_FIELD, 0},
    {K(KEY_DOWN), ACT_NEXT_FIELD, 0},
    {K(KEY_UP), ACT_PREV_FIELD, 0},
    {'\r', ACT_PICK, 0},
    {'\n', ACT_PICK, 0},
    {K(KEY_ENTER), ACT_PICK, 0},
    {K(KEY_F(4)), ACT_PICK, KB_BAR},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

bool action_is_movement(action a)
{
    return a == ACT_NONE || (a >= ACT_UP && a <= ACT_PREV_FIELD);
}

const char *keys_describe(const keybind *const *tables, size_t ntables, action act,
                          unsigned need, unsigned skip, const char *sep, char *out,
                          size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t t = 0; t < ntables; t++)
        for (const keybind *b = tables[t]; b && b->key; b++) {
            if (b->act != act || (b->flags & need) != need || (b->flags & skip))
                continue;
            char one[16];
            key_label(b->key, one, sizeof one);
            /* Enter has three key codes; name it once. */
            if (strstr(out, one))
                continue;
            int n = snprintf(out + used, outsz - used, "%s%s", used ? sep : "", one);
            if (n < 0 || (size_t)n >= outsz - used) {
                out[used] = '\0';
                return out;
            }
            used += (size_t)n;
        }
    return out;
}

action keys_lookup(const keybind *table, int key, bool typing)
{
    for (const keybind *b = table; b && b->key; b++) {
        if (b->key != key)
            continue;
        if (typing && (b->flags & KB_LETTER))
            continue;
        return b->act;
    }
    return ACT_NONE;
}

void key_label(int key, char *out, size_t outsz)
{
    if (key & KEYCODE) {
        int code = key & ~KEYCODE;
        static const struct {
            int code;
            const char *name;
        } names[] = {
            {KEY_UP, "↑"},      {KEY_DOWN, "↓"},       {KEY_LEFT, "←"},  {KEY_RIGHT, "→"},
            {KEY_PPAGE, "PgUp"}, {KEY_NPAGE, "PgDn"},   {KEY_HOME, "Home"}, {KEY_END, "End"},
            {KEY_BTAB, "Shift-Tab"}, {KEY_ENTER, "Enter"},
        };
        if (code >= KEY_F(1) && code <= KEY_F(12)) {
            snprintf(out, outsz, "F%d", code - KEY_F(0));
            return;
        }
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (names[i].code == code) {
                snprintf(out, outsz, "%s", names[i].name);
                return;
            }
        snprintf(out, outsz, "#%d", code);
    } else if (key == '\r' || key == '\n') {
        snprintf(out, outsz, "Enter");
    } else if (key == '\t') {
        snprintf(out, outsz, "Tab");
    } else if (key == 27) {
        snprintf(out, outsz, "Esc");
    } else if (key == ' ') {
        snprintf(out, outsz, "Space");
    } else if (key < 32) {
        snprintf(out, outsz, "Ctrl-%c", key + 'A' - 1);
    } else {
        snprintf(out, outsz, "%lc", (wint_t)key);
    }
}
