/* The rights of the people on the register from the command line, for
 * the 站长: `wushe export subject ID_NUMBER [FILE]`, everything held about
 * one person for an access or copy request (PIPL Art. 45), and `wushe
 * erase resident ID_NUMBER --reason TEXT [--yes]`, the erasure of their
 * personal data (Art. 47), asked on a terminal. */
#include "cli_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/privacy.h"
#include "wushe/text.h"
#include "wushe/validate.h"

/* The ID number as typed is one (any form val_id_number takes); else the
 * reason, and the exit status of a bad argument. */
static int privacy_check_id(const char *typed)
{
    char today[11];
    val_id v;
    date_today(today);
    val_status vs = val_id_number(typed, today, &v);
    if (vs == VAL_OK)
        return 0;
    char msg[512];
    cli_error("%s", trf(msg, sizeof msg, "cli.bad_id_number", tr(val_status_key(vs))));
    return EXIT_USAGE;
}

/* The copy into a new file readable by its owner only: it is one person's
 * whole record. Text for a person to read gets a BOM and CRLF line ends,
 * which Windows Notepad on an old PC needs. */
static ws_status privacy_write(const char *path, const char *data, size_t len, bool text,
                               char *err, size_t errsz)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!fp) {
        char why[256];
        trf(err, errsz, "os.write_failed", path, enc_os_error(errno, why, sizeof why));
        if (fd >= 0)
            close(fd);
        return WS_ERR_IO;
    }
    bool ok = true;
    if (text) {
        ok = fwrite("\xef\xbb\xbf", 1, 3, fp) == 3;
        for (size_t i = 0; ok && i < len; i++)
            ok = (data[i] == '\n' ? fputs("\r\n", fp) : fputc(data[i], fp)) != EOF;
    } else {
        ok = fwrite(data, 1, len, fp) == len;
    }
    int saved = errno;
    if (fclose(fp) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        char why[256];
        trf(err, errsz, "os.write_failed", path, enc_os_error(saved, why, sizeof why));
        return WS_ERR_IO;
    }
    return WS_OK;
}

int cli_cmd_subject(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs < 3 || o->nargs > 4)
        return cli_usage_error("cli.missing_arg", "export subject ID_NUMBER [FILE]");
    const char *file = o->nargs == 4 ? o->args[3] : NULL;
    subject_format fmt = SUBJECT_TEXT;
    size_t fl = file ? strlen(file) : 0;
    if (o->format && strcasecmp(o->format, "json") == 0)
        fmt = SUBJECT_JSON;
    else if (o->format && strcasecmp(o->format, "text") != 0)
        return cli_usage_error("cli.bad_option", o->format);
    else if (!o->format && fl > 5 && strcasecmp(file + fl - 5, ".json") == 0)
        fmt = SUBJECT_JSON;
    int rc = privacy_check_id(o->args[2]);
    if (rc)
        return rc;
    station *st = NULL;
    rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    char *out = NULL, msg[4400], err[4400] = "";
    size_t len = 0, records = 0;
    char *shown = text_sanitize(file ? file : "");
    ws_status s = subject_export(st, o->args[2], fmt, file, &out, &len, &records);
    if (s == WS_OK && file)
        s = privacy_write(file, out, len, fmt == SUBJECT_TEXT, err, sizeof err);
    else if (s == WS_OK && fwrite(out, 1, len, stdout) != len)
        s = WS_ERR_IO;
    if (s == WS_OK) {
        if (file)
            printf("%s\n", trf(msg, sizeof msg, "cli.subject_done", records, shown ? shown : ""));
        else
            fprintf(stderr, "%s\n", trf(msg, sizeof msg, "cli.subject_done_stdout", records));
    } else if (s == WS_ERR_NOT_FOUND) {
        char *id = text_sanitize(o->args[2]);
        cli_error("%s", trf(msg, sizeof msg, "cli.subject_not_found", id ? id : ""));
        free(id);
    } else if (err[0]) {
        char *clean = text_sanitize(err);
        cli_error("%s", clean ? clean : "");
        free(clean);
    } else {
        cli_status_error(st, s);
    }
    free(shown);
    free(out);
    station_close(&st);
    return s == WS_OK ? 0 : 1;
}

