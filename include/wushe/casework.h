/* Casework and home visits (个案与走访): what the social workers do every
 * day. Visits, cases and their parts are declared kinds of record
 * (wushe/record.h); what no field table can state lives here: who was met
 * on a household visit, the case number, the stages of MZ/T 094-2017
 * (接案 → 预估 → 计划 → 介入 → 评估 → 结案) with their required fields,
 * every transition as its own row, the closure's approval, and the
 * due-visits list (应访名单) from the visit frequency of each vulnerable
 * group. */
#ifndef WUSHE_CASEWORK_H
#define WUSHE_CASEWORK_H

#include <stdbool.h>
#include <stdint.h>

#include "wushe/record.h"
#include "wushe/station.h"

/* The staff (accounts by name and role) as anyone on the register may
 * pick them: the worker of a visit or a case. */
extern const record_kind kind_staff;

/* ---- visits (走访/探访) ---- */

typedef struct visit {
    int64_t id, revision;
    int64_t resident_id;     /* the person visited (on a household visit, the first met) */
    char visit_date[16];
    char mode[16];           /* visit_mode */
    int64_t worker_id;       /* an account */
    int64_t co_worker_id;
    char met[256];           /* other members of the household met, by name (、 separated) */
    char findings[8192];     /* multi-line */
    char risk[16];           /* risk_level */
    char needs[160];         /* visit_need codes, comma separated */
    char follow_up[16];      /* visit_follow_up */
    char next_date[16];      /* the next visit, when follow_up asks for one */
} visit;

typedef enum {
    VF_RESIDENT, VF_DATE, VF_MODE, VF_WORKER, VF_CO_WORKER, VF_MET, VF_FINDINGS, VF_RISK,
    VF_NEEDS, VF_FOLLOW_UP, VF_NEXT_DATE,
} visit_field;

extern const record_kind kind_visit;

/* A new visit of resident_id: today, 入户, by whoever is logged in. */
void visit_init(station *st, visit *v, int64_t resident_id);

/* ---- cases (个案) ---- */

typedef struct casefile {
    int64_t id, revision;
    char number[40];         /* <station code>-<year>-<4 digits>, given at the first save */
    int64_t resident_id;
    int64_t visit_id;        /* the visit it was opened from (0: none) */
    char stage[16];          /* case_stage, moved only by case_advance/case_back/... */
    char status[16];         /* case_status */
    char opened_date[16];
    char source[24];         /* case_source */
    char categories[200];    /* case_category codes */
    char problem[8192];      /* presenting problem */
    char risk[16];           /* risk_level */
    int64_t worker_id, co_worker_id;
    char consent_date[16];
    char consent_by[16];     /* consent_giver */
    char consent_ref[80];    /* the paper form's reference */
    char no_consent[400];    /* why there is no consent (the case stays at 接案) */
    char strengths[4096];    /* 预估 */
    char support[4096];
    char risks[4096];
    char person_view[4096];  /* 评估 */
    char summary[4096];
    char close_reason[24];   /* close_reason */
    char close_summary[4096];
    char close_date[16];
    char next_action[400];
    char next_date[16];
    char followup_date[16];  /* 回访: due N days after the approved closure */
} casefile;

typedef enum {
    CSF_NUMBER, CSF_RESIDENT, CSF_VISIT, CSF_STAGE, CSF_STATUS, CSF_OPENED, CSF_SOURCE,
    CSF_CATEGORIES, CSF_PROBLEM, CSF_RISK, CSF_WORKER, CSF_CO_WORKER, CSF_CONSENT_DATE,
    CSF_CONSENT_BY, CSF_CONSENT_REF, CSF_NO_CONSENT, CSF_STRENGTHS, CSF_SUPPORT, CSF_RISKS,
    CSF_PERSON_VIEW, CSF_SUMMARY, CSF_CLOSE_REASON, CSF_CLOSE_SUMMARY, CSF_CLOSE_DATE,
    CSF_NEXT_ACTION, CSF_NEXT_DATE, CSF_FOLLOWUP,
} case_field;

extern const record_kind kind_case;

/* A new case of resident_id (0: picked in the form), opened today by
 * whoever is logged in, at 接案. */
