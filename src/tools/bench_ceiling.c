/* wushe bench --ceiling --costs: what each table and index of a resident's
 * write costs within the write ceiling. Each of the ceiling's copies is
 * timed into a scratch database with the same schema, first with every
 * secondary index of its table dropped (the table alone), then with one
 * index kept at a time (that index's cost is the difference); each time a
 * median of five, each in a transaction rolled back (then the table is
 * copied for the tables after it that refer to it). Beside the time, the
 * bytes each one takes in the station per resident (dbstat). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "db.h"
#include "station_internal.h"

#define COST_RUNS 5
#define COST_MAX_INDEXES 16

typedef struct cost_table {
    const char *name; /* the table (an FTS5 table: its shadow tables) */
    const char *copy; /* the ceiling's statement for it */
} cost_table;

/* The ceiling's statements (bench.c), for the tables a resident writes. */
static const cost_table cost_tables[] = {
    {"residents", "INSERT INTO residents SELECT * FROM o.residents ORDER BY seq"},
    {"resident_groups", "INSERT INTO resident_groups SELECT * FROM o.resident_groups"},
    {"audit_log", "INSERT INTO audit_log SELECT * FROM o.audit_log"},
    {"search_names", "INSERT INTO search_names SELECT * FROM o.search_names"},
    {"search_fts", "INSERT INTO search_fts(rowid, t) SELECT seq, coalesce(id_number, '') || '|' ||"
                   " replace(replace(phone, '-', ''), ' ', '') FROM o.residents"
                   " WHERE deleted_at IS NULL ORDER BY seq"},
};

ws_status bench_scratch_attach(station *st, const char *scratch, db **out)
{
    *out = NULL;
    const char *src = sqlite3_db_filename(db_handle(station_db(st)), "main");
    if (!src || !*src)
        return WS_ERR_INVALID;
    char err[512];
    ws_status s = db_open(scratch, DB_CREATE, out, err, sizeof err);
    if (s != WS_OK)
        return s;
    sqlite3_stmt *q = db_prepare(*out, "ATTACH ?1 AS o");
    if (!q)
        return db_status(*out);
    sqlite3_bind_text(q, 1, src, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- the ceiling's other tables ---- */

#define REST_MAX 256

ws_status bench_ceiling_rest_prepare(db *c, ceiling_rest *r)
{
    memset(r, 0, sizeof *r);
    if (!(r->names = calloc(REST_MAX, sizeof *r->names)))
        return WS_ERR_NOMEM;
    /* Plain tables both sides have; an FTS5 table's shadow tables are
     * written by the table itself. */
    sqlite3_stmt *q = db_prepare(c,
        "SELECT s.name FROM o.sqlite_master s JOIN main.sqlite_master m ON m.name = s.name"
        " AND m.type = 'table' WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        " AND s.sql NOT LIKE 'CREATE VIRTUAL%' AND s.name NOT LIKE 'search\\_fts\\_%' ESCAPE '\\'"
        " AND s.name NOT IN ('communities', 'households', 'residents', 'resident_groups',"
        " 'audit_log', 'search_names') ORDER BY s.name");
    if (!q)
        return db_status(c);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && r->n < REST_MAX)
        db_column_copy(q, 0, r->names[r->n++], sizeof r->names[0]);
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    /* What the new schema put there itself (code tables, settings) goes,
     * so the copy is the station's rows alone. */
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < r->n; i++) {
        char *sql = sqlite3_mprintf("DELETE FROM main.\"%w\"", r->names[i]);
        s = sql ? db_exec(c, sql) : WS_ERR_NOMEM;
        sqlite3_free(sql);
    }
    return s;
}

/* Each table once the tables it refers to are there: a copy refused for
 * a reference is tried again in the next pass. */
ws_status bench_ceiling_rest_copy(db *c, ceiling_rest *r)
{
    bool *done = calloc(r->n + 1, sizeof *done);
    if (!done)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    size_t left = r->n;
    while (s == WS_OK && left) {
        size_t before = left;
        for (size_t i = 0; s == WS_OK && i < r->n; i++) {
            if (done[i])
                continue;
            char *sql = sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM o.\"%w\"",
                                        r->names[i], r->names[i]);
            if (!sql) {
                s = WS_ERR_NOMEM;
                break;
            }
            int rc = sqlite3_exec(db_handle(c), sql, NULL, NULL, NULL);
            sqlite3_free(sql);
            if (rc == SQLITE_OK) {
                done[i] = true;
                left--;
                r->rows += sqlite3_changes64(db_handle(c));
            } else if (sqlite3_extended_errcode(db_handle(c)) != SQLITE_CONSTRAINT_FOREIGNKEY) {
                s = db_status_from(rc);
            }
        }
        if (s == WS_OK && left == before)
            s = WS_ERR_INVALID; /* a cycle of references: not a station's */
    }
    free(done);
    return s;
}

