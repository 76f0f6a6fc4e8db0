/* Casework and visits: the stage rules, who may see and move a case, case
 * numbers, the due-visits list, and the bad input the issue lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "db.h"
#include "station_internal.h"
#include "wushe/account.h"
#include "wushe/casework.h"
#include "wushe/config.h"
#include "wushe/encoding.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/household.h"
#include "wushe/privacy.h"
#include "wushe/resident.h"

#define PASSWORD "wushe-test-1"

typedef struct fixture {
    testutil_station *t;
    station *st;          /* a second connection, logged in as needed */
    station_config *cfg;
    int64_t zz, w1, w2, clerk, sup; /* accounts */
    int64_t old, son, kid;          /* residents */
} fixture;

static int64_t make_account(fixture *f, const char *login, const char *name, const char *role)
{
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "%s", login);
    snprintf(a.display_name, sizeof a.display_name, "%s", name);
    snprintf(a.role, sizeof a.role, "%s", role);
    record_error re;
    assert_int_equal(account_create(f->t->st, &a, PASSWORD, &re), WS_OK);
    return a.id;
}

static int64_t make_resident(fixture *f, const char *name, const char *idn, int64_t household,
                             const char *relation, const char *group)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%s", idn);
    r.household_id = household;
    snprintf(r.relation, sizeof r.relation, "%s", relation);
    if (group) {
        r.ngroups = 1;
        snprintf(r.groups[0].code, sizeof r.groups[0].code, "%s", group);
        snprintf(r.groups[0].start_date, sizeof r.groups[0].start_date, "2026-01-01");
    }
    field_error fe;
    ws_status s = resident_save(f->t->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident %s: %s (field %d, %d)", name, ws_status_name(s), fe.field, fe.code);
    return r.id;
}

