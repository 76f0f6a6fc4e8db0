/* What the resources' files share (postings into the stock and fund
 * ledgers); not for the front end. */
#ifndef WUSHE_RESOURCES_INTERNAL_H
#define WUSHE_RESOURCES_INTERNAL_H

#include "db.h"
#include "wushe/catalog.h"
#include "wushe/resources.h"

/* A refusal in the user's words: field (-1 none) and the message. */
ws_status res_fail(record_error *re, int field, const char *msg);
#define res_failf(re, field, ...) \
    res_fail((re), (field), trf((char[320]){0}, 320, __VA_ARGS__))

/* One movement of one batch, inside the caller's transaction: a movement
 * out (qty < 0) that would take the batch below zero is refused with the
 * item's name and what is left (re->field = field). */
ws_status res_stock_post(station *st, int64_t item, const char *batch, const char *expiry,
                         int64_t qty, int64_t value, const char *date, const char *source,
                         int64_t source_id, record_error *re, int field);
/* The expiry of an item's batch in stock ("" none, or no such batch). */
ws_status res_batch_expiry(station *st, int64_t item, const char *batch, char expiry[16]);
/* One fund entry, likewise: a fund is never overdrawn. */
ws_status res_fund_post(station *st, int64_t fund, int64_t amount, const char *date,
                        const char *source, int64_t source_id, record_error *re, int field);

/* Whether the stock good on the distribution's day covers what each of
 * its lines not yet signed gets, and `extra` more recipients; the first
 * item short is named with the numbers (re->field = field). Inside the
 * caller's transaction. */
ws_status res_dist_cover(station *st, int64_t dist, int64_t extra, record_error *re, int field);

/* An amount or quantity as typed or imported: > 0 and < RES_AMOUNT_MAX
 * (a reversal's own negation is checked against its original). */
ws_status res_check_amount(int64_t v, bool money, record_error *re, int field);

/* A posted record's amount (money: fen) is in range, or in a reversal the
 * negation of an original that is no reversal itself. */
ws_status res_posted_amount(station *st, const record_kind *k, void *rec, bool money,
                            record_error *re);
/* Whether text names one of a restricted fund's purposes ("困境儿童、留守儿童助学"). */
bool res_names_purpose(const char *text, const char *purpose);

#endif
