/* Social organisations, incubation and projects (issue 16): the stage walk
 * and its transitions, 出壳 refused without a scored exit assessment, the
 * bad input the issue lists, counts per community against the targets,
 * the search box, who may do what, and a project's actuals counted from
 * its linked activities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wushe/account.h"
#include "wushe/community.h"
#include "wushe/config.h"
#include "wushe/orgs.h"
#include "wushe/resources.h"
#include "wushe/volunteer.h"

#define PASSWORD "wushe-test-1"

typedef struct fixture {
    testutil_station *t;
    station *st; /* a second connection, logged in as needed */
    station_config *cfg;
    int64_t xtw, lh, qs; /* 学堂湾社区, 柳河社区, 青石村 */
} fixture;

static void make_account(fixture *f, const char *login, const char *name, const char *role)
{
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "%s", login);
    snprintf(a.display_name, sizeof a.display_name, "%s", name);
    snprintf(a.role, sizeof a.role, "%s", role);
    record_error re;
    assert_int_equal(account_create(f->t->st, &a, PASSWORD, &re), WS_OK);
}

static int64_t make_community(fixture *f, const char *name)
{
    community c;
    record_init(&kind_community, &c);
    snprintf(c.name, sizeof c.name, "%s", name);
    record_error re;
    assert_int_equal(record_save(f->t->st, &kind_community, &c, &re), WS_OK);
    return c.id;
}

static int fixture_open(void **state, const char *yaml)
{
    setenv("WUSHE_TODAY", "2026-11-23", 1);
    fixture *f = calloc(1, sizeof *f);
    f->t = testutil_station_open(true);
    if (!f->t)
        return -1;
    make_account(f, "zz", "张站长", "director");
    make_account(f, "lr", "赵录入", "clerk");
    make_account(f, "dd", "钱督导", "supervisor");
    f->xtw = make_community(f, "学堂湾社区");
    f->lh = make_community(f, "柳河社区");
    f->qs = make_community(f, "青石村");
    char err[256];
    if (config_parse("station.yaml", yaml, strlen(yaml), &f->cfg, err, sizeof err) != WS_OK)
        return -1;
    if (station_open(f->t->path, 0, f->cfg, &f->st, err, sizeof err) != WS_OK)
        return -1;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return fixture_open(state, "");
}

/* Targets small enough to reach: 2 per community, 1 per village. */
static int setup_targets(void **state)
{
    return fixture_open(state, "organisations:\n  urban: 2\n  rural: 1\n");
}

static int teardown(void **state)
{
    fixture *f = *state;
    station_close(&f->st);
    config_free(&f->cfg);
    testutil_station_close(&f->t);
    free(f);
    return 0;
}

static void login(fixture *f, const char *who)
{
    account_logout(f->st);
    account_login_result res;
    assert_int_equal(account_login(f->st, who, PASSWORD, &res), WS_OK);
}

static void expect_field(ws_status s, const record_error *re, int field, val_status code)
{
    if (s != WS_ERR_INVALID || re->field != field || re->code != code)
        fail_msg("got %s field %d code %d (%s), want field %d code %d", ws_status_name(s),
                 re->field, re->code, re->detail, field, code);
}

static void org_fill(station *st, organisation *o, const char *name, const char *type)
{
    record_new(st, &kind_organisation, o);
    snprintf(o->name, sizeof o->name, "%s", name);
    snprintf(o->type, sizeof o->type, "%s", type);
}

static int64_t org_new(fixture *f, const char *name, const char *type, int64_t community)
{
    organisation o;
    org_fill(f->st, &o, name, type);
    record_error re;
    ws_status s = record_save(f->st, &kind_organisation, &o, &re);
    if (s != WS_OK)
        fail_msg("organisation %s: %s (field %d, code %d %s)", name, ws_status_name(s), re.field,
                 re.code, re.detail);
    if (community) {
        org_community c = {.org_id = o.id, .community_id = community};
        assert_int_equal(record_save(f->st, &kind_org_community, &c, &re), WS_OK);
    }
    return o.id;
}

static ws_status assess(fixture *f, int64_t org, const char *phase, int score, record_error *re)
{
    org_assessment a;
    record_new(f->st, &kind_org_assessment, &a);
    a.org_id = org;
    snprintf(a.phase, sizeof a.phase, "%s", phase);
    for (int i = 0; i < ORG_DOMAINS; i++)
        a.score[i] = 3;
    a.score[ORG_DOMAINS - 1] = score; /* 专业服务: the one under test */
    return record_save(f->st, &kind_org_assessment, &a, re);
}

