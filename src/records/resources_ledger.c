/* The stock and fund ledgers: postings (never below zero, checked inside
 * the writing transaction), sums, what expires, write-offs, and the proof
 * that the caches equal the sums (wushe check). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/codes.h"
#include "wushe/text.h"
#include "wushe/validate.h"

ws_status res_fail(record_error *re, int field, const char *msg)
{
    re->field = field;
    re->code = VAL_RULE;
    snprintf(re->detail, sizeof re->detail, "%s", msg);
    return WS_ERR_INVALID;
}

void res_yuan(int64_t fen, char *out, size_t outsz)
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, outsz, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

ws_status res_check_amount(int64_t v, bool money, record_error *re, int field)
{
    if (v < 0)
        return res_failf(re, field, money ? "res.err_negative_amount" : "res.err_negative_qty");
    if (v == 0)
        return res_failf(re, field, money ? "res.err_zero_amount" : "res.err_zero_qty");
    if (v >= RES_AMOUNT_MAX)
        return res_failf(re, field, money ? "res.err_amount_max" : "res.err_qty_max");
    return WS_OK;
}

ws_status res_stock_post(station *st, int64_t item, const char *batch, const char *expiry,
                         int64_t qty, int64_t value, const char *date, const char *source,
                         int64_t source_id, record_error *re, int field)
{
    db *d = station_db(st);
    if (qty < 0) {
        int64_t have = 0;
        sqlite3_stmt *q = db_prepare(d, "SELECT qty FROM stock_levels WHERE item_id = ?1"
                                        " AND batch = ?2");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, item);
        db_bind_text(q, 2, batch ? batch : "");
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            have = sqlite3_column_int64(q, 0);
        db_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_status_from(rc);
        if (have + qty < 0) {
            char name[256] = "";
            if (db_text_i64(d, "SELECT name || ' (' || unit || ')' FROM items WHERE id = ?1", item,
                            name, sizeof name) != WS_OK)
                name[0] = '\0';
            return res_failf(re, field, "res.err_stock_short", name, (long long)have,
                             (long long)-qty);
        }
    }
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO stock_moves(item_id, batch, expiry, qty, value, move_date, source,"
        " source_id, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, item);
    db_bind_text(q, 2, batch ? batch : "");
    db_bind_text(q, 3, expiry ? expiry : "");
    sqlite3_bind_int64(q, 4, qty);
    sqlite3_bind_int64(q, 5, value);
    db_bind_text(q, 6, date);
    db_bind_text(q, 7, source);
    sqlite3_bind_int64(q, 8, source_id);
    db_bind_text(q, 9, station_actor(st));
    db_bind_text(q, 10, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status res_batch_expiry(station *st, int64_t item, const char *batch, char expiry[16])
{
    expiry[0] = '\0';
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT expiry FROM stock_levels WHERE item_id = ?1"
                                    " AND batch = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, item);
    db_bind_text(q, 2, batch ? batch : "");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        db_column_copy(q, 0, expiry, 16);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status res_fund_post(station *st, int64_t fund, int64_t amount, const char *date,
                        const char *source, int64_t source_id, record_error *re, int field)
{
    db *d = station_db(st);
    if (amount < 0) {
        int64_t have = 0;
        ws_status s = db_int(d, "SELECT balance FROM funds WHERE id = ?1", fund, &have);
        if (s != WS_OK)
            return s;
        if (have + amount < 0) {
            char name[256] = "", y1[32], y2[32];
            if (db_text_i64(d, "SELECT name FROM funds WHERE id = ?1", fund, name,
                            sizeof name) != WS_OK)
                name[0] = '\0';
            res_yuan(have, y1, sizeof y1);
            res_yuan(-amount, y2, sizeof y2);
            return res_failf(re, field, "res.err_fund_short", name, y1, y2);
        }
    }
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO fund_entries(fund_id, amount, entry_date, source, source_id, actor,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, fund);
    sqlite3_bind_int64(q, 2, amount);
    db_bind_text(q, 3, date);
    db_bind_text(q, 4, source);
    sqlite3_bind_int64(q, 5, source_id);
    db_bind_text(q, 6, station_actor(st));
    db_bind_text(q, 7, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- sums ---- */

