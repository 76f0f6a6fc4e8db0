/* The damaged-files catalogue (issue 15): each kind of damaged, foreign or
 * read-only file, the status and message it gets, and its bytes unchanged
 * unless the clerk chose to repair it (reindex). Also: the application_id,
 * a damaged write-ahead log kept and reported, check's index checks, a
 * full disk's message. One demo station of 300 residents is made once and
 * copied for each case. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_probe.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/demo.h"
#include "wushe/import.h"
#include "wushe/resident.h"

#define NIDS 20

static char *g_dir;
static char *g_demo;
static char g_ids[NIDS][32];

/* ---- files ---- */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot read %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static void spill(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void copy(const char *from, const char *to)
{
    size_t n;
    unsigned char *b = slurp(from, &n);
    spill(to, b, n);
    free(b);
}

static bool there(const char *path, const char *suffix)
{
    char p[4300];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    struct stat sb;
    return stat(p, &sb) == 0;
}

static void unlink_all(const char *path)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s%s", path, side[i]);
        unlink(p);
    }
}

/* A fresh copy of the demo station named name (its sidecars gone). */
static char *demo_copy(const char *name)
{
    char *p = testutil_path(g_dir, name);
    unlink_all(p);
    copy(g_demo, p);
    return p;
}

static void cut(const char *path, off_t by)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(truncate(path, sb.st_size - by), 0);
}

typedef struct snapshot {
    unsigned char *data;
    size_t len;
} snapshot;

static snapshot snap(const char *path)
{
    snapshot s;
    s.data = slurp(path, &s.len);
    return s;
}

static void assert_same(const char *path, snapshot *s)
{
    size_t len;
    unsigned char *now = slurp(path, &len);
    if (len != s->len || memcmp(now, s->data, len) != 0)
        fail_msg("%s changed", path);
    free(now);
    free(s->data);
    s->data = NULL;
}

static void file_exec(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static int64_t file_int(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t v = testutil_raw_int(h, sql, 0);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    return v;
}

/* ---- what a file gets ---- */

/* db_open with each flag refuses path with want and the message of key;
 * its bytes stay and nothing is made beside it. */
static void assert_refused(const char *path, ws_status want, const char *key)
{
    static const unsigned flags[] = {0, DB_CREATE, DB_NO_MIGRATE, DB_READONLY};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        if (want == WS_ERR_NOT_DB && strcmp(key, "db.empty") == 0 && flags[i] == DB_CREATE)
            continue; /* an empty file is what creating is for */
        snapshot s = snap(path);
        db *d = NULL;
        char err[1024] = "";
        ws_status got = db_open(path, flags[i], &d, err, sizeof err);
        if (got != want || !strstr(err, tr(key)))
            fail_msg("flags %u: %s (%s), want %s with \"%s\"", flags[i], ws_status_name(got),
                     err, ws_status_name(want), tr(key));
        assert_null(d);
        assert_same(path, &s);
        assert_false(there(path, "-wal"));
        assert_false(there(path, "-shm"));
        assert_false(there(path, "-journal"));
    }
}

typedef struct checked {
    ws_status open, check, index;
    station_check_report r;
    station_index_report x;
    bool ok;      /* everything check proves held */
    bool damaged; /* check's advice: the file is damaged (reindex, else restore) */
} checked;

/* What `wushe check` finds: a read-only open, station_check and the index
 * checks; the file's bytes unchanged. */
static checked check_file(const char *path)
{
    checked c;
    memset(&c, 0, sizeof c);
    snapshot s = snap(path);
    station *st = NULL;
    char err[1024];
    c.open = station_open(path, STATION_READONLY | STATION_NO_MIGRATE | STATION_TRUSTED, NULL,
                          &st, err, sizeof err);
    if (c.open == WS_OK) {
        c.check = station_check(st, &c.r);
        c.x.fts_ok = true;
        if (c.check == WS_OK)
            c.index = station_check_index(st, &c.x);
        station_close(&st);
    }
    assert_same(path, &s);
    c.damaged = c.open != WS_OK || c.check != WS_OK || !c.r.integrity_ok || c.r.fk_problems ||
                c.x.unreadable;
    c.ok = !c.damaged && c.index == WS_OK && c.x.fts_ok && !c.x.name_problems &&
           !c.x.term_problems && !c.x.points_negative && !c.r.head_problems;
    return c;
}

