/* wushe backup and wushe restore: the model's backups (tools/backup.c)
 * for scripts and for a clerk at a terminal. */
#include "cli_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "wushe/backup.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

/* Room for a typed passphrase (cut at a character's start to fit). */
#define CLI_PASSPHRASE_BYTES 1024

/* Ctrl-C or SIGTERM during a backup or restore: the handler only notes the
 * signal; the job sees it between its steps, removes its temporary files
 * and stops. */
static volatile sig_atomic_t cli_stop_signal;

static void cli_stop_handler(int sig)
{
    cli_stop_signal = sig;
}

typedef struct cli_signals {
    struct sigaction intr, term;
} cli_signals;

/* No SA_RESTART: a question being asked (the restore's) ends as declined.
 * A signal ignored when we started (a job a script put in the background)
 * stays ignored. */
static void cli_signals_catch(cli_signals *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cli_stop_handler;
    sigemptyset(&sa.sa_mask);
    cli_stop_signal = 0;
    sigaction(SIGINT, NULL, &old->intr);
    sigaction(SIGTERM, NULL, &old->term);
    if (old->intr.sa_handler != SIG_IGN)
        sigaction(SIGINT, &sa, NULL);
    if (old->term.sa_handler != SIG_IGN)
        sigaction(SIGTERM, &sa, NULL);
}

/* The handlers as they were; the exit status of a stopped job (128 + the
 * signal, as the shell reports one), else rc. */
static int cli_signals_restore(const cli_signals *old, int rc)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
    return cli_stop_signal ? 128 + cli_stop_signal : rc;
}

typedef struct cli_meter {
    const char *key;
    int last;
    bool tty;
} cli_meter;

static void cli_meter_show(void *ctx, int64_t done, int64_t total)
{
    cli_meter *m = ctx;
    if (!m->tty || total <= 0)
        return;
    int pct = (int)(done * 100 / total);
    if (pct == m->last)
        return;
    m->last = pct;
    char msg[128];
    fprintf(stderr, "\r%s", trf(msg, sizeof msg, m->key, pct));
    fflush(stderr);
}

static void cli_meter_end(cli_meter *m)
{
    if (m->tty && m->last >= 0)
        fputs("\r\033[K", stderr);
}

static size_t cli_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A backup's passphrase: WUSHE_BACKUP_PASSPHRASE, else asked (twice for a
 * new one). 0 when read, else the exit status after a message. */
static int cli_passphrase(bool twice, char *out, size_t outsz)
{
    const char *env = getenv("WUSHE_BACKUP_PASSPHRASE");
    if (env && *env) {
        snprintf(out, outsz, "%s", env);
    } else if (!cli_read_password(tr(twice ? "backup.passphrase_prompt"
                                           : "backup.passphrase_restore"), out, outsz)) {
        cli_error("%s", tr("backup.passphrase_none"));
        return 1;
    } else if (twice) {
        char again[CLI_PASSPHRASE_BYTES];
        bool got = cli_read_password(tr("backup.passphrase_again"), again, sizeof again);
        bool same = got && strcmp(out, again) == 0;
        sodium_memzero(again, sizeof again);
        if (!same) {
            cli_error("%s", tr(got ? "backup.passphrase_mismatch" : "backup.passphrase_none"));
            return 1;
        }
    }
    const char *bad = twice ? backup_passphrase_problem(out) : NULL;
    if (bad) {
        cli_error("%s", tr(bad));
        return 1;
    }
    if (twice && cli_chars(out) < BACKUP_PASSPHRASE_MIN) {
        char msg[256];
        cli_error("%s", trf(msg, sizeof msg, "backup.passphrase_short", BACKUP_PASSPHRASE_MIN));
        return 1;
    }
    return 0;
}

static void cli_print_clean(const char *key, const char *a, const char *b)
{
    char *ca = text_sanitize(a ? a : ""), *cb = text_sanitize(b ? b : "");
    char msg[8400];
    printf("%s\n", trf(msg, sizeof msg, key, ca ? ca : "", cb ? cb : ""));
    free(ca);
    free(cb);
}

