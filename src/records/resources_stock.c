/* Stock in other than by a donation, and out other than by a distribution:
 * purchases (采购入库: into stock, and out of a fund when one paid) and
 * issues (出库: the 爱心超市 paid in a volunteer's points, used at an
 * activity, other). Both are posted kinds: written once, corrected by
 * res_correct's reversal, which puts the stock, the money and the points
 * back in the same transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "volunteer_internal.h"
#include "wushe/resident.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

/* The date a posted row's movements carry: its own, or today for a reversal. */
static void posted_date(const char *own, bool reversal, char out[16])
{
    if (reversal || !own[0])
        date_today(out);
    else
        snprintf(out, 16, "%s", own);
}

/* ---- purchases ---- */

static void purchase_defaults(station *st, void *rec)
{
    (void)st;
    purchase *p = rec;
    date_today(p->purchase_date);
}

static ws_status purchase_rules(station *st, void *rec, record_error *re)
{
    purchase *p = rec;
    ws_status s = res_posted_amount(st, &kind_purchase, rec, false, re);
    if (s != WS_OK || p->reverses_id)
        return s;
    if (p->unit_price < 0)
        return res_failf(re, PUF_UNIT_PRICE, "res.err_negative_amount");
    if (p->unit_price >= RES_AMOUNT_MAX)
        return res_failf(re, PUF_UNIT_PRICE, "res.err_amount_max");
    if (p->unit_price && p->quantity > (RES_AMOUNT_MAX - 1) / p->unit_price)
        return res_failf(re, PUF_UNIT_PRICE, "res.err_total_max");
    if (p->expiry[0] && strcmp(p->expiry, p->purchase_date) < 0)
        return res_failf(re, PUF_EXPIRY, "res.err_received_expired", p->expiry,
                         p->purchase_date);
    if (!p->fund_id)
        return WS_OK;
    /* Money out of a fund is a 站长's to spend, a restricted fund's only for
     * its purpose, as a payment's. */
    if (!station_can(st, PERM_FUND_PAY))
        return res_failf(re, PUF_FUND, "res.err_purchase_fund_perm");
    char purpose[256] = "";
    s = db_text_i64(station_db(st), "SELECT CASE fund_type WHEN 'restricted' THEN purpose"
                    " ELSE '' END FROM funds WHERE id = ?1", p->fund_id, purpose,
                    sizeof purpose);
    if (s == WS_OK && purpose[0] && !res_names_purpose(p->purpose, purpose))
        return res_failf(re, PUF_PURPOSE, "res.err_restricted_pay", purpose);
    return s;
}

static ws_status purchase_after_write(station *st, void *rec, bool insert, record_error *re)
{
    purchase *p = rec;
    if (!insert)
        return WS_OK;
    char date[16];
    posted_date(p->purchase_date, p->reverses_id != 0, date);
    int64_t total = p->quantity * p->unit_price;
    ws_status s = res_stock_post(st, p->item_id, p->batch, p->expiry, p->quantity, total, date,
                                 "purchases", p->id, re, PUF_QUANTITY);
    if (s == WS_OK && p->fund_id && total)
        s = res_fund_post(st, p->fund_id, -total, date, "purchases", p->id, re, PUF_FUND);
    return s;
}

static const field_def purchase_fields[] = {
    [PUF_DATE] = {.column = "purchase_date", .label = "res.f_purchase_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(purchase, purchase_date),
                  .aliases = "采购日期|入库日期|日期", .width = 10},
    [PUF_ITEM] = {.column = "item_id", .label = "res.f_item", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(purchase, item_id),
                  .ref = &kind_item, .aliases = "物资|物品|品名", .width = 10},
    [PUF_QUANTITY] = {.column = "quantity", .label = "res.f_quantity", .type = FLD_INT,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(purchase, quantity),
                      .aliases = "数量", .width = 6},
    [PUF_UNIT_PRICE] = {.column = "unit_price", .label = "res.f_unit_price", .type = FLD_MONEY,
                        .flags = FF_LIST | FF_LEDGER, REC_AT(purchase, unit_price),
                        .aliases = "单价|单价（元）", .width = 9},
    [PUF_BATCH] = {.column = "batch", .label = "res.f_batch", .type = FLD_TEXT,
                   .flags = FF_LEDGER, REC_AT(purchase, batch), .limit = 30,
                   .aliases = "批次|批号"},
    [PUF_EXPIRY] = {.column = "expiry", .label = "res.f_expiry", .type = FLD_DATE,
                    .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(purchase, expiry),
                    .aliases = "有效期|保质期至|有效期至", .width = 10},
    [PUF_FUND] = {.column = "fund_id", .label = "res.f_purchase_fund", .type = FLD_REF,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(purchase, fund_id), .ref = &kind_fund,
                  .aliases = "支付资金|资金来源", .width = 10},
    [PUF_PURPOSE] = {.column = "purpose", .label = "res.f_pay_purpose", .type = FLD_TEXT,
                     .flags = FF_LEDGER, REC_AT(purchase, purpose), .limit = 60,
                     .aliases = "用途"},
    [PUF_SUPPLIER] = {.column = "supplier", .label = "res.f_supplier", .type = FLD_TEXT,
                      .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(purchase, supplier),
                      .limit = 60, .aliases = "供应商|采购单位|商家", .width = 10},
    [PUF_INVOICE] = {.column = "invoice", .label = "res.f_invoice", .type = FLD_TEXT,
                     .flags = FF_SEARCH | FF_LEDGER, REC_AT(purchase, invoice), .limit = 40,
                     .aliases = "发票号|发票号码|单据号"},
    [PUF_REVERSES] = {.column = "reverses_id", .label = "res.f_reverses", .type = FLD_REF,
                      .flags = FF_NO_FORM | FF_LIST, REC_AT(purchase, reverses_id),
                      .ref = &kind_purchase, .width = 6},
};