static int setup(void **state)
{
    setenv("WUSHE_TODAY", "2026-11-23", 1);
    fixture *f = calloc(1, sizeof *f);
    f->t = testutil_station_open(true);
    if (!f->t)
        return -1;
    f->zz = make_account(f, "zz", "张站长", "director");
    f->w1 = make_account(f, "w1", "王社工", "worker");
    f->w2 = make_account(f, "w2", "李社工", "worker");
    f->clerk = make_account(f, "lr", "赵录入", "clerk");
    f->sup = make_account(f, "dd", "钱督导", "supervisor");
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H001");
    household_error he;
    assert_int_equal(household_save(f->t->st, &h, &he), WS_OK);
    f->old = make_resident(f, "刘老汉", "110101194803071239", h.id, "head", "tekun");
    f->son = make_resident(f, "刘大强", "110101197503071230", h.id, "son", NULL);
    f->kid = make_resident(f, "刘小丫", "110101201803071223", 0, "", "child_in_distress");
    char err[256];
    const char yaml[] = "visit_days:\n  child_in_distress: 10\n";
    if (config_parse("station.yaml", yaml, sizeof yaml - 1, &f->cfg, err, sizeof err) != WS_OK)
        return -1;
    if (station_open(f->t->path, 0, f->cfg, &f->st, err, sizeof err) != WS_OK)
        return -1;
    /* As the command line and the console do: the station's frequencies. */
    if (due_ensure(f->st) != WS_OK)
        return -1;
    *state = f;
    return 0;
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

/* A case of resident r by the logged-in worker, saved. */
static casefile *new_case(fixture *f, int64_t r)
{
    casefile *c = malloc(sizeof *c);
    case_init(f->st, c, r);
    /* what an intake must say */
    snprintf(c->source, sizeof c->source, "request");
    snprintf(c->categories, sizeof c->categories, "economic");
    snprintf(c->problem, sizeof c->problem, "生活困难，需要帮助");
    record_error re;
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    return c;
}

static ws_status move(fixture *f, casefile *c, case_move m, const char *why, record_error *re)
{
    ws_status s = case_move_do(f->st, c->id, 0, m, why, re);
    if (s == WS_OK)
        assert_int_equal(record_load(f->st, &kind_case, c->id, c), WS_OK);
    return s;
}

/* ---- the stages ---- */

static void test_stage_walk(void **state)
{
    fixture *f = *state;
    login(f, "w1");
    casefile *c = new_case(f, f->old);
    assert_string_equal(c->stage, "intake");
    assert_string_equal(c->status, "open");
    assert_memory_equal(c->number, "WS-2026-", 8);
    record_error re;
    /* An intake without its source, categories and problem is not saved
     * (its number would be used up by an empty case). */
    casefile *empty = malloc(sizeof *empty);
    case_init(f->st, empty, f->old);
    expect_field(record_save(f->st, &kind_case, empty, &re), &re, CSF_SOURCE, VAL_REQUIRED);
    snprintf(empty->source, sizeof empty->source, "request");
    expect_field(record_save(f->st, &kind_case, empty, &re), &re, CSF_CATEGORIES,
                 VAL_REQUIRED);
    snprintf(empty->categories, sizeof empty->categories, "care");
    expect_field(record_save(f->st, &kind_case, empty, &re), &re, CSF_PROBLEM, VAL_REQUIRED);
    free(empty);
    snprintf(c->source, sizeof c->source, "request");
    snprintf(c->opened_date, sizeof c->opened_date, "2026-11-01");
    snprintf(c->categories, sizeof c->categories, "care,emotional");
    snprintf(c->problem, sizeof c->problem, "独居，行动不便\n子女在外地");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    /* No consent: stays at 接案. */
    expect_field(move(f, c, CASE_ADVANCE, NULL, &re), &re, CSF_CONSENT_DATE, VAL_NO_CONSENT);
    snprintf(c->consent_date, sizeof c->consent_date, "2026-11-20");
    snprintf(c->consent_by, sizeof c->consent_by, "self");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    assert_string_equal(c->stage, "assessment");
    /* 预估 needs an assessed need. */
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_STAGE_MISSING);
    case_need n;
    record_init(&kind_case_need, &n);
    n.case_id = c->id;
    snprintf(n.area, sizeof n.area, "care");
    n.severity = 6;
    expect_field(record_save(f->st, &kind_case_need, &n, &re), &re, CNF_SEVERITY, VAL_RANGE);
    n.severity = 4;
    assert_int_equal(record_save(f->st, &kind_case_need, &n, &re), WS_OK);
    expect_field(move(f, c, CASE_ADVANCE, NULL, &re), &re, CSF_STRENGTHS, VAL_REQUIRED);
    snprintf(c->strengths, sizeof c->strengths, "邻居热心");
    snprintf(c->support, sizeof c->support, "儿子每周来电");
    snprintf(c->risks, sizeof c->risks, "跌倒");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    /* 计划: a goal with a target, a due date and who acts. */
    case_goal g;
    record_init(&kind_case_goal, &g);
    g.case_id = c->id;
    snprintf(g.goal, sizeof g.goal, "安装扶手");
    assert_int_equal(record_save(f->st, &kind_case_goal, &g, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_ERR_INVALID);
    snprintf(g.target, sizeof g.target, "卫生间扶手一处");
    snprintf(g.due_date, sizeof g.due_date, "2026-12-31");
    snprintf(g.who, sizeof g.who, "王社工");
    assert_int_equal(record_save(f->st, &kind_case_goal, &g, &re), WS_OK);
    /* A task under the goal, listed with it. */
    case_task task;
    record_init(&kind_case_task, &task);
    task.goal_id = g.id;
    snprintf(task.task, sizeof task.task, "联系装修师傅");
    snprintf(task.due_date, sizeof task.due_date, "2026-12-10");
    assert_int_equal(record_save(f->st, &kind_case_task, &task, &re), WS_OK);
    record_parent under = {.field = CTF_GOAL, .id = g.id};
    int64_t ntasks = 0;
    assert_int_equal(record_count_in(f->st, &kind_case_task, &under, NULL, &ntasks), WS_OK);
    assert_int_equal(ntasks, 1);
    casefile *other = new_case(f, f->son);
    free(other);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    assert_string_equal(c->stage, "intervention");
    /* The search box narrows the cases by stage as it is now. */
    int64_t found = -1;
    assert_int_equal(record_count(f->st, &kind_case, "介入", &found), WS_OK);
    assert_int_equal(found, 1);
    assert_int_equal(record_count(f->st, &kind_case, "预估", &found), WS_OK);
    assert_int_equal(found, 0);
    assert_int_equal(record_count(f->st, &kind_case, "王社工", &found), WS_OK);
    assert_int_equal(found, 2); /* this one and the other person's just opened */
    /* A person's surname by its surname reading: 仇 qiu, not chou. */
    char idn[19];
    snprintf(idn, sizeof idn, "11010119900101123%c", val_id_check_char("11010119900101123"));
    casefile *qiu = new_case(f, make_resident(f, "仇旭", idn, 0, "", NULL));
    free(qiu);
    assert_int_equal(record_count(f->st, &kind_case, "qx", &found), WS_OK);
    assert_int_equal(found, 1);
    assert_int_equal(record_count(f->st, &kind_case, "qiuxu", &found), WS_OK);
    assert_int_equal(found, 1);
    assert_int_equal(record_count(f->st, &kind_case, "xu", &found), WS_OK);
    assert_int_equal(found, 1);
    /* 介入: a service record, serving one of this case's goals. */
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_ERR_INVALID);
    case_service sv;
    record_init(&kind_case_service, &sv);
    sv.case_id = c->id;
    snprintf(sv.service_date, sizeof sv.service_date, "2026-11-22");
    sv.minutes = 90;
    snprintf(sv.mode, sizeof sv.mode, "home");
    snprintf(sv.content, sizeof sv.content, "上门评估\x1b[31m红字\x1b[0m 😀");
    sv.goal_id = g.id;
    sv.worker_id = f->w1;
    assert_int_equal(record_save(f->st, &kind_case_service, &sv, &re), WS_ERR_INVALID);
    snprintf(sv.content, sizeof sv.content, "上门评估，联系装修 😀");
    ws_status ss = record_save(f->st, &kind_case_service, &sv, &re);
    if (ss != WS_OK)
        fail_msg("service: %s field %d code %d %s", ws_status_name(ss), re.field, re.code, re.detail);
    /* What it gave from the resources: a payment and a distribution of
     * the person's household only. */
    int64_t hid = raw_int(f->t, "SELECT household_id FROM residents WHERE id = ?1", f->old);
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(f->t->path, &w), SQLITE_OK);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO funds(id, name, balance, created_at, updated_at) VALUES (1, '助困基金',"
             " 100000, 'x', 'x');"
             "INSERT INTO payments(id, payment_date, fund_id, household_id, amount, purpose,"
             " created_at, updated_at) VALUES (11, '2026-11-01', 1, %lld, 100, '助医', 'x', 'x'),"
             " (12, '2026-11-01', 1, NULL, 100, '活动', 'x', 'x');"
             "INSERT INTO distributions(id, name, created_at, updated_at) VALUES"
             " (21, '冬季慰问', 'x', 'x'), (22, '春节慰问', 'x', 'x');"
             "INSERT INTO distribution_lines(distribution_id, household_id, created_at,"
             " updated_at) VALUES (21, %lld, 'x', 'x');", (long long)hid, (long long)hid);
    char *err = NULL;
    if (sqlite3_exec(w, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("fixture: %s", err);
    sqlite3_close(w);
    sv.payment_id = 12;
    expect_field(record_save(f->st, &kind_case_service, &sv, &re), &re, SVF_PAYMENT,
                 VAL_NOT_THEIRS);
    sv.payment_id = 11;
    sv.distribution_id = 22;
    expect_field(record_save(f->st, &kind_case_service, &sv, &re), &re, SVF_DISTRIBUTION,
                 VAL_NOT_THEIRS);
    sv.distribution_id = 21;
    assert_int_equal(record_save(f->st, &kind_case_service, &sv, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    /* 评估: every goal's outcome, the person's view, the summary. */
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_ERR_INVALID);
    snprintf(g.outcome, sizeof g.outcome, "achieved");
    assert_int_equal(record_save(f->st, &kind_case_goal, &g, &re), WS_OK);
    expect_field(move(f, c, CASE_ADVANCE, NULL, &re), &re, CSF_PERSON_VIEW, VAL_REQUIRED);
    snprintf(c->person_view, sizeof c->person_view, "满意");
    snprintf(c->summary, sizeof c->summary, "目标达成");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    /* Back with a reason only. */
    assert_int_equal(move(f, c, CASE_BACK, "  ", &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_REASON_NEEDED);
    assert_int_equal(move(f, c, CASE_BACK, "还要再服务一次", &re), WS_OK);
    assert_string_equal(c->stage, "intervention");
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_ADVANCE, NULL, &re), WS_OK);
    assert_string_equal(c->stage, "closure");
    /* 结案 without a reason is refused; then 待审批. */
    expect_field(move(f, c, CASE_SUBMIT, NULL, &re), &re, CSF_CLOSE_REASON, VAL_REQUIRED);
    snprintf(c->close_reason, sizeof c->close_reason, "achieved");
    snprintf(c->close_summary, sizeof c->close_summary, "扶手已装好");
    snprintf(c->close_date, sizeof c->close_date, "2026-11-23");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_SUBMIT, NULL, &re), WS_OK);
    assert_string_equal(c->status, "pending");
    /* Only a 站长 approves. */
    assert_false(case_move_allowed(f->st, c->id, CASE_APPROVE));
    assert_int_equal(case_move_do(f->st, c->id, 0, CASE_APPROVE, NULL, &re), WS_ERR_DENIED);
    login(f, "zz");
    assert_true(case_move_allowed(f->st, c->id, CASE_APPROVE));
    assert_int_equal(move(f, c, CASE_RETURN, "小结写具体些", &re), WS_OK);
    assert_string_equal(c->status, "open");
    assert_int_equal(move(f, c, CASE_SUBMIT, NULL, &re), WS_OK);
    assert_int_equal(move(f, c, CASE_APPROVE, NULL, &re), WS_OK);
    assert_string_equal(c->status, "closed");
    assert_string_equal(c->followup_date, "2026-12-23"); /* 30 days after the closure */
    /* A closed case and its parts stay as they were; reopened, they move. */
    snprintf(c->summary, sizeof c->summary, "改");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_CASE_LOCKED);
    sv.minutes = 60;
    assert_int_equal(record_save(f->st, &kind_case_service, &sv, &re), WS_ERR_INVALID);
    assert_int_equal(move(f, c, CASE_REOPEN, "老人又摔倒", &re), WS_OK);
    assert_string_equal(c->stage, "intervention");
    /* Every move is a row: opened, 4 forward, back, 2 forward, submit,
     * return, submit, approve, reopen. */
    case_transition tr[32];
    size_t nt = 0;
    assert_int_equal(case_transitions(f->st, c->id, tr, 32, &nt), WS_OK);
    assert_int_equal(nt, 13);
    assert_string_equal(tr[5].reason, "还要再服务一次");
    assert_string_equal(tr[5].from_stage, "evaluation");
    assert_string_equal(tr[5].who, "王社工");
    assert_string_equal(tr[12].who, "张站长");
    /* A case is never deleted. */
    assert_int_equal(record_delete(f->st, &kind_case, c->id, &re), WS_ERR_INVALID);
    free(c);
}

