/* Storage layer: migrations, refusal of files we must not touch (too new,
 * not a database, corrupt, locked, missing), nested transactions, the
 * statement cache and row ids. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "ids.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

typedef struct fixture {
    char *dir;
    char *path;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = testutil_tmpdir();
    if (!f->dir)
        return -1;
    f->path = testutil_path(f->dir, "station.db");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->path);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static bool sidecar_exists(const char *path, const char *suffix)
{
    char p[4096];
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return file_exists(p);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    assert_true(n >= 0);
    fseek(fp, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Overwrite len bytes at off without changing the file's size. */
static void patch_file(const char *path, long off, const void *data, size_t len)
{
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, off, SEEK_SET), 0);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* The bytes of a file, kept to prove that it was not touched. */
typedef struct snapshot {
    unsigned char *data;
    size_t len;
} snapshot;

static snapshot snap(const char *path)
{
    snapshot s;
    s.data = read_file(path, &s.len);
    return s;
}

static void assert_unchanged(const char *path, snapshot *s)
{
    size_t len;
    unsigned char *now = read_file(path, &len);
    assert_int_equal(len, s->len);
    assert_memory_equal(now, s->data, len);
    free(now);
    free(s->data);
    s->data = NULL;
    /* and nothing was created beside it */
    assert_false(sidecar_exists(path, "-wal"));
    assert_false(sidecar_exists(path, "-shm"));
    assert_false(sidecar_exists(path, "-journal"));
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    return h;
}

static void raw_exec(sqlite3 *h, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t handle_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static int64_t test_int(db *d, const char *sql)
{
    return handle_int(db_handle(d), sql);
}

static void db_text(db *d, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(d), sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
}

/* A migrated station database with some rows, closed. */
static void make_station_db(const char *path, int nsettings)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(path, DB_CREATE, &d, err, sizeof err), WS_OK);
    assert_int_equal(db_begin(d), WS_OK);
    for (int i = 0; i < nsettings; i++) {
        char key[32], value[128];
        snprintf(key, sizeof key, "key%05d", i);
        snprintf(value, sizeof value, "value %d 社工站 %0*d", i, 60, i);
        assert_int_equal(db_setting_set(d, key, value), WS_OK);
    }
    assert_int_equal(db_commit(d), WS_OK);
    db_close(&d);
    assert_null(d);
}

/* ---- migrations ---- */

static void test_fresh_database(void **state)
{
    fixture *f = *state;
    assert_true(db_schema_version() >= 1);
    assert_false(file_exists(f->path));

    db *d = NULL;
    char err[512] = "x";
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);
    assert_non_null(d);
    assert_string_equal(err, "");
    assert_true(file_exists(f->path));

    assert_int_equal(test_int(d, "PRAGMA user_version"), db_schema_version());
    char mode[32];
    db_text(d, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(test_int(d, "PRAGMA foreign_keys"), 1);
    assert_int_equal(test_int(d, "PRAGMA synchronous"), 2); /* FULL */
    /* the documented tables exist */
    assert_int_equal(test_int(d, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                               " ('settings', 'communities', 'households', 'residents',"
                               " 'resident_groups', 'audit_log')"),
                     6);
    assert_int_equal(test_int(d, "SELECT count(*) FROM residents"), 0);
    /* foreign keys are enforced on this connection */
    assert_int_equal(db_exec(d, "INSERT INTO households(id, number, community_id, created_at,"
                                " updated_at) VALUES (1, 'H1', 424242, 'x', 'x')"),
                     WS_ERR_INVALID);
    assert_int_equal(test_int(d, "SELECT count(*) FROM households"), 0);
    db_close(&d);
    assert_null(d);
    db_close(&d); /* harmless twice */
    db_close(NULL);

    /* The file on disk says WAL too (header bytes 18 and 19 are 2). */
    size_t len;
    unsigned char *bytes = read_file(f->path, &len);
    assert_true(len >= 100);
    assert_memory_equal(bytes, "SQLite format 3", 16);
    assert_int_equal(bytes[18], 2);
    assert_int_equal(bytes[19], 2);
    free(bytes);
}

