/* Importing ledgers: every encoding and dialect Excel and WPS write, the
 * edge cases of real files, the error file, classification (new, update,
 * unchanged, possible duplicate, repeated in the file, invalid), one
 * transaction (dry runs, a killed import), and the review of possible
 * duplicates. */
#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "search.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/config.h"
#include "wushe/encoding.h"
#include "wushe/community.h"
#include "wushe/export.h"
#include "wushe/household.h"
#include "wushe/import.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/text.h"
#include "wushe/volunteer.h"

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

/* ---- helpers ---- */

/* A valid ID number: region 110105, birth YYYYMMDD, sequence (odd: male). */
static void make_id(const char *birth8, int seq, char out[19])
{
    char body[18];
    snprintf(body, sizeof body, "110105%.8s%03d", birth8, seq);
    memcpy(out, body, 17);
    out[17] = val_id_check_char(body);
    out[18] = '\0';
}

/* Write text (UTF-8) as a file in encoding enc; "@@BAD@@" in the text
 * becomes two bytes that no encoding here accepts. */
static char *write_file(fixture *f, const char *name, const char *utf8, const char *enc,
                        bool bom)
{
    char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(enc_from_utf8(utf8, strlen(utf8), enc, bom, &bytes, &len), WS_OK);
    if (strcmp(enc, "GB18030") == 0 || strcmp(enc, "UTF-8") == 0) {
        for (char *p = bytes; (p = memmem(p, len - (size_t)(p - bytes), "@@BAD@@", 7));) {
            memcpy(p, "\xff\xfe", 2);
            memmove(p + 2, p + 7, len - (size_t)(p - bytes) - 7);
            len -= 5;
        }
    }
    char *path = testutil_path(f->dir, name);
    assert_int_equal(enc_write_file(path, bytes, len), WS_OK);
    free(bytes);
    return path;
}

static ws_status run(fixture *f, const char *path, bool dry, import_report *rep)
{
    import_opts o = {.dry_run = dry};
    char err[1024];
    ws_status s = import_residents(f->st, path, &o, rep, err, sizeof err);
    if (s != WS_OK)
        fprintf(stderr, "import: %s\n", err);
    return s;
}

static int64_t q_int(fixture *f, const char *sql)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(f->st)), sql, -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static void q_text(fixture *f, const char *sql, char *out, size_t outsz)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(f->st)), sql, -1, &q, NULL),
                     SQLITE_OK);
    int rc = sqlite3_step(q);
    const char *t = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    snprintf(out, outsz, "%s", t ? t : rc == SQLITE_ROW ? "(null)" : "(none)");
    sqlite3_finalize(q);
}

static size_t count_notes(const import_report *rep, import_class cls, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nnotes; i++)
        if (rep->notes[i].cls == cls && (!needle || strstr(rep->notes[i].text, needle)))
            n++;
    return n;
}

/* Three residents as a ledger, with the delimiter d and line end eol. */
static char *ledger3(char d, const char *eol)
{
    char a[19], b[19];
    make_id("19800102", 11, a);
    make_id("19491231", 2, b);
    char *out = malloc(4096);
    snprintf(out, 4096,
             "序号%c姓名%c性别%c公民身份号码%c手机号%c民族%c所属社区/村%c户主%c家庭住址%c人员类别%c备注%s"
             "1%c张伟%c男%c%s%c138 1234 5678%c汉族%c青石村%c户主%c青石村一组 12 号%c低保、残疾%c%s"
             "2%c欧阳娜娜%c女%c%s%c%c汉%c学堂湾社区%c配偶%c\"学堂湾路 3 号,东\"%c特困%c腿脚不便%s"
             "3%c李秀英%c女%c%c0832-1234567%c彝族%c青石村%c母亲%c青石村二组%c空巢 独居%c%s",
             d, d, d, d, d, d, d, d, d, d, eol,
             d, d, d, a, d, d, d, d, d, d, d, eol,
             d, d, d, b, d, d, d, d, d, d, d, eol,
             d, d, d, d, d, d, d, d, d, d, eol);
    return out;
}

static void check_three(fixture *f)
{
    char t[512];
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 3);
    q_text(f, "SELECT phone FROM residents WHERE name = '张伟'", t, sizeof t);
    assert_string_equal(t, "13812345678");
    q_text(f, "SELECT c.name FROM residents r JOIN communities c ON c.id = r.community_id"
              " WHERE r.name = '张伟'", t, sizeof t);
    assert_string_equal(t, "青石村");
    q_text(f, "SELECT group_concat(group_code, ',') FROM (SELECT group_code FROM resident_groups g"
              " JOIN residents r ON r.id = g.resident_id WHERE r.name = '张伟' ORDER BY 1)",
           t, sizeof t);
    assert_string_equal(t, "dibao,disabled");
    q_text(f, "SELECT relation || '/' || ethnicity || '/' || sex || '/' || birth_date"
              " FROM residents WHERE name = '欧阳娜娜'", t, sizeof t);
    assert_string_equal(t, "spouse/01/2/1949-12-31");
    q_text(f, "SELECT address FROM residents WHERE name = '欧阳娜娜'", t, sizeof t);
    assert_string_equal(t, "学堂湾路 3 号,东");
    q_text(f, "SELECT relation || '/' || ethnicity || '/' || phone FROM residents"
              " WHERE name = '李秀英'", t, sizeof t);
    assert_string_equal(t, "parent/07/0832-1234567");
    q_text(f, "SELECT group_concat(group_code, ',') FROM (SELECT group_code FROM resident_groups g"
              " JOIN residents r ON r.id = g.resident_id WHERE r.name = '李秀英' ORDER BY 1)",
           t, sizeof t);
    assert_string_equal(t, "empty_nest,living_alone");
    /* New communities were created in the same transaction, audited. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'communities'"), 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"), 3);
}

/* ---- tests ---- */

/* The import derives each row's index on a second thread, ahead of the
 * write: what it writes is what the write derives itself. 600 rows (the
 * ring of 512 wraps), with names that fold and read apart (張偉, 单, 仇),
 * a space before a name, phones and ID numbers the validation rewrites
 * (the thread's values then differ: derived again), addresses over two
 * lines, blank and refused rows, and a person given twice, differently
 * (refused: the clerk decides). */
