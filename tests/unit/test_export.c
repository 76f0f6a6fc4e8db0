/* Exporting residents: CSV (UTF-8 with BOM, GB18030), masking and the
 * audit row of an unmasked export, the list filter, XLSX opened again and
 * checked cell by cell, and the round trip export -> import. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/community.h"
#include "wushe/export.h"
#include "wushe/household.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/workbook.h"

typedef struct fixture {
    char *dir;
    char *path;
    station *st;
} fixture;

static char ID_ZHANG[19], ID_OUYANG[19];

static void make_id(const char *birth8, int seq, char out[19])
{
    char body[18];
    snprintf(body, sizeof body, "110105%.8s%03d", birth8, seq);
    memcpy(out, body, 17);
    out[17] = val_id_check_char(body);
    out[18] = '\0';
}

static station *open_station(const char *dir, const char *name, char **path)
{
    *path = testutil_path(dir, name);
    station *st = NULL;
    char err[512];
    if (station_open(*path, STATION_CREATE | STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK) {
        fprintf(stderr, "station_open: %s\n", err);
        return NULL;
    }
    station_set_actor(st, "tester");
    return st;
}

static void import_text(station *st, const char *dir, const char *name, const char *utf8)
{
    char *path = testutil_path(dir, name);
    assert_int_equal(enc_write_file(path, utf8, strlen(utf8)), WS_OK);
    import_report rep;
    import_opts o = {0};
    char err[1024];
    assert_int_equal(import_residents(st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    free(path);
}

/* A register with what a ledger carries: households and heads, groups,
 * a landline, commas and quotes in addresses, a resident without an ID. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = testutil_tmpdir();
    f->st = open_station(f->dir, "station.db", &f->path);
    if (!f->st)
        return -1;
    make_id("19800102", 11, ID_ZHANG);
    make_id("19491231", 2, ID_OUYANG);
    char text[2048];
    snprintf(text, sizeof text,
             "姓名,性别,身份证号,出生日期,联系电话,民族,所属社区/村,户号,与户主关系,住址,人员类别,"
             "残疾类别,残疾等级,残疾证号,备注\n"
             "张伟,男,%s,,13812345678,汉族,青石村,H00001,户主,\"青石村一组, 12号\",低保、残疾,"
             "肢体,二级,%s42,\"说\"\"要复查\"\"\"\n"
             "欧阳娜娜,女,%s,,0832-1234567,彝族,学堂湾社区,H00002,户主,学堂湾路3号,特困,,,,\n"
             "李秀英,女,,1956-03-04,,汉族,青石村,H00001,配偶,青石村一组,空巢、独居,,,,\n",
             ID_ZHANG, ID_ZHANG, ID_OUYANG);
    import_text(f->st, f->dir, "seed.csv", text);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    station_close(&f->st);
    free(f->path);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

static int64_t q_int(station *st, const char *sql)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static char *read_all(const char *path, size_t *len)
{
    char *buf = NULL;
    assert_int_equal(enc_read_file(path, &buf, len), WS_OK);
    return buf;
}

/* ---- CSV ---- */

static void test_csv_default(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "out.csv");
    export_opts o = {.format = export_format_for(path)};
    assert_int_equal(o.format, EXPORT_CSV);
    size_t rows = 0;
    char err[512];
    assert_int_equal(export_residents(f->st, path, &o, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 3);
    size_t len;
    char *buf = read_all(path, &len);
    assert_memory_equal(buf, "\xef\xbb\xbf", 3); /* BOM: Excel and WPS read UTF-8 right */
    const char *head = "姓名,性别,身份证号,出生日期,联系电话,民族,所属社区/村,户号,"
                       "与户主关系,住址,人员类别,残疾类别,残疾等级,残疾证号,备注\r\n";
    assert_true(strncmp(buf + 3, head, strlen(head)) == 0);
    char masked[32];
    mask_id_number(ID_ZHANG, masked, sizeof masked);
    assert_non_null(strstr(buf, masked));
    assert_null(strstr(buf, ID_ZHANG));
    assert_null(strstr(buf, "13812345678"));
    assert_non_null(strstr(buf, "138****5678"));
    assert_non_null(strstr(buf, "张伟,男,"));
    char tail[256], cert[32], mcert[32];
    snprintf(cert, sizeof cert, "%s42", ID_ZHANG);
    mask_id_number(cert, mcert, sizeof mcert);
    snprintf(tail, sizeof tail, "\"青石村一组, 12号\",低保、残疾,肢体残疾,二级,%s,\"说\"\"要复查\"\"\"\r\n",
             mcert);
    assert_non_null(strstr(buf, tail));
    assert_null(strstr(buf, cert));
    /* A masked export is recorded too, as masked, with its rows. */
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                  " AND json_extract(detail, '$.masked') = 0"),
                     0);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                  " AND json_extract(detail, '$.masked') = 1 AND rows > 0"),
                     1);
    free(buf);
    free(path);
}

