/* wushe bench volunteers: what issue 12 asks to be fast at 10,000
 * volunteers and 1,000,000 hour entries: a volunteer's totals, star level
 * and balance (< 5 ms), the volunteers list's first page with totals and
 * stars (p95 < 20 ms), and the activity counts; each beside a naive query
 * measured in the same run (the ledger read without its index, or every
 * row summed in C). The synthetic rows go in by INSERT ... SELECT: this is
 * a bench of reads, and the fill is not the model's write path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "db.h"
#include "station_internal.h"
#include "wushe/volunteer.h"

#define BV_VOL0 1000000000LL   /* synthetic ids: volunteers from here */
#define BV_ACT0 2000000000LL   /* activities */
#define BV_SES0 3000000000LL   /* sessions */
#define BV_HOUR0 4000000000LL  /* hour entries */
#define BV_PTS0 6000000000LL   /* points */
#define BV_ATT0 8000000000LL   /* attendance */

static ws_status bv_exec(db *d, const char *sql, long long a, long long b)
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

/* ?1 volunteers, ?2 entries; sessions one per 50 entries, 20 residents
 * at each, every entry earning points. */
static const char *const bv_fill_sql[] = {
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)"
    " INSERT INTO volunteers(id, number, name, phone, registered_date, skills, status,"
    " sort_key, revision, created_at, updated_at)"
    " SELECT 1000000000 + i, printf('000000000000V%06d', 500000 + i), '志愿者' || i,"
    " printf('139%08d', i), '2020-01-01', 'care', 'active', CAST(printf('%08d', i) AS BLOB),"
    " 1, '2026-01-01', '2026-01-01' FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2 / 5000 + 1)"
    " INSERT INTO activities(id, title, type, sort_key, revision, created_at, updated_at)"
    " SELECT 2000000000 + i, '活动' || i, 'community', CAST(printf('%08d', i) AS BLOB), 1,"
    " '2026-01-01', '2026-01-01' FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2 / 50 + 1)"
    " INSERT INTO activity_sessions(id, activity_id, session_date, start_time, end_time,"
    " unnamed_count, revision, created_at, updated_at)"
    " SELECT 3000000000 + i, 2000000000 + i / 100, date('2025-12-01', '+' || (i % 350) || ' days'),"
    " '09:00', '11:00', i % 7, 1, '2026-01-01', '2026-01-01' FROM n",
    "CREATE TEMP TABLE bv_res(k INTEGER PRIMARY KEY, id INTEGER)",
    "INSERT INTO bv_res SELECT row_number() OVER (ORDER BY id) - 1, id FROM residents"
    " WHERE deleted_at IS NULL",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < (?2 / 50 + 1) * 20)"
    " INSERT INTO session_attendance(id, session_id, resident_id, mark, revision, created_at,"
    " updated_at)"
    " SELECT 8000000000 + i, 3000000000 + i / 20,"
    " (SELECT id FROM bv_res WHERE k = (i * 7919) % (SELECT max(k) + 1 FROM bv_res)),"
    " CASE WHEN i % 9 = 0 THEN 'absent' ELSE 'present' END, 1, '2026-01-01', '2026-01-01'"
    " FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)"
    " INSERT INTO hour_entries(id, volunteer_id, session_id, service_date, minutes, entry_kind,"
    " recorded_by, recorded_at, confirmed_by, confirmed_at)"
    " SELECT 4000000000 + i, 1000000000 + i % ?1, 3000000000 + i / 50,"
    " date('2025-12-01', '+' || ((i / 50) % 350) || ' days'), 60 + i % 90, 'entry',"
    " 'bench', '2026-01-01', CASE WHEN i % 1000 = 7 THEN NULL ELSE 'bench' END,"
    " CASE WHEN i % 1000 = 7 THEN NULL ELSE '2026-01-01' END FROM n",
    "INSERT INTO points_movements(id, volunteer_id, movement_date, points, movement,"
    " hour_entry_id, recorded_by, recorded_at)"
    " SELECT id + 2000000000, volunteer_id, service_date, minutes / 6, 'earn', id, 'bench',"
    " '2026-01-01' FROM hour_entries WHERE id >= 4000000000",
    "DROP TABLE bv_res",
    "ANALYZE",
};

