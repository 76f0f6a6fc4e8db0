/* The recipients of a distribution (发放) and its signed sheet (签领表):
 * one line per household, never twice in one occasion; a line keyed back
 * as signed or collected takes its items out of stock (earliest expiry
 * first, never an expired batch), one keyed back otherwise puts them back.
 * Each write is one transaction, audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "resources_internal.h"
#include "station_internal.h"
#include "wushe/text.h"
#include "wushe/validate.h"

static ws_status res_dist_audit(station *st, int64_t line_id, audit_action action,
                                const char *before, const char *after)
{
    return audit_event(station_db(st), station_actor(st), "distribution_lines", line_id, action,
                       before, after);
}

/* The line as JSON for the audit row (NULL when gone). */
static ws_status res_dist_snapshot(station *st, int64_t line_id, char **json)
{
    return audit_snapshot_sql(station_db(st),
        "SELECT json_object('id', id, 'distribution_id', distribution_id, 'household_id',"
        " household_id, 'status', status, 'collected_by', collected_by, 'signed_date',"
        " signed_date) FROM distribution_lines WHERE id = ?1", line_id, json);
}

/* The date a distribution's goods leave stock: its own, or today when
 * that has passed or is unknown (a list prepared ahead is given from what
 * will still be good on the day). */
static void res_dist_day(station *st, int64_t dist, char out[16])
{
    char today[11];
    date_today(today);
    if (db_text_i64(station_db(st), "SELECT dist_date FROM distributions WHERE id = ?1", dist,
                    out, 16) != WS_OK || strcmp(out, today) < 0)
        snprintf(out, 16, "%s", today);
}

ws_status res_dist_cover(station *st, int64_t dist, int64_t extra, record_error *re, int field)
{
    db *d = station_db(st);
    char day[16];
    res_dist_day(st, dist, day);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT i.name, i.unit, di.quantity, (SELECT count(*) FROM distribution_lines l"
        " WHERE l.distribution_id = ?1 AND l.status IN ('listed', 'absent')),"
        " (SELECT coalesce(sum(qty), 0) FROM stock_levels s WHERE s.item_id = di.item_id"
        " AND (s.expiry = '' OR s.expiry >= ?2))"
        " FROM distribution_items di JOIN items i ON i.id = di.item_id"
        " WHERE di.distribution_id = ?1 AND di.deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, dist);
    db_bind_text(q, 2, day);
    ws_status s = WS_OK;
    int rc;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t per = sqlite3_column_int64(q, 2), lines = sqlite3_column_int64(q, 3) + extra;
        int64_t have = sqlite3_column_int64(q, 4);
        if (per * lines > have) {
            char name[256], unit[32];
            db_column_copy(q, 0, name, sizeof name);
            db_column_copy(q, 1, unit, sizeof unit);
            s = res_failf(re, field, "res.err_dist_short", name, (long long)have, unit,
                          (long long)lines, (long long)per, unit, (long long)(per * lines), unit);
        }
    }
    db_reset(q);
    return s;
}

static ws_status res_dist_insert(station *st, int64_t dist, int64_t household_id,
                                 record_error *re)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "INSERT INTO distribution_lines(distribution_id,"
                                    " household_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"
                                    " ON CONFLICT DO NOTHING");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, dist);
    sqlite3_bind_int64(q, 2, household_id);
    db_bind_text(q, 3, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (sqlite3_changes(db_handle(d)) == 0) {
        char number[64] = "";
        if (db_text_i64(d, "SELECT number FROM households WHERE id = ?1", household_id, number,
                        sizeof number) != WS_OK)
            number[0] = '\0';
        return res_failf(re, -1, "res.err_dist_twice", number);
    }
    int64_t line = sqlite3_last_insert_rowid(db_handle(d));
    char *after = NULL;
    ws_status s = res_dist_snapshot(st, line, &after);
    if (s == WS_OK)
        s = res_dist_audit(st, line, AUDIT_INSERT, NULL, after);
    free(after);
    return s;
}

static ws_status res_dist_begin(station *st, int64_t dist, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_RESOURCES);
    if (s != WS_OK)
        return s;
    bool found = false;
    s = db_exists_i64(station_db(st), "SELECT 1 FROM distributions WHERE id = ?1 AND"
                      " deleted_at IS NULL", dist, 0, &found);
    if (s == WS_OK && !found)
        return WS_ERR_NOT_FOUND;
    return s == WS_OK ? db_begin(station_db(st)) : s;
}