static void test_ahead_as_inline(void **state)
{
    fixture *f = *state;
    static const char *const surnames[] = {"張", "单", "仇", " 曾", "欧阳", "李", "翟", "解",
                                           "朴", "王"};
    static const char *const given[] = {"偉", "雄信", "旭", "国藩", "娜娜", "秀英", "羽", "放",
                                        "志勇", "芳", "一", "二", "三"};
    size_t cap = 1 << 17, n = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    n += (size_t)snprintf(csv + n, cap - n, "姓名,公民身份号码,手机号,家庭住址\n");
    char first_id[19] = "";
    for (int i = 0; i < 600; i++) {
        char id[19], birth[9];
        snprintf(birth, sizeof birth, "19%02d%02d%02d", 30 + i % 60, 1 + i % 12, 1 + i % 28);
        make_id(birth, i % 1000, id);
        if (i == 0)
            memcpy(first_id, id, sizeof id);
        if (id[17] == 'X' && i % 2)
            id[17] = 'x';
        char ph[32] = "";
        if (i % 7 == 0)
            snprintf(ph, sizeof ph, "138 0000 %04d", i);
        else if (i % 11)
            snprintf(ph, sizeof ph, "1390000%04d", i);
        if (i % 50 == 7)
            n += (size_t)snprintf(csv + n, cap - n, "\n");
        if (i % 61 == 9)
            n += (size_t)snprintf(csv + n, cap - n, "无名氏,12345,,\n");
        n += (size_t)snprintf(csv + n, cap - n, "%s%s%s,%s,%s,%s\n", surnames[i % 10],
                              given[i % 13], given[(i / 13) % 13], id, ph,
                              i % 13 == 0 ? "\"青石村\n二组\"" : "學堂灣社區 3 号");
    }
    /* The first person again, with another address. */
    n += (size_t)snprintf(csv + n, cap - n, "%s%s%s,%s,,柳河社区\n", surnames[0], given[0],
                          given[0], first_id);
    char *path = write_file(f, "ahead.csv", csv, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 600);
    assert_int_equal(rep.counts[IMPORT_INVALID], 11);
    import_report_free(&rep);
    free(path);
    /* The same people again with a new phone and no address: each is the
     * register's row merged with the ledger's (the address kept), not the
     * row the thread read. */
    n = (size_t)snprintf(csv, cap, "姓名,公民身份号码,手机号,家庭住址\n");
    sqlite3_stmt *people = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(station_db(f->st)),
                                        "SELECT name, id_number FROM residents ORDER BY seq"
                                        " LIMIT 200", -1, &people, NULL), SQLITE_OK);
    for (int i = 0; sqlite3_step(people) == SQLITE_ROW; i++)
        n += (size_t)snprintf(csv + n, cap - n, "%s,%s,1370000%04d,\n",
                              (const char *)sqlite3_column_text(people, 0),
                              (const char *)sqlite3_column_text(people, 1), i);
    sqlite3_finalize(people);
    path = write_file(f, "ahead2.csv", csv, "UTF-8", false);
    free(csv);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 200);
    import_report_free(&rep);
    free(path);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE address = ''"), 0);

    /* The derived columns, as the write derives them itself. */
    sqlite3 *h = db_handle(station_db(f->st));
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT name, coalesce(id_number, ''), phone, address,"
                                           " name_pinyin, name_initials, search_text, name_folded,"
                                           " sort_key FROM residents WHERE deleted_at IS NULL",
                                        -1, &q, NULL), SQLITE_OK);
    size_t rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *v[8];
        for (int i = 0; i < 8; i++)
            v[i] = (const char *)sqlite3_column_text(q, i);
        search_prep *p = NULL;
        assert_int_equal(search_prep_new(v[0], v[1], v[2], v[3], &p), WS_OK);
        const search_derived *dv = search_prep_derived(p);
        assert_string_equal(v[4], dv->py.full);
        assert_string_equal(v[5], dv->py.initials);
        assert_string_equal(v[6], dv->text);
        assert_string_equal(v[7], dv->name_folded);
        size_t keylen;
        const unsigned char *key = search_prep_key(p, &keylen);
        assert_int_equal((size_t)sqlite3_column_bytes(q, 8), keylen);
        assert_memory_equal(sqlite3_column_blob(q, 8), key, keylen);
        search_prep_free(&p);
        rows++;
    }
    sqlite3_finalize(q);
    assert_int_equal(rows, 600);

    /* The postings, as a rebuild from the rows writes them. */
    assert_int_equal(sqlite3_exec(h, "CREATE TEMP TABLE imported AS SELECT * FROM search_names",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(search_rebuild(station_db(f->st), NULL, NULL), WS_OK);
    assert_int_equal(q_int(f, "SELECT count(*) FROM (SELECT * FROM temp.imported EXCEPT"
                              " SELECT * FROM search_names)"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM (SELECT * FROM search_names EXCEPT"
                              " SELECT * FROM temp.imported)"), 0);
    assert_true(q_int(f, "SELECT count(*) FROM temp.imported") > 10000);
}

static void test_dialects(void **state)
{
    fixture *f0 = *state;
    static const struct {
        const char *enc;
        bool bom;
        char delim;
        const char *eol;
    } cases[] = {
        {"GB18030", false, ',', "\r\n"},   /* CSV (逗号分隔) */
        {"UTF-8", true, ',', "\r\n"},      /* CSV UTF-8 (逗号分隔) */
        {"UTF-8", false, ';', "\n"},       /* European Excel, LF */
        {"UTF-16LE", true, '\t', "\r\n"},  /* Unicode 文本 */
        {"UTF-16LE", false, '\t', "\n"},
        {"GB18030", false, '\t', "\r\n"},  /* 文本文件（制表符分隔） */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f = {.dir = f0->dir};
        char name[64];
        snprintf(name, sizeof name, "s%zu.db", i);
        f.path = testutil_path(f0->dir, name);
        char err[512];
        assert_int_equal(station_open(f.path, STATION_CREATE | STATION_TRUSTED, NULL, &f.st, err, sizeof err),
                         WS_OK);
        char *text = ledger3(cases[i].delim, cases[i].eol);
        snprintf(name, sizeof name, "ledger%zu.csv", i);
        char *file = write_file(&f, name, text, cases[i].enc, cases[i].bom);
        import_report rep;
        assert_int_equal(run(&f, file, false, &rep), WS_OK);
        assert_string_equal(rep.enc.name, cases[i].enc);
        assert_int_equal(rep.enc.bom, cases[i].bom);
        assert_int_equal(rep.delim, cases[i].delim);
        assert_int_equal(rep.rows, 3);
        assert_int_equal(rep.counts[IMPORT_NEW], 3);
        assert_int_equal(rep.counts[IMPORT_INVALID], 0);
        assert_int_equal(rep.new_communities, 2);
        assert_int_equal(rep.cols[0].field, IMP_SKIP);    /* 序号 */
        assert_int_equal(rep.cols[3].field, IMP_ID_NUMBER);
        assert_int_equal(rep.cols[7].field, IMP_RELATION); /* 户主 */
        assert_int_equal(rep.cols[10].field, IMP_NOTES);
        check_three(&f);
        import_report_free(&rep);
        /* Forcing the encoding gives the same. */
        import_opts o = {.encoding = cases[i].enc, .dry_run = true};
        assert_int_equal(import_residents(f.st, file, &o, &rep, err, sizeof err), WS_OK);
        assert_int_equal(rep.counts[IMPORT_UNCHANGED], 3);
        import_report_free(&rep);
        free(text);
        free(file);
        station_close(&f.st);
        free(f.path);
    }
}

/* An ID number, phone and birth date typed through an IME arrive in
 * full-width digits (eighteen of them are 54 bytes): read as the form
 * reads them, not refused as too long. */
static void test_fullwidth_cells(void **state)
{
    fixture *f = *state;
    char id[19], wide[19 * 3 + 1] = "";
    make_id("19830303", 333, id);
    for (const char *p = id; *p; p++) {
        char w[4] = {(char)0xEF, (char)0xBC, (char)(0x90 + (*p - '0')), 0}; /* U+FF10 + d */
        if (*p == 'X')
            snprintf(w, sizeof w, "\xef\xbc\xb8"); /* U+FF38 */
        strcat(wide, w);
    }
    char csv[512];
    snprintf(csv, sizeof csv, "姓名,身份证号,联系电话,出生日期\n钱多多,%s,１３７００００２２２２,"
                              "１９８３－０３－０３\n", wide);
    char *path = write_file(f, "wide.csv", csv, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    free(path);
    char t[128];
    q_text(f, "SELECT id_number || '/' || phone || '/' || birth_date FROM residents"
              " WHERE name = '钱多多'", t, sizeof t);
    char want[128];
    snprintf(want, sizeof want, "%s/13700002222/1983-03-03", id);
    assert_string_equal(t, want);
}

static void test_edge_cases(void **state)
{
    fixture *f = *state;
    char ok1[19], ok2[19], ok3[19], dup[19];
    make_id("19700315", 31, ok1);
    make_id("19850607", 42, ok2);
    make_id("19900101", 51, ok3);
    make_id("19600101", 61, dup);
    char longname[3100] = "";
    for (int i = 0; i < 1000; i++)
        strcat(longname, "长");
    char *text = malloc(16384);
    snprintf(text, 16384,
             "青石村 2026 年居民台账\r\n"                        /* row 1: a title */
             "\r\n"                                                  /* 2 */
             "姓名,性别,身份证号,联系电话,住址,微信号\r\n"       /* 3: the header */
             "王一,男,%s,13800000001,\"一组\r\n二号\",w1\r\n"      /* 4: break in a cell */
             "\"李四\",女,%s,,\"二组, \"\"三号\"\"\",\r\n"         /* 5: quotes and a comma */
             "\r\n"                                                  /* 6 */
             ",,,,,\r\n"                                             /* 7: an empty row */
             "太多,男,,,,,多出来的\r\n"                             /* 8 */
             "太少,男\r\n"                                           /* 9 */
             "%s,男,,,,\r\n"                                         /* 10: 1000 characters */
             "\x1b[31m红字,男,,,,\r\n"                               /* 11: escape sequence */
             "坏@@BAD@@字,男,,,,\r\n"                                /* 12: invalid bytes */
             "赵六,男,%s,13800000006,,\r\n"                          /* 13 */
             "赵六,男,%s,13800000006,,\r\n"                          /* 14: the same again */
             "赵六,男,%s,13800000007,,\r\n"                          /* 15: same ID, other phone */
             "遮盖,男,110***********1234,,,\r\n"                     /* 16: masked */
             "科学,男,1.10105E+17,,,\r\n"                            /* 17: Excel's number */
             "\"名字\r\n换行\",男,,,,\r\n"                           /* 18: break in a name */
             "钱七,男,%s,1380000000,,\r\n"                           /* 19: a short phone */
             "\"未结束,男,,,,\r\n孙八,男,,,,\r\n",                  /* 20-: a quote never closed */
             ok1, ok2, longname, dup, dup, dup, ok3);
    char *file = write_file(f, "台账.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_string_equal(rep.enc.name, "GB18030");
    assert_int_equal(rep.header_line, 3);
    assert_int_equal(rep.cols[5].field, IMP_NONE); /* 微信号: reported, not imported */
    assert_int_equal(rep.blank, 2);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);      /* 王一, 李"四, 赵六 */
    assert_int_equal(rep.counts[IMPORT_INFILE], 1);   /* row 14 */
    assert_int_equal(rep.counts[IMPORT_INVALID], 11);
    assert_true(rep.bad_bytes > 0);
    char t[512];
    q_text(f, "SELECT address FROM residents WHERE name = '王一'", t, sizeof t);
    assert_string_equal(t, "一组二号"); /* Chinese text has no spaces */
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '李四'"
                              " AND address = '二组, \"三号\"'"), 1);
    q_text(f, "SELECT phone FROM residents WHERE name = '赵六'", t, sizeof t);
    assert_string_equal(t, "13800000006");
    /* Every invalid row says why, with its row as Excel shows the file
     * (a cell's line break does not move the rows after it). */
    struct {
        size_t line;
        const char *why;
    } want[] = {
        {8, "表头只有"}, {9, "表头有"}, {10, "姓名"}, {11, "控制字符"}, {12, "无法识别"},
        {15, "第 13 行"}, {16, "遮盖"}, {17, "科学计数法"}, {18, "控制字符"}, {19, "电话"},
        {20, "引号"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool seen = false;
        for (size_t k = 0; k < rep.nnotes; k++)
            if (rep.notes[k].line == want[i].line && rep.notes[k].cls == IMPORT_INVALID &&
                strstr(rep.notes[k].text, want[i].why))
                seen = true;
        if (!seen)
            fail_msg("line %zu: no reason with \"%s\"", want[i].line, want[i].why);
    }
    /* Notes never carry raw escapes. */
    for (size_t k = 0; k < rep.nnotes; k++) {
        assert_false(text_has_control(rep.notes[k].name));
        assert_false(text_has_control(rep.notes[k].text));
    }
    /* The error file: beside the input, GB18030, the same columns and a
     * reason column, one row per invalid row. */
    char want_path[4096];
    import_error_path(file, want_path, sizeof want_path);
    assert_string_equal(rep.error_path, want_path);
    assert_non_null(strstr(want_path, "台账_错误行.csv"));
    char *raw = NULL, *u8 = NULL;
    size_t len = 0, ulen = 0;
    assert_int_equal(enc_read_file(want_path, &raw, &len), WS_OK);
    enc_info info;
    enc_detect(raw, len, &info);
    assert_string_equal(info.name, "GB18030");
    assert_int_equal(enc_to_utf8(raw, len, "GB18030", &u8, &ulen, NULL), WS_OK);
    assert_true(strncmp(u8, "姓名,性别,身份证号,联系电话,住址,微信号,错误原因\r\n", 71) == 0);
    assert_non_null(strstr(u8, "太多,男,,,,,第 8 行：本行有 7 列，表头只有 6 列（可能有没加引号的逗号）,多出来的\r\n"));
    assert_non_null(strstr(u8, "太少,男,,,,,第 9 行"));
    assert_non_null(strstr(u8, "110***********1234"));
    free(raw);
    free(u8);
    import_report_free(&rep);

    /* Imported again, the error file is still wrong the same way; its
     * reason column is known and left out. */
    import_report again;
    char *errfile = strdup(want_path);
    assert_int_equal(run(f, errfile, true, &again), WS_OK);
    assert_int_equal(again.cols[6].field, IMP_SKIP);
    assert_int_equal(again.rows, 11);
    size_t sum = 0;
    for (int i = 0; i < IMPORT_CLASS_COUNT; i++)
        sum += again.counts[i];
    assert_int_equal(sum, 11);
    assert_int_equal(again.counts[IMPORT_UPDATE], 1); /* 赵六's other phone */
    import_report_free(&again);
    free(errfile);
    free(file);
    free(text);
}

/* An error file imported again (after fixing in Excel): its old reason
 * column is not data, the new error file has one reason column; ID
 * numbers are written with a tab in front, as the exports write them,
 * so that Excel keeps them as text. */
static void test_error_file_again(void **state)
{
    fixture *f = *state;
    char a[19], b[19];
    make_id("19800102", 11, a); /* a man */
    make_id("19810203", 22, b); /* a woman */
    char text[512];
    snprintf(text, sizeof text, "姓名,性别,身份证号\n张三,女,%s\n李四,男,%s\n", a, b);
    char *file = write_file(f, "台账.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 2);
    char *errfile = strdup(rep.error_path);
    import_report_free(&rep);
    char *raw = NULL, *u8 = NULL;
    size_t len = 0, ulen = 0;
    assert_int_equal(enc_read_file(errfile, &raw, &len), WS_OK);
    assert_int_equal(enc_to_utf8(raw, len, "GB18030", &u8, &ulen, NULL), WS_OK);
    char want[128];
    snprintf(want, sizeof want, "张三,女,\t%s,第 2 行", a);
    assert_non_null(strstr(u8, want));
    free(raw);
    free(u8);
    /* Fixed one row (李四 still wrong), imported again. */
    snprintf(text, sizeof text, "姓名,性别,身份证号,错误原因\n张三,男,\t%s,第 2 行：性别\n"
                                "李四,男,\t%s,第 3 行：性别\n", a, b);
    free(file);
    file = write_file(f, "台账_错误行.csv", text, "GB18030", false);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    free(errfile);
    errfile = strdup(rep.error_path);
    import_report_free(&rep);
    assert_int_equal(enc_read_file(errfile, &raw, &len), WS_OK);
    assert_int_equal(enc_to_utf8(raw, len, "GB18030", &u8, &ulen, NULL), WS_OK);
    assert_true(strncmp(u8, "姓名,性别,身份证号,错误原因\r\n", strlen("姓名,性别,身份证号,错误原因\r\n")) == 0);
    snprintf(want, sizeof want, "李四,男,\t%s,第 3 行：", b);
    assert_non_null(strstr(u8, want));
    assert_null(strstr(u8, "错误原因,错误原因"));
    assert_null(strstr(u8, "第 3 行：性别\r\n")); /* the old reason is gone */
    free(raw);
    free(u8);
    free(errfile);
    free(file);
}

static void test_no_header(void **state)
{
    fixture *f = *state;
    char id[19];
    make_id("19800102", 11, id);
    char text[256];
    snprintf(text, sizeof text, "张伟,男,%s\r\n李四,女,\r\n", id);
    char *file = write_file(f, "noheader.csv", text, "GB18030", false);
    import_report rep;
    import_opts o = {0};
    char err[1024];
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "表头"));
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 0);
    free(file);
    file = write_file(f, "empty.csv", "", "UTF-8", false);
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    free(file);
    o.encoding = "klingon";
    file = write_file(f, "x.csv", "姓名\n张三\n", "UTF-8", false);
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_ERR_USAGE);
    free(file);
    o.encoding = NULL;
    char *missing = testutil_path(f->dir, "missing.csv");
    assert_int_equal(import_residents(f->st, missing, &o, &rep, err, sizeof err), WS_ERR_IO);
    free(missing);
}

static void test_twice_and_update(void **state)
{
    fixture *f = *state;
    char *text = ledger3(',', "\r\n");
    char *file = write_file(f, "a.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    assert_string_equal(rep.error_path, "");
    import_report_free(&rep);
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");
    /* The same file again changes nothing. */
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 3);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_UPDATE], 0);
    assert_int_equal(rep.new_communities, 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audits);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 3);
    import_report_free(&rep);
    /* A later ledger: new phone, one more group, the rest empty. */
    char a[19];
    make_id("19800102", 11, a);
    char upd[512];
    snprintf(upd, sizeof upd, "身份证号,姓名,电话,类别\n%s,张伟,13900001111,临时救助\n", a);
    char *file2 = write_file(f, "b.csv", upd, "UTF-8", false);
    assert_int_equal(run(f, file2, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, "联系电话"), 1);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, "139****1111"), 1);
    char t[256];
    q_text(f, "SELECT phone || '/' || address FROM residents WHERE name = '张伟'", t, sizeof t);
    assert_string_equal(t, "13900001111/青石村一组 12 号");
    assert_int_equal(q_int(f, "SELECT count(*) FROM resident_groups g JOIN residents r"
                              " ON r.id = g.resident_id WHERE r.name = '张伟'"), 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE action = 'update'"
                              " AND table_name = 'residents'"), 1);
    import_report_free(&rep);
    free(file2);
    free(file);
    free(text);
}

static void test_dry_run(void **state)
{
    fixture *f = *state;
    char *text = ledger3(',', "\r\n");
    char *file = write_file(f, "a.csv", text, "UTF-8", true);
    import_report rep;
    assert_int_equal(run(f, file, true, &rep), WS_OK);
    assert_true(rep.dry_run);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    assert_int_equal(rep.new_communities, 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), 0);
    import_report_free(&rep);
    free(file);
    free(text);
}

