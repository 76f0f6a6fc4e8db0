/* The command line of social organisations and projects (issue 16):
 * wushe print project NUMBER (in cli_print.c's table) and wushe bench
 * orgs. Exports and imports
 * of organisations and projects are the declared kinds' own (cli.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli_internal.h"
#include "wushe/demo.h"
#include "wushe/catalog.h"
#include "wushe/orgs.h"
#include "wushe/print.h"
#include "wushe/text.h"

ws_status cli_print_project(station *st, const char *arg, const char *out, int *pages,
                            char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = project_find_number(st, arg, &id);
    if (s == WS_ERR_NOT_FOUND) {
        char *clean = text_sanitize(arg);
        trf(err, errsz, "print.project_not_found", clean ? clean : "");
        free(clean);
        return s;
    }
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    return print_project(st, id, out, pages, err, errsz);
}

/* wushe bench orgs: on a scratch demo station filled to county scale
 * (5,000 organisations, 20,000 projects), or on --db FILE as it is. */
int cli_cmd_bench_orgs(const cli_opts *o, const station_config *cfg)
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
        s = bench_orgs(st, own, 5000, 20000, o->queries, stdout);
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
