/* Residents (居民): the register, its validation and its write path. */
#ifndef WUSHE_RESIDENT_H
#define WUSHE_RESIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wushe/record.h"
#include "wushe/station.h"
#include "wushe/validate.h"

#define RESIDENT_MAX_GROUPS 16
#define RESIDENT_NAME_CHARS 40
/* The one length limit of each free-text field, in characters (字) as a
 * clerk counts them; the form and its messages use these. A record's
 * buffer holds the limit in 4-byte characters. */
#define RESIDENT_ADDRESS_CHARS 120
#define RESIDENT_NOTES_CHARS 500
#define RESIDENT_CERT_CHARS 30

typedef struct resident_group {
    char code[32];
    char start_date[16];
    char cert_no[RESIDENT_CERT_CHARS * 4 + 1];
    char review_date[16];
    char disability_type[8];
    char disability_grade[8];
    /* Unticked in the form: kept with its details (ticking it again brings
     * them back) until the save, which removes it. */
    bool removed;
} resident_group;

/* A resident as the form edits it. Text fields hold what the clerk typed;
 * resident_save normalises them in place (ID number upper-case, phone
 * digits, dates YYYY-MM-DD). */
typedef struct resident {
    int64_t id; /* 0 = new */
    int64_t revision; /* as loaded: a save of a resident changed since is refused */
    char name[192];
    char id_number[40];
    int sex;
    char birth_date[32];
    char phone[40];
    char ethnicity[8];
    int64_t community_id;  /* 0 = none */
    int64_t household_id;  /* 0 = none */
    char relation[24];
    char address[512];
    char notes[2048];
    size_t ngroups;
    resident_group groups[RESIDENT_MAX_GROUPS];
    /* The write path's own: the household before the write (it may lose
     * its 户主). */
    int64_t was_household;
} resident;

/* Which field a resident's error is about: RF_NAME .. RF_NOTES are the
 * indexes of kind_resident's fields (a record_error means the same for
 * residents as for every kind); the statuses' fields come after them. */
typedef enum {
    RF_NONE = -1,
    RF_NAME,
    RF_ID_NUMBER,
    RF_SEX,
    RF_BIRTH_DATE,
    RF_PHONE,
    RF_ETHNICITY,
    RF_COMMUNITY,
    RF_HOUSEHOLD,
    RF_RELATION,
    RF_ADDRESS,
    RF_NOTES,
    RF_GROUP_START,  /* groups[index].start_date */
    RF_GROUP_CERT,
    RF_GROUP_REVIEW,
    RF_GROUP_DISABILITY,
    RF_GROUPS,
} resident_field;

/* The one field-error type of every kind (wushe/record.h): for a resident,
 * field is a resident_field (RF_NONE for none), index the group for
 * RF_GROUP_*, detail e.g. the name of the resident holding the ID number. */
typedef record_error field_error;

/* Residents as a declared kind (resident_kind.c): every column in one
 * field table, the register's rules as hooks. */
extern const record_kind kind_resident;

void resident_init(resident *r);
/* Add or replace a group status by code; false when full. */
bool resident_group_set(resident *r, const resident_group *g);
void resident_group_remove(resident *r, const char *code);
/* The status the resident holds (NULL when none or unticked). */
resident_group *resident_group_find(resident *r, const char *code);
/* Untick a held status: it keeps its details, marked for removal by the
 * next save; false when it is not held. */
bool resident_group_untick(resident *r, const char *code);
/* An unticked status with its kept details (NULL when none). */
resident_group *resident_group_unticked(resident *r, const char *code);
/* Tick an unticked status again, details restored; false when none. */
bool resident_group_retick(resident *r, const char *code);
/* Index of the resident's 残疾 status (the first group whose code asks for
 * disability type and grade), -1 when none. */
int resident_disability_index(station *st, const resident *r);

/* Fill sex and birth date from a valid ID number when they are empty. */
void resident_fill_from_id(resident *r);

/* Validate and normalise without writing (unticked statuses are not
 * checked). WS_ERR_INVALID with *fe filled. */
ws_status resident_validate(station *st, resident *r, field_error *fe);
/* record_save of kind_resident: validate, then insert or update in one
 * transaction with its audit row; unticked statuses are removed (and
 * dropped from r), identifiers masked again for a 录入员. On error nothing
 * is written and r keeps what the clerk typed. */
ws_status resident_save(station *st, resident *r, field_error *fe);
/* record_load of kind_resident, its statuses with it, identifiers masked
 * for a 录入员. */
ws_status resident_load(station *st, int64_t id, resident *out);
/* The resident as stored, identifiers whole whatever the role, for a
 * merge the model writes back itself (an import's row for someone
 * registered): never for display. */
ws_status resident_load_whole(station *st, int64_t id, resident *out);
/* record_delete of kind_resident: soft, audited, out of the search, its
 * household's 户主 and the due visits following. */