int cli_cmd_backup(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs > 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    const char *env_pass = getenv("WUSHE_BACKUP_PASSPHRASE");
    if (!o->encrypt && env_pass && *env_pass) {
        /* A script that meant to encrypt must not carry away a plain copy
         * of everything unawares. */
        cli_error("%s", tr("backup.passphrase_without_encrypt"));
        return EXIT_USAGE;
    }
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    char pass[CLI_PASSPHRASE_BYTES] = "";
    if (o->encrypt && (rc = cli_passphrase(true, pass, sizeof pass)) != 0) {
        station_close(&st);
        return rc;
    }
    cli_meter m = {.key = "backup.progress_backup", .last = -1,
                   .tty = isatty(STDERR_FILENO) != 0};
    backup_opts bo = {.passphrase = o->encrypt ? pass : NULL, .progress = cli_meter_show,
                      .ctx = &m, .backup_dir = cfg ? cfg->backup_dir : NULL,
                      .stop = &cli_stop_signal};
    backup_info in;
    char written[4200], err[2048];
    cli_signals sig;
    cli_signals_catch(&sig);
    ws_status s = backup_make(st, o->nargs == 2 ? o->args[1] : NULL, &bo, &in, written,
                              sizeof written, err, sizeof err);
    sodium_memzero(pass, sizeof pass);
    cli_meter_end(&m);
    if (s != WS_OK) {
        char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
        cli_error("%s", clean ? clean : "");
        free(clean);
        station_close(&st);
        return cli_signals_restore(&sig, 1);
    }
    /* A signal after the backup was made: it is whole, and said so. */
    cli_signals_restore(&sig, 0);
    char msg[8400];
    cli_print_clean("backup.done", written, NULL);
    char *name = text_sanitize(in.station);
    printf("%s\n", trf(msg, sizeof msg, "backup.done_what", name ? name : "",
                       (long long)in.residents, (long long)in.households,
                       (long long)in.accounts, (double)in.bytes / 1e6));
    free(name);
    printf("%s\n", trf(msg, sizeof msg, "backup.done_checked", in.schema_version, in.seconds));
    if (in.encrypted)
        printf("%s\n", tr("backup.done_encrypted"));
    station_close(&st);
    return 0;
}

/* Whether path names no station yet: no such file (nor its folder), or an
 * empty one. */
static bool cli_nothing_there(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT || errno == ENOTDIR;
    return S_ISREG(sb.st_mode) && sb.st_size == 0;
}

typedef struct cli_restore_auth {
    const cli_opts *o;
    const char *path;
} cli_restore_auth;

/* Onto a new place: the account given logs in on the restored station. */
static int cli_restore_login(void *ctx, station *restored)
{
    cli_restore_auth *a = ctx;
    return cli_authenticate(a->o, a->path, restored, true);
}

typedef struct cli_restore_ask {
    const cli_opts *o;
    cli_meter *m;
} cli_restore_ask;

/* A backup_info said in one line (the station, when and by whom, counts). */
static void cli_restore_what(const backup_info *in, char *out, size_t outsz)
{
    char when[64];
    if (in->made_at[0])
        text_local_time(in->made_at, false, when, sizeof when);
    else
        snprintf(when, sizeof when, "%s", tr("backup.restored_unknown"));
    char *name = text_sanitize(in->station), *by = text_sanitize(in->made_by);
    /* Neither when nor by whom: a station file, not a backup (a copy of
     * one); by whom unknown: no empty parentheses. */
    if (!in->made_at[0] && !in->made_by[0])
        trf(out, outsz, "backup.restored_what_station", name ? name : "",
            (long long)in->residents, (long long)in->households, (long long)in->accounts);
    else if (!in->made_by[0])
        trf(out, outsz, "backup.restored_what_nobody", name ? name : "", when,
            (long long)in->residents, (long long)in->households, (long long)in->accounts);
    else
        trf(out, outsz, "backup.restored_what", name ? name : "", when, by ? by : "",
            (long long)in->residents, (long long)in->households, (long long)in->accounts);
    free(name);
    free(by);
}

/* The replaced station's account security kept in the restored one:
 * what will be (asked, on stderr) or what was (done, on stdout). */
static void cli_restore_accounts(const backup_info *in, bool done)
{
    FILE *f = done ? stdout : stderr;
    char msg[2400];
    if (in->accounts_disabled_n > 0)
        fprintf(f, "%s\n", trf(msg, sizeof msg, done ? "backup.restored_accounts_disabled"
                                                   : "backup.replace_accounts_disabled",
                               in->accounts_disabled));
    if (in->passwords_kept > 0)
        fprintf(f, "%s\n", trf(msg, sizeof msg, done ? "backup.restored_passwords_kept"
                                                   : "backup.replace_passwords_kept",
                               (long long)in->passwords_kept));
    if (in->accounts_added_n > 0)
        fprintf(f, "%s\n", trf(msg, sizeof msg, done ? "backup.restored_accounts_added"
                                                   : "backup.replace_accounts_added",
                               in->accounts_added));
}

/* Before another station, or an older state, replaces this one: what it
 * replaces, then a question on a terminal; a script says --yes. */