/* ---- who sees what ---- */

static void test_scope_and_roles(void **state)
{
    fixture *f = *state;
    login(f, "w1");
    casefile *mine = new_case(f, f->kid);
    login(f, "w2");
    casefile *other = malloc(sizeof *other);
    /* Another worker's case cannot be opened, listed, saved or moved. */
    assert_int_equal(record_load(f->st, &kind_case, mine->id, other), WS_ERR_DENIED);
    record_error re;
    assert_int_equal(record_save(f->st, &kind_case, mine, &re), WS_ERR_DENIED);
    assert_int_equal(case_move_do(f->st, mine->id, 0, CASE_VOID, "错", &re), WS_ERR_DENIED);
    record_row rows[50];
    size_t n = 0;
    assert_int_equal(record_list(f->st, &kind_case, NULL, false, 0, 1, rows, 50, &n), WS_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].id != mine->id);
    int64_t count = -1;
    assert_int_equal(record_count(f->st, &kind_case, NULL, &count), WS_OK);
    assert_int_equal((int64_t)n, count);
    /* Named co-worker: now it is theirs too. */
    login(f, "w1");
    mine->co_worker_id = f->w2;
    assert_int_equal(record_save(f->st, &kind_case, mine, &re), WS_OK);
    login(f, "w2");
    assert_int_equal(record_load(f->st, &kind_case, mine->id, other), WS_OK);
    /* ... or one of the case's further co-workers. */
    login(f, "w1");
    casefile *third = new_case(f, f->son);
    login(f, "w2");
    assert_int_equal(record_load(f->st, &kind_case, third->id, other), WS_ERR_DENIED);
    login(f, "w1");
    case_coworker cw;
    record_init(&kind_case_coworker, &cw);
    cw.case_id = third->id;
    cw.worker_id = f->clerk;
    expect_field(record_save(f->st, &kind_case_coworker, &cw, &re), &re, CCF_WORKER,
                 VAL_NOT_WORKER);
    cw.worker_id = f->w1; /* already its worker */
    expect_field(record_save(f->st, &kind_case_coworker, &cw, &re), &re, CCF_WORKER,
                 VAL_SAME_WORKER);
    cw.worker_id = f->w2;
    assert_int_equal(record_save(f->st, &kind_case_coworker, &cw, &re), WS_OK);
    cw.id = 0;
    expect_field(record_save(f->st, &kind_case_coworker, &cw, &re), &re, CCF_WORKER,
                 VAL_SAME_WORKER);
    login(f, "w2");
    assert_int_equal(record_load(f->st, &kind_case, third->id, other), WS_OK);
    free(third);
    /* A 督导 reads every case and changes none; a 录入员 opens none. */
    login(f, "dd");
    assert_int_equal(record_load(f->st, &kind_case, mine->id, other), WS_OK);
    assert_int_equal(record_save(f->st, &kind_case, other, &re), WS_ERR_DENIED);
    login(f, "lr");
    assert_int_equal(record_load(f->st, &kind_case, mine->id, other), WS_ERR_DENIED);
    /* Every opening is in the access log, the refusals too. */
    assert_true(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'open' AND"
                              " table_name = 'cases' AND row_id = ?1", mine->id) >= 2);
    assert_true(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'denied'", 0) >= 4);
    /* Two workers on one case from two consoles: the second save is refused. */
    login(f, "w1");
    casefile *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_int_equal(record_load(f->st, &kind_case, mine->id, a), WS_OK);
    memcpy(b, a, sizeof *a);
    snprintf(a->next_action, sizeof a->next_action, "联系学校");
    assert_int_equal(record_save(f->st, &kind_case, a, &re), WS_OK);
    snprintf(b->next_action, sizeof b->next_action, "联系妇联");
    assert_int_equal(record_save(f->st, &kind_case, b, &re), WS_ERR_STALE);
    assert_non_null(strstr(re.detail, "王社工"));
    /* A move made from a stale screen is refused the same way. */
    assert_int_equal(case_move_do(f->st, b->id, b->revision, CASE_VOID, "重复", &re),
                     WS_ERR_STALE);
    free(a);
    free(b);
    free(mine);
    free(other);
}

