/* The resident search: Chinese substrings, pinyin (full, initials, mixed),
 * polyphonic surnames, traditional/full-width/case folding, ID and phone
 * digits, addresses, result order (exact, prefix, rest, address), keyset
 * paging in both directions across groups, and the index kept by every
 * write (update, delete, failed save) and equal to a rebuild. Everything
 * goes through resident_list, as the front end and the CLI use it. */
#include "testutil.h"
#include "wushe/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>

#include "fts_tokenizer.h"
#include "search.h"
#include "search_internal.h"
#include "text_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/demo.h"
#include "wushe/resident.h"
#include "wushe/text.h"

#define BIG 12000 /* one page holding every result */

typedef testutil_station fixture;

static int setup(void **state)
{
    fixture *f = testutil_station_open(true);
    if (!f)
        return -1;
    /* search_fts needs Wushe's tokenizer to be read at all. */
    if (fts_tokenizer_register(f->raw) != WS_OK) {
        testutil_station_close(&f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f);
    return 0;
}

/* ---- raw SQL on the file ---- */


/* Every trigram instance of search_fts (term, doc = seq, offset). */
static void raw_fts_vocab(fixture *f)
{
    sqlite3_exec(f->raw, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_v USING"
                         " fts5vocab(main, 'search_fts', 'instance')", NULL, NULL, NULL);
}

/* The posting tables of the index: search_names and any other search_*
 * table with a seq column; the FTS5 part is read through fts_v below. */
typedef struct tables {
    size_t n;
    char name[8][64];
} tables;

static tables raw_tables(fixture *f)
{
    tables t = {0};
    sqlite3_stmt *q = NULL;
    const char *sql = "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'"
                      " AND m.name LIKE 'search%' AND EXISTS (SELECT 1 FROM"
                      " pragma_table_info(m.name) p WHERE p.name = 'seq') ORDER BY m.name";
    if (sqlite3_prepare_v2(f->raw, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(f->raw));
    while (sqlite3_step(q) == SQLITE_ROW && t.n < 8)
        snprintf(t.name[t.n++], sizeof t.name[0], "%s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    bool names = false;
    for (size_t i = 0; i < t.n; i++)
        names = names || strcmp(t.name[i], "search_names") == 0;
    assert_true(names);
    return t;
}

/* Every posting of the index as one string (malloc'd), to compare states. */
static char *raw_index_dump(fixture *f)
{
    tables t = raw_tables(f);
    sqlite3_str *out = sqlite3_str_new(f->raw);
    for (size_t i = 0; i < t.n; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY term, seq", t.name[i]);
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(f->raw, sql, -1, &q, NULL) != SQLITE_OK)
            fail_msg("%s: %s", sql, sqlite3_errmsg(f->raw));
        sqlite3_str_appendf(out, "%s:", t.name[i]);
        while (sqlite3_step(q) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(q); c++) {
                if (sqlite3_column_type(q, c) == SQLITE_BLOB) {
                    const unsigned char *b = sqlite3_column_blob(q, c);
                    for (int k = 0; k < sqlite3_column_bytes(q, c); k++)
                        sqlite3_str_appendf(out, "%02x", b[k]);
                } else {
                    sqlite3_str_appendf(out, "%s", sqlite3_column_text(q, c));
                }
                sqlite3_str_appendchar(out, 1, '|');
            }
            sqlite3_str_appendchar(out, 1, '\n');
        }
        sqlite3_finalize(q);
    }
    raw_fts_vocab(f);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(f->raw, "SELECT term, doc, offset FROM temp.fts_v"
                                   " ORDER BY term, doc, offset", -1, &q, NULL) != SQLITE_OK)
        fail_msg("fts_v: %s", sqlite3_errmsg(f->raw));
    sqlite3_str_appendf(out, "search_fts:");
    while (sqlite3_step(q) == SQLITE_ROW)
        sqlite3_str_appendf(out, "%s|%lld|%lld\n", sqlite3_column_text(q, 0),
                            (long long)sqlite3_column_int64(q, 1),
                            (long long)sqlite3_column_int64(q, 2));
    sqlite3_finalize(q);
    char *r = sqlite3_str_finish(out);
    assert_non_null(r);
    char *copy = strdup(r);
    sqlite3_free(r);
    assert_non_null(copy);
    return copy;
}

static int64_t raw_seq(fixture *f, int64_t id)
{
    return raw_int(f, "SELECT seq FROM residents WHERE id = ?1", id);
}

/* Postings of a seq in every posting table (where = "seq = ?1" etc.). */
static int64_t raw_count_where(fixture *f, const char *where, int64_t arg)
{
    tables t = raw_tables(f);
    int64_t n = 0;
    for (size_t i = 0; i < t.n; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", t.name[i], where);
        n += raw_int(f, sql, arg);
    }
    return n;
}

/* Trigram instances of one seq in search_fts. */
static int64_t raw_fts_postings(fixture *f, int64_t seq)
{
    raw_fts_vocab(f);
    return raw_int(f, "SELECT count(*) FROM temp.fts_v WHERE doc = ?1", seq);
}

static int64_t raw_postings(fixture *f, int64_t seq)
{
    return raw_count_where(f, "seq = ?1", seq);
}

/* ---- building residents ---- */

/* A valid 18-character ID number: region 510902, birth YYYYMMDD, sequence. */
static void make_id(char out[19], const char *ymd, int seq)
{
    char d17[32];
    snprintf(d17, sizeof d17, "510902%.8s%03u", ymd, (unsigned)seq % 1000u);
    assert_int_equal(strlen(d17), 17);
    memcpy(out, d17, 17);
    out[17] = val_id_check_char(d17);
    out[18] = '\0';
}

static int64_t add_full(fixture *f, const char *name, const char *idn, const char *phone,
                        const char *address)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%s", idn ? idn : "");
    snprintf(r.phone, sizeof r.phone, "%s", phone ? phone : "");
    snprintf(r.address, sizeof r.address, "%s", address ? address : "");
    field_error fe;
    ws_status s = resident_save(f->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s field %d code %s", name, ws_status_name(s), (int)fe.field,
                 val_status_key(fe.code));
    assert_true(r.id > 0);
    return r.id;
}

static int64_t add(fixture *f, const char *name)
{
    return add_full(f, name, NULL, NULL, NULL);
}

/* ---- running queries ---- */

/* Ids of one page of resident_list(filter); returns the count. */
static size_t page(fixture *f, const char *q, int64_t after, int dir, int64_t *out, size_t max)
{
    resident_row *rows = malloc((max ? max : 1) * sizeof *rows);
    assert_non_null(rows);
    size_t n = 99999;
    ws_status s = resident_list(f->st, q, after, dir, rows, max, &n);
    if (s != WS_OK)
        fail_msg("resident_list('%s', after %lld, dir %d): %s", q, (long long)after, dir,
                 ws_status_name(s));
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++)
        out[i] = rows[i].id;
    free(rows);
    return n;
}

/* Every result of q, in order (one big page). */
static size_t all(fixture *f, const char *q, int64_t *out)
{
    size_t n = page(f, q, 0, 1, out, 600);
    if (n == 600)
        n = page(f, q, 0, 1, out, BIG);
    assert_true(n < BIG);
    return n;
}

static void name_of(fixture *f, int64_t id, char *out, size_t outsz)
{
    resident r;
    if (resident_load(f->st, id, &r) != WS_OK)
        snprintf(out, outsz, "#%lld", (long long)id);
    else
        snprintf(out, outsz, "%s", r.name);
}

/* "name,name,..." of a list of ids. */
static void join_names(fixture *f, const int64_t *ids, size_t n, char *out, size_t outsz)
{
    size_t j = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && j + 1 < outsz; i++) {
        char nm[200];
        name_of(f, ids[i], nm, sizeof nm);
        j += (size_t)snprintf(out + j, outsz - j, "%s%s", i ? "," : "", nm);
        if (j >= outsz)
            j = outsz - 1;
    }
}

/* The results of q, by name and in order, must be exactly `want`. */
static int64_t *ids_new(void)
{
    int64_t *p = calloc(BIG + 16, sizeof *p);
    assert_non_null(p);
    return p;
}

