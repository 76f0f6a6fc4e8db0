/* The backup reader (src/tools/backup.c): a fuzzed file checked as a
 * backup would be before a restore, with a passphrase, so a sealed file's
 * header, key check and stream and a plain file's SQLite are all read. */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_station.h"
#include "wushe/backup.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_station(); /* its folder, and the catalog for the messages */
    setenv("TMPDIR", g_fuzz_dir, 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_station();
    char path[400];
    snprintf(path, sizeof path, "%s/fuzz" BACKUP_EXT, g_fuzz_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
        abort();
    backup_opts o = {.passphrase = "wushe-fuzz-passphrase"};
    backup_info info;
    char err[1024];
    (void)backup_is_encrypted(path);
    (void)backup_verify(path, &o, &info, err, sizeof err);
    unlink(path);
    return 0;
}
