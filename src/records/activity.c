/* Activities, their sessions and who came: three declared kinds and the
 * rules no table can state (a session's times, one person once a session,
 * a volunteer's minutes defaulting to the session's length), the roster
 * of a session as a sign-in sheet reads, and the counts every report and
 * title uses, defined here once. */
#include "wushe/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "volunteer_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

static ws_status act_fail(record_error *re, int f, val_status v, const char *detail)
{
    re->field = f;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%s", detail ? detail : "");
    return WS_ERR_INVALID;
}

/* ---- activities ---- */

static const field_def activity_fields[] = {
    [AF_TITLE] = {.column = "title", .label = "field.activity_title", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(activity, title),
                  .limit = 60, .aliases = "活动名称|名称|活动", .width = 20},
    [AF_TYPE] = {.column = "type", .label = "field.activity_type", .type = FLD_CODE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(activity, type),
                 .codes = "activity_type", .aliases = "活动类型|类型", .width = 8},
    [AF_TEAM] = {.column = "team_id", .label = "field.activity_team", .type = FLD_REF,
                 .flags = FF_LIST | FF_LEDGER, REC_AT(activity, team_id), .ref = &kind_team,
                 .aliases = "组织方|服务队", .width = 10},
    [AF_COMMUNITY] = {.column = "community_id", .label = "field.community", .type = FLD_REF,
                      .flags = FF_LIST | FF_LEDGER, REC_AT(activity, community_id),
                      .ref = &kind_community, .aliases = "社区/村|社区|村", .width = 8},
    [AF_PLACE] = {.column = "place", .label = "field.activity_place", .type = FLD_TEXT,
                  .flags = FF_SEARCH | FF_LEDGER, REC_AT(activity, place), .limit = 80,
                  .aliases = "地点|活动地点"},
    [AF_CONTENT] = {.column = "content", .label = "field.activity_content", .type = FLD_MULTILINE,
                    .flags = FF_LEDGER, REC_AT(activity, content), .limit = 1000,
                    .aliases = "活动内容|内容"},
    [AF_PROJECT] = {.column = "project_id", .label = "field.activity_project", .type = FLD_REF,
                    .flags = FF_LEDGER, REC_AT(activity, project_id), .ref_name = "project",
                    .aliases = "所属项目|项目"},
};

static struct kind_sql activity_sql;
const record_kind kind_activity = {
    .name = "activity",
    .table = "activities",
    .label = "kind.activity",
    .size = sizeof(activity),
    .id_offset = offsetof(activity, id),
    .revision_offset = offsetof(activity, revision),
    .fields = activity_fields,
    .nfields = sizeof activity_fields / sizeof activity_fields[0],
    .title_field = AF_TITLE,
    .sort_by_pinyin = true,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .sql = &activity_sql,
};

/* ---- sessions ---- */

/* "HH:MM" as minutes after midnight; -1 when not a time. */
static int time_minutes(const char *t)
{
    int h = 0, m = 0, n = 0;
    if (sscanf(t, "%d:%d%n", &h, &m, &n) != 2 || t[n] != '\0')
        return -1;
    return h >= 0 && h < 24 && m >= 0 && m < 60 ? h * 60 + m : -1;
}

int session_minutes(const session *s)
{
    int a = time_minutes(s->start), b = time_minutes(s->end);
    return a >= 0 && b > a ? b - a : 0;
}

/* Lines of a session's sign-in sheet already marked (anyone's). */
#define SESSION_MARKED_SQL                                                            \
    "SELECT (SELECT count(*) FROM session_attendance WHERE session_id = ?1"          \
    "  AND deleted_at IS NULL AND mark <> '') + (SELECT count(*) FROM"                \
    "  session_volunteers WHERE session_id = ?1 AND deleted_at IS NULL AND mark <> '')"
/* Volunteers whose hours of a session stand in the ledger (not reversed). */
#define SESSION_POSTED_SQL                                                            \
    "SELECT count(DISTINCT h.volunteer_id) FROM hour_entries h WHERE h.session_id = ?1" \
    " AND h.entry_kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM hour_entries x"     \
    " WHERE x.entry_kind = 'reversal' AND x.corrects_id = h.id)"

