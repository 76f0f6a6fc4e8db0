/* Donations and what is posted with them: the donation (its header, edited
 * like any record until it has lines), its money lines into a fund and its
 * goods lines into stock, and payments out of a fund. Lines and payments
 * are posted kinds: a correction (res_correct) writes a reversal linked to
 * the original and, if wanted, the corrected line, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/household.h"
#include "wushe/validate.h"

/* ---- the donation ---- */

/* A donation without a number gets the next of its year (JZ2026-0001). */
static ws_status donation_before_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)insert;
    (void)re;
    donation *d = rec;
    if (d->number[0])
        return WS_OK;
    char year[5];
    snprintf(year, sizeof year, "%.4s", d->donation_date);
    int64_t n = 0;
    char like[16];
    snprintf(like, sizeof like, "JZ%s-%%", year);
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT count(*) FROM donations WHERE"
                                                 " number LIKE ?1");
    if (!q)
        return db_status(station_db(st));
    db_bind_text(q, 1, like);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    db_reset(q);
    /* Numbers freed by nothing (donations are never purged): count + 1 is
     * new unless one was typed by hand in the same form; then go on. */
    for (;;) {
        bool taken = false;
        snprintf(d->number, sizeof d->number, "JZ%s-%04lld", year, (long long)++n);
        ws_status s = db_exists_text(station_db(st), "SELECT 1 FROM donations WHERE number = ?1"
                                     " AND id <> ?2", d->number, d->id, &taken);
        if (s != WS_OK || !taken)
            return s;
    }
}

static ws_status donation_before_delete(station *st, int64_t id, record_error *re)
{
    bool used = false;
    ws_status s = db_exists_i64(station_db(st), "SELECT 1 FROM donation_money WHERE"
                                " donation_id = ?1 UNION ALL SELECT 1 FROM donation_goods"
                                " WHERE donation_id = ?1", id, 0, &used);
    if (s == WS_OK && used)
        return res_failf(re, -1, "res.err_donation_has_lines");
    return s;
}

/* The search box finds a donation by its donor (县慈善, xcs, wjj). */
static void donation_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const donation *d = rec;
    out[0] = '\0';
    if (d->donor_id && db_text_i64(station_db(st), "SELECT name FROM donors WHERE id = ?1",
                                   d->donor_id, out, outsz) != WS_OK)
        out[0] = '\0';
}

static const field_def donation_fields[] = {
    [DOF_NUMBER] = {.column = "number", .label = "res.f_donation_number", .type = FLD_TEXT,
                    .flags = FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(donation, number), .limit = 30, .aliases = "登记号|捐赠编号",
                    .width = 12},
    [DOF_DATE] = {.column = "donation_date", .label = "res.f_donation_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation, donation_date),
                  .aliases = "捐赠日期|日期", .width = 10},
    [DOF_DONOR] = {.column = "donor_id", .label = "res.f_donor", .type = FLD_REF,
                   .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation, donor_id),
                   .ref = &kind_donor, .aliases = "捐赠人|捐赠方", .width = 14},
    [DOF_PURPOSE] = {.column = "purpose", .label = "res.f_purpose", .type = FLD_CODE,
                     .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation, purpose),
                     .codes = "donation_purpose", .aliases = "用途|捐赠用途", .width = 8},
    [DOF_HANDLER] = {.column = "handler", .label = "res.f_handler", .type = FLD_TEXT,
                     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(donation, handler),
                     .limit = 30, .aliases = "经办人", .width = 6},
    [DOF_AGREEMENT] = {.column = "agreement", .label = "res.f_agreement", .type = FLD_CODE,
                       .flags = FF_LEDGER, REC_AT(donation, agreement), .codes = "yes_no",
                       .aliases = "捐赠协议|有无协议"},
    [DOF_RECEIPT_CODE] = {.column = "receipt_code", .label = "res.f_receipt_code",
                          .type = FLD_TEXT, .flags = FF_SEARCH | FF_LEDGER,
                          REC_AT(donation, receipt_code), .limit = 30,
                          .aliases = "票据代码"},
    [DOF_RECEIPT_NO] = {.column = "receipt_no", .label = "res.f_receipt_no", .type = FLD_TEXT,
                        .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(donation, receipt_no),
                        .limit = 30, .aliases = "票据号码|票据号", .width = 10},
    [DOF_NOTES] = {.column = "notes", .label = "res.f_notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(donation, notes), .limit = 300,
                   .aliases = "备注"},
};

