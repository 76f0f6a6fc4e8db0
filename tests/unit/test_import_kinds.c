/* Ledgers of the declared kinds (visits, volunteers, households) in, as a
 * clerk's trial found them: a row matched and compared as it would be
 * stored (a date or phone written another way is the same), the person of
 * a visit found by an ID number column, a residents ledger refused, a key
 * repeated in one file with other values a conflict, a row of nothing but
 * its 户号 no household, and every update and error row told. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wushe/account.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/volunteer.h"

#define PASSWORD "wushe-demo"

typedef struct fixture {
    testutil_station *t;
    station *st;
    char notes[8192]; /* the rows told, one a line: "line cls name: text" */
} fixture;

static void write_file(fixture *f, const char *name, const char *text, char **path)
{
    *path = testutil_path(f->t->dir, name);
    FILE *fp = fopen(*path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* An ID number from its first 17 digits. */
static void id_of(const char *body, char out[19])
{
    snprintf(out, 19, "%.17s%c", body, val_id_check_char(body));
}

static void note(void *ctx, import_class cls, size_t line, const char *name, const char *text)
{
    fixture *f = ctx;
    size_t used = strlen(f->notes);
    snprintf(f->notes + used, sizeof f->notes - used, "%zu %d %s: %s\n", line, (int)cls, name,
             text);
}

static kind_import_report import_ok(fixture *f, const record_kind *k, const char *name,
                                    const char *text, bool dry_run)
{
    char *path = NULL, err[1024];
    write_file(f, name, text, &path);
    import_opts o = {.dry_run = dry_run, .row_note = note, .ctx = f};
    kind_import_report rep;
    f->notes[0] = '\0';
    ws_status s = import_kind(f->st, k, path, &o, &rep, err, sizeof err);
    if (s != WS_OK)
        fail_msg("%s: %s", name, err);
    if (rep.error_path[0])
        remove(rep.error_path);
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
    /* A community, two households, 白洁兰 and two 欧阳宁 in one household. */
    char a[19], b[19], c[19], text[1024];
    id_of("51090219750608632", a);
    id_of("51090219790422659", b);
    id_of("51090220050301001", c);
    kind_import_report rep = import_ok(f, &kind_community, "村.csv",
                                       "名称,类型\n青石村,村\n", false);
    assert_int_equal(rep.added, 1);
    rep = import_ok(f, &kind_household, "户.csv",
                    "户号,社区/村,住址\nH00001,青石村,青石村一组1号\n"
                    "H00002,青石村,青石村一组2号\n", false);
    assert_int_equal(rep.added, 2);
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系,所属社区/村\n白洁兰,%s,H00001,户主,青石村\n"
             "欧阳宁,%s,H00002,户主,青石村\n欧阳宁,%s,H00002,子,青石村\n", a, b, c);
    char *path = NULL, err[1024];
    write_file(f, "居民.csv", text, &path);
    import_report rr;
    assert_int_equal(import_residents(f->st, path, NULL, &rr, err, sizeof err), WS_OK);
    assert_int_equal(rr.counts[IMPORT_NEW], 3);
    import_report_free(&rr);
    free(path);
    *state = f;
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
    int64_t n = -1;
    sqlite3_stmt *q = testutil_raw_prepare(f->t->raw, sql, 0);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* A visit written 2026/11/5, 2026.11.07, 20261108 or 2026年11月9日 is found
 * again on the next run: nothing is added twice (the match was made on the
 * cell as written), and 2026年11月9日 is a date, not 内容太长. */
static void test_visit_dates_found_again(void **state)
{
    fixture *f = *state;
    const char *csv = "居民,走访日期,走访方式,走访情况\n白洁兰,2026/11/5,入户,好\n"
                      "白洁兰,2026.11.07,入户,好\n白洁兰,20261108,入户,好\n"
                      "白洁兰,2026年11月9日,入户,好\n";
    kind_import_report rep = import_ok(f, &kind_visit, "走访.csv", csv, false);
    if (rep.invalid)
        fail_msg("%s", f->notes);
    assert_int_equal(rep.added, 4);
    for (int run = 0; run < 2; run++) {
        rep = import_ok(f, &kind_visit, "走访.csv", csv, false);
        assert_int_equal(rep.added, 0);
        assert_int_equal(rep.updated, 0);
        assert_int_equal(rep.unchanged, 4);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM visits WHERE deleted_at IS NULL"), 4);
    assert_int_equal(count(f, "SELECT count(*) FROM visits WHERE visit_date = '2026-11-09'"), 1);
}

/* A volunteer's date or phone and a household's phone written another way
 * change nothing: the second run is 无变化, not 更新. */
static void test_same_when_written_otherwise(void **state)
{
    fixture *f = *state;
    const char *vol = "姓名,联系电话,注册日期\n新志愿者丁,138-1234-0006,2025/3/7\n";
    kind_import_report rep = import_ok(f, &kind_volunteer, "志愿者.csv", vol, false);
    assert_int_equal(rep.added, 1);
    rep = import_ok(f, &kind_volunteer, "志愿者.csv", vol, false);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 1);
    const char *hh = "户号,联系电话\nH00001,139-2222-3333\n";
    rep = import_ok(f, &kind_household, "户电话.csv", hh, false);
    assert_int_equal(rep.updated, 1);
    rep = import_ok(f, &kind_household, "户电话.csv", hh, false);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 1);
}

/* A residents ledger given to another kind's import is refused, naming
 * the residents import; nothing is written. */
static void test_residents_ledger_refused(void **state)
{
    fixture *f = *state;
    char *path = NULL, err[1024];
    write_file(f, "全部居民.csv",
               "姓名,身份证号,户号,与户主关系,联系电话\n白洁兰,,H00001,户主,13900000001\n"
               "欧阳宁,,H00001,子,13900000002\n", &path);
    const record_kind *kinds[] = {&kind_household, &kind_volunteer};
    for (size_t i = 0; i < 2; i++) {
        kind_import_report rep;
        import_opts o = {0};
        assert_int_equal(import_kind(f->st, kinds[i], path, &o, &rep, err, sizeof err),
                         WS_ERR_INVALID);
        assert_non_null(strstr(err, "wushe import residents"));
    }
    assert_int_equal(count(f, "SELECT count(*) FROM households WHERE phone IS NOT NULL"
                              " AND phone <> ''"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM volunteers"), 0);
    free(path);
}

/* One 户号 on two rows with other values is a conflict, not "the last row
 * wins"; the same row twice is no conflict; a row with only a 户号 makes no
 * household without 社区/村. */
static void test_households_repeated_and_bare(void **state)
{
    fixture *f = *state;
    kind_import_report rep = import_ok(f, &kind_household, "户.csv",
                                       "户号,联系电话,住址\nH00001,13900000001,\n"
                                       "H00001,13900000002,\nH00002,,青石村一组2号\n"
                                       "H00002,,青石村一组2号\nH95002,,\n", false);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.invalid, 2);
    assert_int_equal(rep.added, 0);
    assert_non_null(strstr(f->notes, "3 4 H00001: "));          /* 文件内重复, row 3 */
    assert_non_null(strstr(f->notes, "6 5 H95002: "));          /* 有错误, row 6 */
    assert_int_equal(count(f, "SELECT count(*) FROM households WHERE phone = '13900000001'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM households WHERE number = 'H95002'"), 0);
    /* A list of names alone (one column) still adds. */
    rep = import_ok(f, &kind_community, "村名.csv", "名称\n新华村\n", false);
    assert_int_equal(rep.added, 1);
}

/* A visit's 身份证号 (公民身份号码) column names the person (two 欧阳宁 in
 * one household); without it the refusal proposes only what can help. */
static void test_visit_by_id_column(void **state)
{
    fixture *f = *state;
    char c[19], text[512];
    id_of("51090220050301001", c);
    snprintf(text, sizeof text, "姓名,公民身份号码,走访日期,走访方式,走访情况\n"
                                "欧阳宁,%s,2026-11-07,电话,电话回访\n"
                                ",%s,2026-11-08,电话,电话回访\n"
                                "欧阳宁,,2026-11-09,电话,电话回访\n", c, c);
    kind_import_report rep = import_ok(f, &kind_visit, "走访.csv", text, false);
    assert_int_equal(rep.added, 2);
    assert_int_equal(rep.invalid, 1);
    if (!strstr(f->notes, "身份证号") || strstr(f->notes, "姓名（社区）"))
        fail_msg("%s", f->notes);
    assert_int_equal(count(f, "SELECT count(*) FROM visits v JOIN residents r ON"
                              " r.id = v.resident_id WHERE r.relation = 'son'"
                              " OR r.id_number LIKE '%1001%'"), 2);
    rep = import_ok(f, &kind_visit, "走访.csv", text, false);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.unchanged, 2);
}

/* Each update says what it changes and each error row why, a dry run too
 * (no error file is written then). */
static void test_rows_told(void **state)
{
    fixture *f = *state;
    kind_import_report rep = import_ok(f, &kind_household, "户.csv",
                                       "户号,社区/村,住址\nH00001,青石村,青石村三组8号\n"
                                       "H00003,柳河社区,柳河社区1号\n", true);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.invalid, 1);
    if (!strstr(f->notes, "2 1 H00001: 住址：青石村一组1号 → 青石村三组8号\n") ||
        !strstr(f->notes, "3 5 H00003: 社区/村："))
        fail_msg("%s", f->notes);
    assert_int_equal(count(f, "SELECT count(*) FROM households WHERE address LIKE '%三组%'"), 0);
}


