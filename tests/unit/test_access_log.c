/* The access log as a 站长 reads it (export_access.c): its details in
 * words, the filter described, the record an entry names, and its export
 * (CSV and XLSX), which only a 站长 may make and which is recorded itself. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/export.h"
#include "wushe/resident.h"

typedef struct fixture {
    testutil_station *t;
    station *st; /* not trusted: acts as whoever logged in */
    int64_t director, clerk, resident;
} fixture;

#define PASSWORD "wushe-test-1"

static int64_t make_account(station *st, const char *login, const char *name, const char *role)
{
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "%s", login);
    snprintf(a.display_name, sizeof a.display_name, "%s", name);
    snprintf(a.role, sizeof a.role, "%s", role);
    record_error re;
    return account_create(st, &a, PASSWORD, &re) == WS_OK ? a.id : 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->t = testutil_station_open(true)))
        return -1;
    f->director = make_account(f->t->st, "zz", "张建国", "director");
    f->clerk = make_account(f->t->st, "lr", "刘敏", "clerk");
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "王秀英");
    field_error fe;
    if (!f->director || !f->clerk || resident_save(f->t->st, &r, &fe) != WS_OK)
        return -1;
    f->resident = r.id;
    char err[256];
    if (station_open(f->t->path, 0, NULL, &f->st, err, sizeof err) != WS_OK)
        return -1;
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

static void login(fixture *f, const char *who, const char *password, ws_status want)
{
    account_login_result res;
    assert_int_equal(account_login(f->st, who, password, &res), want);
}

/* ---- an entry in words ---- */

