/* Excel workbooks as rows of cell text, for the ledger imports.
 *
 * .xlsx (Excel 2007+, WPS) is a zip of XML parts: read with libzip, parsed
 * with expat, the sheet streamed a row at a time (memory does not grow
 * with the sheet). .xls (Excel 97-2003) is read with libfreexl. What a
 * file is comes from its first bytes, never from its name.
 *
 * Cells come as the workbook types them: shared and inline strings as
 * written (a line break inside a cell becomes a space, so a row stays one
 * line); numbers as Excel's General format shows them: in full up to 15
 * digits, beyond that the digits are lost and the number reads like
 * 5.10902E+17 (which the ID number checks refuse, as in a CSV); cells with
 * a date format (built-in ids 14-22, 27-36, 45-47, 50-58, or a custom
 * format with y, m, d) as YYYY-MM-DD; a formula by its saved result (none
 * saved: an error naming the cell). */
#ifndef WUSHE_WORKBOOK_H
#define WUSHE_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/status.h"

/* What a file's first bytes say it is. */
typedef enum {
    BOOK_TEXT, /* anything else: a CSV or text ledger */
    BOOK_ZIP,  /* PK\3\4: an .xlsx (or another zip) */
    BOOK_OLE,  /* D0 CF 11 E0: an .xls, or an encrypted .xlsx */
} book_type;

book_type workbook_sniff(const void *head, size_t n);

/* A zip bomb's guard: no part of the workbook is read past max_part bytes
 * uncompressed, nor past max_ratio times its compressed size. */
typedef struct workbook_limits {
    uint64_t max_part;
    uint32_t max_ratio;
} workbook_limits;

#define WORKBOOK_MAX_PART ((uint64_t)512 << 20)
#define WORKBOOK_MAX_RATIO 200u

typedef struct workbook workbook;

/* Open a workbook (lim NULL: the defaults). Errors (not a workbook, a
 * password, a damaged file, a bomb) are WS_ERR_INVALID with a message in
 * err in the user's language; WS_ERR_IO when the file cannot be read. */
ws_status workbook_open(const char *path, const workbook_limits *lim, workbook **out,
                        char *err, size_t errsz);
void workbook_free(workbook **wb);

size_t workbook_sheet_count(const workbook *wb);
const char *workbook_sheet_name(const workbook *wb, size_t i);
/* Whether sheet i is hidden in Excel (an .xlsx's state="hidden" or
 * "veryHidden"; an .xls's sheets, which libfreexl does not tell, never). */
bool workbook_sheet_hidden(const workbook *wb, size_t i);
/* Choose the sheet the rows come from: by name (any sheet, hidden or not),
 * or NULL or "": the first visible one (the first when all are hidden).
 * An unknown name is WS_ERR_NOT_FOUND, err listing the sheets there are. */
ws_status workbook_select(workbook *wb, const char *name, char *err, size_t errsz);

/* One row of the sheet: cells[0..n) are NUL-terminated UTF-8, valid until
 * the next call; row is the sheet's 1-based row number (rows the sheet
 * leaves out are not returned). */
typedef struct workbook_row {
    char **cells;
    size_t n;
    size_t row;
} workbook_row;

/* Next row: WS_OK, WS_ERR_NOT_FOUND at the end, or an error with err. */
ws_status workbook_next(workbook *wb, workbook_row *row, char *err, size_t errsz);

/* The selected sheet as CSV text: UTF-8 with a BOM, comma-separated, one
 * line per sheet row (empty lines for rows the sheet leaves out, so a line
 * number is the sheet's row number). Caller frees *out. */
ws_status workbook_to_csv(workbook *wb, char **out, size_t *len, char *err, size_t errsz);

/* A ledger file's bytes as the CSV imports read them: a workbook (by its
 * content) becomes workbook_to_csv of the sheet named (NULL: the first
 * visible one);
 * any other file is read as it is. *is_book (may be NULL) says which.
 * A sheet named for a file that is no workbook is WS_ERR_USAGE. The
 * sheet read goes to sheet_read (may be NULL; "" for a text file). */
ws_status ledger_read(const char *path, const char *sheet, char **out, size_t *len,
                      char *sheet_read, size_t sheet_readsz, char *err, size_t errsz);

/* True when a file name ends in .xlsx or .xls (any case). */
bool workbook_name(const char *path);

#endif
