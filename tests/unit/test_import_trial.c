/* What a clerk's trial left over in the imports: an error file a clerk may
 * have corrected is never written over, one left from an earlier run is
 * said to be out of date; a communities ledger finds 青石村 by its
 * committee's name; a phone cell with two numbers keeps both. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

#define PASSWORD "wushe-demo"

typedef struct fixture {
    testutil_station *t;
    station *st;
    char notes[8192]; /* the rows told, one a line: "line cls name: text" */
} fixture;

static char *write_file(fixture *f, const char *name, const char *text)
{
    char *path = testutil_path(f->t->dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* The whole of a small file (NUL-terminated; caller frees); NULL when
 * there is none. */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void note(void *ctx, import_class cls, size_t line, const char *name, const char *text)
{
    fixture *f = ctx;
    size_t used = strlen(f->notes);
    snprintf(f->notes + used, sizeof f->notes - used, "%zu %d %s: %s\n", line, (int)cls, name,
             text);
}

static kind_import_report kind_run(fixture *f, const record_kind *k, const char *name,
                                   const char *text)
{
    char *path = write_file(f, name, text), err[1024];
    import_opts o = {.row_note = note, .ctx = f};
    kind_import_report rep;
    f->notes[0] = '\0';
    ws_status s = import_kind(f->st, k, path, &o, &rep, err, sizeof err);
    if (s != WS_OK)
        fail_msg("%s: %s", name, err);
    free(path);
    return rep;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char msg[256];
    if (!f || i18n_init("zh_CN", msg, sizeof msg) != WS_OK || !(f->t = testutil_station_open(true)))
        return -1;
    f->st = f->t->st;
    account_login_result res;
    if (account_create_demo(f->st) != WS_OK ||
        account_login(f->st, "zhanzhang", PASSWORD, &res) != WS_OK)
        return -1;
    *state = f;
    kind_import_report rep = kind_run(f, &kind_community, "村.csv", "名称,类型\n青石村,村\n");
    assert_int_equal(rep.added, 1);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f->t);
    free(f);
    return 0;
}

static int64_t count(fixture *f, const char *sql)
{
    return testutil_raw_int(f->t->raw, sql, 0);
}

/* trial: the next run of a ledger with errors wrote its error file over
 * the one the clerk had been correcting, and a run without errors left
 * the old one looking current. A different earlier file is renamed
 * 户_错误行_旧.csv and said; the same one is simply written again; after a
 * run without errors the earlier one is renamed and said out of date. */
static void test_kind_error_file_kept(void **state)
{
    fixture *f = *state;
    const char *bad = "户号,社区/村,住址\nH00007,青石村,一组7号\nH00008,柳河社区,一组8号\n";
    kind_import_report rep = kind_run(f, &kind_household, "户.csv", bad);
    assert_int_equal(rep.invalid, 1);
    char *want = testutil_path(f->t->dir, "户_错误行.csv");
    char *kept = testutil_path(f->t->dir, "户_错误行_旧.csv");
    char *kept2 = testutil_path(f->t->dir, "户_错误行_旧-2.csv");
    assert_string_equal(rep.error_path, want);
    assert_string_equal(rep.error_old, "");
    char *first = slurp(want);
    /* The same run again: the same rows, nothing to keep aside. */
    rep = kind_run(f, &kind_household, "户.csv", bad);
    assert_string_equal(rep.error_path, want);
    assert_string_equal(rep.error_old, "");
    assert_false(exists(kept));
    /* The clerk corrects a row in the error file, then runs the ledger
     * again: the corrected file is kept under another name, and said. */
    FILE *fp = fopen(want, "ab");
    assert_non_null(fp);
    fputs("H00009,青石村,一组9号\r\n", fp);
    fclose(fp);
    char *edited = slurp(want);
    rep = kind_run(f, &kind_household, "户.csv", bad);
    assert_string_equal(rep.error_path, want);
    assert_string_equal(rep.error_old, want);
    assert_string_equal(rep.error_kept, kept);
    char *now = slurp(want), *moved = slurp(kept);
    assert_string_equal(now, first);
    assert_non_null(moved);
    assert_string_equal(moved, edited);
    char msg[8192];
    assert_non_null(import_errors_earlier_said(rep.error_path, rep.error_trouble, rep.error_old,
                                               rep.error_kept, msg, sizeof msg));
    if (!strstr(msg, "没有覆盖") || !strstr(msg, "户_错误行_旧.csv"))
        fail_msg("%s", msg);
    /* The ledger corrected: no errors; the error file is out of date and
     * renamed, never removed (_旧 is taken: _旧-2). */
    rep = kind_run(f, &kind_household, "户.csv",
                   "户号,社区/村,住址\nH00007,青石村,一组7号\nH00008,青石村,一组8号\n");
    assert_int_equal(rep.invalid, 0);
    assert_string_equal(rep.error_path, "");
    assert_string_equal(rep.error_old, want);
    assert_string_equal(rep.error_kept, kept2);
    assert_false(exists(want));
    char *stale = slurp(kept2);
    assert_non_null(stale);
    assert_string_equal(stale, first);
    assert_non_null(import_errors_earlier_said(rep.error_path, rep.error_trouble, rep.error_old,
                                               rep.error_kept, msg, sizeof msg));
    if (!strstr(msg, "过时") || !strstr(msg, "户_错误行_旧-2.csv"))
        fail_msg("%s", msg);
    /* Nothing earlier: nothing said. */
    rep = kind_run(f, &kind_household, "户.csv",
                   "户号,社区/村,住址\nH00007,青石村,一组7号\nH00008,青石村,一组8号\n");
    assert_string_equal(rep.error_old, "");
    assert_null(import_errors_earlier_said(rep.error_path, rep.error_trouble, rep.error_old,
                                           rep.error_kept, msg, sizeof msg));
    free(first);
    free(edited);
    free(now);
    free(moved);
    free(stale);
    free(want);
    free(kept);
    free(kept2);
}

/* The same in the residents import (its own run, the same writer), and
 * a dry run (the console's preview) touches no file. */
static void test_residents_error_file_kept(void **state)
{
    fixture *f = *state;
    char *path = write_file(f, "台账.csv", "姓名,性别\n张三,男\n李四,不详\n"), err[1024];
    char *want = testutil_path(f->t->dir, "台账_错误行.csv");
    char *kept = testutil_path(f->t->dir, "台账_错误行_旧.csv");
    import_report rep;
    assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_string_equal(rep.error_path, want);
    import_report_free(&rep);
    FILE *fp = fopen(want, "ab");
    assert_non_null(fp);
    fputs("王五,女\r\n", fp);
    fclose(fp);
    char *edited = slurp(want);
    import_opts dry = {.dry_run = true};
    assert_int_equal(import_residents(f->st, path, &dry, &rep, err, sizeof err), WS_OK);
    assert_string_equal(rep.error_old, "");
    import_report_free(&rep);
    assert_false(exists(kept));
    assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
    assert_string_equal(rep.error_path, want);
    assert_string_equal(rep.error_old, want);
    assert_string_equal(rep.error_kept, kept);
    import_report_free(&rep);
    char *moved = slurp(kept);
    assert_non_null(moved);
    assert_string_equal(moved, edited);
    free(moved);
    /* Corrected: out of date, renamed. */
    free(path);
    path = write_file(f, "台账.csv", "姓名,性别\n张三,男\n李四,女\n");
    assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    assert_string_equal(rep.error_path, "");
    assert_string_equal(rep.error_old, want);
    assert_string_not_equal(rep.error_kept, "");
    assert_false(exists(want));
    assert_true(exists(rep.error_kept));
    import_report_free(&rep);
    free(edited);
    free(path);
    free(want);
    free(kept);
}

/* trial: a communities ledger's 青石村村委会 or 青石社区居委会 added a
 * community beside the registered 青石村 (every other ledger finds it);
 * 學堂灣社區 was refused as a duplicate. They are the registered ones,
 * whose names stay; a new committee's name adds the place. */
static void test_communities_by_committee(void **state)
{
    fixture *f = *state;
    kind_import_report rep = kind_run(f, &kind_community, "社区.csv",
                                      "名称,类型\n青石社区,社区\n学堂湾社区,社区\n");
    assert_int_equal(rep.added, 2);
    rep = kind_run(f, &kind_community, "社区.csv",
                   "名称,区划代码\n青石村村委会,510902100201\n青石村民委员会,\n"
                   "青石社区居委会,510902100202\n學堂灣社區,\n 青石村 ,\n");
    if (rep.invalid || rep.added)
        fail_msg("added %zu invalid %zu\n%s", rep.added, rep.invalid, f->notes);
    assert_int_equal(rep.updated, 2);
    assert_int_equal(rep.unchanged, 3);
    assert_int_equal(count(f, "SELECT count(*) FROM communities"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name = '青石村'"
                              " AND code = '510902100201'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name = '青石社区'"
                              " AND code = '510902100202'"), 1);
    /* Run again: nothing changes. */
    rep = kind_run(f, &kind_community, "社区.csv",
                   "名称,区划代码\n青石村村委会,510902100201\n青石社区居委会,510902100202\n");
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.updated + rep.added + rep.invalid, 0);
    /* A new committee: its place, named without the committee. */
    rep = kind_run(f, &kind_community, "社区.csv",
                   "名称\n柳河村委会\n东风居民委员会\n桃源村民委員會\n");
    if (rep.added != 3)
        fail_msg("added %zu\n%s", rep.added, f->notes);
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name IN"
                              " ('柳河村', '东风社区', '桃源村')"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name LIKE '%委%'"), 0);
    /* The form: a committee's name of a registered place is that place. */
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "柳河村村委会");
    record_error re;
    assert_int_equal(community_save(f->st, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_DUPLICATE);
}

