/* The demo's charitable resources (issue 13): a year of money and goods
 * donations, two holiday distributions with their sheets keyed back, a few
 * corrections and payments, a write-off, and some 微心愿. Deterministic;
 * inside the demo's bulk transaction, so nothing here may be refused
 * (stock is donated before it is handed out, and enough of it). */
#include "demo_resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/resources.h"
#include "wushe/validate.h"

typedef struct demo_res {
    station *st;
    uint64_t rng;
    char today[11];
    int64_t items[6], funds[2], donors[8];
    int ndonations;
} demo_res;

static int dr_range(demo_res *c, int lo, int hi)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return lo + (int)(c->rng % (uint64_t)(hi - lo + 1));
}

/* today + days (negative: before), YYYY-MM-DD. */
static void dr_day(const demo_res *c, int days, char out[16])
{
    struct tm tm = {0};
    strptime(c->today, "%Y-%m-%d", &tm);
    tm.tm_mday += days;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    mktime(&tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static ws_status dr_save(demo_res *c, const record_kind *k, void *rec)
{
    record_error re;
    return record_save(c->st, k, rec, &re);
}

static const struct {
    const char *name, *category, *unit;
} dr_items[6] = {
    {"大米", "food", "袋"},     {"食用油", "food", "桶"}, {"棉被", "clothing", "床"},
    {"书包", "study", "个"},    {"牛奶", "food", "箱"},   {"感冒药", "medicine", "盒"},
};
enum { RICE, OIL, QUILT, BAG, MILK, MEDICINE };

static const struct {
    const char *name, *type, *public_name;
} dr_donors[8] = {
    {"青石粮油有限公司", "enterprise", "yes"}, {"县慈善总会", "organisation", "yes"},
    {"王建军（在外务工）", "person", "no"},     {"匿名捐赠人", "anonymous", "no"},
    {"青石镇商会", "organisation", "yes"},     {"李秀英", "person", "yes"},
    {"学堂湾惠民超市", "enterprise", "yes"},   {"张先生", "person", "no"},
};

static ws_status dr_catalogue(demo_res *c)
{
    ws_status s = WS_OK;
    for (int i = 0; s == WS_OK && i < 6; i++) {
        item it;
        record_init(&kind_item, &it);
        snprintf(it.name, sizeof it.name, "%s", dr_items[i].name);
        snprintf(it.category, sizeof it.category, "%s", dr_items[i].category);
        snprintf(it.unit, sizeof it.unit, "%s", dr_items[i].unit);
        s = dr_save(c, &kind_item, &it);
        c->items[i] = it.id;
    }
    static const char *const fnames[2] = {"社区慈善基金", "困境儿童助学专项"};
    for (int i = 0; s == WS_OK && i < 2; i++) {
        fund f;
        record_init(&kind_fund, &f);
        snprintf(f.name, sizeof f.name, "%s", fnames[i]);
        snprintf(f.fund_type, sizeof f.fund_type, "%s", i ? "restricted" : "general");
        snprintf(f.purpose, sizeof f.purpose, "%s", i ? "困境儿童、留守儿童助学" : "");
        snprintf(f.host, sizeof f.host, "%s", "县慈善总会");
        s = dr_save(c, &kind_fund, &f);
        c->funds[i] = f.id;
    }
    for (int i = 0; s == WS_OK && i < 8; i++) {
        donor d;
        record_init(&kind_donor, &d);
        snprintf(d.name, sizeof d.name, "%s", dr_donors[i].name);
        snprintf(d.donor_type, sizeof d.donor_type, "%s", dr_donors[i].type);
        snprintf(d.public_name, sizeof d.public_name, "%s", dr_donors[i].public_name);
        if (i % 2 == 0)
            snprintf(d.phone, sizeof d.phone, "1390817%04d", 1000 + i * 37);
        s = dr_save(c, &kind_donor, &d);
        c->donors[i] = d.id;
    }
    return s;
}

static ws_status dr_donation(demo_res *c, int day, int donor, const char *purpose,
                             int64_t *id)
{
    donation d;
    record_init(&kind_donation, &d);
    dr_day(c, day, d.donation_date);
    d.donor_id = c->donors[donor];
    snprintf(d.purpose, sizeof d.purpose, "%s", purpose);
    snprintf(d.handler, sizeof d.handler, "%s", "王芳");
    snprintf(d.agreement, sizeof d.agreement, "%s", donor < 2 ? "yes" : "no");
    if (donor == 1)
        snprintf(d.receipt_no, sizeof d.receipt_no, "%08d", 1200 + ++c->ndonations);
    ws_status s = dr_save(c, &kind_donation, &d);
    *id = d.id;
    return s;
}

static ws_status dr_goods(demo_res *c, int64_t donation, int item, int64_t qty, int64_t value,
                          const char *batch, int expiry_days, int64_t *id)
{
    donation_goods g;
    record_init(&kind_donation_goods, &g);
    g.donation_id = donation;
    g.item_id = c->items[item];
    g.quantity = qty;
    g.unit_value = value;
    snprintf(g.batch, sizeof g.batch, "%s", batch);
    if (expiry_days)
        dr_day(c, expiry_days, g.expiry);
    snprintf(g.condition, sizeof g.condition, "new");
    ws_status s = dr_save(c, &kind_donation_goods, &g);
    if (id)
        *id = g.id;
    return s;
}

static ws_status dr_money(demo_res *c, int64_t donation, int fund_i, int64_t fen, int64_t *id)
{
    donation_money m;
    record_init(&kind_donation_money, &m);
    m.donation_id = donation;
    m.fund_id = c->funds[fund_i];
    m.amount = fen;
    snprintf(m.method, sizeof m.method, "%s", fen < 100000 ? "cash" : "transfer");
    snprintf(m.account, sizeof m.account, "%s", "县慈善总会专户");
    ws_status s = dr_save(c, &kind_donation_money, &m);
    if (id)
        *id = m.id;
    return s;
}

/* Households a distribution to these groups reaches. */
static int64_t dr_reach(demo_res *c, const char *g1, const char *g2)
{
    int64_t n = 0;
    sqlite3_stmt *q = db_prepare(station_db(c->st),
        "SELECT count(DISTINCT r.household_id) FROM residents r JOIN resident_groups g"
        " ON g.resident_id = r.id WHERE r.deleted_at IS NULL AND r.household_id IS NOT NULL"
        " AND g.group_code IN (?1, ?2)");
    if (!q)
        return 0;
    db_bind_text(q, 1, g1);
    db_bind_text(q, 2, g2);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    db_reset(q);
    return n;
}

/* A distribution on `day` to households in groups g1 and g2, `per` of
 * each item; the sheet keyed back: most signed, some collected, a few
 * absent. */
static ws_status dr_distribution(demo_res *c, const char *name, int day, const int *items,
                                 const int *per, int nitems, const char *g1, const char *g2)
{
    distribution d;
    record_init(&kind_distribution, &d);
    snprintf(d.name, sizeof d.name, "%s", name);
    dr_day(c, day, d.dist_date);
    ws_status s = dr_save(c, &kind_distribution, &d);
    for (int i = 0; s == WS_OK && i < nitems; i++) {
        distribution_item di;
        record_init(&kind_distribution_item, &di);
        di.distribution_id = d.id;
        di.item_id = c->items[items[i]];
        di.quantity = per[i];
        s = dr_save(c, &kind_distribution_item, &di);
    }
    record_error re;
    int64_t added = 0;
    if (s == WS_OK)
        s = res_dist_add_filter(c->st, d.id, g1, 0, &added, &re);
    if (s == WS_OK)
        s = res_dist_add_filter(c->st, d.id, g2, 0, &added, &re);
    res_line lines[64];
    size_t n = 0;
    int64_t after = 0;
    static const char *const by[] = {"王小明（子）", "刘桂兰（邻居）", "村委会 陈主任"};
    do {
        if (s == WS_OK)
            s = res_dist_lines(c->st, d.id, "", after, 1, lines, 64, &n);
        for (size_t i = 0; s == WS_OK && i < n; i++) {
            int r = dr_range(c, 0, 99);
            const char *status = r < 82 ? "signed" : r < 92 ? "collected" : "absent";
            s = res_dist_mark(c->st, lines[i].id, status,
                              strcmp(status, "collected") == 0 ? by[r % 3] : NULL, &re);
        }
        after = n ? lines[n - 1].id : after;
    } while (s == WS_OK && n == 64);
    return s;
}

static ws_status dr_wishes(demo_res *c)
{
    static const struct {
        const char *wish;
        int64_t value;
    } w[] = {
        {"一个新书包", 8000},   {"一套绘画工具", 6000}, {"一双运动鞋", 12000},
        {"一本新华字典", 3000}, {"一件羽绒服", 20000},  {"一个台灯", 5000},
    };
    int64_t ids[6];
    size_t n = 0;
    sqlite3_stmt *q = db_prepare(station_db(c->st),
        "SELECT DISTINCT r.id FROM residents r JOIN resident_groups g ON g.resident_id = r.id"
        " WHERE r.deleted_at IS NULL AND g.group_code IN ('left_behind_child',"
        " 'child_in_distress', 'unsupported_child', 'orphan') ORDER BY r.id LIMIT 6");
    if (!q)
        return db_status(station_db(c->st));
    while (n < 6 && sqlite3_step(q) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(q, 0);
    db_reset(q);
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        wish x;
        record_init(&kind_wish, &x);
        x.resident_id = ids[i];
        snprintf(x.wish, sizeof x.wish, "%s", w[i].wish);
        x.value = w[i].value;
        snprintf(x.status, sizeof x.status, "%s", i < 2 ? "open" : i < 4 ? "claimed" : "fulfilled");
        if (i >= 2)
            x.donor_id = c->donors[i % 2 ? 5 : 6];
        if (i >= 4) {
            dr_day(c, -20 - (int)i, x.fulfilled_date);
            snprintf(x.given, sizeof x.given, "%s", w[i].wish);
        }
        s = dr_save(c, &kind_wish, &x);
    }
    return s;
}

ws_status demo_resources(station *st, uint64_t seed)
{
    demo_res c = {.st = st, .rng = seed * 2654435761u + 1};
    date_today(c.today);
    ws_status s = dr_catalogue(&c);
    /* Enough for both distributions, donated before them. */
    int64_t spring = dr_reach(&c, "dibao", "tekun");
    int64_t autumn = dr_reach(&c, "tekun", "living_alone");
    int64_t d = 0, line = 0, wrong = 0;
    if (s == WS_OK)
        s = dr_donation(&c, -350, 0, "general", &d);
    if (s == WS_OK)
        s = dr_goods(&c, d, RICE, spring + 20, 6000, "2025-12", 300, NULL);
    if (s == WS_OK)
        s = dr_goods(&c, d, OIL, spring + autumn + 20, 8500, "2025-12", 400, NULL);
    if (s == WS_OK)
        s = dr_donation(&c, -340, 1, "fund", &d);
    if (s == WS_OK)
        s = dr_money(&c, d, 0, 5000000, NULL);
    if (s == WS_OK)
        s = dr_goods(&c, d, QUILT, spring / 2 + 10, 15000, "", 0, NULL);
    /* A year of smaller gifts, about two a month. */
    for (int m = 0; s == WS_OK && m < 12; m++) {
        int day = -330 + m * 28 + dr_range(&c, 0, 10);
        int who = dr_range(&c, 2, 7);
        s = dr_donation(&c, day, who, m % 4 == 3 ? "project" : "general", &d);
        if (s == WS_OK)
            s = dr_money(&c, d, m % 3 == 2 ? 1 : 0, (int64_t)dr_range(&c, 2, 200) * 1000, NULL);
        if (s == WS_OK && m % 2 == 0)
            s = dr_goods(&c, d, m % 4 == 0 ? MILK : MEDICINE, dr_range(&c, 10, 30),
                         m % 4 == 0 ? 6500 : 1800, m % 4 == 0 ? "NN" : "YP", -330 + m * 28 + 180,
                         NULL);
    }
    if (s == WS_OK)
        s = dr_donation(&c, -120, 4, "project", &d);
    if (s == WS_OK)
        s = dr_goods(&c, d, BAG, 40, 9000, "", 0, &line);
    if (s == WS_OK)
        s = dr_goods(&c, d, MILK, autumn + 10, 6500, "2026-08", 150, NULL);
    /* Keyed wrongly: 50000 yuan for 5000; corrected. */
    if (s == WS_OK)
        s = dr_donation(&c, -90, 1, "fund", &d);
    if (s == WS_OK)
        s = dr_money(&c, d, 1, 5000000, &wrong);
    if (s == WS_OK) {
        donation_money fixed;
        record_error re;
        s = record_load(st, &kind_donation_money, wrong, &fixed);
        fixed.amount = 500000;
        if (s == WS_OK)
            s = res_correct(st, &kind_donation_money, wrong, &fixed, &re);
    }
    /* 40 school bags were 30. */
    if (s == WS_OK) {
        donation_goods fixed;
        record_error re;
        s = record_load(st, &kind_donation_goods, line, &fixed);
        fixed.quantity = 30;
        if (s == WS_OK)
            s = res_correct(st, &kind_donation_goods, line, &fixed, &re);
    }
    int spring_items[] = {RICE, OIL, QUILT}, spring_per[] = {1, 1, 1};
    int autumn_items[] = {OIL, MILK}, autumn_per[] = {1, 1};
    char name[64], when[16];
    dr_day(&c, -300, when);
    snprintf(name, sizeof name, "%.4s 春节慰问", when);
    /* Quilts only for half of the households: the spring list has rice and oil. */
    if (s == WS_OK)
        s = dr_distribution(&c, name, -300, spring_items, spring_per, 2, "dibao", "tekun");
    dr_day(&c, -70, when);
    snprintf(name, sizeof name, "%.4s 中秋慰问", when);
    if (s == WS_OK)
        s = dr_distribution(&c, name, -70, autumn_items, autumn_per, 2, "tekun", "living_alone");
    /* Two payments approved by the 站长 out of the community fund. */
    for (int i = 0; s == WS_OK && i < 2; i++) {
        payment p;
        record_init(&kind_payment, &p);
        dr_day(&c, -200 + i * 90, p.payment_date);
        p.fund_id = c.funds[0];
        p.amount = i ? 300000 : 200000;
        snprintf(p.purpose, sizeof p.purpose, "%s", i ? "大病临时救助" : "火灾受损临时救助");
        db_int(station_db(st), "SELECT id FROM households WHERE deleted_at IS NULL"
               " ORDER BY number LIMIT 1", 0, &p.household_id);
        s = dr_save(&c, &kind_payment, &p);
    }
    record_error re;
    if (s == WS_OK)
        s = res_writeoff(st, c.items[MEDICINE], "YP", 2, "包装破损", &re);
    if (s == WS_OK)
        s = dr_wishes(&c);
    /* Rice and milk bought with the community fund for the 爱心超市. */
    for (int i = 0; s == WS_OK && i < 2; i++) {
        purchase p;
        record_new(st, &kind_purchase, &p);
        dr_day(&c, -150 + i * 60, p.purchase_date);
        p.item_id = c.items[i ? MILK : RICE];
        p.quantity = 30;
        p.unit_price = i ? 6000 : 5500;
        snprintf(p.batch, sizeof p.batch, "CG%d", i + 1);
        if (i)
            dr_day(&c, -150 + i * 60 + 240, p.expiry);
        p.fund_id = c.funds[0];
        snprintf(p.purpose, sizeof p.purpose, "爱心超市备货");
        snprintf(p.supplier, sizeof p.supplier, "青石镇供销社");
        snprintf(p.invoice, sizeof p.invoice, "FP2026%04d", 31 + i);
        s = dr_save(&c, &kind_purchase, &p);
    }
    return s;
}

ws_status demo_shop(station *st, uint64_t seed)
{
    demo_res c = {.st = st, .rng = seed * 2654435761u + 7};
    date_today(c.today);
    db *d = station_db(st);
    int64_t rice = 0, milk = 0;
    ws_status s = db_int(d, "SELECT coalesce((SELECT id FROM items WHERE name = '大米'), 0)"
                            " WHERE ?1 = ?1", 0, &rice);
    if (s == WS_OK)
        s = db_int(d, "SELECT coalesce((SELECT id FROM items WHERE name = '牛奶'), 0)"
                      " WHERE ?1 = ?1", 0, &milk);
    /* The volunteers with the most points exchange some at the 爱心超市. */
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, "SELECT volunteer_id, sum(points) FROM"
                                                 " points_movements GROUP BY volunteer_id"
                                                 " HAVING sum(points) >= 60 ORDER BY"
                                                 " volunteer_id LIMIT 8") : NULL;
    int64_t who[8], pts[8];
    size_t n = 0;
    while (q && n < 8 && sqlite3_step(q) == SQLITE_ROW) {
        who[n] = sqlite3_column_int64(q, 0);
        pts[n++] = sqlite3_column_int64(q, 1);
    }
    if (q)
        db_reset(q);
    for (size_t i = 0; s == WS_OK && rice && milk && i < n; i++) {
        stock_issue x;
        record_new(st, &kind_stock_issue, &x);
        dr_day(&c, -dr_range(&c, 3, 40), x.issue_date);
        x.item_id = i % 2 ? milk : rice;
        x.quantity = 1;
        snprintf(x.use, sizeof x.use, "shop");
        x.volunteer_id = who[i];
        x.points = pts[i] >= 100 ? 50 : 30;
        /* Only what is in stock and not past its date (a failed save
         * would fail the whole fill). */
        int64_t left = 0;
        s = db_int(d, "SELECT coalesce(sum(qty), 0) FROM stock_levels WHERE item_id = ?1"
                      " AND (expiry = '' OR expiry >= date('now'))", x.item_id, &left);
        record_error re;
        if (s == WS_OK && left >= 1)
            s = record_save(st, &kind_stock_issue, &x, &re);
    }
    return s;
}
