/* The registry of 志愿服务记录证明 (民政部令第67号: whoever records
 * certifies, free of charge): each certificate issued is a row with its
 * number, volunteer, period and hours, so that a reprint carries the same
 * number and `wushe certificate verify` can say what a number certified. */
#include "wushe/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ids.h"
#include "station_internal.h"
#include "wushe/validate.h"

#define CERT_SELECT                                                                       \
    "SELECT c.id, c.number, c.volunteer_id, v.number, v.name, c.from_date, c.to_date,"    \
    " c.minutes, coalesce((SELECT display_name FROM accounts WHERE login = c.issued_by),"  \
    " c.issued_by), c.issued_on FROM volunteer_certificates c"                            \
    " JOIN volunteers v ON v.id = c.volunteer_id"

static void cert_read(sqlite3_stmt *q, certificate *c)
{
    c->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, c->number, sizeof c->number);
    c->volunteer_id = sqlite3_column_int64(q, 2);
    db_column_copy(q, 3, c->volunteer_number, sizeof c->volunteer_number);
    db_column_copy(q, 4, c->volunteer_name, sizeof c->volunteer_name);
    db_column_copy(q, 5, c->from, sizeof c->from);
    db_column_copy(q, 6, c->to, sizeof c->to);
    c->minutes = sqlite3_column_int64(q, 7);
    db_column_copy(q, 8, c->issued_by, sizeof c->issued_by);
    db_column_copy(q, 9, c->issued_on, sizeof c->issued_on);
}

ws_status certificate_find(station *st, const char *number, certificate *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, CERT_SELECT " WHERE c.number = ?1");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, number);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        cert_read(q, out);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* Confirmed minutes of the volunteer in [from, to]. */
static ws_status cert_minutes(db *d, int64_t vid, const char *from, const char *to,
                              int64_t *minutes)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(sum(minutes), 0) FROM hour_entries"
                                    " WHERE volunteer_id = ?1 AND confirmed_at IS NOT NULL"
                                    " AND service_date >= ?2 AND service_date <= ?3");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, vid);
    db_bind_text(q, 2, from);
    db_bind_text(q, 3, to);
    int rc = sqlite3_step(q);
    *minutes = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

static ws_status cert_fail(record_error *re, int field, val_status v, const char *detail)
{
    re->field = field;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%s", detail ? detail : "");
    return WS_ERR_INVALID;
}

