/* Casework benchmark: what a 社工 opens all day, timed on the station as
 * it is, each beside a naive way measured in the same run:
 *   the due-visits list's first page    vs every person's last visit by its own query;
 *   the cases list's first page         vs every case read and sorted;
 *   a person's visit history            vs the visits scanned without the index;
 *   a case file PDF                     (no naive way: the figure alone). */
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "station_internal.h"
#include "wushe/casework.h"
#include "wushe/print.h"
#include "wushe/record.h"

#define BENCH_PAGE 50

static void bench_line(FILE *out, const char *what, double *t, size_t n, double *naive,
                       size_t nn)
{
    double p50 = bench_percentile(t, n, 0.5), p95 = bench_percentile(t, n, 0.95);
    if (nn) {
        double b50 = bench_percentile(naive, nn, 0.5);
        fprintf(out, "%-28s p50 %8.2f ms  p95 %8.2f ms   naive p50 %9.2f ms  (%.0fx)\n", what,
                p50, p95, b50, p50 > 0 ? b50 / p50 : 0.0);
    } else {
        fprintf(out, "%-28s p50 %8.2f ms  p95 %8.2f ms\n", what, p50, p95);
    }
}

/* Naive due list: each scheduled person's last visit by its own query. */
static ws_status naive_due(station *st)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT DISTINCT resident_id FROM resident_groups");
    if (!q)
        return db_status(d);
    int64_t got = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        int64_t rid = sqlite3_column_int64(q, 0);
        char last[16];
        db_text_i64(d, "SELECT coalesce(max(visit_date), '') FROM visits WHERE resident_id = ?1"
                       " AND deleted_at IS NULL", rid, last, sizeof last);
        got += last[0] != 0;
    }
    db_reset(q);
    return got >= 0 ? WS_OK : WS_ERR_DB;
}

ws_status bench_casework(station *st, const bench_opts *opts)
{
    FILE *out = opts->out;
    size_t runs = opts->queries ? opts->queries / 4 + 5 : 50, nn = 3;
    double *t = calloc(runs, sizeof *t), naive[8];
    due_row *due = calloc(BENCH_PAGE, sizeof *due);
    record_row *rows = calloc(BENCH_PAGE, sizeof *rows);
    ws_status s = t && due && rows ? WS_OK : WS_ERR_NOMEM;
    int64_t visits = 0, cases = 0;
    db *d = station_db(st);
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM visits", 0, &visits);
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM cases", 0, &cases);
    if (s == WS_OK)
        fprintf(out, "casework: %lld visits, %lld cases\n", (long long)visits, (long long)cases);
    /* The due list's first page. */
    size_t n = 0;
    due_filter f = {0};
    for (size_t i = 0; s == WS_OK && i < runs; i++) {
        double a = bench_clock_ms();
        s = due_list(st, &f, 0, 0, 1, due, BENCH_PAGE, &n);
        t[i] = bench_clock_ms() - a;
    }
    for (size_t i = 0; s == WS_OK && i < nn; i++) {
        double a = bench_clock_ms();
        s = naive_due(st);
        naive[i] = bench_clock_ms() - a;
    }
    if (s == WS_OK)
        bench_line(out, "due visits, first page", t, runs, naive, nn);
    /* The cases list's first page (newest first). */
    for (size_t i = 0; s == WS_OK && i < runs; i++) {
        double a = bench_clock_ms();
        s = record_list(st, &kind_case, NULL, false, 0, 1, rows, BENCH_PAGE, &n);
        t[i] = bench_clock_ms() - a;
    }
    for (size_t i = 0; s == WS_OK && i < nn; i++) {
        double a = bench_clock_ms();
        int64_t all = 0;
        s = db_int(d, "SELECT count(*) FROM (SELECT * FROM cases NOT INDEXED WHERE deleted_at"
                      " IS NULL ORDER BY number DESC)", 0, &all);
        naive[i] = bench_clock_ms() - a;
    }
    if (s == WS_OK)
        bench_line(out, "cases, first page", t, runs, naive, nn);
    /* A person's visit history: people with visits, drawn in turn. */
    int64_t *people = calloc(runs, sizeof *people);
    size_t np = 0;
    sqlite3_stmt *q = s == WS_OK && people ? db_prepare(d,
        "SELECT resident_id FROM visits WHERE id % 97 = 0 LIMIT ?1") : NULL;
    if (q) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)runs);
        while (np < runs && sqlite3_step(q) == SQLITE_ROW)
            people[np++] = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    for (size_t i = 0; s == WS_OK && i < np; i++) {
        record_parent p = {.field = VF_RESIDENT, .id = people[i]};
        double a = bench_clock_ms();
        s = record_list_in(st, &kind_visit, &p, NULL, false, 0, 1, rows, BENCH_PAGE, &n);
        t[i] = bench_clock_ms() - a;
    }
    for (size_t i = 0; s == WS_OK && np && i < nn; i++) {
        double a = bench_clock_ms();
        int64_t c = 0;
        s = db_int(d, "SELECT count(*) FROM visits NOT INDEXED WHERE resident_id = ?1",
                   people[i % np], &c);
        naive[i] = bench_clock_ms() - a;
    }
    if (s == WS_OK && np)
        bench_line(out, "a person's visit history", t, np, naive, nn);
    free(people);
    /* A case file PDF. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/wushe-bench-case-%d.pdf", (int)getpid());
    size_t npdf = 0, want = runs < 20 ? runs : 20;
    q = s == WS_OK ? db_prepare(d, "SELECT id FROM cases WHERE status = 'closed' LIMIT ?1")
                   : NULL;
    int64_t ids[20];
    size_t nids = 0;
    if (q) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)want);
        while (nids < want && sqlite3_step(q) == SQLITE_ROW)
            ids[nids++] = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    for (size_t i = 0; s == WS_OK && i < nids; i++) {
        char err[512];
        int pages = 0;
        double a = bench_clock_ms();
        s = print_case(st, ids[i], path, &pages, err, sizeof err);
        t[npdf++] = bench_clock_ms() - a;
    }
    unlink(path);
    if (s == WS_OK && npdf)
        bench_line(out, "a case file PDF", t, npdf, NULL, 0);
    free(t);
    free(due);
    free(rows);
    return s;
}