bool cli_confirm(const char *prompt_key)
{
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin, *to = tty ? tty : stderr;
    fputs(tr(prompt_key), to);
    fflush(to);
    char line[64] = "";
    bool got = fgets(line, sizeof line, in) != NULL;
    if (tty)
        fclose(tty);
    char *a = line, *e = line + strlen(line);
    while (*a == ' ' || *a == '\t')
        a++;
    while (e > a && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return got && (strcasecmp(a, "yes") == 0 || strcmp(a, "是") == 0);
}

static double privacy_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The file rewritten without what the erasure and older writes freed. */
static void privacy_compact_say(station *st)
{
    char msg[512];
    fprintf(stderr, "%s\n", tr("cli.erase_compacting"));
    double t0 = privacy_seconds();
    ws_status s = privacy_compact(st);
    if (s == WS_OK)
        printf("%s\n", trf(msg, sizeof msg, "cli.erase_compacted", privacy_seconds() - t0));
    else if (s == WS_ERR_BUSY)
        cli_error("%s", tr("cli.erase_compact_busy"));
    else
        cli_status_error(st, s);
}

static int privacy_erase_compact(const cli_opts *o, const char *db_path,
                                 const station_config *cfg)
{
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    ws_status s = station_require(st, PERM_ERASE);
    if (s != WS_OK)
        cli_status_error(st, s);
    else
        privacy_compact_say(st);
    station_close(&st);
    return s == WS_OK ? 0 : 1;
}

int cli_cmd_erase(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs == 2 && strcmp(o->args[1], "compact") == 0)
        return privacy_erase_compact(o, db_path, cfg);
    if (o->nargs != 3 || strcmp(o->args[1], "resident") != 0)
        return cli_usage_error("cli.missing_arg", "erase resident ID_NUMBER --reason TEXT");
    int rc = privacy_check_id(o->args[2]);
    if (rc)
        return rc;
    char msg[1200];
    if (privacy_reason_check(o->reason) != VAL_OK) {
        cli_error("%s", trf(msg, sizeof msg, "cli.erase_reason_needed", PRIVACY_REASON_CHARS));
        return EXIT_USAGE;
    }
    /* Nobody to ask: a script says --yes. */
    if (!o->yes && !isatty(STDIN_FILENO)) {
        cli_error("%s", tr("cli.erase_needs_yes"));
        return EXIT_USAGE;
    }
    station *st = NULL;
    rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    enum { MAX = 16 };
    privacy_match m[MAX];
    size_t n = 0;
    /* Refused before the question, not after a yes. */
    ws_status s = station_require(st, PERM_ERASE);
    if (s == WS_OK)
        s = privacy_find(st, o->args[2], m, MAX, &n, NULL);
    if (s == WS_OK && n == 0) {
        char *id = text_sanitize(o->args[2]);
        cli_error("%s", trf(msg, sizeof msg, "cli.subject_not_found", id ? id : ""));
        free(id);
        station_close(&st);
        return 1;
    }
    if (s != WS_OK) {
        cli_status_error(st, s);
        station_close(&st);
        return 1;
    }
    printf("%s\n", tr("cli.erase_intro"));
    for (size_t i = 0; i < n; i++) {
        char state[128], when[32], where[160] = "";
        if (m[i].deleted) {
            text_local_time(m[i].deleted_at, false, when, sizeof when);
            trf(state, sizeof state, "cli.erase_deleted", when);
        } else {
            snprintf(state, sizeof state, "%s", tr("cli.erase_living"));
        }
        if (m[i].household[0])
            trf(where, sizeof where, "cli.erase_in_household", m[i].household);
        char *name = text_sanitize(m[i].name);
        printf("%s\n", trf(msg, sizeof msg, "cli.erase_row", name ? name : "", state, where));
        free(name);
    }
    char *reason = text_sanitize(o->reason);
    printf("%s\n", trf(msg, sizeof msg, "cli.erase_reason", reason ? reason : ""));
    free(reason);
    fflush(stdout);
    if (!o->yes && !cli_confirm("cli.erase_prompt")) {
        puts(tr("cli.erase_cancelled"));
        station_close(&st);
        return 1;
    }
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        s = resident_erase(st, m[i].id, o->reason);
        char *name = text_sanitize(m[i].name);
        if (s == WS_OK)
            printf("%s\n", trf(msg, sizeof msg, "cli.erase_done", name ? name : ""));
        else
            cli_status_error(st, s);
        free(name);
    }
    if (s == WS_OK)
        privacy_compact_say(st);
    station_close(&st);
    return s == WS_OK ? 0 : 1;
}
