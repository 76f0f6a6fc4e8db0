/* Volunteers, their teams and the teams' members: three declared kinds
 * (field tables) and the rules no table can state. A volunteer on the
 * register is linked to the resident, whose name (and phone, when none is
 * given) the row copies so the search box and the lists find it; the
 * volunteer number is the station's and never given twice. */
#include "wushe/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

static ws_status vol_fail(record_error *re, int f, val_status v, const char *detail)
{
    re->field = f;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%.*s", (int)sizeof re->detail - 1,
             detail ? detail : "");
    return WS_ERR_INVALID;
}

static void volunteer_defaults(station *st, void *rec)
{
    (void)st;
    volunteer *v = rec;
    date_today(v->registered_date);
    snprintf(v->status, sizeof v->status, "active");
}

void volunteer_init(volunteer *v)
{
    record_init(&kind_volunteer, v);
    volunteer_defaults(NULL, v);
}

ws_status volunteer_find_number(station *st, const char *number, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM volunteers WHERE number = ?1"
                                                 " AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    db_bind_text(q, 1, number);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* A linked volunteer's name and phone from the register. */
static ws_status volunteer_from_resident(station *st, volunteer *v, record_error *re)
{
    db *d = station_db(st);
    bool found = false;
    ws_status s = db_exists_i64(d, "SELECT 1 FROM volunteers WHERE resident_id = ?1 AND id <> ?2"
                                   " AND deleted_at IS NULL", v->resident_id, v->id, &found);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT name FROM residents WHERE id = ?1", v->resident_id, v->name,
                        sizeof v->name);
    if (s == WS_OK && found)
        return vol_fail(re, VOL_RESIDENT, VAL_VOLUNTEER_TWICE, v->name);
    if (s == WS_OK && !v->phone[0])
        s = db_text_i64(d, "SELECT phone FROM residents WHERE id = ?1", v->resident_id, v->phone,
                        sizeof v->phone);
    return s;
}

static ws_status volunteer_rules(station *st, void *rec, record_error *re)
{
    volunteer *v = rec;
    ws_status s = WS_OK;
    /* An ID number of the register links the volunteer to that person (a
     * roster imported from Excel names them by it). */
    if (!v->resident_id && v->id_number[0]) {
        sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM residents"
                                                     " WHERE id_number = ?1 AND deleted_at IS NULL");
        if (!q)
            return db_status(station_db(st));
        db_bind_text(q, 1, v->id_number);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            v->resident_id = sqlite3_column_int64(q, 0);
        db_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    if (v->resident_id)
        s = volunteer_from_resident(st, v, re);
    else if (!v->name[0])
        return vol_fail(re, VOL_NAME, VAL_REQUIRED, NULL);
    if (s != WS_OK)
        return s;
    if (strcmp(v->status, "active") == 0) {
        /* Back in service: the pause or leaving is in the history. */
        v->status_date[0] = v->status_reason[0] = '\0';
        return WS_OK;
    }
    if (!v->status_date[0])
        return vol_fail(re, VOL_STATUS_DATE, VAL_REQUIRED, NULL);
    if (!v->status_reason[0])
        return vol_fail(re, VOL_STATUS_REASON, VAL_REQUIRED, NULL);
    if (v->registered_date[0] && strcmp(v->status_date, v->registered_date) < 0)
        return vol_fail(re, VOL_STATUS_DATE, VAL_BEFORE_REGISTERED, v->registered_date);
    return WS_OK;
}

/* A new volunteer's number: the station's division code, V, and the next
 * of a counter that only grows (a deleted volunteer's is never given
 * again). Inside the save's transaction. */
static ws_status volunteer_number(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    volunteer *v = rec;
    if (!insert)
        return WS_OK;
    return station_number_next(st, "volunteer_seq", 'V', 6, v->number, sizeof v->number);
}

/* A roster's row with neither phone nor ID number: the one registered
 * volunteer of its name (and its 注册日期 when both have one);
 * WS_ERR_INVALID when several are (the import refuses the row). */
static ws_status volunteer_by_name(station *st, const volunteer *v, int64_t *id)
{
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM volunteers WHERE name = ?1"
                                                 " AND deleted_at IS NULL AND (?2 = ''"
                                                 " OR coalesce(registered_date, '') IN ('', ?2))"
                                                 " ORDER BY id LIMIT 2");
    if (!q)
        return db_status(station_db(st));
    db_bind_text(q, 1, v->name);
    db_bind_text(q, 2, v->registered_date);
    int rc, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (n++ == 0)
            *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (n > 1)
        *id = 0;
    return n > 1 ? WS_ERR_INVALID : WS_OK;
}

