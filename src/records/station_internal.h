/* What model modules share about a station; not for the front end. */
#ifndef WUSHE_STATION_INTERNAL_H
#define WUSHE_STATION_INTERNAL_H

#include "db.h"
#include "wushe/station.h"

db *station_db(station *st);
/* The configuration the station was opened with (NULL: none). */
const station_config *station_cfg(const station *st);

/* Act as account a from now on (NULL: nobody); account.c's logins. */
struct account;
void station_set_account(station *st, const struct account *a);

/* The station acting for itself for a while (rebuilding its search terms
 * as a new version first opens it): every permission holds, whoever is
 * logged in. Nested calls count. */
void station_system_begin(station *st);
void station_system_end(station *st);
bool station_system(const station *st);

/* LIKE pattern "%q%" from a search query: folded, spaces removed, LIKE
 * wildcards escaped with '\'. NULL for an empty query. Caller frees. */
char *search_like_pattern(const char *query);
/* A new record's number: the station's division code, a letter and the
 * next of the counter `counter` (a setting that only grows: a deleted
 * record's number is never given again) in `digits` digits; inside the
 * save's transaction. */
ws_status station_number_next(station *st, const char *counter, char letter, int digits,
                              char *out, size_t outsz);

#endif
