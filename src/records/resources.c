/* The kinds of the charitable resources that are edited like any record:
 * donors, items, funds, distributions and what each recipient gets, and
 * 微心愿. The posted ones (donation lines, payments) are in donation.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/codes.h"
#include "wushe/household.h"
#include "wushe/orgs.h"
#include "wushe/resident.h"

/* ---- donors ---- */

static ws_status donor_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    donor *d = rec;
    /* An anonymous donor is never named in public. */
    if (strcmp(d->donor_type, "anonymous") == 0)
        snprintf(d->public_name, sizeof d->public_name, "no");
    if (!d->public_name[0])
        snprintf(d->public_name, sizeof d->public_name, "no");
    (void)re;
    return WS_OK;
}

static ws_status donor_before_delete(station *st, int64_t id, record_error *re)
{
    bool used = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM donations WHERE donor_id = ?1"
                                " AND deleted_at IS NULL", id, 0, &used);
    if (s == WS_OK && used)
        return res_failf(re, -1, "res.err_donor_used");
    return s;
}

/* A donation is found by its donor's name: a renamed donor's donations
 * are found by the new one. */
static ws_status donor_after_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    const donor *dn = rec;
    if (insert)
        return WS_OK;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM donations WHERE donor_id = ?1"
                                    " AND deleted_at IS NULL ORDER BY id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, dn->id);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    ws_status s = WS_OK;
    int rc;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *g = realloc(ids, (cap = cap ? cap * 2 : 16) * sizeof *ids);
            if (!g) {
                s = WS_ERR_NOMEM;
                break;
            }
            ids = g;
        }
        ids[n++] = sqlite3_column_int64(q, 0);
    }
    db_reset(q);
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = record_terms_refresh(st, &kind_donation, ids[i]);
    free(ids);
    return s;
}

static const field_def donor_fields[] = {
    [DNF_NAME] = {.column = "name", .label = "res.f_donor_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(donor, name),
                  .limit = 60, .aliases = "捐赠人|捐赠方|捐赠单位", .width = 16},
    [DNF_TYPE] = {.column = "donor_type", .label = "res.f_donor_type", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donor, donor_type),
                  .codes = "donor_type", .aliases = "捐赠人类型|类型", .width = 8},
    [DNF_PUBLIC] = {.column = "public_name", .label = "res.f_public_name", .type = FLD_CODE,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(donor, public_name),
                    .codes = "donor_public", .aliases = "公示署名|是否署名", .width = 8},
    [DNF_CONTACT] = {.column = "contact", .label = "res.f_contact", .type = FLD_TEXT,
                     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(donor, contact),
                     .limit = 60, .aliases = "联系人", .width = 8},
    [DNF_PHONE] = {.column = "phone", .label = "res.f_phone", .type = FLD_PHONE,
                   .flags = FF_MASKED | FF_LIST | FF_LEDGER, REC_AT(donor, phone),
                   .aliases = "联系电话|电话", .width = 13},
    [DNF_RESIDENT] = {.column = "resident_id", .label = "res.f_donor_resident", .type = FLD_REF,
                      .flags = FF_LEDGER, REC_AT(donor, resident_id), .ref = &kind_resident,
                      .aliases = "本地居民"},
    [DNF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(donor, notes), .limit = 300, .aliases = "备注"},
    [DNF_ORG] = {.column = "org_id", .label = "field.donor_org", .type = FLD_REF,
                 .flags = FF_LEDGER, REC_AT(donor, org_id), .ref = &kind_organisation,
                 .aliases = "社会组织"},
};

static struct kind_sql donor_sql;
const record_kind kind_donor = {
    .name = "donor", .table = "donors", .label = "res.kind_donor",
    .size = sizeof(donor), .id_offset = offsetof(donor, id),
    .revision_offset = offsetof(donor, revision),
    .fields = donor_fields, .nfields = sizeof donor_fields / sizeof donor_fields[0],
    .title_field = DNF_NAME,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.validate = donor_rules, .after_write = donor_after_write,
              .before_delete = donor_before_delete},
    .sql = &donor_sql,
};

/* ---- items ---- */

/* on_hand is the sum of the movements, whatever the form held. */
static ws_status item_before_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    item *it = rec;
    if (insert) {
        it->on_hand = 0;
        return WS_OK;
    }
    return db_int(station_db(st), "SELECT on_hand FROM items WHERE id = ?1", it->id,
                  &it->on_hand);
}

