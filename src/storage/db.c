#include "db.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "wushe/catalog.h"
#include "db_probe.h"
#include "fts_tokenizer.h"
#include "wushe/embedded.h"

#define DB_BUSY_MS 3000

struct db_cached {
    const char *sql;
    sqlite3_stmt *st;
};

#define DB_MAX_DEPTH 32

struct db {
    sqlite3 *h;
    int depth; /* transaction nesting */
    bool bulk;     /* inner levels are marks, not savepoints (db_set_bulk) */
    bool poisoned; /* bulk: an inner level that had written rolled back */
    int64_t marks[DB_MAX_DEPTH]; /* bulk: total changes at each inner begin */
    int last_rc;
    struct db_cached *cache; /* grows; never evicts, so a statement a caller
                                holds stays valid until db_close */
    size_t ncache, cache_cap;
    void *bulk_slot; /* a bulk load's pending writes (db_bulk_slot) */
    struct {
        const db_pending_ops *ops;
        void *p;
    } pending[DB_PENDING_MAX]; /* writes held back until the commit */
    size_t npending;
    int64_t pending_writes; /* counted with the changes in marks */
    int waited_ms;          /* db_busy: in this wait for another's write */
    bool beginning;         /* in db_begin's BEGIN IMMEDIATE */
    bool readonly;          /* opened read-only (asked, or nothing can be written) */
    db_ro_reason ro;        /* why the file cannot be written */
    db_wal wal;             /* the log found at open */
    bool wal_unread;        /* a log there that an immutable open did not read */
    bool immutable;         /* opened with immutable=1 */
    char errbuf[256];       /* SQLite's message of a failure, kept over its rollback */
};

/* Migration number from an embedded name "schema/0007_x.sql", 0 if none. */
static int db_migration_number(const char *name)
{
    if (strncmp(name, "schema/", 7) != 0)
        return 0;
    const char *p = name + 7;
    size_t n = strlen(p);
    if (n < 9 || strcmp(p + n - 4, ".sql") != 0)
        return 0;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int db_schema_version(void)
{
    int max = 0;
    for (size_t i = 0; i < embedded_count; i++) {
        int v = db_migration_number(embedded_files[i].name);
        if (v > max)
            max = v;
    }
    return max;
}

ws_status db_status_from(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return WS_OK;
    case SQLITE_NOMEM:
        return WS_ERR_NOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return WS_ERR_BUSY;
    case SQLITE_CORRUPT:
        return WS_ERR_CORRUPT;
    case SQLITE_NOTADB:
        return WS_ERR_NOT_DB;
    case SQLITE_FULL:
        return WS_ERR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return WS_ERR_READONLY;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return WS_ERR_IO;
    case SQLITE_CONSTRAINT:
        return WS_ERR_INVALID;
    default:
        return WS_ERR_DB;
    }
}

ws_status db_status(db *d)
{
    return db_status_from(d->last_rc);
}

const char *db_errmsg(db *d)
{
    /* After a failed transaction's ROLLBACK SQLite says "not an error":
     * the failure's own words, until SQLite has another error to tell. */
    if (d->depth == 0 && d->errbuf[0] && sqlite3_errcode(d->h) == SQLITE_OK)
        return d->errbuf;
    return sqlite3_errmsg(d->h);
}

/* SQLite's message of the failure that ends a transaction, before the
 * ROLLBACK replaces it. */
static void db_keep_error(db *d)
{
    int rc = sqlite3_errcode(d->h);
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        snprintf(d->errbuf, sizeof d->errbuf, "%s", sqlite3_errmsg(d->h));
}

sqlite3 *db_handle(db *d)
{
    return d->h;
}

static void db_format_error(char *err, size_t errsz, ws_status st, const char *path, const char *detail)
{
    if (!err || !errsz)
        return;
    char msg[512];
    trf(msg, sizeof msg, "db.open_failed", path);
    snprintf(err, errsz, "%s: %s (%s)", msg, tr(ws_status_key(st)), detail ? detail : "");
}

