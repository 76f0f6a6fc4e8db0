/* What a file is before SQLite touches it (db_probe.c): internal to the
 * storage layer and its tests. */
#ifndef WUSHE_DB_PROBE_H
#define WUSHE_DB_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PRAGMA application_id of every station file: 'WSHS'. */
#define DB_APPLICATION_ID 0x57534853

typedef enum {
    DB_FILE_MISSING,
    DB_FILE_EMPTY,      /* zero bytes */
    DB_FILE_UNREADABLE, /* no permission to read */
    DB_FILE_NOT_SQLITE, /* no SQLite header */
    DB_FILE_SQLITE,
} db_file_kind;

typedef struct db_header {
    db_file_kind kind;
    int64_t size;
    int page_size;
    bool wal_mode;
    int32_t user_version;    /* as the main file says: a WAL may hold newer */
    uint32_t application_id;
} db_header;

void db_probe_header(const char *path, db_header *out);

/* The write-ahead log beside a file. */
typedef struct db_wal {
    bool present;    /* there and not empty */
    bool in_use;     /* another process has it open: not looked at */
    int64_t bytes;
    int64_t frames;  /* frames of this log (older logs' frames not counted) */
    int64_t kept;    /* up to the last commit SQLite's recovery can read */
    int64_t dropped; /* committed frames after that: lost to the recovery */
    bool copied;
    char copy[4300]; /* where the log was kept */
} db_wal;

/* Read path's -wal as SQLite's recovery will; with keep_copy, a log whose
 * committed frames would be dropped is first copied beside the file. */
void db_wal_inspect(const char *path, bool keep_copy, db_wal *out);

typedef enum {
    DB_RO_NONE,
    DB_RO_FILE,   /* the file is read-only */
    DB_RO_FOLDER, /* its folder is: no -wal or -shm can be made */
    DB_RO_MOUNT,  /* the disk is mounted read-only */
} db_ro_reason;

/* Why path (an existing file) cannot be written, DB_RO_NONE when it can. */
db_ro_reason db_probe_writable(const char *path);

/* "file:PATH?mode=ro[&immutable=1]" for sqlite3_open_v2 with
 * SQLITE_OPEN_URI (malloc'd). */
char *db_probe_uri(const char *path, bool immutable);

void db_sidecar(const char *path, const char *suffix, char *out, size_t outsz);

#endif
