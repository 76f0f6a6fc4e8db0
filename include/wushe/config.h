/* Station configuration: $XDG_CONFIG_HOME/wushe/station.yaml (or --config).
 *
 *   station:
 *     name: 青石镇社会工作服务站
 *     division_code: "510902105000"   # 12 digits
 *   language: zh_CN
 *   operator: 王芳                      # actor recorded in audit_log
 *   names:
 *     allow_latin: true                 # Latin letters in residents' names
 *   lock_minutes: 10                    # the console locks after this long
 *                                       # without a key (default 10; more
 *                                       # than 0, at most 1440; decimals
 *                                       # allowed: 0.05 is 3 s, for tests)
 *   backup_dir: /media/usb/五社备份      # the console's automatic backups
 *                                       # (default $XDG_DATA_HOME/wushe/
 *                                       # backups; absolute or ~/...)
 *   volunteers:
 *     stars: [100, 300, 600, 1000, 1500] # hours for 一星..五星 (rising)
 *     points_per_hour: 10               # time-bank points a confirmed hour earns
 *     points_by_type: {visit: 15}       # the same for one activity type (its
 *                                       # code or its name: 探访慰问: 15)
 *   codes:                              # extends schema/codes.yaml
 *     vulnerable_group:
 *       - {code: x_flood, zh_CN: 受灾户, en: Flood-affected}
 */
#ifndef WUSHE_CONFIG_H
#define WUSHE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "wushe/codes.h"
#include "wushe/status.h"

/* Volunteer star levels (一星..五星) and time-bank points when the config
 * does not say. */
#define CONFIG_STARS 5
#define CONFIG_STAR_HOURS {100, 300, 600, 1000, 1500}
#define CONFIG_POINTS_PER_HOUR 10
#define CONFIG_STAR_HOURS_MAX 100000

typedef struct station_config {
    char *station_name;  /* NULL when not set */
    char *station_phone; /* NULL when not set: the 站长's on paper */
    char *division_code; /* NULL or 12 digits */
    char *language;      /* NULL or "zh_CN"/"en" */
    char *operator_name; /* NULL when not set */
    bool names_allow_latin; /* names may have Latin letters (val_person_name) */
    int lock_seconds;    /* idle lock; 0 when not set (CONFIG_LOCK_SECONDS) */
    char *backup_dir;    /* NULL: the default (backup_dir_default); ~ expanded */
    codebook *codes;     /* NULL or extra code lists */
    /* visit_days: {group: days}, the visit frequency of a vulnerable group
     * (overrides the code list's default; 0: not on a schedule). */
    struct config_days {
        char group[32];
        int days;
    } visit_days[32];
    size_t nvisit_days;
    int followup_days;   /* a closed case's 回访 after this many days; 0: the default */
    int star_hours[CONFIG_STARS]; /* volunteer star thresholds; all 0: the defaults */
    int points_per_hour; /* 0: CONFIG_POINTS_PER_HOUR */
    /* points_by_type: {activity type: points an hour} */
    struct config_rate {
        char type[64]; /* a code of activity_type, or its label */
        int points;
    } points_by_type[16];
    size_t npoints_by_type;
    /* organisations: {urban: N, rural: N}, the target of social
     * organisations per community and per village; 0: the defaults (orgs.h). */
    int org_target_urban, org_target_rural;
} station_config;

/* A closed case's follow-up visit when the config does not say. */
#define CONFIG_FOLLOWUP_DAYS 30

/* The idle lock when the config does not say: 10 minutes. */
#define CONFIG_LOCK_SECONDS 600
#define CONFIG_LOCK_MINUTES_MAX 1440

/* Load the config. A missing file is not an error (*out gets defaults,
 * all NULL). Broken YAML, unknown keys or bad values are WS_ERR_YAML with
 * err = "path:line:column: problem". */
ws_status config_load(const char *path, station_config **out, char *err, size_t errsz);
ws_status config_parse(const char *name, const char *yaml, size_t len,
                       station_config **out, char *err, size_t errsz);
void config_free(station_config **cfg);

/* Default path: $XDG_CONFIG_HOME/wushe/station.yaml or
 * ~/.config/wushe/station.yaml. Caller frees. */
char *config_default_path(void);

#endif