static ws_status item_before_delete(station *st, int64_t id, record_error *re)
{
    bool used = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM stock_moves WHERE item_id = ?1"
                                " UNION ALL SELECT 1 FROM distribution_items WHERE item_id = ?1"
                                " AND deleted_at IS NULL", id, 0, &used);
    if (s == WS_OK && used)
        return res_failf(re, -1, "res.err_item_used");
    return s;
}

static const field_def item_fields[] = {
    [ITF_NAME] = {.column = "name", .label = "res.f_item_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(item, name), .limit = 60, .aliases = "物资|物资名称|品名", .width = 16},
    [ITF_CATEGORY] = {.column = "category", .label = "res.f_category", .type = FLD_CODE,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(item, category),
                      .codes = "item_category", .aliases = "类别|物资类别", .width = 8},
    [ITF_UNIT] = {.column = "unit", .label = "res.f_unit", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(item, unit), .limit = 8,
                  .aliases = "单位|计量单位", .width = 4},
    [ITF_ON_HAND] = {.column = "on_hand", .label = "res.f_on_hand", .type = FLD_INT,
                     .flags = FF_NO_FORM | FF_LIST | FF_LEDGER, REC_AT(item, on_hand),
                     .aliases = "库存|库存数量", .width = 8},
    [ITF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(item, notes), .limit = 200, .aliases = "备注"},
};

static struct kind_sql item_sql;
const record_kind kind_item = {
    .name = "item", .table = "items", .label = "res.kind_item",
    .size = sizeof(item), .id_offset = offsetof(item, id),
    .revision_offset = offsetof(item, revision),
    .fields = item_fields, .nfields = sizeof item_fields / sizeof item_fields[0],
    .title_field = ITF_NAME,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.before_write = item_before_write, .before_delete = item_before_delete},
    .sql = &item_sql,
};

/* ---- funds ---- */

static ws_status fund_before_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    fund *f = rec;
    if (insert) {
        f->balance = 0;
        return WS_OK;
    }
    return db_int(station_db(st), "SELECT balance FROM funds WHERE id = ?1", f->id, &f->balance);
}

static ws_status fund_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    fund *f = rec;
    if (strcmp(f->fund_type, "restricted") == 0 && !f->purpose[0])
        return res_failf(re, FNF_PURPOSE, "res.err_restricted_purpose");
    return WS_OK;
}

static ws_status fund_before_delete(station *st, int64_t id, record_error *re)
{
    bool used = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM fund_entries WHERE fund_id = ?1",
                                id, 0, &used);
    if (s == WS_OK && used)
        return res_failf(re, -1, "res.err_fund_used");
    return s;
}

static const field_def fund_fields[] = {
    [FNF_NAME] = {.column = "name", .label = "res.f_fund_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(fund, name), .limit = 60, .aliases = "资金|资金名称|基金", .width = 16},
    [FNF_TYPE] = {.column = "fund_type", .label = "res.f_fund_type", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(fund, fund_type),
                  .codes = "fund_type", .aliases = "资金类型", .width = 8},
    [FNF_PURPOSE] = {.column = "purpose", .label = "res.f_fund_purpose", .type = FLD_TEXT,
                     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(fund, purpose),
                     .limit = 60, .aliases = "专项用途|用途", .width = 12},
    [FNF_HOST] = {.column = "host", .label = "res.f_host", .type = FLD_TEXT,
                  .flags = FF_LEDGER, REC_AT(fund, host), .limit = 60,
                  .aliases = "托管机构|慈善组织"},
    [FNF_BALANCE] = {.column = "balance", .label = "res.f_balance", .type = FLD_MONEY,
                     .flags = FF_NO_FORM | FF_LIST | FF_LEDGER, REC_AT(fund, balance),
                     .aliases = "余额|余额（元）", .width = 12},
    [FNF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(fund, notes), .limit = 200, .aliases = "备注"},
};

static struct kind_sql fund_sql;
const record_kind kind_fund = {
    .name = "fund", .table = "funds", .label = "res.kind_fund",
    .size = sizeof(fund), .id_offset = offsetof(fund, id),
    .revision_offset = offsetof(fund, revision),
    .fields = fund_fields, .nfields = sizeof fund_fields / sizeof fund_fields[0],
    .title_field = FNF_NAME,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.validate = fund_rules, .before_write = fund_before_write,
              .before_delete = fund_before_delete},
    .sql = &fund_sql,
};

/* ---- distributions ---- */

static ws_status distribution_before_delete(station *st, int64_t id, record_error *re)
{
    bool used = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM distribution_lines WHERE"
                                " distribution_id = ?1", id, 0, &used);
    if (s == WS_OK && used)
        return res_failf(re, -1, "res.err_dist_has_lines");
    return s;
}

