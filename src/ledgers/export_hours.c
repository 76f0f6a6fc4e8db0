/* The hours ledger as a sheet (wushe export hours): every entry, newest
 * first, with its volunteer, what it was for, its minutes (negative in a
 * reversal), its kind, the entry it corrects and why, who recorded and who
 * confirmed it. Recorded in the access log as an export of hour_entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "wushe/catalog.h"
#include "wushe/volunteer.h"

enum { XH_NUMBER, XH_NAME, XH_DATE, XH_WHAT, XH_MINUTES, XH_KIND, XH_ID, XH_CORRECTS,
       XH_REASON, XH_RECORDED, XH_CONFIRMED, XH_COUNT };

static const char *const hours_export_keys[XH_COUNT] = {
    "field.volunteer_number", "field.name",        "hours.col_date",   "hours.col_what",
    "hours.x_minutes",        "hours.col_kind",    "hours.x_id",       "hours.x_corrects",
    "hours.col_reason",       "hours.x_recorded",  "hours.col_confirmed",
};

static void hours_export_fill(const hour_entry *e, export_row *row)
{
    size_t sz = sizeof row->cells[0];
    for (int c = 0; c < XH_COUNT; c++)
        row->cells[c][0] = '\0';
    snprintf(row->cells[XH_NUMBER], sz, "%s", e->volunteer_number);
    snprintf(row->cells[XH_NAME], sz, "%s", e->volunteer_name);
    snprintf(row->cells[XH_DATE], sz, "%s", e->date);
    snprintf(row->cells[XH_WHAT], sz, "%s", e->description);
    snprintf(row->cells[XH_MINUTES], sz, "%lld", (long long)e->minutes);
    char key[32];
    snprintf(key, sizeof key, "hours.kind_%s", e->kind);
    snprintf(row->cells[XH_KIND], sz, "%s", tr(key));
    snprintf(row->cells[XH_ID], sz, "%lld", (long long)e->id);
    if (e->corrects_id)
        snprintf(row->cells[XH_CORRECTS], sz, "%lld", (long long)e->corrects_id);
    snprintf(row->cells[XH_REASON], sz, "%s", e->reason);
    snprintf(row->cells[XH_RECORDED], sz, "%s", e->recorded_by);
    snprintf(row->cells[XH_CONFIRMED], sz, "%s", e->confirmed_by[0] ? e->confirmed_by
                                                                    : tr("hours.pending"));
}

static ws_status hours_export_walk(const export_sheet *sh, station *st, const export_opts *o,
                                   export_emit_fn emit, void *ctx, size_t *rows)
{
    (void)sh;
    enum { PAGE = 256 };
    hour_entry *page = calloc(PAGE, sizeof *page);
    export_row *row = malloc(sizeof *row);
    ws_status s = page && row ? WS_OK : WS_ERR_NOMEM;
    int64_t before = 0;
    size_t n = 0, done = 0;
    while (s == WS_OK) {
        s = hours_list(st, 0, before, page, PAGE, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            hours_export_fill(&page[i], row);
            s = emit(ctx, row);
            done++;
            if (s == WS_OK && o->progress && done % 256 == 0 &&
                !o->progress(o->ctx, done, done + 1))
                s = WS_ERR_INVALID;
        }
        if (s != WS_OK || n < PAGE)
            break;
        before = page[n - 1].id;
    }
    if (s == WS_OK && o->progress)
        o->progress(o->ctx, done, done);
    free(page);
    free(row);
    if (rows)
        *rows = done;
    return s;
}

static ws_status hours_export_sheet(station *st, export_sheet *sh, char *err, size_t errsz)
{
    ws_status s = station_require(st, PERM_EXPORT);
    if (s == WS_OK)
        s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    memset(sh, 0, sizeof *sh);
    sh->what = "hour_entries";
    sh->name = tr("export.sheet_hours");
    sh->number[XH_MINUTES] = true;
    sh->ncols = XH_COUNT;
    for (int i = 0; i < XH_COUNT; i++)
        sh->titles[i] = tr(hours_export_keys[i]);
    sh->text[XH_NUMBER] = sh->text[XH_ID] = sh->text[XH_CORRECTS] = true;
    sh->date[XH_DATE] = true;
    sh->walk = hours_export_walk;
    return WS_OK;
}

ws_status export_hours(station *st, const char *path, const export_opts *opts, size_t *rows,
                       char *err, size_t errsz)
{
    if (rows)
        *rows = 0;
    err[0] = '\0';
    export_sheet sh;
    ws_status s = hours_export_sheet(st, &sh, err, errsz);
    export_opts o = *opts;
    o.unmasked = false; /* nothing in it is masked */
    return s == WS_OK ? export_sheet_file(&sh, st, path, &o, rows, err, errsz) : s;
}

ws_status export_hours_csv(station *st, const export_opts *opts, char **out, size_t *len,
                           size_t *rows, char *err, size_t errsz)
{
    *out = NULL;
    *len = 0;
    if (rows)
        *rows = 0;
    err[0] = '\0';
    export_sheet sh;
    ws_status s = hours_export_sheet(st, &sh, err, errsz);
    export_opts o = *opts;
    o.unmasked = false;
    return s == WS_OK ? export_sheet_csv(&sh, st, &o, out, len, rows, err, errsz) : s;
}