/* The whole of a small file (NUL-terminated; caller frees). */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* An error file imported again (fixed or not) copied its old 错误原因
 * column into the new error file: two reasons, old and new. The old
 * column is no data: it is neither written again nor listed as a column
 * not imported. */
static void test_error_file_again(void **state)
{
    fixture *f = *state;
    char *path = NULL, err[1024];
    write_file(f, "户.csv", "户号,联系电话,住址\nH95002,,\n", &path);
    kind_import_report rep;
    assert_int_equal(import_kind(f->st, &kind_household, path, NULL, &rep, err, sizeof err),
                     WS_OK);
    assert_int_equal(rep.invalid, 1);
    assert_string_not_equal(rep.error_path, "");
    free(path);
    char *again = strdup(rep.error_path);
    assert_non_null(again);
    char *first = slurp(again);
    assert_int_equal(occurrences(first, "错误原因"), 1);
    assert_int_equal(import_kind(f->st, &kind_household, again, NULL, &rep, err, sizeof err),
                     WS_OK);
    assert_int_equal(rep.invalid, 1);
    assert_int_equal(rep.nskipped_cols, 0);
    assert_string_not_equal(rep.error_path, "");
    char *second = slurp(rep.error_path);
    /* the header once, and the row's one reason: the same file again */
    assert_int_equal(occurrences(second, "错误原因"), 1);
    assert_string_equal(second, first);
    remove(rep.error_path);
    remove(again);
    free(first);
    free(second);
    free(again);
}

