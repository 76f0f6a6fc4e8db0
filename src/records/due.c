/* What is due (应访名单): everyone in a vulnerable group that is visited on
 * a schedule, by days overdue, from their last visit (a household visit
 * counts for each member met) and the group's frequency; and the counts
 * the home screen shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/identity.h"

int casework_visit_days(station *st, const char *group)
{
    const station_config *cfg = station_cfg(st);
    for (size_t i = 0; cfg && i < cfg->nvisit_days; i++)
        if (strcmp(cfg->visit_days[i].group, group) == 0)
            return cfg->visit_days[i].days;
    const code_item *it = codebook_find(station_codes(st), "vulnerable_group", group);
    return it ? it->days : 0;
}

/* {"tekun":30,...}: the groups visited on a schedule, for the query. */
static char *due_frequencies(station *st)
{
    const code_list *l = codebook_list(station_codes(st), "vulnerable_group");
    size_t cap = 32 + (l ? l->n : 0) * 48, used = 0;
    char *json = malloc(cap);
    if (!json)
        return NULL;
    used += (size_t)snprintf(json, cap, "{");
    for (size_t i = 0; l && i < l->n; i++) {
        int days = casework_visit_days(st, l->items[i].code);
        if (days > 0 && used + 48 < cap)
            used += (size_t)snprintf(json + used, cap - used, "%s\"%s\":%d", used > 1 ? "," : "",
                                     l->items[i].code, days);
    }
    snprintf(json + used, cap - used, "}");
    return json;
}

/* Who is due when, for one resident (?2) or everyone (?2 NULL): ?1 the
 * frequencies ({"tekun":30,...}). Never visited: due since they joined
 * the group (or were registered). */
#define SCHEDULE_ROWS                                                                       \
    "INSERT INTO visit_schedule(resident_id, days, last_visit, worker_id, due_date)"       \
    " SELECT rid, days, substr(lv, 1, 10), CAST(substr(lv, 12) AS INTEGER),"                \
    "  CASE WHEN lv IS NOT NULL THEN date(substr(lv, 1, 10), '+' || days || ' days')"       \
    "  ELSE coalesce(since, date(created)) END FROM ("                                      \
    "  SELECT p.rid, p.days, p.since, r.created_at AS created,"                            \
    "   (SELECT vp.visit_date || '|' || coalesce(vp.worker_id, 0) FROM visit_people vp"     \
    "    JOIN visits v ON v.id = vp.visit_id AND v.deleted_at IS NULL"                      \
    "    WHERE vp.resident_id = p.rid ORDER BY vp.visit_date DESC LIMIT 1) AS lv"           \
    "  FROM (SELECT g.resident_id AS rid, min(f.value) AS days, min(g.start_date) AS since"  \
    "   FROM resident_groups g JOIN json_each(?1) f ON f.key = g.group_code"               \
    "   WHERE f.value > 0 AND (?2 IS NULL OR g.resident_id = ?2) GROUP BY g.resident_id) p" \
    "  JOIN residents r ON r.id = p.rid AND r.deleted_at IS NULL)"