static ws_status res_read_int(station *st, const char *sql, int64_t id, int64_t *out)
{
    *out = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    return s == WS_OK ? db_int(station_db(st), sql, id, out) : s;
}

ws_status res_stock(station *st, int64_t item_id, int64_t *qty)
{
    return res_read_int(st, "SELECT on_hand FROM items WHERE id = ?1", item_id, qty);
}

ws_status res_stock_sum(station *st, int64_t item_id, int64_t *qty)
{
    return res_read_int(st, "SELECT coalesce(sum(qty), 0) FROM stock_moves WHERE item_id = ?1",
                        item_id, qty);
}

ws_status res_fund_balance(station *st, int64_t fund_id, int64_t *fen)
{
    return res_read_int(st, "SELECT balance FROM funds WHERE id = ?1", fund_id, fen);
}

ws_status res_fund_sum(station *st, int64_t fund_id, int64_t *fen)
{
    return res_read_int(st, "SELECT coalesce(sum(amount), 0) FROM fund_entries WHERE fund_id = ?1",
                        fund_id, fen);
}

/* With a search box: the items it finds by name, pinyin or initials
 * (?1, ?5..?8, ?30..?35), ?40 until, ?41 the limit. */
#define EXPIRING_FIND \
    "SELECT l.item_id, i.name, i.unit, l.batch, l.expiry, l.qty FROM stock_levels l" \
    " JOIN items i ON i.id = l.item_id WHERE l.qty > 0 AND l.expiry <> ''" \
    " AND l.expiry <= ?40 AND " RECORD_TERMS_MATCH("item", "l.item_id") \
    " ORDER BY l.expiry, i.name, l.batch LIMIT ?41"

ws_status res_expiring_find(station *st, const char *until, const char *filter, res_batch *out,
                            size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    char *term = record_terms_query(filter);
    sqlite3_stmt *q = db_prepare(d, term ? EXPIRING_FIND
        : "SELECT l.item_id, i.name, i.unit, l.batch, l.expiry, l.qty FROM stock_levels l"
          " JOIN items i ON i.id = l.item_id WHERE l.qty > 0 AND l.expiry <> ''"
          " AND l.expiry <= ?40 ORDER BY l.expiry, i.name, l.batch LIMIT ?41");
    if (!q) {
        free(term);
        return db_status(d);
    }
    if (term)
        record_terms_bind(q, term);
    db_bind_text(q, 40, until);
    sqlite3_bind_int64(q, 41, (sqlite3_int64)max);
    char today[11];
    date_today(today);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        res_batch *b = &out[(*n)++];
        b->item_id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, b->item, sizeof b->item);
        db_column_copy(q, 2, b->unit, sizeof b->unit);
        db_column_copy(q, 3, b->batch, sizeof b->batch);
        db_column_copy(q, 4, b->expiry, sizeof b->expiry);
        b->qty = sqlite3_column_int64(q, 5);
        b->expired = strcmp(b->expiry, today) < 0;
    }
    s = *n < max && rc != SQLITE_DONE ? db_status_from(rc) : WS_OK;
    db_reset(q);
    free(term);
    return s;
}

ws_status res_expiring(station *st, const char *until, res_batch *out, size_t max, size_t *n)
{
    return res_expiring_find(st, until, NULL, out, max, n);
}

ws_status res_item_batches(station *st, int64_t item_id, char *out, size_t outsz)
{
    out[0] = '\0';
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    return db_text_i64(station_db(st),
                       "SELECT coalesce(group_concat(CASE batch WHEN '' THEN '（无批次）'"
                       " ELSE batch END || ' ' || qty || CASE expiry WHEN '' THEN '' ELSE"
                       " '（' || expiry || '）' END, '、'), '') FROM (SELECT * FROM stock_levels"
                       " WHERE item_id = ?1 AND qty > 0 ORDER BY expiry = '', expiry, batch)",
                       item_id, out, outsz);
}

