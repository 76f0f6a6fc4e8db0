/* One-line queries (Fossil's db_int, db_exists, db_text) and the one way
 * to end a transaction, so a model function does not repeat prepare, bind,
 * step, reset. Every sql is a string that outlives the connection (the
 * statement cache keeps it). */
#ifndef WUSHE_DB_QUERY_H
#define WUSHE_DB_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

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
/* Run a statement binding ?1 = text. */
ws_status db_exec_text(db *d, const char *sql, const char *text);
/* Run a write binding ?1 = a and ?2 = text; WS_ERR_NOT_FOUND when it
 * changed no row. */
ws_status db_run_i64_text(db *d, const char *sql, int64_t a, const char *text);

#endif