static void test_reopen_idempotent(void **state)
{
    fixture *f = *state;
    make_station_db(f->path, 3);

    db *d = NULL;
    char err[512];
    int64_t objects = -1;
    for (int round = 0; round < 3; round++) {
        assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
        assert_int_equal(test_int(d, "PRAGMA user_version"), db_schema_version());
        int64_t n = test_int(d, "SELECT count(*) FROM sqlite_schema");
        if (objects < 0)
            objects = n;
        assert_int_equal(n, objects); /* migrations not applied twice */
        char value[256];
        assert_int_equal(db_setting_get(d, "key00002", value, sizeof value), WS_OK);
        assert_non_null(strstr(value, "value 2 社工站"));
        assert_int_equal(db_setting_get(d, "nope", value, sizeof value), WS_ERR_NOT_FOUND);
        assert_int_equal(test_int(d, "SELECT count(*) FROM settings"), 3);
        db_close(&d);
    }
    /* DB_CREATE on an existing file opens it, it does not start over */
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);
    assert_int_equal(test_int(d, "SELECT count(*) FROM settings"), 3);
    db_close(&d);
}

/* Run db_open on a file that must be refused; check status, message and
 * that the file's bytes did not change and no sidecar file was left. */
static void assert_refused(const char *path, unsigned flags, ws_status want, const char *msg_part)
{
    snapshot s = snap(path);
    db *d = (db *)&s; /* must be reset to NULL */
    char err[512] = "";
    ws_status got = db_open(path, flags, &d, err, sizeof err);
    if (got != want)
        fail_msg("db_open: %s, want %s (%s)", ws_status_name(got), ws_status_name(want), err);
    assert_null(d);
    /* the message names the file and the problem in the user's language */
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, tr(ws_status_key(want))));
    if (msg_part)
        assert_non_null(strstr(err, msg_part));
    assert_unchanged(path, &s);
}

/* How many temporary b-trees an insert into table opens per row (a CHECK
 * of an IN list opens one at every insert). */
static int64_t insert_ephemerals(sqlite3 *h, const char *insert)
{
    sqlite3_stmt *q = NULL;
    char sql[512];
    snprintf(sql, sizeof sql, "EXPLAIN %s", insert);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    int64_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        n += strcmp((const char *)sqlite3_column_text(q, 1), "OpenEphemeral") == 0;
    sqlite3_finalize(q);
    return n;
}

static const char *const ledger_inserts[] = {
    "INSERT INTO audit_log(at, actor, table_name, row_id, action) VALUES ('t', 'a', 'x', 1, ?1)",
    "INSERT INTO hour_entries(entry_kind) VALUES (?1)",
    "INSERT INTO points_movements(movement) VALUES (?1)",
};

/* A station of schema 19 keeps the same rules in its CHECKs after the
 * migration, now as equalities: no temporary b-tree at each insert. */
