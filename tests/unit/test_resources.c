/* Charitable resources (issue 13): stock and funds as sums of entries,
 * never below zero (also with two connections racing), corrections as
 * linked reversals, distributions (one line a household, signed lines
 * leave stock), and the bad input the issue lists. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "testutil.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/resources.h"
#include "wushe/resources_io.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/volunteer.h"

static int setup(void **state)
{
    *state = testutil_station_open(true);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    testutil_station *t = *state;
    testutil_station_close(&t);
    return 0;
}

static int64_t save(station *st, const record_kind *k, void *rec)
{
    record_error re;
    ws_status s = record_save(st, k, rec, &re);
    if (s != WS_OK) {
        char msg[512];
        fail_msg("%s refused: %s (%s)", k->name, ws_status_name(s),
                 record_error_text(k, &re, msg, sizeof msg));
    }
    return record_id(k, rec);
}

static int64_t new_item(station *st, const char *name, const char *unit)
{
    item it;
    record_init(&kind_item, &it);
    snprintf(it.name, sizeof it.name, "%s", name);
    snprintf(it.category, sizeof it.category, "food");
    snprintf(it.unit, sizeof it.unit, "%s", unit);
    return save(st, &kind_item, &it);
}

static int64_t new_fund(station *st, const char *name)
{
    fund f;
    record_init(&kind_fund, &f);
    snprintf(f.name, sizeof f.name, "%s", name);
    snprintf(f.fund_type, sizeof f.fund_type, "general");
    return save(st, &kind_fund, &f);
}

static int64_t new_donation(station *st, const char *date)
{
    donor dn;
    record_init(&kind_donor, &dn);
    snprintf(dn.name, sizeof dn.name, "青石粮油公司");
    snprintf(dn.donor_type, sizeof dn.donor_type, "enterprise");
    int64_t donor_id = save(st, &kind_donor, &dn);
    donation d;
    record_init(&kind_donation, &d);
    snprintf(d.donation_date, sizeof d.donation_date, "%s", date);
    d.donor_id = donor_id;
    snprintf(d.purpose, sizeof d.purpose, "general");
    snprintf(d.agreement, sizeof d.agreement, "no");
    return save(st, &kind_donation, &d);
}

static void goods_init(donation_goods *g, int64_t donation, int64_t item_id, int64_t qty,
                       const char *batch, const char *expiry)
{
    record_init(&kind_donation_goods, g);
    g->donation_id = donation;
    g->item_id = item_id;
    g->quantity = qty;
    g->unit_value = 5000;
    snprintf(g->batch, sizeof g->batch, "%s", batch);
    snprintf(g->expiry, sizeof g->expiry, "%s", expiry);
    snprintf(g->condition, sizeof g->condition, "new");
}

static int64_t give_goods(station *st, int64_t donation, int64_t item_id, int64_t qty,
                          const char *batch, const char *expiry)
{
    donation_goods g;
    goods_init(&g, donation, item_id, qty, batch, expiry);
    return save(st, &kind_donation_goods, &g);
}

static void money_init(donation_money *m, int64_t donation, int64_t fund_id, int64_t fen)
{
    record_init(&kind_donation_money, m);
    m->donation_id = donation;
    m->fund_id = fund_id;
    m->amount = fen;
    snprintf(m->method, sizeof m->method, "transfer");
}

static int64_t give_money(station *st, int64_t donation, int64_t fund_id, int64_t fen)
{
    donation_money m;
    money_init(&m, donation, fund_id, fen);
    return save(st, &kind_donation_money, &m);
}

static int64_t stock(station *st, int64_t item_id)
{
    int64_t cached = -1, sum = -2;
    assert_int_equal(res_stock(st, item_id, &cached), WS_OK);
    assert_int_equal(res_stock_sum(st, item_id, &sum), WS_OK);
    assert_int_equal(cached, sum);
    return cached;
}

static int64_t balance(station *st, int64_t fund_id)
{
    int64_t cached = -1, sum = -2;
    assert_int_equal(res_fund_balance(st, fund_id, &cached), WS_OK);
    assert_int_equal(res_fund_sum(st, fund_id, &sum), WS_OK);
    assert_int_equal(cached, sum);
    return cached;
}

/* A household with a head in vulnerable group `group` ("" none). */
static int64_t new_household(station *st, const char *number, const char *head,
                             const char *id_number, const char *group)
{
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    int64_t hid = save(st, &kind_household, &h);
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", head);
    /* The 17 digits given, and their check character. */
    snprintf(r.id_number, sizeof r.id_number, "%.17s%c", id_number, val_id_check_char(id_number));
    r.household_id = hid;
    snprintf(r.relation, sizeof r.relation, "head");
    if (group[0]) {
        r.ngroups = 1;
        snprintf(r.groups[0].code, sizeof r.groups[0].code, "%s", group);
    }
    field_error fe;
    assert_int_equal(resident_save(st, &r, &fe), WS_OK);
    return hid;
}

static int64_t new_distribution(station *st, const char *name, int64_t item_id, int64_t per)
{
    distribution d;
    record_init(&kind_distribution, &d);
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.dist_date, sizeof d.dist_date, "2026-11-20");
    int64_t id = save(st, &kind_distribution, &d);
    distribution_item di;
    record_init(&kind_distribution_item, &di);
    di.distribution_id = id;
    di.item_id = item_id;
    di.quantity = per;
    save(st, &kind_distribution_item, &di);
    return id;
}

/* Sums on a known fixture: two batches in, a line corrected, a payment. */
static void test_sums_known_fixture(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋"), oil = new_item(t->st, "食用油", "桶");
    int64_t fund_id = new_fund(t->st, "社区慈善基金");
    int64_t d = new_donation(t->st, "2026-01-15");
    give_goods(t->st, d, rice, 50, "A", "2027-06-30");
    give_goods(t->st, d, rice, 30, "B", "2027-01-31");
    give_goods(t->st, d, oil, 50, "", "");
    give_money(t->st, d, fund_id, 1234567);
    give_money(t->st, d, fund_id, 33);
    assert_int_equal(stock(t->st, rice), 80);
    assert_int_equal(stock(t->st, oil), 50);
    assert_int_equal(balance(t->st, fund_id), 1234600);
    assert_int_equal(raw_int(t, "SELECT sum(value) FROM stock_moves WHERE item_id = ?1", rice),
                     80 * 5000);
    int64_t problems = -1;
    assert_int_equal(res_check(t->st, &problems, NULL, NULL), WS_OK);
    assert_int_equal(problems, 0);
}

static void say_into(void *ctx, const char *line)
{
    snprintf(ctx, 512, "%s", line);
}

/* wushe check finds a cache that disagrees with its entries. */
static void test_check_finds_tampering(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    give_goods(t->st, new_donation(t->st, "2026-01-15"), rice, 10, "", "");
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(t->path, &w), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w, "UPDATE items SET on_hand = on_hand + 1", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(w);
    int64_t problems = 0;
    char said[512] = "";
    assert_int_equal(res_check(t->st, &problems, say_into, said),
                     WS_OK);
    assert_int_equal(problems, 1);
    assert_non_null(strstr(said, "大米"));
}

/* A correction writes the reversal linked to the original and the corrected
 * line; a reversal is never corrected, an entry only once. */
static void test_correction_pairs(void **state)
{
    testutil_station *t = *state;
    int64_t fund_id = new_fund(t->st, "助学基金");
    int64_t d = new_donation(t->st, "2026-03-01");
    int64_t orig = give_money(t->st, d, fund_id, 10000);
    donation_money fixed;
    money_init(&fixed, d, fund_id, 8000);
    record_error re;
    assert_int_equal(res_correct(t->st, &kind_donation_money, orig, &fixed, &re), WS_OK);
    assert_true(fixed.id > 0);
    assert_int_equal(balance(t->st, fund_id), 8000);
    int64_t rev = raw_int(t, "SELECT id FROM donation_money WHERE reverses_id = ?1", orig);
    assert_true(rev > 0);
    assert_int_equal(raw_int(t, "SELECT amount FROM donation_money WHERE id = ?1", rev), -10000);
    /* The original is untouched. */
    assert_int_equal(raw_int(t, "SELECT amount FROM donation_money WHERE id = ?1", orig), 10000);
    /* A correction of the reversal, or of the original again: refused, nothing written. */
    int64_t rows = raw_int(t, "SELECT count(*) FROM donation_money", 0);
    assert_int_equal(res_correct(t->st, &kind_donation_money, rev, NULL, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "冲销记录"));
    assert_int_equal(res_correct(t->st, &kind_donation_money, orig, NULL, &re), WS_ERR_INVALID);
    if (!strstr(re.detail, "已经更正过"))
        fail_msg("%s", re.detail);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donation_money", 0), rows);
    /* The corrected line can be corrected in its turn (here: cancelled). */
    assert_int_equal(res_correct(t->st, &kind_donation_money, fixed.id, NULL, &re), WS_OK);
    assert_int_equal(balance(t->st, fund_id), 0);
    /* A posted line is never updated nor deleted. */
    donation_money m;
    assert_int_equal(record_load(t->st, &kind_donation_money, orig, &m), WS_OK);
    m.amount = 1;
    assert_int_equal(record_save(t->st, &kind_donation_money, &m, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_POSTED);
    assert_int_equal(record_delete(t->st, &kind_donation_money, orig, &re), WS_ERR_INVALID);
    /* A free negative through the API is no reversal. */
    donation_money neg;
    money_init(&neg, d, fund_id, -500);
    neg.reverses_id = orig;
    assert_int_equal(record_save(t->st, &kind_donation_money, &neg, &re), WS_ERR_INVALID);
    int64_t problems = -1;
    assert_int_equal(res_check(t->st, &problems, NULL, NULL), WS_OK);
    assert_int_equal(problems, 0);
}

/* Goods handed out cannot be reversed away: the reversal would take the
 * batch below zero, and nothing is written. */
static void test_correction_of_goods_given_out(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t line = give_goods(t->st, new_donation(t->st, "2026-03-01"), rice, 10, "A", "");
    int64_t h = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t dist = new_distribution(t->st, "2026 冬季慰问", rice, 6);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h, &re), WS_OK);
    int64_t l = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h, &l), WS_OK);
    if (res_dist_mark(t->st, l, "signed", NULL, &re) != WS_OK)
        fail_msg("%s", re.detail);
    assert_int_equal(stock(t->st, rice), 4);
    assert_int_equal(res_correct(t->st, &kind_donation_goods, line, NULL, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "库存不够"));
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donation_goods", 0), 1);
    assert_int_equal(stock(t->st, rice), 4);
    /* 10 was 8: checked after both entries, 2 are left (not 4 - 10). */
    donation_goods fixed;
    goods_init(&fixed, raw_int(t, "SELECT donation_id FROM donation_goods WHERE id = ?1", line),
               rice, 8, "A", "");
    assert_int_equal(res_correct(t->st, &kind_donation_goods, line, &fixed, &re), WS_OK);
    assert_int_equal(stock(t->st, rice), 2);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donation_goods", 0), 3);
}

