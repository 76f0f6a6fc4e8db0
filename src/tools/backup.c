#include "wushe/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fts_tokenizer.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/pathcomplete.h"
#include "wushe/text.h"
#include "wushe/validate.h"

#define BK_MAGIC "WUSHEBAK"
#define BK_VERSION 1
#define BK_KDF_ARGON2ID13 1
#define BK_HEADER 88
#define BK_CHUNK 65536
#define BK_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define BK_KEY crypto_secretstream_xchacha20poly1305_KEYBYTES
/* What a header may ask of the KDF: a damaged or hostile header must not
 * make a restore spend gigabytes or minutes before it is refused. */
#define BK_KDF_OPS_MAX 16ull
#define BK_KDF_MEM_MAX (1024ull << 20)
#define BK_CHECK_TEXT "wushe-backup-key-check-1"
#define BK_PAGES_STEP 2048 /* pages a backup step copies (8 MiB) */
#define BK_BUSY_MS 1000    /* a restore waits this long for the target's lock */
/* The trailer of a plain backup, after the database's own bytes (SQLite
 * reads no further than the size its header gives): magic, that size
 * (8 bytes, little endian) and the BLAKE2b-256 of those bytes, so a byte
 * changed anywhere is told on restore. */
#define BK_SUM_MAGIC "WUSHESUM"
#define BK_SUM_HASH 32
#define BK_SUM_SIZE (8 + 8 + BK_SUM_HASH)

/* ---- small helpers ---- */

static void bk_err(char *err, size_t errsz, const char *key, ...)
{
    if (!err || !errsz)
        return;
    const char *fmt = tr(key);
    va_list ap;
    va_start(ap, key);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(err, errsz, fmt, ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

/* A path made safe for a message on the terminal. */
static void bk_err_path(char *err, size_t errsz, const char *key, const char *path, int errnum)
{
    char os[256];
    char *p = text_sanitize(path ? path : "");
    bk_err(err, errsz, key, p ? p : "", enc_os_error(errnum, os, sizeof os));
    free(p);
}

/* A backup that could not be written where the clerk chose (where: that
 * folder or file, never our temporary name): said by what to do. */
static void bk_err_write(char *err, size_t errsz, const char *where, int e)
{
    const char *key = e == ENOSPC || e == EDQUOT || e == EFBIG ? "backup.full"
                      : e == ENOENT || e == ENOTDIR            ? "backup.no_folder"
                      : e == EROFS || e == EACCES || e == EPERM ? "backup.readonly_target"
                                                                : "backup.write_failed";
    bk_err_path(err, errsz, key, where, e);
}

/* A restore that could not write beside its target. */
static void bk_err_restore_write(char *err, size_t errsz, const char *target, int e)
{
    bk_err_path(err, errsz,
                e == ENOSPC || e == EDQUOT || e == EFBIG ? "backup.restore_full"
                                                         : "backup.restore_failed",
                target, e);
}

/* Whether the job was asked to stop (backup_opts.stop). */
static bool bk_stopped(const backup_opts *o)
{
    return o && o->stop && *o->stop;
}

/* SQLite's progress handler: a long check ends when asked to stop. */
static int bk_stop_handler(void *ctx)
{
    const volatile sig_atomic_t *stop = ctx;
    return *stop ? 1 : 0;
}

static void bk_progress(const backup_opts *o, int64_t done, int64_t total)
{
    if (o && o->progress)
        o->progress(o->ctx, done, total);
}

static void bk_put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t bk_get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void bk_iso(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static bool bk_parse_iso(const char *iso, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!end)
        return false;
    *out = timegm(&tm);
    return true;
}

/* The station's clock (station_time) moved to the day WUSHE_TODAY says,
 * the test clock every date of the station follows: a backup's name, its
 * time, its age on the home screen all agree with the rest. */
static time_t bk_clock(station *st)
{
    time_t now = st ? (time_t)station_time(st) : time(NULL);
    char today[11];
    date_today(today);
    time_t real = time(NULL);
    struct tm tm;
    localtime_r(&real, &tm);
    int y, m, d;
    if (sscanf(today, "%d-%d-%d", &y, &m, &d) != 3)
        return now;
    struct tm a = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    struct tm b = {.tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = tm.tm_mday,
                   .tm_hour = 12};
    return now + (timegm(&a) - timegm(&b));
}

/* "2026-12-01-1530" in local time. */
static void bk_stamp(time_t t, char out[32])
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d-%H%M", &tm);
}

static void bk_local_date(time_t t, char out[16])
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static ssize_t bk_read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static bool bk_write_full(int fd, const void *buf, size_t n)
{
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return false;
        }
        put += (size_t)w;
    }
    return true;
}

static void bk_dirname(const char *path, char *out, size_t outsz)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    snprintf(out, outsz, "%s", dirname(buf));
}

static void bk_basename(const char *path, char *out, size_t outsz)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    snprintf(out, outsz, "%s", basename(buf));
}

/* A new file's name must reach the disk too. */
static void bk_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int bk_mkdirs(const char *dir)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", dir);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    for (char *p = buf + 1; ; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = c;
        if (!c)
            break;
    }
    struct stat sb;
    if (stat(buf, &sb) != 0)
        return -1;
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Our temporary files are locked while they are in use (an open file
 * description lock on a byte SQLite never locks), so a sweep can tell a
 * copy a killed backup or restore left (unlocked) from one another
 * backup is making now, however long that takes. */
#define BK_LOCK_AT ((off_t)0x7f000000)

static int bk_lock(int fd, short type, int cmd)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = BK_LOCK_AT, .l_len = 1};
    int rc = fcntl(fd, cmd, &fl);
    if (rc == 0 && cmd == F_OFD_GETLK)
        return fl.l_type == F_UNLCK ? 0 : 1;
    return rc;
}

/* A private temporary file in dir ("dir/.wushe-TAG.tmp-XXXXXX", mode
 * 0600), locked until its descriptor is closed: keep it open while the
 * file is in use. */
static int bk_tmpfile(const char *dir, const char *tag, char *out, size_t outsz)
{
    if ((size_t)snprintf(out, outsz, "%s%s.wushe-%s.tmp-XXXXXX", dir,
                         dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", tag) >= outsz) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkostemp(out, O_CLOEXEC);
    if (fd >= 0) {
        fchmod(fd, 0600);
        bk_lock(fd, F_WRLCK, F_OFD_SETLK);
    }
    return fd;
}

static void bk_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* A temporary database and whatever SQLite left beside it. */
static void bk_remove(const char *path)
{
    static const char *const side[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
        char f[PATH_MAX + 128];
        if ((size_t)snprintf(f, sizeof f, "%s%s", path, side[i]) < sizeof f)
            unlink(f);
    }
}

/* rename without replacing: a backup never overwrites a file. Falls back
 * to a check and a rename where the file system cannot do it atomically
 * (FAT32 sticks on older kernels). */
static int bk_rename_new(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    struct stat sb;
    if (lstat(to, &sb) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

static int64_t bk_file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

/* The errno behind an SQLite failure on h (ENOSPC for a full disk). */
static int bk_sqlite_errno(sqlite3 *h, int rc)
{
    if ((rc & 0xff) == SQLITE_FULL)
        return ENOSPC;
    int e = h ? sqlite3_system_errno(h) : 0;
    if (e)
        return e;
    if ((rc & 0xff) == SQLITE_READONLY)
        return EROFS;
    return EIO;
}

static ws_status bk_status_errno(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return WS_ERR_FULL;
    case EROFS:
    case EACCES:
    case EPERM:
        return WS_ERR_READONLY;
    default:
        return WS_ERR_IO;
    }
}

/* ---- names ---- */

void backup_dir_default(char *out, size_t outsz)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, outsz, "%s/wushe/backups", xdg);
    else
        snprintf(out, outsz, "%s/.local/share/wushe/backups", home ? home : ".");
}

void backup_dir_resolve(const char *configured, char *out, size_t outsz)
{
    if (configured && *configured)
        snprintf(out, outsz, "%s", configured);
    else
        backup_dir_default(out, outsz);
}

/* A name any file system takes (ext4, FAT32 sticks, NTFS): no reserved
 * characters or controls, no leading dot or space, no trailing dot or
 * space, at most 120 bytes cut at a character's start. */
static void bk_safe_name(const char *name, char *out, size_t outsz)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < outsz && o < 120;) {
        unsigned char c = *p;
        size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
        if (c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|", c)) {
            if (o && out[o - 1] != '_')
                out[o++] = '_';
            p++;
            continue;
        }
        if (o + len > 120)
            break;
        bool whole = true;
        for (size_t i = 1; i < len; i++)
            whole &= p[i] != 0;
        if (!whole)
            break;
        memcpy(out + o, p, len);
        o += len;
        p += len;
    }
    out[o] = '\0';
    size_t start = 0;
    while (out[start] == '.' || out[start] == ' ' || out[start] == '_')
        start++;
    memmove(out, out + start, o - start + 1);
    o -= start;
    while (o && (out[o - 1] == '.' || out[o - 1] == ' ' || out[o - 1] == '_'))
        out[--o] = '\0';
    if (!o)
        snprintf(out, outsz, "wushe");
}

void backup_name_prefix(station *st, char *out, size_t outsz)
{
    char name[256];
    station_name(st, name, sizeof name);
    bk_safe_name(name, out, outsz);
}

void backup_station_tag(station *st, char *out, size_t outsz)
{
    const char *f = sqlite3_db_filename(db_handle(station_db(st)), "main");
    char real[PATH_MAX];
    const char *p = f && realpath(f, real) ? real : f ? f : "";
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 16777619u;
    }
    snprintf(out, outsz, "%08x", h);
}

void backup_file_name(station *st, time_t when, bool encrypted, bool automatic, char *out,
                      size_t outsz)
{
    char prefix[160], stamp[32], tag[64] = "";
    backup_name_prefix(st, prefix, sizeof prefix);
    bk_stamp(when, stamp);
    if (encrypted)
        bk_safe_name(tr("backup.name_encrypted"), tag, sizeof tag);
    else if (automatic) {
        char own[16];
        backup_station_tag(st, own, sizeof own);
        snprintf(tag, sizeof tag, "%s-%s", BACKUP_AUTO_MARK, own);
    }
    snprintf(out, outsz, "%s-%s%s%s%s", prefix, stamp, tag[0] ? "-" : "", tag, BACKUP_EXT);
}

/* dir/name, or dir/name-2, -3, ... before the extension when taken. */
static bool bk_free_name(const char *dir, const char *name, char *out, size_t outsz)
{
    size_t n = strlen(name), e = strlen(BACKUP_EXT);
    bool ext = n > e && strcmp(name + n - e, BACKUP_EXT) == 0;
    for (int i = 1; i < 1000; i++) {
        int w;
        if (i == 1)
            w = snprintf(out, outsz, "%s/%s", dir, name);
        else if (ext)
            w = snprintf(out, outsz, "%s/%.*s-%d%s", dir, (int)(n - e), name, i, BACKUP_EXT);
        else
            w = snprintf(out, outsz, "%s/%s-%d", dir, name, i);
        if (w < 0 || (size_t)w >= outsz)
            return false;
        struct stat sb;
        if (lstat(out, &sb) != 0 && errno == ENOENT)
            return true;
    }
    return false;
}

/* ---- the database side ---- */

static int bk_open_db(const char *path, int flags, sqlite3 **h)
{
    *h = NULL;
    int rc = sqlite3_open_v2(path, h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(*h, 0);
        fts_tokenizer_register(*h);
    }
    return rc;
}

