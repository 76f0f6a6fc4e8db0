/* Backups of a station and their restore (src/tools/backup.c).
 *
 * A backup is a consistent copy taken with SQLite's online backup API in
 * one read transaction, so consoles keep working while it is made. It is
 * checked before it is called good (integrity_check, schema version, row
 * counts of residents, households and accounts against the snapshot it
 * was taken from) and only then renamed from its temporary name; a full
 * disk or a read-only stick leaves no partial file.
 *
 * A plain backup is an SQLite file (`sqlite3` reads it). An encrypted one
 * is sealed with libsodium: Argon2id derives the key from a passphrase
 * and a random salt kept in a small header; the data follow as an
 * XChaCha20-Poly1305 secretstream in chunks, the last one tagged FINAL, so
 * a wrong passphrase, a changed byte or a file cut short is detected and
 * nothing is restored. The file holds nothing readable without it:
 *
 *   0  "WUSHEBAK"  8  magic
 *   8  version     1  (1)
 *   9  kdf         1  (1: Argon2id 1.3)
 *   10 reserved    2
 *   12 chunk       4  plain bytes per chunk, little endian
 *   16 opslimit    8  little endian
 *   24 memlimit    8  little endian
 *   32 salt        16
 *   48 key check   16 BLAKE2b of a constant under the key (wrong passphrase
 *                     told apart from a damaged file)
 *   64 stream      24 secretstream header
 *   88 chunks      chunk + 17 bytes each, the last shorter; the first is
 *                  authenticated with the 88 header bytes as extra data
 *
 * Restore verifies the backup first (decrypting into a private temporary
 * file beside the target), refuses a schema newer than this binary, and
 * never replaces a station another connection has open: it takes SQLite's
 * exclusive lock on the target (locking_mode=EXCLUSIVE, BEGIN EXCLUSIVE),
 * which fails while any other connection holds its shared lock. Holding
 * it, it folds the target's WAL into its file, keeps the file under a
 * second name (station.db.before-restore-..., a hard link or a rename:
 * never a copy) and renames the staged, checked copy into its place. The
 * live file is never written into: a failure before that last rename
 * leaves the station as it was. A place with a -wal or -journal but no
 * station file is refused (SQLite would replay it onto the new file), and
 * so is a folder that is not there (never made: a typo must not start a
 * stray station). A target that is a symbolic link is followed: the file
 * it points to is replaced, and kept beside itself.
 *
 * Temporary files (.wushe-backup.tmp-XXXXXX, .wushe-restore.tmp-XXXXXX)
 * are locked while in use; the next backup or restore removes unlocked
 * ones wherever one can be left: beside the station, in the folder
 * backed up to, beside the target, in TMPDIR.
 */
#ifndef WUSHE_BACKUP_H
#define WUSHE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "wushe/station.h"

#define BACKUP_EXT ".wushe-backup"
/* In the names of the console's automatic backups, the only ones the
 * rotation deletes (in every language: the rotation must know its own). */
#define BACKUP_AUTO_MARK "自动"
#define BACKUP_PASSPHRASE_MIN 8   /* characters */
#define BACKUP_WARN_DAYS 7        /* the home screen warns after this long */
/* Argon2id for a file carried away: 256 MiB, 3 passes (about a second). */
#define BACKUP_KDF_OPS 3ull
#define BACKUP_KDF_MEM (256u << 20)
/* Rotation of the automatic backups. */
#define BACKUP_KEEP_DAILY 7
#define BACKUP_KEEP_WEEKLY 4
#define BACKUP_KEEP_MONTHLY 12

typedef struct backup_info {
    char station[192];   /* the station's name when the copy was made */
    char made_at[32];    /* ISO 8601 UTC of the snapshot ("" when unknown) */
    char made_by[64];    /* who made it: their name, or the login without an account */
    int schema_version;
    int64_t residents, households, accounts;     /* living (not deleted) */
    int64_t residents_all, households_all, accounts_all; /* every row */
    bool encrypted;
    /* restore, verify: a plain backup without its checksum (an older
     * version's, or a copy cut where the checksum starts): only the
     * database's own checks vouch for it */
    bool unverified;
    int64_t bytes;       /* size of the file */
    double seconds;      /* the whole job, checks included */
    int64_t audit_last;  /* the last change's audit_log id (0: none) */
    int64_t access_carried; /* restore: access-log rows of the station replaced
                               that the backup lacked, kept in the restored one */
    /* restore: the replaced station's newer account security state, kept
     * in the restored one (see backup_restore). Filled before the
     * question (o->confirm) as what will be kept, after as what was. */
    char accounts_disabled[1024]; /* "luru（刘敏）、..." kept disabled */
    int64_t accounts_disabled_n;
    int64_t passwords_kept;       /* passwords changed after the backup */
    char accounts_added[1024];    /* made after the backup, kept as they were */
    int64_t accounts_added_n;
    char restored_to[4096]; /* restore: the file replaced (a symbolic link's
                               own file, never the link) */
} backup_info;

