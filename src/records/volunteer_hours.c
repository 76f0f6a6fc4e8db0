/* The hours and points ledgers. Rows are only added: an entry is pending
 * until confirmed and never changed after (the schema's triggers refuse
 * it too); 更正 adds a reversal linked to the original and the corrected
 * entry; points are earned when an entry is confirmed and reversed with
 * it. Totals and balances are sums; what must not go below zero is
 * checked inside the writing transaction (BEGIN IMMEDIATE), so two
 * consoles cannot both spend the last points. */
#include "wushe/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ids.h"
#include "record_internal.h"
#include "station_internal.h"
#include "volunteer_internal.h"
#include "wushe/catalog.h"
#include "wushe/validate.h"

#define DAY_MINUTES (24 * 60)

static ws_status led_fail(record_error *re, int f, val_status v, const char *detail)
{
    re->field = f;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%s", detail ? detail : "");
    return WS_ERR_INVALID;
}

static void led_error_init(record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
}

/* The audit row of a ledger row just written: its JSON as after. */
static ws_status led_audit(station *st, const char *table, const char *json_sql, int64_t id)
{
    db *d = station_db(st);
    char *after = NULL;
    ws_status s = audit_snapshot_sql(d, json_sql, id, &after);
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), table, id, AUDIT_INSERT, NULL, after);
    free(after);
    return s;
}

#define HOURS_JSON                                                                          \
    "SELECT json_object('id', id, 'volunteer_id', volunteer_id, 'session_id', session_id,"  \
    " 'description', description, 'service_date', service_date, 'minutes', minutes,"       \
    " 'entry_kind', entry_kind, 'corrects_id', corrects_id, 'reason', reason,"             \
    " 'confirmed_by', confirmed_by) FROM hour_entries WHERE id = ?1"
#define POINTS_JSON                                                                          \
    "SELECT json_object('id', id, 'volunteer_id', volunteer_id, 'movement_date',"            \
    " movement_date, 'points', points, 'movement', movement, 'hour_entry_id', hour_entry_id," \
    " 'reverses_id', reverses_id, 'resident_id', resident_id, 'description', description)"   \
    " FROM points_movements WHERE id = ?1"

/* An entry that stands: not a reversal and not reversed. */
#define HOURS_STANDING(alias)                                                     \
    alias ".entry_kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM hour_entries x" \
    " WHERE x.entry_kind = 'reversal' AND x.corrects_id = " alias ".id)"

/* ---- points ---- */

typedef struct points_row {
    int64_t volunteer_id;
    const char *date;
    int64_t points;
    const char *movement;
    int64_t hour_entry_id, reverses_id, resident_id;
    const char *description;
} points_row;

static ws_status points_insert(station *st, const points_row *p, int64_t *id_out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO points_movements(id, volunteer_id, movement_date, points, movement,"
        " hour_entry_id, reverses_id, resident_id, description, recorded_by, recorded_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), nullif(?7, 0), nullif(?8, 0), ?9, ?10, ?11)");
    if (!q)
        return db_status(d);
    int64_t id = ids_next();
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, p->volunteer_id);
    db_bind_text(q, 3, p->date);
    sqlite3_bind_int64(q, 4, p->points);
    db_bind_text(q, 5, p->movement);
    sqlite3_bind_int64(q, 6, p->hour_entry_id);
    sqlite3_bind_int64(q, 7, p->reverses_id);
    sqlite3_bind_int64(q, 8, p->resident_id);
    db_bind_text(q, 9, p->description ? p->description : "");
    db_bind_text(q, 10, station_actor(st));
    db_bind_text(q, 11, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (id_out)
        *id_out = id;
    return led_audit(st, "points_movements", POINTS_JSON, id);
}

static ws_status points_sum(db *d, int64_t volunteer_id, int64_t *balance)
{
    return db_int(d, "SELECT coalesce(sum(points), 0) FROM points_movements"
                     " WHERE volunteer_id = ?1", volunteer_id, balance);
}

ws_status points_balance(station *st, int64_t volunteer_id, int64_t *balance)
{
    *balance = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    return s == WS_OK ? points_sum(station_db(st), volunteer_id, balance) : s;
}

ws_status points_list(station *st, int64_t volunteer_id, int64_t before_id, points_move *out,
                      size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT p.id, p.movement_date, p.points, p.movement,"
        " CASE WHEN p.description <> '' THEN p.description"
        "  ELSE coalesce((SELECT CASE WHEN h.session_id IS NULL THEN h.description"
        "   ELSE (SELECT a.title FROM activity_sessions s JOIN activities a"
        "    ON a.id = s.activity_id WHERE s.id = h.session_id) END"
        "   FROM hour_entries h WHERE h.id = p.hour_entry_id), '') END,"
        " coalesce((SELECT name FROM residents WHERE id = p.resident_id), ''),"
        " coalesce((SELECT display_name FROM accounts WHERE login = p.recorded_by),"
        "  p.recorded_by)"
        " FROM points_movements p WHERE p.volunteer_id = ?1 AND (?2 = 0 OR"
        "  (p.movement_date, p.id) < (SELECT movement_date, id FROM points_movements"
        "  WHERE id = ?2))"
        " ORDER BY p.movement_date DESC, p.id DESC LIMIT ?3");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, volunteer_id);
    sqlite3_bind_int64(q, 2, before_id);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        points_move *m = &out[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, m->date, sizeof m->date);
        m->points = sqlite3_column_int64(q, 2);
        db_column_copy(q, 3, m->movement, sizeof m->movement);
        db_column_copy(q, 4, m->what, sizeof m->what);
        db_column_copy(q, 5, m->family, sizeof m->family);
        db_column_copy(q, 6, m->recorded_by, sizeof m->recorded_by);
    }
    s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    db_reset(q);
    return s;
}