static void stage_is(fixture *f, int64_t id, const char *stage)
{
    organisation o;
    assert_int_equal(record_load(f->st, &kind_organisation, id, &o), WS_OK);
    assert_string_equal(o.stage, stage);
}

static void test_stage_walk(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    int64_t id = org_new(f, "夕阳红舞蹈队", "culture", f->xtw);
    record_error re;
    /* Not yet in the incubator: only 进驻. */
    assert_false(org_move_allowed(f->st, id, ORG_MOVE_ADVANCE));
    assert_true(org_move_allowed(f->st, id, ORG_MOVE_ENTER));
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_ENTER, "2026-03-01", NULL, NULL, &re),
                     WS_OK);
    stage_is(f, id, "entry");
    assert_int_equal(assess(f, id, "entry", 2, &re), WS_OK);
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, "2026-04-01", NULL, NULL, &re),
                     WS_OK);
    /* A decision dated before the stage began is refused. */
    expect_field(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, "2026-03-15", NULL, NULL, &re),
                 &re, ORF_STAGE_DATE, VAL_BEFORE_DATE);
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, "2026-10-01", NULL, NULL, &re),
                     WS_OK);
    stage_is(f, id, "assessment");
    /* 出壳 without an exit assessment: the entry one does not count. */
    expect_field(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, NULL, "filed", NULL, &re), &re, -1,
                 VAL_STAGE_MISSING);
    stage_is(f, id, "assessment");
    /* A score of 6 is refused at its field, nothing written. */
    expect_field(assess(f, id, "exit", 6, &re), &re, OAF_SERVICES, VAL_RANGE);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM org_assessments WHERE phase = 'exit'",
                             0), 0);
    assert_int_equal(assess(f, id, "exit", 4, &re), WS_OK);
    /* ... and an outcome. */
    expect_field(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, NULL, NULL, NULL, &re), &re,
                 ORF_OUTCOME, VAL_REQUIRED);
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_ADVANCE, "2026-11-20", "filed", NULL,
                                 &re), WS_OK);
    organisation o;
    assert_int_equal(record_load(f->st, &kind_organisation, id, &o), WS_OK);
    assert_string_equal(o.stage, "graduated");
    assert_string_equal(o.outcome, "filed");
    assert_string_equal(o.stage_date, "2026-11-20");
    assert_false(org_move_allowed(f->st, id, ORG_MOVE_ADVANCE));
    /* Back needs a reason; with one it goes, and the outcome goes with it. */
    expect_field(org_move_do(f->st, id, 0, ORG_MOVE_BACK, NULL, NULL, "  ", &re), &re, -1,
                 VAL_REASON_NEEDED);
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_BACK, NULL, NULL, "备案材料退回", &re),
                     WS_OK);
    assert_int_equal(record_load(f->st, &kind_organisation, id, &o), WS_OK);
    assert_string_equal(o.stage, "assessment");
    assert_string_equal(o.outcome, "");
    /* Every move a transition: who, when, from, to, why. */
    org_transition t[8];
    size_t n = 0;
    assert_int_equal(org_transitions(f->st, id, t, 8, &n), WS_OK);
    assert_int_equal(n, 5);
    assert_string_equal(t[0].from_stage, "");
    assert_string_equal(t[0].to_stage, "entry");
    assert_string_equal(t[0].decided_on, "2026-03-01");
    assert_string_equal(t[0].who, "张站长");
    assert_string_equal(t[3].to_stage, "graduated");
    assert_string_equal(t[3].outcome, "filed");
    assert_string_equal(t[4].reason, "备案材料退回");
    /* A stale revision is refused. */
    assert_int_equal(org_move_do(f->st, id, 1, ORG_MOVE_BACK, NULL, NULL, "再退", &re),
                     WS_ERR_STALE);
    /* Each move is audited as a change of the row. */
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM audit_log WHERE table_name ="
                                   " 'organisations' AND row_id = ?1", id), 6);
}

