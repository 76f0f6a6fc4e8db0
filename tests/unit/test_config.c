#include "testutil.h"
#include "wushe/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wushe/config.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static ws_status parse(const char *yaml, station_config **cfg, char *err, size_t errsz)
{
    return config_parse("station.yaml", yaml, strlen(yaml), cfg, err, errsz);
}

static void expect_error(const char *yaml, const char *want)
{
    station_config *cfg = (station_config *)1;
    char err[256] = "";
    assert_int_equal(parse(yaml, &cfg, err, sizeof err), WS_ERR_YAML);
    assert_null(cfg);
    if (strcmp(err, want) != 0)
        fail_msg("yaml [%s]\n got  \"%s\"\n want \"%s\"", yaml, err, want);
}

static const char valid[] = "station:\n"
                            "  name: 青石镇社会工作服务站\n"
                            "  division_code: \"510902105000\"   # 12 digits\n"
                            "language: zh_CN\n"
                            "operator: 王芳\n"
                            "codes:\n"
                            "  vulnerable_group:\n"
                            "    - {code: x_flood, zh_CN: 受灾户, en: Flood-affected}\n";

static void test_valid(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    char *path = testutil_path(dir, "station.yaml");
    write_file(path, valid);
    station_config *cfg;
    char err[512];
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_OK);
    assert_string_equal(cfg->station_name, "青石镇社会工作服务站");
    assert_string_equal(cfg->division_code, "510902105000");
    assert_string_equal(cfg->language, "zh_CN");
    assert_string_equal(cfg->operator_name, "王芳");
    assert_non_null(cfg->codes);
    const code_item *it = codebook_find(cfg->codes, "vulnerable_group", "x_flood");
    assert_non_null(it);
    assert_string_equal(it->zh_CN, "受灾户");
    config_free(&cfg);
    assert_null(cfg);
    config_free(&cfg);
    free(path);
    testutil_rmdir(&dir);

    /* unquoted code, normalised language, nulls are "not set" */
    assert_int_equal(parse("station:\n  division_code: 510902105000\n  name:\n"
                           "language: en_US.UTF-8\noperator: ~\ncodes:\n",
                           &cfg, err, sizeof err),
                     WS_OK);
    assert_string_equal(cfg->division_code, "510902105000");
    assert_null(cfg->station_name);
    assert_string_equal(cfg->language, "en");
    assert_null(cfg->operator_name);
    assert_null(cfg->codes);
    config_free(&cfg);
}

static void test_defaults(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    char *path = testutil_path(dir, "missing.yaml");
    station_config *cfg;
    char err[512] = "x";
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_OK);
    assert_non_null(cfg);
    assert_null(cfg->station_name);
    assert_null(cfg->division_code);
    assert_null(cfg->language);
    assert_null(cfg->operator_name);
    assert_null(cfg->codes);
    assert_string_equal(err, "");
    config_free(&cfg);

    /* empty and comment-only files are defaults too */
    write_file(path, "");
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_OK);
    assert_null(cfg->station_name);
    config_free(&cfg);
    write_file(path, "# nothing yet\n");
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_OK);
    config_free(&cfg);
    free(path);
    testutil_rmdir(&dir);
}

static void test_unreadable(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    station_config *cfg;
    char err[512];
    /* a directory where the file should be */
    assert_int_equal(config_load(dir, &cfg, err, sizeof err), WS_ERR_IO);
    assert_null(cfg);
    assert_non_null(strstr(err, dir));
    assert_non_null(strstr(err, "Is a directory"));

    /* a file we may not read (root reads anything: skip then) */
    char *path = testutil_path(dir, "secret.yaml");
    write_file(path, valid);
    chmod(path, 0);
    if (geteuid() != 0) {
        assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_ERR_IO);
        assert_null(cfg);
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, "Permission denied"));
    }
    /* a path through a regular file */
    char *through = testutil_path(path, "x.yaml");
    assert_int_equal(config_load(through, &cfg, err, sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, "Not a directory"));
    free(through);
    free(path);
    testutil_rmdir(&dir);
}

