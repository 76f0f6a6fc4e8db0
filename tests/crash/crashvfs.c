/* The power-cut VFS (crashvfs.h). Single-threaded: the tests drive it from
 * one thread. */
#include "crashvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR 512

typedef struct pending {
    sqlite3_int64 off;   /* write: where; truncate: the new size */
    unsigned char *data; /* NULL: a truncate */
    int len;
} pending;

/* One file as the disk holds it after its last sync, and what came since. */
typedef struct tracked {
    char *path;
    bool exists;          /* on the disk for good (created and synced) */
    unsigned char *img;
    size_t len;
    pending *ops;
    size_t nops, capops;
    int refs;
    struct tracked *next;
} tracked;

typedef struct cfile {
    sqlite3_file base;
    tracked *t; /* NULL: a temporary file, not followed */
    sqlite3_file *real;
} cfile;

static sqlite3_vfs *g_real;
static sqlite3_vfs g_vfs;
static tracked *g_files;
static uint64_t g_ops, g_at, g_rng;
static bool g_crashed, g_tear, g_lying;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "crashvfs: out of memory\n");
        abort();
    }
    return p;
}

static void ops_clear(tracked *t)
{
    for (size_t i = 0; i < t->nops; i++)
        free(t->ops[i].data);
    t->nops = 0;
}

static void tracked_free(tracked *t)
{
    ops_clear(t);
    free(t->ops);
    free(t->img);
    free(t->path);
    free(t);
}

/* Apply one write or truncate to a byte image. */
static void image_apply(unsigned char **img, size_t *len, const pending *p, int len_written)
{
    if (!p->data) {
        size_t n = (size_t)p->off;
        if (n > *len) {
            *img = realloc(*img, n ? n : 1);
            if (!*img)
                abort();
            memset(*img + *len, 0, n - *len);
        }
        *len = n;
        return;
    }
    size_t end = (size_t)p->off + (size_t)len_written;
    if (end > *len) {
        *img = realloc(*img, end ? end : 1);
        if (!*img)
            abort();
        memset(*img + *len, 0, end - *len);
        *len = end;
    }
    memcpy(*img + p->off, p->data, (size_t)len_written);
}

static tracked *tracked_find(const char *path)
{
    for (tracked *t = g_files; t; t = t->next)
        if (strcmp(t->path, path) == 0)
            return t;
    return NULL;
}

static void tracked_unlink(tracked *t)
{
    for (tracked **pp = &g_files; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            tracked_free(t);
            return;
        }
}

/* The disk's image of a file not yet followed: what is there now. */
static tracked *tracked_load(const char *path)
{
    tracked *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->path = strdup(path);
    if (!t->path)
        abort();
    FILE *f = fopen(path, "rb");
    if (f) {
        t->exists = true;
        unsigned char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            t->img = realloc(t->img, t->len + n);
            if (!t->img)
                abort();
            memcpy(t->img + t->len, buf, n);
            t->len += n;
        }
        fclose(f);
    }
    t->next = g_files;
    g_files = t;
    return t;
}

/* Counts a write, sync or truncate; true when the power goes now. */
static bool cut_now(void)
{
    if (g_crashed)
        return true;
    g_ops++;
    if (g_at && g_ops >= g_at)
        g_crashed = true;
    return g_crashed;
}

static int c_close(sqlite3_file *f)
{
    cfile *c = (cfile *)f;
    int rc = c->real->pMethods ? c->real->pMethods->xClose(c->real) : SQLITE_OK;
    if (c->t)
        c->t->refs--;
    free(c->real);
    return rc;
}

static int c_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xRead(c->real, buf, n, off);
}

