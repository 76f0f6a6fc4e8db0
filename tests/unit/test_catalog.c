#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/embedded.h"
#include "wushe/status.h"
#include "wushe/validate.h"

static ws_status parse(const char *yaml, catalog **c, char *err, size_t errsz)
{
    return catalog_parse("t.yaml", yaml, strlen(yaml), c, err, errsz);
}

static void expect_error(const char *yaml, const char *want)
{
    catalog *c = (catalog *)1;
    char err[256] = "";
    assert_int_equal(parse(yaml, &c, err, sizeof err), WS_ERR_YAML);
    assert_null(c);
    if (strcmp(err, want) != 0)
        fail_msg("yaml [%s]\n got  \"%s\"\n want \"%s\"", yaml, err, want);
}

static void test_parse_flatten(void **state)
{
    (void)state;
    catalog *c;
    char err[256];
    const char *y = "# messages\n"
                    "residents:\n"
                    "  title: 居民\n"
                    "  form:\n"
                    "    name: \"姓名\"\n"
                    "    id: '身份证号'\n"
                    "app:\n"
                    "  quit: >-\n"
                    "    退出\n"
                    "    程序\n"
                    "zzz.flat: 平\n"
                    "count: 42\n";
    assert_int_equal(parse(y, &c, err, sizeof err), WS_OK);
    assert_int_equal(catalog_size(c), 6);
    assert_string_equal(catalog_get(c, "residents.title"), "居民");
    assert_string_equal(catalog_get(c, "residents.form.name"), "姓名");
    assert_string_equal(catalog_get(c, "residents.form.id"), "身份证号");
    assert_string_equal(catalog_get(c, "app.quit"), "退出 程序");
    assert_string_equal(catalog_get(c, "zzz.flat"), "平");
    assert_string_equal(catalog_get(c, "count"), "42");
    assert_null(catalog_get(c, "residents"));
    assert_null(catalog_get(c, "residents.form"));
    assert_null(catalog_get(c, "nope"));
    assert_null(catalog_get(c, NULL));
    /* sorted */
    for (size_t i = 1; i < catalog_size(c); i++)
        assert_true(strcmp(catalog_key_at(c, i - 1), catalog_key_at(c, i)) < 0);
    assert_string_equal(catalog_key_at(c, 0), "app.quit");
    assert_null(catalog_key_at(c, 6));
    catalog_free(&c);
    assert_null(c);
    catalog_free(&c); /* twice is fine */

    assert_int_equal(parse("", &c, err, sizeof err), WS_OK);
    assert_int_equal(catalog_size(c), 0);
    assert_null(catalog_get(c, "a"));
    catalog_free(&c);
    assert_int_equal(parse("# nothing\n", &c, err, sizeof err), WS_OK);
    catalog_free(&c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("a: [1, 2",
                 "t.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence "
                 "at 1:4)");
    expect_error("a:\n  b: [1, 2]\n", "t.yaml:2:6: \"a.b\" must be a string or a map");
    expect_error("a:\n  b:\nc: x\n", "t.yaml:2:5: \"a.b\" must be a string or a map");
    expect_error("- a\n- b\n", "t.yaml:1:1: a catalog must be a map");
    expect_error("just text\n", "t.yaml:1:1: a catalog must be a map");
    expect_error("a:\n  b: x\na.b: y\n", "t.yaml:3:1: duplicate key \"a.b\"");
    expect_error("a: x\nb: y\na: z\n", "t.yaml:3:1: duplicate key \"a\"");
    expect_error("a: &x hi\nb: *x\n", "t.yaml:1:4: aliases are not supported");
    expect_error("a: &a {b: *a}\n", "t.yaml:1:4: aliases are not supported");
    expect_error("a: x\n---\nb: y\n", "t.yaml:3:1: only one document is allowed");
    expect_error("a: x\nb: \xff\n", "t.yaml:2:4: invalid leading UTF-8 octet (#FF)");
    expect_error("a: \"x\\0y\"\n", "t.yaml:1:4: NUL character in string");
    expect_error("a: x\n b: y\n", "t.yaml:2:3: mapping values are not allowed in this context");
    expect_error("? [a]\n: x\n", "t.yaml:1:3: a key must be a string");
    expect_error("key: \"open\n",
                 "t.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar "
                 "at 1:6)");
    expect_error("a: {b: {c: {d: {e: {f: {g: {h: {i: {j: {k: {l: {m: {n: {o: {p: {q: {r: s}}}}}"
                 "}}}}}}}}}}}}",
                 "t.yaml:1:68: maps nested too deeply");

    /* err may be NULL */
    catalog *c;
    assert_int_equal(catalog_parse("t", "[", 1, &c, NULL, 0), WS_ERR_YAML);
    assert_null(c);
}

static void test_load_file(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    char *path = testutil_path(dir, "x.yaml");
    catalog *c;
    char err[512];
    assert_int_equal(catalog_load_file(path, &c, err, sizeof err), WS_ERR_IO);
    assert_null(c);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));

    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("a:\n  b: 你好\n  c: [\n", f);
    fclose(f);
    assert_int_equal(catalog_load_file(path, &c, err, sizeof err), WS_ERR_YAML);
    char want[600];
    snprintf(want, sizeof want, "%s:4:1: ", path);
    assert_memory_equal(err, want, strlen(want));

    f = fopen(path, "w");
    fputs("a:\n  b: 你好\n", f);
    fclose(f);
    assert_int_equal(catalog_load_file(path, &c, err, sizeof err), WS_OK);
    assert_string_equal(catalog_get(c, "a.b"), "你好");
    catalog_free(&c);

    assert_int_equal(catalog_load_file(dir, &c, err, sizeof err), WS_ERR_IO);
    free(path);
    testutil_rmdir(&dir);
}