void case_init(station *st, casefile *c, int64_t resident_id);
/* A new case from a visit: its resident, risk and findings as the
 * presenting problem. */
ws_status case_init_from_visit(station *st, casefile *c, int64_t visit_id);

/* The stages in order, and the statuses. */
typedef enum {
    STAGE_INTAKE, STAGE_ASSESSMENT, STAGE_PLAN, STAGE_INTERVENTION, STAGE_EVALUATION,
    STAGE_CLOSURE, STAGE_COUNT
} case_stage;
const char *case_stage_code(case_stage s);
case_stage case_stage_find(const char *code); /* STAGE_COUNT when unknown */

/* What a case's screen may do to it now, by whoever is logged in. */
typedef enum {
    CASE_ADVANCE,  /* to the next stage: the stage's required fields filled */
    CASE_BACK,     /* to the stage before, with a reason */
    CASE_SUBMIT,   /* 结案: closure filled, to 待审批 */
    CASE_APPROVE,  /* 站长: 已结案, the follow-up visit due */
    CASE_RETURN,   /* 站长: back to 进行中 with a comment */
    CASE_VOID,     /* opened by mistake: 已作废, with a reason; never deleted */
    CASE_REOPEN,   /* a closed case again 进行中 at 介入, with a reason */
    CASE_MOVE_COUNT
} case_move;
/* Whether `m` is possible on case `id` now (stage, status, role). */
bool case_move_allowed(station *st, int64_t id, case_move m);
/* Whether the move needs a reason typed. */
bool case_move_needs_reason(case_move m);
const char *case_move_key(case_move m); /* catalog key of its name */
/* Make the move in one transaction: the case row (revision + 1, audited)
 * and a transition row (who, when, from, to, why). WS_ERR_INVALID with re
 * naming the first required field that is empty (re->field a case_field,
 * or -1 and re->detail naming what is missing: "需求评估", "服务记录").
 * `revision` is the revision the clerk saw: a case changed since is
 * refused (WS_ERR_STALE, re->detail who and when). */
ws_status case_move_do(station *st, int64_t id, int64_t revision, case_move m,
                       const char *reason, record_error *re);

typedef struct case_transition {
    char at[32];             /* local time */
    char who[160];
    char from_stage[16], to_stage[16];
    char from_status[16], to_status[16];
    char reason[400];
} case_transition;
/* A case's transitions, oldest first (at most max). */
ws_status case_transitions(station *st, int64_t case_id, case_transition *out, size_t max,
                           size_t *n);

/* The case's needs, goals, service records (children of kind_case). */
typedef struct case_need {
    int64_t id, revision;
    int64_t case_id;
    char area[24];           /* need_area */
    int64_t severity;        /* 1..5 */
    char note[2000];
} case_need;
typedef enum { CNF_CASE, CNF_AREA, CNF_SEVERITY, CNF_NOTE } case_need_field;
extern const record_kind kind_case_need;

typedef struct case_goal {
    int64_t id, revision;
    int64_t case_id;
    char goal[400];
    char target[400];        /* measurable */
    char due_date[16];
    char who[120];           /* who acts */
    char outcome[16];        /* goal_outcome, at 评估 */
    char outcome_note[2000];
} case_goal;
typedef enum { CGF_CASE, CGF_GOAL, CGF_TARGET, CGF_DUE, CGF_WHO, CGF_OUTCOME, CGF_NOTE } case_goal_field;
extern const record_kind kind_case_goal;

/* One more co-worker on a case (beyond the form's 协同社工). */
typedef struct case_coworker {
    int64_t id, revision;
    int64_t case_id;
    int64_t worker_id;
} case_coworker;
typedef enum { CCF_CASE, CCF_WORKER } case_coworker_field;
extern const record_kind kind_case_coworker;

/* A task under a goal: who does what by when, and when it was done. */
typedef struct case_task {
    int64_t id, revision;
    int64_t goal_id;
    char task[400];
    char who[120];
    char due_date[16];
    char done_date[16];
    char note[2000];
} case_task;
typedef enum { CTF_GOAL, CTF_TASK, CTF_WHO, CTF_DUE, CTF_DONE, CTF_NOTE } case_task_field;
extern const record_kind kind_case_task;

