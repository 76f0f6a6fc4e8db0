#include "app.h"

#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "draw.h"
#include "screens.h"
#include "ui.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/backup.h"
#include "wushe/text.h"
#include "wushe/validate.h"

/* A question the idle lock covered: asked again when the lock opens. */
typedef struct app_question {
    bool pending;
    bool ok;
    char text[512];
    app_confirm_fn yes;
    void *ctx;
} app_question;

struct app {
    station *st;
    /* Room above the limit for the lock and its help: a full stack locks. */
    screen *stack[APP_MAX_DEPTH + 2];
    int depth;
    bool quit;
    char msg[512];
    bool msg_error;
    bool confirming;
    bool confirm_ok; /* the dialog's choice: false = 取消, the default */
    bool pasting;    /* between the terminal's paste marks */
    char question[512];
    app_confirm_fn yes;
    void *yes_ctx;
    char today[11];
    FILE *keylog; /* WUSHE_KEYLOG: time per keystroke, for measuring */
    char station[128]; /* read once: it does not change while the console runs */
    bool read_only;    /* the file cannot be written: said on the top line */
    bool first_start;  /* the new station's setup waits for the first login */
    bool demo;         /* the login screen lists the demo accounts */
    int lock_seconds;  /* the idle lock */
    double last_key;   /* monotonic seconds of the last key */
    screen *lock;      /* the idle lock's screen, over the others (NULL: open) */
    app_question covered; /* the question the lock covered */
    const char *backup_dir; /* station.yaml's backup_dir (NULL: the default) */
    double backup_checked;  /* when the daily backup was last looked at */
};

static volatile sig_atomic_t app_stop_signal;
static app *app_instance;

static void app_on_signal(int sig)
{
    app_stop_signal = sig;
}

app *app_current(void)
{
    return app_instance;
}

station *app_station(app *a)
{
    return a->st;
}

const char *app_station_name(app *a)
{
    return a->station;
}

void app_path_resolve(const char *in, char *out, size_t outsz)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    const char *home = getenv("HOME");
    if (!home || !*home)
        home = ".";
    if (n >= 1 && in[0] == '~' && (n == 1 || in[1] == '/'))
        snprintf(out, outsz, "%s%.*s", home, (int)(n - 1), in + 1);
    else if (n && in[0] != '/')
        snprintf(out, outsz, "%s/%.*s", home, (int)n, in);
    else
        snprintf(out, outsz, "%.*s", (int)n, in);
}

bool app_path_is_folder(const char *typed, const char *path)
{
    size_t n = strlen(typed);
    while (n && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
        n--;
    struct stat sb;
    return (n && typed[n - 1] == '/') || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

void app_path_show(const char *path, char *out, size_t outsz)
{
    const char *home = getenv("HOME");
    size_t h = home ? strlen(home) : 0;
    while (h > 1 && home[h - 1] == '/')
        h--;
    if (h > 1 && strncmp(path, home, h) == 0 && path[h] == '/')
        snprintf(out, outsz, "~%s", path + h);
    else
        snprintf(out, outsz, "%s", path);
}

void app_refresh_station(app *a)
{
    station_name(a->st, a->station, sizeof a->station);
}

const char *app_backup_dir(app *a)
{
    return a->backup_dir;
}

const char *app_today(app *a)
{
    return a->today;
}

void app_push(app *a, screen *s)
{
    if (!s)
        return;
    if (a->depth >= APP_MAX_DEPTH + (a->lock ? 2 : 0)) {
        s->ops->destroy(s);
        return;
    }
    s->app = a;
    a->stack[a->depth++] = s;
}

void app_pop(app *a)
{
    if (a->depth == 0)
        return;
    screen *s = a->stack[--a->depth];
    s->ops->destroy(s);
    if (a->depth > 0) {
        screen *top = a->stack[a->depth - 1];
        if (top->ops->resume)
            top->ops->resume(top);
    }
}

void app_quit(app *a)
{
    a->quit = true;
}

void app_message(app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_error = error;
}

void app_status_error(app *a, ws_status s)
{
    char buf[512];
    app_message(a, true, "%s", trf(buf, sizeof buf, "app.error", tr(ws_status_key(s))));
}

void app_confirm(app *a, const char *question, app_confirm_fn yes, void *ctx)
{
    snprintf(a->question, sizeof a->question, "%s", question);
    a->confirming = true;
    a->confirm_ok = false;
    a->msg[0] = '\0';
    a->yes = yes;
    a->yes_ctx = ctx;
}

void app_confirm_overwrite(app *a, const char *path, app_confirm_fn yes, void *ctx)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        yes(a, ctx);
        return;
    }
    char msg[4400], why[256];
    /* A station or a backup: said at once, never "overwrite?". */
    if (enc_output_protected(path)) {
        app_message(a, true, "%s",
                    trf(msg, sizeof msg, "os.write_failed", path,
                        enc_os_error(EEXIST, why, sizeof why)));
        return;
    }
    const char *base = strrchr(path, '/');
    app_confirm(a, trf(msg, sizeof msg, "export.confirm_overwrite", base ? base + 1 : path), yes,
                ctx);
}

