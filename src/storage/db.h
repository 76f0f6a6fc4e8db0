/* SQLite connection: open/migrate, statement cache, nested transactions.
 * Internal to the model (sqlite3 types never reach include/wushe). */
#ifndef WUSHE_DB_H
#define WUSHE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db_probe.h"
#include "wushe/status.h"

typedef struct db db;

enum {
    DB_CREATE = 1u << 0,     /* create the file when missing */
    DB_NO_MIGRATE = 1u << 1, /* open as is */
    DB_READONLY = 1u << 2,   /* read only, nothing written or removed (wushe check) */
};

/* Schema version this binary writes (highest embedded migration). */
int db_schema_version(void);

/* Open (and migrate) a station database. Refuses a file that is not a
 * database, is corrupt, is locked, or has a newer schema, leaving it
 * untouched. err gets a message in the user's language. */
ws_status db_open(const char *path, unsigned flags, db **out, char *err, size_t errsz);
void db_close(db **d);

/* Opened read-only: asked for, or the file, its folder or its disk cannot
 * be written (the reason; DB_RO_NONE when asked). */
bool db_read_only(db *d);
db_ro_reason db_read_only_reason(db *d);
/* Catalog key of what a read-only reason means for the clerk. */
const char *db_ro_key(db_ro_reason r);
/* The write-ahead log found at open: dropped committed frames, the copy. */
const db_wal *db_wal_state(db *d);
/* Opened read-only with immutable=1 (no locks: see db_open). */
bool db_immutable(db *d);
/* A log was there that could not be read (read-only folder, no -shm). */
bool db_wal_unread(db *d);

sqlite3 *db_handle(db *d);
/* Cached prepared statement for sql (a string literal: the cache keys on
 * it). Returns NULL on error (see db_status). Call db_reset when done. */
sqlite3_stmt *db_prepare(db *d, const char *sql);
void db_reset(sqlite3_stmt *st);

/* Nested transactions: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints. */
ws_status db_begin(db *d);
ws_status db_commit(db *d);
void db_rollback(db *d);

/* A read transaction around several queries: one snapshot, one lock taken
 * instead of one per statement. Does nothing inside another transaction.
 * Returns whether it began one (pass that to db_read_end). */
bool db_read_begin(db *d);
void db_read_end(db *d, bool began);

/* Bulk mode, for one big transaction of many writes (demo, import,
 * reindex): inner levels are not savepoints, which copy every page they
 * touch. An inner level that wrote and then rolled back makes the outer
 * commit fail and roll back everything. */
void db_set_bulk(db *d, bool on);
/* How long a write (db_begin) waits for another connection's write to end
 * before it is refused as busy (ms; 3 s unless set: a console's clerk is
 * told and tries again; a read kept out always gives up after 3 s). waiting, when set, is called once in the process when a
 * wait has lasted a second: a script is told why it pauses. */
void db_set_patience(int ms, void (*waiting)(int patience_ms));
/* Only the memory of bulk mode (its cache, its heap): for a benchmark
 * that writes as a bulk load does. */
void db_set_bulk_memory(db *d, bool on);
/* Where a bulk load keeps its pending writes on this connection (the
 * search index's batch; its owner allocates and frees it). */
void **db_bulk_slot(db *d);
bool db_is_bulk(db *d);

/* Writes held back by their owner to be made later, sorted (the declared
 * kinds' search terms in a bulk load). The connection flushes them before
 * the outermost commit (a failed flush fails the commit) and drops them
 * when the transaction ends, committed or not. One pending state per ops;
 * at most DB_PENDING_MAX kinds of them. */
#define DB_PENDING_MAX 4
typedef struct db_pending_ops {
    ws_status (*flush)(db *d, void *pending);
    void (*drop)(void *pending);
} db_pending_ops;

/* ops' pending state on d, NULL when none. */
void *db_pending_get(db *d, const db_pending_ops *ops);
/* Keep p as ops' pending state until the transaction ends; only inside
 * one. */
ws_status db_pending_put(db *d, const db_pending_ops *ops, void *p);
/* The owner made n writes pending (n > 0): they count as changes of the
 * current level, so a rollback of that level in bulk mode fails the
 * transaction as a written row would. A flush passes minus the changes it
 * made, which were counted when they were held back. */
void db_pending_wrote(db *d, int64_t n);
/* Flush every pending state now. */
ws_status db_pending_flush(db *d);

/* Virtual-machine steps run so far by this connection's cached
 * statements: a test's measure of how much a lookup read (a search of an
 * index takes a few dozen, a scan some for every row). */
int64_t db_vm_steps(db *d);

/* Map an SQLite result code to a status. */
ws_status db_status_from(int rc);
/* Status of the last failed call on this connection. */
ws_status db_status(db *d);
const char *db_errmsg(db *d);

/* Run SQL without results (no user text!). */
ws_status db_exec(db *d, const char *sql);

/* One-line queries (Fossil's db_int, db_exists, db_text) and the one way
 * to end a transaction (db_query.c), so a model function does not repeat
 * prepare, bind, step, reset. Every sql outlives the connection (the
 * statement cache keeps it). */
/* Commit when s is WS_OK (returning the commit's status), else roll back
 * and return s. */
ws_status db_end(db *d, ws_status s);

/* Whether sql finds a row: ?1 = a, and ?2 = b when sql has it. */
ws_status db_exists_i64(db *d, const char *sql, int64_t a, int64_t b, bool *found);
ws_status db_exists_text(db *d, const char *sql, const char *a, int64_t b, bool *found);
/* First column of the first row as an integer (0 when none); ?1 = a when
 * sql has it. */
ws_status db_int(db *d, const char *sql, int64_t a, int64_t *out);
/* First column of the first row as text ("" when none); ?1 = a. */
ws_status db_text_i64(db *d, const char *sql, int64_t a, char *out, size_t outsz);
/* The first column of every row of sql (?1 = a when it takes one) as ids,
 * read before anything acts on them (*ids malloc'd, NULL when none). sql
 * may be made on the spot: it is prepared for this call, not cached. */
ws_status db_ids(db *d, const char *sql, int64_t a, int64_t **ids, size_t *n);
/* The same from a statement prepared and bound by the caller, stepped to
 * its end (the caller resets or finalizes it). */
ws_status db_ids_of(sqlite3_stmt *q, int64_t **ids, size_t *n);
/* Run a statement binding ?1 = text. */
ws_status db_exec_text(db *d, const char *sql, const char *text);
/* Run a write binding ?1 = a and ?2 = text; WS_ERR_NOT_FOUND when it
 * changed no row. */
ws_status db_run_i64_text(db *d, const char *sql, int64_t a, const char *text);

/* Helpers for binding text that may be empty-as-NULL. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);
int db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/* Copy a text column into a fixed buffer (truncating at a UTF-8 boundary). */
void db_column_copy(sqlite3_stmt *st, int col, char *out, size_t outsz);

/* Settings table. */
ws_status db_setting_get(db *d, const char *key, char *out, size_t outsz);
ws_status db_setting_set(db *d, const char *key, const char *value);

/* ISO 8601 UTC timestamp "2026-11-23T10:00:00.123Z". */
void db_now(char out[32]);

#endif
