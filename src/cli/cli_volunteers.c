/* wushe export hours [FILE] [--format csv|xlsx]: the volunteers' hours
 * ledger, every entry with its reversals and corrections; wushe bench
 * volunteers. (Volunteers and activities export and import as declared
 * kinds: wushe export volunteers, wushe import volunteers FILE.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "bench.h"
#include "cli_internal.h"
#include "wushe/catalog.h"
#include "wushe/demo.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/text.h"
#include "wushe/volunteer.h"

int cli_cmd_export_hours(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs > 3)
        return cli_usage_error("cli.bad_option", o->args[3]);
    const char *path = o->nargs == 3 ? o->args[2] : NULL;
    export_opts eo = {.encoding = o->encoding};
    int bad = cli_export_format(o, path, "export hours FILE.xlsx", &eo);
    if (bad)
        return bad;
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    char err[1024];
    size_t rows = 0;
    ws_status s;
    if (path) {
        s = export_hours(st, path, &eo, &rows, err, sizeof err);
    } else {
        char *data = NULL;
        size_t len = 0;
        s = export_hours_csv(st, &eo, &data, &len, &rows, err, sizeof err);
        if (s == WS_OK && fwrite(data, 1, len, stdout) != len)
            s = WS_ERR_IO;
        free(data);
    }
    if (s == WS_OK) {
        char msg[1024];
        char *p = text_sanitize(path ? path : tr("export.stdout"));
        trf(msg, sizeof msg, "export.done_kind_plain", rows, tr("hours.ledger"), p ? p : "");
        fprintf(path ? stdout : stderr, "%s\n", msg);
        free(p);
    } else {
        rc = cli_export_failed(s, err);
    }
    station_close(&st);
    return rc;
}

/* wushe bench volunteers [--db FILE] [--queries N]: on a scratch station
 * (a demo register of 2,000 residents, then 10,000 volunteers and
 * 1,000,000 hour entries added by SQL), or on the station named, as it is. */
int cli_bench_scratch(const cli_opts *o, const station_config *cfg, cli_bench_fn run)
{
    if (o->nargs != 2)
        return cli_usage_error("cli.bad_option", o->args[2]);
    char tmpdir[] = "/tmp/wushe-bench-XXXXXX", path[4096];
    bool own = !o->db_path;
    if (own && !mkdtemp(tmpdir)) {
        cli_error("%s", tmpdir);
        return 1;
    }
    snprintf(path, sizeof path, "%s%s", own ? tmpdir : o->db_path, own ? "/bench.db" : "");
    station *st = NULL;
    int rc = cli_open(o, path, own ? STATION_CREATE | STATION_TRUSTED : 0, cfg, &st);
    ws_status s = WS_OK;
    if (rc == 0 && own) {
        demo_opts d = {.residents = o->residents ? o->residents : 2000, .seed = 2026};
        printf("filling a demo station with %zu residents\n", d.residents);
        fflush(stdout);
        s = demo_generate(st, &d);
    }
    if (rc == 0 && s == WS_OK)
        s = run(st, own, o);
    if (rc == 0 && s != WS_OK) {
        cli_status_error(st, s);
        rc = 1;
    }
    station_close(&st);
    if (own) { /* the scratch station and its folder */
        static const char *const side[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char f[4200];
            snprintf(f, sizeof f, "%s%s", path, side[i]);
            unlink(f);
        }
        rmdir(tmpdir);
    }
    return rc;
}

static ws_status cli_bench_volunteers_run(station *st, bool own, const cli_opts *o)
{
    return bench_volunteers(st, own, 10000, 1000000, o->queries, stdout);
}

int cli_cmd_bench_volunteers(const cli_opts *o, const station_config *cfg)
{
    return cli_bench_scratch(o, cfg, cli_bench_volunteers_run);
}

int cli_cmd_certificate(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 3 || strcmp(o->args[1], "verify") != 0)
        return cli_usage_error("cli.missing_arg", "certificate verify NUMBER");
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    certificate c;
    ws_status s = certificate_find(st, o->args[2], &c);
    char msg[2048], total[64], at[32];
    char *num = text_sanitize(o->args[2]);
    if (s == WS_OK) {
        hours_text(c.minutes, total, sizeof total);
        snprintf(at, sizeof at, "%s", c.issued_on);
        printf("%s\n", trf(msg, sizeof msg, "print.cert_verified", c.number, c.volunteer_name,
                           c.volunteer_number, c.from[0] ? c.from : tr("print.cert_since"), c.to,
                           total, c.issued_by, at));
    } else if (s == WS_ERR_NOT_FOUND) {
        cli_error("%s", trf(msg, sizeof msg, "print.cert_unknown", num ? num : ""));
        rc = 1;
    } else {
        cli_status_error(st, s);
        rc = 1;
    }
    free(num);
    station_close(&st);
    return rc;
}

int cli_cmd_import_attendance(const cli_opts *o, const char *db_path, const station_config *cfg)
{
    if (o->nargs != 3)
        return cli_usage_error("cli.missing_arg", "import attendance FILE");
    station *st = NULL;
    int rc = cli_open(o, db_path, 0, cfg, &st);
    if (rc)
        return rc;
    import_opts io = {.encoding = o->encoding, .sheet = o->sheet, .dry_run = o->dry_run};
    attendance_import_report rep;
    char err[1024], msg[8192];
    ws_status s = import_attendance(st, o->args[2], &io, &rep, err, sizeof err);
    if (s == WS_OK) {
        printf("%s\n", trf(msg, sizeof msg, "import.kind_done", tr("kind.attendance"), rep.rows,
                           rep.added, rep.updated, rep.unchanged, rep.invalid));
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