ws_status res_dist_add(station *st, int64_t dist, int64_t household_id, record_error *re)
{
    ws_status s = res_dist_begin(st, dist, re);
    if (s != WS_OK)
        return s;
    bool found = false;
    s = db_exists_i64(station_db(st), "SELECT 1 FROM households WHERE id = ?1 AND"
                      " deleted_at IS NULL", household_id, 0, &found);
    if (s == WS_OK && !found)
        s = res_failf(re, -1, "res.err_no_household");
    if (s == WS_OK)
        s = res_dist_insert(st, dist, household_id, re);
    if (s == WS_OK)
        s = res_dist_cover(st, dist, 0, re, -1);
    return db_end(station_db(st), s);
}

ws_status res_dist_add_filter(station *st, int64_t dist, const char *group, int64_t community,
                              int64_t *added, record_error *re)
{
    *added = 0;
    ws_status s = res_dist_begin(st, dist, re);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    /* A community that is not there adds nothing silently: say so. */
    bool found = true;
    if (community)
        s = db_exists_i64(d, "SELECT 1 FROM communities WHERE id = ?1 AND deleted_at IS NULL", community, 0, &found);
    if (s == WS_OK && !found)
        s = res_failf(re, -1, "res.err_no_community");
    sqlite3_stmt *q = s != WS_OK ? NULL : db_prepare(d,
        "SELECT h.id FROM households h WHERE h.deleted_at IS NULL"
        " AND (?2 = 0 OR h.community_id = ?2)"
        " AND EXISTS (SELECT 1 FROM residents r JOIN resident_groups g ON g.resident_id = r.id"
        " WHERE r.household_id = h.id AND r.deleted_at IS NULL AND (?3 = '' OR g.group_code = ?3))"
        " AND NOT EXISTS (SELECT 1 FROM distribution_lines l WHERE l.distribution_id = ?1"
        " AND l.household_id = h.id) ORDER BY h.number, h.id");
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, dist);
        sqlite3_bind_int64(q, 2, community);
        db_bind_text(q, 3, group ? group : "");
        int rc;
        while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (n == cap) {
                int64_t *g = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *ids);
                if (!g) {
                    s = WS_ERR_NOMEM;
                    break;
                }
                ids = g;
            }
            ids[n++] = sqlite3_column_int64(q, 0);
        }
        db_reset(q);
    }
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = res_dist_insert(st, dist, ids[i], re);
    free(ids);
    /* All or nothing: a list the stock cannot cover is not made. */
    if (s == WS_OK)
        s = res_dist_cover(st, dist, 0, re, -1);
    s = db_end(d, s);
    if (s == WS_OK)
        *added = (int64_t)n;
    return s;
}

/* The line's distribution and status. */
static ws_status res_line_get(station *st, int64_t line_id, int64_t *dist, char status[16])
{
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT distribution_id, status FROM"
                                                 " distribution_lines WHERE id = ?1");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, line_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *dist = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, status, 16);
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status res_dist_remove(station *st, int64_t line_id, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_RESOURCES);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_begin(d);
    int64_t dist = 0;
    char status[16] = "";
    if (s == WS_OK)
        s = res_line_get(st, line_id, &dist, status);
    if (s == WS_OK && (strcmp(status, "signed") == 0 || strcmp(status, "collected") == 0))
        s = res_failf(re, -1, "res.err_line_taken");
    char *before = NULL;
    if (s == WS_OK)
        s = res_dist_snapshot(st, line_id, &before);
    if (s == WS_OK)
        s = db_run_i64_text(d, "DELETE FROM distribution_lines WHERE id = ?1 AND ?2 = ?2",
                            line_id, "");
    if (s == WS_OK)
        s = res_dist_audit(st, line_id, AUDIT_DELETE, before, NULL);
    free(before);
    return db_end(d, s);
}

static bool res_taken(const char *status)
{
    return strcmp(status, "signed") == 0 || strcmp(status, "collected") == 0;
}

/* Take one line's items out of stock: per item, batch by batch, earliest
 * expiry first (no expiry last), never an expired one. */
