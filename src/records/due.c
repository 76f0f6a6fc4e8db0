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

/* One row per scheduled resident: ?1 the frequencies, ?2 today. Columns:
 * id, name, community, groups, last visit, its worker, due date, days
 * overdue. */
#define DUE_ROWS                                                                            \
    "WITH freq(code, days) AS (SELECT key, value FROM json_each(?1)),"                      \
    " people AS (SELECT g.resident_id AS rid, min(f.days) AS days,"                         \
    "  group_concat(g.group_code) AS groups, min(g.start_date) AS since"                    \
    "  FROM resident_groups g JOIN freq f ON f.code = g.group_code GROUP BY g.resident_id),"  \
    " last AS (SELECT p.rid, p.days, p.groups, p.since,"                                    \
    "  (SELECT vp.visit_date || '|' || coalesce(vp.worker_id, 0) FROM visit_people vp"      \
    "   JOIN visits v ON v.id = vp.visit_id AND v.deleted_at IS NULL"                       \
    "   WHERE vp.resident_id = p.rid ORDER BY vp.visit_date DESC LIMIT 1) AS lv"            \
    "  FROM people p),"                                                                     \
    " due AS (SELECT r.id AS rid, r.name, r.name_pinyin, r.name_initials, r.community_id,"  \
    "  l.groups, substr(l.lv, 1, 10) AS last_visit,"                                        \
    "  CAST(substr(l.lv, 12) AS INTEGER) AS worker,"                                        \
    "  CASE WHEN l.lv IS NOT NULL THEN date(substr(l.lv, 1, 10), '+' || l.days || ' days')" \
    "   ELSE coalesce(l.since, date(r.created_at)) END AS due_date"                         \
    "  FROM last l JOIN residents r ON r.id = l.rid AND r.deleted_at IS NULL)"              \
    " SELECT rid, name, coalesce((SELECT name FROM communities WHERE id = community_id), ''),"\
    "  groups, coalesce(last_visit, ''),"                                                   \
    "  coalesce((SELECT display_name FROM accounts WHERE id = worker), ''), due_date,"      \
    "  CAST(julianday(?2) - julianday(due_date) AS INTEGER) AS overdue,"                   \
    "  name_pinyin, name_initials, community_id, worker FROM due"

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

#define DUE_WHERE                                                                          \
    "SELECT * FROM (" DUE_ROWS ") WHERE overdue >= ?3"                                      \
    " AND (?4 IS NULL OR name LIKE ?4 ESCAPE '\\')"                                          \
    " AND (?5 IS NULL OR name_pinyin LIKE ?5 || '%' OR name_initials LIKE ?5 || '%')"     \
    " AND (?9 IS NULL OR ',' || groups || ',' LIKE '%,' || ?9 || ',%')"                    \
    " AND (?10 = 0 OR community_id = ?10) AND (?11 = 0 OR worker = ?11)"

ws_status due_list(station *st, const due_filter *f, int64_t after_days, int64_t after_id,
                   int dir, due_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VISIT_READ);
    if (s != WS_OK)
        return s;
    char *freq = due_frequencies(st);
    if (!freq)
        return WS_ERR_NOMEM;
    due_text t;
    due_text_parse(st, f ? f->text : NULL, &t);
    db *d = station_db(st);
    /* Most overdue first; backward (dir < 0) nearest the row first. */
    sqlite3_stmt *q = db_prepare(d, dir >= 0
        ? DUE_WHERE " AND (?6 = 0 OR overdue < ?7 OR (overdue = ?7 AND rid > ?6))"
          " ORDER BY overdue DESC, rid LIMIT ?8"
        : DUE_WHERE " AND (?6 = 0 OR overdue > ?7 OR (overdue = ?7 AND rid < ?6))"
          " ORDER BY overdue, rid DESC LIMIT ?8");
    if (!q) {
        free(freq);
        return db_status(d);
    }
    char today[11];
    date_today(today);
    db_bind_text(q, 1, freq);
    db_bind_text(q, 2, today);
    sqlite3_bind_int(q, 3, f && f->week ? -7 : 0);
    db_bind_text_or_null(q, 4, t.like);
    db_bind_text_or_null(q, 5, t.pinyin);
    sqlite3_bind_int64(q, 6, after_id);
    sqlite3_bind_int64(q, 7, after_days);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)max);
    db_bind_text_or_null(q, 9, t.group);
    sqlite3_bind_int64(q, 10, t.community);
    sqlite3_bind_int64(q, 11, f && f->worker_id ? f->worker_id : t.worker);
    int rc;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        due_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->resident_id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, r->name, sizeof r->name);
        db_column_copy(q, 2, r->community, sizeof r->community);
        char groups[256];
        db_column_copy(q, 3, groups, sizeof groups);
        /* The groups' short labels. */
        size_t used = 0;
        char *save = NULL;
        for (char *g = strtok_r(groups, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
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
    free(freq);
    return s;
}

static ws_status due_count(station *st, int from_days, int64_t *out)
{
    char *freq = due_frequencies(st);
    if (!freq)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM (" DUE_ROWS ") WHERE overdue >= ?3"
                                    " AND overdue < ?4");
    if (!q) {
        free(freq);
        return db_status(d);
    }
    char today[11];
    date_today(today);
    db_bind_text(q, 1, freq);
    db_bind_text(q, 2, today);
    sqlite3_bind_int(q, 3, from_days);
    sqlite3_bind_int(q, 4, from_days < 0 ? 0 : 1 << 30);
    int rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    free(freq);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status casework_counts_get(station *st, casework_counts *c)
{
    memset(c, 0, sizeof *c);
    db *d = station_db(st);
    char today[11];
    date_today(today);
    ws_status s = WS_OK;
    if (station_can(st, PERM_VISIT_READ)) {
        s = due_count(st, 0, &c->overdue);
        if (s == WS_OK)
            s = due_count(st, -7, &c->due_week);
    }
    if (s != WS_OK || !station_can(st, PERM_CASE_READ))
        return s;
    const account *a = station_account(st);
    int64_t mine = station_can(st, PERM_CASE_ALL) ? 0 : a ? a->id : -1;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT"
        " (SELECT count(*) FROM cases WHERE deleted_at IS NULL AND status = 'open' AND"
        "   (?1 = 0 OR worker_id = ?1 OR co_worker_id = ?1)),"
        " (SELECT count(*) FROM cases WHERE deleted_at IS NULL AND status = 'pending' AND"
        "   (?1 = 0 OR worker_id = ?1 OR co_worker_id = ?1)),"
        " (SELECT count(*) FROM cases c WHERE deleted_at IS NULL AND status = 'open' AND"
        "   (?1 = 0 OR worker_id = ?1 OR co_worker_id = ?1) AND"
        "   coalesce((SELECT next_date FROM case_services WHERE case_id = c.id AND"
        "   deleted_at IS NULL ORDER BY service_date DESC, id DESC LIMIT 1), c.next_date) < ?2),"
        " (SELECT count(*) FROM referrals WHERE deleted_at IS NULL AND feedback_date IS NULL"
        "   AND feedback_due < ?2 AND (?1 = 0 OR case_id IS NULL OR case_id IN"
        "   (SELECT id FROM cases WHERE worker_id = ?1 OR co_worker_id = ?1)))");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, mine);
    db_bind_text(q, 2, today);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        c->open_cases = sqlite3_column_int64(q, 0);
        c->pending = sqlite3_column_int64(q, 1);
        c->action_overdue = sqlite3_column_int64(q, 2);
        c->feedback_overdue = sqlite3_column_int64(q, 3);
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
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
