/* Accounts, passwords, the lockout, sessions and the permission table,
 * walked through the model's own read and write paths. */
#include "testutil.h"
#include "wushe/resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/casework.h"
#include "wushe/community.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/orgs.h"
#include "wushe/volunteer.h"

typedef struct fixture {
    testutil_station *t;
    station *st; /* a second connection that is not trusted: it must log in */
} fixture;

static int64_t fake_now = 1800000000;
static int64_t fake_clock(void)
{
    return fake_now;
}

static const char *const roles[ROLE_COUNT] = {"director", "worker", "clerk", "supervisor"};
static const char *const logins[ROLE_COUNT] = {"zz", "sg", "lr", "dd"};
#define PASSWORD "correct horse 马"

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->t = testutil_station_open(true);
    if (!f->t)
        return -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        account a;
        account_init(&a);
        snprintf(a.login, sizeof a.login, "%s", logins[r]);
        snprintf(a.display_name, sizeof a.display_name, "王%s", r == 0 ? "一" : r == 1 ? "二" : r == 2 ? "三" : "四");
        snprintf(a.role, sizeof a.role, "%s", roles[r]);
        record_error re;
        if (account_create(f->t->st, &a, PASSWORD, &re) != WS_OK)
            return -1;
    }
    char err[256];
    if (station_open(f->t->path, 0, NULL, &f->st, err, sizeof err) != WS_OK)
        return -1;
    station_set_clock(f->st, fake_clock);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    station_close(&f->st);
    testutil_station_close(&f->t);
    free(f);
    return 0;
}

static void login_ok(fixture *f, const char *login)
{
    account_login_result res;
    assert_int_equal(account_login(f->st, login, PASSWORD, &res), WS_OK);
}

/* ---- passwords ---- */

static void test_hash_only(void **state)
{
    fixture *f = *state;
    char hash[256];
    raw_text(f->t, "SELECT password_hash FROM accounts WHERE login = 'zz'", 0, hash, sizeof hash);
    assert_memory_equal(hash, "$argon2id$", 10);
    /* Nowhere else: not in the audit rows, not in the access log. */
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM audit_log WHERE coalesce(after, '')"
                                   " LIKE '%argon2%' OR coalesce(before, '') LIKE '%argon2%'"
                                   " OR coalesce(after, '') LIKE '%马%'", 0), 0);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM audit_log WHERE table_name = 'accounts'"
                                   " AND action = 'insert' AND json_extract(after, '$.login')"
                                   " IS NOT NULL AND json_extract(after, '$.password_hash')"
                                   " IS NULL", 0), ROLE_COUNT);
}

static void test_password_rules(void **state)
{
    (void)state;
    assert_int_equal(account_password_check("zz", "short"), VAL_PASSWORD_SHORT);
    assert_int_equal(account_password_check("zz", "八个汉字的密码啊"), VAL_OK);
    assert_int_equal(account_password_check("zhanzhang", "ZhanZhang"), VAL_PASSWORD_LOGIN);
    assert_int_equal(account_password_check("zz", "abc\x1b[31mdefgh"), VAL_PASSWORD_CHARS);
    assert_int_equal(account_password_check("zz", "abcdefgh\n"), VAL_PASSWORD_CHARS);
    char *big = malloc(1001);
    memset(big, 'a', 1000);
    big[1000] = '\0';
    assert_int_equal(account_password_check("zz", big), VAL_PASSWORD_LONG);
    free(big);
    assert_int_equal(account_login_check("王芳"), VAL_LOGIN_CHARS);
    assert_int_equal(account_login_check("wang fang"), VAL_LOGIN_CHARS);
    assert_int_equal(account_login_check("\x1b[2J"), VAL_LOGIN_CHARS);
    assert_int_equal(account_login_check("w"), VAL_LOGIN_CHARS);
    assert_int_equal(account_login_check("wang.fang-2"), VAL_OK);
    char folded[64];
    account_login_fold("  WangFang ", folded, sizeof folded);
    assert_string_equal(folded, "wangfang");
}

/* ---- logging in ---- */