static ws_status res_line_take(station *st, int64_t dist, int64_t line_id, const char *date,
                               record_error *re)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT item_id, quantity FROM distribution_items WHERE"
                                    " distribution_id = ?1 AND deleted_at IS NULL ORDER BY id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, dist);
    /* A distribution gives a household a few items; more than 64 is refused
     * when they are set (dist_item_rules). */
    int64_t items[64][2];
    size_t n = 0;
    while (n < 64 && sqlite3_step(q) == SQLITE_ROW) {
        items[n][0] = sqlite3_column_int64(q, 0);
        items[n][1] = sqlite3_column_int64(q, 1);
        n++;
    }
    db_reset(q);
    if (n == 0)
        return res_failf(re, -1, "res.err_dist_no_items");
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        int64_t need = items[i][1];
        /* Batches first, then the moves: one statement at a time; 32
         * batches a round, the emptied ones leave the next round. */
        struct { char batch[64]; char expiry[16]; int64_t qty; } b[32];
        size_t nb = 32;
        while (s == WS_OK && need > 0 && nb == 32) {
            nb = 0;
            q = db_prepare(d, "SELECT batch, expiry, qty FROM stock_levels WHERE item_id = ?1"
                              " AND qty > 0 AND (expiry = '' OR expiry >= ?2)"
                              " ORDER BY expiry = '', expiry, batch");
            if (!q)
                return db_status(d);
            sqlite3_bind_int64(q, 1, items[i][0]);
            db_bind_text(q, 2, date);
            while (nb < 32 && sqlite3_step(q) == SQLITE_ROW) {
                db_column_copy(q, 0, b[nb].batch, sizeof b[nb].batch);
                db_column_copy(q, 1, b[nb].expiry, sizeof b[nb].expiry);
                b[nb].qty = sqlite3_column_int64(q, 2);
                nb++;
            }
            db_reset(q);
            for (size_t k = 0; s == WS_OK && k < nb && need > 0; k++) {
                int64_t take = b[k].qty < need ? b[k].qty : need;
                s = res_stock_post(st, items[i][0], b[k].batch, b[k].expiry, -take, 0, date,
                                   "distribution_lines", line_id, re, -1);
                need -= take;
            }
        }
        if (s == WS_OK && need > 0) {
            /* What is left (unexpired) cannot cover this household. */
            int64_t have = items[i][1] - need;
            char name[256] = "";
            if (db_text_i64(d, "SELECT name || ' (' || unit || ')' FROM items WHERE id = ?1",
                            items[i][0], name, sizeof name) != WS_OK)
                name[0] = '\0';
            s = res_failf(re, -1, "res.err_stock_short", name, (long long)have,
                          (long long)items[i][1]);
        }
    }
    return s;
}

/* Put back what a line took: each batch's net movement reversed. */
static ws_status res_line_return(station *st, int64_t line_id, const char *date, record_error *re)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT item_id, batch, expiry, sum(qty) FROM stock_moves"
                                    " WHERE source = 'distribution_lines' AND source_id = ?1"
                                    " GROUP BY item_id, batch HAVING sum(qty) <> 0");
    if (!q)
        return db_status(d);
    /* 64 batches a round; the returned ones sum to 0 and leave the next. */
    struct { int64_t item; char batch[64]; char expiry[16]; int64_t qty; } m[64];
    size_t n = 64;
    ws_status s = WS_OK;
    while (s == WS_OK && n == 64) {
        n = 0;
        sqlite3_bind_int64(q, 1, line_id);
        while (n < 64 && sqlite3_step(q) == SQLITE_ROW) {
            m[n].item = sqlite3_column_int64(q, 0);
            db_column_copy(q, 1, m[n].batch, sizeof m[n].batch);
            db_column_copy(q, 2, m[n].expiry, sizeof m[n].expiry);
            m[n].qty = sqlite3_column_int64(q, 3);
            n++;
        }
        db_reset(q);
        for (size_t i = 0; s == WS_OK && i < n; i++)
            s = res_stock_post(st, m[i].item, m[i].batch, m[i].expiry, -m[i].qty, 0, date,
                               "distribution_lines", line_id, re, -1);
    }
    return s;
}

#define RES_ANY_REVISION (-1)

static ws_status res_dist_mark_line(station *st, int64_t line_id, int64_t revision,
                                    const char *status, const char *collected_by,
                                    const char *signed_on, record_error *re);