static void expect_order(fixture *f, const char *q, const char *want)
{
    int64_t *ids = ids_new();
    size_t n = all(f, q, ids);
    char got[8192];
    join_names(f, ids, n, got, sizeof got);
    free(ids);
    if (strcmp(got, want) != 0)
        fail_msg("query '%s': got [%s], want [%s]", q, got, want);
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void expect_finds(fixture *f, const char *q, int64_t id)
{
    int64_t *ids = ids_new();
    size_t n = all(f, q, ids);
    bool found = has(ids, n, id);
    if (!found) {
        char nm[200], got[8192];
        name_of(f, id, nm, sizeof nm);
        join_names(f, ids, n, got, sizeof got);
        fail_msg("query '%s' does not find %s; got [%s]", q, nm, got);
    }
    free(ids);
}

static void expect_not_finds(fixture *f, const char *q, int64_t id)
{
    int64_t *ids = ids_new();
    size_t n = all(f, q, ids);
    if (has(ids, n, id)) {
        char nm[200], got[8192];
        name_of(f, id, nm, sizeof nm);
        join_names(f, ids, n, got, sizeof got);
        fail_msg("query '%s' still finds %s; got [%s]", q, nm, got);
    }
    free(ids);
}

static bool finds_id(fixture *f, const char *q, int64_t id)
{
    int64_t *ids = ids_new();
    size_t n = all(f, q, ids);
    bool found = has(ids, n, id);
    free(ids);
    return found;
}

/* Two queries give the same ids in the same order. */
static void expect_same(fixture *f, const char *q1, const char *q2)
{
    int64_t *a = ids_new(), *b = ids_new();
    size_t na = all(f, q1, a), nb = all(f, q2, b);
    if (na != nb || memcmp(a, b, na * sizeof *a) != 0) {
        char ga[8192], gb[8192];
        join_names(f, a, na, ga, sizeof ga);
        join_names(f, b, nb, gb, sizeof gb);
        fail_msg("query '%s' [%s] differs from '%s' [%s]", q1, ga, q2, gb);
    }
    assert_true(na > 0);
    free(a);
    free(b);
}

/* ---- an oracle for the order ----
 * The register in pinyin order is the unfiltered list (sort key, id); a
 * query's results are its groups in turn, each in that order. */

typedef struct reg {
    size_t n;
    int64_t id[BIG];
    char name[BIG][200];   /* folded */
    char idn[BIG][40];
    char digits[BIG][40];  /* phone digits */
    char text[BIG][600];   /* folded address */
} reg;

static reg *reg_load(fixture *f)
{
    reg *g = calloc(1, sizeof *g);
    assert_non_null(g);
    g->n = page(f, NULL, 0, 1, g->id, BIG);
    assert_true(g->n < BIG);
    for (size_t i = 0; i < g->n; i++) {
        resident r;
        assert_int_equal(resident_load(f->st, g->id[i], &r), WS_OK);
        char *nf = text_fold(r.name), *af = text_fold(r.address);
        assert_non_null(nf);
        assert_non_null(af);
        snprintf(g->name[i], sizeof g->name[i], "%s", nf);
        snprintf(g->text[i], sizeof g->text[i], "%s", af);
        snprintf(g->idn[i], sizeof g->idn[i], "%s", r.id_number);
        size_t k = 0;
        for (const char *p = r.phone; *p && k + 1 < sizeof g->digits[i]; p++)
            if (*p >= '0' && *p <= '9')
                g->digits[i][k++] = *p;
        g->digits[i][k] = '\0';
        free(nf);
        free(af);
    }
    return g;
}

static char *fold_nospace(const char *q)
{
    char *f = text_fold(q);
    assert_non_null(f);
    char *w = f;
    for (char *p = f; *p; p++)
        if (*p != ' ')
            *w++ = *p;
    *w = '\0';
    return f;
}

/* Group of a register row for a Chinese query (-1 = no match). */
static int han_group(const reg *g, size_t i, const char *nq, bool address)
{
    if (strcmp(g->name[i], nq) == 0)
        return 0;
    if (strncmp(g->name[i], nq, strlen(nq)) == 0)
        return 1;
    if (strstr(g->name[i], nq))
        return 2;
    return address && strstr(g->text[i], nq) ? 3 : -1;
}

/* How query q (folded, no spaces) gives the syllables of a name from unit
 * ui on: 2 every one (each by its character, its pinyin or its initial),
 * 1 the first ones (the last typed may be the beginning of its pinyin). */
static int oracle_units(const char *q, char chars[][8], char reads[][16], size_t nu, size_t ui)
{
    if (!*q)
        return ui == nu ? 2 : 1;
    if (ui == nu)
        return 0;
    if ((unsigned char)*q >= 0x80) {
        size_t k = strlen(chars[ui]);
        return strncmp(q, chars[ui], k) == 0 ? oracle_units(q + k, chars, reads, nu, ui + 1) : 0;
    }
    const char *r = reads[ui];
    size_t rl = strlen(r), ql = strlen(q);
    bool letters = true;
    for (const char *p = q; *p; p++)
        letters = letters && *p >= 'a' && *p <= 'z';
    int res = 0;
    if (rl && q[0] == r[0])
        res |= oracle_units(q + 1, chars, reads, nu, ui + 1);
    if (rl >= 2 && strncmp(q, r, rl) == 0)
        res |= oracle_units(q + rl, chars, reads, nu, ui + 1);
    if (letters && ql >= 2 && ql < rl && strncmp(r, q, ql) == 0)
        res |= 1;
    return res;
}

/* Group of a register row for a name query of letters (and characters):
 * 0 every syllable given, 1 the first ones; by the name's reading or a
 * polyphonic surname's other one. */
static int latin_group(const reg *g, size_t i, const char *nq)
{
    char chars[32][8], reads[32][16];
    size_t nu = 0;
    for (const char *p = g->name[i]; *p && nu < 32;) {
        size_t k = 1;
        while (((unsigned char)p[k] & 0xC0) == 0x80)
            k++;
        snprintf(chars[nu++], sizeof chars[0], "%.*s", (int)k, p);
        p += k;
    }
    int best = -1;
    for (int v = 0; v < 2 && best != 0; v++) {
        text_pinyin py;
        assert_int_equal(v ? text_pinyin_text(g->name[i], &py)
                           : text_pinyin_name(g->name[i], &py), WS_OK);
        size_t k = 0;
        for (char *w = strtok(py.spaced, " "); w && k < nu; w = strtok(NULL, " "))
            snprintf(reads[k++], sizeof reads[0], "%s", w);
        assert_int_equal(k, nu);
        int m = oracle_units(nq, chars, reads, nu, 0);
        if (m & 2)
            best = 0;
        else if (m && best < 0)
            best = 1;
        text_pinyin_clear(&py);
    }
    return best;
}

static int digit_group(const reg *g, size_t i, const char *nq)
{
    char up[64];
    snprintf(up, sizeof up, "%s", nq);
    for (char *p = up; *p; p++)
        if (*p == 'x')
            *p = 'X';
    return strstr(g->idn[i], up) || strstr(g->digits[i], nq) ? 0 : -1;
}

typedef enum { OR_HAN, OR_NAME, OR_DIGITS } oracle_kind;

/* Expected ids of q: its groups in turn, each in pinyin order. */
static size_t oracle(const reg *g, oracle_kind kind, const char *q, int64_t *out)
{
    char *nq = fold_nospace(q);
    size_t n = 0;
    bool address = kind == OR_HAN && strlen(nq) > 3; /* two Chinese characters or more */
    for (int grp = 0; grp < 4; grp++)
        for (size_t i = 0; i < g->n; i++) {
            int k = kind == OR_HAN ? han_group(g, i, nq, address)
                  : kind == OR_NAME ? latin_group(g, i, nq) : digit_group(g, i, nq);
            if (k == grp)
                out[n++] = g->id[i];
        }
    free(nq);
    return n;
}

static void expect_oracle(fixture *f, const reg *g, oracle_kind kind, const char *q)
{
    int64_t *want = ids_new(), *got = ids_new();
    size_t nw = oracle(g, kind, q, want);
    size_t ng = all(f, q, got);
    if (nw != ng || memcmp(want, got, nw * sizeof *want) != 0) {
        char gw[16384], gg[16384];
        join_names(f, want, nw, gw, sizeof gw);
        join_names(f, got, ng, gg, sizeof gg);
        fail_msg("query '%s': got %zu [%s]\nwant %zu [%s]", q, ng, gg, nw, gw);
    }
    free(want);
    free(got);
}

/* ---- Chinese substrings and pinyin ---- */

static void small_register(fixture *f)
{
    add(f, "张三丰");
    add(f, "李张");
    add(f, "张小明");
    add(f, "张");
    add(f, "欧阳娜娜");
    add(f, "陈小明");
    add(f, "赵四");
    add(f, "张三");
    add(f, "李四");
    add(f, "王小红");
}

static void test_chinese_substrings(void **state)
{
    fixture *f = *state;
    small_register(f);
    /* one character: exact, then prefixes in pinyin order, then the rest */
    expect_order(f, "张", "张,张三,张三丰,张小明,李张");
    /* prefixes, middles and ends */
    expect_order(f, "张三", "张三,张三丰");
    expect_order(f, "小明", "陈小明,张小明");
    expect_order(f, "娜娜", "欧阳娜娜");
    expect_order(f, "阳娜", "欧阳娜娜");
    expect_order(f, "欧阳", "欧阳娜娜");
    expect_order(f, "三丰", "张三丰");
    expect_order(f, "丰", "张三丰");
    expect_order(f, "四", "李四,赵四");
    expect_order(f, "小", "陈小明,王小红,张小明");
    expect_order(f, "欧阳娜娜", "欧阳娜娜");
    expect_order(f, " 张 三 ", "张三,张三丰");
    expect_order(f, "钱", "");
    expect_order(f, "张四", "");
}

static void test_pinyin(void **state)
{
    fixture *f = *state;
    small_register(f);
    /* full pinyin, with or without spaces, as a prefix */
    expect_order(f, "zhangsan", "张三,张三丰");
    expect_order(f, "zhang s", "张三,张三丰");
    expect_order(f, "zhangsanfeng", "张三丰");
    expect_order(f, "zhang", "张,张三,张三丰,张小明");
    expect_order(f, "ouyang", "欧阳娜娜");
    expect_order(f, "ouyangnana", "欧阳娜娜");
    expect_order(f, "ou yang na", "欧阳娜娜");
    /* initials; exact initials before prefixes even when they sort later */
    expect_order(f, "zs", "张三,赵四,张三丰");
    expect_order(f, "zsf", "张三丰");
    expect_order(f, "oynn", "欧阳娜娜");
    expect_order(f, "oy", "欧阳娜娜");
    expect_order(f, "cxm", "陈小明");
    expect_order(f, "ls", "李四");
    /* mixed Chinese and pinyin */
    expect_order(f, "张s", "张三,张三丰");
    expect_order(f, "张x", "张小明");
    expect_order(f, "zhangx", "张小明");
    expect_order(f, "张三f", "张三丰");
    expect_order(f, "欧阳n", "欧阳娜娜");
    /* any case, full width */
    expect_same(f, "ZS", "zs");
    expect_same(f, "Zs", "zs");
    expect_same(f, "ＺＳ", "zs");
    expect_same(f, "ｚｓ", "zs");
    expect_same(f, "ZhangSan", "zhangsan");
    expect_same(f, "ＺＨＡＮＧ　ＳＡＮ", "zhangsan");
    expect_same(f, "OYNN", "oynn");
    expect_order(f, "zzz", "");
    expect_order(f, "zhangsanfengx", "");
}

/* ---- polyphonic surnames ---- */

typedef struct poly_case {
    const char *name;
    const char *queries[10];
} poly_case;

/* The register lists a polyphonic surname under its surname reading: 曾
 * among the z's (not ceng), 单 among the s's (not dan), 單 like 单. */
static void test_surname_order(void **state)
{
    fixture *f = *state;
    const char *names[] = {"张三", "单雄信", "曹操", "曾国藩", "邓小平", "孙权", "沈括", "單田芳"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        add(f, names[i]);
    resident_row rows[16];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, NULL, 0, 1, rows, 16, &n), WS_OK);
    /* cao < deng < shan(单田芳, 单雄信) < shen < sun < zeng < zhang */
    const char *want[] = {"曹操", "邓小平", NULL, NULL, "沈括", "孙权", "曾国藩", "张三"};
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++)
        if (want[i])
            assert_string_equal(rows[i].name, want[i]);
    /* the two 单/單 names sit between 邓 and 沈 */
    assert_true((strcmp(rows[2].name, "单雄信") == 0 && strcmp(rows[3].name, "單田芳") == 0) ||
                (strcmp(rows[2].name, "單田芳") == 0 && strcmp(rows[3].name, "单雄信") == 0));
}

