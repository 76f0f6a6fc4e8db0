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
static ws_status cli_bench_orgs_run(station *st, bool own, const cli_opts *o)
{
    return bench_orgs(st, own, 5000, 20000, o->queries, stdout);
}

int cli_cmd_bench_orgs(const cli_opts *o, const station_config *cfg)
{
    return cli_bench_scratch(o, cfg, cli_bench_orgs_run);
}