static void test_possible_duplicates(void **state)
{
    fixture *f = *state;
    /* Registered without ID numbers. */
    resident r;
    field_error fe;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "张伟");
    snprintf(r.birth_date, sizeof r.birth_date, "1980-01-02");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    int64_t zhang = r.id;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "刘洋");
    snprintf(r.phone, sizeof r.phone, "13711112222");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    int64_t liu = r.id;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "陈静");
    snprintf(r.birth_date, sizeof r.birth_date, "1990-05-05");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);

    const char *text = "姓名,出生日期,联系电话,住址\n"
                       "章伟,1980-01-02,,一组\n"        /* same pinyin, same birth */
                       "柳洋,,137 1111 2222,二组\n"     /* same pinyin, same phone */
                       "陈静,1990/5/5,,三组\n"          /* the same person: update */
                       "张伟,1981-01-02,,四组\n";      /* another 张伟: new */
    char *file = write_file(f, "dup.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 2);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "张伟"), 1);
    import_report_free(&rep);
    int64_t n = 0;
    assert_int_equal(import_pending_count(f->st, &n), WS_OK);
    assert_int_equal(n, 2);
    /* Importing the file again adds nothing. */
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 2);
    import_report_free(&rep);
    assert_int_equal(import_pending_count(f->st, &n), WS_OK);
    assert_int_equal(n, 2);

    import_pending_item items[4];
    size_t k = 0;
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 4, &k), WS_OK);
    assert_int_equal(k, 2);
    assert_string_equal(items[0].incoming.name, "章伟");
    assert_string_equal(items[0].candidate.name, "张伟");
    assert_int_equal(items[0].candidate_id, zhang);
    assert_string_equal(items[1].incoming.phone, "13711112222");
    assert_int_equal(items[1].line, 3);
    assert_string_equal(items[1].source, "dup.csv");
    size_t back = 0;
    assert_int_equal(import_pending_list(f->st, items[1].id, -1, items + 2, 2, &back), WS_OK);
    assert_int_equal(back, 1);
    assert_int_equal(items[2].id, items[0].id);

    int64_t before = q_int(f, "SELECT count(*) FROM residents");
    int64_t rid = 0;
    /* 章伟 is someone else: keep both. */
    assert_int_equal(import_pending_resolve(f->st, items[0].id, IMPORT_KEEP_BOTH, &rid, &fe),
                     WS_OK);
    assert_true(rid != zhang && rid != 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), before + 1);
    /* 柳洋 is 刘洋 misspelt: merge (by default the registered name stays;
     * what the register lacks, here the address, comes from the row). */
    assert_int_equal(import_pending_resolve(f->st, items[1].id, IMPORT_MERGE, &rid, &fe), WS_OK);
    assert_int_equal(rid, liu);
    char t[256];
    q_text(f, "SELECT name || '/' || address FROM residents WHERE phone = '13711112222'", t,
           sizeof t);
    assert_string_equal(t, "刘洋/二组");
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), before + 1);
    assert_int_equal(import_pending_count(f->st, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(import_pending_resolve(f->st, items[1].id, IMPORT_SKIP, NULL, NULL),
                     WS_ERR_NOT_FOUND);
    free(file);
}

/* A big ledger killed in the middle: the database is as it was. */
static bool kill_me_midway(void *ctx, size_t done, size_t total)
{
    int fd = *(int *)ctx;
    if (done >= total / 2) {
        if (write(fd, "x", 1) != 1)
            _exit(3);
        for (;;)
            pause(); /* the parent kills us here, inside the transaction */
    }
    return true;
}

static void test_interrupted(void **state)
{
    fixture *f = *state;
    resident r;
    field_error fe;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "已登记");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    enum { ROWS = 6000 };
    size_t cap = ROWS * 96 + 256;
    char *text = malloc(cap);
    size_t used = (size_t)snprintf(text, cap, "姓名,身份证号,住址,所属社区/村\r\n");
    for (int i = 0; i < ROWS; i++) {
        char id[19], birth[9];
        snprintf(birth, sizeof birth, "19%02d%02d%02d", 30 + i % 60, 1 + i % 12, 1 + i % 28);
        make_id(birth, i % 1000, id);
        /* 居民 and the row's number in Chinese numerals: a name has no digits */
        static const char *const numerals[] = {"零", "一", "二", "三", "四",
                                               "五", "六", "七", "八", "九"};
        char num[16], name[64] = "居民";
        snprintf(num, sizeof num, "%d", i);
        for (const char *p = num; *p; p++)
            strcat(name, numerals[*p - '0']);
        used += (size_t)snprintf(text + used, cap - used, "%s,%s,%d号,新村%d\r\n", name, id, i,
                                 i % 3);
    }
    char *file = write_file(f, "big.csv", text, "GB18030", false);
    free(text);
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        station *st = NULL;
        char err[512];
        if (station_open(f->path, STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK)
            _exit(2);
        import_opts o = {.progress = kill_me_midway, .ctx = &p[1]};
        import_report rep;
        import_residents(st, file, &o, &rep, err, sizeof err);
        _exit(4); /* never reached */
    }
    close(p[1]);
    char c = 0;
    assert_int_equal(read(p[0], &c, 1), 1);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(p[0]);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* Reopened as after a power cut: nothing of the import, intact. */
    station_close(&f->st);
    char err[512];
    assert_int_equal(station_open(f->path, STATION_TRUSTED, NULL, &f->st, err, sizeof err), WS_OK);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audits);
    station_check_report rep;
    assert_int_equal(station_check(f->st, &rep), WS_OK);
    assert_true(rep.integrity_ok);
    assert_int_equal(rep.fk_problems, 0);
    /* And the same file then imports whole. */
    import_report ir;
    assert_int_equal(run(f, file, false, &ir), WS_OK);
    assert_int_equal(ir.counts[IMPORT_NEW], ROWS);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), ROWS + 1);
    import_report_free(&ir);
    free(file);
}

/* 残疾类别/残疾等级/残疾证号 fill the disability status, adding it when the
 * groups column does not name it; grades as ledgers write them. */
static void test_disability_columns(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19], d[19];
    make_id("19800102", 11, a);
    make_id("19700304", 21, b);
    make_id("19600506", 31, c);
    make_id("19500708", 41, d);
    char text[2048];
    snprintf(text, sizeof text,
             "姓名,身份证号,人员类别,残疾类别,残疾等级,残疾证号\n"
             "甲一,%s,低保、残疾,肢体残疾,二级,%s42\n"
             "乙二,%s,低保,智力,Ⅳ级,\n"
             "丙三,%s,,视力,一,\n"
             "丁四,%s,残疾,飞行,1,\n",
             a, a, b, c, d);
    char *file = write_file(f, "dis.csv", text, "UTF-8", true);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "残疾类别"), 1);
    for (size_t i = 0; i < rep.ncols; i++)
        assert_int_not_equal(rep.cols[i].field, IMP_NONE);
    import_report_free(&rep);
    char t[256], want[256];
    q_text(f, "SELECT group_concat(x, ';') FROM (SELECT r.name || ':' || g.group_code || ':'"
              " || g.disability_type || ':' || g.disability_grade || ':' || g.cert_no AS x"
              " FROM resident_groups g JOIN residents r ON r.id = g.resident_id"
              " WHERE g.group_code = 'disabled' ORDER BY r.id_number)", t, sizeof t);
    /* ORDER BY id_number: the 1960, 1970 and 1980 births. */
    snprintf(want, sizeof want, "丙三:disabled:1:1:;乙二:disabled:5:4:;甲一:disabled:4:2:%s42", a);
    assert_string_equal(t, want);
    /* 乙二 keeps 低保 beside the added 残疾. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM resident_groups g JOIN residents r"
                              " ON r.id = g.resident_id WHERE r.name = '乙二'"), 2);
    /* The same file again: nothing changes. */
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 3);
    import_report_free(&rep);
    free(file);
    /* A change of type or grade names both, old and new; a new 残疾
     * status its type and grade. */
    snprintf(text, sizeof text,
             "姓名,身份证号,人员类别,残疾类别,残疾等级\n"
             "甲一,%s,,,三级\n丙三,%s,,听力残疾,\n乙二,%s,低保,,\n",
             a, c, b);
    file = write_file(f, "dis2.csv", text, "UTF-8", true);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 2);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, "残疾等级：二级 → 三级"), 1);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, "残疾类别：视力残疾 → 听力残疾"), 1);
    import_report_free(&rep);
    free(file);
    snprintf(text, sizeof text, "姓名,身份证号,残疾类别,残疾等级\n戊五,%s,,\n", d);
    file = write_file(f, "dis3.csv", text, "UTF-8", true);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    import_report_free(&rep);
    free(file);
    snprintf(text, sizeof text, "姓名,身份证号,残疾类别,残疾等级\n戊五,%s,肢体残疾,二级\n", d);
    file = write_file(f, "dis4.csv", text, "UTF-8", true);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, "（无） → 残疾（肢体残疾 二级）"), 1);
    import_report_free(&rep);
    free(file);
}

/* A value not on a code list (与户主关系, 民族, 性别, 残疾等级) says what
 * may be written, as the declared kinds do: the error file is fixed in
 * WPS. 子女 is no code (it is 子 or 女): refused with the list. */
static void test_code_list_values(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19], d[19];
    make_id("19800102", 11, a);
    make_id("19700304", 21, b);
    make_id("19600506", 31, c);
    make_id("19500708", 41, d);
    char text[2048];
    snprintf(text, sizeof text,
             "户号,姓名,身份证号,性别,民族,与户主关系,残疾等级\n"
             "H1,甲一,%s,男,汉,户主,\n"
             "H1,乙二,%s,男,汉,子女,\n"
             "H1,丙三,%s,男,火星,妻,\n"
             "H1,丁四,%s,男,汉,女,五级\n",
             a, b, c, d);
    char *file = write_file(f, "codes.csv", text, "UTF-8", true);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 3);
    char want[512], labels[1024];
    record_code_labels(f->st, "relation", labels, sizeof labels);
    assert_non_null(strstr(labels, "配偶"));
    trf(want, sizeof want, "valid.not_in_list", labels);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, want), 1);
    record_code_labels(f->st, "ethnicity", labels, sizeof labels);
    assert_non_null(strstr(labels, "基诺族"));
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "基诺族、其他、外国血统中国籍人士"), 1);
    record_code_labels(f->st, "disability_grade", labels, sizeof labels);
    trf(want, sizeof want, "valid.not_in_list", labels);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, want), 1);
    import_report_free(&rep);
    /* the error file says it too, beside the row */
    char *errs = NULL;
    size_t n = 0;
    char errpath[4096];
    import_error_path(file, errpath, sizeof errpath);
    FILE *e = fopen(errpath, "rb");
    assert_non_null(e);
    errs = calloc(1, 8192);
    n = fread(errs, 1, 8191, e);
    fclose(e);
    assert_true(n > 0);
    assert_non_null(strstr(errs, "子女"));
    assert_non_null(strstr(errs, "配偶"));
    free(errs);
    free(file);
}

/* Two 户主 of one household: the second row is invalid, naming the first. */
static void test_two_heads(void **state)
{
    fixture *f = *state;
    const char *text = "姓名,户号,与户主关系,所属社区/村\n"
                       "赵一,H09,户主,青石村\n"
                       "赵二,H09,户主,青石村\n"
                       "赵三,H09,子,青石村\n";
    char *file = write_file(f, "heads.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "赵一"), 1);
    import_report_free(&rep);
    char t[128];
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H09'", t, sizeof t);
    assert_string_equal(t, "赵一");
    free(file);
}

/* Heads in ledgers that change: a member who becomes 户主 of another
 * household, a new head listed before the old one becomes 父母, and a
 * possible duplicate of the head, which waits for review. */
static void test_head_changes(void **state)
{
    fixture *f = *state;
    char fa[19], so[19], zw[19];
    make_id("19500101", 11, fa);
    make_id("19800202", 21, so);
    make_id("19700303", 31, zw);
    char text[1024];
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系,出生日期\n"
             "父亲,%s,H1,户主,\n"
             "儿子,%s,H1,子,\n"
             "张伟,%s,H3,户主,\n",
             fa, so, zw);
    char *seed = write_file(f, "seed.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, seed, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    import_report_free(&rep);
    char t[256];
    /* the son heads a household of his own: not refused by H1's head */
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系\n儿子,%s,H2,户主\n", so);
    char *moved = write_file(f, "moved.csv", text, "UTF-8", false);
    assert_int_equal(run(f, moved, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H2'", t, sizeof t);
    assert_string_equal(t, "儿子");
    /* back to H1 as its new head, listed before the father becomes 父母 */
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系\n儿子,%s,H1,户主\n父亲,%s,H1,父母\n", so, fa);
    char *swap = write_file(f, "swap.csv", text, "UTF-8", false);
    assert_int_equal(run(f, swap, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H1'", t, sizeof t);
    assert_string_equal(t, "儿子");
    q_text(f, "SELECT group_concat(name) FROM residents r JOIN households h"
              " ON h.id = r.household_id WHERE h.number = 'H1' AND r.relation = 'head'",
           t, sizeof t);
    assert_string_equal(t, "儿子");
    /* 章伟, born the day 张伟 was, as 户主 of H3: a possible duplicate for
     * the review, not an error */
    snprintf(text, sizeof text, "姓名,户号,与户主关系,出生日期\n章伟,H3,户主,1970-03-03\n");
    char *dup = write_file(f, "dup.csv", text, "UTF-8", false);
    assert_int_equal(run(f, dup, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    free(dup);
    free(swap);
    free(moved);
    free(seed);
}

/* The same change of head in a ledger without a 户号 column: everyone
 * stays in their household, and the new head still waits for the old. */
static void test_head_change_in_place(void **state)
{
    fixture *f = *state;
    char fa[19], so[19];
    make_id("19500101", 11, fa);
    make_id("19800202", 21, so);
    char text[512];
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系\n父亲,%s,H1,户主\n儿子,%s,H1,子\n",
             fa, so);
    char *seed = write_file(f, "seed.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, seed, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    import_report_free(&rep);
    snprintf(text, sizeof text, "姓名,身份证号,与户主关系\n儿子,%s,户主\n父亲,%s,父母\n", so, fa);
    char *swap = write_file(f, "swap.csv", text, "UTF-8", false);
    assert_int_equal(run(f, swap, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    char t[128];
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H1'", t, sizeof t);
    assert_string_equal(t, "儿子");
    free(swap);
    free(seed);
}

/* ---- residents without an ID number (issue 8.4) ---- */

/* Export the register (masked or not) to name and import it back. */
static void export_import_back(fixture *f, const char *name, bool unmasked, import_report *rep)
{
    char *path = testutil_path(f->dir, name);
    export_opts eo = {.format = EXPORT_CSV, .unmasked = unmasked};
    size_t n = 0;
    char err[512];
    assert_int_equal(export_residents(f->st, path, &eo, &n, err, sizeof err), WS_OK);
    assert_int_equal(run(f, path, false, rep), WS_OK);
    free(path);
}

/* Every import of the same ledger added its residents without an ID
 * number again, and an export imported back grew the register. */
static void test_no_id_number(void **state)
{
    fixture *f = *state;
    char id[19];
    make_id("19600101", 11, id);
    char text[1024];
    snprintf(text, sizeof text,
             "姓名,性别,身份证号,出生日期,户号,与户主关系,所属社区/村,住址\r\n"
             "王老汉,男,%s,,H7,户主,青石村,一组 7 号\r\n"
             "王小妹,女,,,H7,女儿,青石村,一组 7 号\r\n"      /* name and household */
             "李独居,女,,,,,青石村,三组\r\n"                  /* a name alone */
             "赵有生,男,,1950-05-05,,,青石村,\r\n",           /* name and birth date */
             id);
    char *file = write_file(f, "无证.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 4);
    import_report_free(&rep);
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");

    /* The same file again changes nothing. */
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 4);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_UPDATE] +
                         rep.counts[IMPORT_DUPLICATE] + rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 4);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audits);

    /* An export imported back, masked or not, does not grow the register. */
    export_import_back(f, "masked.csv", false, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_DUPLICATE], 0);
    import_report_free(&rep);
    export_import_back(f, "full.csv", true, &rep);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 4);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_UPDATE] +
                         rep.counts[IMPORT_DUPLICATE] + rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 4);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 0);

    /* A later ledger: 王小妹 of H7 gets a phone (the same person: name and
     * household); 李独居 with a birth date the register lacks, and with no
     * household to tell, may be her: review, never a second 李独居; 赵有生
     * born another day is someone else. */
    snprintf(text, sizeof text,
             "姓名,出生日期,户号,联系电话\r\n"
             "王小妹,,H7,13811112222\r\n"
             "李独居,1940-02-02,,\r\n"
             "赵有生,1960-06-06,,\r\n");
    char *later = write_file(f, "later.csv", text, "UTF-8", false);
    assert_int_equal(run(f, later, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "李独居"), 1);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '王小妹'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '王小妹'"
                              " AND phone = '13811112222'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '李独居'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '赵有生'"), 2);
    /* and again: nothing more */
    assert_int_equal(run(f, later, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_UPDATE], 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 5);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 1);

    /* 王小妹's ID number arrives: the namesake without one in H7 is her. */
    char xm[19];
    make_id("20000303", 22, xm);
    snprintf(text, sizeof text, "姓名,身份证号,户号\r\n王小妹,%s,H7\r\n", xm);
    char *with_id = write_file(f, "with_id.csv", text, "UTF-8", false);
    assert_int_equal(run(f, with_id, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    import_report_free(&rep);
    char t[64];
    q_text(f, "SELECT id_number FROM residents WHERE name = '王小妹'", t, sizeof t);
    assert_string_equal(t, xm);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 5);
    free(with_id);
    free(later);
    free(file);
}