ws_status db_exec(db *d, const char *sql)
{
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    d->last_rc = rc;
    return db_status_from(rc);
}

static int db_pragma_int(db *d, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    d->last_rc = rc;
    return rc;
}

static ws_status db_migrate(db *d, int from, char *err, size_t errsz, const char *path)
{
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        db_format_error(err, errsz, s, path, db_errmsg(d));
        return s;
    }
    /* Another process may have migrated while we waited for the lock. */
    int cur = from;
    if (db_pragma_int(d, "PRAGMA user_version", &cur) != SQLITE_OK)
        goto fail;
    int target = db_schema_version();
    for (int v = cur + 1; v <= target; v++) {
        for (size_t i = 0; i < embedded_count; i++) {
            if (db_migration_number(embedded_files[i].name) != v)
                continue;
            int rc = sqlite3_exec(d->h, embedded_files[i].data, NULL, NULL, NULL);
            d->last_rc = rc;
            if (rc != SQLITE_OK)
                goto fail;
        }
    }
    if (target > cur) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
        if (db_exec(d, sql) != WS_OK)
            goto fail;
    }
    s = db_commit(d);
    if (s != WS_OK) {
        db_format_error(err, errsz, s, path, db_errmsg(d));
        return s;
    }
    return WS_OK;
fail:
    s = db_status(d);
    db_format_error(err, errsz, s == WS_OK ? WS_ERR_DB : s, path, db_errmsg(d));
    db_rollback(d);
    return s == WS_OK ? WS_ERR_DB : s;
}

/* A file that must not be opened: err says which and why. */
static ws_status db_refuse(char *err, size_t errsz, ws_status s, const char *path,
                           const char *detail_key)
{
    db_format_error(err, errsz, s, path, detail_key ? tr(detail_key) : "");
    return s;
}

/* The read-only look at an existing SQLite file: nothing is written, no
 * log is checkpointed or removed. immutable when no -shm can be made or
 * none is needed (no log to read and none there: no other connection). */
static int db_open_ro(db *d, const char *path, bool wal_mode, bool folder_ro)
{
    char shm[4200];
    db_sidecar(path, "-shm", shm, sizeof shm);
    struct stat sb;
    bool shm_there = stat(shm, &sb) == 0;
    /* A file in WAL mode without a -shm has no other connection (each one
     * keeps it open), and a read-only one would make -wal and -shm files
     * and leave them. A rollback-journal file is read with its locks. */
    bool immutable = !shm_there && (!d->wal.present || folder_ro) && (wal_mode || folder_ro);
    d->immutable = immutable;
    d->wal_unread = immutable && d->wal.present;
    char *uri = db_probe_uri(path, immutable);
    if (!uri)
        return SQLITE_NOMEM;
    int rc = sqlite3_open_v2(uri, &d->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                         SQLITE_OPEN_NOMUTEX, NULL);
    free(uri);
    if (rc == SQLITE_OK)
        sqlite3_db_config(d->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    return rc;
}

/* Count of the tables every Wushe station has had since schema 1 (and the
 * resident index since 2): an older station file has no application_id. */
#define DB_OUR_TABLES                                                                    \
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('settings',"   \
    " 'communities', 'households', 'residents', 'resident_groups', 'audit_log',"       \
    " 'search_names')"

/* Decide what an existing SQLite file is, on the read-only connection:
 * ours, ours but newer, empty, or another program's. A file with our mark
 * is known from its header alone (no schema is parsed: an open parses it
 * once, on the connection it keeps). */
static ws_status db_classify(db *d, const char *path, unsigned flags, int *version, char *err,
                             size_t errsz)
{
    int app = 0, objects = 1, ours = 0;
    int rc = db_pragma_int(d, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = db_pragma_int(d, "PRAGMA user_version", version);
    bool marked = (uint32_t)app == DB_APPLICATION_ID;
    if (rc == SQLITE_OK && (!marked || *version == 0))
        rc = db_pragma_int(d, "SELECT count(*) FROM sqlite_schema", &objects);
    if (rc == SQLITE_OK && !marked && objects > 0)
        rc = db_pragma_int(d, DB_OUR_TABLES, &ours);
    if (rc != SQLITE_OK) {
        ws_status s = db_status_from(rc);
        db_format_error(err, errsz, s, path, sqlite3_errmsg(d->h));
        return s;
    }
    int v = *version, binary = db_schema_version();
    if (!marked && app != 0)
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "damage.foreign_app");
    if (objects == 0) {
        /* An empty database becomes a station only when creating was asked. */
        if (flags & DB_CREATE)
            return WS_OK;
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "db.empty");
    }
    if (marked && v > binary) {
        char detail[128];
        snprintf(detail, sizeof detail, "%d > %d", v, binary);
        db_format_error(err, errsz, WS_ERR_TOO_NEW, path, detail);
        return WS_ERR_TOO_NEW;
    }
    /* Without our mark: a station made before it, or another program's file
     * (which may use user_version for its own purposes). */
    if (!marked && (v < 1 || v > binary || ours < (v >= 2 ? 7 : 6)))
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "damage.foreign");
    return WS_OK;
}

