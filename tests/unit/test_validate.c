#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "wushe/validate.h"

#define TODAY "2026-11-23"

static void test_id_valid(void **state)
{
    (void)state;
    val_id v;
    assert_int_equal(val_id_number("11010519491231002X", TODAY, &v), VAL_OK);
    assert_string_equal(v.number, "11010519491231002X");
    assert_string_equal(v.birth, "1949-12-31");
    assert_int_equal(v.sex, SEX_FEMALE);
    assert_false(v.upgraded);

    assert_int_equal(val_id_number("440524188001010014", TODAY, &v), VAL_OK);
    assert_string_equal(v.birth, "1880-01-01");
    assert_int_equal(v.sex, SEX_MALE);

    /* lower-case x, spaces, full-width digits from an IME */
    assert_int_equal(val_id_number("11010519491231002x", TODAY, &v), VAL_OK);
    assert_string_equal(v.number, "11010519491231002X");
    assert_int_equal(val_id_number(" 110105 19491231 002X ", TODAY, &v), VAL_OK);
    assert_string_equal(v.number, "11010519491231002X");
    assert_int_equal(val_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY, &v), VAL_OK);
    assert_string_equal(v.number, "11010519491231002X");

    /* leap day, born today, province 83 */
    assert_int_equal(val_id_number("110105200002290013", TODAY, &v), VAL_OK);
    assert_string_equal(v.birth, "2000-02-29");
    assert_int_equal(val_id_number("510902202611230014", TODAY, &v), VAL_OK);
    assert_int_equal(val_id_number("830000199001010020", TODAY, &v), VAL_OK);
    assert_int_equal(v.sex, SEX_FEMALE);

    /* out may be NULL */
    assert_int_equal(val_id_number("11010519491231002X", TODAY, NULL), VAL_OK);
}

static void test_id_check_char(void **state)
{
    (void)state;
    assert_int_equal(val_id_check_char("11010519491231002"), 'X');
    assert_int_equal(val_id_check_char("44052418800101001"), '4');
    assert_int_equal(val_id_check_char("51090219900307123"), '8');
    assert_int_equal(val_id_check_char("5109021990030712a"), 0);
}

static void test_id_upgrade(void **state)
{
    (void)state;
    val_id v;
    assert_int_equal(val_id_number("110105491231002", TODAY, &v), VAL_OK);
    assert_string_equal(v.number, "11010519491231002X");
    assert_string_equal(v.birth, "1949-12-31");
    assert_int_equal(v.sex, SEX_FEMALE);
    assert_true(v.upgraded);
    /* 15 digits: no X, real date, valid province */
    assert_int_equal(val_id_number("11010549123100X", TODAY, &v), VAL_ID_CHARS);
    assert_int_equal(val_id_number("110105490230002", TODAY, &v), VAL_ID_DATE);
    assert_int_equal(val_id_number("990105491231002", TODAY, &v), VAL_ID_REGION);
}