/* A fund is never overdrawn; the refused payment writes nothing. */
static void test_fund_overdraw_refused(void **state)
{
    testutil_station *t = *state;
    int64_t fund_id = new_fund(t->st, "临时救助金");
    give_money(t->st, new_donation(t->st, "2026-02-01"), fund_id, 3000);
    int64_t h = new_household(t->st, "QS-002", "李四", "110101198001011210", "");
    payment p;
    record_init(&kind_payment, &p);
    snprintf(p.payment_date, sizeof p.payment_date, "2026-11-01");
    p.fund_id = fund_id;
    p.household_id = h;
    p.amount = 5000;
    snprintf(p.purpose, sizeof p.purpose, "医疗救助");
    record_error re;
    int64_t entries = raw_int(t, "SELECT count(*) FROM fund_entries", 0);
    assert_int_equal(record_save(t->st, &kind_payment, &p, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "余额不足"));
    assert_non_null(strstr(re.detail, "30.00"));
    assert_int_equal(p.id, 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM payments", 0), 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM fund_entries", 0), entries);
    p.amount = 3000;
    save(t->st, &kind_payment, &p);
    assert_int_equal(balance(t->st, fund_id), 0);
    /* Restricted money only for its purpose. */
    fund r;
    record_init(&kind_fund, &r);
    snprintf(r.name, sizeof r.name, "助学专项");
    snprintf(r.fund_type, sizeof r.fund_type, "restricted");
    snprintf(r.purpose, sizeof r.purpose, "困境儿童、留守儿童助学");
    int64_t rid = save(t->st, &kind_fund, &r);
    give_money(t->st, new_donation(t->st, "2026-02-01"), rid, 10000);
    payment q;
    record_init(&kind_payment, &q);
    snprintf(q.payment_date, sizeof q.payment_date, "2026-11-01");
    q.fund_id = rid;
    q.amount = 2000;
    snprintf(q.purpose, sizeof q.purpose, "医疗救助");
    assert_int_equal(record_save(t->st, &kind_payment, &q, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, PYF_PURPOSE);
    assert_non_null(strstr(re.detail, "专项资金"));
    snprintf(q.purpose, sizeof q.purpose, "留守儿童助学：张小花学费");
    save(t->st, &kind_payment, &q);
    assert_int_equal(balance(t->st, rid), 8000);
}

/* One line a household per occasion; a filter adds each once. */
static void test_same_household_twice_refused(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    give_goods(t->st, new_donation(t->st, "2026-03-01"), rice, 100, "", "");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    new_household(t->st, "QS-002", "李四", "110101198001011210", "tekun");
    new_household(t->st, "QS-003", "王五", "110101198001011253", "");
    int64_t dist = new_distribution(t->st, "2027 春节慰问", rice, 2);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "QS-001"));
    int64_t added = 0;
    assert_int_equal(res_dist_add_filter(t->st, dist, "", 0, &added, &re), WS_OK);
    assert_int_equal(added, 1); /* 李四 (特困); 张三 is on it, 王五 in no group */
    assert_int_equal(res_dist_add_filter(t->st, dist, "dibao", 0, &added, &re), WS_OK);
    assert_int_equal(added, 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE"
                                " distribution_id = ?1", dist), 2);
    /* An id that is no community (a picker's row position) is refused, not
     * "0 added" (Ctrl-E passed the position before). */
    added = -1;
    assert_int_equal(res_dist_add_filter(t->st, dist, "tekun", 3, &added, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "没有这个社区/村"));
    assert_int_equal(added, 0);
}

/* Only signed lines leave stock; absent puts them back; a list larger
 * than the stock is refused; an expired batch is never handed out. */
static void test_distribution_stock(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t d = new_donation(t->st, "2026-01-10");
    give_goods(t->st, d, rice, 3, "OLD", "2026-11-01");  /* expired by the 20th */
    give_goods(t->st, d, rice, 4, "LATE", "2027-12-31");
    give_goods(t->st, d, rice, 4, "SOON", "2027-01-31");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t h2 = new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    int64_t h3 = new_household(t->st, "QS-003", "王五", "110101198001011253", "dibao");
    int64_t dist = new_distribution(t->st, "2026 冬季慰问", rice, 5);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    /* 8 unexpired; two households at 5 need 10. */
    assert_int_equal(res_dist_add(t->st, dist, h2, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "库存不够"));
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines", 0), 1);
    int64_t l1 = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h1, &l1), WS_OK);
    assert_int_equal(stock(t->st, rice), 11);
    assert_int_equal(res_dist_mark(t->st, l1, "absent", NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, rice), 11);
    assert_int_equal(res_dist_mark(t->st, l1, "collected", "", &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "代领人"));
    assert_int_equal(res_dist_mark(t->st, l1, "collected", "张小三", &re), WS_OK);
    assert_int_equal(stock(t->st, rice), 6);
    /* Earliest unexpired expiry first: SOON emptied, then 1 from LATE. */
    assert_int_equal(raw_int(t, "SELECT qty FROM stock_levels WHERE batch = 'SOON' AND ?1 = ?1", 0), 0);
    assert_int_equal(raw_int(t, "SELECT qty FROM stock_levels WHERE batch = 'LATE' AND ?1 = ?1", 0), 3);
    assert_int_equal(raw_int(t, "SELECT qty FROM stock_levels WHERE batch = 'OLD' AND ?1 = ?1", 0), 3);
    /* Keyed back wrongly: absent again returns exactly what was taken. */
    assert_int_equal(res_dist_mark(t->st, l1, "absent", NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, rice), 11);
    assert_int_equal(raw_int(t, "SELECT qty FROM stock_levels WHERE batch = 'SOON' AND ?1 = ?1", 0), 4);
    assert_int_equal(res_dist_mark(t->st, l1, "signed", NULL, &re), WS_OK);
    /* Only 3 unexpired left: the next household cannot sign. */
    assert_int_equal(res_dist_remove(t->st, l1, &re), WS_ERR_INVALID);
    (void)h3;
    int64_t problems = -1;
    assert_int_equal(res_check(t->st, &problems, NULL, NULL), WS_OK);
    assert_int_equal(problems, 0);
    /* The sheet masks the head's name and ID number. */
    res_line lines[4];
    size_t n = 0;
    assert_int_equal(res_dist_lines(t->st, dist, "", 0, 1, lines, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0].head_masked, "张*");
    assert_string_equal(lines[0].id_masked, "110***********1232");
}

/* Two consoles on one 签领 sheet: B, whose sheet still shows 待签领,
 * keys 未领 on a line A has just marked 已签领. Before, B's mark was
 * saved and A's signature and its stock movement undone without a word. */
static void test_sheet_mark_stale(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t d = new_donation(t->st, "2026-01-10");
    give_goods(t->st, d, rice, 10, "B1", "2027-12-31");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t dist = new_distribution(t->st, "2026 冬季慰问", rice, 2);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    res_line a[2], b[2];
    size_t n = 0;
    assert_int_equal(res_dist_lines(t->st, dist, "", 0, 1, a, 2, &n), WS_OK); /* console A */
    assert_int_equal(res_dist_lines(t->st, dist, "", 0, 1, b, 2, &n), WS_OK); /* console B */
    assert_int_equal(n, 1);
    assert_int_equal(res_dist_mark_seen(t->st, a[0].id, a[0].revision, "signed", NULL, &re),
                     WS_OK);
    assert_int_equal(stock(t->st, rice), 8);
    assert_int_equal(res_dist_mark_seen(t->st, b[0].id, b[0].revision, "absent", NULL, &re),
                     WS_ERR_STALE);
    assert_true(re.detail[0] != '\0'); /* who and when */
    assert_int_equal(stock(t->st, rice), 8);
    res_line now[2];
    assert_int_equal(res_dist_lines(t->st, dist, "", 0, 1, now, 2, &n), WS_OK);
    assert_string_equal(now[0].status, "signed");
    /* Read again, B's mark is B's to make. */
    assert_int_equal(res_dist_mark_seen(t->st, now[0].id, now[0].revision, "absent", NULL, &re),
                     WS_OK);
    assert_int_equal(stock(t->st, rice), 10);
    int64_t problems = -1;
    assert_int_equal(res_check(t->st, &problems, NULL, NULL), WS_OK);
    assert_int_equal(problems, 0);
}