static void test_polyphonic_surnames(void **state)
{
    fixture *f = *state;
    static const poly_case cases[] = {
        {"单雄信", {"sxx", "dxx", "shanxiongxin", "danxiongxin", "shan", "dan x", "shan xiong",
                    "单x", "单雄x", NULL}},
        {"曾国藩", {"zgf", "cgf", "zengguofan", "cengguofan", "zeng", "ceng", "曾g", NULL}},
        {"解晓东", {"xxd", "jxd", "xiexiaodong", "jiexiaodong", "xie", "jie", NULL}},
        {"仇英", {"qy", "cy", "qiuying", "chouying", "qiu", "chou", NULL}},
        {"区志强", {"ozq", "qzq", "ouzhiqiang", "quzhiqiang", "ouzhi", "quzhi", NULL}},
        {"查良镛", {"zly", "cly", "zhaliangyong", "chaliangyong", "zhal", "chal", NULL}},
        {"朴槿惠", {"pjh", "piaojinhui", "pujinhui", "piao", "pujin", NULL}},
        {"尉迟恭", {"ycg", "yuchigong", "yuchi", "yu chi", NULL}},
        {"长孙无忌", {"zswj", "zhangsunwuji", "zhangsun", "zs", NULL}},
        {"万俟卨", {"mqx", "moqixie", "moqi", "mo qi", NULL}},
        {"乐嘉", {"yj", "yuejia", "yue", NULL}},
        {"翟志刚", {"zzg", "zhaizhigang", "zhai", NULL}},
        {"覃大伟", {"qdw", "qindawei", "qin", NULL}},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    int64_t ids[sizeof cases / sizeof cases[0]];
    for (size_t i = 0; i < nc; i++)
        ids[i] = add(f, cases[i].name);
    /* distractors with the same initials */
    int64_t deng = add(f, "邓晓霞"); /* dxx */
    add(f, "孙小雪");                /* sxx */
    add(f, "周国富");                /* zgf */
    for (size_t i = 0; i < nc; i++)
        for (const char *const *q = cases[i].queries; *q; q++)
            expect_finds(f, *q, ids[i]);
    /* both readings of 单 are exact initials; 单 files under its surname
     * reading (shan), so it comes after 邓 (deng) and before 孙 (sun) */
    expect_order(f, "dxx", "邓晓霞,单雄信");
    expect_order(f, "sxx", "单雄信,孙小雪");
    expect_order(f, "shanxiongxin", "单雄信");
    expect_order(f, "danxiongxin", "单雄信");
    expect_not_finds(f, "sxx", deng);
    /* the Chinese surname itself */
    expect_order(f, "单", "单雄信");
    expect_order(f, "尉迟", "尉迟恭");
    expect_order(f, "万俟", "万俟卨");
    expect_order(f, "长孙", "长孙无忌");
    /* a traditional surname folds to the simplified one and its readings */
    int64_t trad = add(f, "單田芳");
    expect_finds(f, "stf", trad);
    expect_finds(f, "dtf", trad);
    expect_finds(f, "shantianfang", trad);
    expect_finds(f, "单", trad);
}

static size_t check_paging(fixture *f, const char *q, size_t step);

/* ---- any mix of characters, full pinyin and initials ---- */

/* Each syllable of a name may be given as its character, its full pinyin
 * or its initial, in any mix, with or without spaces (issue 8). */
static void test_mixed_forms(void **state)
{
    fixture *f = *state;
    int64_t clh = add(f, "陈丽华");
    int64_t cheng = add(f, "程丽华");
    int64_t lng = add(f, "陈龙华");
    add(f, "陈丽");
    add(f, "陈林");
    add(f, "陈丽红");
    add(f, "李华");
    static const char *const finds[] = {
        "chenlh", "chen lh", "陈lh", "陈 lh", "chenli h", "clihua", "陈li华", "cLH", "CHENLH",
        "chenlihua", "clh", "陈丽h", "chen丽华", "c丽华", "陈lihua", "chenl华", "c li hua",
        "陈丽hua", "chenlhua", "chenlih", "陈lhu", "ｃｈｅｎｌｈ", "陈ｌｈ", "陈　lh", "陳lh",
        "陳 l h", "陳麗h", "chen麗華",
    };
    size_t missed = 0;
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++)
        if (!finds_id(f, finds[i], clh)) {
            print_error("query '%s' does not find 陈丽华\n", finds[i]);
            missed++;
        }
    assert_int_equal(missed, 0);
    /* a character is that character; a syllable's pinyin is any character's */
    expect_not_finds(f, "陈lh", cheng);
    expect_not_finds(f, "chen丽华", cheng);
    expect_finds(f, "c丽华", cheng);
    expect_finds(f, "chenglh", cheng);
    expect_not_finds(f, "chenglh", clh);
    expect_not_finds(f, "陈丽h", lng);
    expect_finds(f, "陈l华", lng);
    static const char *const misses[] = {"chenlx", "陈lhx", "陈hl", "chenlihuaming", "陈丽华h",
                                         "chenlihx", "陈lihuax", "clhh", "丽lh", "lh"};
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++)
        expect_not_finds(f, misses[i], clh);
    /* exact (every syllable given), then prefixes, each in pinyin order */
    expect_order(f, "chenl", "陈丽,陈林,陈丽红,陈丽华,陈龙华");
    expect_order(f, "陈lh", "陈丽红,陈丽华,陈龙华");
    expect_order(f, "clh", "陈丽红,陈丽华,陈龙华,程丽华");
    expect_order(f, "陈丽h", "陈丽红,陈丽华");
    expect_order(f, "c丽", "陈丽,陈丽红,陈丽华,程丽华");
    expect_order(f, "chen li", "陈丽,陈丽红,陈丽华,陈林");
    expect_order(f, "陈l", "陈丽,陈林,陈丽红,陈丽华,陈龙华");
    expect_same(f, "chenlh", "chen lh");
    expect_same(f, "陈lh", "陈 l h");
    expect_same(f, "陈lh", "陳LH");
    /* the same character's other reading is no other character's */
    int64_t li = add(f, "陈力华");
    expect_finds(f, "陈li华", li);
    expect_finds(f, "chenlh", li);
    expect_not_finds(f, "陈丽hua", li);
    expect_not_finds(f, "陈丽h", li);
    /* polyphonic surnames by both readings, beside characters */
    static const poly_case cases[] = {
        {"单雄信", {"shanxx", "danxx", "单xx", "单 x x", "单xiongx", "sxiongxin", "dxiongxin",
                    "shan雄信", "dan雄x", NULL}},
        {"曾国藩", {"zengguof", "cengguof", "曾gf", "zguofan", "曾国f", "c国藩", NULL}},
        {"尉迟恭", {"yuchig", "尉迟g", "ycgong", "尉chigong", "yc恭", NULL}},
        {"欧阳娜娜", {"欧阳nn", "ouyangnn", "oyna", "欧yangnana", "o阳娜n", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t id = add(f, cases[i].name);
        for (const char *const *q = cases[i].queries; *q; q++)
            expect_finds(f, *q, id);
    }
    /* paging both ways through mixed queries */
    check_paging(f, "chenl", 1);
    check_paging(f, "c丽", 2);
    check_paging(f, "陈l", 2);
}

/* ---- folding a query without ICU's transliterators ---- */

/* search_fold agrees with text_fold on every code point of the table's
 * range and on mixed text. With WUSHE_FOLD_TABLE=FILE the table is written
 * to FILE (search_fold_table.h is made this way); when ICU folds
 * differently from the table, the test says how to make it again. */
static void table_put(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p < 0x20)
            fprintf(out, "\\%03o", *p);
        else
            fputc(*p, out);
    }
}

