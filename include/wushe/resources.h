/* Charitable resources (issue 13): donors, the station's items and their
 * stock, funds, donations in money and goods, payments out of funds,
 * distributions (发放) with their signed sheets, and 微心愿.
 *
 * Donors, items, funds, donations (the header), distributions, what a
 * distribution gives each recipient, and wishes are declared kinds. The
 * lines of a donation and the payments are POSTED kinds (record_kind.posted):
 * written once, never updated or deleted. A correction (更正) is one action
 * that writes a reversal linked to the original (the negated line, its
 * reverses_id the original's) and, if wanted, the corrected line.
 *
 * Stock is the sum of stock_moves per item and batch, a fund's balance the
 * sum of fund_entries; what would go below zero is refused inside the
 * writing transaction (BEGIN IMMEDIATE), so two consoles never both hand
 * out the last unit. items.on_hand, funds.balance and stock_levels are
 * caches kept by triggers; res_check proves them. Money is integer fen. */
#ifndef WUSHE_RESOURCES_H
#define WUSHE_RESOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/record.h"
#include "wushe/station.h"

/* Amounts and quantities are below this (10^15 fen: ten trillion yuan). */
#define RES_AMOUNT_MAX 1000000000000000LL

typedef struct donor {
    int64_t id;
    int64_t revision;
    char name[256];
    char donor_type[24];  /* donor_type */
    char public_name[8];  /* donor_public: "yes" named in 公示, else 爱心人士 */
    char contact[256];
    char phone[32];
    int64_t resident_id;  /* a donor who is on the register (0: none) */
    char notes[1024];
    int64_t org_id;       /* a donor that is a social organisation (0: none) */
} donor;
typedef enum { DNF_NAME, DNF_TYPE, DNF_PUBLIC, DNF_CONTACT, DNF_PHONE, DNF_RESIDENT,
               DNF_NOTES, DNF_ORG } donor_field;

typedef struct item {
    int64_t id;
    int64_t revision;
    char name[256];
    char category[24]; /* item_category */
    char unit[32];
    int64_t on_hand;   /* derived: the sum of its stock movements */
    char notes[512];
} item;
typedef enum { ITF_NAME, ITF_CATEGORY, ITF_UNIT, ITF_ON_HAND, ITF_NOTES } item_field;

typedef struct fund {
    int64_t id;
    int64_t revision;
    char name[256];
    char fund_type[24]; /* fund_type: general, restricted */
    char purpose[256];
    char host[256];
    int64_t balance;    /* derived: the sum of its entries, fen */
    char notes[512];
} fund;
typedef enum { FNF_NAME, FNF_TYPE, FNF_PURPOSE, FNF_HOST, FNF_BALANCE, FNF_NOTES } fund_field;

typedef struct donation {
    int64_t id;
    int64_t revision;
    char number[64];        /* 登记号 */
    char donation_date[16];
    int64_t donor_id;
    char purpose[24];       /* donation_purpose */
    char handler[128];
    char agreement[8];      /* yes_no: 捐赠协议 */
    char receipt_code[64];  /* the host charity's receipt, once issued */
    char receipt_no[64];
    char notes[512];
} donation;
typedef enum { DOF_NUMBER, DOF_DATE, DOF_DONOR, DOF_PURPOSE, DOF_HANDLER, DOF_AGREEMENT,
               DOF_RECEIPT_CODE, DOF_RECEIPT_NO, DOF_NOTES } donation_field;

typedef struct donation_money {
    int64_t id;
    int64_t revision;
    int64_t donation_id;
    int64_t fund_id;
    int64_t amount;       /* fen */
    char method[24];      /* pay_method */
    char account[128];
    int64_t reverses_id;  /* a reversal: the line it cancels */
} donation_money;
typedef enum { DMF_DONATION, DMF_FUND, DMF_AMOUNT, DMF_METHOD, DMF_ACCOUNT,
               DMF_REVERSES } donation_money_field;

