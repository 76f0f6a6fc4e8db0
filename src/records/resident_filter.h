/* The residents' filter language: what a clerk types into the residents'
 * search box (and `wushe export residents --filter`), split into the
 * conditions SQL applies and the text the search index answers. Internal
 * to the records layer. */
#ifndef WUSHE_RESIDENT_FILTER_H
#define WUSHE_RESIDENT_FILTER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "wushe/station.h"

#define RESIDENT_FILTER_GROUPS 16
#define RESIDENT_FILTER_PARTS 24

/* Tokens (separated by spaces, full-width spaces or commas), each of them
 * combined with AND:
 *   a vulnerable group's label or short label (低保, 低保对象, 独居老人);
 *   a living community's name (学堂湾社区, 青石村);
 *   an age band: 60岁以上 (60 included), 18岁以下 (under 18), 60-79岁
 *     (both included; also ～ ~ 至 到), 岁 or 周岁, 及以上, 不满18岁;
 *   a household: 户H00012, or H00012 alone when a living household has that
 *     number and it is not all digits (digits search ID numbers and phones);
 *   not visited for N days: 30天未访, 30天未走访, 未访30天 (never visited too).
 * The rest is the ordinary search text, passed to the search index. */
typedef struct resident_filter {
    bool structured;    /* at least one token above */
    bool none;          /* contradictory (two communities): matches nothing */
    int64_t community_id;
    int64_t household_id;
    int age_min;        /* -1: none; age >= age_min */
    int age_below;      /* -1: none; age < age_below */
    int not_visited;    /* 0: none; no visit in the last N days */
    size_t ngroups;
    const char *groups[RESIDENT_FILTER_GROUPS]; /* codes, borrowed from the codebook */
    char *text;         /* the search text ("" when none); the whole filter
                           unchanged when nothing was structured */
    size_t nparts;      /* what the clerk sees: each token recognised, in order */
    char parts[RESIDENT_FILTER_PARTS][160];
} resident_filter;

/* Parse filter text (NULL = everything). Reads communities and households
 * by name/number. Release with resident_filter_clear. */
ws_status resident_filter_parse(station *st, const char *text, resident_filter *out);
void resident_filter_clear(resident_filter *f);

/* The structured conditions on residents r, parameters ?10 to ?14
 * (resident_filter_bind). A parameter left NULL leaves its condition out. */
#define RESIDENT_FILTER_SQL                                                               \
    " AND (?10 IS NULL OR r.community_id = ?10)"                                        \
    " AND (?11 IS NULL OR r.household_id = ?11)"                                        \
    " AND (?12 IS NULL OR (r.birth_date > '' AND r.birth_date <= ?12))"                 \
    " AND (?13 IS NULL OR r.birth_date > ?13)"                                          \
    " AND (?14 IS NULL OR (SELECT count(*) FROM resident_groups g WHERE g.resident_id = r.id" \
    " AND g.group_code IN (SELECT value FROM json_each(?14))) = json_array_length(?14))" \
    " AND (?16 IS NULL OR coalesce((SELECT max(vp.visit_date) FROM visit_people vp"        \
    " JOIN visits v ON v.id = vp.visit_id AND v.deleted_at IS NULL"                        \
    " WHERE vp.resident_id = r.id), '') <= ?16)"

/* Bind ?10..?14 and ?16 of q for f, ages counted on `today` (YYYY-MM-DD) as
 * date_age counts them. */
ws_status resident_filter_bind(const resident_filter *f, sqlite3_stmt *q, const char *today);

#endif
