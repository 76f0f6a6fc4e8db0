/* The import path (src/ledgers/import*.c) on a fuzzed ledger, as a dry run
 * into a station that has a few people already: residents, households and
 * a sign-in sheet. The first byte chooses which; the rest is the file.
 * The station must come out unchanged (a dry run writes nothing). */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_station.h"
#include "wushe/import.h"
#include "wushe/volunteer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_station();
    return 0;
}

static int64_t residents(station *st)
{
    int64_t n = -1;
    if (resident_count(st, "", &n) != WS_OK)
        abort();
    return n;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    station *st = fuzz_station();
    int64_t before = residents(st);
    import_opts o = {.dry_run = true, .list_new = data[0] & 8};
    static const char *const forced[] = {NULL, "GB18030", "UTF-8", "UTF-16LE"};
    o.encoding = forced[(data[0] >> 4) & 3];
    char err[512];
    char path[400];
    switch (data[0] % 4) {
    case 0: case 1: {
        import_report rep;
        (void)import_residents_buf(st, "fuzz.csv", (const char *)data + 1, size - 1, NULL, &o,
                                   &rep, err, sizeof err);
        import_report_free(&rep);
        break;
    }
    case 2: {
        snprintf(path, sizeof path, "%s/households.csv", g_fuzz_dir);
        write_file(path, data + 1, size - 1);
        kind_import_report rep;
        (void)import_kind(st, &kind_household, path, &o, &rep, err, sizeof err);
        break;
    }
    case 3: {
        snprintf(path, sizeof path, "%s/attendance.csv", g_fuzz_dir);
        write_file(path, data + 1, size - 1);
        attendance_import_report rep;
        (void)import_attendance(st, path, &o, &rep, err, sizeof err);
        break;
    }
    }
    if (residents(st) != before)
        abort();
    return 0;
}
