/* What an export is made of, shared by export.c's sheets (residents, the
 * declared kinds) and the access log's (export_access.c): its columns, a
 * walk over its rows, and the two ways out, each recorded in the access
 * log before a row leaves and given its row count when done. */
#ifndef WUSHE_EXPORT_INTERNAL_H
#define WUSHE_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/export.h"

#define EXPORT_MAX_COLS 24

typedef struct export_row {
    char cells[EXPORT_MAX_COLS][2100];
} export_row;

typedef ws_status (*export_emit_fn)(void *ctx, const export_row *row);

typedef struct export_sheet {
    const char *what; /* for the access log's entry: "residents", a kind's table */
    const char *name; /* the workbook's sheet, in the user's language: what it holds */
    size_t ncols;
    const char *titles[EXPORT_MAX_COLS]; /* in the user's language */
    bool text[EXPORT_MAX_COLS];          /* numbers a spreadsheet must keep as text */
    bool date[EXPORT_MAX_COLS];          /* YYYY-MM-DD cells written as dates */
    bool number[EXPORT_MAX_COLS];        /* quantities and amounts: numbers a sheet can sum */
    ws_status (*walk)(const struct export_sheet *sh, station *st, const export_opts *o,
                      export_emit_fn emit, void *ctx, size_t *rows);
    const record_kind *kind; /* the kind a kind's sheet walks */
    int fields[EXPORT_MAX_COLS];
    const void *data;        /* what another sheet's walk needs (the access log's filter) */
} export_sheet;

/* Write the sheet to path (CSV or XLSX by opts->format, atomically). */
ws_status export_sheet_file(const export_sheet *sh, station *st, const char *path,
                            const export_opts *opts, size_t *rows, char *err, size_t errsz);
/* The sheet as CSV in memory (standard output). Caller frees *out. */
ws_status export_sheet_csv(const export_sheet *sh, station *st, const export_opts *opts,
                           char **out, size_t *len, size_t *rows, char *err, size_t errsz);

#endif
