/* wushe user add|list|disable|enable|passwd|reset: the station's accounts
 * from the command line. The model checks who may do what (PERM_ACCOUNTS
 * for all but one's own password); the CLI asks for passwords without
 * echo, twice for a new one, or takes WUSHE_NEW_PASSWORD in scripts. */
#include "cli_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/record.h"
#include "wushe/text.h"

/* printf-style message with one typed value made safe for the terminal. */
static void cli_user_say(FILE *to, const char *key, const char *typed)
{
    char *clean = text_sanitize(typed ? typed : "");
    char msg[1024];
    trf(msg, sizeof msg, key, clean ? clean : "");
    if (to == stderr)
        cli_error("%s", msg);
    else
        fprintf(to, "%s\n", msg);
    free(clean);
}

/* A record error of an account (a field's label first), on stderr. */
static void cli_user_invalid(const record_error *re)
{
    char msg[512];
    char *clean = text_sanitize(record_error_text(&kind_account, re, msg, sizeof msg));
    cli_error("%s", clean ? clean : "");
    free(clean);
}

/* The index of an account's field by its column. */
static int cli_user_field(const char *column)
{
    for (size_t i = 0; i < kind_account.nfields; i++)
        if (strcmp(kind_account.fields[i].column, column) == 0)
            return (int)i;
    return -1;
}

/* The role typed as a code, or its label in either language. */
static const code_item *cli_user_role(station *st, const char *typed)
{
    const code_list *l = codebook_list(station_codes(st), "role");
    for (size_t i = 0; l && i < l->n; i++) {
        const code_item *it = &l->items[i];
        if (strcmp(typed, it->code) == 0 || (it->zh_CN && strcmp(typed, it->zh_CN) == 0) ||
            (it->en && strcasecmp(typed, it->en) == 0))
            return it;
    }
    return NULL;
}

static const char *cli_user_role_label(station *st, const char *code)
{
    const code_item *it = codebook_find(station_codes(st), "role", code);
    return it ? code_label(it, 0) : code;
}

/* A new password for login: WUSHE_NEW_PASSWORD when set (scripts), else
 * asked twice without echo. Checked before the second question, so a
 * clerk hears what is wrong at once. 0, or 1 after a message. */
static int cli_user_new_password(const char *login, char *out, size_t outsz)
{
    const char *env = getenv("WUSHE_NEW_PASSWORD");
    if (env) {
        snprintf(out, outsz, "%s", env);
        return 0;
    }
    if (!cli_read_password(tr("cli.new_password_prompt"), out, outsz)) {
        cli_error("%s", tr("cli.password_none"));
        return 1;
    }
    val_status v = account_password_check(login, out);
    if (v != VAL_OK) {
        cli_error("%s", tr(val_status_key(v)));
        sodium_memzero(out, outsz);
        return 1;
    }
    char again[CLI_PASSWORD_BYTES];
    bool ok = cli_read_password(tr("cli.new_password_again"), again, sizeof again);
    if (!ok)
        cli_error("%s", tr("cli.password_none"));
    else if (strcmp(out, again) != 0)
        cli_error("%s", tr("valid.password_mismatch"));
    ok = ok && strcmp(out, again) == 0;
    sodium_memzero(again, sizeof again);
    if (!ok)
        sodium_memzero(out, outsz);
    return ok ? 0 : 1;
}

/* The account named on the command line (folded as a login is typed);
 * needs PERM_ACCOUNTS. 0, or 1 after a message. */
static int cli_user_find(station *st, const char *typed, account *a)
{
    ws_status s = station_require(st, PERM_ACCOUNTS);
    if (s != WS_OK) {
        cli_status_error(st, s);
        return 1;
    }
    char login[ACCOUNT_LOGIN_MAX * 4 + 1];
    account_login_fold(typed, login, sizeof login);
    s = account_login_check(login) == VAL_OK ? account_find(st, login, a) : WS_ERR_NOT_FOUND;
    if (s == WS_ERR_NOT_FOUND) {
        cli_user_say(stderr, "cli.user_unknown", typed);
        return 1;
    }
    if (s != WS_OK) {
        cli_status_error(st, s);
        return 1;
    }
    return 0;
}

