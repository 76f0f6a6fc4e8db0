/* Kinds of record, each declared once: a field table (column, label, type,
 * flags, the one length limit, code list, referenced kind, ledger aliases)
 * and hooks for the rules no table can state. From the declaration come
 * validation, the one write path (row, search terms, audit row, revision,
 * one transaction), load, soft delete and restore, keyset paging with the
 * filter, display cells for lists, and the front end's forms and lists.
 *
 * Adding a kind: a struct with `int64_t id` and `int64_t revision`, a
 * field table, a record_kind in its own src/kinds/ file, its table in a
 * migration (id, the columns, revision, created_at, updated_at,
 * deleted_at), and one line in record_kinds[] (kinds.c). The contract
 * test then runs it through every check. */
#ifndef WUSHE_RECORD_H
#define WUSHE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/access.h"
#include "wushe/station.h"
#include "wushe/validate.h"

typedef enum {
    FLD_TEXT,      /* one line */
    FLD_MULTILINE, /* line breaks allowed */
    FLD_NAME,      /* a person's or a place's name */
    FLD_ID_NUMBER, /* 居民身份证号 */
    FLD_PHONE,
    FLD_DATE,      /* YYYY-MM-DD, not after today */
    FLD_CODE,      /* one code of field.codes */
    FLD_CODES,     /* comma-separated codes of field.codes */
    FLD_DIGITS,    /* a code of exactly field.limit digits, or empty */
    FLD_REF,       /* id of a record of field.ref (int64) */
    FLD_INT,       /* int64 */
    FLD_MONEY,     /* int64 fen */
    FLD_MINUTES,   /* int64 minutes */
    FLD_TIME,      /* HH:MM of a day ("8:30" and "0830" are read as 08:30) */
} fld_type;

enum {
    FF_REQUIRED = 1u << 0,
    FF_UNIQUE = 1u << 1,  /* among living records of the kind */
    FF_MASKED = 1u << 2,  /* masked in lists and ledgers unless unmasked */
    FF_SEARCH = 1u << 3,  /* the search box finds it */
    FF_LIST = 1u << 4,    /* a column of the list */
    FF_LEDGER = 1u << 5,  /* a column of exports and imports */
    FF_NO_FORM = 1u << 6, /* derived: kept by hooks, not typed, not checked */
    FF_FUTURE = 1u << 7,  /* a date that may be after today (a next visit, an expiry) */
    FF_NOTES = 1u << 8,   /* case content: out of exports unless asked for (--with-notes) */
    /* The station's number of a record (derived, FF_NO_FORM): an imported
     * row that gives it is that record, whatever else it says. */
    FF_KEY = 1u << 9,
};

typedef struct record_kind record_kind;

typedef struct field_def {
    const char *column; /* SQL column, also the audit JSON key */
    const char *label;  /* catalog key */
    fld_type type;
    unsigned flags;
    size_t offset;      /* in the kind's struct */
    size_t size;        /* char array size, or sizeof(int64_t) */
    int limit;          /* characters (text), digits (FLD_DIGITS); 0: the buffer */
    const char *codes;  /* code list (FLD_CODE, FLD_CODES) */
    const record_kind *ref; /* FLD_REF */
    /* FLD_REF to a kind of a module built on this one (a team's
     * organisation): its name, found in record_kinds[], so that the lower
     * module need not include the higher's header. Read both through
     * field_ref(). */
    const char *ref_name;
    const char *aliases;    /* ledger headers, '|' separated */
    int width;              /* list column: minimum columns (0: from the label) */
    int64_t min, max;       /* FLD_INT, FLD_MONEY, FLD_MINUTES: the range (both 0: any) */
} field_def;

/* Declaring fields: REC_TEXT(household, number) gives offset and size. */
#define REC_AT(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)

/* One field-error type for every kind: which field (index into the kind's
 * fields, -1 none), which row of a child list, why, and a name or limit
 * for the message. */
typedef struct record_error {
    int field;
    size_t index;
    val_status code;
    char detail[320];
} record_error;

/* A column a kind computes from the record and writes in the same INSERT
 * or UPDATE as the row (a resident's pinyin, folded name, sort key):
 * bound by its write_row hook with record_put_text/record_put_blob. With
 * insert_sql, an SQL expression written on insert only (a running number). */
typedef struct record_derived {
    const char *column;
    const char *insert_sql;
} record_derived;

/* The row's write, prepared with the declared fields bound (record.c). */
typedef struct record_row_write record_row_write;

/* An audit row's JSON being written (record_json.c), in SQLite's own
 * spelling of json_object(): members in order, text quoted as it quotes. */
