/* Demo social organisations and projects, deterministic from the seed:
 * thirty community organisations spread over the communities (most of
 * them below the target, as stations report), each serving its own
 * community and some a second; eight in the incubator at every stage with
 * their support plans and assessments, two of them graduated; the demo's
 * volunteer teams run by four of them; six projects in every state, those
 * under way linked to the year's activities so their outputs count. */
#include "demo_orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_rng.h"
#include "station_internal.h"
#include "wushe/community.h"
#include "wushe/orgs.h"
#include "wushe/record.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

#define DO_ORGS 30
#define DO_MAX_COMMS 64

static const struct {
    const char *tail; /* after the community's name */
    const char *type;
    const char *service;
} do_kinds[] = {
    {"夕阳红舞蹈队", "culture", "广场舞、节日文艺演出"},
    {"邻里互助会", "mutual", "邻里结对帮扶、代买代办"},
    {"老年协会", "life", "老年人文体活动、高龄老人探访"},
    {"爱心帮帮团", "charity", "困难家庭走访、微心愿认领"},
    {"巾帼志愿服务队", "volunteer", "环境整治、关爱留守儿童"},
    {"红白理事会", "affairs", "移风易俗、红白事简办"},
    {"书画协会", "culture", "书法绘画培训、春联义写"},
    {"四点半课堂", "life", "放学后作业辅导、亲子阅读"},
    {"平安巡逻队", "volunteer", "夜间巡逻、防诈骗宣传"},
    {"居民议事会", "affairs", "小区公共事务协商"},
    {"健身气功站", "culture", "八段锦、太极拳晨练"},
    {"助餐服务社", "life", "老年助餐、送餐上门"},
};
#define DO_NKINDS (sizeof do_kinds / sizeof *do_kinds)

static const char *const do_leaders[] = {"王秀英", "李桂芳", "张建国", "刘玉兰", "陈志强",
                                         "杨淑珍", "赵德明", "黄丽华"};

static void do_date(int days, char out[16])
{
    char today[11];
    date_today(today);
    date_add_days(today, days, out);
}

/* The community's name without 社区/村 (学堂湾), for an organisation's. */
static void do_short(const char *name, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", name);
    size_t n = strlen(out);
    if (n > 6 && strcmp(out + n - 6, "社区") == 0)
        out[n - 6] = '\0';
    else if (n > 3 && strcmp(out + n - 3, "村") == 0)
        out[n - 3] = '\0';
}

/* A resident of the community aged 45 to 70 to lead it (0: none). */
static int64_t do_leader(station *st, int64_t community, int k)
{
    int64_t id = 0;
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT id FROM residents WHERE community_id = ?1 AND deleted_at IS NULL"
        " AND birth_date BETWEEN '1956-01-01' AND '1981-12-31' ORDER BY id LIMIT 1 OFFSET ?2");
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, community);
    sqlite3_bind_int(q, 2, (k * 7) % 37);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return id;
}