static int c_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    cfile *c = (cfile *)f;
    if (!c->t)
        return c->real->pMethods->xWrite(c->real, buf, n, off);
    if (cut_now())
        return SQLITE_IOERR_WRITE;
    tracked *t = c->t;
    if (t->nops == t->capops) {
        t->capops = t->capops ? 2 * t->capops : 16;
        t->ops = realloc(t->ops, t->capops * sizeof *t->ops);
        if (!t->ops)
            abort();
    }
    pending *p = &t->ops[t->nops++];
    p->off = off;
    p->len = n;
    p->data = xmalloc((size_t)n);
    memcpy(p->data, buf, (size_t)n);
    return c->real->pMethods->xWrite(c->real, buf, n, off);
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    cfile *c = (cfile *)f;
    if (!c->t)
        return c->real->pMethods->xTruncate(c->real, size);
    if (cut_now())
        return SQLITE_IOERR_TRUNCATE;
    tracked *t = c->t;
    if (t->nops == t->capops) {
        t->capops = t->capops ? 2 * t->capops : 16;
        t->ops = realloc(t->ops, t->capops * sizeof *t->ops);
        if (!t->ops)
            abort();
    }
    t->ops[t->nops++] = (pending){.off = size, .data = NULL, .len = 0};
    return c->real->pMethods->xTruncate(c->real, size);
}

static int c_sync(sqlite3_file *f, int flags)
{
    cfile *c = (cfile *)f;
    if (!c->t)
        return c->real->pMethods->xSync(c->real, flags);
    if (cut_now())
        return SQLITE_IOERR_FSYNC;
    /* The disk is simulated: its synced image is kept here, so the real
     * fsync would only cost time. A lying disk (the harness's own check)
     * keeps nothing. */
    (void)flags;
    if (g_lying)
        return SQLITE_OK;
    /* Synced: everything written so far is on the disk for good. */
    tracked *t = c->t;
    for (size_t i = 0; i < t->nops; i++)
        image_apply(&t->img, &t->len, &t->ops[i], t->ops[i].len);
    ops_clear(t);
    t->exists = true;
    return SQLITE_OK;
}

static int c_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xFileSize(c->real, size);
}

static int c_lock(sqlite3_file *f, int lock)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xLock(c->real, lock);
}

static int c_unlock(sqlite3_file *f, int lock)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xUnlock(c->real, lock);
}

static int c_check_reserved(sqlite3_file *f, int *out)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xCheckReservedLock(c->real, out);
}

static int c_file_control(sqlite3_file *f, int op, void *arg)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xFileControl(c->real, op, arg);
}

static int c_sector_size(sqlite3_file *f)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xSectorSize(c->real);
}

static int c_device_chars(sqlite3_file *f)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xDeviceCharacteristics(c->real);
}

static int c_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xShmMap(c->real, pg, pgsz, extend, pp);
}

static int c_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xShmLock(c->real, offset, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
    cfile *c = (cfile *)f;
    c->real->pMethods->xShmBarrier(c->real);
}

static int c_shm_unmap(sqlite3_file *f, int del)
{
    cfile *c = (cfile *)f;
    return c->real->pMethods->xShmUnmap(c->real, del);
}

/* Version 2: shared memory, but no memory-mapped reads (xFetch), so every
 * page goes through xRead and xWrite. */
