/* Community social organisations: four declared kinds (the register, the
 * communities each serves, the support plan's tasks, capacity
 * assessments) and the rules no table can state. The organisation's
 * number is the station's and never given twice; a leader on the register
 * is linked, whose name the row copies so lists and the search box find
 * it. The stage fields are kept by org_move_do (org_stage.c), not typed. */
#include "wushe/account.h"
#include "wushe/orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/resident.h"

static void org_defaults(station *st, void *rec)
{
    (void)st;
    organisation *o = rec;
    snprintf(o->status, sizeof o->status, "active");
    snprintf(o->type, sizeof o->type, "life");
    snprintf(o->legal_form, sizeof o->legal_form, "ledger");
}

static bool org_registered(const char *form)
{
    return strcmp(form, "social_group") == 0 || strcmp(form, "service_org") == 0 ||
           strcmp(form, "foundation") == 0;
}

static ws_status org_rules(station *st, void *rec, record_error *re)
{
    organisation *o = rec;
    db *d = station_db(st);
    ws_status s = WS_OK;
    if (o->leader_id) /* the register's name, as the list shows it */
        s = db_text_i64(d, "SELECT name FROM residents WHERE id = ?1", o->leader_id,
                        o->leader_name, sizeof o->leader_name);
    if (s != WS_OK)
        return s;
    /* 登记 and 备案 have a certificate number and a date; 台账 has none. */
    if (org_registered(o->legal_form) || strcmp(o->legal_form, "filed") == 0) {
        if (!o->reg_number[0])
            return record_fail(re, ORF_REG_NUMBER, VAL_REQUIRED, NULL);
        if (!o->reg_date[0])
            return record_fail(re, ORF_REG_DATE, VAL_REQUIRED, NULL);
    }
    if (strcmp(o->status, "active") == 0) {
        o->status_date[0] = o->status_reason[0] = '\0';
        return WS_OK;
    }
    if (!o->status_date[0])
        return record_fail(re, ORF_STATUS_DATE, VAL_REQUIRED, NULL);
    if (!o->status_reason[0])
        return record_fail(re, ORF_STATUS_REASON, VAL_REQUIRED, NULL);
    if (o->reg_date[0] && strcmp(o->status_date, o->reg_date) < 0)
        return record_fail(re, ORF_STATUS_DATE, VAL_BEFORE_DATE, o->reg_date);
    return WS_OK;
}

static ws_status org_number(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    organisation *o = rec;
    if (!insert)
        return WS_OK;
    return station_number_next(st, "org_seq", 'O', 5, o->number, sizeof o->number);
}

/* An organisation that projects or teams still name stays. */
static ws_status org_in_use(station *st, int64_t id, record_error *re)
{
    int64_t n = 0;
    ws_status s = db_int(station_db(st), "SELECT (SELECT count(*) FROM projects WHERE org_id = ?1"
                                         " AND deleted_at IS NULL) + (SELECT count(*) FROM"
                                         " volunteer_teams WHERE org_id = ?1 AND deleted_at IS NULL)",
                         id, &n);
    if (s != WS_OK || n == 0)
        return s;
    return record_fail(re, -1, VAL_RULE, tr("org.in_use"));
}

/* The search box also finds an organisation by the communities it serves
 * (学堂湾社区), as the counts per community open it. */
static void org_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const organisation *o = rec;
    out[0] = '\0';
    if (!o->id)
        return;
    db_text_i64(station_db(st),
                "SELECT coalesce(group_concat(c.name, ' '), '') FROM org_communities oc"
                " JOIN communities c ON c.id = oc.community_id WHERE oc.org_id = ?1"
                " AND oc.deleted_at IS NULL",
                o->id, out, outsz);
}

ws_status org_find_number(station *st, const char *number, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s == WS_OK)
        s = record_find(st, &kind_organisation, ORF_NUMBER, number, id);
    return s == WS_OK && !*id ? WS_ERR_NOT_FOUND : s;
}

