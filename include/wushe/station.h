/* The station: one open database plus its configuration and code lists.
 * Every model call takes a station. */
#ifndef WUSHE_STATION_H
#define WUSHE_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wushe/codes.h"
#include "wushe/config.h"
#include "wushe/status.h"
#include "wushe/validate.h"

typedef struct station station;

enum {
    STATION_CREATE = 1u << 0,     /* create the database when missing */
    STATION_NO_MIGRATE = 1u << 1, /* open without migrating (check) */
    /* No account: the station acts for itself (the demo fill, tests).
     * Without it nothing is read or written before a login. */
    STATION_TRUSTED = 1u << 2,
    /* Read only: nothing written, no log checkpointed or removed (check). */
    STATION_READONLY = 1u << 3,
};

/* Open a station database; cfg (may be NULL) is borrowed for the station's
 * life: its code lists extend the built-in ones, its name and operator are
 * used. err receives a message in the user's language. */
ws_status station_open(const char *db_path, unsigned flags, const station_config *cfg,
                       station **out, char *err, size_t errsz);
void station_close(station **st);

const codebook *station_codes(const station *st);
/* Station name: config, else the database's settings, else a default. */
void station_name(station *st, char *out, size_t outsz);
ws_status station_set_info(station *st, const char *name, const char *division_code);
/* The 12-digit division code from the database's settings ("" when unset). */
void station_division_code(station *st, char *out, size_t outsz);
/* A station name is required, one line, at most 60 characters; a division
 * code is empty or 12 digits (VAL_DIGITS). */
val_status station_info_check(const char *name, const char *division_code);
/* Who is recorded in audit_log: the logged-in account's login; on a
 * trusted station without one, the config's operator, else $USER. */
const char *station_actor(const station *st);
void station_set_actor(station *st, const char *actor);
/* The logged-in account (NULL: nobody). */
struct account;
const struct account *station_account(const station *st);
/* Whether the station was opened with STATION_TRUSTED; dropping the trust
 * (after a demo fill, before the console's login) cannot be undone. */
bool station_trusted(const station *st);
void station_drop_trust(station *st);
/* The clock of lockouts and sessions (tests inject one; NULL: time()). */
void station_set_clock(station *st, int64_t (*now)(void));
int64_t station_time(const station *st);
/* The station file could only be opened for reading (write-protected file
 * or folder, read-only medium): nothing can be saved. */
bool station_read_only(station *st);
/* Message of the last database error (for logs, in English). */
const char *station_errmsg(station *st);

#define STATION_MAX_GROUPS 32
typedef struct station_stats {
    int64_t residents;
    int64_t households;
    int64_t communities;
    size_t ngroups;                           /* = vulnerable_group list size */
    const char *group_code[STATION_MAX_GROUPS];
    int64_t group_count[STATION_MAX_GROUPS];  /* living residents per group */
} station_stats;

ws_status station_stats_get(station *st, station_stats *out);

/* A household whose 户主 disagrees: the head it records (households.head_id)
 * is not the one member whose relation is 户主, or several members are. */
#define STATION_CHECK_HEADS 20 /* households described; more are counted */
#define STATION_CHECK_NAMES 4  /* heads by relation named per household */
typedef enum {
    HEAD_RECORDED_NONE,    /* head_id is empty */
    HEAD_RECORDED_MEMBER,  /* a living member: see recorded_relation */
    HEAD_RECORDED_GONE,    /* moved out, deleted or unknown */
} head_recorded_state;

typedef struct station_head_problem {
    char household[48];           /* its number */
    head_recorded_state state;
    char recorded[192];           /* the recorded head's name ("" when none) */
    char recorded_relation[24];   /* their relation code (a living member) */
    int nheads;                   /* living members whose relation is 户主 */
    char heads[STATION_CHECK_NAMES][192];
} station_head_problem;

typedef struct station_check_report {
    int schema_version;   /* of the file */
    int binary_version;   /* this binary writes */
    bool integrity_ok;
    char integrity[512];  /* first problems reported by integrity_check */
    int64_t fk_problems;  /* foreign_key_check rows */
    int64_t residents, households, audit_rows;
    int64_t head_problems; /* households whose 户主 disagrees */
    size_t nheads;         /* of them described in head[] */
    station_head_problem head[STATION_CHECK_HEADS];
} station_check_report;

ws_status station_check(station *st, station_check_report *out);

/* The indexes and sums that integrity_check cannot see (station_check.c):
 * FTS5's own integrity-check of the ID and phone index, the resident
 * postings and the other kinds' terms against their rows, points balances.
 * A finding here is mended by `wushe reindex`; unreadable data is not. */
typedef struct station_index_report {
    bool fts_ok;
    char fts[256];            /* FTS5's complaint */
    int64_t name_problems;    /* resident postings or documents astray */
    int64_t term_problems;    /* record_terms / record_term_sets astray */
    int64_t points_negative;  /* volunteers whose points sum below zero */
    bool unreadable;
    char unread[256];         /* SQLite's message when a query could not read */
} station_index_report;

ws_status station_check_index(station *st, station_index_report *out);

/* A line for the clerk, in the user's language and safe for a terminal;
 * error: a part of the check could not run (the command line's stderr). */
typedef void (*station_say_fn)(void *ctx, const char *line, bool error);

/* What the open found: a damaged log's lost pages and where it was kept, a
 * log that could not be read, why nothing can be saved. Returns whether a
 * log lost data. */
bool station_open_notes(station *st, station_say_fn say, void *ctx);

/* Who reads the check's advice: `wushe check` in a shell, or the console's
 * 检查 screen (what only the command line can mend is said as such). */
typedef enum { CHECK_FOR_SHELL, CHECK_FOR_CONSOLE } station_check_reader;

/* The whole of `wushe check` as lines (the console's 检查 says the same):
 * the open's notes, schema version, integrity, the indexes, counts, the
 * households whose 户主 disagrees, the resources' sums, points, and what to
 * do. It only reads. Names of people are shown only to a logged-in account
 * whose role may read the register, or where the station has no account;
 * else household numbers, and how to see the names. Returns whether all
 * passed. */
bool station_check_say(station *st, station_check_reader reader, station_say_fn say, void *ctx);

/* wushe reindex: the search indexes' tables dropped and made again (the
 * pages of a damaged index are freed whatever they hold), then every
 * resident's and every record's terms written anew; one transaction. */
ws_status station_reindex(station *st, void (*progress)(void *, size_t, size_t), void *ctx);

/* What the open found. The catalog key of why the station is read-only
 * (NULL when it can be written). */
const char *station_read_only_key(station *st);
/* Committed pages of a damaged write-ahead log the open could not read
 * (0 when none); copy gets where the log was kept ("" when it could not
 * be). */
int64_t station_wal_dropped(station *st, char *copy, size_t copysz);
/* A log beside the file that could not be read (read-only folder). */
bool station_wal_unread(station *st);

#endif
