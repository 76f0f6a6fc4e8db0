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
void testutil_station_close(testutil_station **t);

#endif
