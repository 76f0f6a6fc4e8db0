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

#endif