static ws_status do_org(station *st, demo_rng *r, const community *c, const community *other,
                        int i, int64_t *id)
{
    organisation o;
    record_new(st, &kind_organisation, &o);
    char place[256];
    do_short(c->name, place, sizeof place);
    size_t k = ((size_t)i * 5 + (size_t)demo_range(r, 0, 2)) % DO_NKINDS;
    /* One name per organisation: the next kind when the community has it. */
    for (size_t tries = 0; tries < DO_NKINDS; tries++, k = (k + 1) % DO_NKINDS) {
        bool taken = false;
        snprintf(o.name, sizeof o.name, "%s%s", place, do_kinds[k].tail);
        ws_status e = db_exists_text(station_db(st), "SELECT 1 FROM organisations"
                                                     " WHERE name = ?1 AND id <> ?2",
                                     o.name, 0, &taken);
        if (e != WS_OK)
            return e;
        if (!taken)
            break;
    }
    snprintf(o.type, sizeof o.type, "%s", do_kinds[k].type);
    snprintf(o.notes, sizeof o.notes, "主要服务：%s", do_kinds[k].service);
    snprintf(o.guide_unit, sizeof o.guide_unit, "%s", i % 3 ? c->name : "青石镇社会事务办");
    if (i % 6 == 0) { /* 备案 at the township */
        snprintf(o.legal_form, sizeof o.legal_form, "filed");
        snprintf(o.reg_number, sizeof o.reg_number, "青石社备〔2025〕%02d号", i + 1);
        do_date(-demo_range(r, 200, 700), o.reg_date);
    } else if (i == 7 || i == 19) { /* two registered with the civil affairs bureau */
        snprintf(o.legal_form, sizeof o.legal_form, "service_org");
        snprintf(o.reg_number, sizeof o.reg_number, "52510902MJQ%05d%c", 3100 + i, 'A' + i % 20);
        do_date(-demo_range(r, 400, 1200), o.reg_date);
    }
    o.leader_id = do_leader(st, c->id, i);
    if (!o.leader_id)
        snprintf(o.leader_name, sizeof o.leader_name, "%s",
                 do_leaders[(size_t)i % (sizeof do_leaders / sizeof *do_leaders)]);
    o.members = demo_range(r, 8, 60);
    snprintf(o.party_leader, sizeof o.party_leader, "%s", demo_chance(r, 450) ? "yes" : "no");
    if (i == 13 || i == 26) {
        snprintf(o.status, sizeof o.status, "dormant");
        do_date(-demo_range(r, 30, 120), o.status_date);
        snprintf(o.status_reason, sizeof o.status_reason, "骨干成员外出务工，活动暂停");
    }
    record_error re;
    ws_status s = record_save(st, &kind_organisation, &o, &re);
    *id = o.id;
    org_community oc = {.org_id = o.id, .community_id = c->id};
    if (s == WS_OK)
        s = record_save(st, &kind_org_community, &oc, &re);
    if (s == WS_OK && other && other->id != c->id && i % 4 == 1) {
        org_community more = {.org_id = o.id, .community_id = other->id};
        s = record_save(st, &kind_org_community, &more, &re);
    }
    return s;
}

static ws_status do_assess(station *st, demo_rng *r, int64_t org, const char *phase, int base,
                           int days)
{
    org_assessment a;
    record_new(st, &kind_org_assessment, &a);
    a.org_id = org;
    snprintf(a.phase, sizeof a.phase, "%s", phase);
    do_date(days, a.date);
    for (int d = 0; d < ORG_DOMAINS; d++) {
        int v = base + demo_range(r, -1, 1);
        a.score[d] = v < 1 ? 1 : v > 5 ? 5 : v;
    }
    snprintf(a.assessor, sizeof a.assessor, "%s", "社工站评估小组");
    snprintf(a.notes, sizeof a.notes, "%s",
             base >= 4 ? "制度健全，能独立策划和实施服务，建议出壳。"
                       : "骨干热情高，财务和项目管理需要加强。");
    record_error re;
    return record_save(st, &kind_org_assessment, &a, &re);
}

static ws_status do_tasks(station *st, demo_rng *r, int64_t org, int start, bool done)
{
    static const struct {
        const char *area, *content, *result;
    } plan[] = {
        {"capacity", "骨干培训：活动策划与组织", "已开展 3 次培训，骨干 12 人参加"},
        {"registration", "辅导准备备案材料", "章程和成员名册已整理，已报镇社会事务办"},
        {"venue", "安排孵化基地活动室每周两个半天", "已安排周二、周四下午"},
        {"project", "辅导申报社区微项目", "已提交项目申报书"},
    };
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < 3; i++) {
        size_t k = (i + (size_t)demo_range(r, 0, 3)) % 4;
        org_task t;
        record_new(st, &kind_org_task, &t);
        t.org_id = org;
        snprintf(t.area, sizeof t.area, "%s", plan[k].area);
        snprintf(t.content, sizeof t.content, "%s", plan[k].content);
        int due = start + 30 * (int)(i + 1);
        do_date(due, t.due_date);
        if (done || i == 0) { /* done a few days before it was due, never after today */
            do_date(due - 5 > -1 ? -1 : due - 5, t.done_date);
            snprintf(t.result, sizeof t.result, "%s", plan[k].result);
        }
        record_error re;
        s = record_save(st, &kind_org_task, &t, &re);
    }
    return s;
}