/* The registered certificate of exactly this, or a new row. */
static ws_status cert_register(station *st, int64_t vid, const char *from, const char *to,
                               int64_t minutes, certificate *out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, CERT_SELECT " WHERE c.volunteer_id = ?1 AND c.from_date = ?2"
                                                " AND c.to_date = ?3 AND c.minutes = ?4");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, vid);
    db_bind_text(q, 2, from);
    db_bind_text(q, 3, to);
    sqlite3_bind_int64(q, 4, minutes);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        cert_read(q, out);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    /* A new number: the year's sequence, which only grows. */
    char today[11], key[48], seq[32] = "", code[16] = "", number[48];
    date_today(today);
    snprintf(key, sizeof key, "certificate_seq_%.4s", today);
    ws_status s = db_setting_get(d, key, seq, sizeof seq);
    if (s == WS_ERR_NOT_FOUND)
        s = WS_OK;
    if (s != WS_OK)
        return s;
    int next = atoi(seq) + 1;
    station_division_code(st, code, sizeof code);
    snprintf(number, sizeof number, "%.12s-Z%.4s-%05d", code[0] ? code : "000000000000", today,
             next % 100000);
    snprintf(seq, sizeof seq, "%d", next);
    s = db_setting_set(d, key, seq);
    q = s == WS_OK ? db_prepare(d, "INSERT INTO volunteer_certificates(id, number, volunteer_id,"
                                   " from_date, to_date, minutes, issued_by, issued_on,"
                                   " issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?8)")
                   : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s != WS_OK)
        return s;
    int64_t id = ids_next();
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, id);
    db_bind_text(q, 2, number);
    sqlite3_bind_int64(q, 3, vid);
    db_bind_text(q, 4, from);
    db_bind_text(q, 5, to);
    sqlite3_bind_int64(q, 6, minutes);
    db_bind_text(q, 7, station_actor(st));
    db_bind_text(q, 8, now);
    db_bind_text(q, 9, today);
    rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    char after[256];
    snprintf(after, sizeof after, "{\"number\":\"%s\",\"volunteer_id\":%lld,\"minutes\":%lld}",
             number, (long long)vid, (long long)minutes);
    s = audit_event(d, station_actor(st), "volunteer_certificates", id, AUDIT_INSERT, NULL,
                    after);
    if (s != WS_OK)
        return s;
    q = db_prepare(d, CERT_SELECT " WHERE c.id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        cert_read(q, out);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status certificate_issue(station *st, int64_t volunteer_id, const char *from, const char *to,
                            certificate *out, record_error *re)
{
    memset(out, 0, sizeof *out);
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s == WS_OK)
        s = station_require(st, PERM_EXPORT);
    if (s != WS_OK)
        return s;
    char today[11], f[11] = "", t[11] = "";
    date_today(today);
    val_status vs = VAL_OK;
    if (from && *from && (vs = val_date(from, today, false, f)) != VAL_OK)
        return cert_fail(re, HEF_DATE, vs, NULL);
    if ((vs = val_date(to && *to ? to : today, today, false, t)) != VAL_OK)
        return cert_fail(re, HEF_DATE, vs, NULL);
    if (f[0] && strcmp(t, f) < 0)
        return cert_fail(re, HEF_DATE, VAL_END_BEFORE_START, f);
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    bool alive = false;
    int64_t minutes = 0;
    s = db_exists_i64(d, "SELECT 1 FROM volunteers WHERE id = ?1 AND deleted_at IS NULL",
                      volunteer_id, 0, &alive);
    if (s == WS_OK && !alive)
        s = cert_fail(re, HEF_VOLUNTEER, VAL_NOT_FOUND, NULL);
    if (s == WS_OK)
        s = cert_minutes(d, volunteer_id, f, t, &minutes);
    if (s == WS_OK && minutes <= 0)
        s = cert_fail(re, HEF_DATE, VAL_NO_HOURS, NULL);
    if (s == WS_OK)
        s = cert_register(st, volunteer_id, f, t, minutes, out);
    return db_end(d, s);
}

ws_status service_lines(station *st, int64_t volunteer_id, const char *from, const char *to,
                        service_line *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT h.service_date, CASE WHEN h.session_id IS NULL THEN h.description"
        "  ELSE coalesce((SELECT a.title FROM activity_sessions s JOIN activities a"
        "   ON a.id = s.activity_id WHERE s.id = h.session_id), '') END, h.minutes"
        " FROM hour_entries h WHERE h.volunteer_id = ?1 AND h.confirmed_at IS NOT NULL"
        " AND h.entry_kind <> 'reversal' AND h.service_date >= ?2 AND h.service_date <= ?3"
        " AND NOT EXISTS (SELECT 1 FROM hour_entries x WHERE x.entry_kind = 'reversal'"
        "  AND x.corrects_id = h.id AND x.confirmed_at IS NOT NULL)"
        " ORDER BY h.service_date, h.id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, volunteer_id);
    db_bind_text(q, 2, from ? from : "");
    db_bind_text(q, 3, to && *to ? to : "9999-12-31");
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        service_line *l = &out[(*n)++];
        db_column_copy(q, 0, l->date, sizeof l->date);
        db_column_copy(q, 1, l->what, sizeof l->what);
        l->minutes = sqlite3_column_int64(q, 2);
    }
    s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    db_reset(q);
    return s;
}