/* Issue 8.6: 章伟 / 張偉 / 张卫 born the day 张伟 was, without a phone,
 * were added as new. Same reading (traditional folded) plus the same birth
 * date or phone is a possible duplicate, whatever the ID numbers say. */
static void test_same_reading(void **state)
{
    fixture *f = *state;
    char zw[19], other[19], other2[19];
    make_id("19800102", 11, zw);
    make_id("19800102", 33, other);
    make_id("19800102", 55, other2);
    char text[2048];
    snprintf(text, sizeof text,
             "姓名,身份证号,联系电话\n"
             "张伟,%s,\n"
             "李娜,,13900001111\n",
             zw);
    char *seed = write_file(f, "seed.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, seed, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    import_report_free(&rep);
    snprintf(text, sizeof text,
             "姓名,身份证号,出生日期,联系电话\n"
             "章伟,,1980-01-02,\n"      /* another character, same reading */
             "張偉,,1980年1月2日,\n"    /* traditional */
             "张卫,,19800102,\n"
             "章伟,%s,,\n"              /* an ID number of its own, same birth date */
             "張偉,%s,,\n"
             "黎娜,,,139-0000-1111\n"   /* same reading, same phone */
             "张伟,,1980-01-03,\n"      /* another day: someone else */
             "章卫,,1981-01-02,\n",
             other, other2);
    char *dup = write_file(f, "dup.csv", text, "UTF-8", false);
    assert_int_equal(run(f, dup, false, &rep), WS_OK);
    for (size_t i = 0; i < rep.nnotes; i++)
        if (rep.notes[i].cls != IMPORT_DUPLICATE)
            fprintf(stderr, "line %zu: %d %s %s\n", rep.notes[i].line, rep.notes[i].cls,
                    rep.notes[i].name, rep.notes[i].text);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 6);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "张伟"), 5);
    assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "李娜"), 1);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 6);
    /* The same file again: nothing new, nothing more to review. */
    assert_int_equal(run(f, dup, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW] + rep.counts[IMPORT_UPDATE], 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 6);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 4);
    free(dup);
    free(seed);
}

/* Issue 8.5: a ledger's total row ("合计 4人") was imported as a person.
 * Totals, signature and date lines, titles and a repeated header are
 * skipped and listed with their reason; they are not errors. */
static void test_summary_rows(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19], d[19];
    make_id("19800102", 11, a);
    make_id("19700304", 22, b);
    make_id("19600506", 31, c);
    make_id("19500708", 42, d);
    char text[4096];
    snprintf(text, sizeof text,
             "青石村低保对象花名册\r\n"                              /* 1: above the header */
             "序号,姓名,性别,身份证号,人员类别,备注\r\n"              /* 2 */
             "1,张三,男,%s,低保,\r\n"                                 /* 3 */
             "2,李四,女,%s,低保,合计发放三个月\r\n"                    /* 4: a person */
             "合计,2人,,,,\r\n"                                       /* 5 */
             ",合计 4人,,,,\r\n"                                      /* 6 */
             "小计：2户,,,,,\r\n"                                     /* 7 */
             "总　计,,,,,\r\n"                                        /* 8 */
             "共 4 人,,,,,\r\n"                                       /* 9 */
             "\r\n"                                                   /* 10 */
             "青石村二组特困人员名单,,,,,\r\n"                        /* 11: a title */
             "序号,姓名,性别,身份证号,人员类别,备注\r\n"              /* 12: the header */
             "1,王五,男,%s,特困,\r\n"                                 /* 13 */
             "2,赵六,女,%s,特困,\r\n"                                 /* 14 */
             "本页合计,2,,,,\r\n"                                     /* 15 */
             "制表人：王芳,,,填表日期：2026年11月20日,,\r\n"          /* 16 */
             "审核人：,,,,,\r\n"                                      /* 17 */
             "注：以上数据截至2026年11月,,,,,\r\n"                    /* 18 */
             "以下空白\r\n",                                          /* 19: one cell */
             a, b, c, d);
    char *file = write_file(f, "花名册.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.header_line, 2);
    assert_int_equal(rep.counts[IMPORT_NEW], 4);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    assert_string_equal(rep.error_path, "");
    assert_int_equal(rep.skipped, 12);
    assert_int_equal(rep.nskips, 12);
    size_t sum = rep.skipped;
    for (int i = 0; i < IMPORT_CLASS_COUNT; i++)
        sum += rep.counts[i];
    assert_int_equal(sum, rep.rows);
    static const struct {
        size_t line;
        import_skip_reason reason;
        const char *text;
    } want[] = {
        {5, IMPORT_SKIP_TOTAL, "合计 2人"},
        {6, IMPORT_SKIP_TOTAL, "合计 4人"},
        {7, IMPORT_SKIP_TOTAL, "小计：2户"},
        {8, IMPORT_SKIP_TOTAL, "总　计"},
        {9, IMPORT_SKIP_TOTAL, "共 4 人"},
        {11, IMPORT_SKIP_TITLE, "青石村二组特困人员名单"},
        {12, IMPORT_SKIP_HEADER, "序号 姓名 性别"},
        {15, IMPORT_SKIP_TOTAL, "本页合计 2"},
        {16, IMPORT_SKIP_FOOTER, "制表人：王芳 填表日期：2026年11月20日"},
        {17, IMPORT_SKIP_FOOTER, "审核人："},
        {18, IMPORT_SKIP_FOOTER, "注：以上数据截至2026年11月"},
        {19, IMPORT_SKIP_FOOTER, "以下空白"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const import_skip *k = &rep.skips[i];
        if (k->line != want[i].line || k->reason != want[i].reason ||
            strncmp(k->text, want[i].text, strlen(want[i].text)) != 0)
            fail_msg("skip %zu: line %zu reason %d \"%s\", want line %zu reason %d \"%s\"", i,
                     k->line, k->reason, k->text, want[i].line, want[i].reason, want[i].text);
        assert_non_null(tr(import_skip_key(k->reason)));
    }
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 4);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name GLOB '*[计人]*'"), 0);
    free(file);
}

/* Issue 8.5: names with digits, Latin letters, emoji and full-width spaces
 * were registered. The import checks names as the form does: Han with the
 * minority names' dot (any common dot, saved as U+00B7); Latin letters
 * only where the station's config allows them. A space between two Chinese
 * characters is a ledger's padding, dropped (赵　六 is 赵六). */
static void test_names(void **state)
{
    fixture *f = *state;
    const char *text = "姓名,性别\n"
                       "李娜2,女\n"
                       "王芳ABC,女\n"
                       "赵　六,男\n"
                       "刘洋😀,男\n"
                       "阿依古丽.买买提,女\n"
                       "帕尔哈提・阿不都,男\n"
                       "John Smith,男\n"
                       "·买买提,男\n";
    char *file = write_file(f, "names.csv", text, "GB18030", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    assert_int_equal(rep.counts[IMPORT_INVALID], 5);
    static const struct {
        size_t line;
        const char *why;
    } want[] = {
        {2, "姓名：姓名中不能有数字"},
        {3, "姓名：姓名中不能有英文字母"},
        {5, "姓名：姓名只能包含汉字和少数民族姓名中的间隔号“·”"},
        {8, "姓名：姓名中不能有英文字母"},
        {9, "姓名：间隔号“·”只能用在名字的两段之间"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool seen = false;
        for (size_t k = 0; k < rep.nnotes; k++)
            if (rep.notes[k].line == want[i].line && rep.notes[k].cls == IMPORT_INVALID &&
                strstr(rep.notes[k].text, want[i].why))
                seen = true;
        if (!seen)
            fail_msg("line %zu: no reason with \"%s\"", want[i].line, want[i].why);
    }
    import_report_free(&rep);
    char t[256];
    q_text(f, "SELECT group_concat(name, '|') FROM (SELECT name FROM residents ORDER BY name)", t,
           sizeof t);
    assert_string_equal(t, "帕尔哈提·阿不都|赵六|阿依古丽·买买提");
    /* The same file again finds them under the dot it saved. */
    assert_int_equal(run(f, file, true, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 0);
    import_report_free(&rep);
    free(file);

    /* A station that allows Latin letters: John Smith is a name there. */
    station_config *cfg = NULL;
    char err[512];
    const char *yaml = "names:\n  allow_latin: true\n";
    assert_int_equal(config_parse("station.yaml", yaml, strlen(yaml), &cfg, err, sizeof err),
                     WS_OK);
    station_close(&f->st);
    assert_int_equal(station_open(f->path, STATION_TRUSTED, cfg, &f->st, err, sizeof err), WS_OK);
    text = "姓名\nＪｏｈｎ　Ｓｍｉｔｈ\n安娜·Maria\nJohn3\nJohn  Smith\n";
    file = write_file(f, "latin.csv", text, "UTF-8", false);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 2);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "数字"), 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "两个英文单词之间"), 1);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = 'John Smith'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name = '安娜·Maria'"), 1);
    station_close(&f->st);
    config_free(&cfg);
    assert_int_equal(station_open(f->path, STATION_TRUSTED, NULL, &f->st, err, sizeof err), WS_OK);
    free(file);
}

/* ---- the review's merge: field by field, registered identity kept, undo ---- */

/* 张伟 registered with an ID number and a phone as 户主 of H3 with notes; a
 * ledger row 章伟 with the same phone, another ID number, as 子 of H3 with
 * an address, its own notes and 低保: a possible duplicate. Returns 张伟's
 * id and the pending row's id. */
static void merge_seed(fixture *f, int64_t *zhang, int64_t *pending)
{
    char zw[19], other[19];
    make_id("19700303", 31, zw);
    make_id("19700303", 53, other);
    char text[1024];
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系,联系电话,备注\n"
             "张伟,%s,H3,户主,13900001111,登记时的备注\n", zw);
    char *seed = write_file(f, "seed.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, seed, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系,联系电话,住址,人员类别,备注\n"
             "章伟,%s,H3,子,13900001111,青石村一组 12 号,低保,台账里的备注\n", other);
    char *dup = write_file(f, "dup.csv", text, "UTF-8", false);
    assert_int_equal(run(f, dup, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    import_report_free(&rep);
    *zhang = q_int(f, "SELECT id FROM residents WHERE name = '张伟'");
    *pending = q_int(f, "SELECT id FROM import_pending");
    free(dup);
    free(seed);
}

/* Issue 8.2: one key replaced the registered person's name, ID number,
 * relation and notes with the imported row and left H3 without a head. */
static void test_merge_keeps_identity(void **state)
{
    fixture *f = *state;
    int64_t zhang, pending;
    merge_seed(f, &zhang, &pending);
    char idn[32], t[256];
    q_text(f, "SELECT id_number FROM residents WHERE name = '张伟'", idn, sizeof idn);
    int64_t rid = 0;
    field_error fe;
    assert_int_equal(import_pending_resolve(f->st, pending, IMPORT_MERGE, &rid, &fe), WS_OK);
    assert_int_equal(rid, zhang);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT name || '/' || id_number || '/' || relation || '/' || notes"
             " FROM residents WHERE id = %lld", (long long)zhang);
    q_text(f, sql, t, sizeof t);
    char want[256];
    snprintf(want, sizeof want, "张伟/%s/head/登记时的备注", idn);
    assert_string_equal(t, want);
    /* The household keeps its head. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM households WHERE head_id IS NULL"), 0);
    /* What the register lacked is added: the address and the 低保 status. */
    snprintf(sql, sizeof sql, "SELECT address FROM residents WHERE id = %lld", (long long)zhang);
    q_text(f, sql, t, sizeof t);
    assert_string_equal(t, "青石村一组 12 号");
    assert_int_equal(q_int(f, "SELECT count(*) FROM resident_groups WHERE group_code = 'dibao'"),
                     1);
}

static const import_merge_row *merge_row(const import_merge_plan *p, import_merge_field f,
                                         size_t *index)
{
    for (size_t i = 0; i < p->nrows; i++)
        if (p->rows[i].field == f) {
            if (index)
                *index = i;
            return &p->rows[i];
        }
    fail_msg("no row for field %d", (int)f);
    return NULL;
}

/* The comparison: both values side by side, identity kept by default, the
 * clerk's choices written, the 户主 kept, and a merge undone. */
