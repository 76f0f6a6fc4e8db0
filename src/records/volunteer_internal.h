/* What other kinds of record do with a volunteer's points inside their own
 * transaction (goods from the 爱心超市 paid in points); not for the front
 * end. */
#ifndef WUSHE_VOLUNTEER_INTERNAL_H
#define WUSHE_VOLUNTEER_INTERNAL_H

#include "wushe/volunteer.h"

typedef struct points_take_args {
    int64_t volunteer_id;
    int64_t points;      /* > 0: taken from the balance */
    int64_t resident_id; /* a family member they are for (0: the volunteer) */
    const char *description;
    /* The caller's fields an error is about. */
    int volunteer_field, points_field, family_field;
} points_take_args;

/* Take points inside the caller's transaction: refused (VAL_POINTS_SHORT,
 * detail the balance) when the balance would go below zero; *id the
 * movement. */
ws_status points_take(station *st, const points_take_args *t, int64_t *id, record_error *re);
/* A reversal of movement movement_id (the points back), inside the
 * caller's transaction. */
ws_status points_give_back(station *st, int64_t movement_id, const char *reason, int64_t *id);

/* A roster line's minutes changed after its hours were posted (or the
 * line marked absent, or taken off: minutes 0): the standing entry of that
 * session is corrected to them (更正: a reversal and the corrected entry,
 * with the reason), inside the caller's transaction. Refused as 更正 is
 * (points already spent, a day too full) with re->field = field. */
ws_status hours_follow_roster(station *st, int64_t session_id, int64_t volunteer_id,
                              int64_t minutes, int field, record_error *re);

/* The counts, defined once: 场次 living sessions of living activities;
 * 人数 distinct residents present or late; 人次 those person-sessions plus
 * the unnamed; volunteer 人次 volunteers present or late; 时长 confirmed
 * hours recorded for those sessions. `which` picks the activities (an SQL
 * condition on activities a and sessions s, ?1 its argument; ?2 and ?3 the
 * dates, "" an open end): one activity's, all, a project's, an
 * organisation's. */
#define ACTIVITY_COUNTS_SQL(which)                                                          \
    "WITH sel AS (SELECT s.id, s.unnamed_count FROM activity_sessions s"                    \
    "   JOIN activities a ON a.id = s.activity_id"                                          \
    "   WHERE s.deleted_at IS NULL AND a.deleted_at IS NULL AND " which                      \
    "   AND (?2 = '' OR s.session_date >= ?2) AND (?3 = '' OR s.session_date <= ?3)),"       \
    " att AS (SELECT resident_id FROM session_attendance"                                   \
    "   WHERE session_id IN (SELECT id FROM sel) AND deleted_at IS NULL"                    \
    "   AND mark IN ('present', 'late'))"                                                   \
    " SELECT (SELECT count(*) FROM sel), (SELECT count(DISTINCT resident_id) FROM att),"    \
    " (SELECT count(*) FROM att) + (SELECT coalesce(sum(unnamed_count), 0) FROM sel),"      \
    " (SELECT count(*) FROM session_volunteers WHERE session_id IN (SELECT id FROM sel)"    \
    "   AND deleted_at IS NULL AND mark IN ('present', 'late')),"                           \
    " (SELECT coalesce(sum(minutes), 0) FROM hour_entries"                                  \
    "   WHERE session_id IN (SELECT id FROM sel) AND confirmed_at IS NOT NULL)"

/* Run a statement made with ACTIVITY_COUNTS_SQL for argument id, over all
 * dates. */
ws_status activity_counts_where(station *st, const char *sql, int64_t id, activity_counts *out);

#endif
