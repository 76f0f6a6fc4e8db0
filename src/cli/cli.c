#include "cli.h"
#include "cli_internal.h"

#include "wushe/casework.h"
#include "wushe/access.h"
#include "wushe/account.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "db.h"
#include "search.h"
#include "station_internal.h"
#include "ui.h"
#include "wushe/catalog.h"
#include "wushe/config.h"
#include "wushe/demo.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/station.h"
#include "wushe/record.h"
#include "wushe/text.h"
#include "wushe/workbook.h"
#include "wushe/validate.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wushe: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* A refusal is not a database error: no SQLite words for it. */
void cli_status_error(station *st, ws_status s)
{
    if (s == WS_ERR_DB || s == WS_ERR_IO || s == WS_ERR_CORRUPT)
        cli_error("%s: %s", tr(ws_status_key(s)), station_errmsg(st));
    else
        cli_error("%s", tr(ws_status_key(s)));
}

/* The usage's entries for one command ("wushe CMD ..." and the lines
 * that continue it); the whole usage when cmd is NULL or has none. */
void cli_usage_print(FILE *out, const char *cmd)
{
    const char *u = tr("cli.usage");
    size_t cl = cmd ? strlen(cmd) : 0;
    bool any = false, in = false;
    for (const char *line = u; cl && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        const char *t = line;
        while (*t == ' ')
            t++;
        if (strncmp(t, "wushe ", 6) == 0)
            in = strncmp(t + 6, cmd, cl) == 0 && (t[6 + cl] == ' ' || t[6 + cl] == '\n');
        else if (t - line < 10)
            in = false; /* the notes after the commands */
        if (in) {
            fwrite(line, 1, n, out);
            any = true;
        }
        line += n;
    }
    if (!any)
        fputs(u, out);
}

int cli_usage_error(const char *key, const char *arg)
{
    char msg[512];
    /* What was typed may hold escape sequences. */
    char *clean = text_sanitize(arg ? arg : "");
    cli_error("%s", trf(msg, sizeof msg, key, clean ? clean : ""));
    free(clean);
    fputs(tr("cli.usage"), stderr);
    return EXIT_USAGE;
}

/* mkdir -p of the directory part of path. */
static void cli_make_parent(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

/* $XDG_DATA_HOME/wushe/NAME or ~/.local/share/wushe/NAME. */
static char *cli_data_path(const char *name)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/wushe/%s", xdg, name);
    else
        snprintf(buf, sizeof buf, "%s/.local/share/wushe/%s", home ? home : ".", name);
    return strdup(buf);
}

static bool cli_parse_count(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !end || *end || v == 0 || v > 100000000ull || *s == '-')
        return false;
    *out = (size_t)v;
    return true;
}

/* The options: a flag sets a bool, the others take the next argument as
 * text or as a count. */
typedef enum { OPT_FLAG, OPT_TEXT, OPT_COUNT } cli_opt_kind;

typedef struct cli_option {
    const char *name;
    cli_opt_kind kind;
    size_t offset; /* in cli_opts */
} cli_option;

#define CLI_OPT(n, k, m) {n, k, offsetof(cli_opts, m)}
static const cli_option cli_options[] = {
    CLI_OPT("--demo", OPT_FLAG, demo),
    CLI_OPT("--dry-run", OPT_FLAG, dry_run),
    CLI_OPT("--yes", OPT_FLAG, yes),
    CLI_OPT("--unmasked", OPT_FLAG, unmasked),
    CLI_OPT("--ceiling", OPT_FLAG, ceiling),
    CLI_OPT("--costs", OPT_FLAG, costs),
    CLI_OPT("--floors", OPT_FLAG, floors),
    CLI_OPT("--encrypt", OPT_FLAG, encrypt),
    CLI_OPT("--reason", OPT_TEXT, reason),
    CLI_OPT("--encoding", OPT_TEXT, encoding),
    CLI_OPT("--sheet", OPT_TEXT, sheet),
    CLI_OPT("--format", OPT_TEXT, format),
    CLI_OPT("--filter", OPT_TEXT, filter),
    CLI_OPT("--out", OPT_TEXT, out),
    CLI_OPT("--with-notes", OPT_FLAG, with_notes),
    CLI_OPT("--from", OPT_TEXT, from),
    CLI_OPT("--to", OPT_TEXT, to),
    CLI_OPT("--db", OPT_TEXT, db_path),
    CLI_OPT("--user", OPT_TEXT, user),
    CLI_OPT("--role", OPT_TEXT, role),
    CLI_OPT("--name", OPT_TEXT, name),
    CLI_OPT("--phone", OPT_TEXT, phone),
    CLI_OPT("--lang", OPT_TEXT, lang),
    CLI_OPT("--config", OPT_TEXT, config_path),
    CLI_OPT("--residents", OPT_COUNT, residents),
    CLI_OPT("--queries", OPT_COUNT, queries),
};
#undef CLI_OPT

static const cli_option *cli_option_find(const char *a)
{
    for (size_t i = 0; i < sizeof cli_options / sizeof cli_options[0]; i++)
        if (strcmp(a, cli_options[i].name) == 0)
            return &cli_options[i];
    return NULL;
}

static int cli_parse(int argc, char **argv, cli_opts *o, bool *done, int *rc)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "--version") == 0) {
            if (a[2] == 'v')
                printf("wushe %s\n", WUSHE_VERSION);
            else
                cli_usage_print(stdout, o->nargs ? o->args[0] : NULL);
            *done = true;
            *rc = 0;
            return 0;
        }
        const cli_option *opt = cli_option_find(a);
        if (!opt && a[0] == '-' && a[1] != '\0')
            return cli_usage_error("cli.bad_option", a);
        if (!opt) {
            if (o->nargs == 4)
                return cli_usage_error("cli.bad_option", a);
            o->args[o->nargs++] = a;
            continue;
        }
        char *field = (char *)o + opt->offset;
        if (opt->kind == OPT_FLAG) {
            *(bool *)field = true;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("cli.missing_arg", a);
        if (opt->kind == OPT_TEXT)
            *(const char **)field = argv[++i];
        else if (!cli_parse_count(argv[++i], (size_t *)field))
            return cli_usage_error("cli.bad_number", argv[i]);
    }
    return 0;
}

static void cli_progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    if (!isatty(STDERR_FILENO))
        return;
    char msg[128];
    fprintf(stderr, "\r%s", trf(msg, sizeof msg, "cli.demo_progress", done, total));
    if (done == total)
        fputc('\n', stderr);
}

