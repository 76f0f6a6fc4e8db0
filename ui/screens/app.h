/* The console: screen stack, dispatch, top and bottom lines, messages. */
#ifndef WUSHE_UI_APP_H
#define WUSHE_UI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"
#include "wushe/station.h"

#define APP_MIN_COLS 80
#define APP_MIN_LINES 24
#define APP_MAX_DEPTH 16

typedef struct app app;
typedef struct screen screen;

typedef struct screen_ops {
    const keybind *keys;        /* the screen's own table, looked up first */
    const keybind *widget_keys; /* its widget's table (keys_list/keys_form) */
    void (*title)(screen *s, char *out, size_t outsz);
    /* Draw the area between the top and bottom lines. */
    void (*draw)(screen *s, int top, int height, int width);
    /* An action from a key table; false when the screen does not take it. */
    bool (*act)(screen *s, action act);
    /* A key no table took (typing into a widget). */
    bool (*key)(screen *s, int key);
    bool (*typing)(screen *s);  /* a text field has the keyboard */
    bool (*dirty)(screen *s);   /* unsaved changes */
    void (*resume)(screen *s);  /* on top again after a child closed */
    /* Work that may wait until the screen is drawn (true: draw again). */
    bool (*idle)(screen *s);
    void (*destroy)(screen *s);
    /* The permission act needs on this screen (ACT_ANYONE: none), where it
     * differs from action_perm's (a prompt's Enter is ACT_SAVE); NULL:
     * action_perm. Keys, help and menus offer only what the role may do. */
    access_perm (*perm)(screen *s, action act);
} screen_ops;

struct screen {
    const screen_ops *ops;
    app *app;
};

typedef void (*app_confirm_fn)(app *a, void *ctx);

app *app_current(void);
station *app_station(app *a);
void app_push(app *a, screen *s);
/* Close the top screen (destroying it) and resume the one below. */
void app_pop(app *a);
void app_quit(app *a);
/* A one-line message above the key bar until the next key. */
void app_message(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Message for a failed model call. */
void app_status_error(app *a, ws_status s);
/* Ask a question with [ 取消 ] [ 确定 ] (取消 chosen first; no letter
 * answers it); `yes` runs when the clerk chooses 确定. */
void app_confirm(app *a, const char *question, app_confirm_fn yes, void *ctx);
/* Before writing a file at path: yes at once when nothing is there, the
 * question "覆盖它吗？" (取消 first) when a file is, and a refusal when
 * that file is a station or a backup. */
void app_confirm_overwrite(app *a, const char *path, app_confirm_fn yes, void *ctx);
/* Run an action on a screen as if its key was pressed (the menu). */
void app_run_action(app *a, screen *s, action act);
/* The station's name (config, database settings or a default). */
const char *app_station_name(app *a);
/* A file name as a clerk types it: spaces around it go, "~" is the home
 * folder, and a name without a folder is in the home folder (not
 * wherever the console happened to be started). */
void app_path_resolve(const char *in, char *out, size_t outsz);
/* Whether a typed path (resolved: path) names a folder: it ends with "/",
 * or is one; a file cannot be written there. */
bool app_path_is_folder(const char *typed, const char *path);
/* A path as the clerk would type it: the home folder as "~" (a message
 * of 80 columns keeps to one line). */
void app_path_show(const char *path, char *out, size_t outsz);
/* Read the station's name again (after it was changed). */
void app_refresh_station(app *a);
/* station.yaml's backup_dir (NULL: the default folder). */
const char *app_backup_dir(app *a);
/* Today's date, YYYY-MM-DD. */
const char *app_today(app *a);

/* Whether whoever is logged in may run act on screen s (its permission,
 * station_can). */
bool app_allows(app *a, screen *s, action act);
/* A screen whose every action needs nothing (login, lock, password). */
access_perm app_perm_anyone(screen *s, action act);

/* Logging in (screen_login.c calls these). The login succeeded: the
 * console starts (home, and the new station's setup on a first start); a
 * reset password is changed first (must_change). */
void app_logged_in(app *a, bool must_change);
/* The demo station: the login screen lists its accounts. */
bool app_demo(app *a);
/* The idle lock: the same account's password resumes where it was. */
void app_unlock(app *a);
/* Another account logs in instead: every screen is closed (the caller
 * has asked about unsaved forms), the account logged out. */
void app_switch_account(app *a);
/* Draw the screen now (before a password check that takes a moment). */
void app_redraw(app *a);
/* Whether any open screen has unsaved changes. */
bool app_dirty(app *a);
/* The logged-in account's display name and role label ("" when nobody). */
void app_account_label(app *a, char *out, size_t outsz);

/* Help screen listing the keys that work on `under` (help.c). */
screen *help_screen_new(app *a, screen *under);
/* Menu of every action of `under`, with its keys; Enter runs one. */
screen *menu_screen_new(app *a, screen *under);

#endif