typedef struct backup_opts {
    const char *passphrase;   /* backup: seal with it (NULL: plain);
                                 restore: the encrypted file's */
    bool automatic;           /* the console's own backup (backup_auto) */
    bool quick;               /* check the copy with quick_check instead of
                                 integrity_check (backup_auto: seconds, not a
                                 minute, on a large station) */
    const char *backup_dir;   /* the station's backup folder (NULL: default) */
    unsigned long long kdf_ops; /* 0: BACKUP_KDF_OPS (tests use less) */
    size_t kdf_mem;           /* 0: BACKUP_KDF_MEM */
    int step_pages;           /* pages copied a step (0: 2048; tests use 1) */
    /* restore onto a missing or empty file: log in on the restored
     * station (the command line's --user or WUSHE_USER); non-zero refuses
     * the restore, nothing restored. The account is the access log's
     * actor. NULL: the config's operator or $USER is. */
    int (*authenticate)(void *ctx, station *restored);
    void *auth_ctx;
    /* restore over a station of another name, or with changes after the
     * backup was made (its audit log goes further): asked before anything
     * is replaced (current: the station now, made_at its last change, ""
     * when none). Non-zero
     * declines: nothing restored. NULL: no question. */
    int (*confirm)(void *ctx, const backup_info *backup, const backup_info *current);
    void *confirm_ctx;
    /* tests only: a folder standing for "/" when telling a stick not
     * plugged in (path_stick_missing; NULL: the real system). */
    const char *mount_root;
    const char *fail_at;      /* tests only: a restore step that fails as a
                                 full disk would ("ready", "keep", "swap") */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *ctx;
    /* Set (by a signal handler: Ctrl-C, SIGTERM) to stop the job: checked
     * between its steps, it removes its temporary files and returns
     * WS_ERR_INVALID with backup.interrupted (restore: before the station
     * is replaced, backup.restore_interrupted; once the last rename is
     * under way the restore ends). NULL: never stopped. */
    const volatile sig_atomic_t *stop;
} backup_opts;

/* The default backup folder: $XDG_DATA_HOME/wushe/backups (or
 * ~/.local/share/wushe/backups). */
void backup_dir_default(char *out, size_t outsz);
/* configured when set, else the default. */
void backup_dir_resolve(const char *configured, char *out, size_t outsz);

/* A backup's file name (no folder): the station's name made safe for any
 * file system (no / \ : * ? " < > |, no control characters, no leading
 * dot or space, at most 120 bytes) and the local time,
 * "桃源社工站-2026-12-01-1530.wushe-backup"; an encrypted one says so
 * ("...-1530-加密.wushe-backup"), and so does an automatic one, with the
 * tag of its station file ("...-1530-自动-3fa2c1d0.wushe-backup": two
 * station files of one station never rotate each other's away). */
void backup_file_name(station *st, time_t when, bool encrypted, bool automatic, char *out,
                      size_t outsz);

/* Make a backup. path: a file (refused when it exists: a backup never
 * replaces a file), a folder (the default name inside), or NULL (the
 * backup folder). A place where a USB stick is mounted (/media,
 * /run/media, /mnt) with no stick mounted there is refused, nothing
 * written and no folder made (path_stick_missing): it would land on the
 * PC's own disk. The file actually written goes to written. Who may:
 * PERM_BACKUP (站长, 社工); a plain copy outside the backup folder is an
 * unmasked export of everything, so it needs PERM_EXPORT_UNMASKED (站长)
 * too; an automatic backup (o->automatic) any logged-in account. The
 * backup is recorded in the access log. */
ws_status backup_make(station *st, const char *path, const backup_opts *o, backup_info *out,
                      char *written, size_t writtensz, char *err, size_t errsz);

