/* wushe bench --ceiling: the write ceiling, the floors beside it
 * (--floors) and, with --costs, what each table and index of a resident's
 * write costs within the ceiling. Each of the ceiling's copies is
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
    /* The memory of an import's connection (its cache, its heap). */
    db_set_bulk_memory(*out, true);
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
    /* No triggers in the scratch: one keeping a cached sum (a fund's
     * balance, a stock level) would add the copied entries to the copied
     * sum again, and the copy would not be the station's rows. */
    char trig[REST_MAX][128];
    size_t nt = 0;
    if (s == WS_OK &&
        !(q = db_prepare(c, "SELECT name FROM main.sqlite_master WHERE type = 'trigger'")))
        s = db_status(c);
    while (s == WS_OK && nt < REST_MAX && (rc = sqlite3_step(q)) == SQLITE_ROW)
        db_column_copy(q, 0, trig[nt++], sizeof trig[0]);
    if (s == WS_OK)
        db_reset(q);
    for (size_t i = 0; s == WS_OK && i < nt; i++) {
        char *sql = sqlite3_mprintf("DROP TRIGGER main.\"%w\"", trig[i]);
        s = sql ? db_exec(c, sql) : WS_ERR_NOMEM;
        sqlite3_free(sql);
    }
    return s;
}

void bench_ceiling_rest_free(ceiling_rest *r)
{
    free(r->names);
    memset(r, 0, sizeof *r);
}

/* ---- the write ceiling and the floors beside it ----
 * What SQLite alone needs to write what a station holds: the same rows,
 * copied by INSERT ... SELECT into a new database with the same schema
 * (every index, the audit rows, the postings in key order, the FTS text,
 * and every other table: a demo's cases, visits, volunteers, ...), in one
 * transaction, committed. No validation, no pinyin, no statement per row:
 * no fill or import can be faster than this.
 *
 * Where a copy goes table to table, SQLite moves each record as it is
 * stored, without building it. An import builds every record from a
 * ledger's cells, so two floors are timed the same way beside the ceiling:
 * CEILING_RECORDS, the same statements with each record built; CEILING_ROWS,
 * one INSERT a row (the postings sixteen a statement, in key order) with
 * the values bound from memory, as an import's statements write them with
 * nothing else to do; CEILING_STAGED, the same rows bound the same way
 * into a temporary table with no index, then each table written from it
 * with one INSERT ... SELECT: what a staged import's statements would
 * cost, which pays a statement a row only where nothing is indexed. */
typedef struct ceiling_step {
    const char *name;
    const char *table;   /* what it writes (an FTS5 table: its shadow tables) */
    const char *copy;    /* the ceiling's statement */
    const char *records; /* the same, each record built; NULL: copy does */
    const char *rows;    /* the rows for CEILING_ROWS; NULL: copy them */
    const char *into;    /* and where they go */
    int per;             /* rows a statement */
} ceiling_step;

#define FTS_TEXT "coalesce(id_number, '') || '|' || replace(replace(phone, '-', ''), ' ', '')"

static const ceiling_step ceiling_steps[] = {
    {"communities", "communities", "INSERT INTO communities SELECT * FROM o.communities", NULL,
     NULL, NULL, 0},
    {"households", "households", "INSERT INTO households SELECT * FROM o.households", NULL, NULL,
     NULL, 0},
    {"residents", "residents", "INSERT INTO residents SELECT * FROM o.residents ORDER BY seq",
     NULL, "SELECT * FROM o.residents ORDER BY seq", "residents", 1},
    {"groups", "resident_groups", "INSERT INTO resident_groups SELECT * FROM o.resident_groups",
     "INSERT INTO resident_groups SELECT * FROM o.resident_groups WHERE 1",
     "SELECT * FROM o.resident_groups", "resident_groups", 1},
    {"audit", "audit_log", "INSERT INTO audit_log SELECT * FROM o.audit_log",
     "INSERT INTO audit_log SELECT * FROM o.audit_log WHERE 1", "SELECT * FROM o.audit_log",
     "audit_log", 1},
    {"postings", "search_names", "INSERT INTO search_names SELECT * FROM o.search_names",
     "INSERT INTO search_names SELECT * FROM o.search_names WHERE 1",
     "SELECT * FROM o.search_names", "search_names", 16},
    {"fts", "search_fts",
     "INSERT INTO search_fts(rowid, t) SELECT seq, " FTS_TEXT " FROM o.residents"
     " WHERE deleted_at IS NULL ORDER BY seq",
     NULL, "SELECT seq, " FTS_TEXT " FROM o.residents WHERE deleted_at IS NULL ORDER BY seq",
     "search_fts(rowid, t)", 1},
};

