/* The station's staff as others see them: a view of the accounts (name
 * and role only) that anyone who reads the register may list and pick, so
 * that a 录入员 keying in a paper visit form can name the 社工 who went.
 * Same table and same search terms as kind_account (its name is
 * "account"), not in record_kinds[]: the accounts kind indexes them. Only
 * kind_account writes accounts. */
#include <stdio.h>
#include <string.h>

#include "record_internal.h"
#include "wushe/casework.h"

typedef struct staff {
    int64_t id, revision;
    char display_name[96];
    char role[16];
} staff;

static ws_status staff_read_only(station *st, void *rec, record_error *re)
{
    (void)st;
    (void)rec;
    (void)re;
    return WS_ERR_DENIED;
}

static ws_status staff_never_deleted(station *st, int64_t id, record_error *re)
{
    (void)st;
    (void)id;
    (void)re;
    return WS_ERR_DENIED;
}

static const field_def staff_fields[] = {
    {.column = "display_name", .label = "field.display_name", .type = FLD_NAME,
     .flags = FF_REQUIRED | FF_LIST, REC_AT(staff, display_name), .limit = 20, .width = 10},
    {.column = "role", .label = "field.role", .type = FLD_CODE, .flags = FF_LIST,
     REC_AT(staff, role), .codes = "role", .width = 6},
};

static struct kind_sql staff_sql;
const record_kind kind_staff = {
    .name = "account", /* its search terms are the accounts' */
    .table = "accounts",
    .label = "kind.staff",
    .size = sizeof(staff),
    .id_offset = offsetof(staff, id),
    .revision_offset = offsetof(staff, revision),
    .fields = staff_fields,
    .nfields = sizeof staff_fields / sizeof staff_fields[0],
    .title_field = 0,
    .sort_by_pinyin = true,
    .title_is_person = true,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_ACCOUNTS,
    .hooks = {.validate = staff_read_only, .before_delete = staff_never_deleted},
    .sql = &staff_sql,
};