static void test_fold_table(void **state)
{
    (void)state;
    const char *path = getenv("WUSHE_FOLD_TABLE");
    FILE *out = path ? fopen(path, "w") : NULL;
    if (path && !out)
        fail_msg("cannot write %s", path);
    if (out)
        fprintf(out, "/* What text_fold makes of each code point of U+2E80..U+2FFFF it changes,\n"
                     " * \"\\n<code point> <folded>\": traditional characters to simplified,\n"
                     " * compatibility ideographs and radicals to unified ones, full-width\n"
                     " * forms to ASCII, ... Made from ICU %s by test_search:\n"
                     " * WUSHE_FOLD_TABLE=src/search/search_fold_table.h build/tests/test_search\n"
                     " * (the test fails when ICU folds differently from this table). */\n"
                     "static const char search_fold_table[] =\n    \"",
                U_ICU_VERSION);
    size_t wrong = 0, entries = 0;
    for (uint32_t cp = 0x2E80; cp < 0x30000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        char u[8];
        u[text_utf8_encode(cp, u)] = '\0';
        char *want = text_fold(u), *got = search_fold(u);
        assert_non_null(want);
        assert_non_null(got);
        if (strcmp(want, got) != 0 && wrong++ < 10)
            print_error("U+%04X: text_fold \"%s\", search_fold \"%s\"\n", (unsigned)cp, want, got);
        if (out && strcmp(want, u) != 0) {
            fputs(entries && entries % 12 == 0 ? "\"\n    \"\\n" : "\\n", out);
            table_put(out, u);
            fputc(' ', out);
            table_put(out, want);
            entries++;
        }
        free(want);
        free(got);
    }
    if (out) {
        fputs("\";\n", out);
        fclose(out);
    }
    if (wrong)
        fail_msg("search_fold differs from text_fold at %zu code points: ICU folds differently"
                 " from search_fold_table.h; make it again with WUSHE_FOLD_TABLE (see there)",
                 wrong);
    /* whole queries: Chinese, letters, full width, case, accents, spaces */
    static const char *const qs[] = {
        "陳lh", "ＺＨＡＮＧ　ＳＡＮ", "陳 麗華", "Chen丽Ｈ", "廈門市思明區", "José Müller",
        "e\xcc\x81", "単", "⾦", "①②", "１３８００", "張三ab", "",
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char *want = text_fold(qs[i]), *got = search_fold(qs[i]);
        assert_non_null(want);
        assert_non_null(got);
        if (strcmp(want, got) != 0)
            fail_msg("'%s': text_fold \"%s\", search_fold \"%s\"", qs[i], want, got);
        free(want);
        free(got);
    }
}

/* Every reading ICU gives a Chinese character is a syllable the query
 * knows when it reads letters as syllables. */
static void test_syllables_known(void **state)
{
    (void)state;
    size_t unknown = 0;
    for (uint32_t cp = 0x3400; cp < 0xA000; cp++) {
        if (cp >= 0x4DC0 && cp < 0x4E00)
            continue;
        char u[8];
        u[text_utf8_encode(cp, u)] = '\0';
        text_pinyin py;
        assert_int_equal(text_pinyin_text(u, &py), WS_OK);
        if (py.full && *py.full && !pinyin_syllable(py.full, strlen(py.full)) &&
            unknown++ < 10)
            print_error("U+%04X %s: reading \"%s\" is not in pinyin_syllables\n", (unsigned)cp,
                        u, py.full);
        text_pinyin_clear(&py);
    }
    assert_int_equal(unknown, 0);
}

/* ---- traditional, simplified, full width, case ---- */