/* Eight in the incubator: two at each stage, the last two graduated. */
static ws_status do_incubate(station *st, demo_rng *r, const int64_t *orgs)
{
    static const char *const outcomes[] = {"filed", "ledger"};
    ws_status s = WS_OK;
    for (int i = 0; s == WS_OK && i < 8; i++) {
        int64_t id = orgs[i * 3 + 1];
        int stages = i / 2; /* moves after 进驻: 0..3 */
        int day = -demo_range(r, 300, 360);
        char date[16];
        record_error re;
        do_date(day, date);
        s = org_move_do(st, id, 0, ORG_MOVE_ENTER, date, NULL, NULL, &re);
        if (s == WS_OK)
            s = do_assess(st, r, id, "entry", 2, day + 7);
        if (s == WS_OK)
            s = do_tasks(st, r, id, day, stages >= 2);
        for (int m = 1; s == WS_OK && m <= stages; m++) {
            day += demo_range(r, 60, 80);
            do_date(day, date);
            if (m == 3)
                s = do_assess(st, r, id, "exit", 4, day - 10);
            if (s == WS_OK)
                s = org_move_do(st, id, 0, ORG_MOVE_ADVANCE, date,
                                m == 3 ? outcomes[i % 2] : NULL, NULL, &re);
        }
    }
    return s;
}

/* The demo's volunteer teams are run by four of the organisations. */
static ws_status do_teams(station *st, const int64_t *orgs)
{
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT id FROM volunteer_teams"
                                                 " WHERE deleted_at IS NULL ORDER BY id");
    if (!q)
        return db_status(station_db(st));
    int64_t ids[8];
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 8)
        ids[n++] = sqlite3_column_int64(q, 0);
    db_reset(q);
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < n && i < 4; i++) {
        team t;
        s = record_load(st, &kind_team, ids[i], &t);
        if (s != WS_OK)
            break;
        t.org_id = orgs[i * 7 + 4];
        record_error re;
        s = record_save(st, &kind_team, &t, &re);
    }
    return s;
}

static const struct {
    const char *title, *kind, *funder, *status;
    int64_t yuan;
    int start, months; /* days from today, length */
    int64_t sessions, people, times, hours;
} do_projects[] = {
    {"青石镇“银龄安康”长者关爱服务项目", "service", "government", "running", 180000, -250, 12,
     24, 120, 900, 300},
    {"学堂湾社区“四点半课堂”微项目", "micro", "community_fund", "running", 20000, -120, 6, 16,
     40, 400, 120},
    {"柳河社区邻里守望公益创投项目", "venture", "venture", "closed", 50000, -400, 10, 12, 60, 300,
     100},
    {"桃源村移风易俗宣传微项目", "micro", "charity", "evaluated", 15000, -520, 8, 8, 200, 400,
     40},
    {"困境儿童关爱服务项目", "service", "government", "approved", 120000, -10, 12, 30, 50, 600,
     200},
    {"社区环境微治理项目", "micro", "business", "applied", 30000, 20, 6, 10, 100, 300, 80},
};
#define DO_NPROJECTS (sizeof do_projects / sizeof *do_projects)

/* A restricted fund of the resources demo for the first project (0: none). */
static int64_t do_fund(station *st)
{
    int64_t id = 0;
    if (db_int(station_db(st), "SELECT coalesce(min(id), 0) FROM funds WHERE deleted_at IS NULL"
                               " AND fund_type = 'restricted' AND ?1 = ?1", 0, &id) != WS_OK)
        id = 0;
    return id;
}