/* The first CEILING_REFERRED steps write what residents refer to. */
enum {
    CEILING_STEPS = sizeof ceiling_steps / sizeof *ceiling_steps,
    CEILING_REFERRED = 2,
    ROWS_MAX_CELLS = 256
};

/* A value read for a row statement, bound without a copy: the reader's
 * own buffer when a statement takes one row (it is written before the
 * reader moves on), else a copy in the arena the statement's rows share. */
typedef struct row_cell {
    int type;
    int64_t i;
    double f;
    const void *p;
    int n;
} row_cell;

typedef struct row_arena {
    char *p;
    size_t used, cap;
} row_arena;

static ws_status cell_read(sqlite3_stmt *r, int i, row_cell *c, row_arena *copy)
{
    c->type = sqlite3_column_type(r, i);
    if (c->type == SQLITE_INTEGER) {
        c->i = sqlite3_column_int64(r, i);
    } else if (c->type == SQLITE_FLOAT) {
        c->f = sqlite3_column_double(r, i);
    } else if (c->type != SQLITE_NULL) {
        c->p = c->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(r, i)
                                      : sqlite3_column_blob(r, i);
        c->n = sqlite3_column_bytes(r, i);
        if (copy) {
            if (copy->used + (size_t)c->n > copy->cap)
                return WS_ERR_NOMEM;
            memcpy(copy->p + copy->used, c->p, (size_t)c->n);
            c->p = copy->p + copy->used;
            copy->used += (size_t)c->n;
        }
    }
    return WS_OK;
}

/* Bind n cells to w and run it once: SQLite's extended result code. */
static int cells_write(sqlite3_stmt *w, const row_cell *c, int n)
{
    for (int k = 0; k < n; k++) {
        if (c[k].type == SQLITE_INTEGER)
            sqlite3_bind_int64(w, k + 1, c[k].i);
        else if (c[k].type == SQLITE_FLOAT)
            sqlite3_bind_double(w, k + 1, c[k].f);
        else if (c[k].type == SQLITE_TEXT)
            sqlite3_bind_text(w, k + 1, c[k].p, c[k].n, SQLITE_STATIC);
        else if (c[k].type == SQLITE_BLOB)
            sqlite3_bind_blob(w, k + 1, c[k].p, c[k].n, SQLITE_STATIC);
        else
            sqlite3_bind_null(w, k + 1);
    }
    int rc = sqlite3_step(w);
    if (rc != SQLITE_DONE)
        rc = sqlite3_extended_errcode(sqlite3_db_handle(w));
    sqlite3_reset(w);
    return rc;
}

/* "INSERT INTO into VALUES (?, ...), ..." for per rows of ncol. */
static char *rows_insert_sql(const char *into, int ncol, int per)
{
    char *sql = sqlite3_mprintf("INSERT INTO %s VALUES ", into);
    for (int k = 0; sql && k < per; k++)
        for (int i = 0; sql && i < ncol; i++) {
            char *more = sqlite3_mprintf("%s%s%s%s", sql, i ? "" : (k ? ",(" : "("),
                                         i ? ",?" : "?", i + 1 == ncol ? ")" : "");
            sqlite3_free(sql);
            sql = more;
        }
    return sql;
}

static sqlite3_stmt *rows_prepare(db *c, const char *into, int ncol, int per)
{
    char *sql = rows_insert_sql(into, ncol, per);
    sqlite3_stmt *w = NULL;
    if (sql && sqlite3_prepare_v2(db_handle(c), sql, -1, &w, NULL) != SQLITE_OK)
        w = NULL;
    sqlite3_free(sql);
    return w;
}

/* rows' rows written into `into`, per a statement while they last, the
 * tail one by one; *code is SQLite's extended result code of a failure. */
