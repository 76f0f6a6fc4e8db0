/* Excel workbooks in: .xlsx written here with libxlsxwriter (or, for what
 * it cannot write, with libzip from raw XML parts), .xls from the
 * committed fixture (tests/unit/fixtures/make_xls.pl). Cells typed as the
 * workbook says, the header below a merged title, --sheet, every import
 * taking workbooks, and the bad files: a renamed CSV, a password, a zip
 * bomb, a formula without its value, a sheet of 1,048,576 rows. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/encoding.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/record.h"
#include "wushe/resources_io.h"
#include "wushe/workbook.h"

#ifndef WUSHE_FIXTURES
#error "WUSHE_FIXTURES names tests/unit/fixtures"
#endif

typedef testutil_station fixture;

static int setup(void **state)
{
    fixture *f = testutil_station_open(false);
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f);
    return 0;
}

/* Valid ID numbers (the check digits computed once). */
#define ID_ZHANG "110105198001020011"
#define ID_LI "110105198103040021"
#define ID_WANG "110105199005060031"

/* The station's ledger as a clerk keeps it: a merged title over two rows,
 * a blank row, the header on row 7; a text ID, a date cell (custom
 * format), a date in a built-in format (14), a phone typed as a number, a
 * formula with its saved result; a row whose ID number was typed as a
 * number; a second sheet. */