static int cli_restore_confirm(void *ctx, const backup_info *backup, const backup_info *cur)
{
    cli_restore_ask *a = ctx;
    if (a->o->yes)
        return 0;
    cli_meter_end(a->m);
    a->m->last = -1;
    char msg[8400], when[64] = "";
    if (cur->made_at[0])
        text_local_time(cur->made_at, false, when, sizeof when);
    else
        snprintf(when, sizeof when, "%s", tr("backup.restored_unknown"));
    char *now = text_sanitize(cur->station), *was = text_sanitize(backup->station);
    fprintf(stderr, "%s\n", trf(msg, sizeof msg, "backup.replace_current", now ? now : "", when,
                                (long long)cur->residents, (long long)cur->households,
                                (long long)cur->accounts));
    cli_restore_what(backup, msg, sizeof msg);
    fprintf(stderr, "%s\n%s\n", tr("backup.replace_backup"), msg);
    if (strcmp(backup->station, cur->station) != 0)
        fprintf(stderr, "%s\n", trf(msg, sizeof msg, "backup.replace_other_station",
                                    was ? was : "", now ? now : ""));
    if (cur->audit_last > backup->audit_last)
        fprintf(stderr, "%s\n", trf(msg, sizeof msg, "backup.replace_newer", when));
    if (backup->unverified)
        fprintf(stderr, "%s\n", tr("backup.unverified"));
    cli_restore_accounts(backup, false);
    free(now);
    free(was);
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, "%s\n", tr("backup.replace_needs_yes"));
        return 1;
    }
    return cli_confirm("backup.replace_prompt") ? 0 : 1;
}

int cli_cmd_restore(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs < 2) {
        cli_error("%s", tr("backup.restore_no_file"));
        cli_usage_print(stderr, "restore");
        return EXIT_USAGE;
    }
    if (o->nargs > 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    if (o->encrypt)
        return cli_usage_error("cli.bad_option", "--encrypt");
    const char *file = o->args[1];
    station *st = NULL;
    struct stat sb;
    bool was_empty = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0;
    /* The 站长 of the station replaced says so; nobody where there is none. */
    if (!cli_nothing_there(path)) {
        int rc = cli_open(o, path, CLI_NO_ACCOUNTS_OK, cfg, &st);
        if (rc) {
            fprintf(stderr, "%s\n", tr("backup.restore_open_hint"));
            return rc;
        }
    }
    char pass[CLI_PASSPHRASE_BYTES] = "";
    if (backup_is_encrypted(file)) {
        int rc = cli_passphrase(false, pass, sizeof pass);
        if (rc) {
            station_close(&st);
            return rc;
        }
    }
    cli_meter m = {.key = "backup.progress_restore", .last = -1,
                   .tty = isatty(STDERR_FILENO) != 0};
    cli_restore_ask ask = {o, &m};
    backup_opts bo = {.passphrase = pass[0] ? pass : NULL, .progress = cli_meter_show,
                      .ctx = &m, .confirm = cli_restore_confirm, .confirm_ctx = &ask,
                      .stop = &cli_stop_signal};
    /* Where nothing is replaced, an account given (--user, WUSHE_USER) is
     * checked against the backup's and recorded as who restored. */
    const char *env_user = getenv("WUSHE_USER");
    cli_restore_auth auth = {o, path};
    if (!st && (o->user || (env_user && *env_user))) {
        bo.authenticate = cli_restore_login;
        bo.auth_ctx = &auth;
    }
    backup_info in;
    char kept[4200], err[2048];
    cli_signals sig;
    cli_signals_catch(&sig);
    ws_status s = backup_restore(&st, file, path, &bo, &in, kept, sizeof kept, err, sizeof err);
    sodium_memzero(pass, sizeof pass);
    cli_meter_end(&m);
    if (s != WS_OK) {
        char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
        cli_error("%s", clean ? clean : "");
        free(clean);
        return cli_signals_restore(&sig, 1);
    }
    /* A signal during the last rename: the restore ran to its end. */
    cli_signals_restore(&sig, 0);
    char msg[8400];
    const char *onto = in.restored_to[0] ? in.restored_to : path;
    cli_print_clean("backup.restored", file, onto);
    if (strcmp(onto, path) != 0) {
        struct stat lb;
        if (lstat(path, &lb) == 0 && S_ISLNK(lb.st_mode))
            cli_print_clean("backup.restored_link", path, onto);
    }
    cli_restore_what(&in, msg, sizeof msg);
    printf("%s\n", msg);
    if (in.unverified)
        printf("%s\n", tr("backup.unverified"));
    if (kept[0])
        cli_print_clean("backup.restored_kept", kept, NULL);
    else
        printf("%s\n", tr(was_empty ? "backup.restored_onto_empty" : "backup.restored_new"));
    if (in.access_carried > 0)
        printf("%s\n", trf(msg, sizeof msg, "backup.restored_access", (long long)in.access_carried));
    cli_restore_accounts(&in, true);
    printf("%s\n", tr("backup.restored_logins"));
    return 0;
}