static void test_folding(void **state)
{
    fixture *f = *state;
    int64_t trad = add(f, "陳小明");      /* typed in traditional */
    int64_t simp = add(f, "陈大明");      /* typed in simplified */
    int64_t lin = add_full(f, "林美玲", NULL, NULL, "福建省廈門市思明區中山路8號");
    int64_t huang = add_full(f, "黄志明", NULL, NULL, "福建省厦门市湖里区仙岳路100号");
    add_full(f, "郑伟", NULL, NULL, "福建省福州市鼓楼区");
    expect_order(f, "陈小明", "陳小明");
    expect_order(f, "陳小明", "陳小明");
    expect_order(f, "陳大明", "陈大明");
    expect_finds(f, "陈", trad);
    expect_finds(f, "陈", simp);
    expect_finds(f, "陳", trad);
    expect_finds(f, "陳", simp);
    expect_same(f, "陈", "陳");
    expect_finds(f, "chenxiaoming", trad);
    expect_finds(f, "cxm", trad);
    /* addresses fold too */
    expect_finds(f, "厦门", lin);
    expect_finds(f, "厦门", huang);
    expect_finds(f, "廈門", lin);
    expect_finds(f, "廈門", huang);
    expect_same(f, "厦门", "廈門");
    expect_finds(f, "厦门市", lin);
    expect_finds(f, "思明区", lin);
    expect_finds(f, "湖裡區", huang);
    expect_order(f, "福州", "郑伟");
    /* full width and case */
    expect_finds(f, "ＣＸＭ", trad);
    expect_finds(f, "CXM", trad);
    expect_finds(f, "ＣｈｅｎＸｉａｏＭｉｎｇ", trad);
}

/* ---- digits ---- */