/* A session already kept: its date and times as stored. */
static ws_status session_stored(db *d, int64_t id, session *old)
{
    memset(old, 0, sizeof *old);
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(session_date, ''), start_time, end_time"
                                    " FROM activity_sessions WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        db_column_copy(q, 0, old->date, sizeof old->date);
        db_column_copy(q, 1, old->start, sizeof old->start);
        db_column_copy(q, 2, old->end, sizeof old->end);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* A kept session's date or times changed: refused while its sheet says
 * someone came on a day still ahead, or while hours posted from it stand
 * in the ledger with the old date and length (reverse them first). */
static ws_status session_change_rules(station *st, const session *s, record_error *re)
{
    db *d = station_db(st);
    session old;
    ws_status rc = session_stored(d, s->id, &old);
    bool date = strcmp(old.date, s->date) != 0;
    int field = date ? SF_DATE : strcmp(old.start, s->start) != 0 ? SF_START
                : strcmp(old.end, s->end) != 0 ? SF_END : -1;
    if (rc != WS_OK || field < 0)
        return rc;
    char today[11], msg[320];
    date_today(today);
    int64_t n = 0;
    if (date && strcmp(s->date, today) > 0) {
        rc = db_int(d, SESSION_MARKED_SQL, s->id, &n);
        if (rc == WS_OK && n > 0)
            return act_fail(re, SF_DATE, VAL_RULE,
                            trf(msg, sizeof msg, "activities.future_marked", (long long)n));
    }
    if (rc == WS_OK)
        rc = db_int(d, SESSION_POSTED_SQL, s->id, &n);
    if (rc == WS_OK && n > 0)
        return act_fail(re, field, VAL_RULE,
                        trf(msg, sizeof msg, "activities.session_posted", (long long)n));
    return rc;
}

static ws_status session_rules(station *st, void *rec, record_error *re)
{
    session *s = rec;
    /* (The times are times: the table checked them.) An end before the start is an error or a night across midnight:
     * both are refused (a session is within one day). */
    if (time_minutes(s->end) <= time_minutes(s->start))
        return act_fail(re, SF_END, VAL_END_BEFORE_START, s->start);
    if (s->unnamed < 0)
        return act_fail(re, SF_UNNAMED, VAL_NUMBER, NULL);
    return s->id ? session_change_rules(st, s, re) : WS_OK;
}

/* The sheet follows a kept session's new times: a volunteer who came and
 * serves the whole session (the minutes were its old length) serves the
 * new length. Before the row is written: the stored times are the old. */
static ws_status session_follow_times(station *st, void *rec, bool insert, record_error *re)
{
    session *s = rec;
    if (insert)
        return WS_OK;
    db *d = station_db(st);
    session old;
    ws_status rc = session_stored(d, s->id, &old);
    int was = session_minutes(&old), now = session_minutes(s);
    if (rc != WS_OK || was == now || was <= 0)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM session_volunteers WHERE session_id = ?1"
                                    " AND deleted_at IS NULL AND mark IN ('present', 'late')"
                                    " AND minutes = ?2 ORDER BY id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, s->id);
    sqlite3_bind_int(q, 2, was);
    int step;
    while (rc == WS_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *more = realloc(ids, (cap = cap ? cap * 2 : 16) * sizeof *ids);
            if (!more)
                rc = WS_ERR_NOMEM;
            else
                ids = more;
        }
        if (rc == WS_OK)
            ids[n++] = sqlite3_column_int64(q, 0);
    }
    if (rc == WS_OK && step != SQLITE_DONE)
        rc = db_status_from(step);
    db_reset(q);
    /* Read first, write after: one statement at a time. */
    for (size_t i = 0; rc == WS_OK && i < n; i++) {
        service v;
        rc = record_load(st, &kind_service, ids[i], &v);
        v.minutes = now;
        if (rc == WS_OK)
            rc = record_save(st, &kind_service, &v, re);
    }
    free(ids);
    if (rc == WS_ERR_INVALID)
        re->field = SF_END; /* the change the line could not follow */
    return rc;
}