static void test_merge_field_by_field(void **state)
{
    fixture *f = *state;
    int64_t zhang, pending;
    merge_seed(f, &zhang, &pending);
    char sql[256], t[512], idn[32];
    q_text(f, "SELECT id_number FROM residents WHERE name = '张伟'", idn, sizeof idn);
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_non_null(plan);
    assert_int_equal(import_merge_load(f->st, pending, plan), WS_OK);
    assert_int_equal(plan->resident_id, zhang);
    assert_int_equal(plan->line, 2);
    const import_merge_row *r = merge_row(plan, MERGE_NAME, NULL);
    assert_string_equal(r->registered, "张伟");
    assert_string_equal(r->imported, "章伟");
    assert_true(r->differs);
    assert_false(r->take);
    r = merge_row(plan, MERGE_ID_NUMBER, NULL);
    assert_string_equal(r->registered, idn); /* in full: the record's own view */
    assert_true(r->differs && !r->take);
    r = merge_row(plan, MERGE_HOUSEHOLD, NULL);
    assert_string_equal(r->registered, "H3 户主");
    assert_string_equal(r->imported, "H3 子");
    assert_true(r->differs && !r->take);
    r = merge_row(plan, MERGE_PHONE, NULL);
    assert_false(r->differs);
    r = merge_row(plan, MERGE_ADDRESS, NULL);
    assert_true(r->differs && r->take); /* the register has none */
    r = merge_row(plan, MERGE_NOTES, NULL);
    assert_true(r->differs && !r->take);
    r = merge_row(plan, MERGE_GROUP, NULL);
    assert_string_equal(r->code, "dibao");
    assert_string_equal(r->registered, "");
    assert_string_equal(r->imported, "低保对象");
    assert_true(r->take);

    /* Taking the row's relation would leave H3 without its head: refused,
     * nothing written, the row still waits. */
    size_t i = 0;
    merge_row(plan, MERGE_HOUSEHOLD, &i);
    import_merge_choose(plan, i, true);
    import_merge_error err;
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(import_merge_apply(f->st, plan, &err), WS_ERR_INVALID);
    assert_int_equal(err.why, MERGE_ERR_HEADLESS);
    assert_string_equal(err.detail, "H3");
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audits);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 1);
    import_merge_choose(plan, i, false);

    /* The row's ID number brings its sex and birth date along (here the
     * same); its notes and no 低保. */
    merge_row(plan, MERGE_ID_NUMBER, &i);
    import_merge_choose(plan, i, true);
    merge_row(plan, MERGE_NOTES, &i);
    import_merge_choose(plan, i, true);
    merge_row(plan, MERGE_GROUP, &i);
    import_merge_choose(plan, i, false);
    /* Saved elsewhere since the comparison was loaded: refused. */
    char other[32];
    q_text(f, "SELECT json_extract(row_json, '$.id_number') FROM import_pending", other,
           sizeof other);
    resident reg;
    field_error fe;
    assert_int_equal(resident_load(f->st, zhang, &reg), WS_OK);
    snprintf(reg.ethnicity, sizeof reg.ethnicity, "01");
    assert_int_equal(resident_save(f->st, &reg, &fe), WS_OK);
    assert_int_equal(import_merge_apply(f->st, plan, &err), WS_ERR_INVALID);
    assert_int_equal(err.why, MERGE_ERR_CHANGED);
    assert_string_equal(err.detail, "tester");
    /* Loaded again, the same choices are written. */
    assert_int_equal(import_merge_load(f->st, pending, plan), WS_OK);
    merge_row(plan, MERGE_ID_NUMBER, &i);
    import_merge_choose(plan, i, true);
    merge_row(plan, MERGE_NOTES, &i);
    import_merge_choose(plan, i, true);
    merge_row(plan, MERGE_GROUP, &i);
    import_merge_choose(plan, i, false);
    audits = q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'");
    assert_int_equal(import_merge_apply(f->st, plan, &err), WS_OK);
    snprintf(sql, sizeof sql,
             "SELECT name || '/' || id_number || '/' || relation || '/' || notes || '/' ||"
             " address || '/' || ethnicity FROM residents WHERE id = %lld", (long long)zhang);
    q_text(f, sql, t, sizeof t);
    char want[256];
    snprintf(want, sizeof want, "张伟/%s/head/台账里的备注/青石村一组 12 号/01", other);
    assert_string_equal(t, want);
    assert_int_equal(q_int(f, "SELECT count(*) FROM resident_groups"), 0);
    /* One audited write of the resident, one of the merge; the search
     * index finds the new ID number. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"),
                     audits + 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'import_merges'"
                              " AND action = 'insert'"), 1);
    resident_row rows[2];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, other, 0, 1, rows, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, zhang);
    /* The row left the review's queue but stays in its list as merged. */
    int64_t waiting = -1;
    assert_int_equal(import_pending_count(f->st, &waiting), WS_OK);
    assert_int_equal(waiting, 0);
    import_pending_item items[2];
    assert_int_equal(import_review_list(f->st, NULL, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, pending);
    assert_true(items[0].merged);
    assert_string_equal(items[0].merged_by, "tester");
    assert_string_equal(items[0].incoming.name, "章伟");
    /* The list's filter: either name, the pinyin, the initials. */
    assert_int_equal(import_review_list(f->st, "zw", 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(import_review_list(f->st, "章", 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(import_review_list(f->st, "lm", 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 0);

    /* Undo: what the merge changed goes back, as a new audited write; the
     * ethnicity saved before the merge stays; the row waits again. */
    assert_int_equal(import_merge_undo(f->st, pending, &err), WS_OK);
    q_text(f, sql, t, sizeof t);
    snprintf(want, sizeof want, "张伟/%s/head/登记时的备注//01", idn);
    assert_string_equal(t, want);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"),
                     audits + 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'import_merges'"
                              " AND action = 'update'"), 1);
    assert_int_equal(import_pending_count(f->st, &waiting), WS_OK);
    assert_int_equal(waiting, 1);
    assert_int_equal(import_review_list(f->st, "", 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, pending);
    assert_false(items[0].merged);
    assert_int_equal(resident_list(f->st, other, 0, 1, rows, 2, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(import_merge_undo(f->st, pending, &err), WS_ERR_NOT_FOUND);
    free(plan);
}

/* An undo never overwrites what was saved after the merge. */
static void test_merge_undo_conflict(void **state)
{
    fixture *f = *state;
    int64_t zhang, pending;
    merge_seed(f, &zhang, &pending);
    assert_int_equal(import_pending_resolve(f->st, pending, IMPORT_MERGE, NULL, NULL), WS_OK);
    /* The merge filled the address; a clerk then corrected it. */
    resident reg;
    field_error fe;
    assert_int_equal(resident_load(f->st, zhang, &reg), WS_OK);
    assert_string_equal(reg.address, "青石村一组 12 号");
    snprintf(reg.address, sizeof reg.address, "青石村一组 14 号");
    assert_int_equal(resident_save(f->st, &reg, &fe), WS_OK);
    import_merge_error err;
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(import_merge_undo(f->st, pending, &err), WS_ERR_INVALID);
    assert_int_equal(err.why, MERGE_ERR_EDITED);
    assert_string_equal(err.detail, "住址");
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audits);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 0);
    assert_int_equal(resident_load(f->st, zhang, &reg), WS_OK);
    assert_string_equal(reg.address, "青石村一组 14 号");
}

/* Taking the row's ID number takes the sex and birth date it states; a
 * skipped row leaves its data in the audit log. */
static void test_merge_id_and_skip(void **state)
{
    fixture *f = *state;
    char idn[19];
    make_id("19710404", 22, idn); /* a woman born 1971-04-04 */
    const char *seed = "姓名,出生日期,联系电话\n张伟,1970-03-03,13900002222\n";
    char *file = write_file(f, "seed2.csv", seed, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    import_report_free(&rep);
    free(file);
    char text[256];
    snprintf(text, sizeof text, "姓名,身份证号,联系电话\n章伟,%s,13900002222\n章卫,,13900002222\n",
             idn);
    file = write_file(f, "dup2.csv", text, "UTF-8", false);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 2);
    import_report_free(&rep);
    free(file);
    import_pending_item items[2];
    size_t n = 0;
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 2);
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_non_null(plan);
    assert_int_equal(import_merge_load(f->st, items[0].id, plan), WS_OK);
    size_t i = 0;
    assert_false(merge_row(plan, MERGE_BIRTH_DATE, NULL)->take);
    merge_row(plan, MERGE_ID_NUMBER, &i);
    import_merge_choose(plan, i, true);
    assert_true(merge_row(plan, MERGE_BIRTH_DATE, NULL)->take);
    assert_true(merge_row(plan, MERGE_SEX, NULL)->take);
    import_merge_error err;
    assert_int_equal(import_merge_apply(f->st, plan, &err), WS_OK);
    char t[128], want[128];
    q_text(f, "SELECT name || '/' || id_number || '/' || sex || '/' || birth_date FROM residents",
           t, sizeof t);
    snprintf(want, sizeof want, "张伟/%s/2/1971-04-04", idn);
    assert_string_equal(t, want);
    free(plan);
    /* 章卫 is skipped: the row is gone from the review, its data audited. */
    assert_int_equal(import_pending_resolve(f->st, items[1].id, IMPORT_SKIP, NULL, NULL), WS_OK);
    int64_t waiting = -1;
    assert_int_equal(import_pending_count(f->st, &waiting), WS_OK);
    assert_int_equal(waiting, 0);
    q_text(f, "SELECT action || '/' || json_extract(before, '$.name') FROM audit_log"
              " WHERE table_name = 'import_pending'", t, sizeof t);
    assert_string_equal(t, "delete/章卫");
}

/* A ledger imported again after its possible duplicates were decided in
 * the review (one merged, one kept as a second person): nothing waits
 * again, the rows are unchanged. */
static void test_review_decided_twice(void **state)
{
    fixture *f = *state;
    const char *seed = "姓名,出生日期,联系电话\n白洁兰,1975-06-08,13600000001\n";
    char *file = write_file(f, "seed.csv", seed, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    import_report_free(&rep);
    free(file);
    file = write_file(f, "疑似.csv", "姓名,出生日期,联系电话,备注\n"
                                     "柏洁兰,1975-06-08,13655550000,来自村台账\n"
                                     "白洁兰,,13608798578,另一位\n", "UTF-8", false);
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 2);
    import_report_free(&rep);
    import_pending_item items[2];
    size_t n = 0;
    assert_int_equal(import_pending_list(f->st, 0, 1, items, 2, &n), WS_OK);
    assert_int_equal(n, 2);
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_non_null(plan);
    assert_int_equal(import_merge_load(f->st, items[0].id, plan), WS_OK);
    import_merge_error err;
    assert_int_equal(import_merge_apply(f->st, plan, &err), WS_OK);
    free(plan);
    assert_int_equal(import_pending_resolve(f->st, items[1].id, IMPORT_KEEP_BOTH, NULL, NULL),
                     WS_OK);
    int64_t residents = q_int(f, "SELECT count(*) FROM residents");
    for (int run_no = 0; run_no < 2; run_no++) {
        assert_int_equal(run(f, file, false, &rep), WS_OK);
        assert_int_equal(rep.counts[IMPORT_DUPLICATE], 0);
        assert_int_equal(rep.counts[IMPORT_UNCHANGED], 2);
        import_report_free(&rep);
        int64_t waiting = -1;
        assert_int_equal(import_pending_count(f->st, &waiting), WS_OK);
        assert_int_equal(waiting, 0);
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), residents);
    free(file);
}

static void test_headers(void **state)
{
    (void)state;
    assert_int_equal(import_header_field("姓名"), IMP_NAME);
    assert_int_equal(import_header_field(" *姓名 "), IMP_NAME);
    assert_int_equal(import_header_field("身份证号码(18位)"), IMP_ID_NUMBER);
    assert_int_equal(import_header_field("公民身份号码"), IMP_ID_NUMBER);
    assert_int_equal(import_header_field("ＩＤ Ｎｕｍｂｅｒ"), IMP_ID_NUMBER);
    assert_int_equal(import_header_field("手机号"), IMP_PHONE);
    assert_int_equal(import_header_field("所属社区／村"), IMP_COMMUNITY);
    assert_int_equal(import_header_field("與戶主關係"), IMP_RELATION);
    assert_int_equal(import_header_field("家庭住址"), IMP_ADDRESS);
    assert_int_equal(import_header_field("Date of birth"), IMP_BIRTH_DATE);
    assert_int_equal(import_header_field("序号"), IMP_SKIP);
    assert_int_equal(import_header_field("残疾类别"), IMP_DISABILITY_TYPE);
    assert_int_equal(import_header_field("残疾等级"), IMP_DISABILITY_GRADE);
    assert_int_equal(import_header_field("残疾人证号"), IMP_DISABILITY_CERT);
    assert_int_equal(import_header_field("微信"), IMP_NONE);
    assert_int_equal(import_header_field(""), IMP_NONE);
}

/* A declared kind's ledger: communities, then households that name them;
 * the title updates, an export imports back unchanged, a bad row goes to
 * the error file with the reason, a dry run writes nothing. */
static void test_kind_ledger(void **state)
{
    fixture *f = *state;
    import_opts o = {0};
    kind_import_report rep;
    char err[512];
    char *path = write_file(f, "村.csv", "名称,类型,区划代码\n桃源村,村,510902105202\n"
                                         "学堂湾社区,社区,\n", "GB18030", false);
    assert_int_equal(import_kind(f->st, &kind_community, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 2);
    free(path);
    path = write_file(f, "户.csv",
                      "户台账\n户号,所属社区,住址,联系电话,微信\n"
                      "H001,桃源村,桃源村一组,13812345678,x\n"
                      "H002,学堂湾社区,学堂湾路1号,,\n"
                      "H003,石桥村,石桥,,\n"
                      "H004,桃源村,,12345,\n"
                      "合计,4户,,,\n"
                      "制表人：王芳,,,,\n",
                      "GB18030", false);
    o.dry_run = true;
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 2);
    int64_t n = 0;
    assert_int_equal(record_count(f->st, &kind_household, NULL, &n), WS_OK);
    assert_int_equal(n, 0);
    o.dry_run = false;
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.rows, 6);
    assert_int_equal(rep.added, 2);
    assert_int_equal(rep.invalid, 2);
    assert_int_equal(rep.skipped, 2); /* 合计 and 制表人 are no households */
    assert_int_equal(rep.nskipped_cols, 1);
    assert_string_equal(rep.skipped_cols[0], "微信");
    char *bytes = NULL, *text = NULL;
    size_t len = 0, tlen = 0, bad = 0;
    assert_int_equal(enc_read_file(rep.error_path, &bytes, &len), WS_OK);
    assert_int_equal(enc_to_utf8(bytes, len, "GB18030", &text, &tlen, &bad), WS_OK);
    assert_non_null(strstr(text, "户号,所属社区,住址,联系电话,微信,错误原因"));
    assert_non_null(strstr(text, "H003,石桥村,石桥,,,社区/村：没有名为“石桥村”的社区/村"));
    assert_non_null(strstr(text, "H004,桃源村,,12345,,联系电话："));
    free(bytes);
    free(text);
    assert_int_equal(record_count(f->st, &kind_household, NULL, &n), WS_OK);
    assert_int_equal(n, 2);
    free(path);
    /* An export (masked phone) imports back unchanged; a changed cell updates. */
    char *out = NULL;
    size_t olen = 0, rows = 0;
    export_opts eo = {.format = EXPORT_CSV};
    assert_int_equal(export_kind_csv(f->st, &kind_household, &eo, &out, &olen, &rows, err,
                                     sizeof err), WS_OK);
    path = testutil_path(f->dir, "export.csv");
    assert_int_equal(enc_write_file(path, out, olen), WS_OK);
    free(out);
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.added + rep.updated + rep.invalid, 0);
    free(path);
    path = write_file(f, "改.csv", "户号,住址\nH002,学堂湾路2号\n", "UTF-8", true);
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.updated, 1);
    record_row r[2];
    assert_int_equal(record_list(f->st, &kind_household, "H002", false, 0, 1, r, 2, &rows), WS_OK);
    assert_int_equal(rows, 1);
    household h;
    assert_int_equal(household_load(f->st, r[0].id, &h), WS_OK);
    assert_string_equal(h.address, "学堂湾路2号");
    assert_int_equal(h.community_id != 0, 1);
    free(path);
}