static void test_digits(void **state)
{
    fixture *f = *state;
    char id[19];
    int64_t zs = add_full(f, "张三", "11010519491231002x", "138-0013-8000", NULL);
    int64_t land = add_full(f, "李秀英", NULL, "0832-1234567", NULL);
    make_id(id, "19780512", 31);
    int64_t wang = add_full(f, "王建国", id, "13912345678", NULL);
    make_id(id, "19851231", 42);
    int64_t liu = add_full(f, "刘芳", id, "15808321239", NULL);
    make_id(id, "19900101", 7);
    add_full(f, "陈静", id, "18600001111", NULL);
    make_id(id, "20010203", 5);
    add_full(f, "赵磊", id, "", NULL);
    for (int s = 1; s < 1000; s++) { /* an ID number ending in X */
        make_id(id, "19660606", s);
        if (id[17] == 'X')
            break;
    }
    assert_int_equal(id[17], 'X');
    int64_t sun = add_full(f, "孙丽", id, "13700138001", NULL);
    reg *g = reg_load(f);

    /* 4+ digit substrings of phones and ID numbers */
    expect_finds(f, "13800", zs);
    expect_finds(f, "1380013", zs);
    expect_finds(f, "13800138000", zs);
    expect_finds(f, "1231", zs);
    expect_finds(f, "1231", liu); /* its birth date 19851231 */
    expect_finds(f, "0105", zs);
    expect_finds(f, "19491231", zs);
    expect_finds(f, "1391", wang);
    /* the last 4 or 6 characters of an ID number, X in either case */
    expect_finds(f, "002X", zs);
    expect_finds(f, "002x", zs);
    expect_finds(f, "31002X", zs);
    expect_finds(f, "31002x", zs);
    expect_finds(f, "11010519491231002x", zs);
    expect_finds(f, id + 14, sun);
    char low[8];
    snprintf(low, sizeof low, "%.3sx", id + 14);
    expect_finds(f, low, sun);
    expect_not_finds(f, low, zs);
    /* a landline is found across its dash */
    expect_finds(f, "321234", land);
    expect_finds(f, "08321234567", land);
    expect_finds(f, "1234567", land);
    expect_finds(f, "0832", land);
    /* full width */
    expect_same(f, "１３８００", "13800");
    expect_same(f, "００２Ｘ", "002X");
    expect_same(f, "3100 2x", "31002X");
    expect_finds(f, "１３８", zs);

    /* each result set is exactly the rows holding the digits, in pinyin order */
    static const char *const qs[] = {"13800", "1231", "002X", "002x", "31002x", "321234",
                                     "0832", "1234", "0001", "5109", "001X", "138001", "9999"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        expect_oracle(f, g, OR_DIGITS, qs[i]);
    free(g);
}

/* ---- addresses ---- */

static void test_address(void **state)
{
    fixture *f = *state;
    int64_t a = add_full(f, "王芳", NULL, NULL, "四川省内江市市中区学堂湾路12号");
    int64_t b = add_full(f, "李强", NULL, NULL, "内江市学堂湾村3组");
    int64_t c = add_full(f, "赵敏", NULL, NULL, "内江市学堂路5号");
    int64_t d = add_full(f, "孙学堂", NULL, NULL, "内江市东兴区");
    expect_order(f, "学堂湾", "李强,王芳");
    expect_order(f, "学堂湾路", "王芳");
    expect_finds(f, "学堂湾路12号", a);
    expect_finds(f, "学堂湾村", b);
    expect_not_finds(f, "学堂湾", c);
    expect_not_finds(f, "学堂湾", d);
    /* names come before addresses */
    expect_order(f, "学堂", "孙学堂,李强,王芳,赵敏");
    expect_order(f, "内江", "李强,孙学堂,王芳,赵敏");
}

/* ---- paging ---- */

static const char *const given[] = {
    "伟", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "霞", "平", "刚", "桂英", "华", "华明", "华强", "华英", "建国", "建华", "志强",
    "海燕", "晓东", "晓燕", "玉兰", "国强", "国华", "红梅", "丽娟", "文斌", "春梅", "子豪",
    "雨桐", "浩然", "梓涵", "一诺", "欣怡", "思远", "宇航", "佳怡", "博文", "晨曦", "雪梅",
    "立新", "德华", "卫东", "振华", "建军", "小龙", "嘉怡", "婷婷", "琳", "鹏", "斌", "辉",
    "宁", "颖", "萍", "燕", "玲", "彬", "凯", "帆", "倩",
};
static const char *const surnames[] = {"李", "王", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "马", "朱", "胡", "郭"};

/* About 150 residents, 120 of them with 张 in the name (at the start or
 * not), duplicates, 张华 in names and in addresses, IDs all of region 510902. */
static void paging_register(fixture *f)
{
    char name[64], id[19];
    int k = 0;
    size_t ng = sizeof given / sizeof given[0], ns = sizeof surnames / sizeof surnames[0];
    /* save in an order unrelated to pinyin */
#define ADD(nm, addr)                                                                  \
    do {                                                                               \
        char ymd_[32];                                                                 \
        snprintf(ymd_, sizeof ymd_, "19%02u%02u%02u", 40u + (unsigned)k % 60u,           \
                 1u + (unsigned)k % 12u, 1u + (unsigned)k % 28u);                          \
        make_id(id, ymd_, 100 + k);                                                    \
        char ph_[32];                                                                  \
        snprintf(ph_, sizeof ph_, "139%08u", 20000000u + (unsigned)k * 7919u);        \
        add_full(f, (nm), id, ph_, (addr));                                            \
        k++;                                                                           \
    } while (0)
    for (size_t i = 0; i < ng; i++) {
        size_t j = (i * 37) % ng;
        snprintf(name, sizeof name, "张%s", given[j]);
        ADD(name, j % 9 == 0 ? "上海市宝山区张华浜路88弄" : "内江市市中区");
        if (j % 5 == 0) { /* a namesake */
            ADD(name, "内江市东兴区");
        }
        if (j % 3 == 0) {
            snprintf(name, sizeof name, "%s张%s", surnames[j % ns], given[(j * 7) % ng]);
            ADD(name, "内江市隆昌市");
        }
    }
    ADD("张", NULL);
    ADD("张", "内江市");
    ADD("李张", NULL);
    ADD("张华", NULL); /* three namesakes, one living on 张华浜路 */
    ADD("张华", "上海市宝山区张华浜路1号");
    ADD("李张华", NULL);
    ADD("王张华明", "上海市宝山区张华浜路2号");
    ADD("章子怡", NULL); /* zhang, but not 张 */
    ADD("长孙无忌", NULL);
    for (size_t s = 0; s < ns; s++) {
        snprintf(name, sizeof name, "%s%s", surnames[s], given[(s * 11) % ng]);
        ADD(name, s % 4 == 0 ? "上海市宝山区张华浜路3号" : NULL);
    }
#undef ADD
}

/* Paging q by `step` forward and backward gives the big page (reversed
 * when backward), without repeats or gaps, and continuing from any row
 * gives its neighbours. Returns the number of results. */
static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t check_paging_every(fixture *f, const char *q, size_t step, size_t every)
{
    int64_t *whole = ids_new(), *got = ids_new(), buf[64];
    size_t n = all(f, q, whole);
    memcpy(got, whole, n * sizeof *got);
    qsort(got, n, sizeof *got, id_cmp);
    for (size_t i = 1; i < n; i++)
        if (got[i] == got[i - 1])
            fail_msg("query '%s': id %lld twice", q, (long long)got[i]);
    assert_true(step < 64);
    for (int dir = 1; dir >= -1; dir -= 2) {
        size_t total = 0, m;
        int64_t after = 0;
        int pages = 0;
        do {
            m = page(f, q, after, dir, buf, step);
            for (size_t i = 0; i < m; i++) {
                if (total >= n)
                    fail_msg("query '%s' dir %d: more than %zu rows by pages", q, dir, n);
                got[total++] = buf[i];
            }
            if (m)
                after = buf[m - 1];
            assert_true(++pages < BIG);
        } while (m == step);
        if (total != n)
            fail_msg("query '%s' dir %d: %zu rows by pages of %zu, %zu in one page", q, dir,
                     total, step, n);
        for (size_t i = 0; i < n; i++) {
            int64_t want = dir > 0 ? whole[i] : whole[n - 1 - i];
            if (got[i] != want) {
                char gn[200], wn[200];
                name_of(f, got[i], gn, sizeof gn);
                name_of(f, want, wn, sizeof wn);
                fail_msg("query '%s' dir %d position %zu: %s, want %s", q, dir, i, gn, wn);
            }
        }
    }
    /* from every row (or every `every`th and the ends), both ways */
    for (size_t i = 0; i < n; i++) {
        if (i % every != 0 && i > 3 && i + 4 < n)
            continue;
        size_t m = page(f, q, whole[i], 1, buf, 3);
        size_t want = n - 1 - i < 3 ? n - 1 - i : 3;
        if (m != want)
            fail_msg("query '%s' after position %zu forward: %zu rows, want %zu", q, i, m, want);
        for (size_t k = 0; k < m; k++)
            if (buf[k] != whole[i + 1 + k])
                fail_msg("query '%s' after position %zu forward, row %zu wrong", q, i, k);
        m = page(f, q, whole[i], -1, buf, 3);
        want = i < 3 ? i : 3;
        if (m != want)
            fail_msg("query '%s' after position %zu backward: %zu rows, want %zu", q, i, m, want);
        for (size_t k = 0; k < m; k++)
            if (buf[k] != whole[i - 1 - k])
                fail_msg("query '%s' after position %zu backward, row %zu wrong", q, i, k);
    }
    free(whole);
    free(got);
    return n;
}

static size_t check_paging(fixture *f, const char *q, size_t step)
{
    return check_paging_every(f, q, step, 1);
}

static void test_paging(void **state)
{
    fixture *f = *state;
    paging_register(f);
    reg *g = reg_load(f);

    /* 张: exact (two 张), prefixes, the rest; about 120 rows */
    expect_oracle(f, g, OR_HAN, "张");
    size_t n = check_paging(f, "张", 7);
    assert_true(n >= 110);
    int64_t ids[BIG];
    all(f, "张", ids);
    char nm[200];
    name_of(f, ids[0], nm, sizeof nm);
    assert_string_equal(nm, "张");
    name_of(f, ids[1], nm, sizeof nm);
    assert_string_equal(nm, "张");
    name_of(f, ids[n - 1], nm, sizeof nm);
    assert_true(strcmp(nm, "张") != 0 && strncmp(nm, "张", strlen("张")) != 0);

    /* 张华: exact, prefix, rest and address groups */
    expect_oracle(f, g, OR_HAN, "张华");
    n = check_paging(f, "张华", 2);
    assert_true(n >= 10);
    expect_oracle(f, g, OR_HAN, "张华浜");
    check_paging(f, "张华浜", 2);
    expect_oracle(f, g, OR_HAN, "华明");
    check_paging(f, "华明", 1);

    /* pinyin, initials and characters in any mix: exact and prefix groups,
     * each merged from the streams of every reading of the letters */
    static const char *const lq[] = {"zhang", "zh", "zhanghua", "zhang h", "zs", "z", "zhangs",
                                     "张h", "张hm", "zhanghm", "zh华", "z华m", "张huam",
                                     "zhuaq", "张华m", "lz", "李zh", "lzhang"};
    for (size_t i = 0; i < sizeof lq / sizeof lq[0]; i++) {
        expect_oracle(f, g, OR_NAME, lq[i]);
        check_paging(f, lq[i], 7);
    }
    assert_true(check_paging(f, "zhang", 5) >= 80);
    /* digits: every ID is of region 510902 */
    expect_oracle(f, g, OR_DIGITS, "5109");
    assert_int_equal(check_paging(f, "5109", 7), g->n);
    expect_oracle(f, g, OR_DIGITS, "1392");
    check_paging(f, "1392", 7);
    /* mixed Chinese and pinyin, and a query that is none of these (a walk) */
    check_paging(f, "张h", 3);
    check_paging(f, "张华m", 1);
    assert_true(check_paging(f, "139", 7) > 100);
    /* an address group alone */
    expect_oracle(f, g, OR_HAN, "宝山");
    check_paging(f, "宝山", 3);
    free(g);
}

/* ---- a big register: dense queries walk instead of using postings ---- */

static void test_dense(void **state)
{
    fixture *f = *state;
    demo_opts opts = {.residents = 9000, .seed = 7};
    assert_int_equal(demo_generate(f->st, &opts), WS_OK);
    reg *g = reg_load(f);
    assert_int_equal(g->n, 9000);
    /* more than 4000 rows share these grams */
    int64_t *ids = ids_new();
    assert_true(all(f, "5109", ids) == 9000); /* every ID number: region 510902 */
    assert_true(all(f, "社区", ids) > 4000);   /* two of the four places */
    free(ids);
    static const struct {
        oracle_kind kind;
        const char *q;
        size_t step, every;
    } qs[] = {
        {OR_DIGITS, "5109", 50, 301}, {OR_DIGITS, "0902", 50, 301}, {OR_DIGITS, "1380", 7, 7},
        {OR_HAN, "社区", 40, 199},    {OR_HAN, "学堂湾", 40, 97},   {OR_HAN, "王", 20, 37},
        {OR_HAN, "王伟", 7, 1},        {OR_HAN, "伟", 20, 37},       {OR_HAN, "欧阳", 7, 3},
        {OR_NAME, "wang", 20, 37},    {OR_NAME, "ww", 7, 3},       {OR_NAME, "shan", 7, 3},
        {OR_NAME, "dan", 7, 3},       {OR_NAME, "zh", 40, 97},
        {OR_NAME, "王w", 20, 37},       {OR_NAME, "wangw", 20, 37},  {OR_NAME, "w伟", 7, 3},
        {OR_NAME, "chenl", 7, 3},      {OR_NAME, "陈lh", 7, 1},     {OR_NAME, "欧阳x", 7, 1},
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        expect_oracle(f, g, qs[i].kind, qs[i].q);
        assert_true(check_paging_every(f, qs[i].q, qs[i].step, qs[i].every) > 0);
    }
    free(g);
}

/* ---- pinyin order of long names ---- */

static bool order_is(fixture *f, const char *q, const char *want)
{
    int64_t ids[BIG];
    size_t n = all(f, q, ids);
    char got[8192];
    join_names(f, ids, n, got, sizeof got);
    if (strcmp(got, want) == 0)
        return true;
    print_error("query '%s': got [%s], want [%s]\n", q, got, want);
    return false;
}

static void test_long_names_order(void **state)
{
    fixture *f = *state;
    /* same first four characters; saved against pinyin order */
    add(f, "爱新觉罗启功");
    add(f, "爱新觉罗溥仪");
    add(f, "阿卜杜拉·买买提");
    add(f, "阿卜杜拉·艾山");
    /* the unfiltered list is in pinyin order */
    int64_t ids[BIG];
    size_t n = page(f, NULL, 0, 1, ids, BIG);
    char got[1024];
    join_names(f, ids, n, got, sizeof got);
    assert_string_equal(got, "阿卜杜拉·艾山,阿卜杜拉·买买提,爱新觉罗溥仪,爱新觉罗启功");
    /* and so is every group of a search */
    bool ok = true;
    ok &= order_is(f, "爱新觉罗", "爱新觉罗溥仪,爱新觉罗启功");
    ok &= order_is(f, "爱新", "爱新觉罗溥仪,爱新觉罗启功");
    ok &= order_is(f, "新觉罗", "爱新觉罗溥仪,爱新觉罗启功");
    ok &= order_is(f, "axjl", "爱新觉罗溥仪,爱新觉罗启功");
    ok &= order_is(f, "aixinjueluo", "爱新觉罗溥仪,爱新觉罗启功");
    ok &= order_is(f, "爱新觉罗p", "爱新觉罗溥仪");
    ok &= order_is(f, "阿卜杜拉", "阿卜杜拉·艾山,阿卜杜拉·买买提");
    ok &= order_is(f, "abdl", "阿卜杜拉·艾山,阿卜杜拉·买买提");
    ok &= order_is(f, "卜杜拉", "阿卜杜拉·艾山,阿卜杜拉·买买提");
    ok &= order_is(f, "a", "阿卜杜拉·艾山,阿卜杜拉·买买提,爱新觉罗溥仪,爱新觉罗启功");
    assert_true(ok);
}

/* Continuing from a row that was deleted since the page was shown (as the
 * unfiltered list does): the rest follows, nothing is repeated. */
static void test_paging_after_deleted_row(void **state)
{
    fixture *f = *state;
    paging_register(f);
    bool ok = true;
    static const char *const qs[] = {"张", "张华", "zhang", "5109"};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        int64_t whole[BIG], buf[8];
        size_t n = all(f, qs[k], whole);
        assert_true(n > 20);
        size_t mid = n / 2;
        /* deleted */
        assert_int_equal(resident_delete(f->st, whole[mid]), WS_OK);
        size_t m = page(f, qs[k], whole[mid], 1, buf, 3);
        if (m != 3 || buf[0] != whole[mid + 1] || buf[2] != whole[mid + 3]) {
            char gn[200] = "";
            if (m)
                name_of(f, buf[0], gn, sizeof gn);
            print_error("query '%s' forward after deleted row %zu of %zu: %zu rows, first %s\n",
                        qs[k], mid, n, m, gn);
            ok = false;
        }
        m = page(f, qs[k], whole[mid], -1, buf, 3);
        if (m != 3 || buf[0] != whole[mid - 1] || buf[2] != whole[mid - 3]) {
            char gn[200] = "";
            if (m)
                name_of(f, buf[0], gn, sizeof gn);
            print_error("query '%s' backward after deleted row %zu of %zu: %zu rows, first %s\n",
                        qs[k], mid, n, m, gn);
            ok = false;
        }
    }
    assert_true(ok);
}