ws_status res_dist_mark(station *st, int64_t line_id, const char *status,
                        const char *collected_by, record_error *re)
{
    return res_dist_mark_line(st, line_id, RES_ANY_REVISION, status, collected_by, NULL, re);
}

ws_status res_dist_mark_seen(station *st, int64_t line_id, int64_t revision, const char *status,
                             const char *collected_by, record_error *re)
{
    return res_dist_mark_line(st, line_id, revision, status, collected_by, NULL, re);
}

ws_status res_dist_mark_on(station *st, int64_t line_id, const char *status,
                           const char *collected_by, const char *signed_on, record_error *re)
{
    return res_dist_mark_line(st, line_id, RES_ANY_REVISION, status, collected_by, signed_on, re);
}

/* The line's revision is still `revision` (RES_ANY_REVISION: not asked);
 * else who changed it since, in re->detail. */
static ws_status res_line_unchanged(station *st, int64_t line_id, int64_t revision,
                                    record_error *re)
{
    if (revision == RES_ANY_REVISION)
        return WS_OK;
    int64_t now = 0;
    ws_status s = db_int(station_db(st), "SELECT revision FROM distribution_lines WHERE id = ?1",
                         line_id, &now);
    if (s != WS_OK || now == revision)
        return s;
    record_changed_by(st, "distribution_lines", line_id, re->detail, sizeof re->detail);
    return WS_ERR_STALE;
}

/* revision: the line as a sheet read it (RES_ANY_REVISION: as it is now). */
static ws_status res_dist_mark_line(station *st, int64_t line_id, int64_t revision,
                                    const char *status, const char *collected_by,
                                    const char *signed_on, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_RESOURCES);
    if (s != WS_OK)
        return s;
    static const char *const known[] = {"listed", "signed", "absent", "collected"};
    bool ok = false;
    for (size_t i = 0; i < 4; i++)
        ok |= status && strcmp(status, known[i]) == 0;
    if (!ok)
        return res_failf(re, -1, "res.err_sign_status");
    char *by = text_sanitize(collected_by ? collected_by : "");
    if (!by)
        return WS_ERR_NOMEM;
    if (strcmp(status, "collected") == 0 && !by[0]) {
        free(by);
        return res_failf(re, -1, "res.err_collected_by");
    }
    if (strcmp(status, "collected") != 0)
        by[0] = '\0';
    by[text_prefix_bytes(by, 60)] = '\0';
    db *d = station_db(st);
    s = db_begin(d);
    int64_t dist = 0;
    char was[16] = "", date[16] = "";
    if (s == WS_OK)
        s = res_line_unchanged(st, line_id, revision, re);
    if (s == WS_OK)
        s = res_line_get(st, line_id, &dist, was);
    /* Signed on the distribution's day; one prepared ahead and handed out
     * early is signed today, never on a day still to come. */
    char today[11];
    date_today(today);
    if (s == WS_OK && (db_text_i64(d, "SELECT dist_date FROM distributions WHERE id = ?1", dist,
                                   date, sizeof date) != WS_OK || !date[0] ||
                       strcmp(date, today) > 0))
        snprintf(date, sizeof date, "%s", today);
    /* The day on the sheet the person signed, when it says one. */
    if (s == WS_OK && signed_on && signed_on[0] && res_taken(status)) {
        char on[11];
        val_status v = val_date(signed_on, today, true, on);
        if (v != VAL_OK)
            s = res_failf(re, -1, "record.field_error", tr("res.x_signed_date"),
                          tr(val_status_key(v)));
        else
            snprintf(date, sizeof date, "%s", on);
    }
    char *before = NULL;
    if (s == WS_OK)
        s = res_dist_snapshot(st, line_id, &before);
    if (s == WS_OK && res_taken(status) && !res_taken(was))
        s = res_line_take(st, dist, line_id, date, re);
    else if (s == WS_OK && !res_taken(status) && res_taken(was))
        s = res_line_return(st, line_id, date, re);
    if (s == WS_OK) {
        sqlite3_stmt *q = db_prepare(d, "UPDATE distribution_lines SET status = ?2,"
                                        " collected_by = ?3, signed_date = ?4, updated_at = ?5,"
                                        " revision = revision + 1"
                                        " WHERE id = ?1");
        if (!q)
            s = db_status(d);
        if (s == WS_OK) {
            char now[32];
            db_now(now);
            sqlite3_bind_int64(q, 1, line_id);
            db_bind_text(q, 2, status);
            db_bind_text(q, 3, by);
            db_bind_text_or_null(q, 4, res_taken(status) ? date : "");
            db_bind_text(q, 5, now);
            int rc = sqlite3_step(q);
            db_reset(q);
            s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
        }
    }
    char *after = NULL;
    if (s == WS_OK)
        s = res_dist_snapshot(st, line_id, &after);
    if (s == WS_OK && strcmp(before, after) != 0)
        s = res_dist_audit(st, line_id, AUDIT_UPDATE, before, after);
    free(before);
    free(after);
    free(by);
    return db_end(d, s);
}