static screen *app_top(app *a)
{
    return a->depth ? a->stack[a->depth - 1] : NULL;
}

bool app_allows(app *a, screen *s, action act)
{
    access_perm p = s && s->ops->perm ? s->ops->perm(s, act) : action_perm(act);
    return p >= ACT_ANYONE || station_can(a->st, p);
}

access_perm app_perm_anyone(screen *s, action act)
{
    (void)s;
    (void)act;
    return ACT_ANYONE;
}

bool app_demo(app *a)
{
    return a->demo;
}

void app_account_label(app *a, char *out, size_t outsz)
{
    const account *me = station_account(a->st);
    out[0] = '\0';
    if (!me)
        return;
    const code_item *it = codebook_find(station_codes(a->st), "role", me->role);
    snprintf(out, outsz, "%s · %s", me->display_name, it ? code_label(it, 0) : me->role);
}

/* Close every screen, none resumed (logging in or out). */
static void app_close_all(app *a)
{
    while (a->depth > 0) {
        screen *s = a->stack[--a->depth];
        s->ops->destroy(s);
    }
    a->confirming = false;
    a->covered.pending = false;
    a->lock = NULL;
}

void app_logged_in(app *a, bool must_change)
{
    app_close_all(a);
    app_push(a, home_screen_new(a));
    if (a->first_start) {
        /* Setup, in the order a clerk needs it: the villages after the
         * station's own name (the form is on top, the list under it). */
        a->first_start = false;
        app_push(a, kind_list_screen_new(a, &kind_community, false));
        app_push(a, station_form_new(a));
        app_message(a, false, "%s", tr("system.first_start"));
    }
    if (must_change)
        screen_password_change(a, true);
}

/* No key for lock_seconds: cover the screens (the lock screen on top of
 * them keeps them as they are) and ask for the password. */
static void app_lock(app *a)
{
    screen *lock = lock_screen_new(a);
    if (!lock)
        return;
    /* A question on the message line may name a person: it waits under
     * the lock and is asked again when the lock opens. */
    a->covered.pending = a->confirming;
    if (a->confirming) {
        a->covered.ok = a->confirm_ok;
        snprintf(a->covered.text, sizeof a->covered.text, "%s", a->question);
        a->covered.yes = a->yes;
        a->covered.ctx = a->yes_ctx;
        a->confirming = false;
    }
    a->msg[0] = '\0';
    a->lock = lock;
    app_push(a, lock);
    access_log(a->st, &(access_entry){.event = EV_LOCK});
}

void app_unlock(app *a)
{
    /* The lock screen is on top unless its help is open. */
    while (a->depth > 0 && a->lock) {
        if (app_top(a) == a->lock)
            a->lock = NULL;
        app_pop(a);
    }
    a->msg[0] = '\0';
    if (a->covered.pending) {
        app_confirm(a, a->covered.text, a->covered.yes, a->covered.ctx);
        a->confirm_ok = a->covered.ok;
        a->covered.pending = false;
    }
}

void app_switch_account(app *a)
{
    app_close_all(a);
    account_logout(a->st);
    app_push(a, login_screen_new(a));
}


/* One bar entry per action, "F2/Ctrl-S 保存", keys from every table. */
static int app_keybar_entry(const keybind *tables[3], action act, char *out, size_t outsz)
{
    char keys[64];
    keys_describe(tables, 3, act, KB_BAR, 0, "/", keys, sizeof keys);
    snprintf(out, outsz, "%s %s", keys, tr(action_help_key(act)));
    return draw_width(out);
}

