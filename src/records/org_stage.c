/* An organisation's incubation, moved one stage at a time (进驻 → 孵化 →
 * 评估 → 出壳, or one back with a reason), each move one transaction: the
 * row (revision + 1, audited) and its transition. Cases move the same way
 * (case_stage.c) but also carry a status, an approval and a follow-up, so
 * the two walks share the write path's pieces (snapshot, audit, terms)
 * rather than one table. Also the module's counts, per community against
 * the targets, and an organisation's page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "volunteer_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/config.h"
#include "wushe/orgs.h"

static const char *const org_stages[] = {"entry", "incubation", "assessment", "graduated"};
#define ORG_NSTAGES 4

static int org_stage_index(const char *code)
{
    for (int i = 0; i < ORG_NSTAGES; i++)
        if (strcmp(org_stages[i], code) == 0)
            return i;
    return -1;
}

static const char *const org_move_keys[ORG_MOVE_COUNT] = {
    "org.move_enter", "org.move_advance", "org.move_back",
};

const char *org_move_key(org_move m)
{
    return (unsigned)m < ORG_MOVE_COUNT ? org_move_keys[m] : "";
}

bool org_move_needs_reason(org_move m)
{
    return m == ORG_MOVE_BACK;
}

static bool org_move_fits(station *st, const organisation *o, org_move m)
{
    int sg = org_stage_index(o->stage);
    if (!station_can(st, PERM_ORG_INCUBATE) || strcmp(o->status, "cancelled") == 0)
        return false;
    switch (m) {
    case ORG_MOVE_ENTER:
        return !o->stage[0];
    case ORG_MOVE_ADVANCE:
        return sg >= 0 && sg < ORG_NSTAGES - 1;
    case ORG_MOVE_BACK:
        return sg > 0;
    default:
        return false;
    }
}

bool org_move_allowed(station *st, int64_t id, org_move m)
{
    organisation o;
    return station_can(st, PERM_ORG_READ) &&
           record_load_row(st, &kind_organisation, id, &o) == WS_OK && org_move_fits(st, &o, m);
}

/* 出壳 needs a completed 出壳评估 (every domain scored 1-5) and an outcome. */
static ws_status org_has_exit_assessment(station *st, const organisation *o, record_error *re)
{
    int64_t n = 0;
    ws_status s = db_int(station_db(st),
        "SELECT count(*) FROM org_assessments WHERE org_id = ?1 AND phase = 'exit'"
        " AND deleted_at IS NULL AND min(governance, finance, projects, volunteers, resources,"
        " services) >= 1 AND max(governance, finance, projects, volunteers, resources,"
        " services) <= 5", o->id, &n);
    if (s == WS_OK && n == 0)
        return record_fail(re, -1, VAL_STAGE_MISSING, tr("org.missing_assessment"));
    return s;
}

static ws_status org_can_graduate(station *st, const organisation *o, const char *outcome,
                                  record_error *re)
{
    ws_status s = org_has_exit_assessment(st, o, re);
    if (s != WS_OK)
        return s;
    if (!outcome || !codebook_find(station_codes(st), "org_outcome", outcome))
        return record_fail(re, ORF_OUTCOME, VAL_REQUIRED, NULL);
    return WS_OK;
}