/* Points an hour of the entry's service earns: its activity type's rate
 * when the station gives one (by code or by name), else the station's. */
static ws_status points_rate(station *st, int64_t entry_id, int *rate)
{
    const station_config *c = station_cfg(st);
    *rate = c && c->points_per_hour ? c->points_per_hour : CONFIG_POINTS_PER_HOUR;
    if (!c || !c->npoints_by_type)
        return WS_OK;
    char type[64] = "";
    ws_status s = db_text_i64(station_db(st),
        "SELECT a.type FROM hour_entries h JOIN activity_sessions s ON s.id = h.session_id"
        " JOIN activities a ON a.id = s.activity_id WHERE h.id = ?1", entry_id, type,
        sizeof type);
    if (s == WS_ERR_NOT_FOUND || !type[0])
        return WS_OK; /* service outside an activity */
    if (s != WS_OK)
        return s;
    const code_item *ci = codebook_find(station_codes(st), "activity_type", type);
    for (size_t i = 0; i < c->npoints_by_type; i++) {
        const char *t = c->points_by_type[i].type;
        if (strcmp(t, type) == 0 || (ci && strcmp(t, code_label(ci, 0)) == 0)) {
            *rate = c->points_by_type[i].points;
            break;
        }
    }
    return WS_OK;
}

/* The points a confirmed entry earns, written with it. */
static ws_status points_earn(station *st, int64_t entry_id, int64_t volunteer_id,
                             const char *date, int64_t minutes)
{
    int rate = 0;
    ws_status s = points_rate(st, entry_id, &rate);
    if (s != WS_OK)
        return s;
    int64_t pts = minutes * rate / 60;
    if (pts <= 0)
        return WS_OK;
    points_row p = {.volunteer_id = volunteer_id, .date = date, .points = pts,
                    .movement = "earn", .hour_entry_id = entry_id};
    return points_insert(st, &p, NULL);
}

ws_status points_take(station *st, const points_take_args *t, int64_t *id, record_error *re)
{
    db *d = station_db(st);
    bool alive = false;
    ws_status s = db_exists_i64(d, "SELECT 1 FROM volunteers WHERE id = ?1 AND deleted_at IS NULL",
                                t->volunteer_id, 0, &alive);
    if (s == WS_OK && !alive)
        s = led_fail(re, t->volunteer_field, VAL_NOT_FOUND, NULL);
    if (s == WS_OK && t->resident_id) {
        s = db_exists_i64(d, "SELECT 1 FROM residents WHERE id = ?1 AND deleted_at IS NULL",
                          t->resident_id, 0, &alive);
        if (s == WS_OK && !alive)
            s = led_fail(re, t->family_field, VAL_NOT_FOUND, NULL);
    }
    /* The balance read inside this write's transaction: no other console
     * can spend between the check and the row. */
    int64_t balance = 0;
    if (s == WS_OK)
        s = points_sum(d, t->volunteer_id, &balance);
    if (s == WS_OK && balance < t->points) {
        char b[32];
        snprintf(b, sizeof b, "%lld", (long long)balance);
        s = led_fail(re, t->points_field, VAL_POINTS_SHORT, b);
    }
    char today[11];
    date_today(today);
    points_row p = {.volunteer_id = t->volunteer_id, .date = today, .points = -t->points,
                    .movement = t->resident_id ? "give" : "spend", .resident_id = t->resident_id,
                    .description = t->description};
    return s == WS_OK ? points_insert(st, &p, id) : s;
}

ws_status points_give_back(station *st, int64_t movement_id, const char *reason, int64_t *id)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT volunteer_id, points, resident_id FROM"
                                    " points_movements WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, movement_id);
    int rc = sqlite3_step(q);
    points_row p = {.movement = "reversal", .reverses_id = movement_id, .description = reason};
    if (rc == SQLITE_ROW) {
        p.volunteer_id = sqlite3_column_int64(q, 0);
        p.points = -sqlite3_column_int64(q, 1);
        p.resident_id = sqlite3_column_int64(q, 2);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
    char today[11];
    date_today(today);
    p.date = today;
    return points_insert(st, &p, id);
}