static int bk_int(sqlite3 *h, const char *sql, int64_t *out)
{
    sqlite3_stmt *q = NULL;
    *out = 0;
    int rc = sqlite3_prepare_v2(h, sql, -1, &q, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(q, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

/* src into out whole, or (too long) cut after a whole character (a
 * grapheme: never in the middle of one) and marked "…". */
static void bk_fit(const char *src, char *out, size_t outsz)
{
    if (!outsz)
        return;
    size_t n = strlen(src);
    if (n < outsz) {
        memcpy(out, src, n + 1);
        return;
    }
    const char *mark = "…";
    size_t room = outsz > strlen(mark) + 1 ? outsz - strlen(mark) - 1 : 0;
    /* columns are at most bytes: start there and narrow until it fits */
    size_t cut = 0;
    for (int cols = (int)(room < 4096 ? room : 4096); cols > 0; cols--) {
        cut = text_prefix_bytes(src, cols);
        if (cut <= room)
            break;
        cut = 0;
    }
    snprintf(out, outsz, "%.*s%s", (int)cut, src, room ? mark : "");
}

/* The station's name, cut cleanly when longer than out. */
static void bk_station_name(station *st, char *out, size_t outsz)
{
    char whole[4096];
    station_name(st, whole, sizeof whole);
    bk_fit(whole, out, outsz);
}

static void bk_text(sqlite3 *h, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *q = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
        sqlite3_column_text(q, 0))
        bk_fit((const char *)sqlite3_column_text(q, 0), out, outsz);
    sqlite3_finalize(q);
}

static bool bk_has_table(sqlite3 *h, const char *name)
{
    sqlite3_stmt *q = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                           -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    return found;
}

/* The counts a backup is compared by and a restore reports. */
static int bk_counts(sqlite3 *h, backup_info *in)
{
    int64_t v = 0;
    int rc = bk_int(h, "PRAGMA user_version", &v);
    in->schema_version = (int)v;
    if (rc == SQLITE_OK)
        rc = bk_int(h, "SELECT count(*) FROM residents", &in->residents_all);
    if (rc == SQLITE_OK)
        rc = bk_int(h, "SELECT count(*) FROM residents WHERE deleted_at IS NULL", &in->residents);
    if (rc == SQLITE_OK)
        rc = bk_int(h, "SELECT count(*) FROM households", &in->households_all);
    if (rc == SQLITE_OK)
        rc = bk_int(h, "SELECT count(*) FROM households WHERE deleted_at IS NULL",
                    &in->households);
    if (rc == SQLITE_OK && bk_has_table(h, "audit_log"))
        rc = bk_int(h, "SELECT coalesce(max(id), 0) FROM audit_log", &in->audit_last);
    if (rc == SQLITE_OK && bk_has_table(h, "accounts")) {
        rc = bk_int(h, "SELECT count(*) FROM accounts", &in->accounts_all);
        if (rc == SQLITE_OK)
            rc = bk_int(h, "SELECT count(*) FROM accounts WHERE deleted_at IS NULL",
                        &in->accounts);
    }
    return rc;
}

/* integrity_check: "ok", or its first problems in problem. */
static int bk_integrity(sqlite3 *h, bool quick, bool *ok, char *problem, size_t problemsz)
{
    sqlite3_stmt *q = NULL;
    *ok = true;
    problem[0] = '\0';
    size_t used = 0;
    int rc = sqlite3_prepare_v2(h, quick ? "PRAGMA quick_check(5)" : "PRAGMA integrity_check(5)",
                                -1, &q, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(q)) != SQLITE_ROW)
            break;
        const char *line = (const char *)sqlite3_column_text(q, 0);
        if (line && strcmp(line, "ok") == 0)
            continue;
        *ok = false;
        if (line && used + 3 < problemsz)
            used += (size_t)snprintf(problem + used, problemsz - used, "%s%s", used ? "; " : "",
                                     line);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        *ok = false;
        if (!problem[0])
            snprintf(problem, problemsz, "%s", sqlite3_errmsg(h));
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* What a restore (and backup_verify) checks on a plain copy: a station's
 * database, not newer than this binary, whole; and what it holds. */
static ws_status bk_inspect(const char *path, const char *shown, bool quick, backup_info *info,
                            char *err, size_t errsz, char *detail, size_t detailsz,
                            const backup_opts *o)
{
    sqlite3 *h = NULL;
    int rc = bk_open_db(path, SQLITE_OPEN_READWRITE, &h);
    if (rc == SQLITE_OK && o && o->stop)
        sqlite3_progress_handler(h, 10000, bk_stop_handler, (void *)(uintptr_t)o->stop);
    int64_t v = 0;
    /* The station's cache size: integrity_check of a large station reads
     * each page several times (16 s with SQLite's default, 12 s so, for
     * 700 MB). */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "PRAGMA cache_size=-65536", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = bk_int(h, "PRAGMA user_version", &v);
    ws_status s = WS_OK;
    char *p = text_sanitize(shown);
    if ((rc & 0xff) == SQLITE_CORRUPT) {
        /* A file of ours that SQLite finds malformed: damaged, not foreign. */
        s = WS_ERR_CORRUPT;
        bk_err(err, errsz, "backup.damaged_plain", p ? p : "", sqlite3_errmsg(h));
    } else if (rc != SQLITE_OK || v <= 0 || !bk_has_table(h, "residents") ||
        !bk_has_table(h, "households") || !bk_has_table(h, "settings")) {
        s = rc == SQLITE_OK || (rc & 0xff) == SQLITE_NOTADB ? WS_ERR_NOT_DB : db_status_from(rc);
        bk_err(err, errsz, "backup.not_backup", p ? p : "");
    } else if (v > db_schema_version()) {
        s = WS_ERR_TOO_NEW;
        bk_err(err, errsz, "backup.too_new", (int)v, db_schema_version());
    }
    if (s == WS_OK) {
        bool ok;
        char problem[512];
        rc = bk_integrity(h, quick, &ok, problem, sizeof problem);
        if (!ok) {
            s = WS_ERR_CORRUPT;
            char *clean = text_sanitize(problem);
            bk_err(err, errsz, "backup.damaged_plain", p ? p : "", clean ? clean : "");
            if (detail)
                snprintf(detail, detailsz, "%s", clean ? clean : "");
            free(clean);
        }
    }
    if (s == WS_OK && (rc = bk_counts(h, info)) != SQLITE_OK) {
        s = db_status_from(rc);
        bk_err(err, errsz, "backup.not_backup", p ? p : "");
    }
    if (s == WS_OK) {
        bk_text(h, "SELECT value FROM settings WHERE key = 'backup_station'", info->station,
                sizeof info->station);
        if (!info->station[0])
            bk_text(h, "SELECT value FROM settings WHERE key = 'station_name'", info->station,
                    sizeof info->station);
        bk_text(h, "SELECT value FROM settings WHERE key = 'backup_made_at'", info->made_at,
                sizeof info->made_at);
        /* Who made it by name, as the clerk knows them (the login when the
         * copy has no such account). */
        bk_text(h, bk_has_table(h, "accounts")
                       ? "SELECT coalesce((SELECT display_name FROM accounts WHERE login = s.value"
                         " AND display_name <> ''), s.value) FROM settings s"
                         " WHERE s.key = 'backup_made_by'"
                       : "SELECT value FROM settings WHERE key = 'backup_made_by'",
                info->made_by, sizeof info->made_by);
    }
    free(p);
    sqlite3_close(h);
    return s;
}

/* The snapshot: src_path copied into dst_path (an empty file) in one read
 * transaction, so the copy is the database as one commit left it however
 * the consoles write meanwhile. snap gets the source's counts in that
 * same transaction. */
static ws_status bk_copy(const char *src_path, sqlite3 *own, const char *dst_path,
                         const backup_opts *o, backup_info *snap, int *oserr)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b = NULL;
    *oserr = 0;
    int rc = bk_open_db(src_path, SQLITE_OPEN_READONLY, &src);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(src, 5000);
        rc = sqlite3_exec(src, "BEGIN", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = bk_counts(src, snap); /* the first read starts the snapshot */
    if (rc != SQLITE_OK && own) {
        /* A station on a read-only stick or in a folder we cannot write: a
         * second connection cannot make the -shm it wants, but the
         * station's own read-only one (immutable where it must be) reads
         * it, and nobody can write it meanwhile. */
        sqlite3_close(src);
        src = own;
        rc = sqlite3_exec(src, "BEGIN", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = bk_counts(src, snap);
    }
    if (rc != SQLITE_OK) {
        ws_status s = db_status_from(rc);
        if (src == own)
            sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
        else
            sqlite3_close(src);
        return s;
    }
    rc = bk_open_db(dst_path, SQLITE_OPEN_READWRITE, &dst);
    if (rc == SQLITE_OK) {
        b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b)
            rc = sqlite3_errcode(dst);
    }
    while (rc == SQLITE_OK) {
        rc = sqlite3_backup_step(b, o->step_pages > 0 ? o->step_pages : BK_PAGES_STEP);
        int total = sqlite3_backup_pagecount(b);
        bk_progress(o, total - sqlite3_backup_remaining(b), total);
        if (rc == SQLITE_DONE)
            break;
        if (bk_stopped(o)) {
            rc = SQLITE_INTERRUPT;
            break;
        }
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(50);
            rc = SQLITE_OK;
        }
    }
    if (b) {
        int frc = sqlite3_backup_finish(b);
        if (rc == SQLITE_DONE)
            rc = frc;
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    if (rc != SQLITE_OK && rc != SQLITE_INTERRUPT)
        *oserr = bk_sqlite_errno(dst, rc);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (src != own)
        sqlite3_close(src);
    /* The copy is one file (no -wal to lose on the way), holds no login
     * session, and says who made it when. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_stmt *q = NULL;
        rc = sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
        if (rc == SQLITE_OK && bk_has_table(dst, "sessions"))
            rc = sqlite3_exec(dst, "DELETE FROM sessions", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_prepare_v2(dst,
                "INSERT INTO settings(key, value) VALUES ('backup_made_at', ?1),"
                " ('backup_made_by', ?2), ('backup_station', ?3)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(q, 1, snap->made_at, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, snap->made_by, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, snap->station, -1, SQLITE_STATIC);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(dst);
        }
        sqlite3_finalize(q);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            *oserr = bk_sqlite_errno(dst, rc);
    }
    if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK)
        rc = SQLITE_IOERR;
    if (rc != SQLITE_OK && !*oserr)
        *oserr = EIO;
    return rc == SQLITE_OK ? WS_OK : db_status_from(rc);
}

/* Whether the station itself passes quick_check (a copy that failed its
 * check: the station's damage, or the copy's?). problem: what it found. */
static bool bk_station_whole(const char *station_path, char *problem, size_t problemsz)
{
    sqlite3 *h = NULL;
    bool ok = false;
    problem[0] = '\0';
    if (bk_open_db(station_path, SQLITE_OPEN_READONLY, &h) == SQLITE_OK)
        bk_integrity(h, true, &ok, problem, problemsz);
    else
        ok = true; /* cannot tell: the copy's problem is said */
    sqlite3_close(h);
    return ok;
}

/* A fresh copy checked against the snapshot it was taken from. where:
 * the place the clerk chose (the copy's temporary name is never said). */
static ws_status bk_check_copy(const char *path, const char *station_path, const char *where,
                               const backup_info *snap, bool quick, const backup_opts *o,
                               char *err, size_t errsz)
{
    backup_info got;
    memset(&got, 0, sizeof got);
    char problem[600], detail[600] = "";
    problem[0] = '\0';
    ws_status s = bk_inspect(path, where, quick, &got, problem, sizeof problem, detail,
                             sizeof detail, o);
    if (bk_stopped(o))
        return WS_ERR_INVALID; /* said by the caller */
    /* What the copy's own check said is a restore's words (a damaged
     * backup, "nothing restored"): here, only what was found. */
    if (s != WS_OK)
        snprintf(problem, sizeof problem, "%s",
                 detail[0]                                      ? detail
                 : s == WS_ERR_CORRUPT || s == WS_ERR_NOT_DB ? tr("backup.copy_damaged")
                                                                : tr(ws_status_key(s)));
    if (s == WS_ERR_CORRUPT) {
        char found[600];
        if (!bk_station_whole(station_path, found, sizeof found)) {
            char *clean = text_sanitize(found);
            bk_err(err, errsz, "backup.station_damaged_check", clean ? clean : "");
            free(clean);
            return s;
        }
    }
    if (s == WS_OK && got.schema_version != snap->schema_version) {
        s = WS_ERR_CORRUPT;
        bk_err(problem, sizeof problem, "backup.version_differs", got.schema_version,
               snap->schema_version);
    }
    if (s == WS_OK && (got.residents_all != snap->residents_all ||
                       got.households_all != snap->households_all ||
                       got.accounts_all != snap->accounts_all)) {
        s = WS_ERR_CORRUPT;
        bk_err(problem, sizeof problem, "backup.counts_differ", (long long)got.residents_all,
               (long long)snap->residents_all, (long long)got.households_all,
               (long long)snap->households_all, (long long)got.accounts_all,
               (long long)snap->accounts_all);
    }
    if (s != WS_OK) {
        char *w = text_sanitize(where);
        bk_err(err, errsz, "backup.check_failed_at", w ? w : "", problem);
        free(w);
    }
    return s;
}

/* ---- sealing ---- */

typedef struct bk_hdr {
    unsigned char raw[BK_HEADER];
    unsigned long long ops;
    size_t mem;
    size_t chunk;
} bk_hdr;

static ws_status bk_derive(const char *pass, const bk_hdr *h, unsigned char *key)
{
    if (crypto_pwhash(key, BK_KEY, pass, strlen(pass), h->raw + 32, h->ops, h->mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return WS_ERR_NOMEM;
    return WS_OK;
}

static void bk_key_check(const unsigned char *key, unsigned char out[16])
{
    crypto_generichash(out, 16, (const unsigned char *)BK_CHECK_TEXT, strlen(BK_CHECK_TEXT), key,
                       BK_KEY);
}

/* Seal the plain file in_fd (size bytes) into out_fd. hash: BLAKE2b of
 * the plain bytes, to check the sealed file by. */
static ws_status bk_seal(int in_fd, int64_t size, int out_fd, const char *pass,
                         const backup_opts *o, unsigned char *key, unsigned char hash[32],
                         int *oserr)
{
    bk_hdr h;
    memset(&h, 0, sizeof h);
    h.ops = o->kdf_ops ? o->kdf_ops : BACKUP_KDF_OPS;
    h.mem = o->kdf_mem ? o->kdf_mem : BACKUP_KDF_MEM;
    memcpy(h.raw, BK_MAGIC, 8);
    h.raw[8] = BK_VERSION;
    h.raw[9] = BK_KDF_ARGON2ID13;
    bk_put_le(h.raw + 12, BK_CHUNK, 4);
    bk_put_le(h.raw + 16, h.ops, 8);
    bk_put_le(h.raw + 24, h.mem, 8);
    randombytes_buf(h.raw + 32, 16);
    ws_status s = bk_derive(pass, &h, key);
    if (s != WS_OK)
        return s;
    bk_key_check(key, h.raw + 48);
    crypto_secretstream_xchacha20poly1305_state ss;
    crypto_secretstream_xchacha20poly1305_init_push(&ss, h.raw + 64, key);
    unsigned char *in = malloc(BK_CHUNK), *out = malloc(BK_CHUNK + BK_ABYTES);
    if (!in || !out) {
        free(in);
        free(out);
        return WS_ERR_NOMEM;
    }
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, 32);
    if (!bk_write_full(out_fd, h.raw, BK_HEADER)) {
        *oserr = errno;
        s = bk_status_errno(errno);
    }
    int64_t left = size;
    bool first = true;
    while (s == WS_OK) {
        if (bk_stopped(o)) {
            s = WS_ERR_INVALID;
            break;
        }
        size_t n = left < BK_CHUNK ? (size_t)left : BK_CHUNK;
        if (bk_read_full(in_fd, in, n) != (ssize_t)n) {
            *oserr = errno ? errno : EIO;
            s = WS_ERR_IO;
            break;
        }
        left -= (int64_t)n;
        unsigned long long clen = 0;
        unsigned char tag = left == 0 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                      : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        crypto_secretstream_xchacha20poly1305_push(&ss, out, &clen, in, n,
                                                   first ? h.raw : NULL,
                                                   first ? BK_HEADER : 0, tag);
        first = false;
        crypto_generichash_update(&hs, in, n);
        if (!bk_write_full(out_fd, out, (size_t)clen)) {
            *oserr = errno;
            s = bk_status_errno(errno);
            break;
        }
        bk_progress(o, size - left, size);
        if (left == 0)
            break;
    }
    if (s == WS_OK && fsync(out_fd) != 0) {
        *oserr = errno;
        s = bk_status_errno(errno);
    }
    crypto_generichash_final(&hs, hash, 32);
    sodium_memzero(&ss, sizeof ss);
    sodium_memzero(in, BK_CHUNK);
    free(in);
    free(out);
    return s;
}

/* Read and check an encrypted backup's header. */
static ws_status bk_read_header(int fd, bk_hdr *h)
{
    memset(h, 0, sizeof *h);
    ssize_t n = bk_read_full(fd, h->raw, BK_HEADER);
    if (n < 8 || memcmp(h->raw, BK_MAGIC, 8) != 0)
        return WS_ERR_NOT_DB;
    if (n < BK_HEADER)
        return WS_ERR_CORRUPT;
    if (h->raw[8] > BK_VERSION)
        return WS_ERR_TOO_NEW;
    h->chunk = (size_t)bk_get_le(h->raw + 12, 4);
    uint64_t ops = bk_get_le(h->raw + 16, 8), mem = bk_get_le(h->raw + 24, 8);
    if (h->raw[8] != BK_VERSION || h->raw[9] != BK_KDF_ARGON2ID13 || h->chunk < 1024 ||
        h->chunk > (16u << 20) || ops < crypto_pwhash_OPSLIMIT_MIN || ops > BK_KDF_OPS_MAX ||
        mem < crypto_pwhash_MEMLIMIT_MIN || mem > BK_KDF_MEM_MAX)
        return WS_ERR_CORRUPT;
    h->ops = ops;
    h->mem = (size_t)mem;
    return WS_OK;
}

typedef enum { BK_OPEN_OK, BK_OPEN_DAMAGED, BK_OPEN_TRUNCATED, BK_OPEN_TRAILING } bk_open_result;

/* Open the sealed stream after its header: write the plain bytes to
 * out_fd (-1: only check), hash them. *at: where a problem was found. */
static ws_status bk_unseal(int in_fd, const bk_hdr *h, const unsigned char *key, int out_fd,
                           const backup_opts *o, int64_t total, unsigned char hash[32],
                           bk_open_result *res, int64_t *at, int *oserr)
{
    *res = BK_OPEN_OK;
    *at = BK_HEADER;
    crypto_secretstream_xchacha20poly1305_state ss;
    if (crypto_secretstream_xchacha20poly1305_init_pull(&ss, h->raw + 64, key) != 0) {
        *res = BK_OPEN_DAMAGED;
        return WS_ERR_CORRUPT;
    }
    size_t full = h->chunk + BK_ABYTES;
    unsigned char *in = malloc(full), *out = malloc(h->chunk);
    if (!in || !out) {
        free(in);
        free(out);
        return WS_ERR_NOMEM;
    }
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, 32);
    ws_status s = WS_OK;
    bool first = true;
    int64_t pos = BK_HEADER;
    for (;;) {
        if (bk_stopped(o)) {
            s = WS_ERR_INVALID;
            break;
        }
        ssize_t n = bk_read_full(in_fd, in, full);
        if (n < 0) {
            *oserr = errno;
            s = WS_ERR_IO;
            break;
        }
        *at = pos;
        if ((size_t)n < BK_ABYTES) {
            /* The file ends before a chunk tagged FINAL. */
            *res = BK_OPEN_TRUNCATED;
            s = WS_ERR_CORRUPT;
            break;
        }
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&ss, out, &mlen, &tag, in, (size_t)n,
                                                       first ? h->raw : NULL,
                                                       first ? BK_HEADER : 0) != 0) {
            /* A short chunk that fails is the end of a file cut short (or
             * a damaged last chunk: the two cannot be told apart). */
            *res = (size_t)n < full ? BK_OPEN_TRUNCATED : BK_OPEN_DAMAGED;
            s = WS_ERR_CORRUPT;
            break;
        }
        first = false;
        pos += n;
        crypto_generichash_update(&hs, out, (size_t)mlen);
        if (out_fd >= 0 && !bk_write_full(out_fd, out, (size_t)mlen)) {
            *oserr = errno;
            s = bk_status_errno(errno);
            break;
        }
        bk_progress(o, pos, total);
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            unsigned char extra;
            if (bk_read_full(in_fd, &extra, 1) != 0) {
                *at = pos;
                *res = BK_OPEN_TRAILING;
                s = WS_ERR_CORRUPT;
            }
            break;
        }
        if ((size_t)n < full) { /* a short chunk that is not the last */
            *res = BK_OPEN_TRUNCATED;
            s = WS_ERR_CORRUPT;
            break;
        }
    }
    crypto_generichash_final(&hs, hash, 32);
    sodium_memzero(&ss, sizeof ss);
    sodium_memzero(out, h->chunk);
    free(in);
    free(out);
    return s;
}