static struct kind_sql donation_sql;
const record_kind kind_donation = {
    .name = "donation", .table = "donations", .label = "res.kind_donation",
    .size = sizeof(donation), .id_offset = offsetof(donation, id),
    .revision_offset = offsetof(donation, revision),
    .fields = donation_fields, .nfields = sizeof donation_fields / sizeof donation_fields[0],
    .title_field = DOF_NUMBER,
    /* the latest given on top, as a clerk looks (by date, not by 登记号) */
    .newest_first = true,
    .order = "donation_date",
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .hooks = {.before_write = donation_before_write, .before_delete = donation_before_delete,
              .search_text = donation_search_text},
    .sql = &donation_sql,
};

/* ---- reversals, for every posted kind alike ---- */

/* Where a posted kind keeps its amount and its link. */
typedef struct res_posted {
    const record_kind *k;
    int amount; /* the field a reversal negates */
    int reverses;
    /* An entry that takes (money paid, goods and points given out): its
     * reversal goes first in a correction, so 10 points corrected to 12
     * with 3 left needs 2 more, not 12. One that brings goes second. */
    bool takes;
} res_posted;

static const res_posted res_posted_kinds[] = {
    {&kind_donation_money, DMF_AMOUNT, DMF_REVERSES, false},
    {&kind_donation_goods, DGF_QUANTITY, DGF_REVERSES, false},
    {&kind_payment, PYF_AMOUNT, PYF_REVERSES, true},
    {&kind_purchase, PUF_QUANTITY, PUF_REVERSES, false},
    {&kind_stock_issue, SIF_QUANTITY, SIF_REVERSES, true},
};

static const res_posted *res_posted_of(const record_kind *k)
{
    for (size_t i = 0; i < sizeof res_posted_kinds / sizeof *res_posted_kinds; i++)
        if (res_posted_kinds[i].k == k)
            return &res_posted_kinds[i];
    return NULL;
}

/* The amount: positive and in range, or in a reversal the negation of an
 * original that is no reversal itself (the API cannot post a free
 * negative). */
ws_status res_posted_amount(station *st, const record_kind *k, void *rec, bool money,
                            record_error *re)
{
    const res_posted *p = res_posted_of(k);
    const field_def *fa = &k->fields[p->amount], *fr = &k->fields[p->reverses];
    int64_t v = field_int(fa, rec), orig = field_int(fr, rec);
    if (!orig)
        return res_check_amount(v, money, re, p->amount);
    char sql[320];
    snprintf(sql, sizeof sql, "SELECT %s, reverses_id IS NOT NULL FROM %s WHERE id = ?1",
             fa->column, k->table);
    /* (Built from the declaration, never from user text; not cached by
     * the connection, which keys on literals.) */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL) != SQLITE_OK)
        return WS_ERR_DB;
    sqlite3_bind_int64(q, 1, orig);
    int rc = sqlite3_step(q);
    bool ok = rc == SQLITE_ROW && sqlite3_column_int64(q, 0) == -v &&
              sqlite3_column_int(q, 1) == 0;
    sqlite3_finalize(q);
    return ok ? WS_OK : res_failf(re, p->amount, "res.err_reversal_mismatch");
}

bool res_posted_money(const record_kind *k)
{
    const res_posted *p = res_posted_of(k);
    return p && k->fields[p->amount].type == FLD_MONEY;
}