/* trial-c §6: an error file of any kind wrote ID numbers and phones bare:
 * opened in Excel the number became 5.10902E+17 and was destroyed on
 * save. They are written with a tab in front, as the residents' are. */
static void test_error_file_numbers_as_text(void **state)
{
    fixture *f = *state;
    char c[19], text[512];
    id_of("51090220050301001", c);
    /* a visit without its 走访方式 code: an error row */
    snprintf(text, sizeof text, "姓名,身份证号,走访日期,走访方式,走访情况\n"
                                "欧阳宁,%s,2026-11-07,飞鸽,电话回访\n", c);
    char *path = NULL, err[1024];
    write_file(f, "走访.csv", text, &path);
    kind_import_report rep;
    assert_int_equal(import_kind(f->st, &kind_visit, path, NULL, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.invalid, 1);
    char *got = slurp(rep.error_path);
    char want[64];
    snprintf(want, sizeof want, ",\t%s,", c);
    if (!strstr(got, want))
        fail_msg("%s", got);
    remove(rep.error_path);
    free(got);
    free(path);
    /* a household's landline with its 0 in front, a 户号 of digits */
    write_file(f, "户.csv", "户号,社区/村,联系电话\n000123,柳河社区,08172345678\n", &path);
    assert_int_equal(import_kind(f->st, &kind_household, path, NULL, &rep, err, sizeof err),
                     WS_OK);
    assert_int_equal(rep.invalid, 1);
    got = slurp(rep.error_path);
    if (!strstr(got, "\t000123,") || !strstr(got, ",\t08172345678,"))
        fail_msg("%s", got);
    remove(rep.error_path);
    free(got);
    free(path);
}

/* trial-c §7: a ledger whose folder takes no file (a write-protected
 * stick): the rows went in, then "无法读写文件" and no error file. The
 * error file goes to the home folder, and the report says why. */
static void test_error_file_elsewhere(void **state)
{
    fixture *f = *state;
    char *home = testutil_path(f->t->dir, "home");
    assert_int_equal(mkdir(home, 0700), 0);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    /* the error file's name beside the ledger is a folder: not writable */
    char *blocked = testutil_path(f->t->dir, "户_错误行.csv");
    assert_int_equal(mkdir(blocked, 0700), 0);
    char *path = NULL, err[1024];
    write_file(f, "户.csv", "户号,社区/村,住址\nH00007,青石村,一组7号\nH00008,柳河社区,一组8号\n",
               &path);
    kind_import_report rep;
    ws_status s = import_kind(f->st, &kind_household, path, NULL, &rep, err, sizeof err);
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
    if (s != WS_OK)
        fail_msg("%s", err);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.invalid, 1);
    assert_string_not_equal(rep.error_trouble, "");
    char want[4096];
    snprintf(want, sizeof want, "%s/户_错误行.csv", home);
    assert_string_equal(rep.error_path, want);
    char *got = slurp(rep.error_path);
    assert_non_null(strstr(got, "H00008"));
    free(got);
    remove(rep.error_path);
    rmdir(blocked);
    rmdir(home);
    free(blocked);
    free(home);
    free(path);
}