/* One row read on the connection the open keeps: enough to tell a readable
 * station from a damaged one. */
static ws_status db_check_rows(db *d, const char *path, char *err, size_t errsz)
{
    if (db_pragma_int(d, "SELECT count(*) FROM (SELECT 1 FROM residents LIMIT 1)", &(int){0}) ==
        SQLITE_OK)
        return WS_OK;
    ws_status s = db_status(d);
    if (s == WS_OK || s == WS_ERR_DB)
        s = WS_ERR_CORRUPT;
    db_format_error(err, errsz, s, path, sqlite3_errmsg(d->h));
    return s;
}

/* Switch a station (checked, or new) to WAL and migrate it. */
static ws_status db_prepare_rw(db *d, const char *path, int version, char *err, size_t errsz)
{
    char mode[16] = "";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    d->last_rc = rc;
    if (rc != SQLITE_OK) {
        ws_status s = db_status_from(rc);
        db_format_error(err, errsz, s, path, sqlite3_errmsg(d->h));
        return s;
    }
    /* A big page cache keeps large transactions (demo, import, reindex) from
     * spilling the same pages to the WAL again and again; savepoint journals
     * stay in memory instead of temporary files. */
    if (db_exec(d, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                   " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;") != WS_OK) {
        ws_status s = db_status(d);
        db_format_error(err, errsz, s, path, sqlite3_errmsg(d->h));
        return s;
    }
    if (version < db_schema_version()) {
        ws_status s = db_migrate(d, version, err, errsz, path);
        if (s != WS_OK)
            return s;
    }
    /* Our mark in the header, on a new station and on one made before the
     * mark existed: from now on the file is known for ours (or not) before
     * anything is written to it. A station busy with another console
     * gets it at a later open: the open does not fail for it. */
    int app = 0;
    if (db_pragma_int(d, "PRAGMA application_id", &app) == SQLITE_OK &&
        (uint32_t)app != DB_APPLICATION_ID) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", (int)DB_APPLICATION_ID);
        db_exec(d, sql);
    }
    d->last_rc = SQLITE_OK;
    return WS_OK;
}

/* How long a write waits for another's to end, and who is told once that
 * it waits (db_set_patience). */
static int db_patience_ms = DB_BUSY_MS;
static void (*db_waiting)(int patience_ms);
static bool db_waiting_said;

#define DB_WAIT_SAY_MS 1000

void db_set_patience(int ms, void (*waiting)(int patience_ms))
{
    db_patience_ms = ms > 0 ? ms : DB_BUSY_MS;
    db_waiting = waiting;
}