static int cli_user_add(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 3)
        return cli_usage_error("cli.missing_arg", "user add LOGIN --role ROLE --name NAME");
    if (!o->role)
        return cli_usage_error("cli.missing_arg", "--role");
    if (!o->name)
        return cli_usage_error("cli.missing_arg", "--name");
    account a;
    account_init(&a);
    /* A bad login name is said before anything is opened or asked; a long
     * one is refused, not cut to fit. */
    char login[ACCOUNT_LOGIN_MAX * 4 + 1];
    account_login_fold(o->args[2], login, sizeof login);
    val_status v = account_login_check(login);
    if (v != VAL_OK || strlen(o->args[2]) >= sizeof login) {
        record_error re = {.field = cli_user_field("login"),
                           .code = v != VAL_OK ? v : VAL_LOGIN_CHARS};
        cli_user_invalid(&re);
        return 1;
    }
    memcpy(a.login, login, strlen(login) + 1); /* checked: at most ACCOUNT_LOGIN_MAX */
    station *st = NULL;
    /* The first 站长 of a station without accounts needs nobody's login. */
    int rc = cli_open(o, path, CLI_NO_ACCOUNTS_OK, cfg, &st);
    if (rc)
        return rc;
    const code_item *role = cli_user_role(st, o->role);
    int64_t n = 0;
    ws_status s = account_count(st, &n);
    char password[CLI_PASSWORD_BYTES] = "";
    if (!role) {
        station_close(&st);
        return cli_usage_error("cli.user_bad_role", o->role);
    }
    if (s == WS_OK && n == 0 && strcmp(role->code, "director") != 0) {
        cli_error("%s", tr("cli.user_first_director"));
        rc = 1;
    } else if (s == WS_OK && n > 0) {
        /* Refused before a password is asked for. */
        s = station_require(st, PERM_ACCOUNTS);
    }
    if (rc == 0 && s != WS_OK) {
        cli_status_error(st, s);
        rc = 1;
    }
    snprintf(a.role, sizeof a.role, "%s", role->code);
    /* The fields are checked before the password is asked for; what does
     * not fit is too long, not cut. */
    record_error re = {.field = -1};
    const char *phone = o->phone ? o->phone : "";
    if (rc == 0 && (strlen(o->name) >= sizeof a.display_name ||
                    strlen(phone) >= sizeof a.phone)) {
        re.field = cli_user_field(strlen(phone) >= sizeof a.phone ? "phone" : "display_name");
        re.code = VAL_TOO_LONG;
        if (re.field >= 0 && kind_account.fields[re.field].limit > 0)
            snprintf(re.detail, sizeof re.detail, "%d", (int)kind_account.fields[re.field].limit);
        cli_user_invalid(&re);
        rc = 1;
    }
    snprintf(a.display_name, sizeof a.display_name, "%s", o->name);
    snprintf(a.phone, sizeof a.phone, "%s", phone);
    if (rc == 0 && (s = record_validate(st, &kind_account, &a, &re)) != WS_OK) {
        if (s == WS_ERR_INVALID)
            cli_user_invalid(&re);
        else
            cli_status_error(st, s);
        rc = 1;
    }
    if (rc == 0)
        rc = cli_user_new_password(a.login, password, sizeof password);
    if (rc == 0) {
        s = account_create(st, &a, password, &re);
        if (s == WS_ERR_INVALID)
            cli_user_invalid(&re);
        else if (s != WS_OK)
            cli_status_error(st, s);
        else {
            char msg[512];
            printf("%s\n", trf(msg, sizeof msg, "cli.user_added", a.login, a.display_name,
                               cli_user_role_label(st, a.role)));
        }
        rc = s == WS_OK ? 0 : 1;
    }
    sodium_memzero(password, sizeof password);
    station_close(&st);
    return rc;
}

/* TSV: login, display name, role, state, last login (local time; empty
 * when never). No password hash ever leaves the model. */
static int cli_user_list(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    int cols[RECORD_MAX_COLS];
    size_t ncols = record_list_fields(&kind_account, cols);
    static const char *const want[] = {"login", "display_name", "role", "active",
                                       "last_login_at"};
    enum { NWANT = sizeof want / sizeof *want, PAGE = 64 };
    int at[NWANT];
    for (size_t w = 0; w < NWANT; w++) {
        at[w] = -1;
        for (size_t c = 0; c < ncols; c++)
            if (strcmp(kind_account.fields[cols[c]].column, want[w]) == 0)
                at[w] = (int)c;
    }
    record_row *rows = calloc(PAGE, sizeof *rows);
    ws_status s = rows ? WS_OK : WS_ERR_NOMEM;
    int64_t after = 0;
    size_t n = 0;
    while (s == WS_OK) {
        s = record_list(st, &kind_account, "", false, after, 1, rows, PAGE, &n);
        for (size_t r = 0; s == WS_OK && r < n; r++) {
            for (size_t w = 0; w < NWANT; w++) {
                const char *cell = at[w] >= 0 ? rows[r].cells[at[w]] : "";
                char local[64];
                if (strcmp(want[w], "last_login_at") == 0 && cell[0]) {
                    text_local_time(cell, false, local, sizeof local);
                    cell = local;
                }
                char *clean = text_sanitize(cell);
                for (char *p = clean; p && *p; p++)
                    if (*p == '\t')
                        *p = ' ';
                fputs(clean ? clean : "", stdout);
                fputc(w + 1 < NWANT ? '\t' : '\n', stdout);
                free(clean);
            }
        }
        if (s != WS_OK || n < PAGE)
            break;
        after = rows[n - 1].id;
    }
    free(rows);
    if (s != WS_OK) {
        cli_status_error(st, s);
        rc = 1;
    }
    station_close(&st);
    return rc;
}

