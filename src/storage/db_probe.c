/* What a file is, read before SQLite writes anything to it: the header of
 * the main file, and the write-ahead log an unclean stop left beside it
 * (which frames SQLite will keep, which it will drop, and a copy of it kept
 * before any open that could checkpoint or discard it). */
#include "db_probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void db_probe_header(const char *path, db_header *out)
{
    memset(out, 0, sizeof *out);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        out->kind = DB_FILE_MISSING;
        return;
    }
    out->size = (int64_t)sb.st_size;
    if (sb.st_size == 0) {
        out->kind = DB_FILE_EMPTY;
        return;
    }
    unsigned char h[100];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, h, sizeof h) : -1;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        out->kind = DB_FILE_UNREADABLE;
        return;
    }
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
        out->kind = DB_FILE_NOT_SQLITE;
        return;
    }
    out->kind = DB_FILE_SQLITE;
    uint32_t ps = (uint32_t)h[16] << 8 | h[17];
    out->page_size = ps == 1 ? 65536 : (int)ps;
    out->wal_mode = h[18] == 2 && h[19] == 2;
    out->user_version = (int32_t)be32(h + 60);
    out->application_id = be32(h + 68);
}

void db_sidecar(const char *path, const char *suffix, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s%s", path, suffix);
}

/* SQLite's WAL checksum over n bytes (n a multiple of 8), continuing s. */
static void wal_checksum(bool big, const unsigned char *p, size_t n, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint32_t a, b;
        if (big) {
            a = be32(p + i);
            b = be32(p + i + 4);
        } else {
            a = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                (uint32_t)p[i + 3] << 24;
            b = (uint32_t)p[i + 4] | (uint32_t)p[i + 5] << 8 | (uint32_t)p[i + 6] << 16 |
                (uint32_t)p[i + 7] << 24;
        }
        s[0] += a + s[1];
        s[1] += b + s[0];
    }
}

/* Walk the frames as SQLite's recovery does: valid while the salts match
 * and the running checksum holds; what counts is the last commit frame.
 * Frames after it that still carry this log's salts and a commit mark
 * are committed transactions the recovery will drop. */
static void wal_scan(const unsigned char *w, size_t len, db_wal *out)
{
    if (len < 32)
        return;
    uint32_t magic = be32(w);
    bool big = magic == 0x377f0683;
    uint32_t ps = be32(w + 8);
    bool hdr_ok = (magic & 0xFFFFFFFEu) == 0x377f0682 && ps >= 512 && ps <= 65536 &&
                  (ps & (ps - 1)) == 0;
    if (!hdr_ok)
        return;
    uint32_t s[2] = {0, 0};
    wal_checksum(big, w, 24, s);
    hdr_ok = s[0] == be32(w + 24) && s[1] == be32(w + 28);
    size_t fsz = 24 + (size_t)ps;
    bool valid = hdr_ok;
    int64_t frame = 0, kept = 0, pending_commit = 0;
    for (size_t off = 32; off + 24 <= len; off += fsz, frame++) {
        const unsigned char *f = w + off;
        bool salts = memcmp(f + 8, w + 16, 8) == 0;
        bool whole = off + fsz <= len;
        if (valid && salts && whole) {
            unsigned char head8[8];
            memcpy(head8, f, 8);
            uint32_t t[2] = {s[0], s[1]};
            wal_checksum(big, head8, 8, t);
            wal_checksum(big, f + 24, ps, t);
            if (t[0] == be32(f + 16) && t[1] == be32(f + 20)) {
                s[0] = t[0];
                s[1] = t[1];
                out->frames++;
                if (be32(f + 4) != 0)
                    kept = out->frames;
                continue;
            }
        }
        valid = false;
        if (!salts)
            continue; /* an older log's frame: checkpointed long ago */
        out->frames++;
        if (be32(f + 4) != 0)
            pending_commit = out->frames;
    }
    out->kept = kept;
    /* Committed frames beyond the last one SQLite can read: lost. */
    if (pending_commit > kept)
        out->dropped = pending_commit - kept;
}

/* Whether another process has the log open: every connection holds a
 * read lock on the -shm's byte 128 (SQLite's "dead man switch"). */
