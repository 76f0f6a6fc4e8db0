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

typedef struct station station;

enum {
    STATION_CREATE = 1u << 0,     /* create the database when missing */
    STATION_NO_MIGRATE = 1u << 1, /* open without migrating (check) */
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
/* Who is recorded in audit_log: config operator, else $USER. */
const char *station_actor(const station *st);
void station_set_actor(station *st, const char *actor);
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

typedef struct station_check_report {
    int schema_version;   /* of the file */
    int binary_version;   /* this binary writes */
    bool integrity_ok;
    char integrity[512];  /* first problems reported by integrity_check */
    int64_t fk_problems;  /* foreign_key_check rows */
    int64_t residents, households, audit_rows;
} station_check_report;

ws_status station_check(station *st, station_check_report *out);

#endif