ws_status points_spend(station *st, int64_t volunteer_id, int64_t points, int64_t resident_id,
                       const char *description, record_error *re, int64_t *id)
{
    led_error_init(re);
    ws_status s = station_require(st, PERM_VOLUNTEER_WRITE);
    if (s != WS_OK)
        return s;
    if (points <= 0)
        return led_fail(re, HEF_POINTS, VAL_MINUTES_POSITIVE, NULL);
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    points_take_args t = {.volunteer_id = volunteer_id, .points = points,
                          .resident_id = resident_id, .description = description,
                          .volunteer_field = HEF_VOLUNTEER, .points_field = HEF_POINTS,
                          .family_field = HEF_FAMILY};
    return db_end(d, points_take(st, &t, id, re));
}

/* ---- hours ---- */

typedef struct vol_state {
    char registered[16];
    char status[16];
    char status_date[16];
} vol_state;

static ws_status vol_state_get(db *d, int64_t id, vol_state *v, bool *found)
{
    memset(v, 0, sizeof *v);
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(registered_date, ''), status,"
                                    " coalesce(status_date, '') FROM volunteers"
                                    " WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    if (*found) {
        db_column_copy(q, 0, v->registered, sizeof v->registered);
        db_column_copy(q, 1, v->status, sizeof v->status);
        db_column_copy(q, 2, v->status_date, sizeof v->status_date);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The checks of a new entry (its date filled from its session). */
static ws_status hours_check(station *st, hour_entry *e, int64_t ignore_id, record_error *re)
{
    db *d = station_db(st);
    vol_state v;
    bool found = false;
    ws_status s = vol_state_get(d, e->volunteer_id, &v, &found);
    if (s == WS_OK && !found)
        return led_fail(re, HEF_VOLUNTEER, VAL_NOT_FOUND, NULL);
    if (s == WS_OK && e->session_id) {
        char date[16] = "";
        s = db_text_i64(d, "SELECT coalesce(session_date, '') FROM activity_sessions"
                           " WHERE id = ?1 AND deleted_at IS NULL", e->session_id, date,
                        sizeof date);
        if (s == WS_OK && !date[0])
            return led_fail(re, HEF_SESSION, VAL_NOT_FOUND, NULL);
        if (!e->date[0])
            snprintf(e->date, sizeof e->date, "%s", date);
    }
    if (s != WS_OK)
        return s;
    if (!e->session_id && !e->description[0])
        return led_fail(re, HEF_DESCRIPTION, VAL_REQUIRED, NULL);
    if (e->minutes <= 0)
        return led_fail(re, HEF_MINUTES, VAL_MINUTES_POSITIVE, NULL);
    char today[11], out[11];
    date_today(today);
    val_status vs = val_date(e->date, today, true, out);
    if (vs != VAL_OK)
        return led_fail(re, HEF_DATE, vs, NULL);
    snprintf(e->date, sizeof e->date, "%s", out);
    if (v.registered[0] && strcmp(e->date, v.registered) < 0)
        return led_fail(re, HEF_DATE, VAL_BEFORE_REGISTERED, v.registered);
    if (strcmp(v.status, "left") == 0 && v.status_date[0] && strcmp(e->date, v.status_date) > 0)
        return led_fail(re, HEF_DATE, VAL_AFTER_LEFT, v.status_date);
    /* One standing entry per volunteer and session: a change is 更正. */
    if (e->session_id) {
        sqlite3_stmt *q = db_prepare(d, "SELECT 1 FROM hour_entries h WHERE h.volunteer_id = ?1"
                                        " AND h.session_id = ?2 AND h.id <> ?3 AND "
                                        HOURS_STANDING("h"));
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, e->volunteer_id);
        sqlite3_bind_int64(q, 2, e->session_id);
        sqlite3_bind_int64(q, 3, ignore_id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc == SQLITE_ROW)
            return led_fail(re, HEF_SESSION, VAL_HOURS_TWICE, NULL);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    /* No more than a day's minutes on one day (reversals cancel). */
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(sum(minutes), 0) FROM hour_entries"
                                    " WHERE volunteer_id = ?1 AND service_date = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, e->volunteer_id);
    db_bind_text(q, 2, e->date);
    int rc = sqlite3_step(q);
    int64_t day = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (day + e->minutes > DAY_MINUTES) {
        char h[64];
        hours_text(day, h, sizeof h);
        return led_fail(re, HEF_MINUTES, VAL_DAY_MINUTES, h);
    }
    return WS_OK;
}

/* One row of the hours ledger; confirmed now when `confirm`. */
static ws_status hours_insert(station *st, const hour_entry *e, const char *kind,
                              bool confirm, int64_t *id_out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO hour_entries(id, volunteer_id, session_id, description, service_date,"
        " minutes, entry_kind, corrects_id, reason, recorded_by, recorded_at, confirmed_by,"
        " confirmed_at) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, nullif(?8, 0), ?9, ?10,"
        " ?11, CASE WHEN ?12 THEN ?10 END, CASE WHEN ?12 THEN ?11 END)");
    if (!q)
        return db_status(d);
    int64_t id = ids_next();
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, e->volunteer_id);
    sqlite3_bind_int64(q, 3, e->session_id);
    db_bind_text(q, 4, e->description);
    db_bind_text(q, 5, e->date);
    sqlite3_bind_int64(q, 6, e->minutes);
    db_bind_text(q, 7, kind);
    sqlite3_bind_int64(q, 8, e->corrects_id);
    db_bind_text(q, 9, e->reason);
    db_bind_text(q, 10, station_actor(st));
    db_bind_text(q, 11, now);
    sqlite3_bind_int(q, 12, confirm);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    *id_out = id;
    ws_status s = led_audit(st, "hour_entries", HOURS_JSON, id);
    if (s == WS_OK && confirm && e->minutes > 0)
        s = points_earn(st, id, e->volunteer_id, e->date, e->minutes);
    return s;
}