/* SQLite's own timeout's steps, then 100 ms. */
static int db_busy(void *arg, int count)
{
    static const int steps[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50};
    db *d = arg;
    if (count == 0)
        d->waited_ms = 0;
    /* A read kept out (a rollback journal's exclusive lock, held by
     * another program for as long as it likes) gives up as a console's. */
    if (d->waited_ms >= (d->beginning ? db_patience_ms : DB_BUSY_MS))
        return 0;
    if (d->waited_ms >= DB_WAIT_SAY_MS && db_waiting && !db_waiting_said) {
        db_waiting_said = true;
        db_waiting(db_patience_ms);
    }
    int ms = count < (int)(sizeof steps / sizeof *steps) ? steps[count] : 100;
    sqlite3_sleep(ms);
    d->waited_ms += ms;
    return 1;
}

ws_status db_open(const char *path, unsigned flags, db **out, char *err, size_t errsz)
{
    /* Before SQLite starts: without memory statistics its allocator takes
     * no global mutex (a bulk load allocates millions of times). Later
     * calls are refused harmlessly. */
    static bool configured;
    if (!configured) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        configured = true;
    }
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && !(flags & DB_CREATE)) {
        if (err && errsz) {
            char msg[512];
            snprintf(err, errsz, "%s: %s", trf(msg, sizeof msg, "db.open_failed", path),
                     errno == ENOENT ? tr("db.missing") : strerror(errno));
        }
        return WS_ERR_IO;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        db_format_error(err, errsz, WS_ERR_IO, path, strerror(EISDIR));
        return WS_ERR_IO;
    }
    /* What the file is, from its header, before SQLite opens it. */
    db_header hdr = {.kind = DB_FILE_MISSING};
    if (exists)
        db_probe_header(path, &hdr);
    if (hdr.kind == DB_FILE_EMPTY && !(flags & DB_CREATE))
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "db.empty");
    if (hdr.kind == DB_FILE_UNREADABLE) {
        db_format_error(err, errsz, WS_ERR_IO, path, strerror(EACCES));
        return WS_ERR_IO;
    }
    if (hdr.kind == DB_FILE_NOT_SQLITE)
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "damage.not_sqlite");
    if (hdr.kind == DB_FILE_SQLITE && hdr.application_id != DB_APPLICATION_ID &&
        hdr.application_id != 0)
        return db_refuse(err, errsz, WS_ERR_NOT_DB, path, "damage.foreign_app");
    db *d = calloc(1, sizeof *d);
    if (!d)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    int rc, version = 0;
    if (hdr.kind == DB_FILE_SQLITE) {
        d->ro = db_probe_writable(path);
        d->readonly = (flags & DB_READONLY) || d->ro != DB_RO_NONE;
        /* A log an unclean stop left: copied first when SQLite is about to
         * drop committed frames of it. */
        db_wal_inspect(path, true, &d->wal);
        rc = db_open_ro(d, path, hdr.wal_mode, d->ro == DB_RO_FOLDER || d->ro == DB_RO_MOUNT);
        d->last_rc = rc;
        if (rc != SQLITE_OK) {
            s = db_status_from(rc);
            db_format_error(err, errsz, s, path, d->h ? sqlite3_errmsg(d->h) : "");
            goto fail;
        }
        sqlite3_extended_result_codes(d->h, 0);
        sqlite3_busy_handler(d->h, db_busy, d);
        fts_tokenizer_register(d->h);
        s = db_classify(d, path, flags, &version, err, errsz);
        if (s != WS_OK)
            goto fail;
        if (d->readonly) {
            if (version > 0 && (s = db_check_rows(d, path, err, errsz)) != WS_OK)
                goto fail;
            if (!(flags & (DB_READONLY | DB_NO_MIGRATE)) && version < db_schema_version()) {
                s = WS_ERR_READONLY;
                db_format_error(err, errsz, s, path, tr(db_ro_key(d->ro)));
                goto fail;
            }
            db_exec(d, "PRAGMA foreign_keys=ON");
            *out = d;
            return WS_OK;
        }
        /* The file is a station (or an empty database to make one): only
         * now may it be written. */
        sqlite3_close(d->h);
        d->h = NULL;
    }
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & DB_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &d->h, oflags, NULL);
    d->last_rc = rc;
    if (rc != SQLITE_OK) {
        s = db_status_from(rc);
        db_format_error(err, errsz, s, path, d->h ? sqlite3_errmsg(d->h) : "");
        goto fail;
    }
    sqlite3_extended_result_codes(d->h, 0);
    sqlite3_busy_handler(d->h, db_busy, d);
    /* The search index's tokenizer must exist before the schema is used. */
    fts_tokenizer_register(d->h);
    if (version > 0 && (s = db_check_rows(d, path, err, errsz)) != WS_OK)
        goto fail;
    if (flags & DB_NO_MIGRATE) {
        *out = d;
        return WS_OK;
    }
    s = db_prepare_rw(d, path, version, err, errsz);
    if (s != WS_OK)
        goto fail;
    *out = d;
    return WS_OK;