/* Raising what each household gets once the list exists is refused at
 * the save when the stock cannot give it to everyone not yet signed
 * (before, 6 棉被 each for 2 households with 10 in stock saved, and the
 * second signature failed when the quantity could no longer change). */
static void test_dist_quantity_covered(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床"), oil = new_item(t->st, "食用油", "桶");
    int64_t d = new_donation(t->st, "2026-11-01");
    give_goods(t->st, d, quilt, 10, "", "");
    give_goods(t->st, d, oil, 3, "", "");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t h2 = new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    int64_t dist = new_distribution(t->st, "冬季送温暖", quilt, 1);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    assert_int_equal(res_dist_add(t->st, dist, h2, &re), WS_OK);
    int64_t di_id = raw_int(t, "SELECT id FROM distribution_items WHERE distribution_id = ?1",
                            dist);
    distribution_item di;
    assert_int_equal(record_load(t->st, &kind_distribution_item, di_id, &di), WS_OK);
    di.quantity = 6;
    assert_int_equal(record_save(t->st, &kind_distribution_item, &di, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, DIF_QUANTITY);
    assert_non_null(strstr(re.detail, "现有 10"));
    assert_non_null(strstr(re.detail, "2 户每户 6"));
    assert_non_null(strstr(re.detail, "共需 12"));
    assert_int_equal(raw_int(t, "SELECT quantity FROM distribution_items WHERE id = ?1", di_id),
                     1);
    di.quantity = 5;
    assert_int_equal(record_save(t->st, &kind_distribution_item, &di, &re), WS_OK);
    /* A second item the stock cannot give both households: refused too. */
    distribution_item more;
    record_init(&kind_distribution_item, &more);
    more.distribution_id = dist;
    more.item_id = oil;
    more.quantity = 2;
    assert_int_equal(record_save(t->st, &kind_distribution_item, &more, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "食用油"));
    /* A signed household no longer needs stock kept for it. */
    int64_t l1 = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h1, &l1), WS_OK);
    assert_int_equal(res_dist_mark(t->st, l1, "signed", NULL, &re), WS_OK);
    int64_t l2 = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h2, &l2), WS_OK);
    assert_int_equal(res_dist_mark(t->st, l2, "signed", NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, quilt), 0);
}

/* A distribution may be dated ahead (its list and 签领表 prepared before
 * the day; refused before with 日期不能晚于今天); its list is covered by
 * what will still be good on that day; a signature is never dated ahead. */
static void test_dist_ahead(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t d = new_donation(t->st, "2026-11-01");
    give_goods(t->st, d, rice, 4, "SOON", "2026-12-01"); /* good today, not on the 10th */
    give_goods(t->st, d, rice, 3, "LATE", "2027-12-31");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t h2 = new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    distribution ds;
    record_init(&kind_distribution, &ds);
    snprintf(ds.name, sizeof ds.name, "2026 元旦慰问");
    snprintf(ds.dist_date, sizeof ds.dist_date, "2026-12-10");
    int64_t dist = save(t->st, &kind_distribution, &ds);
    distribution_item di;
    record_init(&kind_distribution_item, &di);
    di.distribution_id = dist;
    di.item_id = rice;
    di.quantity = 2;
    save(t->st, &kind_distribution_item, &di);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    /* 7 in stock today, 3 still good on the 10th: two households need 4. */
    assert_int_equal(res_dist_add(t->st, dist, h2, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "现有 3"));
    int64_t l1 = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h1, &l1), WS_OK);
    assert_int_equal(res_dist_mark(t->st, l1, "signed", NULL, &re), WS_OK);
    assert_raw_text(t, "SELECT signed_date FROM distribution_lines WHERE id = ?1", l1,
                    "2026-11-23");
    assert_int_equal(raw_int(t, "SELECT count(*) FROM stock_moves WHERE source ="
                                " 'distribution_lines' AND move_date > '2026-11-23' AND ?1 = ?1",
                             0), 0);
    assert_int_equal(stock(t->st, rice), 5);
}

static int64_t donation_by(station *st, const char *donor_name, const char *date)
{
    donor dn;
    record_init(&kind_donor, &dn);
    snprintf(dn.name, sizeof dn.name, "%s", donor_name);
    snprintf(dn.donor_type, sizeof dn.donor_type, "person");
    donation d;
    record_init(&kind_donation, &d);
    snprintf(d.donation_date, sizeof d.donation_date, "%s", date);
    d.donor_id = save(st, &kind_donor, &dn);
    snprintf(d.purpose, sizeof d.purpose, "general");
    return save(st, &kind_donation, &d);
}

static size_t donations_found(station *st, const char *filter, record_row *rows, size_t max)
{
    size_t n = 0;
    assert_int_equal(record_list(st, &kind_donation, filter, false, 0, 1, rows, max, &n), WS_OK);
    return n;
}

/* 捐赠登记 is found by its donor (县慈善, xcs, wjj: 没有记录 before) and
 * lists the latest given first (the oldest were on top). */
static void test_donations_by_donor(void **state)
{
    testutil_station *t = *state;
    int64_t older = donation_by(t->st, "县慈善总会", "2026-03-01");
    int64_t newer = donation_by(t->st, "王建军", "2026-05-01");
    record_row rows[4];
    assert_int_equal(donations_found(t->st, "县慈善", rows, 4), 1);
    assert_int_equal(rows[0].id, older);
    assert_int_equal(donations_found(t->st, "xcs", rows, 4), 1);
    assert_int_equal(rows[0].id, older);
    assert_int_equal(donations_found(t->st, "wjj", rows, 4), 1);
    assert_int_equal(rows[0].id, newer);
    assert_int_equal(donations_found(t->st, "", rows, 4), 2);
    assert_int_equal(rows[0].id, newer);
    assert_int_equal(rows[1].id, older);
    /* By the date given, not the 登记号: one registered later for an
     * earlier gift goes below. */
    int64_t late_entry = donation_by(t->st, "李四", "2026-04-01");
    assert_int_equal(donations_found(t->st, "", rows, 4), 3);
    assert_int_equal(rows[0].id, newer);
    assert_int_equal(rows[1].id, late_entry);
    assert_int_equal(rows[2].id, older);
    record_row back[4];
    size_t nb = 0;
    assert_int_equal(record_list(t->st, &kind_donation, NULL, false, 0, -1, back, 4, &nb),
                     WS_OK);
    assert_int_equal(nb, 3);
    assert_int_equal(back[0].id, older); /* paged from the end: nearest first */
    /* A renamed donor's donation is found by the new name only. */
    donor dn;
    assert_int_equal(record_load(t->st, &kind_donor,
                                 raw_int(t, "SELECT donor_id FROM donations WHERE id = ?1", newer),
                                 &dn), WS_OK);
    snprintf(dn.name, sizeof dn.name, "李秀英");
    save(t->st, &kind_donor, &dn);
    assert_int_equal(donations_found(t->st, "wjj", rows, 4), 0);
    assert_int_equal(donations_found(t->st, "lxy", rows, 4), 1);
    assert_int_equal(rows[0].id, newer);
}

/* Words: a payment's fund is where money goes out (支出资金, not 进入资金);
 * a reversal of goods negates a quantity, of money an amount. */
static void test_wording(void **state)
{
    (void)state;
    assert_string_equal(tr(kind_payment.fields[PYF_FUND].label), "支出资金");
    assert_string_equal(tr(kind_donation_money.fields[DMF_FUND].label), "进入资金");
    assert_true(res_posted_money(&kind_donation_money));
    assert_true(res_posted_money(&kind_payment));
    assert_false(res_posted_money(&kind_donation_goods));
    assert_false(res_posted_money(&kind_purchase));
    assert_false(res_posted_money(&kind_stock_issue));
    assert_non_null(strstr(tr("res.confirm_reverse_qty"), "数量相反"));
}

/* What expires within 30 days marks the batches already past (the list
 * showed them without 已过期: the mark was cut off with the date). */