static void test_numbers_never_reused(void **state)
{
    fixture *f = *state;
    login(f, "zz");
    casefile *a = new_case(f, f->son);
    record_error re;
    assert_int_equal(case_move_do(f->st, a->id, 0, CASE_VOID, "开错了", &re), WS_OK);
    casefile *b = new_case(f, f->son);
    assert_true(strcmp(a->number, b->number) < 0);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM cases WHERE number = (SELECT number FROM"
                                   " cases WHERE id = ?1)", a->id), 1);
    /* 下一步逾期, typed alone, lists the open cases whose next action is
     * past; the home counts are the same words'. */
    int64_t late = -1;
    assert_int_equal(record_count(f->st, &kind_case, "下一步逾期", &late), WS_OK);
    assert_int_equal(late, 0);
    snprintf(b->next_action, sizeof b->next_action, "联系学校");
    snprintf(b->next_date, sizeof b->next_date, "2026-11-01");
    assert_int_equal(record_save(f->st, &kind_case, b, &re), WS_OK);
    assert_int_equal(record_count(f->st, &kind_case, " 下一步逾期 ", &late), WS_OK);
    assert_int_equal(late, 1);
    record_row rows[4];
    size_t nrows = 0;
    assert_int_equal(record_list(f->st, &kind_case, "下一步逾期", false, 0, 1, rows, 4, &nrows),
                     WS_OK);
    assert_int_equal(nrows, 1);
    assert_int_equal(rows[0].id, b->id);
    casework_counts cc;
    assert_int_equal(casework_counts_get(f->st, &cc), WS_OK);
    assert_int_equal(cc.action_overdue, 1);
    /* The worker must be a worker or a 站长 in use. */
    b->worker_id = f->clerk;
    expect_field(record_save(f->st, &kind_case, b, &re), &re, CSF_WORKER, VAL_NOT_WORKER);
    b->worker_id = f->w1;
    b->co_worker_id = f->w1;
    expect_field(record_save(f->st, &kind_case, b, &re), &re, CSF_CO_WORKER, VAL_SAME_WORKER);
    free(a);
    free(b);
}