static void test_login_and_actor(void **state)
{
    fixture *f = *state;
    account_login_result res;
    assert_null(station_account(f->st));
    assert_int_equal(account_login(f->st, "nobody", PASSWORD, &res), WS_ERR_AUTH);
    assert_int_equal(account_login(f->st, "sg", "", &res), WS_ERR_AUTH);
    assert_null(station_account(f->st));
    /* Typed in capitals, with spaces around: the same login. */
    assert_int_equal(account_login(f->st, " SG ", PASSWORD, &res), WS_OK);
    assert_string_equal(station_account(f->st)->login, "sg");
    assert_string_equal(station_actor(f->st), "sg");
    community c = {0};
    snprintf(c.name, sizeof c.name, "桃源村");
    record_error re;
    assert_int_equal(community_save(f->st, &c, &re), WS_OK);
    assert_raw_text(f->t, "SELECT actor FROM audit_log WHERE table_name = 'communities'"
                          " ORDER BY id DESC LIMIT 1", 0, "sg");
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'login_failed'"
                                   " AND login IN ('nobody', 'sg')", 0), 2);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'login'"
                                   " AND login = 'sg'", 0), 1);
    /* A failed login on an account is that account's; a typed name that
     * is no account is marked as typed in the log's list. */
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'login_failed'"
                                   " AND login = 'sg' AND account_id = (SELECT id FROM accounts"
                                   " WHERE login = 'sg')", 0), 1);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'login_failed'"
                                   " AND login = 'nobody' AND account_id IS NULL", 0), 1);
    login_ok(f, "zz");
    access_filter af;
    access_filter_init(&af);
    af.event = EV_LOGIN_FAILED;
    access_row rows[4];
    size_t n = 0;
    assert_int_equal(access_list(f->st, &af, 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_non_null(strstr(rows[0].who, "(sg)"));
    assert_non_null(strstr(rows[1].who, "“nobody”"));
    login_ok(f, "sg");
    account_logout(f->st);
    assert_null(station_account(f->st));
    assert_int_equal(community_save(f->st, &c, &re), WS_ERR_DENIED);
}

static void test_lockout_doubles(void **state)
{
    fixture *f = *state;
    account_login_result res;
    for (int i = 1; i < ACCOUNT_LOCK_AFTER; i++)
        assert_int_equal(account_login(f->st, "lr", "wrong password", &res), WS_ERR_AUTH);
    assert_int_equal(account_login(f->st, "lr", "wrong password", &res), WS_ERR_LOCKED);
    assert_int_equal(res.wait_seconds, 60);
    /* Locked: even the right password waits, and does not count. */
    fake_now += 59;
    assert_int_equal(account_login(f->st, "lr", PASSWORD, &res), WS_ERR_LOCKED);
    assert_int_equal(res.wait_seconds, 1);
    fake_now += 1;
    assert_int_equal(account_login(f->st, "lr", "wrong again!", &res), WS_ERR_LOCKED);
    assert_int_equal(res.wait_seconds, 120);
    fake_now += 120;
    assert_int_equal(account_login(f->st, "lr", "wrong again!", &res), WS_ERR_LOCKED);
    assert_int_equal(res.wait_seconds, 240);
    fake_now += 240;
    assert_int_equal(account_login(f->st, "lr", PASSWORD, &res), WS_OK);
    /* A good login starts the count again. */
    assert_int_equal(account_login(f->st, "lr", "wrong password", &res), WS_ERR_AUTH);
    assert_int_equal(res.failures, 1);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE login = 'lr'"
                                   " AND event = 'login_failed'", 0), 9);
}

static void test_disabled_and_last_director(void **state)
{
    fixture *f = *state;
    login_ok(f, "zz");
    account me = *station_account(f->st);
    record_error re;
    /* The only 站长 cannot be disabled or demoted. */
    assert_int_equal(account_set_active(f->st, me.id, false, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_LAST_DIRECTOR);
    snprintf(me.role, sizeof me.role, "worker");
    assert_int_equal(account_save(f->st, &me, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_LAST_DIRECTOR);
    account sg;
    assert_int_equal(account_find(f->st, "sg", &sg), WS_OK);
    assert_int_equal(account_set_active(f->st, sg.id, false, &re), WS_OK);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'account'"
                                   " AND row_id = ?1 AND json_extract(detail, '$.account')"
                                   " = 'disable'", sg.id), 1);
    account_login_result res;
    assert_int_equal(account_login(f->st, "sg", "wrong password", &res), WS_ERR_AUTH);
    assert_int_equal(account_login(f->st, "sg", PASSWORD, &res), WS_ERR_DISABLED);
    assert_null(station_account(f->st));
    /* Never deleted. */
    login_ok(f, "zz");
    assert_int_equal(record_delete(f->st, &kind_account, sg.id, &re), WS_ERR_INVALID);
    assert_int_equal(account_set_active(f->st, sg.id, true, &re), WS_OK);
    login_ok(f, "sg");
}

