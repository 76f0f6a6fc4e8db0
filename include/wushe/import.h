/* Importing a station's resident ledger (台账) from CSV/TSV as Excel and WPS
 * write it on Chinese Windows.
 *
 * The file's encoding is detected (or forced), its delimiter sniffed, and
 * its header row found among the first lines and mapped to fields by
 * Chinese or English column names. Every row goes through the resident
 * form's validation and is classified:
 *
 *   new        no resident with its ID number (or, without one, its name
 *              and household, birth date or phone) is registered, nor a
 *              possible duplicate: inserted
 *   update     same ID number (or, without one, same name and household,
 *              birth date or phone; a namesake without an ID number in the
 *              row's household): the row's non-empty fields are written
 *              over the resident's
 *   unchanged  the same, with nothing new: nothing is written (also a row
 *              without an ID number whose every value a namesake has)
 *   duplicate  a possible duplicate: same name pinyin (of the folded name)
 *              plus same birth date or phone as a registered resident
 *              (张伟 / 章伟 / 張偉), even with another ID number, or, for a
 *              row without an ID number, a namesake that nothing tells
 *              apart; or a row whose ID number is registered to a name
 *              that is neither the same folded, nor of the same reading,
 *              nor one character apart (a shifted column, not a rename);
 *              kept in import_pending for a clerk to merge, keep both or
 *              skip
 *   in-file    the same person as an earlier row of the file, with nothing
 *              new: skipped
 *   invalid    the row is written to an error file beside the input, in
 *              the input's encoding and columns plus a reason column
 *              (also: the ID number of someone in the 回收站; a 户主 taken
 *              out of a household left with members but no head)
 *
 * Accepted rows, new communities and households, pending duplicates and
 * their audit rows are written in one transaction: an interrupted import
 * leaves the database as it was; importing the same file again changes
 * nothing. A dry run does all of it and rolls back. */
#ifndef WUSHE_IMPORT_H
#define WUSHE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/encoding.h"
#include "wushe/resident.h"
#include "wushe/record.h"
#include "wushe/station.h"

typedef enum {
    IMP_NONE,      /* not recognised: reported, not imported */
    IMP_NAME,
    IMP_SEX,
    IMP_ID_NUMBER,
    IMP_BIRTH_DATE,
    IMP_PHONE,
    IMP_ETHNICITY,
    IMP_COMMUNITY,
    IMP_HOUSEHOLD,
    IMP_RELATION,
    IMP_ADDRESS,
    IMP_GROUPS,
    IMP_DISABILITY_TYPE,  /* of the 残疾 status (added when missing) */
    IMP_DISABILITY_GRADE,
    IMP_DISABILITY_CERT,  /* 残疾证号 */
    IMP_NOTES,
    IMP_SKIP,      /* known, deliberately not imported (序号, 年龄, 错误原因) */
    IMP_FIELD_COUNT
} import_field;

/* Catalog key of a field's name ("field.name", ...). */
const char *import_field_key(import_field f);
/* The field a column header stands for (IMP_NONE when unknown). */
import_field import_header_field(const char *header);

typedef enum {
    IMPORT_NEW,
    IMPORT_UPDATE,
    IMPORT_UNCHANGED,
    IMPORT_DUPLICATE,
    IMPORT_INFILE,
    IMPORT_INVALID,
    IMPORT_CLASS_COUNT
} import_class;

#define IMPORT_MAX_COLS 64
#define IMPORT_MAX_CREATED 32

typedef struct import_column {
    char header[96];     /* as in the file (not sanitised) */
    import_field field;
    bool repeated;       /* a second column for a field: not imported */
} import_column;

/* What happened to one row, for previews and logs (sanitised text,
 * identifiers masked). */
typedef struct import_note {
    import_class cls;
    size_t line;
    char name[96];       /* at most 24 columns */
    char *text;          /* new: what the row registers; update: the changes;
                            duplicate: the registered one; invalid: why
                            (owned by the report, never NULL) */
} import_note;

/* Why a row below the header is not a person: skipped and reported, not
 * imported and not an error. */