typedef struct record_json record_json;
void record_json_str(record_json *j, const char *key, const char *v);
/* "" as null (a date or an ID number left empty is stored NULL). */
void record_json_str_or_null(record_json *j, const char *key, const char *v);
void record_json_int(record_json *j, const char *key, int64_t v);
void record_json_null(record_json *j, const char *key);
/* A list member, an object element of the list, and the end of either
 * (']' or '}'). */
void record_json_list(record_json *j, const char *key);
void record_json_object(record_json *j);
void record_json_end(record_json *j, char brace);

typedef struct record_hooks {
    /* A new record's defaults (today's date, whoever is logged in). */
    void (*defaults)(station *st, void *rec);
    /* A field just read from text (a form's cell, a ledger's cell) as
     * the kind stores it (a household's number in one spelling), so that
     * a lookup and the comparison with the stored record agree. NULL: as
     * read. */
    void (*normalize)(int field, void *rec);
    /* Rules no table can state (after the table's own checks). */
    ws_status (*validate)(station *st, void *rec, record_error *re);
    /* Inside the write's transaction, before the row is written (derived
     * fields, related rows the row depends on); the id is set. */
    ws_status (*before_write)(station *st, void *rec, bool insert, record_error *re);
    /* Inside the write's transaction, after the row is written (children,
     * relations). */
    ws_status (*after_write)(station *st, void *rec, bool insert, record_error *re);
    /* More text for the search box to find the record by (a household by
     * its head's name); "" for none. */
    void (*search_text)(station *st, const void *rec, char *out, size_t outsz);
    /* Inside the delete's transaction, before it: refuse (WS_ERR_INVALID,
     * re filled) or clean up. */
    ws_status (*before_delete)(station *st, int64_t id, record_error *re);
    /* Inside a delete's or a restore's transaction, after it (what hangs
     * on the record being there: a visit's people are due again). */
    ws_status (*after_state)(station *st, int64_t id, bool deleted);
    /* The record a ledger cell names when its title alone cannot (a
     * resident by ID number, or by a name only one has); *id 0 and why
     * filled when none or several. NULL: by title. */
    ws_status (*find)(station *st, const char *text, int64_t *id, char *why, size_t whysz);
    /* The name an export gives record id in another kind's ledger, so that
     * find() finds it again when imported back (a resident's name, with the
     * community after it when several share the name; unless masked, the
     * ID number when that is not enough). NULL: the title. */
    ws_status (*ledger_name)(station *st, int64_t id, bool masked, char *out, size_t outsz);
    /* Which registered record an imported row is (*id 0: a new one);
     * WS_ERR_INVALID: several could be (the row is refused as ambiguous).
     * NULL: the one with its title, when the title is unique. */
    ws_status (*import_existing)(station *st, const void *rec, int64_t *id);
    /* The row's own write, wrapped (a kind with derived columns and its
     * own search index): bind the derived columns (and the sort key), run
     * record_row_run(w), index the row. NULL: the row as declared. */
    ws_status (*write_row)(station *st, void *rec, bool insert, record_row_write *w);
    /* After a load: the child rows (a resident's group statuses). */
    ws_status (*load)(station *st, void *rec);
    /* A kind with its own search index (own_search): index record id again
     * (the contract's rebuild); take it out of the index before a delete. */
    ws_status (*reindex)(station *st, int64_t id);
    ws_status (*unindex)(station *st, int64_t id);
    /* The audit_extra keys written from the record in hand, exactly as
     * audit_extra reads them back from the rows just written; with it the
     * audit row needs no read of the row (record_json_*). */
    void (*audit_json)(const void *rec, record_json *j);
} record_hooks;

/* A word of the search box that is a condition rather than text (a case's
 * 下一步逾期): the catalog key of the word, and an SQL condition on the
 * kind's table with ?11 today's date. Typed alone, it lists what it says. */
typedef struct record_word {
    const char *label;
    const char *sql;
} record_word;

struct kind_sql; /* built once from the declaration (record.c) */