static bool wal_in_use(const char *path)
{
    char shm[4200];
    db_sidecar(path, "-shm", shm, sizeof shm);
    int fd = open(shm, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
    bool used = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return used;
}

static bool read_all(const char *path, unsigned char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rbe");
    if (!fp)
        return false;
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || sb.st_size <= 0) {
        fclose(fp);
        return false;
    }
    *buf = malloc((size_t)sb.st_size);
    bool ok = *buf && fread(*buf, 1, (size_t)sb.st_size, fp) == (size_t)sb.st_size;
    fclose(fp);
    if (!ok) {
        free(*buf);
        *buf = NULL;
        return false;
    }
    *len = (size_t)sb.st_size;
    return true;
}

/* Whether an earlier open already kept this very log: path-wal.*.bak with
 * the same bytes (its name in copy). */
static bool wal_kept(const char *path, const unsigned char *w, size_t len, char *copy,
                     size_t copysz)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s-wal.", base);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || n < 4 ||
            strcmp(e->d_name + n - 4, ".bak") != 0)
            continue;
        snprintf(copy, copysz, "%s/%s", dir, e->d_name);
        unsigned char *b = NULL;
        size_t blen = 0;
        struct stat sb;
        if (stat(copy, &sb) != 0 || (size_t)sb.st_size != len || !read_all(copy, &b, &blen))
            continue;
        found = blen == len && memcmp(b, w, len) == 0;
        free(b);
    }
    closedir(d);
    if (!found)
        copy[0] = '\0';
    return found;
}

/* A new file beside path: path-wal.YYYYmmdd-HHMMSS.bak (then -2, -3...). */
static bool wal_copy(const char *path, const unsigned char *w, size_t len, char *copy,
                     size_t copysz)
{
    if (wal_kept(path, w, len, copy, copysz))
        return true;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int i = 1; i < 100; i++) {
        if (i == 1)
            snprintf(copy, copysz, "%s-wal.%s.bak", path, stamp);
        else
            snprintf(copy, copysz, "%s-wal.%s-%d.bak", path, stamp, i);
        int fd = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            break;
        }
        bool ok = write(fd, w, len) == (ssize_t)len && fsync(fd) == 0;
        if (close(fd) != 0)
            ok = false;
        if (ok)
            return true;
        unlink(copy);
        break;
    }
    copy[0] = '\0';
    return false;
}

void db_wal_inspect(const char *path, bool keep_copy, db_wal *out)
{
    memset(out, 0, sizeof *out);
    char wal[4200];
    db_sidecar(path, "-wal", wal, sizeof wal);
    struct stat sb;
    if (stat(wal, &sb) != 0 || sb.st_size == 0)
        return;
    out->present = true;
    out->bytes = (int64_t)sb.st_size;
    if (wal_in_use(path)) {
        out->in_use = true;
        return;
    }
    unsigned char *w = NULL;
    size_t len = 0;
    if (!read_all(wal, &w, &len))
        return;
    wal_scan(w, len, out);
    /* The copy is kept only as evidence of what SQLite is about to drop. */
    if (keep_copy && out->dropped > 0)
        out->copied = wal_copy(path, w, len, out->copy, sizeof out->copy);
    free(w);
}

db_ro_reason db_probe_writable(const char *path)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct statvfs vs;
    if (statvfs(dir, &vs) == 0 && (vs.f_flag & ST_RDONLY))
        return DB_RO_MOUNT;
    /* The folder first: without it no -wal or -shm can be made, whatever
     * the file allows. */
    if (access(dir, W_OK) != 0)
        return DB_RO_FOLDER;
    if (access(path, W_OK) != 0 && errno != ENOENT)
        return DB_RO_FILE;
    return DB_RO_NONE;
}

char *db_probe_uri(const char *path, bool immutable)
{
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 32);
    if (!u)
        return NULL;
    char *w = u + sprintf(u, "file:");
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%' || c == '?' || c == '#' || c < 0x20)
            w += sprintf(w, "%%%02X", c);
        else
            *w++ = (char)c;
    }
    strcpy(w, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
    return u;
}