/* ---- visits and what is due ---- */

/* A person renamed: their case and their visits are found by the new
 * name, no longer by the old one (found in a clerk's trial: an import
 * renamed 陶福磊 to 查福磊 and the case list found only 陶福磊). */
static void test_rename_followed(void **state)
{
    fixture *f = *state;
    login(f, "w1");
    casefile *c = new_case(f, f->son);
    visit v;
    visit_init(f->st, &v, f->son);
    v.worker_id = f->w1;
    snprintf(v.visit_date, sizeof v.visit_date, "2026-11-20");
    record_error re;
    assert_int_equal(record_save(f->st, &kind_visit, &v, &re), WS_OK);
    login(f, "zz");
    resident r;
    assert_int_equal(resident_load(f->st, f->son, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "查大强");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    const record_kind *kinds[] = {&kind_case, &kind_visit};
    int64_t want[] = {c->id, v.id};
    for (int k = 0; k < 2; k++) {
        record_row rows[8];
        size_t n = 0;
        assert_int_equal(record_list(f->st, kinds[k], "查大强", false, 0, 1, rows, 8, &n), WS_OK);
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found |= rows[i].id == want[k];
        if (!found)
            fail_msg("%s not found by the new name", kinds[k]->name);
        assert_int_equal(record_list(f->st, kinds[k], "刘大强", false, 0, 1, rows, 8, &n), WS_OK);
        for (size_t i = 0; i < n; i++)
            assert_true(rows[i].id != want[k]);
        assert_int_equal(record_list(f->st, kinds[k], "cdq", false, 0, 1, rows, 8, &n), WS_OK);
        assert_true(n >= 1);
    }
    assert_int_equal(record_ensure(f->st), WS_OK); /* as every open for writing */
    station_index_report ir;
    assert_int_equal(station_check_index(f->st, &ir), WS_OK);
    assert_int_equal(ir.term_problems, 0);
    /* A rename that left them behind (an older version's): `wushe check`
     * says so. */
    assert_int_equal(sqlite3_exec(db_handle(station_db(f->st)), "UPDATE residents SET name ="
                                  " '查小强' WHERE name = '查大强'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(station_check_index(f->st, &ir), WS_OK);
    assert_int_equal(ir.term_problems, 2);
    free(c);
}

/* A visits export imports back unchanged, a namesake's visit too: the
 * person is named as the import finds them again (by ID number when a
 * namesake shares the name; masked, by what the mask leaves of it). */
static void test_visits_imported_back(void **state)
{
    fixture *f = *state;
    char body[18] = "11010119750408123";
    char idn[19];
    snprintf(idn, sizeof idn, "%s%c", body, val_id_check_char(body));
    int64_t twin = make_resident(f, "刘大强", idn, 0, "", NULL);
    login(f, "zz");
    int64_t who[] = {f->son, twin};
    for (int i = 0; i < 2; i++) {
        visit v;
        visit_init(f->st, &v, who[i]);
        v.worker_id = f->w1;
        snprintf(v.visit_date, sizeof v.visit_date, "2026-11-2%d", i);
        snprintf(v.findings, sizeof v.findings, "独居，买菜不便。\n已联系邻居。");
        record_error re;
        assert_int_equal(record_save(f->st, &kind_visit, &v, &re), WS_OK);
    }
    for (int unmasked = 0; unmasked < 2; unmasked++) {
        export_opts o = {.format = EXPORT_CSV, .unmasked = unmasked};
        char *out = NULL, err[512];
        size_t len = 0, rows = 0;
        assert_int_equal(export_kind_csv(f->st, &kind_visit, &o, &out, &len, &rows, err,
                                         sizeof err), WS_OK);
        assert_int_equal(rows, 2);
        assert_true(unmasked || strstr(out, "刘大强（110***********"));
        char *csv = testutil_path(f->t->dir, "走访.csv");
        assert_int_equal(enc_write_file(csv, out, len), WS_OK);
        free(out);
        kind_import_report rep;
        assert_int_equal(import_kind(f->st, &kind_visit, csv, NULL, &rep, err, sizeof err),
                         WS_OK);
        assert_int_equal(rep.invalid, 0);
        assert_int_equal(rep.added, 0);
        assert_int_equal(rep.updated, 0);
        assert_int_equal(rep.unchanged, 2);
        free(csv);
    }
}

static void test_visits_and_due(void **state)
{
    fixture *f = *state;
    login(f, "lr"); /* a 录入员 keys in paper visit forms */
    due_row rows[20];
    size_t n = 0;
    due_filter df = {0};
    ws_status ds = due_list(f->st, &df, 0, 0, 1, rows, 20, &n);
    if (ds != WS_OK)
        fail_msg("due: %s", station_errmsg(f->st));
    /* Never visited: due since they joined their group (2026-01-01). */
    bool old_due = false, kid_due = false;
    for (size_t i = 0; i < n; i++) {
        old_due |= rows[i].resident_id == f->old;
        kid_due |= rows[i].resident_id == f->kid;
        assert_true(rows[i].resident_id != f->son); /* in no scheduled group */
    }
    assert_true(old_due && kid_due);
    /* A household visit counts for the member met. */
    visit v;
    visit_init(f->st, &v, f->son);
    v.worker_id = f->w1;
    snprintf(v.met, sizeof v.met, "刘老汉、王某");
    record_error re;
    expect_field(record_save(f->st, &kind_visit, &v, &re), &re, VF_MET, VAL_NOT_MEMBER);
    assert_string_equal(re.detail, "王某");
    snprintf(v.met, sizeof v.met, "刘老汉");
    snprintf(v.visit_date, sizeof v.visit_date, "2026-11-30");
    expect_field(record_save(f->st, &kind_visit, &v, &re), &re, VF_DATE, VAL_DATE_FUTURE);
    snprintf(v.visit_date, sizeof v.visit_date, "1974-01-01");
    expect_field(record_save(f->st, &kind_visit, &v, &re), &re, VF_DATE, VAL_BEFORE_BIRTH);
    snprintf(v.visit_date, sizeof v.visit_date, "2026-11-20");
    snprintf(v.follow_up, sizeof v.follow_up, "revisit");
    expect_field(record_save(f->st, &kind_visit, &v, &re), &re, VF_NEXT_DATE, VAL_REQUIRED);
    snprintf(v.next_date, sizeof v.next_date, "2026-12-20");
    assert_int_equal(record_save(f->st, &kind_visit, &v, &re), WS_OK);
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].resident_id != f->old); /* visited 3 days ago, monthly */
    /* Due within the week, and by the station's own frequency (10 days). */
    visit k;
    visit_init(f->st, &k, f->kid);
    k.worker_id = f->w2;
    snprintf(k.visit_date, sizeof k.visit_date, "2026-11-10");
    assert_int_equal(record_save(f->st, &kind_visit, &k, &re), WS_OK);
    assert_int_equal(casework_visit_days(f->st, "child_in_distress"), 10);
    assert_int_equal(casework_visit_days(f->st, "tekun"), 30);
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (rows[i].resident_id == f->kid) {
            found = true;
            assert_int_equal(rows[i].days_overdue, 3);
            assert_string_equal(rows[i].last_visit, "2026-11-10");
            assert_string_equal(rows[i].last_worker, "李社工");
            assert_string_equal(rows[i].groups, "困境");
        }
    assert_true(found);
    /* Filters: a group's label, a worker's name, initials. */
    snprintf(df.text, sizeof df.text, "特困");
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    assert_int_equal(n, 0);
    df.week = true;
    snprintf(df.text, sizeof df.text, "李社工");
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    assert_int_equal(n, 1);
    snprintf(df.text, sizeof df.text, "lxy");
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    assert_int_equal(n, 1);
    /* The resident's form line. */
    char last[16];
    int64_t open = -1;
    assert_int_equal(casework_resident_summary(f->st, f->old, last, &open), WS_OK);
    assert_string_equal(last, "2026-11-20");
    /* A deleted visit no longer counts. */
    assert_int_equal(record_delete(f->st, &kind_visit, v.id, &re), WS_OK);
    assert_int_equal(casework_resident_summary(f->st, f->old, last, &open), WS_OK);
    assert_string_equal(last, "");
    /* A group given later puts the person on the list: never visited
     * (his household visit was deleted above), due since he joined it. */
    memset(&df, 0, sizeof df);
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].resident_id != f->son);
    resident *son = malloc(sizeof *son);
    assert_int_equal(resident_load(f->t->st, f->son, son), WS_OK);
    son->ngroups = 1;
    snprintf(son->groups[0].code, sizeof son->groups[0].code, "dibao");
    snprintf(son->groups[0].start_date, sizeof son->groups[0].start_date, "2026-10-01");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, son, &fe), WS_OK);
    free(son);
    assert_int_equal(due_list(f->st, &df, 0, 0, 1, rows, 20, &n), WS_OK);
    found = false;
    for (size_t i = 0; i < n; i++)
        if (rows[i].resident_id == f->son) {
            found = true;
            assert_int_equal(rows[i].days_overdue, 53);
        }
    assert_true(found);
    /* The residents list filters "not visited for N days". */
    int64_t cnt = -1;
    assert_int_equal(resident_count(f->st, "10天未访 困境", &cnt), WS_OK);
    assert_int_equal(cnt, 1); /* 刘小丫: 13 days ago */
    assert_int_equal(resident_count(f->st, "未走访20天 困境", &cnt), WS_OK);
    assert_int_equal(cnt, 0);
    assert_int_equal(resident_count(f->st, "30天未访", &cnt), WS_OK);
    assert_int_equal(cnt, 2); /* 刘老汉 (his visit deleted), 刘大强: never */
    /* A 录入员 opens no case. */
    casefile *c = malloc(sizeof *c);
    case_init(f->st, c, f->old);
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_ERR_DENIED);
    free(c);
}

