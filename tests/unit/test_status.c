/* Every status the model returns, and every validation status, has a name
 * and a message in every catalog: a clerk never sees a bare key. */
#include <string.h>

#include "testutil.h"
#include "wushe/catalog.h"
#include "wushe/embedded.h"
#include "wushe/status.h"
#include "wushe/validate.h"

static void each_catalog(void (*check)(const catalog *c, const char *lang))
{
    const char *langs[] = {"locale/zh_CN.yaml", "locale/en.yaml"};
    for (size_t l = 0; l < 2; l++) {
        const embedded_file *f = embedded_find(langs[l]);
        assert_non_null(f);
        catalog *c = NULL;
        char err[256];
        assert_int_equal(catalog_parse(f->name, f->data, f->len, &c, err, sizeof err), WS_OK);
        check(c, langs[l]);
        catalog_free(&c);
    }
}

static void check_ws(const catalog *c, const char *lang)
{
    for (int s = 0; s < WS_STATUS_COUNT; s++) {
        const char *key = ws_status_key((ws_status)s);
        if (!catalog_get(c, key))
            fail_msg("%s lacks %s (%s)", lang, key, ws_status_name((ws_status)s));
    }
}

static void check_val(const catalog *c, const char *lang)
{
    for (int v = 0; v < VAL_STATUS_COUNT; v++) {
        const char *key = val_status_key((val_status)v);
        if (!catalog_get(c, key))
            fail_msg("%s lacks %s", lang, key);
    }
}

static void test_messages(void **state)
{
    (void)state;
    each_catalog(check_ws);
    each_catalog(check_val);
}

static void test_names_unique(void **state)
{
    (void)state;
    for (int a = 0; a < WS_STATUS_COUNT; a++) {
        assert_true(strncmp(ws_status_name((ws_status)a), "WS_", 3) == 0);
        for (int b = a + 1; b < WS_STATUS_COUNT; b++)
            assert_string_not_equal(ws_status_key((ws_status)a), ws_status_key((ws_status)b));
    }
    for (int a = 0; a < VAL_STATUS_COUNT; a++)
        for (int b = a + 1; b < VAL_STATUS_COUNT; b++)
            assert_string_not_equal(val_status_key((val_status)a), val_status_key((val_status)b));
    /* out of range is named, not a crash */
    assert_non_null(ws_status_name((ws_status)WS_STATUS_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_names_unique),
    };
    return testutil_run(tests);
}
