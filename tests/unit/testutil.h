/* Shared helpers for the cmocka unit tests. */
#ifndef WUSHE_TESTUTIL_H
#define WUSHE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "wushe/station.h"

/* A fresh temporary directory (removed with its contents by testutil_rmdir). */
char *testutil_tmpdir(void);
void testutil_rmdir(char **dir);
/* dir + "/" + name, malloc'd. */
char *testutil_path(const char *dir, const char *name);

/* A fresh station database in a temporary directory, audited as "tester";
 * with raw, a second read-only connection to the file (it sees only what
 * was committed). */
typedef struct testutil_station {
    char *dir;
    char *path;
    station *st;
    sqlite3 *raw;
} testutil_station;

testutil_station *testutil_station_open(bool raw);
/* The same with the demo's accounts and a demo of residents from seed. */
testutil_station *testutil_station_demo(bool raw, size_t residents, uint64_t seed);
void testutil_station_close(testutil_station **t);

/* Run a cmocka group with the Chinese catalog loaded, releasing ICU and the
 * catalog after (so LeakSanitizer sees nothing). */
int testutil_start(void);
int testutil_finish(int rc);
#define testutil_run(tests) \
    testutil_finish(testutil_start() ? 1 : cmocka_run_group_tests(tests, NULL, NULL))

/* SQL on a raw connection, ?1 bound to arg when the statement has it;
 * failures fail the test. */
sqlite3_stmt *testutil_raw_prepare(sqlite3 *raw, const char *sql, int64_t arg);
int64_t testutil_raw_int(sqlite3 *raw, const char *sql, int64_t arg);
/* Text of the first column ("(null)" for NULL, "(none)" without a row). */
void testutil_raw_text(sqlite3 *raw, const char *sql, int64_t arg, char *out, size_t outsz);

/* The same on a fixture's raw connection. */
#define raw_prepare(f, sql, arg) testutil_raw_prepare((f)->raw, (sql), (arg))
#define raw_int(f, sql, arg) testutil_raw_int((f)->raw, (sql), (arg))
#define raw_text(f, sql, arg, out, outsz) testutil_raw_text((f)->raw, (sql), (arg), (out), (outsz))
#define assert_raw_text(f, sql, arg, want)                  \
    do {                                                    \
        char got_[512];                                     \
        raw_text((f), (sql), (arg), got_, sizeof got_);     \
        assert_string_equal(got_, (want));                  \
    } while (0)

#endif