static void test_detail_text(void **state)
{
    (void)state;
    char out[512];
    access_detail_text("{\"file\":\"/home/w/居民_20261123.xlsx\",\"format\":\"xlsx\","
                       "\"filter\":null,\"masked\":1}",
                       out, sizeof out);
    assert_string_equal(out, "文件 /home/w/居民_20261123.xlsx，格式 xlsx，证件号已遮盖");
    access_detail_text("{\"masked\":0}", out, sizeof out);
    assert_string_equal(out, "证件号未遮盖");
    /* Standard output, case content, dates and the paper printed: in words. */
    access_detail_text("{\"file\":\"-\",\"format\":\"csv\",\"filter\":null,\"masked\":1,"
                       "\"notes\":0,\"from\":\"2026-01-01\",\"to\":\"2026-11-30\"}",
                       out, sizeof out);
    assert_string_equal(out, "输出到标准输出，格式 csv，证件号已遮盖，不含个案内容，"
                             "自 2026-01-01，至 2026-11-30");
    access_detail_text("{\"notes\":1}", out, sizeof out);
    assert_string_equal(out, "含个案内容");
    static const char *const prints[][2] = {
        {"resident", "居民信息表"}, {"household", "户卡"}, {"case", "个案档案"},
        {"referral", "转介单"}, {"signin", "签到表"}, {"certificate", "志愿服务记录证明"},
        {"distribution", "签领表"}, {"notice", "公示"}, {"project", "项目结项表"},
    };
    for (size_t i = 0; i < sizeof prints / sizeof *prints; i++) {
        char json[128], want[128];
        snprintf(json, sizeof json, "{\"print\":\"%s\",\"file\":\"/tmp/a.pdf\",\"masked\":1}",
                 prints[i][0]);
        snprintf(want, sizeof want, "%s，文件 /tmp/a.pdf，证件号已遮盖", prints[i][1]);
        access_detail_text(json, out, sizeof out);
        assert_string_equal(out, want);
    }
    /* A refusal names the permission in words. */
    access_detail_text("{\"perm\":\"perm.accounts\"}", out, sizeof out);
    assert_string_equal(out, "无权：管理账户");
    access_detail_text("{\"failures\":3}", out, sizeof out);
    assert_string_equal(out, "连续错误 3 次");
    access_detail_text("{\"failures\":0}", out, sizeof out);
    assert_string_equal(out, "账户名不存在");
    /* Escapes, a key it does not know, a nested value. */
    access_detail_text("{\"query\":\"\\u9648 \\\"lh\\\"\\n\",\"x\":[1,{\"y\":2}],\"n\":7}", out,
                       sizeof out);
    assert_string_equal(out, "查询“陈 \"lh\" ”，x：[1,{\"y\":2}]，n：7");
    /* Nothing, something that is not an object, something broken. */
    access_detail_text("", out, sizeof out);
    assert_string_equal(out, "");
    access_detail_text(NULL, out, sizeof out);
    assert_string_equal(out, "");
    access_detail_text("plain", out, sizeof out);
    assert_string_equal(out, "plain");
    access_detail_text("{\"file\":\"unterminated", out, sizeof out);
    assert_string_equal(out, "");
    access_detail_text("{\"a\":\"\\u12", out, sizeof out);
    assert_string_equal(out, "");
    /* Too long for out: what fits, never past it. */
    char small[8];
    access_detail_text("{\"file\":\"abcdefghijkl\"}", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
}

static void test_table_and_title(void **state)
{
    fixture *f = *state;
    assert_string_equal(access_table_label("residents"), "居民");
    assert_string_equal(access_table_label("accounts"), "账户");
    assert_string_equal(access_table_label(""), "");
    assert_string_equal(access_table_label("cases_future"), "cases_future");
    /* The ledgers exported that are no declared kind. */
    assert_string_equal(access_table_label("hour_entries"), "服务时长台账");
    assert_string_equal(access_table_label("stock_levels"), "库存台账");
    assert_string_equal(access_table_label("distribution_lines"), "发放花名册");
    assert_string_equal(access_table_label("notice"), "公示");
    assert_string_equal(access_table_label("distributions"), "发放");
    char title[128];
    assert_int_equal(access_record_title(f->t->st, "accounts", f->director, title, sizeof title),
                     WS_OK);
    assert_string_equal(title, "张建国");
    assert_int_equal(access_record_title(f->t->st, "residents", f->resident, title, sizeof title),
                     WS_OK);
    assert_string_equal(title, "王秀英");
    /* Deleted since: the log still names them. */
    assert_int_equal(resident_delete(f->t->st, f->resident), WS_OK);
    assert_int_equal(access_record_title(f->t->st, "residents", f->resident, title, sizeof title),
                     WS_OK);
    assert_string_equal(title, "王秀英");
    assert_int_equal(access_record_title(f->t->st, "residents", 12345, title, sizeof title), WS_OK);
    assert_string_equal(title, "");
    assert_int_equal(access_record_title(f->t->st, "nope", 1, title, sizeof title), WS_OK);
    assert_string_equal(title, "");
}

static void test_filter_words(void **state)
{
    fixture *f = *state;
    char d[11];
    assert_true(access_filter_date("2026-11-01", d));
    assert_string_equal(d, "2026-11-01");
    assert_true(access_filter_date("2026年11月2日", d));
    assert_string_equal(d, "2026-11-02");
    assert_true(access_filter_date("  ", d));
    assert_string_equal(d, "");
    assert_false(access_filter_date("2026-13-01", d));
    assert_false(access_filter_date("yesterday", d));

    access_filter af;
    access_filter_init(&af);
    char out[512];
    access_filter_describe(f->t->st, &af, " · ", out, sizeof out);
    assert_string_equal(out, "");
    af.account_id = f->director;
    af.event = EV_LOGIN;
    snprintf(af.from, sizeof af.from, "2026-11-01");
    snprintf(af.to, sizeof af.to, "2026-11-30");
    snprintf(af.table, sizeof af.table, "residents");
    af.row = f->resident;
    access_filter_describe(f->t->st, &af, " · ", out, sizeof out);
    assert_string_equal(out, "张建国 (zz) · 登录 · 2026-11-01 至 2026-11-30 · 居民 王秀英");
    af.from[0] = '\0';
    af.account_id = 0;
    af.event = -1;
    af.table[0] = '\0';
    access_filter_describe(f->t->st, &af, "/", out, sizeof out);
    assert_string_equal(out, "至 2026-11-30");
}

/* A script's filter: wushe export access-log --filter "...". */
static void test_filter_parse(void **state)
{
    fixture *f = *state;
    access_filter af;
    char bad[64];
    assert_int_equal(access_filter_parse(f->t->st, "", &af, bad, sizeof bad), WS_OK);
    assert_int_equal(af.account_id, 0);
    assert_int_equal(af.event, -1);
    assert_int_equal(access_filter_parse(f->t->st, " ZZ  登录失败 2026-11-01..2026-11-30 ", &af,
                                         bad, sizeof bad),
                     WS_OK);
    assert_int_equal(af.account_id, f->director);
    assert_int_equal(af.event, EV_LOGIN_FAILED);
    assert_string_equal(af.from, "2026-11-01");
    assert_string_equal(af.to, "2026-11-30");
    char words[96];
    snprintf(words, sizeof words, "export residents:%lld 2026-11-05", (long long)f->resident);
    assert_int_equal(access_filter_parse(f->t->st, words, &af, bad, sizeof bad), WS_OK);
    assert_int_equal(af.event, EV_EXPORT);
    assert_string_equal(af.table, "residents");
    assert_int_equal(af.row, f->resident);
    assert_string_equal(af.from, "2026-11-05");
    assert_string_equal(af.to, "2026-11-05");
    assert_int_equal(access_filter_parse(f->t->st, "..2026-11-30", &af, bad, sizeof bad), WS_OK);
    assert_string_equal(af.from, "");
    assert_string_equal(af.to, "2026-11-30");
    /* The first word that is none of them is named. */
    assert_int_equal(access_filter_parse(f->t->st, "lr nobody 登录", &af, bad, sizeof bad),
                     WS_ERR_USAGE);
    assert_string_equal(bad, "nobody");
    assert_int_equal(access_filter_parse(f->t->st, "2026-13-01", &af, bad, sizeof bad),
                     WS_ERR_USAGE);
    assert_string_equal(bad, "2026-13-01");
    assert_int_equal(access_filter_parse(f->t->st, "..", &af, bad, sizeof bad), WS_ERR_USAGE);
    assert_int_equal(access_filter_parse(f->t->st, "residents:x", &af, bad, sizeof bad),
                     WS_ERR_USAGE);
}

/* ---- the export ---- */

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_export_csv(void **state)
{
    fixture *f = *state;
    login(f, "lr", "wrong password", WS_ERR_AUTH);
    login(f, "nobody", "wrong password", WS_ERR_AUTH);
    login(f, "zz", PASSWORD, WS_OK);
    assert_int_equal(access_unmask(f->st, "residents", f->resident, NULL), WS_OK);

    access_filter af;
    access_filter_init(&af);
    char *path = testutil_path(f->t->dir, "log.csv");
    export_opts o = {.format = EXPORT_CSV};
    size_t rows = 0;
    char err[512];
    assert_int_equal(export_access_log(f->st, &af, path, &o, &rows, err, sizeof err), WS_OK);
    /* The two accounts made, two failures, the login, the unmask and the
     * export's own entry. */
    assert_int_equal(rows, 7);
    char *csv = NULL;
    size_t len = 0;
    assert_int_equal(enc_read_file(path, &csv, &len), WS_OK);
    assert_non_null(csv);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(csv, "时间,账户,事件,记录类别,记录编号,记录,条数,详情\r\n"));
    assert_int_equal(count_lines(csv), 8);
    /* Newest first: the export, then the unmask of 王秀英 by 张建国. */
    const char *first = strchr(csv, '\n') + 1;
    assert_non_null(strstr(first, "张建国 (zz),导出,访问记录,,,"));
    assert_true(strstr(csv, ",导出,") < strstr(csv, ",显示证件号,居民,"));
    char want[128];
    snprintf(want, sizeof want, ",显示证件号,居民,\t%lld,王秀英,", (long long)f->resident);
    assert_non_null(strstr(csv, want));
    /* What was typed is marked as typed; a failure on an account is its. */
    assert_non_null(strstr(csv, "“nobody”（输入的账户名，没有这个账户）,登录失败,账户,,,,账户名不存在"));
    snprintf(want, sizeof want, "刘敏 (lr),登录失败,账户,\t%lld,刘敏,,连续错误 1 次",
             (long long)f->clerk);
    assert_non_null(strstr(csv, want));
    free(csv);

    /* Recorded as an export of the access log, with its rows. */
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                   " AND table_name = 'access_log' AND rows = 7", 0), 1);

    /* The filter: failed logins only, to standard output. */
    af.event = EV_LOGIN_FAILED;
    char *out = NULL;
    assert_int_equal(export_access_log_csv(f->st, &af, &o, &out, &len, &rows, err, sizeof err),
                     WS_OK);
    assert_int_equal(rows, 2);
    assert_null(strstr(out, ",登录,"));
    free(out);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                   " AND table_name = 'access_log' AND rows = 2"
                                   " AND json_extract(detail, '$.filter') = '登录失败'", 0), 1);
    free(path);
}