static void test_referrals(void **state)
{
    fixture *f = *state;
    login(f, "w1");
    casefile *c = new_case(f, f->kid);
    referral r;
    referral_init(f->st, &r, 0, c->id);
    assert_int_equal(r.resident_id, f->kid);
    snprintf(r.agency, sizeof r.agency, "other");
    snprintf(r.reason, sizeof r.reason, "需要法律援助");
    record_error re;
    expect_field(record_save(f->st, &kind_referral, &r, &re), &re, RFF_AGENCY_NAME, VAL_REQUIRED);
    snprintf(r.agency, sizeof r.agency, "justice");
    snprintf(r.consent, sizeof r.consent, "override");
    expect_field(record_save(f->st, &kind_referral, &r, &re), &re, RFF_OVERRIDE, VAL_REQUIRED);
    snprintf(r.override_reason, sizeof r.override_reason, "儿童处于危险中");
    r.resident_id = f->old; /* not the case's person */
    expect_field(record_save(f->st, &kind_referral, &r, &re), &re, RFF_CASE, VAL_OTHER_CASE);
    r.resident_id = f->kid;
    snprintf(r.referral_date, sizeof r.referral_date, "2026-11-01");
    snprintf(r.feedback_due, sizeof r.feedback_due, "2026-11-15");
    assert_int_equal(record_save(f->st, &kind_referral, &r, &re), WS_OK);
    casework_counts cc;
    assert_int_equal(casework_counts_get(f->st, &cc), WS_OK);
    assert_true(cc.feedback_overdue >= 1);
    snprintf(r.feedback, sizeof r.feedback, "已受理");
    expect_field(record_save(f->st, &kind_referral, &r, &re), &re, RFF_FEEDBACK_DATE,
                 VAL_REQUIRED);
    snprintf(r.feedback_date, sizeof r.feedback_date, "2026-11-20");
    assert_int_equal(record_save(f->st, &kind_referral, &r, &re), WS_OK);
    casework_counts after;
    assert_int_equal(casework_counts_get(f->st, &after), WS_OK);
    assert_int_equal(after.feedback_overdue, cc.feedback_overdue - 1);
    free(c);
}

