/* wushe bench orgs: the organisations list's first page and a project's
 * computed indicators at county scale (5,000 organisations, 20,000
 * projects, each project with its activities and sessions), each beside a
 * naive query measured in the same run. The fill is plain INSERT ...
 * SELECT into a scratch station: a bench of reads. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/orgs.h"

static const char *const bo_fill_sql[] = {
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)"
    " INSERT INTO organisations(id, number, name, type, legal_form, leader_name, status, stage,"
    " sort_key, revision, created_at, updated_at)"
    " SELECT 7000000000 + i, printf('000000000000O%06d', 100000 + i), '测试组织' || i,"
    " 'culture', 'ledger', '负责人', 'active', CASE i % 9 WHEN 0 THEN 'incubation' ELSE '' END,"
    " CAST(printf('%08d', i) AS BLOB), 1, '2026-01-01', '2026-01-01' FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)"
    " INSERT INTO projects(id, number, title, kind, funder, amount, start_date, org_id, status,"
    " target_sessions, sort_key, revision, created_at, updated_at)"
    " SELECT 7100000000 + i, printf('000000000000P%06d', 100000 + i), '测试项目' || i,"
    " 'micro', 'government', 1000000, '2026-01-01', 7000000000 + i % ?1, 'running', 10,"
    " CAST(printf('%08d', i) AS BLOB), 1, '2026-01-01', '2026-01-01' FROM n",
    /* Two activities a project, four sessions each. */
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2 * 2)"
    " INSERT INTO activities(id, title, type, project_id, sort_key, revision, created_at,"
    " updated_at) SELECT 7200000000 + i, '项目活动' || i, 'community', 7100000000 + i / 2,"
    " CAST(printf('%08d', i) AS BLOB), 1, '2026-01-01', '2026-01-01' FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2 * 8)"
    " INSERT INTO activity_sessions(id, activity_id, session_date, start_time, end_time,"
    " unnamed_count, revision, created_at, updated_at)"
    " SELECT 7300000000 + i, 7200000000 + i / 4, date('2026-01-05', '+' || (i % 300) || ' days'),"
    " '09:00', '11:00', 5 + i % 11, 1, '2026-01-01', '2026-01-01' FROM n",
};

static ws_status bo_exec(db *d, const char *sql, long long a, long long b)
{
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    if (sqlite3_bind_parameter_count(q) >= 1)
        sqlite3_bind_int64(q, 1, a);
    if (sqlite3_bind_parameter_count(q) >= 2)
        sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status bo_fill(station *st, size_t orgs, size_t projects, FILE *out)
{
    db *d = station_db(st);
    double t0 = bench_clock_ms();
    ws_status s = db_begin(d);
    for (size_t i = 0; s == WS_OK && i < sizeof bo_fill_sql / sizeof *bo_fill_sql; i++)
        s = bo_exec(d, bo_fill_sql[i], (long long)orgs, (long long)projects);
    s = db_end(d, s);
    if (s == WS_OK)
        fprintf(out, "filled %zu organisations, %zu projects with %zu activities in %.1f s\n",
                orgs, projects, projects * 2, (bench_clock_ms() - t0) / 1000);
    return s;
}

/* The naive first page: every organisation read and sorted, no index. */
static ws_status bo_naive_page(db *d)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT id, number, name, type, leader_name, status, stage"
                                    " FROM organisations NOT INDEXED WHERE deleted_at IS NULL"
                                    " ORDER BY +sort_key, id LIMIT 50");
    if (!q)
        return db_status(d);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        ;
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The naive actuals: every session scanned, its activity looked up. */
static ws_status bo_naive_actuals(db *d, int64_t project, int64_t *sessions)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM activity_sessions s NOT INDEXED"
                                    " WHERE (SELECT +project_id FROM activities"
                                    " WHERE id = s.activity_id) = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, project);
    int rc = sqlite3_step(q);
    *sessions = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status bench_orgs(station *st, bool fill, size_t orgs, size_t projects, size_t queries,
                     FILE *out)
{
    db *d = station_db(st);
    ws_status s = fill ? bo_fill(st, orgs, projects, out) : WS_OK;
    int64_t norg = 0, nproj = 0;
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM organisations WHERE deleted_at IS NULL", 0, &norg);
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM projects WHERE deleted_at IS NULL", 0, &nproj);
    if (s != WS_OK)
        return s;
    if (nproj == 0)
        return WS_ERR_NOT_FOUND;
    fprintf(out, "%lld organisations, %lld projects\n", (long long)norg, (long long)nproj);
    size_t nq = queries ? queries : 200, nn = 10;
    double *ours = calloc(nq, sizeof *ours), *naive = calloc(nq, sizeof *naive);
    int64_t *ids = calloc(nq, sizeof *ids);
    if (!ours || !naive || !ids) {
        free(ours);
        free(naive);
        free(ids);
        return WS_ERR_NOMEM;
    }
    fprintf(out, "%-36s %6s %9s %9s %11s %8s\n", "what", "n", "p50 ms", "p95 ms", "naive p50",
            "ratio");
    /* The organisations list's first page (50, in pinyin order). */
    for (size_t i = 0; s == WS_OK && i < nq; i++) {
        record_row rows[50];
        size_t n = 0;
        double t0 = bench_clock_ms();
        s = record_list(st, &kind_organisation, NULL, false, 0, 1, rows, 50, &n);
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < nn) {
            t0 = bench_clock_ms();
            s = bo_naive_page(d);
            naive[i] = bench_clock_ms() - t0;
        }
    }
    if (s == WS_OK)
        bench_table_row(out, "organisations first page (50)", ours, nq, naive, nn);
    /* A project's computed indicators, projects spread over the table. */
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, "SELECT id FROM projects WHERE deleted_at IS NULL"
                                                 " ORDER BY (id * 2654435761) % 1000003 LIMIT ?1")
                                 : NULL;
    size_t got = 0;
    if (q) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)nq);
        while (got < nq && sqlite3_step(q) == SQLITE_ROW)
            ids[got++] = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    for (size_t i = 0; s == WS_OK && i < got; i++) {
        project_actuals pa;
        double t0 = bench_clock_ms();
        s = project_actuals_get(st, ids[i], &pa);
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < nn) {
            int64_t n = 0;
            t0 = bench_clock_ms();
            s = bo_naive_actuals(d, ids[i], &n);
            naive[i] = bench_clock_ms() - t0;
            if (s == WS_OK && n != pa.counts.sessions)
                s = WS_ERR_INVALID; /* the two disagree: a bug, not a figure */
        }
    }
    if (s == WS_OK && got)
        bench_table_row(out, "a project's computed indicators", ours, got, naive, got < nn ? got : nn);
    free(ours);
    free(naive);
    free(ids);
    return s;
}