/* An imported roster's row: the volunteer with its ID number, else with
 * its name and phone, else with its name alone (a second run of the same
 * roster changes nothing). */
static ws_status volunteer_existing(station *st, const void *rec, int64_t *id)
{
    const volunteer *v = rec;
    *id = 0;
    if (v->id_number[0])
        return record_find(st, &kind_volunteer, VOL_ID_NUMBER, v->id_number, id);
    if (!v->name[0])
        return WS_OK;
    if (!v->phone[0])
        return volunteer_by_name(st, v, id);
    char phone[32];
    if (val_phone(v->phone, phone, sizeof phone) != VAL_OK)
        return WS_OK;
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM volunteers WHERE name = ?1"
                                                 " AND phone = ?2 AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    db_bind_text(q, 1, v->name);
    db_bind_text(q, 2, phone);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static const field_def volunteer_fields[] = {
    [VOL_NUMBER] = {.column = "number", .label = "field.volunteer_number", .type = FLD_TEXT,
                   .flags = FF_NO_FORM | FF_KEY | FF_SEARCH | FF_LIST | FF_LEDGER,
                   REC_AT(volunteer, number), .aliases = "志愿者编号|编号", .width = 19},
    [VOL_RESIDENT] = {.column = "resident_id", .label = "field.volunteer_resident",
                     .type = FLD_REF, .flags = 0, REC_AT(volunteer, resident_id),
                     .ref = &kind_resident},
    [VOL_NAME] = {.column = "name", .label = "field.name", .type = FLD_NAME,
                 .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(volunteer, name), .limit = 60,
                 .aliases = "姓名|志愿者姓名", .width = 8},
    [VOL_ID_NUMBER] = {.column = "id_number", .label = "field.id_number", .type = FLD_ID_NUMBER,
                      .flags = FF_UNIQUE | FF_MASKED | FF_LEDGER, REC_AT(volunteer, id_number),
                      .aliases = "身份证号|公民身份号码|证件号码"},
    [VOL_PHONE] = {.column = "phone", .label = "field.phone", .type = FLD_PHONE,
                  .flags = FF_MASKED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(volunteer, phone),
                  .aliases = "联系电话|电话|手机|手机号", .width = 11},
    [VOL_REGISTERED] = {.column = "registered_date", .label = "field.volunteer_registered",
                       .type = FLD_DATE, .flags = FF_REQUIRED | FF_LEDGER,
                       REC_AT(volunteer, registered_date), .aliases = "注册日期|登记日期"},
    [VOL_SKILLS] = {.column = "skills", .label = "field.volunteer_skills", .type = FLD_CODES,
                   .flags = FF_LIST | FF_LEDGER, REC_AT(volunteer, skills),
                   .codes = "volunteer_skill", .aliases = "技能|特长|服务技能", .width = 12},
    [VOL_AVAILABILITY] = {.column = "availability", .label = "field.volunteer_availability",
                         .type = FLD_CODES, .flags = FF_LEDGER, REC_AT(volunteer, availability),
                         .codes = "volunteer_time", .aliases = "可服务时间|服务时间"},
    [VOL_STATUS] = {.column = "status", .label = "field.volunteer_status", .type = FLD_CODE,
                   .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(volunteer, status),
                   .codes = "volunteer_status", .aliases = "状态", .width = 4},
    [VOL_STATUS_DATE] = {.column = "status_date", .label = "field.volunteer_status_date",
                        .type = FLD_DATE, .flags = FF_LEDGER, REC_AT(volunteer, status_date),
                        .aliases = "状态日期|暂停日期|退出日期"},
    [VOL_STATUS_REASON] = {.column = "status_reason", .label = "field.volunteer_status_reason",
                          .type = FLD_TEXT, .flags = FF_LEDGER, REC_AT(volunteer, status_reason),
                          .limit = 80, .aliases = "原因|暂停原因|退出原因"},
};

static struct kind_sql volunteer_sql;
const record_kind kind_volunteer = {
    .name = "volunteer",
    .table = "volunteers",
    .label = "kind.volunteer",
    .size = sizeof(volunteer),
    .id_offset = offsetof(volunteer, id),
    .revision_offset = offsetof(volunteer, revision),
    .fields = volunteer_fields,
    .nfields = sizeof volunteer_fields / sizeof volunteer_fields[0],
    .title_field = VOL_NAME,
    .sort_by_pinyin = true,
    .title_is_person = true,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .hooks = {.defaults = volunteer_defaults, .validate = volunteer_rules,
              .before_write = volunteer_number, .import_existing = volunteer_existing},
    .sql = &volunteer_sql,
};

/* ---- teams ---- */

static const field_def team_fields[] = {
    [TF_NAME] = {.column = "name", .label = "field.team_name", .type = FLD_TEXT,
                 .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                 REC_AT(team, name), .limit = 60, .aliases = "队名|服务队|名称", .width = 16},
    [TF_LEADER] = {.column = "leader_id", .label = "field.team_leader", .type = FLD_REF,
                   .flags = FF_LIST, REC_AT(team, leader_id), .ref = &kind_volunteer,
                   .width = 8},
    [TF_ORGANISER] = {.column = "organiser", .label = "field.team_organiser", .type = FLD_TEXT,
                      .flags = FF_LIST | FF_LEDGER, REC_AT(team, organiser), .limit = 60,
                      .aliases = "组织单位|主管单位", .width = 12},
    [TF_FOUNDED] = {.column = "founded_date", .label = "field.team_founded", .type = FLD_DATE,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(team, founded_date),
                    .aliases = "成立日期", .width = 10},
    [TF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_MULTILINE,
                  .flags = FF_LEDGER, REC_AT(team, notes), .limit = 500, .aliases = "备注"},
    /* The organisation that runs it, when it is registered here (组织单位
     * names one that is not: 镇团委). */
    [TF_ORG] = {.column = "org_id", .label = "field.team_org", .type = FLD_REF,
                .flags = FF_LIST | FF_LEDGER, REC_AT(team, org_id), .ref_name = "organisation",
                .aliases = "所属社会组织|社会组织", .width = 12},
};

static struct kind_sql team_sql;
const record_kind kind_team = {
    .name = "team",
    .table = "volunteer_teams",
    .label = "kind.team",
    .size = sizeof(team),
    .id_offset = offsetof(team, id),
    .revision_offset = offsetof(team, revision),
    .fields = team_fields,
    .nfields = sizeof team_fields / sizeof team_fields[0],
    .title_field = TF_NAME,
    .sort_by_pinyin = true,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .sql = &team_sql,
};

/* ---- team members ---- */

static ws_status team_member_rules(station *st, void *rec, record_error *re)
{
    team_member *m = rec;
    if (m->left_date[0] && strcmp(m->left_date, m->joined_date) < 0)
        return vol_fail(re, TMF_LEFT, VAL_LEFT_BEFORE_JOINED, m->joined_date);
    /* One open membership of a volunteer in a team at a time. */
    bool open = false;
    ws_status s = WS_OK;
    if (!m->left_date[0]) {
        sqlite3_stmt *q = db_prepare(station_db(st),
            "SELECT 1 FROM volunteer_team_members WHERE team_id = ?1 AND volunteer_id = ?2"
            " AND id <> ?3 AND left_date IS NULL AND deleted_at IS NULL");
        if (!q)
            return db_status(station_db(st));
        sqlite3_bind_int64(q, 1, m->team_id);
        sqlite3_bind_int64(q, 2, m->volunteer_id);
        sqlite3_bind_int64(q, 3, m->id);
        int rc = sqlite3_step(q);
        open = rc == SQLITE_ROW;
        s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
        db_reset(q);
    }
    if (s == WS_OK && open)
        return vol_fail(re, TMF_VOLUNTEER, VAL_ALREADY_MEMBER, NULL);
    return s;
}

static const field_def team_member_fields[] = {
    [TMF_TEAM] = {.column = "team_id", .label = "field.team", .type = FLD_REF,
                  .flags = FF_REQUIRED, REC_AT(team_member, team_id), .ref = &kind_team},
    [TMF_VOLUNTEER] = {.column = "volunteer_id", .label = "kind.volunteer", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LIST, REC_AT(team_member, volunteer_id),
                       .ref = &kind_volunteer, .width = 8},
    [TMF_JOINED] = {.column = "joined_date", .label = "field.joined_date", .type = FLD_DATE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(team_member, joined_date),
                    .aliases = "加入日期|入队日期", .width = 10},
    [TMF_LEFT] = {.column = "left_date", .label = "field.left_date", .type = FLD_DATE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(team_member, left_date),
                  .aliases = "离队日期|退出日期", .width = 10},
    [TMF_DUTY] = {.column = "duty", .label = "field.team_duty", .type = FLD_TEXT,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(team_member, duty), .limit = 40,
                  .aliases = "分工|职务", .width = 8},
};

static struct kind_sql team_member_sql;
const record_kind kind_team_member = {
    .name = "team_member",
    .table = "volunteer_team_members",
    .label = "kind.team_member",
    .size = sizeof(team_member),
    .id_offset = offsetof(team_member, id),
    .revision_offset = offsetof(team_member, revision),
    .fields = team_member_fields,
    .nfields = sizeof team_member_fields / sizeof team_member_fields[0],
    .title_field = TMF_JOINED,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .hooks = {.validate = team_member_rules},
    .sql = &team_member_sql,
};