static void test_broken_yaml(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    char *path = testutil_path(dir, "station.yaml");
    write_file(path, "station:\n  name: 青石镇\n  division_code: [5109\n");
    station_config *cfg;
    char err[512], want[600];
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_ERR_YAML);
    assert_null(cfg);
    snprintf(want, sizeof want,
             "%s:4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 3:18)",
             path);
    assert_string_equal(err, want);

    write_file(path, "station:\n  name: 青石镇\n language: en\n");
    assert_int_equal(config_load(path, &cfg, err, sizeof err), WS_ERR_YAML);
    snprintf(want, sizeof want, "%s:3:2: ", path);
    assert_memory_equal(err, want, strlen(want));
    free(path);
    testutil_rmdir(&dir);
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_error("station:\n  division_code: \"51090210500\"\n",
                 "station.yaml:2:18: division_code must be 12 digits");
    expect_error("station:\n  division_code: 5109021050001\n",
                 "station.yaml:2:18: division_code must be 12 digits");
    expect_error("station:\n  division_code: 51090210500a\n",
                 "station.yaml:2:18: division_code must be 12 digits");
    expect_error("station:\n  division_code: [1]\n", "station.yaml:2:18: expected a string");
    expect_error("language: fr\n",
                 "station.yaml:1:11: unsupported language “fr” (known: zh_CN, en)");
    expect_error("langauge: en\n",
                 "station.yaml:1:1: unknown key “langauge” (known: station, language, "
                 "operator, names, codes, lock_minutes, backup_dir, visit_days, followup_days, "
                 "volunteers, organisations)");
    expect_error("station:\n  name: 站\n  code: 1\n",
                 "station.yaml:3:3: unknown key “station.code” (known: name, division_code, phone)");
    expect_error("station: 青石镇\n", "station.yaml:1:10: “station” must be a map of key: value");
    expect_error("station:\n  name: \"青石\\e[31m镇\"\n",
                 "station.yaml:2:9: Station name contains control characters");
    expect_error("operator: \"  \"\n", "station.yaml:1:11: Operator is empty");
    expect_error("- a\n", "station.yaml:1:1: “station.yaml” must be a map of key: value");
    expect_error("language: en\nlanguage: zh_CN\n", "station.yaml:2:1: duplicate key \"language\"");
    expect_error("codes:\n  vulnerable_grop:\n    - {code: a, zh_CN: 甲, en: A}\n",
                 "station.yaml:2:3: no code list named “vulnerable_grop”");
    expect_error("codes:\n  vulnerable_group:\n    - {code: a, zh_CN: 甲}\n",
                 "station.yaml:3:7: missing \"en\"");
    expect_error("codes: [1]\n", "station.yaml:1:8: code lists must be a map of list names");
    expect_error("names:\n  allow_latin: maybe\n",
                 "station.yaml:2:16: names.allow_latin must be true or false");
    expect_error("names:\n  allow_latin: [true]\n",
                 "station.yaml:2:16: names.allow_latin must be true or false");
    expect_error("names:\n  latin: true\n",
                 "station.yaml:2:3: unknown key “names.latin” (known: allow_latin)");
    expect_error("names: true\n", "station.yaml:1:8: “names” must be a map of key: value");
    /* Targets of social organisations per community (issue 16). */
    expect_error("organisations:\n  urban: 0\n",
                 "station.yaml:2:10: organisations.urban / organisations.rural (target "
                 "organisations per community and village) must be a whole number from 1 to "
                 "1000");
    expect_error("organisations:\n  city: 8\n",
                 "station.yaml:2:3: unknown key “organisations.city” (known: urban, rural)");
}