ws_status res_correction_state(station *st, const record_kind *k, int64_t id, bool *is_reversal,
                               bool *is_reversed)
{
    *is_reversal = *is_reversed = false;
    if (!res_posted_of(k))
        return WS_ERR_INVALID;
    char sql[320];
    snprintf(sql, sizeof sql, "SELECT (SELECT reverses_id IS NOT NULL FROM %s WHERE id = ?1),"
             " EXISTS (SELECT 1 FROM %s WHERE reverses_id = ?1)", k->table, k->table);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL) != SQLITE_OK)
        return WS_ERR_DB;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *is_reversal = sqlite3_column_int(q, 0) != 0;
        *is_reversed = sqlite3_column_int(q, 1) != 0;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

/* A correction's corrected entry (none when corrected is NULL: a plain
 * reversal). */
static ws_status res_correct_new(station *st, const record_kind *k, const res_posted *p,
                                 void *corrected, record_error *re)
{
    if (!corrected)
        return WS_OK;
    memset((char *)corrected + k->id_offset, 0, sizeof(int64_t));
    memset((char *)corrected + k->revision_offset, 0, sizeof(int64_t));
    field_set_int(&k->fields[p->reverses], corrected, 0);
    return record_save(st, k, corrected, re);
}

/* A correction's reversal of entry id (orig, as loaded): the amount
 * negated, linked to it. */
static ws_status res_correct_reverse(station *st, const record_kind *k, const res_posted *p,
                                     int64_t id, void *orig, record_error *re)
{
    const field_def *fa = &k->fields[p->amount], *fr = &k->fields[p->reverses];
    memset((char *)orig + k->id_offset, 0, sizeof(int64_t));
    memset((char *)orig + k->revision_offset, 0, sizeof(int64_t));
    field_set_int(fa, orig, -field_int(fa, orig));
    field_set_int(fr, orig, id);
    record_error rre;
    ws_status s = record_save(st, k, orig, &rre);
    if (s == WS_ERR_INVALID) /* the stock left, the money was paid */
        res_fail(re, -1, record_error_text(k, &rre, (char[320]){0}, 320));
    return s;
}

ws_status res_reversal_of(station *st, const record_kind *k, int64_t id, int64_t *reversal)
{
    *reversal = 0;
    if (!res_posted_of(k))
        return WS_ERR_INVALID;
    ws_status s = station_require(st, k->read_perm);
    if (s != WS_OK)
        return s;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT coalesce((SELECT id FROM %s WHERE reverses_id = ?1), 0)",
             k->table);
    /* (Built from the declaration, never from user text.) */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL) != SQLITE_OK)
        return WS_ERR_DB;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *reversal = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status res_correct(station *st, const record_kind *k, int64_t id, void *corrected,
                      record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    const res_posted *p = res_posted_of(k);
    if (!p)
        return WS_ERR_INVALID;
    ws_status s = station_require(st, k->write_perm);
    if (s != WS_OK)
        return s;
    void *orig = calloc(1, k->size);
    if (!orig)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    s = db_begin(d);
    if (s == WS_OK)
        s = record_load(st, k, id, orig);
    bool is_reversal = false, is_reversed = false;
    if (s == WS_OK)
        s = res_correction_state(st, k, id, &is_reversal, &is_reversed);
    /* A reversal is undone by nothing: correct the entry it cancelled... */
    if (s == WS_OK && is_reversal)
        s = res_failf(re, -1, "res.err_correct_reversal");
    /* ...which can be corrected once; then its corrected entry is the one. */
    if (s == WS_OK && is_reversed)
        s = res_failf(re, -1, "res.err_already_corrected");
    /* What brings (a gift, a purchase): the corrected entry first, so 50
     * corrected to 48 with 5 handed out needs 2 in stock, not 50. What
     * takes: the reversal first. Each is checked inside this transaction. */
    for (int step = 0; s == WS_OK && step < 2; step++) {
        if ((step == 0) != p->takes)
            s = res_correct_new(st, k, p, corrected, re);
        else
            s = res_correct_reverse(st, k, p, id, orig, re);
    }
    free(orig);
    s = db_end(d, s);
    if (s != WS_OK && corrected)
        memset((char *)corrected + k->id_offset, 0, sizeof(int64_t));
    return s;
}

