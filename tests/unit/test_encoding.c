/* Encodings of Excel and WPS files: detection (BOM, UTF-8, UTF-16LE,
 * GB18030 by ICU), conversion both ways, invalid bytes, names. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/encoding.h"
#include "wushe/text.h"

static const char *ledger =
    "姓名,性别,身份证号码,联系电话,所属社区/村,家庭住址,人员类别\r\n"
    "张伟,男,11010519800101001X,13812345678,青石村,青石村一组 12 号,低保、残疾\r\n"
    "欧阳娜娜,女,110105194912310021,,学堂湾社区,学堂湾路 3 号,特困\r\n"
    "李秀英,女,,,柳河社区,柳河路,空巢\r\n";

static char *encode(const char *enc, bool bom, size_t *len)
{
    char *out = NULL;
    assert_int_equal(enc_from_utf8(ledger, strlen(ledger), enc, bom, &out, len), WS_OK);
    return out;
}

static void check_detect(const char *enc, bool bom, const char *want, bool want_bom)
{
    size_t len;
    char *bytes = encode(enc, bom, &len);
    enc_info info;
    enc_detect(bytes, len, &info);
    assert_string_equal(info.name, want);
    assert_int_equal(info.bom, want_bom);
    char *back = NULL;
    size_t blen = 0, bad = 99;
    assert_int_equal(enc_to_utf8(bytes, len, info.name, &back, &blen, &bad), WS_OK);
    assert_int_equal(bad, 0);
    assert_string_equal(back, ledger); /* the BOM is gone */
    assert_int_equal(blen, strlen(ledger));
    free(back);
    free(bytes);
}

static void test_detect(void **state)
{
    (void)state;
    check_detect("UTF-8", false, "UTF-8", false);
    check_detect("UTF-8", true, "UTF-8", true);
    check_detect("GB18030", false, "GB18030", false);
    check_detect("UTF-16LE", true, "UTF-16LE", true);
    check_detect("UTF-16LE", false, "UTF-16LE", false);
    /* GBK bytes are GB18030 bytes for every character GBK has. */
    size_t a, b;
    char *gbk = encode("GBK", false, &a), *gb = encode("GB18030", false, &b);
    assert_int_equal(a, b);
    assert_memory_equal(gbk, gb, a);
    free(gbk);
    free(gb);
}

static void test_invalid_bytes(void **state)
{
    (void)state;
    /* "张" in GB18030, then bytes that are no character, then "A". */
    const char bytes[] = "\xd5\xc5\xff\xff" "A";
    char *out = NULL;
    size_t len = 0, bad = 0;
    assert_int_equal(enc_to_utf8(bytes, sizeof bytes - 1, "GB18030", &out, &len, &bad), WS_OK);
    assert_true(bad >= 1);
    assert_true(strncmp(out, "张", 3) == 0);
    assert_non_null(strstr(out, "\xef\xbf\xbd")); /* U+FFFD */
    assert_true(text_valid_utf8(out, len));
    free(out);
    /* Broken UTF-8 the same way. */
    const char u8[] = "ab\xc3(cd";
    assert_int_equal(enc_to_utf8(u8, sizeof u8 - 1, "UTF-8", &out, &len, &bad), WS_OK);
    assert_int_equal(bad, 1);
    assert_string_equal(out, "ab\xef\xbf\xbd(cd");
    free(out);
    /* Not UTF-8 and not obviously anything: GB18030, the Windows default. */
    enc_info info;
    enc_detect(bytes, sizeof bytes - 1, &info);
    assert_string_equal(info.name, "GB18030");
}

static void test_names(void **state)
{
    (void)state;
    char out[ENC_NAME_MAX];
    assert_true(enc_canonical("gbk", out, sizeof out));
    assert_string_equal(out, "GB18030");
    assert_true(enc_canonical("GB2312", out, sizeof out));
    assert_string_equal(out, "GB18030");
    assert_true(enc_canonical("utf8", out, sizeof out));
    assert_string_equal(out, "UTF-8");
    assert_true(enc_canonical("Unicode", out, sizeof out));
    assert_string_equal(out, "UTF-16LE");
    assert_true(enc_canonical("big5", out, sizeof out));
    assert_string_equal(out, "Big5");
    assert_true(enc_canonical("UTF-16BE", out, sizeof out));
    assert_string_equal(out, "UTF-16BE");
    assert_true(enc_canonical("gb18030", out, sizeof out));
    assert_string_equal(out, "GB18030");
    assert_false(enc_canonical("no-such-encoding-x", out, sizeof out));
    /* Encodings ICU knows but no Chinese ledger is written in (issue 8:
     * --encoding latin1 was accepted and read every name as accented
     * Latin letters). */
    const char *foreign[] = {"latin1", "ISO-8859-1", "windows-1252", "shift_jis", "koi8-r",
                             "ascii", "UTF-32", "EBCDIC-US", "cp1251"};
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
        if (enc_canonical(foreign[i], out, sizeof out))
            fail_msg("%s accepted as %s", foreign[i], out);
    assert_false(enc_canonical("", out, sizeof out));
    char *o = NULL;
    size_t n;
    assert_int_equal(enc_to_utf8("a", 1, "no-such-encoding-x", &o, &n, NULL), WS_ERR_INVALID);
}

static void test_files(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    char *path = testutil_path(dir, "out.csv");
    assert_int_equal(enc_write_file(path, "abc\n", 4), WS_OK);
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(enc_read_file(path, &buf, &len), WS_OK);
    assert_int_equal(len, 4);
    assert_string_equal(buf, "abc\n");
    free(buf);
    assert_int_equal(enc_read_file(dir, &buf, &len), WS_ERR_IO); /* a directory */
    char *missing = testutil_path(dir, "missing.csv");
    assert_int_equal(enc_read_file(missing, &buf, &len), WS_ERR_IO);
    char *nodir = testutil_path(dir, "no/such/dir.csv");
    assert_int_equal(enc_write_file(nodir, "x", 1), WS_ERR_IO);
    free(nodir);
    free(missing);
    free(path);
    testutil_rmdir(&dir);
}

/* The OS's reasons in the clerk's language: the common ones from the
 * catalog, never the C library's English (issue 8). */
static void test_os_errors(void **state)
{
    (void)state;
    char out[256];
    const int common[] = {ENOENT, EACCES, EPERM, ENOSPC, EROFS, EISDIR, ENOTDIR};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        enc_os_error(common[i], out, sizeof out);
        assert_true(out[0] != 0);
        if (strstr(out, strerror(common[i])))
            fail_msg("errno %d in English: %s", common[i], out);
    }
    assert_string_equal(enc_os_error(ENOENT, out, sizeof out), tr("os.enoent"));
    assert_string_equal(enc_os_error(ENOSPC, out, sizeof out), tr("os.enospc"));
    /* Anything else names the number, so the clerk can ask about it. */
    enc_os_error(ELOOP, out, sizeof out);
    assert_non_null(strstr(out, "40"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_invalid_bytes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_os_errors),
    };
    return testutil_run(tests);
}
