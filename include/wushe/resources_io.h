/* Charitable resources in and out as ledgers (issue 13): exports of the
 * donations (one row a line), the stock (one row a batch) and the
 * distributions (one row a recipient), CSV or XLSX through the export
 * machinery (recorded in the access log); imports of a donations ledger
 * and of a 发放花名册, one transaction each, bad rows to the error file
 * beside the ledger with the reason. */
#ifndef WUSHE_RESOURCES_IO_H
#define WUSHE_RESOURCES_IO_H

#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/resources.h"

typedef enum {
    RES_SHEET_DONATIONS,
    RES_SHEET_STOCK,
    RES_SHEET_DISTRIBUTIONS,
    RES_SHEET_NOTICE, /* 公示: opts->filter "FROM..TO" (YYYY-MM-DD, either end open) */
    RES_SHEET_STATEMENT, /* a donor's statement: opts->filter the donor's name */
} res_sheet;

/* The sheet a name asks for ("donations", "stock", "distributions",
 * "notice", "statement"); false
 * when none. */
bool res_sheet_find(const char *name, res_sheet *out);
ws_status res_export(station *st, res_sheet which, const char *path, const export_opts *opts,
                     size_t *rows, char *err, size_t errsz);
ws_status res_export_csv(station *st, res_sheet which, const export_opts *opts, char **out,
                         size_t *len, size_t *rows, char *err, size_t errsz);

/* A period "FROM..TO", "FROM..", "..TO" or one day into YYYY-MM-DD
 * (either "" when open); false when not dates. */
bool res_period_parse(const char *text, char from[11], char to[11]);

/* What an import did. */
#define RES_IMPORT_BAD_MAX 50
#define RES_IMPORT_MAX_SKIPPED 16
typedef struct res_import_report {
    size_t rows, written, invalid, skipped;
    char skipped_cols[RES_IMPORT_MAX_SKIPPED][64]; /* the header's columns not imported */
    size_t nskipped_cols;
    size_t donations;      /* donations made (rows of one 登记号, or one date and donor) */
    size_t posted;         /* rows whose line was already posted: skipped, unwritten */
    size_t unchanged;      /* rows that say what is registered: unwritten */
    char error_path[4096]; /* the error file, when rows were invalid */
    char error_trouble[4352]; /* as kind_import_report's */
    char error_old[4096], error_kept[4096];
    /* The first invalid rows with their reasons (a dry run writes no
     * error file): the line where the row starts. */
    struct res_import_bad {
        size_t line;
        char why[512];
    } bad[RES_IMPORT_BAD_MAX];
    size_t nbad;
} res_import_report;

/* A donations ledger: 日期, 捐赠人 (made when new: an individual not named
 * in public), 用途, and per row either 金额 into 资金 or 物资 (by its name),
 * 数量, 单位 (checked against the item's), 单价, 批次, 有效期至; rows with
 * the same 登记号 (or, without one, the same date and donor) are one
 * donation. Numbers as Excel writes them (1,000.00, ￥200, 200元) are read
 * as the number. */
ws_status res_import_donations(station *st, const char *path, const import_opts *opts,
                               res_import_report *rep, char *err, size_t errsz);
/* A 发放花名册: 发放名称 (a distribution that exists, with its items per
 * household set; spaces in the name do not count), 身份证号 or 姓名 (a
 * resident; their household is the recipient), 签领 (是/已签领, 否/未领,
 * or the name of who collected), optionally 签领日期 (the day the person
 * signed; else the distribution's) and 物资 and 数量, which must be the
 * distribution's. A row
 * the stock cannot cover goes to the error file with the reason. */
ws_status res_import_distributions(station *st, const char *path, const import_opts *opts,
                                   res_import_report *rep, char *err, size_t errsz);

#endif