static void test_check_equalities_from_19(void **state)
{
    fixture *f = *state;
    make_station_db(f->path, 1);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(insert_ephemerals(h, ledger_inserts[i]), 0);
    /* As schema 19 had them. */
    raw_exec(h, "PRAGMA writable_schema = ON;"
                "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (action = ''insert'' OR"
                " action = ''update'' OR action = ''delete'')', 'CHECK (action IN (''insert'',"
                " ''update'', ''delete''))') WHERE name = 'audit_log';"
                "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (entry_kind = ''entry'' OR"
                " entry_kind = ''reversal'' OR entry_kind = ''correction'')', 'CHECK (entry_kind"
                " IN (''entry'', ''reversal'', ''correction''))') WHERE name = 'hour_entries';"
                "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (movement = ''earn'' OR"
                " movement = ''spend'' OR movement = ''give'' OR movement = ''reversal'')',"
                " 'CHECK (movement IN (''earn'', ''spend'', ''give'', ''reversal''))')"
                " WHERE name = 'points_movements';"
                "PRAGMA writable_schema = OFF;"
                /* what later schemas added */
                "ALTER TABLE distribution_lines DROP COLUMN revision;"
                "DROP INDEX households_number_digits;"
                "DROP INDEX residents_name;"
                "PRAGMA user_version = 19;");
    sqlite3_close(h);
    h = NULL;
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(insert_ephemerals(h, ledger_inserts[i]), 1);
    sqlite3_close(h);

    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
    db_close(&d);
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(handle_int(h, "PRAGMA user_version"), db_schema_version());
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(insert_ephemerals(h, ledger_inserts[i]), 0);
    char ok[16];
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(ok, sizeof ok, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_string_equal(ok, "ok");
    /* The same rule: a known action goes in, another is refused. */
    raw_exec(h, "INSERT INTO audit_log(at, actor, table_name, row_id, action)"
                " VALUES ('t', 'a', 'x', 1, 'update')");
    assert_int_equal(sqlite3_exec(h, "INSERT INTO audit_log(at, actor, table_name, row_id,"
                                     " action) VALUES ('t', 'a', 'x', 1, 'upsert')",
                                  NULL, NULL, NULL), SQLITE_CONSTRAINT);
    sqlite3_close(h);
}

static void test_too_new_refused(void **state)
{
    fixture *f = *state;
    make_station_db(f->path, 3);
    sqlite3 *h = raw_open(f->path);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_version() + 1);
    raw_exec(h, sql);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_false(sidecar_exists(f->path, "-wal"));

    char detail[64];
    snprintf(detail, sizeof detail, "%d > %d", db_schema_version() + 1, db_schema_version());
    assert_refused(f->path, 0, WS_ERR_TOO_NEW, detail);
    assert_refused(f->path, DB_CREATE, WS_ERR_TOO_NEW, detail);
    assert_refused(f->path, DB_NO_MIGRATE, WS_ERR_TOO_NEW, detail);

    /* Another program's file with a residents table and a high
     * user_version is not "made by a newer Wushe": without our
     * application_id it is not a station at all (issue 15). A database in
     * rollback-journal mode (not WAL) stays so. */
    char *other = testutil_path(f->dir, "journal.db");
    h = raw_open(other);
    raw_exec(h, "CREATE TABLE residents(id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO residents VALUES (1, '张三');"
                "PRAGMA user_version = 999;");
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_refused(other, 0, WS_ERR_NOT_DB, tr("damage.foreign"));
    size_t len;
    unsigned char *bytes = read_file(other, &len);
    assert_int_equal(bytes[18], 1); /* still legacy journal mode */
    free(bytes);
    free(other);
}

static void test_not_a_database(void **state)
{
    fixture *f = *state;
    /* A text file someone named station.db: several pages of it. */
    char text[8192];
    size_t n = 0;
    srand(7);
    while (n < sizeof text - 1) {
        int c = rand() % 64;
        text[n++] = c < 52 ? (char)(c < 26 ? 'a' + c : 'A' + c - 26) : c < 62 ? ' ' : '\n';
    }
    write_file(f->path, text, n);
    assert_refused(f->path, 0, WS_ERR_NOT_DB, NULL);
    assert_refused(f->path, DB_CREATE, WS_ERR_NOT_DB, NULL);
    assert_refused(f->path, DB_NO_MIGRATE, WS_ERR_NOT_DB, NULL);

    /* An Excel sheet or a ZIP archive are not databases either. */
    static const unsigned char zip[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
    unsigned char buf[4096];
    memset(buf, 0xA5, sizeof buf);
    memcpy(buf, zip, sizeof zip - 1);
    write_file(f->path, buf, sizeof buf);
    assert_refused(f->path, 0, WS_ERR_NOT_DB, NULL);

    /* A directory is an I/O error, not a crash. */
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->dir, DB_CREATE, &d, err, sizeof err), WS_ERR_IO);
    assert_null(d);
    assert_non_null(strstr(err, f->dir));
}

/* Another program's SQLite database given by mistake (--db ~/notes.sqlite):
 * it is a database, but not ours; nothing may be added to it. */
static void test_foreign_database(void **state)
{
    fixture *f = *state;
    sqlite3 *h = raw_open(f->path);
    raw_exec(h, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"
                "INSERT INTO notes(body) VALUES ('买菜'), ('交电费');");
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_refused(f->path, 0, WS_ERR_NOT_DB, NULL);
    assert_refused(f->path, DB_CREATE, WS_ERR_NOT_DB, NULL);
    assert_refused(f->path, DB_NO_MIGRATE, WS_ERR_NOT_DB, NULL);

    /* one that uses user_version for its own purposes */
    h = raw_open(f->path);
    raw_exec(h, "PRAGMA user_version = 1");
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    assert_refused(f->path, 0, WS_ERR_NOT_DB, NULL);

    /* an empty file (touch station.db) is no station: only DB_CREATE (a
     * confirmed first start, wushe demo) makes it one */
    write_file(f->path, "", 0);
    assert_refused(f->path, 0, WS_ERR_NOT_DB, tr("db.empty"));
    assert_refused(f->path, DB_NO_MIGRATE, WS_ERR_NOT_DB, tr("db.empty"));
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);
    assert_int_equal(test_int(d, "PRAGMA user_version"), db_schema_version());
    db_close(&d);
}