typedef struct donation_goods {
    int64_t id;
    int64_t revision;
    int64_t donation_id;
    int64_t item_id;
    int64_t quantity;
    int64_t unit_value;   /* fen */
    char batch[64];
    char expiry[16];
    char condition[16];   /* goods_condition */
    int64_t reverses_id;
} donation_goods;
typedef enum { DGF_DONATION, DGF_ITEM, DGF_QUANTITY, DGF_UNIT_VALUE, DGF_BATCH, DGF_EXPIRY,
               DGF_CONDITION, DGF_REVERSES } donation_goods_field;

typedef struct payment {
    int64_t id;
    int64_t revision;
    char payment_date[16];
    int64_t fund_id;
    int64_t household_id; /* 0: none */
    int64_t amount;
    char purpose[256];
    int64_t reverses_id;
} payment;
typedef enum { PYF_DATE, PYF_FUND, PYF_HOUSEHOLD, PYF_AMOUNT, PYF_PURPOSE,
               PYF_REVERSES } payment_field;

typedef struct distribution {
    int64_t id;
    int64_t revision;
    char name[256];
    char dist_date[16];
    char notes[512];
} distribution;
typedef enum { DSF_NAME, DSF_DATE, DSF_NOTES } distribution_field;

typedef struct distribution_item {
    int64_t id;
    int64_t revision;
    int64_t distribution_id;
    int64_t item_id;
    int64_t quantity;     /* per recipient */
    char notes[256];      /* 每户一袋（10公斤装） */
} distribution_item;
typedef enum { DIF_DISTRIBUTION, DIF_ITEM, DIF_QUANTITY, DIF_NOTES } distribution_item_field;

typedef struct wish {
    int64_t id;
    int64_t revision;
    int64_t resident_id;
    char wish[256];
    int64_t value;        /* fen */
    char status[16];      /* wish_status */
    int64_t donor_id;
    char fulfilled_date[16];
    char given[256];
} wish;
typedef enum { WSF_RESIDENT, WSF_WISH, WSF_VALUE, WSF_STATUS, WSF_DONOR, WSF_FULFILLED,
               WSF_GIVEN } wish_field;

/* Goods bought (采购入库), posted: into stock, and out of a fund when one
 * paid (a restricted fund only for its purpose, and only by a 站长). */
typedef struct purchase {
    int64_t id;
    int64_t revision;
    char purchase_date[16];
    int64_t item_id;
    int64_t quantity;
    int64_t unit_price; /* fen */
    char batch[64];
    char expiry[16];
    int64_t fund_id;    /* 0: paid elsewhere */
    char purpose[256];
    char supplier[256];
    char invoice[64];
    int64_t reverses_id;
} purchase;
typedef enum { PUF_DATE, PUF_ITEM, PUF_QUANTITY, PUF_UNIT_PRICE, PUF_BATCH, PUF_EXPIRY,
               PUF_FUND, PUF_PURPOSE, PUF_SUPPLIER, PUF_INVOICE, PUF_REVERSES } purchase_field;

/* Goods out of stock other than by a distribution (出库), posted: through
 * the 爱心超市 for a volunteer's points (taken in the same transaction,
 * never below zero; for a family member when resident_id is set), used at
 * an activity, or other. batch "": the earliest expiry in stock first. */
typedef struct stock_issue {
    int64_t id;
    int64_t revision;
    char issue_date[16];
    int64_t item_id;
    char batch[64];
    int64_t quantity;
    char use[16];        /* stock_use: shop, activity, other */
    int64_t activity_id;
    int64_t volunteer_id;
    int64_t points;
    int64_t resident_id;
    int64_t points_move_id; /* kept by the model */
    char notes[256];
    int64_t reverses_id;
} stock_issue;
typedef enum { SIF_DATE, SIF_ITEM, SIF_BATCH, SIF_QUANTITY, SIF_USE, SIF_ACTIVITY, SIF_VOLUNTEER,
               SIF_POINTS, SIF_RESIDENT, SIF_MOVE, SIF_NOTES, SIF_REVERSES } stock_issue_field;

extern const record_kind kind_donor, kind_item, kind_fund, kind_donation, kind_donation_money,
    kind_donation_goods, kind_payment, kind_distribution, kind_distribution_item, kind_wish,
    kind_purchase, kind_stock_issue;

/* ---- corrections ---- */

