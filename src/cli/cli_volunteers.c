/* wushe export hours [FILE] [--format csv|xlsx]: the volunteers' hours
 * ledger, every entry with its reversals and corrections. (Volunteers and
 * activities export and import as declared kinds: wushe export volunteers,
 * wushe import volunteers FILE.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "wushe/catalog.h"
#include "wushe/export.h"
#include "wushe/text.h"

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
