/* Projects (服务项目, 微项目, 公益创投): three declared kinds (the project,
 * the communities it serves, its custom indicators) and its actuals,
 * counted from the activities linked to it by the model's one definition
 * (activity_counts) and from its fund in the resources ledger. */
#include "wushe/orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "volunteer_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/resources.h"

static void project_defaults(station *st, void *rec)
{
    (void)st;
    project *p = rec;
    snprintf(p->status, sizeof p->status, "applied");
    snprintf(p->kind, sizeof p->kind, "service");
    snprintf(p->funder, sizeof p->funder, "government");
    date_today(p->start_date);
}

static ws_status project_rules(station *st, void *rec, record_error *re)
{
    (void)st;
    project *p = rec;
    if (p->end_date[0] && p->start_date[0] && strcmp(p->end_date, p->start_date) < 0)
        return record_fail(re, PJF_END, VAL_BEFORE_DATE, p->start_date);
    /* 结项 and 评估 say how it went. */
    if ((strcmp(p->status, "closed") == 0 || strcmp(p->status, "evaluated") == 0) &&
        !p->end_date[0])
        return record_fail(re, PJF_END, VAL_REQUIRED, NULL);
    if (strcmp(p->status, "evaluated") == 0 && !p->evaluation[0])
        return record_fail(re, PJF_EVALUATION, VAL_REQUIRED, NULL);
    return WS_OK;
}

static ws_status project_number(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    project *p = rec;
    if (!insert)
        return WS_OK;
    return station_number_next(st, "project_seq", 'P', 5, p->number, sizeof p->number);
}

/* A project that activities still name stays. */
static ws_status project_in_use(station *st, int64_t id, record_error *re)
{
    int64_t n = 0;
    ws_status s = db_int(station_db(st), "SELECT count(*) FROM activities WHERE project_id = ?1"
                                         " AND deleted_at IS NULL", id, &n);
    if (s != WS_OK || n == 0)
        return s;
    return record_fail(re, -1, VAL_RULE, tr("project.in_use"));
}

ws_status project_find_number(station *st, const char *number, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s == WS_OK)
        s = record_find(st, &kind_project, PJF_NUMBER, number, id);
    return s == WS_OK && !*id ? WS_ERR_NOT_FOUND : s;
}

#define PROJECT_TARGET(F, col, key, m, alias)                                                \
    [F] = {.column = col, .label = key, .type = FLD_INT, .flags = FF_LEDGER,                  \
           REC_AT(project, m), .min = 0, .max = 100000000, .aliases = alias}

static const field_def project_fields[] = {
    [PJF_NUMBER] = {.column = "number", .label = "field.project_number", .type = FLD_TEXT,
                    .flags = FF_NO_FORM | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(project, number), .aliases = "项目编号|编号", .width = 18},
    [PJF_TITLE] = {.column = "title", .label = "field.project_title", .type = FLD_TEXT,
                   .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(project, title),
                   .limit = 80, .aliases = "项目名称|名称", .width = 16},
    [PJF_KIND] = {.column = "kind", .label = "field.project_kind", .type = FLD_CODE,
                  .flags = FF_REQUIRED | FF_LEDGER, REC_AT(project, kind),
                  .codes = "project_kind", .aliases = "项目类别|类别"},
    [PJF_FUNDER] = {.column = "funder", .label = "field.project_funder", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LEDGER, REC_AT(project, funder),
                    .codes = "project_funder", .aliases = "资金来源|资助方"},
    [PJF_AMOUNT] = {.column = "amount", .label = "field.project_amount", .type = FLD_MONEY,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(project, amount), .min = 0,
                    .max = RES_AMOUNT_MAX, .aliases = "项目金额|金额|资助金额", .width = 10},
    [PJF_START] = {.column = "start_date", .label = "field.project_start", .type = FLD_DATE,
                   .flags = FF_REQUIRED | FF_FUTURE | FF_LEDGER, REC_AT(project, start_date),
                   .aliases = "开始日期|起始日期"},
    [PJF_END] = {.column = "end_date", .label = "field.project_end", .type = FLD_DATE,
                 .flags = FF_FUTURE | FF_LEDGER, REC_AT(project, end_date),
                 .aliases = "结束日期|截止日期"},
    [PJF_ORG] = {.column = "org_id", .label = "field.project_org", .type = FLD_REF,
                 .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(project, org_id),
                 .ref = &kind_organisation, .aliases = "实施单位|承接组织", .width = 10},
    [PJF_FUND] = {.column = "fund_id", .label = "field.project_fund", .type = FLD_REF,
                  .flags = FF_LEDGER, REC_AT(project, fund_id), .ref = &kind_fund,
                  .aliases = "项目资金|基金"},
    [PJF_STATUS] = {.column = "status", .label = "field.project_status", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(project, status), .codes = "project_status", .aliases = "项目状态|状态",
                    .width = 4},
    PROJECT_TARGET(PJF_T_SESSIONS, "target_sessions", "field.project_t_sessions",
                   target_sessions, "目标活动场次|活动场次"),
    PROJECT_TARGET(PJF_T_PEOPLE, "target_people", "field.project_t_people", target_people,
                   "目标服务人数|服务人数"),
    PROJECT_TARGET(PJF_T_TIMES, "target_times", "field.project_t_times", target_times,
                   "目标服务人次|服务人次"),
    PROJECT_TARGET(PJF_T_HOURS, "target_hours", "field.project_t_hours", target_hours,
                   "目标志愿服务时长|志愿服务小时"),
    [PJF_EVALUATION] = {.column = "evaluation", .label = "field.project_evaluation",
                        .type = FLD_MULTILINE, .flags = FF_LEDGER, REC_AT(project, evaluation),
                        .limit = 1000, .aliases = "项目评估|评估意见"},
};