ws_status res_writeoff(station *st, int64_t item_id, const char *batch, int64_t qty,
                       const char *reason, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_RESOURCES);
    if (s != WS_OK)
        return s;
    if (!reason || !reason[0])
        return res_failf(re, -1, "res.err_writeoff_reason");
    s = res_check_amount(qty, false, re, -1);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    char today[11];
    date_today(today);
    /* The reason is the audit row's; the movement points at it. */
    int64_t audit = 0;
    char json[640];
    char *r = text_sanitize(reason);
    if (!r)
        s = WS_ERR_NOMEM;
    if (s == WS_OK) {
        char *esc = sqlite3_mprintf("%w", r); /* no quotes inside the JSON string */
        snprintf(json, sizeof json, "{\"item_id\":%lld,\"qty\":%lld,\"reason\":\"%s\"}",
                 (long long)item_id, (long long)qty, esc ? esc : "");
        sqlite3_free(esc);
        sqlite3_stmt *q = db_prepare(d, "INSERT INTO audit_log(at, actor, table_name, row_id,"
                                        " action, before, after) VALUES (?1, ?2, 'stock_moves',"
                                        " ?3, 'insert', NULL, json(?4))");
        if (!q)
            s = db_status(d);
        if (s == WS_OK) {
            char now[32];
            db_now(now);
            db_bind_text(q, 1, now);
            db_bind_text(q, 2, station_actor(st));
            sqlite3_bind_int64(q, 3, item_id);
            db_bind_text(q, 4, json);
            int rc = sqlite3_step(q);
            db_reset(q);
            s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
            audit = sqlite3_last_insert_rowid(db_handle(d));
        }
    }
    free(r);
    char expiry[16] = "";
    if (s == WS_OK)
        s = res_batch_expiry(st, item_id, batch, expiry);
    if (s == WS_OK)
        s = res_stock_post(st, item_id, batch, expiry, -qty, 0, today, "writeoff", audit, re, -1);
    return db_end(d, s);
}

/* ---- wushe check ---- */

typedef struct res_check_query {
    const char *sql; /* rows of (what, cached, summed) that disagree */
    const char *key; /* the message */
} res_check_query;

