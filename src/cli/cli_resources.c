/* wushe export donations|stock|distributions [FILE] [--format csv|xlsx]
 * and wushe import donations|distributions FILE (issue 13). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_resources.h"
#include "cli_internal.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/print_resources.h"
#include "wushe/resources_io.h"
#include "wushe/text.h"

bool cli_resources_takes(const char *cmd, const char *what)
{
    res_sheet which;
    if (strcmp(cmd, "bench") == 0)
        return strcmp(what, "resources") == 0;
    if (strcmp(cmd, "export") == 0)
        return res_sheet_find(what, &which);
    return strcmp(cmd, "import") == 0 &&
           (strcmp(what, "donations") == 0 || strcmp(what, "distributions") == 0);
}

static int cli_res_export(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    res_sheet which;
    res_sheet_find(o->args[1], &which);
    if (o->nargs > 3)
        return cli_usage_error("cli.missing_arg",
                               "export donations|stock|distributions|notice|statement [FILE]");
    char enc[ENC_NAME_MAX];
    if (o->encoding && !enc_canonical(o->encoding, enc, sizeof enc))
        return cli_usage_error("import.bad_encoding", o->encoding);
    const char *path = o->nargs == 3 ? o->args[2] : NULL;
    export_opts eo = {.encoding = o->encoding, .unmasked = o->unmasked, .filter = o->filter};
    /* The 公示's period by --from and --to too, as `wushe print notice`. */
    char period[64];
    if (which == RES_SHEET_NOTICE && !o->filter && (o->from || o->to)) {
        snprintf(period, sizeof period, "%.20s..%.20s", o->from ? o->from : "",
                 o->to ? o->to : "");
        eo.filter = period;
    }
    int bad = cli_export_format(o, path, "export donations FILE.xlsx", &eo);
    if (bad)
        return bad;
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    char err[1024] = "";
    size_t rows = 0;
    ws_status s;
    if (path) {
        s = res_export(st, which, path, &eo, &rows, err, sizeof err);
    } else {
        char *data = NULL;
        size_t len = 0;
        s = res_export_csv(st, which, &eo, &data, &len, &rows, err, sizeof err);
        if (s == WS_OK && fwrite(data, 1, len, stdout) != len)
            s = WS_ERR_IO;
        free(data);
    }
    if (s == WS_OK) {
        static const char *const what[] = {"res.x_sheet_donations", "res.x_sheet_stock",
                                           "res.x_sheet_distributions", "res.x_sheet_notice",
                                           "res.x_sheet_statement"};
        char msg[1024];
        char *p = text_sanitize(path ? path : tr("export.stdout"));
        fprintf(path ? stdout : stderr, "%s\n",
                trf(msg, sizeof msg, "export.done_kind_plain", rows, tr(what[which]),
                    p ? p : ""));
        free(p);
    } else {
        rc = cli_export_failed(s, err);
    }
    station_close(&st);
    return rc;
}