fail:
    db_close(&d);
    return s;
}

bool db_read_only(db *d)
{
    return d->readonly;
}

db_ro_reason db_read_only_reason(db *d)
{
    return d->ro;
}

const char *db_ro_key(db_ro_reason r)
{
    switch (r) {
    case DB_RO_MOUNT:
        return "damage.ro_mount";
    case DB_RO_FOLDER:
        return "damage.ro_folder";
    case DB_RO_FILE:
        return "damage.ro_file";
    default:
        return "damage.ro_asked";
    }
}

const db_wal *db_wal_state(db *d)
{
    return &d->wal;
}

bool db_immutable(db *d)
{
    return d->immutable;
}

bool db_wal_unread(db *d)
{
    return d->wal_unread;
}

static void db_pending_drop(db *d);

void db_close(db **dp)
{
    if (!dp || !*dp)
        return;
    db *d = *dp;
    db_pending_drop(d); /* an open transaction ends with the connection */
    for (size_t i = 0; i < d->ncache; i++)
        sqlite3_finalize(d->cache[i].st);
    free(d->cache);
    if (d->h)
        sqlite3_close(d->h);
    free(d);
    *dp = NULL;
}

void **db_bulk_slot(db *d)
{
    return &d->bulk_slot;
}

int64_t db_vm_steps(db *d)
{
    int64_t n = 0;
    for (size_t i = 0; i < d->ncache; i++)
        n += sqlite3_stmt_status(d->cache[i].st, SQLITE_STMTSTATUS_VM_STEP, 0);
    return n;
}

bool db_is_bulk(db *d)
{
    return d->bulk;
}

void *db_pending_get(db *d, const db_pending_ops *ops)
{
    for (size_t i = 0; i < d->npending; i++)
        if (d->pending[i].ops == ops)
            return d->pending[i].p;
    return NULL;
}

ws_status db_pending_put(db *d, const db_pending_ops *ops, void *p)
{
    if (d->depth == 0 || d->npending == DB_PENDING_MAX || db_pending_get(d, ops))
        return WS_ERR_DB;
    d->pending[d->npending].ops = ops;
    d->pending[d->npending].p = p;
    d->npending++;
    return WS_OK;
}

void db_pending_wrote(db *d, int64_t n)
{
    d->pending_writes += n;
}

ws_status db_pending_flush(db *d)
{
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < d->npending; i++)
        s = d->pending[i].ops->flush(d, d->pending[i].p);
    return s;
}

/* The transaction is over: pending writes were flushed or are void. */
static void db_pending_drop(db *d)
{
    while (d->npending > 0) {
        d->npending--;
        d->pending[d->npending].ops->drop(d->pending[d->npending].p);
    }
    d->pending_writes = 0;
}

