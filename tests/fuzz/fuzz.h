/* What every fuzz target shares: the libFuzzer entry points (also called by
 * replay.c, which runs a target over its corpus as an ordinary test) and a
 * NUL-terminated copy of the input. */
#ifndef WUSHE_FUZZ_H
#define WUSHE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* data as a C string (malloc'd; NUL bytes inside stay, the copy ends in one). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