static void test_csv_gb18030_unmasked(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "out-gbk.csv");
    export_opts o = {.format = EXPORT_CSV, .encoding = "gbk", .unmasked = true};
    size_t rows = 0;
    char err[512];
    assert_int_equal(export_residents(f->st, path, &o, &rows, err, sizeof err), WS_OK);
    size_t len;
    char *buf = read_all(path, &len);
    enc_info info;
    enc_detect(buf, len, &info);
    assert_string_equal(info.name, "GB18030");
    assert_false(info.bom);
    char *u8 = NULL;
    size_t ulen;
    assert_int_equal(enc_to_utf8(buf, len, "GB18030", &u8, &ulen, NULL), WS_OK);
    /* ID numbers get a tab in front, X last or not: Excel keeps them as
     * text (one rule with the error files, csv_put_cell). */
    char want[64];
    const char *ids[] = {ID_ZHANG, ID_OUYANG};
    for (int i = 0; i < 2; i++) {
        snprintf(want, sizeof want, ",\t%s,", ids[i]);
        assert_non_null(strstr(u8, want));
    }
    assert_non_null(strstr(u8, ",\t13812345678,"));
    assert_non_null(strstr(u8, ",0832-1234567,"));
    /* Recorded, with who and which file, before the rows left. */
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                  " AND login = 'tester' AND json_extract(detail, '$.masked') = 0"
                                  " AND json_extract(detail, '$.file') LIKE '%out-gbk.csv'"),
                     1);
    free(u8);
    free(buf);
    free(path);
}