static int page_size_of(const unsigned char *hdr)
{
    int ps = (hdr[16] << 8) | hdr[17];
    return ps == 1 ? 65536 : ps;
}

static int64_t root_page(const char *path, const char *name)
{
    sqlite3 *h = raw_open(path);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                                        -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t p = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
    return p;
}

static void garbage_page(const char *path, int64_t page)
{
    size_t len;
    unsigned char *bytes = read_file(path, &len);
    int ps = page_size_of(bytes);
    free(bytes);
    assert_true((size_t)(page * ps) <= len);
    unsigned char *junk = malloc((size_t)ps);
    assert_non_null(junk);
    for (int i = 0; i < ps; i++)
        junk[i] = (unsigned char)(i * 37 + 11);
    patch_file(path, (long)((page - 1) * ps), junk, (size_t)ps);
    free(junk);
}

/* Open, and when the open itself succeeds, read what the damage hit. The
 * first error must be CORRUPT or NOT_DB; nothing may crash. */
static ws_status open_and_read(const char *path, char *err, size_t errsz)
{
    db *d = NULL;
    ws_status s = db_open(path, 0, &d, err, errsz);
    if (s != WS_OK) {
        assert_null(d);
        return s;
    }
    char value[256];
    s = db_setting_get(d, "key00001", value, sizeof value);
    if (s == WS_OK)
        s = db_exec(d, "SELECT count(*) FROM settings; SELECT sum(length(notes)) FROM residents;"
                       " SELECT sum(length(after)) FROM audit_log;");
    db_close(&d);
    return s;
}

static void test_corrupt_database(void **state)
{
    fixture *f = *state;
    char err[512];

    /* garbage over the residents table's root page and over page 2 (the
     * settings table): an error at open or at the first read of the damaged
     * table, never a crash, never a silent success, nothing written */
    make_station_db(f->path, 200);
    garbage_page(f->path, root_page(f->path, "residents"));
    snapshot s = snap(f->path);
    db *d = NULL;
    err[0] = '\0';
    ws_status st = open_and_read(f->path, err, sizeof err);
    if (st != WS_ERR_CORRUPT && st != WS_ERR_NOT_DB)
        fail_msg("residents root page: %s (%s)", ws_status_name(st), err);
    assert_unchanged(f->path, &s);

    make_station_db(f->path, 200);
    assert_int_equal(root_page(f->path, "settings"), 2);
    garbage_page(f->path, 2);
    s = snap(f->path);
    err[0] = '\0';
    st = open_and_read(f->path, err, sizeof err);
    if (st != WS_ERR_CORRUPT && st != WS_ERR_NOT_DB)
        fail_msg("page 2: %s (%s)", ws_status_name(st), err);
    assert_unchanged(f->path, &s);

    /* garbage over the schema page (page 1 past the header) */
    make_station_db(f->path, 200);
    unsigned char junk[512];
    memset(junk, 0x5A, sizeof junk);
    patch_file(f->path, 100, junk, sizeof junk);
    s = snap(f->path);
    st = db_open(f->path, 0, &d, err, sizeof err);
    assert_null(d);
    if (st != WS_ERR_CORRUPT && st != WS_ERR_NOT_DB)
        fail_msg("page 1: %s (%s)", ws_status_name(st), err);
    assert_unchanged(f->path, &s);

    /* truncated to its first two pages (a copy cut short) */
    make_station_db(f->path, 200);
    size_t len;
    unsigned char *bytes = read_file(f->path, &len);
    int ps = page_size_of(bytes);
    assert_true(len > (size_t)(8 * ps));
    write_file(f->path, bytes, (size_t)(2 * ps));
    free(bytes);
    s = snap(f->path);
    st = open_and_read(f->path, err, sizeof err);
    if (st != WS_ERR_CORRUPT && st != WS_ERR_NOT_DB)
        fail_msg("truncated: %s (%s)", ws_status_name(st), err);
    assert_unchanged(f->path, &s);

    /* truncated in the middle of the header */
    make_station_db(f->path, 10);
    bytes = read_file(f->path, &len);
    write_file(f->path, bytes, 60);
    free(bytes);
    s = snap(f->path);
    st = db_open(f->path, 0, &d, err, sizeof err);
    assert_null(d);
    if (st != WS_ERR_CORRUPT && st != WS_ERR_NOT_DB)
        fail_msg("60 bytes: %s (%s)", ws_status_name(st), err);
    assert_unchanged(f->path, &s);
}

