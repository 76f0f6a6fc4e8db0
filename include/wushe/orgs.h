/* Community social organisations (社区社会组织), their incubation and the
 * projects they carry out (issue 16).
 *
 * Organisations, the communities they serve, support-plan tasks, capacity
 * assessments, projects, the communities a project serves and a project's
 * custom indicators are declared kinds (record.h). An organisation's stage
 * (进驻 → 孵化 → 评估 → 出壳) moves only through org_move_do, each move a
 * row of org_transitions (who, when, the date decided, from, to, why);
 * 出壳 needs a completed 出壳评估 and records the outcome. Counts per
 * community against the station's targets (station.yaml organisations:)
 * and a project's outputs are computed by the queries here, never typed. */
#ifndef WUSHE_ORGS_H
#define WUSHE_ORGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/record.h"
#include "wushe/station.h"
#include "wushe/volunteer.h"

/* 民发〔2017〕191号: at least 10 per urban community, 5 per village. */
#define ORG_TARGET_URBAN 10
#define ORG_TARGET_RURAL 5

typedef struct organisation {
    int64_t id, revision;
    char number[32];       /* <station code>O<5 digits>, given at the first save */
    char name[256];
    char type[16];         /* org_type */
    char legal_form[24];   /* org_legal_form */
    char reg_number[64];   /* 登记证号 or 备案号 */
    char reg_date[16];
    char guide_unit[256];  /* 业务指导单位 */
    int64_t leader_id;     /* a resident of the register (0: typed) */
    char leader_name[192];
    char phone[24];
    int64_t members;
    char party_leader[8];  /* yes_no: 党员负责人 */
    char status[16];       /* org_status */
    char status_date[16];  /* required unless active */
    char status_reason[256];
    char stage[16];        /* org_stage, "" never incubated; org_move_do only */
    char stage_date[16];
    char outcome[16];      /* org_outcome at 出壳 */
    char notes[1024];
} organisation;
typedef enum {
    ORF_NUMBER, ORF_NAME, ORF_TYPE, ORF_LEGAL_FORM, ORF_REG_NUMBER, ORF_REG_DATE,
    ORF_GUIDE_UNIT, ORF_LEADER, ORF_LEADER_NAME, ORF_PHONE, ORF_MEMBERS, ORF_PARTY,
    ORF_STATUS, ORF_STATUS_DATE, ORF_STATUS_REASON, ORF_STAGE, ORF_STAGE_DATE, ORF_OUTCOME,
    ORF_NOTES
} organisation_field;

typedef struct org_community {
    int64_t id, revision;
    int64_t org_id;
    int64_t community_id;
} org_community;
typedef enum { OCF_ORG, OCF_COMMUNITY } org_community_field;

typedef struct org_task {
    int64_t id, revision;
    int64_t org_id;
    char area[16];        /* org_support */
    char content[512];
    char due_date[16];
    char done_date[16];
    char result[512];
} org_task;
typedef enum { OTF_ORG, OTF_AREA, OTF_CONTENT, OTF_DUE, OTF_DONE, OTF_RESULT } org_task_field;

#define ORG_DOMAINS 6 /* 内部治理 财务管理 项目管理 志愿者管理 资源链接 专业服务 */
typedef struct org_assessment {
    int64_t id, revision;
    int64_t org_id;
    char date[16];
    char phase[16];       /* org_assess_phase: entry, exit */
    int64_t score[ORG_DOMAINS]; /* 1-5 each */
    char assessor[128];
    char notes[1024];
} org_assessment;
typedef enum {
    OAF_ORG, OAF_DATE, OAF_PHASE, OAF_GOVERNANCE, OAF_FINANCE, OAF_PROJECTS, OAF_VOLUNTEERS,
    OAF_RESOURCES, OAF_SERVICES, OAF_ASSESSOR, OAF_NOTES
} org_assessment_field;

typedef struct project {
    int64_t id, revision;
    char number[32];      /* <station code>P<year><3 digits>, never reused */
    char title[256];
    char kind[16];        /* project_kind */
    char funder[24];      /* project_funder */
    int64_t amount;       /* fen */
    char start_date[16];
    char end_date[16];
    int64_t org_id;       /* 0: the station carries it out */
    int64_t fund_id;      /* the project's fund in the resources ledger (0: none) */
    char status[16];      /* project_status */
    int64_t target_sessions, target_people, target_times, target_hours;
    char evaluation[2048];
} project;
typedef enum {
    PJF_NUMBER, PJF_TITLE, PJF_KIND, PJF_FUNDER, PJF_AMOUNT, PJF_START, PJF_END, PJF_ORG,
    PJF_FUND, PJF_STATUS, PJF_T_SESSIONS, PJF_T_PEOPLE, PJF_T_TIMES, PJF_T_HOURS,
    PJF_EVALUATION
} project_field;

typedef struct project_community {
    int64_t id, revision;
    int64_t project_id;
    int64_t community_id;
} project_community;
typedef enum { PCF_PROJECT, PCF_COMMUNITY } project_community_field;

typedef struct project_indicator {
    int64_t id, revision;
    int64_t project_id;
    char name[128];
    char unit[32];
    int64_t target;
    int64_t actual;
} project_indicator;
typedef enum { PIF_PROJECT, PIF_NAME, PIF_UNIT, PIF_TARGET, PIF_ACTUAL } project_indicator_field;

extern const record_kind kind_organisation, kind_org_community, kind_org_task,
    kind_org_assessment, kind_project, kind_project_community, kind_project_indicator;

/* A living organisation or project by its number (WS_ERR_NOT_FOUND). */
ws_status org_find_number(station *st, const char *number, int64_t *id);
ws_status project_find_number(station *st, const char *number, int64_t *id);