static struct kind_sql project_sql;
const record_kind kind_project = {
    .name = "project",
    .table = "projects",
    .label = "kind.project",
    .size = sizeof(project),
    .id_offset = offsetof(project, id),
    .revision_offset = offsetof(project, revision),
    .fields = project_fields,
    .nfields = sizeof project_fields / sizeof project_fields[0],
    .title_field = PJF_TITLE,
    .sort_by_pinyin = true,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .period = "start_date",
    .hooks = {.defaults = project_defaults, .validate = project_rules,
              .before_write = project_number, .before_delete = project_in_use},
    .sql = &project_sql,
};

/* ---- the communities a project serves ---- */

static ws_status project_community_rules(station *st, void *rec, record_error *re)
{
    project_community *c = rec;
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT 1 FROM project_communities WHERE project_id = ?1 AND community_id = ?2"
        " AND id <> ?3 AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, c->project_id);
    sqlite3_bind_int64(q, 2, c->community_id);
    sqlite3_bind_int64(q, 3, c->id);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    return rc == SQLITE_ROW ? record_fail(re, PCF_COMMUNITY, VAL_DUPLICATE, NULL) : WS_OK;
}

static const field_def project_community_fields[] = {
    [PCF_PROJECT] = {.column = "project_id", .label = "kind.project", .type = FLD_REF,
                     .flags = FF_REQUIRED | FF_LEDGER, REC_AT(project_community, project_id),
                     .ref = &kind_project, .aliases = "项目名称|项目"},
    [PCF_COMMUNITY] = {.column = "community_id", .label = "field.community", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                       REC_AT(project_community, community_id), .ref = &kind_community,
                       .aliases = "服务社区|社区|村", .width = 16},
};

static struct kind_sql project_community_sql;
const record_kind kind_project_community = {
    .name = "project_community",
    .table = "project_communities",
    .label = "kind.project_community",
    .size = sizeof(project_community),
    .id_offset = offsetof(project_community, id),
    .revision_offset = offsetof(project_community, revision),
    .fields = project_community_fields,
    .nfields = sizeof project_community_fields / sizeof project_community_fields[0],
    .title_field = PCF_COMMUNITY,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .hooks = {.validate = project_community_rules},
    .sql = &project_community_sql,
};

/* ---- custom indicators ---- */

static const field_def project_indicator_fields[] = {
    [PIF_PROJECT] = {.column = "project_id", .label = "kind.project", .type = FLD_REF,
                     .flags = FF_REQUIRED | FF_LEDGER, REC_AT(project_indicator, project_id),
                     .ref = &kind_project, .aliases = "项目名称|项目"},
    [PIF_NAME] = {.column = "name", .label = "field.indicator_name", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(project_indicator, name), .limit = 40, .aliases = "指标|指标名称",
                  .width = 16},
    [PIF_UNIT] = {.column = "unit", .label = "field.indicator_unit", .type = FLD_TEXT,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(project_indicator, unit), .limit = 8,
                  .aliases = "单位", .width = 4},
    [PIF_TARGET] = {.column = "target", .label = "field.indicator_target", .type = FLD_INT,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(project_indicator, target), .min = 0,
                    .max = 100000000, .aliases = "目标值|目标", .width = 6},
    [PIF_ACTUAL] = {.column = "actual", .label = "field.indicator_actual", .type = FLD_INT,
                    .flags = FF_LIST | FF_LEDGER, REC_AT(project_indicator, actual), .min = 0,
                    .max = 100000000, .aliases = "完成值|实际", .width = 6},
};