static void test_expiring_marks_expired(void **state)
{
    testutil_station *t = *state;
    int64_t milk = new_item(t->st, "牛奶", "箱");
    int64_t don = new_donation(t->st, "2026-06-01");
    give_goods(t->st, don, milk, 5, "PAST", "2026-11-22");
    give_goods(t->st, don, milk, 5, "TODAY", "2026-11-23");
    give_goods(t->st, don, milk, 5, "SOON", "2026-12-10");
    give_goods(t->st, don, milk, 5, "LATER", "2027-06-01");
    res_batch b[8];
    size_t n = 0;
    assert_int_equal(res_expiring(t->st, "2026-12-23", b, 8, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(b[0].batch, "PAST");
    assert_true(b[0].expired);
    assert_string_equal(b[1].batch, "TODAY");
    assert_false(b[1].expired);
    assert_string_equal(b[2].batch, "SOON");
    assert_false(b[2].expired);
}

/* What expires within 30 days has a search box: the items it finds by
 * name or initials, nothing of the others. */
static void test_expiring_found(void **state)
{
    testutil_station *t = *state;
    int64_t milk = new_item(t->st, "牛奶", "箱");
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t don = new_donation(t->st, "2026-06-01");
    give_goods(t->st, don, milk, 5, "M1", "2026-11-30");
    give_goods(t->st, don, rice, 5, "R1", "2026-12-01");
    give_goods(t->st, don, milk, 5, "M2", "2026-12-10");
    res_batch b[8];
    size_t n = 0;
    assert_int_equal(res_expiring_find(t->st, "2026-12-23", "nn", b, 8, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(b[0].batch, "M1");
    assert_string_equal(b[1].batch, "M2");
    assert_int_equal(res_expiring_find(t->st, "2026-12-23", "大米", b, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(b[0].batch, "R1");
    assert_int_equal(res_expiring_find(t->st, "2026-12-23", "xyz", b, 8, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(res_expiring_find(t->st, "2026-12-23", "", b, 8, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(res_expiring_find(t->st, "2026-12-05", "niunai", b, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(b[0].batch, "M1");
}

/* Two consoles hand out the last unit at the same moment: one gets it. */
typedef struct racer {
    station *st;
    int64_t line;
    pthread_barrier_t *go;
    ws_status s;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    record_error re;
    pthread_barrier_wait(r->go);
    r->s = res_dist_mark(r->st, r->line, "signed", NULL, &re);
    return NULL;
}

static void test_two_consoles_last_unit(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床");
    give_goods(t->st, new_donation(t->st, "2026-01-10"), quilt, 2, "", "");
    int64_t h1 = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t h2 = new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    int64_t dist = new_distribution(t->st, "2026 冬季慰问", quilt, 1);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h1, &re), WS_OK);
    assert_int_equal(res_dist_add(t->st, dist, h2, &re), WS_OK);
    /* One quilt is written off (damaged): one left for two households. */
    assert_int_equal(res_writeoff(t->st, quilt, "", 1, "受潮发霉", &re), WS_OK);
    assert_int_equal(stock(t->st, quilt), 1);
    racer r[2];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    char err[256];
    for (int i = 0; i < 2; i++) {
        r[i].go = &go;
        assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &r[i].st, err, sizeof err),
                         WS_OK);
        station_set_actor(r[i].st, i ? "李明" : "王芳");
        assert_int_equal(res_dist_line_of(r[i].st, dist, i ? h2 : h1, &r[i].line), WS_OK);
    }
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, race, &r[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&go);
    for (int i = 0; i < 2; i++)
        station_close(&r[i].st);
    assert_int_equal((r[0].s == WS_OK) + (r[1].s == WS_OK), 1);
    assert_int_equal((r[0].s == WS_ERR_INVALID) + (r[1].s == WS_ERR_INVALID), 1);
    assert_int_equal(stock(t->st, quilt), 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE status = 'signed'"
                                " AND distribution_id = ?1", dist), 1);
}

/* The bad input the issue lists: a clear message, nothing written. */
static void test_bad_amounts(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t fund_id = new_fund(t->st, "社区基金");
    int64_t d = new_donation(t->st, "2026-01-10");
    record_error re;
    donation_money m;
    money_init(&m, d, fund_id, -100);
    assert_int_equal(record_save(t->st, &kind_donation_money, &m, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, DMF_AMOUNT);
    assert_non_null(strstr(re.detail, "负数"));
    money_init(&m, d, fund_id, RES_AMOUNT_MAX);
    assert_int_equal(record_save(t->st, &kind_donation_money, &m, &re), WS_ERR_INVALID);
    assert_non_null(strstr(re.detail, "金额太大"));
    money_init(&m, d, fund_id, RES_AMOUNT_MAX - 1);
    assert_int_equal(record_save(t->st, &kind_donation_money, &m, &re), WS_OK);
    /* Typed: 10^15 fen is 10^13 yuan, which the form does not take. */
    assert_int_not_equal(record_parse(t->st, &kind_donation_money, DMF_AMOUNT,
                                      "10000000000000", &m), VAL_OK);
    donation_goods g;
    goods_init(&g, d, rice, 0, "", "");
    assert_int_equal(record_save(t->st, &kind_donation_goods, &g, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, DGF_QUANTITY);
    goods_init(&g, d, rice, -3, "", "");
    assert_int_equal(record_save(t->st, &kind_donation_goods, &g, &re), WS_ERR_INVALID);
    goods_init(&g, d, rice, 1000000000, "", "");
    g.unit_value = 100000000000;
    assert_int_equal(record_save(t->st, &kind_donation_goods, &g, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, DGF_UNIT_VALUE);
    /* An expiry may be after today (a purchase date may not). */
    goods_init(&g, d, rice, 5, "", "");
    assert_int_equal(record_parse(t->st, &kind_donation_goods, DGF_EXPIRY, "2030-01-01", &g),
                     VAL_OK);
    assert_int_equal(record_save(t->st, &kind_donation_goods, &g, &re), WS_OK);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donation_goods", 0), 1);
    assert_int_equal(stock(t->st, rice), 5);
    /* A donation with posted lines is not deleted. */
    assert_int_equal(record_delete(t->st, &kind_donation, d, &re), WS_ERR_INVALID);
    /* Numbers are given by year. */
    char number[64];
    raw_text(t, "SELECT number FROM donations WHERE id = ?1", d, number, sizeof number);
    assert_string_equal(number, "JZ2026-0001");
}


/* trial-c §6, §7, §10: a 发放花名册's error file wrote the ID number bare
 * (Excel: 5.10902E+17, destroyed on save); from a folder that takes no
 * file the import failed after its rows went in, with no error file; an
 * ID number Excel made a number of was "没有身份证号为 5.10902E+17 的居民". */
static void test_import_distributions_errors(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床");
    give_goods(t->st, new_donation(t->st, "2026-01-10"), quilt, 5, "", "");
    new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    new_distribution(t->st, "2026 冬季慰问", quilt, 1);
    char *home = testutil_path(t->dir, "home");
    assert_int_equal(mkdir(home, 0700), 0);
    char *blocked = testutil_path(t->dir, "花名册_错误行.csv");
    assert_int_equal(mkdir(blocked, 0700), 0);
    char *csv = testutil_path(t->dir, "花名册.csv");
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("发放名称,姓名,身份证号,签领\n2026 冬季慰问,张三,,是\n"
          "不存在的发放,张三,110101198001011237,是\n2026 冬季慰问,张三,1.10101E+17,是\n", f);
    fclose(f);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    res_import_report rep;
    char err[512];
    ws_status s = res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err);
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
    assert_int_equal(s, WS_OK);
    assert_int_equal(rep.written, 1);
    assert_int_equal(rep.invalid, 2);
    assert_string_not_equal(rep.error_trouble, "");
    char want[4096];
    snprintf(want, sizeof want, "%s/花名册_错误行.csv", home);
    assert_string_equal(rep.error_path, want);
    FILE *e = fopen(rep.error_path, "r");
    assert_non_null(e);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, e);
    buf[n] = '\0';
    fclose(e);
    if (!strstr(buf, ",\t110101198001011237,") || !strstr(buf, "科学计数法"))
        fail_msg("%s", buf);
    remove(rep.error_path);
    rmdir(blocked);
    rmdir(home);
    free(blocked);
    free(home);
    free(csv);
}

/* A 发放花名册 imported: signed rows leave stock; the row the stock cannot
 * cover, a name not registered and a household twice go to the error file
 * with their reasons; the rest are written. */
static void test_import_distributions(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床");
    give_goods(t->st, new_donation(t->st, "2026-01-10"), quilt, 2, "", "");
    new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    new_household(t->st, "QS-003", "王五", "110101198001011253", "dibao");
    new_distribution(t->st, "2026 冬季慰问", quilt, 1);
    char *csv = testutil_path(t->dir, "花名册.csv");
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("发放名称,姓名,签领\n2026 冬季慰问,张三,是\n2026 冬季慰问,李四,代领：李小四\n"
          "2026 冬季慰问,王五,是\n2026 冬季慰问,赵六,是\n2026 冬季慰问,张三,是\n", f);
    fclose(f);
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(rep.written, 2); /* 张三 twice: the second says what the first wrote */
    assert_int_equal(rep.unchanged, 1);
    assert_int_equal(rep.invalid, 2);
    assert_int_equal(stock(t->st, quilt), 0);
    char *text = NULL;
    FILE *e = fopen(rep.error_path, "r");
    assert_non_null(e);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, e);
    buf[n] = '\0';
    fclose(e);
    assert_non_null(strstr(buf, "王五"));
    assert_non_null(strstr(buf, "库存不够"));
    assert_non_null(strstr(buf, "没有叫“赵六”的居民"));
    free(text);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE status = 'signed'"
                                " OR status = 'collected' AND ?1 = ?1", 0), 2);
    /* The sheet keyed back later: a household not on it is refused, the
     * list stays as it was; 李四 keyed absent returns the quilt. */
    new_household(t->st, "QS-004", "赵六", "110101198001011296", "");
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("发放名称,姓名,签领\n2026 冬季慰问,赵六,是\n2026 冬季慰问,李四,否\n", f);
    fclose(f);
    remove(rep.error_path);
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 1);
    assert_int_equal(rep.invalid, 1);
    e = fopen(rep.error_path, "r");
    assert_non_null(e);
    n = fread(buf, 1, sizeof buf - 1, e);
    buf[n] = '\0';
    fclose(e);
    assert_non_null(strstr(buf, "不在“2026 冬季慰问”的名单上"));
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE ?1 = ?1", 0), 2);
    assert_int_equal(stock(t->st, quilt), 1);
    /* A masked export keyed back: the number is said to be masked. */
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("发放名称,身份证号,签领\n2026 冬季慰问,110***********1237,是\n", f);
    fclose(f);
    remove(rep.error_path);
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 1);
    e = fopen(rep.error_path, "r");
    assert_non_null(e);
    n = fread(buf, 1, sizeof buf - 1, e);
    buf[n] = '\0';
    fclose(e);
    if (!strstr(buf, "已遮盖"))
        fail_msg("%s", buf);
    /* The sheet's own words keyed back: 待签领 is nobody's name (the line is
     * listed again), 代领 takes its name from the 代领人 column. */
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("发放名称,姓名,签领,代领人\n2026 冬季慰问,李四,代领,李小四\n"
          "2026 冬季慰问,张三,待签领,\n", f);
    fclose(f);
    remove(rep.error_path);
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE status = 'collected'"
                                " AND collected_by = '李小四' AND ?1 = ?1", 0), 1);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE status = 'listed'"
                                " AND collected_by = '' AND ?1 = ?1", 0), 1);
    assert_int_equal(stock(t->st, quilt), 1);
    free(csv);
}