/* names: {allow_latin: true} lets a station register Latin names. */
/* lock_minutes: the idle lock, 10 minutes unless set; decimals for tests. */
static void test_lock_minutes(void **state)
{
    (void)state;
    station_config *cfg;
    char err[512];
    assert_int_equal(parse("language: en\n", &cfg, err, sizeof err), WS_OK);
    assert_int_equal(cfg->lock_seconds, 0); /* the console uses CONFIG_LOCK_SECONDS */
    config_free(&cfg);
    static const struct {
        const char *yaml;
        int seconds;
    } ok[] = {
        {"lock_minutes: 10\n", 600}, {"lock_minutes: 0.05\n", 3},
        {"lock_minutes: 1440\n", 86400}, {"lock_minutes: 0.001\n", 1},
        {"lock_minutes:\n", 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(parse(ok[i].yaml, &cfg, err, sizeof err), WS_OK);
        assert_int_equal(cfg->lock_seconds, ok[i].seconds);
        config_free(&cfg);
    }
    const char *bad[] = {"lock_minutes: 0\n", "lock_minutes: -5\n", "lock_minutes: 1441\n",
                         "lock_minutes: ten\n", "lock_minutes: 1e3\n", "lock_minutes: 0x10\n",
                         "lock_minutes: [10]\n", "lock_minutes: nan\n", "lock_minutes: 5 min\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_error(bad[i], "station.yaml:1:15: lock_minutes must be minutes above 0 and at "
                             "most 1440, such as 10");
}

/* backup_dir: a folder from the root or the home folder. */
static void test_backup_dir(void **state)
{
    (void)state;
    station_config *cfg;
    char err[512];
    assert_int_equal(parse("language: en\n", &cfg, err, sizeof err), WS_OK);
    assert_null(cfg->backup_dir);
    config_free(&cfg);
    assert_int_equal(parse("backup_dir: /media/usb/五社备份\n", &cfg, err, sizeof err), WS_OK);
    assert_string_equal(cfg->backup_dir, "/media/usb/五社备份");
    config_free(&cfg);
    setenv("HOME", "/home/wang", 1);
    assert_int_equal(parse("backup_dir: ~/备份\n", &cfg, err, sizeof err), WS_OK);
    assert_string_equal(cfg->backup_dir, "/home/wang/备份");
    config_free(&cfg);
    const char *bad[] = {"backup_dir: backups\n", "backup_dir: \"/a\\tb\"\n",
                         "backup_dir: [/a]\n", "backup_dir: ~wang/x\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], &cfg, err, sizeof err), WS_ERR_YAML);
        assert_non_null(strstr(err, "station.yaml:1:13: "));
    }
}

static void test_names(void **state)
{
    (void)state;
    station_config *cfg;
    char err[512];
    assert_int_equal(parse("language: en\n", &cfg, err, sizeof err), WS_OK);
    assert_false(cfg->names_allow_latin);
    config_free(&cfg);
    static const struct {
        const char *yaml;
        bool want;
    } cases[] = {
        {"names:\n  allow_latin: true\n", true},
        {"names: {allow_latin: yes}\n", true},
        {"names:\n  allow_latin: false\n", false},
        {"names:\n  allow_latin: No\n", false},
        {"names:\n  allow_latin:\n", false},
        {"names:\n", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (parse(cases[i].yaml, &cfg, err, sizeof err) != WS_OK)
            fail_msg("[%s]: %s", cases[i].yaml, err);
        assert_int_equal(cfg->names_allow_latin, cases[i].want);
        config_free(&cfg);
    }
}

static void test_codes_merge(void **state)
{
    (void)state;
    station_config *cfg;
    char err[512];
    const char *y = "codes:\n"
                    "  vulnerable_group:\n"
                    "    - {code: x_flood, zh_CN: 受灾户, en: Flood-affected, short_zh_CN: 受灾}\n"
                    "    - {code: tekun, zh_CN: 特困人员, en: Extreme poverty}\n"
                    "  relation:\n"
                    "    - {code: foster_child, zh_CN: 寄养子女, en: Foster child, flags: [child]}\n";
    assert_int_equal(parse(y, &cfg, err, sizeof err), WS_OK);
    codebook *cb;
    assert_int_equal(codebook_load_default(&cb, err, sizeof err), WS_OK);
    size_t n = codebook_list(cb, "vulnerable_group")->n;
    assert_int_equal(codebook_merge(cb, cfg->codes), WS_OK);
    config_free(&cfg);

    assert_int_equal(codebook_list(cb, "vulnerable_group")->n, n + 1);
    assert_string_equal(codebook_find(cb, "vulnerable_group", "x_flood")->short_zh_CN, "受灾");
    assert_string_equal(codebook_find(cb, "vulnerable_group", "tekun")->zh_CN, "特困人员");
    assert_int_equal(codebook_find(cb, "relation", "foster_child")->flags, CODE_CHILD);
    assert_non_null(codebook_find(cb, "relation", "head"));
    codebook_free(&cb);
}

static void test_default_path(void **state)
{
    (void)state;
    char *saved_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
    char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

    setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
    char *p = config_default_path();
    assert_string_equal(p, "/etc/xdg-test/wushe/station.yaml");
    free(p);
    setenv("XDG_CONFIG_HOME", "relative/dir", 1); /* ignored per the XDG spec */
    setenv("HOME", "/home/clerk", 1);
    p = config_default_path();
    assert_string_equal(p, "/home/clerk/.config/wushe/station.yaml");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    p = config_default_path();
    assert_string_equal(p, "/home/clerk/.config/wushe/station.yaml");
    free(p);

    /* config_load(NULL) reads the default path */
    char *dir = testutil_tmpdir();
    char *wdir = testutil_path(dir, "wushe");
    assert_int_equal(mkdir(wdir, 0700), 0);
    char *path = testutil_path(wdir, "station.yaml");
    write_file(path, "operator: 李娜\n");
    setenv("XDG_CONFIG_HOME", dir, 1);
    station_config *cfg;
    char err[512];
    assert_int_equal(config_load(NULL, &cfg, err, sizeof err), WS_OK);
    assert_string_equal(cfg->operator_name, "李娜");
    config_free(&cfg);
    free(path);
    free(wdir);
    testutil_rmdir(&dir);

    if (saved_xdg)
        setenv("XDG_CONFIG_HOME", saved_xdg, 1);
    else
        unsetenv("XDG_CONFIG_HOME");
    if (saved_home)
        setenv("HOME", saved_home, 1);
    else
        unsetenv("HOME");
    free(saved_xdg);
    free(saved_home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),       cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_unreadable),  cmocka_unit_test(test_broken_yaml),
        cmocka_unit_test(test_bad_values),  cmocka_unit_test(test_codes_merge),
        cmocka_unit_test(test_default_path), cmocka_unit_test(test_names),
        cmocka_unit_test(test_lock_minutes),
        cmocka_unit_test(test_backup_dir),
    };
    /* Messages come from the English catalog here. */
    char err[256];
    if (i18n_init("en", err, sizeof err) != WS_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    i18n_shutdown();
    return rc;
}