void bench_ceiling_rest_free(ceiling_rest *r)
{
    free(r->names);
    memset(r, 0, sizeof *r);
}

/* ---- what each table and index costs ---- */

static int cost_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The secondary indexes of table (those a DROP INDEX can remove). */
static ws_status cost_indexes(db *c, const char *table, char names[][128], size_t *n)
{
    *n = 0;
    sqlite3_stmt *q = db_prepare(c, "SELECT name FROM main.sqlite_master WHERE type = 'index'"
                                    " AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name");
    if (!q)
        return db_status(c);
    db_bind_text(q, 1, table);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < COST_MAX_INDEXES)
        db_column_copy(q, 0, names[(*n)++], 128);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Milliseconds of one copy with only index `keep` of names[] left (none
 * when keep < 0), rolled back; the median of COST_RUNS. */
static ws_status cost_time(db *c, const cost_table *t, char names[][128], size_t n, long keep,
                           double *ms)
{
    double runs[COST_RUNS];
    ws_status s = WS_OK;
    for (int r = 0; s == WS_OK && r < COST_RUNS; r++) {
        s = db_begin(c);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            if ((long)i == keep)
                continue;
            char *sql = sqlite3_mprintf("DROP INDEX main.\"%w\"", names[i]);
            s = sql ? db_exec(c, sql) : WS_ERR_NOMEM;
            sqlite3_free(sql);
        }
        double t0 = bench_clock_ms();
        if (s == WS_OK)
            s = db_exec(c, t->copy);
        runs[r] = bench_clock_ms() - t0;
        db_rollback(c);
    }
    if (s == WS_OK) {
        qsort(runs, COST_RUNS, sizeof *runs, cost_cmp);
        *ms = runs[COST_RUNS / 2];
    }
    return s;
}

/* Bytes of the b-trees named like `name` in the station (a table, an
 * index, or an FTS5 table's shadow tables when fts). */
static double cost_bytes(db *station, const char *name, bool fts)
{
    sqlite3_stmt *q = db_prepare(station, fts
        ? "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?1 || '\\_%' ESCAPE '\\'"
        : "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?1");
    if (!q)
        return 0;
    db_bind_text(q, 1, name);
    double b = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : 0;
    db_reset(q);
    return b;
}

static void cost_line(FILE *out, const char *what, double ms, double bytes, double per)
{
    fprintf(out, "  %-24s %8.3f ms %8.0f B\n", what, ms * 1000.0 / per, bytes / per);
}

static ws_status cost_table_run(db *c, db *station, const cost_table *t, double per, FILE *out,
                                double *total)
{
    char names[COST_MAX_INDEXES][128];
    size_t n;
    ws_status s = cost_indexes(c, t->name, names, &n);
    double alone = 0;
    if (s == WS_OK)
        s = cost_time(c, t, names, n, -1, &alone);
    if (s != WS_OK)
        return s;
    bool fts = strcmp(t->name, "search_fts") == 0;
    cost_line(out, t->name, alone, cost_bytes(station, t->name, fts), per);
    *total += alone;
    for (size_t i = 0; i < n; i++) {
        double with = 0;
        if ((s = cost_time(c, t, names, n, (long)i, &with)) != WS_OK)
            return s;
        char label[140];
        snprintf(label, sizeof label, "+ %s", names[i]);
        cost_line(out, label, with - alone, cost_bytes(station, names[i], false), per);
        *total += with - alone;
    }
    /* Kept, for the tables after it that refer to it. */
    return db_exec(c, t->copy);
}

ws_status bench_ceiling_costs(station *st, const char *scratch, FILE *out)
{
    db *d = station_db(st);
    int64_t residents = 0;
    ws_status s = db_int(d, "SELECT count(*) FROM residents", 0, &residents);
    if (s != WS_OK)
        return s;
    if (residents == 0)
        return WS_ERR_NOT_FOUND;
    db *c = NULL;
    if ((s = bench_scratch_attach(st, scratch, &c)) != WS_OK) {
        db_close(&c);
        return s;
    }
    /* What residents refer to, there before any is timed. */
    s = db_exec(c, "INSERT INTO communities SELECT * FROM o.communities;"
                       " INSERT INTO households SELECT * FROM o.households");
    double per = (double)residents, total = 0;
    if (s == WS_OK)
        fprintf(out, "what a resident costs in the write ceiling (%lld residents; the table alone,"
                     " then each index; ms per 1,000 residents, bytes per resident):\n",
                (long long)residents);
    for (size_t i = 0; s == WS_OK && i < sizeof cost_tables / sizeof *cost_tables; i++)
        s = cost_table_run(c, d, &cost_tables[i], per, out, &total);
    if (s == WS_OK)
        fprintf(out, "  %-24s %8.3f ms (before the commit)\n", "all of these",
                total * 1000.0 / per);
    db_close(&c);
    return s;
}
