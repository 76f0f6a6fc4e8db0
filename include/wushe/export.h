/* Exporting the resident register as the bureau asks for it: CSV (UTF-8
 * with a BOM by default, so Excel and WPS open it right; GB18030 or
 * UTF-16LE on request) or XLSX (a header row, column widths that allow for
 * Chinese characters, ID numbers as text, dates as dates, a frozen
 * header). Identifiers are masked unless `unmasked` is asked for, which is
 * recorded in audit_log before a single row leaves. */
#ifndef WUSHE_EXPORT_H
#define WUSHE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/record.h"
#include "wushe/station.h"

typedef enum { EXPORT_CSV, EXPORT_XLSX } export_format;

typedef struct export_opts {
    export_format format;
    const char *encoding; /* CSV: NULL = UTF-8 with BOM; "GB18030", "UTF-16LE" (tab separated) */
    bool unmasked;        /* full ID numbers and phones (audited) */
    const char *filter;   /* as in resident_list: what a list screen shows; NULL = all */
    bool (*progress)(void *ctx, size_t done, size_t total); /* false cancels */
    void *ctx;
} export_opts;

/* The format a file name asks for: ".xlsx" -> XLSX, else CSV. */
export_format export_format_for(const char *path);

/* Write the residents to path (atomically: a temporary file, then a
 * rename). *rows (may be NULL) gets the number of residents written. */
ws_status export_residents(station *st, const char *path, const export_opts *opts,
                           size_t *rows, char *err, size_t errsz);
/* CSV into memory (for standard output). Caller frees *out. */
ws_status export_residents_csv(station *st, const export_opts *opts, char **out, size_t *len,
                               size_t *rows, char *err, size_t errsz);

/* The same for any declared kind (wushe/record.h): its ledger fields
 * (FF_LEDGER) as columns, codes as labels, references by their title,
 * masked fields masked unless unmasked (audited the same way). */
ws_status export_kind(station *st, const record_kind *k, const char *path,
                      const export_opts *opts, size_t *rows, char *err, size_t errsz);
ws_status export_kind_csv(station *st, const record_kind *k, const export_opts *opts, char **out,
                          size_t *len, size_t *rows, char *err, size_t errsz);

/* Column titles of an export, in the current language, in order. */
size_t export_columns(const char *const **keys);

#endif