ws_status hours_add(station *st, const hour_entry *in, record_error *re, int64_t *id)
{
    led_error_init(re);
    ws_status s = station_require(st, PERM_VOLUNTEER_WRITE);
    if (s != WS_OK)
        return s;
    hour_entry e = *in;
    e.corrects_id = 0;
    e.reason[0] = '\0';
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    int64_t got = 0;
    s = hours_check(st, &e, 0, re);
    if (s == WS_OK)
        s = hours_insert(st, &e, "entry", station_can(st, PERM_HOURS_CONFIRM), &got);
    s = db_end(d, s);
    if (s == WS_OK && id)
        *id = got;
    return s;
}

static ws_status hours_load(db *d, int64_t id, hour_entry *e, bool *confirmed)
{
    memset(e, 0, sizeof *e);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, volunteer_id, coalesce(session_id, 0), description, service_date, minutes,"
        " entry_kind, coalesce(corrects_id, 0), reason, recorded_by, coalesce(confirmed_by, ''),"
        " confirmed_at IS NOT NULL FROM hour_entries WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        e->id = sqlite3_column_int64(q, 0);
        e->volunteer_id = sqlite3_column_int64(q, 1);
        e->session_id = sqlite3_column_int64(q, 2);
        db_column_copy(q, 3, e->description, sizeof e->description);
        db_column_copy(q, 4, e->date, sizeof e->date);
        e->minutes = sqlite3_column_int64(q, 5);
        db_column_copy(q, 6, e->kind, sizeof e->kind);
        e->corrects_id = sqlite3_column_int64(q, 7);
        db_column_copy(q, 8, e->reason, sizeof e->reason);
        db_column_copy(q, 9, e->recorded_by, sizeof e->recorded_by);
        db_column_copy(q, 10, e->confirmed_by, sizeof e->confirmed_by);
        if (confirmed)
            *confirmed = sqlite3_column_int(q, 11) != 0;
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* Confirm one pending entry inside the caller's transaction. */
static ws_status confirm_entry(station *st, int64_t entry_id, record_error *re)
{
    db *d = station_db(st);
    hour_entry e;
    bool confirmed = false;
    ws_status s = hours_load(d, entry_id, &e, &confirmed);
    if (s == WS_OK && confirmed)
        s = led_fail(re, -1, VAL_NOT_PENDING, NULL);
    /* A pending entry corrected before it was confirmed stays out of the
     * totals with its pending reversal: neither is confirmed later. */
    bool reversed = false;
    if (s == WS_OK)
        s = db_exists_i64(d, "SELECT 1 FROM hour_entries WHERE corrects_id = ?1"
                             " AND entry_kind = 'reversal'", entry_id, 0, &reversed);
    if (s == WS_OK && (reversed || strcmp(e.kind, "reversal") == 0))
        s = led_fail(re, -1, VAL_REVERSED, NULL);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, "UPDATE hour_entries SET confirmed_by = ?2,"
                                                 " confirmed_at = ?3 WHERE id = ?1"
                                                 " AND confirmed_at IS NULL")
                                 : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, entry_id);
        db_bind_text(q, 2, station_actor(st));
        db_bind_text(q, 3, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), "hour_entries", entry_id, AUDIT_UPDATE, NULL,
                        "{\"confirmed\":true}");
    if (s == WS_OK && e.minutes > 0)
        s = points_earn(st, entry_id, e.volunteer_id, e.date, e.minutes);
    return s;
}

ws_status hours_confirm(station *st, int64_t entry_id, record_error *re)
{
    led_error_init(re);
    ws_status s = station_require(st, PERM_HOURS_CONFIRM);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    return db_end(d, confirm_entry(st, entry_id, re));
}

/* The pending entries a confirmation would take (not reversed, not a
 * reversal), of one volunteer or of all (?1 0), newest first after ?2. */
#define PENDING_OF(v) \
    " h.confirmed_at IS NULL AND h.entry_kind <> 'reversal'" \
    " AND NOT EXISTS (SELECT 1 FROM hour_entries r WHERE r.corrects_id = h.id" \
    "  AND r.entry_kind = 'reversal') AND (" v " = 0 OR h.volunteer_id = " v ")"
