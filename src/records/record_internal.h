/* What the record machinery's files share; not for the front end. */
#ifndef WUSHE_RECORD_INTERNAL_H
#define WUSHE_RECORD_INTERNAL_H

#include "db.h"
#include "wushe/record.h"

/* SQL of one kind, built from its declaration on first use and kept for
 * the life of the process (the statement cache keys on these strings). */
/* The ways a kind's list is read: after a row or from the start, forwards
 * or back, the live rows or the bin's. */
enum { LIST_AFTER = 1, LIST_BACK = 2, LIST_BIN = 4, LIST_WAYS = 8 };

struct kind_sql {
    bool built;
    char *insert, *update, *json, *select, *load, *audit, *count, *alive, *title;
    char *remove, *restore;
    char *scoped; /* whether row ?1 is in the kind's scope for ?10 (NULL: no scope) */
    char **word_list;  /* per record_word: its list[LIST_WAYS] */
    char **word_count;
    char *list[LIST_WAYS]; /* [LIST_AFTER | LIST_BACK | LIST_BIN] */
    char **unique;  /* per field, FF_UNIQUE */
    char **find;    /* per field, FF_UNIQUE: the record's id (record_find) */
    char **ref;     /* per field, FT_REF */
    char **in_list; /* per FLD_REF field, its list[LIST_WAYS] for one parent (?9) */
    char **in_count;
    /* Per field, whether its column has a numeric affinity (SQLite turns
     * text that reads as a number into one); read from the table on the
     * first write. */
    bool *numeric;
    /* Whether other kinds' terms read this kind's title through a
     * reference (record.c): 0 not known yet, 1 no, 2 yes. */
    unsigned char followed;
};

/* record_save's write inside the caller's transaction, rec validated (a
 * bulk load: import): the row, its terms, the hooks, the audit row; the
 * id set when new. */
ws_status record_store(station *st, const record_kind *k, void *rec, record_error *re);

/* The audit snapshot of a row of kind k (NULL when none), and an audit row
 * for a write that a kind's hook made to a row of kind k. */
ws_status record_audit_snapshot(station *st, const record_kind *k, int64_t id, char **json);
ws_status record_audit_write(station *st, const record_kind *k, int64_t id, bool insert,
                             const char *before);

/* An audit JSON object being written, and its text (NULL when out of
 * memory; the writer freed either way). */
record_json *record_json_new(void);
char *record_json_finish(record_json **jp);
void record_json_free(record_json **jp);

/* record_save; bootstrap skips the kind's write permission (the first
 * 站长 of a station, made before anyone can log in). */
ws_status record_save_as(station *st, const record_kind *k, void *rec, record_error *re,
                         bool bootstrap);

/* SQL: the display name of an audit row's actor (its login when no
 * account has it: rows from before accounts). */
#define RECORD_ACTOR_NAME \
    "coalesce((SELECT display_name FROM accounts WHERE login = actor), actor)"

/* A living record as stored, for a kind's own rules: no permission, no
 * scope, no access log (the caller checked who may). */
ws_status record_load_row(station *st, const record_kind *k, int64_t id, void *rec);
/* The same of a deleted record (a restore's own rules). */
ws_status record_load_deleted(station *st, const record_kind *k, int64_t id, void *rec);

/* Whether the station's terms were made the way this version makes them
 * (else its first open for writing makes them again: record_ensure). */
bool record_terms_made_now(station *st);
/* Whether the terms kept for record id of k (rec, as stored) are the
 * ones it would be given now: a record named through another renamed
 * since (by an older version) is not. */
ws_status record_terms_current(station *st, const record_kind *k, int64_t id, void *rec,
                               bool *same);

/* The kind's SQL built (false: out of memory). */
bool kind_sql_ready(const record_kind *k);
/* WS_OK when row id of k is in the scope of whoever is logged in (a 社工's
 * own cases); otherwise WS_ERR_DENIED, recorded in the access log. */
ws_status record_scope_check(station *st, const record_kind *k, int64_t id);

/* WS_ERR_INVALID with re saying which field (-1: none), why, and the name
 * or limit for the message (NULL: none): a kind's rules report with it. */
ws_status record_fail(record_error *re, int field, val_status code, const char *detail);

bool field_is_int(const field_def *f);
char *field_str(const field_def *f, void *rec);
int64_t field_int(const field_def *f, const void *rec);
void field_set_int(const field_def *f, void *rec, int64_t v);

/* Search terms of a record's FF_SEARCH fields, written with the row
 * (replace: remove the old ones first). */
ws_status record_terms_write(station *st, const record_kind *k, int64_t id, void *rec,
                             bool replace);
ws_status record_terms_delete(db *d, const record_kind *k, int64_t id);
/* The terms of every record of k that ids_sql (?1: arg) returns. */
ws_status record_terms_delete_of(db *d, const record_kind *k, const char *ids_sql, int64_t arg);
/* The term a query looks up (folded, spaces out); NULL for an empty
 * query. Caller frees. */
char *record_terms_query(const char *filter);

/* The search box as SQL: ?1 the whole query as a term, ?30 and ?31 the
 * range of the terms it begins, ?5..?8 (and ?32..?35 their ends) the
 * ranges of its grams. RECORD_TERMS_MATCH(kind, id) is the condition;
 * record_terms_bind binds a query made by record_terms_query (NULL: no
 * filter). */
#define RECORD_TERMS_GRAMS 4
#define RECORD_TERMS_GRAM_PARAM 5
#define RECORD_TERMS_PREFIX_PARAM 30 /* ?10 is a kind's scope */
#define RECORD_TERMS_GRAM_END_PARAM 32
#define RECORD_TERMS_IN(kind, id, cond) \
    id " IN (SELECT id FROM record_terms WHERE kind = (SELECT code FROM record_kind_codes" \
    " WHERE name = '" kind "') AND " cond ")"
#define RECORD_TERMS_GRAM(kind, id, p, e) RECORD_TERMS_IN(kind, id, "term >= ?" p " AND term < ?" e)
#define RECORD_TERMS_MATCH(kind, id)                                                   \
    "(?1 IS NULL OR " RECORD_TERMS_IN(kind, id, "term = ?1") " OR "                    \
    RECORD_TERMS_GRAM(kind, id, "30", "31") " OR (?5 IS NOT NULL AND "                 \
    RECORD_TERMS_GRAM(kind, id, "5", "32") " AND " RECORD_TERMS_GRAM(kind, id, "6", "33") \
    " AND " RECORD_TERMS_GRAM(kind, id, "7", "34") " AND "                             \
    RECORD_TERMS_GRAM(kind, id, "8", "35") "))"
void record_terms_bind(sqlite3_stmt *q, const char *term);

#endif
