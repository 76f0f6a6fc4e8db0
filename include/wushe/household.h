/* Households (户): a number, a community, a head and members. */
#ifndef WUSHE_HOUSEHOLD_H
#define WUSHE_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>
#include "wushe/record.h"
#include "wushe/station.h"
#include "wushe/validate.h"

/* A declared kind (src/kinds.c): the fields below, in this order, are
 * kind_household's field table; household_field names their indexes. */
typedef struct household {
    int64_t id; /* 0 = new */
    int64_t revision;
    char number[48];
    int64_t community_id;
    /* The 户主 as loaded: the living member whose relation is 户主 (0 =
     * none). The relation is the one truth; households.head_id is kept
     * equal to it by every write. household_save never reads this field. */
    int64_t head_id;
    char address[512];
    char phone[40];
    char notes[4096];
    /* A change of 户主 (the household form): the member who becomes 户主
     * (0 = no change), and the relation the present head takes instead,
     * required while there is one (asked, never guessed). */
    int64_t new_head_id;
    char old_head_relation[24];
} household;

/* The indexes of kind_household's fields, for errors and forms. */
typedef enum {
    HF_NONE = -1,
    HF_NUMBER,
    HF_COMMUNITY,
    HF_HEAD,
    HF_ADDRESS,
    HF_PHONE,
    HF_NOTES,
    HF_OLD_HEAD_RELATION, /* not a column: the present head's new relation;
                             detail: the present head's name */
} household_field;

typedef record_error household_error;
extern const record_kind kind_household;

typedef struct household_row {
    int64_t id;
    char number[48];
    char community[256];
    char head[192];
    int64_t head_id;
    int members;
    char address[512];
} household_row;

void household_init(household *h);
/* record_save of kind_household: validate and write in one transaction,
 * with its audit rows. A change of head (new_head_id) makes that member's
 * relation 户主 and the present head's old_head_relation, in the same
 * transaction; it is refused (HF_HEAD, VAL_HEAD_TAKEN, detail the name)
 * when another member is 户主 than the one the form loaded. */
ws_status household_save(station *st, household *h, household_error *he);
ws_status household_load(station *st, int64_t id, household *out);
ws_status household_row_get(station *st, int64_t id, household_row *out);
/* Soft delete; refused (WS_ERR_INVALID, VAL_IN_USE) while it has members. */
ws_status household_delete(station *st, int64_t id);
/* Paging by household number; the filter is the search box of the kind
 * (number, address, the head's name, pinyin and initials). */
ws_status household_list(station *st, const char *filter, int64_t after, int dir,
                         household_row *rows, size_t max, size_t *n);
/* Next free household number ("H00001"...). */
ws_status household_next_number(station *st, char *out, size_t outsz);

#endif