/* Of the sampled residents, how many a search by ID number finds. */
static int ids_found(const char *path)
{
    station *st = NULL;
    char err[1024];
    if (station_open(path, STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK)
        return -1;
    int found = 0;
    for (int i = 0; i < NIDS; i++) {
        resident_row rows[4];
        size_t n = 0;
        if (resident_list(st, g_ids[i], 0, 1, rows, 4, &n) == WS_OK && n > 0)
            found++;
    }
    station_close(&st);
    return found;
}

static void reindex(const char *path)
{
    station *st = NULL;
    char err[1024];
    assert_int_equal(station_open(path, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(station_reindex(st, NULL, NULL), WS_OK);
    station_close(&st);
}

/* ---- setup: one demo station ---- */

static int group_setup(void **state)
{
    (void)state;
    g_dir = testutil_tmpdir();
    g_demo = testutil_path(g_dir, "demo.db");
    station *st = NULL;
    char err[1024];
    if (station_open(g_demo, STATION_CREATE | STATION_TRUSTED, NULL, &st, err, sizeof err) !=
        WS_OK)
        return -1;
    demo_opts o = {.residents = 300, .seed = 15};
    ws_status s = demo_generate(st, &o);
    station_close(&st);
    if (s != WS_OK)
        return -1;
    sqlite3 *h = NULL;
    sqlite3_open_v2(g_demo, &h, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(h, "SELECT id_number FROM residents WHERE deleted_at IS NULL AND"
                          " length(id_number) = 18 ORDER BY seq", -1, &q, NULL);
    int n = 0, row = 0;
    while (n < NIDS && sqlite3_step(q) == SQLITE_ROW)
        if (row++ % 13 == 0)
            snprintf(g_ids[n++], sizeof g_ids[0], "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(h);
    return n == NIDS ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    if (g_dir)
        chmod(g_dir, 0700);
    free(g_demo);
    testutil_rmdir(&g_dir);
    return 0;
}

/* ---- the catalogue ---- */

static void test_sound_station(void **state)
{
    (void)state;
    char *p = demo_copy("sound.db");
    checked c = check_file(p);
    assert_true(c.ok);
    assert_int_equal(c.r.residents, 300);
    assert_false(there(p, "-wal"));
    assert_false(there(p, "-shm"));
    assert_int_equal(ids_found(p), NIDS);
    /* every station file carries our application_id */
    assert_int_equal(file_int(p, "PRAGMA application_id"), DB_APPLICATION_ID);
    free(p);
}

static void test_zero_length(void **state)
{
    (void)state;
    char *p = testutil_path(g_dir, "empty.db");
    spill(p, "", 0);
    assert_refused(p, WS_ERR_NOT_DB, "db.empty");
    free(p);
}

static void test_random_bytes(void **state)
{
    (void)state;
    char *p = testutil_path(g_dir, "random.db");
    unsigned char b[16384];
    srand(15);
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (unsigned char)rand();
    spill(p, b, sizeof b);
    assert_refused(p, WS_ERR_NOT_DB, "damage.not_sqlite");
    free(p);
}

/* A station's first 100 bytes, then random pages: refused at the open or
 * failed by check, never passed, never written. */
static void test_header_random_pages(void **state)
{
    (void)state;
    char *p = testutil_path(g_dir, "hdr.db");
    size_t n;
    unsigned char *b = slurp(g_demo, &n);
    srand(16);
    for (size_t i = 100; i < n; i++)
        b[i] = (unsigned char)rand();
    spill(p, b, n);
    free(b);
    checked c = check_file(p);
    assert_false(c.ok);
    assert_true(c.damaged);
    if (c.open != WS_OK && c.open != WS_ERR_CORRUPT && c.open != WS_ERR_NOT_DB)
        fail_msg("open: %s", ws_status_name(c.open));
    free(p);
}

static void test_foreign_files(void **state)
{
    (void)state;
    char *p = testutil_path(g_dir, "notes.db");
    /* without a residents table */
    file_exec(p, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                "INSERT INTO notes(body) VALUES ('买菜');");
    assert_refused(p, WS_ERR_NOT_DB, "damage.foreign");
    /* user_version 7: not "made by a newer Wushe" */
    file_exec(p, "PRAGMA user_version = 7");
    assert_refused(p, WS_ERR_NOT_DB, "damage.foreign");
    file_exec(p, "PRAGMA user_version = 9999");
    assert_refused(p, WS_ERR_NOT_DB, "damage.foreign");
    unlink_all(p);
    /* with a residents table and user_version 3 (what search and the
     * console used to switch to WAL before refusing) */
    file_exec(p, "CREATE TABLE residents(id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO residents VALUES (1, '张三'); PRAGMA user_version = 3;");
    assert_refused(p, WS_ERR_NOT_DB, "damage.foreign");
    size_t n;
    unsigned char *b = slurp(p, &n);
    assert_int_equal(b[18], 1); /* still a rollback journal, not WAL */
    free(b);
    /* another program's application_id */
    file_exec(p, "PRAGMA application_id = 305419896; PRAGMA user_version = 15");
    assert_refused(p, WS_ERR_NOT_DB, "damage.foreign_app");
    /* an empty SQLite database is no station either */
    unlink_all(p);
    file_exec(p, "PRAGMA user_version = 0; VACUUM");
    assert_refused(p, WS_ERR_NOT_DB, "db.empty");
    free(p);
}

/* Our application_id and a higher schema: the upgrade message. */
static void test_future_schema(void **state)
{
    (void)state;
    char *p = demo_copy("future.db");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_version() + 1);
    file_exec(p, sql);
    assert_refused(p, WS_ERR_TOO_NEW, "status.too_new");
    free(p);
}

/* A station from before the application_id is accepted and gets it. */
static void test_legacy_station(void **state)
{
    (void)state;
    char *p = demo_copy("legacy.db");
    file_exec(p, "PRAGMA application_id = 0");
    db *d = NULL;
    char err[1024];
    assert_int_equal(db_open(p, 0, &d, err, sizeof err), WS_OK);
    db_close(&d);
    assert_int_equal(file_int(p, "PRAGMA application_id"), DB_APPLICATION_ID);
    assert_int_equal(file_int(p, "PRAGMA user_version"), db_schema_version());
    free(p);
}

static void test_cut_one_byte(void **state)
{
    (void)state;
    char *p = demo_copy("cut1.db");
    cut(p, 1);
    checked c = check_file(p);
    /* The last byte of the last page is rarely used: whatever check says,
     * it reads without writing (check_file compares the bytes). */
    assert_int_equal(c.open, WS_OK);
    free(p);
}

/* The file: cut short by 1,000 bytes. check fails and says the
 * file is damaged; reindex repairs it and searches work. */
static void test_cut_1000_bytes(void **state)
{
    (void)state;
    char *p = demo_copy("cut1000.db");
    cut(p, 1000);
    checked c = check_file(p);
    assert_false(c.ok);
    assert_true(c.damaged || !c.x.fts_ok || c.x.name_problems || c.x.term_problems);
    reindex(p);
    c = check_file(p);
    assert_true(c.ok);
    assert_int_equal(ids_found(p), NIDS);
    free(p);
}

/* The tail of an FTS5 index page zeroed: SQLite's integrity_check passes;
 * FTS5's own check does not, and check says reindex. */
static void test_fts_page_damaged(void **state)
{
    (void)state;
    char *p = demo_copy("fts.db");
    int64_t page = file_int(p, "SELECT max(pageno) FROM dbstat WHERE name = 'search_fts_data'"
                              " AND pagetype = 'leaf'");
    int64_t ps = file_int(p, "PRAGMA page_size");
    assert_true(page > 1);
    unsigned char zero[1000] = {0};
    int fd = open(p, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, zero, sizeof zero, (off_t)(page * ps - (int64_t)sizeof zero)),
                     (ssize_t)sizeof zero);
    close(fd);
    checked c = check_file(p);
    assert_false(c.ok);
    assert_false(c.x.fts_ok);
    assert_true(c.x.fts[0] != '\0');
    reindex(p);
    c = check_file(p);
    assert_true(c.ok);
    assert_int_equal(ids_found(p), NIDS);
    free(p);
}

static void test_cut_page_and_half(void **state)
{
    (void)state;
    char *p = demo_copy("cutpage.db");
    cut(p, (off_t)file_int(p, "PRAGMA page_size"));
    checked c = check_file(p);
    assert_false(c.ok);
    assert_true(c.damaged);
    free(p);

    p = demo_copy("half.db");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    cut(p, sb.st_size / 2);
    c = check_file(p);
    assert_false(c.ok);
    assert_true(c.damaged);
    free(p);
}

/* ---- the write-ahead log ---- */

/* A station with a committed import of 10 residents still in its -wal,
 * as an unclean stop leaves it: copies of the file and its log taken
 * while the connection was open. */
static char *wal_station(const char *name)
{
    char *src = demo_copy("walsrc.db");
    char *p = testutil_path(g_dir, name);
    unlink_all(p);
    station *st = NULL;
    char err[1024];
    assert_int_equal(station_open(src, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(db_exec(station_db(st), "PRAGMA wal_autocheckpoint = 0"), WS_OK);
    static const char csv[] = "姓名,住址\n"
                              "甲一,一组\n甲二,一组\n甲三,一组\n甲四,一组\n甲五,一组\n"
                              "乙一,二组\n乙二,二组\n乙三,二组\n乙四,二组\n乙五,二组\n";
    import_opts o = {0};
    import_report rep;
    assert_int_equal(import_residents_buf(st, "wal.csv", csv, sizeof csv - 1, NULL, &o, &rep,
                                          err, sizeof err),
                     WS_OK);
    import_report_free(&rep);
    char w[4300], pw[4300];
    snprintf(w, sizeof w, "%s-wal", src);
    snprintf(pw, sizeof pw, "%s-wal", p);
    copy(src, p);
    copy(w, pw);
    station_close(&st);
    unlink_all(src);
    free(src);
    return p;
}

static int64_t residents_seen(const char *path)
{
    station *st = NULL;
    char err[1024];
    assert_int_equal(station_open(path, STATION_READONLY | STATION_TRUSTED, NULL, &st, err,
                                  sizeof err), WS_OK);
    int64_t n = 0;
    assert_int_equal(db_int(station_db(st), "SELECT count(*) FROM residents", 0, &n), WS_OK);
    station_close(&st);
    return n;
}

static void flip_wal_byte(const char *path, off_t from_end)
{
    char w[4300];
    snprintf(w, sizeof w, "%s-wal", path);
    size_t n;
    unsigned char *b = slurp(w, &n);
    b[n - (size_t)from_end] ^= 0x40;
    spill(w, b, n);
    free(b);
}

static int count_copies(const char *path, char *first, size_t firstsz)
{
    char prefix[4300];
    snprintf(prefix, sizeof prefix, "%s-wal.", strrchr(path, '/') + 1);
    int n = 0;
    DIR *dir = opendir(g_dir);
    assert_non_null(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || !strstr(e->d_name, ".bak"))
            continue;
        if (!n && first) {
            char *full = testutil_path(g_dir, e->d_name);
            snprintf(first, firstsz, "%s", full);
            free(full);
        }
        n++;
    }
    closedir(dir);
    return n;
}

static void test_wal_sound(void **state)
{
    (void)state;
    char *p = wal_station("walok.db");
    assert_int_equal(residents_seen(p), 310);
    db_wal w;
    db_wal_inspect(p, false, &w);
    assert_true(w.present);
    assert_true(w.frames > 0);
    assert_int_equal(w.dropped, 0);
    assert_int_equal(count_copies(p, NULL, 0), 0);
    free(p);
}

/* One byte flipped in the last page of the log: the import's commit can
 * no longer be read. check says so, names the copy, and leaves the log. */
static void test_wal_flipped(void **state)
{
    (void)state;
    char *p = wal_station("walbad.db");
    flip_wal_byte(p, 100);
    char w[4300];
    snprintf(w, sizeof w, "%s-wal", p);
    snapshot main = snap(p), log = snap(w);
    station *st = NULL;
    char err[1024];
    assert_int_equal(station_open(p, STATION_READONLY | STATION_NO_MIGRATE | STATION_TRUSTED,
                                  NULL, &st, err, sizeof err), WS_OK);
    char kept[4300];
    int64_t lost = station_wal_dropped(st, kept, sizeof kept);
    station_close(&st);
    assert_true(lost > 0);
    assert_true(kept[0] != '\0');
    char found[4300] = "";
    assert_int_equal(count_copies(p, found, sizeof found), 1);
    assert_string_equal(found, kept);
    /* the copy is the log as it was; the log and the file are untouched */
    size_t n;
    unsigned char *c = slurp(kept, &n);
    assert_int_equal(n, log.len);
    assert_memory_equal(c, log.data, n);
    free(c);
    assert_same(p, &main);
    assert_same(w, &log);
    /* and the import is indeed what is lost */
    assert_int_equal(residents_seen(p), 300);
    free(p);
}

/* A log cut short inside its last (commit) frame. */
static void test_wal_cut(void **state)
{
    (void)state;
    char *p = wal_station("walcut.db");
    char w[4300];
    snprintf(w, sizeof w, "%s-wal", p);
    cut(w, 10);
    db_wal info;
    db_wal_inspect(p, false, &info);
    assert_true(info.dropped > 0);
    free(p);
}

/* A -shm of random bytes: SQLite rebuilds its index of the log; nothing of
 * the file or the log is lost. */
static void test_random_shm(void **state)
{
    (void)state;
    char *p = wal_station("walshm.db");
    char s[4300];
    snprintf(s, sizeof s, "%s-shm", p);
    unsigned char b[32768];
    srand(17);
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (unsigned char)rand();
    spill(s, b, sizeof b);
    snapshot main = snap(p);
    assert_int_equal(residents_seen(p), 310);
    assert_same(p, &main);
    free(p);
}

/* ---- read-only ---- */

static void test_read_only_file_and_folder(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root writes through any permission */
    char *p = demo_copy("ro.db");
    chmod(p, 0444);
    snapshot s = snap(p);
    station *st = NULL;
    char err[1024];
    assert_int_equal(station_open(p, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    assert_string_equal(station_read_only_key(st), "damage.ro_file");
    assert_int_equal(db_setting_set(station_db(st), "x", "y"), WS_ERR_READONLY);
    station_close(&st);
    assert_same(p, &s);
    assert_true(check_file(p).ok);

    chmod(g_dir, 0555);
    s = snap(p);
    assert_int_equal(station_open(p, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    assert_string_equal(station_read_only_key(st), "damage.ro_folder");
    station_close(&st);
    assert_true(check_file(p).ok);
    assert_same(p, &s);
    assert_false(there(p, "-wal"));
    assert_false(there(p, "-shm"));
    chmod(g_dir, 0700);
    chmod(p, 0600);
    free(p);
}

/* ---- a full disk ---- */

/* SQLITE_FULL forced by max_page_count: the import says the disk is full,
 * with SQLite's own words, not the "not an error" read after the rollback. */
static void test_full_disk(void **state)
{
    (void)state;
    testutil_station *t = testutil_station_open(false);
    assert_non_null(t);
    db *d = station_db(t->st);
    int64_t pages = 0;
    assert_int_equal(db_int(d, "PRAGMA page_count", 0, &pages), WS_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 2);
    assert_int_equal(db_exec(d, sql), WS_OK);
    size_t cap = 400 * 64;
    char *csv = malloc(cap);
    size_t used = (size_t)snprintf(csv, cap, "姓名,住址\n");
    static const char *const num[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    for (int i = 0; i < 400; i++)
        used += (size_t)snprintf(csv + used, cap - used, "居民%s%s%s,%s组\n", num[i / 100],
                                 num[i / 10 % 10], num[i % 10], num[i % 10]);
    import_opts o = {0};
    import_report rep;
    char err[1024] = "";
    ws_status s = import_residents_buf(t->st, "full.csv", csv, used, NULL, &o, &rep, err,
                                       sizeof err);
    import_report_free(&rep);
    free(csv);
    if (s != WS_ERR_FULL || !strstr(err, tr("status.full")) || strstr(err, "not an error"))
        fail_msg("%s: %s", ws_status_name(s), err);
    assert_null(strstr(err, "not an error"));
    assert_non_null(strstr(err, "full"));
    assert_string_not_equal(tr("status.full"), tr("status.readonly"));
    testutil_station_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sound_station),
        cmocka_unit_test(test_zero_length),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_header_random_pages),
        cmocka_unit_test(test_foreign_files),
        cmocka_unit_test(test_future_schema),
        cmocka_unit_test(test_legacy_station),
        cmocka_unit_test(test_cut_one_byte),
        cmocka_unit_test(test_cut_1000_bytes),
        cmocka_unit_test(test_fts_page_damaged),
        cmocka_unit_test(test_cut_page_and_half),
        cmocka_unit_test(test_wal_sound),
        cmocka_unit_test(test_wal_flipped),
        cmocka_unit_test(test_wal_cut),
        cmocka_unit_test(test_random_shm),
        cmocka_unit_test(test_read_only_file_and_folder),
        cmocka_unit_test(test_full_disk),
    };
    return testutil_finish(testutil_start() ? 1
                                            : cmocka_run_group_tests(tests, group_setup,
                                                                     group_teardown));
}