/* A donations ledger imported twice posts nothing the second time; a line
 * listed twice is two lines; a donations export imports back unchanged. */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A distributions export imported back rewrote every line (updated_at
 * changed, 写入 N 行); now a line that says what is registered is counted
 * unchanged and not written. */
static void test_import_distributions_back(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床");
    give_goods(t->st, new_donation(t->st, "2026-01-10"), quilt, 5, "", "");
    new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    new_household(t->st, "QS-003", "王五", "110101198001011253", "dibao");
    new_distribution(t->st, "2026 冬季慰问", quilt, 1);
    char *csv = testutil_path(t->dir, "花名册.csv");
    write_file(csv, "发放名称,姓名,签领\n2026 冬季慰问,张三,是\n2026 冬季慰问,李四,代领：李小四\n"
                    "2026 冬季慰问,王五,否\n");
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 3);
    sqlite3 *rw = NULL; /* t->raw is read-only */
    assert_int_equal(sqlite3_open(t->path, &rw), SQLITE_OK);
    sqlite3_busy_timeout(rw, 5000);
    assert_int_equal(sqlite3_exec(rw, "UPDATE distribution_lines SET updated_at = 'then'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(rw);
    export_opts o = {.format = EXPORT_CSV, .unmasked = true};
    char *out = NULL;
    size_t len = 0, rows = 0;
    assert_int_equal(res_export_csv(t->st, RES_SHEET_DISTRIBUTIONS, &o, &out, &len, &rows, err,
                                    sizeof err), WS_OK);
    assert_int_equal(rows, 3);
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fwrite(out, 1, len, f);
    fclose(f);
    free(out);
    int64_t audits = raw_int(t, "SELECT count(*) FROM audit_log WHERE ?1 = ?1", 0);
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 0);
    assert_int_equal(rep.written, 0);
    assert_int_equal(rep.unchanged, 3);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM distribution_lines WHERE updated_at = 'then'"
                                " AND ?1 = ?1", 0), 3);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM audit_log WHERE ?1 = ?1", 0), audits);
    assert_int_equal(stock(t->st, quilt), 3);
    /* A dry run keeps each bad row's reason (it writes no error file). */
    write_file(csv, "发放名称,姓名,签领\n2026 冬季慰问,赵六,是\n2026 冬季慰问,张三,是\n"
                    "2026 冬季慰问,王五,否\n");
    import_opts dry = {.dry_run = true};
    assert_int_equal(res_import_distributions(t->st, csv, &dry, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 1);
    assert_int_equal(rep.nbad, 1);
    assert_int_equal(rep.bad[0].line, 2);
    assert_non_null(strstr(rep.bad[0].why, "没有叫“赵六”的居民"));
    assert_string_equal(rep.error_path, "");
    free(csv);
}

/* Trial B #7: the 签领日期 of a keyed-back sheet is the day the person
 * signed (it was dropped silently, the distribution's day stored); 备注,
 * which a line has not, is named as not imported; a name differing only in
 * spaces finds the distribution. */
static void test_import_distributions_signed_on(void **state)
{
    testutil_station *t = *state;
    int64_t quilt = new_item(t->st, "棉被", "床");
    give_goods(t->st, new_donation(t->st, "2026-01-10"), quilt, 5, "", "");
    new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    new_household(t->st, "QS-002", "李四", "110101198001011210", "dibao");
    new_household(t->st, "QS-003", "王五", "110101198001011253", "dibao");
    new_distribution(t->st, "2026 冬季慰问", quilt, 1);
    char *csv = testutil_path(t->dir, "签领表.csv");
    write_file(csv, "发放名称,姓名,签领,签领日期,备注\n"
                    "2026冬季慰问,张三,是,2026/11/21,本人\n"
                    "2026 冬季慰问,李四,代领：李小四,2026.11.22,\n"
                    "2026  冬季慰问,王五,否,2026-11-22,\n");
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 2);
    assert_int_equal(rep.invalid, 1);
    if (!strstr(rep.bad[0].why, "不应有签领日期"))
        fail_msg("%s", rep.bad[0].why);
    assert_int_equal(rep.nskipped_cols, 1);
    assert_string_equal(rep.skipped_cols[0], "备注");
    assert_raw_text(t, "SELECT signed_date FROM distribution_lines l JOIN households h"
                       " ON h.id = l.household_id WHERE h.number = 'QS-001' AND ?1 = ?1", 0,
                    "2026-11-21");
    assert_raw_text(t, "SELECT signed_date FROM distribution_lines l JOIN households h"
                       " ON h.id = l.household_id WHERE h.number = 'QS-002' AND ?1 = ?1", 0,
                    "2026-11-22");
    assert_int_equal(stock(t->st, quilt), 3);
    /* Keyed back again: nothing to write; a day corrected is written; a
     * day still to come is refused. */
    remove(rep.error_path);
    write_file(csv, "发放名称,姓名,签领,签领日期\n2026 冬季慰问,张三,是,2026-11-21\n"
                    "2026 冬季慰问,李四,代领：李小四,2026-11-20\n"
                    "2026 冬季慰问,王五,是,2026-12-30\n");
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.unchanged, 1);
    assert_int_equal(rep.written, 1);
    assert_int_equal(rep.invalid, 1);
    assert_non_null(strstr(rep.bad[0].why, "签领日期"));
    assert_raw_text(t, "SELECT signed_date FROM distribution_lines l JOIN households h"
                       " ON h.id = l.household_id WHERE h.number = 'QS-002' AND ?1 = ?1", 0,
                    "2026-11-20");
    assert_int_equal(stock(t->st, quilt), 3);

/* Two distributions alike but for spaces: the name must be whole. */
    new_distribution(t->st, "2026冬季 慰问", quilt, 1);
    write_file(csv, "发放名称,姓名,签领\n2026冬季慰问,王五,是\n");
    remove(rep.error_path);
    assert_int_equal(res_import_distributions(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 1);
    if (!strstr(rep.bad[0].why, "完整的发放名称"))
        fail_msg("%s", rep.bad[0].why);
    free(csv);
}

/* trial-c §13: an amount of more decimals than fen (666.6667 from
 * =ROUND(2000/3,4), shown 666.67 by its format) was "应为数字"; the clerk is
 * told how many decimals and what to do. 12.500 is 12.50. */
static void test_import_money_decimals(void **state)
{
    testutil_station *t = *state;
    int64_t fund = new_fund(t->st, "社区慈善基金");
    char *csv = testutil_path(t->dir, "捐赠.csv");
    write_file(csv, "捐赠日期,捐赠人,金额,进入资金\n"
                    "2026-11-20,周先生,666.6667,社区慈善基金\n"
                    "2026-11-21,周先生,12345.675,社区慈善基金\n"
                    "2026-11-22,周先生,12.500,社区慈善基金\n");
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 1);
    assert_int_equal(rep.invalid, 2);
    assert_int_equal(balance(t->st, fund), 1250);
    if (!strstr(rep.bad[0].why, "4 位小数（666.6667）") ||
        !strstr(rep.bad[1].why, "3 位小数（12345.675）") || strstr(rep.bad[0].why, "应为数字"))
        fail_msg("%s | %s", rep.bad[0].why, rep.bad[1].why);
    if (rep.error_path[0])
        remove(rep.error_path);
    free(csv);
}