static void test_reset_and_change(void **state)
{
    fixture *f = *state;
    login_ok(f, "zz");
    account lr;
    assert_int_equal(account_find(f->st, "lr", &lr), WS_OK);
    record_error re;
    assert_int_equal(account_reset_password(f->st, lr.id, "lr", &re), WS_ERR_INVALID);
    assert_int_equal(account_reset_password(f->st, lr.id, "temporary-1", &re), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(f->st, "lr", PASSWORD, &res), WS_ERR_AUTH);
    assert_int_equal(account_login(f->st, "lr", "temporary-1", &res), WS_OK);
    assert_true(res.must_change);
    /* Not someone else's: a 录入员 cannot reset. */
    assert_int_equal(account_reset_password(f->st, lr.id, "another-one", &re), WS_ERR_DENIED);
    assert_int_equal(account_change_password(f->st, "not it at all", "mine-own-9", &re),
                     WS_ERR_AUTH);
    assert_int_equal(account_change_password(f->st, "temporary-1", "temporary-1", &re),
                     WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_PASSWORD_SAME);
    assert_int_equal(account_change_password(f->st, "temporary-1", "mine-own-9", &re), WS_OK);
    assert_false(station_account(f->st)->must_change);
    assert_int_equal(account_login(f->st, "lr", "mine-own-9", &res), WS_OK);
    assert_false(res.must_change);
    /* A 站长 editing the account later does not undo the change. */
    login_ok(f, "zz");
    account again;
    assert_int_equal(account_load(f->st, lr.id, &again), WS_OK);
    assert_int_equal(account_reset_password(f->st, lr.id, "temporary-2", &re), WS_OK);
    snprintf(again.phone, sizeof again.phone, "13912345678");
    assert_int_equal(account_save(f->st, &again, &re), WS_OK);
    assert_int_equal(raw_int(f->t, "SELECT must_change FROM accounts WHERE id = ?1", lr.id), 1);
}

static void test_first_director_needs_no_login(void **state)
{
    (void)state;
    testutil_station *t = testutil_station_open(false);
    station *st = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "first");
    snprintf(a.display_name, sizeof a.display_name, "周敏");
    snprintf(a.role, sizeof a.role, "worker");
    record_error re;
    /* Only a 站长 may be the first. */
    assert_int_equal(account_create(st, &a, PASSWORD, &re), WS_ERR_DENIED);
    snprintf(a.role, sizeof a.role, "director");
    assert_int_equal(account_create(st, &a, "first", &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_PASSWORD_SHORT);
    assert_int_equal(account_create(st, &a, PASSWORD, &re), WS_OK);
    /* The second needs a 站长's login. */
    account b;
    account_init(&b);
    snprintf(b.login, sizeof b.login, "second");
    snprintf(b.display_name, sizeof b.display_name, "吴刚");
    snprintf(b.role, sizeof b.role, "director");
    assert_int_equal(account_create(st, &b, PASSWORD, &re), WS_ERR_DENIED);
    account_login_result res;
    assert_int_equal(account_login(st, "first", PASSWORD, &res), WS_OK);
    assert_int_equal(account_create(st, &b, PASSWORD, &re), WS_OK);
    station_close(&st);
    testutil_station_close(&t);
}

/* ---- sessions ---- */

static void test_sessions(void **state)
{
    fixture *f = *state;
    char token[ACCOUNT_TOKEN_LEN + 1];
    account_logout(f->st);
    assert_int_equal(account_session_start(f->st, token), WS_ERR_DENIED);
    login_ok(f, "dd");
    assert_int_equal(account_session_start(f->st, token), WS_OK);
    assert_int_equal((int)strlen(token), ACCOUNT_TOKEN_LEN);
    /* Only its hash is kept. */
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM sessions WHERE length(token_hash) = 64",
                             0), 1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", token);
    assert_int_equal(raw_int(f->t, sql, 0), 0);
    account_logout(f->st);
    fake_now += 10 * 60;
    assert_int_equal(account_session_resume(f->st, token, 15), WS_OK);
    assert_string_equal(station_account(f->st)->login, "dd");
    /* Used again: the idle time starts again; unused too long: gone. */
    fake_now += 14 * 60;
    assert_int_equal(account_session_resume(f->st, token, 15), WS_OK);
    fake_now += 16 * 60;
    assert_int_equal(account_session_resume(f->st, token, 15), WS_ERR_AUTH);
    token[0] ^= 1;
    assert_int_equal(account_session_resume(f->st, token, 15), WS_ERR_AUTH);
    assert_int_equal(account_session_resume(f->st, "short", 15), WS_ERR_AUTH);
}

/* ---- the permission table, walked through the model ---- */

/* What each guarded act does for the logged-in account: WS_OK or
 * WS_ERR_DENIED (anything else fails the test). */