/* The date a line is posted on: its donation's, or today for a reversal. */
static void res_line_date(station *st, int64_t donation_id, bool reversal, char out[16])
{
    if (reversal || db_text_i64(station_db(st), "SELECT donation_date FROM donations WHERE"
                                " id = ?1", donation_id, out, 16) != WS_OK || !out[0])
        date_today(out);
}

/* ---- money lines ---- */

static ws_status money_rules(station *st, void *rec, record_error *re)
{
    return res_posted_amount(st, &kind_donation_money, rec, true, re);
}

static ws_status money_after_write(station *st, void *rec, bool insert, record_error *re)
{
    donation_money *m = rec;
    if (!insert)
        return WS_OK;
    char date[16];
    res_line_date(st, m->donation_id, m->reverses_id != 0, date);
    return res_fund_post(st, m->fund_id, m->amount, date, "donation_money", m->id, re,
                         DMF_AMOUNT);
}

static const field_def money_fields[] = {
    [DMF_DONATION] = {.column = "donation_id", .label = "res.kind_donation", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LEDGER, REC_AT(donation_money, donation_id),
                      .ref = &kind_donation, .aliases = "登记号|捐赠编号"},
    [DMF_FUND] = {.column = "fund_id", .label = "res.f_fund", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation_money, fund_id),
                  .ref = &kind_fund, .aliases = "资金|进入资金", .width = 14},
    [DMF_AMOUNT] = {.column = "amount", .label = "res.f_amount", .type = FLD_MONEY,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation_money, amount),
                    .aliases = "金额|金额（元）", .width = 12},
    [DMF_METHOD] = {.column = "method", .label = "res.f_method", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation_money, method),
                    .codes = "pay_method", .aliases = "付款方式|方式", .width = 6},
    [DMF_ACCOUNT] = {.column = "account", .label = "res.f_account", .type = FLD_TEXT,
                     .flags = FF_LIST | FF_LEDGER, REC_AT(donation_money, account), .limit = 60,
                     .aliases = "收款账户|收款机构", .width = 12},
    [DMF_REVERSES] = {.column = "reverses_id", .label = "res.f_reverses", .type = FLD_REF,
                      .flags = FF_NO_FORM | FF_LIST, REC_AT(donation_money, reverses_id),
                      .ref = &kind_donation_money, .width = 8},
};

static struct kind_sql money_sql;
const record_kind kind_donation_money = {
    .name = "donation_money", .table = "donation_money", .label = "res.kind_money",
    .size = sizeof(donation_money), .id_offset = offsetof(donation_money, id),
    .revision_offset = offsetof(donation_money, revision),
    .fields = money_fields, .nfields = sizeof money_fields / sizeof money_fields[0],
    .title_field = DMF_AMOUNT,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .posted = true,
    .hooks = {.validate = money_rules, .after_write = money_after_write},
    .sql = &money_sql,
};

/* ---- goods lines ---- */

static ws_status goods_rules(station *st, void *rec, record_error *re)
{
    donation_goods *g = rec;
    ws_status s = res_posted_amount(st, &kind_donation_goods, rec, false, re);
    if (s != WS_OK)
        return s;
    if (g->unit_value < 0)
        return res_failf(re, DGF_UNIT_VALUE, "res.err_negative_amount");
    if (g->unit_value >= RES_AMOUNT_MAX)
        return res_failf(re, DGF_UNIT_VALUE, "res.err_amount_max");
    int64_t q = g->quantity < 0 ? -g->quantity : g->quantity;
    if (g->unit_value && q > (RES_AMOUNT_MAX - 1) / g->unit_value)
        return res_failf(re, DGF_UNIT_VALUE, "res.err_total_max");
    /* Goods already expired when they came are not taken into stock. */
    char on[16] = "";
    if (!g->reverses_id && g->expiry[0] &&
        db_text_i64(station_db(st), "SELECT donation_date FROM donations WHERE id = ?1",
                    g->donation_id, on, sizeof on) == WS_OK &&
        on[0] && strcmp(g->expiry, on) < 0)
        return res_failf(re, DGF_EXPIRY, "res.err_received_expired", g->expiry, on);
    return WS_OK;
}

