/* wushe bench resources: stock on hand for every item and a fund's balance
 * at 100,000 donations and 1,000,000 stock movements, through the model
 * (the caches kept by the ledger's triggers) beside the naive sums of the
 * entries, in the same run. The scratch station is filled by SQL through
 * the same triggers (not the model's write path: that is the demo's). */
#include "bench_resources.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/print_resources.h"
#include "wushe/resources.h"

static double br_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int br_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double br_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, br_cmp);
    return n ? v[n / 2] : 0;
}

/* 200 items, 10 funds, `donations` donations each with a money line, and
 * `moves` stock movements: nine in for every one out, never below zero. */
static ws_status br_fill(db *d, size_t donations, size_t moves)
{
    char sql[2048];
    ws_status s = db_begin(d);
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO items(id, name, category, unit, created_at, updated_at)"
                       " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                       " WHERE i < 200) SELECT i, '物资' || i, 'food', '件', '', '' FROM n");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO funds(id, name, created_at, updated_at)"
                       " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                       " WHERE i < 10) SELECT i, '资金' || i, '', '' FROM n");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO donors(id, name, created_at, updated_at)"
                       " VALUES (1, '爱心企业', '', '')");
    if (s == WS_OK) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO donations(id, number, donation_date, donor_id, created_at,"
                 " updated_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                 " WHERE i < %zu) SELECT i, 'JZ-' || i, date('2026-01-01', '+' || (i %% 330)"
                 " || ' days'), 1, '', '' FROM n", donations);
        s = db_exec(d, sql);
    }
    if (s == WS_OK) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO donation_money(id, donation_id, fund_id, amount, created_at,"
                 " updated_at) SELECT id, id, 1 + id %% 10, 10000 + id %% 7 * 100, '', ''"
                 " FROM donations");
        s = db_exec(d, sql);
    }
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO fund_entries(fund_id, amount, entry_date, source, source_id,"
                       " actor, created_at) SELECT fund_id, amount, '2026-01-01',"
                       " 'donation_money', id, 'bench', '' FROM donation_money");
    if (s == WS_OK) {
        /* Row i: item i % 200, batch i % 5; out (-1) every tenth, after
         * nine ins of the same item and batch. */
        snprintf(sql, sizeof sql,
                 "INSERT INTO stock_moves(item_id, batch, qty, move_date, source, source_id,"
                 " actor, created_at) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1"
                 " FROM n WHERE i < %zu - 1) SELECT 1 + i %% 200, 'B' || (i / 200 %% 5),"
                 " CASE WHEN i / 1000 %% 10 = 9 THEN -1 ELSE 1 END, '2026-01-01', 'bench', i,"
                 " 'bench', '' FROM n",
                 moves);
        s = db_exec(d, sql);
    }
    return db_end(d, s);
}

/* A distribution to 2,000 households, each with a 低保 head: the list
 * chosen by the filter (the stock checked) and its 签领表 printed. */
static ws_status br_distribution(station *st, const char *scratch, FILE *out)
{
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO households(id, number, created_at, updated_at)"
                       " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                       " WHERE i < 2000) SELECT 900000 + i, printf('B%05d', i), '', '' FROM n");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO residents(id, name, id_number, household_id, relation,"
                       " sort_key, created_at, updated_at) SELECT id, '张' || (id - 900000),"
                       " printf('110101198001%06d', id - 900000), id, 'head', x'00', '', ''"
                       " FROM households WHERE id > 900000");
    if (s == WS_OK)
        s = db_exec(d, "UPDATE households SET head_id = id WHERE id > 900000");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO resident_groups(resident_id, group_code) SELECT id, 'dibao'"
                       " FROM residents WHERE id > 900000");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO distributions(id, name, dist_date, created_at, updated_at)"
                       " VALUES (1, '春节慰问', '2026-01-20', '', '')");
    if (s == WS_OK)
        s = db_exec(d, "INSERT INTO distribution_items(distribution_id, item_id, quantity,"
                       " created_at, updated_at) VALUES (1, 1, 1, '', ''), (1, 2, 1, '', '')");
    s = db_end(d, s);
    if (s != WS_OK)
        return s;
    record_error re;
    int64_t added = 0;
    double t0 = br_now();
    s = res_dist_add_filter(st, 1, "dibao", 0, &added, &re);
    double chosen = br_now() - t0;
    char pdf[4200], err[512] = "";
    snprintf(pdf, sizeof pdf, "%s.pdf", scratch);
    int pages = 0;
    t0 = br_now();
    if (s == WS_OK)
        s = print_distribution(st, 1, pdf, &pages, err, sizeof err);
    double printed = br_now() - t0;
    remove(pdf);
    if (s == WS_OK)
        fprintf(out, "a distribution to %lld households: chosen by the filter %.0f ms, its"
                     " 签领表 printed (%d pages) %.0f ms, together %.2f s\n",
                (long long)added, chosen, pages, printed, (chosen + printed) / 1e3);
    else
        fprintf(out, "the distribution failed: %s\n", err[0] ? err : re.detail);
    return s;
}