static ws_status try_perm(fixture *f, access_perm p, int64_t resident_id)
{
    station *st = f->st;
    record_error re;
    switch (p) {
    case PERM_REGISTER_READ: {
        resident r;
        return resident_load(st, resident_id, &r);
    }
    case PERM_REGISTER_WRITE: {
        community c = {0};
        snprintf(c.name, sizeof c.name, "试村%lld", (long long)++fake_now);
        return community_save(st, &c, &re);
    }
    case PERM_IDS_FULL: {
        resident r;
        ws_status s = resident_load(st, resident_id, &r);
        if (s != WS_OK)
            return s;
        return strchr(r.id_number, '*') ? WS_ERR_DENIED : WS_OK;
    }
    case PERM_UNMASK:
        return access_unmask(st, "residents", resident_id, NULL);
    case PERM_EXPORT:
    case PERM_EXPORT_UNMASKED: {
        export_opts o = {.unmasked = p == PERM_EXPORT_UNMASKED};
        char *out = NULL, err[256];
        size_t len = 0, rows = 0;
        ws_status s = export_residents_csv(st, &o, &out, &len, &rows, err, sizeof err);
        free(out);
        return s;
    }
    case PERM_IMPORT: {
        import_report rep;
        char err[256];
        const char csv[] = "姓名,性别\n";
        import_opts o = {.dry_run = true};
        ws_status s = import_residents_buf(st, "t.csv", csv, sizeof csv - 1, NULL, &o, &rep, err,
                                           sizeof err);
        import_report_free(&rep);
        return s == WS_ERR_DENIED ? s : WS_OK;
    }
    case PERM_ACCOUNTS: {
        record_row rows[4];
        size_t n = 0;
        return record_list(st, &kind_account, NULL, false, 0, 1, rows, 4, &n);
    }
    case PERM_ACCESS_LOG: {
        access_filter af;
        access_filter_init(&af);
        int64_t n = 0;
        return access_count(st, &af, &n);
    }
    case PERM_STATION:
        return station_set_info(st, "桃源社工站", "");
    case PERM_VISIT_READ:
    case PERM_CASE_READ: {
        int64_t n = 0;
        return record_count(st, p == PERM_VISIT_READ ? &kind_visit : &kind_case, NULL, &n);
    }
    case PERM_VISIT_WRITE: {
        visit v;
        visit_init(st, &v, resident_id);
        return record_save(st, &kind_visit, &v, &re);
    }
    case PERM_CASE_WRITE: {
        casefile *c = malloc(sizeof *c);
        case_init(st, c, resident_id);
        /* what an intake must say */
        snprintf(c->source, sizeof c->source, "request");
        snprintf(c->categories, sizeof c->categories, "economic");
        snprintf(c->problem, sizeof c->problem, "生活困难，需要帮助");
        ws_status s = record_save(st, &kind_case, c, &re);
        free(c);
        return s;
    }
    case PERM_VOLUNTEER_READ: {
        record_row rows[4];
        size_t n = 0;
        return record_list(st, &kind_volunteer, NULL, false, 0, 1, rows, 4, &n);
    }
    case PERM_VOLUNTEER_WRITE: {
        volunteer v;
        volunteer_init(&v);
        snprintf(v.name, sizeof v.name, "试志愿者");
        return record_save(st, &kind_volunteer, &v, &re);
    }
    case PERM_HOURS_CONFIRM:
        /* No such entry: refused before it is looked for, or not found. */
    {
        ws_status s = hours_confirm(st, 1, &re);
        return s == WS_ERR_NOT_FOUND ? WS_OK : s;
    }
    case PERM_RESOURCES: {
        donor d;
        record_init(&kind_donor, &d);
        snprintf(d.name, sizeof d.name, "爱心企业");
        snprintf(d.donor_type, sizeof d.donor_type, "enterprise");
        record_error re;
        return record_save(st, &kind_donor, &d, &re);
    }
    case PERM_ORG_READ: {
        record_row rows[4];
        size_t n = 0;
        return record_list(st, &kind_organisation, NULL, false, 0, 1, rows, 4, &n);
    }
    case PERM_ORG_WRITE: {
        static int made;
        organisation o;
        record_new(st, &kind_organisation, &o);
        snprintf(o.name, sizeof o.name, "试组织%d", ++made);
        return record_save(st, &kind_organisation, &o, &re);
    }
    case PERM_ORG_INCUBATE: /* walked through org_move_do in test_orgs */
    case PERM_FUND_PAY: /* walked through payments in test_resources */
    case PERM_CASE_ALL:     /* walked through lists in test_casework */
    case PERM_CASE_APPROVE: /* walked through case_move_do in test_casework */
    case PERM_SUBJECT:
    case PERM_ERASE:
    case PERM_BACKUP:  /* walked through backup_make and backup_restore in test_backup */
    case PERM_RESTORE:
        /* Their acts are the station screen's and the privacy module's;
         * the table is asked directly. */
        return station_require(st, p);
    default:
        fail_msg("permission %d has no act in this test", (int)p);
        return WS_ERR_INVALID;
    }
}