static ws_status goods_after_write(station *st, void *rec, bool insert, record_error *re)
{
    donation_goods *g = rec;
    if (!insert)
        return WS_OK;
    char date[16];
    res_line_date(st, g->donation_id, g->reverses_id != 0, date);
    return res_stock_post(st, g->item_id, g->batch, g->expiry, g->quantity,
                          g->quantity * g->unit_value, date, "donation_goods", g->id, re,
                          DGF_QUANTITY);
}

static const field_def goods_fields[] = {
    [DGF_DONATION] = {.column = "donation_id", .label = "res.kind_donation", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LEDGER, REC_AT(donation_goods, donation_id),
                      .ref = &kind_donation, .aliases = "登记号|捐赠编号"},
    [DGF_ITEM] = {.column = "item_id", .label = "res.f_item", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(donation_goods, item_id),
                  .ref = &kind_item, .aliases = "物资|物资名称|品名", .width = 14},
    [DGF_QUANTITY] = {.column = "quantity", .label = "res.f_quantity", .type = FLD_INT,
                      .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                      REC_AT(donation_goods, quantity), .aliases = "数量", .width = 6},
    [DGF_UNIT_VALUE] = {.column = "unit_value", .label = "res.f_unit_value", .type = FLD_MONEY,
                        .flags = FF_LIST | FF_LEDGER, REC_AT(donation_goods, unit_value),
                        .aliases = "单价|单价（元）", .width = 8},
    [DGF_BATCH] = {.column = "batch", .label = "res.f_batch", .type = FLD_TEXT,
                   .flags = FF_LIST | FF_LEDGER, REC_AT(donation_goods, batch), .limit = 30,
                   .aliases = "批次|批号", .width = 8},
    [DGF_EXPIRY] = {.column = "expiry", .label = "res.f_expiry", .type = FLD_DATE,
                    .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(donation_goods, expiry),
                    .aliases = "有效期|保质期至|有效期至", .width = 10},
    [DGF_CONDITION] = {.column = "condition", .label = "res.f_condition", .type = FLD_CODE,
                       .flags = FF_REQUIRED | FF_LEDGER, REC_AT(donation_goods, condition),
                       .codes = "goods_condition", .aliases = "物资状况|状况"},
    [DGF_REVERSES] = {.column = "reverses_id", .label = "res.f_reverses", .type = FLD_REF,
                      .flags = FF_NO_FORM | FF_LIST, REC_AT(donation_goods, reverses_id),
                      .ref = &kind_donation_goods, .width = 6},
};

static struct kind_sql goods_sql;
const record_kind kind_donation_goods = {
    .name = "donation_goods", .table = "donation_goods", .label = "res.kind_goods",
    .size = sizeof(donation_goods), .id_offset = offsetof(donation_goods, id),
    .revision_offset = offsetof(donation_goods, revision),
    .fields = goods_fields, .nfields = sizeof goods_fields / sizeof goods_fields[0],
    .title_field = DGF_ITEM,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_RESOURCES,
    .posted = true,
    .hooks = {.validate = goods_rules, .after_write = goods_after_write},
    .sql = &goods_sql,
};

/* ---- payments out of a fund ---- */

/* Whether text names one of purpose's parts ("困境儿童、留守儿童助学": 困境儿童
 * or 留守儿童助学). */