static void test_locked_database(void **state)
{
    fixture *f = *state;
    char err[512];

    /* A database in rollback-journal mode held by BEGIN EXCLUSIVE elsewhere
     * cannot even be read: refused as busy, with a message. */
    make_station_db(f->path, 3);
    sqlite3 *h = raw_open(f->path);
    raw_exec(h, "PRAGMA journal_mode=DELETE");
    raw_exec(h, "BEGIN EXCLUSIVE; INSERT INTO settings VALUES ('other', 'process');");
    db *d = NULL;
    time_t t0 = time(NULL);
    ws_status st = db_open(f->path, 0, &d, err, sizeof err);
    assert_int_equal(st, WS_ERR_BUSY);
    assert_null(d);
    assert_true(time(NULL) - t0 >= 2); /* it waited for the busy timeout */
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, tr("status.busy")));
    raw_exec(h, "ROLLBACK");

    /* The other connection lets go: the same file opens, migrated to WAL. */
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
    assert_int_equal(test_int(d, "SELECT count(*) FROM settings WHERE key = 'other'"), 0);
    char mode[32];
    db_text(d, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");

    /* In WAL mode readers are not blocked by a writer, but a write is:
     * db_begin reports busy and the connection stays usable. */
    raw_exec(h, "BEGIN EXCLUSIVE; INSERT INTO settings VALUES ('other', 'process');");
    assert_int_equal(db_begin(d), WS_ERR_BUSY);
    assert_int_equal(db_status(d), WS_ERR_BUSY);
    assert_non_null(db_errmsg(d));
    assert_int_equal(db_commit(d), WS_ERR_DB); /* no transaction is open */
    char value[64];
    assert_int_equal(db_setting_get(d, "key00001", value, sizeof value), WS_OK);
    raw_exec(h, "COMMIT");
    assert_int_equal(db_begin(d), WS_OK);
    assert_int_equal(db_setting_set(d, "mine", "1"), WS_OK);
    assert_int_equal(db_commit(d), WS_OK);
    assert_int_equal(handle_int(h, "SELECT count(*) FROM settings WHERE key IN ('mine', 'other')"), 2);
    db_close(&d);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static int waiting_said;
static int waiting_patience;

static void note_waiting(int patience_ms)
{
    waiting_said++;
    waiting_patience = patience_ms;
}

static void *commit_later(void *h)
{
    usleep(3500 * 1000);
    raw_exec(h, "COMMIT");
    return NULL;
}

/* A command line waits longer than a console for another's write (a
 * console's 3 s gave up while a clerk's import was committing), and says
 * once that it waits. */
static void test_patience(void **state)
{
    fixture *f = *state;
    char err[512];
    make_station_db(f->path, 3);
    db *d = NULL;
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
    sqlite3 *h = raw_open(f->path);
    db_set_patience(60000, note_waiting);
    raw_exec(h, "BEGIN IMMEDIATE; INSERT INTO settings VALUES ('other', 'process');");
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, commit_later, h), 0);
    assert_int_equal(db_begin(d), WS_OK); /* more than the console's 3 s */
    assert_int_equal(db_setting_set(d, "mine", "1"), WS_OK);
    assert_int_equal(db_commit(d), WS_OK);
    pthread_join(t, NULL);
    assert_int_equal(waiting_said, 1);
    assert_int_equal(waiting_patience, 60000);
    assert_int_equal(test_int(d, "SELECT count(*) FROM settings WHERE key IN ('mine', 'other')"), 2);
    db_set_patience(0, NULL); /* back to the console's */
    db_close(&d);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    db *d = NULL;
    char err[512] = "";
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_ERR_IO);
    assert_null(d);
    /* says what is wrong, in the user's language: no OS text in English */
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, tr("db.missing")));
    assert_null(strstr(err, "No such file"));
    assert_false(file_exists(f->path)); /* not created */
    assert_int_equal(db_open(f->path, DB_NO_MIGRATE, &d, err, sizeof err), WS_ERR_IO);
    assert_false(file_exists(f->path));

    /* CREATE in a directory that does not exist */
    char *deep = testutil_path(f->dir, "no/such/dir/station.db");
    assert_int_equal(db_open(deep, DB_CREATE, &d, err, sizeof err), WS_ERR_IO);
    assert_null(d);
    assert_non_null(strstr(err, deep));
    free(deep);

    /* a NULL or zero-sized error buffer is allowed */
    assert_int_equal(db_open(f->path, 0, &d, NULL, 0), WS_ERR_IO);
}