static const field_def org_fields[] = {
    [ORF_NUMBER] = {.column = "number", .label = "field.org_number", .type = FLD_TEXT,
                    .flags = FF_NO_FORM | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(organisation, number), .aliases = "组织编号|编号", .width = 18},
    [ORF_NAME] = {.column = "name", .label = "field.org_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(organisation, name), .limit = 80,
                  .aliases = "组织名称|名称|社会组织名称", .width = 16},
    [ORF_TYPE] = {.column = "type", .label = "field.org_type", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(organisation, type),
                  .codes = "org_type", .aliases = "类型|组织类型|类别", .width = 8},
    [ORF_LEGAL_FORM] = {.column = "legal_form", .label = "field.org_legal_form",
                        .type = FLD_CODE, .flags = FF_REQUIRED | FF_LEDGER,
                        REC_AT(organisation, legal_form), .codes = "org_legal_form",
                        .aliases = "登记备案情况|法律形式|登记情况"},
    [ORF_REG_NUMBER] = {.column = "reg_number", .label = "field.org_reg_number",
                        .type = FLD_TEXT, .flags = FF_UNIQUE | FF_SEARCH | FF_LEDGER,
                        REC_AT(organisation, reg_number), .limit = 40,
                        .aliases = "登记证号|备案号|统一社会信用代码|证号"},
    [ORF_REG_DATE] = {.column = "reg_date", .label = "field.org_reg_date", .type = FLD_DATE,
                      .flags = FF_LEDGER, REC_AT(organisation, reg_date),
                      .aliases = "登记日期|备案日期|成立日期"},
    [ORF_GUIDE_UNIT] = {.column = "guide_unit", .label = "field.org_guide_unit",
                        .type = FLD_TEXT, .flags = FF_LEDGER, REC_AT(organisation, guide_unit),
                        .limit = 80, .aliases = "业务指导单位|业务主管单位|指导单位"},
    [ORF_LEADER] = {.column = "leader_id", .label = "field.org_leader", .type = FLD_REF,
                    .flags = 0, REC_AT(organisation, leader_id), .ref = &kind_resident},
    [ORF_LEADER_NAME] = {.column = "leader_name", .label = "field.org_leader_name",
                         .type = FLD_NAME, .flags = FF_SEARCH | FF_LIST | FF_LEDGER,
                         REC_AT(organisation, leader_name), .limit = 60,
                         .aliases = "负责人|负责人姓名|联系人", .width = 6},
    [ORF_PHONE] = {.column = "phone", .label = "field.phone", .type = FLD_PHONE,
                   .flags = FF_MASKED | FF_LEDGER, REC_AT(organisation, phone),
                   .aliases = "联系电话|电话|手机"},
    [ORF_MEMBERS] = {.column = "members", .label = "field.org_members", .type = FLD_INT,
                     .flags = FF_LEDGER, REC_AT(organisation, members), .min = 0, .max = 100000,
                     .aliases = "成员人数|成员数|人数"},
    [ORF_PARTY] = {.column = "party_leader", .label = "field.org_party_leader",
                   .type = FLD_CODE, .flags = FF_LEDGER, REC_AT(organisation, party_leader),
                   .codes = "yes_no", .aliases = "负责人是否党员|党员负责人"},
    [ORF_STATUS] = {.column = "status", .label = "field.org_status", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(organisation, status),
                    .codes = "org_status", .aliases = "状态|组织状态", .width = 4},
    [ORF_STATUS_DATE] = {.column = "status_date", .label = "field.org_status_date",
                         .type = FLD_DATE, .flags = FF_LEDGER,
                         REC_AT(organisation, status_date), .aliases = "状态日期|注销日期"},
    [ORF_STATUS_REASON] = {.column = "status_reason", .label = "field.org_status_reason",
                           .type = FLD_TEXT, .flags = FF_LEDGER,
                           REC_AT(organisation, status_reason), .limit = 80,
                           .aliases = "休眠或注销原因|注销原因"},
    [ORF_STAGE] = {.column = "stage", .label = "field.org_stage", .type = FLD_CODE,
                   .flags = FF_NO_FORM | FF_SEARCH | FF_LIST | FF_LEDGER,
                   REC_AT(organisation, stage), .codes = "org_stage", .aliases = "孵化阶段",
                   .width = 4},
    [ORF_STAGE_DATE] = {.column = "stage_date", .label = "field.org_stage_date",
                        .type = FLD_DATE, .flags = FF_NO_FORM | FF_LEDGER,
                        REC_AT(organisation, stage_date), .aliases = "阶段日期"},
    [ORF_OUTCOME] = {.column = "outcome", .label = "field.org_outcome", .type = FLD_CODE,
                     .flags = FF_NO_FORM | FF_LEDGER, REC_AT(organisation, outcome),
                     .codes = "org_outcome", .aliases = "出壳结果"},
    [ORF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(organisation, notes), .limit = 500,
                   .aliases = "备注|主要服务内容"},
};