static void bk_unseal_message(bk_open_result res, int64_t at, const char *path, char *err,
                              size_t errsz)
{
    char *p = text_sanitize(path);
    if (res == BK_OPEN_TRUNCATED)
        bk_err(err, errsz, "backup.truncated", p ? p : "", (long long)at);
    else if (res == BK_OPEN_TRAILING)
        bk_err(err, errsz, "backup.trailing", p ? p : "", (long long)at);
    else
        bk_err(err, errsz, "backup.damaged", p ? p : "", (long long)at);
    free(p);
}

bool backup_is_encrypted(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char magic[8];
    bool yes = bk_read_full(fd, magic, 8) == 8 && memcmp(magic, BK_MAGIC, 8) == 0;
    close(fd);
    return yes;
}

/* ---- making a backup ---- */

static bool bk_same_dir(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* The length of a temporary name of ours at the start of name, 0 when
 * it is none: ".wushe-backup.tmp-XXXXXX", ".wushe-restore.tmp-XXXXXX",
 * or an older version's ".NAME.wushe-backup.tmp-XXXXXX". */
static size_t bk_tmp_name_len(const char *name)
{
    static const char *const marks[] = {".wushe-backup.tmp-", ".wushe-restore.tmp-"};
    if (name[0] != '.')
        return 0;
    for (size_t i = 0; i < 2; i++) {
        const char *m = i == 0 ? strstr(name, marks[0]) : NULL;
        if (i == 1 && strncmp(name, marks[1], strlen(marks[1])) == 0)
            m = name;
        if (!m || strlen(m + strlen(marks[i])) < 6)
            continue;
        for (int k = 0; k < 6; k++) {
            char c = m[strlen(marks[i]) + k];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                return 0;
        }
        return (size_t)(m - name) + strlen(marks[i]) + 6;
    }
    return 0;
}

/* Whether the temporary file at path is in use (locked by a backup or
 * restore under way) or too fresh to tell (made this instant, its lock
 * not yet taken). */
static bool bk_tmp_in_use(const char *path, time_t now)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno != ENOENT;
    struct stat sb;
    bool busy = fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
                bk_lock(fd, F_WRLCK, F_OFD_GETLK) != 0 ||
                (sb.st_size == 0 && now - sb.st_mtime < 10);
    close(fd);
    return busy;
}

/* Copies a killed backup or restore left in dir (full size, plain ones
 * unmasked): removed, with what SQLite left beside them, unless in use. */
static void bk_sweep(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t n = bk_tmp_name_len(de->d_name);
        const char *rest = de->d_name + n;
        if (!n || (*rest && strcmp(rest, "-journal") && strcmp(rest, "-wal") &&
                   strcmp(rest, "-shm")))
            continue;
        char path[PATH_MAX + NAME_MAX + 2], main_file[PATH_MAX + NAME_MAX + 2];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(main_file, sizeof main_file, "%s/%.*s", dir, (int)n, de->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid())
            continue;
        if (!bk_tmp_in_use(main_file, now))
            unlink(path);
    }
    closedir(dh);
}

static void bk_sweep_beside(const char *path)
{
    char dir[PATH_MAX];
    bk_dirname(path, dir, sizeof dir);
    bk_sweep(dir);
}

static const char *bk_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Where the plain copy of an encrypted backup waits to be sealed: beside
 * the station file (as private as the station), never on the stick. */
static int bk_stage_plain(const char *station_path, char *out, size_t outsz)
{
    char dir[PATH_MAX];
    bk_dirname(station_path, dir, sizeof dir);
    int fd = bk_tmpfile(dir, "backup", out, outsz);
    if (fd < 0)
        fd = bk_tmpfile(bk_tmpdir(), "backup", out, outsz);
    return fd;
}

/* Record a good backup: in the access log, and as the station's last one
 * (what the home screen says). */
static void bk_record(station *st, const char *file, const backup_info *in, bool automatic,
                      int64_t mark)
{
    if (station_read_only(st))
        return;
    db *d = station_db(st);
    char detail[2048] = "";
    sqlite3_stmt *q = db_prepare(d,
        "SELECT json_object('file', ?1, 'encrypted', json(?2), 'automatic', json(?3),"
        " 'made_at', ?4, 'residents', ?5, 'households', ?6, 'accounts', ?7, 'bytes', ?8)");
    if (q) {
        char *f = text_sanitize(file), when[64];
        /* Local time, as the clerk reads every other time. */
        text_local_time(in->made_at, false, when, sizeof when);
        db_bind_text(q, 1, f ? f : "");
        db_bind_text(q, 2, in->encrypted ? "true" : "false");
        db_bind_text(q, 3, automatic ? "true" : "false");
        db_bind_text(q, 4, when);
        sqlite3_bind_int64(q, 5, in->residents);
        sqlite3_bind_int64(q, 6, in->households);
        sqlite3_bind_int64(q, 7, in->accounts);
        sqlite3_bind_int64(q, 8, in->bytes);
        if (sqlite3_step(q) == SQLITE_ROW)
            db_column_copy(q, 0, detail, sizeof detail);
        db_reset(q);
        free(f);
    }
    if (db_begin(d) != WS_OK)
        return;
    ws_status s = access_log(st, &(access_entry){.event = EV_BACKUP, .rows = in->residents,
                                                 .detail = detail});
    if (s == WS_OK)
        s = db_setting_set(d, "backup_last_at", in->made_at);
    /* A good backup ends the warning of a failed automatic one. */
    if (s == WS_OK)
        s = db_setting_set(d, "backup_auto_failed", "");
    if (s == WS_OK && automatic) {
        char mk[32];
        snprintf(mk, sizeof mk, "%lld", (long long)mark);
        s = db_setting_set(d, "backup_auto_at", in->made_at);
        if (s == WS_OK)
            s = db_setting_set(d, "backup_auto_mark", mk);
        if (s == WS_OK)
            s = db_setting_set(d, "backup_auto_file", file);
    }
    db_end(d, s);
}