static char *write_ledger(fixture *f, const char *name)
{
    char *path = testutil_path(f->dir, name);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_format *date14 = workbook_add_format(wb);
    format_set_num_format_index(date14, 14);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    worksheet_merge_range(ws, 0, 0, 1, 5, "幸福社区居民花名册（2026年）", title);
    worksheet_write_string(ws, 3, 0, "填报单位：幸福社区", NULL);
    const char *heads[] = {"序号", "姓名", "性别", "身份证号", "出生日期", "联系电话", "备注"};
    for (int c = 0; c < 7; c++)
        worksheet_write_string(ws, 6, (lxw_col_t)c, heads[c], NULL);
    worksheet_write_number(ws, 7, 0, 1, NULL);
    worksheet_write_string(ws, 7, 1, "张三", NULL);
    worksheet_write_string(ws, 7, 2, "男", NULL);
    worksheet_write_string(ws, 7, 3, ID_ZHANG, text);
    worksheet_write_number(ws, 7, 4, 29222, date); /* 1980-01-02 */
    worksheet_write_number(ws, 7, 5, 13812345678.0, NULL);
    worksheet_write_formula_str(ws, 7, 6, "=\"低保\"&\"户\"", NULL, "低保户");
    worksheet_write_number(ws, 8, 0, 2, NULL);
    worksheet_write_string(ws, 8, 1, "王五", NULL);
    worksheet_write_string(ws, 8, 2, "男", NULL);
    worksheet_write_string(ws, 8, 3, ID_WANG, NULL);
    worksheet_write_number(ws, 8, 4, 32999, date14); /* 1990-05-06 */
    worksheet_write_formula_num(ws, 8, 5, "=13900000000+1", NULL, 13900000001.0);
    worksheet_write_number(ws, 9, 0, 3, NULL);
    worksheet_write_string(ws, 9, 1, "李四", NULL);
    worksheet_write_string(ws, 9, 2, "女", NULL);
    worksheet_write_number(ws, 9, 3, 110105198103040021.0, NULL);
    worksheet_write_string(ws, 11, 0, "合计：3 人", NULL);
    lxw_worksheet *two = workbook_add_worksheet(wb, "第二页");
    worksheet_write_string(two, 0, 0, "姓名", NULL);
    worksheet_write_string(two, 0, 1, "身份证号", NULL);
    worksheet_write_string(two, 1, 0, "赵六", NULL);
    worksheet_write_string(two, 1, 1, "110105200001010016", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

/* An .xlsx from raw parts (what libxlsxwriter will not write). */
static char *write_raw_xlsx(fixture *f, const char *name, const char *sheet_xml,
                            size_t sheet_len)
{
    static const char wbx[] =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/"
        "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" "
        "r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/></Relationships>";
    char *path = testutil_path(f->dir, name);
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    zip_source_t *s1 = zip_source_buffer(z, wbx, sizeof wbx - 1, 0);
    zip_source_t *s2 = zip_source_buffer(z, rels, sizeof rels - 1, 0);
    zip_source_t *s3 = zip_source_buffer(z, sheet_xml, sheet_len, 0);
    assert_true(zip_file_add(z, "xl/workbook.xml", s1, 0) >= 0);
    assert_true(zip_file_add(z, "xl/_rels/workbook.xml.rels", s2, 0) >= 0);
    assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", s3, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    return path;
}

/* All rows of the selected sheet, "row: a|b|c" per line. */
static char *read_rows(const char *path, const char *sheet, ws_status *status, char *err,
                       size_t errsz)
{
    workbook *wb = NULL;
    *status = workbook_open(path, NULL, &wb, err, errsz);
    if (*status != WS_OK)
        return NULL;
    *status = workbook_select(wb, sheet, err, errsz);
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    workbook_row row;
    while (*status == WS_OK && (*status = workbook_next(wb, &row, err, errsz)) == WS_OK) {
        fprintf(m, "%zu:", row.row);
        for (size_t i = 0; i < row.n; i++)
            fprintf(m, "%s%s", i ? "|" : " ", row.cells[i]);
        fputc('\n', m);
    }
    fclose(m);
    if (*status == WS_ERR_NOT_FOUND)
        *status = WS_OK;
    workbook_free(&wb);
    return out;
}

static void test_cells_typed(void **state)
{
    fixture *f = *state;
    char *path = write_ledger(f, "台账.xlsx");
    char err[1024];
    ws_status s;
    char *rows = read_rows(path, NULL, &s, err, sizeof err);
    assert_int_equal(s, WS_OK);
    /* the merged title is its first cell; dates as dates, the text ID and
     * the phone as written, the formulas' saved results, the ID typed as a
     * number with its digits gone as Excel shows it */
    assert_non_null(strstr(rows, "1: 幸福社区居民花名册（2026年）\n"));
    assert_non_null(strstr(rows, "7: 序号|姓名|性别|身份证号|出生日期|联系电话|备注\n"));
    assert_non_null(strstr(rows, "8: 1|张三|男|" ID_ZHANG "|1980-01-02|13812345678|低保户\n"));
    assert_non_null(strstr(rows, "9: 2|王五|男|" ID_WANG "|1990-05-06|13900000001\n"));
    assert_non_null(strstr(rows, "10: 3|李四|女|1.10105E+17\n"));
    free(rows);

    workbook *wb = NULL;
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_OK);
    assert_int_equal(workbook_sheet_count(wb), 2);
    assert_string_equal(workbook_sheet_name(wb, 1), "第二页");
    assert_int_equal(workbook_select(wb, "没有这页", err, sizeof err), WS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "没有这页"));
    assert_non_null(strstr(err, "花名册、第二页"));
    workbook_free(&wb);
    free(path);
}

static void test_import_residents(void **state)
{
    fixture *f = *state;
    char *path = write_ledger(f, "台账.xlsx");
    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.header_line, 7);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(rep.skipped, 1); /* 合计 */
    /* the ID typed as a number is refused as in a CSV, on its own row */
    bool refused = false;
    for (size_t i = 0; i < rep.nnotes; i++)
        if (rep.notes[i].cls == IMPORT_INVALID && rep.notes[i].line == 10 &&
            strstr(rep.notes[i].text, tr("import.scientific")))
            refused = true;
    assert_true(refused);
    /* the error rows are a CSV beside the workbook */
    size_t n = strlen(rep.error_path);
    assert_true(n > 4 && !strcmp(rep.error_path + n - 4, ".csv"));
    assert_non_null(strstr(rep.error_path, "台账_错误行"));
    import_report_free(&rep);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(f->st)),
                                        "SELECT birth_date || ' ' || phone FROM residents"
                                        " WHERE id_number = '" ID_ZHANG "'", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "1980-01-02 13812345678");
    sqlite3_finalize(q);

    /* --sheet: the second sheet; an unknown one says which there are and
     * writes nothing */
    o.sheet = "第二页";
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    o.sheet = "Sheet9";
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err),
                     WS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "花名册、第二页"));
    import_report_free(&rep);
    int64_t count = 0;
    assert_int_equal(resident_count(f->st, NULL, &count), WS_OK);
    assert_int_equal(count, 3);
    free(path);
}