static void test_id_invalid(void **state)
{
    (void)state;
    val_id v;
    assert_int_equal(val_id_number("", TODAY, &v), VAL_REQUIRED);
    assert_int_equal(val_id_number("   ", TODAY, &v), VAL_REQUIRED);
    assert_int_equal(val_id_number(NULL, TODAY, &v), VAL_REQUIRED);
    /* wrong check digits */
    assert_int_equal(val_id_number("110105194912310021", TODAY, &v), VAL_ID_CHECK);
    assert_int_equal(val_id_number("440524188001010015", TODAY, &v), VAL_ID_CHECK);
    assert_int_equal(val_id_number("44052418800101001X", TODAY, &v), VAL_ID_CHECK);
    assert_string_equal(v.number, ""); /* cleared on error */
    /* length and characters */
    assert_int_equal(val_id_number("1101051949123100", TODAY, &v), VAL_ID_LENGTH);
    assert_int_equal(val_id_number("11010519491231002X1", TODAY, &v), VAL_ID_LENGTH);
    assert_int_equal(val_id_number("1101051949123100A2", TODAY, &v), VAL_ID_CHARS);
    assert_int_equal(val_id_number("11010519491231X02X", TODAY, &v), VAL_ID_CHARS);
    assert_int_equal(val_id_number("110105-19491231-002X", TODAY, &v), VAL_ID_CHARS);
    /* impossible and out-of-range dates */
    char id[19];
    memcpy(id, "11010519490230001", 17);
    id[17] = val_id_check_char(id);
    id[18] = '\0';
    assert_int_equal(val_id_number(id, TODAY, &v), VAL_ID_DATE);
    memcpy(id, "11010519001301001", 17); /* month 13 */
    id[17] = val_id_check_char(id);
    assert_int_equal(val_id_number(id, TODAY, &v), VAL_ID_DATE);
    memcpy(id, "11010518791231001", 17); /* before 1880 */
    id[17] = val_id_check_char(id);
    assert_int_equal(val_id_number(id, TODAY, &v), VAL_ID_DATE);
    /* A birth date after today is said as such, not as a date that does
     * not exist (issue 8). */
    assert_int_equal(val_id_number("51090220261124001X", TODAY, &v), VAL_ID_FUTURE); /* tomorrow */
    assert_int_equal(val_id_number("510902203001010016", TODAY, &v), VAL_ID_FUTURE);
    assert_int_equal(val_id_number("510902300001010016", TODAY, &v), VAL_ID_FUTURE);
    assert_int_equal(val_id_number("51090220261124001X", "2026-11-24", &v), VAL_OK);
    /* bad provinces */
    const char *bad[] = {"00", "10", "16", "20", "24", "30", "38", "40", "47", "55",
                         "60", "66", "70", "72", "80", "84", "91", "99"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(id, bad[i], 2);
        memcpy(id + 2, "010519491231002", 15);
        id[17] = val_id_check_char(id);
        assert_int_equal(val_id_number(id, TODAY, &v), VAL_ID_REGION);
    }
    const char *good[] = {"11", "15", "21", "23", "31", "37", "41", "46",
                          "50", "54", "61", "65", "71", "81", "82", "83"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memcpy(id, good[i], 2);
        id[17] = val_id_check_char(id);
        assert_int_equal(val_id_number(id, TODAY, &v), VAL_OK);
    }
}

