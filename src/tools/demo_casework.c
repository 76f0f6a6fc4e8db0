/* The demo's casework: a year of visits to the people in groups visited on
 * a schedule (about their frequency, some missed, so that the due list
 * has people overdue), household members met, and some sixty cases at
 * every stage and status with their needs, goals, service records,
 * referrals and transitions, all through the model's write paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "station_internal.h"
#include "wushe/casework.h"

#define DEMO_CASES 60

static const char *const demo_findings[] = {
    "老人身体状况稳定，按时服药，家中整洁。",
    "独自在家，腿脚不便，需要有人帮忙买菜。\n已联系邻居每周帮忙一次。",
    "家中电线老化，存在安全隐患，已告知村委会。",
    "孩子学习成绩下滑，情绪低落，与爷爷奶奶沟通少。",
    "低保待遇已按时发放，本人对政策有疑问，已现场解答。",
    "血压偏高，建议到卫生院复查。",
    "子女每周来电，生活基本能自理。",
    "冬季取暖有困难，需要棉被和电暖器。",
};

static const char *const demo_needs[] = {"", "", "care", "medical", "economic", "emotional",
                                         "housing,care", "study,emotional", "policy"};

typedef struct demo_person {
    int64_t id;
    int days;       /* the group's visit frequency */
    int64_t household;
    char birth[11];  /* "" unknown */
} demo_person;

/* The people in scheduled groups, with the shortest frequency of theirs. */
static ws_status demo_people(station *st, demo_person **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT r.id, group_concat(g.group_code),"
                                    " coalesce(r.household_id, 0), coalesce(r.birth_date, '')"
                                    " FROM residents r"
                                    " JOIN resident_groups g ON g.resident_id = r.id"
                                    " WHERE r.deleted_at IS NULL GROUP BY r.id ORDER BY r.id");
    if (!q)
        return db_status(d);
    size_t cap = 0;
    int rc;
    ws_status s = WS_OK;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char groups[256];
        db_column_copy(q, 1, groups, sizeof groups);
        int days = 0;
        char *save = NULL;
        for (char *g = strtok_r(groups, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
            int dd = casework_visit_days(st, g);
            if (dd > 0 && (!days || dd < days))
                days = dd;
        }
        if (!days)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            demo_person *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                s = WS_ERR_NOMEM;
                break;
            }
            *out = p;
        }
        demo_person *p = &(*out)[(*n)++];
        *p = (demo_person){sqlite3_column_int64(q, 0), days, sqlite3_column_int64(q, 2), ""};
        db_column_copy(q, 3, p->birth, sizeof p->birth);
    }
    db_reset(q);
    return s;
}

static ws_status demo_account(station *st, const char *login, int64_t *id)
{
    *id = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT id FROM accounts WHERE login = ?1");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, login);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The name of another living member of the household (for `met`). */
static void demo_member_name(station *st, const demo_person *p, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!p->household)
        return;
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT name FROM residents WHERE household_id = ?1 AND id <> ?2 AND deleted_at IS NULL"
        " AND name NOT IN (SELECT name FROM residents WHERE household_id = ?1 AND id <> ?2"
        " AND deleted_at IS NULL GROUP BY name HAVING count(*) > 1) ORDER BY id LIMIT 1");
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, p->household);
    sqlite3_bind_int64(q, 2, p->id);
    if (sqlite3_step(q) == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
}

static ws_status demo_visits(station *st, demo_rng *r, const demo_person *people, size_t n,
                             const int64_t *workers, const char *today)
{
    ws_status s = WS_OK;
    visit *v = malloc(sizeof *v);
    if (!v)
        return WS_ERR_NOMEM;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        const demo_person *p = &people[i];
        /* One in eight is behind: their last visit was long ago. */
        int stop = demo_chance(r, 125) ? demo_range(r, p->days + 5, p->days * 3) : 0;
        int back = 365 - demo_range(r, 0, p->days);
        for (int ago = back; s == WS_OK && ago > stop; ago -= p->days - demo_range(r, 0, 4)) {
            record_new(st, &kind_visit, v);
            v->resident_id = p->id;
            date_add_days(today, -ago, v->visit_date);
            if (strcmp(v->visit_date, p->birth) < 0)
                continue; /* not born yet */
            snprintf(v->mode, sizeof v->mode, "%s", demo_chance(r, 800) ? "home" : "phone");
            v->worker_id = workers[demo_next(r) % 2];
            snprintf(v->findings, sizeof v->findings, "%s",
                     demo_findings[demo_next(r) % (sizeof demo_findings / sizeof *demo_findings)]);
            snprintf(v->risk, sizeof v->risk, "%s",
                     demo_chance(r, 850) ? "none" : demo_chance(r, 700) ? "low" : "medium");
            snprintf(v->needs, sizeof v->needs, "%s",
                     demo_needs[demo_next(r) % (sizeof demo_needs / sizeof *demo_needs)]);
            if (demo_chance(r, 200))
                demo_member_name(st, p, v->met, sizeof v->met);
            record_error re;
            s = record_save(st, &kind_visit, v, &re);
            if (s == WS_ERR_INVALID) {
                char msg[512];
                fprintf(stderr, "demo visit: %s\n", record_error_text(&kind_visit, &re, msg, sizeof msg));
            }
            if (p->days <= 4)
                break;
        }
    }
    free(v);
    return s;
}

