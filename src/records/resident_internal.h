/* The residents' write path, shared with bulk writers (import); not for
 * the front end. */
#ifndef WUSHE_RESIDENT_INTERNAL_H
#define WUSHE_RESIDENT_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

#include "wushe/resident.h"

/* Write a resident that resident_validate accepted: insert when r->id is 0
 * (r->id receives the new id), else update; its groups, the household head
 * it claims or leaves, and the audit row. Runs inside the caller's
 * transaction; on error the caller rolls back (and restores r->id). */
ws_status resident_store(station *st, resident *r);

/* One head per household: WS_ERR_INVALID with fe (VAL_HEAD_TAKEN, the
 * head's name) when r would be a second 户主 of its household. For writers
 * that resolve the household after resident_validate (import). */
ws_status resident_check_head(station *st, const resident *r, field_error *fe);

/* A living resident's derived columns (pinyin, search text, sort key,
 * seq when it has none) and postings computed again from its row; its
 * old postings out first when it is `indexed` (not a restored one: the
 * index is contentless, a posting removed that is not there breaks it). */
ws_status resident_reindex(station *st, int64_t id, bool indexed);

/* The household a stored resident is in (0 = none). */
ws_status resident_household_of(db *d, int64_t id, int64_t *hid);

/* The flags val_person_name checks names with at this station (its config
 * may allow Latin letters). */
unsigned resident_name_flags(station *st);

/* Read the 12 columns id, name, id_number, sex, birth_date, phone,
 * ethnicity, community_id, household_id, relation, address, notes (in this
 * order) of the current row of q. */
void resident_read_columns(sqlite3_stmt *q, resident *r);
/* Step q, whose rows are code, start_date, cert_no, review_date,
 * disability_type, disability_grade, adding each as a group; resets q. */
ws_status resident_read_groups(sqlite3_stmt *q, resident *r);

/* A list row from the first ten columns of the residents' row select
 * (id, name, sex, birth date, ID number, phone, community, household,
 * relation, groups). */
void resident_row_read(sqlite3_stmt *q, resident_row *row);

#endif