#define PENDING_WHERE PENDING_OF("?1")

/* The ids of the pending entries the search box finds (PENDING_FIND's
 * condition), oldest first. */
#define PENDING_FIND_IDS \
    "SELECT h.id FROM hour_entries h WHERE" PENDING_OF("0") " AND " \
    RECORD_TERMS_MATCH("volunteer", "h.volunteer_id") " ORDER BY h.id"

ws_status hours_pending_ids(station *st, int64_t volunteer_id, const char *filter,
                            int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    char *term = volunteer_id ? NULL : record_terms_query(filter);
    sqlite3_stmt *q = db_prepare(d, term ? PENDING_FIND_IDS
                                         : "SELECT h.id FROM hour_entries h WHERE" PENDING_WHERE
                                           " ORDER BY h.id");
    if (!q) {
        s = db_status(d);
    } else {
        if (term)
            record_terms_bind(q, term);
        else
            sqlite3_bind_int64(q, 1, volunteer_id);
        s = db_ids_of(q, ids, n);
        db_reset(q);
    }
    free(term);
    return s;
}

ws_status hours_confirm_ids(station *st, const int64_t *ids, size_t n, size_t *confirmed,
                            record_error *re)
{
    led_error_init(re);
    *confirmed = 0;
    ws_status s = station_require(st, PERM_HOURS_CONFIRM);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    if ((s = db_begin(d)) != WS_OK)
        return s;
    size_t done = 0;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        s = confirm_entry(st, ids[i], re);
        /* Confirmed or corrected by someone else meanwhile: not this
         * confirmation's to take. */
        if (s == WS_ERR_INVALID && (re->code == VAL_NOT_PENDING || re->code == VAL_REVERSED)) {
            led_error_init(re);
            s = WS_OK;
        } else if (s == WS_OK) {
            done++;
        }
    }
    if (s == WS_OK)
        *confirmed = done;
    return db_end(d, s);
}

/* Every pending entry of one volunteer (or all: 0): read, then confirmed
 * in one transaction (one confirmed or corrected in between is left). */
ws_status hours_confirm_all(station *st, int64_t volunteer_id, size_t *confirmed,
                            record_error *re)
{
    led_error_init(re);
    *confirmed = 0;
    ws_status s = station_require(st, PERM_HOURS_CONFIRM);
    int64_t *ids = NULL;
    size_t n = 0;
    if (s == WS_OK)
        s = hours_pending_ids(st, volunteer_id, NULL, &ids, &n);
    if (s == WS_OK)
        s = hours_confirm_ids(st, ids, n, confirmed, re);
    free(ids);
    return s;
}

/* The points an entry earned go back with its reversal; refused when the
 * balance no longer holds them (spent meanwhile). */
static ws_status points_reverse_entry(station *st, int64_t entry_id, int64_t reversal_id,
                                      const char *date, record_error *re)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id, volunteer_id, points FROM points_movements"
                                    " WHERE hour_entry_id = ?1 AND movement = 'earn'");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, entry_id);
    int rc = sqlite3_step(q);
    int64_t earn = 0, vol = 0, pts = 0;
    if (rc == SQLITE_ROW) {
        earn = sqlite3_column_int64(q, 0);
        vol = sqlite3_column_int64(q, 1);
        pts = sqlite3_column_int64(q, 2);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    int64_t balance = 0;
    ws_status s = points_sum(d, vol, &balance);
    if (s == WS_OK && balance < pts) {
        char b[64];
        snprintf(b, sizeof b, "%lld", (long long)pts);
        return led_fail(re, HEF_MINUTES, VAL_POINTS_SPENT, b);
    }
    points_row p = {.volunteer_id = vol, .date = date, .points = -pts, .movement = "reversal",
                    .hour_entry_id = reversal_id, .reverses_id = earn};
    return s == WS_OK ? points_insert(st, &p, NULL) : s;
}

/* Whether this account may correct the entry (orig: the entry as it
 * stands), by the rules hours_correct applies. */
static ws_status hours_correctable(station *st, int64_t entry_id, hour_entry *orig,
                                   bool *confirmed, record_error *re)
{
    db *d = station_db(st);
    bool reversed = false;
    ws_status s = hours_load(d, entry_id, orig, confirmed);
    if (s == WS_OK)
        s = db_exists_i64(d, "SELECT 1 FROM hour_entries WHERE corrects_id = ?1"
                             " AND entry_kind = 'reversal'", entry_id, 0, &reversed);
    if (s == WS_OK && (reversed || strcmp(orig->kind, "reversal") == 0))
        s = led_fail(re, -1, VAL_REVERSED, NULL);
    /* Confirmed hours (and their points) are taken away only by whoever
     * may confirm: a clerk's reversal would stand at once, unconfirmed by
     * anyone else. */
    if (s == WS_OK && *confirmed && !station_can(st, PERM_HOURS_CONFIRM))
        s = led_fail(re, -1, VAL_RULE, tr("hours.confirmed_clerk"));
    return s;
}

