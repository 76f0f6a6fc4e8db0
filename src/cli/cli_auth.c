/* The command line runs as an account: --user LOGIN (password asked
 * without echo), WUSHE_USER and WUSHE_PASSWORD for scripts, or the session
 * `wushe login` left (as sudo keeps a timestamp): a random token in a 0600
 * file, only its hash in the station file. */
#include "cli_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "wushe/account.h"
#include "wushe/backup.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

/* A session ends after this long without use. */
#define CLI_SESSION_IDLE_MINUTES 30

/* A line typed at the terminal (echoed), stdin when there is none. */
static bool cli_read_line(const char *prompt, char *out, size_t outsz)
{
    out[0] = '\0';
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin;
    fputs(prompt, tty ? tty : stderr);
    fflush(tty ? tty : stderr);
    bool ok = fgets(out, (int)outsz, in) != NULL;
    if (tty)
        fclose(tty);
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return ok;
}

bool cli_read_password(const char *prompt, char *out, size_t outsz)
{
    out[0] = '\0';
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin;
    FILE *echo_to = tty ? tty : stderr;
    struct termios old, quiet;
    bool restore = false;
    if (isatty(fileno(in)) && tcgetattr(fileno(in), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        restore = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
    }
    fputs(prompt, echo_to);
    fflush(echo_to);
    /* The whole line is read, however long: what is left of a long one
     * must not become the answer to the next question. */
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (restore) {
        tcsetattr(fileno(in), TCSAFLUSH, &old);
        fputc('\n', echo_to);
    }
    if (tty)
        fclose(tty);
    if (n < 0) {
        free(line);
        return false;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    /* Cut to fit at a character's start: a longer password is refused as
     * too long, not as invalid text. */
    size_t keep = (size_t)n < outsz ? (size_t)n : outsz - 1;
    while (keep > 0 && keep < (size_t)n && ((unsigned char)line[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(out, line, keep);
    out[keep] = '\0';
    sodium_memzero(line, cap);
    free(line);
    return true;
}

/* Where `wushe login` keeps the token for this station file: one file per
 * station (by the hash of its real path), in $XDG_RUNTIME_DIR/wushe, else
 * $XDG_STATE_HOME/wushe (~/.local/state/wushe). */
static bool cli_session_path(const char *db_path, char *out, size_t outsz, bool make)
{
    char real[4096];
    if (!realpath(db_path, real))
        snprintf(real, sizeof real, "%s", db_path);
    unsigned char h[crypto_hash_sha256_BYTES];
    if (sodium_init() < 0)
        return false;
    crypto_hash_sha256(h, (const unsigned char *)real, strlen(real));
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, h, 8);
    const char *run = getenv("XDG_RUNTIME_DIR");
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (run && *run)
        snprintf(dir, sizeof dir, "%s/wushe", run);
    else if (state && *state)
        snprintf(dir, sizeof dir, "%s/wushe", state);
    else
        snprintf(dir, sizeof dir, "%s/.local/state/wushe", home ? home : ".");
    if (make) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", dir);
        for (char *p = buf + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return false;
    }
    return snprintf(out, outsz, "%s/session-%s", dir, hex) < (int)outsz;
}

/* out: when the station was restored, if that came after the login that
 * made session file `file` ("" otherwise): a restore ends every session,
 * and the clerk is told why. */
static void cli_restored_since(station *st, const char *file, char out[32])
{
    struct stat sb;
    out[0] = '\0';
    if (stat(file, &sb) == 0)
        backup_restored_since(st, sb.st_mtime, out);
}

static bool cli_session_read(const char *db_path, char token[ACCOUNT_TOKEN_LEN + 1])
{
    char path[4200];
    token[0] = '\0';
    if (!cli_session_path(db_path, path, sizeof path, false))
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    struct stat sb;
    /* Someone else's or a readable token is not trusted. */
    bool ok = fstat(fd, &sb) == 0 && sb.st_uid == geteuid() && (sb.st_mode & 077) == 0;
    ssize_t n = ok ? read(fd, token, ACCOUNT_TOKEN_LEN) : -1;
    close(fd);
    if (n != ACCOUNT_TOKEN_LEN) {
        token[0] = '\0';
        return false;
    }
    token[ACCOUNT_TOKEN_LEN] = '\0';
    return true;
}

/* Print the message of a failed login (how long to wait when locked;
 * wrong_key, when not NULL, for a wrong password). */
static void cli_login_error(ws_status s, const account_login_result *res, const char *wrong_key)
{
    if (s == WS_ERR_LOCKED) {
        char msg[256];
        cli_error("%s", trf(msg, sizeof msg, "cli.login_locked", (long long)res->wait_seconds));
    } else {
        cli_error("%s", tr(s == WS_ERR_AUTH && wrong_key ? wrong_key : ws_status_key(s)));
    }
}

int cli_login_password(station *st, const char *login, const char *password,
                       const char *wrong_key)
{
    account_login_result res;
    /* An empty password (Enter pressed by mistake, an empty variable) is
     * no try: recorded, but not counted toward the lockout. */
    if (!password[0]) {
        char folded[ACCOUNT_LOGIN_MAX * 4 + 1];
        account_login_fold(login, folded, sizeof folded);
        access_log(st, &(access_entry){.event = EV_LOGIN_FAILED, .login = folded,
                                       .table = "accounts", .detail = "{\"empty\":1}"});
        cli_error("%s", tr("cli.password_empty"));
        return 1;
    }
    ws_status s = account_login(st, login, password, &res);
    if (s != WS_OK) {
        cli_login_error(s, &res, wrong_key);
        return 1;
    }
    return 0;
}

/* The account a command runs as, from --user, the environment or the
 * session, in that order. */
static int cli_login_any(const cli_opts *o, const char *path, station *st, bool *via_session)
{
    *via_session = false;
    const char *env_user = getenv("WUSHE_USER");
    const char *login = o->user ? o->user : env_user && *env_user ? env_user : NULL;
    /* `wushe login` alone asks who (a session is what it makes, not what
     * it uses). */
    char typed[128];
    bool asking = !login && o->nargs >= 1 && strcmp(o->args[0], "login") == 0;
    if (asking) {
        if (!cli_read_line(tr("cli.login_prompt"), typed, sizeof typed) || !typed[0]) {
            cli_error("%s", tr("cli.login_none"));
            return 1;
        }
        login = typed;
    }
    if (login) {
        char password[CLI_PASSWORD_BYTES];
        const char *env_pw = getenv("WUSHE_PASSWORD");
        if (!o->user && env_pw)
            snprintf(password, sizeof password, "%s", env_pw);
        else if (!cli_read_password(tr("cli.password_prompt"), password, sizeof password)) {
            cli_error("%s", tr("cli.password_none"));
            return 1;
        }
        int rc = cli_login_password(st, login, password, NULL);
        /* `user passwd` takes the password just checked as the old one. */
        if (rc == 0 && o->password_out)
            snprintf(o->password_out, o->password_out_size, "%s", password);
        sodium_memzero(password, sizeof password);
        return rc;
    }
    char token[ACCOUNT_TOKEN_LEN + 1];
    if (cli_session_read(path, token)) {
        ws_status s = account_session_resume(st, token, CLI_SESSION_IDLE_MINUTES);
        sodium_memzero(token, sizeof token);
        if (s == WS_OK) {
            *via_session = true;
            return 0;
        }
        if (s != WS_ERR_AUTH && s != WS_ERR_DISABLED) {
            cli_error("%s", tr(ws_status_key(s)));
            return 1;
        }
        /* An expired or unknown token is no use to anyone: gone. */
        char file[4200], restored[32] = "";
        bool had = cli_session_path(path, file, sizeof file, false);
        if (had && s == WS_ERR_AUTH)
            cli_restored_since(st, file, restored);
        if (had)
            unlink(file);
        if (restored[0])
            cli_error(tr("cli.session_restored"), restored);
        else
            cli_error("%s", tr(s == WS_ERR_DISABLED ? "status.disabled" : "cli.session_expired"));
        return 1;
    }
    cli_error("%s", tr("cli.login_needed"));
    return 1;
}

int cli_authenticate(const cli_opts *o, const char *path, station *st, bool no_accounts_ok)
{
    int64_t n = 0;
    ws_status s = account_count(st, &n);
    /* `wushe check` of a station without accounts (or of a file from
     * before them, not migrated) reads its structure as it is. */
    if (no_accounts_ok && (s != WS_OK || n == 0))
        return 0;
    if (s == WS_OK && n == 0) {
        cli_error("%s", tr("cli.no_accounts"));
        return 1;
    }
    if (s != WS_OK) {
        cli_error("%s", tr(ws_status_key(s)));
        return 1;
    }
    bool via_session = false;
    int rc = cli_login_any(o, path, st, &via_session);
    if (rc)
        return rc;
    const account *a = station_account(st);
    bool passwd = o->nargs >= 2 && strcmp(o->args[0], "user") == 0 &&
                  strcmp(o->args[1], "passwd") == 0;
    if (a && a->must_change && !passwd) {
        cli_error("%s", tr("cli.must_change"));
        return 1;
    }
    return 0;
}

int cli_cmd_login(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 1)
        return cli_usage_error("cli.bad_option", o->args[1]);
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    char token[ACCOUNT_TOKEN_LEN + 1];
    char file[4200];
    ws_status s = account_session_start(st, token);
    if (s == WS_OK && !cli_session_path(path, file, sizeof file, true))
        s = WS_ERR_IO;
    if (s == WS_OK) {
        /* Written whole to a new 0600 file, then renamed over the old one. */
        char tmp[4300];
        snprintf(tmp, sizeof tmp, "%s.%d", file, (int)getpid());
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        bool ok = fd >= 0 && write(fd, token, ACCOUNT_TOKEN_LEN) == ACCOUNT_TOKEN_LEN;
        if (fd >= 0)
            ok = close(fd) == 0 && ok;
        if (ok)
            ok = rename(tmp, file) == 0;
        else
            unlink(tmp);
        if (!ok)
            s = WS_ERR_IO;
    }
    sodium_memzero(token, sizeof token);
    if (s != WS_OK) {
        cli_error("%s", tr(ws_status_key(s)));
        rc = 1;
    } else {
        char msg[512];
        const account *a = station_account(st);
        printf("%s\n", trf(msg, sizeof msg, "cli.login_done", a->display_name, a->login,
                           CLI_SESSION_IDLE_MINUTES));
    }
    station_close(&st);
    return rc;
}

int cli_cmd_logout(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 1)
        return cli_usage_error("cli.bad_option", o->args[1]);
    char token[ACCOUNT_TOKEN_LEN + 1];
    char file[4200];
    bool had = cli_session_read(path, token);
    if (had) {
        station *st = NULL;
        /* Ending a session needs no password: whoever holds the token may
         * throw it away. */
        if (cli_open(o, path, STATION_TRUSTED, cfg, &st) == 0) {
            account_session_resume(st, token, CLI_SESSION_IDLE_MINUTES);
            account_session_end(st, token);
            station_close(&st);
        }
        sodium_memzero(token, sizeof token);
    }
    if (cli_session_path(path, file, sizeof file, false))
        unlink(file);
    puts(tr(had ? "cli.logout_done" : "cli.logout_none"));
    return 0;
}