/* 更正 of a posted record (a donation line, a payment) in one transaction:
 * the reversal (negated, linked to `id`) and, when `corrected` is not NULL,
 * the corrected record as a new one (its id is set). Refused (WS_ERR_INVALID,
 * re says why) for a reversal itself, for a record already corrected (correct
 * the corrected one instead), and when the reversal would take stock or a
 * fund below zero (the goods were handed out, the money paid). */
ws_status res_correct(station *st, const record_kind *k, int64_t id, void *corrected,
                      record_error *re);
/* Whether posted kind k's reversal negates an amount of money (a money
 * line, a payment) rather than a quantity of goods. */
bool res_posted_money(const record_kind *k);
/* "12.50" of an amount in fen, as every screen, ledger and paper shows
 * money (out: at least 32 bytes). */
void res_yuan(int64_t fen, char *out, size_t outsz);
/* Whether record `id` of posted kind k is a reversal, or has been reversed. */
ws_status res_correction_state(station *st, const record_kind *k, int64_t id, bool *is_reversal,
                               bool *is_reversed);
/* The reversal of entry `id` of posted kind k (*reversal 0: none). */
ws_status res_reversal_of(station *st, const record_kind *k, int64_t id, int64_t *reversal);

/* ---- stock and funds ---- */

/* Stock on hand of one item (the cache; res_stock_sum is the naive sum). */
ws_status res_stock(station *st, int64_t item_id, int64_t *qty);
ws_status res_stock_sum(station *st, int64_t item_id, int64_t *qty);
ws_status res_fund_balance(station *st, int64_t fund_id, int64_t *fen);
ws_status res_fund_sum(station *st, int64_t fund_id, int64_t *fen);

/* One batch of an item in stock. */
typedef struct res_batch {
    int64_t item_id;
    char item[256];
    char unit[32];
    char batch[64];
    char expiry[16];
    int64_t qty;
    bool expired;  /* its expiry is before today: to be written off, not given */
} res_batch;
/* Batches in stock (qty > 0) whose expiry is on or before `until`
 * (YYYY-MM-DD), earliest first: the list of what expires within 30 days,
 * the ones already past among them marked expired. */
ws_status res_expiring(station *st, const char *until, res_batch *out, size_t max, size_t *n);
/* The same of the items a search box finds (name, pinyin, initials, as
 * the items list; "" or NULL: all). */
ws_status res_expiring_find(station *st, const char *until, const char *filter, res_batch *out,
                            size_t max, size_t *n);

/* The batches of one item in stock ("B1 45、A 3"; "" none). */
ws_status res_item_batches(station *st, int64_t item_id, char *out, size_t outsz);
/* Write off stock of one batch (expired, damaged) with a reason. */
ws_status res_writeoff(station *st, int64_t item_id, const char *batch, int64_t qty,
                       const char *reason, record_error *re);

/* ---- distributions ---- */

typedef struct res_line {
    int64_t id;
    int64_t household_id;
    char number[64];       /* 户号 */
    char head[256];        /* the head's name */
    char head_masked[64];  /* 张* */
    char id_masked[32];    /* the head's ID number, masked */
    char status[16];       /* sign_status */
    char collected_by[128];
    int64_t revision;      /* as read: res_dist_mark_seen */
} res_line;

/* Add one household to distribution `dist` (refused when it is on it
 * already, or when the stock would not cover the list). */
ws_status res_dist_add(station *st, int64_t dist, int64_t household_id, record_error *re);
/* Every living household with a member in vulnerable group `group` (a
 * code; "" any group) in community `community` (0: all; an id that is
 * no community is refused) that is not on the list yet; all or nothing.
 * *added: how many. */
ws_status res_dist_add_filter(station *st, int64_t dist, const char *group, int64_t community,
                              int64_t *added, record_error *re);
/* Remove a line not yet signed. */
ws_status res_dist_remove(station *st, int64_t line_id, record_error *re);
/* Key back one line of the signed sheet: status signed, absent,
 * collected (collected_by names who), or listed. A line that becomes
 * signed or collected takes its items out of stock (earliest expiry
 * first, never an expired batch); one that stops being so puts them back. */
ws_status res_dist_mark(station *st, int64_t line_id, const char *status,
                        const char *collected_by, record_error *re);
/* The same, signed on signed_on (a date as typed; NULL or "": the
 * distribution's day, or today when that is still to come). A day after
 * today is refused. */