static const field_def session_fields[] = {
    [SF_ACTIVITY] = {.column = "activity_id", .label = "kind.activity", .type = FLD_REF,
                     .flags = FF_REQUIRED, REC_AT(session, activity_id), .ref = &kind_activity},
    [SF_DATE] = {.column = "session_date", .label = "field.session_date", .type = FLD_DATE,
                 .flags = FF_REQUIRED | FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(session, date),
                 .aliases = "日期|活动日期", .width = 10},
    [SF_START] = {.column = "start_time", .label = "field.session_start", .type = FLD_TIME,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(session, start),
                  .limit = 5, .aliases = "开始时间|开始", .width = 5},
    [SF_END] = {.column = "end_time", .label = "field.session_end", .type = FLD_TIME,
                .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(session, end), .limit = 5,
                .aliases = "结束时间|结束", .width = 5},
    [SF_UNNAMED] = {.column = "unnamed_count", .label = "field.session_unnamed", .type = FLD_INT,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(session, unnamed),
                    .aliases = "未登记人数|其他参与人数", .width = 6},
    [SF_NOTE] = {.column = "note", .label = "field.notes", .type = FLD_TEXT,
                 .flags = FF_LIST | FF_LEDGER, REC_AT(session, note), .limit = 120,
                 .aliases = "备注", .width = 10},
};

static void session_defaults(station *st, void *rec)
{
    (void)st;
    date_today(((session *)rec)->date);
}

static struct kind_sql session_sql;
const record_kind kind_session = {
    .name = "session",
    .table = "activity_sessions",
    .label = "kind.session",
    .size = sizeof(session),
    .id_offset = offsetof(session, id),
    .revision_offset = offsetof(session, revision),
    .fields = session_fields,
    .nfields = sizeof session_fields / sizeof session_fields[0],
    .title_field = SF_DATE,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .hooks = {.defaults = session_defaults, .validate = session_rules,
              .before_write = session_follow_times},
    .sql = &session_sql,
};

/* ---- attendance: residents served, volunteers serving ---- */