/* One reader for every import: communities, then households naming them,
 * from workbooks. */
static void test_import_kind(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "村.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "名称", NULL);
    worksheet_write_string(ws, 0, 1, "类型", NULL);
    worksheet_write_string(ws, 0, 2, "区划代码", NULL);
    worksheet_write_string(ws, 1, 0, "桃源村", NULL);
    worksheet_write_string(ws, 1, 1, "村", NULL);
    worksheet_write_string(ws, 1, 2, "510902105202", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    import_opts o = {0};
    kind_import_report rep;
    char err[1024];
    assert_int_equal(import_kind(f->st, &kind_community, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 1);
    /* no 户号 column: the message names the sheet, not an encoding */
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err),
                     WS_ERR_INVALID);
    assert_non_null(strstr(err, "工作表“Sheet1”"));
    res_import_report rr;
    assert_int_equal(res_import_donations(f->st, path, &o, &rr, err, sizeof err),
                     WS_ERR_INVALID);
    assert_non_null(strstr(err, "工作表“Sheet1”"));
    free(path);

    path = testutil_path(f->dir, "户.xlsx");
    wb = workbook_new(path);
    ws = workbook_add_worksheet(wb, NULL);
    worksheet_merge_range(ws, 0, 0, 0, 2, "户台账", NULL);
    worksheet_write_string(ws, 2, 0, "户号", NULL);
    worksheet_write_string(ws, 2, 1, "所属社区", NULL);
    worksheet_write_string(ws, 2, 2, "住址", NULL);
    worksheet_write_string(ws, 3, 0, "H001", NULL);
    worksheet_write_string(ws, 3, 1, "桃源村", NULL);
    worksheet_write_string(ws, 3, 2, "桃源村一组", NULL);
    worksheet_write_string(ws, 4, 0, "H002", NULL);
    worksheet_write_string(ws, 4, 1, "桃源村", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 2);
    int64_t n = 0;
    assert_int_equal(record_count(f->st, &kind_household, NULL, &n), WS_OK);
    assert_int_equal(n, 2);
    free(path);
}

/* A line break typed in a cell (Alt+Enter) stays in a multi-line field
 * (a household's 备注) and joins a one-line one's Chinese (住址); the rows
 * keep the sheet's numbers; the households exported as a workbook import
 * back with nothing changed. */
static void test_line_breaks(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "户.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *heads[] = {"户号", "住址", "备注"};
    for (int c = 0; c < 3; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], NULL);
    worksheet_write_string(ws, 1, 0, "H001", NULL);
    worksheet_write_string(ws, 1, 1, "桃源村\n一组", NULL);
    worksheet_write_string(ws, 1, 2, "独居老人，买菜不便。\r\n已联系邻居每周代买。", NULL);
    worksheet_write_string(ws, 2, 0, "H002", NULL);
    worksheet_write_string(ws, 2, 1, "桃源村二组", NULL); /* a 户号 alone makes no household */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    ws_status st;
    char err[1024];
    char *rows = read_rows(path, NULL, &st, err, sizeof err);
    assert_int_equal(st, WS_OK);
    assert_non_null(strstr(rows, "3: H002"));
    free(rows);
    import_opts o = {0};
    kind_import_report rep;
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 2);
    household h;
    int64_t id = 0;
    assert_int_equal(record_find(f->st, &kind_household, HF_NUMBER, "H001", &id), WS_OK);
    assert_int_equal(record_load(f->st, &kind_household, id, &h), WS_OK);
    assert_string_equal(h.address, "桃源村一组");
    assert_string_equal(h.notes, "独居老人，买菜不便。\n已联系邻居每周代买。");
    export_opts eo = {.format = EXPORT_XLSX};
    size_t n = 0;
    assert_int_equal(export_kind(f->st, &kind_household, path, &eo, &n, err, sizeof err), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(record_load(f->st, &kind_household, id, &h), WS_OK);
    assert_string_equal(h.notes, "独居老人，买菜不便。\n已联系邻居每周代买。");
    free(path);
}