/* The keys that work here, help first; entries that do not fit are left
 * out whole (F1 lists them all). */
static void app_keybar(app *a, screen *s, const keybind *tables[3], int width, char *out,
                       size_t outsz)
{
    bool done[ACT_COUNT] = {0};
    /* Help and the menu first: whatever else does not fit is in both. */
    int used = app_keybar_entry(tables, ACT_HELP, out, outsz);
    done[ACT_HELP] = done[ACT_MENU] = true;
    size_t len = strlen(out);
    char entry[128];
    int w = app_keybar_entry(tables, ACT_MENU, entry, sizeof entry);
    len += (size_t)snprintf(out + len, outsz - len, "  %s", entry);
    used += 2 + w;
    for (int t = 0; t < 3; t++) {
        for (const keybind *b = tables[t]; b && b->key; b++) {
            if (!(b->flags & KB_BAR) || done[b->act] || !app_allows(a, s, b->act))
                continue;
            done[b->act] = true;
            int w = app_keybar_entry(tables, b->act, entry, sizeof entry);
            if (used + 2 + w > width || len + strlen(entry) + 3 > outsz)
                continue;
            len += (size_t)snprintf(out + len, outsz - len, "  %s", entry);
            used += 2 + w;
        }
    }
}

static bool app_any_dirty(app *a);

bool app_dirty(app *a)
{
    return app_any_dirty(a);
}

static void app_draw_too_small(app *a)
{
    char buf[256];
    int y = LINES / 2 - 1;
    if (y < 0)
        y = 0;
    draw_text_attr(y, 0, COLS, tr("app.too_small"), false, A_BOLD | COLOR_PAIR(PAIR_ERROR));
    draw_text(y + 1, 0, COLS,
              trf(buf, sizeof buf, "app.too_small_need", APP_MIN_COLS, APP_MIN_LINES, COLS, LINES),
              false);
    draw_text(y + 2, 0, COLS, tr(app_any_dirty(a) ? "app.too_small_dirty" : "app.too_small_hint"),
              false);
}

/* The question, then [ 取消 ] [ 确定 ]: no letter answers it, and Enter
 * alone cancels. */
static void app_draw_confirm(app *a)
{
    int y = LINES - 2;
    char cancel[64], ok[64];
    snprintf(cancel, sizeof cancel, "[ %s ]", tr("app.confirm_cancel"));
    snprintf(ok, sizeof ok, "[ %s ]", tr("app.confirm_ok"));
    int bw = draw_width(cancel) + 2 + draw_width(ok);
    int qw = COLS - bw - 2;
    /* A long question takes the line above too: never cut. */
    int rows = draw_wrap_rows(a->question, qw) > 1 ? 2 : 1;
    for (int r = 0; r < rows; r++)
        draw_fill(y - r, 0, COLS, A_NORMAL);
    draw_text_wrap(y - rows + 1, 0, qw, rows, a->question, A_BOLD | COLOR_PAIR(PAIR_ERROR));
    int x = COLS - bw;
    draw_text_attr(y, x, draw_width(cancel), cancel, false, a->confirm_ok ? A_NORMAL : A_REVERSE);
    x += draw_width(cancel) + 2;
    draw_text_attr(y, x, draw_width(ok), ok, false, a->confirm_ok ? A_REVERSE : A_NORMAL);
}