/* trial-c §10: an ID number Excel turned into a number was "没有名叫
 * “5.10902E+17”的居民" in a visit and "只能是数字" in a volunteer: the
 * residents import's words everywhere. */
static void test_id_number_scientific(void **state)
{
    fixture *f = *state;
    kind_import_report rep = import_ok(f, &kind_visit, "走访.csv",
                                       "居民,身份证号,走访日期,走访方式,走访情况\n"
                                       "欧阳宁,5.10902E+17,2026-11-07,电话,电话回访\n"
                                       "5.10902E+17,,2026-11-08,电话,电话回访\n", true);
    assert_int_equal(rep.invalid, 2);
    if (occurrences(f->notes, "被 Excel 变成了科学计数法") != 2 || !strstr(f->notes, "身份证号："))
        fail_msg("%s", f->notes);
    rep = import_ok(f, &kind_volunteer, "志愿者.csv",
                    "姓名,身份证号\n志愿乙,5.109021950072676e+17\n", true);
    assert_int_equal(rep.invalid, 1);
    if (!strstr(f->notes, "身份证号：被 Excel 变成了科学计数法"))
        fail_msg("%s", f->notes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_visit_dates_found_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_when_written_otherwise, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_ledger_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_households_repeated_and_bare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_by_id_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_told, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_numbers_as_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_number_scientific, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