typedef enum {
    IMPORT_SKIP_TOTAL,  /* 合计, 小计, 总计, 共计, "共 4 人" */
    IMPORT_SKIP_FOOTER, /* 制表人：, 填表日期：, 审核人：, 注：, 以下空白 */
    IMPORT_SKIP_TITLE,  /* one cell naming the table: ...花名册, ...台账 */
    IMPORT_SKIP_HEADER, /* the header again (two tables in one file) */
    IMPORT_SKIP_REASON_COUNT
} import_skip_reason;

/* Catalog key of a reason ("import.skip_total", ...). */
const char *import_skip_key(import_skip_reason r);

typedef struct import_skip {
    size_t line;
    import_skip_reason reason;
    char text[160];      /* the row's non-empty cells, sanitised, at most 40 columns */
} import_skip;

typedef struct import_report {
    enc_info enc;
    char sheet[256];     /* a workbook's sheet read ("" for a text file) */
    char delim;
    size_t header_line;
    size_t ncols;
    import_column cols[IMPORT_MAX_COLS];
    size_t rows;         /* data rows below the header (blank ones not counted) */
    size_t blank;        /* empty lines skipped */
    size_t bad_bytes;    /* bytes not valid in the encoding */
    size_t counts[IMPORT_CLASS_COUNT];
    size_t new_communities, new_households;
    char created[IMPORT_MAX_CREATED][64]; /* names of new communities */
    size_t ncreated;
    /* Every updated, possible duplicate, repeated and invalid row (and
     * every new one with import_opts.list_new), in file order within a
     * pass: none is left out. nnotes < the counts only when memory ran
     * out (notes_lost says how many). */
    import_note *notes;
    size_t nnotes, capnotes, notes_lost;
    /* Summary and title rows below the header: counted in rows, in no
     * class; every one listed (skips_lost as notes_lost). */
    size_t skipped;
    import_skip *skips;
    size_t nskips, capskips, skips_lost;
    char error_path[4096]; /* error file written ("" when none) */
    /* The error file could not be written beside the ledger (a
     * write-protected USB stick): why, in the clerk's words ("" when it
     * was). error_path is then where it went instead (the home folder, or
     * the station's data folder), or "" when no folder took it: the rows
     * are imported all the same, the invalid ones listed in the notes. */
    char error_trouble[4352];
    /* An error file of an earlier run where this run's goes: differing
     * from this run's (or this run had none), it was renamed error_kept
     * ("" when it could not be: it is still there, out of date). */
    char error_old[4096], error_kept[4096];
    /* Rows whose phone cell held two numbers: the second went to the
     * notes (另一电话：…). */
    size_t other_phones;
    /* No header row was found (the error says in which encoding the file
     * was read: a wrong one is the usual cause), for the front end to say
     * how to choose another. */
    bool header_missing;
    bool dry_run;
    bool cancelled;      /* the progress callback asked to stop: nothing written */
    double seconds;
} import_report;

typedef struct import_opts {
    const char *encoding; /* NULL or "": detect; else see enc_canonical
                             (another name is WS_ERR_USAGE) */
    const char *sheet;    /* a workbook's sheet by name (NULL or "": the
                             first); a workbook is known by its content and
                             read as UTF-8 whatever encoding says */
    bool dry_run;         /* classify and roll back; no error file */
    bool list_new;        /* a note for each new row too (the console's
                             preview lists them; a script wants the rest) */
    /* Called every few hundred rows; return false to cancel. */
    bool (*progress)(void *ctx, size_t done, size_t total);
    /* Called once the header is mapped and the rows counted, before
     * anything is written (rep has the encoding, columns and row count). */
    void (*mapped)(void *ctx, const struct import_report *rep);
    /* import_kind: each updated, repeated and invalid row as it is met
     * (text: the changes, or why; sanitised by the caller). */
    void (*row_note)(void *ctx, import_class cls, size_t line, const char *name,
                     const char *text);
    void *ctx;
} import_opts;

/* Import residents from a CSV/TSV file. Problems with the file as a whole
 * (unreadable, unknown encoding, no header row, no 姓名 column) are an
 * error with a message in err; problems with rows are counted in rep. */
ws_status import_residents(station *st, const char *path, const import_opts *opts,
                           import_report *rep, char *err, size_t errsz);
/* The same from a buffer; `name` is the source recorded for pending rows,
 * error_path where an error file goes (NULL: none). */