static int cli_res_import(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 3)
        return cli_usage_error("cli.missing_arg", "import donations|distributions FILE");
    char enc[ENC_NAME_MAX];
    if (o->encoding && !enc_canonical(o->encoding, enc, sizeof enc))
        return cli_usage_error("import.bad_encoding", o->encoding);
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    bool donations = strcmp(o->args[1], "donations") == 0;
    import_opts io = {.encoding = o->encoding, .sheet = o->sheet, .dry_run = o->dry_run};
    res_import_report rep;
    char err[1024] = "", msg[8192];
    ws_status s = donations ? res_import_donations(st, o->args[2], &io, &rep, err, sizeof err)
                            : res_import_distributions(st, o->args[2], &io, &rep, err, sizeof err);
    if (s == WS_OK) {
        printf("%s\n", trf(msg, sizeof msg, donations ? "res.import_done_donations"
                                                      : "res.import_done_distributions",
                           rep.rows, rep.written, rep.invalid, rep.donations));
        char cols[2048] = "";
        for (size_t i = 0, used = 0; i < rep.nskipped_cols && used < sizeof cols; i++)
            used += (size_t)snprintf(cols + used, sizeof cols - used, "%s%s",
                                     i ? tr("import.names_sep") : "", rep.skipped_cols[i]);
        if (cols[0]) {
            char *clean = text_sanitize(cols);
            printf("%s\n", trf(msg, sizeof msg, "import.kind_not_imported", clean ? clean : ""));
            free(clean);
        }
        if (rep.posted)
            printf("%s\n", trf(msg, sizeof msg, "res.import_posted", rep.posted));
        /* Each bad row's reason: a dry run writes no error file. */
        for (size_t i = 0; i < rep.nbad; i++) {
            char *why = text_sanitize(rep.bad[i].why);
            printf("%s\n", trf(msg, sizeof msg, "res.import_bad_line", rep.bad[i].line,
                               why ? why : ""));
            free(why);
        }
        if (rep.invalid > rep.nbad)
            printf("%s\n", trf(msg, sizeof msg, "import.more_notes", rep.invalid - rep.nbad));
        if (rep.unchanged)
            printf("%s\n", trf(msg, sizeof msg, "res.import_unchanged", rep.unchanged));
        if (o->dry_run)
            printf("%s\n", tr("res.import_dry"));
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

/* wushe bench resources: a scratch station of its own, removed after. */
static int cli_res_bench(const cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    char dir[] = "/tmp/wushe-bench-res-XXXXXX";
    if (!mkdtemp(dir)) {
        cli_error("%s", tr("status.io"));
        return 1;
    }
    char path[64], side[80];
    snprintf(path, sizeof path, "%s/bench.db", dir);
    size_t donations = o->residents ? o->residents : 100000;
    ws_status s = bench_resources(path, donations, donations * 10, stdout);
    const char *tails[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, tails[i]);
        remove(side);
    }
    rmdir(dir);
    if (s != WS_OK)
        cli_error("%s", tr(ws_status_key(s)));
    return s == WS_OK ? 0 : 1;
}

int cli_cmd_resources(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (strcmp(o->args[0], "bench") == 0)
        return cli_res_bench(o);
    return strcmp(o->args[0], "export") == 0 ? cli_res_export(o, path, cfg)
                                             : cli_res_import(o, path, cfg);
}

ws_status cli_print_distribution(station *st, const char *arg, const char *out, int *pages,
                                 char *err, size_t errsz)
{
    record_row rows[8];
    size_t n = 0;
    int64_t id = 0;
    ws_status s = record_list(st, &kind_distribution, arg, false, 0, 1, rows, 8, &n);
    for (size_t i = 0; s == WS_OK && i < n && !id; i++)
        if (strcmp(rows[i].cells[0], arg) == 0)
            id = rows[i].id;
    if (s == WS_OK && !id) {
        char *clean = text_sanitize(arg);
        trf(err, errsz, "res.print_no_dist", clean ? clean : "");
        free(clean);
        return WS_ERR_NOT_FOUND;
    }
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    return print_distribution(st, id, out, pages, err, errsz);
}

ws_status cli_print_notice(station *st, const cli_opts *o, const char *arg, const char *out,
                           int *pages, char *err, size_t errsz)
{
    char from[11], to[11], period[64];
    /* --from and --to, as every period of the command line, or FROM..TO. */
    if (!*arg) {
        snprintf(period, sizeof period, "%.20s..%.20s", o->from ? o->from : "",
                 o->to ? o->to : "");
        arg = period;
    }
    if (!res_period_parse(arg, from, to)) {
        char *clean = text_sanitize(arg);
        trf(err, errsz, "res.x_bad_period", clean ? clean : "");
        free(clean);
        return WS_ERR_USAGE;
    }
    return print_notice(st, from, to, out, pages, err, errsz);
}