static void test_bad_input(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    record_error re;
    organisation o;
    /* 备案 needs its number and date. */
    org_fill(f->st, &o, "学堂湾邻里互助会", "mutual");
    snprintf(o.legal_form, sizeof o.legal_form, "filed");
    expect_field(record_save(f->st, &kind_organisation, &o, &re), &re, ORF_REG_NUMBER,
                 VAL_REQUIRED);
    snprintf(o.reg_number, sizeof o.reg_number, "BA-2026-007");
    snprintf(o.reg_date, sizeof o.reg_date, "2026-12-01"); /* after today */
    expect_field(record_save(f->st, &kind_organisation, &o, &re), &re, ORF_REG_DATE,
                 VAL_DATE_FUTURE);
    assert_string_equal(o.reg_number, "BA-2026-007"); /* the form keeps what was typed */
    snprintf(o.reg_date, sizeof o.reg_date, "2026-05-12");
    assert_int_equal(record_save(f->st, &kind_organisation, &o, &re), WS_OK);
    char first[32];
    snprintf(first, sizeof first, "%s", o.number);
    assert_int_equal(strlen(first), 18);
    /* Two organisations with the same registration number. */
    organisation twin;
    org_fill(f->st, &twin, "另一个互助会", "mutual");
    snprintf(twin.legal_form, sizeof twin.legal_form, "filed");
    snprintf(twin.reg_number, sizeof twin.reg_number, "BA-2026-007");
    snprintf(twin.reg_date, sizeof twin.reg_date, "2026-05-12");
    expect_field(record_save(f->st, &kind_organisation, &twin, &re), &re, ORF_REG_NUMBER,
                 VAL_DUPLICATE);
    /* 注销 needs its date and reason. */
    snprintf(o.status, sizeof o.status, "cancelled");
    expect_field(record_save(f->st, &kind_organisation, &o, &re), &re, ORF_STATUS_DATE,
                 VAL_REQUIRED);
    /* A deleted organisation's number is never given again. */
    assert_int_equal(record_delete(f->st, &kind_organisation, o.id, &re), WS_OK);
    int64_t again = org_new(f, "学堂湾邻里互助会", "mutual", 0);
    organisation o2;
    assert_int_equal(record_load(f->st, &kind_organisation, again, &o2), WS_OK);
    assert_string_not_equal(o2.number, first);
    /* A project that ends before it starts, or with a negative amount. */
    project p;
    record_new(f->st, &kind_project, &p);
    snprintf(p.title, sizeof p.title, "长者助餐微项目");
    snprintf(p.start_date, sizeof p.start_date, "2026-06-01");
    snprintf(p.end_date, sizeof p.end_date, "2026-05-31");
    expect_field(record_save(f->st, &kind_project, &p, &re), &re, PJF_END, VAL_BEFORE_DATE);
    snprintf(p.end_date, sizeof p.end_date, "2027-05-31"); /* a period may end ahead */
    p.amount = -100;
    expect_field(record_save(f->st, &kind_project, &p, &re), &re, PJF_AMOUNT, VAL_RANGE);
    p.amount = 5000000; /* 5 万元 in fen */
    assert_int_equal(record_save(f->st, &kind_project, &p, &re), WS_OK);
    assert_int_equal(raw_int(f->t, "SELECT amount FROM projects WHERE id = ?1", p.id), 5000000);
}

static const org_community_count *count_of(const org_community_count *c, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].community_id == id)
            return &c[i];
    return NULL;
}

static void test_counts_targets(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    assert_int_equal(org_target(f->st, "community"), 2);
    assert_int_equal(org_target(f->st, "village"), 1);
    org_new(f, "书香读书会", "culture", f->xtw);
    int64_t helpers = org_new(f, "爱心帮帮团", "charity", f->xtw);
    org_new(f, "青石村红白理事会", "affairs", f->qs);
    /* A dissolved one does not count. */
    organisation gone;
    org_fill(f->st, &gone, "柳河合唱团", "culture");
    snprintf(gone.status, sizeof gone.status, "cancelled");
    snprintf(gone.status_date, sizeof gone.status_date, "2026-09-01");
    snprintf(gone.status_reason, sizeof gone.status_reason, "成员外出务工");
    record_error re;
    assert_int_equal(record_save(f->st, &kind_organisation, &gone, &re), WS_OK);
    org_community gc = {.org_id = gone.id, .community_id = f->lh};
    assert_int_equal(record_save(f->st, &kind_org_community, &gc, &re), WS_OK);
    /* One serving two communities counts in both. */
    org_community also = {.org_id = helpers, .community_id = f->lh};
    assert_int_equal(record_save(f->st, &kind_org_community, &also, &re), WS_OK);
    /* ... but not twice in one. */
    org_community twice = {.org_id = helpers, .community_id = f->lh};
    expect_field(record_save(f->st, &kind_org_community, &twice, &re), &re, OCF_COMMUNITY,
                 VAL_DUPLICATE);
    org_community_count *c = NULL;
    size_t n = 0;
    assert_int_equal(org_community_counts(f->st, false, &c, &n), WS_OK);
    assert_int_equal(n, 3);
    const org_community_count *x = count_of(c, n, f->xtw), *l = count_of(c, n, f->lh),
                              *q = count_of(c, n, f->qs);
    assert_non_null(x);
    assert_int_equal(x->total, 2);
    assert_int_equal(x->target, 2);
    assert_int_equal(x->by_type[1], 1); /* 公益慈善类 */
    assert_int_equal(x->by_type[3], 1); /* 文体娱乐类 */
    assert_int_equal(l->total, 1);
    assert_int_equal(q->total, 1);
    assert_int_equal(q->target, 1);
    free(c);
    assert_int_equal(org_community_counts(f->st, true, &c, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].community_id, f->lh);
    free(c);
    org_counts oc;
    assert_int_equal(org_counts_get(f->st, &oc), WS_OK);
    assert_int_equal(oc.organisations, 3);
    assert_int_equal(oc.below_target, 1);
}