ws_status import_residents_buf(station *st, const char *name, const char *buf, size_t len,
                               const char *error_path, const import_opts *opts,
                               import_report *rep, char *err, size_t errsz);
void import_report_free(import_report *rep);
/* Where the error file of `path` goes: beside it, "<stem>_错误行.<ext>". */
void import_error_path(const char *path, char *out, size_t outsz);
/* What a front end says of an earlier error file an import found where
 * its own goes (the report's error_old, error_kept; path and trouble as
 * the report's): renamed aside as it differed, or out of date as this run
 * had no errors. NULL when there is nothing to say. */
const char *import_errors_earlier_said(const char *path, const char *trouble, const char *old,
                                       const char *kept, char *out, size_t outsz);

/* ---- possible duplicates waiting for review ---- */

typedef struct import_person {
    char name[192];
    int sex;
    char birth_date[16];
    char id_number[24];
    char phone[40];
    char community[128];
    char address[512];
} import_person;

typedef struct import_pending_item {
    int64_t id;
    char source[256];
    int64_t line;
    int64_t candidate_id;
    import_person incoming;  /* the row of the file */
    import_person candidate; /* the registered resident (now; ID number, birth
                                date and phone masked for a role without
                                PERM_IDS_FULL, as the comparison shows them) */
    bool merged;             /* merged into the candidate (import_review_list only) */
    char merged_at[32];      /* ISO 8601 UTC */
    char merged_by[64];
} import_pending_item;

ws_status import_pending_count(station *st, int64_t *n);
/* Paging by id, as resident_list (dir < 0: backward, nearest first). */
ws_status import_pending_list(station *st, int64_t after, int dir, import_pending_item *items,
                              size_t max, size_t *n);
/* The review's list: the rows waiting and the merges that stand (which can
 * be undone), in import order, paged by id like import_pending_list.
 * filter (NULL/"": all) matches either name, or the registered one's
 * pinyin or initials. */
ws_status import_review_list(station *st, const char *filter, int64_t after, int dir,
                             import_pending_item *items, size_t max, size_t *n);

typedef enum { IMPORT_MERGE, IMPORT_KEEP_BOTH, IMPORT_SKIP } import_resolution;

/* Merge: the default plan of import_merge_load (the registered identity
 * kept, blanks filled, statuses added), as import_merge_apply writes it.
 * Keep both: the row is registered as a new resident. Skip: the row is
 * dropped. One transaction; *resident_id (may be NULL) gets the resident
 * written. WS_ERR_INVALID with *fe when the result does not validate. */
ws_status import_pending_resolve(station *st, int64_t pending_id, import_resolution how,
                                 int64_t *resident_id, field_error *fe);

/* ---- merging a row into the registered resident, field by field ---- */

typedef enum {
    MERGE_NAME,
    MERGE_ID_NUMBER,
    MERGE_SEX,
    MERGE_BIRTH_DATE,
    MERGE_PHONE,
    MERGE_ETHNICITY,
    MERGE_COMMUNITY,
    MERGE_HOUSEHOLD, /* the household and the relation to its head, together */
    MERGE_ADDRESS,
    MERGE_NOTES,
    MERGE_GROUP,     /* one vulnerable-group status (code) */
    MERGE_FIELD_COUNT
} import_merge_field;

/* One line of the comparison: both values as a clerk reads them (code
 * labels, the community's name, the household's number; identifiers in
 * full: this is the record's own view). */
typedef struct import_merge_row {
    import_merge_field field;
    char code[32];         /* MERGE_GROUP: the status */
    char label[96];        /* the field's name, or the status's */
    bool differs;          /* false: nothing to choose (the same, or a status
                              only the register has, which a merge keeps) */
    bool take;             /* the merge writes the row's value */
    char registered[2048]; /* "" = none */
    char imported[2048];
} import_merge_row;

#define IMPORT_MERGE_ROWS (MERGE_GROUP + 2 * RESIDENT_MAX_GROUPS)

typedef struct import_merge_plan {
    int64_t pending_id;
    int64_t resident_id;
    char source[256];
    int64_t line;
    char loaded_at[32]; /* the resident's updated_at when loaded */
    size_t nrows;
    import_merge_row rows[IMPORT_MERGE_ROWS];
} import_merge_plan;