static void test_normalize(void **state)
{
    (void)state;
    const char *const *langs = i18n_languages();
    assert_string_equal(langs[0], "zh_CN");
    assert_string_equal(langs[1], "en");
    assert_null(langs[2]);

    assert_string_equal(i18n_normalize("zh_CN"), "zh_CN");
    assert_string_equal(i18n_normalize("zh"), "zh_CN");
    assert_string_equal(i18n_normalize("zh_CN.UTF-8"), "zh_CN");
    assert_string_equal(i18n_normalize("zh_cn.utf8"), "zh_CN");
    assert_string_equal(i18n_normalize("zh_TW.UTF-8"), "zh_CN");
    assert_string_equal(i18n_normalize("zh-Hans"), "zh_CN");
    assert_string_equal(i18n_normalize("en"), "en");
    assert_string_equal(i18n_normalize("EN"), "en");
    assert_string_equal(i18n_normalize("en_US.UTF-8"), "en");
    assert_string_equal(i18n_normalize("en_GB.UTF-8@euro"), "en");
    assert_string_equal(i18n_normalize("en-GB"), "en");
    assert_null(i18n_normalize("C"));
    assert_null(i18n_normalize("C.UTF-8"));
    assert_null(i18n_normalize("POSIX"));
    assert_null(i18n_normalize("fr_FR.UTF-8"));
    assert_null(i18n_normalize("e"));
    assert_null(i18n_normalize("zhx"));
    assert_null(i18n_normalize(""));
    assert_null(i18n_normalize(NULL));
}

static void test_i18n(void **state)
{
    (void)state;
    char err[256], buf[64];
    /* Before init: keys come back, the default language is zh_CN. */
    assert_string_equal(i18n_lang(), "zh_CN");
    assert_string_equal(tr("status.ok"), "status.ok");

    assert_int_equal(i18n_init("en_US.UTF-8", err, sizeof err), WS_OK);
    assert_string_equal(i18n_lang(), "en");
    const char *en_ok = tr("status.ok");
    assert_string_not_equal(en_ok, "status.ok");
    assert_string_equal(tr("no.such.key"), "no.such.key");
    assert_string_equal(tr(NULL), "");

    assert_int_equal(i18n_init("xx", err, sizeof err), WS_ERR_USAGE);
    assert_non_null(strstr(err, "xx"));
    assert_string_equal(i18n_lang(), "en"); /* unchanged */
    assert_string_equal(tr("status.ok"), en_ok);

    assert_int_equal(i18n_init("zh", err, sizeof err), WS_OK);
    assert_string_equal(i18n_lang(), "zh_CN");
    assert_string_not_equal(tr("status.ok"), "status.ok");
    assert_int_equal(i18n_init(NULL, err, sizeof err), WS_OK);
    assert_string_equal(i18n_lang(), "zh_CN");

    /* A missing key is its own format. */
    assert_ptr_equal(trf(buf, sizeof buf, "n=%d %s", 5, "户"), buf);
    assert_string_equal(buf, "n=5 户");
    /* Truncation never leaves half a character: 汉字 is 6 bytes. */
    trf(buf, 5, "汉字");
    assert_string_equal(buf, "汉");
    trf(buf, 4, "汉字");
    assert_string_equal(buf, "汉");
    trf(buf, 3, "汉字");
    assert_string_equal(buf, "");
    assert_string_equal(trf(NULL, 0, "x"), "");

    i18n_shutdown();
    assert_string_equal(tr("status.ok"), "status.ok");
    assert_string_equal(i18n_lang(), "zh_CN");
    i18n_shutdown(); /* twice is fine */
}