/* Whether `person` is on session's roster in `table` already (another row). */
static ws_status on_roster(station *st, bool volunteer, int64_t session_id, int64_t person,
                           int64_t self, bool *found)
{
    sqlite3_stmt *q = db_prepare(station_db(st), volunteer
        ? "SELECT 1 FROM session_volunteers WHERE session_id = ?1 AND volunteer_id = ?2"
          " AND id <> ?3 AND deleted_at IS NULL"
        : "SELECT 1 FROM session_attendance WHERE session_id = ?1 AND resident_id = ?2"
          " AND id <> ?3 AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, session_id);
    sqlite3_bind_int64(q, 2, person);
    sqlite3_bind_int64(q, 3, self);
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* A mark says what happened at the session: none before its day. */
static ws_status mark_not_ahead(station *st, int64_t session_id, const char *mark, int field,
                                record_error *re)
{
    if (!mark[0])
        return WS_OK;
    char date[16] = "", today[11], msg[320];
    ws_status s = db_text_i64(station_db(st), "SELECT coalesce(session_date, '') FROM"
                                              " activity_sessions WHERE id = ?1",
                              session_id, date, sizeof date);
    date_today(today);
    if (s == WS_OK && strcmp(date, today) > 0)
        return act_fail(re, field, VAL_RULE, trf(msg, sizeof msg, "activities.future_mark", date));
    return s;
}

/* One person once a sheet: a resident who volunteers is either served or
 * serving there (both would count them twice: 人数 and 志愿者人次). */
static ws_status other_role_on_roster(station *st, bool volunteer, int64_t session_id,
                                      int64_t person, int field, record_error *re)
{
    db *d = station_db(st);
    bool found = false;
    ws_status s = db_exists_i64(d, volunteer
        ? "SELECT 1 FROM session_attendance a JOIN volunteers v ON v.resident_id = a.resident_id"
          " WHERE a.session_id = ?1 AND a.deleted_at IS NULL AND v.id = ?2"
        : "SELECT 1 FROM session_volunteers a JOIN volunteers v ON v.id = a.volunteer_id"
          " WHERE a.session_id = ?1 AND a.deleted_at IS NULL AND v.resident_id = ?2",
        session_id, person, &found);
    if (s != WS_OK || !found)
        return s;
    char name[192] = "", msg[320];
    s = db_text_i64(d, volunteer ? "SELECT name FROM volunteers WHERE id = ?1"
                                 : "SELECT name FROM residents WHERE id = ?1",
                    person, name, sizeof name);
    if (s != WS_OK)
        return s;
    return act_fail(re, field, VAL_RULE,
                    trf(msg, sizeof msg, volunteer ? "roster.twice_as_resident"
                                                   : "roster.twice_as_volunteer", name));
}

static ws_status attendance_rules(station *st, void *rec, record_error *re)
{
    attendance *a = rec;
    bool found = false;
    ws_status s = on_roster(st, false, a->session_id, a->resident_id, a->id, &found);
    if (s == WS_OK && found)
        return act_fail(re, ATF_RESIDENT, VAL_ON_ROSTER, NULL);
    if (s == WS_OK)
        s = other_role_on_roster(st, false, a->session_id, a->resident_id, ATF_RESIDENT, re);
    if (s == WS_OK)
        s = mark_not_ahead(st, a->session_id, a->mark, ATF_MARK, re);
    return s;
}

static const field_def attendance_fields[] = {
    [ATF_SESSION] = {.column = "session_id", .label = "kind.session", .type = FLD_REF,
                     .flags = FF_REQUIRED, REC_AT(attendance, session_id), .ref = &kind_session},
    [ATF_RESIDENT] = {.column = "resident_id", .label = "kind.resident", .type = FLD_REF,
                      .flags = FF_REQUIRED | FF_LIST, REC_AT(attendance, resident_id),
                      .ref = &kind_resident, .width = 8},
    [ATF_MARK] = {.column = "mark", .label = "field.attendance_mark", .type = FLD_CODE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(attendance, mark),
                  .codes = "attendance_mark", .aliases = "签到|出勤", .width = 4},
    [ATF_NOTE] = {.column = "note", .label = "field.notes", .type = FLD_TEXT,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(attendance, note), .limit = 80,
                  .aliases = "备注", .width = 10},
};

static struct kind_sql attendance_sql;
const record_kind kind_attendance = {
    .name = "attendance",
    .table = "session_attendance",
    .label = "kind.attendance",
    .size = sizeof(attendance),
    .id_offset = offsetof(attendance, id),
    .revision_offset = offsetof(attendance, revision),
    .fields = attendance_fields,
    .nfields = sizeof attendance_fields / sizeof attendance_fields[0],
    .title_field = ATF_MARK,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .hooks = {.validate = attendance_rules},
    .sql = &attendance_sql,
};

static bool came(const char *mark)
{
    return strcmp(mark, "present") == 0 || strcmp(mark, "late") == 0;
}

/* A volunteer who left (退出) before the session's date serves no more. */
static ws_status service_rules(station *st, void *rec, record_error *re)
{
    service *v = rec;
    if (v->minutes < 0)
        return act_fail(re, VSV_MINUTES, VAL_MINUTES_POSITIVE, NULL);
    if (v->minutes > 24 * 60)
        return act_fail(re, VSV_MINUTES, VAL_RULE, tr("activities.service_day"));
    bool found = false;
    ws_status s = on_roster(st, true, v->session_id, v->volunteer_id, v->id, &found);
    if (s == WS_OK && found)
        return act_fail(re, VSV_VOLUNTEER, VAL_ON_ROSTER, NULL);
    if (s == WS_OK)
        s = other_role_on_roster(st, true, v->session_id, v->volunteer_id, VSV_VOLUNTEER, re);
    if (s == WS_OK)
        s = mark_not_ahead(st, v->session_id, v->mark, VSV_MARK, re);
    db *d = station_db(st);
    char date[16] = "", left[16] = "";
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT coalesce(session_date, '') FROM activity_sessions"
                           " WHERE id = ?1", v->session_id, date, sizeof date);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT coalesce(status_date, '') FROM volunteers WHERE id = ?1"
                           " AND status = 'left'", v->volunteer_id, left, sizeof left);
    if (s == WS_OK && left[0] && strcmp(date, left) > 0)
        return act_fail(re, VSV_VOLUNTEER, VAL_AFTER_LEFT, left);
    if (s == WS_OK && !came(v->mark))
        v->minutes = 0; /* absent, excused or not marked yet: no service */
    return s;
}