static void test_import_donations_twice(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t fund = new_fund(t->st, "社区慈善基金");
    char *csv = testutil_path(t->dir, "捐赠.csv");
    const char *ledger = "捐赠日期,捐赠人,物资,数量,单价,金额,进入资金\n"
                         "2026-11-20,测试爱心企业,大米,10,50,,\n"
                         "2026-11-20,测试爱心企业,大米,10,50,,\n"
                         "2026-11-20,测试爱心企业,,,,300,社区慈善基金\n";
    write_file(csv, ledger);
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 3);
    assert_int_equal(rep.donations, 1);
    assert_int_equal(stock(t->st, rice), 20);
    assert_int_equal(balance(t->st, fund), 30000);
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 0);
    assert_int_equal(rep.posted, 3);
    assert_int_equal(rep.donations, 0);
    assert_int_equal(stock(t->st, rice), 20);
    assert_int_equal(balance(t->st, fund), 30000);
    /* The same rows and one more of the same: only the new one is posted. */
    char more[1024];
    snprintf(more, sizeof more, "%s2026-11-20,测试爱心企业,大米,10,50,,\n", ledger);
    write_file(csv, more);
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 1);
    assert_int_equal(rep.posted, 3);
    assert_int_equal(stock(t->st, rice), 30);
    /* The export, by 登记号, imports back as all posted. */
    export_opts o = {.format = EXPORT_CSV};
    char *out = NULL;
    size_t len = 0, rows = 0;
    assert_int_equal(res_export_csv(t->st, RES_SHEET_DONATIONS, &o, &out, &len, &rows, err,
                                    sizeof err), WS_OK);
    assert_int_equal(rows, 4);
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fwrite(out, 1, len, f);
    fclose(f);
    free(out);
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 0);
    assert_int_equal(rep.invalid, 0);
    assert_int_equal(rep.posted, 4);
    assert_int_equal(stock(t->st, rice), 30);
    assert_int_equal(balance(t->st, fund), 30000);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donation_goods WHERE ?1 = ?1", 0), 3);
    /* As a workbook: quantities and amounts are numbers, and it imports
     * back as all posted too. */
    char *book = testutil_path(t->dir, "捐赠.xlsx");
    o.format = EXPORT_XLSX;
    assert_int_equal(res_export(t->st, RES_SHEET_DONATIONS, book, &o, &rows, err, sizeof err),
                     WS_OK);
    int zerr = 0;
    zip_t *z = zip_open(book, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    zip_file_t *zf = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
    assert_non_null(zf);
    static char xml[65536];
    zip_int64_t got = zip_fread(zf, xml, sizeof xml - 1);
    assert_true(got > 0);
    xml[got] = '\0';
    zip_fclose(zf);
    zip_close(z);
    if (!strstr(xml, "<v>10</v>") || !strstr(xml, "<v>500</v>") || strstr(xml, "<t>10</t>"))
        fail_msg("numbers written as text: %.2000s", xml);
    assert_int_equal(res_import_donations(t->st, book, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.written, 0);
    assert_int_equal(rep.posted, 4);
    assert_int_equal(stock(t->st, rice), 30);
    free(book);
    free(csv);
}


/* Trial B #5: a ledger that writes its lines otherwise than they are
 * stored (有效期至 2027/11/30 against 2027-11-30, 单价 60.00 against 60,
 * a count 10.00, amounts as Excel writes them: 1,000.00, ￥200, 200元)
 * is already posted the second time; a comma off the thousands, a word in
 * an amount and a unit that is not the item's are refused saying what to
 * fix; columns not imported are named. */
static void test_import_donations_written_otherwise(void **state)
{
    testutil_station *t = *state;
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t fund = new_fund(t->st, "社区慈善基金");
    char *csv = testutil_path(t->dir, "捐赠.csv");
    write_file(csv, "捐赠日期,捐赠人,用途,物资,数量,单位,单价,金额,进入资金,批次,有效期至,经手人\n"
                    "2026/11/20,王甲,,大米,10,袋,60,,,2026-11,2027-11-30,李芳\n"
                    "2026-11-21,王乙,进入资金,大米,\"1,000\",袋,60.00,,,2026-11 ,2027/11/30,李芳\n"
                    "2026-11-22,王丙,,,,,,\"1,000.00\",社区慈善基金,,,李芳\n"
                    "2026-11-22,王丙,,,,,,￥200,社区慈善基金,,,李芳\n"
                    "2026-11-22,王丙,,,,,,200元,社区慈善基金,,,李芳\n");
    res_import_report rep;
    char err[512];
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    if (rep.invalid)
        fail_msg("%s", rep.bad[0].why);
    assert_int_equal(rep.written, 5);
    assert_int_equal(rep.nskipped_cols, 1);
    assert_string_equal(rep.skipped_cols[0], "经手人");
    assert_int_equal(stock(t->st, rice), 1010);
    assert_int_equal(balance(t->st, fund), 140000);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM donations WHERE purpose = 'fund'"
                                " AND ?1 = ?1", 0), 1);
    /* The same lines written the other way round. */
    write_file(csv, "捐赠日期,捐赠人,物资,数量,单价,金额,进入资金,批次,有效期至\n"
                    "2026-11-20,王甲,大米,10.00,60.00,,,2026-11,2027.11.30\n"
                    "2026/11/21,王乙,大米,1000,60,,,2026-11,20271130\n"
                    "2026-11-22,王丙,,,,1000,社区慈善基金,,\n"
                    "2026-11-22,王丙,,,,200.00,社区慈善基金,,\n"
                    "2026-11-22,王丙,,,,¥ 200.0,社区慈善基金,,\n");
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 0);
    assert_int_equal(rep.written, 0);
    assert_int_equal(rep.posted, 5);
    assert_int_equal(stock(t->st, rice), 1010);
    assert_int_equal(balance(t->st, fund), 140000);
    /* What cannot be read plainly is refused, saying what to remove. */
    write_file(csv, "捐赠日期,捐赠人,物资,数量,单位,单价,金额,进入资金\n"
                    "2026-11-23,王丁,,,,,\"1,00\",社区慈善基金\n"
                    "2026-11-23,王丁,,,,,约200块,社区慈善基金\n"
                    "2026-11-23,王丁,大米,10,斤,3,,\n");
    assert_int_equal(res_import_donations(t->st, csv, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 3);
    assert_int_equal(rep.written, 0);
    if (!strstr(rep.bad[0].why, "逗号"))
        fail_msg("%s", rep.bad[0].why);
    if (!strstr(rep.bad[1].why, "去掉其中的“约”“块”"))
        fail_msg("%s", rep.bad[1].why);
    if (!strstr(rep.bad[2].why, "以“袋”计"))
        fail_msg("%s", rep.bad[2].why);
    assert_int_equal(stock(t->st, rice), 1010);
    free(csv);
}

typedef struct notice_seen {
    char text[4096];
    int64_t spent;
    int64_t money;
} notice_seen;

static bool notice_collect(void *ctx, const res_notice_line *l)
{
    notice_seen *n = ctx;
    size_t used = strlen(n->text);
    snprintf(n->text + used, sizeof n->text - used, "%s|%s|%s;", l->month, l->who, l->what);
    n->money += l->money;
    n->spent += l->spent;
    return true;
}

typedef struct statement_seen {
    char text[4096];
} statement_seen;

static bool statement_collect(void *ctx, const res_statement_line *l)
{
    statement_seen *n = ctx;
    size_t used = strlen(n->text);
    snprintf(n->text + used, sizeof n->text - used, "%s|%lld|%s;", l->what, (long long)l->amount,
             l->where);
    return true;
}

/* 公示: a donor named only with consent (else 爱心人士), a corrected line
 * only as corrected, recipients masked; the period bounds it. */
static void test_notice(void **state)
{
    testutil_station *t = *state;
    int64_t fund_id = new_fund(t->st, "社区基金");
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t d = new_donation(t->st, "2026-03-01"); /* 青石粮油公司, no consent */
    int64_t wrong = give_money(t->st, d, fund_id, 500000);
    donation_money fixed;
    money_init(&fixed, d, fund_id, 50000);
    record_error re;
    assert_int_equal(res_correct(t->st, &kind_donation_money, wrong, &fixed, &re), WS_OK);
    give_goods(t->st, d, rice, 10, "", "");
    donor named;
    record_init(&kind_donor, &named);
    snprintf(named.name, sizeof named.name, "李秀英");
    snprintf(named.donor_type, sizeof named.donor_type, "person");
    snprintf(named.public_name, sizeof named.public_name, "yes");
    save(t->st, &kind_donor, &named);
    donation d2;
    record_init(&kind_donation, &d2);
    snprintf(d2.donation_date, sizeof d2.donation_date, "2026-04-02");
    d2.donor_id = named.id;
    snprintf(d2.purpose, sizeof d2.purpose, "general");
    save(t->st, &kind_donation, &d2);
    give_money(t->st, d2.id, fund_id, 2000);
    int64_t h = new_household(t->st, "QS-001", "张三丰", "110101198001011237", "dibao");
    int64_t dist = new_distribution(t->st, "2026 冬季慰问", rice, 1);
    assert_int_equal(res_dist_add(t->st, dist, h, &re), WS_OK);
    int64_t l = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h, &l), WS_OK);
    assert_int_equal(res_dist_mark(t->st, l, "signed", NULL, &re), WS_OK);
    notice_seen n = {0};
    assert_int_equal(res_notice(t->st, "2026-01-01", "2026-12-31", notice_collect, &n), WS_OK);
    assert_int_equal(n.money, 52000);
    assert_null(strstr(n.text, "青石粮油"));
    assert_non_null(strstr(n.text, "2026-03|爱心人士|捐款;"));
    assert_non_null(strstr(n.text, "2026-04|李秀英|捐款;"));
    assert_non_null(strstr(n.text, "2026-11|张**|2026 冬季慰问：大米 1袋;"));
    assert_null(strstr(n.text, "张三丰"));
    /* The donor's statement: the corrected line only, and where it went. */
    int64_t donor_id = 0;
    assert_int_equal(res_donor_find(t->st, "青石粮油公司", &donor_id), WS_OK);
    assert_true(donor_id > 0);
    statement_seen st_seen = {0};
    assert_int_equal(res_statement(t->st, donor_id, statement_collect, &st_seen), WS_OK);
    assert_non_null(strstr(st_seen.text, "捐款|50000|进入“社区基金”"));
    assert_non_null(strstr(st_seen.text, "大米 10 袋|"));
    assert_non_null(strstr(st_seen.text, "2026 冬季慰问 1；库存 9"));
    assert_null(strstr(st_seen.text, "500000"));
    notice_seen april = {0};
    assert_int_equal(res_notice(t->st, "2026-04-01", "2026-04-30", notice_collect, &april), WS_OK);
    assert_int_equal(april.money, 2000);
}