static void test_permission_table_walk(void **state)
{
    fixture *f = *state;
    /* A resident to read, made by the trusted connection. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "赵大宝");
    snprintf(r.id_number, sizeof r.id_number, "110101199003071233");
    snprintf(r.phone, sizeof r.phone, "13800138000");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, &r, &fe), WS_OK);
    /* What the issue says, role by role. */
    static const bool want[ROLE_COUNT][PERM_COUNT] = {
        [ROLE_DIRECTOR] = {[PERM_REGISTER_READ] = 1, [PERM_REGISTER_WRITE] = 1,
                           [PERM_IDS_FULL] = 1, [PERM_UNMASK] = 1, [PERM_EXPORT] = 1,
                           [PERM_EXPORT_UNMASKED] = 1, [PERM_IMPORT] = 1, [PERM_STATION] = 1,
                           [PERM_ACCOUNTS] = 1, [PERM_ACCESS_LOG] = 1, [PERM_SUBJECT] = 1,
                           [PERM_ERASE] = 1, [PERM_BACKUP] = 1, [PERM_RESTORE] = 1,
                           [PERM_VISIT_READ] = 1, [PERM_VISIT_WRITE] = 1, [PERM_CASE_READ] = 1,
                           [PERM_CASE_WRITE] = 1, [PERM_CASE_ALL] = 1, [PERM_CASE_APPROVE] = 1,
                           [PERM_RESOURCES] = 1, [PERM_FUND_PAY] = 1,
                           [PERM_VOLUNTEER_READ] = 1, [PERM_VOLUNTEER_WRITE] = 1,
                           [PERM_HOURS_CONFIRM] = 1, [PERM_ORG_READ] = 1, [PERM_ORG_WRITE] = 1,
                           [PERM_ORG_INCUBATE] = 1},
        [ROLE_WORKER] = {[PERM_REGISTER_READ] = 1, [PERM_REGISTER_WRITE] = 1,
                         [PERM_IDS_FULL] = 1, [PERM_UNMASK] = 1, [PERM_EXPORT] = 1,
                         [PERM_IMPORT] = 1, [PERM_BACKUP] = 1, [PERM_VISIT_READ] = 1,
                         [PERM_VISIT_WRITE] = 1, [PERM_CASE_READ] = 1, [PERM_CASE_WRITE] = 1,
                         [PERM_RESOURCES] = 1, [PERM_VOLUNTEER_READ] = 1,
                         [PERM_VOLUNTEER_WRITE] = 1, [PERM_HOURS_CONFIRM] = 1,
                         [PERM_ORG_READ] = 1, [PERM_ORG_WRITE] = 1, [PERM_ORG_INCUBATE] = 1},
        [ROLE_CLERK] = {[PERM_REGISTER_READ] = 1, [PERM_REGISTER_WRITE] = 1, [PERM_EXPORT] = 1,
                        [PERM_IMPORT] = 1, [PERM_VISIT_READ] = 1, [PERM_VISIT_WRITE] = 1,
                        [PERM_RESOURCES] = 1, [PERM_VOLUNTEER_READ] = 1,
                        [PERM_VOLUNTEER_WRITE] = 1, [PERM_ORG_READ] = 1, [PERM_ORG_WRITE] = 1},
        [ROLE_SUPERVISOR] = {[PERM_REGISTER_READ] = 1, [PERM_EXPORT] = 1, [PERM_VISIT_READ] = 1,
                             [PERM_CASE_READ] = 1, [PERM_CASE_ALL] = 1,
                             [PERM_VOLUNTEER_READ] = 1, [PERM_ORG_READ] = 1},
    };
    for (int role = 0; role < ROLE_COUNT; role++) {
        login_ok(f, logins[role]);
        for (int p = 0; p < PERM_COUNT; p++) {
            assert_int_equal(access_role_may((access_role)role, (access_perm)p), want[role][p]);
            ws_status s = try_perm(f, (access_perm)p, r.id);
            if (s != (want[role][p] ? WS_OK : WS_ERR_DENIED))
                fail_msg("%s may%s %s, the model said %s", roles[role], want[role][p] ? "" : " not",
                         access_perm_key((access_perm)p), ws_status_name(s));
        }
    }
    /* Nobody logged in: nothing. */
    account_logout(f->st);
    for (int p = 0; p < PERM_COUNT; p++)
        assert_int_equal(try_perm(f, (access_perm)p, r.id), WS_ERR_DENIED);
    assert_true(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'denied'", 0) > 0);
}

/* A 录入员 logs in and registers 钱多多 (ID number, phone). */
static void clerk_saves(fixture *f, resident *r)
{
    login_ok(f, "lr");
    resident_init(r);
    snprintf(r->name, sizeof r->name, "钱多多");
    snprintf(r->id_number, sizeof r->id_number, "110101198001011232");
    snprintf(r->phone, sizeof r->phone, "13912345678");
    field_error fe;
    assert_int_equal(resident_save(f->st, r, &fe), WS_OK);
}

/* A 录入员 sees identifiers masked once saved; saving the form back keeps
 * them; typing a new one replaces it. */
static void test_clerk_masked_roundtrip(void **state)
{
    fixture *f = *state;
    resident r;
    clerk_saves(f, &r);
    field_error fe;
    assert_non_null(strchr(r.id_number, '*'));
    resident back;
    assert_int_equal(resident_load(f->st, r.id, &back), WS_OK);
    assert_string_equal(back.id_number, "110***********1232");
    assert_non_null(strchr(back.phone, '*'));
    /* The birth date beside it would give the hidden digits back. */
    assert_string_equal(back.birth_date, "1980-**-**");
    snprintf(back.address, sizeof back.address, "桃源村一组1号");
    assert_int_equal(resident_save(f->st, &back, &fe), WS_OK);
    assert_raw_text(f->t, "SELECT id_number || ' ' || phone || ' ' || birth_date FROM residents"
                          " WHERE id = ?1", r.id, "110101198001011232 13912345678 1980-01-01");
    /* A masked number changed in part is refused as such. */
    resident part = back;
    part.id_number[strlen(part.id_number) - 1] = '\0';
    assert_int_equal(resident_save(f->st, &part, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ID_NUMBER);
    assert_int_equal(fe.code, VAL_MASKED_EDIT);
    /* Saved again unchanged: nothing written, no new revision. */
    int64_t audits = raw_int(f->t, "SELECT count(*) FROM audit_log WHERE row_id = ?1", r.id);
    int64_t rev = raw_int(f->t, "SELECT revision FROM residents WHERE id = ?1", r.id);
    assert_int_equal(resident_load(f->st, r.id, &back), WS_OK);
    assert_int_equal(resident_save(f->st, &back, &fe), WS_OK);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM audit_log WHERE row_id = ?1", r.id),
                     audits);
    assert_int_equal(raw_int(f->t, "SELECT revision FROM residents WHERE id = ?1", r.id), rev);
    assert_int_equal(back.revision, rev);
    assert_int_equal(resident_load(f->st, r.id, &back), WS_OK);
    snprintf(back.phone, sizeof back.phone, "13712345678");
    assert_int_equal(resident_save(f->st, &back, &fe), WS_OK);
    assert_raw_text(f->t, "SELECT phone FROM residents WHERE id = ?1", r.id, "13712345678");
    /* The 社工 sees them in full. */
    login_ok(f, "sg");
    assert_int_equal(resident_load(f->st, r.id, &back), WS_OK);
    assert_string_equal(back.id_number, "110101198001011232");
}

/* A 录入员 who moves someone taking a new address writes the address, not
 * the masks the clerk is shown (the move loaded the record masked and
 * saved it back: the ID number became 110***********1232). */
static void test_clerk_move_keeps_identifiers(void **state)
{
    fixture *f = *state;
    resident r;
    clerk_saves(f, &r);
    field_error fe;
    assert_int_equal(resident_move_with_address(f->st, r.id, 0, "", "桃源村一组1号", &fe), WS_OK);
    assert_raw_text(f->t, "SELECT id_number || ' ' || phone || ' ' || birth_date || ' ' ||"
                          " address FROM residents WHERE id = ?1", r.id,
                    "110101198001011232 13912345678 1980-01-01 桃源村一组1号");
}

/* A resident registered whole by the 站长 (the caller logged out after). */
static int64_t director_registers(fixture *f, const char *name, const char *idn, const char *phone)
{
    login_ok(f, "zz");
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%s", idn);
    snprintf(r.phone, sizeof r.phone, "%s", phone);
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    account_logout(f->st);
    return r.id;
}

/* The 录入员 imports a ledger given as text; rep is the caller's to free. */
static void clerk_imports(fixture *f, const char *csv, import_report *rep)
{
    login_ok(f, "lr");
    import_opts o = {0};
    char err[512] = "";
    assert_int_equal(import_residents_buf(f->st, "l.csv", csv, strlen(csv), NULL, &o, rep, err,
                                          sizeof err), WS_OK);
}

/* A 录入员 imports a ledger naming people already registered: one
 * unchanged, one with a new phone. The merge reads the register whole (its
 * masks are for the eyes), so neither is refused as a masked value changed
 * in part; the notes show the changes masked, as that role sees them. */
static void test_clerk_imports_registered(void **state)
{
    fixture *f = *state;
    const char *ids[] = {"110101198001011232", "11010119450822460X"};
    const char *names[] = {"钱多多", "刘丽芳"};
    int64_t id[2];
    for (int i = 0; i < 2; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "1391234567%d", i);
        id[i] = director_registers(f, names[i], ids[i], phone);
    }
    char csv[256];
    snprintf(csv, sizeof csv, "姓名,身份证号,联系电话\n%s,%s,\n%s,%s,13700001111\n", names[0],
             ids[0], names[1], ids[1]);
    import_report rep;
    clerk_imports(f, csv, &rep);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    for (size_t i = 0; i < rep.nnotes; i++) {
        assert_null(strstr(rep.notes[i].text, "13912345671"));
        assert_null(strstr(rep.notes[i].text, "1945-08-22"));
    }
    import_report_free(&rep);
    assert_raw_text(f->t, "SELECT id_number || ' ' || phone || ' ' || birth_date FROM residents"
                          " WHERE id = ?1", id[0], "110101198001011232 13912345670 1980-01-01");
    assert_raw_text(f->t, "SELECT id_number || ' ' || phone || ' ' || birth_date FROM residents"
                          " WHERE id = ?1", id[1], "11010119450822460X 13700001111 1945-08-22");
}