static ws_status rows_write(db *c, const char *rows, const char *into, int per, int *code)
{
    sqlite3_stmt *r = NULL;
    *code = sqlite3_prepare_v2(db_handle(c), rows, -1, &r, NULL);
    if (*code != SQLITE_OK)
        return db_status_from(*code);
    int ncol = sqlite3_column_count(r);
    row_cell cells[ROWS_MAX_CELLS];
    if (ncol * per > ROWS_MAX_CELLS) {
        sqlite3_finalize(r);
        return WS_ERR_INVALID;
    }
    sqlite3_stmt *w = rows_prepare(c, into, ncol, per);
    sqlite3_stmt *one = per > 1 ? rows_prepare(c, into, ncol, 1) : w;
    row_arena arena = {.cap = per > 1 ? 1u << 20 : 0};
    ws_status s = WS_OK;
    if (!w || !one)
        s = db_status(c);
    else if (arena.cap && !(arena.p = malloc(arena.cap)))
        s = WS_ERR_NOMEM;
    int k = 0, rc = SQLITE_DONE;
    while (s == WS_OK && (rc = sqlite3_step(r)) == SQLITE_ROW) {
        for (int i = 0; s == WS_OK && i < ncol; i++)
            s = cell_read(r, i, &cells[k * ncol + i], arena.cap ? &arena : NULL);
        if (s == WS_OK && ++k == per) {
            rc = cells_write(w, cells, k * ncol);
            k = 0;
            arena.used = 0;
            if (rc != SQLITE_DONE)
                break;
        }
    }
    for (int j = 0; rc == SQLITE_DONE && s == WS_OK && j < k; j++)
        rc = cells_write(one, &cells[j * ncol], ncol);
    if (s == WS_OK && rc != SQLITE_DONE) {
        *code = rc;
        s = db_status_from(rc);
    }
    if (one != w)
        sqlite3_finalize(one);
    sqlite3_finalize(w);
    sqlite3_finalize(r);
    free(arena.p);
    return s;
}

/* rows written as rows_write does into a bare temporary table, then from
 * it into `into` with one statement (each record built once, staged). */
static ws_status staged_write(db *c, const char *rows, const char *into, int per, int *code)
{
    *code = SQLITE_OK;
    char *make = sqlite3_mprintf("CREATE TEMP TABLE ws_stage AS %s LIMIT 0", rows);
    char *copy = sqlite3_mprintf("INSERT INTO %s SELECT * FROM temp.ws_stage", into);
    ws_status s = make && copy ? db_exec(c, make) : WS_ERR_NOMEM;
    if (s == WS_OK) {
        s = rows_write(c, rows, "temp.ws_stage", per, code);
        if (s == WS_OK && (*code = sqlite3_exec(db_handle(c), copy, NULL, NULL, NULL)) !=
                              SQLITE_OK) {
            *code = sqlite3_extended_errcode(db_handle(c));
            s = db_status_from(*code);
        }
        ws_status d = db_exec(c, "DROP TABLE temp.ws_stage");
        if (s == WS_OK)
            s = d;
    }
    sqlite3_free(make);
    sqlite3_free(copy);
    return s;
}

/* One of the rest's tables copied as mode says, inside a savepoint: a
 * copy refused for a reference leaves nothing (*fk set). */
static ws_status rest_copy_one(db *c, const char *name, ceiling_mode mode, int64_t *rows,
                               bool *fk)
{
    *fk = false;
    sqlite3 *h = db_handle(c);
    int64_t before = sqlite3_total_changes64(h);
    bool each = mode == CEILING_ROWS || mode == CEILING_STAGED;
    char *sql = each
        ? sqlite3_mprintf("SELECT * FROM o.\"%w\"", name)
        : sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM o.\"%w\"%s", name, name,
                          mode == CEILING_RECORDS ? " WHERE 1" : "");
    char *into = sqlite3_mprintf("main.\"%w\"", name);
    ws_status s = sql && into ? db_begin(c) : WS_ERR_NOMEM;
    if (s == WS_OK) {
        int code = SQLITE_OK;
        if (mode == CEILING_ROWS) {
            s = rows_write(c, sql, into, 1, &code);
        } else if (mode == CEILING_STAGED) {
            s = staged_write(c, sql, into, 1, &code);
        } else if ((code = sqlite3_exec(h, sql, NULL, NULL, NULL)) != SQLITE_OK) {
            code = sqlite3_extended_errcode(h);
            s = db_status_from(code);
        }
        *fk = code == SQLITE_CONSTRAINT_FOREIGNKEY;
        if (s == WS_OK) {
            *rows += sqlite3_total_changes64(h) - before;
            s = db_commit(c);
        } else {
            db_rollback(c);
        }
    }
    sqlite3_free(sql);
    sqlite3_free(into);
    return s;
}

/* Each table once the tables it refers to are there: a copy refused for
 * a reference is tried again in the next pass. */
ws_status bench_ceiling_rest_copy(db *c, ceiling_rest *r, ceiling_mode mode)
{
    bool *done = calloc(r->n + 1, sizeof *done);
    if (!done)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    size_t left = r->n;
    while (s == WS_OK && left) {
        size_t before = left;
        for (size_t i = 0; s == WS_OK && i < r->n; i++) {
            bool fk;
            if (done[i])
                continue;
            s = rest_copy_one(c, r->names[i], mode, &r->rows, &fk);
            if (s == WS_OK) {
                done[i] = true;
                left--;
            } else if (fk) {
                s = WS_OK;
            }
        }
        if (s == WS_OK && left == before)
            s = WS_ERR_INVALID; /* a cycle of references: not a station's */
    }
    free(done);
    return s;
}