/* ---- transactions ---- */

static int64_t count_t(db *d)
{
    return test_int(d, "SELECT count(*) FROM t");
}

static void insert_t(db *d, int v)
{
    sqlite3_stmt *q = db_prepare(d, "INSERT INTO t(v) VALUES (?1)");
    assert_non_null(q);
    sqlite3_bind_int(q, 1, v);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    db_reset(q);
}

static void test_nested_transactions(void **state)
{
    fixture *f = *state;
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);
    assert_int_equal(db_exec(d, "CREATE TABLE t(v INTEGER)"), WS_OK);
    sqlite3 *h = db_handle(d);
    assert_true(sqlite3_get_autocommit(h));

    /* roll back the inner one: the outer work stays */
    assert_int_equal(db_begin(d), WS_OK);
    assert_false(sqlite3_get_autocommit(h));
    insert_t(d, 1);
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 2);
    insert_t(d, 3);
    assert_int_equal(count_t(d), 3);
    db_rollback(d);
    assert_int_equal(count_t(d), 1);
    assert_false(sqlite3_get_autocommit(h)); /* outer still open */
    insert_t(d, 4);
    assert_int_equal(db_commit(d), WS_OK);
    assert_true(sqlite3_get_autocommit(h));
    assert_int_equal(count_t(d), 2);
    assert_int_equal(test_int(d, "SELECT sum(v) FROM t"), 1 + 4);

    /* commit the inner one, roll back the outer: everything goes */
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 5);
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 6);
    assert_int_equal(db_commit(d), WS_OK);
    assert_false(sqlite3_get_autocommit(h));
    assert_int_equal(count_t(d), 4);
    db_rollback(d);
    assert_true(sqlite3_get_autocommit(h));
    assert_int_equal(count_t(d), 2);

    /* three levels; the middle one rolled back takes the inner with it */
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 7);
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 8);
    assert_int_equal(db_begin(d), WS_OK);
    insert_t(d, 9);
    assert_int_equal(db_commit(d), WS_OK);
    db_rollback(d);
    assert_int_equal(count_t(d), 3);
    assert_int_equal(db_begin(d), WS_OK); /* a new savepoint at the same depth */
    insert_t(d, 10);
    assert_int_equal(db_commit(d), WS_OK);
    assert_int_equal(db_commit(d), WS_OK);
    assert_true(sqlite3_get_autocommit(h));
    assert_int_equal(count_t(d), 4);
    assert_int_equal(test_int(d, "SELECT sum(v) FROM t"), 1 + 4 + 7 + 10);

    /* unbalanced calls are harmless */
    assert_int_equal(db_commit(d), WS_ERR_DB);
    db_rollback(d);
    assert_int_equal(count_t(d), 4);

    /* the outermost transaction is IMMEDIATE: it holds the write lock, so
     * another connection cannot start writing meanwhile */
    assert_int_equal(db_begin(d), WS_OK);
    sqlite3 *other = raw_open(f->path);
    sqlite3_busy_timeout(other, 0);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_BUSY);
    /* and it does not see uncommitted rows */
    insert_t(d, 11);
    assert_int_equal(handle_int(other, "SELECT count(*) FROM t"), 4);
    assert_int_equal(db_commit(d), WS_OK);
    assert_int_equal(handle_int(other, "SELECT count(*) FROM t"), 5);
    assert_int_equal(sqlite3_close(other), SQLITE_OK);

    /* committed work survives reopening */
    db_close(&d);
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
    assert_int_equal(count_t(d), 5);
    db_close(&d);
}