static double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether path names no station yet: no such file, or an empty one. */
static bool cli_station_missing(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT || errno == ENOTDIR;
    return S_ISREG(sb.st_mode) && sb.st_size == 0;
}

/* Whether path is in the default data folder ($XDG_DATA_HOME/wushe). */
static bool cli_in_data_dir(const char *path)
{
    char *dir = cli_data_path("");
    bool in = dir && strncmp(path, dir, strlen(dir)) == 0 && !strchr(path + strlen(dir), '/');
    free(dir);
    return in;
}

/* A new station file is its owner's alone: made empty with mode 0600
 * before SQLite opens it (SQLite gives the -wal and -shm files the main
 * file's permissions), in new folders made 0700, and the default data
 * folder is made 0700 too. An empty file that is about to become a
 * station is made 0600. *made: the file is new (removed if the open
 * fails). */
static void cli_create_private(const char *path, bool *made)
{
    *made = false;
    cli_make_parent(path);
    if (cli_in_data_dir(path)) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        chmod(dirname(dir), 0700);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        *made = true;
        close(fd);
        return;
    }
    struct stat sb;
    if (errno == EEXIST && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0 &&
        sb.st_uid == geteuid())
        chmod(path, 0600);
}

/* Remove a station file this process made and could not open, with what
 * SQLite may have left beside it. */
static void cli_remove_new(const char *path)
{
    static const char *const side[] = {"-wal", "-shm", "-journal", ""};
    for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
        char f[4200];
        snprintf(f, sizeof f, "%s%s", path, side[i]);
        unlink(f);
    }
}

/* Open a station. Only `wushe demo`, --demo and a confirmed first start
 * pass STATION_CREATE: everything else opens what exists and makes no
 * file or folder. */
static bool cli_open_notes(station *st, FILE *to);

int cli_open(const cli_opts *o, const char *path, unsigned flags,
                    const station_config *cfg, station **st)
{
    char err[1024];
    bool missing = !(flags & STATION_CREATE) && cli_station_missing(path);
    bool made = false;
    if (flags & STATION_CREATE)
        cli_create_private(path, &made);
    ws_status s = station_open(path, flags & ~CLI_NO_ACCOUNTS_OK, cfg, st, err, sizeof err);
    if (s != WS_OK) {
        char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
        cli_error("%s", clean ? clean : "");
        free(clean);
        if (made)
            cli_remove_new(path);
        if (missing) {
            char *p = text_sanitize(path);
            char msg[8400];
            fprintf(stderr, "%s\n", trf(msg, sizeof msg, "cli.db_missing_hint", p ? p : "",
                                        p ? p : ""));
            free(p);
        }
        return 1;
    }
    if (!(flags & STATION_READONLY))
        cli_open_notes(*st, stderr);
    /* The declared kinds' search terms, built once by this version. */
    if (!(flags & (STATION_NO_MIGRATE | STATION_READONLY)) && (s = record_ensure(*st)) == WS_OK)
        s = due_ensure(*st); /* who is due, by this station's frequencies */
    if (!(flags & (STATION_NO_MIGRATE | STATION_READONLY)) && s != WS_OK) {
        cli_error("%s", tr(ws_status_key(s)));
        station_close(st);
        return 1;
    }
    if (flags & STATION_TRUSTED)
        return 0;
    int rc = cli_authenticate(o, path, *st, (flags & CLI_NO_ACCOUNTS_OK) != 0);
    if (rc)
        station_close(st);
    return rc;
}

/* The console's question before it makes a new station file, in plain
 * text before curses starts: only "y" (or "yes", "是") and Enter create;
 * Enter alone, anything else or the end of input creates nothing. */