static struct kind_sql purchase_sql;
const record_kind kind_purchase = {
    .name = "purchase", .table = "purchases", .label = "res.kind_purchase",
    .size = sizeof(purchase), .id_offset = offsetof(purchase, id),
    .revision_offset = offsetof(purchase, revision),
    .fields = purchase_fields, .nfields = sizeof purchase_fields / sizeof purchase_fields[0],
    .title_field = PUF_DATE,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .period = "purchase_date",
    .newest_first = true,
    .posted = true,
    .hooks = {.defaults = purchase_defaults, .validate = purchase_rules,
              .after_write = purchase_after_write},
    .sql = &purchase_sql,
};

/* ---- issues ---- */

static void issue_defaults(station *st, void *rec)
{
    (void)st;
    stock_issue *i = rec;
    date_today(i->issue_date);
    snprintf(i->use, sizeof i->use, "shop");
}

static ws_status issue_rules(station *st, void *rec, record_error *re)
{
    stock_issue *i = rec;
    ws_status s = res_posted_amount(st, &kind_stock_issue, rec, false, re);
    if (s != WS_OK || i->reverses_id)
        return s;
    bool shop = strcmp(i->use, "shop") == 0;
    if (shop && !i->volunteer_id)
        return record_fail(re, SIF_VOLUNTEER, VAL_REQUIRED, NULL);
    if (shop && i->points <= 0)
        return res_failf(re, SIF_POINTS, "res.err_shop_points");
    if (!shop && (i->volunteer_id || i->points || i->resident_id))
        return res_failf(re, i->volunteer_id ? SIF_VOLUNTEER : i->points ? SIF_POINTS
                                                                        : SIF_RESIDENT,
                         "res.err_points_not_shop");
    if (strcmp(i->use, "activity") == 0 && !i->activity_id)
        return record_fail(re, SIF_ACTIVITY, VAL_REQUIRED, NULL);
    /* An expired batch is written off (报损), not handed out. */
    if (i->batch[0]) {
        char expiry[16];
        s = res_batch_expiry(st, i->item_id, i->batch, expiry);
        if (s != WS_OK)
            return s;
        if (expiry[0] && strcmp(expiry, i->issue_date) < 0)
            return res_failf(re, SIF_BATCH, "res.err_issue_expired", i->batch, expiry);
    }
    return WS_OK;
}

/* The batch an issue takes when none is named: the earliest expiry that is
 * not past and holds the quantity, else the earliest that holds any (and
 * the stock check says what is left). */
static ws_status issue_batch(station *st, stock_issue *i)
{
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT batch FROM stock_levels WHERE item_id = ?1 AND qty > 0"
        " AND (expiry = '' OR expiry >= ?2) ORDER BY qty < ?3, expiry = '', expiry, batch LIMIT 1");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, i->item_id);
    db_bind_text(q, 2, i->issue_date);
    sqlite3_bind_int64(q, 3, i->quantity);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        db_column_copy(q, 0, i->batch, sizeof i->batch);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Before the row: its batch, and the points it costs (or gives back). */