static void test_default_targets(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    assert_int_equal(org_target(f->st, "community"), ORG_TARGET_URBAN);
    assert_int_equal(org_target(f->st, "village"), ORG_TARGET_RURAL);
    org_counts oc;
    assert_int_equal(org_counts_get(f->st, &oc), WS_OK);
    assert_int_equal(oc.below_target, 3);
}

static int64_t find_one(fixture *f, const char *filter)
{
    record_row rows[8];
    size_t n = 0;
    assert_int_equal(record_list(f->st, &kind_organisation, filter, false, 0, 1, rows, 8, &n),
                     WS_OK);
    return n == 1 ? rows[0].id : -(int64_t)n;
}

static void test_search(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    int64_t dance = org_new(f, "夕阳红舞蹈队", "culture", f->qs);
    org_new(f, "学堂湾志愿服务队", "volunteer", f->xtw);
    organisation o;
    assert_int_equal(record_load(f->st, &kind_organisation, dance, &o), WS_OK);
    assert_int_equal(find_one(f, "xyh"), dance);
    assert_int_equal(find_one(f, "xiyanghong"), dance);
    assert_int_equal(find_one(f, "舞蹈"), dance);
    assert_int_equal(find_one(f, o.number), dance);
    /* By the community it serves, and by 孵化中 once it is incubated. */
    assert_int_equal(find_one(f, "青石村"), dance);
    assert_int_equal(find_one(f, "孵化中"), 0);
    record_error re;
    assert_int_equal(org_move_do(f->st, dance, 0, ORG_MOVE_ENTER, NULL, NULL, NULL, &re), WS_OK);
    assert_int_equal(find_one(f, "孵化中"), dance);
    /* A new assessment names its assessor as the clerks know them. */
    org_assessment a;
    record_new(f->st, &kind_org_assessment, &a);
    assert_string_equal(a.assessor, "张站长");
    /* By the stage the list shows (进驻), and inside a name that begins
     * with its community: initials and pinyin after any syllable. */
    assert_int_equal(find_one(f, "进驻"), dance);
    assert_int_equal(find_one(f, "jz"), dance);
    int64_t calligraphy = org_new(f, "柳河书法协会", "culture", f->qs);
    assert_int_equal(find_one(f, "sfxh"), calligraphy);
    assert_int_equal(find_one(f, "shufa"), calligraphy);
    assert_int_equal(find_one(f, "lhsf"), calligraphy);
    int64_t found = 0;
    assert_int_equal(org_find_number(f->st, o.number, &found), WS_OK);
    assert_int_equal(found, dance);
}

static void test_permissions(void **state)
{
    fixture *f = *state;
    login(f, "lr"); /* a clerk keys the register but moves no stage */
    int64_t id = org_new(f, "邻里守望队", "volunteer", f->xtw);
    record_error re;
    assert_false(org_move_allowed(f->st, id, ORG_MOVE_ENTER));
    assert_int_equal(org_move_do(f->st, id, 0, ORG_MOVE_ENTER, NULL, NULL, NULL, &re),
                     WS_ERR_DENIED);
    stage_is(f, id, "");
    login(f, "dd"); /* a supervisor reads everything, writes nothing */
    organisation o;
    assert_int_equal(record_load(f->st, &kind_organisation, id, &o), WS_OK);
    snprintf(o.guide_unit, sizeof o.guide_unit, "青石镇民政办");
    assert_int_equal(record_save(f->st, &kind_organisation, &o, &re), WS_ERR_DENIED);
    org_counts oc;
    assert_int_equal(org_counts_get(f->st, &oc), WS_OK);
    account_logout(f->st);
    assert_int_equal(org_counts_get(f->st, &oc), WS_ERR_DENIED);
}