/* A volunteer who came and has no minutes typed served the whole session. */
static ws_status service_default_minutes(station *st, void *rec, bool insert, record_error *re)
{
    (void)insert;
    (void)re;
    service *v = rec;
    if (v->minutes || !came(v->mark))
        return WS_OK;
    session ses;
    ws_status s = record_load(st, &kind_session, v->session_id, &ses);
    if (s == WS_OK)
        v->minutes = session_minutes(&ses);
    return s;
}

/* The ledger follows the roster: minutes changed after the hours were
 * posted, or the volunteer marked as not come, are a 更正 in the same
 * save. */
static ws_status service_follow(station *st, void *rec, bool insert, record_error *re)
{
    service *v = rec;
    if (insert)
        return WS_OK;
    return hours_follow_roster(st, v->session_id, v->volunteer_id, came(v->mark) ? v->minutes : 0,
                               VSV_MINUTES, re);
}

/* A line taken off the roster takes its posted hours with it (voided). */
static ws_status service_before_delete(station *st, int64_t id, record_error *re)
{
    service v;
    ws_status s = record_load(st, &kind_service, id, &v);
    return s == WS_OK ? hours_follow_roster(st, v.session_id, v.volunteer_id, 0, VSV_MINUTES, re)
                      : s;
}

static const field_def service_fields[] = {
    [VSV_SESSION] = {.column = "session_id", .label = "kind.session", .type = FLD_REF,
                     .flags = FF_REQUIRED, REC_AT(service, session_id), .ref = &kind_session},
    [VSV_VOLUNTEER] = {.column = "volunteer_id", .label = "kind.volunteer", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LIST, REC_AT(service, volunteer_id),
                       .ref = &kind_volunteer, .width = 8},
    [VSV_MARK] = {.column = "mark", .label = "field.attendance_mark", .type = FLD_CODE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(service, mark),
                  .codes = "attendance_mark", .aliases = "签到|出勤", .width = 4},
    [VSV_MINUTES] = {.column = "minutes", .label = "field.attendance_minutes",
                     .type = FLD_MINUTES, .flags = FF_LIST | FF_LEDGER, REC_AT(service, minutes),
                     .aliases = "服务时长|时长", .width = 8},
    [VSV_NOTE] = {.column = "note", .label = "field.notes", .type = FLD_TEXT,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(service, note), .limit = 80,
                  .aliases = "备注", .width = 10},
};

static struct kind_sql service_sql;
const record_kind kind_service = {
    .name = "service",
    .table = "session_volunteers",
    .label = "kind.service",
    .size = sizeof(service),
    .id_offset = offsetof(service, id),
    .revision_offset = offsetof(service, revision),
    .fields = service_fields,
    .nfields = sizeof service_fields / sizeof service_fields[0],
    .title_field = VSV_MARK,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .hooks = {.validate = service_rules, .before_write = service_default_minutes,
              .after_write = service_follow, .before_delete = service_before_delete},
    .sql = &service_sql,
};

/* ---- the roster of a session ---- */