static bool cli_confirm_create(const char *path)
{
    char msg[8400];
    char *p = text_sanitize(path);
    struct stat sb;
    if (stat(path, &sb) == 0)
        printf("%s\n", trf(msg, sizeof msg, "cli.create_empty", p ? p : ""));
    else
        printf("%s\n", trf(msg, sizeof msg, "cli.create_missing", p ? p : ""));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    const char *parent = dirname(dir);
    if (stat(parent, &sb) != 0) {
        char *d = text_sanitize(parent);
        printf("%s\n", trf(msg, sizeof msg, "cli.create_dir", d ? d : ""));
        free(d);
    }
    free(p);
    fputs(tr("cli.create_prompt"), stdout);
    fflush(stdout);
    char line[64];
    bool yes = false;
    if (fgets(line, sizeof line, stdin)) {
        char *a = line, *e = line + strlen(line);
        while (*a == ' ' || *a == '\t')
            a++;
        while (e > a && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        yes = strcasecmp(a, "y") == 0 || strcasecmp(a, "yes") == 0 || strcmp(a, "是") == 0;
    } else {
        fputc('\n', stdout);
    }
    if (!yes)
        cli_error("%s", tr("cli.create_declined"));
    return yes;
}

/* Fill an empty station with demo data; quiet when it already has some. */
static int cli_fill_demo(station *st, const char *path, size_t residents, bool must_be_empty,
                         double *seconds)
{
    station_stats stats;
    /* One account per role, so that the demo can be tried in each. */
    ws_status s = account_create_demo(st);
    if (s == WS_OK)
        s = station_stats_get(st, &stats);
    if (s == WS_OK && stats.residents > 0) {
        if (!must_be_empty)
            return 0;
        char msg[512];
        cli_error("%s", trf(msg, sizeof msg, "cli.demo_exists", path));
        return 1;
    }
    demo_opts d = {.residents = residents ? residents : 1000, .seed = 2026,
                   .progress = cli_progress};
    double t0 = cli_seconds();
    if (s == WS_OK)
        s = demo_generate(st, &d);
    double dt = cli_seconds() - t0;
    if (seconds)
        *seconds = dt;
    if (s != WS_OK) {
        cli_status_error(st, s);
        return 1;
    }
    if (must_be_empty) {
        char msg[256];
        printf("%s\n", trf(msg, sizeof msg, "cli.demo_done", d.residents, dt,
                           dt > 0 ? (double)d.residents / dt : 0.0));
    }
    return 0;
}

static int cli_cmd_demo(const cli_opts *o, const station_config *cfg)
{
    const char *path = o->nargs >= 2 ? o->args[1] : o->db_path;
    if (!path || o->nargs > 2)
        return cli_usage_error("cli.missing_arg", "demo FILE");
    station *st = NULL;
    int rc = cli_open(o, path, STATION_CREATE | STATION_TRUSTED, cfg, &st);
    if (rc == 0)
        rc = cli_fill_demo(st, path, o->residents, true, NULL);
    station_close(&st);
    return rc;
}

/* TSV cells must not break the table or the terminal. */
static void cli_tsv_cell(const char *s, bool last)
{
    char *clean = text_sanitize(s);
    for (char *p = clean; p && *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
    fputs(clean ? clean : "", stdout);
    fputc(last ? '\n' : '\t', stdout);
    free(clean);
}

static ws_status cli_unmask_search(station *st, const char *query)
{
    char *q = text_sanitize(query);
    if (!q)
        return WS_ERR_NOMEM;
    /* JSON string: the query has no control characters left. */
    size_t n = strlen(q);
    char *json = malloc(n * 2 + 32);
    if (!json) {
        free(q);
        return WS_ERR_NOMEM;
    }
    char *w = json + sprintf(json, "{\"query\":\"");
    for (const char *p = q; *p; p++) {
        if (*p == '"' || *p == '\\')
            *w++ = '\\';
        *w++ = *p;
    }
    strcpy(w, "\"}");
    ws_status s = access_unmask(st, "residents", 0, json);
    free(json);
    free(q);
    return s;
}

static int cli_cmd_search(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 3 || strcmp(o->args[1], "residents") != 0)
        return cli_usage_error("cli.missing_arg", "search residents TEXT");
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    /* Identifiers are masked as in the lists; showing them is recorded
     * before anything is shown. */
    ws_status s = o->unmasked ? cli_unmask_search(st, o->args[2]) : WS_OK;
    if (s != WS_OK) {
        cli_status_error(st, s);
        station_close(&st);
        return 1;
    }
    enum { PAGE = 256 };
    resident_row *rows = calloc(PAGE, sizeof *rows);
    if (!rows) {
        station_close(&st);
        return 1;
    }
    int64_t after = 0;
    size_t n = 0;
    do {
        s = resident_list(st, o->args[2], after, 1, rows, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            char id[32], idn[64], phone[96];
            snprintf(id, sizeof id, "%" PRId64, rows[i].id);
            if (o->unmasked) {
                snprintf(idn, sizeof idn, "%s", rows[i].id_number);
                snprintf(phone, sizeof phone, "%s", rows[i].phone);
            } else {
                mask_id_number(rows[i].id_number, idn, sizeof idn);
                mask_phone(rows[i].phone, phone, sizeof phone);
            }
            cli_tsv_cell(id, false);
            cli_tsv_cell(rows[i].name, false);
            cli_tsv_cell(idn, false);
            cli_tsv_cell(phone, false);
            cli_tsv_cell(rows[i].household, true);
        }
        if (n)
            after = rows[n - 1].id;
    } while (s == WS_OK && n == PAGE);
    free(rows);
    if (s != WS_OK) {
        cli_status_error(st, s);
        rc = 1;
    }
    station_close(&st);
    return rc;
}

/* A line of the model's words: errors to stderr as every error, the rest
 * to the FILE given. */
static void cli_say(void *ctx, const char *line, bool error)
{
    if (error)
        cli_error("%s", line);
    else
        fprintf(ctx, "%s\n", line);
}

/* What the open found (station_open_notes): to stdout for check's report,
 * else stderr. */
static bool cli_open_notes(station *st, FILE *to)
{
    return station_open_notes(st, cli_say, to);
}

static int cli_cmd_check(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 1)
        return cli_usage_error("cli.bad_option", o->args[1]);
    station *st = NULL;
    /* check reads the file's structure, not people, so it runs without a
     * login (a damaged station's accounts may be what cannot be read);
     * names of people are shown only to an account given by --user or
     * WUSHE_USER (station_check_say's rule). */
    const char *env_user = getenv("WUSHE_USER");
    bool as_account = o->user || (env_user && *env_user);
    int rc = cli_open(o, db_path, STATION_READONLY | STATION_NO_MIGRATE | STATION_TRUSTED, cfg,
                      &st);
    if (rc)
        return rc;
    station_drop_trust(st);
    if (as_account && (rc = cli_authenticate(o, db_path, st, true)) != 0) {
        station_close(&st);
        return rc;
    }
    bool ok = station_check_say(st, CHECK_FOR_SHELL, cli_say, stdout);
    station_close(&st);
    return ok ? 0 : 1;
}

static int cli_cmd_reindex(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 1)
        return cli_usage_error("cli.bad_option", o->args[1]);
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    double t0 = cli_seconds();
    /* Both indexes: the residents' and the other kinds' terms. */
    ws_status s = station_reindex(st, cli_progress, NULL);
    if (s != WS_OK) {
        cli_status_error(st, s);
        rc = 1;
    } else {
        char msg[256];
        printf("%s\n", trf(msg, sizeof msg, "cli.reindex_done", cli_seconds() - t0));
    }
    station_close(&st);
    return rc;
}