/* Why a merge or its undo was refused (with WS_ERR_INVALID). */
typedef enum {
    MERGE_OK,
    MERGE_ERR_FIELD,    /* the merged record does not validate: fe */
    MERGE_ERR_CHANGED,  /* the resident was saved since the plan was loaded
                           (detail: by whom, when) */
    MERGE_ERR_HEADLESS, /* it would leave a household with members but no
                           户主 (detail: the household's number) */
    MERGE_ERR_EDITED,   /* undo: a field the merge wrote was changed since
                           (detail: the field's name) */
} import_merge_why;

typedef struct import_merge_error {
    import_merge_why why;
    field_error fe;
    char detail[192];
    char at[32];        /* MERGE_ERR_CHANGED: when (ISO 8601 UTC) */
} import_merge_error;

/* The comparison of a waiting row with its registered resident. By
 * default the registered identity stays (name, ID number, sex, birth
 * date, household and relation, and every value the register has); a
 * value the register lacks is filled from the row, and the row's statuses
 * are added. Nothing is written. */
ws_status import_merge_load(station *st, int64_t pending_id, import_merge_plan *plan);
/* Choose a side for row i (take: the row's value). Choosing the ID number
 * takes sex and birth date from the same side, as the ID number says. */
void import_merge_choose(import_merge_plan *plan, size_t i, bool take);
/* Write the merge as chosen: the resident through its write path (one
 * transaction, audited, indexed; the one-户主 rules hold, and a 户主 is
 * never merged out of a household that would be left without one), and
 * the row moves from the review to import_merges so it can be undone.
 * *err (may be NULL) says why when WS_ERR_INVALID. */
ws_status import_merge_apply(station *st, const import_merge_plan *plan,
                             import_merge_error *err);
/* Undo the standing merge of review row pending_id: the fields the merge
 * changed go back to what they were, as a new audited write (refused when
 * one was changed since), and the row waits in the review again. */
ws_status import_merge_undo(station *st, int64_t pending_id, import_merge_error *err);

/* A ledger of a declared kind (households, communities): what it did. */
#define KIND_IMPORT_MAX_SKIPPED 16
typedef struct kind_import_report {
    enc_info enc;
    size_t rows, added, updated, unchanged, invalid;
    size_t skipped; /* totals, signatures, titles: no record */
    char skipped_cols[KIND_IMPORT_MAX_SKIPPED][64]; /* columns not imported */
    size_t nskipped_cols;
    char error_path[4096]; /* the error file, when rows were invalid */
    /* Why it is not beside the ledger (a write-protected stick), as
     * import_report.error_trouble; "" when it is. */
    char error_trouble[4352];
    char error_old[4096], error_kept[4096]; /* as import_report's */
} kind_import_report;

/* Import a CSV/TSV ledger of kind k (any encoding the resident import
 * reads): one transaction (rolled back by dry_run); a row whose title is
 * registered updates it with the cells it fills; invalid rows go to the
 * error file with the reason. */
ws_status import_kind(station *st, const record_kind *k, const char *path,
                      const import_opts *opts, kind_import_report *rep, char *err, size_t errsz);

/* Whether a declared kind can be imported: a ledger names its records by
 * a title that is typed, not given by the station (a case's number). */
bool import_kind_importable(const record_kind *k);
/* The declared kind (not the residents) whose ledger the file is: the one
 * whose title column and the most of whose other columns a header in its
 * first 10 rows names; NULL when none. For a residents import that found
 * no header, to say what the file is and how to import it. */
const record_kind *import_kind_guess(const char *path, const import_opts *opts);

/* A sign-in sheet keyed into Excel (import_attendance.c): columns 活动,
 * 日期, 姓名 or 身份证号, and a volunteer's 时长; each row marks that
 * person present at the activity's session of that day (a volunteer
 * before a resident of the same name or number). Rows naming nobody on
 * the register, several people, or no session go to the error file. */
typedef struct attendance_import_report {
    enc_info enc;
    size_t rows, added, updated, unchanged, invalid, skipped;
    char error_path[4096];
    char error_trouble[4352]; /* as kind_import_report's */
    char error_old[4096], error_kept[4096];
} attendance_import_report;
ws_status import_attendance(station *st, const char *path, const import_opts *opts,
                            attendance_import_report *rep, char *err, size_t errsz);

#endif