/* What is wrong with a new backup passphrase for its blanks (a locale key,
 * NULL when nothing): only spaces (ASCII, tab or the IME's full-width
 * one) is none (backup.passphrase_blank); a space at either end is the
 * classic "I typed the right one" lockout, invisible in the console's
 * dots (backup.passphrase_spaces). backup_make refuses both. */
const char *backup_passphrase_problem(const char *pass);

/* Whether path is an encrypted backup (false for anything else). */
bool backup_is_encrypted(const char *path);

/* Check a backup without restoring it: decrypts (when encrypted) into a
 * private temporary file and runs the restore's checks. */
ws_status backup_verify(const char *path, const backup_opts *o, backup_info *out, char *err,
                        size_t errsz);

/* Restore a backup onto target (a symbolic link: the file it points to,
 * said in out->restored_to; its folder must exist). *st is the target
 * station opened as the account who restores (needs PERM_RESTORE, 站长),
 * or NULL when target is
 * missing, empty or a station with no account yet; a restore replaces the
 * station, so *st is closed (set to NULL) whatever happens. The current
 * file is kept as target.before-restore-YYYY-MM-DD-HHMM (its name in
 * kept, "" when there was nothing to keep). WS_ERR_BUSY when another
 * connection has the target open (a console). Logins of `wushe login` do
 * not survive a restore. The access log does: the replaced station's rows
 * that the backup lacks are carried into the restored one. So does the
 * security of its accounts (the same account: id, login and creation
 * time alike): one disabled there stays disabled; a password changed
 * after the backup (a 'password' event of the access log the backup
 * lacks) stays the newer one; an account made after the backup (an id
 * above the backup's, same station: its first account alike) is kept as
 * it was, enabled or not. Restoring data never gives back access. */
ws_status backup_restore(station **st, const char *backup, const char *target,
                         const backup_opts *o, backup_info *out, char *kept, size_t keptsz,
                         char *err, size_t errsz);

/* The last good backup of this station (any kind). */
typedef struct backup_last_info {
    bool any;            /* false: never */
    char at[32];         /* ISO 8601 UTC */
    int64_t age_days;    /* whole days since, by the station's clock */
    bool warn;           /* none, older than BACKUP_WARN_DAYS, or failed */
    bool failed;         /* the last automatic backup failed (none good since) */
    char failed_at[32];  /* ISO 8601 UTC of that failure */
    char failed_why[512]; /* its message */
} backup_last_info;
ws_status backup_last(station *st, backup_last_info *out);

/* Whether the console's automatic backup is due: none yet today (local
 * date). */
bool backup_auto_due(station *st);
/* The console's automatic backup: plain, into dir (NULL: the default),
 * then the rotation of that folder. removed: files the rotation deleted
 * (may be NULL). */
ws_status backup_auto(station *st, const char *dir, backup_info *out, char *written,
                      size_t writtensz, size_t *removed, char *err, size_t errsz);

/* The tag of the station file (8 hex digits of its real path) in the
 * names of its automatic backups. */
void backup_station_tag(station *st, char *out, size_t outsz);

/* Rotation, a pure function: of the file names given, which to keep.
 * Only automatic backups of one station file,
 * prefix-YYYY-MM-DD-HHMM-自动-TAG[-N].wushe-backup, take part (prefix:
 * backup_file_name's station part; tag: backup_station_tag's, NULL for
 * the untagged names of older versions); any other name is kept (a backup
 * a clerk made, or another station file's, is never deleted).
 * Of those, the newest of each of the last `daily` days that have one,
 * of the last `weekly` weeks (Monday to Sunday) and of the last `monthly`
 * months are kept. restored (local "YYYY-MM-DD-HHMM", or NULL): the
 * station's last restore; every backup made before it (up to its minute)
 * is kept too while it is within the last `monthly` months, being of work
 * the restore replaced. Returns how many are not kept. */
size_t backup_rotate_plan(const char *const *names, size_t n, const char *prefix,
                          const char *tag, int daily, int weekly, int monthly,
                          const char *restored, bool *keep);
/* When the station was last restored from a backup (local
 * "YYYY-MM-DD-HHMM"; "" when never). */
void backup_restored_at(station *st, char out[32]);
/* out: when the station was restored (local "YYYY-MM-DD HH:MM") if that
 * was at or after `when` (the clock's time of something, a login); ""
 * otherwise. On the station's clock, as restores are stamped. */
void backup_restored_since(station *st, time_t when, char out[32]);
/* The station's name as backup_file_name writes it. */
void backup_name_prefix(station *st, char *out, size_t outsz);

#endif