bool res_names_purpose(const char *text, const char *purpose)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", purpose);
    static const char *const seps[] = {"、", "，", "；", ",", ";", " "};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
        for (char *p = strstr(buf, seps[i]); p; p = strstr(p, seps[i]))
            memset(p, '\n', strlen(seps[i]));
    char *save = NULL;
    for (char *part = strtok_r(buf, "\n", &save); part; part = strtok_r(NULL, "\n", &save))
        if (strstr(text, part))
            return true;
    return false;
}

/* Restricted money is paid out only for its purpose: the payment's own
 * words name it. */
static ws_status payment_rules(station *st, void *rec, record_error *re)
{
    payment *p = rec;
    ws_status s = res_posted_amount(st, &kind_payment, rec, true, re);
    if (s != WS_OK || p->reverses_id)
        return s;
    char purpose[256] = "";
    s = db_text_i64(station_db(st), "SELECT CASE fund_type WHEN 'restricted' THEN purpose"
                    " ELSE '' END FROM funds WHERE id = ?1", p->fund_id, purpose,
                    sizeof purpose);
    if (s == WS_OK && purpose[0] && !res_names_purpose(p->purpose, purpose))
        return res_failf(re, PYF_PURPOSE, "res.err_restricted_pay", purpose);
    return s;
}

static ws_status payment_after_write(station *st, void *rec, bool insert, record_error *re)
{
    payment *p = rec;
    if (!insert)
        return WS_OK;
    char date[16];
    if (p->reverses_id || !p->payment_date[0])
        date_today(date);
    else
        snprintf(date, sizeof date, "%s", p->payment_date);
    return res_fund_post(st, p->fund_id, -p->amount, date, "payments", p->id, re, PYF_AMOUNT);
}

static const field_def payment_fields[] = {
    [PYF_DATE] = {.column = "payment_date", .label = "res.f_payment_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(payment, payment_date),
                  .aliases = "支出日期|日期", .width = 10},
    [PYF_FUND] = {.column = "fund_id", .label = "res.f_pay_fund", .type = FLD_REF,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(payment, fund_id),
                  .ref = &kind_fund, .aliases = "资金|支出资金", .width = 14},
    [PYF_HOUSEHOLD] = {.column = "household_id", .label = "res.f_household", .type = FLD_REF,
                       .flags = FF_LIST | FF_LEDGER, REC_AT(payment, household_id),
                       .ref = &kind_household, .aliases = "户号|受助户", .width = 10},
    [PYF_AMOUNT] = {.column = "amount", .label = "res.f_amount", .type = FLD_MONEY,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(payment, amount),
                    .aliases = "金额|金额（元）", .width = 12},
    [PYF_PURPOSE] = {.column = "purpose", .label = "res.f_pay_purpose", .type = FLD_TEXT,
                     .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                     REC_AT(payment, purpose), .limit = 60, .aliases = "用途|支出事由",
                     .width = 16},
    [PYF_REVERSES] = {.column = "reverses_id", .label = "res.f_reverses", .type = FLD_REF,
                      .flags = FF_NO_FORM | FF_LIST, REC_AT(payment, reverses_id),
                      .ref = &kind_payment, .width = 8},
};

/* A payment is mostly entered the day it is made. */
static void payment_defaults(station *st, void *rec)
{
    (void)st;
    date_today(((payment *)rec)->payment_date);
}

static struct kind_sql payment_sql;
const record_kind kind_payment = {
    .name = "payment", .table = "payments", .label = "res.kind_payment",
    .size = sizeof(payment), .id_offset = offsetof(payment, id),
    .revision_offset = offsetof(payment, revision),
    .fields = payment_fields, .nfields = sizeof payment_fields / sizeof payment_fields[0],
    .title_field = PYF_PURPOSE,
    .read_perm = PERM_REGISTER_READ, .write_perm = PERM_FUND_PAY,
    .posted = true,
    .hooks = {.defaults = payment_defaults, .validate = payment_rules,
              .after_write = payment_after_write},
    .sql = &payment_sql,
};