/* ---- issue 8: what a clerk missed, smaller things seen ---- */

static const import_note *find_note(const import_report *rep, import_class cls, const char *name)
{
    for (size_t i = 0; i < rep->nnotes; i++)
        if (rep->notes[i].cls == cls && !strcmp(rep->notes[i].name, name))
            return &rep->notes[i];
    return NULL;
}

/* The preview lists every row it will add, update, send to review or
 * refuse, by line and name with identifiers masked, and the summary rows
 * it skips; before, only counts (and no new rows at all). */
static void test_preview_rows(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19], d[19];
    make_id("19800102", 11, a);
    make_id("19700304", 22, b);
    make_id("19600506", 31, c);
    make_id("19500708", 42, d);
    /* 张伟 is registered; the ledger gives him a new phone. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "张伟");
    snprintf(r.id_number, sizeof r.id_number, "%s", a);
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    char text[4096];
    snprintf(text, sizeof text,
             "姓名,身份证号,联系电话,所属社区/村,户号,与户主关系,人员类别\r\n" /* 1 */
             "张伟,%s,13912345678,,,,\r\n"                                      /* 2: update */
             "李四,%s,13812345678,青石村,H001,户主,低保、残疾\r\n"              /* 3: new */
             "王五,%s,,青石村,H001,儿子,\r\n"                                   /* 4: new */
             "赵六,11010519491231002Y,,,,,\r\n"                                 /* 5: invalid */
             "钱七,%s,,,,,\r\n"                                                 /* 6: new */
             "合计,4人,,,,,\r\n"                                                /* 7: skipped */
             "制表人：王芳,,,,,,\r\n",                                          /* 8: skipped */
             a, b, c, d);
    char *file = write_file(f, "台账.csv", text, "GB18030", false);
    import_report rep;
    import_opts o = {.dry_run = true, .list_new = true};
    char err[1024];
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(count_notes(&rep, IMPORT_NEW, NULL), 3);
    const import_note *n = find_note(&rep, IMPORT_NEW, "李四");
    assert_non_null(n);
    assert_int_equal(n->line, 3);
    /* Masked: never the full number in a preview. */
    assert_non_null(strstr(n->text, "110***********"));
    assert_null(strstr(n->text, b));
    assert_non_null(strstr(n->text, "138****5678"));
    assert_non_null(strstr(n->text, "青石村"));
    assert_non_null(strstr(n->text, "H001"));
    assert_non_null(strstr(n->text, "低保"));
    assert_non_null(strstr(n->text, "残疾"));
    n = find_note(&rep, IMPORT_NEW, "王五");
    assert_non_null(n);
    assert_int_equal(n->line, 4);
    n = find_note(&rep, IMPORT_UPDATE, "张伟");
    assert_non_null(n);
    assert_int_equal(n->line, 2);
    assert_non_null(strstr(n->text, "139****5678"));
    n = find_note(&rep, IMPORT_INVALID, "赵六");
    assert_non_null(n);
    assert_int_equal(n->line, 5);
    for (size_t i = 0; i < rep.nnotes; i++)
        for (const char *id = a; id; id = id == a ? b : id == b ? c : id == c ? d : NULL)
            if (strstr(rep.notes[i].text, id))
                fail_msg("line %zu shows a full ID number: %s", rep.notes[i].line,
                         rep.notes[i].text);
    assert_int_equal(rep.nskips, 2);
    assert_int_equal(rep.skips[0].line, 7);
    assert_int_equal(rep.skips[1].line, 8);
    import_report_free(&rep);
    /* The command line lists what is notable, not every new row. */
    o.list_new = false;
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(count_notes(&rep, IMPORT_NEW, NULL), 0);
    assert_int_equal(count_notes(&rep, IMPORT_UPDATE, NULL), 1);
    import_report_free(&rep);
    free(file);
}

/* Nothing is silently capped: 700 refused rows and 150 summary rows are
 * all listed (the report kept the first 500 and the first 100). */
static void test_preview_uncapped(void **state)
{
    fixture *f = *state;
    size_t cap = 1 << 16, used = 0;
    char *text = malloc(cap);
    used += (size_t)snprintf(text + used, cap - used, "姓名,身份证号\r\n");
    for (int i = 0; i < 700; i++) {
        used += (size_t)snprintf(text + used, cap - used, "张%s,1234\r\n",
                                 i % 2 ? "甲" : "乙");
        if (i % 5 == 0)
            used += (size_t)snprintf(text + used, cap - used, "小计,%d\r\n", i);
    }
    char *file = write_file(f, "many.csv", text, "UTF-8", false);
    import_report rep;
    import_opts o = {.dry_run = true, .list_new = true};
    char err[1024];
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 700);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, NULL), 700);
    assert_int_equal(rep.skipped, 140);
    assert_int_equal(rep.nskips, 140);
    assert_int_equal(rep.notes[699].cls, IMPORT_INVALID);
    assert_int_equal(rep.skips[139].reason, IMPORT_SKIP_TOTAL);
    import_report_free(&rep);
    free(file);
    free(text);
}

/* A household the import creates keeps the address the ledger gives (its
 * first row's 住址); one that exists keeps its own. */
static void test_household_address(void **state)
{
    fixture *f = *state;
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H002");
    snprintf(h.address, sizeof h.address, "学堂湾路 8 号");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    char *file = write_file(f, "户.csv",
                            "姓名,户号,与户主关系,住址\r\n"
                            "李四,H001,户主,青石村一组 5 号\r\n"
                            "王五,H001,儿子,青石村一组 5 号附 1\r\n"
                            "赵六,H002,户主,青石村三组\r\n"
                            "钱七,H003,户主,\r\n"
                            "孙八,H003,配偶,青石村四组\r\n",
                            "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 5);
    assert_int_equal(rep.new_households, 2);
    import_report_free(&rep);
    char t[256];
    q_text(f, "SELECT address FROM households WHERE number = 'H001'", t, sizeof t);
    assert_string_equal(t, "青石村一组 5 号");
    q_text(f, "SELECT address FROM households WHERE number = 'H002'", t, sizeof t);
    assert_string_equal(t, "学堂湾路 8 号");
    /* The first row gives none: the household has none (a later member's
     * address is the member's own). */
    q_text(f, "SELECT coalesce(address, '') FROM households WHERE number = 'H003'", t, sizeof t);
    assert_string_equal(t, "");
    /* Audited with its address. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'households'"
                              " AND action = 'insert' AND after LIKE '%青石村一组 5 号%'"),
                     1);
    free(file);
}

/* A resident in a household needs a relation to its head: the form's
 * validation and the import refuse one without, naming the field. */
static void test_relation_needed(void **state)
{
    fixture *f = *state;
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H009");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "李四");
    r.household_id = h.id;
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_RELATION);
    assert_int_equal(fe.code, VAL_RELATION_NEEDED);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 0);
    snprintf(r.relation, sizeof r.relation, "head");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    /* Without a household no relation is asked for. */
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "王五");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);

    char a[19], e[19];
    make_id("19800102", 11, a);
    make_id("19610203", 13, e);
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "周九");
    snprintf(r.id_number, sizeof r.id_number, "%s", e);
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    char text[512];
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系\r\n"
             "赵六,,H009,\r\n"    /* new, in a household, no relation */
             "王五,,H009,\r\n"    /* a namesake without a household: no relation */
             "钱七,%s,H010,\r\n"  /* new household, no relation */
             "周九,%s,H011,\r\n"  /* registered: moved into a new household, no relation */
             "孙八,,,\r\n",       /* no household: fine */
             a, e);
    char *file = write_file(f, "rel.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_INVALID], 4);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, tr("valid.relation_needed")), 4);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, tr("field.relation")), 4);
    /* Refused before their households were made. */
    assert_int_equal(rep.new_households, 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name IN ('赵六', '钱七')"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE name IN ('王五', '周九')"
                              " AND household_id IS NULL"), 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM households"), 1);
    free(file);
}

/* A 复核日期 before the 认定日期 is refused, naming the 认定日期. */
static void test_review_before_start(void **state)
{
    fixture *f = *state;
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "李四");
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    snprintf(g.start_date, sizeof g.start_date, "2024-03-01");
    snprintf(g.review_date, sizeof g.review_date, "2023/1/1");
    assert_true(resident_group_set(&r, &g));
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_GROUP_REVIEW);
    assert_int_equal(fe.code, VAL_REVIEW_BEFORE_START);
    char why[256];
    record_error_reason(&fe, why, sizeof why);
    /* Both dates and the status: the form shows the statuses in one line. */
    assert_string_equal(why, "复核日期不能早于认定日期（低保：复核 2023-01-01，认定 2024-03-01）");
    assert_non_null(strstr(why, tr("field.group_start")));
    /* The same day, or a review with no recognition date, is fine. */
    snprintf(r.groups[0].review_date, sizeof r.groups[0].review_date, "2024-03-01");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    r.groups[0].start_date[0] = '\0';
    snprintf(r.groups[0].review_date, sizeof r.groups[0].review_date, "2020-01-01");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
}

/* --encoding takes only what a Chinese ledger is written in; a file whose
 * header is not found names the encoding it was read in; the OS's reasons
 * are in the clerk's language. */
static void test_file_messages(void **state)
{
    fixture *f = *state;
    import_report rep;
    import_opts o = {.encoding = "latin1"};
    char err[1024];
    char *file = write_file(f, "x.csv", "姓名\n张三\n", "UTF-8", false);
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_ERR_USAGE);
    assert_non_null(strstr(err, "latin1"));
    assert_non_null(strstr(err, "GB18030"));
    assert_non_null(strstr(err, "Big5"));
    assert_non_null(strstr(err, "UTF-16BE"));
    import_report_free(&rep);
    free(file);
    /* A UTF-8 ledger read as GB18030: its header is not found. */
    o.encoding = "gbk";
    file = write_file(f, "u.csv", "序号,姓名,身份证号\n1,张三,\n", "UTF-8", false);
    assert_int_equal(import_residents(f->st, file, &o, &rep, err, sizeof err), WS_ERR_INVALID);
    assert_true(rep.header_missing);
    assert_non_null(strstr(err, "GB18030"));
    assert_non_null(strstr(err, "编码"));
    import_report_free(&rep);
    free(file);
    o.encoding = NULL;
    char *missing = testutil_path(f->dir, "missing.csv");
    assert_int_equal(import_residents(f->st, missing, &o, &rep, err, sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, tr("os.enoent")));
    assert_null(strstr(err, "No such file"));
    assert_false(rep.header_missing);
    free(missing);
    assert_int_equal(import_residents(f->st, f->dir, &o, &rep, err, sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, tr("os.eisdir")));
}

/* A ledger's 备注 is added to a resident's note, never put in its place;
 * the same ledger again changes nothing (clerk's trial: a worker's
 * three-line note was replaced by 电话已更新). */