/* Erasing a person (PIPL Art. 47) empties what casework wrote about them,
 * in the rows and in their history, and the search no longer finds them;
 * the rows stay for the counts. */
static void test_erase_casework(void **state)
{
    fixture *f = *state;
    login(f, "w1");
    visit v;
    visit_init(f->st, &v, f->old);
    snprintf(v.findings, sizeof v.findings, "老人说儿子欠债不还");
    record_error re;
    assert_int_equal(record_save(f->st, &kind_visit, &v, &re), WS_OK);
    casefile *c = new_case(f, f->old);
    snprintf(c->problem, sizeof c->problem, "家庭纠纷，儿子欠债");
    assert_int_equal(record_save(f->st, &kind_case, c, &re), WS_OK);
    int64_t found = 0;
    assert_int_equal(record_count(f->st, &kind_visit, "刘老汉", &found), WS_OK);
    assert_int_equal(found, 1);
    login(f, "zz");
    assert_int_equal(resident_erase(f->st, f->old, "本人申请"), WS_OK);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM visits WHERE resident_id = ?1", f->old), 1);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM visits WHERE findings LIKE '%欠债%'", 0), 0);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM cases WHERE problem LIKE '%欠债%'", 0), 0);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM audit_log WHERE coalesce(after, '') LIKE"
                                   " '%欠债%' OR coalesce(before, '') LIKE '%欠债%'", 0), 0);
    assert_int_equal(record_count(f->st, &kind_visit, "刘老汉", &found), WS_OK);
    assert_int_equal(found, 0);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM visit_schedule WHERE resident_id = ?1",
                             f->old), 0);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stage_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_and_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_never_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visits_and_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referrals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_casework, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visits_imported_back, setup, teardown),
    };
    return testutil_run(tests);
}