typedef struct case_service {
    int64_t id, revision;
    int64_t case_id;
    char service_date[16];
    int64_t minutes;
    char mode[16];           /* visit_mode */
    char content[8192];
    int64_t goal_id;         /* the goal it serves (0: none) */
    int64_t worker_id;
    char next_action[400];
    char next_date[16];
    int64_t payment_id;      /* money given: a payment out of a fund (0: none) */
    int64_t distribution_id; /* goods given: a distribution the household is on (0: none) */
} case_service;
typedef enum {
    SVF_CASE, SVF_DATE, SVF_MINUTES, SVF_MODE, SVF_CONTENT, SVF_GOAL, SVF_WORKER,
    SVF_NEXT_ACTION, SVF_NEXT_DATE, SVF_PAYMENT, SVF_DISTRIBUTION
} case_service_field;
extern const record_kind kind_case_service;

/* ---- referrals (转介) ---- */

typedef struct referral {
    int64_t id, revision;
    int64_t resident_id;
    int64_t case_id;         /* 0: from a visit or the register */
    char agency[24];         /* agency code list (a station extends it) */
    char agency_name[200];   /* typed: 其他, or the office's own name */
    char reason[4000];
    char referral_date[16];
    char consent[16];        /* referral_consent: given / override */
    char override_reason[400];
    char feedback_due[16];
    char feedback_date[16];
    char feedback[4000];
} referral;
typedef enum {
    RFF_RESIDENT, RFF_CASE, RFF_AGENCY, RFF_AGENCY_NAME, RFF_REASON, RFF_DATE, RFF_CONSENT,
    RFF_OVERRIDE, RFF_FEEDBACK_DUE, RFF_FEEDBACK_DATE, RFF_FEEDBACK
} referral_field;
extern const record_kind kind_referral;
void referral_init(station *st, referral *r, int64_t resident_id, int64_t case_id);

/* ---- what is due (应访名单) ---- */

/* Days between visits for a vulnerable group: station.yaml's visit_days,
 * else the code list's default (0: not visited on a schedule). */
int casework_visit_days(station *st, const char *group);

typedef struct due_filter {
    char text[128];          /* name, pinyin, initials; a community; a group's label */
    int64_t worker_id;       /* last visited by (0: anyone) */
    bool week;               /* also those due within the next 7 days */
} due_filter;

typedef struct due_row {
    int64_t resident_id;
    char name[192];
    char community[192];
    char groups[160];        /* short labels */
    char last_visit[16];     /* "" never */
    char last_worker[160];
    char due_date[16];
    int64_t days_overdue;    /* negative: due in that many days */
} due_row;

/* Up to `max` residents due, most overdue first, after the row
 * (after_days, after_id) when after_id > 0; dir < 0: the rows before it
 * (or the last ones), nearest first. */
ws_status due_list(station *st, const due_filter *f, int64_t after_days, int64_t after_id,
                   int dir, due_row *rows, size_t max, size_t *n);
/* Counts for the home screen: overdue now, due within 7 days (not yet
 * overdue), overdue referral feedback, my open cases (all for a 站长),
 * cases waiting for approval, cases whose next action is overdue. */
typedef struct casework_counts {
    int64_t overdue, due_week, feedback_overdue, open_cases, pending, action_overdue;
} casework_counts;
ws_status casework_counts_get(station *st, casework_counts *c);

/* When a person is due again (visit_schedule), written again after what
 * it depends on changed: their visits, their groups, their record (inside
 * the caller's transaction; a bulk load rebuilds all at its end instead). */
ws_status due_refresh(station *st, int64_t resident_id);
/* Everyone's, inside the caller's transaction (the end of a bulk load). */
ws_status due_rebuild(station *st);
/* Everyone's again when the frequencies (codes.yaml, station.yaml) differ
 * from those the file's were worked out with (at open). */
ws_status due_ensure(station *st);

/* A resident's last visit ("" when never) and open cases, for the form. */
ws_status casework_resident_summary(station *st, int64_t resident_id, char last_visit[16],
                                    int64_t *open_cases);

/* The next case number for this year, as it would be given
 * (case numbers are given in the case's first save and never reused). */
ws_status case_number_next(station *st, char *out, size_t outsz);

#endif