static void app_draw(app *a)
{
    erase();
    draw_set_cursor(-1, -1);
    if (COLS < APP_MIN_COLS || LINES < APP_MIN_LINES) {
        app_draw_too_small(a);
        curs_set(0);
        refresh();
        return;
    }
    screen *s = app_top(a);
    char title[256], left[512];
    title[0] = '\0';
    if (s && s->ops->title)
        s->ops->title(s, title, sizeof title);
    snprintf(left, sizeof left, " %s │ %s%s", a->station, title,
             a->read_only ? tr("app.read_only") : "");
    /* Who is at the keyboard, then the date, on the right; the screen's
     * title comes first: who gives way (the role, then the name) when
     * both do not fit. */
    char who[160], right[200];
    app_account_label(a, who, sizeof who);
    const account *me = station_account(a->st);
    int lw = draw_width(left), rw = 0;
    for (int tries = 0; tries < 3; tries++) {
        const char *w = tries == 0 ? who : tries == 1 && me ? me->display_name : "";
        snprintf(right, sizeof right, "%s%s%s ", w, w[0] ? "  " : "", a->today);
        rw = draw_width(right);
        if (lw + rw + 1 <= COLS)
            break;
    }
    draw_fill(0, 0, COLS, COLOR_PAIR(PAIR_BAR));
    /* A title that still does not fit ends in "…": the clerk sees it was
     * cut (a ledger's long name in 导入预览). */
    char fitted[2048];
    text_fit_marked(left, COLS - rw - 1, false, fitted, sizeof fitted);
    draw_text_attr(0, 0, COLS - rw - 1, fitted, false, COLOR_PAIR(PAIR_BAR) | A_BOLD);
    draw_text_attr(0, COLS - rw, rw, right, false, COLOR_PAIR(PAIR_BAR));
    if (s)
        s->ops->draw(s, 1, LINES - 3, COLS);
    if (a->confirming) {
        app_draw_confirm(a);
    } else if (a->msg[0]) {
        /* A long message takes up to three lines above the key bar. */
        int rows = draw_wrap_rows(a->msg, COLS);
        if (rows > 3)
            rows = 3;
        draw_text_wrap(LINES - 1 - rows, 0, COLS, rows, a->msg,
                       a->msg_error ? A_BOLD | COLOR_PAIR(PAIR_ERROR) : COLOR_PAIR(PAIR_OK));
    }
    char bar[1024] = "";
    if (a->confirming) {
        /* A key that does not answer says which keys do, here. */
        snprintf(bar, sizeof bar, "%s", a->msg[0] ? a->msg : tr("app.confirm_keys"));
    } else if (s) {
        const keybind *tables[3] = {s->ops->keys, s->ops->widget_keys, keys_global};
        app_keybar(a, s, tables, COLS - 1, bar, sizeof bar);
    }
    draw_fill(LINES - 1, 0, COLS, COLOR_PAIR(PAIR_BAR));
    draw_text_attr(LINES - 1, 0, COLS, bar, false, COLOR_PAIR(PAIR_BAR));
    int cy, cx;
    draw_get_cursor(&cy, &cx);
    if (cy >= 0 && !a->confirming) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    refresh();
}

static bool app_any_dirty(app *a)
{
    if (!a)
        return false;
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops->dirty && a->stack[i]->ops->dirty(a->stack[i]))
            return true;
    return false;
}

static void app_quit_yes(app *a, void *ctx)
{
    (void)ctx;
    a->quit = true;
}

static void app_global(app *a, screen *s, action act)
{
    if (act == ACT_HELP) {
        app_push(a, help_screen_new(a, s));
    } else if (act == ACT_MENU) {
        app_push(a, menu_screen_new(a, s));
    } else if (act == ACT_QUIT) {
        if (app_any_dirty(a))
            app_confirm(a, tr("app.confirm_quit_unsaved"), app_quit_yes, NULL);
        else
            a->quit = true;
    }
}

void app_run_action(app *a, screen *s, action act)
{
    if (!app_allows(a, s, act)) {
        app_message(a, true, "%s", tr("status.denied"));
        return;
    }
    if (!s->ops->act(s, act))
        app_global(a, s, act);
}

static void app_confirm_key(app *a, int key)
{
    switch (key) {
    case KEYCODE | KEY_LEFT: /* 取消 is on the left: ← never reaches 确定 */
        a->confirm_ok = false;
        return;
    case KEYCODE | KEY_RIGHT:
        a->confirm_ok = true;
        return;
    case KEYCODE | KEY_BTAB:
    case '\t':
        a->confirm_ok = !a->confirm_ok;
        return;
    case '\r':
    case '\n':
    case KEYCODE | KEY_ENTER:
        a->confirming = false;
        if (a->confirm_ok) {
            a->msg[0] = '\0';
            a->yes(a, a->yes_ctx);
        } else {
            app_message(a, false, "%s", tr("app.cancelled"));
        }
        return;
    case 27:
        a->confirming = false;
        app_message(a, false, "%s", tr("app.cancelled"));
        return;
    default:
        /* A letter typed for the search box must not answer. */
        app_message(a, true, "%s", tr("app.confirm_use_keys"));
        return;
    }
}