static void test_notes_kept(void **state)
{
    fixture *f = *state;
    char id[19];
    snprintf(id, sizeof id, "%s", "11010519491231002X");
    char *path = write_file(f, "a.csv", "姓名,身份证号,备注\n邓露,11010519491231002X,老人独居\n",
                            "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    import_report_free(&rep);
    free(path);
    path = write_file(f, "b.csv", "姓名,身份证号,备注\n邓露,11010519491231002X,电话已更新\n",
                      "UTF-8", false);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    import_report_free(&rep);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    import_report_free(&rep);
    free(path);
    char notes[256];
    sqlite3 *h = db_handle(station_db(f->st));
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT notes FROM residents WHERE id_number = ?1",
                                        -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(notes, sizeof notes, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_string_equal(notes, "老人独居\n电话已更新");
}

/* Write text as name (UTF-8) and import it (not a dry run). */
static void import_text(fixture *f, const char *name, const char *text, import_report *rep)
{
    char *path = write_file(f, name, text, "UTF-8", false);
    assert_int_equal(run(f, path, false, rep), WS_OK);
    free(path);
}

/* A row whose ID number is registered to someone with another name
 * entirely (a shifted 身份证号 column) renamed that person without a word:
 * it now waits for review, and only a name put right (folded, same
 * reading, one character) is written by the import itself. */
static void test_wrong_match(void **state)
{
    fixture *f = *state;
    char id[19], text[512], t[256];
    make_id("19630228", 871, id);
    import_report rep;
    snprintf(text, sizeof text, "姓名,身份证号\n白强,%s\n", id);
    import_text(f, "seed.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    snprintf(text, sizeof text, "姓名,身份证号\n黄大强,%s\n", id);
    import_text(f, "shifted.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "白强"), 1);
    import_report_free(&rep);
    q_text(f, "SELECT group_concat(name) FROM residents", t, sizeof t);
    assert_string_equal(t, "白强");
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 1);
    /* The same file again: still one row waiting, nothing renamed. */
    import_text(f, "shifted.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 1);
    /* A real change of name goes through the review: the clerk takes it. */
    int64_t pending = q_int(f, "SELECT id FROM import_pending");
    import_merge_plan *plan = malloc(sizeof *plan);
    assert_non_null(plan);
    assert_int_equal(import_merge_load(f->st, pending, plan), WS_OK);
    size_t i = 0;
    const import_merge_row *nm = merge_row(plan, MERGE_NAME, &i);
    assert_true(nm->differs);
    assert_false(nm->take);
    import_merge_choose(plan, i, true);
    import_merge_error me;
    assert_int_equal(import_merge_apply(f->st, plan, &me), WS_OK);
    free(plan);
    q_text(f, "SELECT group_concat(name) FROM residents", t, sizeof t);
    assert_string_equal(t, "黄大强");
    /* A name that reads the same (an IME's wrong character) or is another
     * once folded is no change a ledger makes either: it waits, naming both
     * names, and nothing of the row is written. */
    static const char *const typos[] = {"皇达墙", "皇達牆"};
    for (size_t k = 0; k < sizeof typos / sizeof *typos; k++) {
        snprintf(text, sizeof text, "姓名,身份证号,联系电话\n%s,%s,13900007777\n", typos[k], id);
        import_text(f, "typo.csv", text, &rep);
        assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
        assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
        assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "黄大强"), 1);
        assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, typos[k]), 1);
        import_report_free(&rep);
    }
    q_text(f, "SELECT group_concat(name || '/' || coalesce(phone, '')) FROM residents", t,
           sizeof t);
    assert_string_equal(t, "黄大强/");
    /* The same name once folded (traditional characters) is no change: the
     * register keeps its spelling. */
    snprintf(text, sizeof text, "姓名,身份证号\n黃大強,%s\n", id);
    import_text(f, "fix.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 0);
    import_report_free(&rep);
    q_text(f, "SELECT group_concat(name) FROM residents", t, sizeof t);
    assert_string_equal(t, "黄大强");
    /* One character apart is not enough: the next member of the family
     * (a shifted column) shares the surname and the generation name. */
    snprintf(text, sizeof text, "姓名,身份证号\n黄大明,%s\n", id);
    import_text(f, "sibling.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
    import_report_free(&rep);
    q_text(f, "SELECT group_concat(name) FROM residents", t, sizeof t);
    assert_string_equal(t, "黄大强");
}

/* Issue #9: 章伟 (a homophone) or 張偉 with the ID number of the registered
 * 张伟 renamed her as an ordinary 更新. 章伟 now waits for review with a
 * reason naming both names, nothing of the row written (the phone neither);
 * 張偉 and full-width letters are the same name: the row's other cells
 * update as before and the register's spelling stays. */
static void test_id_name_homophone(void **state)
{
    fixture *f = *state;
    char id[19], text[512], t[256];
    make_id("19450607", 93, id);
    import_report rep;
    snprintf(text, sizeof text, "姓名,身份证号,联系电话\n张伟,%s,13900001234\n", id);
    import_text(f, "seed.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    snprintf(text, sizeof text, "姓名,身份证号,联系电话,住址\n章伟,%s,13900005678,一组 3 号\n",
             id);
    char *path = write_file(f, "typo.csv", text, "UTF-8", false);
    for (int dry = 1; dry >= 0; dry--) {
        assert_int_equal(run(f, path, dry, &rep), WS_OK);
        assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
        assert_int_equal(rep.counts[IMPORT_DUPLICATE], 1);
        assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "“张伟”"), 1);
        assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "“章伟”"), 1);
        assert_int_equal(count_notes(&rep, IMPORT_DUPLICATE, "读音相同"), 1);
        import_report_free(&rep);
        assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), dry ? 0 : 1);
    }
    free(path);
    q_text(f, "SELECT name || '/' || phone || '/' || coalesce(address, '') FROM residents", t,
           sizeof t);
    assert_string_equal(t, "张伟/13900001234/");
    /* The review names the file (its base name) with the line. */
    q_text(f, "SELECT source || ':' || line FROM import_pending", t, sizeof t);
    assert_string_equal(t, "typo.csv:2");
    snprintf(text, sizeof text, "姓名,身份证号,住址\n張偉,%s,一组 3 号\n", id);
    import_text(f, "trad.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    assert_int_equal(rep.counts[IMPORT_DUPLICATE], 0);
    import_report_free(&rep);
    q_text(f, "SELECT name || '/' || address FROM residents", t, sizeof t);
    assert_string_equal(t, "张伟/一组 3 号");
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_pending"), 1);
}

/* A row that moved a 户主 out (户号 and 与户主关系 changed) left the
 * household with members and no head; the review refuses that, and so
 * does the import now, in the dry run too. The rest of the file goes in,
 * once; a new head given in the same file, before or after, still works. */
static void test_headless(void **state)
{
    fixture *f = *state;
    char fa[19], so[19], ot[19], nw[19], text[1024], t[256];
    make_id("19500101", 11, fa);
    make_id("19800202", 21, so);
    make_id("19700303", 31, ot);
    make_id("19900404", 41, nw);
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系\n父亲,%s,H1,户主\n儿子,%s,H1,子\n"
             "别人,%s,H2,户主\n", fa, so, ot);
    import_report rep;
    import_text(f, "seed.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 3);
    import_report_free(&rep);
    int64_t audits = q_int(f, "SELECT count(*) FROM audit_log");
    snprintf(text, sizeof text,
             "姓名,身份证号,户号,与户主关系\n父亲,%s,H2,父母\n新人,%s,H2,子\n", fa, nw);
    char *path = write_file(f, "moved.csv", text, "UTF-8", false);
    for (int dry = 1; dry >= 0; dry--) {
        assert_int_equal(run(f, path, dry, &rep), WS_OK);
        assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
        assert_int_equal(rep.counts[IMPORT_INVALID], 1);
        assert_int_equal(rep.counts[IMPORT_NEW], 1);
        assert_int_equal(count_notes(&rep, IMPORT_INVALID, "H1"), 1);
        assert_int_equal(count_notes(&rep, IMPORT_INVALID, "没有户主"), 1);
        assert_int_equal(rep.nnotes, 1);
        if (!dry)
            assert_string_not_equal(rep.error_path, "");
        import_report_free(&rep);
    }
    free(path);
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H1'", t, sizeof t);
    assert_string_equal(t, "父亲");
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 4);
    /* the new one only: one resident's write and its household's */
    assert_true(q_int(f, "SELECT count(*) FROM audit_log") > audits);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log WHERE action = 'update'"
                              " AND table_name = 'residents'"), 0);
    /* in place, the old head first and the new one after: both go in */
    snprintf(text, sizeof text, "姓名,身份证号,与户主关系\n父亲,%s,父母\n儿子,%s,户主\n", fa, so);
    import_text(f, "swap.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 2);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    import_report_free(&rep);
    q_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
              " WHERE h.number = 'H1'", t, sizeof t);
    assert_string_equal(t, "儿子");
}

/* A row with the ID number of someone in the 回收站 became a second
 * person with that number, and the deleted one could never be restored:
 * the row is refused, saying how to restore them. */