/* resident_count(filter) counts what resident_list(filter) lists. */
static void test_count_agrees(void **state)
{
    fixture *f = *state;
    small_register(f);
    add(f, "單雄信");
    add(f, "王刚");
    add_full(f, "李秀英", NULL, "0832-1234567", "内江市学堂湾路12号");
    static const char *const qs[] = {"张", "zs", "zhang", "ang", "sxx", "dxx", "张s", "321234",
                                     "学堂湾", "0832", "xiao", "ming", "zhangs", "z三", "张sf", "chenxm"};
    bool ok = true;
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        int64_t ids[BIG];
        size_t n = all(f, qs[i], ids);
        int64_t c = -1;
        assert_int_equal(resident_count(f->st, qs[i], &c), WS_OK);
        if (c != (int64_t)n) {
            char got[2048];
            join_names(f, ids, n, got, sizeof got);
            print_error("query '%s': resident_count %lld, resident_list %zu [%s]\n", qs[i],
                        (long long)c, n, got);
            ok = false;
        }
    }
    assert_true(ok);
}

/* ---- the index follows every write ---- */

static void test_write_path(void **state)
{
    fixture *f = *state;
    small_register(f);
    int64_t zs = add_full(f, "张三", "11010519491231002X", "0832-1234567",
                          "内江市学堂湾路12号");
    /* two 张三 now */
    int64_t ids[BIG];
    assert_int_equal(all(f, "张三", ids), 3);
    int64_t seq = raw_seq(f, zs);
    assert_true(raw_postings(f, seq) > 0);

    /* rename 张三 to 李四, change the digits and the address */
    resident r;
    assert_int_equal(resident_load(f->st, zs, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "李四");
    make_id(r.id_number, "19700101", 11);
    r.sex = 0;
    r.birth_date[0] = '\0';
    snprintf(r.phone, sizeof r.phone, "13512345678");
    snprintf(r.address, sizeof r.address, "自贡市自流井区");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(r.id, zs);
    expect_not_finds(f, "张三", zs);
    expect_not_finds(f, "zhangsan", zs);
    expect_not_finds(f, "zs", zs);
    expect_not_finds(f, "张", zs);
    expect_not_finds(f, "002X", zs);
    expect_not_finds(f, "321234", zs);
    expect_not_finds(f, "学堂湾", zs);
    expect_finds(f, "李四", zs);
    expect_finds(f, "lisi", zs);
    expect_finds(f, "ls", zs);
    expect_finds(f, "四", zs);
    expect_finds(f, "3512", zs);
    expect_finds(f, r.id_number + 12, zs);
    expect_finds(f, "自流井", zs);
    expect_order(f, "李四", "李四,李四");
    expect_order(f, "张三", "张三,张三丰");
    /* nothing left behind, nothing missing: the postings are exactly a
     * rebuild's (no row deleted yet, so a rebuild keeps every seq) */
    assert_true(raw_postings(f, raw_seq(f, zs)) > 0);
    char *kept = raw_index_dump(f);
    assert_int_equal(search_rebuild(station_db(f->st), NULL, NULL), WS_OK);
    char *rebuilt = raw_index_dump(f);
    assert_string_equal(kept, rebuilt);
    free(kept);
    free(rebuilt);

    /* a failed save changes nothing: invalid ID number on an update... */
    char *before = raw_index_dump(f);
    assert_int_equal(resident_load(f->st, zs, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "王五");
    snprintf(r.id_number, sizeof r.id_number, "110105194912310021");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ID_NUMBER);
    char *after = raw_index_dump(f);
    assert_string_equal(after, before);
    free(after);
    expect_finds(f, "李四", zs);
    expect_order(f, "王五", "");
    /* ... a bad phone on an update ... */
    assert_int_equal(resident_load(f->st, zs, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "王五");
    snprintf(r.phone, sizeof r.phone, "12");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    after = raw_index_dump(f);
    assert_string_equal(after, before);
    free(after);
    /* ... an empty name on an insert ... */
    resident o;
    resident_init(&o);
    snprintf(o.phone, sizeof o.phone, "13800138000");
    assert_int_equal(resident_save(f->st, &o, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_NAME);
    /* ... a duplicate ID number on an insert */
    resident_init(&o);
    snprintf(o.name, sizeof o.name, "王五");
    snprintf(o.id_number, sizeof o.id_number, "%s", r.id_number);
    assert_int_equal(resident_save(f->st, &o, &fe), WS_ERR_INVALID);
    after = raw_index_dump(f);
    assert_string_equal(after, before);
    free(after);
    expect_order(f, "王五", "");
    expect_order(f, "ww", "");

    /* delete: gone from every kind of query, no postings left */
    assert_true(raw_fts_postings(f, raw_seq(f, zs)) > 0);
    assert_int_equal(resident_delete(f->st, zs), WS_OK);
    seq = raw_seq(f, zs);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM search_names WHERE seq = ?1", seq), 0);
    assert_int_equal(raw_fts_postings(f, seq), 0);
    assert_int_equal(raw_postings(f, seq), 0); /* and in any other posting table */
    expect_not_finds(f, "李四", zs);
    expect_not_finds(f, "ls", zs);
    expect_not_finds(f, "3512", zs);
    expect_not_finds(f, "自流井", zs);
    expect_order(f, "李四", "李四");
    char *deleted = raw_index_dump(f);
    assert_true(strcmp(deleted, before) != 0);
    /* a failed delete (already deleted) changes nothing either */
    assert_int_equal(resident_delete(f->st, zs), WS_ERR_NOT_FOUND);
    after = raw_index_dump(f);
    assert_string_equal(after, deleted);
    free(after);
    /* nor does an update of the deleted row */
    r.id = zs;
    snprintf(r.name, sizeof r.name, "王五");
    snprintf(r.phone, sizeof r.phone, "13800138000");
    r.id_number[0] = '\0';
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_NOT_FOUND);
    after = raw_index_dump(f);
    assert_string_equal(after, deleted);
    free(after);
    free(deleted);
    free(before);

    /* every living row has postings, no deleted row has any */
    assert_int_equal(raw_count_where(f, "seq IN (SELECT seq FROM residents"
                                        " WHERE deleted_at IS NOT NULL)", 0), 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE deleted_at IS NULL AND"
                                " seq NOT IN (SELECT seq FROM search_names)", 0), 0);
    /* every posting belongs to a living row */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM search_names WHERE seq NOT IN"
                                " (SELECT seq FROM residents WHERE deleted_at IS NULL)", 0), 0);
    assert_int_equal(raw_count_where(f, "seq NOT IN (SELECT seq FROM residents"
                                        " WHERE deleted_at IS NULL)", 0), 0);
}

