/* Official paper: A4 PDF documents through cairo and pango.
 *
 * A document is recorded block by block (headings, paragraphs, field
 * blocks, tables, signature lines, a tear-off line) and rendered when it
 * is written, in two passes: the first counts the pages, the second draws
 * them with "第 N 页 共 M 页". Every page has a header with the station's
 * name and the document's title; tables that continue onto another page
 * repeat their header row; long text breaks between lines, across pages.
 *
 * All text is printed literally (never pango markup): a name holding
 * "<b>&" prints those characters, control characters print as their
 * visible pictures (␛), invalid UTF-8 as U+FFFD. Strings are copied.
 *
 * The font is the first of "WenQuanYi Micro Hei", "Noto Sans CJK SC", ...
 * that fontconfig finds, else any font with Chinese characters; without
 * one, print_doc_write fails with a message naming the packages. Out of
 * memory while recording is fatal (the design's one fatal error). */
#ifndef WUSHE_PRINT_H
#define WUSHE_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/station.h"
#include "wushe/status.h"

typedef struct print_doc print_doc;

typedef enum { PRINT_PORTRAIT, PRINT_LANDSCAPE } print_orientation;

typedef struct print_setup {
    const char *station;   /* every page's header, left: the station's name */
    const char *title;     /* page 1 large and centred; every header, right */
    const char *note;      /* under the title on page 1 (NULL: none), e.g. the
                              print date and who printed */
    print_orientation orientation;
} print_setup;

print_doc *print_doc_new(const print_setup *setup);
/* A document of the station's paper: its name in the header, the title,
 * and under it who printed it, by name as the clerks know each other (not
 * the login), and today's date, then `extra` ("" or NULL: none). */
print_doc *print_station_doc(station *st, const char *title, const char *extra,
                             print_orientation orientation);
void print_doc_free(print_doc **doc);

/* A section heading; kept with at least two lines of what follows. */
void print_heading(print_doc *doc, const char *text);
/* Multi-line text wrapped to the line ("\n" starts a new line). */
void print_paragraph(print_doc *doc, const char *text);
/* Vertical space in millimetres. */
void print_space(print_doc *doc, double mm);
void print_page_break(print_doc *doc);

/* Label/value blocks in a ruled grid: columns 2 (one field a row: 姓名 |
 * 张三) or 4 (two a row: 姓名 | 张三 | 性别 | 男). A wide field takes a
 * whole row. Values wrap; a NULL or empty value prints as an empty cell. */
typedef struct print_field {
    const char *label;
    const char *value;
    bool wide;
} print_field;
void print_fields(print_doc *doc, int columns, const print_field *fields, size_t n);

typedef enum { PRINT_LEFT, PRINT_CENTER, PRINT_RIGHT } print_align;

/* A table column. width > 1: that many Chinese characters (of the body
 * font) plus the cell's padding; 0 < width <= 1: that fraction of the
 * line; 0: an equal share of what the others leave. */
typedef struct print_column {
    const char *label;
    double width;
    print_align align;
} print_column;

/* Start a table; its rows follow (print_row, print_blank_rows) until any
 * other block. Rows grow with their text and are at least min_row_mm high
 * (0: one line); the header row repeats on every page the table reaches. */
void print_table(print_doc *doc, const print_column *cols, size_t ncols, double min_row_mm);
/* One row: ncols cells of the current table (a NULL cell is empty). */
void print_row(print_doc *doc, const char *const *cells);
/* n empty rows to write or sign in (签到表). */
void print_blank_rows(print_doc *doc, size_t n);

/* Signature lines on one line, each "LABEL：________" ("社工签名",
 * "日期"); more than fit go on further lines. */
void print_signatures(print_doc *doc, const char *const *labels, size_t n);
/* A dashed line across the page with ✂ and a label (回执) for a receipt
 * to be cut off below it; starts a new page when less than a third of one
 * is left, so the receipt stays whole. */
void print_tear_off(print_doc *doc, const char *label);