/* trial: a phone cell with two numbers (13812345678/13987654321 and
 * the like) sent the row to the error file. The first is the phone, the
 * second is added to the notes as 另一电话：…, the report says so, and a
 * run again adds it no second time (无变化). */
static void test_residents_two_phones(void **state)
{
    fixture *f = *state;
    const char *text = "姓名,性别,联系电话,备注\n"
                       "甲一,男,13812345601/13987654301,\n"
                       "甲二,男,13812345602、13987654302,独居\n"
                       "甲三,女,13812345603 13987654303,\n"
                       "甲四,女,１３８１２３４５６０４／１３９８７６５４３０４,\n"
                       "甲五,男,13812345605，13987654305,\n"
                       "甲六,男,138 1234 5606,\n"
                       "甲七,男,13812345607/138-1234-5607,\n";
    char *path = write_file(f, "两个电话.csv", text), err[1024];
    import_report rep;
    for (int run = 0; run < 2; run++) {
        assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
        if (rep.counts[IMPORT_INVALID])
            fail_msg("run %d: %s", run, rep.nnotes ? rep.notes[0].text : "");
        assert_int_equal(rep.counts[run ? IMPORT_UNCHANGED : IMPORT_NEW], 7);
        assert_int_equal(rep.other_phones, 5);
        import_report_free(&rep);
    }
    char got[512];
    for (int i = 1; i <= 5; i++) {
        char sql[256], want[64];
        snprintf(sql, sizeof sql, "SELECT phone FROM residents WHERE phone = '1381234560%d'", i);
        testutil_raw_text(f->t->raw, sql, 0, got, sizeof got);
        snprintf(want, sizeof want, "1381234560%d", i);
        assert_string_equal(got, want);
        snprintf(sql, sizeof sql, "SELECT notes FROM residents WHERE phone = '1381234560%d'", i);
        testutil_raw_text(f->t->raw, sql, 0, got, sizeof got);
        snprintf(want, sizeof want, "%s另一电话：1398765430%d", i == 2 ? "独居\n" : "", i);
        assert_string_equal(got, want);
    }
    testutil_raw_text(f->t->raw, "SELECT phone || '|' || notes FROM residents WHERE name = '甲七'",
                      0, got, sizeof got);
    assert_string_equal(got, "13812345607|"); /* the same number twice: one */
    /* A registered resident with notes of a worker's: added to them. */
    free(path);
    path = write_file(f, "两个电话.csv", "姓名,性别,联系电话,备注\n甲二,男,13812345602/13900000002,\n");
    assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    import_report_free(&rep);
    testutil_raw_text(f->t->raw, "SELECT notes FROM residents WHERE name = '甲二'", 0, got,
                      sizeof got);
    assert_string_equal(got, "独居\n另一电话：13987654302\n另一电话：13900000002");
    free(path);
}

