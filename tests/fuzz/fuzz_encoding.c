/* Encodings of files from Excel and WPS (src/ledgers/encoding.c):
 * detection, conversion to UTF-8 (as detected and as each encoding a clerk
 * may force) and back. */
#include "fuzz.h"
#include "wushe/encoding.h"
#include "wushe/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void convert(const uint8_t *data, size_t size, const char *enc)
{
    char *u = NULL;
    size_t len = 0, bad = 0;
    if (enc_to_utf8((const char *)data, size, enc, &u, &len, &bad) != WS_OK)
        return;
    if (u[len] != '\0' || !text_valid_utf8(u, len))
        abort();
    char *back = NULL;
    size_t blen = 0;
    if (enc_from_utf8(u, len, enc, true, &back, &blen) == WS_OK)
        free(back);
    free(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enc_info info;
    enc_detect((const char *)data, size, &info);
    if (info.name[0] == '\0' || info.confidence < 0 || info.confidence > 100)
        abort();
    convert(data, size, info.name);
    static const char *const forced[] = {"GB18030", "UTF-8", "UTF-16LE", "UTF-16BE", "Big5"};
    convert(data, size, forced[size % 5]);
    char name[ENC_NAME_MAX];
    char *s = fuzz_cstr(data, size < 40 ? size : 40);
    enc_canonical(s, name, sizeof name);
    free(s);
    return 0;
}