/* The residents import counts a workbook's rows as the sheet does: a
 * two-line 备注 above a bad row leaves that row's number the sheet's, in
 * the report and in the error file. */
static void test_residents_sheet_rows(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "两行.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *heads[] = {"姓名", "身份证号", "备注"};
    for (int c = 0; c < 3; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], NULL);
    worksheet_write_string(ws, 1, 0, "张三", NULL);
    worksheet_write_string(ws, 1, 1, ID_ZHANG, NULL);
    worksheet_write_string(ws, 1, 2, "独居老人。\n每周代买菜。", NULL);
    worksheet_write_string(ws, 2, 0, "李四", NULL);
    worksheet_write_string(ws, 2, 1, "110105198103040029", NULL); /* wrong check digit */
    worksheet_write_string(ws, 3, 0, "王五", NULL);
    worksheet_write_string(ws, 3, 1, ID_WANG, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    import_opts o = {.list_new = true};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    size_t bad = 0, wang = 0;
    for (size_t i = 0; i < rep.nnotes; i++) {
        if (rep.notes[i].cls == IMPORT_INVALID)
            bad = rep.notes[i].line;
        if (!strcmp(rep.notes[i].name, "王五"))
            wang = rep.notes[i].line;
    }
    assert_int_equal(bad, 3);
    assert_int_equal(wang, 4);
    FILE *e = fopen(rep.error_path, "rb");
    assert_non_null(e);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, e);
    buf[n] = '\0';
    fclose(e);
    char want[64];
    snprintf(want, sizeof want, tr("import.reason_line"), (size_t)3, "");
    assert_non_null(strstr(buf, want));
    remove(rep.error_path);
    import_report_free(&rep);
    free(path);
}

/* A workbook whose first sheet is hidden (a template's lists, last
 * year's data): the first visible sheet is read unless --sheet names the
 * hidden one. */