/* Changes so far, pending ones included (bulk marks). */
static int64_t db_changes(db *d)
{
    return sqlite3_total_changes64(d->h) + d->pending_writes;
}

sqlite3_stmt *db_prepare(db *d, const char *sql)
{
    /* Callers pass string literals: the pointer almost always matches. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->ncache; i++) {
            if (pass == 0 ? d->cache[i].sql != sql : strcmp(d->cache[i].sql, sql) != 0)
                continue;
            sqlite3_stmt *st = d->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    d->last_rc = rc;
    if (rc != SQLITE_OK)
        return NULL;
    if (d->ncache == d->cache_cap) {
        size_t cap = d->cache_cap ? d->cache_cap * 2 : 64;
        struct db_cached *c = realloc(d->cache, cap * sizeof *c);
        if (!c) {
            sqlite3_finalize(st);
            d->last_rc = SQLITE_NOMEM;
            return NULL;
        }
        d->cache = c;
        d->cache_cap = cap;
    }
    d->cache[d->ncache].sql = sql;
    d->cache[d->ncache].st = st;
    d->ncache++;
    return st;
}

void db_reset(sqlite3_stmt *st)
{
    if (st)
        sqlite3_reset(st);
}

ws_status db_begin(db *d)
{
    ws_status s;
    if (d->depth == 0) {
        d->errbuf[0] = '\0';
        d->beginning = true; /* the wait db_set_patience sets is a write's */
        s = db_exec(d, "BEGIN IMMEDIATE");
        d->beginning = false;
        d->poisoned = false;
    } else if (d->depth >= DB_MAX_DEPTH) {
        return WS_ERR_DB;
    } else if (d->bulk) {
        d->marks[d->depth] = db_changes(d);
        s = WS_OK;
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT ws%d", d->depth);
        s = db_exec(d, sql);
    }
    if (s == WS_OK)
        d->depth++;
    return s;
}

ws_status db_commit(db *d)
{
    if (d->depth <= 0)
        return WS_ERR_DB;
    ws_status s;
    if (d->depth == 1) {
        if (d->poisoned) {
            db_rollback(d);
            return WS_ERR_DB;
        }
        s = db_pending_flush(d);
        if (s != WS_OK) {
            db_rollback(d);
            return s;
        }
        db_pending_drop(d);
        s = db_exec(d, "COMMIT");
        if (s != WS_OK) {
            /* COMMIT failed (disk full, I/O): leave nothing half-done. */
            int keep = d->last_rc;
            db_keep_error(d);
            sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
            d->last_rc = keep;
            d->depth = 0;
            return s;
        }
    } else if (!d->bulk) {
        char sql[48];
        snprintf(sql, sizeof sql, "RELEASE ws%d", d->depth - 1);
        s = db_exec(d, sql);
        if (s != WS_OK)
            return s;
    }
    d->depth--;
    return WS_OK;
}

void db_rollback(db *d)
{
    if (d->depth <= 0)
        return;
    int keep = d->last_rc;
    if (d->depth == 1) {
        db_keep_error(d);
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        db_pending_drop(d);
        d->poisoned = false;
    } else if (d->bulk) {
        /* Nothing to undo when the level wrote nothing (a validation
         * failure); otherwise the whole outer transaction must go. */
        if (db_changes(d) != d->marks[d->depth - 1])
            d->poisoned = true;
    } else {
        char sql[96];
        snprintf(sql, sizeof sql, "ROLLBACK TO ws%d; RELEASE ws%d", d->depth - 1, d->depth - 1);
        sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    }
    d->last_rc = keep;
    d->depth--;
}