/* ---- statement cache ---- */

/* db_ids: every row's first column, with ?1 bound when the statement has
 * it; none is no ids; SQL that does not prepare is an error. */
static void test_ids_of_rows(void **state)
{
    fixture *f = *state;
    make_station_db(f->path, 5);
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, 0, &d, err, sizeof err), WS_OK);
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(db_ids(d, "SELECT CAST(substr(key, 4) AS INTEGER) FROM settings WHERE key"
                               " LIKE 'key%' ORDER BY 1", 0, &ids, &n), WS_OK);
    assert_int_equal(n, 5);
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i] > ids[i - 1]);
    free(ids);
    assert_int_equal(db_ids(d, "SELECT length(key) FROM settings WHERE length(key) > ?1", 1 << 30,
                            &ids, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_null(ids);
    assert_int_not_equal(db_ids(d, "SELECT nothing FROM nowhere", 0, &ids, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_null(ids);
    db_close(&d);
}

static void test_statement_cache(void **state)
{
    fixture *f = *state;
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);

    static const char sql[] = "SELECT ?1 * 2";
    sqlite3_stmt *first = db_prepare(d, sql);
    assert_non_null(first);
    for (int i = 0; i < 1000; i++) {
        sqlite3_stmt *q = db_prepare(d, sql);
        assert_ptr_equal(q, first); /* cached */
        sqlite3_bind_int(q, 1, i);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 2 * i);
        if (i % 2) /* forgetting db_reset is tolerated: prepare resets */
            db_reset(q);
    }
    /* a different pointer with the same text finds the same statement, and
     * bindings left from the last use are cleared */
    char copy[sizeof sql];
    memcpy(copy, sql, sizeof sql);
    sqlite3_stmt *q = db_prepare(d, copy);
    assert_ptr_equal(q, first);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(q, 0), SQLITE_NULL);
    db_reset(q);
    db_reset(NULL);

    /* bad SQL: NULL and a status, the cache stays usable */
    assert_null(db_prepare(d, "SELECT FROM WHERE"));
    assert_int_equal(db_status(d), WS_ERR_DB);
    assert_null(db_prepare(d, "SELECT * FROM no_such_table"));
    assert_ptr_equal(db_prepare(d, sql), first);
    db_reset(first);

    /* more distinct statements than the cache holds: evicted ones are
     * prepared again and every one still works */
    enum { MANY = 300 };
    char(*texts)[48] = calloc(MANY, sizeof *texts);
    assert_non_null(texts);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < MANY; i++) {
            snprintf(texts[i], sizeof texts[i], "SELECT %d + ?1", i);
            sqlite3_stmt *s = db_prepare(d, texts[i]);
            assert_non_null(s);
            sqlite3_bind_int(s, 1, round);
            assert_int_equal(sqlite3_step(s), SQLITE_ROW);
            assert_int_equal(sqlite3_column_int(s, 0), i + round);
            db_reset(s);
        }
    }
    /* the setting statements (cached inside db.c) still work after all that */
    assert_int_equal(db_setting_set(d, "a", "1"), WS_OK);
    char v[8];
    assert_int_equal(db_setting_get(d, "a", v, sizeof v), WS_OK);
    assert_string_equal(v, "1");
    /* no statement is left busy */
    for (sqlite3_stmt *s = sqlite3_next_stmt(db_handle(d), NULL); s;
         s = sqlite3_next_stmt(db_handle(d), s))
        assert_false(sqlite3_stmt_busy(s));
    db_close(&d); /* finalizes everything: LeakSanitizer would see leaks */
    free(texts);
}

/* ---- helpers: column copy, status mapping ---- */