static void test_hidden_first_sheet(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "隐藏.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *old = workbook_add_worksheet(wb, "去年");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    worksheet_write_string(old, 0, 0, "姓名", NULL);
    worksheet_write_string(old, 0, 1, "身份证号", NULL);
    worksheet_write_string(old, 1, 0, "王五", NULL);
    worksheet_write_string(old, 1, 1, ID_WANG, NULL);
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "身份证号", NULL);
    worksheet_write_string(ws, 1, 0, "张三", NULL);
    worksheet_write_string(ws, 1, 1, ID_ZHANG, NULL);
    worksheet_activate(ws);
    worksheet_hide(old);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    ws_status st;
    char err[1024];
    char *rows = read_rows(path, NULL, &st, err, sizeof err);
    assert_int_equal(st, WS_OK);
    assert_non_null(strstr(rows, "张三"));
    free(rows);
    workbook *book = NULL;
    assert_int_equal(workbook_open(path, NULL, &book, err, sizeof err), WS_OK);
    assert_true(workbook_sheet_hidden(book, 0));
    assert_false(workbook_sheet_hidden(book, 1));
    workbook_free(&book);
    import_opts o = {.dry_run = true};
    import_report rep;
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_string_equal(rep.sheet, "花名册");
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    o.sheet = "去年";
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_string_equal(rep.sheet, "去年");
    import_report_free(&rep);
    free(path);

    /* veryHidden (only a macro can show it again): the same */
    static const char wbx[] =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/"
        "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships\"><sheets><sheet name=\"码表\" sheetId=\"1\" "
        "state=\"veryHidden\" r:id=\"rId1\"/><sheet name=\"名单\" sheetId=\"2\" "
        "r:id=\"rId2\"/></sheets></workbook>";
    static const char rels[] =
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
        "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet2.xml\"/></Relationships>";
    static const char s1[] =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>男</t></is></c></row>"
        "</sheetData></worksheet>";
    static const char s2[] =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名单</t></is></c>"
        "</row></sheetData></worksheet>";
    path = testutil_path(f->dir, "码表.xlsx");
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"};
    const char *parts[] = {wbx, rels, s1, s2};
    for (int i = 0; i < 4; i++)
        assert_true(zip_file_add(z, names[i], zip_source_buffer(z, parts[i], strlen(parts[i]), 0),
                                 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    rows = read_rows(path, NULL, &st, err, sizeof err);
    assert_int_equal(st, WS_OK);
    assert_string_equal(rows, "1: 名单\n");
    free(rows);
    rows = read_rows(path, "码表", &st, err, sizeof err);
    assert_int_equal(st, WS_OK);
    assert_string_equal(rows, "1: 男\n");
    free(rows);
    free(path);
}

/* An .xls (BIFF8) read with freexl: the fixture has a merged title, the
 * header on row 3, a text ID, a date, a phone and an ID typed as numbers,
 * and a second sheet. */
static void test_xls(void **state)
{
    fixture *f = *state;
    const char *path = WUSHE_FIXTURES "/residents.xls";
    char err[1024];
    ws_status s;
    char *rows = read_rows(path, NULL, &s, err, sizeof err);
    assert_int_equal(s, WS_OK);
    assert_non_null(strstr(rows, "1: 幸福社区居民花名册\n"));
    assert_non_null(strstr(rows, "4: 张三|男|" ID_ZHANG "|1980-01-02|13812345678\n"));
    assert_non_null(strstr(rows, "5: 李四|女|1.10105E+17|1981-03-04\n"));
    free(rows);
    rows = read_rows(path, "第二页", &s, err, sizeof err);
    assert_int_equal(s, WS_OK);
    assert_string_equal(rows, "1: 姓名\n2: 王五\n");
    free(rows);

    /* imported: one resident, the number-typed ID refused; the error file
     * goes beside a copy (the fixture's folder is the source tree) */
    char *copy = testutil_path(f->dir, "旧台账.xls");
    char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(enc_read_file(path, &bytes, &len), WS_OK);
    assert_int_equal(enc_write_file(copy, bytes, len), WS_OK);
    free(bytes);
    import_opts o = {0};
    import_report rep;
    assert_int_equal(import_residents(f->st, copy, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.header_line, 3);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    import_report_free(&rep);
    free(copy);
}

/* Damaged workbooks say so, in Chinese, and what to do: an .xls with bytes
 * overwritten (no sheet left to find), one cut short, a zip cut short. */
static void test_damaged_books(void **state)
{
    fixture *f = *state;
    char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(enc_read_file(WUSHE_FIXTURES "/residents.xls", &bytes, &len), WS_OK);
    assert_true(len > 3000);
    char *path = testutil_path(f->dir, "坏.xls");
    memset(bytes + 1200, 0xFF, 1200);
    assert_int_equal(enc_write_file(path, bytes, len), WS_OK);
    workbook *wb = NULL;
    char err[1024];
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "已损坏"));
    assert_non_null(strstr(err, "另存为"));
    assert_int_equal(enc_write_file(path, bytes, 3000), WS_OK);
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "不完整"));
    assert_null(strstr(err, "freexl"));
    free(bytes);
    free(path);
    path = testutil_path(f->dir, "坏.xlsx");
    static const char fake[] = "PK\3\4 not really a zip at all";
    assert_int_equal(enc_write_file(path, fake, sizeof fake - 1), WS_OK);
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "不完整"));
    assert_null(strstr(err, "archive")); /* libzip's English: Not a zip archive */
    free(path);
}

/* A CSV saved under an .xlsx name is known by its content and imported. */
static void test_renamed_csv(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "其实是CSV.xlsx");
    const char csv[] = "姓名,身份证号\r\n张三," ID_ZHANG "\r\n";
    assert_int_equal(enc_write_file(path, csv, sizeof csv - 1), WS_OK);
    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    /* --sheet on a file that is no workbook says so */
    o.sheet = "Sheet1";
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_ERR_USAGE);
    assert_non_null(strstr(err, "--sheet"));
    import_report_free(&rep);
    free(path);
}