/* Render and write the PDF atomically (a temporary file beside path,
 * fsync, rename; mode 0600). pages (may be NULL) gets the page count. On
 * failure nothing is left at path, err has a message in the user's
 * language (no font, disk full, no permission, ...) and the status is
 * WS_ERR_NOT_FOUND (no Chinese font), WS_ERR_FULL or WS_ERR_IO. */
ws_status print_doc_write(print_doc *doc, const char *path, int *pages, char *err,
                          size_t errsz);
/* The same into memory (caller frees *data). */
ws_status print_doc_pdf(print_doc *doc, char **data, size_t *len, int *pages, char *err,
                        size_t errsz);

/* The font family print_doc_write will use ("" when none): for messages
 * and tests. */
void print_font_family(char *out, size_t outsz);

/* Record a print in the access log (EV_PRINT) before it is made: what
 * (the printable kind: "resident"), the table and row printed, the file
 * (may be NULL) and whether identifiers were masked. A print that cannot
 * be recorded must not be made. */
ws_status print_log(station *st, const char *what, const char *table, int64_t row,
                    const char *path, bool masked);

/* ---- the register's paper (print_register.c) ----
 * Each checks PERM_EXPORT and the kind's read permission, prints
 * identifiers as the role sees them in a form (masked without
 * PERM_IDS_FULL), records the print (print_log) and writes path. err gets
 * a message in the user's language on failure. */

/* 居民信息表: the resident's fields, statuses, household and its members,
 * signature lines. */
ws_status print_resident(station *st, int64_t id, const char *path, int *pages, char *err,
                         size_t errsz);
/* 户卡: the household's fields and its members, signature lines. */
ws_status print_household(station *st, int64_t id, const char *path, int *pages, char *err,
                          size_t errsz);
/* A living resident by ID number (x or X) or else by row id;
 * a household by its number. WS_ERR_NOT_FOUND when none. */
ws_status print_find_resident(station *st, const char *key, int64_t *id);

/* ---- casework's paper (print_case.c) ---- */

/* The fields of a declared record as a 4-column block, formatted as the
 * form shows them (identifiers masked when `masked`). */
struct record_kind;
void print_record_fields(station *st, print_doc *doc, const struct record_kind *k,
                         const void *rec, const int *fields, size_t n, bool masked);
/* 个案档案: every stage, needs, goals, service records, outcomes, closure,
 * referrals, transitions, signature lines for the worker and the 站长.
 * The case's own permissions and scope apply (a 社工's own cases). */
ws_status print_case(station *st, int64_t id, const char *path, int *pages, char *err,
                     size_t errsz);
/* 转介单 with a tear-off 回执 for the receiving agency. */
ws_status print_referral(station *st, int64_t id, const char *path, int *pages, char *err,
                         size_t errsz);
/* A case by its number (510902105-2026-0007) or row id. */
ws_status print_find_case(station *st, const char *key, int64_t *id);
ws_status print_find_household(station *st, const char *number, int64_t *id);

/* ---- volunteers' paper (print_volunteers.c) ---- */

/* 签到表 of a session: its activity, the volunteers (number, columns to
 * sign in and out) and the residents expected (phones masked), blank rows
 * for others, the recorder's signature. */
ws_status print_signin(station *st, int64_t session_id, const char *path, int *pages, char *err,
                       size_t errsz);
/* A session by "活动名称@YYYY-MM-DD" (that day's first) or by row id. */
ws_status print_find_session(station *st, const char *key, int64_t *id);
/* 志愿服务记录证明 of a volunteer's confirmed service in [from, to] (from
 * "": since registration; to "": today), registered (certificate_issue: a
 * reprint keeps its number); number (may be NULL) gets it. A period without
 * hours is refused with the reason in err. */
ws_status print_certificate(station *st, int64_t volunteer_id, const char *from, const char *to,
                            const char *path, int *pages, char *number, size_t numbersz,
                            char *err, size_t errsz);

/* ---- social organisations' paper (print_orgs.c) ---- */
/* A project's closing sheet (结项): its fields, indicators target against
 * actual, the activities held, money received and spent, the evaluation,
 * signature lines. PERM_EXPORT and the project's read permission. */
ws_status print_project(station *st, int64_t id, const char *path, int *pages, char *err,
                        size_t errsz);

#endif