ws_status roster_list(station *st, int64_t session_id, roster_line *out, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT a.id, 1, a.volunteer_id, v.name, v.number, a.mark, a.minutes, v.sort_key,"
        " a.revision FROM session_volunteers a JOIN volunteers v ON v.id = a.volunteer_id"
        " WHERE a.session_id = ?1 AND a.deleted_at IS NULL"
        " UNION ALL SELECT a.id, 0, a.resident_id, r.name, r.phone, a.mark, 0, r.sort_key,"
        " a.revision"
        " FROM session_attendance a JOIN residents r ON r.id = a.resident_id"
        " WHERE a.session_id = ?1 AND a.deleted_at IS NULL"
        " ORDER BY 2 DESC, 8, 1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, session_id);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        roster_line *l = &out[(*n)++];
        memset(l, 0, sizeof *l);
        l->id = sqlite3_column_int64(q, 0);
        l->is_volunteer = sqlite3_column_int(q, 1) != 0;
        l->person_id = sqlite3_column_int64(q, 2);
        db_column_copy(q, 3, l->name, sizeof l->name);
        char detail[64];
        db_column_copy(q, 4, detail, sizeof detail);
        if (l->is_volunteer)
            snprintf(l->detail, sizeof l->detail, "%s", detail);
        else
            mask_phone(detail, l->detail, sizeof l->detail);
        db_column_copy(q, 5, l->mark, sizeof l->mark);
        l->minutes = sqlite3_column_int64(q, 6);
        l->revision = sqlite3_column_int64(q, 8);
    }
    s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    db_reset(q);
    return s;
}

ws_status roster_add(station *st, int64_t session_id, bool volunteer, int64_t person_id,
                     record_error *re)
{
    if (volunteer) {
        service v;
        record_init(&kind_service, &v);
        v.session_id = session_id;
        v.volunteer_id = person_id;
        return record_save(st, &kind_service, &v, re);
    }
    attendance a;
    record_init(&kind_attendance, &a);
    a.session_id = session_id;
    a.resident_id = person_id;
    return record_save(st, &kind_attendance, &a, re);
}

ws_status roster_mark(station *st, const roster_line *line, const char *mark, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    if (line->is_volunteer) {
        service v;
        ws_status s = record_load(st, &kind_service, line->id, &v);
        if (s != WS_OK)
            return s;
        /* The line as the sheet read it: changed since by someone else is
         * refused by the save (WS_ERR_STALE, who and when). */
        v.revision = line->revision;
        snprintf(v.mark, sizeof v.mark, "%s", mark ? mark : "");
        /* Absent or excused: none; came: as typed, else the session's length. */
        if (!came(v.mark))
            v.minutes = 0;
        return record_save(st, &kind_service, &v, re);
    }
    attendance a;
    ws_status s = record_load(st, &kind_attendance, line->id, &a);
    if (s != WS_OK)
        return s;
    a.revision = line->revision;
    snprintf(a.mark, sizeof a.mark, "%s", mark ? mark : "");
    return record_save(st, &kind_attendance, &a, re);
}

/* ---- counting, defined once ---- */

/* The definition is ACTIVITY_COUNTS_SQL (volunteer_internal.h). */

/* The counts' one row (the statement reset after). */
static ws_status counts_read(sqlite3_stmt *q, activity_counts *out)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->sessions = sqlite3_column_int64(q, 0);
        out->people = sqlite3_column_int64(q, 1);
        out->person_times = sqlite3_column_int64(q, 2);
        out->volunteer_times = sqlite3_column_int64(q, 3);
        out->volunteer_minutes = sqlite3_column_int64(q, 4);
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status activity_counts_get(station *st, int64_t activity_id, const char *from,
                              const char *to, activity_counts *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    /* Two statements of one definition: "?1 = 0 OR ..." would keep one
     * activity's count from its index. */
    sqlite3_stmt *q = db_prepare(d, activity_id
                                        ? ACTIVITY_COUNTS_SQL("s.activity_id = ?1")
                                        : ACTIVITY_COUNTS_SQL("?1 = 0"));
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, activity_id);
    db_bind_text(q, 2, from ? from : "");
    db_bind_text(q, 3, to ? to : "");
    return counts_read(q, out);
}

ws_status activity_counts_where(station *st, const char *sql, int64_t id, activity_counts *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    db_bind_text(q, 2, "");
    db_bind_text(q, 3, "");
    return counts_read(q, out);
}