/* A 录入员 reviews a possible duplicate (a name of the same reading, born
 * the same day, without an ID number in the ledger): merging it into the
 * registered person, whose identifiers that role sees masked, keeps them
 * whole. */
static void test_clerk_merges_duplicate(void **state)
{
    fixture *f = *state;
    int64_t id = director_registers(f, "钱多多", "110101198001011232", "13912345670");
    import_report rep;
    clerk_imports(f, "姓名,出生日期,住址\n前多多,1980-01-01,青石村二组\n", &rep); /* same pinyin */
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    import_report_free(&rep);
    import_pending_item items[2];
    size_t n = 0;
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_int_equal(import_merge_load(f->st, items[0].id, plan), WS_OK);
    for (size_t i = 0; i < plan->nrows; i++)
        if (plan->rows[i].field == MERGE_ID_NUMBER)
            assert_string_equal(plan->rows[i].registered, "110***********1232");
    import_merge_error me;
    ws_status s = import_merge_apply(f->st, plan, &me);
    if (s != WS_OK)
        fail_msg("merge refused: %s why %d field %d code %d", ws_status_name(s), me.why,
                 me.fe.field, me.fe.code);
    free(plan);
    assert_raw_text(f->t, "SELECT id_number || ' ' || phone || ' ' || birth_date || ' ' || address"
                          " FROM residents WHERE id = ?1", id,
                    "110101198001011232 13912345670 1980-01-01 青石村二组");
}

