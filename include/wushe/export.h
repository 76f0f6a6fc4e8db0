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
    bool with_notes;      /* a kind's FF_NOTES fields (case content): a 站长's, audited */
    const char *from, *to;/* YYYY-MM-DD: only records whose kind's period is in range */
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

/* The volunteers' hours ledger (export_hours.c): every entry, reversals
 * and corrections included, with its volunteer (PERM_EXPORT and
 * PERM_VOLUNTEER_READ; recorded in the access log). */
ws_status export_hours(station *st, const char *path, const export_opts *opts, size_t *rows,
                       char *err, size_t errsz);
ws_status export_hours_csv(station *st, const export_opts *opts, char **out, size_t *len,
                           size_t *rows, char *err, size_t errsz);

/* Column titles of an export, in the current language, in order. */
size_t export_columns(const char *const **keys);

/* The access log (审计) as a 站长 reads it, on the screen and in its
 * export. The kind of record a table holds, in words ("居民"; a ledger
 * that is no declared kind by the catalog's audit.table_NAME; the table's
 * name when unknown, "" for none). */
const char *access_table_label(const char *table);
/* The name of the record an entry is about (a resident's name, deleted
 * ones too; a declared kind's title); "" when none or gone. */
ws_status access_record_title(station *st, const char *table, int64_t row, char *out,
                              size_t outsz);
/* An entry's detail (flat JSON the model wrote) in words: "文件 ~/a.xlsx，
 * 已遮盖"; keys it does not know as "key: value". */
void access_detail_text(const char *json, char *out, size_t outsz);
/* The filter in words, joined by sep ("张建国 (zhanzhang) · 登录 ·
 * 2026-11-01 至 2026-11-30"); "" for no filter. */
void access_filter_describe(station *st, const access_filter *f, const char *sep, char *out,
                            size_t outsz);
/* Whether a date typed into the filter is one (YYYY-MM-DD, as val_date
 * reads it; normalised into out); "" stays "". */
bool access_filter_date(const char *in, char out[11]);
/* A filter from a script's words (wushe export access-log --filter
 * "zhanzhang 登录 2026-11-01..2026-11-30 residents:123"): a login, an
 * event's code or label, a day or FROM..TO (either end open), TABLE:ID.
 * WS_ERR_USAGE with the first word that is none of these in bad. */
ws_status access_filter_parse(station *st, const char *words, access_filter *f, char *bad,
                              size_t badsz);
/* Export the entries the filter shows, newest first (PERM_ACCESS_LOG):
 * time, account, event, kind of record, its number and name, rows,
 * detail. Recorded itself as an export of table "access_log". */
ws_status export_access_log(station *st, const access_filter *f, const char *path,
                            const export_opts *opts, size_t *rows, char *err, size_t errsz);
ws_status export_access_log_csv(station *st, const access_filter *f, const export_opts *opts,
                                char **out, size_t *len, size_t *rows, char *err,
                                size_t errsz);

#endif