struct record_kind {
    const char *name;  /* "household" */
    const char *table; /* "households" */
    const char *label; /* catalog key of the kind's name */
    size_t size;       /* sizeof the struct */
    size_t id_offset, revision_offset;
    const field_def *fields;
    size_t nfields;
    int title_field;   /* the field that names a record (list order, references) */
    bool sort_by_pinyin; /* order by the title's collation key (sort_key column) */
    bool title_is_person; /* the title is a person's name: sorted by its surname's reading */
    access_perm read_perm, write_perm; /* checked on every load, list, save, delete */
    /* The rows a role without scope_all may read and write: an SQL
     * condition on the kind's table with ?10 the logged-in account's id (a
     * 社工's own cases). NULL: every row. */
    const char *scope;
    access_perm scope_all;
    bool log_open;      /* every load of a record goes to the access log (EV_OPEN) */
    const char *period; /* the date column an export's --from/--to reads (NULL: none) */
    /* The fields that say a ledger row is a record already there when the
     * title is not unique (a visit: person, date, worker), ending in -1;
     * NULL: the title when unique. A second import then changes nothing. */
    const int *ledger_key;
    const record_word *words; /* NULL or ending in {NULL, NULL} */
    bool newest_first;  /* lists in descending order of the title (dates) */
    /* The column lists are in the order of, when not the title's (a
     * donation by its date, its number being its title); a required one,
     * never NULL. NULL: the title (or its sort key). */
    const char *order;
    /* A ledger entry: written once, never updated or deleted (VAL_POSTED);
     * a correction is a new entry (resources.h: res_correct). */
    bool posted;
    /* The validate hook checks every field, in its own order and words
     * (residents: the ID number decides sex and birth date); the table's
     * own checks are skipped. */
    bool own_checks;
    /* The kind keeps its own search index (residents: search_names and
     * search_fts, kept by write_row): no record_terms. */
    bool own_search;
    const record_derived *derived;
    size_t nderived;
    /* More keys of the audit JSON, an SQL fragment on the kind's table
     * (", 'groups', (SELECT ... WHERE resident_id = residents.id)"). */
    const char *audit_extra;
    record_hooks hooks;
    struct kind_sql *sql;
};

/* Every declared kind (kinds.c), for the contract test, search and help. */
extern const record_kind *const record_kinds[];
extern const size_t record_nkinds;
const record_kind *record_kind_find(const char *name);
/* The kind a FLD_REF field points at: ref, else the kind named ref_name. */
const record_kind *field_ref(const field_def *f);

int64_t record_id(const record_kind *k, const void *rec);
int64_t record_revision(const record_kind *k, const void *rec);
/* Index of a field by column, -1 when none. */
int record_field_index(const record_kind *k, const char *column);

/* A new, empty record (zeros and empty strings). */
void record_init(const record_kind *k, void *rec);
/* A new record as a form starts it: empty, then the kind's defaults. */
void record_new(station *st, const record_kind *k, void *rec);
ws_status record_validate(station *st, const record_kind *k, void *rec, record_error *re);
/* Validate and write in one transaction: the row (revision + 1), its search
 * terms, the hooks, the audit row. A record changed by someone else since
 * it was loaded is refused (WS_ERR_STALE; re->detail says who and when)
 * and nothing is written. On success the id and revision are set. */
ws_status record_save(station *st, const record_kind *k, void *rec, record_error *re);
/* The labels of code list `list`, "、"-separated (what may be chosen, for
 * a message that a value is not one of them). */
void record_code_labels(station *st, const char *list, char *out, size_t outsz);
ws_status record_load(station *st, const record_kind *k, int64_t id, void *rec);
/* record_load for a read that is recorded as a whole (an export): the
 * same permissions and scope, no access log entry of its own. */
ws_status record_read(station *st, const record_kind *k, int64_t id, void *rec);
/* Soft delete and restore, audited. */
ws_status record_delete(station *st, const record_kind *k, int64_t id, record_error *re);
ws_status record_restore(station *st, const record_kind *k, int64_t id, record_error *re);
/* Whether record `id` may be deleted now (its kind's before_delete rule),
 * without deleting it: a front end says why before it asks. */
ws_status record_can_delete(station *st, const record_kind *k, int64_t id, record_error *re);

/* A row of a list: the FF_LIST fields as display text (codes as labels,
 * references by their title, identifiers masked). */
#define RECORD_MAX_COLS 10
#define RECORD_CELL 256
/* Minutes as every list, form and paper shows them (and parses back):
 * "2小时05分", "2小时", "40分", "0小时"; negative with a "-"; never cut to
 * whole hours. */
void hours_text(int64_t minutes, char *out, size_t outsz);

typedef struct record_row {
    int64_t id;
    char cells[RECORD_MAX_COLS][RECORD_CELL];
} record_row;

/* The FF_LIST fields in order (at most RECORD_MAX_COLS): their indexes. */
size_t record_list_fields(const record_kind *k, int *idx);
/* Keyset paging in the kind's order, filtered by the search box: after =
 * the row to continue from (0: the start, or the end when dir < 0); dir <
 * 0 gives rows nearest first. Deleted records only when `deleted`. */
ws_status record_list(station *st, const record_kind *k, const char *filter, bool deleted,
                      int64_t after, int dir, record_row *rows, size_t max, size_t *n);
ws_status record_count(station *st, const record_kind *k, const char *filter, int64_t *n);
/* The records of one parent: those whose field `field` (an FLD_REF of the
 * kind) is `id` (a resident's consents). */
typedef struct record_parent {
    int field;
    int64_t id;
} record_parent;
/* record_list and record_count of one parent's records (parent NULL: all
 * of them); WS_ERR_INVALID when parent->field is not a reference. */
ws_status record_list_in(station *st, const record_kind *k, const record_parent *parent,
                         const char *filter, bool deleted, int64_t after, int dir,
                         record_row *rows, size_t max, size_t *n);