/* Words of the search box: 孵化中 (at 进驻, 孵化 or 评估). */
static const record_word org_words[] = {
    {"org.word_incubating", "stage IN ('entry', 'incubation', 'assessment')"},
    {NULL, NULL},
};

static struct kind_sql org_sql;
const record_kind kind_organisation = {
    .name = "organisation",
    .table = "organisations",
    .label = "kind.organisation",
    .size = sizeof(organisation),
    .id_offset = offsetof(organisation, id),
    .revision_offset = offsetof(organisation, revision),
    .fields = org_fields,
    .nfields = sizeof org_fields / sizeof org_fields[0],
    .title_field = ORF_NAME,
    .sort_by_pinyin = true,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .words = org_words,
    .hooks = {.defaults = org_defaults, .validate = org_rules, .before_write = org_number,
              .search_text = org_search_text, .before_delete = org_in_use},
    .sql = &org_sql,
};

/* ---- the communities an organisation serves ---- */

static ws_status org_community_rules(station *st, void *rec, record_error *re)
{
    org_community *c = rec;
    bool found = false;
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT 1 FROM org_communities WHERE org_id = ?1 AND community_id = ?2 AND id <> ?3"
        " AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, c->org_id);
    sqlite3_bind_int64(q, 2, c->community_id);
    sqlite3_bind_int64(q, 3, c->id);
    int rc = sqlite3_step(q);
    found = rc == SQLITE_ROW;
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    return found ? record_fail(re, OCF_COMMUNITY, VAL_DUPLICATE, NULL) : WS_OK;
}

/* The organisation is found by its communities as they are now. */
static ws_status org_community_written(station *st, void *rec, bool insert, record_error *re)
{
    (void)insert;
    (void)re;
    return record_terms_refresh(st, &kind_organisation, ((org_community *)rec)->org_id);
}

static ws_status org_community_state(station *st, int64_t id, bool deleted)
{
    (void)deleted;
    int64_t org = 0;
    ws_status s = db_int(station_db(st), "SELECT org_id FROM org_communities WHERE id = ?1", id,
                         &org);
    return s == WS_OK ? record_terms_refresh(st, &kind_organisation, org) : s;
}

static const field_def org_community_fields[] = {
    [OCF_ORG] = {.column = "org_id", .label = "kind.organisation", .type = FLD_REF,
                 .flags = FF_REQUIRED | FF_LEDGER, REC_AT(org_community, org_id),
                 .ref = &kind_organisation, .aliases = "组织名称|社会组织"},
    [OCF_COMMUNITY] = {.column = "community_id", .label = "field.community", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                       REC_AT(org_community, community_id), .ref = &kind_community,
                       .aliases = "服务社区|社区|村", .width = 16},
};

static struct kind_sql org_community_sql;
const record_kind kind_org_community = {
    .name = "org_community",
    .table = "org_communities",
    .label = "kind.org_community",
    .size = sizeof(org_community),
    .id_offset = offsetof(org_community, id),
    .revision_offset = offsetof(org_community, revision),
    .fields = org_community_fields,
    .nfields = sizeof org_community_fields / sizeof org_community_fields[0],
    .title_field = OCF_COMMUNITY,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .hooks = {.validate = org_community_rules, .after_write = org_community_written,
              .after_state = org_community_state},
    .sql = &org_community_sql,
};

/* ---- the support plan ---- */

static void org_task_defaults(station *st, void *rec)
{
    (void)st;
    org_task *t = rec;
    snprintf(t->area, sizeof t->area, "capacity");
}

static ws_status org_task_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    org_task *t = rec;
    if (t->done_date[0] && !t->result[0])
        return record_fail(re, OTF_RESULT, VAL_REQUIRED, NULL);
    return WS_OK;
}

