/* What the casework files share. */
#ifndef WUSHE_CASEWORK_INTERNAL_H
#define WUSHE_CASEWORK_INTERNAL_H

#include "wushe/casework.h"

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