/* A residents ledger naming a committee no registered community is
 * makes its place (柳河村委会: 柳河村), found again by the next row and the
 * next run; before, a community called 柳河村委会 was made. */
static void test_residents_committee_makes_place(void **state)
{
    fixture *f = *state;
    char *path = write_file(f, "委员会.csv", "姓名,性别,所属社区/村\n乙一,男,柳河村委会\n"
                                              "乙二,女,柳河村\n乙三,男,柳河村民委员会\n");
    char err[1024];
    import_report rep;
    for (int run = 0; run < 2; run++) {
        assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
        assert_int_equal(rep.counts[run ? IMPORT_UNCHANGED : IMPORT_NEW], 3);
        assert_int_equal(rep.new_communities, run ? 0 : 1);
        import_report_free(&rep);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name LIKE '柳河%'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM communities WHERE name = '柳河村'"
                              " AND kind = 'village'"), 1);
    free(path);
}

/* A ledger pads two-character names to line them up with three (张  三),
 * and the trial's 曾  大伟 was an error row: the padding is dropped. */
static void test_residents_padded_names(void **state)
{
    fixture *f = *state;
    char *path = write_file(f, "对齐.csv", "姓名,性别\n张  三,男\n曾  大伟,男\n李　四,女\n");
    char err[1024];
    import_report rep;
    for (int run = 0; run < 2; run++) {
        assert_int_equal(import_residents(f->st, path, NULL, &rep, err, sizeof err), WS_OK);
        if (rep.counts[IMPORT_INVALID])
            fail_msg("run %d: %s", run, rep.nnotes ? rep.notes[0].text : "");
        assert_int_equal(rep.counts[run ? IMPORT_UNCHANGED : IMPORT_NEW], 3);
        import_report_free(&rep);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM residents WHERE name IN ('张三', '曾大伟', '李四')"),
                     3);
    free(path);
}