ws_status bench_resources(const char *scratch, size_t donations, size_t moves, FILE *out)
{
    station *st = NULL;
    char err[512];
    ws_status s = station_open(scratch, STATION_CREATE | STATION_TRUSTED, NULL, &st, err,
                               sizeof err);
    if (s != WS_OK) {
        fprintf(out, "%s\n", err);
        return s;
    }
    db *d = station_db(st);
    fprintf(out, "filling %zu donations and %zu stock movements\n", donations, moves);
    fflush(out);
    double t0 = br_now();
    s = br_fill(d, donations, moves);
    fprintf(out, "  filled in %.1f s\n", (br_now() - t0) / 1e3);
    int64_t problems = 0;
    if (s == WS_OK) {
        t0 = br_now();
        s = res_check(st, &problems, NULL, NULL);
        fprintf(out, "  wushe check's proof of the caches: %.0f ms, %lld problems\n",
                br_now() - t0, (long long)problems);
    }
    enum { RUNS = 21, NAIVE = 5 };
    double fast[RUNS], naive[NAIVE], ffast[RUNS], fnaive[RUNS];
    int64_t total_fast = 0, total_naive = 0;
    for (int r = 0; s == WS_OK && r < RUNS; r++) {
        /* Stock on hand for every item, as the items list reads it. */
        t0 = br_now();
        int64_t sum = 0, v = 0;
        for (int64_t it = 1; s == WS_OK && it <= 200; it++) {
            s = res_stock(st, it, &v);
            sum += v;
        }
        fast[r] = br_now() - t0;
        total_fast = sum;
        t0 = br_now();
        if (s == WS_OK)
            s = res_fund_balance(st, 1 + r % 10, &v);
        ffast[r] = br_now() - t0;
        t0 = br_now();
        if (s == WS_OK)
            s = res_fund_sum(st, 1 + r % 10, &v);
        fnaive[r] = br_now() - t0;
    }
    for (int r = 0; s == WS_OK && r < NAIVE; r++) {
        t0 = br_now();
        int64_t sum = 0, v = 0;
        for (int64_t it = 1; s == WS_OK && it <= 200; it++) {
            s = res_stock_sum(st, it, &v);
            sum += v;
        }
        naive[r] = br_now() - t0;
        total_naive = sum;
    }
    if (s == WS_OK) {
        double a = br_median(fast, RUNS), b = br_median(naive, NAIVE);
        double c = br_median(ffast, RUNS), e = br_median(fnaive, RUNS);
        fprintf(out, "stock on hand, all 200 items: %.3f ms (naive sum of the movements %.1f ms,"
                     " %.0fx); totals %lld = %lld\n",
                a, b, a > 0 ? b / a : 0, (long long)total_fast, (long long)total_naive);
        fprintf(out, "one fund's balance: %.3f ms (naive sum of its %zu entries %.2f ms, %.0fx)\n",
                c, donations / 10, e, c > 0 ? e / c : 0);
    }
    if (s == WS_OK)
        s = br_distribution(st, scratch, out);
    station_close(&st);
    return s == WS_OK && problems ? WS_ERR_INVALID : s;
}
