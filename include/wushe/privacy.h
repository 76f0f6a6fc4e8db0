/* The rights of the people on the register (PIPL Art. 44-47): a copy of
 * everything held about one person, for an access or copy request, and
 * the erasure of a person's personal data, on request or after the
 * retention period. Both are for the 站长 (PERM_SUBJECT, PERM_ERASE) and
 * both are recorded in the access log. */
#ifndef WUSHE_PRIVACY_H
#define WUSHE_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/station.h"
#include "wushe/validate.h"

/* What an erased resident's name becomes (the row stays, deleted, so that
 * households, statuses and counts keep their people). Stored, not
 * translated: it is data. */
#define PRIVACY_ERASED_NAME "已删除个人信息"
/* An erasure's reason, in characters. */
#define PRIVACY_REASON_CHARS 200

/* A resident found by ID number, living or deleted (an erased one has no
 * ID number any more). */
typedef struct privacy_match {
    int64_t id;
    char name[192];
    bool deleted;
    char deleted_at[32]; /* ISO 8601 UTC, "" when living */
    char household[64];  /* its number, "" none */
} privacy_match;

/* The residents whose ID number is id_number (any form val_id_number
 * takes: 15 digits, lower-case x, full-width), the living one first, then
 * the deleted ones, latest deletion first. VAL_* in *why (when not NULL)
 * and WS_ERR_INVALID for a malformed number. Needs PERM_REGISTER_READ. */
ws_status privacy_find(station *st, const char *id_number, privacy_match *out, size_t max,
                       size_t *n, val_status *why);

typedef enum {
    SUBJECT_TEXT, /* readable UTF-8 text in the user's language */
    SUBJECT_JSON, /* the same as JSON: stored codes and values, for a machine */
} subject_format;

/* Everything held about the person with this ID number, for an access or
 * copy request: each resident row with it (living and deleted), unmasked
 * (it is their own data), their vulnerable-group statuses, their
 * household with its members' names and relations, their consents, the
 * change history of their rows (audit_log) and the access log's entries
 * about them. Needs PERM_SUBJECT; recorded first (EV_EXPORT, table
 * residents, each row's id; `dest` names where it goes, NULL: standard
 * output): when it cannot be recorded, nothing is made. *out is
 * malloc'd, NUL-terminated; *records the rows found. WS_ERR_NOT_FOUND when
 * no resident has the number. */
ws_status subject_export(station *st, const char *id_number, subject_format fmt,
                         const char *dest, char **out, size_t *len, size_t *records);

/* An erasure's reason: required, one line, at most PRIVACY_REASON_CHARS. */
val_status privacy_reason_check(const char *reason);

/* Erase resident `id`'s personal data, in one transaction: a living
 * resident is deleted first as resident_delete does (their household's
 * 户主 kept by the relations). The row stays, deleted, with the name
 * PRIVACY_ERASED_NAME; its ID number, birth date, phone, ethnicity,
 * address and notes go, and everything derived from them (the search
 * postings and columns, the sort key); its statuses keep their codes and
 * disability type and grade (counts) and lose their certificate numbers
 * and dates; its consents keep date, scope, giver and withdrawal and lose
 * the guardian's name and relation and the paper form's reference, and are
 * deleted; the same values go from the history JSON of those rows
 * (audit_log), from the merges of the duplicate review, and the ID number,
 * phone and name from the access log's details (queries). Freed space is
 * overwritten (secure_delete) and the search's text index merged, so that
 * no page of the file keeps them. Recorded without the erased data: an
 * audit row (the reason and which fields) and EV_ERASE in the access log.
 * Needs PERM_ERASE. WS_ERR_NOT_FOUND when there is no such resident or it
 * was erased already; WS_ERR_INVALID for a bad reason. */
ws_status resident_erase(station *st, int64_t id, const char *reason);

/* After erasures: the file rewritten without its free space (VACUUM),
 * where older writes left deleted values, and the write-ahead log emptied
 * (a checkpoint). It takes about as long as copying the file, and another
 * console reading at that moment may keep the log from emptying
 * (WS_ERR_BUSY: try again later). Needs PERM_ERASE. */
ws_status privacy_compact(station *st);

#endif