static ws_status org_row_moved(db *d, const organisation *o)
{
    sqlite3_stmt *q = db_prepare(d,
        "UPDATE organisations SET stage = ?2, stage_date = ?3, outcome = ?4,"
        " revision = revision + 1, updated_at = ?5 WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, o->id);
    db_bind_text(q, 2, o->stage);
    db_bind_text_or_null(q, 3, o->stage_date);
    db_bind_text(q, 4, o->outcome);
    db_bind_text(q, 5, now);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status org_transition_write(station *st, const organisation *o, const char *from,
                                      const char *reason)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO org_transitions(org_id, at, actor, decided_on, from_stage, to_stage,"
        " outcome, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    sqlite3_bind_int64(q, 1, o->id);
    db_bind_text(q, 2, now);
    db_bind_text(q, 3, station_actor(st));
    db_bind_text(q, 4, o->stage_date);
    db_bind_text(q, 5, from);
    db_bind_text(q, 6, o->stage);
    db_bind_text(q, 7, o->outcome);
    db_bind_text(q, 8, reason);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The organisation after move m (its stage, date and outcome). */
static ws_status org_move_apply(station *st, organisation *o, org_move m, const char *date,
                                const char *outcome, record_error *re)
{
    int sg = org_stage_index(o->stage);
    ws_status s = WS_OK;
    if (o->stage_date[0] && strcmp(date, o->stage_date) < 0)
        return record_fail(re, ORF_STAGE_DATE, VAL_BEFORE_DATE, o->stage_date);
    if (m == ORG_MOVE_ENTER)
        sg = 0;
    else if (m == ORG_MOVE_BACK)
        sg--;
    else if (sg == ORG_NSTAGES - 2 && (s = org_can_graduate(st, o, outcome, re)) != WS_OK)
        return s;
    else
        sg++;
    snprintf(o->stage, sizeof o->stage, "%s", org_stages[sg]);
    snprintf(o->stage_date, sizeof o->stage_date, "%s", date);
    snprintf(o->outcome, sizeof o->outcome, "%s", sg == ORG_NSTAGES - 1 ? outcome : "");
    return WS_OK;
}

ws_status org_move_check(station *st, int64_t id, org_move m, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_ORG_INCUBATE);
    organisation *o = s == WS_OK ? malloc(sizeof *o) : NULL;
    if (s == WS_OK && !o)
        return WS_ERR_NOMEM;
    if (s == WS_OK)
        s = record_load_row(st, &kind_organisation, id, o);
    if (s == WS_OK && !org_move_fits(st, o, m))
        s = record_fail(re, -1, VAL_RULE, tr("org.move_denied"));
    if (s == WS_OK && m == ORG_MOVE_ADVANCE &&
        org_stage_index(o->stage) == ORG_NSTAGES - 2)
        s = org_has_exit_assessment(st, o, re);
    free(o);
    return s;
}

ws_status org_move_do(station *st, int64_t id, int64_t revision, org_move m, const char *date,
                      const char *outcome, const char *reason, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_ORG_INCUBATE);
    if (s != WS_OK)
        return s;
    char why[400] = "", day[11] = "", today[11];
    const char *r = reason ? reason : "";
    while (*r == ' ' || *r == '\t')
        r++;
    snprintf(why, sizeof why, "%s", r);
    if (org_move_needs_reason(m) && !why[0])
        return record_fail(re, -1, VAL_REASON_NEEDED, NULL);
    date_today(today);
    if (date && date[0]) {
        val_status v = val_date(date, today, true, day);
        if (v != VAL_OK)
            return record_fail(re, ORF_STAGE_DATE, v, NULL);
    } else {
        snprintf(day, sizeof day, "%s", today);
    }
    organisation *o = malloc(sizeof *o);
    if (!o)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    char *before = NULL;
    char from[16] = "";
    s = db_begin(d);
    if (s == WS_OK)
        s = record_load_row(st, &kind_organisation, id, o);
    if (s == WS_OK && revision && o->revision != revision) {
        record_changed_by(st, "organisations", id, re->detail, sizeof re->detail);
        s = WS_ERR_STALE;
    }
    if (s == WS_OK && !org_move_fits(st, o, m))
        s = record_fail(re, -1, VAL_RULE, tr("org.move_denied"));
    if (s == WS_OK) {
        snprintf(from, sizeof from, "%s", o->stage);
        s = record_audit_snapshot(st, &kind_organisation, id, &before);
    }
    if (s == WS_OK)
        s = org_move_apply(st, o, m, day, outcome, re);
    if (s == WS_OK)
        s = org_row_moved(d, o);
    if (s == WS_OK)
        s = org_transition_write(st, o, from, why);
    if (s == WS_OK) /* found by its stage as it is now */
        s = record_terms_refresh(st, &kind_organisation, id);
    if (s == WS_OK)
        s = record_audit_write(st, &kind_organisation, id, false, before);
    free(before);
    free(o);
    return db_end(d, s);
}

ws_status org_transitions(station *st, int64_t org_id, org_transition *out, size_t max,
                          size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT strftime('%Y-%m-%d %H:%M', at, 'localtime'), " RECORD_ACTOR_NAME ", decided_on,"
        " from_stage, to_stage, outcome, reason FROM org_transitions WHERE org_id = ?1"
        " ORDER BY id LIMIT ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, org_id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        org_transition *t = &out[(*n)++];
        db_column_copy(q, 0, t->at, sizeof t->at);
        db_column_copy(q, 1, t->who, sizeof t->who);
        db_column_copy(q, 2, t->decided_on, sizeof t->decided_on);
        db_column_copy(q, 3, t->from_stage, sizeof t->from_stage);
        db_column_copy(q, 4, t->to_stage, sizeof t->to_stage);
        db_column_copy(q, 5, t->outcome, sizeof t->outcome);
        db_column_copy(q, 6, t->reason, sizeof t->reason);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- counts ---- */

int64_t org_target(station *st, const char *community_kind)
{
    const station_config *cfg = st ? station_cfg(st) : NULL;
    bool rural = community_kind && strcmp(community_kind, "village") == 0;
    int v = cfg ? (rural ? cfg->org_target_rural : cfg->org_target_urban) : 0;
    return v > 0 ? v : rural ? ORG_TARGET_RURAL : ORG_TARGET_URBAN;
}

/* The organisations that count: living and not 注销. */
#define ORG_COUNTED "o.deleted_at IS NULL AND o.status <> 'cancelled'"

ws_status org_community_counts(station *st, bool below_only, org_community_count **out,
                               size_t *n)
{
    *out = NULL;
    *n = 0;
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s != WS_OK)
        return s;
    const code_list *types = codebook_list(station_codes(st), "org_type");
    db *d = station_db(st);
    /* One pass: every community with its organisations' types. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT c.id, c.name, c.kind, o.type FROM communities c"
        " LEFT JOIN org_communities oc ON oc.community_id = c.id AND oc.deleted_at IS NULL"
        " LEFT JOIN organisations o ON o.id = oc.org_id AND " ORG_COUNTED
        " WHERE c.deleted_at IS NULL ORDER BY c.sort_key, c.id");
    if (!q)
        return db_status(d);
    size_t cap = 0;
    int rc;
    org_community_count *cur = NULL;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t cid = sqlite3_column_int64(q, 0);
        if (!cur || cur->community_id != cid) {
            if (*n == cap) {
                size_t ncap = cap ? cap * 2 : 32;
                org_community_count *g = realloc(*out, ncap * sizeof *g);
                if (!g) {
                    s = WS_ERR_NOMEM;
                    break;
                }
                *out = g;
                cap = ncap;
            }
            cur = &(*out)[(*n)++];
            memset(cur, 0, sizeof *cur);
            cur->community_id = cid;
            db_column_copy(q, 1, cur->name, sizeof cur->name);
            db_column_copy(q, 2, cur->kind, sizeof cur->kind);
            cur->target = org_target(st, cur->kind);
        }
        const char *type = (const char *)sqlite3_column_text(q, 3);
        if (!type)
            continue;
        cur->total++;
        size_t t = ORG_TYPES - 1; /* anything unknown is 其他 */
        for (size_t i = 0; types && i < types->n && i < ORG_TYPES; i++)
            if (strcmp(types->items[i].code, type) == 0)
                t = i;
        cur->by_type[t]++;
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    if (s == WS_OK && below_only) {
        size_t k = 0;
        for (size_t i = 0; i < *n; i++)
            if ((*out)[i].total < (*out)[i].target)
                (*out)[k++] = (*out)[i];
        *n = k;
    }
    if (s != WS_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return s;
}

ws_status org_counts_get(station *st, org_counts *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT count(*), coalesce(sum(stage IN ('entry', 'incubation', 'assessment')), 0),"
        " coalesce(sum(stage = 'graduated'), 0),"
        " (SELECT count(*) FROM projects WHERE deleted_at IS NULL"
        "  AND status IN ('approved', 'running'))"
        " FROM organisations o WHERE " ORG_COUNTED);
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->organisations = sqlite3_column_int64(q, 0);
        out->incubating = sqlite3_column_int64(q, 1);
        out->graduated = sqlite3_column_int64(q, 2);
        out->projects_running = sqlite3_column_int64(q, 3);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    org_community_count *c = NULL;
    size_t n = 0;
    s = org_community_counts(st, true, &c, &n);
    out->below_target = (int64_t)n;
    free(c);
    return s;
}

/* ---- an organisation's page ---- */

ws_status org_summary_get(station *st, int64_t org_id, org_summary *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT (SELECT count(*) FROM volunteer_teams WHERE org_id = ?1 AND deleted_at IS NULL),"
        " (SELECT count(DISTINCT m.volunteer_id) FROM volunteer_team_members m"
        "   JOIN volunteer_teams t ON t.id = m.team_id WHERE t.org_id = ?1"
        "   AND t.deleted_at IS NULL AND m.deleted_at IS NULL AND m.left_date IS NULL),"
        " (SELECT count(*) FROM activities a WHERE a.deleted_at IS NULL AND "
        ORG_ACTIVITIES_SQL "),"
        " (SELECT count(*) FROM projects WHERE org_id = ?1 AND deleted_at IS NULL),"
        /* money: into its projects' funds; what it gave as a donor */
        " (SELECT coalesce(sum(m.amount), 0) FROM donation_money m WHERE m.deleted_at IS NULL"
        "   AND m.fund_id IN (SELECT fund_id FROM projects WHERE org_id = ?1"
        "        AND deleted_at IS NULL AND fund_id IS NOT NULL)),"
        " (SELECT coalesce(sum(m.amount), 0) FROM donation_money m WHERE m.deleted_at IS NULL"
        "   AND m.donation_id IN (SELECT n.id FROM donations n JOIN donors r ON r.id = n.donor_id"
        "        WHERE r.org_id = ?1)),"
        " (SELECT coalesce(sum(g.quantity * g.unit_value), 0) FROM donation_goods g"
        "   WHERE g.deleted_at IS NULL AND g.donation_id IN (SELECT n.id FROM donations n"
        "   JOIN donors r ON r.id = n.donor_id WHERE r.org_id = ?1)),"
        " (SELECT count(*) FROM org_tasks WHERE org_id = ?1 AND deleted_at IS NULL),"
        " (SELECT count(*) FROM org_tasks WHERE org_id = ?1 AND deleted_at IS NULL"
        "   AND done_date IS NOT NULL),"
        " (SELECT count(*) FROM org_assessments WHERE org_id = ?1 AND deleted_at IS NULL)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, org_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        int64_t *v[] = {&out->teams,    &out->volunteers,  &out->activities,
                        &out->projects, &out->money_in,    &out->money_given,
                        &out->goods_given, &out->tasks,    &out->tasks_done,
                        &out->assessments};
        for (int i = 0; i < 10; i++)
            *v[i] = sqlite3_column_int64(q, i);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (station_can(st, PERM_VOLUNTEER_READ))
        s = activity_counts_org(st, org_id, &out->counts);
    return s;
}

ws_status org_activities(station *st, int64_t org_id, org_activity *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s == WS_OK)
        s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT a.id, a.title, coalesce(max(x.session_date), ''), count(x.id) FROM activities a"
        " LEFT JOIN activity_sessions x ON x.activity_id = a.id AND x.deleted_at IS NULL"
        " WHERE a.deleted_at IS NULL AND " ORG_ACTIVITIES_SQL
        " GROUP BY a.id ORDER BY 3 DESC, a.id LIMIT ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, org_id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        org_activity *a = &out[(*n)++];
        a->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, a->title, sizeof a->title);
        db_column_copy(q, 2, a->last_date, sizeof a->last_date);
        a->sessions = sqlite3_column_int64(q, 3);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status activity_counts_org(station *st, int64_t org_id, activity_counts *out)
{
    return activity_counts_where(st, ACTIVITY_COUNTS_SQL(ORG_ACTIVITIES_SQL), org_id, out);
}