static const sqlite3_io_methods c_methods = {
    2, c_close, c_read, c_write, c_truncate, c_sync, c_file_size, c_lock, c_unlock,
    c_check_reserved, c_file_control, c_sector_size, c_device_chars,
    c_shm_map, c_shm_lock, c_shm_barrier, c_shm_unmap, NULL, NULL,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    cfile *c = (cfile *)f;
    c->base.pMethods = NULL;
    c->real = calloc(1, (size_t)g_real->szOsFile);
    if (!c->real)
        return SQLITE_NOMEM;
    bool follow = name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL |
                                    SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL));
    tracked *t = NULL;
    if (follow) {
        t = tracked_find(name);
        if (!t)
            t = tracked_load(name);
    }
    int rc = g_real->xOpen(g_real, name, c->real, flags, out);
    if (rc != SQLITE_OK) {
        if (c->real->pMethods)
            c->real->pMethods->xClose(c->real);
        free(c->real);
        c->real = NULL;
        return rc;
    }
    c->t = t;
    if (t)
        t->refs++;
    c->base.pMethods = &c_methods;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
    (void)vfs;
    if (g_crashed)
        return SQLITE_IOERR_DELETE;
    int rc = g_real->xDelete(g_real, name, dirsync);
    tracked *t = tracked_find(name);
    if (t && rc == SQLITE_OK) {
        /* Gone for good: SQLite deletes a journal or WAL only once what it
         * held is in the database and synced. */
        ops_clear(t);
        free(t->img);
        t->img = NULL;
        t->len = 0;
        t->exists = false;
        if (t->refs == 0)
            tracked_unlink(t);
    }
    return rc;
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return g_real->xAccess(g_real, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return g_real->xFullPathname(g_real, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return g_real->xDlOpen(g_real, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    g_real->xDlError(g_real, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return g_real->xDlSym(g_real, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    g_real->xDlClose(g_real, h);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return g_real->xRandomness(g_real, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return g_real->xSleep(g_real, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return g_real->xCurrentTime(g_real, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return g_real->xGetLastError(g_real, n, out);
}

static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return g_real->xCurrentTimeInt64(g_real, out);
}

int crashvfs_install(void)
{
    if (g_real)
        return SQLITE_OK;
    g_real = sqlite3_vfs_find(NULL);
    if (!g_real)
        return SQLITE_ERROR;
    g_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(cfile),
        .mxPathname = g_real->mxPathname,
        .zName = "crashvfs",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_pathname,
        .xDlOpen = v_dlopen,
        .xDlError = v_dlerror,
        .xDlSym = v_dlsym,
        .xDlClose = v_dlclose,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_current_time64,
    };
    return sqlite3_vfs_register(&g_vfs, 1);
}

void crashvfs_arm(uint64_t at, bool tear, uint64_t seed)
{
    while (g_files) {
        tracked *t = g_files;
        g_files = t->next;
        tracked_free(t);
    }
    g_ops = 0;
    g_at = at;
    g_crashed = false;
    g_tear = tear;
    g_rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}

void crashvfs_lie(bool lying)
{
    g_lying = lying;
}

uint64_t crashvfs_ops(void)
{
    return g_ops;
}

bool crashvfs_crashed(void)
{
    return g_crashed;
}

int crashvfs_open_files(void)
{
    int n = 0;
    for (tracked *t = g_files; t; t = t->next)
        n += t->refs;
    return n;
}

/* What one file holds after the cut: its synced image and, for each write
 * since, at random the whole write, nothing, or (tearing) its first
 * sectors. */
static int settle_one(tracked *t)
{
    unsigned char *img = NULL;
    size_t len = t->len;
    if (len) {
        img = xmalloc(len);
        memcpy(img, t->img, len);
    }
    bool any = t->exists;
    for (size_t i = 0; i < t->nops; i++) {
        const pending *p = &t->ops[i];
        unsigned r = (unsigned)(rnd() % 4);
        if (r == 2)
            continue; /* lost */
        int n = p->len;
        if (r == 3) {
            if (!g_tear || !p->data || n <= SECTOR)
                continue;
            n = (int)(rnd() % (uint64_t)(n / SECTOR)) * SECTOR; /* torn */
            if (n == 0)
                continue;
        }
        image_apply(&img, &len, p, n);
        any = true;
    }
    int rc = 0;
    if (!any) {
        if (unlink(t->path) != 0 && errno != ENOENT)
            rc = -1;
    } else {
        int fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            rc = -1;
        else {
            size_t done = 0;
            while (done < len) {
                ssize_t w = write(fd, img + done, len - done);
                if (w <= 0) {
                    rc = -1;
                    break;
                }
                done += (size_t)w;
            }
            if (close(fd) != 0)
                rc = -1;
        }
    }
    free(img);
    return rc;
}

int crashvfs_settle(void)
{
    int rc = 0;
    if (crashvfs_open_files() > 0)
        return -1;
    for (tracked *t = g_files; t; t = t->next)
        if (settle_one(t) != 0)
            rc = -1;
    while (g_files) {
        tracked *t = g_files;
        g_files = t->next;
        tracked_free(t);
    }
    g_crashed = false;
    g_at = 0;
    return rc;
}