static void test_date(void **state)
{
    (void)state;
    char out[11];
    const struct {
        const char *in, *want;
    } ok[] = {
        {"2024-02-29", "2024-02-29"}, {"2024/2/29", "2024-02-29"},
        {"2024.02.09", "2024-02-09"}, {"20240229", "2024-02-29"},
        {"2024年2月29日", "2024-02-29"}, {"2024年02月09日", "2024-02-09"},
        {"2024年2月9", "2024-02-09"}, {" 2000-1-1 ", "2000-01-01"},
        {"２０２４－０２－２９", "2024-02-29"}, {"1880-01-01", "1880-01-01"},
        {"2026-11-23", "2026-11-23"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(val_date(ok[i].in, TODAY, true, out), VAL_OK);
        assert_string_equal(out, ok[i].want);
    }
    assert_int_equal(val_date("", TODAY, true, out), VAL_REQUIRED);
    assert_int_equal(val_date("  ", TODAY, true, out), VAL_REQUIRED);
    assert_int_equal(val_date(NULL, TODAY, true, out), VAL_REQUIRED);
    assert_int_equal(val_date("2023-02-29", TODAY, true, out), VAL_DATE_INVALID);
    assert_string_equal(out, "");
    assert_int_equal(val_date("1900-02-29", TODAY, true, out), VAL_DATE_INVALID);
    assert_int_equal(val_date("2000-02-29", TODAY, true, out), VAL_OK);
    assert_int_equal(val_date("19490230", TODAY, true, out), VAL_DATE_INVALID);
    assert_int_equal(val_date("2024-13-01", TODAY, true, out), VAL_DATE_INVALID);
    assert_int_equal(val_date("2024-04-31", TODAY, true, out), VAL_DATE_INVALID);
    assert_int_equal(val_date("2024-00-10", TODAY, true, out), VAL_DATE_INVALID);
    assert_int_equal(val_date("2024-02-29x", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024-02/29", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("24-02-29", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024-002-09", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024029", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024年2-29", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("昨天", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024-02-2\x1b", TODAY, true, out), VAL_DATE_FORMAT);
    assert_int_equal(val_date("2024-02-\xff", TODAY, true, out), VAL_CONTROL);
    /* future and too old */
    assert_int_equal(val_date("2026-11-24", TODAY, true, out), VAL_DATE_FUTURE);
    assert_string_equal(out, "2026-11-24");
    assert_int_equal(val_date("2026-11-24", TODAY, false, out), VAL_OK);
    assert_int_equal(val_date("1879-12-31", TODAY, false, out), VAL_DATE_TOO_OLD);
}

static void test_today_and_age(void **state)
{
    (void)state;
    char d[11];
    char *saved = getenv("WUSHE_TODAY") ? strdup(getenv("WUSHE_TODAY")) : NULL;
    setenv("WUSHE_TODAY", "2024-02-29", 1);
    date_today(d);
    assert_string_equal(d, "2024-02-29");
    /* today defaults to date_today() */
    char out[11];
    assert_int_equal(val_date("2024-03-01", NULL, true, out), VAL_DATE_FUTURE);
    assert_int_equal(date_age("2000-03-01", NULL), 23);
    setenv("WUSHE_TODAY", "garbage", 1);
    date_today(d);
    assert_int_equal(strlen(d), 10);
    assert_int_equal(d[4], '-');
    unsetenv("WUSHE_TODAY");
    date_today(d);
    assert_int_equal(strlen(d), 10);
    if (saved)
        setenv("WUSHE_TODAY", saved, 1);
    free(saved);

    assert_int_equal(date_age("1949-12-31", "2026-11-23"), 76);
    assert_int_equal(date_age("1949-11-23", "2026-11-23"), 77);
    assert_int_equal(date_age("1949-11-24", "2026-11-23"), 76);
    assert_int_equal(date_age("2026-11-23", "2026-11-23"), 0);
    assert_int_equal(date_age("2000-02-29", "2023-02-28"), 22);
    assert_int_equal(date_age("2000-02-29", "2023-03-01"), 23);
    assert_int_equal(date_age("2026-11-24", "2026-11-23"), -1);
    assert_int_equal(date_age("1949/12/31", "2026-11-23"), -1);
    assert_int_equal(date_age(NULL, "2026-11-23"), -1);
}

static void test_phone(void **state)
{
    (void)state;
    char out[32];
    const struct {
        const char *in, *want;
    } ok[] = {
        {"13800138000", "13800138000"},
        {"138 0013 8000", "13800138000"},
        {"+86 138-0013-8000", "13800138000"},
        {"+8613800138000", "13800138000"},
        {"008613800138000", "13800138000"},
        {"8613800138000", "13800138000"},
        {"１３８００１３８０００", "13800138000"},
        {"19912345678", "19912345678"},
        {"0832-2345678", "0832-2345678"},
        {"08322345678", "0832-2345678"},
        {"010 12345678", "010-12345678"},
        {"(010)62345678", "010-62345678"},
        {"020-87654321", "020-87654321"},
        {"(0832)2345678转123", "0832-2345678-123"},
        {"0832-2345678-123", "0832-2345678-123"},
        {"0832-2345678 ext. 45", "0832-2345678-45"},
        {"+86 832 2345678", "0832-2345678"},
        {"2345678", "2345678"},
        {"62345678", "62345678"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(val_phone(ok[i].in, out, sizeof out), VAL_OK);
        assert_string_equal(out, ok[i].want);
    }
    const char *bad[] = {
        "12345678901",      /* 12 is not a mobile prefix */
        "1380013800",       /* 10 digits */
        "138001380001",     /* 12 digits */
        "+1 415 555 0100",  /* not China */
        "13800138000转12",  /* mobiles have no extension */
        "0832-234567",      /* 6-digit local */
        "0832-234567890",   /* too long, not an extension (no dash) */
        "0832-0345678",     /* local starts with 0 */
        "011-12345678",     /* no such area code */
        "138OO138OOO",      /* letters O */
        "123456",
        "abc",
        "0832-2345678转",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(val_phone(bad[i], out, sizeof out), VAL_PHONE);
        assert_string_equal(out, "");
    }
    /* A date in the phone column (20300101, 2030-01-01) is no phone; a real
     * 8-digit local number that reads as a date is written with its area
     * code, and the message says so. */
    const char *dates[] = {"20300101", "2030-01-01", "2030.01.01", "2030 01 01", "20240229",
                           "20991231", "20000101", "19800102"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        assert_int_equal(val_phone(dates[i], out, sizeof out), VAL_PHONE_DATE);
        assert_string_equal(out, "");
    }
    const struct {
        const char *in, *want;
    } local[] = {
        {"020-20300101", "020-20300101"}, /* with its area code: Guangzhou */
        {"20230229", "20230229"},         /* no such day: a local number */
        {"20301301", "20301301"},         /* no 13th month */
        {"21000101", "21000101"},
        {"2030010", "2030010"},           /* 7 digits */
    };
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++) {
        assert_int_equal(val_phone(local[i].in, out, sizeof out), VAL_OK);
        assert_string_equal(out, local[i].want);
    }
    assert_int_equal(val_phone("", out, sizeof out), VAL_REQUIRED);
    assert_int_equal(val_phone("  ", out, sizeof out), VAL_REQUIRED);
    assert_int_equal(val_phone("138\x01" "00138000", out, sizeof out), VAL_PHONE);
}

static void test_name_text(void **state)
{
    (void)state;
    assert_int_equal(val_name("王芳", 20), VAL_OK);
    assert_int_equal(val_name("  王芳　", 20), VAL_OK);
    assert_int_equal(val_name("阿依古丽·买买提", 20), VAL_OK);
    assert_int_equal(val_name("", 20), VAL_REQUIRED);
    assert_int_equal(val_name(" 　 ", 20), VAL_REQUIRED);
    assert_int_equal(val_name(NULL, 20), VAL_REQUIRED);
    assert_int_equal(val_name("王\x1b[31m芳", 20), VAL_CONTROL);
    assert_int_equal(val_name("王\n芳", 20), VAL_CONTROL);
    assert_int_equal(val_name("王\xff", 20), VAL_CONTROL);
    assert_int_equal(val_name("一二三四五", 5), VAL_OK);
    assert_int_equal(val_name("一二三四五六", 5), VAL_TOO_LONG);
    assert_int_equal(val_name("一二三四五六", 0), VAL_OK);

    assert_int_equal(val_text("", 10), VAL_OK);
    assert_int_equal(val_text(NULL, 10), VAL_OK);
    assert_int_equal(val_text("青石镇 1 号", 100), VAL_OK);
    assert_int_equal(val_text("a\tb", 100), VAL_CONTROL);
    assert_int_equal(val_text("\xc2\x9b", 100), VAL_CONTROL); /* C1 CSI */
    assert_int_equal(val_text("四个字节", 11), VAL_TOO_LONG);
    assert_int_equal(val_text("四个字节", 12), VAL_OK);
}

/* Issue 8.5: names accepted digits, Latin letters, emoji and full-width
 * spaces. A name is Chinese characters with the middle dot of minority
 * names; where the station allows it, Latin letters and single spaces
 * between Latin words. */
static void expect_name(const char *in, unsigned flags, val_status want, const char *norm)
{
    char out[256] = "x";
    val_status got = val_person_name(in, flags, 40, out, sizeof out);
    if (got != want)
        fail_msg("\"%s\" (flags %u): got %s, want %s", in, flags, val_status_key(got),
                 val_status_key(want));
    if (norm && strcmp(out, norm) != 0)
        fail_msg("\"%s\" normalised to \"%s\", want \"%s\"", in, out, norm);
}

static void test_person_name(void **state)
{
    (void)state;
    const unsigned L = VAL_NAME_ALLOW_LATIN;
    expect_name("王芳", 0, VAL_OK, "王芳");
    expect_name("  王芳　", 0, VAL_OK, "王芳");
    expect_name("欧阳娜娜", 0, VAL_OK, "欧阳娜娜");
    expect_name("𠮷野", 0, VAL_OK, "𠮷野");           /* Extension B */
    expect_name("李〇", 0, VAL_OK, "李〇");
    expect_name("張偉", 0, VAL_OK, "張偉");
    /* minority names: every common dot becomes U+00B7 */
    expect_name("阿依古丽·买买提", 0, VAL_OK, "阿依古丽·买买提");
    expect_name("阿依古丽・买买提", 0, VAL_OK, "阿依古丽·买买提"); /* U+30FB */
    expect_name("阿依古丽•买买提", 0, VAL_OK, "阿依古丽·买买提"); /* U+2022 */
    expect_name("阿依古丽‧买买提", 0, VAL_OK, "阿依古丽·买买提"); /* U+2027 */
    expect_name("阿依古丽．买买提", 0, VAL_OK, "阿依古丽·买买提"); /* U+FF0E */
    expect_name("阿依古丽.买买提", 0, VAL_OK, "阿依古丽·买买提");
    expect_name("帕尔哈提·阿不都·热合曼", 0, VAL_OK, "帕尔哈提·阿不都·热合曼");
    expect_name("·买买提", 0, VAL_NAME_DOT, NULL);
    expect_name("阿依古丽·", 0, VAL_NAME_DOT, NULL);
    expect_name("阿依古丽··买买提", 0, VAL_NAME_DOT, NULL);
    expect_name("阿依古丽 · 买买提", 0, VAL_NAME_SPACE, NULL);
    expect_name("·", 0, VAL_NAME_DOT, NULL);
    /* what ledgers and typing brought in */
    expect_name("李娜2", 0, VAL_NAME_DIGIT, NULL);
    expect_name("李娜２", 0, VAL_NAME_DIGIT, NULL);
    expect_name("王芳ABC", 0, VAL_NAME_LATIN, NULL);
    expect_name("王芳ＡＢＣ", 0, VAL_NAME_LATIN, NULL);
    expect_name("John Smith", 0, VAL_NAME_LATIN, NULL);
    expect_name("赵　六", 0, VAL_NAME_SPACE, NULL);
    expect_name("赵 六", 0, VAL_NAME_SPACE, NULL);
    expect_name("刘洋😀", 0, VAL_NAME_CHARS, NULL);
    expect_name("刘洋（小）", 0, VAL_NAME_CHARS, NULL);
    expect_name("刘-洋", 0, VAL_NAME_CHARS, NULL);
    expect_name("⺮⻊", 0, VAL_NAME_CHARS, NULL);       /* radicals are not characters */
    expect_name("合计 4人", 0, VAL_NAME_DIGIT, NULL);
    expect_name("", 0, VAL_REQUIRED, NULL);
    expect_name(" 　 ", 0, VAL_REQUIRED, NULL);
    expect_name(NULL, 0, VAL_REQUIRED, NULL);
    expect_name("王\x1b[31m芳", 0, VAL_CONTROL, NULL);
    expect_name("王\n芳", 0, VAL_CONTROL, NULL);
    expect_name("王\xff", 0, VAL_CONTROL, NULL);
    /* where the station allows Latin letters */
    expect_name("John Smith", L, VAL_OK, "John Smith");
    expect_name(" Ｊｏｈｎ　Ｓｍｉｔｈ ", L, VAL_OK, "John Smith");
    expect_name("Zoë Müller", L, VAL_OK, "Zoë Müller");
    expect_name("安娜·Maria", L, VAL_OK, "安娜·Maria");
    expect_name("王芳", L, VAL_OK, "王芳");
    expect_name("John  Smith", L, VAL_NAME_SPACE_LATIN, NULL);
    expect_name("王 芳", L, VAL_NAME_SPACE_LATIN, NULL);
    expect_name("张 John", L, VAL_NAME_SPACE_LATIN, NULL);
    expect_name("John3", L, VAL_NAME_DIGIT, NULL);
    expect_name("John😀", L, VAL_NAME_CHARS_LATIN, NULL);
    /* a ledger's padding between Chinese characters (the trial: 曾  大伟
     * was an error row); a form still refuses it */
    const unsigned J = VAL_NAME_JOIN_HAN;
    expect_name("张  三", J, VAL_OK, "张三");
    expect_name("曾  大伟", J, VAL_OK, "曾大伟");
    expect_name("曾　大　伟", J, VAL_OK, "曾大伟"); /* full-width spaces */
    expect_name(" 张 三 ", J, VAL_OK, "张三");
    expect_name("张  三", 0, VAL_NAME_SPACE, NULL);
    expect_name("张 John", J | L, VAL_NAME_SPACE_LATIN, NULL);
    expect_name("阿依古丽 ·买买提", J, VAL_NAME_SPACE, NULL);
    /* the limit counts characters */
    char out[256];
    assert_int_equal(val_person_name("一二三四五", 0, 5, out, sizeof out), VAL_OK);
    assert_int_equal(val_person_name("一二三四五六", 0, 5, out, sizeof out), VAL_TOO_LONG);
    assert_int_equal(val_person_name("一二三四五六", 0, 0, out, sizeof out), VAL_OK);
    assert_int_equal(val_person_name("一二三四五六", 0, 0, out, 10), VAL_TOO_LONG);
    assert_int_equal(val_person_name("王芳", 0, 0, NULL, 0), VAL_OK);
}

static void test_mask(void **state)
{
    (void)state;
    char out[32];
    mask_id_number("11010519491231002X", out, sizeof out);
    assert_string_equal(out, "110***********002X");
    mask_id_number("110105491231002", out, sizeof out);
    assert_string_equal(out, "110********1002");
    mask_id_number("", out, sizeof out);
    assert_string_equal(out, "");
    mask_id_number(NULL, out, sizeof out);
    assert_string_equal(out, "");
    mask_id_number("1234567", out, sizeof out);
    assert_string_equal(out, "*******");
    mask_id_number("11010519491231002X", out, 8); /* truncated, terminated */
    assert_string_equal(out, "110****");

    mask_phone("13800138000", out, sizeof out);
    assert_string_equal(out, "138****8000");
    mask_phone("+86 138-0013-8000", out, sizeof out);
    assert_string_equal(out, "138****8000");
    mask_phone("0832-2345678", out, sizeof out);
    assert_string_equal(out, "0832-****678");
    mask_phone("010-62345678", out, sizeof out);
    assert_string_equal(out, "010-****5678");
    mask_phone("0832-2345678-123", out, sizeof out);
    assert_string_equal(out, "0832-****678-123");
    mask_phone("62345678", out, sizeof out);
    assert_string_equal(out, "****5678");
    mask_phone("", out, sizeof out);
    assert_string_equal(out, "");
    mask_phone("12345678901", out, sizeof out); /* not a phone: generic mask */
    assert_string_equal(out, "123****8901");
    mask_phone("12345", out, sizeof out);
    assert_string_equal(out, "***45");
}

static void test_status_keys(void **state)
{
    (void)state;
    assert_string_equal(val_status_key(VAL_OK), "valid.ok");
    assert_string_equal(val_status_key(VAL_ID_CHECK), "valid.id_check");
    assert_string_equal(val_status_key(VAL_NOT_FOUND), "valid.not_found");
    assert_non_null(val_status_key(VAL_STATUS_COUNT));
    /* The review date's message names the date it may not precede. */
    assert_true(val_status_names(VAL_REVIEW_BEFORE_START));
    assert_false(val_status_names(VAL_RELATION_NEEDED));
}

/* Issue 15: names refuse invisible format characters (Cf) and Prepend
 * characters, with their own message. */
static void test_name_format_chars(void **state)
{
    (void)state;
    static const char *const bad[] = {"\xd8\x85\xe5\xbc\xa0", "\xe5\xbc\xa0\xe2\x80\x8b\xe4\xb8\x89",
                                      "\xe2\x80\x8f\xe5\xbc\xa0", "\xe5\xbc\xa0\xef\xbb\xbf"};
    char out[64];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(val_name(bad[i], 60), VAL_FORMAT_CHAR);
        assert_int_equal(val_person_name(bad[i], VAL_NAME_ALLOW_LATIN, 30, out, sizeof out),
                         VAL_FORMAT_CHAR);
    }
    assert_string_equal(val_status_key(VAL_FORMAT_CHAR), "damage.name_format");
    assert_int_equal(val_name("\xe5\xbc\xa0\xe4\xb8\x89", 60), VAL_OK);
}

/* trial-c §21: an ID number or phone pasted from a chat with a zero-width
 * space, joiner or BOM was "只能是数字"; a phone typed with the IME's dash
 * (—, –, －) was refused. */
static void test_invisible_and_dashes(void **state)
{
    (void)state;
    val_id v;
    static const char *const ids[] = {
        "\xe2\x80\x8b" "11010519491231002X", "11010519491231002X\xe2\x80\x8b",
        "110105\xe2\x80\x8c" "19491231002X", "\xef\xbb\xbf" "11010519491231002X",
        "1101051949\xe2\x80\x8d" "1231002X"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        if (val_id_number(ids[i], TODAY, &v) != VAL_OK)
            fail_msg("id %zu refused", i);
        assert_string_equal(v.number, "11010519491231002X");
    }
    char out[32];
    static const char *const phones[] = {"0817\xe2\x80\x94" "2345678", "0817\xef\xbc\x8d" "2345678",
                                         "0817\xe2\x80\x93" "2345678",
                                         "\xe2\x80\x8b" "0817-2345678"};
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++) {
        if (val_phone(phones[i], out, sizeof out) != VAL_OK)
            fail_msg("phone %zu refused", i);
        assert_string_equal(out, "0817-2345678");
    }
    assert_int_equal(val_phone("\xe2\x80\x8b" "13800138000", out, sizeof out), VAL_OK);
    assert_string_equal(out, "13800138000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_valid),   cmocka_unit_test(test_id_check_char),
        cmocka_unit_test(test_id_upgrade), cmocka_unit_test(test_id_invalid),
        cmocka_unit_test(test_date),       cmocka_unit_test(test_today_and_age),
        cmocka_unit_test(test_phone), cmocka_unit_test(test_invisible_and_dashes),      cmocka_unit_test(test_name_text),
        cmocka_unit_test(test_person_name),
        cmocka_unit_test(test_name_format_chars),
        cmocka_unit_test(test_mask),       cmocka_unit_test(test_status_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