/* ---- showing identifiers in full is recorded ---- */

static void test_record_unmasked(void **state)
{
    fixture *f = *state;
    const char *count = "SELECT count(*) FROM access_log WHERE event = 'unmask'";
    assert_int_equal(raw_int(f, count, 0), 0);
    assert_int_equal(access_unmask(f->st, "residents", 0, "{\"query\":\"陈lh\"}"), WS_OK);
    assert_int_equal(raw_int(f, count, 0), 1);
    assert_raw_text(f, "SELECT json_extract(detail, '$.query') || ' ' || table_name || ' ' || login"
                       " FROM access_log WHERE event = 'unmask'", 0, "陈lh residents tester");
}

/* ---- a rebuild gives what the write path kept ---- */

static const char *const rebuild_queries[] = {
    "张", "张华", "张三", "华明", "宝山", "张华浜", "zhang", "zh", "zs", "z", "zhangs", "zhang h",
    "张s", "zhangx", "5109", "1392", "002X", "321234", "sxx", "dxx", "李四", "ls", "陈", "小明",
    "学堂湾", "cxm", "oynn", "ouyang",
};
#define NRQ (sizeof rebuild_queries / sizeof rebuild_queries[0])

static void test_rebuild_same(void **state)
{
    fixture *f = *state;
    paging_register(f);
    small_register(f);
    int64_t zs = add_full(f, "张三", "11010519491231002X", "0832-1234567", "内江市学堂湾路12号");
    add(f, "单雄信");
    add(f, "陳小明");
    /* updates and deletes before the rebuild */
    int64_t all_ids[BIG];
    size_t n = page(f, NULL, 0, 1, all_ids, BIG);
    for (size_t i = 0; i < n; i += 9)
        if (all_ids[i] != zs)
            assert_int_equal(resident_delete(f->st, all_ids[i]), WS_OK);
    for (size_t i = 4; i < n; i += 13) {
        resident r;
        if (resident_load(f->st, all_ids[i], &r) != WS_OK)
            continue;
        snprintf(r.name, sizeof r.name, i % 2 ? "张华明" : "李四");
        field_error fe;
        assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    }
    int64_t *before = calloc(NRQ * BIG, sizeof *before);
    size_t nb[NRQ];
    assert_non_null(before);
    for (size_t q = 0; q < NRQ; q++)
        nb[q] = all(f, rebuild_queries[q], before + q * BIG);
    int64_t postings = raw_count_where(f, "1", 0);

    assert_int_equal(search_rebuild(station_db(f->st), NULL, NULL), WS_OK);
    assert_int_equal(search_ensure(station_db(f->st)), WS_OK);
    assert_int_equal(raw_count_where(f, "1", 0), postings);
    for (size_t q = 0; q < NRQ; q++) {
        int64_t got[BIG];
        size_t ng = all(f, rebuild_queries[q], got);
        if (ng != nb[q] || memcmp(got, before + q * BIG, ng * sizeof *got) != 0) {
            char gw[16384], gg[16384];
            join_names(f, before + q * BIG, nb[q], gw, sizeof gw);
            join_names(f, got, ng, gg, sizeof gg);
            fail_msg("query '%s' after rebuild: [%s], before [%s]", rebuild_queries[q], gg, gw);
        }
        assert_true(nb[q] > 0);
    }
    free(before);
    /* the write path keeps working on the rebuilt index */
    check_paging(f, "张", 7);
    int64_t x = add(f, "张华强");
    expect_finds(f, "张华", x);
    assert_int_equal(resident_delete(f->st, x), WS_OK);
    expect_not_finds(f, "张华", x);
    assert_int_equal(raw_postings(f, raw_seq(f, x)), 0);
    check_paging(f, "张华", 3);
}

/* Every posting of search_names, in key order, as one string. */
static char *postings_dump(fixture *f)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->raw, "SELECT group_concat(hex(term) || ':' || hex(ord)"
                                                " || ':' || seq, ',') FROM (SELECT * FROM"
                                                " search_names ORDER BY term, ord, seq)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *out = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_non_null(out);
    return out;
}

/* A bulk load's postings are held in runs, each sorted on a thread of its
 * own and merged as they are written: with runs of 7 (hundreds of runs
 * and threads), 1 and the default, the rebuilt index holds exactly the
 * postings the write path wrote one by one; a delete in the middle of a
 * batch finds its postings written. */
static void test_batch_runs(void **state)
{
    fixture *f = *state;
    paging_register(f);
    small_register(f);
    char *one_by_one = postings_dump(f);
    db *d = station_db(f->st);
    static const size_t sizes[] = {7, 1, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        search_batch_run_size(sizes[i]);
        assert_int_equal(db_begin(d), WS_OK);
        assert_int_equal(search_batch_begin(d), WS_OK);
        assert_int_equal(search_rebuild(d, NULL, NULL), WS_OK);
        assert_int_equal(search_batch_end(d, true), WS_OK);
        assert_int_equal(db_commit(d), WS_OK);
        char *batched = postings_dump(f);
        assert_string_equal(batched, one_by_one);
        free(batched);
    }
    /* Postings still held when a resident is deleted: written first. */
    search_batch_run_size(7);
    assert_int_equal(db_begin(d), WS_OK);
    assert_int_equal(search_batch_begin(d), WS_OK);
    int64_t x = add(f, "张华强");
    assert_int_equal(resident_delete(f->st, x), WS_OK);
    int64_t y = add(f, "张华伟");
    assert_int_equal(search_batch_end(d, true), WS_OK);
    assert_int_equal(db_commit(d), WS_OK);
    search_batch_run_size(0);
    expect_not_finds(f, "张华", x);
    expect_finds(f, "张华", y);
    assert_int_equal(raw_postings(f, raw_seq(f, x)), 0);
    free(one_by_one);
}

/* The register's order is kept by one index, residents_walk (schema 19
 * dropped residents_order, which it covers): the list's pages still come
 * from an index in (sort_key, id) order, never from a sort of every row. */
static void test_one_order_index(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->raw, "SELECT count(*) FROM sqlite_master"
                                                " WHERE name = 'residents_order'", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    static const char *const plans[] = {
        "EXPLAIN QUERY PLAN SELECT r.id FROM residents r WHERE r.deleted_at IS NULL"
        " ORDER BY r.sort_key, r.id LIMIT 50",
        "EXPLAIN QUERY PLAN SELECT r.id FROM residents r WHERE r.deleted_at IS NULL"
        " AND (r.sort_key, r.id) < (x'01', 5) ORDER BY r.sort_key DESC, r.id DESC LIMIT 50",
    };
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        assert_int_equal(sqlite3_prepare_v2(f->raw, plans[i], -1, &q, NULL), SQLITE_OK);
        bool walk = false, sort = false;
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(q, 3);
            walk = walk || (d && strstr(d, "residents_walk"));
            sort = sort || (d && strstr(d, "TEMP B-TREE"));
        }
        sqlite3_finalize(q);
        assert_true(walk);
        assert_false(sort);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chinese_substrings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pinyin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_polyphonic_surnames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_surname_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_forms, setup, teardown),
        cmocka_unit_test(test_fold_table),
        cmocka_unit_test(test_syllables_known),
        cmocka_unit_test_setup_teardown(test_folding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dense, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_names_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_after_deleted_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_unmasked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_order_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_runs, setup, teardown),
    };
    return testutil_run(tests);
}