/* ---- the stage walk ---- */

typedef enum {
    ORG_MOVE_ENTER,    /* '' → 进驻 (an organisation comes into the incubator) */
    ORG_MOVE_ADVANCE,  /* 进驻 → 孵化 → 评估 → 出壳 (出壳: an exit assessment, an outcome) */
    ORG_MOVE_BACK,     /* one stage back, with a reason */
    ORG_MOVE_COUNT
} org_move;

const char *org_move_key(org_move m);
bool org_move_needs_reason(org_move m);
/* Whether move m fits the organisation's stage and the role. */
bool org_move_allowed(station *st, int64_t id, org_move m);
/* Whether move m of organisation `id` can be made now, before anything is
 * asked for it (出壳's outcome): WS_ERR_INVALID with re saying why
 * (VAL_STAGE_MISSING: no completed 出壳评估; a move its stage or the role
 * does not allow). */
ws_status org_move_check(station *st, int64_t id, org_move m, record_error *re);
/* Move organisation `id` (revision: as loaded, 0 not checked) on `date`
 * (YYYY-MM-DD, not after today; NULL today); `outcome` an org_outcome
 * code for 出壳; `reason` required going back. One transaction: the row
 * (audited) and its transition. Refused with WS_ERR_INVALID and re saying
 * why (VAL_STAGE_MISSING: no completed 出壳评估). */
ws_status org_move_do(station *st, int64_t id, int64_t revision, org_move m, const char *date,
                      const char *outcome, const char *reason, record_error *re);

typedef struct org_transition {
    char at[32];
    char who[128];
    char decided_on[16];
    char from_stage[16], to_stage[16];
    char outcome[16];
    char reason[400];
} org_transition;
/* The transitions of one organisation, oldest first. */
ws_status org_transitions(station *st, int64_t org_id, org_transition *out, size_t max,
                          size_t *n);

/* ---- counts ---- */

typedef struct org_counts {
    int64_t organisations;   /* living, not 注销 */
    int64_t incubating;      /* at 进驻, 孵化 or 评估 */
    int64_t graduated;       /* 出壳 */
    int64_t below_target;    /* communities below their target */
    int64_t projects_running; /* 立项 or 实施 */
} org_counts;
ws_status org_counts_get(station *st, org_counts *out);

/* One community's organisations (living, not 注销, serving it) by type,
 * against its target (config: organisations: urban/rural; a 村 is rural). */
#define ORG_TYPES 7
typedef struct org_community_count {
    int64_t community_id;
    char name[256];
    char kind[16];          /* community_kind */
    int64_t by_type[ORG_TYPES]; /* in org_type's order */
    int64_t total;
    int64_t target;
} org_community_count;
/* Every community (below_only: those under target), in pinyin order;
 * caller frees *out. */
ws_status org_community_counts(station *st, bool below_only, org_community_count **out,
                               size_t *n);
/* The target of a community of this kind (community_kind code). */
int64_t org_target(station *st, const char *community_kind);

/* An organisation's page: what it does. */
typedef struct org_summary {
    int64_t teams, volunteers;     /* its teams, their current members (distinct) */
    int64_t activities;            /* by its teams or for its projects */
    activity_counts counts;        /* of those activities */
    int64_t projects;
    int64_t money_in;              /* fen: donations into its projects' funds */
    int64_t money_given;           /* fen: what it gave as a donor (a donor whose org it is) */
    int64_t goods_given;           /* fen: goods it gave, at their unit value */
    int64_t tasks, tasks_done;
    int64_t assessments;
} org_summary;
ws_status org_summary_get(station *st, int64_t org_id, org_summary *out);

/* An organisation's activities (its teams' and its projects'), the
 * latest first. */
typedef struct org_activity {
    int64_t id;
    char title[256];
    char last_date[16]; /* its latest session ("" none) */
    int64_t sessions;
} org_activity;
ws_status org_activities(station *st, int64_t org_id, org_activity *out, size_t max, size_t *n);

/* A project's indicators: targets from the project, actuals counted from
 * the activities linked to it (activity_counts) and its fund. */
typedef struct project_actuals {
    int64_t activities;
    activity_counts counts;
    int64_t money_in;   /* fen: donations into the project's fund */
    int64_t money_out;  /* fen: payments out of it */
} project_actuals;
ws_status project_actuals_get(station *st, int64_t project_id, project_actuals *out);

/* The standard indicators (指标完成情况) of a project, target against
 * actual, as the screen and the closing sheet show them: counts as
 * numbers, hours as hours and minutes, money in yuan with its fen; the
 * rate is "" without a target. */
enum { PROJECT_RESULTS = 6 };
typedef struct project_result {
    const char *label_key;
    bool money; /* the fund's lines (the closing sheet has them apart) */
    char target[32], actual[32], rate[16];
} project_result;
void project_results(const project *p, const project_actuals *pa,
                     project_result out[PROJECT_RESULTS]);
/* A custom indicator likewise, as recorded (label_key NULL: its name). */
void project_indicator_result(const project_indicator *pi, project_result *out);

/* The activities of an organisation (?1): run by its teams or part of its
 * projects; a condition on activities `a`. */
#define ORG_ACTIVITIES_SQL                                                                   \
    "(a.team_id IN (SELECT id FROM volunteer_teams WHERE org_id = ?1 AND deleted_at IS NULL)" \
    " OR a.project_id IN (SELECT id FROM projects WHERE org_id = ?1 AND deleted_at IS NULL))"
/* activity_counts (volunteer.h) of one project's activities, of one
 * organisation's (activity.c: the one definition of the counts). */
ws_status activity_counts_project(station *st, int64_t project_id, activity_counts *out);
ws_status activity_counts_org(station *st, int64_t org_id, activity_counts *out);

#endif