static void test_column_copy_and_status(void **state)
{
    fixture *f = *state;
    db *d = NULL;
    char err[512];
    assert_int_equal(db_open(f->path, DB_CREATE, &d, err, sizeof err), WS_OK);
    sqlite3_stmt *q = db_prepare(d, "SELECT ?1, NULL");
    assert_non_null(q);
    db_bind_text(q, 1, "社工站ab");
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char out[8];
    db_column_copy(q, 0, out, sizeof out); /* 9 bytes + "ab" into 8: no half character */
    assert_string_equal(out, "社工");
    char big[64];
    db_column_copy(q, 0, big, sizeof big);
    assert_string_equal(big, "社工站ab");
    db_column_copy(q, 1, big, sizeof big);
    assert_string_equal(big, "");
    db_reset(q);

    q = db_prepare(d, "SELECT ?1 IS NULL, ?2 IS NULL, ?2");
    db_bind_text_or_null(q, 1, "");
    db_bind_text(q, 2, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    assert_int_equal(sqlite3_column_int(q, 1), 0);
    assert_string_equal((const char *)sqlite3_column_text(q, 2), "");
    db_reset(q);
    db_close(&d);

    assert_int_equal(db_status_from(SQLITE_OK), WS_OK);
    assert_int_equal(db_status_from(SQLITE_DONE), WS_OK);
    assert_int_equal(db_status_from(SQLITE_BUSY), WS_ERR_BUSY);
    assert_int_equal(db_status_from(SQLITE_BUSY_SNAPSHOT), WS_ERR_BUSY);
    assert_int_equal(db_status_from(SQLITE_LOCKED), WS_ERR_BUSY);
    assert_int_equal(db_status_from(SQLITE_CORRUPT), WS_ERR_CORRUPT);
    assert_int_equal(db_status_from(SQLITE_NOTADB), WS_ERR_NOT_DB);
    assert_int_equal(db_status_from(SQLITE_FULL), WS_ERR_FULL);
    assert_int_equal(db_status_from(SQLITE_IOERR_WRITE), WS_ERR_IO);
    assert_int_equal(db_status_from(SQLITE_CANTOPEN), WS_ERR_IO);
    assert_int_equal(db_status_from(SQLITE_READONLY), WS_ERR_READONLY);
    assert_int_equal(db_status_from(SQLITE_CONSTRAINT_UNIQUE), WS_ERR_INVALID);
    assert_int_equal(db_status_from(SQLITE_NOMEM), WS_ERR_NOMEM);
    assert_int_equal(db_status_from(SQLITE_ERROR), WS_ERR_DB);

    /* The time now, in UTC, to the millisecond (its second's text is
     * kept between calls: each call still says its own time). */
    for (int i = 0; i < 3; i++) {
        char now[32];
        time_t before = time(NULL);
        db_now(now);
        time_t after = time(NULL);
        assert_int_equal(strlen(now), 24);
        assert_int_equal(now[10], 'T');
        assert_int_equal(now[19], '.');
        assert_int_equal(now[23], 'Z');
        for (int k = 20; k < 23; k++)
            assert_true(now[k] >= '0' && now[k] <= '9');
        struct tm tm = {0};
        assert_non_null(strptime(now, "%Y-%m-%dT%H:%M:%S", &tm));
        time_t t = timegm(&tm);
        assert_true(t >= before && t <= after);
        if (i == 1)
            sleep(1);
    }
}

/* ---- ids ---- */

static void test_ids(void **state)
{
    (void)state;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms_before = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - 1577836800000LL;
    int64_t prev = 0;
    int64_t first = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t id = ids_next();
        assert_true(id > 0);
        if (id <= prev)
            fail_msg("ids_next not increasing at %d: %lld after %lld", i, (long long)id,
                     (long long)prev);
        if (!first)
            first = id;
        prev = id;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms_after = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - 1577836800000LL;
    /* the high bits are the time since 2020-01-01 in milliseconds */
    assert_true((first >> 22) >= ms_before);
    assert_true((first >> 22) <= ms_after);
    /* 100k ids in the same few ms may run ahead a little, never wildly */
    assert_true((prev >> 22) <= ms_after + 1000);
    /* fits in 63 bits with room to spare for a century */
    assert_true(prev < (INT64_C(1) << 62));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_equalities_from_19, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_new_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_of_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_patience, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_copy_and_status, setup, teardown),
        cmocka_unit_test(test_ids),
    };
    return testutil_run(tests);
}