/* Keys that other programs use to leave, which do nothing here. */
static bool app_leave_key(int key)
{
    return key == KEY_CTRL('c') || key == KEY_CTRL('z') || key == KEY_CTRL('\\') ||
           key == KEY_CTRL('q');
}

static void app_key(app *a, int key)
{
    if (key == KEY_PASTE_BEGIN || key == KEY_PASTE_END) {
        a->pasting = key == KEY_PASTE_BEGIN;
        return;
    }
    if (a->pasting && !(key & KEYCODE))
        key |= KEY_PASTED;
    bool too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_LINES;
    if (too_small) {
        /* Nothing the clerk cannot see may be answered or discarded. */
        if (key == (KEYCODE | KEY_F(10)) && !a->confirming && !app_any_dirty(a))
            a->quit = true;
        return;
    }
    if (a->confirming) {
        app_confirm_key(a, key);
        return;
    }
    a->msg[0] = '\0';
    screen *s = app_top(a);
    if (!s)
        return;
    bool typing = s->ops->typing && s->ops->typing(s);
    /* An action the role may not do is not offered: said, not tried (the
     * model would refuse it too). */
    const keybind *tables[2] = {s->ops->keys, s->ops->widget_keys};
    for (int t = 0; t < 2; t++) {
        action act = keys_lookup(tables[t], key, typing);
        if (act != ACT_NONE && !app_allows(a, s, act)) {
            app_message(a, true, "%s", tr("status.denied"));
            return;
        }
        if (act != ACT_NONE && s->ops->act(s, act))
            return;
    }
    if (s->ops->key && s->ops->key(s, key))
        return;
    action act = keys_lookup(keys_global, key, typing);
    if (act != ACT_NONE)
        app_global(a, s, act);
    else if (app_leave_key(key))
        app_message(a, false, "%s", tr("app.leave_hint"));
}

static void app_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = app_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static double app_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void app_redraw(app *a)
{
    app_draw(a);
}

static double app_now_s(void)
{
    return app_now_us() / 1e6;
}

/* How long get_wch may wait: until the idle lock is due (checked at least
 * every second), or for ever when nobody is logged in or it is locked. */
static int app_wait_ms(app *a)
{
    if (a->lock || !station_account(a->st))
        return -1;
    double left = a->last_key + a->lock_seconds - app_now_s();
    int ms = (int)(left * 1000) + 1;
    return ms < 50 ? 50 : ms > 1000 ? 1000 : ms;
}

/* The automatic backup (backup_auto): said on the screen while it runs;
 * what came of it in msg ("" when nothing was written since the last). */
static bool app_auto_backup(app *a, char *msg, size_t msgsz)
{
    msg[0] = '\0';
    app_message(a, false, "%s", tr("backup.auto_running"));
    app_draw(a);
    backup_info in;
    char written[4200], err[2048];
    ws_status s = backup_auto(a->st, a->backup_dir, &in, written, sizeof written, NULL, err,
                              sizeof err);
    char *p = text_sanitize(s == WS_OK ? written : err[0] ? err : tr(ws_status_key(s)));
    if (s != WS_OK)
        trf(msg, msgsz, "backup.auto_failed", p ? p : "");
    else if (written[0])
        trf(msg, msgsz, "backup.auto_done", p ? p : "");
    free(p);
    a->msg[0] = '\0';
    if (msg[0])
        app_message(a, s != WS_OK, "%s", msg);
    return s == WS_OK;
}

/* Once a day while the console runs, the automatic backup, at a moment
 * nobody is typing (a minute without a key). */
static bool app_idle_backup(app *a)
{
    double now = app_now_s();
    if (!station_account(a->st) || a->read_only || a->quit || now - a->last_key < 60 ||
        now - a->backup_checked < 60)
        return false;
    a->backup_checked = now;
    if (!backup_auto_due(a->st))
        return false;
    char msg[4400];
    app_auto_backup(a, msg, sizeof msg);
    return true;
}

