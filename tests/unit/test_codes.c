#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/codes.h"

static codebook *load_default(void)
{
    codebook *cb = NULL;
    char err[256] = "";
    if (codebook_load_default(&cb, err, sizeof err) != WS_OK)
        fail_msg("%s", err);
    return cb;
}

static void test_default_lists(void **state)
{
    (void)state;
    codebook *cb = load_default();
    const struct {
        const char *name;
        size_t n;
    } want[] = {
        {"sex", 3},         {"ethnicity", 58},       {"relation", 11},      {"vulnerable_group", 13},
        {"disability_type", 7}, {"disability_grade", 4}, {"community_kind", 2},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const code_list *l = codebook_list(cb, want[i].name);
        assert_non_null(l);
        assert_string_equal(l->name, want[i].name);
        assert_int_equal(l->n, want[i].n);
        for (size_t j = 0; j < l->n; j++) {
            const code_item *it = &l->items[j];
            assert_true(*it->code && *it->zh_CN && *it->en);
            assert_true(*it->short_zh_CN && *it->short_en);
        }
    }
    assert_null(codebook_list(cb, "nope"));
    assert_null(codebook_list(cb, NULL));

    /* GB/T 3304: 01..56 in order, then 97, 98. */
    const code_list *eth = codebook_list(cb, "ethnicity");
    for (size_t j = 0; j < 56; j++) {
        char code[3];
        snprintf(code, sizeof code, "%02zu", j + 1);
        const code_item *it = &eth->items[j];
        assert_string_equal(it->code, code);
        size_t zl = strlen(it->zh_CN), sl = strlen(it->short_zh_CN);
        assert_string_equal(it->zh_CN + zl - strlen("族"), "族");
        assert_int_equal(sl + strlen("族"), zl);
        assert_memory_equal(it->zh_CN, it->short_zh_CN, sl);
    }
    assert_string_equal(eth->items[56].code, "97");
    assert_string_equal(eth->items[57].code, "98");
    const code_item *it = codebook_find(cb, "ethnicity", "01");
    assert_string_equal(it->zh_CN, "汉族");
    assert_string_equal(it->short_zh_CN, "汉");
    assert_string_equal(it->en, "Han");
    assert_string_equal(codebook_find(cb, "ethnicity", "02")->zh_CN, "蒙古族");
    assert_string_equal(codebook_find(cb, "ethnicity", "56")->zh_CN, "基诺族");
    assert_string_equal(codebook_find(cb, "ethnicity", "46")->en, "De'ang");

    assert_string_equal(codebook_find(cb, "sex", "1")->zh_CN, "男");
    assert_string_equal(codebook_find(cb, "sex", "2")->en, "Female");
    assert_string_equal(codebook_find(cb, "relation", "head")->zh_CN, "户主");
    assert_string_equal(codebook_find(cb, "disability_type", "7")->zh_CN, "多重残疾");
    assert_string_equal(codebook_find(cb, "disability_grade", "1")->zh_CN, "一级");
    assert_string_equal(codebook_find(cb, "community_kind", "village")->zh_CN, "村");
    assert_null(codebook_find(cb, "sex", "3"));
    assert_null(codebook_find(cb, "nope", "1"));
    assert_null(codebook_find(cb, "sex", NULL));

    assert_int_equal(codebook_find(cb, "vulnerable_group", "disabled")->flags, CODE_DISABILITY);
    assert_int_equal(codebook_find(cb, "vulnerable_group", "empty_nest")->flags, CODE_ELDERLY);
    assert_int_equal(codebook_find(cb, "vulnerable_group", "living_alone")->flags, CODE_ELDERLY);
    assert_int_equal(codebook_find(cb, "vulnerable_group", "disabled_elderly")->flags,
                     CODE_ELDERLY);
    const char *children[] = {"left_behind_child", "child_in_distress", "unsupported_child",
                              "orphan"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(codebook_find(cb, "vulnerable_group", children[i])->flags, CODE_CHILD);
    assert_int_equal(codebook_find(cb, "vulnerable_group", "dibao")->flags, 0);
    codebook_free(&cb);
    assert_null(cb);
    codebook_free(&cb);
}

static void test_labels(void **state)
{
    (void)state;
    codebook *cb = load_default();
    char err[256];
    const code_item *dibao = codebook_find(cb, "vulnerable_group", "dibao");
    const code_item *orphan = codebook_find(cb, "vulnerable_group", "orphan");

    assert_int_equal(i18n_init("zh_CN", err, sizeof err), WS_OK);
    assert_string_equal(code_label(dibao, 0), "低保对象");
    assert_string_equal(code_label(dibao, 1), "低保");
    assert_string_equal(code_label(orphan, 1), "孤儿"); /* short defaults to full */
    assert_string_equal(code_label(codebook_find(cb, "vulnerable_group", "tekun"), 1), "特困");

    assert_int_equal(i18n_init("en", err, sizeof err), WS_OK);
    assert_string_equal(code_label(dibao, 0), "Minimum living allowance recipient");
    assert_string_equal(code_label(dibao, 1), "Dibao");
    assert_string_equal(code_label(orphan, 1), "Orphan");
    assert_string_equal(code_label(NULL, 0), "");
    i18n_shutdown();
    codebook_free(&cb);
}

static ws_status parse(const char *yaml, codebook **cb, char *err, size_t errsz)
{
    return codebook_parse("c.yaml", yaml, strlen(yaml), cb, err, errsz);
}

static void expect_error(const char *yaml, const char *want)
{
    codebook *cb = (codebook *)1;
    char err[256] = "";
    assert_int_equal(parse(yaml, &cb, err, sizeof err), WS_ERR_YAML);
    assert_null(cb);
    if (strcmp(err, want) != 0)
        fail_msg("yaml [%s]\n got  \"%s\"\n want \"%s\"", yaml, err, want);
}

static void test_parse(void **state)
{
    (void)state;
    codebook *cb;
    char err[256];
    const char *y = "fruit:\n"
                    "  - code: apple\n"
                    "    zh_CN: 苹果\n"
                    "    en: Apple\n"
                    "    short_en: App\n"
                    "    flags: [elderly, child]\n"
                    "  - {code: B-2, zh_CN: 香蕉, en: Banana, flags: []}\n"
                    "empty: []\n";
    assert_int_equal(parse(y, &cb, err, sizeof err), WS_OK);
    const code_item *a = codebook_find(cb, "fruit", "apple");
    assert_string_equal(a->short_en, "App");
    assert_string_equal(a->short_zh_CN, "苹果");
    assert_int_equal(a->flags, CODE_ELDERLY | CODE_CHILD);
    assert_int_equal(codebook_find(cb, "fruit", "B-2")->flags, 0);
    assert_int_equal(codebook_list(cb, "empty")->n, 0);
    codebook_free(&cb);

    assert_int_equal(parse("", &cb, err, sizeof err), WS_OK);
    assert_null(codebook_list(cb, "sex"));
    codebook_free(&cb);

    expect_error("l: [", "c.yaml:2:1: did not find expected node content (while parsing a flow "
                         "node at 2:1)");
    expect_error("- a\n", "c.yaml:1:1: code lists must be a map of list names");
    expect_error("l: x\n", "c.yaml:1:4: list \"l\" must be a sequence of codes");
    expect_error("l:\n  - x\n", "c.yaml:2:5: a code must be a map {code, zh_CN, en}");
    expect_error("l:\n  - {code: a, zh_CN: 甲}\n", "c.yaml:2:5: missing \"en\"");
    expect_error("l:\n  - {zh_CN: 甲, en: A}\n", "c.yaml:2:5: missing \"code\"");
    expect_error("l:\n  - {code: a b, zh_CN: 甲, en: A}\n",
                 "c.yaml:2:12: a code is 1-32 letters, digits, '_' or '-'");
    expect_error("l:\n  - {code: a, zh_CN: 甲, en: A, colour: red}\n",
                 "c.yaml:2:32: unknown key \"colour\" (known: code, zh_CN, en, short_zh_CN, "
                 "short_en, flags, days)");
    expect_error("l:\n  - {code: a, zh_CN: 甲, en: A, flags: [old]}\n",
                 "c.yaml:2:40: unknown flag \"old\" (known: disability, elderly, child)");
    expect_error("l:\n  - {code: a, zh_CN: 甲, en: A, flags: child}\n",
                 "c.yaml:2:39: flags must be a list");
    expect_error("l:\n  - {code: a, zh_CN: 甲, en: A}\n  - {code: a, zh_CN: 乙, en: B}\n",
                 "c.yaml:3:5: duplicate code \"a\" in \"l\"");
    expect_error("l:\n  - {code: a, zh_CN: 甲, en: A, en: B}\n",
                 "c.yaml:2:32: duplicate key \"en\"");
    expect_error("l:\n  - {code: a, zh_CN: \"甲\\t\", en: A}\n",
                 "c.yaml:2:22: control character in a label");
    expect_error("l:\n  - {code: a, zh_CN: , en: A}\n", "c.yaml:2:22: expected a string");
    expect_error("l: []\nl: []\n", "c.yaml:2:1: duplicate key \"l\"");
}

static void test_merge(void **state)
{
    (void)state;
    codebook *cb = load_default(), *extra;
    char err[256];
    size_t n_vg = codebook_list(cb, "vulnerable_group")->n;
    const char *y = "vulnerable_group:\n"
                    "  - {code: x_flood, zh_CN: 受灾户, en: Flood-affected}\n"
                    "  - {code: disabled, zh_CN: 持证残疾人, en: Certified disabled}\n"
                    "  - {code: dibao, zh_CN: 低保户, en: Dibao household, flags: [elderly]}\n"
                    "case_category:\n"
                    "  - {code: elder_care, zh_CN: 养老, en: Elderly care}\n";
    assert_int_equal(parse(y, &extra, err, sizeof err), WS_OK);
    assert_int_equal(codebook_merge(cb, extra), WS_OK);
    codebook_free(&extra);

    const code_list *vg = codebook_list(cb, "vulnerable_group");
    assert_int_equal(vg->n, n_vg + 1);
    assert_string_equal(vg->items[vg->n - 1].code, "x_flood"); /* appended */
    assert_string_equal(vg->items[vg->n - 1].short_zh_CN, "受灾户");
    const code_item *dis = codebook_find(cb, "vulnerable_group", "disabled");
    assert_string_equal(dis->zh_CN, "持证残疾人");
    assert_string_equal(dis->short_zh_CN, "持证残疾人"); /* labels replaced wholesale */
    assert_int_equal(dis->flags, CODE_DISABILITY);      /* flags kept */
    assert_int_equal(codebook_find(cb, "vulnerable_group", "dibao")->flags, CODE_ELDERLY);
    assert_string_equal(vg->items[0].code, "dibao"); /* order kept */
    assert_string_equal(codebook_find(cb, "case_category", "elder_care")->en, "Elderly care");
    assert_int_equal(codebook_merge(cb, NULL), WS_OK);
    codebook_free(&cb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_lists),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