/* ---- cases ---- */

static const char *const demo_problems[] = {
    "独居老人，行动不便，日常照料无人，子女在外地务工。",
    "留守儿童，父母外出务工，与祖父母同住，近期厌学、沉默寡言。",
    "低保户，主要劳动力因病失去收入，医疗支出大。",
    "残疾人家庭，住房破旧漏雨，需要危房改造申请协助。",
    "困境儿童，父亲服刑，母亲离家，由姑姑临时照看。",
    "失能老人，长期卧床，照料者身心疲惫。",
};

static ws_status demo_case_parts(station *st, demo_rng *r, casefile *c, case_stage upto,
                                 int64_t worker, int64_t *goal_id)
{
    record_error re;
    ws_status s = WS_OK;
    if (upto > STAGE_ASSESSMENT) {
        case_need n;
        record_new(st, &kind_case_need, &n);
        n.case_id = c->id;
        snprintf(n.area, sizeof n.area, "%s", demo_chance(r, 500) ? "care" : "mental");
        n.severity = demo_range(r, 2, 5);
        snprintf(n.note, sizeof n.note, "走访和面谈评估");
        s = record_save(st, &kind_case_need, &n, &re);
    }
    if (s == WS_OK && upto > STAGE_PLAN) {
        case_goal g;
        record_new(st, &kind_case_goal, &g);
        g.case_id = c->id;
        snprintf(g.goal, sizeof g.goal, "改善日常照料");
        snprintf(g.target, sizeof g.target, "每周至少两次上门照料");
        date_add_days(c->opened_date, 90, g.due_date);
        snprintf(g.who, sizeof g.who, "社工、志愿者");
        if (upto > STAGE_EVALUATION)
            snprintf(g.outcome, sizeof g.outcome, "%s",
                     demo_chance(r, 700) ? "achieved" : "partial");
        s = record_save(st, &kind_case_goal, &g, &re);
        *goal_id = g.id;
        static const char *const tasks[] = {"联系志愿者每周上门两次", "申请居家适老化改造"};
        for (size_t k = 0; s == WS_OK && k < 2; k++) {
            case_task t;
            record_new(st, &kind_case_task, &t);
            t.goal_id = g.id;
            snprintf(t.task, sizeof t.task, "%s", tasks[k]);
            snprintf(t.who, sizeof t.who, "%s", k ? "社工" : "志愿者");
            date_add_days(c->opened_date, 30 + 30 * (int)k, t.due_date);
            if (upto > STAGE_INTERVENTION)
                date_add_days(c->opened_date, 25 + 30 * (int)k, t.done_date);
            s = record_save(st, &kind_case_task, &t, &re);
        }
    }
    for (int k = 0; s == WS_OK && upto > STAGE_INTERVENTION && k < demo_range(r, 1, 4); k++) {
        case_service *sv = malloc(sizeof *sv);
        if (!sv)
            return WS_ERR_NOMEM;
        record_new(st, &kind_case_service, sv);
        sv->case_id = c->id;
        date_add_days(c->opened_date, 20 + k * 14, sv->service_date);
        sv->minutes = demo_range(r, 3, 12) * 10;
        sv->goal_id = *goal_id;
        sv->worker_id = worker;
        snprintf(sv->content, sizeof sv->content, "上门探访，协助链接志愿者照料服务。");
        s = record_save(st, &kind_case_service, sv, &re);
        free(sv);
    }
    return s;
}

static ws_status demo_case_fill(station *st, casefile *c, case_stage upto)
{
    record_error re;
    snprintf(c->consent_date, sizeof c->consent_date, "%s", c->opened_date);
    snprintf(c->consent_by, sizeof c->consent_by, "self");
    if (upto > STAGE_ASSESSMENT) {
        snprintf(c->strengths, sizeof c->strengths, "本人愿意配合，邻里关系好。");
        snprintf(c->support, sizeof c->support, "子女偶尔来电，村委会关注。");
        snprintf(c->risks, sizeof c->risks, "跌倒风险，独处时无人发现。");
    }
    if (upto > STAGE_EVALUATION) {
        snprintf(c->person_view, sizeof c->person_view, "对服务满意。");
        snprintf(c->summary, sizeof c->summary, "照料安排落实，情况好转。");
        snprintf(c->close_reason, sizeof c->close_reason, "achieved");
        snprintf(c->close_summary, sizeof c->close_summary, "服务目标基本达成，转为常规走访。");
        date_add_days(c->opened_date, 120, c->close_date);
    }
    return record_save(st, &kind_case, c, &re);
}