static void test_export_xlsx(void **state)
{
    fixture *f = *state;
    login(f, "zz", PASSWORD, WS_OK);
    access_filter af;
    access_filter_init(&af);
    af.account_id = f->director;
    char *path = testutil_path(f->t->dir, "log.xlsx");
    export_opts o = {.format = export_format_for(path)};
    size_t rows = 0;
    char err[512];
    assert_int_equal(export_access_log(f->st, &af, path, &o, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 2); /* the login and the export itself */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 1000);
    free(path);
}

/* Only a 站长: anyone else is refused before a row leaves, and the
 * refusal is recorded. */
static void test_export_denied(void **state)
{
    fixture *f = *state;
    login(f, "lr", PASSWORD, WS_OK);
    access_filter af;
    access_filter_init(&af);
    char *path = testutil_path(f->t->dir, "denied.csv");
    export_opts o = {.format = EXPORT_CSV};
    size_t rows = 7;
    char err[512];
    assert_int_equal(export_access_log(f->st, &af, path, &o, &rows, err, sizeof err),
                     WS_ERR_DENIED);
    assert_int_equal(rows, 0);
    assert_string_equal(err, tr("status.denied"));
    struct stat sb;
    assert_int_equal(stat(path, &sb), -1);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(export_access_log_csv(f->st, &af, &o, &out, &len, &rows, err, sizeof err),
                     WS_ERR_DENIED);
    assert_null(out);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'denied'"
                                   " AND json_extract(detail, '$.perm') = 'perm.access_log'", 0),
                     2);
    assert_int_equal(raw_int(f->t, "SELECT count(*) FROM access_log WHERE event = 'export'", 0),
                     0);
    free(path);
}

