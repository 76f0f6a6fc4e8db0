/* The YAML a station is configured with (src/config): the station config,
 * a code list extension and a message catalog, each from the same bytes. */
#include "fuzz.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *y = (const char *)data;
    char err[512];
    station_config *cfg = NULL;
    if (config_parse("fuzz.yaml", y, size, &cfg, err, sizeof err) == WS_OK)
        config_free(&cfg);
    codebook *cb = NULL;
    if (codebook_parse("fuzz.yaml", y, size, &cb, err, sizeof err) == WS_OK) {
        codebook *base = NULL;
        if (codebook_load_default(&base, err, sizeof err) == WS_OK) {
            (void)codebook_merge(base, cb);
            codebook_free(&base);
        }
        codebook_free(&cb);
    }
    catalog *c = NULL;
    if (catalog_parse("fuzz.yaml", y, size, &c, err, sizeof err) == WS_OK) {
        for (size_t i = 0; i < catalog_size(c); i++)
            if (!catalog_get(c, catalog_key_at(c, i)))
                abort();
        catalog_free(&c);
    }
    return 0;
}