static const res_check_query res_checks[] = {
    /* (Each sum in one pass, grouped, not a subquery a row.) */
    {"SELECT i.name, i.on_hand, coalesce(m.s, 0) FROM items i LEFT JOIN (SELECT item_id,"
     " sum(qty) AS s FROM stock_moves GROUP BY item_id) m ON m.item_id = i.id"
     " WHERE i.on_hand <> coalesce(m.s, 0) OR coalesce(m.s, 0) < 0",
     "res.check_item"},
    {"SELECT i.name || ' ' || l.batch, l.qty, coalesce(m.s, 0) FROM stock_levels l"
     " JOIN items i ON i.id = l.item_id LEFT JOIN (SELECT item_id, batch, sum(qty) AS s"
     " FROM stock_moves GROUP BY item_id, batch) m ON m.item_id = l.item_id AND m.batch = l.batch"
     " WHERE l.qty <> coalesce(m.s, 0) OR coalesce(m.s, 0) < 0",
     "res.check_batch"},
    {"SELECT f.name, f.balance, coalesce(e.s, 0) FROM funds f LEFT JOIN (SELECT fund_id,"
     " sum(amount) AS s FROM fund_entries GROUP BY fund_id) e ON e.fund_id = f.id"
     " WHERE f.balance <> coalesce(e.s, 0) OR coalesce(e.s, 0) < 0",
     "res.check_fund"},
    /* Every posted line has its entry, and its amount. */
    {"SELECT 'donation_money ' || l.id, l.amount, coalesce(e.s, 0) FROM donation_money l"
     " LEFT JOIN (SELECT source_id, sum(amount) AS s FROM fund_entries WHERE source ="
     " 'donation_money' GROUP BY source_id) e ON e.source_id = l.id WHERE l.amount <> coalesce(e.s, 0)",
     "res.check_line"},
    {"SELECT 'donation_goods ' || l.id, l.quantity, coalesce(m.s, 0) FROM donation_goods l"
     " LEFT JOIN (SELECT source_id, sum(qty) AS s FROM stock_moves WHERE source ="
     " 'donation_goods' GROUP BY source_id) m ON m.source_id = l.id"
     " WHERE l.quantity <> coalesce(m.s, 0)",
     "res.check_line"},
    {"SELECT 'purchases ' || l.id, l.quantity, coalesce(m.s, 0) FROM purchases l"
     " LEFT JOIN (SELECT source_id, sum(qty) AS s FROM stock_moves WHERE source ="
     " 'purchases' GROUP BY source_id) m ON m.source_id = l.id"
     " WHERE l.quantity <> coalesce(m.s, 0)",
     "res.check_purchase"},
    {"SELECT 'stock_issues ' || l.id, -l.quantity, coalesce(m.s, 0) FROM stock_issues l"
     " LEFT JOIN (SELECT source_id, sum(qty) AS s FROM stock_moves WHERE source ="
     " 'stock_issues' GROUP BY source_id) m ON m.source_id = l.id"
     " WHERE -l.quantity <> coalesce(m.s, 0)",
     "res.check_issue"},
    {"SELECT 'payments ' || p.id, -p.amount, coalesce(e.s, 0) FROM payments p"
     " LEFT JOIN (SELECT source_id, sum(amount) AS s FROM fund_entries WHERE source ="
     " 'payments' GROUP BY source_id) e ON e.source_id = p.id WHERE -p.amount <> coalesce(e.s, 0)",
     "res.check_line"},
};

ws_status res_check(station *st, int64_t *problems, void (*say)(void *ctx, const char *line),
                    void *ctx)
{
    *problems = 0;
    db *d = station_db(st);
    /* A station not yet migrated (wushe check opens it as it is). */
    bool has = false;
    ws_status s = db_exists_text(d, "SELECT 1 FROM sqlite_master WHERE name = ?1 AND ?2 = ?2",
                                 "stock_levels", 0, &has);
    if (s != WS_OK || !has)
        return s;
    bool began = db_read_begin(d);
    for (size_t c = 0; s == WS_OK && c < sizeof res_checks / sizeof *res_checks; c++) {
        sqlite3_stmt *q = db_prepare(d, res_checks[c].sql);
        if (!q) {
            s = db_status(d);
            break;
        }
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            (*problems)++;
            if (say) {
                char what[256], msg[512];
                db_column_copy(q, 0, what, sizeof what);
                trf(msg, sizeof msg, res_checks[c].key, what,
                    (long long)sqlite3_column_int64(q, 1), (long long)sqlite3_column_int64(q, 2));
                say(ctx, msg);
            }
        }
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    db_read_end(d, began);
    return s;
}