/* Bytes of the database and of its search index (dbstat). */
static void cli_sizes(station *st, double *total_mb, double *index_mb)
{
    sqlite3 *h = db_handle(station_db(st));
    sqlite3_stmt *q = NULL;
    *total_mb = *index_mb = 0;
    if (sqlite3_prepare_v2(h, "SELECT sum(pgsize), sum(CASE WHEN name IN ('search_names',"
                              " 'search_fts_data', 'search_fts_idx', 'search_fts_docsize',"
                              " 'search_fts_config', 'residents_walk') THEN pgsize ELSE 0 END)"
                              " FROM dbstat",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        *total_mb = sqlite3_column_double(q, 0) / 1048576.0;
        *index_mb = sqlite3_column_double(q, 1) / 1048576.0;
    }
    sqlite3_finalize(q);
}

/* "无法创建文件夹 path：没有权限": an OS error in the user's language
 * (key takes the path and the reason), said on stderr. */
static void cli_os_error(const char *key, const char *path, int errnum)
{
    char msg[4400], why[256];
    cli_error("%s", trf(msg, sizeof msg, key, path, enc_os_error(errnum, why, sizeof why)));
}

/* A new private directory named prefix and six random characters
 * (mkdtemp); NULL, with the error said, when it cannot be made. */
static char *cli_mkdtemp(const char *prefix, char *out, size_t outsz)
{
    int n = snprintf(out, outsz, "%s", prefix);
    if (n < 0 || (size_t)n + 7 > outsz) {
        cli_os_error("os.mkdir_failed", prefix, ENAMETOOLONG);
        return NULL;
    }
    memset(out + n, 'X', 6);
    out[n + 6] = '\0';
    if (!mkdtemp(out)) {
        cli_os_error("os.mkdir_failed", out, errno);
        return NULL;
    }
    return out;
}

/* One timed copy of the station's rows into scratch path (removed after),
 * as mode says; its breakdown, then with costs what each table and index
 * costs, in *text (the caller frees it). */
static ws_status cli_ceiling_once(station *st, const char *path, ceiling_mode mode, bool costs,
                                  double *secs, int64_t *n, char **text)
{
    size_t len = 0;
    *text = NULL;
    FILE *mem = open_memstream(text, &len);
    ws_status s = bench_ceiling(st, path, mode, secs, n, mem);
    cli_remove_new(path);
    /* The costs in a scratch of their own, after the ceiling's. */
    if (s == WS_OK && costs && mem) {
        s = bench_ceiling_costs(st, path, mem);
        cli_remove_new(path);
    }
    if (mem)
        fclose(mem);
    return s;
}

/* The write ceiling of the station's rows, beside the fill time when the
 * bench filled it, and with floors the two floors beside it. The scratch
 * copy goes into dir, or when NULL into a new private directory beside the
 * station (a full copy of the register does not belong in /tmp), and is
 * removed. */
static int cli_bench_ceiling(station *st, const char *db_path, const char *dir, double fill_s,
                             const cli_opts *o)
{
    static const struct {
        ceiling_mode mode;
        const char *what;
    } floors[] = {
        {CEILING_RECORDS, "each record built (no table-to-table copy)"},
        {CEILING_ROWS, "one INSERT a row, postings 16 a statement, as an import writes"},
        {CEILING_STAGED, "the same rows staged in a bare temporary table, then INSERT ... SELECT"},
    };
    enum { NFLOORS = sizeof floors / sizeof *floors };
    char tmpdir[4096];
    if (!dir) {
        char parent[4096], prefix[4200];
        snprintf(parent, sizeof parent, "%s", db_path);
        snprintf(prefix, sizeof prefix, "%s/.wushe-ceiling-", dirname(parent));
        if (!(dir = cli_mkdtemp(prefix, tmpdir, sizeof tmpdir)))
            return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/ceiling.db", dir);
    double secs, fsecs[NFLOORS] = {0};
    int64_t n, fn;
    char *breakdown = NULL, *fbreak[NFLOORS] = {NULL};
    ws_status s = cli_ceiling_once(st, path, CEILING_COPY, o->costs, &secs, &n, &breakdown);
    for (size_t i = 0; s == WS_OK && o->floors && i < NFLOORS; i++)
        s = cli_ceiling_once(st, path, floors[i].mode, false, &fsecs[i], &fn, &fbreak[i]);
    if (dir == tmpdir)
        rmdir(tmpdir);
    if (s == WS_OK) {
        printf("write ceiling: sqlite alone copies the same %lld residents (rows, indexes, audit,"
               " postings, FTS, and every other table's rows; one transaction) in %.2f s,"
               " %.0f residents/s\n",
               (long long)n, secs, secs > 0 ? (double)n / secs : 0.0);
        fputs(breakdown ? breakdown : "", stdout);
        for (size_t i = 0; o->floors && i < NFLOORS; i++)
            printf("floor, %s: %.2f s, %.2fx the ceiling\n%s", floors[i].what, fsecs[i],
                   secs > 0 ? fsecs[i] / secs : 0.0, fbreak[i] ? fbreak[i] : "");
        if (fill_s > 0)
            printf("the fill took %.2f s, %.0f residents/s: %.1fx the ceiling\n", fill_s,
                   (double)n / fill_s, secs > 0 ? fill_s / secs : 0.0);
        fflush(stdout);
    } else {
        cli_error("%s", tr(ws_status_key(s)));
    }
    free(breakdown);
    for (size_t i = 0; i < NFLOORS; i++)
        free(fbreak[i]);
    return s == WS_OK ? 0 : 1;
}

static int cli_cmd_bench(const cli_opts *o, const station_config *cfg)
{
    if (o->nargs != 1)
        return cli_usage_error("cli.bad_option", o->args[1]);
    char tmpdir[64];
    char path[4096];
    bool own = !o->db_path;
    if (own) {
        if (!cli_mkdtemp("/tmp/wushe-bench-", tmpdir, sizeof tmpdir))
            return 1;
        snprintf(path, sizeof path, "%s/bench.db", tmpdir);
    } else {
        snprintf(path, sizeof path, "%s", o->db_path);
    }
    station *st = NULL;
    double fill_s = 0;
    /* A station named by --db is measured as it is: nothing is made or
     * filled (demo data has no place in a real station). Only the bench's
     * own scratch station is created and filled. */
    int rc = cli_open(o, path, own ? STATION_CREATE | STATION_TRUSTED : 0, cfg, &st);
    if (rc == 0) {
        station_stats stats;
        ws_status ss = station_stats_get(st, &stats);
        if (!own && ss == WS_OK && stats.residents == 0) {
            char msg[4200];
            cli_error("%s", trf(msg, sizeof msg, o->ceiling ? "cli.ceiling_empty"
                                                           : "cli.bench_empty", path));
            rc = 1;
        } else if (ss == WS_OK && stats.residents == 0) {
            size_t n = o->residents ? o->residents : 200000;
            printf("filling a demo station with %zu residents\n", n);
            fflush(stdout);
            rc = cli_fill_demo(st, path, n, true, &fill_s);
        }
    }
    if (rc == 0 && (fill_s > 0 || o->ceiling))
        rc = cli_bench_ceiling(st, path, own ? tmpdir : NULL, fill_s, o);
    if (rc == 0 && !o->ceiling) {
        double total, index;
        cli_sizes(st, &total, &index);
        printf("database %.1f MB, search index %.1f MB (%.2fx the rest)\n", total, index,
               total > index ? index / (total - index) : 0.0);
        bench_opts b = {.queries = o->queries ? o->queries : 200, .naive = 20, .out = stdout};
        ws_status s = bench_search(st, &b);
        if (s == WS_OK)
            s = bench_casework(st, &b);
        if (s != WS_OK) {
            cli_error("%s", tr(ws_status_key(s)));
            rc = 1;
        }
    }
    station_close(&st);
    if (own) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            cli_error("%s", tmpdir);
    }
    return rc;
}

/* ---- import and export ---- */

typedef struct cli_bar {
    double t0;
    const char *key;
    bool tty;
} cli_bar;

/* "[#####-----] 45000 / 100000, about 3 s left" on stderr (a terminal). */
static bool cli_bar_progress(void *ctx, size_t done, size_t total)
{
    cli_bar *b = ctx;
    if (!b->tty)
        return true;
    char bar[32];
    int w = 20, fill = total ? (int)((double)done * w / (double)total) : w;
    for (int i = 0; i < w; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[w] = '\0';
    double el = cli_seconds() - b->t0;
    double left = done && total > done ? el * (double)(total - done) / (double)done : 0;
    char msg[256];
    fprintf(stderr, "\r%s\033[K", trf(msg, sizeof msg, b->key, bar, done, total, left));
    if (done >= total)
        fputc('\n', stderr);
    return true;
}

static const char *cli_delim_name(char d)
{
    return d == '\t' ? tr("import.delim_tab") : d == ';' ? tr("import.delim_semicolon")
                                                        : tr("import.delim_comma");
}

/* The columns and what they become, before anything is written. */
static void cli_import_mapped(void *ctx, const import_report *rep)
{
    (void)ctx;
    char msg[1024];
    if (rep->sheet[0])
        printf("%s\n", trf(msg, sizeof msg, "book.summary", rep->sheet, rep->header_line,
                           rep->rows));
    else
        printf("%s\n", trf(msg, sizeof msg, "import.summary_file", rep->enc.name,
                           cli_delim_name(rep->delim), rep->header_line, rep->rows));
    if (rep->bad_bytes)
        printf("%s\n", trf(msg, sizeof msg, "import.summary_bad_bytes", rep->bad_bytes));
    printf("%s\n", tr("import.mapping"));
    for (size_t i = 0; i < rep->ncols; i++) {
        const import_column *c = &rep->cols[i];
        char *h = text_sanitize(c->header);
        const char *what = c->repeated ? tr("import.field_repeated")
                                       : tr(import_field_key(c->field));
        printf("  %s → %s\n", h && *h ? h : "-", what);
        free(h);
    }
    fflush(stdout);
}

void cli_import_errors_said(const char *path, const char *trouble, const char *old,
                            const char *kept, const char *written_key)
{
    char msg[8192];
    char *p = path[0] ? text_sanitize(path) : NULL;
    if (trouble[0] && p)
        printf("%s\n", trf(msg, sizeof msg, "import.errors_moved", trouble, p));
    else if (trouble[0])
        printf("%s\n", trf(msg, sizeof msg, "import.errors_unwritten", trouble));
    else if (p)
        printf("%s\n", trf(msg, sizeof msg, written_key, p));
    free(p);
    /* An earlier error file: kept aside, or out of date. */
    if (import_errors_earlier_said(path, trouble, old, kept, msg, sizeof msg)) {
        char *clean = text_sanitize(msg);
        printf("%s\n", clean ? clean : "");
        free(clean);
    }
}

static void cli_import_report(const import_report *rep)
{
    char msg[1024];
    if (rep->new_communities) {
        char names[1024] = "";
        size_t used = 0;
        for (size_t i = 0; i < rep->ncreated && used + 70 < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     i ? tr("import.names_sep") : "",
                                     rep->created[i]);
        printf("%s\n", trf(msg, sizeof msg, "import.summary_communities", rep->new_communities,
                           names));
    }
    if (rep->new_households)
        printf("%s\n", trf(msg, sizeof msg, "import.summary_households", rep->new_households));
    static const char *const cls_keys[IMPORT_CLASS_COUNT] = {
        "import.class_new", "import.class_update", "import.class_unchanged",
        "import.class_duplicate", "import.class_infile", "import.class_invalid"};
    for (size_t i = 0; i < rep->nnotes; i++) {
        const import_note *n = &rep->notes[i];
        /* A row without a name: no "：" standing for it. */
        if (n->name[0])
            printf("%s\n", trf(msg, sizeof msg, "import.note_line", n->line,
                               tr(cls_keys[n->cls]), n->name, n->text));
        else
            printf("%s\n", trf(msg, sizeof msg, "import.kind_note_line", n->line,
                               tr(cls_keys[n->cls]), n->text));
    }
    size_t shown = rep->nnotes;
    size_t notable = rep->counts[IMPORT_UPDATE] + rep->counts[IMPORT_DUPLICATE] +
                     rep->counts[IMPORT_INFILE] + rep->counts[IMPORT_INVALID];
    if (notable > shown)
        printf("%s\n", trf(msg, sizeof msg, "import.more_notes", notable - shown));
    for (size_t i = 0; i < rep->nskips; i++)
        printf("%s\n", trf(msg, sizeof msg, "import.skip_line", rep->skips[i].line,
                           rep->skips[i].text, tr(import_skip_key(rep->skips[i].reason))));
    printf("%s\n", trf(msg, sizeof msg, rep->dry_run ? "import.summary_dry" : "import.summary",
                       rep->counts[IMPORT_NEW], rep->counts[IMPORT_UPDATE],
                       rep->counts[IMPORT_UNCHANGED], rep->counts[IMPORT_DUPLICATE],
                       rep->counts[IMPORT_INFILE], rep->counts[IMPORT_INVALID]));
    if (rep->blank)
        printf("%s\n", trf(msg, sizeof msg, "import.summary_blank", rep->blank));
    if (rep->skipped)
        printf("%s\n", trf(msg, sizeof msg, "import.summary_skipped", rep->skipped));
    if (rep->other_phones)
        printf("%s\n", trf(msg, sizeof msg, "import.other_phones", rep->other_phones));
    cli_import_errors_said(rep->error_path, rep->error_trouble, rep->error_old, rep->error_kept,
                           "import.summary_errors");
    if (rep->counts[IMPORT_DUPLICATE] && !rep->dry_run)
        printf("%s\n", tr("import.summary_review"));
    printf("%s\n", trf(msg, sizeof msg, "import.summary_time", rep->seconds));
}

/* A declared kind by its table's name ("households"); NULL when none. */
/* A kind by its table's name (households, visits, cases) or its own
 * (case_service); "services" is the cases' service records. */
static const record_kind *cli_kind(const char *table)
{
    if (strcmp(table, "services") == 0)
        table = "case_services";
    for (size_t i = 0; i < record_nkinds; i++)
        if (record_kinds[i] != &kind_resident && /* the register's own import and export */
            (strcmp(record_kinds[i]->table, table) == 0 || strcmp(record_kinds[i]->name, table) == 0))
            return record_kinds[i];
    return NULL;
}

/* A row of a declared kind's ledger that the clerk must see: updated
 * (what changes), repeated or invalid (why), as the residents import
 * lists them, a dry run too. */
static void cli_kind_note(void *ctx, import_class cls, size_t line, const char *name,
                          const char *text)
{
    (void)ctx;
    static const char *const cls_keys[IMPORT_CLASS_COUNT] = {
        "import.class_new", "import.class_update", "import.class_unchanged",
        "import.class_duplicate", "import.class_infile", "import.class_invalid"};
    char msg[4096];
    if (*name)
        trf(msg, sizeof msg, "import.note_line", line, tr(cls_keys[cls]), name, text);
    else
        trf(msg, sizeof msg, "import.kind_note_line", line, tr(cls_keys[cls]), text);
    char *clean = text_sanitize(msg);
    printf("%s\n", clean ? clean : "");
    free(clean);
}

/* A ledger of a declared kind: its summary, the columns left out, the
 * error file. */
static int cli_import_kind(const cli_opts *o, const record_kind *k, const char *db_path,
                           const station_config *cfg)
{
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    import_opts io = {.encoding = o->encoding, .sheet = o->sheet, .dry_run = o->dry_run,
                      .row_note = cli_kind_note};
    kind_import_report rep;
    char err[1024] = "", msg[8192];
    ws_status s = import_kind(st, k, o->args[2], &io, &rep, err, sizeof err);
    if (s == WS_OK) {
        printf("%s\n", trf(msg, sizeof msg, "import.kind_done", tr(k->label), rep.rows, rep.added,
                           rep.updated, rep.unchanged, rep.invalid));
        char cols[4096] = "";
        for (size_t i = 0, used = 0; i < rep.nskipped_cols && used < sizeof cols; i++)
            used += (size_t)snprintf(cols + used, sizeof cols - used, "%s%s",
                                     i ? tr("import.names_sep") : "",
                                     rep.skipped_cols[i]);
        if (cols[0])
            printf("%s\n", trf(msg, sizeof msg, "import.kind_not_imported", cols));
        if (rep.skipped)
            printf("%s\n", trf(msg, sizeof msg, "import.kind_skipped", rep.skipped));
        cli_import_errors_said(rep.error_path, rep.error_trouble, rep.error_old, rep.error_kept,
                               "import.kind_errors");
        if (rep.invalid)
            rc = EXIT_PARTIAL;
    } else {
        char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
        cli_error("%s", clean ? clean : "");
        free(clean);
        rc = s == WS_ERR_USAGE ? EXIT_USAGE : 1;
    }
    station_close(&st);
    return rc;
}

/* --encoding names one of the encodings of a Chinese ledger, checked
 * before any file is opened (a usage error naming the allowed ones). */
static int cli_check_encoding(const cli_opts *o)
{
    char name[ENC_NAME_MAX];
    if (o->encoding && !enc_canonical(o->encoding, name, sizeof name))
        return cli_usage_error("import.bad_encoding", o->encoding);
    return 0;
}

/* How many sheets the workbook at path has (0: none, or not a workbook). */
static size_t cli_book_sheets(const char *path)
{
    workbook *wb = NULL;
    char err[512];
    if (workbook_open(path, NULL, &wb, err, sizeof err) != WS_OK)
        return 0;
    size_t n = workbook_sheet_count(wb);
    workbook_free(&wb);
    return n;
}

static int cli_cmd_import(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    int bad = cli_check_encoding(o);
    if (bad)
        return bad;
    const record_kind *kind = o->nargs >= 2 ? cli_kind(o->args[1]) : NULL;
    /* A kind whose ledger cannot name its records (a case's number is the
     * station's) is not importable: listed with the ones that are. */
    if (kind && !import_kind_importable(kind))
        kind = NULL;
    if (kind && o->nargs == 3)
        return cli_import_kind(o, kind, db_path, cfg);
    if (!kind && o->nargs >= 2 && strcmp(o->args[1], "residents") != 0)
        return cli_usage_error("cli.unknown_import_kind", o->args[1]);
    if (o->nargs != 3)
        return cli_usage_error("cli.import_missing", NULL);
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    cli_bar bar = {.t0 = cli_seconds(), .key = "cli.import_progress",
                   .tty = isatty(STDERR_FILENO) != 0};
    import_opts io = {.encoding = o->encoding, .sheet = o->sheet, .dry_run = o->dry_run,
                      .progress = cli_bar_progress, .mapped = cli_import_mapped, .ctx = &bar};
    import_report rep;
    char err[1024];
    ws_status s = import_residents(st, o->args[2], &io, &rep, err, sizeof err);
    if (s == WS_OK) {
        cli_import_report(&rep);
        if (rep.counts[IMPORT_INVALID] > 0 && !rep.cancelled)
            rc = EXIT_PARTIAL;
    } else {
        char *clean = text_sanitize(err);
        cli_error("%s", clean ? clean : tr(ws_status_key(s)));
        free(clean);
        const record_kind *other = rep.header_missing ? import_kind_guess(o->args[2], &io) : NULL;
        if (other) {
            /* Another kind's ledger (a households export): say which, and how. */
            char msg[8192];
            char *p = text_sanitize(o->args[2]);
            fprintf(stderr, "%s\n", trf(msg, sizeof msg, "cli.other_kind_hint", p ? p : "",
                                        tr(other->label), other->table));
            free(p);
        } else if (rep.header_missing && (!rep.sheet[0] || cli_book_sheets(o->args[2]) > 1)) {
            /* --sheet only where there is another sheet to name */
            char msg[512], others[128];
            fprintf(stderr, "%s\n",
                    rep.sheet[0] ? tr("book.hint_sheet_cli")
                                 : trf(msg, sizeof msg, "import.hint_encoding_others",
                                       enc_hint_others(rep.enc.name, others, sizeof others)));
        }
        rc = s == WS_ERR_USAGE ? EXIT_USAGE : 1;
    }
    import_report_free(&rep);
    station_close(&st);
    return rc;
}


/* The format an export writes: --format, else the file's name (CSV to
 * standard output); XLSX needs a file. 0, or the usage error's status. */
int cli_export_format(const cli_opts *o, const char *path, const char *what,
                      export_opts *eo)
{
    eo->format = path ? export_format_for(path) : EXPORT_CSV;
    if (o->format && strcasecmp(o->format, "xlsx") == 0)
        eo->format = EXPORT_XLSX;
    else if (o->format && strcasecmp(o->format, "csv") != 0)
        return cli_usage_error("cli.bad_option", o->format);
    if (eo->format == EXPORT_XLSX && !path)
        return cli_usage_error("cli.missing_arg", what);
    /* A workbook has no encoding to choose: said, not ignored. */
    if (eo->format == EXPORT_XLSX && o->encoding)
        return cli_usage_error("cli.encoding_csv_only", o->encoding);
    return 0;
}

/* An export that failed: its message (made safe), and the exit status. */
int cli_export_failed(ws_status s, const char *err)
{
    char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
    cli_error("%s", clean ? clean : "");
    free(clean);
    return s == WS_ERR_USAGE ? EXIT_USAGE : 1;
}

static int cli_cmd_export(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    int bad = cli_check_encoding(o);
    if (bad)
        return bad;
    const record_kind *kind = o->nargs >= 2 ? cli_kind(o->args[1]) : NULL;
    if (o->nargs >= 2 && strcmp(o->args[1], "residents") != 0 && !kind)
        return cli_usage_error("cli.unknown_kind", o->args[1]);
    if (o->nargs < 2 || o->nargs > 3)
        return cli_usage_error("cli.missing_arg", "export residents|households|communities|"
                                                  "visits|cases|services|referrals [FILE]");
    const char *path = o->nargs == 3 ? o->args[2] : NULL;
    export_opts eo = {.encoding = o->encoding, .unmasked = o->unmasked, .filter = o->filter,
                      .with_notes = o->with_notes};
    /* A period: dates as a form takes them (2026-1-5, 2026年1月5日). */
    char from[11] = "", to[11] = "", today[11];
    date_today(today);
    const char *period[] = {o->from, o->to};
    char *norm[] = {from, to};
    for (int i = 0; i < 2; i++)
        if (period[i] && val_date(period[i], today, false, norm[i]) != VAL_OK)
            return cli_usage_error("cli.bad_date", period[i]);
    if ((o->from || o->to) && (!kind || !kind->period))
        return cli_usage_error("cli.no_period", o->args[1]);
    eo.from = from[0] ? from : NULL;
    eo.to = to[0] ? to : NULL;
    int bad_format = cli_export_format(o, path, "export residents FILE.xlsx", &eo);
    if (bad_format)
        return bad_format;
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    cli_bar bar = {.t0 = cli_seconds(), .key = "cli.export_progress",
                   .tty = isatty(STDERR_FILENO) != 0};
    eo.progress = cli_bar_progress;
    eo.ctx = &bar;
    char err[1024];
    size_t rows = 0;
    ws_status s;
    if (path) {
        s = kind ? export_kind(st, kind, path, &eo, &rows, err, sizeof err)
                 : export_residents(st, path, &eo, &rows, err, sizeof err);
    } else {
        char *data = NULL;
        size_t len = 0;
        s = kind ? export_kind_csv(st, kind, &eo, &data, &len, &rows, err, sizeof err)
                 : export_residents_csv(st, &eo, &data, &len, &rows, err, sizeof err);
        if (s == WS_OK && fwrite(data, 1, len, stdout) != len)
            s = WS_ERR_IO;
        free(data);
    }
    if (s == WS_OK) {
        char msg[1024];
        char *p = text_sanitize(path ? path : tr("export.stdout"));
        bool masked = false; /* does the kind have anything to mask? */
        for (size_t i = 0; kind && i < kind->nfields; i++)
            masked |= (kind->fields[i].flags & (FF_MASKED | FF_LEDGER)) ==
                      (FF_MASKED | FF_LEDGER);
        if (kind)
            trf(msg, sizeof msg,
                o->unmasked ? "export.done_kind_unmasked"
                            : masked ? "export.done_kind" : "export.done_kind_plain",
                rows, tr(kind->label), p ? p : "");
        else
            trf(msg, sizeof msg, o->unmasked ? "export.done_unmasked" : "export.done", rows,
                p ? p : "");
        fprintf(path ? stdout : stderr, "%s\n", msg);
        free(p);
    } else {
        rc = cli_export_failed(s, err);
    }
    station_close(&st);
    return rc;
}

/* wushe export access-log [FILE] [--filter WORDS]: what the 审计 screen
 * shows, for the 站长. */
static int cli_cmd_export_access(const cli_opts *o, const char *db_path,
                                 const station_config *cfg)
{
    if (o->nargs > 3)
        return cli_usage_error("cli.bad_option", o->args[3]);
    const char *path = o->nargs == 3 ? o->args[2] : NULL;
    export_opts eo = {.encoding = o->encoding};
    int bad_format = cli_export_format(o, path, "export access-log FILE.xlsx", &eo);
    if (bad_format)
        return bad_format;
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    access_filter f;
    char bad[256] = "", err[1024] = "";
    ws_status s = access_filter_parse(st, o->filter, &f, bad, sizeof bad);
    if (s != WS_OK) {
        station_close(&st);
        return cli_usage_error("cli.bad_option", bad);
    }
    size_t rows = 0;
    if (path) {
        s = export_access_log(st, &f, path, &eo, &rows, err, sizeof err);
    } else {
        char *data = NULL;
        size_t len = 0;
        s = export_access_log_csv(st, &f, &eo, &data, &len, &rows, err, sizeof err);
        if (s == WS_OK && fwrite(data, 1, len, stdout) != len)
            s = WS_ERR_IO;
        free(data);
    }
    if (s == WS_OK) {
        char msg[1024];
        char *p = text_sanitize(path ? path : tr("export.stdout"));
        fprintf(path ? stdout : stderr, "%s\n",
                trf(msg, sizeof msg, "export.done_access", rows, p ? p : ""));
        free(p);
    } else {
        rc = cli_export_failed(s, err);
    }
    station_close(&st);
    return rc;
}

static int cli_console(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs)
        return cli_usage_error("cli.bad_option", o->args[0]);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error("%s", tr("cli.no_terminal"));
        return 1;
    }
    /* --demo makes its demo station; any other new file is asked for, and
     * the console then starts with the station's name and its villages. */
    bool first_start = !o->demo && cli_station_missing(db_path);
    if (first_start && !cli_confirm_create(db_path))
        return 1;
    station *st = NULL;
    /* The console logs in on its own screen; only the demo fill acts for
     * the station itself, before anyone is at the keyboard. */
    int rc = cli_open(o, db_path, STATION_CREATE | STATION_TRUSTED, cfg, &st);
    if (rc == 0 && o->demo)
        rc = cli_fill_demo(st, db_path, o->residents, false, NULL);
    if (rc == 0) {
        station_drop_trust(st);
        ui_start start = {.first_start = first_start, .demo = o->demo, .cfg = cfg};
        rc = ui_run(st, &start);
    }
    station_close(&st);
    return rc;
}