/* The review's list showed a 录入员 the registered one's birth date in
 * full (柏强 1963-03-01 … 白强 1963-02-28): masked there as in the
 * comparison; a 社工 reads it whole. */
static void test_clerk_review_list_masked(void **state)
{
    fixture *f = *state;
    director_registers(f, "钱多多", "110101198001011232", "13912345670");
    import_report rep;
    clerk_imports(f, "姓名,出生日期,住址\n前多多,1980-01-01,青石村二组\n", &rep);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    import_report_free(&rep);
    import_pending_item items[2];
    size_t n = 0;
    assert_int_equal(import_review_list(f->st, NULL, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].candidate.birth_date, "1980-**-**");
    assert_string_equal(items[0].candidate.id_number, "110***********1232");
    assert_string_equal(items[0].candidate.phone, "139****5670");
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 2, &n), WS_OK);
    assert_string_equal(items[0].candidate.birth_date, "1980-**-**");
    account_logout(f->st);
    login_ok(f, "zz");
    assert_int_equal(import_review_list(f->st, NULL, 0, 1, items, 2, &n), WS_OK);
    assert_string_equal(items[0].candidate.birth_date, "1980-01-01");
}

/* A row under a registered ID number with a name that is not the
 * registered one's (a slipped column) waits for review; in its merge
 * nothing of the row is pre-taken, not even a phone for an empty field:
 * F2 alone must not give one person another's phone. */
static void test_wrong_match_merge_takes_nothing(void **state)
{
    fixture *f = *state;
    int64_t id = director_registers(f, "白强", "110101198001011232", "");
    import_report rep;
    clerk_imports(f, "姓名,身份证号,联系电话,住址\n黄大强,110101198001011232,13700001111,青石村\n",
                  &rep);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    import_report_free(&rep);
    import_pending_item items[2];
    size_t n = 0;
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_int_equal(import_merge_load(f->st, items[0].id, plan), WS_OK);
    size_t differing = 0;
    for (size_t i = 0; i < plan->nrows; i++) {
        differing += plan->rows[i].differs;
        if (plan->rows[i].take)
            fail_msg("row %zu (%s) is taken by default", i, plan->rows[i].label);
    }
    assert_true(differing >= 2); /* the name and the phone at least */
    import_merge_error me;
    assert_int_equal(import_merge_apply(f->st, plan, &me), WS_OK);
    free(plan);
    assert_raw_text(f->t, "SELECT name || '|' || phone || '|' || address FROM residents"
                          " WHERE id = ?1", id, "白强||");
}

