#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/demo.h"
#include "wushe/text.h"

char *testutil_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/wushe-test-XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

void testutil_rmdir(char **dir)
{
    if (!dir || !*dir)
        return;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", *dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", *dir);
    free(*dir);
    *dir = NULL;
}

char *testutil_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

testutil_station *testutil_station_open(bool raw)
{
    testutil_station *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->dir = testutil_tmpdir();
    t->path = t->dir ? testutil_path(t->dir, "station.db") : NULL;
    char err[512];
    if (!t->path || station_open(t->path, STATION_CREATE | STATION_TRUSTED, NULL, &t->st, err, sizeof err) != WS_OK) {
        fprintf(stderr, "station_open: %s\n", t->path ? err : "no temporary directory");
        testutil_station_close(&t);
        return NULL;
    }
    station_set_actor(t->st, "tester");
    if (raw && sqlite3_open_v2(t->path, &t->raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        testutil_station_close(&t);
        return NULL;
    }
    return t;
}

testutil_station *testutil_station_demo(bool raw, size_t residents, uint64_t seed)
{
    testutil_station *t = testutil_station_open(raw);
    demo_opts d = {.residents = residents, .seed = seed};
    if (t && (account_create_demo(t->st) != WS_OK || demo_generate(t->st, &d) != WS_OK))
        testutil_station_close(&t);
    return t;
}

void testutil_station_close(testutil_station **tp)
{
    if (!tp || !*tp)
        return;
    testutil_station *t = *tp;
    sqlite3_close(t->raw);
    station_close(&t->st);
    free(t->path);
    testutil_rmdir(&t->dir);
    free(t);
    *tp = NULL;
}

sqlite3_stmt *testutil_raw_prepare(sqlite3 *raw, const char *sql, int64_t arg)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(raw, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
    if (sqlite3_bind_parameter_count(q) >= 1)
        sqlite3_bind_int64(q, 1, arg);
    return q;
}

int64_t testutil_raw_int(sqlite3 *raw, const char *sql, int64_t arg)
{
    sqlite3_stmt *q = testutil_raw_prepare(raw, sql, arg);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

void testutil_raw_text(sqlite3 *raw, const char *sql, int64_t arg, char *out, size_t outsz)
{
    sqlite3_stmt *q = testutil_raw_prepare(raw, sql, arg);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        snprintf(out, outsz, "%s", t ? t : "(null)");
    } else {
        assert_int_equal(rc, SQLITE_DONE);
        snprintf(out, outsz, "(none)");
    }
    sqlite3_finalize(q);
}

int testutil_start(void)
{
    char err[256];
    if (i18n_init("zh_CN", err, sizeof err) != WS_OK) {
        fprintf(stderr, "i18n_init: %s\n", err);
        return 1;
    }
    return 0;
}

int testutil_finish(int rc)
{
    text_shutdown();
    i18n_shutdown();
    return rc;
}