/* A command waits this long for a console's write (an import of a big
 * ledger takes seconds): a script has nobody to try again. */
#define CLI_PATIENCE_MS 120000

static void cli_say_waiting(int patience_ms)
{
    char msg[512];
    fprintf(stderr, "%s\n", trf(msg, sizeof msg, "cli.busy_waiting", patience_ms / 1000));
}

static int cli_run(cli_opts *o)
{
    char err[1024];
    struct stat sb;
    if (o->config_path && stat(o->config_path, &sb) != 0) {
        /* Named on purpose: a missing file is an error, not defaults. */
        char msg[4400];
        char *p = text_sanitize(o->config_path);
        cli_error("%s", trf(msg, sizeof msg, "cli.config_missing", p ? p : ""));
        free(p);
        return 1;
    }
    char *cfg_path = o->config_path ? strdup(o->config_path) : config_default_path();
    station_config *cfg = NULL;
    ws_status s = config_load(cfg_path, &cfg, err, sizeof err);
    free(cfg_path);
    if (s != WS_OK) {
        char msg[1200];
        cli_error("%s", trf(msg, sizeof msg, "cli.config_error", err));
        return 1;
    }
    if (!o->lang && cfg->language)
        i18n_init(cfg->language, err, sizeof err);

    char *path = NULL;
    if (o->db_path)
        path = strdup(o->db_path);
    else
        path = cli_data_path(o->demo ? "demo.db" : "station.db");
    int rc;
    const char *cmd = o->nargs ? o->args[0] : NULL;
    if (cmd)
        db_set_patience(CLI_PATIENCE_MS, cli_say_waiting);
    if (cmd && strcmp(cmd, "demo") == 0)
        rc = cli_cmd_demo(o, cfg);
    else if (cmd && strcmp(cmd, "search") == 0)
        rc = cli_cmd_search(o, path, cfg);
    else if (cmd && strcmp(cmd, "check") == 0)
        rc = cli_cmd_check(o, path, cfg);
    else if (cmd && strcmp(cmd, "reindex") == 0)
        rc = cli_cmd_reindex(o, path, cfg);
    else if (cmd && o->nargs >= 2 && cli_resources_takes(cmd, o->args[1]))
        rc = cli_cmd_resources(o, path, cfg);
    else if (cmd && strcmp(cmd, "certificate") == 0)
        rc = cli_cmd_certificate(o, path, cfg);
    else if (cmd && strcmp(cmd, "bench") == 0 && o->nargs >= 2 &&
             strcmp(o->args[1], "volunteers") == 0)
        rc = cli_cmd_bench_volunteers(o, cfg);
    else if (cmd && strcmp(cmd, "bench") == 0 && o->nargs >= 2 && strcmp(o->args[1], "orgs") == 0)
        rc = cli_cmd_bench_orgs(o, cfg);
    else if (cmd && strcmp(cmd, "bench") == 0)
        rc = cli_cmd_bench(o, cfg);
    else if (cmd && strcmp(cmd, "import") == 0 && o->nargs >= 2 &&
             strcmp(o->args[1], "attendance") == 0)
        rc = cli_cmd_import_attendance(o, path, cfg);
    else if (cmd && strcmp(cmd, "import") == 0)
        rc = cli_cmd_import(o, path, cfg);
    else if (cmd && strcmp(cmd, "export") == 0 && o->nargs >= 2 &&
             strcmp(o->args[1], "subject") == 0)
        rc = cli_cmd_subject(o, path, cfg);
    else if (cmd && strcmp(cmd, "erase") == 0)
        rc = cli_cmd_erase(o, path, cfg);
    else if (cmd && strcmp(cmd, "export") == 0 && o->nargs >= 2 &&
             strcmp(o->args[1], "hours") == 0)
        rc = cli_cmd_export_hours(o, path, cfg);
    else if (cmd && strcmp(cmd, "export") == 0)
        rc = o->nargs >= 2 && strcmp(o->args[1], "access-log") == 0
                 ? cli_cmd_export_access(o, path, cfg)
                 : cli_cmd_export(o, path, cfg);
    else if (cmd && strcmp(cmd, "backup") == 0)
        rc = cli_cmd_backup(o, path, cfg);
    else if (cmd && strcmp(cmd, "restore") == 0)
        rc = cli_cmd_restore(o, path, cfg);
    else if (cmd && strcmp(cmd, "login") == 0)
        rc = cli_cmd_login(o, path, cfg);
    else if (cmd && strcmp(cmd, "logout") == 0)
        rc = cli_cmd_logout(o, path, cfg);
    else if (cmd && strcmp(cmd, "user") == 0)
        rc = cli_cmd_user(o, path, cfg);
    else if (cmd && strcmp(cmd, "print") == 0)
        rc = cli_cmd_print(o, path, cfg);
    else
        rc = cli_console(o, path, cfg);
    free(path);
    config_free(&cfg);
    return rc;
}

int cli_main(int argc, char **argv)
{
    char err[256];
    /* Messages before the options are read are in the default language. */
    const char *lang = "zh_CN";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--lang") == 0)
            lang = argv[i + 1];
    if (i18n_init(lang, err, sizeof err) != WS_OK) {
        i18n_init("zh_CN", err, sizeof err);
        int rc = cli_usage_error("cli.bad_lang", lang);
        i18n_shutdown();
        return rc;
    }
    cli_opts o = {0};
    bool done = false;
    int rc = 0;
    int prc = cli_parse(argc, argv, &o, &done, &rc);
    if (prc)
        rc = prc;
    else if (!done)
        rc = cli_run(&o);
    text_shutdown();
    i18n_shutdown();
    return rc;
}