/* A volunteer's ID number and phone, and a donor's phone, reach a 录入员's
 * and a 督导's form masked, as a resident's do; saved back unchanged they
 * keep their full values; a 社工 reads them whole. */
static void test_clerk_kinds_masked(void **state)
{
    fixture *f = *state;
    login_ok(f, "zz");
    volunteer v;
    volunteer_init(&v);
    snprintf(v.name, sizeof v.name, "王小明");
    snprintf(v.id_number, sizeof v.id_number, "110101198001011232");
    snprintf(v.phone, sizeof v.phone, "13912345678");
    snprintf(v.registered_date, sizeof v.registered_date, "2026-01-01");
    record_error re;
    assert_int_equal(record_save(f->st, &kind_volunteer, &v, &re), WS_OK);
    const char *who[] = {"lr", "dd"};
    for (int i = 0; i < 2; i++) {
        account_logout(f->st);
        login_ok(f, who[i]);
        volunteer seen;
        assert_int_equal(record_load(f->st, &kind_volunteer, v.id, &seen), WS_OK);
        assert_string_equal(seen.id_number, "110***********1232");
        assert_string_equal(seen.phone, "139****5678");
    }
    account_logout(f->st);
    login_ok(f, "lr");
    volunteer back;
    assert_int_equal(record_load(f->st, &kind_volunteer, v.id, &back), WS_OK);
    snprintf(back.name, sizeof back.name, "王晓明");
    assert_int_equal(record_save(f->st, &kind_volunteer, &back, &re), WS_OK);
    assert_raw_text(f->t, "SELECT name || ' ' || id_number || ' ' || phone FROM volunteers"
                          " WHERE id = ?1", v.id, "王晓明 110101198001011232 13912345678");
    account_logout(f->st);
    login_ok(f, "sg");
    assert_int_equal(record_load(f->st, &kind_volunteer, v.id, &back), WS_OK);
    assert_string_equal(back.id_number, "110101198001011232");
    assert_string_equal(back.phone, "13912345678");
    /* The same ID number again: refused naming whose it is. */
    volunteer twin;
    volunteer_init(&twin);
    snprintf(twin.name, sizeof twin.name, "李四");
    snprintf(twin.id_number, sizeof twin.id_number, "110101198001011232");
    snprintf(twin.registered_date, sizeof twin.registered_date, "2026-01-01");
    assert_int_equal(record_save(f->st, &kind_volunteer, &twin, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_DUPLICATE_OF);
    assert_string_equal(re.detail, "王晓明");
    char msg[512];
    assert_non_null(strstr(record_error_text(&kind_volunteer, &re, msg, sizeof msg),
                           "与已登记的“王晓明”重复"));
    /* Named by name in questions and titles, not by the number that is
     * its title. */
    char name[64];
    assert_int_equal(record_name(f->st, &kind_volunteer, v.id, name, sizeof name), WS_OK);
    assert_string_equal(name, "王晓明");
}

/* A station first opened by a newer version rebuilds its search terms
 * before anyone logs in (the command line's open): that is the station's
 * own work, not refused. */
static void test_rebuild_before_login(void **state)
{
    fixture *f = *state;
    sqlite3 *rw = NULL;
    assert_int_equal(sqlite3_open_v2(f->t->path, &rw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(rw, "UPDATE settings SET value = 'older'"
                                      " WHERE key = 'record_terms_version'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(rw);
    account_logout(f->st);
    assert_int_equal(record_ensure(f->st), WS_OK);
    assert_raw_text(f->t, "SELECT value <> 'older' FROM settings"
                          " WHERE key = 'record_terms_version'", 0, "1");
    /* And nothing more than that: still nobody may read. */
    record_row rows[2];
    size_t n = 0;
    assert_int_equal(record_list(f->st, &kind_account, NULL, false, 0, 1, rows, 2, &n),
                     WS_ERR_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hash_only, setup, teardown),
        cmocka_unit_test(test_password_rules),
        cmocka_unit_test_setup_teardown(test_login_and_actor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_doubles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_and_last_director, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_and_change, setup, teardown),
        cmocka_unit_test(test_first_director_needs_no_login),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permission_table_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_masked_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_move_keeps_identifiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_kinds_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_imports_registered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_merges_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_review_list_masked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_match_merge_takes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_before_login, setup, teardown),
    };
    return testutil_run(tests);
}
