/* The household's head as the other writers keep it; not for the front end. */
#ifndef WUSHE_HOUSEHOLD_INTERNAL_H
#define WUSHE_HOUSEHOLD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/household.h"

/* The one truth of a household's 户主 is the relation of its members:
 * households.head_id is a copy. Make it name the living member whose
 * relation is 户主 (of several, the one it named already, else the
 * first), or nobody; audited when it changes. Every write that moves,
 * deletes, restores or re-relates a member calls this for each household
 * it touched, inside its own transaction. hid 0 does nothing. */
ws_status household_head_sync(station *st, int64_t hid);

/* A 户号 as the station stores it: half-width (Ｈ00175 from an input
 * method), letters upper case, spaces around it trimmed, as the search
 * folds it (text_fold) otherwise. false when it does not fit out (out
 * then holds the number as given). */
bool household_number_norm(const char *in, char *out, size_t outsz);

/* The living household whose number is `number` once both are
 * normalised (a station may hold h00210 from before), other than
 * `except`; *id 0 when none. stored (may be NULL) gets its number as
 * stored. */
ws_status household_find_number(station *st, const char *number, int64_t except, int64_t *id,
                                char *stored, size_t storedsz);

#endif