static void test_in_bin(void **state)
{
    fixture *f = *state;
    char id[19], text[512];
    make_id("19630301", 31, id);
    snprintf(text, sizeof text, "姓名,身份证号\n柏强,%s\n", id);
    import_report rep;
    import_text(f, "seed.csv", text, &rep);
    import_report_free(&rep);
    int64_t gone = q_int(f, "SELECT id FROM residents");
    assert_int_equal(resident_delete(f->st, gone), WS_OK);
    import_text(f, "again.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 0);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "回收站"), 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "柏强"), 1);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 1);
    field_error fe;
    assert_int_equal(resident_restore(f->st, gone, &fe), WS_OK);
    import_text(f, "again.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    import_report_free(&rep);
}

/* A line break in a 备注 cell was joined into a space, so a note written
 * on two lines in the form came back from its own export as a change: the
 * notes keep their lines (an address, edited on one line, is still
 * joined), and the export imports back with nothing changed. */
static void test_note_lines(void **state)
{
    fixture *f = *state;
    char id[19], text[512], t[256];
    make_id("19491231", 22, id);
    snprintf(text, sizeof text,
             "姓名,身份证号,住址,备注\n邓露,%s,\"青石村\r\n一组\",\"独居\r\n每周回访\"\n", id);
    import_report rep;
    import_text(f, "a.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    q_text(f, "SELECT address || '|' || notes FROM residents", t, sizeof t);
    assert_string_equal(t, "青石村一组|独居\n每周回访");
    export_import_back(f, "back.csv", true, &rep);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    assert_int_equal(rep.counts[IMPORT_UPDATE] + rep.counts[IMPORT_NEW] +
                     rep.counts[IMPORT_INVALID] + rep.counts[IMPORT_DUPLICATE], 0);
    import_report_free(&rep);
    /* and as a workbook */
    char *book = testutil_path(f->dir, "back.xlsx");
    export_opts eo = {.format = EXPORT_XLSX, .unmasked = true};
    size_t n = 0;
    char err[512];
    assert_int_equal(export_residents(f->st, book, &eo, &n, err, sizeof err), WS_OK);
    assert_int_equal(run(f, book, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    import_report_free(&rep);
    free(book);
    q_text(f, "SELECT notes FROM residents", t, sizeof t);
    assert_string_equal(t, "独居\n每周回访");
}

/* A ledger on a write-protected USB stick with one invalid row: the
 * error file could not go beside it, and every row was refused. It goes to
 * the home folder (or the station's folder), the message says where and
 * why, and the valid rows are imported; when no folder takes it, the
 * import goes on all the same. (A folder in the file's place stands for
 * the stick: tests run as root, whom modes do not stop.) */
static void test_errors_elsewhere(void **state)
{
    fixture *f = *state;
    char *stick = testutil_path(f->dir, "stick");
    char *home = testutil_path(f->dir, "home");
    assert_int_equal(mkdir(stick, 0700), 0);
    assert_int_equal(mkdir(home, 0700), 0);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    char id[19], text[512];
    make_id("19700101", 11, id);
    snprintf(text, sizeof text, "姓名,身份证号\n柳一,%s\n柳二,123\n", id);
    char *path = write_file(f, "stick/柳河.csv", text, "UTF-8", false);
    char beside[4096], in_home[4096], in_data[4096];
    import_error_path(path, beside, sizeof beside);
    snprintf(in_home, sizeof in_home, "%s/柳河_错误行.csv", home);
    snprintf(in_data, sizeof in_data, "%s/柳河_错误行.csv", f->dir);
    assert_int_equal(mkdir(beside, 0700), 0);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_string_equal(rep.error_path, in_home);
    assert_non_null(strstr(rep.error_trouble, beside));
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents"), 1);
    FILE *fp = fopen(in_home, "r");
    assert_non_null(fp);
    fclose(fp);
    /* Again, with the clerk's edits in that file: it is kept, the new
     * rows go to a free name beside it (it was overwritten). */
    fp = fopen(in_home, "w");
    assert_non_null(fp);
    fputs("clerk's edits", fp);
    fclose(fp);
    char second[4096], kept[64] = "";
    snprintf(second, sizeof second, "%s/柳河_错误行-2.csv", home);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_string_equal(rep.error_path, second);
    import_report_free(&rep);
    fp = fopen(in_home, "r");
    assert_non_null(fp);
    assert_non_null(fgets(kept, sizeof kept, fp));
    fclose(fp);
    assert_string_equal(kept, "clerk's edits");
    remove(second);
    /* the home folder cannot take it either (HOME is a file): the
     * station's folder */
    setenv("HOME", in_home, 1);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_string_equal(rep.error_path, in_data);
    import_report_free(&rep);
    /* nowhere (every free name there taken): imported all the same, the
     * invalid row still listed */
    remove(in_data);
    assert_int_equal(mkdir(in_data, 0700), 0);
    char taken[4096];
    for (int n = 2; n < 100; n++) {
        snprintf(taken, sizeof taken, "%s/柳河_错误行-%d.csv", f->dir, n);
        assert_int_equal(mkdir(taken, 0700), 0);
    }
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_string_equal(rep.error_path, "");
    assert_string_not_equal(rep.error_trouble, "");
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, NULL), 1);
    import_report_free(&rep);
    rmdir(in_data);
    for (int n = 2; n < 100; n++) {
        snprintf(taken, sizeof taken, "%s/柳河_错误行-%d.csv", f->dir, n);
        rmdir(taken);
    }
    remove(in_home);
    rmdir(beside);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_home);
    free(path);
    free(home);
    free(stick);
}

/* A ledger's note that no longer fits after the register's was dropped
 * without a word (无变化), or refused as too long though the cell is
 * short: now the row is refused saying the registered note is long. */
static void row_with_note(char *out, size_t outsz, const char *ch, int n)
{
    size_t used = (size_t)snprintf(out, outsz, "姓名,身份证号,住址,备注\n测试戊,11010519491231002X,%s,",
                                   n == 480 ? "一组" : "二组");
    for (int i = 0; i < n && used + 4 < outsz; i++)
        used += (size_t)snprintf(out + used, outsz - used, "%s", ch);
    snprintf(out + used, outsz - used, "\n");
}

static void test_notes_full(void **state)
{
    fixture *f = *state;
    char text[4096], notes[4096];
    import_report rep;
    row_with_note(text, sizeof text, "甲", 480);
    import_text(f, "a.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    const int lens[] = {250, 100};
    for (size_t i = 0; i < 2; i++) {
        row_with_note(text, sizeof text, "丁", lens[i]);
        import_text(f, "b.csv", text, &rep);
        assert_int_equal(rep.counts[IMPORT_UNCHANGED] + rep.counts[IMPORT_UPDATE], 0);
        assert_int_equal(count_notes(&rep, IMPORT_INVALID, "已有 480 字"), 1);
        assert_int_equal(count_notes(&rep, IMPORT_INVALID, "居民表单"), 1);
        import_report_free(&rep);
        q_text(f, "SELECT address || '/' || length(notes) || '/' || instr(notes, '丁')"
                  " FROM residents WHERE name = '测试戊'", notes, sizeof notes);
        assert_string_equal(notes, "一组/480/0");
    }
    /* One that fits is added as before. */
    row_with_note(text, sizeof text, "丁", 10);
    import_text(f, "c.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 1);
    import_report_free(&rep);
    q_text(f, "SELECT address || '/' || length(notes) FROM residents WHERE name = '测试戊'",
           notes, sizeof notes);
    assert_string_equal(notes, "二组/491");
}

/* A roster's volunteer with neither phone nor ID number was added again
 * on every run; now the registered one of that name is that volunteer,
 * and a name two have is refused as ambiguous. */
static void test_volunteer_twice(void **state)
{
    fixture *f = *state;
    import_opts o = {0};
    kind_import_report rep;
    char err[512];
    char *path = write_file(f, "v.csv", "姓名,联系电话,注册日期,技能\n新志愿丙,,2026-11-02,辅导\n",
                            "UTF-8", false);
    for (int run = 0; run < 2; run++) {
        assert_int_equal(import_kind(f->st, &kind_volunteer, path, &o, &rep, err, sizeof err),
                         WS_OK);
        assert_int_equal(rep.added, run == 0 ? 1 : 0);
        assert_int_equal(rep.unchanged, run == 0 ? 0 : 1);
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM volunteers WHERE name = '新志愿丙'"), 1);
    free(path);
    /* Another registered on another day: a row without a date is ambiguous. */
    path = write_file(f, "v2.csv", "姓名,注册日期\n新志愿丙,2026-11-05\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_volunteer, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 1);
    free(path);
    path = write_file(f, "v3.csv", "姓名,注册日期,技能\n新志愿丙,,辅导\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_volunteer, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added + rep.updated + rep.unchanged, 0);
    assert_int_equal(rep.invalid, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM volunteers WHERE name = '新志愿丙'"), 2);
    char *bytes = NULL, *errors = NULL;
    size_t len = 0, tlen = 0, bad = 0;
    assert_int_equal(enc_read_file(rep.error_path, &bytes, &len), WS_OK);
    assert_int_equal(enc_to_utf8(bytes, len, "UTF-8", &errors, &tlen, &bad), WS_OK);
    assert_non_null(strstr(errors, "不止一位叫“新志愿丙”"));
    free(bytes);
    free(errors);
    free(path);
    /* A roster without a 注册日期 column: today's default names nobody. */
    path = write_file(f, "v4.csv", "姓名,注册日期\n新志愿丁,2026-10-01\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_volunteer, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 1);
    free(path);
    path = write_file(f, "v5.csv", "姓名,技能\n新志愿丁,辅导\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_volunteer, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM volunteers WHERE name = '新志愿丁'"
                              " AND registered_date = '2026-10-01'"), 1);
    free(path);
}

/* A 户号 typed h001 or Ｈ001 (an input method's full width) is the
 * registered H001 in both imports and the form, never a second household;
 * a station that holds h001 from before still finds it. */
static void test_household_number_folded(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19];
    make_id("19700101", 11, a);
    make_id("19720202", 22, b);
    make_id("19950303", 33, c);
    char text[1024];
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系\n李四,%s,H001,户主\n", a);
    char *path = write_file(f, "户主.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    import_report_free(&rep);
    free(path);
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系\n王五,%s,h001,配偶\n"
                                "赵六,%s,Ｈ００１ ,儿子\n", b, c);
    path = write_file(f, "成员.csv", text, "UTF-8", false);
    for (int run_no = 0; run_no < 2; run_no++) {
        assert_int_equal(run(f, path, false, &rep), WS_OK);
        assert_int_equal(rep.counts[run_no ? IMPORT_UNCHANGED : IMPORT_NEW], 2);
        assert_int_equal(rep.new_households, 0);
        import_report_free(&rep);
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM households"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents r JOIN households h"
                              " ON h.id = r.household_id WHERE h.number = 'H001'"), 3);
    /* The households import goes through the kind's own reading. */
    import_opts o = {0};
    kind_import_report kr;
    char err[512];
    char *hp = write_file(f, "户.csv", "户号,住址\nｈ001,青石村一组\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_household, hp, &o, &kr, err, sizeof err), WS_OK);
    assert_int_equal(kr.updated, 1);
    assert_int_equal(kr.added, 0);
    assert_int_equal(import_kind(f->st, &kind_household, hp, &o, &kr, err, sizeof err), WS_OK);
    assert_int_equal(kr.unchanged, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM households"), 1);
    /* The form: h001 is taken by H001. */
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "h001");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_NUMBER);
    /* A number stored lower case before: found, and written upper case
     * by the import that names it. */
    assert_int_equal(sqlite3_exec(db_handle(station_db(f->st)),
                                  "UPDATE households SET number = 'h001'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 2);
    assert_int_equal(rep.new_households, 0);
    import_report_free(&rep);
    assert_int_equal(import_kind(f->st, &kind_household, hp, &o, &kr, err, sizeof err), WS_OK);
    assert_int_equal(kr.updated, 1);
    assert_int_equal(kr.added, 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM households WHERE number = 'H001'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM households"), 1);
    free(hp);
    free(path);
}

/* An address wrapped with Alt+Enter between Chinese characters is the
 * registered address: a second run changes nothing. */
static void test_address_line_break(void **state)
{
    fixture *f = *state;
    char a[19];
    make_id("19630228", 71, a);
    char text[512];
    snprintf(text, sizeof text, "姓名,身份证号,住址\n白强,%s,桃源村八组89号\n", a);
    char *path = write_file(f, "址.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    free(path);
    snprintf(text, sizeof text, "姓名;身份证号;住址\r\n白强;%s;\"桃源村\r\n八组89号\"\r\n", a);
    path = write_file(f, "址2.csv", text, "GB18030", false);
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
    import_report_free(&rep);
    free(path);
}

/* A 社区/村 cell that is not the household's community: refused naming
 * the household's, nothing created, and the same again on a second run;
 * a traditional spelling is the registered community. */
static void test_community_cell(void **state)
{
    fixture *f = *state;
    community cm;
    record_error re;
    memset(&cm, 0, sizeof cm);
    snprintf(cm.name, sizeof cm.name, "桃源村");
    assert_int_equal(community_save(f->st, &cm, &re), WS_OK);
    memset(&cm, 0, sizeof cm);
    snprintf(cm.name, sizeof cm.name, "学堂湾社区");
    assert_int_equal(community_save(f->st, &cm, &re), WS_OK);
    char a[19], b[19];
    make_id("19700101", 11, a);
    make_id("19720202", 22, b);
    char text[1024];
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系,社区/村\n"
                                "李四,%s,H001,户主,桃源村\n王五,%s,,,学堂湾社区\n", a, b);
    char *path = write_file(f, "登记.csv", text, "UTF-8", false);
    import_report rep;
    assert_int_equal(run(f, path, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    import_report_free(&rep);
    free(path);
    snprintf(text, sizeof text, "姓名,身份证号,社区/村\n李四,%s,青石\n王五,%s,學堂灣社區 \n",
             a, b);
    path = write_file(f, "社区.csv", text, "UTF-8", false);
    int64_t audit = q_int(f, "SELECT count(*) FROM audit_log");
    for (int run_no = 0; run_no < 2; run_no++) {
        assert_int_equal(run(f, path, false, &rep), WS_OK);
        assert_int_equal(rep.counts[IMPORT_UPDATE], 0);
        assert_int_equal(rep.counts[IMPORT_UNCHANGED], 1);
        assert_int_equal(rep.counts[IMPORT_INVALID], 1);
        assert_int_equal(count_notes(&rep, IMPORT_INVALID, "H001 的户属于“桃源村”"), 1);
        assert_int_equal(rep.new_communities, 0);
        import_report_free(&rep);
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit_log"), audit);
    free(path);
    /* Nor does the communities import make 學堂灣社區 beside 学堂湾社区:
     * it is that one, as here (its name stays). */
    import_opts o = {0};
    kind_import_report kr;
    char err[512];
    path = write_file(f, "村.csv", "名称,类型\n學堂灣社區,社区\n", "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_community, path, &o, &kr, err, sizeof err), WS_OK);
    assert_int_equal(kr.added, 0);
    assert_int_equal(kr.invalid, 0);
    assert_int_equal(kr.unchanged, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 2);
    free(path);
}

/* 青石村村委会 / 青石社区居委会 (the committee rather than the place) in a
 * 所属社区/村 cell made a second community beside the registered 青石村 /
 * 青石社区: the committee's name (村委会, 村民委员会, 居委会, 居民委员会, in
 * traditional characters too) is folded away when matching, in the
 * residents import and in a kind's reference (a household's 社区/村);
 * the registered names stay as they are. */
static void test_community_committee(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {"青石村", "青石社区"};
    for (size_t i = 0; i < 2; i++) {
        community cm;
        record_error re;
        memset(&cm, 0, sizeof cm);
        snprintf(cm.name, sizeof cm.name, "%s", names[i]);
        assert_int_equal(community_save(f->st, &cm, &re), WS_OK);
    }
    char a[19], b[19], c[19], d[19], text[1024], t[512];
    make_id("19500101", 51, a);
    make_id("19510101", 52, b);
    make_id("19520101", 53, c);
    make_id("19530101", 54, d);
    snprintf(text, sizeof text,
             "姓名,身份证号,所属社区/村\n甲一,%s,青石村村委会\n乙二,%s,青石村民委員會\n"
             "丙三,%s,青石社区居委会\n丁四,%s,青石社區居民委員會\n", a, b, c, d);
    import_report rep;
    import_text(f, "委员会.csv", text, &rep);
    assert_int_equal(rep.counts[IMPORT_NEW], 4);
    assert_int_equal(rep.new_communities, 0);
    import_report_free(&rep);
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 2);
    q_text(f, "SELECT group_concat(r.name || '=' || c.name, ' ') FROM residents r"
              " JOIN communities c ON c.id = r.community_id ORDER BY r.name", t, sizeof t);
    assert_non_null(strstr(t, "甲一=青石村"));
    assert_non_null(strstr(t, "乙二=青石村"));
    assert_non_null(strstr(t, "丙三=青石社区"));
    assert_non_null(strstr(t, "丁四=青石社区"));
    /* A household's 社区/村 (a kind's reference) is matched the same way. */
    import_opts o = {0};
    kind_import_report kr;
    char err[512];
    char *path = write_file(f, "户.csv", "户号,社区/村,住址\nH07001,青石村村委会,一组 1 号\n",
                            "UTF-8", false);
    assert_int_equal(import_kind(f->st, &kind_household, path, &o, &kr, err, sizeof err), WS_OK);
    assert_int_equal(kr.added, 1);
    assert_int_equal(kr.invalid, 0);
    free(path);
    q_text(f, "SELECT c.name FROM households h JOIN communities c ON c.id = h.community_id"
              " WHERE h.number = 'H07001'", t, sizeof t);
    assert_string_equal(t, "青石村");
    assert_int_equal(q_int(f, "SELECT count(*) FROM communities"), 2);
}

/* The hint after a file read in the wrong encoding listed every encoding,
 * the one the clerk had just given with --encoding (or the file was read
 * in) among them: it is left out, under any of its names. */
static void test_encoding_hint(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(enc_hint_others("GB18030", out, sizeof out),
                        "utf-8、utf-16le、utf-16be 或 big5");
    assert_string_equal(enc_hint_others("gbk", out, sizeof out),
                        "utf-8、utf-16le、utf-16be 或 big5");
    assert_string_equal(enc_hint_others("UTF-8", out, sizeof out),
                        "gbk、utf-16le、utf-16be 或 big5");
    assert_string_equal(enc_hint_others("big5", out, sizeof out),
                        "utf-8、gbk、utf-16le 或 utf-16be");
    assert_string_equal(enc_hint_others(NULL, out, sizeof out),
                        "utf-8、gbk、utf-16le、utf-16be 或 big5");
    char list[128];
    assert_null(strstr(trf(out, sizeof out, "import.hint_encoding_others",
                           enc_hint_others("UTF-16LE", list, sizeof list)), "utf-16le"));
}

/* trial-c §9: a row of the IME's full-width space, or a quoted space as a
 * workbook's sheet is read, was an error row 姓名：必须填写: it is a blank
 * row, counted as one. */
static void test_whitespace_rows(void **state)
{
    fixture *f = *state;
    char id[19], text[512];
    make_id("19650707", 11, id);
    snprintf(text, sizeof text,
             "姓名,性别,身份证号\r\n张空格,男,%s\r\n\"\xe3\x80\x80\",,\r\n\" \",\" \",\r\n"
             "\xe3\x80\x80\xe3\x80\x80,\t,\xe3\x80\x80\r\n",
             id);
    char *file = write_file(f, "空行.csv", text, "UTF-8", true);
    import_report rep;
    assert_int_equal(run(f, file, true, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    assert_int_equal(rep.counts[IMPORT_INVALID], 0);
    assert_int_equal(rep.blank, 3);
    import_report_free(&rep);
    free(file);
}

/* trial-c §12: a 出生年月 column (1965.07, 1965年7月, 1965-07, 196507)
 * sent the person to the error file; a year and month that agrees with the
 * ID number is its date of birth, one that does not is the usual
 * 出生日期与身份证号不符. */
static void test_birth_year_month(void **state)
{
    fixture *f = *state;
    char a[19], b[19], c[19], d[19], e[19], x[19], text[1024];
    make_id("19650707", 21, a);
    make_id("19650708", 23, b);
    make_id("19650709", 25, c);
    make_id("19650710", 27, d);
    make_id("19651011", 29, e);
    make_id("19650711", 31, x);
    snprintf(text, sizeof text,
             "姓名,性别,身份证号,出生年月\r\n甲一,男,%s,1965.07\r\n乙二,男,%s,1965年7月\r\n"
             "丙三,男,%s,1965-07\r\n丁四,男,%s,196507\r\n戊五,男,%s,1965.1\r\n"
             "己六,男,%s,1966.07\r\n",
             a, b, c, d, e, x);
    char *file = write_file(f, "出生年月.csv", text, "UTF-8", true);
    import_report rep;
    assert_int_equal(run(f, file, false, &rep), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 5);
    assert_int_equal(rep.counts[IMPORT_INVALID], 1);
    assert_int_equal(count_notes(&rep, IMPORT_INVALID, "出生日期与身份证号不符"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM residents WHERE birth_date IN"
                              " ('1965-07-07', '1965-07-08', '1965-07-09', '1965-07-10',"
                              " '1965-10-11')"), 5);
    if (rep.error_path[0])
        remove(rep.error_path);
    import_report_free(&rep);
    free(file);
}

int main(void)
{
    char err[256];
    if (i18n_init("zh_CN", err, sizeof err) != WS_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_encoding_hint),
        cmocka_unit_test_setup_teardown(test_dialects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ahead_as_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_twice_and_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_possible_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disability_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_list_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_heads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_change_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_id_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        /* the review's merge */
        cmocka_unit_test_setup_teardown(test_merge_keeps_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_field_by_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_undo_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_id_and_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kind_ledger, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_community_committee, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id_name_homophone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headless, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_bin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_note_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_elsewhere, setup, teardown),
        /* issue 8 */
        cmocka_unit_test_setup_teardown(test_preview_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preview_uncapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_household_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relation_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_before_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_messages, setup, teardown),
        /* impfix2 */
        cmocka_unit_test_setup_teardown(test_notes_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_volunteer_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_household_number_folded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_community_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_line_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_decided_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_file_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_whitespace_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_birth_year_month, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