/* A wait ran out: lock when the console has been idle long enough. */
static bool app_idle_lock(app *a)
{
    if (a->lock || !station_account(a->st) || a->quit)
        return false;
    if (app_now_s() - a->last_key < a->lock_seconds)
        return false;
    app_lock(a);
    return true;
}

int ui_run(station *st, const ui_start *start)
{
    setlocale(LC_ALL, "");
    if (!getenv("ESCDELAY"))
        set_escdelay(50);
    app a;
    memset(&a, 0, sizeof a);
    a.st = st;
    date_today(a.today);
    station_name(st, a.station, sizeof a.station);
    a.read_only = station_read_only(st);
    a.first_start = start && start->first_start;
    a.demo = start && start->demo;
    a.lock_seconds = start && start->cfg && start->cfg->lock_seconds > 0
                         ? start->cfg->lock_seconds
                         : CONFIG_LOCK_SECONDS;
    a.backup_dir = start && start->cfg ? start->cfg->backup_dir : NULL;
    app_instance = &a;
    app_install_signals();
    if (!initscr())
        return 1;
    raw(); /* Ctrl-S and Ctrl-C reach us as keys */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Bracketed paste: a pasted line break is text, not Enter. */
    define_key("\033[200~", KEY_PASTE_BEGIN & ~KEYCODE);
    define_key("\033[201~", KEY_PASTE_END & ~KEYCODE);
    fputs("\033[?2004h", stdout);
    fflush(stdout);
    draw_init_colors();
    const char *keylog = getenv("WUSHE_KEYLOG");
    if (keylog && *keylog)
        a.keylog = fopen(keylog, "a");
    /* Nothing is shown before a login; a station without accounts first
     * gets its 站长. */
    int64_t naccounts = 0;
    ws_status s = account_count(st, &naccounts);
    if (s != WS_OK)
        app_status_error(&a, s);
    app_push(&a, s == WS_OK && naccounts == 0 ? first_director_screen_new(&a)
                                              : login_screen_new(&a));
    /* A damaged log found at the open: said where the clerk looks. */
    char kept[4300];
    int64_t lost = station_wal_dropped(st, kept, sizeof kept);
    if (lost > 0) {
        const char *base = strrchr(kept, '/');
        char buf[1024];
        app_message(&a, true, "%s", trf(buf, sizeof buf, "damage.wal_dropped_short",
                                        (long long)lost, base ? base + 1 : kept));
    }
    int key = 0;
    double t0 = 0;
    bool warm = false, redraw = true;
    a.last_key = app_now_s();
    while (!a.quit && a.depth > 0 && !app_stop_signal) {
        if (redraw)
            app_draw(&a);
        redraw = true;
        screen *top = app_top(&a);
        if (top && top->ops->idle && top->ops->idle(top))
            continue; /* it has more to show */
        if (!warm) {
            /* While the clerk reads the first screen. */
            text_warm();
            warm = true;
        }
        if (a.keylog && key)
            fprintf(a.keylog, "key %d %.0f us\n", key, app_now_us() - t0), fflush(a.keylog);
        wint_t ch;
        timeout(app_wait_ms(&a));
        int r = get_wch(&ch);
        if (r == ERR) {
            /* Nothing typed: the screen stays as drawn unless it locks. */
            redraw = app_idle_lock(&a);
            redraw |= app_idle_backup(&a);
            key = 0;
            continue;
        }
        key = r == KEY_CODE_YES ? (int)(KEYCODE | ch) : (int)ch;
        t0 = app_now_us();
        if (key == (KEYCODE | KEY_RESIZE))
            continue; /* the next frame lays out for the new size */
        a.last_key = app_now_s();
        app_key(&a, key);
    }
    /* Leaving: the automatic backup, whoever was logged in. */
    char backup_msg[4400] = "";
    bool backup_ok = true;
    if (station_account(st) && !a.read_only)
        backup_ok = app_auto_backup(&a, backup_msg, sizeof backup_msg);
    if (a.keylog)
        fclose(a.keylog);
    while (a.depth > 0) {
        screen *s = a.stack[--a.depth];
        s->ops->destroy(s);
    }
    fputs("\033[?2004l", stdout);
    fflush(stdout);
    endwin();
    app_instance = NULL;
    if (backup_msg[0])
        fprintf(backup_ok ? stdout : stderr, "%s\n", backup_msg);
    return 0;
}
