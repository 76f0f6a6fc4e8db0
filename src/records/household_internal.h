/* The household's head as the other writers keep it; not for the front end. */
#ifndef WUSHE_HOUSEHOLD_INTERNAL_H
#define WUSHE_HOUSEHOLD_INTERNAL_H

#include <stdint.h>

#include "wushe/household.h"

/* The one truth of a household's 户主 is the relation of its members:
 * households.head_id is a copy. Make it name the living member whose
 * relation is 户主 (of several, the one it named already, else the
 * first), or nobody; audited when it changes. Every write that moves,
 * deletes, restores or re-relates a member calls this for each household
 * it touched, inside its own transaction. hid 0 does nothing. */
ws_status household_head_sync(station *st, int64_t hid);

#endif