static ws_status issue_before_write(station *st, void *rec, bool insert, record_error *re)
{
    stock_issue *i = rec;
    if (!insert)
        return WS_OK;
    if (i->reverses_id) {
        /* The reversal gives the points back: -100 beside its -1, as the
         * quantity (validated as the original's, then negated here). */
        i->points = -i->points;
        if (!i->points_move_id)
            return WS_OK;
        int64_t back = 0;
        ws_status s = points_give_back(st, i->points_move_id, i->notes, &back);
        i->points_move_id = back;
        return s;
    }
    i->points_move_id = 0; /* the model's own, whatever came in */
    ws_status s = i->batch[0] ? WS_OK : issue_batch(st, i);
    if (s != WS_OK || strcmp(i->use, "shop") != 0)
        return s;
    char what[320], name[256] = "";
    if (db_text_i64(station_db(st), "SELECT name FROM items WHERE id = ?1", i->item_id, name,
                    sizeof name) != WS_OK)
        name[0] = '\0';
    trf(what, sizeof what, "res.shop_points_for", name, (long long)i->quantity);
    points_take_args t = {.volunteer_id = i->volunteer_id, .points = i->points,
                          .resident_id = i->resident_id, .description = what,
                          .volunteer_field = SIF_VOLUNTEER, .points_field = SIF_POINTS,
                          .family_field = SIF_RESIDENT};
    return points_take(st, &t, &i->points_move_id, re);
}

static ws_status issue_after_write(station *st, void *rec, bool insert, record_error *re)
{
    stock_issue *i = rec;
    if (!insert)
        return WS_OK;
    char date[16], expiry[16];
    posted_date(i->issue_date, i->reverses_id != 0, date);
    ws_status s = res_batch_expiry(st, i->item_id, i->batch, expiry);
    if (s != WS_OK)
        return s;
    return res_stock_post(st, i->item_id, i->batch, expiry, -i->quantity, 0, date,
                          "stock_issues", i->id, re, SIF_QUANTITY);
}

static const field_def issue_fields[] = {
    [SIF_DATE] = {.column = "issue_date", .label = "res.f_issue_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(stock_issue, issue_date),
                  .aliases = "出库日期|日期", .width = 10},
    [SIF_ITEM] = {.column = "item_id", .label = "res.f_item", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(stock_issue, item_id),
                  .ref = &kind_item, .aliases = "物资|物品|品名", .width = 10},
    [SIF_BATCH] = {.column = "batch", .label = "res.f_issue_batch", .type = FLD_TEXT,
                   .flags = FF_LEDGER, REC_AT(stock_issue, batch), .limit = 30,
                   .aliases = "批次|批号"},
    [SIF_QUANTITY] = {.column = "quantity", .label = "res.f_quantity", .type = FLD_INT,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(stock_issue, quantity),
                      .aliases = "数量", .width = 6},
    [SIF_USE] = {.column = "use", .label = "res.f_use", .type = FLD_CODE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(stock_issue, use),
                 .codes = "stock_use", .aliases = "用途|出库用途", .width = 8},
    [SIF_ACTIVITY] = {.column = "activity_id", .label = "kind.activity", .type = FLD_REF,
                      .flags = FF_LEDGER, REC_AT(stock_issue, activity_id),
                      .ref = &kind_activity, .aliases = "活动|活动名称"},
    [SIF_VOLUNTEER] = {.column = "volunteer_id", .label = "res.f_shop_volunteer",
                       .type = FLD_REF, .flags = FF_LIST | FF_LEDGER,
                       REC_AT(stock_issue, volunteer_id), .ref = &kind_volunteer,
                       .aliases = "志愿者|兑换人", .width = 10},
    [SIF_POINTS] = {.column = "points", .label = "res.f_shop_points", .type = FLD_INT,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(stock_issue, points),
                    .aliases = "积分|所用积分", .width = 8, .min = 0, .max = 1000000},
    [SIF_RESIDENT] = {.column = "resident_id", .label = "hours.f_family", .type = FLD_REF,
                      .flags = FF_LEDGER, REC_AT(stock_issue, resident_id),
                      .ref = &kind_resident, .aliases = "家人|代领人"},
    [SIF_MOVE] = {.column = "points_move_id", .label = "res.f_points_move", .type = FLD_INT,
                  .flags = FF_NO_FORM, REC_AT(stock_issue, points_move_id)},
    [SIF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_TEXT,
                   .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(stock_issue, notes),
                   .limit = 80, .aliases = "备注|说明", .width = 10},
    [SIF_REVERSES] = {.column = "reverses_id", .label = "res.f_reverses", .type = FLD_REF,
                      .flags = FF_NO_FORM | FF_LIST, REC_AT(stock_issue, reverses_id),
                      .ref = &kind_stock_issue, .width = 6},
};

static struct kind_sql issue_sql;
const record_kind kind_stock_issue = {
    .name = "stock_issue", .table = "stock_issues", .label = "res.kind_stock_issue",
    .size = sizeof(stock_issue), .id_offset = offsetof(stock_issue, id),
    .revision_offset = offsetof(stock_issue, revision),
    .fields = issue_fields, .nfields = sizeof issue_fields / sizeof issue_fields[0],
    .title_field = SIF_DATE,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .period = "issue_date",
    .newest_first = true,
    .posted = true,
    .hooks = {.defaults = issue_defaults, .validate = issue_rules,
              .before_write = issue_before_write, .after_write = issue_after_write},
    .sql = &issue_sql,
};