ws_status resident_delete(station *st, int64_t id);
/* Restore a deleted resident (the recycle bin) in one audited transaction:
 * back in the register and the search index, its household's 户主 kept by
 * the relations. Refused, nothing written, WS_ERR_INVALID with fe filled:
 * its ID number is now another living resident's (RF_ID_NUMBER,
 * VAL_DUPLICATE_ID, detail their name); it is 户主 and its household has
 * another head now (RF_RELATION, VAL_HEAD_TAKEN, detail the head's name);
 * its household or community was deleted since (RF_HOUSEHOLD or
 * RF_COMMUNITY, VAL_NOT_FOUND, detail its number or name).
 * WS_ERR_NOT_FOUND when no deleted resident has this id. */
ws_status resident_restore(station *st, int64_t id, field_error *fe);
/* Move to another household (0 = none) with a relation to its head;
 * WS_ERR_INVALID with fe (may be NULL) for an unknown relation or a second
 * head. */
ws_status resident_move(station *st, int64_t id, int64_t household_id, const char *relation,
                        field_error *fe);
/* The same move taking a new address (NULL: the address stays), in the
 * same audited write; an over-long address is refused (RF_ADDRESS). */
ws_status resident_move_with_address(station *st, int64_t id, int64_t household_id,
                                     const char *relation, const char *address,
                                     field_error *fe);

/* One row of the register as lists show it. */
typedef struct resident_row {
    int64_t id;
    char name[192];
    int sex;
    char birth_date[16];
    char id_number[24];
    char phone[40];
    char community[128];
    char household[64];  /* household number */
    char relation[24];
    char groups[160];    /* group codes, comma separated */
} resident_row;

/* Keyset paging in pinyin order. `after` is the id of the row to continue
 * from (0 = from the start, or from the end when dir < 0); dir > 0 pages
 * forward, dir < 0 backward (rows then come in reverse order). filter may be
 * NULL/empty. Its words combine with AND: a vulnerable group's label or
 * short label (低保), a community's name (青石村), an age band (60岁以上
 * with 60, 18岁以下 under 18, 60-79岁), a household (户H00012, or H00012
 * when it is one) are conditions; the rest is searched as the clerk typed
 * it: a Chinese name substring, pinyin (full, initials), digits of the ID
 * number or phone, an address fragment. */
ws_status resident_list(station *st, const char *filter, int64_t after, int dir,
                        resident_row *rows, size_t max, size_t *n);
ws_status resident_members(station *st, int64_t household_id,
                           resident_row *rows, size_t max, size_t *n);

/* A deleted resident as the recycle bin lists it. */
typedef struct resident_deleted_row {
    resident_row row;
    char deleted_at[32]; /* ISO 8601 UTC */
    char deleted_by[64]; /* the actor of the deletion's audit row */
} resident_deleted_row;

/* Deleted residents, the latest deletion first; keyset paging as in
 * resident_list. filter (NULL/empty: all) finds a name, its pinyin or
 * initials, digits of the ID number or phone, an address fragment. */
ws_status resident_list_deleted(station *st, const char *filter, int64_t after, int dir,
                                resident_deleted_row *rows, size_t max, size_t *n);

/* What happened to the members of a household, from the residents' audit
 * rows: its own history shows these beside the household's changes. */
typedef enum {
    MEMBER_ADDED,     /* registered into it */
    MEMBER_MOVED_IN,
    MEMBER_MOVED_OUT,
    MEMBER_DELETED,   /* deleted while in it */
    MEMBER_RESTORED,  /* restored into it */
} member_event_kind;

typedef struct member_event {
    record_change change;  /* the resident's audit row (resident_change_details) */
    int64_t resident_id;
    member_event_kind kind;
    char name[192];        /* the resident's name in that row */
    char other[64];        /* the household moved in from or out to ("" none) */
} member_event;

/* The member events of household `household_id`, newest first. */
ws_status resident_household_events(station *st, int64_t household_id, member_event *out,
                                    size_t max, size_t *n);
/* One change of a resident, from audit_log, newest first (the changed
 * keys include "groups"). */
typedef record_change resident_change;

/* The audit trail of one resident (deleted ones too), newest first. */
ws_status resident_history(station *st, int64_t id, resident_change *out, size_t max, size_t *n);

/* One field of a change, as a clerk reads it: code labels, the community's
 * name, the household's number, identifiers masked; "" for none. */
typedef record_field_change resident_field_change;

/* What one audit row of a resident changed, in form order; the statuses
 * (key "groups") one entry per status added, removed or changed, each
 * with all its details. */
ws_status resident_change_details(station *st, int64_t audit_id, resident_field_change *out,
                                  size_t max, size_t *n);
/* The catalog key naming an audit key (NULL when unknown). */
const char *resident_history_label(const char *key);

/* Count of living residents matching the filter (as resident_list). */
ws_status resident_count(station *st, const char *filter, int64_t *n);
/* What a filter means, for a title: each condition in its own words (低保,
 * 学堂湾社区, 60岁以上, 户H00012), then the search text in quotes, joined
 * by sep; "" for an empty filter. */
ws_status resident_filter_describe(station *st, const char *filter, const char *sep, char *out,
                                   size_t outsz);
/* The filter words (in Chinese, as a clerk types them) for a vulnerable
 * group by code (its short label: 低保), and for the ages [min, below)
 * with -1 for an open end (60岁以上, 18岁以下, 60-79岁). */
void resident_filter_words_group(station *st, const char *code, char *out, size_t outsz);
void resident_filter_words_age(int min, int below, char *out, size_t outsz);

#endif