bool db_read_begin(db *d)
{
    if (d->depth > 0 || !sqlite3_get_autocommit(d->h))
        return false;
    return sqlite3_exec(d->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void db_read_end(db *d, bool began)
{
    if (began)
        sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL);
}

/* A bulk load grows the heap by about its cache (SQLite's pages are
 * malloc'd one by one) and touches each new page once. With on, the
 * heap's next part is made now, advised as huge pages, and kept while the
 * load runs: a first touch then faults once per 2 MB instead of once per
 * 4 KB, which under a hypervisor is a tenth of a load's time. With off,
 * glibc's defaults come back, so a console gives the memory back. glibc
 * only, and not under AddressSanitizer (its own allocator); without
 * transparent huge pages the advice is ignored. */
#define DB_BULK_HEAP ((size_t)160 << 20)
#define DB_HUGE ((size_t)2 << 20)
#define DB_GLIBC_THRESHOLD (128 * 1024) /* M_MMAP_ and M_TRIM_THRESHOLD's default */

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__)
static void db_heap_advise(bool on)
{
    if (!on) {
        mallopt(M_MMAP_THRESHOLD, DB_GLIBC_THRESHOLD);
        mallopt(M_TRIM_THRESHOLD, DB_GLIBC_THRESHOLD);
        return;
    }
    /* From the heap (not a mapping of its own), and not given back when
     * freed. */
    mallopt(M_MMAP_THRESHOLD, (int)(DB_BULK_HEAP + DB_HUGE));
    mallopt(M_TRIM_THRESHOLD, (int)(2 * DB_BULK_HEAP));
    char *p = malloc(DB_BULK_HEAP);
    if (!p)
        return;
    uintptr_t start = ((uintptr_t)p + DB_HUGE - 1) & ~(uintptr_t)(DB_HUGE - 1);
    uintptr_t end = ((uintptr_t)p + DB_BULK_HEAP) & ~(uintptr_t)(DB_HUGE - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
    free(p);
}
#else
static void db_heap_advise(bool on)
{
    (void)on;
}
#endif

void db_set_bulk_memory(db *d, bool on)
{
    db_heap_advise(on);
    /* A bulk load touches the whole file; a larger cache spills less. */
    sqlite3_exec(d->h, on ? "PRAGMA cache_size=-131072" : "PRAGMA cache_size=-65536", NULL, NULL,
                 NULL);
}

void db_set_bulk(db *d, bool on)
{
    d->bulk = on;
    db_set_bulk_memory(d, on);
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

int db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void db_column_copy(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t n = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= outsz) {
        n = outsz - 1;
        /* Do not cut a UTF-8 sequence in half. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
}

ws_status db_setting_get(db *d, const char *key, char *out, size_t outsz)
{
    sqlite3_stmt *st = db_prepare(d, "SELECT value FROM settings WHERE key = ?1");
    if (!st)
        return db_status(d);
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    ws_status s = WS_ERR_NOT_FOUND;
    if (rc == SQLITE_ROW) {
        db_column_copy(st, 0, out, outsz);
        s = WS_OK;
    } else if (rc != SQLITE_DONE) {
        d->last_rc = rc;
        s = db_status_from(rc);
    }
    db_reset(st);
    return s;
}

ws_status db_setting_set(db *d, const char *key, const char *value)
{
    sqlite3_stmt *st = db_prepare(d,
        "INSERT INTO settings(key, value) VALUES (?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st)
        return db_status(d);
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    d->last_rc = rc;
    db_reset(st);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

void db_now(char out[32])
{
    /* The second's text is kept: every row a load writes asks for it. */
    static _Thread_local time_t last = -1;
    static _Thread_local char second[24];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != last) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(second, sizeof second, "%Y-%m-%dT%H:%M:%S", &tm);
        last = ts.tv_sec;
    }
    int ms = (int)(ts.tv_nsec / 1000000) % 1000;
    memcpy(out, second, 19);
    out[19] = '.';
    out[20] = (char)('0' + ms / 100);
    out[21] = (char)('0' + ms / 10 % 10);
    out[22] = (char)('0' + ms % 10);
    out[23] = 'Z';
    out[24] = '\0';
}