static int cli_user_set_active(const cli_opts *o, const char *path, const station_config *cfg,
                               bool active)
{
    if (o->nargs != 3)
        return cli_usage_error("cli.missing_arg", active ? "user enable LOGIN"
                                                        : "user disable LOGIN");
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    account a;
    rc = cli_user_find(st, o->args[2], &a);
    bool was = rc == 0 && strcmp(a.active, "1") == 0;
    if (rc == 0 && was == active) {
        cli_user_say(stdout, active ? "cli.user_already_enabled" : "cli.user_already_disabled",
                     a.login);
    } else if (rc == 0) {
        record_error re;
        ws_status s = account_set_active(st, a.id, active, &re);
        if (s == WS_ERR_INVALID)
            cli_user_invalid(&re);
        else if (s != WS_OK)
            cli_status_error(st, s);
        else {
            char msg[512];
            printf("%s\n", trf(msg, sizeof msg,
                               active ? "cli.user_enabled" : "cli.user_disabled", a.login,
                               a.display_name));
        }
        rc = s == WS_OK ? 0 : 1;
    }
    station_close(&st);
    return rc;
}

/* One's own password: the old one (the password the login just took, or
 * asked when a session logged in), then the new one twice. Works when a
 * reset says it must be changed. */
static int cli_user_passwd(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    char old[CLI_PASSWORD_BYTES] = "";
    cli_opts mine = *o;
    mine.password_out = old;
    mine.password_out_size = sizeof old;
    station *st = NULL;
    int rc = cli_open(&mine, path, 0, cfg, &st);
    if (rc)
        return rc;
    const account *me = station_account(st);
    char login[ACCOUNT_LOGIN_MAX + 1];
    snprintf(login, sizeof login, "%s", me ? me->login : "");
    bool asked = !old[0];
    if (asked && !cli_read_password(tr("cli.old_password_prompt"), old, sizeof old)) {
        cli_error("%s", tr("cli.password_none"));
        rc = 1;
    } else if (asked && cli_login_password(st, login, old, "cli.old_password_wrong") != 0) {
        /* A session logged in: the old password is checked as a login is,
         * recorded and counted toward the lockout, so that a session left
         * open is no way to guess it. */
        rc = 1;
    }
    char fresh[CLI_PASSWORD_BYTES] = "";
    if (rc == 0)
        rc = cli_user_new_password(login, fresh, sizeof fresh);
    if (rc == 0) {
        record_error re;
        ws_status s = account_change_password(st, old, fresh, &re);
        if (s == WS_ERR_AUTH)
            cli_error("%s", tr("cli.old_password_wrong"));
        else if (s == WS_ERR_INVALID)
            cli_user_invalid(&re);
        else if (s != WS_OK)
            cli_status_error(st, s);
        else
            puts(tr("cli.passwd_done"));
        rc = s == WS_OK ? 0 : 1;
    }
    sodium_memzero(old, sizeof old);
    sodium_memzero(fresh, sizeof fresh);
    station_close(&st);
    return rc;
}

/* A 站长 sets a temporary password, to be changed at the next login. */
static int cli_user_reset(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs != 3)
        return cli_usage_error("cli.missing_arg", "user reset LOGIN");
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    account a;
    rc = cli_user_find(st, o->args[2], &a);
    char password[CLI_PASSWORD_BYTES] = "";
    if (rc == 0)
        rc = cli_user_new_password(a.login, password, sizeof password);
    if (rc == 0) {
        record_error re;
        ws_status s = account_reset_password(st, a.id, password, &re);
        if (s == WS_ERR_INVALID)
            cli_user_invalid(&re);
        else if (s != WS_OK)
            cli_status_error(st, s);
        else {
            char msg[512];
            printf("%s\n", trf(msg, sizeof msg, "cli.user_reset_done", a.login,
                               a.display_name));
        }
        rc = s == WS_OK ? 0 : 1;
    }
    sodium_memzero(password, sizeof password);
    station_close(&st);
    return rc;
}

int cli_cmd_user(const cli_opts *o, const char *path, const station_config *cfg)
{
    const char *verb = o->nargs >= 2 ? o->args[1] : NULL;
    if (!verb)
        return cli_usage_error("cli.missing_arg", "user add|list|disable|enable|passwd|reset");
    if (strcmp(verb, "add") == 0)
        return cli_user_add(o, path, cfg);
    if (strcmp(verb, "list") == 0)
        return cli_user_list(o, path, cfg);
    if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)
        return cli_user_set_active(o, path, cfg, verb[0] == 'e');
    if (strcmp(verb, "passwd") == 0)
        return cli_user_passwd(o, path, cfg);
    if (strcmp(verb, "reset") == 0)
        return cli_user_reset(o, path, cfg);
    return cli_usage_error("cli.bad_option", verb);
}