/* ---- completeness of the embedded catalogs ----------------------------- */

/* The printf conversions of a message in a canonical form ("%s %d",
 * positional ones ordered by position), so translations may reorder words
 * only with %1$s-style positions. */
static void conversions(const char *msg, char *out, size_t outsz)
{
    char items[32][24];
    int pos[32];
    size_t n = 0;
    for (const char *p = msg; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        const char *s = ++p;
        int position = (int)n + 1000; /* unpositioned keep their order */
        const char *q = s;
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q == '$' && q > s) {
            position = atoi(s);
            s = q + 1;
        }
        const char *e = s;
        while (*e && !strchr("diouxXeEfFgGaAcspn", *e))
            e++;
        if (!*e)
            break;
        if (n < 32) {
            snprintf(items[n], sizeof items[n], "%%%.*s", (int)(e - s + 1), s);
            pos[n] = position;
            n++;
        }
        p = e;
    }
    /* insertion sort by position */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
            int tp = pos[j];
            pos[j] = pos[j - 1];
            pos[j - 1] = tp;
            char t[24];
            memcpy(t, items[j], sizeof t);
            memcpy(items[j], items[j - 1], sizeof t);
            memcpy(items[j - 1], t, sizeof t);
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, items[i], outsz - strlen(out) - 1);
        strncat(out, " ", outsz - strlen(out) - 1);
    }
}

static void test_conversions_helper(void **state)
{
    (void)state;
    char a[256], b[256];
    conversions("共 %d 户，%s", a, sizeof a);
    assert_string_equal(a, "%d %s ");
    conversions("100%% done: %zu of %.*s", a, sizeof a);
    assert_string_equal(a, "%zu %.*s ");
    conversions("%2$s has %1$d", a, sizeof a);
    conversions("%1$d for %2$s", b, sizeof b);
    assert_string_equal(a, b);
    conversions("no conversions", a, sizeof a);
    assert_string_equal(a, "");
}

static void test_embedded_complete(void **state)
{
    (void)state;
    catalog *cats[8];
    const char *names[8];
    size_t n = 0;
    char err[512];
    for (size_t i = 0; i < embedded_count && n < 8; i++) {
        const embedded_file *f = &embedded_files[i];
        size_t len = strlen(f->name);
        if (strncmp(f->name, "locale/", 7) != 0 || len < 5 ||
            strcmp(f->name + len - 5, ".yaml") != 0)
            continue;
        if (catalog_parse(f->name, f->data, f->len, &cats[n], err, sizeof err) != WS_OK)
            fail_msg("%s", err);
        names[n++] = f->name;
    }
    /* Every language has its catalog. */
    for (const char *const *l = i18n_languages(); *l; l++) {
        char want[64];
        snprintf(want, sizeof want, "locale/%s.yaml", *l);
        assert_non_null(embedded_find(want));
    }
    assert_true(n >= 2);

    int problems = 0;
    for (size_t a = 0; a < n; a++) {
        for (size_t k = 0; k < catalog_size(cats[a]); k++) {
            const char *key = catalog_key_at(cats[a], k);
            const char *va = catalog_get(cats[a], key);
            char ca[256], cb[256];
            conversions(va, ca, sizeof ca);
            for (size_t b = 0; b < n; b++) {
                if (b == a)
                    continue;
                const char *vb = catalog_get(cats[b], key);
                if (!vb) {
                    print_error("%s: key \"%s\" is missing (present in %s)\n", names[b], key,
                                names[a]);
                    problems++;
                    continue;
                }
                conversions(vb, cb, sizeof cb);
                if (a < b && strcmp(ca, cb) != 0) {
                    print_error("%s: \"%s\" has conversions [%s] but %s has [%s]\n", names[b],
                                key, cb, names[a], ca);
                    problems++;
                }
            }
        }
    }

    const char *required[] = {
#define KEY(name, key) key,
        WS_STATUS_LIST(KEY) VAL_STATUS_LIST(KEY)
#undef KEY
    };
    for (size_t a = 0; a < n; a++)
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            if (!catalog_get(cats[a], required[i])) {
                print_error("%s: status key \"%s\" is missing\n", names[a], required[i]);
                problems++;
            }
    for (size_t a = 0; a < n; a++)
        catalog_free(&cats[a]);
    assert_int_equal(problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_flatten),      cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_load_file),          cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_i18n),               cmocka_unit_test(test_conversions_helper),
        cmocka_unit_test(test_embedded_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