/* A password-protected workbook is an OLE file holding an
 * EncryptedPackage stream: here its directory entry alone, in an OLE
 * header (no tool here writes an encrypted workbook). */
static void test_encrypted(void **state)
{
    fixture *f = *state;
    char bytes[2048] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    memcpy(bytes + 1024, name, sizeof name - 1);
    char *path = testutil_path(f->dir, "加密.xlsx");
    assert_int_equal(enc_write_file(path, bytes, sizeof bytes), WS_OK);
    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "密码"));
    import_report_free(&rep);
    /* an OLE file that is not that: damaged, said as such */
    memset(bytes + 1024, 0, sizeof name);
    assert_int_equal(enc_write_file(path, bytes, sizeof bytes), WS_OK);
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, ".xls"));
    import_report_free(&rep);
    /* a zip that is no workbook */
    char *docx = testutil_path(f->dir, "文档.xlsx");
    int zerr = 0;
    zip_t *z = zip_open(docx, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    zip_file_add(z, "word/document.xml", zip_source_buffer(z, "<w/>", 4, 0), 0);
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(import_residents(f->st, docx, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "xl/workbook.xml"));
    import_report_free(&rep);
    int64_t count = -1;
    assert_int_equal(resident_count(f->st, NULL, &count), WS_OK);
    assert_int_equal(count, 0);
    free(docx);
    free(path);
}

/* A sheet that unpacks far beyond its packed size is refused as it is
 * read, and so is one past the size limit. */
static void test_zip_bomb(void **state)
{
    fixture *f = *state;
    size_t big = 8u << 20;
    char *xml = malloc(big);
    const char head[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名"
                        "</t></is></c></row>";
    memcpy(xml, head, sizeof head - 1);
    memset(xml + sizeof head - 1, ' ', big - (sizeof head - 1) - 26);
    memcpy(xml + big - 26, "</sheetData></worksheet>\n\n", 26);
    char *path = write_raw_xlsx(f, "炸弹.xlsx", xml, big);
    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "xl/worksheets/sheet1.xml"));
    assert_non_null(strstr(err, "200"));
    import_report_free(&rep);
    /* the size cap, on a sheet that packs normally */
    workbook *wb = NULL;
    workbook_limits lim = {.max_part = 1u << 20, .max_ratio = 1000000};
    assert_int_equal(workbook_open(path, &lim, &wb, err, sizeof err), WS_OK);
    workbook_row row;
    assert_int_equal(workbook_next(wb, &row, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "1 MB"));
    workbook_free(&wb);
    free(xml);
    free(path);
}

/* Little-endian 32 bits at p. */
static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A bomb whose zip says its sheet is small: reading stops at what the zip
 * says (not at the 512 MB cap), and one cell longer than Excel allows is
 * refused as it grows, so memory follows what was inflated. */