ws_status res_dist_line_of(station *st, int64_t dist, int64_t household_id, int64_t *line_id)
{
    *line_id = 0;
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM distribution_lines WHERE"
                                                 " distribution_id = ?1 AND household_id = ?2");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, dist);
    sqlite3_bind_int64(q, 2, household_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *line_id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* The head's name and masked ID number for the sheet. */
#define RES_LINE_SELECT                                                                   \
    "SELECT l.id, l.household_id, h.number, coalesce(r.name, ''),"                        \
    " coalesce(substr(r.id_number, 1, 3) || '***********' || substr(r.id_number, 15), ''),"\
    " l.status, l.collected_by, l.revision FROM distribution_lines l"                     \
    " JOIN households h ON h.id = l.household_id"                                         \
    " LEFT JOIN residents r ON r.id = h.head_id"                                          \
    " WHERE l.distribution_id = ?1 AND (?2 = '' OR h.number LIKE '%' || ?2 || '%'"        \
    " OR r.name LIKE '%' || ?2 || '%')"

ws_status res_dist_lines(station *st, int64_t dist, const char *filter, int64_t after, int dir,
                         res_line *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    static const char *const sql[4] = {
        RES_LINE_SELECT " ORDER BY h.number, l.id LIMIT ?4",
        RES_LINE_SELECT " AND (h.number, l.id) > ((SELECT number FROM households WHERE id ="
                        " (SELECT household_id FROM distribution_lines WHERE id = ?3)), ?3)"
                        " ORDER BY h.number, l.id LIMIT ?4",
        RES_LINE_SELECT " ORDER BY h.number DESC, l.id DESC LIMIT ?4",
        RES_LINE_SELECT " AND (h.number, l.id) < ((SELECT number FROM households WHERE id ="
                        " (SELECT household_id FROM distribution_lines WHERE id = ?3)), ?3)"
                        " ORDER BY h.number DESC, l.id DESC LIMIT ?4",
    };
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql[(after ? 1 : 0) + (dir < 0 ? 2 : 0)]);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, dist);
    db_bind_text(q, 2, filter ? filter : "");
    sqlite3_bind_int64(q, 3, after);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)max);
    int rc;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        res_line *l = &out[(*n)++];
        memset(l, 0, sizeof *l);
        l->id = sqlite3_column_int64(q, 0);
        l->household_id = sqlite3_column_int64(q, 1);
        db_column_copy(q, 2, l->number, sizeof l->number);
        db_column_copy(q, 3, l->head, sizeof l->head);
        res_mask_name(l->head, l->head_masked, sizeof l->head_masked);
        db_column_copy(q, 4, l->id_masked, sizeof l->id_masked);
        db_column_copy(q, 5, l->status, sizeof l->status);
        db_column_copy(q, 6, l->collected_by, sizeof l->collected_by);
        l->revision = sqlite3_column_int64(q, 7);
    }
    db_reset(q);
    return WS_OK;
}

ws_status res_dist_totals_get(station *st, int64_t dist, res_dist_totals *t)
{
    memset(t, 0, sizeof *t);
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT status, count(*) FROM distribution_lines WHERE"
                                    " distribution_id = ?1 GROUP BY status");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, dist);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *st_ = (const char *)sqlite3_column_text(q, 0);
        int64_t c = sqlite3_column_int64(q, 1);
        if (!st_)
            continue;
        if (!strcmp(st_, "listed"))
            t->listed = c;
        else if (!strcmp(st_, "signed"))
            t->signed_ = c;
        else if (!strcmp(st_, "absent"))
            t->absent = c;
        else if (!strcmp(st_, "collected"))
            t->collected = c;
    }
    db_reset(q);
    return WS_OK;
}