/* A station that cannot be written records nothing: a login and looking
 * go on, but what the log exists to record (an unmask, an export, a
 * print) is not done, and says why, rather than done unrecorded. */
static void test_read_only_unrecorded(void **state)
{
    fixture *f = *state;
    station *ro = NULL;
    char err[256];
    assert_int_equal(station_open(f->t->path, STATION_READONLY, NULL, &ro, err, sizeof err),
                     WS_OK);
    account_login_result res;
    assert_int_equal(account_login(ro, "zz", PASSWORD, &res), WS_OK);
    assert_true(station_read_only(ro));
    resident r;
    assert_int_equal(resident_load(ro, f->resident, &r), WS_OK);
    assert_int_equal(access_unmask(ro, "residents", f->resident, NULL), WS_ERR_UNRECORDED);
    char *path = testutil_path(f->t->dir, "ro.csv");
    for (int unmasked = 0; unmasked < 2; unmasked++) {
        export_opts o = {.format = EXPORT_CSV, .unmasked = unmasked};
        assert_int_equal(export_residents(ro, path, &o, NULL, err, sizeof err),
                         WS_ERR_UNRECORDED);
        assert_non_null(strstr(err, "只读"));
        struct stat sb;
        assert_int_not_equal(stat(path, &sb), 0);
    }
    free(path);
    station_close(&ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detail_text),
        cmocka_unit_test_setup_teardown(test_table_and_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_parse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_unrecorded, setup, teardown),
    };
    return testutil_run(tests);
}