static void test_filter_and_stdout(void **state)
{
    fixture *f = *state;
    export_opts o = {.format = EXPORT_CSV, .filter = "张"};
    char *out = NULL;
    size_t len = 0, rows = 0;
    char err[512];
    assert_int_equal(export_residents_csv(f->st, &o, &out, &len, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(out, "张伟"));
    assert_null(strstr(out, "李秀英"));
    free(out);
    o.filter = "lxy"; /* pinyin initials, as the list filter takes them */
    assert_int_equal(export_residents_csv(f->st, &o, &out, &len, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(out, "李秀英"));
    free(out);
    o.encoding = "klingon";
    assert_int_equal(export_residents_csv(f->st, &o, &out, &len, &rows, err, sizeof err),
                     WS_ERR_USAGE);
}

/* ---- XLSX, opened again ---- */

static char *unzip(const char *file, const char *member)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", file, member);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* Shared strings, if the workbook has them. */
static const char *shared_string(const char *sst, int index, char *out, size_t outsz)
{
    const char *p = sst;
    for (int i = 0; p && i <= index; i++) {
        p = strstr(p, "<si>");
        if (p)
            p += 4;
    }
    assert_non_null(p);
    const char *t = strstr(p, "<t");
    t = strchr(t, '>') + 1;
    const char *e = strstr(t, "</t>");
    snprintf(out, outsz, "%.*s", (int)(e - t), t);
    return out;
}

/* The value of cell ref ("C2") as text; *style gets its s attribute and
 * *type its t attribute ("" for a number). */
static bool cell(const char *sheet, const char *sst, const char *ref, char *out, size_t outsz,
                 int *style, char *type, size_t typesz)
{
    char needle[32];
    snprintf(needle, sizeof needle, "<c r=\"%s\"", ref);
    const char *c = strstr(sheet, needle);
    out[0] = type[0] = '\0';
    *style = 0;
    if (!c)
        return false;
    const char *end = strchr(c, '>');
    const char *close = strstr(c, "</c>");
    char head[256];
    snprintf(head, sizeof head, "%.*s", (int)(end - c), c);
    const char *s = strstr(head, " s=\"");
    if (s)
        *style = atoi(s + 4);
    const char *t = strstr(head, " t=\"");
    if (t)
        snprintf(type, typesz, "%.*s", (int)(strchr(t + 4, '"') - (t + 4)), t + 4);
    if (end[-1] == '/')
        return true; /* empty */
    const char *v = strstr(end, "<v>");
    const char *tt = strstr(end, "<t");
    if (!strcmp(type, "inlineStr") && tt && tt < close) {
        tt = strchr(tt, '>') + 1;
        snprintf(out, outsz, "%.*s", (int)(strstr(tt, "</t>") - tt), tt);
    } else if (v && v < close) {
        v += 3;
        snprintf(out, outsz, "%.*s", (int)(strstr(v, "</v>") - v), v);
        if (!strcmp(type, "s"))
            shared_string(sst, atoi(out), out, outsz);
    }
    return true;
}

/* Excel's serial day of a date (the 1900 system; after 1900-03-01). */
static long excel_serial(int y, int m, int d)
{
    /* Days from 1970-01-01 (Howard Hinnant's days_from_civil). */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + 25569;
}

static void check_xlsx(fixture *f, bool unmasked)
{
    char *path = testutil_path(f->dir, unmasked ? "full.xlsx" : "masked.xlsx");
    export_opts o = {.format = export_format_for(path), .unmasked = unmasked};
    assert_int_equal(o.format, EXPORT_XLSX);
    size_t rows = 0;
    char err[512];
    assert_int_equal(export_residents(f->st, path, &o, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 3);
    char *sheet = unzip(path, "xl/worksheets/sheet1.xml");
    char *sst = NULL;
    if (strstr(sheet, "t=\"s\""))
        sst = unzip(path, "xl/sharedStrings.xml");
    char *styles = unzip(path, "xl/styles.xml");
    char *wb = unzip(path, "xl/workbook.xml");
    assert_non_null(strstr(wb, "name=\"居民\""));
    char v[256], type[16];
    int style;
    /* The header row. */
    static const char *const heads[] = {"姓名", "性别", "身份证号", "出生日期", "联系电话", "民族",
                                        "所属社区/村", "户号", "与户主关系", "住址", "人员类别",
                                        "残疾类别", "残疾等级", "残疾证号", "备注"};
    for (int i = 0; i < 15; i++) {
        char ref[8];
        snprintf(ref, sizeof ref, "%c1", 'A' + i);
        assert_true(cell(sheet, sst, ref, v, sizeof v, &style, type, sizeof type));
        assert_string_equal(v, heads[i]);
    }
    /* Frozen under the header. */
    assert_non_null(strstr(sheet, "ySplit=\"1\""));
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    /* Rows in pinyin order: 李秀英, 欧阳娜娜, 张伟. */
    assert_true(cell(sheet, sst, "A2", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "李秀英");
    assert_true(cell(sheet, sst, "A4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "张伟");
    /* The ID number is text, all 18 characters, never a number. */
    assert_true(cell(sheet, sst, "C4", v, sizeof v, &style, type, sizeof type));
    assert_true(!strcmp(type, "inlineStr") || !strcmp(type, "s"));
    char want[32];
    if (unmasked)
        snprintf(want, sizeof want, "%s", ID_ZHANG);
    else
        mask_id_number(ID_ZHANG, want, sizeof want);
    assert_string_equal(v, want);
    assert_true(cell(sheet, sst, "E4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, unmasked ? "13812345678" : "138****5678");
    assert_true(strcmp(type, "") != 0);
    /* Dates are dates: a serial number in a yyyy-mm-dd style; masked, the
     * year only (the birth date would give the ID number's hidden digits
     * back). */
    assert_true(cell(sheet, sst, "D3", v, sizeof v, &style, type, sizeof type));
    if (unmasked) {
        assert_string_equal(type, "");
        assert_int_equal(atol(v), excel_serial(1949, 12, 31));
        assert_true(style > 0);
    } else {
        assert_string_equal(v, "1949-**-**");
    }
    if (unmasked)
        assert_non_null(strstr(styles, "formatCode=\"yyyy\\-mm\\-dd\"") ? styles
                        : strstr(styles, "formatCode=\"yyyy-mm-dd\""));
    assert_true(cell(sheet, sst, "D2", v, sizeof v, &style, type, sizeof type));
    if (unmasked)
        assert_int_equal(atol(v), excel_serial(1956, 3, 4));
    else
        assert_string_equal(v, "1956-**-**");
    /* Other cells. */
    assert_true(cell(sheet, sst, "K4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "低保、残疾");
    assert_true(cell(sheet, sst, "J4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "青石村一组, 12号");
    assert_true(cell(sheet, sst, "L4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "肢体残疾");
    assert_true(cell(sheet, sst, "M4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "二级");
    /* The certificate number is text too (20 digits). */
    assert_true(cell(sheet, sst, "N4", v, sizeof v, &style, type, sizeof type));
    assert_true(!strcmp(type, "inlineStr") || !strcmp(type, "s"));
    char cert[32];
    snprintf(cert, sizeof cert, "%s42", ID_ZHANG);
    if (!unmasked)
        mask_id_number(cert, want, sizeof want);
    assert_string_equal(v, unmasked ? cert : want);
    assert_true(cell(sheet, sst, "O4", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "说\"要复查\"");
    assert_true(cell(sheet, sst, "H2", v, sizeof v, &style, type, sizeof type));
    assert_string_equal(v, "H00001");
    /* Column widths count a Chinese character as two: 身份证号 fits 18
     * characters, 住址 "青石村一组, 12号" (16 columns) more than 姓名. */
    const char *cols = strstr(sheet, "<cols>");
    assert_non_null(cols);
    double w[13] = {0};
    for (const char *p = cols; (p = strstr(p, "<col ")) && p < strstr(cols, "</cols>"); p++) {
        int min = atoi(strstr(p, "min=\"") + 5);
        double width = atof(strstr(p, "width=\"") + 7);
        if (min >= 1 && min <= 12)
            w[min] = width;
    }
    assert_true(w[3] >= 18);
    assert_true(w[10] >= 16);
    assert_true(w[1] < w[10]);
    assert_true(w[1] >= 8); /* 欧阳娜娜: 8 columns */
    free(sheet);
    free(sst);
    free(styles);
    free(wb);
    free(path);
}

static void test_xlsx(void **state)
{
    fixture *f = *state;
    check_xlsx(f, false);
    check_xlsx(f, true);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                  " AND json_extract(detail, '$.masked') = 0"),
                     1);
}

/* ---- round trip ---- */

static void snapshot(station *st, char *out, size_t outsz)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(st)),
        "SELECT group_concat(x, char(10)) FROM (SELECT r.name || '|' || coalesce(r.id_number, '')"
        " || '|' || r.sex || '|' || coalesce(r.birth_date, '') || '|' || r.phone || '|' ||"
        " r.ethnicity || '|' || coalesce(c.name, '') || '|' || coalesce(h.number, '') || '|' ||"
        " r.relation || '|' || r.address || '|' || r.notes || '|' ||"
        " coalesce((SELECT group_concat(x, ',') FROM (SELECT group_code || disability_type ||"
        " disability_grade || cert_no AS x FROM resident_groups g WHERE g.resident_id = r.id"
        " ORDER BY 1)), '') ||"
        " '|' || coalesce((SELECT hh.number FROM households hh WHERE hh.head_id = r.id), '') AS x"
        " FROM residents r LEFT JOIN communities c ON c.id = r.community_id"
        " LEFT JOIN households h ON h.id = r.household_id WHERE r.deleted_at IS NULL"
        " ORDER BY r.name)",
        -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    char before[4096], after[4096];
    snapshot(f->st, before, sizeof before);
    char want[256];
    snprintf(want, sizeof want, "张伟|%s|1|1980-01-02|13812345678|01|青石村|H00001|head|"
             "青石村一组, 12号|说\"要复查\"|dibao,disabled42%s42|H00001", ID_ZHANG, ID_ZHANG);
    assert_non_null(strstr(before, want));
    assert_non_null(strstr(before, "李秀英||2|1956-03-04||01|青石村|H00001|spouse|青石村一组||"
                                   "empty_nest,living_alone|"));
    static const struct {
        const char *lang;
        const char *encoding;
    } cases[] = {{"zh_CN", NULL}, {"zh_CN", "GB18030"}, {"en", NULL}, {"zh_CN", "UTF-16LE"}};
    char err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(i18n_init(cases[i].lang, err, sizeof err), WS_OK);
        char name[64];
        snprintf(name, sizeof name, "trip%zu.csv", i);
        char *path = testutil_path(f->dir, name);
        export_opts o = {.format = EXPORT_CSV, .encoding = cases[i].encoding, .unmasked = true};
        size_t rows;
        assert_int_equal(export_residents(f->st, path, &o, &rows, err, sizeof err), WS_OK);
        snprintf(name, sizeof name, "trip%zu.db", i);
        char *dbpath = NULL;
        station *st2 = open_station(f->dir, name, &dbpath);
        assert_non_null(st2);
        import_report rep;
        import_opts io = {0};
        assert_int_equal(import_residents(st2, path, &io, &rep, err, sizeof err), WS_OK);
        assert_int_equal(rep.counts[IMPORT_NEW], 3);
        assert_int_equal(rep.counts[IMPORT_INVALID], 0);
        for (size_t c = 0; c < rep.ncols; c++)
            assert_int_not_equal(rep.cols[c].field, IMP_NONE);
        import_report_free(&rep);
        snapshot(st2, after, sizeof after);
        assert_string_equal(after, before);
        /* Back again: nothing changes. */
        assert_int_equal(import_residents(st2, path, &io, &rep, err, sizeof err), WS_OK);
        assert_int_equal(rep.counts[IMPORT_UNCHANGED], 3);
        import_report_free(&rep);
        station_close(&st2);
        free(dbpath);
        free(path);
    }
    assert_int_equal(i18n_init("zh_CN", err, sizeof err), WS_OK);
    /* A masked export cannot come back as data: every row says why. */
    char *path = testutil_path(f->dir, "masked.csv");
    export_opts o = {.format = EXPORT_CSV};
    assert_int_equal(export_residents(f->st, path, &o, NULL, err, sizeof err), WS_OK);
    char *dbpath = NULL;
    station *st3 = open_station(f->dir, "masked.db", &dbpath);
    import_report rep;
    import_opts io = {.dry_run = true};
    assert_int_equal(import_residents(st3, path, &io, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 3); /* the birth dates are masked too */
    import_report_free(&rep);
    station_close(&st3);
    free(dbpath);
    free(path);
}

/* A declared kind exports its ledger fields the same way: labels for
 * titles, references by their title, masked numbers unless unmasked (then
 * audited first), the filter of its list. */
static void test_kind(void **state)
{
    fixture *f = *state;
    household h;
    household_error he;
    assert_int_equal(household_load(f->st, q_int(f->st, "SELECT id FROM households WHERE"
                                                        " number = 'H00002'"), &h), WS_OK);
    snprintf(h.phone, sizeof h.phone, "13800138000");
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    export_opts o = {.format = EXPORT_CSV};
    char *out = NULL, err[256];
    size_t len = 0, rows = 0;
    assert_int_equal(export_kind_csv(f->st, &kind_household, &o, &out, &len, &rows, err,
                                     sizeof err), WS_OK);
    assert_int_equal(rows, 2);
    assert_non_null(strstr(out, "户号,社区/村,户主,住址,联系电话,备注\r\n"));
    /* The import made the household with its first member's address. */
    if (!strstr(out, "H00002,学堂湾社区,欧阳娜娜,学堂湾路3号,138****8000"))
        fail_msg("%s", out);
    assert_null(strstr(out, "13800138000"));
    free(out);
    o.unmasked = true;
    o.filter = "欧阳";
    assert_int_equal(export_kind_csv(f->st, &kind_household, &o, &out, &len, &rows, err,
                                     sizeof err), WS_OK);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(out, "13800138000"));
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                  " AND table_name = 'households' AND json_extract(detail,"
                                  " '$.masked') = 0"),
                     1);
    free(out);
    char *path = testutil_path(f->dir, "communities.xlsx");
    o = (export_opts){.format = EXPORT_XLSX};
    assert_int_equal(export_kind(f->st, &kind_community, path, &o, &rows, err, sizeof err), WS_OK);
    assert_int_equal(rows, 2);
    /* Each sheet is named after what it holds ('/' is not allowed there). */
    workbook *wb = NULL;
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_OK);
    assert_string_equal(workbook_sheet_name(wb, 0), "社区、村");
    workbook_free(&wb);
    assert_int_equal(export_kind(f->st, &kind_household, path, &o, &rows, err, sizeof err), WS_OK);
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_OK);
    assert_string_equal(workbook_sheet_name(wb, 0), "户");
    workbook_free(&wb);
    free(path);
    /* A 户号 of digits with zeros in front (a village's, from the 户口簿)
     * stays text in Excel, in the households' export and the residents'. */
    snprintf(h.number, sizeof h.number, "000123");
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    o = (export_opts){.format = EXPORT_CSV};
    assert_int_equal(export_kind_csv(f->st, &kind_household, &o, &out, &len, &rows, err,
                                     sizeof err), WS_OK);
    if (!strstr(out, "\t000123,"))
        fail_msg("%s", out);
    free(out);
    path = testutil_path(f->dir, "zeros.csv");
    assert_int_equal(export_residents(f->st, path, &o, &rows, err, sizeof err), WS_OK);
    size_t n = 0;
    char *text = read_all(path, &n);
    assert_non_null(text);
    if (!strstr(text, ",\t000123,"))
        fail_msg("%s", text);
    free(text);
    free(path);
}

/* No export is ever written over a station, a backup or a database's log
 * beside it (a script that forgot --db named the station as the output):
 * refused before anything is recorded, the file as it was. */
static void test_never_over_station(void **state)
{
    fixture *f = *state;
    char err[1024];
    size_t before = 0, after = 0;
    char *was = read_all(f->path, &before);
    int64_t logged = q_int(f->st, "SELECT count(*) FROM access_log");
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    const char *targets[] = {f->path, wal};
    for (size_t i = 0; i < 2; i++)
        for (int fmt = 0; fmt < 2; fmt++) {
            export_opts o = {.format = fmt ? EXPORT_XLSX : EXPORT_CSV};
            assert_int_not_equal(export_residents(f->st, targets[i], &o, NULL, err, sizeof err),
                                 WS_OK);
            assert_non_null(strstr(err, "站点文件或备份"));
            assert_int_not_equal(export_kind(f->st, &kind_household, targets[i], &o, NULL, err,
                                             sizeof err),
                                 WS_OK);
        }
    char *now = read_all(f->path, &after);
    assert_int_equal(after, before);
    assert_memory_equal(now, was, before);
    free(now);
    free(was);
    assert_int_equal(q_int(f->st, "SELECT count(*) FROM access_log"), logged);
    /* An encrypted backup's file is refused too; an old CSV is replaced. */
    char *bak = testutil_path(f->dir, "x.wushe-backup");
    FILE *fp = fopen(bak, "wb");
    fputs("WUSHEBAK\x01\x01 and the rest of it", fp);
    fclose(fp);
    assert_int_equal(enc_write_file(bak, "a,b\r\n", 5), WS_ERR_IO);
    char *csv = testutil_path(f->dir, "old.csv");
    fp = fopen(csv, "wb");
    fputs("old", fp);
    fclose(fp);
    assert_false(enc_output_protected(csv));
    assert_int_equal(enc_write_file(csv, "a,b\r\n", 5), WS_OK);
    free(csv);
    free(bak);
}

int main(void)
{
    char err[256];
    if (i18n_init("zh_CN", err, sizeof err) != WS_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_gb18030_unmasked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_and_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_over_station, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
