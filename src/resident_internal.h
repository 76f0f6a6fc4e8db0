/* The residents' write path, shared with bulk writers (import); not for
 * the front end. */
#ifndef WUSHE_RESIDENT_INTERNAL_H
#define WUSHE_RESIDENT_INTERNAL_H

#include "wushe/resident.h"

/* Write a resident that resident_validate accepted: insert when r->id is 0
 * (r->id receives the new id), else update; its groups, the household head
 * it claims or leaves, and the audit row. Runs inside the caller's
 * transaction; on error the caller rolls back (and restores r->id). */
ws_status resident_store(station *st, resident *r);

#endif