static double bk_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Who may make this backup (see backup.h). */
static ws_status bk_may_backup(station *st, const backup_opts *o, bool in_backup_dir,
                               const char *backup_dir, char *err, size_t errsz)
{
    if (o->automatic) {
        if (station_account(st) || station_trusted(st))
            return WS_OK;
        return station_require(st, PERM_BACKUP);
    }
    ws_status s = station_require(st, PERM_BACKUP);
    if (s != WS_OK) {
        bk_err(err, errsz, "backup.denied");
        return s;
    }
    if (!o->passphrase && !in_backup_dir &&
        (s = station_require(st, PERM_EXPORT_UNMASKED)) != WS_OK) {
        char *p = text_sanitize(backup_dir);
        bk_err(err, errsz, "backup.denied_plain", p ? p : "");
        free(p);
    }
    return s;
}

/* The checked plain copy sealed into a locked temporary file in dir
 * (sealed, *sealed_fd), read back from the disk and opened with the key.
 * where: the place the clerk chose, for messages. */
static ws_status bk_seal_copy(const char *plain, const char *dir, const char *where,
                              const backup_opts *o, char *sealed, size_t sealedsz,
                              int *sealed_fd, char *err, size_t errsz)
{
    ws_status s = WS_OK;
    int oserr = 0;
    unsigned char *key = sodium_malloc(BK_KEY);
    unsigned char hash[32], back[32];
    int in_fd = open(plain, O_RDONLY | O_CLOEXEC);
    *sealed_fd = bk_tmpfile(dir, "backup", sealed, sealedsz);
    int out_fd = *sealed_fd >= 0 ? dup(*sealed_fd) : -1;
    if (!key) {
        s = WS_ERR_NOMEM;
    } else if (in_fd < 0 || out_fd < 0) {
        int e = errno;
        bk_err_write(err, errsz, where, e);
        s = bk_status_errno(e);
    } else {
        s = bk_seal(in_fd, bk_file_size(plain), out_fd, o->passphrase, o, key, hash, &oserr);
        if (s != WS_OK && oserr)
            bk_err_write(err, errsz, where, oserr);
    }
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0 && close(out_fd) != 0 && s == WS_OK) {
        int e = errno;
        bk_err_write(err, errsz, where, e);
        s = bk_status_errno(e);
    }
    /* Read back what reached the disk (not the page cache) and open it
     * with the key: a flaky stick is found now, not on the day of the
     * restore. */
    if (s == WS_OK) {
        int rfd = open(sealed, O_RDONLY | O_CLOEXEC);
        bk_hdr h;
        bk_open_result res = BK_OPEN_OK;
        int64_t at = 0;
        if (rfd < 0) {
            s = WS_ERR_IO;
        } else {
            posix_fadvise(rfd, 0, 0, POSIX_FADV_DONTNEED);
            s = bk_read_header(rfd, &h);
            if (s == WS_OK)
                s = bk_unseal(rfd, &h, key, -1, NULL, 0, back, &res, &at, &oserr);
            close(rfd);
        }
        if (s == WS_OK && sodium_memcmp(hash, back, 32) != 0)
            s = WS_ERR_CORRUPT;
        if (s != WS_OK) {
            char *w = text_sanitize(where);
            bk_err(err, errsz, "backup.check_failed_at", w ? w : "", tr("backup.reread_failed"));
            free(w);
        }
    }
    if (key)
        sodium_free(key);
    return s;
}

/* BLAKE2b-256 of the first size bytes of fd. */
static int bk_hash_fd(int fd, int64_t size, unsigned char out[BK_SUM_HASH])
{
    crypto_generichash_state g;
    crypto_generichash_init(&g, NULL, 0, BK_SUM_HASH);
    unsigned char *buf = malloc(1 << 20);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    int64_t at = 0;
    while (at < size) {
        size_t want = size - at < (1 << 20) ? (size_t)(size - at) : (size_t)1 << 20;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0) {
            free(buf);
            if (n == 0)
                errno = EIO;
            return -1;
        }
        crypto_generichash_update(&g, buf, (size_t)n);
        at += n;
    }
    free(buf);
    crypto_generichash_final(&g, out, BK_SUM_HASH);
    return 0;
}