static ws_status bv_fill(station *st, size_t vols, size_t entries, FILE *out)
{
    db *d = station_db(st);
    double t0 = bench_clock_ms();
    ws_status s = db_begin(d);
    for (size_t i = 0; s == WS_OK && i < sizeof bv_fill_sql / sizeof *bv_fill_sql; i++)
        s = bv_exec(d, bv_fill_sql[i], (long long)vols, (long long)entries);
    s = db_end(d, s);
    if (s == WS_OK)
        fprintf(out, "filled %zu volunteers, %zu hour entries and their points, %zu sessions"
                     " with 20 residents each: %.1f s\n",
                vols, entries, entries / 50 + 1, (bench_clock_ms() - t0) / 1000);
    return s;
}

/* The naive total: the ledger read whole, without its index. */
static ws_status bv_naive_totals(db *d, int64_t vid, int64_t *minutes)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT volunteer_id, minutes, confirmed_at IS NOT NULL"
                                    " FROM hour_entries NOT INDEXED");
    if (!q)
        return db_status(d);
    int rc;
    *minutes = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (sqlite3_column_int64(q, 0) == vid && sqlite3_column_int(q, 2))
            *minutes += sqlite3_column_int64(q, 1);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status bench_volunteers(station *st, bool fill, size_t vols, size_t entries, size_t queries,
                           FILE *out)
{
    db *d = station_db(st);
    ws_status s = fill ? bv_fill(st, vols, entries, out) : WS_OK;
    int64_t nvol = 0, nent = 0;
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM volunteers WHERE deleted_at IS NULL", 0, &nvol);
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM hour_entries", 0, &nent);
    if (s != WS_OK)
        return s;
    if (nvol == 0)
        return WS_ERR_NOT_FOUND;
    fprintf(out, "%lld volunteers, %lld hour entries\n", (long long)nvol, (long long)nent);
    size_t nq = queries ? queries : 200, nn = 10;
    double *ours = calloc(nq, sizeof *ours), *naive = calloc(nq, sizeof *naive);
    int64_t *ids = calloc(nq, sizeof *ids);
    if (!ours || !naive || !ids) {
        free(ours);
        free(naive);
        free(ids);
        return WS_ERR_NOMEM;
    }
    /* Volunteers spread over the list, the same ones every run. */
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM volunteers WHERE deleted_at IS NULL"
                                    " ORDER BY (id * 2654435761) % 1000003 LIMIT ?1");
    size_t got = 0;
    if (q) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)nq);
        while (got < nq && sqlite3_step(q) == SQLITE_ROW)
            ids[got++] = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    fprintf(out, "%-36s %6s %9s %9s %11s %8s\n", "what", "n", "p50 ms", "p95 ms", "naive p50",
            "ratio");
    /* A volunteer's totals, star level and balance. */
    for (size_t i = 0; s == WS_OK && i < got; i++) {
        volunteer_totals t;
        double t0 = bench_clock_ms();
        s = volunteer_totals_get(st, ids[i], "2026-01-01", "2026-06-30", &t);
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < nn) {
            int64_t m = 0;
            t0 = bench_clock_ms();
            s = bv_naive_totals(d, ids[i], &m);
            naive[i] = bench_clock_ms() - t0;
            if (s == WS_OK && m != t.minutes)
                s = WS_ERR_INVALID; /* the two disagree: a bug, not a figure */
        }
    }
    if (s == WS_OK)
        bench_table_row(out, "volunteer totals+stars+points", ours, got, naive, got < nn ? got : nn);
    /* The list's first page (50, in name order) with each one's totals;
     * naive: every volunteer's total summed in C from one pass. */
    size_t pages = nq / 10 ? nq / 10 : 1;
    for (size_t i = 0; s == WS_OK && i < pages; i++) {
        record_row rows[50];
        size_t n = 0;
        double t0 = bench_clock_ms();
        s = record_list(st, &kind_volunteer, NULL, false, 0, 1, rows, 50, &n);
        for (size_t r = 0; s == WS_OK && r < n; r++) {
            volunteer_totals t;
            s = volunteer_totals_get(st, rows[r].id, "", "", &t);
        }
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < 3) {
            t0 = bench_clock_ms();
            int64_t m = 0;
            for (size_t r = 0; s == WS_OK && r < n && r < 5; r++)
                s = bv_naive_totals(d, rows[r].id, &m);
            /* Five scans measured; fifty would be ten times that. */
            naive[i] = (bench_clock_ms() - t0) * (double)n / 5.0;
        }
    }
    if (s == WS_OK)
        bench_table_row(out, "list first page (50) with totals", ours, pages, naive, pages < 3 ? pages : 3);
    /* The first page of every volunteer's entries waiting for a 站长 (one
     * in a thousand); naive: the ledger walked without the partial index. */
    for (size_t i = 0; s == WS_OK && i < pages; i++) {
        hour_entry page[50];
        size_t n = 0;
        double t0 = bench_clock_ms();
        s = hours_list_pending(st, 0, 0, page, 50, &n);
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < 3) {
            t0 = bench_clock_ms();
            int64_t m = 0;
            s = db_int(d, "SELECT count(*) FROM (SELECT id FROM hour_entries NOT INDEXED"
                          " WHERE confirmed_at IS NULL AND entry_kind <> 'reversal'"
                          " ORDER BY id DESC LIMIT 50) WHERE ?1 = ?1", 0, &m);
            naive[i] = bench_clock_ms() - t0;
            if (s == WS_OK && (size_t)m != n)
                s = WS_ERR_INVALID;
        }
    }
    if (s == WS_OK)
        bench_table_row(out, "pending hours, first page (50)", ours, pages, naive, pages < 3 ? pages : 3);
    /* The counts of one activity, and of the whole station for a year. */
    int64_t acts = 0;
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM activities", 0, &acts);
    sqlite3_stmt *aq = s == WS_OK ? db_prepare(d, "SELECT id FROM activities ORDER BY id"
                                                  " LIMIT 1 OFFSET ?1")
                                  : NULL;
    for (size_t i = 0; s == WS_OK && aq && acts > 0 && i < pages; i++) {
        sqlite3_bind_int64(aq, 1, (sqlite3_int64)((i * 7919) % (size_t)acts));
        int64_t aid = sqlite3_step(aq) == SQLITE_ROW ? sqlite3_column_int64(aq, 0) : 0;
        db_reset(aq);
        activity_counts c;
        double t0 = bench_clock_ms();
        s = activity_counts_get(st, aid, "", "", &c);
        ours[i] = bench_clock_ms() - t0;
        if (s == WS_OK && i < 3) {
            /* Naive: the attendance read without its index. */
            t0 = bench_clock_ms();
            sqlite3_stmt *nq2 = db_prepare(d,
                "SELECT count(DISTINCT a.resident_id) FROM session_attendance a NOT INDEXED"
                " JOIN activity_sessions s ON s.id = a.session_id"
                " WHERE s.activity_id = ?1 AND a.mark IN ('present', 'late')");
            if (nq2) {
                sqlite3_bind_int64(nq2, 1, aid);
                int64_t people = sqlite3_step(nq2) == SQLITE_ROW ? sqlite3_column_int64(nq2, 0)
                                                                   : -1;
                db_reset(nq2);
                if (people != c.people)
                    s = WS_ERR_INVALID;
            }
            naive[i] = bench_clock_ms() - t0;
        }
    }
    if (s == WS_OK && acts > 0)
        bench_table_row(out, "one activity's counts", ours, pages, naive, pages < 3 ? pages : 3);
    if (s == WS_OK) {
        activity_counts c;
        double t0 = bench_clock_ms();
        s = activity_counts_get(st, 0, "2025-12-01", "2026-11-30", &c);
        double one = bench_clock_ms() - t0;
        if (s == WS_OK)
            fprintf(out, "%-36s %6d %9.3f (场次 %lld, 人数 %lld, 人次 %lld, 志愿者 %lld 人次 %lld h)\n",
                    "the station's year of counts", 1, one, (long long)c.sessions,
                    (long long)c.people, (long long)c.person_times, (long long)c.volunteer_times,
                    (long long)(c.volunteer_minutes / 60));
    }
    free(ours);
    free(naive);
    free(ids);
    return s;
}