static const field_def org_task_fields[] = {
    [OTF_ORG] = {.column = "org_id", .label = "kind.organisation", .type = FLD_REF,
                 .flags = FF_REQUIRED | FF_LEDGER, REC_AT(org_task, org_id),
                 .ref = &kind_organisation, .aliases = "组织名称|社会组织"},
    [OTF_AREA] = {.column = "area", .label = "field.org_task_area", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(org_task, area),
                  .codes = "org_support", .aliases = "扶持类别|类别", .width = 8},
    [OTF_CONTENT] = {.column = "content", .label = "field.org_task_content", .type = FLD_TEXT,
                     .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                     REC_AT(org_task, content), .limit = 120, .aliases = "扶持内容|内容",
                     .width = 16},
    [OTF_DUE] = {.column = "due_date", .label = "field.due_date", .type = FLD_DATE,
                 .flags = FF_FUTURE | FF_LIST | FF_LEDGER, REC_AT(org_task, due_date),
                 .aliases = "完成期限|期限", .width = 10},
    [OTF_DONE] = {.column = "done_date", .label = "field.org_task_done", .type = FLD_DATE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(org_task, done_date),
                  .aliases = "完成日期", .width = 10},
    [OTF_RESULT] = {.column = "result", .label = "field.org_task_result", .type = FLD_TEXT,
                    .flags = FF_LEDGER, REC_AT(org_task, result), .limit = 120,
                    .aliases = "完成情况"},
};

static struct kind_sql org_task_sql;
const record_kind kind_org_task = {
    .name = "org_task",
    .table = "org_tasks",
    .label = "kind.org_task",
    .size = sizeof(org_task),
    .id_offset = offsetof(org_task, id),
    .revision_offset = offsetof(org_task, revision),
    .fields = org_task_fields,
    .nfields = sizeof org_task_fields / sizeof org_task_fields[0],
    .title_field = OTF_CONTENT,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .hooks = {.defaults = org_task_defaults, .validate = org_task_rules},
    .sql = &org_task_sql,
};

/* ---- capacity assessments ---- */

static void org_assessment_defaults(station *st, void *rec)
{
    org_assessment *a = rec;
    date_today(a->date);
    snprintf(a->phase, sizeof a->phase, "entry");
    if (st)
        account_current_name(st, a->assessor, sizeof a->assessor);
}

#define ORG_SCORE(F, col, key, m)                                                            \
    [F] = {.column = col, .label = key, .type = FLD_INT,                                     \
           .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(org_assessment, score[m]),      \
           .min = 1, .max = 5, .width = 4}

static const field_def org_assessment_fields[] = {
    [OAF_ORG] = {.column = "org_id", .label = "kind.organisation", .type = FLD_REF,
                 .flags = FF_REQUIRED | FF_LEDGER, REC_AT(org_assessment, org_id),
                 .ref = &kind_organisation, .aliases = "组织名称|社会组织"},
    [OAF_DATE] = {.column = "assessed_date", .label = "field.org_assessed_date",
                  .type = FLD_DATE, .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                  REC_AT(org_assessment, date), .aliases = "评估日期", .width = 10},
    [OAF_PHASE] = {.column = "phase", .label = "field.org_assess_phase", .type = FLD_CODE,
                   .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(org_assessment, phase),
                   .codes = "org_assess_phase", .aliases = "评估类型", .width = 8},
    ORG_SCORE(OAF_GOVERNANCE, "governance", "field.org_score_governance", 0),
    ORG_SCORE(OAF_FINANCE, "finance", "field.org_score_finance", 1),
    ORG_SCORE(OAF_PROJECTS, "projects", "field.org_score_projects", 2),
    ORG_SCORE(OAF_VOLUNTEERS, "volunteers", "field.org_score_volunteers", 3),
    ORG_SCORE(OAF_RESOURCES, "resources", "field.org_score_resources", 4),
    ORG_SCORE(OAF_SERVICES, "services", "field.org_score_services", 5),
    [OAF_ASSESSOR] = {.column = "assessor", .label = "field.org_assessor", .type = FLD_TEXT,
                      .flags = FF_REQUIRED | FF_LEDGER, REC_AT(org_assessment, assessor),
                      .limit = 60, .aliases = "评估人"},
    [OAF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(org_assessment, notes), .limit = 500,
                   .aliases = "评估意见|备注"},
};

static struct kind_sql org_assessment_sql;
const record_kind kind_org_assessment = {
    .name = "org_assessment",
    .table = "org_assessments",
    .label = "kind.org_assessment",
    .size = sizeof(org_assessment),
    .id_offset = offsetof(org_assessment, id),
    .revision_offset = offsetof(org_assessment, revision),
    .fields = org_assessment_fields,
    .nfields = sizeof org_assessment_fields / sizeof org_assessment_fields[0],
    .title_field = OAF_DATE,
    .newest_first = true,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .hooks = {.defaults = org_assessment_defaults},
    .sql = &org_assessment_sql,
};