/* Every third activity with sessions goes to a project under way. */
static ws_status do_link_activities(station *st, const int64_t *projects, size_t nlive)
{
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT id FROM activities WHERE deleted_at IS NULL AND project_id IS NULL"
        " AND id IN (SELECT activity_id FROM activity_sessions) ORDER BY id");
    if (!q)
        return db_status(station_db(st));
    int64_t ids[64];
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 64)
        ids[n++] = sqlite3_column_int64(q, 0);
    db_reset(q);
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < n && nlive; i += 3) {
        activity *a = malloc(sizeof *a);
        if (!a)
            return WS_ERR_NOMEM;
        s = record_load(st, &kind_activity, ids[i], a);
        if (s == WS_OK) {
            a->project_id = projects[(i / 3) % nlive];
            record_error re;
            s = record_save(st, &kind_activity, a, &re);
        }
        free(a);
    }
    return s;
}

static ws_status do_projects_make(station *st, const int64_t *orgs, const community *comms,
                                  size_t ncomms)
{
    int64_t live[DO_NPROJECTS];
    size_t nlive = 0;
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < DO_NPROJECTS; i++) {
        project p;
        record_new(st, &kind_project, &p);
        snprintf(p.title, sizeof p.title, "%s", do_projects[i].title);
        snprintf(p.kind, sizeof p.kind, "%s", do_projects[i].kind);
        snprintf(p.funder, sizeof p.funder, "%s", do_projects[i].funder);
        snprintf(p.status, sizeof p.status, "%s", do_projects[i].status);
        p.amount = do_projects[i].yuan * 100;
        do_date(do_projects[i].start, p.start_date);
        do_date(do_projects[i].start + do_projects[i].months * 30, p.end_date);
        p.org_id = i == 0 ? 0 : orgs[(i * 7 + 4) % DO_ORGS]; /* the first: the station's own */
        p.fund_id = i == 0 ? do_fund(st) : 0;
        p.target_sessions = do_projects[i].sessions;
        p.target_people = do_projects[i].people;
        p.target_times = do_projects[i].times;
        p.target_hours = do_projects[i].hours;
        if (!strcmp(p.status, "evaluated"))
            snprintf(p.evaluation, sizeof p.evaluation, "%s",
                     "项目按计划完成，村民参与度高，红白事简办倡议书签订率 92%。"
                     "建议村红白理事会继续开展，纳入村规民约。");
        record_error re;
        s = record_save(st, &kind_project, &p, &re);
        for (size_t c = 0; s == WS_OK && c < 2 && c < ncomms; c++) {
            project_community pc = {.project_id = p.id,
                                    .community_id = comms[(i + c * 3) % ncomms].id};
            s = record_save(st, &kind_project_community, &pc, &re);
        }
        if (s == WS_OK && i < 2) { /* a custom indicator */
            project_indicator pi = {.project_id = p.id, .target = i ? 20 : 50,
                                    .actual = i ? 14 : 38};
            snprintf(pi.name, sizeof pi.name, "%s", i ? "结对帮扶家庭" : "建立健康档案");
            snprintf(pi.unit, sizeof pi.unit, "%s", i ? "户" : "份");
            s = record_save(st, &kind_project_indicator, &pi, &re);
        }
        if (strcmp(p.status, "applied") != 0 && strcmp(p.status, "approved") != 0)
            live[nlive++] = p.id;
    }
    if (s == WS_OK)
        s = do_link_activities(st, live, nlive);
    return s;
}

ws_status demo_orgs(station *st, uint64_t seed)
{
    demo_rng r = {seed ^ 0x16u};
    community *comms = NULL;
    size_t ncomms = 0;
    ws_status s = community_list(st, &comms, &ncomms);
    if (s != WS_OK || ncomms == 0) {
        free(comms);
        return s;
    }
    int64_t orgs[DO_ORGS];
    /* Thirty spread over the communities, the first ones getting more. */
    for (int i = 0; s == WS_OK && i < DO_ORGS; i++) {
        size_t c = (size_t)(i < 12 ? i % 3 : i) % ncomms;
        s = do_org(st, &r, &comms[c], &comms[(c + 1) % ncomms], i, &orgs[i]);
    }
    if (s == WS_OK)
        s = do_incubate(st, &r, orgs);
    if (s == WS_OK)
        s = do_teams(st, orgs);
    if (s == WS_OK)
        s = do_projects_make(st, orgs, comms, ncomms);
    free(comms);
    return s;
}