/* The checked plain copy gets its trailer (see BK_SUM_MAGIC). */
static int bk_add_trailer(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat sb;
    unsigned char t[BK_SUM_SIZE];
    int r = fstat(fd, &sb);
    if (r == 0) {
        memcpy(t, BK_SUM_MAGIC, 8);
        bk_put_le(t + 8, (uint64_t)sb.st_size, 8);
        r = bk_hash_fd(fd, (int64_t)sb.st_size, t + 16);
    }
    if (r == 0 && (pwrite(fd, t, sizeof t, sb.st_size) != (ssize_t)sizeof t || fsync(fd) != 0))
        r = -1;
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

/* A path ending in .wushe-backup: a backup file's name, not a folder. */
static bool bk_names_backup(const char *path)
{
    size_t n = strlen(path), el = strlen(BACKUP_EXT);
    return n > el && strcmp(path + n - el, BACKUP_EXT) == 0;
}

/* The length of the blank that s starts with (space, tab, U+3000), 0 if
 * none. */
static size_t bk_blank_at(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    return strncmp(s, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

const char *backup_passphrase_problem(const char *pass)
{
    if (!pass)
        return NULL;
    const char *p = pass, *last = NULL;
    bool all_blank = true;
    while (*p) {
        size_t b = bk_blank_at(p);
        if (!b) {
            all_blank = false;
            b = 1;
            while ((p[b] & 0xC0) == 0x80)
                b++;
        }
        last = p;
        p += b;
    }
    if (all_blank)
        return "backup.passphrase_blank";
    if (bk_blank_at(pass) || (last && bk_blank_at(last)))
        return "backup.passphrase_spaces";
    return NULL;
}

ws_status backup_make(station *st, const char *path, const backup_opts *opts, backup_info *out,
                      char *written, size_t writtensz, char *err, size_t errsz)
{
    static const backup_opts none;
    const backup_opts *o = opts ? opts : &none;
    double t0 = bk_now();
    memset(out, 0, sizeof *out);
    if (written && writtensz)
        written[0] = '\0';
    if (err && errsz)
        err[0] = '\0';
    if (sodium_init() < 0)
        return WS_ERR_NOMEM;
    const char *bad_pass = backup_passphrase_problem(o->passphrase);
    if (bad_pass) {
        bk_err(err, errsz, bad_pass);
        return WS_ERR_INVALID;
    }
    char bdir[PATH_MAX], dir[PATH_MAX], final[PATH_MAX], name[512];
    backup_dir_resolve(o->backup_dir, bdir, sizeof bdir);
    time_t now = bk_clock(st);
    bool encrypted = o->passphrase != NULL;
    struct stat sb;
    /* Where: the backup folder, a folder given, or a file given. */
    /* A stick's folder with no stick in it is a folder on the PC's own
     * disk: a backup there is not on the stick the clerk takes away. */
    char stick[PATH_MAX];
    if (path_stick_missing(o->mount_root, path ? path : bdir, stick, sizeof stick)) {
        char *p = text_sanitize(stick);
        bk_err(err, errsz, "backup.stick_missing", p ? p : "");
        free(p);
        return WS_ERR_NOT_FOUND;
    }
    bool is_dir = !path || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
    if (path && !is_dir && lstat(path, &sb) != 0 && errno == ENOENT && !bk_names_backup(path)) {
        /* Not there and not named as a backup: a folder, most likely a
         * stick not plugged in; a file of that name would land on the PC. */
        bk_err_path(err, errsz, "backup.no_folder_named", path, ENOENT);
        return bk_status_errno(ENOENT);
    }
    if (is_dir)
        snprintf(dir, sizeof dir, "%s", path ? path : bdir);
    else
        bk_dirname(path, dir, sizeof dir);
    /* "/media/usb/" names the folder, not "/media/usb//...". */
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    ws_status s = bk_may_backup(st, o, !path || bk_same_dir(dir, bdir), bdir, err, errsz);
    if (s != WS_OK)
        return s;
    if (is_dir) {
        if (!path && bk_mkdirs(dir) != 0) {
            int e = errno;
            bk_err_path(err, errsz, "backup.mkdir_failed", dir, e);
            return bk_status_errno(e);
        }
        backup_file_name(st, now, encrypted, o->automatic, name, sizeof name);
        if (!bk_free_name(dir, name, final, sizeof final)) {
            bk_err_path(err, errsz, "backup.tmp_failed", dir, ENAMETOOLONG);
            return WS_ERR_IO;
        }
    } else {
        if (lstat(path, &sb) == 0) {
            char *p = text_sanitize(path);
            bk_err(err, errsz, "backup.exists", p ? p : "");
            free(p);
            return WS_ERR_INVALID;
        }
        snprintf(final, sizeof final, "%s", path);
    }
    char base[NAME_MAX + 1];
    bk_basename(final, base, sizeof base);

    const char *src = sqlite3_db_filename(db_handle(station_db(st)), "main");
    if (station_wal_unread(st)) {
        /* Changes in a -wal that a read-only place does not let us read:
         * a backup without them would look whole and not be. */
        char *p = text_sanitize(src);
        bk_err(err, errsz, "backup.wal_unread", p ? p : "");
        free(p);
        return WS_ERR_READONLY;
    }
    backup_info snap;
    memset(&snap, 0, sizeof snap);
    bk_iso(now, snap.made_at);
    snprintf(snap.made_by, sizeof snap.made_by, "%s", station_actor(st));
    bk_station_name(st, snap.station, sizeof snap.station);
    int64_t mark = 0;
    db_int(station_db(st), "SELECT coalesce(max(id), 0) FROM audit_log", 0, &mark);

    /* The plain copy: the file itself, or the stage of the sealed one. */
    bk_sweep_beside(src);
    bk_sweep(dir);
    if (encrypted)
        bk_sweep(bk_tmpdir());
    char plain[PATH_MAX + 64], sealed[PATH_MAX + 64] = "";
    int plain_fd = encrypted ? bk_stage_plain(src, plain, sizeof plain)
                             : bk_tmpfile(dir, "backup", plain, sizeof plain);
    if (plain_fd < 0) {
        int e = errno;
        if (encrypted)
            bk_err_path(err, errsz, "backup.stage_failed", src, e);
        else
            bk_err_write(err, errsz, path ? path : dir, e);
        return bk_status_errno(e);
    }
    int sealed_fd = -1;
    int oserr = 0;
    s = bk_copy(src, station_read_only(st) ? db_handle(station_db(st)) : NULL, plain, o, &snap,
                &oserr);
    if (s != WS_OK) {
        if (oserr && s != WS_ERR_BUSY) {
            if (encrypted)
                bk_err_path(err, errsz, "backup.stage_failed", src, oserr);
            else
                bk_err_write(err, errsz, path ? path : dir, oserr);
            s = bk_status_errno(oserr);
        } else if (s == WS_ERR_CORRUPT) {
            bk_err(err, errsz, "backup.station_damaged_check", tr(ws_status_key(s)));
        } else {
            bk_err(err, errsz, "backup.read_station", tr(ws_status_key(s)));
        }
        bk_remove(plain);
        goto done;
    }
    if (bk_stopped(o)) {
        s = WS_ERR_INVALID;
        bk_remove(plain);
        goto done;
    }
    s = bk_check_copy(plain, src, path ? path : dir, &snap, o->quick, o, err, errsz);
    if (s == WS_OK && bk_stopped(o))
        s = WS_ERR_INVALID;
    if (s != WS_OK) {
        bk_remove(plain);
        goto done;
    }
    if (!encrypted && bk_add_trailer(plain) != 0) {
        int e = errno;
        bk_err_write(err, errsz, path ? path : dir, e);
        bk_remove(plain);
        s = bk_status_errno(e);
        goto done;
    }
    if (encrypted) {
        s = bk_seal_copy(plain, dir, path ? path : dir, o, sealed, sizeof sealed, &sealed_fd, err,
                         errsz);
        bk_remove(plain);
        if (s != WS_OK) {
            bk_remove(sealed);
            goto done;
        }
    }
    const char *made = encrypted ? sealed : plain;
    if (bk_stopped(o)) {
        s = WS_ERR_INVALID;
        bk_remove(made);
        goto done;
    }
    if (bk_rename_new(made, final) != 0) {
        int e = errno;
        if (e == EEXIST) {
            char *p = text_sanitize(final);
            bk_err(err, errsz, "backup.exists", p ? p : "");
            free(p);
        } else {
            bk_err_write(err, errsz, path ? path : dir, e);
        }
        bk_remove(made);
        s = e == EEXIST ? WS_ERR_INVALID : bk_status_errno(e);
        goto done;
    }
    bk_sync_dir(dir);
    *out = snap;
    out->encrypted = encrypted;
    out->bytes = bk_file_size(final);
    out->seconds = bk_now() - t0;
    if (written && writtensz)
        snprintf(written, writtensz, "%s", final);
    bk_record(st, final, out, o->automatic, mark);
done:
    /* Stopped (Ctrl-C): whatever failed on the way, the clerk asked; the
     * temporary copies are gone. */
    if (s != WS_OK && bk_stopped(o)) {
        s = WS_ERR_INVALID;
        bk_err(err, errsz, "backup.interrupted");
    }
    bk_close(&plain_fd);
    bk_close(&sealed_fd);
    return s;
}

/* ---- checking and restoring ---- */

/* The backup as a plain database in a private temporary file in dir:
 * copied, or decrypted. staged gets its name. */
/* Whether a plain backup (an SQLite file) is shorter than its header
 * says: a copy pulled out too early. want: the size it should have. */
static bool bk_plain_cut(int fd, int64_t size, int64_t *want)
{
    unsigned char h[100];
    *want = 100;
    if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h)
        return true;
    uint32_t page = (uint32_t)h[16] << 8 | h[17];
    if (page == 1)
        page = 65536;
    uint32_t pages = (uint32_t)h[28] << 24 | (uint32_t)h[29] << 16 | (uint32_t)h[30] << 8 | h[31];
    /* The page count is valid when its change counter matches (SQLite
     * 3.7.0 and later write both). */
    if (memcmp(h + 24, h + 92, 4) != 0 || page < 512 || pages == 0)
        return false;
    *want = (int64_t)page * pages;
    return size < *want;
}

/* What a plain backup's trailer says. *db: the bytes to restore (the
 * database's size, or the whole file of an older version's backup, which
 * has none); sum: the hash they must have (NULL when none). A trailer out
 * of place, or bytes after it, is refused: *bad_at says where (-1: the
 * start of a trailer, cut short). header:
 * the size the SQLite header gives (100 when it gives none). */
static ws_status bk_plain_trailer(int fd, int64_t size, int64_t header, int64_t *db,
                                  unsigned char sum[BK_SUM_HASH], bool *has_sum,
                                  int64_t *bad_at)
{
    unsigned char t[BK_SUM_SIZE];
    *db = size;
    *has_sum = false;
    if (size >= 512 + BK_SUM_SIZE && pread(fd, t, sizeof t, size - BK_SUM_SIZE) ==
                                         (ssize_t)sizeof t &&
        memcmp(t, BK_SUM_MAGIC, 8) == 0 && bk_get_le(t + 8, 8) == (uint64_t)(size - BK_SUM_SIZE)) {
        *db = size - BK_SUM_SIZE;
        memcpy(sum, t + 16, BK_SUM_HASH);
        *has_sum = true;
        /* The header's size is hashed too: a changed one fails the sum. */
        return WS_OK;
    }
    if (header <= 100 || size <= header)
        return WS_OK; /* no trailer: an older version's backup, or one cut there */
    /* Fewer bytes than a trailer past the database, the start of one: a
     * copy cut short in it (nothing added). */
    if (size < header + BK_SUM_SIZE) {
        unsigned char want[16];
        memcpy(want, BK_SUM_MAGIC, 8);
        bk_put_le(want + 8, (uint64_t)header, 8);
        size_t n = (size_t)(size - header) < sizeof want ? (size_t)(size - header) : sizeof want;
        if (pread(fd, t, n, header) == (ssize_t)n && memcmp(t, want, n) == 0) {
            *bad_at = -1;
            return WS_ERR_CORRUPT;
        }
    }
    /* Bytes past the database: after a trailer, or in place of one. */
    bool after = size > header + BK_SUM_SIZE && pread(fd, t, 8, header) == 8 &&
                 memcmp(t, BK_SUM_MAGIC, 8) == 0;
    *bad_at = after ? header + BK_SUM_SIZE : header;
    return WS_ERR_CORRUPT;
}

static ws_status bk_stage(const char *path, const backup_opts *o, const char *dir,
                          const char *target, char *staged, size_t stagedsz, int *lock_fd,
                          bool *encrypted, bool *no_sum, char *err, size_t errsz)
{
    if (no_sum)
        *no_sum = false;
    staged[0] = '\0';
    *lock_fd = -1;
    *encrypted = false;
    int in_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
        int e = errno;
        bk_err_path(err, errsz, "backup.read_failed", path, e);
        return WS_ERR_IO;
    }
    struct stat sb;
    if (fstat(in_fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(in_fd);
        bk_err_path(err, errsz, "backup.read_failed", path, EISDIR);
        return WS_ERR_IO;
    }
    unsigned char magic[16] = {0};
    ssize_t got = bk_read_full(in_fd, magic, sizeof magic);
    lseek(in_fd, 0, SEEK_SET);
    bool sealed = got >= 8 && memcmp(magic, BK_MAGIC, 8) == 0;
    bool sqlite = got == 16 && memcmp(magic, "SQLite format 3", 16) == 0;
    char *p = text_sanitize(path);
    ws_status s = WS_OK;
    int64_t want = 0;
    if (!sealed && !sqlite) {
        bk_err(err, errsz, "backup.not_backup", p ? p : "");
        s = WS_ERR_NOT_DB;
    } else if (sqlite && bk_plain_cut(in_fd, (int64_t)sb.st_size, &want)) {
        bk_err(err, errsz, "backup.plain_truncated", p ? p : "", (long long)sb.st_size,
               (long long)want);
        s = WS_ERR_CORRUPT;
    }
    int64_t db_bytes = (int64_t)sb.st_size, bad_at = 0;
    unsigned char sum[BK_SUM_HASH];
    bool has_sum = false;
    if (s == WS_OK && sqlite &&
        bk_plain_trailer(in_fd, (int64_t)sb.st_size, want, &db_bytes, sum, &has_sum,
                         &bad_at) != WS_OK) {
        if (bad_at < 0)
            bk_err(err, errsz, "backup.trailer_cut", p ? p : "");
        else
            bk_err(err, errsz, "backup.trailing", p ? p : "", (long long)bad_at);
        s = WS_ERR_CORRUPT;
    }
    if (s == WS_OK && sqlite && !has_sum && no_sum)
        *no_sum = true;
    bk_hdr h;
    if (s == WS_OK && sealed) {
        *encrypted = true;
        s = bk_read_header(in_fd, &h);
        if (s == WS_ERR_TOO_NEW)
            bk_err(err, errsz, "backup.newer_format", p ? p : "", (int)h.raw[8]);
        else if (s != WS_OK && sb.st_size < BK_HEADER)
            bk_err(err, errsz, "backup.truncated", p ? p : "", (long long)sb.st_size);
        else if (s != WS_OK)
            bk_err(err, errsz, "backup.damaged", p ? p : "", 0LL);
        else if (!o || !o->passphrase) {
            bk_err(err, errsz, "backup.passphrase_needed");
            s = WS_ERR_AUTH;
        }
    }
    int out_fd = -1;
    char base[NAME_MAX + 1];
    bk_basename(path, base, sizeof base);
    if (s == WS_OK && (out_fd = bk_tmpfile(dir, "restore", staged, stagedsz)) < 0) {
        int e = errno;
        bk_err_restore_write(err, errsz, target, e);
        s = bk_status_errno(e);
        staged[0] = '\0';
    }
    int oserr = 0;
    if (s == WS_OK && sealed) {
        unsigned char *key = sodium_malloc(BK_KEY);
        unsigned char want[16], hash[32];
        if (!key)
            s = WS_ERR_NOMEM;
        if (s == WS_OK)
            s = bk_derive(o->passphrase, &h, key);
        if (s == WS_OK) {
            bk_key_check(key, want);
            if (sodium_memcmp(want, h.raw + 48, 16) != 0) {
                s = WS_ERR_AUTH;
                bk_err(err, errsz, "backup.wrong_passphrase");
            }
        }
        if (s == WS_OK) {
            bk_open_result res;
            int64_t at = 0;
            s = bk_unseal(in_fd, &h, key, out_fd, o, (int64_t)sb.st_size, hash, &res, &at,
                          &oserr);
            if (s == WS_ERR_CORRUPT)
                bk_unseal_message(res, at, path, err, errsz);
            else if (s != WS_OK && oserr)
                bk_err_restore_write(err, errsz, target, oserr);
        }
        if (key)
            sodium_free(key);
    } else if (s == WS_OK) {
        /* The database's bytes only (not the trailer), hashed on the way. */
        char *buf = malloc(1 << 20);
        int64_t done = 0;
        crypto_generichash_state g;
        crypto_generichash_init(&g, NULL, 0, BK_SUM_HASH);
        if (!buf)
            s = WS_ERR_NOMEM;
        while (s == WS_OK && done < db_bytes) {
            if (bk_stopped(o)) {
                s = WS_ERR_INVALID;
                break;
            }
            size_t step = db_bytes - done < (1 << 20) ? (size_t)(db_bytes - done) : 1u << 20;
            ssize_t n = bk_read_full(in_fd, buf, step);
            if (n < 0) {
                bk_err_path(err, errsz, "backup.read_failed", path, errno);
                s = WS_ERR_IO;
            } else if (n == 0) {
                break;
            } else if (!bk_write_full(out_fd, buf, (size_t)n)) {
                int e = errno;
                bk_err_restore_write(err, errsz, target, e);
                s = bk_status_errno(e);
            } else {
                crypto_generichash_update(&g, (unsigned char *)buf, (size_t)n);
                done += n;
                bk_progress(o, done, db_bytes);
            }
        }
        free(buf);
        unsigned char got_sum[BK_SUM_HASH];
        crypto_generichash_final(&g, got_sum, BK_SUM_HASH);
        if (s == WS_OK && has_sum && sodium_memcmp(got_sum, sum, BK_SUM_HASH) != 0) {
            bk_err(err, errsz, "backup.plain_sum", p ? p : "");
            s = WS_ERR_CORRUPT;
        }
    }
    if (out_fd >= 0) {
        if (s == WS_OK && fsync(out_fd) != 0) {
            int e = errno;
            bk_err_restore_write(err, errsz, target, e);
            s = bk_status_errno(e);
        }
        *lock_fd = out_fd; /* the staged copy stays locked while in use */
    }
    close(in_fd);
    free(p);
    if (s != WS_OK && staged[0]) {
        bk_remove(staged);
        staged[0] = '\0';
    }
    if (s != WS_OK)
        bk_close(lock_fd);
    return s;
}

ws_status backup_verify(const char *path, const backup_opts *o, backup_info *out, char *err,
                        size_t errsz)
{
    memset(out, 0, sizeof *out);
    if (err && errsz)
        err[0] = '\0';
    if (sodium_init() < 0)
        return WS_ERR_NOMEM;
    char staged[PATH_MAX + 64];
    bool encrypted = false;
    int lock_fd = -1;
    bk_sweep(bk_tmpdir());
    bool no_sum = false;
    ws_status s = bk_stage(path, o, bk_tmpdir(), bk_tmpdir(), staged, sizeof staged, &lock_fd,
                           &encrypted, &no_sum, err, errsz);
    if (s == WS_OK) {
        s = bk_inspect(staged, path, false, out, err, errsz, NULL, 0, o);
        out->unverified = no_sum;
        bk_remove(staged);
    }
    if (s != WS_OK && bk_stopped(o)) {
        s = WS_ERR_INVALID;
        bk_err(err, errsz, "backup.verify_interrupted");
    }
    bk_close(&lock_fd);
    out->encrypted = encrypted;
    out->bytes = bk_file_size(path);
    return s;
}

/* The restored station forgets logins of `wushe login`, knows it was
 * backed up when the backup was made, and when it was restored (local
 * "2026-12-01-1530", as backup names say it: the rotation keeps the
 * backups of the work it replaced). */
static int bk_restored_fixups(sqlite3 *h, const backup_info *in, time_t now)
{
    int rc = sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK && bk_has_table(h, "sessions"))
        rc = sqlite3_exec(h, "DELETE FROM sessions", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        char stamp[32];
        bk_stamp(now, stamp);
        sqlite3_stmt *q = NULL;
        rc = sqlite3_prepare_v2(h,
            "INSERT INTO settings(key, value) VALUES ('backup_restored_at', ?1)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(q, 1, stamp, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h);
        }
        sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK && in->made_at[0]) {
        sqlite3_stmt *q = NULL;
        rc = sqlite3_prepare_v2(h,
            "INSERT INTO settings(key, value) VALUES ('backup_last_at', ?1)"
            " ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)", -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(q, 1, in->made_at, -1, SQLITE_STATIC);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h);
        }
        sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    else
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Whether name+suffix exists and holds something: a -wal or -journal that
 * SQLite would replay onto whatever file gets that name. */
static bool bk_has_leftover(const char *name, const char *suffix)
{
    char f[PATH_MAX + 16];
    struct stat sb;
    return (size_t)snprintf(f, sizeof f, "%s%s", name, suffix) < sizeof f && lstat(f, &sb) == 0 &&
           (!S_ISREG(sb.st_mode) || sb.st_size > 0);
}

/* Whether target-journal holds a transaction to roll back (its header
 * not zeroed). */
static bool bk_journal_hot(const char *target)
{
    char f[PATH_MAX + 16];
    snprintf(f, sizeof f, "%s-journal", target);
    int fd = open(f, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT;
    unsigned char head[8] = {0};
    ssize_t n = bk_read_full(fd, head, sizeof head);
    close(fd);
    for (ssize_t i = 0; i < n; i++)
        if (head[i])
            return true;
    return false;
}

static ws_status bk_leftover_refused(const char *target, char *err, size_t errsz)
{
    char *p = text_sanitize(target);
    char base[NAME_MAX + 1];
    bk_basename(p ? p : target, base, sizeof base);
    bk_err(err, errsz, "backup.leftover", p ? p : "", base, base);
    free(p);
    return WS_ERR_BUSY;
}

/* Test-only fault injection (backup_opts.fail_at): the step fails as if
 * the disk did. */
static bool bk_fault(const backup_opts *o, const char *step)
{
    if (o->fail_at && strcmp(o->fail_at, step) == 0) {
        errno = EIO;
        return true;
    }
    return false;
}

/* The current station moved aside to target.before-restore-STAMP[-N]: a
 * second name for the same file where the file system has them (the
 * station keeps its name until the new one replaces it in one rename),
 * else a rename. Never a copy: no disk space needed. *linked says which. */
static int bk_keep_aside(const char *target, time_t now, const backup_opts *o, char *kept,
                         size_t keptsz, bool *linked)
{
    char stamp[32];
    bk_stamp(now, stamp);
    for (int i = 1; i < 100; i++) {
        if (i == 1)
            snprintf(kept, keptsz, "%s.before-restore-%s", target, stamp);
        else
            snprintf(kept, keptsz, "%s.before-restore-%s-%d", target, stamp, i);
        if (bk_fault(o, "keep"))
            return -1;
        *linked = true;
        if (link(target, kept) == 0)
            return 0;
        if (errno != EEXIST) {
            *linked = false;
            if (bk_rename_new(target, kept) == 0)
                return 0;
        }
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

/* The target is a station: take it for ourselves (another connection's
 * shared lock, a console that has it open even idle at its login screen,
 * makes the exclusive lock fail and the restore is refused), fold its WAL
 * into it, keep it aside and rename the staged copy into its place. The
 * live file is never written into: whatever fails before the last rename
 * (a full disk, a power cut) leaves the station as it was. */
static ws_status bk_swap_in(const char *staged, const char *target, const backup_opts *o,
                            time_t now, char *kept, size_t keptsz, char *err, size_t errsz)
{
    sqlite3 *x = NULL;
    char *p = text_sanitize(target);
    int rc = bk_open_db(target, SQLITE_OPEN_READWRITE, &x);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(x, BK_BUSY_MS);
        rc = sqlite3_exec(x, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(x, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
    ws_status s = WS_OK;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        s = WS_ERR_BUSY;
        bk_err(err, errsz, "backup.busy", p ? p : "");
    } else if (rc != SQLITE_OK) {
        s = db_status_from(rc);
        bk_err(err, errsz, "backup.target_unreadable", p ? p : "", sqlite3_errmsg(x));
    }
    /* A station: never another program's database. */
    int64_t v = 0;
    if (s == WS_OK && bk_int(x, "PRAGMA user_version", &v) != SQLITE_OK) {
        s = WS_ERR_CORRUPT;
        bk_err(err, errsz, "backup.target_unreadable", p ? p : "", sqlite3_errmsg(x));
    }
    if (s == WS_OK && (v == 0 || !bk_has_table(x, "residents"))) {
        s = WS_ERR_NOT_DB;
        bk_err(err, errsz, "backup.target_not_station", p ? p : "");
    }
    if (s == WS_OK)
        rc = sqlite3_exec(x, "COMMIT", NULL, NULL, NULL); /* the lock stays: exclusive mode */
    /* Everything into the main file: the file kept is whole by itself, and
     * no -wal of the old station is left under the name of the new. */
    if (s == WS_OK && rc == SQLITE_OK)
        rc = sqlite3_exec(x, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (s == WS_OK && rc == SQLITE_OK)
        rc = sqlite3_exec(x, "BEGIN EXCLUSIVE", NULL, NULL, NULL); /* held to the end */
    if (s == WS_OK && rc != SQLITE_OK) {
        int e = bk_sqlite_errno(x, rc);
        s = bk_status_errno(e);
        bk_err_restore_write(err, errsz, target, e);
    }
    /* (The journal of our own connection stays, zeroed, while it holds the
     * lock in exclusive mode: not hot, nothing to replay.) */
    if (s == WS_OK && (bk_has_leftover(target, "-wal") || bk_journal_hot(target))) {
        s = WS_ERR_IO;
        bk_err_path(err, errsz, "backup.restore_failed", target, EBUSY);
    }
    kept[0] = '\0';
    bool linked = false;
    char dir[PATH_MAX];
    bk_dirname(target, dir, sizeof dir);
    if (s == WS_OK && bk_keep_aside(target, now, o, kept, keptsz, &linked) != 0) {
        int e = errno;
        s = bk_status_errno(e);
        bk_err_path(err, errsz, "backup.keep_failed", kept, e);
        kept[0] = '\0';
    }
    if (s == WS_OK) {
        bool fail = bk_fault(o, "swap");
        int r = fail ? -1 : linked ? rename(staged, target) : bk_rename_new(staged, target);
        if (r != 0) {
            int e = errno;
            /* The station back under its own name, as it was. */
            if (linked)
                unlink(kept);
            else
                bk_rename_new(kept, target);
            kept[0] = '\0';
            s = bk_status_errno(e);
            bk_err_restore_write(err, errsz, target, e);
        }
    }
    bk_sync_dir(dir);
    sqlite3_exec(x, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(x);
    free(p);
    return s;
}

/* Whether another connection has target open, asked before the backup is
 * staged (a large encrypted one takes a while): the same lock the restore
 * takes, released at once. */
static ws_status bk_target_free(const char *target, char *err, size_t errsz)
{
    sqlite3 *x = NULL;
    int rc = bk_open_db(target, SQLITE_OPEN_READWRITE, &x);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(x, BK_BUSY_MS);
        rc = sqlite3_exec(x, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(x, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
    sqlite3_close(x);
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        return WS_OK; /* other problems are the restore's to report */
    char *p = text_sanitize(target);
    bk_err(err, errsz, "backup.busy", p ? p : "");
    free(p);
    return WS_ERR_BUSY;
}

/* The staged copy made ready to be the station: no login sessions, the
 * time of its backup, on the disk. */
static ws_status bk_ready(const char *staged, const char *target, const backup_info *in,
                          const backup_opts *o, time_t now, char *err, size_t errsz)
{
    sqlite3 *h = NULL;
    int rc = bk_open_db(staged, SQLITE_OPEN_READWRITE, &h);
    if (rc == SQLITE_OK)
        rc = bk_restored_fixups(h, in, now);
    int e = rc == SQLITE_OK ? 0 : bk_sqlite_errno(h, rc);
    if (sqlite3_close(h) != SQLITE_OK && rc == SQLITE_OK) {
        rc = SQLITE_IOERR;
        e = EIO;
    }
    int fd = open(staged, O_RDONLY | O_CLOEXEC);
    if (rc == SQLITE_OK && (fd < 0 || fsync(fd) != 0 || bk_fault(o, "ready"))) {
        rc = SQLITE_IOERR;
        e = errno;
    }
    if (fd >= 0)
        close(fd);
    if (rc != SQLITE_OK) {
        bk_err_restore_write(err, errsz, target, e);
        return bk_status_errno(e);
    }
    return WS_OK;
}

/* Nothing there, or an empty file: the staged copy takes the name. */
static ws_status bk_place_new(const char *staged, const char *target, bool empty, char *err,
                              size_t errsz)
{
    if ((empty ? rename(staged, target) : bk_rename_new(staged, target)) != 0) {
        int e = errno;
        bk_err_restore_write(err, errsz, target, e);
        return bk_status_errno(e);
    }
    char dir[PATH_MAX];
    bk_dirname(target, dir, sizeof dir);
    bk_sync_dir(dir);
    return WS_OK;
}

/* "login（name）" of the rows of q (login, display_name), joined. */
static int64_t bk_account_list(sqlite3_stmt *q, char *out, size_t outsz)
{
    int64_t n = 0;
    size_t len = 0;
    out[0] = '\0';
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *login = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        char one[400];
        char *l = text_sanitize(login ? login : ""), *d = text_sanitize(name ? name : "");
        trf(one, sizeof one, "backup.account_named", l ? l : "", d ? d : "");
        free(l);
        free(d);
        const char *sep = n ? tr("backup.account_sep") : "";
        if (len + strlen(sep) + strlen(one) + 4 < outsz) {
            len += (size_t)snprintf(out + len, outsz - len, "%s%s", sep, one);
        } else if (len + 4 < outsz && !strstr(out, "…")) {
            len += (size_t)snprintf(out + len, outsz - len, "…");
        }
        n++;
    }
    return n;
}

/* The same account in the restored station (main) and the kept one. */
#define BK_SAME_ACCOUNT "k.id = m.id AND k.login = m.login AND k.created_at = m.created_at"
/* Disabled in the kept station, enabled in the backup. */
#define BK_ACC_DISABLED \
    " FROM main.accounts m JOIN kept.accounts k ON " BK_SAME_ACCOUNT \
    " WHERE m.active = 1 AND k.active = 0 AND m.deleted_at IS NULL"
/* A password changed after the backup: a 'password' event the backup's
 * access log lacks, and another hash. */
#define BK_ACC_PASSWORD \
    " FROM main.accounts m JOIN kept.accounts k ON " BK_SAME_ACCOUNT \
    " WHERE m.password_hash <> k.password_hash AND k.password_hash <> ''" \
    " AND EXISTS (SELECT 1 FROM kept.access_log a WHERE a.event = 'password'" \
    " AND a.table_name = 'accounts' AND a.row_id = m.id" \
    " AND NOT EXISTS (SELECT 1 FROM main.access_log b WHERE b.id = a.id))"
/* Made after the backup in the same station (its first account alike):
 * an id above the backup's, a login nobody has in it. */
#define BK_ACC_ADDED \
    " FROM kept.accounts k WHERE k.deleted_at IS NULL" \
    " AND k.id > (SELECT coalesce(max(id), 0) FROM main.accounts)" \
    " AND NOT EXISTS (SELECT 1 FROM main.accounts m WHERE m.login = k.login" \
    " AND m.deleted_at IS NULL)" \
    " AND EXISTS (SELECT 1 FROM main.accounts m JOIN kept.accounts k0 ON k0.id = m.id" \
    " AND k0.login = m.login AND k0.created_at = m.created_at" \
    " WHERE m.id = (SELECT min(id) FROM main.accounts))"
#define BK_ACC_COLUMNS \
    "id, login, display_name, role, phone, active, must_change, password_hash, failures," \
    " locked_until, last_login_at, sort_key, revision, created_at, updated_at, deleted_at"

/* The kept station's newer account security carried into the restored
 * one: h's main is the restored station (or the staged copy, apply
 * false: only said), the replaced one attached as "kept". Inside the
 * caller's transaction when apply. 0, else an SQLite code. */
static int bk_carry_accounts(sqlite3 *h, bool apply, backup_info *out)
{
    out->accounts_disabled[0] = out->accounts_added[0] = '\0';
    out->accounts_disabled_n = out->passwords_kept = out->accounts_added_n = 0;
    int64_t ok = 0;
    bk_int(h, "SELECT (SELECT count(*) FROM main.sqlite_schema WHERE type = 'table'"
              " AND name IN ('accounts', 'access_log')) + (SELECT count(*) FROM"
              " kept.sqlite_schema WHERE type = 'table' AND name IN ('accounts', 'access_log'))",
           &ok);
    if (ok != 4)
        return SQLITE_OK; /* a version before accounts: nothing to carry */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(h, "SELECT m.login, m.display_name" BK_ACC_DISABLED
                              " ORDER BY m.sort_key, m.id", -1, &q, NULL) == SQLITE_OK)
        out->accounts_disabled_n = bk_account_list(q, out->accounts_disabled,
                                                   sizeof out->accounts_disabled);
    sqlite3_finalize(q);
    q = NULL;
    if (sqlite3_prepare_v2(h, "SELECT k.login, k.display_name" BK_ACC_ADDED
                              " ORDER BY k.sort_key, k.id", -1, &q, NULL) == SQLITE_OK)
        out->accounts_added_n = bk_account_list(q, out->accounts_added,
                                                sizeof out->accounts_added);
    sqlite3_finalize(q);
    bk_int(h, "SELECT count(*)" BK_ACC_PASSWORD, &out->passwords_kept);
    if (!apply)
        return SQLITE_OK;
    /* (disabled and passwords before the new accounts: those are taken
     * whole, as they are in the kept station) */
    int rc = sqlite3_exec(h,
        "UPDATE main.accounts AS m SET active = 0, updated_at = k.updated_at,"
        " revision = max(m.revision, k.revision) FROM kept.accounts k"
        " WHERE " BK_SAME_ACCOUNT " AND m.active = 1 AND k.active = 0 AND m.deleted_at IS NULL",
        NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h,
            "UPDATE main.accounts AS m SET password_hash = k.password_hash,"
            " must_change = k.must_change, failures = 0, locked_until = 0"
            " FROM kept.accounts k WHERE m.id IN (SELECT m.id" BK_ACC_PASSWORD ")"
            " AND k.id = m.id",
            NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h,
            "INSERT INTO main.accounts(" BK_ACC_COLUMNS ") SELECT " BK_ACC_COLUMNS
            BK_ACC_ADDED, NULL, NULL, NULL);
    return rc;
}

/* What a restore of staged onto target would keep of target's accounts
 * (for the question before it): counted into out, nothing changed. */
static void bk_accounts_preview(const char *staged, const char *target, backup_info *out)
{
    sqlite3 *h = NULL;
    if (bk_open_db(staged, SQLITE_OPEN_READONLY, &h) == SQLITE_OK) {
        char uri[PATH_MAX + 64];
        sqlite3_stmt *q = NULL;
        /* read only: the station is not touched before the swap */
        char *e = sqlite3_mprintf("file:%s?mode=ro", target);
        snprintf(uri, sizeof uri, "%s", e ? e : "");
        sqlite3_free(e);
        if (uri[0] && sqlite3_prepare_v2(h, "ATTACH ?1 AS kept", -1, &q, NULL) == SQLITE_OK) {
            sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
            if (sqlite3_step(q) == SQLITE_DONE)
                bk_carry_accounts(h, false, out);
        }
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
}

/* The access log is history, not work a restore takes back: the rows of
 * the replaced station (kept) that the backup does not have go into the
 * restored one, already migrated to this schema (a backup older than the
 * access log gets it then). Returns how many. */
static int64_t bk_carry_access(station *r, const char *kept, backup_info *out)
{
    sqlite3 *h = db_handle(station_db(r));
    sqlite3_stmt *q = NULL;
    int64_t n = 0;
    /* (the question's preview: only what is done below is said) */
    out->accounts_disabled[0] = out->accounts_added[0] = '\0';
    out->accounts_disabled_n = out->passwords_kept = out->accounts_added_n = 0;
    if (!kept[0] || sqlite3_prepare_v2(h, "ATTACH ?1 AS kept", -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        return 0;
    }
    sqlite3_bind_text(q, 1, kept, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return 0;
    /* The accounts first: a password changed since is told by the
     * access-log rows the backup lacks. */
    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
        rc = bk_carry_accounts(h, true, out);
        if (rc != SQLITE_OK) {
            /* rolled back: nothing kept, nothing said */
            out->accounts_disabled[0] = out->accounts_added[0] = '\0';
            out->accounts_disabled_n = out->passwords_kept = out->accounts_added_n = 0;
        }
        sqlite3_exec(h, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }
    int64_t has = 0;
    bk_int(h, "SELECT count(*) FROM kept.sqlite_schema WHERE type = 'table'"
              " AND name = 'access_log'", &has);
    if (has && sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
        rc = sqlite3_exec(h,
            "INSERT INTO main.access_log(id, at, account_id, login, event, table_name, row_id,"
            " rows, detail) SELECT id, at, account_id, login, event, table_name, row_id, rows,"
            " detail FROM kept.access_log k"
            " WHERE NOT EXISTS (SELECT 1 FROM main.access_log m WHERE m.id = k.id)",
            NULL, NULL, NULL);
        n = rc == SQLITE_OK ? sqlite3_changes64(h) : 0;
        sqlite3_exec(h, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_exec(h, "DETACH kept", NULL, NULL, NULL);
    return n;
}

/* On record in the restored station, as whoever restored it (who, else
 * actor when not ""), with the replaced station's access log carried. */
static void bk_log_restore(const char *target, const account *who, const char *actor,
                           const char *backup, const char *kept, bool encrypted,
                           backup_info *out)
{
    char e2[512];
    station *r = NULL;
    if (station_open(target, 0, NULL, &r, e2, sizeof e2) != WS_OK)
        return;
    out->access_carried = bk_carry_access(r, kept, out);
    if (who)
        station_set_account(r, who);
    else if (actor[0])
        station_set_actor(r, actor);
    char detail[2048] = "";
    sqlite3_stmt *q = db_prepare(station_db(r),
        "SELECT json_object('file', ?1, 'encrypted', json(?2), 'made_at', ?3,"
        " 'made_by', ?4, 'kept', ?5, 'residents', ?6, 'households', ?7, 'accounts', ?8,"
        " 'access_carried', ?9, 'accounts_kept_disabled', ?10, 'passwords_kept', ?11,"
        " 'accounts_kept_new', ?12)");
    if (q) {
        char *f = text_sanitize(backup), *k = text_sanitize(kept), when[64] = "";
        /* Local time, as the clerk reads every other time. */
        if (out->made_at[0])
            text_local_time(out->made_at, false, when, sizeof when);
        db_bind_text(q, 1, f ? f : "");
        db_bind_text(q, 2, encrypted ? "true" : "false");
        db_bind_text(q, 3, when);
        db_bind_text(q, 4, out->made_by);
        db_bind_text(q, 5, k ? k : "");
        sqlite3_bind_int64(q, 6, out->residents);
        sqlite3_bind_int64(q, 7, out->households);
        sqlite3_bind_int64(q, 8, out->accounts);
        sqlite3_bind_int64(q, 9, out->access_carried);
        db_bind_text(q, 10, out->accounts_disabled);
        sqlite3_bind_int64(q, 11, out->passwords_kept);
        db_bind_text(q, 12, out->accounts_added);
        if (sqlite3_step(q) == SQLITE_ROW)
            db_column_copy(q, 0, detail, sizeof detail);
        db_reset(q);
        free(f);
        free(k);
    }
    access_log(r, &(access_entry){.event = EV_RESTORE, .rows = out->residents,
                                  .detail = detail});
    station_close(&r);
}

/* The station a restore would replace, as a backup_info: its name, its
 * last change (made_at), its counts. */
static void bk_current(station *st, backup_info *cur)
{
    memset(cur, 0, sizeof *cur);
    bk_station_name(st, cur->station, sizeof cur->station);
    sqlite3 *h = db_handle(station_db(st));
    bk_text(h, "SELECT max(at) FROM audit_log", cur->made_at, sizeof cur->made_at);
    bk_counts(h, cur);
}

/* Whether replacing cur by the backup in is worth a question: another
 * station, or work after the backup's time that the restore takes back. */
static bool bk_worth_asking(const backup_info *in, const backup_info *cur)
{
    /* Changes by the audit log's ids (one station's, in order), not by
     * clock: the backup's time is the station's clock, which tests move. */
    return strcmp(in->station, cur->station) != 0 || cur->audit_last > in->audit_last;
}

/* The file a restore replaces: target itself, or the file a symbolic
 * link at target points to. A link to nothing is refused (its file would
 * be made somewhere the clerk did not name). 0, else -1 with err. */
static int bk_resolve_target(const char *target, char *out, size_t outsz, char *err,
                             size_t errsz)
{
    struct stat sb;
    if (lstat(target, &sb) != 0 || !S_ISLNK(sb.st_mode)) {
        if ((size_t)snprintf(out, outsz, "%s", target) >= outsz) {
            bk_err_path(err, errsz, "backup.restore_failed", target, ENAMETOOLONG);
            return -1;
        }
        return 0;
    }
    char real[PATH_MAX];
    if (realpath(target, real) && (size_t)snprintf(out, outsz, "%s", real) < outsz)
        return 0;
    int e = errno;
    char to[PATH_MAX] = "";
    ssize_t n = readlink(target, to, sizeof to - 1);
    to[n > 0 ? n : 0] = '\0';
    char *p = text_sanitize(target), *q = text_sanitize(to);
    char os[256];
    bk_err(err, errsz, "backup.restore_link_broken", p ? p : "", q ? q : "",
           enc_os_error(e, os, sizeof os));
    free(p);
    free(q);
    return -1;
}

ws_status backup_restore(station **stp, const char *backup, const char *target,
                         const backup_opts *opts, backup_info *out, char *kept, size_t keptsz,
                         char *err, size_t errsz)
{
    static const backup_opts none;
    const backup_opts *o = opts ? opts : &none;
    double t0 = bk_now();
    memset(out, 0, sizeof *out);
    kept[0] = '\0';
    if (err && errsz)
        err[0] = '\0';
    station *st = stp ? *stp : NULL;
    account who;
    bool have_who = false;
    char actor[64] = "";
    time_t now = bk_clock(st);
    ws_status s = sodium_init() < 0 ? WS_ERR_NOMEM : WS_OK;
    struct stat sb;
    /* A station path that is a symbolic link: the restore replaces the
     * file it points to (what every console opens), never the link. */
    char real[PATH_MAX];
    if (s == WS_OK && bk_resolve_target(target, real, sizeof real, err, errsz) != 0) {
        s = WS_ERR_IO;
        if (stp && *stp)
            station_close(stp);
        return s;
    }
    target = real;
    snprintf(out->restored_to, sizeof out->restored_to, "%s", target);
    bool exists = stat(target, &sb) == 0;
    if (s == WS_OK && exists && S_ISDIR(sb.st_mode)) {
        s = WS_ERR_IO;
        bk_err_path(err, errsz, "backup.restore_failed", target, EISDIR);
    }
    /* Who may: the 站长 of the station replaced; anyone where there is
     * nothing to replace or nobody to ask. */
    if (s == WS_OK && st) {
        int64_t n = 0;
        s = account_count(st, &n);
        if (s == WS_OK && n > 0 && (s = station_require(st, PERM_RESTORE)) != WS_OK)
            bk_err(err, errsz, "backup.denied_restore");
        if (station_account(st)) {
            who = *station_account(st);
            have_who = true;
        }
        snprintf(actor, sizeof actor, "%s", station_actor(st));
    } else if (s == WS_OK && exists && sb.st_size > 0) {
        s = WS_ERR_DENIED;
        bk_err(err, errsz, "backup.denied_restore");
    }
    /* Nothing to replace, but a -wal or -journal under the name: the
     * unsaved changes of a station moved away from here, which SQLite
     * would replay onto the restored file (corrupting it, and losing them
     * for the station moved). Nothing is touched. */
    if (s == WS_OK && (!exists || sb.st_size == 0) &&
        (bk_has_leftover(target, "-wal") || bk_has_leftover(target, "-journal")))
        s = bk_leftover_refused(target, err, errsz);
    backup_info cur;
    bool replacing = s == WS_OK && st && exists && sb.st_size > 0;
    if (replacing && o->confirm)
        bk_current(st, &cur);
    if (stp && *stp)
        station_close(stp); /* our own shared lock would refuse the restore */
    char dir[PATH_MAX], staged[PATH_MAX + 64] = "";
    bk_dirname(target, dir, sizeof dir);
    /* A folder that is not there is refused, never made: a typo in --db
     * must not start a stray station somewhere. */
    if (s == WS_OK && !exists && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        int e = stat(dir, &sb) != 0 ? errno : ENOTDIR;
        bk_err_path(err, errsz, "backup.restore_no_folder", dir, e);
        s = WS_ERR_IO;
    }
    bool encrypted = false, no_sum = false;
    int lock_fd = -1;
    if (s == WS_OK && exists && sb.st_size > 0)
        s = bk_target_free(target, err, errsz);
    if (s == WS_OK) {
        bk_sweep(dir);
        s = bk_stage(backup, o, dir, target, staged, sizeof staged, &lock_fd, &encrypted,
                     &no_sum, err, errsz);
    }
    if (s == WS_OK)
        s = bk_inspect(staged, backup, false, out, err, errsz, NULL, 0, o);
    out->unverified = no_sum; /* (said with the question, before the restore) */
    if (s == WS_OK && replacing)
        bk_accounts_preview(staged, target, out);
    if (s == WS_OK && replacing && o->confirm && bk_worth_asking(out, &cur) &&
        o->confirm(o->confirm_ctx, out, &cur) != 0) {
        s = WS_ERR_INVALID;
        bk_err(err, errsz, "backup.restore_declined");
    }
    if (s == WS_OK)
        s = bk_ready(staged, target, out, o, now, err, errsz);
    if (s == WS_OK && !st && o->authenticate) {
        /* Nothing replaced, nobody logged in: whoever restores logs in as
         * an account of the backup, the actor of the access log. */
        station *r = NULL;
        char e2[512];
        s = station_open(staged, 0, NULL, &r, e2, sizeof e2);
        if (s == WS_OK && o->authenticate(o->auth_ctx, r) != 0)
            s = WS_ERR_AUTH;
        if (s == WS_OK && station_account(r)) {
            who = *station_account(r);
            have_who = true;
        }
        station_close(&r);
        if (s == WS_ERR_AUTH) {
            bk_err(err, errsz, "backup.restore_login");
        } else if (s != WS_OK) {
            /* (station_open's words name the staged copy's temporary
             * name: the backup is what the clerk knows.) */
            char *b = text_sanitize(backup);
            bk_err(err, errsz, "backup.restore_open_failed", b ? b : "", tr(ws_status_key(s)));
            free(b);
        }
    }
    /* Stopped (Ctrl-C) before the station is touched: nothing restored,
     * the staged copy removed. From here on the restore runs to its end. */
    if (bk_stopped(o)) {
        s = WS_ERR_INVALID;
        bk_err(err, errsz, "backup.restore_interrupted");
    }
    if (s == WS_OK) {
        exists = stat(target, &sb) == 0;
        if (exists && sb.st_size > 0)
            s = bk_swap_in(staged, target, o, now, kept, keptsz, err, errsz);
        else if (bk_has_leftover(target, "-wal") || bk_has_leftover(target, "-journal"))
            s = bk_leftover_refused(target, err, errsz); /* appeared meanwhile */
        else
            s = bk_place_new(staged, target, exists, err, errsz);
    }
    if (staged[0])
        bk_remove(staged);
    bk_close(&lock_fd);
    out->encrypted = encrypted;
    out->bytes = bk_file_size(backup);
    if (s != WS_OK)
        return s;
    bk_log_restore(target, have_who ? &who : NULL, actor, backup, kept, encrypted, out);
    out->seconds = bk_now() - t0;
    return WS_OK;
}

/* ---- the last backup, the console's own ---- */

/* The failed automatic backup kept by bk_auto_failed, if any. */
static void bk_last_failed(station *st, backup_last_info *out)
{
    char v[640] = "";
    db_setting_get(station_db(st), "backup_auto_failed", v, sizeof v);
    const char *sp = strchr(v, ' ');
    if (!v[0] || !sp || (size_t)(sp - v) >= sizeof out->failed_at)
        return;
    out->failed = true;
    snprintf(out->failed_at, sizeof out->failed_at, "%.*s", (int)(sp - v), v);
    snprintf(out->failed_why, sizeof out->failed_why, "%s", sp + 1);
    out->warn = true;
}

ws_status backup_last(station *st, backup_last_info *out)
{
    memset(out, 0, sizeof *out);
    char at[64] = "";
    ws_status s = db_setting_get(station_db(st), "backup_last_at", at, sizeof at);
    if (s != WS_OK && s != WS_ERR_NOT_FOUND)
        return s;
    time_t t;
    if (!at[0] || !bk_parse_iso(at, &t)) {
        out->warn = true;
        bk_last_failed(st, out);
        return WS_OK;
    }
    out->any = true;
    snprintf(out->at, sizeof out->at, "%s", at);
    int64_t age = (int64_t)bk_clock(st) - (int64_t)t;
    out->age_days = age > 0 ? age / 86400 : 0;
    out->warn = age > (int64_t)BACKUP_WARN_DAYS * 86400;
    bk_last_failed(st, out);
    return WS_OK;
}

bool backup_auto_due(station *st)
{
    char at[64] = "", today[16], then[16];
    db_setting_get(station_db(st), "backup_auto_at", at, sizeof at);
    time_t t;
    if (!at[0] || !bk_parse_iso(at, &t))
        return true;
    bk_local_date(bk_clock(st), today);
    bk_local_date(t, then);
    return strcmp(today, then) != 0;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t bk_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

typedef struct bk_rot {
    size_t i;
    int64_t minute; /* sort key: minutes since 1970, local */
    int seq;        /* -N */
    int64_t day, week, month;
} bk_rot;

static bool bk_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* prefix-YYYY-MM-DD-HHMM-自动[-TAG][-N].wushe-backup, TAG this one (or
 * none when tag is NULL or empty) */
static bool bk_rot_parse(const char *name, const char *prefix, const char *tag, bk_rot *r)
{
    size_t pl = strlen(prefix), n = strlen(name), el = strlen(BACKUP_EXT);
    if (n < pl + 16 + el || strncmp(name, prefix, pl) != 0 || name[pl] != '-' ||
        strcmp(name + n - el, BACKUP_EXT) != 0)
        return false;
    const char *s = name + pl + 1;
    int y, mo, d, hh, mm;
    if (!bk_digits(s, 4, &y) || s[4] != '-' || !bk_digits(s + 5, 2, &mo) || s[7] != '-' ||
        !bk_digits(s + 8, 2, &d) || s[10] != '-' || !bk_digits(s + 11, 2, &hh) ||
        !bk_digits(s + 13, 2, &mm))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59)
        return false;
    const char *rest = s + 15, *ext = name + n - el;
    size_t ml = strlen(BACKUP_AUTO_MARK);
    if (*rest != '-' || (size_t)(ext - rest) < 1 + ml || strncmp(rest + 1, BACKUP_AUTO_MARK, ml))
        return false;
    rest += 1 + ml;
    size_t tl = tag ? strlen(tag) : 0;
    if (tl) {
        if ((size_t)(ext - rest) < 1 + tl || *rest != '-' || strncmp(rest + 1, tag, tl) != 0)
            return false;
        rest += 1 + tl;
    }
    r->seq = 1;
    if (rest != ext) {
        if (*rest != '-' || ext - rest < 2 || ext - rest > 4 ||
            !bk_digits(rest + 1, (int)(ext - rest - 1), &r->seq))
            return false;
    }
    r->day = bk_days(y, mo, d);
    r->minute = r->day * 1440 + hh * 60 + mm;
    /* 1970-01-01 was a Thursday: weeks from Monday. */
    r->week = (r->day + 3 >= 0 ? (r->day + 3) / 7 : (r->day + 3 - 6) / 7);
    r->month = (int64_t)y * 12 + mo - 1;
    return true;
}

static int bk_rot_newest_first(const void *a, const void *b)
{
    const bk_rot *x = a, *y = b;
    if (x->minute != y->minute)
        return x->minute < y->minute ? 1 : -1;
    return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

static void bk_rot_keep(const bk_rot *r, size_t n, size_t off, int count, bool *keep)
{
    int64_t last = INT64_MIN;
    int kept = 0;
    for (size_t i = 0; i < n && kept < count; i++) {
        int64_t bucket = *(const int64_t *)((const char *)&r[i] + off);
        if (bucket == last)
            continue;
        last = bucket;
        keep[r[i].i] = true;
        kept++;
    }
}

/* "2026-12-01-1530": its minute and month as bk_rot_parse counts them. */
static bool bk_stamp_parse(const char *stamp, int64_t *minute, int64_t *month)
{
    int y, mo, d, hh, mm;
    if (!stamp || strlen(stamp) != 15 || !bk_digits(stamp, 4, &y) || stamp[4] != '-' ||
        !bk_digits(stamp + 5, 2, &mo) || stamp[7] != '-' || !bk_digits(stamp + 8, 2, &d) ||
        stamp[10] != '-' || !bk_digits(stamp + 11, 2, &hh) || !bk_digits(stamp + 13, 2, &mm) ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59)
        return false;
    *minute = bk_days(y, mo, d) * 1440 + hh * 60 + mm;
    *month = (int64_t)y * 12 + mo - 1;
    return true;
}

size_t backup_rotate_plan(const char *const *names, size_t n, const char *prefix,
                          const char *tag, int daily, int weekly, int monthly,
                          const char *restored, bool *keep)
{
    bk_rot *r = calloc(n ? n : 1, sizeof *r);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bk_rot x;
        if (r && bk_rot_parse(names[i], prefix, tag, &x)) {
            x.i = i;
            r[m++] = x;
            keep[i] = false;
        } else {
            keep[i] = true; /* not ours, or no memory to decide: kept */
        }
    }
    qsort(r, m, sizeof *r, bk_rot_newest_first);
    bk_rot_keep(r, m, offsetof(bk_rot, day), daily, keep);
    bk_rot_keep(r, m, offsetof(bk_rot, week), weekly, keep);
    bk_rot_keep(r, m, offsetof(bk_rot, month), monthly, keep);
    /* After a restore, the backups made before it are of work the station
     * no longer has: none of them goes while the restore is within the
     * months kept (a backup of the restored state must not push them out
     * of their day, week or month). */
    int64_t rmin, rmonth;
    if (m && bk_stamp_parse(restored, &rmin, &rmonth) && rmonth > r[0].month - monthly)
        for (size_t i = 0; i < m; i++)
            if (r[i].minute <= rmin)
                keep[r[i].i] = true;
    size_t drop = 0;
    for (size_t i = 0; i < n; i++)
        drop += !keep[i];
    free(r);
    return drop;
}

/* Rotate dir's automatic backups; `made` (a path, or NULL) is the one just
 * written, never removed: a name saying a later time of its day (another
 * clock or zone) must not push it out. */
static ws_status bk_rotate(const char *dir, const char *prefix, const char *tag,
                           const char *restored, const char *made, size_t *removed)
{
    const char *made_name = made ? strrchr(made, '/') : NULL;
    made_name = made_name ? made_name + 1 : made;
    DIR *dh = opendir(dir);
    if (!dh)
        return WS_ERR_IO;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    ws_status s = WS_OK;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                s = WS_ERR_NOMEM;
                break;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            s = WS_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(dh);
    bool *keep = s == WS_OK ? calloc(n ? n : 1, sizeof *keep) : NULL;
    if (s == WS_OK && !keep)
        s = WS_ERR_NOMEM;
    if (s == WS_OK) {
        backup_rotate_plan((const char *const *)names, n, prefix, tag, BACKUP_KEEP_DAILY,
                           BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY, restored[0] ? restored : NULL,
                           keep);
        for (size_t i = 0; i < n; i++) {
            if (keep[i] || (made_name && strcmp(names[i], made_name) == 0))
                continue;
            char path[PATH_MAX + NAME_MAX + 2];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            struct stat sb;
            if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && unlink(path) == 0 && removed)
                (*removed)++;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(keep);
    return s;
}

/* A failed automatic backup is kept in the station (time, then what went
 * wrong), for the home screen to show until a backup succeeds. */
static void bk_auto_failed(station *st, ws_status s, const char *err)
{
    if (station_read_only(st))
        return;
    char iso[32], v[600];
    bk_iso(bk_clock(st), iso);
    snprintf(v, sizeof v, "%s %.500s", iso, err && err[0] ? err : tr(ws_status_key(s)));
    db_setting_set(station_db(st), "backup_auto_failed", v);
}

ws_status backup_auto(station *st, const char *dir, backup_info *out, char *written,
                      size_t writtensz, size_t *removed, char *err, size_t errsz)
{
    if (removed)
        *removed = 0;
    if (written && writtensz)
        written[0] = '\0';
    memset(out, 0, sizeof *out);
    char bdir[PATH_MAX], prefix[160];
    backup_dir_resolve(dir, bdir, sizeof bdir);
    if (!station_account(st) && !station_trusted(st))
        return station_require(st, PERM_BACKUP); /* nobody logged in */
    /* Nothing written since the last one, which is still there: a console
     * opened only to look needs no second copy. */
    char mark[32] = "", file[PATH_MAX] = "";
    int64_t now_mark = 0;
    db *d = station_db(st);
    db_setting_get(d, "backup_auto_mark", mark, sizeof mark);
    db_setting_get(d, "backup_auto_file", file, sizeof file);
    db_int(d, "SELECT coalesce(max(id), 0) FROM audit_log", 0, &now_mark);
    char failed[16] = "";
    db_setting_get(d, "backup_auto_failed", failed, sizeof failed);
    struct stat sb;
    if (mark[0] && strtoll(mark, NULL, 10) == now_mark && file[0] && stat(file, &sb) == 0 &&
        !backup_auto_due(st) && !failed[0]) /* after a failure, try again */
        return WS_OK;
    backup_opts o = {.automatic = true, .backup_dir = bdir, .quick = true};
    char made[PATH_MAX + NAME_MAX + 2] = "";
    ws_status s = backup_make(st, NULL, &o, out, made, sizeof made, err, errsz);
    if (s != WS_OK) {
        bk_auto_failed(st, s, err);
        return s;
    }
    if (written && writtensz)
        snprintf(written, writtensz, "%s", made);
    char tag[16];
    backup_name_prefix(st, prefix, sizeof prefix);
    backup_station_tag(st, tag, sizeof tag);
    char restored[32];
    backup_restored_at(st, restored);
    bk_rotate(bdir, prefix, tag, restored, made, removed);
    return WS_OK;
}

void backup_restored_at(station *st, char out[32])
{
    out[0] = '\0';
    if (db_setting_get(station_db(st), "backup_restored_at", out, 32) != WS_OK)
        out[0] = '\0';
}

void backup_restored_since(station *st, time_t when, char out[32])
{
    out[0] = '\0';
    char restored[32], stamp[32];
    backup_restored_at(st, restored);
    if (strlen(restored) != 15)
        return;
    bk_stamp(when + (bk_clock(st) - time(NULL)), stamp);
    if (strcmp(stamp, restored) <= 0)
        snprintf(out, 32, "%.10s %.2s:%.2s", restored, restored + 11, restored + 13);
}
