/* The write ceiling and the floors beside it: each way of writing the
 * station's rows into a scratch database (copied table to table, each
 * record built, one INSERT a row) must leave exactly the station's rows
 * there, or its time says nothing. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct fixture {
    testutil_station *t;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    /* 37 residents: the postings' last statement is not a full sixteen. */
    if (!(f->t = testutil_station_demo(true, 37, 11)))
        return -1;
    f->dir = testutil_tmpdir();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f->t);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

/* Rows of table in one database and not in the other, both ways. */
static int64_t rows_differing(sqlite3 *raw, const char *table)
{
    char *sql = sqlite3_mprintf(
        "SELECT (SELECT count(*) FROM (SELECT * FROM main.\"%w\" EXCEPT SELECT * FROM s.\"%w\"))"
        " + (SELECT count(*) FROM (SELECT * FROM s.\"%w\" EXCEPT SELECT * FROM main.\"%w\"))",
        table, table, table, table);
    int64_t n = testutil_raw_int(raw, sql, 0);
    sqlite3_free(sql);
    return n;
}

static void check_mode(fixture *f, ceiling_mode mode, const char *file)
{
    char *scratch = testutil_path(f->dir, file);
    double secs = -1;
    int64_t n = 0;
    assert_int_equal(bench_ceiling(f->t->st, scratch, mode, &secs, &n, NULL), WS_OK);
    assert_true(secs >= 0);
    assert_int_equal(n, 37);
    sqlite3 *raw = f->t->raw;
    sqlite3_stmt *q = testutil_raw_prepare(raw, "ATTACH ?1 AS s", 0);
    sqlite3_bind_text(q, 1, scratch, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    /* Every plain table, the FTS table's own tables among them. */
    q = testutil_raw_prepare(raw, "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite%' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                                  " ORDER BY name", 0);
    int tables = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        int64_t d = rows_differing(raw, t);
        if (d)
            fail_msg("mode %d: %lld rows of %s differ", (int)mode, (long long)d, t);
        tables++;
    }
    sqlite3_finalize(q);
    assert_true(tables > 20);
    /* The copy holds rows at all: the comparison is not of two empties. */
    assert_int_equal(testutil_raw_int(raw, "SELECT count(*) FROM s.residents", 0), 37);
    assert_true(testutil_raw_int(raw, "SELECT count(*) FROM s.search_names", 0) > 37);
    assert_int_equal(sqlite3_exec(raw, "DETACH s", NULL, NULL, NULL), SQLITE_OK);
    free(scratch);
}

static void test_ceiling_copies_all(void **state)
{
    check_mode(*state, CEILING_COPY, "copy.db");
}

static void test_records_floor_copies_all(void **state)
{
    check_mode(*state, CEILING_RECORDS, "records.db");
}

static void test_rows_floor_copies_all(void **state)
{
    check_mode(*state, CEILING_ROWS, "rows.db");
}

static void test_staged_floor_copies_all(void **state)
{
    check_mode(*state, CEILING_STAGED, "staged.db");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ceiling_copies_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records_floor_copies_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_floor_copies_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staged_floor_copies_all, setup, teardown),
    };
    return testutil_run(tests);
}