ws_status res_dist_mark_on(station *st, int64_t line_id, const char *status,
                           const char *collected_by, const char *signed_on, record_error *re);
/* res_dist_mark of a line as a sheet showed it (its revision when read):
 * marked by someone else since, it is refused with WS_ERR_STALE, re->detail
 * naming who and when, and nothing changes. */
ws_status res_dist_mark_seen(station *st, int64_t line_id, int64_t revision, const char *status,
                             const char *collected_by, record_error *re);
/* The line of household `household_id` in `dist` (WS_ERR_NOT_FOUND: not
 * on the sheet). */
ws_status res_dist_line_of(station *st, int64_t dist, int64_t household_id, int64_t *line_id);
/* Lines in household-number order, keyset paged (after: a line id). */
ws_status res_dist_lines(station *st, int64_t dist, const char *filter, int64_t after, int dir,
                         res_line *out, size_t max, size_t *n);
typedef struct res_dist_totals {
    int64_t listed, signed_, absent, collected;
} res_dist_totals;
ws_status res_dist_totals_get(station *st, int64_t dist, res_dist_totals *t);

/* ---- the public notice (公示) ---- */

/* What a line of a notice is. */
typedef enum {
    RES_NOTICE_GIFT,     /* a donation line standing (not a reversed one nor its reversal) */
    RES_NOTICE_DIST,     /* a recipient who signed for a distribution */
    RES_NOTICE_PAYMENT,  /* money paid out of a fund, standing */
    RES_NOTICE_PURCHASE, /* goods bought with a fund's money, standing */
} res_notice_kind;

/* One line of a notice: what came in or went out. */
typedef struct res_notice_line {
    char month[8];       /* YYYY-MM */
    res_notice_kind kind;
    bool out;            /* anything but a gift */
    char who[256];       /* the donor, named only with consent, else 爱心人士; a
                            recipient masked 张*; a purchase's supplier */
    char what[512];      /* 大米 43 袋, 捐款, 2026 春节慰问：大米 1袋；食用油 1桶,
                            社区基金：临时救助 */
    int64_t money;       /* fen given (money lines) */
    int64_t value;       /* fen: goods given at their unit value */
    int64_t spent;       /* fen paid out of a fund (payments, purchases) */
} res_notice_line;

/* A notice's running totals (a month's, the period's): money and goods
 * given, money spent, households that signed. */
typedef struct res_notice_sum {
    int64_t money, value, spent, households;
} res_notice_sum;
void res_notice_sum_add(res_notice_sum *sum, const res_notice_line *l);
/* The catalog key of a line's kind (捐入, 发放, 支出, 采购). */
const char *res_notice_kind_key(res_notice_kind kind);

/* The notice for from..to (YYYY-MM-DD, inclusive), in date order; `line`
 * gets each (false stops). Needs PERM_REGISTER_READ. */
ws_status res_notice(station *st, const char *from, const char *to,
                     bool (*line)(void *ctx, const res_notice_line *l), void *ctx);

/* A donor's own statement: each standing line they gave and where it went
 * (money: its fund, what the fund has paid out and holds; goods: the
 * distributions and write-offs that took from the batch, and what is left
 * of it; a batch shared with other gifts says so). */
typedef struct res_statement_line {
    char date[16];
    char number[64];
    char what[256];      /* 捐款, 大米 43 袋 */
    int64_t amount;      /* fen: the money, or the goods at their unit value */
    char where[768];
} res_statement_line;
ws_status res_statement(station *st, int64_t donor_id,
                        bool (*line)(void *ctx, const res_statement_line *l), void *ctx);
/* A donor by name (0: none). */
ws_status res_donor_find(station *st, const char *name, int64_t *id);

/* ---- checks ---- */

/* Whether every cache equals the sum of its entries and nothing is below
 * zero; *problems counts what is wrong, `say` (may be NULL) gets each one
 * in the user's language. */
ws_status res_check(station *st, int64_t *problems, void (*say)(void *ctx, const char *line),
                    void *ctx);

/* A name for a public notice: its first character, then one * for each
 * of the others (张三 -> 张*). */
void res_mask_name(const char *name, char *out, size_t outsz);

#endif