static const field_def distribution_fields[] = {
    [DSF_NAME] = {.column = "name", .label = "res.f_dist_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(distribution, name), .limit = 60,
                  .aliases = "发放名称|活动名称|慰问活动", .width = 20},
    [DSF_DATE] = {.column = "dist_date", .label = "res.f_dist_date", .type = FLD_DATE,
                  /* a list and its 签领表 are prepared ahead */
                  .flags = FF_REQUIRED | FF_FUTURE | FF_LIST | FF_LEDGER,
                  REC_AT(distribution, dist_date),
                  .aliases = "发放日期", .width = 10},
    [DSF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(distribution, notes), .limit = 200,
                   .aliases = "备注"},
};

static void distribution_defaults(station *st, void *rec)
{
    (void)st;
    date_today(((distribution *)rec)->dist_date);
}

static struct kind_sql distribution_sql;
const record_kind kind_distribution = {
    .name = "distribution", .table = "distributions", .label = "res.kind_distribution",
    .size = sizeof(distribution), .id_offset = offsetof(distribution, id),
    .revision_offset = offsetof(distribution, revision),
    .fields = distribution_fields,
    .nfields = sizeof distribution_fields / sizeof distribution_fields[0],
    .title_field = DSF_NAME,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.defaults = distribution_defaults, .before_delete = distribution_before_delete},
    .sql = &distribution_sql,
};

/* What each recipient gets: one item once per distribution; fixed once a
 * line has been signed (the stock that left follows it). */
static ws_status dist_item_rules(station *st, void *rec, record_error *re)
{
    distribution_item *di = rec;
    ws_status s = res_check_amount(di->quantity, false, re, DIF_QUANTITY);
    if (s != WS_OK)
        return s;
    bool found = false;
    s = db_exists_i64(station_db(st), "SELECT 1 FROM distribution_lines WHERE"
                      " distribution_id = ?1 AND status IN ('signed', 'collected')",
                      di->distribution_id, 0, &found);
    if (s == WS_OK && found)
        return res_failf(re, -1, "res.err_dist_signed");
    int64_t count = 0;
    if (s == WS_OK)
        s = db_int(station_db(st), "SELECT count(*) FROM distribution_items WHERE"
                   " distribution_id = ?1 AND deleted_at IS NULL", di->distribution_id, &count);
    if (s == WS_OK && !di->id && count >= 64)
        return res_failf(re, -1, "res.err_dist_items_max");
    sqlite3_stmt *q = s == WS_OK ? db_prepare(station_db(st),
        "SELECT 1 FROM distribution_items WHERE distribution_id = ?1 AND item_id = ?2"
        " AND id <> ?3 AND deleted_at IS NULL") : NULL;
    if (q) {
        sqlite3_bind_int64(q, 1, di->distribution_id);
        sqlite3_bind_int64(q, 2, di->item_id);
        sqlite3_bind_int64(q, 3, di->id);
        found = sqlite3_step(q) == SQLITE_ROW;
        db_reset(q);
        if (found)
            return res_failf(re, DIF_ITEM, "res.err_dist_item_twice");
    }
    return s;
}

/* The list as it stands must be given from stock at the new quantity
 * (checked after the row is written, in the same transaction): 6 棉被 a
 * household for 2 households with 10 in stock is refused here, not at the
 * second signature when nothing can be changed any more. */
static ws_status dist_item_after_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)insert;
    const distribution_item *di = rec;
    return res_dist_cover(st, di->distribution_id, 0, re, DIF_QUANTITY);
}

static ws_status dist_item_before_delete(station *st, int64_t id, record_error *re)
{
    bool found = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM distribution_lines l JOIN"
                                " distribution_items i ON i.distribution_id = l.distribution_id"
                                " WHERE i.id = ?1 AND l.status IN ('signed', 'collected')",
                                id, 0, &found);
    if (s == WS_OK && found)
        return res_failf(re, -1, "res.err_dist_signed");
    return s;
}