static struct kind_sql project_indicator_sql;
const record_kind kind_project_indicator = {
    .name = "project_indicator",
    .table = "project_indicators",
    .label = "kind.project_indicator",
    .size = sizeof(project_indicator),
    .id_offset = offsetof(project_indicator, id),
    .revision_offset = offsetof(project_indicator, revision),
    .fields = project_indicator_fields,
    .nfields = sizeof project_indicator_fields / sizeof project_indicator_fields[0],
    .title_field = PIF_NAME,
    .read_perm = PERM_ORG_READ,
    .write_perm = PERM_ORG_WRITE,
    .sql = &project_indicator_sql,
};

/* ---- actuals ---- */

ws_status project_actuals_get(station *st, int64_t project_id, project_actuals *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_require(st, PERM_ORG_READ);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT (SELECT count(*) FROM activities WHERE project_id = ?1 AND deleted_at IS NULL),"
        " (SELECT coalesce(sum(m.amount), 0) FROM donation_money m, projects p"
        "   WHERE p.id = ?1 AND m.fund_id = p.fund_id AND m.deleted_at IS NULL),"
        " (SELECT coalesce(sum(y.amount), 0) FROM payments y, projects p"
        "   WHERE p.id = ?1 AND y.fund_id = p.fund_id AND y.deleted_at IS NULL)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, project_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->activities = sqlite3_column_int64(q, 0);
        out->money_in = sqlite3_column_int64(q, 1);
        out->money_out = sqlite3_column_int64(q, 2);
    }
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (station_can(st, PERM_VOLUNTEER_READ))
        s = activity_counts_project(st, project_id, &out->counts);
    return s;
}

/* Actual against target in per cent, "" without a target. */
static void project_rate(int64_t target, int64_t actual, project_result *r)
{
    r->rate[0] = '\0';
    if (target > 0)
        snprintf(r->rate, sizeof r->rate, "%lld%%", (long long)(actual * 100 / target));
}

void project_results(const project *p, const project_actuals *pa,
                     project_result out[PROJECT_RESULTS])
{
    /* Target and actual in one unit (hours' targets are whole hours). */
    enum { NUMBER, MINUTES, FEN };
    const struct {
        const char *key;
        int unit;
        int64_t target, actual;
    } lines[PROJECT_RESULTS] = {
        {"field.project_t_sessions", NUMBER, p->target_sessions, pa->counts.sessions},
        {"field.project_t_people", NUMBER, p->target_people, pa->counts.people},
        {"field.project_t_times", NUMBER, p->target_times, pa->counts.person_times},
        {"org.result_hours", MINUTES, p->target_hours * 60, pa->counts.volunteer_minutes},
        {"org.money_in", FEN, p->amount, pa->money_in},
        {"org.money_out", FEN, p->amount, pa->money_out},
    };
    for (size_t i = 0; i < PROJECT_RESULTS; i++) {
        project_result *r = &out[i];
        r->label_key = lines[i].key;
        r->money = lines[i].unit == FEN;
        if (lines[i].unit == MINUTES) {
            hours_text(lines[i].target, r->target, sizeof r->target);
            hours_text(lines[i].actual, r->actual, sizeof r->actual);
        } else if (lines[i].unit == FEN) {
            res_yuan(lines[i].target, r->target, sizeof r->target);
            res_yuan(lines[i].actual, r->actual, sizeof r->actual);
        } else {
            snprintf(r->target, sizeof r->target, "%lld", (long long)lines[i].target);
            snprintf(r->actual, sizeof r->actual, "%lld", (long long)lines[i].actual);
        }
        project_rate(lines[i].target, lines[i].actual, r);
    }
}

void project_indicator_result(const project_indicator *pi, project_result *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->target, sizeof out->target, "%lld", (long long)pi->target);
    snprintf(out->actual, sizeof out->actual, "%lld", (long long)pi->actual);
    project_rate(pi->target, pi->actual, out);
}

ws_status activity_counts_project(station *st, int64_t project_id, activity_counts *out)
{
    return activity_counts_where(st, ACTIVITY_COUNTS_SQL("a.project_id = ?1"), project_id, out);
}
