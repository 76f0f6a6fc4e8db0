/* wushe bench: search at county scale, measured against a naive scan. */
#ifndef WUSHE_BENCH_H
#define WUSHE_BENCH_H

#include <stddef.h>
#include <stdio.h>

#include "db.h"
#include "wushe/station.h"

typedef struct bench_opts {
    size_t queries; /* per class (default 200) */
    size_t naive;   /* naive scans per class (default 20) */
    FILE *out;
} bench_opts;

/* A monotonic clock in milliseconds; the p-th fraction (0.5, 0.95) of
 * v[0..n) (sorted in place). For the benches of the other modules. */
double bench_clock_ms(void);
double bench_percentile(double *v, size_t n, double p);
/* One figure's line: n timings' p50 and p95 beside the naive p50 of nn,
 * and their ratio (the benches of volunteers and organisations). */
void bench_table_row(FILE *out, const char *what, double *v, size_t n, double *naive,
                     size_t nn);

/* A volunteer's totals, star level and balance, the volunteers list's
 * first page with them, and the activity counts, each beside a naive query
 * in the same run (bench_volunteers.c). With `fill`, first add `volunteers`
 * synthetic volunteers with `entries` hour entries between them (plain
 * INSERT ... SELECT into a scratch station: a bench of reads). */
ws_status bench_volunteers(station *st, bool fill, size_t volunteers, size_t entries,
                           size_t queries, FILE *out);

/* The organisations list's first page and a project's computed
 * indicators beside naive queries (bench_orgs.c); with `fill`, first add
 * `orgs` organisations and `projects` projects with their activities. */
ws_status bench_orgs(station *st, bool fill, size_t orgs, size_t projects, size_t queries,
                     FILE *out);

/* Time the first page of every query class on an open station. */
ws_status bench_search(station *st, const bench_opts *opts);

/* Time what casework opens all day (bench_casework.c). */
ws_status bench_casework(station *st, const bench_opts *opts);

/* How bench_ceiling writes the rows (bench_ceiling.c says why). */
typedef enum {
    CEILING_COPY,    /* INSERT ... SELECT: the ceiling */
    CEILING_RECORDS, /* the same, each record built (no table-to-table copy) */
    CEILING_ROWS,    /* one INSERT a row, postings 16 a statement: an import's writes */
    CEILING_STAGED,  /* the rows so into a bare temporary table, then INSERT ... SELECT */
} ceiling_mode;

/* Copy the station's rows into a new database at scratch (same schema,
 * one transaction) as mode says: the seconds SQLite alone needs to write
 * them, a floor for any fill or import. Each step's time goes to out.
 * scratch is left behind. */
ws_status bench_ceiling(station *st, const char *scratch, ceiling_mode mode, double *seconds,
                        int64_t *residents, FILE *out);

/* A new database at scratch with the station's schema, the station
 * attached to it as "o" (*out is NULL when it could not be opened; else
 * the caller closes it, whatever the status). */
ws_status bench_scratch_attach(station *st, const char *scratch, db **out);

/* The ceiling's other tables: every table of the station but those of the
 * residents (communities, households, residents, their groups, the audit
 * log, the search index), emptied in the scratch before the timing
 * (prepare), then copied in the timed transaction, each after the tables
 * it refers to (copy, as mode says). */
typedef struct ceiling_rest {
    char (*names)[128];
    size_t n;
    int64_t rows;
} ceiling_rest;
ws_status bench_ceiling_rest_prepare(db *scratch, ceiling_rest *r);
ws_status bench_ceiling_rest_copy(db *scratch, ceiling_rest *r, ceiling_mode mode);
void bench_ceiling_rest_free(ceiling_rest *r);

/* What each table a resident writes and each of its indexes cost within
 * that ceiling (ms per 1,000 residents, bytes per resident), printed to
 * out (bench_ceiling.c); scratch is left behind. */
ws_status bench_ceiling_costs(station *st, const char *scratch, FILE *out);

#endif
