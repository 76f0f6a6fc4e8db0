/* What the casework files share. */
#ifndef WUSHE_CASEWORK_INTERNAL_H
#define WUSHE_CASEWORK_INTERNAL_H

#include "wushe/casework.h"

/* The cases a 社工 works on (?10 the account): assigned, the form's
 * co-worker, or one of the case's other co-workers. */
#define CASE_SCOPE                                                                          \
    "worker_id = ?10 OR co_worker_id = ?10 OR id IN (SELECT case_id FROM case_coworkers"    \
    " WHERE worker_id = ?10 AND deleted_at IS NULL)"

/* A row of case_transitions, inside the caller's transaction. */
ws_status case_transition_write(station *st, int64_t case_id, const char *from_stage,
                                const char *to_stage, const char *from_status,
                                const char *to_status, const char *reason);
/* The status of a case (into out, "" when none). */
ws_status case_status_of(station *st, int64_t case_id, char *out, size_t outsz);
/* WS_OK, or WS_ERR_INVALID (re filled) when case_id is closed or voided:
 * its parts are kept as they were. */
ws_status case_parts_writable(station *st, int64_t case_id, record_error *re);

#endif