/* The same in a ledger of a declared kind: a household keeps the second
 * in its 备注; a volunteer has no notes, keeps the first and is told. */
static void test_kinds_two_phones(void **state)
{
    fixture *f = *state;
    for (int run = 0; run < 2; run++) {
        kind_import_report rep = kind_run(f, &kind_household, "户.csv",
                                          "户号,社区/村,联系电话\n"
                                          "H00001,青石村,13812345601;13987654301\n");
        if (rep.invalid)
            fail_msg("%s", f->notes);
        assert_int_equal(run ? rep.unchanged : rep.added, 1);
        if (!run && !strstr(f->notes, "139****4301"))
            fail_msg("%s", f->notes);
        if (run && f->notes[0])
            fail_msg("%s", f->notes);
        rep = kind_run(f, &kind_volunteer, "志愿者.csv",
                       "姓名,联系电话,注册日期\n张三丰,13812345607 / 13987654307,2026-01-05\n");
        if (rep.invalid)
            fail_msg("%s", f->notes);
        assert_int_equal(run ? rep.unchanged : rep.added, 1);
        if (!run && !strstr(f->notes, "没有地方存"))
            fail_msg("%s", f->notes);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM households WHERE phone = '13812345601'"
                              " AND notes = '另一电话：13987654301'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM volunteers WHERE phone = '13812345607'"), 1);
}

/* An earlier error file that cannot be moved aside (no free name for it
 * beside the ledger) is not written over: this run's goes to the home
 * folder, and the result says why. */
static void test_error_file_stuck(void **state)
{
    fixture *f = *state;
    char *home = testutil_path(f->t->dir, "home");
    assert_int_equal(mkdir(home, 0700), 0);
    char *want = testutil_path(f->t->dir, "户_错误行.csv");
    FILE *fp = fopen(want, "wb");
    assert_non_null(fp);
    fputs("户号,社区/村,住址,错误原因\r\nH00008,青石村,一组8号,改好了\r\n", fp);
    fclose(fp);
    for (int n = 1; n < 100; n++) {
        char name[64];
        if (n == 1)
            snprintf(name, sizeof name, "户_错误行_旧.csv");
        else
            snprintf(name, sizeof name, "户_错误行_旧-%d.csv", n);
        char *taken = testutil_path(f->t->dir, name);
        fp = fopen(taken, "wb");
        assert_non_null(fp);
        fclose(fp);
        free(taken);
    }
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    kind_import_report rep = kind_run(f, &kind_household, "户.csv",
                                      "户号,社区/村,住址\nH00008,柳河社区,一组8号\n");
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
    assert_int_equal(rep.invalid, 1);
    char *there = slurp(want);
    assert_non_null(strstr(there, "改好了"));
    if (!strstr(rep.error_trouble, "没有覆盖") || !strstr(rep.error_trouble, "太多"))
        fail_msg("%s", rep.error_trouble);
    char in_home[4096];
    snprintf(in_home, sizeof in_home, "%s/户_错误行.csv", home);
    assert_string_equal(rep.error_path, in_home);
    assert_string_equal(rep.error_kept, "");
    char msg[8192];
    assert_null(import_errors_earlier_said(rep.error_path, rep.error_trouble, rep.error_old,
                                           rep.error_kept, msg, sizeof msg));
    remove(in_home);
    rmdir(home);
    free(there);
    free(want);
    free(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kind_error_file_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_error_file_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_stuck, setup, teardown),
        cmocka_unit_test_setup_teardown(test_communities_by_committee, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_two_phones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinds_two_phones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_committee_makes_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_padded_names, setup, teardown),
    };
    return testutil_run(tests);
}