static void test_bomb_that_lies(void **state)
{
    fixture *f = *state;
    size_t big = 2u << 20, used = 0;
    char *xml = malloc(big + 256);
    assert_non_null(xml);
    used += (size_t)sprintf(xml, "<worksheet><sheetData>");
    unsigned x = 12345;
    for (unsigned r = 1; used < big; r++) {
        x = x * 1103515245u + 12345u;
        used += (size_t)sprintf(xml + used, "<row r=\"%u\"><c><v>%u</v></c></row>", r, x);
    }
    used += (size_t)sprintf(xml + used, "</sheetData></worksheet>");
    char *path = write_raw_xlsx(f, "说谎.xlsx", xml, used);
    /* The central directory and the local header say 64 KB. */
    FILE *z = fopen(path, "r+b");
    assert_non_null(z);
    fseek(z, 0, SEEK_END);
    long zlen = ftell(z);
    unsigned char *bytes = malloc((size_t)zlen);
    fseek(z, 0, SEEK_SET);
    assert_int_equal(fread(bytes, 1, (size_t)zlen, z), (size_t)zlen);
    const char name[] = "xl/worksheets/sheet1.xml";
    bool patched = false;
    for (long i = 0; i + 46 + (long)sizeof name <= zlen; i++)
        if (memcmp(bytes + i, "PK\1\2", 4) == 0 &&
            memcmp(bytes + i + 46, name, sizeof name - 1) == 0) {
            put32(bytes + i + 24, 64u << 10);
            uint32_t local = (uint32_t)bytes[i + 42] | (uint32_t)bytes[i + 43] << 8 |
                             (uint32_t)bytes[i + 44] << 16 | (uint32_t)bytes[i + 45] << 24;
            put32(bytes + local + 22, 64u << 10);
            patched = true;
        }
    assert_true(patched);
    fseek(z, 0, SEEK_SET);
    assert_int_equal(fwrite(bytes, 1, (size_t)zlen, z), (size_t)zlen);
    fclose(z);
    free(bytes);
    workbook *wb = NULL;
    char err[1024];
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_OK);
    workbook_row row;
    ws_status s;
    size_t rows = 0;
    while ((s = workbook_next(wb, &row, err, sizeof err)) == WS_OK)
        rows++;
    assert_int_equal(s, WS_ERR_INVALID);
    assert_non_null(strstr(err, "比文件里记录的大小还大"));
    assert_true(rows < 5000); /* 64 KB of it at most, of some 50,000 rows */
    workbook_free(&wb);
    free(path);
    /* One cell of 300,000 characters: refused, named. */
    size_t cell = 300000;
    char *one = malloc(cell + 512);
    assert_non_null(one);
    used = (size_t)sprintf(one, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
                                "<is><t>");
    memset(one + used, 'A', cell);
    used += cell;
    used += (size_t)sprintf(one + used, "</t></is></c></row></sheetData></worksheet>");
    path = write_raw_xlsx(f, "长单元格.xlsx", one, used);
    assert_int_equal(workbook_open(path, NULL, &wb, err, sizeof err), WS_OK);
    assert_int_equal(workbook_next(wb, &row, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "32767"));
    workbook_free(&wb);
    free(one);
    free(xml);
    free(path);
}

/* A formula whose result was never saved is named, cell and sheet. */
static void test_formula_without_value(void **state)
{
    fixture *f = *state;
    const char xml[] =
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is>"
        "</c><c r=\"B1\" t=\"inlineStr\"><is><t>联系电话</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>张三</t></is></c>"
        "<c r=\"B2\"><f>1+1</f></c></row></sheetData></worksheet>";
    char *path = write_raw_xlsx(f, "公式.xlsx", xml, sizeof xml - 1);
    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "B2"));
    assert_non_null(strstr(err, "“S”"));
    import_report_free(&rep);
    int64_t count = -1;
    assert_int_equal(resident_count(f->st, NULL, &count), WS_OK);
    assert_int_equal(count, 0);
    free(path);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A full sheet of 1,048,576 rows streams: every row comes, and reading it
 * does not hold the sheet (well over 64 MB of XML) in memory. */