ws_status hours_may_correct(station *st, int64_t entry_id, record_error *re)
{
    led_error_init(re);
    ws_status s = station_require(st, PERM_VOLUNTEER_WRITE);
    hour_entry orig;
    bool confirmed = false;
    return s == WS_OK ? hours_correctable(st, entry_id, &orig, &confirmed, re) : s;
}

ws_status hours_correct(station *st, int64_t entry_id, int64_t minutes, const char *reason,
                        record_error *re, int64_t *corrected)
{
    led_error_init(re);
    ws_status s = station_require(st, PERM_VOLUNTEER_WRITE);
    if (s != WS_OK)
        return s;
    char why[256];
    snprintf(why, sizeof why, "%s", reason ? reason : "");
    for (char *p = why; *p; p++)
        if ((unsigned char)*p < 32)
            *p = ' ';
    if (!why[strspn(why, " ")])
        return led_fail(re, HEF_REASON, VAL_REQUIRED, NULL);
    if (minutes < 0)
        return led_fail(re, HEF_MINUTES, VAL_MINUTES_POSITIVE, NULL);
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    hour_entry orig;
    bool confirmed = false;
    s = hours_correctable(st, entry_id, &orig, &confirmed, re);
    /* The reversal cancels the original as it stands (confirmed or not). */
    hour_entry rev = orig;
    rev.minutes = -orig.minutes;
    rev.corrects_id = entry_id;
    snprintf(rev.reason, sizeof rev.reason, "%s", why);
    int64_t rev_id = 0, new_id = 0;
    if (s == WS_OK)
        s = hours_insert(st, &rev, "reversal", confirmed, &rev_id);
    if (s == WS_OK && confirmed)
        s = points_reverse_entry(st, entry_id, rev_id, orig.date, re);
    if (s == WS_OK && minutes > 0) {
        hour_entry fix = orig;
        fix.minutes = minutes;
        fix.corrects_id = entry_id;
        snprintf(fix.reason, sizeof fix.reason, "%s", why);
        s = hours_check(st, &fix, entry_id, re);
        if (s == WS_OK)
            s = hours_insert(st, &fix, "correction", station_can(st, PERM_HOURS_CONFIRM),
                             &new_id);
    }
    s = db_end(d, s);
    if (s == WS_OK && corrected)
        *corrected = new_id;
    return s;
}

ws_status hours_follow_roster(station *st, int64_t session_id, int64_t volunteer_id,
                              int64_t minutes, int field, record_error *re)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT h.id, h.minutes FROM hour_entries h"
                                    " WHERE h.session_id = ?1 AND h.volunteer_id = ?2 AND "
                                    HOURS_STANDING("h") " ORDER BY h.id DESC LIMIT 1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, session_id);
    sqlite3_bind_int64(q, 2, volunteer_id);
    int64_t id = 0, have = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        have = sqlite3_column_int64(q, 1);
    }
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    if (!id || have == minutes)
        return WS_OK; /* not posted yet, or the same */
    record_error hre;
    ws_status s = hours_correct(st, id, minutes, tr("hours.roster_reason"), &hre, NULL);
    if (s == WS_ERR_INVALID) {
        char why[320];
        record_error_reason(&hre, why, sizeof why);
        return led_fail(re, field, VAL_RULE, why);
    }
    return s;
}

ws_status hours_post_session(station *st, int64_t session_id, size_t *posted, size_t *skipped,
                             record_error *why)
{
    *posted = *skipped = 0;
    led_error_init(why);
    ws_status s = station_require(st, PERM_VOLUNTEER_WRITE);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    /* Read first, write after: one statement at a time. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT a.volunteer_id, a.minutes FROM session_volunteers a"
        " WHERE a.session_id = ?1 AND a.deleted_at IS NULL"
        " AND a.mark IN ('present', 'late') AND a.minutes > 0 AND NOT EXISTS (SELECT 1"
        " FROM hour_entries h WHERE h.volunteer_id = a.volunteer_id AND h.session_id = ?1 AND "
        HOURS_STANDING("h") ") ORDER BY a.id");
    int64_t (*rows)[2] = NULL;
    size_t n = 0, cap = 0;
    if (!q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, session_id);
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (n == cap) {
                void *g = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *rows);
                if (!g) {
                    s = WS_ERR_NOMEM;
                    break;
                }
                rows = g;
            }
            rows[n][0] = sqlite3_column_int64(q, 0);
            rows[n++][1] = sqlite3_column_int64(q, 1);
        }
        if (s == WS_OK && rc != SQLITE_DONE)
            s = db_status_from(rc);
        db_reset(q);
    }
    bool confirm = station_can(st, PERM_HOURS_CONFIRM);
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        hour_entry e = {.volunteer_id = rows[i][0], .session_id = session_id,
                        .minutes = rows[i][1]};
        record_error re;
        int64_t id;
        led_error_init(&re);
        s = hours_check(st, &e, 0, &re);
        if (s == WS_ERR_INVALID) {
            /* That one cannot be posted (left, a full day): the others can. */
            if ((*skipped)++ == 0)
                *why = re;
            s = WS_OK;
            continue;
        }
        if (s == WS_OK)
            s = hours_insert(st, &e, "entry", confirm, &id);
        if (s == WS_OK)
            (*posted)++;
    }
    free(rows);
    s = db_end(d, s);
    if (s != WS_OK)
        *posted = *skipped = 0;
    return s;
}