static ws_status demo_cases(station *st, demo_rng *r, const demo_person *people, size_t n,
                            int64_t worker, const char *today)
{
    ws_status s = WS_OK;
    casefile *c = malloc(sizeof *c);
    if (!c)
        return WS_ERR_NOMEM;
    /* Some sixty at a town's size; on a county-sized station one for
     * every forty people on a visiting schedule. */
    size_t ncases = n < DEMO_CASES ? n : n / 40 > DEMO_CASES ? n / 40 : DEMO_CASES;
    for (size_t i = 0; s == WS_OK && i < ncases; i++) {
        const demo_person *p = &people[(i * 7919 + i / n) % n];
        record_new(st, &kind_case, c);
        c->resident_id = p->id;
        c->worker_id = worker;
        date_add_days(today, -demo_range(r, 140, 360), c->opened_date);
        if (strcmp(c->opened_date, p->birth) < 0)
            snprintf(c->opened_date, sizeof c->opened_date, "%s", p->birth);
        snprintf(c->source, sizeof c->source, "%s", i % 3 ? "outreach" : "request");
        snprintf(c->categories, sizeof c->categories, "%s", i % 2 ? "care" : "emotional,family");
        snprintf(c->problem, sizeof c->problem, "%s",
                 demo_problems[i % (sizeof demo_problems / sizeof *demo_problems)]);
        snprintf(c->risk, sizeof c->risk, "%s", i % 5 ? "low" : "high");
        record_error re;
        if ((s = record_save(st, &kind_case, c, &re)) != WS_OK)
            break;
        /* Stages in turn; a tenth of them still without consent. */
        case_stage upto = (case_stage)(i % STAGE_COUNT);
        bool closed = i % 10 == 5, pending = i % 10 == 7, voided = i % 20 == 3;
        if (closed || pending)
            upto = STAGE_CLOSURE;
        if (i % 10 == 0 && upto == STAGE_INTAKE) {
            snprintf(c->no_consent, sizeof c->no_consent, "本人暂不同意，家属在劝说");
            s = record_save(st, &kind_case, c, &re);
            continue;
        }
        int64_t goal = 0;
        s = demo_case_parts(st, r, c, upto, worker, &goal);
        if (s == WS_OK)
            s = demo_case_fill(st, c, upto);
        for (case_stage sg = STAGE_INTAKE; s == WS_OK && sg < upto; sg++)
            s = case_move_do(st, c->id, 0, CASE_ADVANCE, NULL, &re);
        if (s == WS_OK && (closed || pending))
            s = case_move_do(st, c->id, 0, CASE_SUBMIT, NULL, &re);
        if (s == WS_OK && closed)
            s = case_move_do(st, c->id, 0, CASE_APPROVE, NULL, &re);
        if (s == WS_OK && voided)
            s = case_move_do(st, c->id, 0, CASE_VOID, "重复开案", &re);
        if (s == WS_OK && i % 6 == 1) {
            referral rf;
            referral_init(st, &rf, p->id, c->id);
            snprintf(rf.agency, sizeof rf.agency, "%s", i % 4 ? "clinic" : "civil_affairs");
            snprintf(rf.reason, sizeof rf.reason, "需要专业医疗评估和救助政策衔接。");
            date_add_days(c->opened_date, 30, rf.referral_date);
            date_add_days(rf.referral_date, 14, rf.feedback_due);
            if (i % 12 == 1) {
                date_add_days(rf.referral_date, 10, rf.feedback_date);
                snprintf(rf.feedback, sizeof rf.feedback, "已受理，安排复查。");
            }
            s = record_save(st, &kind_referral, &rf, &re);
        }
        if (s != WS_OK) {
            char msg[512];
            fprintf(stderr, "demo case %zu: %s\n", i, record_error_text(&kind_case, &re, msg,
                                                                        sizeof msg));
        }
    }
    free(c);
    /* The transitions happened over the cases' lives, not all today. */
    if (s == WS_OK)
        s = db_exec(station_db(st),
                    "UPDATE case_transitions SET at = strftime('%Y-%m-%dT10:00:00.000Z',"
                    " (SELECT opened_date FROM cases WHERE id = case_id), '+' ||"
                    " ((id - (SELECT min(id) FROM case_transitions t WHERE t.case_id ="
                    " case_transitions.case_id)) * 20) || ' days')");
    return s;
}

ws_status demo_casework(station *st, uint64_t seed)
{
    demo_rng r = {seed ^ 0xCA5E};
    int64_t workers[2];
    ws_status s = demo_account(st, "shegong", &workers[0]);
    if (s == WS_OK)
        s = demo_account(st, "zhanzhang", &workers[1]);
    if (s != WS_OK || !workers[0] || !workers[1])
        return s; /* no demo accounts: no casework */
    demo_person *people = NULL;
    size_t n = 0;
    s = demo_people(st, &people, &n);
    char today[11];
    date_today(today);
    if (s == WS_OK && n)
        s = demo_visits(st, &r, people, n, workers, today);
    if (s == WS_OK && n)
        s = demo_cases(st, &r, people, n, workers[0], today);
    free(people);
    return s == WS_OK ? due_rebuild(st) : s;
}