static void test_project_actuals(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    int64_t org = org_new(f, "柳河长者服务社", "life", f->lh);
    record_error re;
    project p;
    record_new(f->st, &kind_project, &p);
    snprintf(p.title, sizeof p.title, "柳河长者健康微项目");
    snprintf(p.kind, sizeof p.kind, "micro");
    p.org_id = org;
    p.target_sessions = 4;
    p.target_times = 100;
    assert_int_equal(record_save(f->st, &kind_project, &p, &re), WS_OK);
    team t;
    record_new(f->st, &kind_team, &t);
    snprintf(t.name, sizeof t.name, "柳河长者服务队");
    t.org_id = org;
    assert_int_equal(record_save(f->st, &kind_team, &t, &re), WS_OK);
    activity a;
    record_new(f->st, &kind_activity, &a);
    snprintf(a.title, sizeof a.title, "长者健康讲座");
    snprintf(a.type, sizeof a.type, "group");
    a.project_id = p.id;
    assert_int_equal(record_save(f->st, &kind_activity, &a, &re), WS_OK);
    const char *days[] = {"2026-10-10", "2026-11-10"};
    for (int i = 0; i < 2; i++) {
        session s;
        record_new(f->st, &kind_session, &s);
        s.activity_id = a.id;
        snprintf(s.date, sizeof s.date, "%s", days[i]);
        snprintf(s.start, sizeof s.start, "09:00");
        snprintf(s.end, sizeof s.end, "10:30");
        s.unnamed = 20 + i;
        assert_int_equal(record_save(f->st, &kind_session, &s, &re), WS_OK);
    }
    project_actuals pa;
    assert_int_equal(project_actuals_get(f->st, p.id, &pa), WS_OK);
    activity_counts ac;
    assert_int_equal(activity_counts_get(f->st, a.id, "", "", &ac), WS_OK);
    assert_int_equal(pa.activities, 1);
    assert_int_equal(pa.counts.sessions, 2);
    assert_int_equal(pa.counts.person_times, 41);
    assert_memory_equal(&pa.counts, &ac, sizeof ac);
    /* The organisation's page: its team, its project's activity. */
    org_summary sm;
    assert_int_equal(org_summary_get(f->st, org, &sm), WS_OK);
    assert_int_equal(sm.teams, 1);
    assert_int_equal(sm.projects, 1);
    assert_int_equal(sm.activities, 1);
    assert_int_equal(sm.counts.sessions, 2);
    /* An organisation its project still names stays. */
    assert_int_equal(record_delete(f->st, &kind_organisation, org, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_RULE);
    int64_t id = 0;
    assert_int_equal(project_find_number(f->st, p.number, &id), WS_OK);
    assert_int_equal(id, p.id);
}

static int64_t save_ok(fixture *f, const record_kind *k, void *rec)
{
    record_error re;
    ws_status s = record_save(f->st, k, rec, &re);
    if (s != WS_OK) {
        char msg[512];
        fail_msg("%s refused: %s (%s)", k->name, ws_status_name(s),
                 record_error_text(k, &re, msg, sizeof msg));
    }
    return record_id(k, rec);
}

/* Money a project received into its fund and paid out of it; what an
 * organisation gave as a donor, apart. */
static void test_project_money(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    int64_t org = org_new(f, "学堂湾爱心帮帮团", "charity", f->xtw);
    fund fd;
    record_init(&kind_fund, &fd);
    snprintf(fd.name, sizeof fd.name, "四点半课堂项目资金");
    snprintf(fd.fund_type, sizeof fd.fund_type, "restricted");
    snprintf(fd.purpose, sizeof fd.purpose, "学堂湾社区四点半课堂");
    int64_t fund_id = save_ok(f, &kind_fund, &fd);
    project p;
    record_new(f->st, &kind_project, &p);
    snprintf(p.title, sizeof p.title, "四点半课堂微项目");
    p.org_id = org;
    p.fund_id = fund_id;
    p.amount = 2000000;
    save_ok(f, &kind_project, &p);
    /* A company gives 8,000 yuan to the project's fund; the organisation
     * itself, as a donor, gives 500 yuan to the station's general fund. */
    donor co, self;
    record_init(&kind_donor, &co);
    snprintf(co.name, sizeof co.name, "青石粮油公司");
    snprintf(co.donor_type, sizeof co.donor_type, "enterprise");
    record_init(&kind_donor, &self);
    snprintf(self.name, sizeof self.name, "学堂湾爱心帮帮团");
    snprintf(self.donor_type, sizeof self.donor_type, "organisation");
    self.org_id = org;
    int64_t donors[2] = {save_ok(f, &kind_donor, &co), save_ok(f, &kind_donor, &self)};
    fund general;
    record_init(&kind_fund, &general);
    snprintf(general.name, sizeof general.name, "社区基金");
    snprintf(general.fund_type, sizeof general.fund_type, "general");
    int64_t funds[2] = {fund_id, save_ok(f, &kind_fund, &general)};
    const int64_t fen[2] = {800000, 50000};
    for (int i = 0; i < 2; i++) {
        donation d;
        record_init(&kind_donation, &d);
        snprintf(d.donation_date, sizeof d.donation_date, "2026-10-0%d", i + 1);
        d.donor_id = donors[i];
        snprintf(d.purpose, sizeof d.purpose, "general");
        snprintf(d.agreement, sizeof d.agreement, "no");
        donation_money m;
        record_init(&kind_donation_money, &m);
        m.donation_id = save_ok(f, &kind_donation, &d);
        m.fund_id = funds[i];
        m.amount = fen[i];
        snprintf(m.method, sizeof m.method, "transfer");
        save_ok(f, &kind_donation_money, &m);
    }
    payment pay;
    record_init(&kind_payment, &pay);
    snprintf(pay.payment_date, sizeof pay.payment_date, "2026-11-01");
    pay.fund_id = fund_id;
    pay.amount = 120000;
    snprintf(pay.purpose, sizeof pay.purpose, "学堂湾社区四点半课堂：课堂文具");
    save_ok(f, &kind_payment, &pay);
    project_actuals pa;
    assert_int_equal(project_actuals_get(f->st, p.id, &pa), WS_OK);
    assert_int_equal(pa.money_in, 800000);
    assert_int_equal(pa.money_out, 120000);
    org_summary sm;
    assert_int_equal(org_summary_get(f->st, org, &sm), WS_OK);
    assert_int_equal(sm.money_in, 800000);
    assert_int_equal(sm.money_given, 50000);
    assert_int_equal(sm.goods_given, 0);
}

/* The indicators as shown: hours to the minute, money to the fen. */
static void test_project_results(void **state)
{
    (void)state;
    project p = {.target_sessions = 4, .target_hours = 100, .amount = 800050};
    project_actuals pa = {.money_in = 800050, .money_out = 12005};
    pa.counts.sessions = 2;
    pa.counts.volunteer_minutes = 90;
    project_result r[PROJECT_RESULTS];
    project_results(&p, &pa, r);
    assert_string_equal(r[0].label_key, "field.project_t_sessions");
    assert_string_equal(r[0].target, "4");
    assert_string_equal(r[0].actual, "2");
    assert_string_equal(r[0].rate, "50%");
    assert_string_equal(r[1].rate, ""); /* no target */
    assert_string_equal(r[3].label_key, "org.result_hours");
    assert_string_equal(r[3].target, "100小时");
    assert_string_equal(r[3].actual, "1小时30分");
    assert_string_equal(r[3].rate, "1%");
    assert_false(r[3].money);
    assert_string_equal(r[4].target, "8000.50");
    assert_string_equal(r[4].actual, "8000.50");
    assert_string_equal(r[4].rate, "100%");
    assert_true(r[4].money);
    assert_string_equal(r[5].target, "8000.50");
    assert_string_equal(r[5].actual, "120.05");
    project_indicator pi = {.target = 50, .actual = 38};
    project_result c;
    project_indicator_result(&pi, &c);
    assert_null(c.label_key);
    assert_string_equal(c.target, "50");
    assert_string_equal(c.actual, "38");
    assert_string_equal(c.rate, "76%");
    char h[64];
    hours_text(-90, h, sizeof h);
    assert_string_equal(h, "-1小时30分");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stage_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_targets, setup_targets, teardown),
        cmocka_unit_test_setup_teardown(test_default_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_actuals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_money, setup, teardown),
        cmocka_unit_test_setup_teardown(test_project_results, setup, teardown),
    };
    return testutil_run(tests);
}
