/* Excel workbooks (src/ledgers/workbook.c): whatever the bytes, opening
 * says what they are or why not, every sheet's rows come as NUL-ended
 * cells with rising row numbers, and the CSV the imports read is made;
 * never more than the limits of memory a part may take. */
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "wushe/workbook.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Every row of the selected sheet, up to a bound. */
static void walk_rows(workbook *wb)
{
    workbook_row row;
    char err[512];
    size_t last = 0;
    for (int n = 0; n < 20000 && workbook_next(wb, &row, err, sizeof err) == WS_OK; n++) {
        if (row.row <= last)
            abort(); /* rows come in the sheet's order, each once */
        last = row.row;
        for (size_t c = 0; c < row.n; c++)
            if (!row.cells[c] || strlen(row.cells[c]) > (size_t)64 << 20)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/wushe-fuzz-book-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    /* Small limits: a fuzzed zip may claim anything. */
    workbook_limits lim = {.max_part = (uint64_t)8 << 20, .max_ratio = 200};
    workbook *wb = NULL;
    char err[512] = "";
    if (workbook_open(path, &lim, &wb, err, sizeof err) == WS_OK) {
        size_t sheets = workbook_sheet_count(wb);
        for (size_t i = 0; i < sheets && i < 8; i++) {
            const char *name = workbook_sheet_name(wb, i);
            if (!name)
                abort();
            if (workbook_select(wb, name, err, sizeof err) == WS_OK)
                walk_rows(wb);
        }
        if (workbook_select(wb, NULL, err, sizeof err) == WS_OK) {
            char *csv = NULL;
            size_t len = 0;
            if (workbook_to_csv(wb, &csv, &len, err, sizeof err) == WS_OK && csv &&
                strlen(csv) > len)
                abort();
            free(csv);
        }
        workbook_free(&wb);
    } else if (!err[0]) {
        abort(); /* a refusal always says why */
    }
    unlink(path);
    return 0;
}
