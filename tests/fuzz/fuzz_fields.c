/* A cell of a ledger or a form field parsed as each declared kind parses
 * it (record_parse: code labels, money "12.50", minutes, dates, references
 * by title) and the record then validated (record_validate, which writes
 * nothing). Byte 0 chooses the kind, byte 1 the field; the rest is the
 * text. */
#include "fuzz.h"
#include "fuzz_station.h"
#include "wushe/record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_station();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    station *st = fuzz_station();
    const record_kind *k = record_kinds[data[0] % record_nkinds];
    int field = (int)(data[1] % k->nfields);
    char *text = fuzz_cstr(data + 2, size - 2);
    void *rec = malloc(k->size);
    if (!rec)
        abort();
    record_init(k, rec);
    (void)record_parse(st, k, field, text, rec);
    record_error re;
    (void)record_validate(st, k, rec, &re);
    char out[512];
    (void)record_error_text(k, &re, out, sizeof out);
    free(rec);
    free(text);
    return 0;
}