ws_status record_count_in(station *st, const record_kind *k, const record_parent *parent,
                          const char *filter, int64_t *n);
/* The display text of one field of rec; masked identifiers when `masked`. */
void record_format(station *st, const record_kind *k, int field, const void *rec, bool masked,
                   char *out, size_t outsz);
/* When row `id` of `table` was last deleted, and by whom ("" when never),
 * for a recycle bin. */
void record_deleted_by(station *st, const char *table, int64_t id, char when[RECORD_CELL],
                       char who[RECORD_CELL]);
/* Who changed row `id` of `table` last, and when ("王芳 于 2026-12-01
 * 15:30"), for a refused stale save. */
void record_changed_by(station *st, const char *table, int64_t id, char *out, size_t outsz);
/* The living record of kind k whose FF_UNIQUE field `field` is value
 * (*id 0 when none). */
ws_status record_find(station *st, const record_kind *k, int field, const char *value,
                      int64_t *id);
/* The field that names a record of kind k as the clerks know it: its
 * person's name where the kind has one (a volunteer's, not its number),
 * else its title. */
int record_name_field(const record_kind *k);
/* The record so named ("" when gone): for questions and titles. */
ws_status record_name(station *st, const record_kind *k, int64_t id, char *out, size_t outsz);
/* The title of record `id` of kind k ("" when gone). */
ws_status record_title(station *st, const record_kind *k, int64_t id, char *out,
                       size_t outsz);
/* Parse display text into a field (forms, imports): a code label or code,
 * money "12.50", minutes. Returns VAL_OK or why not. */
val_status record_parse(station *st, const record_kind *k, int field, const char *text,
                        void *rec);

/* A typed value of field `field` as a save stores it (trimmed; a date,
 * ID number, phone or time in its one form) into out; as typed when it
 * is not valid (the save says why). Imports compare and match on this. */
void record_normal_text(station *st, const record_kind *k, int field, const char *in,
                        char *out, size_t outsz);

/* Why a record error happened, in the user's language (for a mark at the
 * field); returns out. */
const char *record_error_reason(const record_error *re, char *out, size_t outsz);
/* The message of a record error in the user's language, the field's label
 * first ("户号：已有…"); returns out. */
const char *record_error_text(const record_kind *k, const record_error *re, char *out,
                              size_t outsz);

/* One change of a record, from audit_log, newest first. */
typedef struct record_change {
    int64_t audit_id;  /* for record_change_details */
    char at[32];       /* ISO 8601 UTC */
    char actor[64];
    char action[8];    /* insert, update, delete, restore */
    char fields[256];  /* changed keys, comma separated ("name,phone") */
} record_change;

/* One field of a change, as a clerk reads it: code labels, references by
 * their title, identifiers masked; "" for none. */
#define RECORD_CHANGE_VALUE 4096 /* the longest value in full (1,000 字 of notes) */
typedef struct record_field_change {
    char key[24];          /* the audit key: a column */
    const char *label;     /* catalog key of the field's name */
    bool had_before;       /* false in a new record */
    char before[RECORD_CHANGE_VALUE];
    char after[RECORD_CHANGE_VALUE];
} record_field_change;

/* The audit trail of one row of `table` (deleted ones too), newest first. */
ws_status record_history(station *st, const char *table, int64_t id, record_change *out,
                         size_t max, size_t *n);
/* What one audit row of a record of kind k changed, in form order. */
ws_status record_change_details(station *st, const record_kind *k, int64_t audit_id,
                                record_field_change *out, size_t max, size_t *n);
/* The catalog key naming a column of kind k (NULL when unknown). */
const char *record_history_label(const record_kind *k, const char *key);

/* Write a record's search terms again (something its search_text hook
 * reads has changed), inside the caller's transaction. */
ws_status record_terms_refresh(station *st, const record_kind *k, int64_t id);
/* Add the terms of a text that names record `id` (its search_text, first
 * set), keeping the others. */
ws_status record_terms_add_text(station *st, const record_kind *k, int64_t id, const char *text);

/* In a write_row hook: the value of derived column i, and the sort key
 * (a kind sort_by_pinyin with its own collation: a surname's reading). */
void record_put_text(record_row_write *w, size_t i, const char *text);
void record_put_blob(record_row_write *w, size_t i, const void *data, size_t len);
void record_put_sort_key(record_row_write *w, const void *key, size_t len);
/* Write the row (a stale one is refused: WS_ERR_STALE). */
ws_status record_row_run(record_row_write *w);

/* Rebuild every kind's search terms (wushe reindex). */
ws_status record_reindex(station *st);
/* Rebuild them when this binary's terms differ from the file's (a station
 * opened for the first time by this version). */
ws_status record_ensure(station *st);

#endif