static void test_full_sheet(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "满表.xlsx");
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = f->dir};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "联系电话", NULL);
    worksheet_write_string(ws, 0, 2, "地址", NULL);
    for (lxw_row_t r = 1; r < 1048576; r++) {
        worksheet_write_number(ws, r, 0, r, NULL);
        worksheet_write_number(ws, r, 1, 13800000000.0 + r, NULL);
        worksheet_write_number(ws, r, 2, r * 7, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    long before = max_rss_kb();
    char err[1024];
    workbook *book = NULL;
    assert_int_equal(workbook_open(path, NULL, &book, err, sizeof err), WS_OK);
    workbook_row row;
    size_t rows = 0, last = 0;
    ws_status s;
    while ((s = workbook_next(book, &row, err, sizeof err)) == WS_OK) {
        rows++;
        last = row.row;
    }
    assert_int_equal(s, WS_ERR_NOT_FOUND);
    assert_int_equal(rows, 1048576);
    assert_int_equal(last, 1048576);
    assert_string_equal(row.cells ? "" : "", "");
    workbook_free(&book);
    assert_true(max_rss_kb() - before < 64 * 1024);
    free(path);
}

/* What a file is comes from its bytes. */
static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(workbook_sniff("PK\3\4xx", 6), BOOK_ZIP);
    assert_int_equal(workbook_sniff("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), BOOK_OLE);
    assert_int_equal(workbook_sniff("姓名,身份证号", 6), BOOK_TEXT);
    assert_int_equal(workbook_sniff("PK", 2), BOOK_TEXT);
    assert_true(workbook_name("a/台账.XLSX"));
    assert_true(workbook_name("b.xls"));
    assert_false(workbook_name("c.csv"));
}

/* The usual 花名册: a header over two rows, its single titles merged down
 * over both and 人员信息 across the three under it; 户号, 社区/村 and 住址
 * merged down over a household's members. Every row is what Excel shows:
 * the header names every column, each member is in the household. */
static void test_merged_down(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "花名册.xlsx");
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    worksheet_merge_range(ws, 0, 0, 0, 7, "青石村困难群众花名册", NULL);
    worksheet_merge_range(ws, 1, 0, 2, 0, "序号", NULL);
    worksheet_merge_range(ws, 1, 1, 2, 1, "所属社区/村", NULL);
    worksheet_merge_range(ws, 1, 2, 2, 2, "户号", NULL);
    worksheet_merge_range(ws, 1, 3, 1, 5, "人员信息", NULL);
    worksheet_merge_range(ws, 1, 6, 2, 6, "与户主关系", NULL);
    worksheet_merge_range(ws, 1, 7, 2, 7, "住址", NULL);
    worksheet_write_string(ws, 2, 3, "姓名", NULL);
    worksheet_write_string(ws, 2, 4, "性别", NULL);
    worksheet_write_string(ws, 2, 5, "身份证号", NULL);
    worksheet_merge_range(ws, 3, 0, 4, 0, "", NULL);
    worksheet_write_number(ws, 3, 0, 1, NULL);
    worksheet_merge_range(ws, 3, 1, 4, 1, "青石村", NULL);
    worksheet_merge_range(ws, 3, 2, 4, 2, "H0101", NULL);
    worksheet_merge_range(ws, 3, 7, 4, 7, "青石村一组1号", NULL);
    worksheet_write_string(ws, 3, 3, "张三", NULL);
    worksheet_write_string(ws, 3, 4, "男", NULL);
    worksheet_write_string(ws, 3, 5, ID_ZHANG, NULL);
    worksheet_write_string(ws, 3, 6, "户主", NULL);
    worksheet_write_string(ws, 4, 3, "李四", NULL);
    worksheet_write_string(ws, 4, 4, "女", NULL);
    worksheet_write_string(ws, 4, 5, ID_LI, NULL);
    worksheet_write_string(ws, 4, 6, "配偶", NULL);
    worksheet_write_string(ws, 6, 0, "合计：1 户 2 人", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    import_opts o = {0};
    import_report rep;
    char err[1024];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.header_line, 3);
    for (size_t c = 0; c < rep.ncols; c++)
        if (rep.cols[c].field == IMP_NONE && c != 0) /* 序号 is not imported */
            fail_msg("column %zu (%s) not read", c + 1, rep.cols[c].header);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    assert_int_equal(rep.new_households, 1);
    import_report_free(&rep);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(f->st)),
                                        "SELECT count(*) FROM residents r JOIN households h"
                                        " ON h.id = r.household_id JOIN communities c"
                                        " ON c.id = h.community_id WHERE h.number = 'H0101'"
                                        " AND c.name = '青石村' AND r.address = '青石村一组1号'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2);
    sqlite3_finalize(q);
    /* The title across the columns is still one cell, shown once. */
    ws_status st;
    char *rows = read_rows(path, NULL, &st, err, sizeof err);
    assert_int_equal(st, WS_OK);
    assert_non_null(strstr(rows, "1: 青石村困难群众花名册\n"));
    free(rows);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test_setup_teardown(test_cells_typed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_residents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_residents_sheet_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden_first_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_books, setup, teardown),
        cmocka_unit_test_setup_teardown(test_renamed_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zip_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bomb_that_lies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formula_without_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_sheet, setup, teardown),
    };
    return testutil_run(tests);
}