#define HOURS_COLUMNS \
        "SELECT h.id, h.volunteer_id, coalesce(h.session_id, 0)," \
        " CASE WHEN h.session_id IS NULL THEN h.description" \
        "  ELSE coalesce((SELECT a.title FROM activity_sessions s JOIN activities a" \
        "   ON a.id = s.activity_id WHERE s.id = h.session_id), '') END," \
        " h.service_date, h.minutes, h.entry_kind, coalesce(h.corrects_id, 0), h.reason," \
        " coalesce((SELECT display_name FROM accounts WHERE login = h.recorded_by)," \
        "  h.recorded_by), coalesce((SELECT display_name FROM accounts" \
        "  WHERE login = h.confirmed_by), h.confirmed_by, ''), v.number, v.name"

/* The search box's pending list: the volunteer's name, pinyin, initials
 * or number as the volunteers list finds them (?1, ?5..?8, ?30..?35),
 * ?41 the row to continue after, ?42 the limit. */
#define PENDING_FIND \
    HOURS_COLUMNS " FROM hour_entries h JOIN volunteers v ON v.id = h.volunteer_id" \
    " WHERE" PENDING_OF("0") " AND " RECORD_TERMS_MATCH("volunteer", "h.volunteer_id") \
    " AND (?41 = 0 OR h.id < ?41) ORDER BY h.id DESC LIMIT ?42"

/* One volunteer's (?40) entries whose service, date or reason holds ?43,
 * or whose activity the activities list finds by the query (?1, ?5..?8,
 * ?30..?35: its pinyin, initials, folded), after ?41, ?42 of them. */
#define HOURS_FIND \
    HOURS_COLUMNS " FROM hour_entries h JOIN volunteers v ON v.id = h.volunteer_id" \
    " WHERE h.volunteer_id = ?40 AND (?41 = 0 OR (h.service_date, h.id) <" \
    "  (SELECT service_date, id FROM hour_entries WHERE id = ?41))" \
    " AND (instr(h.description, ?43) OR instr(h.service_date, ?43) OR instr(h.reason, ?43)" \
    "  OR instr(coalesce((SELECT a.title FROM activity_sessions s JOIN activities a" \
    "   ON a.id = s.activity_id WHERE s.id = h.session_id), ''), ?43)" \
    "  OR (?1 IS NOT NULL AND h.session_id IS NOT NULL AND " \
    RECORD_TERMS_MATCH("activity", "(SELECT s.activity_id FROM activity_sessions s" \
                                   " WHERE s.id = h.session_id)") "))" \
    " ORDER BY h.service_date DESC, h.id DESC LIMIT ?42"

