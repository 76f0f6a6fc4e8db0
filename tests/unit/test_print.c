/* The print module: a long document (a 200-row table, a 10,000-character
 * paragraph of Chinese) read back with `pdftotext -layout`: its Chinese
 * comes back, the table's header is on every page it reaches, the pages
 * run 第 1 页 共 N 页 ..., markup-like text and control characters print
 * literally; a sign-in sheet's blank rows; landscape; an unwritable path;
 * the access log entry of a print. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wushe/catalog.h"
#include "wushe/config.h"
#include "wushe/print.h"
#include "wushe/volunteer.h"

typedef struct fixture {
    char *dir;
} fixture;

static bool have_pdftotext(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

#define NEED_PDFTOTEXT()                                                              \
    do {                                                                              \
        if (!have_pdftotext()) {                                                      \
            fprintf(stderr, "skipped: pdftotext not found (apt-get install poppler-utils)\n"); \
            skip();                                                                   \
        }                                                                             \
    } while (0)

/* The text of a PDF, pages split at form feeds; caller frees. */
static char *pdf_text(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* s without spaces and line ends (pdftotext -layout pads columns). */
static void squeeze(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (*r != ' ' && *r != '\n' && *r != '\r')
            *w++ = *r;
    *w = '\0';
}

/* The pages of text (each squeezed), split at form feeds. */
static size_t split_pages(char *text, char **pages, size_t max)
{
    size_t n = 0;
    char *p = text;
    while (n < max) {
        char *ff = strchr(p, '\f');
        if (ff)
            *ff = '\0';
        squeeze(p);
        if (*p || ff)
            pages[n++] = p;
        if (!ff)
            break;
        p = ff + 1;
    }
    while (n && !*pages[n - 1])
        n--;
    return n;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = testutil_tmpdir();
    *state = f;
    return f->dir ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

static const char *const SENTENCE = "社会工作服务站为困难群众提供帮助与关爱";

/* 10,000 characters: numbered sentences of 25 characters (第0001句：...). */
static char *long_paragraph(size_t *nsent)
{
    size_t n = 400;
    char *s = malloc(n * 100 + 1);
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)sprintf(s + used, "第%04zu句：%s。", i + 1, SENTENCE);
    *nsent = n;
    return s;
}

static void test_long_document(void **state)
{
    NEED_PDFTOTEXT();
    fixture *f = *state;
    print_doc *d = print_doc_new(&(print_setup){.station = "青石镇社会工作服务站",
                                                .title = "居民信息表",
                                                .note = "打印：测试 2026-11-23"});
    print_heading(d, "一、基本信息");
    print_field fields[] = {
        {"姓名", "<b>&\x1b[31m张三", false},
        {"性别", "男", false},
        {"住址", "青石村一组 12 号 😀 & <i>斜体</i>", true},
        {"备注", "第一行\n第二行", false},
    };
    print_fields(d, 4, fields, 4);
    size_t nsent;
    char *para = long_paragraph(&nsent);
    print_heading(d, "二、情况说明");
    print_paragraph(d, para);
    print_heading(d, "三、服务记录");
    print_column cols[] = {{"序号", 3, PRINT_CENTER}, {"日期", 6, PRINT_LEFT},
                           {"服务内容", 0, PRINT_LEFT}, {"签名", 0.15, PRINT_LEFT}};
    print_table(d, cols, 4, 0);
    for (int i = 1; i <= 200; i++) {
        char no[16], what[128];
        snprintf(no, sizeof no, "%d", i);
        snprintf(what, sizeof what, "行%03d走访慰问%s", i,
                 i % 17 == 0 ? "，并了解家中老人的身体状况和生活需要，登记在册" : "");
        const char *row[] = {no, "2026-11-23", what, NULL};
        print_row(d, row);
    }
    const char *signs[] = {"社工签名", "日期"};
    print_signatures(d, signs, 2);
    char *path = testutil_path(f->dir, "long.pdf");
    int pages = 0;
    char err[512];
    assert_int_equal(print_doc_write(d, path, &pages, err, sizeof err), WS_OK);
    print_doc_free(&d);
    assert_null(d);
    assert_true(pages >= 8);

    char *text = pdf_text(path);
    /* No control character reaches the paper. */
    assert_null(strchr(text, '\x1b'));
    size_t text_len = strlen(text);
    char *pg[256];
    size_t np = split_pages(text, pg, 256);
    assert_int_equal((int)np, pages);
    /* Page numbers run 第 1 页 共 N 页 ... 第 N 页 共 N 页. */
    for (size_t i = 0; i < np; i++) {
        char want[64];
        snprintf(want, sizeof want, "第%zu页共%d页", i + 1, pages);
        if (!strstr(pg[i], want))
            fail_msg("page %zu lacks %s:\n%s", i + 1, want, pg[i]);
        assert_non_null(strstr(pg[i], "青石镇社会工作服务站"));
    }
    /* Markup-like text prints literally; the layout goes on after it. */
    assert_non_null(strstr(pg[0], "<b>&"));
    assert_non_null(strstr(pg[0], "张三"));
    assert_non_null(strstr(pg[0], "&<i>斜体</i>"));
    assert_non_null(strstr(pg[0], "第一行"));
    /* The Chinese comes back: nearly every sentence whole (a page break
     * may put the header between two halves of one). */
    char *all = malloc(text_len + 1);
    all[0] = '\0';
    for (size_t i = 0; i < np; i++)
        strcat(all, pg[i]);
    size_t found = 0;
    for (size_t i = 1; i <= nsent; i++) {
        char want[128];
        snprintf(want, sizeof want, "第%04zu句：%s。", i, SENTENCE);
        found += strstr(all, want) != NULL;
    }
    if (found + 2 * np < nsent)
        fail_msg("only %zu of %zu sentences came back", found, nsent);
    /* Every table row once, and the header on every page the table reaches. */
    size_t first = 0, last = 0;
    for (size_t i = 0; i < np; i++) {
        if (strstr(pg[i], "行001走访") && !first)
            first = i + 1;
        if (strstr(pg[i], "行200走访"))
            last = i + 1;
    }
    assert_true(first > 0 && last > first);
    for (size_t i = first; i <= last; i++)
        if (!strstr(pg[i - 1], "序号日期服务内容签名"))
            fail_msg("page %zu (of the table's %zu..%zu) lacks its header:\n%s", i, first, last,
                     pg[i - 1]);
    for (int i = 1; i <= 200; i++) {
        char want[32];
        snprintf(want, sizeof want, "行%03d走访", i);
        char *a = strstr(all, want);
        assert_non_null(a);
        assert_null(strstr(a + 1, want));
    }
    assert_non_null(strstr(pg[np - 1], "社工签名："));
    free(all);
    free(text);
    free(para);
    free(path);
}

/* A sign-in sheet: blank rows of 12 mm over several pages, each with the
 * header; landscape; a tear-off receipt. */
static void test_signin_landscape(void **state)
{
    NEED_PDFTOTEXT();
    fixture *f = *state;
    print_doc *d = print_doc_new(&(print_setup){.station = "站", .title = "签到表",
                                                .orientation = PRINT_LANDSCAPE});
    print_column cols[] = {{"序号", 3, PRINT_CENTER}, {"姓名", 6, PRINT_LEFT},
                           {"本人签到", 0, PRINT_LEFT}};
    print_table(d, cols, 3, 12);
    print_blank_rows(d, 40);
    print_tear_off(d, "回执");
    print_paragraph(d, "回执内容");
    char *data = NULL;
    size_t len = 0;
    int pages = 0;
    char err[512];
    assert_int_equal(print_doc_pdf(d, &data, &len, &pages, err, sizeof err), WS_OK);
    print_doc_free(&d);
    /* 40 rows of 12 mm need three landscape pages and a bit. */
    assert_true(pages >= 3);
    assert_non_null(memmem(data, len, "841.889764 595.275591", 21));
    char *path = testutil_path(f->dir, "signin.pdf");
    FILE *fp = fopen(path, "wb");
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    free(data);
    char *text = pdf_text(path);
    char *pg[64];
    size_t np = split_pages(text, pg, 64);
    assert_int_equal((int)np, pages);
    for (size_t i = 0; i + 1 < np; i++)
        assert_non_null(strstr(pg[i], "序号姓名本人签到"));
    assert_non_null(strstr(pg[np - 1], "回执"));
    assert_non_null(strstr(pg[np - 1], "回执内容"));
    free(text);
    free(path);
}

/* A path that cannot be written: the OS's reason in Chinese, nothing
 * left behind. */
static void test_unwritable(void **state)
{
    fixture *f = *state;
    print_doc *d = print_doc_new(&(print_setup){.station = "站", .title = "表"});
    print_paragraph(d, "内容");
    char *path = testutil_path(f->dir, "no/such/folder/x.pdf");
    char err[512];
    assert_int_equal(print_doc_write(d, path, NULL, err, sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, "文件或文件夹不存在"));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    /* A folder where the file should be. */
    assert_int_equal(print_doc_write(d, f->dir, NULL, err, sizeof err), WS_ERR_IO);
    assert_true(err[0] != '\0');
    print_doc_free(&d);
    free(path);
}

/* Text nobody should print still ends: a header of 3,000 characters, a
 * cell of 20,000 without a break opportunity, a page break and a tear-off
 * on an empty page, an empty table. */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 20000;
    char *big = malloc(n * 3 + 1), *head = malloc(3000 * 3 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(big + i * 3, "字", 3);
    big[n * 3] = '\0';
    for (size_t i = 0; i < 3000; i++)
        memcpy(head + i * 3, "表", 3);
    head[3000 * 3] = '\0';
    print_doc *d = print_doc_new(&(print_setup){.station = "站", .title = "表"});
    print_page_break(d);
    print_tear_off(d, "回执");
    print_column cols[] = {{head, 0, PRINT_LEFT}, {"x", 40, PRINT_RIGHT}};
    print_table(d, cols, 2, 400);
    const char *row[] = {big, big};
    print_row(d, row);
    print_table(d, cols + 1, 1, 0);
    print_paragraph(d, "");
    char *data = NULL;
    size_t len = 0;
    int pages = 0;
    char err[512];
    assert_int_equal(print_doc_pdf(d, &data, &len, &pages, err, sizeof err), WS_OK);
    assert_true(pages > 3 && pages < 200);
    free(data);
    print_doc_free(&d);
    free(big);
    free(head);
}

static void test_font_found(void **state)
{
    (void)state;
    char fam[256];
    print_font_family(fam, sizeof fam);
    assert_true(fam[0] != '\0');
}

/* A print is in the access log before it is made. */
static void test_log(void **state)
{
    (void)state;
    testutil_station *t = testutil_station_open(true);
    assert_non_null(t);
    assert_int_equal(print_log(t->st, "resident", "residents", 42, "/tmp/x.pdf", true), WS_OK);
    assert_int_equal(testutil_raw_int(t->raw, "SELECT count(*) FROM access_log WHERE event = "
                                              "'print' AND table_name = 'residents' AND row_id "
                                              "= 42 AND json_extract(detail, '$.masked') = 1",
                                      0),
                     1);
    testutil_station_close(&t);
}

/* A 志愿服务记录证明 gives the station's telephone from station.yaml
 * (the line was left to fill by hand). */
static void test_certificate_contact(void **state)
{
    NEED_PDFTOTEXT();
    (void)state;
    testutil_station *t = testutil_station_open(false);
    assert_non_null(t);
    station_config *cfg = NULL;
    char err[512];
    const char yaml[] = "station:\n  phone: 0817-2345678\n";
    assert_int_equal(config_parse("station.yaml", yaml, sizeof yaml - 1, &cfg, err, sizeof err),
                     WS_OK);
    station *st = NULL;
    assert_int_equal(station_open(t->path, STATION_TRUSTED, cfg, &st, err, sizeof err), WS_OK);
    volunteer v;
    volunteer_init(&v);
    snprintf(v.name, sizeof v.name, "尹春燕");
    snprintf(v.registered_date, sizeof v.registered_date, "2026-01-01");
    record_error re;
    assert_int_equal(record_save(st, &kind_volunteer, &v, &re), WS_OK);
    hour_entry e = {.volunteer_id = v.id, .minutes = 90};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-02");
    assert_int_equal(hours_add(st, &e, &re, NULL), WS_OK);
    char *path = testutil_path(t->dir, "cert.pdf");
    int pages = 0;
    char number[48];
    assert_int_equal(print_certificate(st, v.id, "", "", path, &pages, number, sizeof number,
                                       err, sizeof err), WS_OK);
    char *text = pdf_text(path);
    squeeze(text);
    assert_non_null(strstr(text, "联系电话0817-2345678"));
    free(text);
    free(path);
    station_close(&st);
    config_free(&cfg);
    const char bad[] = "station:\n  phone: 客服热线\n";
    assert_int_equal(config_parse("station.yaml", bad, sizeof bad - 1, &cfg, err, sizeof err),
                     WS_ERR_YAML);
    assert_non_null(strstr(err, "station.yaml:2:10:"));
    testutil_station_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_long_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signin_landscape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_font_found),
        cmocka_unit_test(test_log),
            cmocka_unit_test(test_certificate_contact),
};
    return testutil_run(tests);
}