/* A household's share taken across more batches than one round reads
 * (40 batches of one), and all of it put back. */
static void test_many_batches(void **state)
{
    testutil_station *t = *state;
    int64_t pen = new_item(t->st, "铅笔", "支");
    int64_t d = new_donation(t->st, "2026-01-10");
    for (int i = 0; i < 40; i++) {
        char batch[16];
        snprintf(batch, sizeof batch, "P%02d", i);
        give_goods(t->st, d, pen, 1, batch, "");
    }
    int64_t h = new_household(t->st, "QS-001", "张三", "110101198001011237", "dibao");
    int64_t dist = new_distribution(t->st, "2026 开学助学", pen, 35);
    record_error re;
    assert_int_equal(res_dist_add(t->st, dist, h, &re), WS_OK);
    int64_t l = 0;
    assert_int_equal(res_dist_line_of(t->st, dist, h, &l), WS_OK);
    assert_int_equal(res_dist_mark(t->st, l, "signed", NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, pen), 5);
    assert_int_equal(res_dist_mark(t->st, l, "absent", NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, pen), 40);
    int64_t problems = -1;
    assert_int_equal(res_check(t->st, &problems, NULL, NULL), WS_OK);
    assert_int_equal(problems, 0);
}

/* The list of wishes by status: the search box finds them by it. */
static void test_wishes_by_status(void **state)
{
    testutil_station *t = *state;
    new_household(t->st, "QS-001", "张小花", "110101201501011237", "left_behind_child");
    int64_t kid = raw_int(t, "SELECT id FROM residents WHERE name = '张小花' AND ?1 = ?1", 0);
    donor dn;
    record_init(&kind_donor, &dn);
    snprintf(dn.name, sizeof dn.name, "李秀英");
    snprintf(dn.donor_type, sizeof dn.donor_type, "person");
    save(t->st, &kind_donor, &dn);
    const char *status[] = {"open", "claimed", "fulfilled"};
    for (int i = 0; i < 3; i++) {
        wish w;
        record_init(&kind_wish, &w);
        w.resident_id = kid;
        snprintf(w.wish, sizeof w.wish, "心愿%d", i);
        snprintf(w.status, sizeof w.status, "%s", status[i]);
        w.donor_id = i ? dn.id : 0;
        if (i == 2)
            snprintf(w.fulfilled_date, sizeof w.fulfilled_date, "2026-06-01");
        save(t->st, &kind_wish, &w);
    }
    /* Claimed without a donor, fulfilled without a date: refused. */
    wish bad;
    record_init(&kind_wish, &bad);
    bad.resident_id = kid;
    snprintf(bad.wish, sizeof bad.wish, "一双鞋");
    snprintf(bad.status, sizeof bad.status, "claimed");
    record_error re;
    assert_int_equal(record_save(t->st, &kind_wish, &bad, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, WSF_DONOR);
    int64_t n = 0;
    assert_int_equal(record_count(t->st, &kind_wish, "已实现", &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(record_count(t->st, &kind_wish, "待认领", &n), WS_OK);
    assert_int_equal(n, 1);
}

static void purchase_init(purchase *p, int64_t item_id, int64_t qty, const char *batch,
                          const char *expiry)
{
    record_new(NULL, &kind_purchase, p);
    snprintf(p->purchase_date, sizeof p->purchase_date, "2026-11-02");
    p->item_id = item_id;
    p->quantity = qty;
    p->unit_price = 250;
    snprintf(p->batch, sizeof p->batch, "%s", batch);
    snprintf(p->expiry, sizeof p->expiry, "%s", expiry);
    snprintf(p->supplier, sizeof p->supplier, "青石镇供销社");
}

/* 采购入库: into stock with its value, out of the fund that paid; goods
 * already expired when bought, a restricted fund for another purpose and a
 * 社工 paying from a fund are refused with nothing written; a reversal
 * takes the goods out and puts the money back. */
static void test_purchases(void **state)
{
    testutil_station *t = *state;
    int64_t soap = new_item(t->st, "肥皂", "块");
    int64_t fid = new_fund(t->st, "社区基金");
    give_money(t->st, new_donation(t->st, "2026-10-01"), fid, 100000);
    purchase p;
    purchase_init(&p, soap, 40, "S1", "2026-10-30");
    record_error re;
    assert_int_equal(record_save(t->st, &kind_purchase, &p, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, PUF_EXPIRY);
    assert_non_null(strstr(re.detail, "已经过期"));
    /* The expiry is named, not the day of purchase (today) alone. */
    assert_non_null(strstr(re.detail, "有效期到 2026-10-30"));
    snprintf(p.expiry, sizeof p.expiry, "2028-01-01");
    p.fund_id = fid;
    int64_t pid = save(t->st, &kind_purchase, &p);
    assert_int_equal(stock(t->st, soap), 40);
    assert_int_equal(balance(t->st, fid), 100000 - 40 * 250);

    fund restricted;
    record_init(&kind_fund, &restricted);
    snprintf(restricted.name, sizeof restricted.name, "助学专项");
    snprintf(restricted.fund_type, sizeof restricted.fund_type, "restricted");
    snprintf(restricted.purpose, sizeof restricted.purpose, "困境儿童助学");
    int64_t rf = save(t->st, &kind_fund, &restricted);
    give_money(t->st, new_donation(t->st, "2026-10-02"), rf, 50000);
    purchase q;
    purchase_init(&q, soap, 10, "S2", "");
    q.fund_id = rf;
    snprintf(q.purpose, sizeof q.purpose, "敬老院慰问");
    assert_int_equal(record_save(t->st, &kind_purchase, &q, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, PUF_PURPOSE);
    assert_int_equal(stock(t->st, soap), 40);
    assert_int_equal(balance(t->st, rf), 50000);

    /* A 社工 may receive goods, not pay for them from a fund. */
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "w1");
    snprintf(a.display_name, sizeof a.display_name, "王社工");
    snprintf(a.role, sizeof a.role, "worker");
    assert_int_equal(account_create(t->st, &a, "wushe-test-1", &re), WS_OK);
    station *w = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, 0, NULL, &w, err, sizeof err), WS_OK);
    account_login_result lr;
    assert_int_equal(account_login(w, "w1", "wushe-test-1", &lr), WS_OK);
    purchase_init(&q, soap, 5, "S3", "");
    q.fund_id = fid;
    assert_int_equal(record_save(w, &kind_purchase, &q, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, PUF_FUND);
    q.id = q.revision = 0;
    q.fund_id = 0;
    assert_int_equal(record_save(w, &kind_purchase, &q, &re), WS_OK);
    station_close(&w);
    assert_int_equal(stock(t->st, soap), 45);

    assert_int_equal(res_correct(t->st, &kind_purchase, pid, NULL, &re), WS_OK);
    assert_int_equal(stock(t->st, soap), 5);
    assert_int_equal(balance(t->st, fid), 100000);
    int64_t problems = -1;
    char said[512] = "";
    assert_int_equal(res_check(t->st, &problems, say_into, said), WS_OK);
    assert_int_equal(problems, 0);
}

static void issue_init(stock_issue *i, int64_t item_id, int64_t qty, const char *use)
{
    record_new(NULL, &kind_stock_issue, i);
    snprintf(i->issue_date, sizeof i->issue_date, "2026-11-20");
    i->item_id = item_id;
    i->quantity = qty;
    snprintf(i->use, sizeof i->use, "%s", use);
}

/* Amounts typed in full-width (a Chinese input method's mode) are read
 * as their half-width selves: １２．５０ is 12.50 yuan. */
/* A new payment, distribution or session starts dated today. */
static void test_new_dated_today(void **state)
{
    testutil_station *t = *state;
    payment p;
    record_new(t->st, &kind_payment, &p);
    assert_string_equal(p.payment_date, "2026-11-23");
    distribution d;
    record_new(t->st, &kind_distribution, &d);
    assert_string_equal(d.dist_date, "2026-11-23");
    session s;
    record_new(t->st, &kind_session, &s);
    assert_string_equal(s.date, "2026-11-23");
}

static void test_full_width_amount(void **state)
{
    testutil_station *t = *state;
    payment p;
    record_init(&kind_payment, &p);
    assert_int_equal(record_parse(t->st, &kind_payment, PYF_AMOUNT,
                                  "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x8e\xef\xbc\x95\xef\xbc\x90", &p),
                     VAL_OK);
    assert_int_equal(p.amount, 1250);
    assert_int_equal(record_parse(t->st, &kind_payment, PYF_AMOUNT, "12.5x", &p), VAL_NUMBER);
}

/* What the funds paid is in the 公示 too (a payment to a household, its
 * head masked; goods bought, with the supplier); a reversed purchase is
 * not. A donor's statement counts purchases as the fund's spending and
 * names an issue's use as where the goods went. */
static void test_notice_spending(void **state)
{
    testutil_station *t = *state;
    int64_t fid = new_fund(t->st, "社区基金");
    int64_t rice = new_item(t->st, "大米", "袋");
    int64_t d = new_donation(t->st, "2026-10-01");
    give_money(t->st, d, fid, 100000);
    give_goods(t->st, d, rice, 10, "R1", "");
    int64_t h = new_household(t->st, "QS-001", "张三丰", "110101198001011237", "dibao");
    payment p;
    record_init(&kind_payment, &p);
    snprintf(p.payment_date, sizeof p.payment_date, "2026-11-01");
    p.fund_id = fid;
    p.household_id = h;
    p.amount = 3000;
    snprintf(p.purpose, sizeof p.purpose, "临时救助");
    save(t->st, &kind_payment, &p);
    purchase u;
    purchase_init(&u, rice, 20, "R2", "");
    u.fund_id = fid;
    save(t->st, &kind_purchase, &u);
    purchase wrong;
    purchase_init(&wrong, rice, 7, "R3", "");
    wrong.fund_id = fid;
    int64_t wid = save(t->st, &kind_purchase, &wrong);
    record_error re;
    assert_int_equal(res_correct(t->st, &kind_purchase, wid, NULL, &re), WS_OK);
    stock_issue i;
    issue_init(&i, rice, 2, "other");
    snprintf(i.batch, sizeof i.batch, "R1");
    save(t->st, &kind_stock_issue, &i);

    notice_seen n = {0};
    assert_int_equal(res_notice(t->st, "2026-01-01", "2026-12-31", notice_collect, &n), WS_OK);
    assert_non_null(strstr(n.text, "2026-11|张**|社区基金：临时救助;"));
    assert_non_null(strstr(n.text, "2026-11|青石镇供销社|社区基金：大米 20 袋;"));
    assert_null(strstr(n.text, "大米 7 袋"));
    assert_null(strstr(n.text, "张三丰"));
    assert_int_equal(n.spent, 3000 + 20 * 250);
    assert_int_equal(n.money, 100000);

    int64_t donor_id = 0;
    assert_int_equal(res_donor_find(t->st, "青石粮油公司", &donor_id), WS_OK);
    statement_seen st_seen = {0};
    assert_int_equal(res_statement(t->st, donor_id, statement_collect, &st_seen), WS_OK);
    assert_non_null(strstr(st_seen.text, "该资金已支出 80.00 元，现余额 920.00 元"));
    assert_non_null(strstr(st_seen.text, "其他 2；库存 8"));
}

/* 出库: the earliest expiry not past first; an expired batch refused (报损
 * instead); the 爱心超市 takes the volunteer's points in the same
 * transaction (more than the balance: nothing written, stock unchanged),
 * for a family member too; an activity's use names the activity; a
 * reversal gives the goods and the points back. */
static void test_issues(void **state)
{
    testutil_station *t = *state;
    int64_t milk = new_item(t->st, "牛奶", "箱");
    int64_t don = new_donation(t->st, "2026-11-01");
    give_goods(t->st, don, milk, 5, "M-late", "2027-03-01");
    give_goods(t->st, don, milk, 5, "M-soon", "2026-12-10");
    donation_goods late;
    goods_init(&late, don, milk, 5, "M-old", "2026-10-31");
    record_error gre;
    assert_int_equal(record_save(t->st, &kind_donation_goods, &late, &gre), WS_ERR_INVALID);
    assert_int_equal(gre.field, DGF_EXPIRY); /* expired before it came on 2026-11-01 */
    assert_non_null(strstr(gre.detail, "有效期到 2026-10-31，2026-11-01 入库时已经过期"));
    give_goods(t->st, don, milk, 5, "M-past", "2026-11-05");
    volunteer v;
    volunteer_init(&v);
    snprintf(v.name, sizeof v.name, "沈秀兰");
    snprintf(v.registered_date, sizeof v.registered_date, "2026-01-01");
    record_error re;
    assert_int_equal(record_save(t->st, &kind_volunteer, &v, &re), WS_OK);
    hour_entry e = {.volunteer_id = v.id, .minutes = 180};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-10");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK); /* 30 points */

    stock_issue i;
    issue_init(&i, milk, 2, "shop");
    i.volunteer_id = v.id;
    i.points = 40;
    assert_int_equal(record_save(t->st, &kind_stock_issue, &i, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SIF_POINTS);
    assert_int_equal(re.code, VAL_POINTS_SHORT);
    assert_int_equal(stock(t->st, milk), 15);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM stock_issues", 0), 0);

    i.id = i.revision = 0;
    i.points = 20;
    int64_t id = save(t->st, &kind_stock_issue, &i);
    assert_string_equal(i.batch, "M-soon"); /* not the expired one, not the later */
    assert_int_equal(stock(t->st, milk), 13);
    int64_t pts = 0;
    assert_int_equal(points_balance(t->st, v.id, &pts), WS_OK);
    assert_int_equal(pts, 10);

    stock_issue x;
    issue_init(&x, milk, 1, "other");
    snprintf(x.batch, sizeof x.batch, "M-past");
    assert_int_equal(record_save(t->st, &kind_stock_issue, &x, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SIF_BATCH);
    issue_init(&x, milk, 1, "activity");
    assert_int_equal(record_save(t->st, &kind_stock_issue, &x, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SIF_ACTIVITY);
    issue_init(&x, milk, 1, "other");
    x.points = 5;
    assert_int_equal(record_save(t->st, &kind_stock_issue, &x, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SIF_POINTS);

    /* 20 points corrected to 25 with 10 left: the 20 come back first, so
     * 5 more are enough (the corrected entry first would have needed 25). */
    stock_issue more = i;
    more.points = 25;
    more.quantity = 3;
    assert_int_equal(res_correct(t->st, &kind_stock_issue, id, &more, &re), WS_OK);
    assert_int_equal(points_balance(t->st, v.id, &pts), WS_OK);
    assert_int_equal(pts, 5);
    assert_int_equal(stock(t->st, milk), 12);
    assert_int_equal(res_correct(t->st, &kind_stock_issue, id, NULL, &re), WS_ERR_INVALID);
    /* Corrected beyond the balance even so: refused, nothing changed. */
    stock_issue most = more;
    most.points = 31;
    assert_int_equal(res_correct(t->st, &kind_stock_issue, more.id, &most, &re),
                     WS_ERR_INVALID);
    assert_int_equal(points_balance(t->st, v.id, &pts), WS_OK);
    assert_int_equal(pts, 5);
    assert_int_equal(stock(t->st, milk), 12);

    assert_int_equal(res_correct(t->st, &kind_stock_issue, more.id, NULL, &re), WS_OK);
    /* The reversal reads -3 and -25 (its points were +25 before). */
    assert_int_equal(raw_int(t, "SELECT points FROM stock_issues WHERE reverses_id = ?1",
                             more.id), -25);
    assert_int_equal(raw_int(t, "SELECT quantity FROM stock_issues WHERE reverses_id = ?1",
                             more.id), -3);
    assert_int_equal(stock(t->st, milk), 15);
    assert_int_equal(points_balance(t->st, v.id, &pts), WS_OK);
    assert_int_equal(pts, 30);
    assert_int_equal(res_correct(t->st, &kind_stock_issue, more.id, NULL, &re), WS_ERR_INVALID);
    int64_t problems = -1;
    char said[512] = "";
    assert_int_equal(res_check(t->st, &problems, say_into, said), WS_OK);
    assert_int_equal(problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sums_known_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_of_goods_given_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fund_overdraw_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_household_twice_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_distribution_stock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_mark_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_consoles_last_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_amounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_distributions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_distributions_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_money_decimals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wishes_by_status, setup, teardown),
            cmocka_unit_test_setup_teardown(test_purchases, setup, teardown),
            cmocka_unit_test_setup_teardown(test_notice_spending, setup, teardown),
            cmocka_unit_test_setup_teardown(test_full_width_amount, setup, teardown),
            cmocka_unit_test_setup_teardown(test_new_dated_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dist_quantity_covered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dist_ahead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_donations_by_donor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wording, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiring_marks_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiring_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_distributions_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_donations_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_distributions_signed_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_donations_written_otherwise, setup, teardown),
};
    return testutil_run(tests);
}