static ws_status ceiling_run(db *c, const ceiling_step *st, ceiling_mode mode)
{
    int code;
    if (mode == CEILING_ROWS && st->rows)
        return rows_write(c, st->rows, st->into, st->per, &code);
    if (mode == CEILING_STAGED && st->rows)
        return staged_write(c, st->rows, st->into, st->per, &code);
    return db_exec(c, mode == CEILING_RECORDS && st->records ? st->records : st->copy);
}

ws_status bench_ceiling(station *st, const char *scratch, ceiling_mode mode, double *seconds,
                        int64_t *residents, FILE *out)
{
    *seconds = 0;
    *residents = 0;
    db *c = NULL;
    ws_status s = bench_scratch_attach(st, scratch, &c);
    if (!c)
        return s;
    /* Every other table the station holds (cases, visits, volunteers,
     * the declared kinds' terms, ...): what a demo writes besides. */
    ceiling_rest rest = {0};
    if (s == WS_OK)
        s = bench_ceiling_rest_prepare(c, &rest);
    double t0 = bench_clock_ms();
    if (s == WS_OK)
        s = db_begin(c);
    double step[CEILING_STEPS + 2] = {0}, t = t0;
    for (size_t i = 0; s == WS_OK && i < CEILING_STEPS; i++) {
        s = ceiling_run(c, &ceiling_steps[i], mode);
        step[i] = bench_clock_ms() - t;
        t += step[i];
    }
    if (s == WS_OK)
        s = bench_ceiling_rest_copy(c, &rest, mode);
    step[CEILING_STEPS] = bench_clock_ms() - t;
    t += step[CEILING_STEPS];
    if (s == WS_OK)
        s = db_commit(c);
    else
        db_rollback(c);
    step[CEILING_STEPS + 1] = bench_clock_ms() - t;
    *seconds = (bench_clock_ms() - t0) / 1e3;
    for (size_t i = 0; out && s == WS_OK && i <= CEILING_STEPS + 1; i++)
        fprintf(out, "%s%s %.2f s%s", i ? ", " : "  of which ",
                i < CEILING_STEPS ? ceiling_steps[i].name
                                  : i == CEILING_STEPS ? "the rest" : "commit",
                step[i] / 1e3, i == CEILING_STEPS + 1 ? "\n" : "");
    if (out && s == WS_OK && mode == CEILING_COPY)
        fprintf(out, "  the rest: %zu other tables, %lld rows\n", rest.n, (long long)rest.rows);
    bench_ceiling_rest_free(&rest);
    if (s == WS_OK)
        s = db_int(c, "SELECT count(*) FROM residents", 0, residents);
    db_close(&c);
    return s;
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
static ws_status cost_time(db *c, const ceiling_step *t, char names[][128], size_t n, long keep,
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

static ws_status cost_table_run(db *c, db *station, const ceiling_step *t, double per, FILE *out,
                                double *total)
{
    char names[COST_MAX_INDEXES][128];
    size_t n;
    ws_status s = cost_indexes(c, t->table, names, &n);
    double alone = 0;
    if (s == WS_OK)
        s = cost_time(c, t, names, n, -1, &alone);
    if (s != WS_OK)
        return s;
    bool fts = strcmp(t->table, "search_fts") == 0;
    cost_line(out, t->table, alone, cost_bytes(station, t->table, fts), per);
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
    for (size_t i = 0; s == WS_OK && i < CEILING_REFERRED; i++)
        s = db_exec(c, ceiling_steps[i].copy);
    double per = (double)residents, total = 0;
    if (s == WS_OK)
        fprintf(out, "what a resident costs in the write ceiling (%lld residents; the table alone,"
                     " then each index; ms per 1,000 residents, bytes per resident):\n",
                (long long)residents);
    /* The tables a resident writes: those after what residents refer to. */
    for (size_t i = CEILING_REFERRED; s == WS_OK && i < CEILING_STEPS; i++)
        s = cost_table_run(c, d, &ceiling_steps[i], per, out, &total);
    if (s == WS_OK)
        fprintf(out, "  %-24s %8.3f ms (before the commit)\n", "all of these",
                total * 1000.0 / per);
    db_close(&c);
    return s;
}
