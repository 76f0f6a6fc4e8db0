/* The search box (src/search, resident_filter.c, the kinds' filters): any
 * text typed into it, run as the residents' list runs it (paged both
 * ways), the households' list, and every declared kind's count. */
#include "fuzz.h"
#include "fuzz_station.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_station();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    station *st = fuzz_station();
    char *q = fuzz_cstr(data, size);
    int64_t n = -1;
    (void)resident_count(st, q, &n);
    resident_row rows[8];
    size_t got = 0;
    if (resident_list(st, q, 0, 1, rows, 8, &got) == WS_OK && got > 0)
        (void)resident_list(st, q, rows[got - 1].id, -1, rows, 8, &got);
    char words[512];
    (void)resident_filter_describe(st, q, "，", words, sizeof words);
    household_row hrows[8];
    (void)household_list(st, q, 0, 1, hrows, 8, &got);
    /* Every declared kind's search box (its words: 下一步逾期, ...). */
    for (size_t k = 0; k < record_nkinds; k++)
        (void)record_count(st, record_kinds[k], q, &n);
    free(q);
    return 0;
}