void res_mask_name(const char *name, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!name || !*name)
        return;
    size_t first = 1;
    while (name[first] && ((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    size_t used = (size_t)snprintf(out, outsz, "%.*s", (int)first, name);
    for (const char *p = name + first; *p && used + 1 < outsz; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && *p != ' ')
            out[used++] = '*';
    if (used < outsz)
        out[used] = '\0';
}

/* ---- the public notice ---- */

#define RES_NOTICE_IN                                                                          \
    "SELECT d.donation_date, 0, coalesce(CASE WHEN dn.public_name = 'yes' THEN dn.name END, ''),"\
    " i.name || ' ' || g.quantity || ' ' || i.unit, 0, g.quantity * g.unit_value, 0"          \
    " FROM donation_goods g JOIN donations d ON d.id = g.donation_id JOIN items i"             \
    " ON i.id = g.item_id LEFT JOIN donors dn ON dn.id = d.donor_id"                           \
    " WHERE g.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM donation_goods x"             \
    " WHERE x.reverses_id = g.id) AND d.donation_date BETWEEN ?1 AND ?2"                        \
    " UNION ALL SELECT d.donation_date, 0, coalesce(CASE WHEN dn.public_name = 'yes'"          \
    " THEN dn.name END, ''), '', m.amount, 0, 0 FROM donation_money m JOIN donations d"        \
    " ON d.id = m.donation_id LEFT JOIN donors dn ON dn.id = d.donor_id"                       \
    " WHERE m.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM donation_money x"             \
    " WHERE x.reverses_id = m.id) AND d.donation_date BETWEEN ?1 AND ?2"

/* What went out: distributions signed for, and what the funds paid, for a
 * household or for goods (a reversed entry and its reversal left out). */
#define RES_NOTICE_OUT                                                                         \
    " UNION ALL SELECT l.signed_date, 1, coalesce(r.name, ''), ds.name || '：' ||"             \
    " (SELECT group_concat(i.name || ' ' || di.quantity || i.unit, '；')"                     \
    " FROM distribution_items di JOIN items i ON i.id = di.item_id"                            \
    " WHERE di.distribution_id = ds.id AND di.deleted_at IS NULL), 0, 0, 0"                     \
    " FROM distribution_lines l JOIN distributions ds ON ds.id = l.distribution_id"            \
    " JOIN households h ON h.id = l.household_id LEFT JOIN residents r ON r.id = h.head_id"    \
    " WHERE l.status IN ('signed', 'collected') AND l.signed_date BETWEEN ?1 AND ?2"           \
    " UNION ALL SELECT p.payment_date, 2, coalesce(r.name, ''), f.name || '：' || p.purpose,"  \
    " 0, 0, p.amount FROM payments p JOIN funds f ON f.id = p.fund_id"                         \
    " LEFT JOIN households h ON h.id = p.household_id LEFT JOIN residents r ON r.id = h.head_id"\
    " WHERE p.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM payments x"                    \
    " WHERE x.reverses_id = p.id) AND p.payment_date BETWEEN ?1 AND ?2"                          \
    " UNION ALL SELECT u.purchase_date, 3, u.supplier, f.name || '：' || i.name || ' ' ||"     \
    " u.quantity || ' ' || i.unit, 0, 0, u.quantity * u.unit_price FROM purchases u"           \
    " JOIN funds f ON f.id = u.fund_id JOIN items i ON i.id = u.item_id"                       \
    " WHERE u.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM purchases x"                   \
    " WHERE x.reverses_id = u.id) AND u.purchase_date BETWEEN ?1 AND ?2"

void res_notice_sum_add(res_notice_sum *sum, const res_notice_line *l)
{
    sum->money += l->money;
    sum->value += l->value;
    sum->spent += l->spent;
    sum->households += l->kind == RES_NOTICE_DIST;
}

const char *res_notice_kind_key(res_notice_kind kind)
{
    switch (kind) {
    case RES_NOTICE_DIST: return "res.x_out";
    case RES_NOTICE_PAYMENT: return "res.x_paid";
    case RES_NOTICE_PURCHASE: return "res.x_bought";
    default: return "res.x_in";
    }
}

ws_status res_notice(station *st, const char *from, const char *to,
                     bool (*line)(void *ctx, const res_notice_line *l), void *ctx)
{
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, RES_NOTICE_IN RES_NOTICE_OUT " ORDER BY 1, 2, 3");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, from && from[0] ? from : "0000-00-00");
    db_bind_text(q, 2, to && to[0] ? to : "9999-99-99");
    res_notice_line *l = calloc(1, sizeof *l);
    if (!l) {
        db_reset(q);
        return WS_ERR_NOMEM;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        memset(l, 0, sizeof *l);
        char date[16], who[256];
        db_column_copy(q, 0, date, sizeof date);
        snprintf(l->month, sizeof l->month, "%.7s", date);
        l->kind = (res_notice_kind)sqlite3_column_int(q, 1);
        l->out = l->kind != RES_NOTICE_GIFT;
        db_column_copy(q, 2, who, sizeof who);
        /* Recipients masked; donors named only with their consent; a
         * supplier is a business, named. */
        if (l->kind == RES_NOTICE_DIST || l->kind == RES_NOTICE_PAYMENT)
            res_mask_name(who, l->who, sizeof l->who);
        else
            snprintf(l->who, sizeof l->who, "%s",
                     who[0] || l->out ? who : tr("res.kind_donor_anon"));
        db_column_copy(q, 3, l->what, sizeof l->what);
        if (!l->out && !l->what[0])
            snprintf(l->what, sizeof l->what, "%s", tr("res.x_money"));
        l->money = sqlite3_column_int64(q, 4);
        l->value = sqlite3_column_int64(q, 5);
        l->spent = sqlite3_column_int64(q, 6);
        if (!line(ctx, l))
            break;
    }
    db_reset(q);
    free(l);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- a donor's statement ---- */

ws_status res_donor_find(station *st, const char *name, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    bool found = false;
    s = db_exists_text(station_db(st), "SELECT 1 FROM donors WHERE name = ?1 AND"
                       " deleted_at IS NULL AND ?2 = ?2", name, 0, &found);
    if (s != WS_OK || !found)
        return s;
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM donors WHERE name = ?1 AND"
                                                 " deleted_at IS NULL ORDER BY id LIMIT 1");
    if (!q)
        return db_status(station_db(st));
    db_bind_text(q, 1, name);
    if (sqlite3_step(q) == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return WS_OK;
}

/* Where a money line went: its fund, what it paid out and holds. */
static void res_money_where(station *st, int64_t fund, char *out, size_t outsz)
{
    char name[256] = "", paid[32], left[32];
    int64_t out_fen = 0, bal = 0;
    db *d = station_db(st);
    if (db_text_i64(d, "SELECT name FROM funds WHERE id = ?1", fund, name, sizeof name) != WS_OK ||
        db_int(d, "SELECT coalesce(-sum(amount), 0) FROM fund_entries WHERE fund_id = ?1 AND"
                  " source IN ('payments', 'purchases')", fund, &out_fen) != WS_OK ||
        db_int(d, "SELECT balance FROM funds WHERE id = ?1", fund, &bal) != WS_OK) {
        out[0] = '\0';
        return;
    }
    res_yuan(out_fen, paid, sizeof paid);
    res_yuan(bal, left, sizeof left);
    trf(out, outsz, "res.st_money_where", name, paid, left);
}

/* Where a goods line's batch went: per distribution, write-offs, left. */
static void res_goods_where(station *st, int64_t item, const char *batch, int64_t line,
                            char *out, size_t outsz)
{
    db *d = station_db(st);
    out[0] = '\0';
    /* Each distribution by its name, each use of an issue (爱心超市兑换)
     * by its label, write-offs together. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT coalesce(ds.name, si.use, ''), m.source, -sum(m.qty)"
        " FROM stock_moves m LEFT JOIN distribution_lines l ON m.source = 'distribution_lines'"
        " AND l.id = m.source_id LEFT JOIN distributions ds ON ds.id = l.distribution_id"
        " LEFT JOIN stock_issues si ON m.source = 'stock_issues' AND si.id = m.source_id"
        " WHERE m.item_id = ?1 AND m.batch = ?2"
        " AND m.source IN ('distribution_lines', 'writeoff', 'stock_issues')"
        " GROUP BY 1, 2 HAVING sum(m.qty) <> 0 ORDER BY min(m.id)");
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, item);
    db_bind_text(q, 2, batch);
    size_t used = 0;
    const codebook *cb = station_codes(st);
    while (sqlite3_step(q) == SQLITE_ROW && used + 64 < outsz) {
        char name[256], source[32];
        db_column_copy(q, 0, name, sizeof name);
        db_column_copy(q, 1, source, sizeof source);
        if (strcmp(source, "stock_issues") == 0) {
            const code_item *use = codebook_find(cb, "stock_use", name);
            if (use)
                snprintf(name, sizeof name, "%s", code_label(use, 0));
        }
        char part[384];
        long long qty = (long long)sqlite3_column_int64(q, 2);
        if (strcmp(source, "writeoff") != 0)
            trf(part, sizeof part, "res.st_goods_to", name, qty);
        else
            trf(part, sizeof part, "res.st_goods_off", qty);
        used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? "；" : "", part);
    }
    db_reset(q);
    int64_t left = 0, gifts = 0;
    sqlite3_stmt *l = db_prepare(d, "SELECT coalesce((SELECT qty FROM stock_levels WHERE"
                                    " item_id = ?1 AND batch = ?2), 0), (SELECT count(*) FROM"
                                    " donation_goods WHERE item_id = ?1 AND batch = ?2 AND"
                                    " reverses_id IS NULL AND id <> ?3)");
    if (!l)
        return;
    sqlite3_bind_int64(l, 1, item);
    db_bind_text(l, 2, batch);
    sqlite3_bind_int64(l, 3, line);
    if (sqlite3_step(l) == SQLITE_ROW) {
        left = sqlite3_column_int64(l, 0);
        gifts = sqlite3_column_int64(l, 1);
    }
    db_reset(l);
    char part[256];
    trf(part, sizeof part, "res.st_goods_left", (long long)left);
    used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? "；" : "", part);
    if (gifts && used < outsz)
        snprintf(out + used, outsz - used, "%s", tr("res.st_shared_batch"));
}

ws_status res_statement(station *st, int64_t donor_id,
                        bool (*line)(void *ctx, const res_statement_line *l), void *ctx)
{
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    /* Rows first, then the where of each (more queries). */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT d.donation_date, d.number, 1, g.id, g.item_id, g.batch,"
        " i.name || ' ' || g.quantity || ' ' || i.unit, g.quantity * g.unit_value"
        " FROM donation_goods g JOIN donations d ON d.id = g.donation_id JOIN items i"
        " ON i.id = g.item_id WHERE d.donor_id = ?1 AND g.reverses_id IS NULL AND NOT EXISTS"
        " (SELECT 1 FROM donation_goods x WHERE x.reverses_id = g.id)"
        " UNION ALL SELECT d.donation_date, d.number, 0, m.id, m.fund_id, '', '', m.amount"
        " FROM donation_money m JOIN donations d ON d.id = m.donation_id WHERE d.donor_id = ?1"
        " AND m.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM donation_money x"
        " WHERE x.reverses_id = m.id) ORDER BY 1, 2, 4");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, donor_id);
    size_t n = 0, cap = 0;
    struct srow {
        res_statement_line l;
        bool goods;
        int64_t line, ref;
        char batch[64];
    } *rows = NULL;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            struct srow *g = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *rows);
            if (!g) {
                db_reset(q);
                free(rows);
                return WS_ERR_NOMEM;
            }
            rows = g;
        }
        struct srow *r = &rows[n++];
        memset(r, 0, sizeof *r);
        db_column_copy(q, 0, r->l.date, sizeof r->l.date);
        db_column_copy(q, 1, r->l.number, sizeof r->l.number);
        r->goods = sqlite3_column_int(q, 2) != 0;
        r->line = sqlite3_column_int64(q, 3);
        r->ref = sqlite3_column_int64(q, 4);
        db_column_copy(q, 5, r->batch, sizeof r->batch);
        db_column_copy(q, 6, r->l.what, sizeof r->l.what);
        if (!r->goods)
            snprintf(r->l.what, sizeof r->l.what, "%s", tr("res.x_money"));
        r->l.amount = sqlite3_column_int64(q, 7);
    }
    db_reset(q);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].goods)
            res_goods_where(st, rows[i].ref, rows[i].batch, rows[i].line, rows[i].l.where,
                            sizeof rows[i].l.where);
        else
            res_money_where(st, rows[i].ref, rows[i].l.where, sizeof rows[i].l.where);
        if (!line(ctx, &rows[i].l))
            break;
    }
    free(rows);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