static ws_status hours_rows(station *st, bool pending, int64_t volunteer_id, const char *filter,
                            int64_t before_id, hour_entry *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    char *term = pending && !volunteer_id ? record_terms_query(filter) : NULL;
    /* A volunteer's own list: the words as typed, spaces around them out,
     * and the activities' search keys. */
    char words[256] = "";
    char *act_term = NULL;
    if (!pending && volunteer_id && filter) {
        while (*filter == ' ')
            filter++;
        snprintf(words, sizeof words, "%s", filter);
        for (size_t k = strlen(words); k && words[k - 1] == ' ';)
            words[--k] = '\0';
        act_term = words[0] ? record_terms_query(words) : NULL;
    }
    sqlite3_stmt *q = db_prepare(d, term ? PENDING_FIND
        : words[0] ? HOURS_FIND
        : pending
        ? HOURS_COLUMNS " FROM hour_entries h JOIN volunteers v ON v.id = h.volunteer_id"
          " WHERE" PENDING_WHERE " AND (?2 = 0 OR h.id < ?2) ORDER BY h.id DESC LIMIT ?3"
        : volunteer_id
        /* One volunteer's by service date (a correction recorded today of
         * last month's service stands beside it), then as recorded. */
        ? HOURS_COLUMNS
          " FROM hour_entries h JOIN volunteers v ON v.id = h.volunteer_id"
          " WHERE h.volunteer_id = ?1 AND (?2 = 0 OR (h.service_date, h.id) <"
          "  (SELECT service_date, id FROM hour_entries WHERE id = ?2))"
          " ORDER BY h.service_date DESC, h.id DESC LIMIT ?3"
        /* Every volunteer's (an export): as recorded, the ledger's order. */
        : HOURS_COLUMNS
          " FROM hour_entries h JOIN volunteers v ON v.id = h.volunteer_id"
          " WHERE ?1 = 0 AND (?2 = 0 OR h.id < ?2)"
          " ORDER BY h.id DESC LIMIT ?3");
    if (!q) {
        free(term);
        free(act_term);
        return db_status(d);
    }
    if (term) {
        record_terms_bind(q, term);
        sqlite3_bind_int64(q, 41, before_id);
        sqlite3_bind_int64(q, 42, (sqlite3_int64)max);
    } else if (words[0]) {
        record_terms_bind(q, act_term);
        sqlite3_bind_int64(q, 40, volunteer_id);
        sqlite3_bind_int64(q, 41, before_id);
        sqlite3_bind_int64(q, 42, (sqlite3_int64)max);
        db_bind_text(q, 43, words);
    } else {
        sqlite3_bind_int64(q, 1, volunteer_id);
        sqlite3_bind_int64(q, 2, before_id);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    }
    int rc;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        hour_entry *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(q, 0);
        e->volunteer_id = sqlite3_column_int64(q, 1);
        e->session_id = sqlite3_column_int64(q, 2);
        db_column_copy(q, 3, e->description, sizeof e->description);
        db_column_copy(q, 4, e->date, sizeof e->date);
        e->minutes = sqlite3_column_int64(q, 5);
        db_column_copy(q, 6, e->kind, sizeof e->kind);
        e->corrects_id = sqlite3_column_int64(q, 7);
        db_column_copy(q, 8, e->reason, sizeof e->reason);
        db_column_copy(q, 9, e->recorded_by, sizeof e->recorded_by);
        db_column_copy(q, 10, e->confirmed_by, sizeof e->confirmed_by);
        db_column_copy(q, 11, e->volunteer_number, sizeof e->volunteer_number);
        db_column_copy(q, 12, e->volunteer_name, sizeof e->volunteer_name);
    }
    s = *n < max && rc != SQLITE_DONE ? db_status_from(rc) : WS_OK;
    db_reset(q);
    free(term);
    free(act_term);
    return s;
}

ws_status hours_list(station *st, int64_t volunteer_id, int64_t before_id, hour_entry *out,
                     size_t max, size_t *n)
{
    return hours_rows(st, false, volunteer_id, NULL, before_id, out, max, n);
}

ws_status hours_list_pending(station *st, int64_t volunteer_id, int64_t before_id,
                             hour_entry *out, size_t max, size_t *n)
{
    return hours_rows(st, true, volunteer_id, NULL, before_id, out, max, n);
}

ws_status hours_find(station *st, int64_t volunteer_id, const char *filter, int64_t before_id,
                     hour_entry *out, size_t max, size_t *n)
{
    return hours_rows(st, false, volunteer_id, filter, before_id, out, max, n);
}

ws_status hours_find_pending(station *st, const char *filter, int64_t before_id,
                             hour_entry *out, size_t max, size_t *n)
{
    return hours_rows(st, true, 0, filter, before_id, out, max, n);
}

/* ---- totals and stars ---- */

int volunteer_stars(station *st, int64_t minutes)
{
    static const int defaults[CONFIG_STARS] = CONFIG_STAR_HOURS;
    const station_config *c = station_cfg(st);
    const int *t = c && c->star_hours[0] ? c->star_hours : defaults;
    int stars = 0;
    for (int i = 0; i < CONFIG_STARS; i++)
        if (minutes >= (int64_t)t[i] * 60)
            stars = i + 1;
    return stars;
}

ws_status volunteer_totals_get(station *st, int64_t volunteer_id, const char *from,
                               const char *to, volunteer_totals *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    char today[11], year_from[16], year_to[16];
    date_today(today);
    snprintf(year_from, sizeof year_from, "%.4s-01-01", today);
    snprintf(year_to, sizeof year_to, "%.4s-12-31", today);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT coalesce(sum(minutes) FILTER (WHERE confirmed_at IS NOT NULL), 0),"
        " coalesce(sum(minutes) FILTER (WHERE (confirmed_at IS NOT NULL)"
        "  AND service_date BETWEEN ?2 AND ?3), 0),"
        " coalesce(sum(minutes) FILTER (WHERE (confirmed_at IS NOT NULL)"
        "  AND (?4 = '' OR service_date >= ?4) AND (?5 = '' OR service_date <= ?5)), 0),"
        " coalesce(sum(minutes) FILTER (WHERE NOT (confirmed_at IS NOT NULL)), 0)"
        " FROM hour_entries WHERE volunteer_id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, volunteer_id);
    db_bind_text(q, 2, year_from);
    db_bind_text(q, 3, year_to);
    db_bind_text(q, 4, from ? from : "");
    db_bind_text(q, 5, to ? to : "");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->minutes = sqlite3_column_int64(q, 0);
        out->minutes_year = sqlite3_column_int64(q, 1);
        out->minutes_range = sqlite3_column_int64(q, 2);
        out->pending_minutes = sqlite3_column_int64(q, 3);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    out->stars = volunteer_stars(st, out->minutes);
    return points_sum(d, volunteer_id, &out->points);
}