static ws_status schedule_write(station *st, int64_t resident_id)
{
    db *d = station_db(st);
    char *freq = due_frequencies(st);
    if (!freq)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    sqlite3_stmt *q = db_prepare(d, resident_id ? "DELETE FROM visit_schedule WHERE"
                                                  " resident_id = ?1"
                                                : "DELETE FROM visit_schedule");
    if (!q)
        s = db_status(d);
    if (s == WS_OK) {
        if (resident_id)
            sqlite3_bind_int64(q, 1, resident_id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    if (s == WS_OK && !(q = db_prepare(d, SCHEDULE_ROWS)))
        s = db_status(d);
    if (s == WS_OK) {
        db_bind_text(q, 1, freq);
        if (resident_id)
            sqlite3_bind_int64(q, 2, resident_id);
        else
            sqlite3_bind_null(q, 2);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    free(freq);
    return s;
}

ws_status due_refresh(station *st, int64_t resident_id)
{
    /* A bulk load (demo, import) rebuilds them all at its end. */
    if (!resident_id || db_is_bulk(station_db(st)))
        return WS_OK;
    return schedule_write(st, resident_id);
}

ws_status due_rebuild(station *st)
{
    char *freq = due_frequencies(st);
    if (!freq)
        return WS_ERR_NOMEM;
    ws_status s = schedule_write(st, 0);
    if (s == WS_OK)
        s = db_setting_set(station_db(st), "visit_schedule_days", freq);
    free(freq);
    return s;
}

ws_status due_ensure(station *st)
{
    char *freq = due_frequencies(st);
    char was[2048] = "";
    if (!freq)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    ws_status s = db_setting_get(d, "visit_schedule_days", was, sizeof was);
    bool same = s == WS_OK && strcmp(was, freq) == 0;
    free(freq);
    if (same)
        return WS_OK;
    if (s != WS_OK && s != WS_ERR_NOT_FOUND)
        return s;
    station_system_begin(st);
    s = db_begin(d);
    if (s == WS_OK)
        s = db_end(d, due_rebuild(st));
    station_system_end(st);
    return s;
}

/* The due rows: ?2 today, ?3 the latest due date shown; then the filter. */
#define DUE_SELECT                                                                          \
    "SELECT s.resident_id, r.name,"                                                         \
    " coalesce((SELECT name FROM communities WHERE id = r.community_id), ''),"              \
    " (SELECT group_concat(group_code) FROM resident_groups WHERE resident_id = r.id),"     \
    " coalesce(s.last_visit, ''),"                                                          \
    " coalesce((SELECT display_name FROM accounts WHERE id = s.worker_id), ''), s.due_date,"\
    " CAST(julianday(?2) - julianday(s.due_date) AS INTEGER)"                               \
    " FROM visit_schedule s JOIN residents r ON r.id = s.resident_id"                       \
    " WHERE s.due_date <= ?3"                                                               \
    " AND (?4 IS NULL OR r.name LIKE ?4 ESCAPE '\\')"                                       \
    " AND (?5 IS NULL OR r.name_pinyin LIKE ?5 || '%' OR r.name_initials LIKE ?5 || '%')"  \
    " AND (?9 IS NULL OR EXISTS (SELECT 1 FROM resident_groups WHERE resident_id = r.id"    \
    "  AND group_code = ?9))"                                                               \
    " AND (?10 = 0 OR r.community_id = ?10) AND (?11 = 0 OR s.worker_id = ?11)"

/* The text filter in SQL terms: a group's label, a community's name, a
 * worker's name, or a person's name, pinyin or initials. */
typedef struct due_text {
    char group[32];
    int64_t community;
    int64_t worker;
    char like[200];  /* %name% */
    char pinyin[130];/* lower-case ASCII */
} due_text;

static void due_text_parse(station *st, const char *text, due_text *t)
{
    memset(t, 0, sizeof *t);
    if (!text || !text[0])
        return;
    const code_list *l = codebook_list(station_codes(st), "vulnerable_group");
    for (size_t i = 0; l && i < l->n; i++) {
        const code_item *it = &l->items[i];
        if (!strcmp(text, it->zh_CN) || !strcmp(text, it->short_zh_CN) ||
            !strcmp(text, it->en) || !strcmp(text, it->short_en) || !strcmp(text, it->code)) {
            snprintf(t->group, sizeof t->group, "%s", it->code);
            return;
        }
    }
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM communities WHERE name = ?1 AND"
                                    " deleted_at IS NULL");
    if (q) {
        db_bind_text(q, 1, text);
        if (sqlite3_step(q) == SQLITE_ROW)
            t->community = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    if (t->community)
        return;
    q = db_prepare(d, "SELECT id FROM accounts WHERE display_name = ?1 AND deleted_at IS NULL");
    if (q) {
        db_bind_text(q, 1, text);
        if (sqlite3_step(q) == SQLITE_ROW)
            t->worker = sqlite3_column_int64(q, 0);
        db_reset(q);
    }
    if (t->worker)
        return;
    bool ascii = true;
    for (const char *p = text; *p; p++)
        ascii = ascii && (unsigned char)*p < 0x80;
    if (ascii) {
        size_t n = 0;
        for (const char *p = text; *p && n + 1 < sizeof t->pinyin; p++)
            if (*p != ' ')
                t->pinyin[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        t->pinyin[n] = '\0';
    } else {
        size_t n = 0;
        t->like[n++] = '%';
        for (const char *p = text; *p && n + 3 < sizeof t->like; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                t->like[n++] = '\\';
            t->like[n++] = *p;
        }
        t->like[n++] = '%';
        t->like[n] = '\0';
    }
}

ws_status due_list(station *st, const due_filter *f, int64_t after_days, int64_t after_id,
                   int dir, due_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VISIT_READ);
    if (s != WS_OK)
        return s;
    due_text t;
    due_text_parse(st, f ? f->text : NULL, &t);
    db *d = station_db(st);
    /* Most overdue first: the earliest due date. Backward (dir < 0): the
     * rows before (after_days, after_id), nearest first. */
    sqlite3_stmt *q = db_prepare(d, dir >= 0
        ? DUE_SELECT " AND (?6 = 0 OR (s.due_date, s.resident_id) > (?7, ?6))"
          " ORDER BY s.due_date, s.resident_id LIMIT ?8"
        : DUE_SELECT " AND (?6 = 0 OR (s.due_date, s.resident_id) < (?7, ?6))"
          " ORDER BY s.due_date DESC, s.resident_id DESC LIMIT ?8");
    if (!q)
        return db_status(d);
    char today[11], last[11], after[11];
    date_today(today);
    date_add_days(today, f && f->week ? 7 : 0, last);
    date_add_days(today, (int)-after_days, after);
    db_bind_text(q, 2, today);
    db_bind_text(q, 3, last);
    db_bind_text_or_null(q, 4, t.like);
    db_bind_text_or_null(q, 5, t.pinyin);
    sqlite3_bind_int64(q, 6, after_id);
    db_bind_text(q, 7, after);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)max);
    db_bind_text_or_null(q, 9, t.group);
    sqlite3_bind_int64(q, 10, t.community);
    sqlite3_bind_int64(q, 11, f && f->worker_id ? f->worker_id : t.worker);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        due_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->resident_id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, r->name, sizeof r->name);
        db_column_copy(q, 2, r->community, sizeof r->community);
        char groups[256];
        db_column_copy(q, 3, groups, sizeof groups);
        /* The groups visited on a schedule, by their short labels. */
        size_t used = 0;
        char *save = NULL;
        for (char *g = strtok_r(groups, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
            if (casework_visit_days(st, g) <= 0)
                continue;
            const code_item *it = codebook_find(station_codes(st), "vulnerable_group", g);
            used += (size_t)snprintf(r->groups + used, sizeof r->groups - used, "%s%s",
                                     used ? "、" : "", it ? code_label(it, 1) : g);
            if (used >= sizeof r->groups)
                break;
        }
        db_column_copy(q, 4, r->last_visit, sizeof r->last_visit);
        db_column_copy(q, 5, r->last_worker, sizeof r->last_worker);
        db_column_copy(q, 6, r->due_date, sizeof r->due_date);
        r->days_overdue = sqlite3_column_int64(q, 7);
    }
    if (*n < max && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    return s;
}

/* People due after today + from_days, up to today + to_days. */
static ws_status due_count(station *st, int from_days, int to_days, int64_t *out)
{
    db *d = station_db(st);
    char today[11], a[11], b[11];
    date_today(today);
    date_add_days(today, from_days, a);
    date_add_days(today, to_days, b);
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM visit_schedule WHERE due_date > ?1"
                                    " AND due_date <= ?2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, a);
    db_bind_text(q, 2, b);
    int rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status casework_counts_get(station *st, casework_counts *c)
{
    memset(c, 0, sizeof *c);
    ws_status s = WS_OK;
    if (station_can(st, PERM_VISIT_READ)) {
        s = due_count(st, -100000, 0, &c->overdue);
        if (s == WS_OK)
            s = due_count(st, 0, 7, &c->due_week);
    }
    if (s != WS_OK || !station_can(st, PERM_CASE_READ))
        return s;
    /* What the lists show, counted with their own words: the same
     * definitions, the same scope (a 社工's own cases). */
    const codebook *cb = station_codes(st);
    const code_item *open = codebook_find(cb, "case_status", "open");
    const code_item *pending = codebook_find(cb, "case_status", "pending");
    s = record_count(st, &kind_case, open ? open->zh_CN : "", &c->open_cases);
    if (s == WS_OK)
        s = record_count(st, &kind_case, pending ? pending->zh_CN : "", &c->pending);
    if (s == WS_OK)
        s = record_count(st, &kind_case, tr("case.word_overdue"), &c->action_overdue);
    if (s == WS_OK)
        s = record_count(st, &kind_referral, tr("case.word_feedback"), &c->feedback_overdue);
    return s;
}

ws_status casework_resident_summary(station *st, int64_t resident_id, char last_visit[16],
                                    int64_t *open_cases)
{
    last_visit[0] = '\0';
    *open_cases = 0;
    db *d = station_db(st);
    ws_status s = WS_OK;
    if (station_can(st, PERM_VISIT_READ))
        s = db_text_i64(d, "SELECT coalesce(max(vp.visit_date), '') FROM visit_people vp"
                           " JOIN visits v ON v.id = vp.visit_id AND v.deleted_at IS NULL"
                           " WHERE vp.resident_id = ?1", resident_id, last_visit, 16);
    if (s == WS_OK && station_can(st, PERM_CASE_READ))
        s = db_int(d, "SELECT count(*) FROM cases WHERE resident_id = ?1 AND deleted_at IS NULL"
                      " AND status IN ('open', 'pending')", resident_id, open_cases);
    return s;
}