static const field_def distribution_item_fields[] = {
    [DIF_DISTRIBUTION] = {.column = "distribution_id", .label = "res.kind_distribution",
                          .type = FLD_REF, .flags = FF_REQUIRED | FF_LEDGER,
                          REC_AT(distribution_item, distribution_id), .ref = &kind_distribution,
                          .aliases = "发放"},
    [DIF_ITEM] = {.column = "item_id", .label = "res.f_item", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(distribution_item, item_id),
                  .ref = &kind_item, .aliases = "物资", .width = 16},
    [DIF_QUANTITY] = {.column = "quantity", .label = "res.f_per_recipient", .type = FLD_INT,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                      REC_AT(distribution_item, quantity), .aliases = "每户数量|数量", .width = 8},
    [DIF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_TEXT,
                   .flags = FF_LIST | FF_LEDGER, REC_AT(distribution_item, notes), .limit = 60,
                   .aliases = "备注", .width = 16},
};

static struct kind_sql distribution_item_sql;
const record_kind kind_distribution_item = {
    .name = "distribution_item", .table = "distribution_items",
    .label = "res.kind_distribution_item",
    .size = sizeof(distribution_item), .id_offset = offsetof(distribution_item, id),
    .revision_offset = offsetof(distribution_item, revision),
    .fields = distribution_item_fields,
    .nfields = sizeof distribution_item_fields / sizeof distribution_item_fields[0],
    .title_field = DIF_ITEM,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.validate = dist_item_rules, .after_write = dist_item_after_write,
              .before_delete = dist_item_before_delete},
    .sql = &distribution_item_sql,
};

/* ---- 微心愿 ---- */

static ws_status wish_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    wish *w = rec;
    if (w->value < 0)
        return res_failf(re, WSF_VALUE, "res.err_negative_amount");
    if (w->value >= RES_AMOUNT_MAX)
        return res_failf(re, WSF_VALUE, "res.err_amount_max");
    if (!w->status[0])
        snprintf(w->status, sizeof w->status, "open");
    bool open = strcmp(w->status, "open") == 0;
    if (!open && !w->donor_id)
        return res_failf(re, WSF_DONOR, "res.err_wish_donor");
    if (strcmp(w->status, "fulfilled") == 0 && !w->fulfilled_date[0])
        return res_failf(re, WSF_FULFILLED, "res.err_wish_date");
    return WS_OK;
}

/* The list of wishes by status: the search box finds 待认领, 已实现... */
static void wish_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const wish *w = rec;
    const code_item *it = codebook_find(station_codes(st), "wish_status", w->status);
    /* In both languages, as every code's labels (record_terms.c). */
    snprintf(out, outsz, "%s %s", it && it->zh_CN ? it->zh_CN : "", it && it->en ? it->en : "");
}

static const field_def wish_fields[] = {
    [WSF_RESIDENT] = {.column = "resident_id", .label = "res.f_wisher", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(wish, resident_id),
                      .ref = &kind_resident, .aliases = "心愿人|姓名", .width = 8},
    [WSF_WISH] = {.column = "wish", .label = "res.f_wish", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(wish, wish),
                  .limit = 60, .aliases = "心愿|心愿内容", .width = 16},
    [WSF_VALUE] = {.column = "value", .label = "res.f_value", .type = FLD_MONEY,
                   .flags = FF_LIST | FF_LEDGER, REC_AT(wish, value),
                   .aliases = "价值|价值（元）", .width = 8},
    [WSF_STATUS] = {.column = "status", .label = "res.f_wish_status", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(wish, status),
                    .codes = "wish_status", .aliases = "状态", .width = 6},
    [WSF_DONOR] = {.column = "donor_id", .label = "res.f_claimed_by", .type = FLD_REF,
                   .flags = FF_LIST | FF_LEDGER, REC_AT(wish, donor_id), .ref = &kind_donor,
                   .aliases = "认领人", .width = 10},
    [WSF_FULFILLED] = {.column = "fulfilled_date", .label = "res.f_fulfilled", .type = FLD_DATE,
                       .flags = FF_LIST | FF_LEDGER, REC_AT(wish, fulfilled_date),
                       .aliases = "实现日期", .width = 10},
    [WSF_GIVEN] = {.column = "given", .label = "res.f_given", .type = FLD_TEXT,
                   .flags = FF_LEDGER, REC_AT(wish, given), .limit = 60,
                   .aliases = "实际赠予|赠予物品"},
};

static struct kind_sql wish_sql;
const record_kind kind_wish = {
    .name = "wish", .table = "wishes", .label = "res.kind_wish",
    .size = sizeof(wish), .id_offset = offsetof(wish, id),
    .revision_offset = offsetof(wish, revision),
    .fields = wish_fields, .nfields = sizeof wish_fields / sizeof wish_fields[0],
    .title_field = WSF_WISH,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.validate = wish_rules, .search_text = wish_search_text},
    .sql = &wish_sql,
};
