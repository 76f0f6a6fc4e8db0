/* The declared kinds of record: one field table each. A kind's rules that
 * no table can state are its hooks, beside it. */
#include <stdio.h>
#include <string.h>

#include "record_internal.h"
#include "wushe/community.h"

/* ---- 社区/村 ---- */

static ws_status community_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    (void)re;
    community *c = rec;
    if (!c->kind[0])
        snprintf(c->kind, sizeof c->kind, "community");
    return WS_OK;
}

static const field_def community_fields[] = {
    {.column = "name", .label = "field.community_name", .type = FLD_NAME,
     .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(community, name),
     .limit = 60, .aliases = "名称|社区|村|社区/村|社区名称|村名", .width = 16},
    {.column = "kind", .label = "field.community_kind", .type = FLD_CODE,
     .flags = FF_LIST | FF_LEDGER, REC_AT(community, kind), .codes = "community_kind",
     .aliases = "类型|社区或村", .width = 6},
    {.column = "code", .label = "field.division_code", .type = FLD_DIGITS,
     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(community, code), .limit = 12,
     .aliases = "区划代码|行政区划代码|统计用区划代码", .width = 14},
};

static struct kind_sql community_sql;
const record_kind kind_community = {
    .name = "community",
    .table = "communities",
    .label = "kind.community",
    .size = sizeof(community),
    .id_offset = offsetof(community, id),
    .revision_offset = offsetof(community, revision),
    .fields = community_fields,
    .nfields = sizeof community_fields / sizeof community_fields[0],
    .title_field = 0,
    .sort_by_pinyin = true,
    .hooks = {.validate = community_rules},
    .sql = &community_sql,
};

const record_kind *const record_kinds[] = {
    &kind_community,
};
const size_t record_nkinds = sizeof record_kinds / sizeof record_kinds[0];
