/* The backup reader (src/tools/backup.c): a fuzzed file checked as a
 * backup would be before a restore, with a passphrase, so a sealed file's
 * header, key check and stream and a plain file's SQLite are all read.
 *
 * An input that starts with 0xB5 is a list of patches to a real sealed
 * backup of the fuzz station (made once, with the cheapest key
 * derivation): 5 bytes each, a 3-byte offset, a byte, and what to do
 * there (xor the byte in, or cut the file short), so the stream's chunks,
 * tags and final marker are reached past the key check. */
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_station.h"
#include "wushe/backup.h"

#define PASSPHRASE "wushe-fuzz-passphrase"

static uint8_t *g_sealed;
static size_t g_sealed_len;

static void sealed_free(void)
{
    free(g_sealed);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    station *st = fuzz_station(); /* its folder, and the catalog for the messages */
    setenv("TMPDIR", g_fuzz_dir, 1);
    char path[400], written[4096], err[1024];
    snprintf(path, sizeof path, "%s/sealed" BACKUP_EXT, g_fuzz_dir);
    backup_opts o = {.passphrase = PASSPHRASE, .quick = true, .kdf_ops = 1, .kdf_mem = 8192};
    backup_info info;
    if (backup_make(st, path, &o, &info, written, sizeof written, err, sizeof err) != WS_OK) {
        fprintf(stderr, "fuzz_backup: %s\n", err);
        abort();
    }
    FILE *f = fopen(written, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        abort();
    long n = ftell(f);
    rewind(f);
    g_sealed = malloc((size_t)n);
    if (!g_sealed || fread(g_sealed, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    g_sealed_len = (size_t)n;
    unlink(written);
    atexit(sealed_free);
    return 0;
}

/* The sealed backup with the input's patches applied (malloc'd). */
static uint8_t *patched(const uint8_t *data, size_t size, size_t *len)
{
    uint8_t *b = malloc(g_sealed_len);
    if (!b)
        abort();
    memcpy(b, g_sealed, g_sealed_len);
    *len = g_sealed_len;
    for (size_t i = 1; i + 5 <= size; i += 5) {
        size_t off = ((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 | data[i + 2]);
        if (*len == 0)
            break;
        off %= *len;
        if (data[i + 4] & 1)
            *len = off;
        else
            b[off] ^= data[i + 3] ? data[i + 3] : 1;
    }
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_station();
    char path[400];
    snprintf(path, sizeof path, "%s/fuzz" BACKUP_EXT, g_fuzz_dir);
    uint8_t *b = NULL;
    bool whole = size == 1 && data[0] == 0xB5; /* no patch: must verify */
    if (size >= 1 && data[0] == 0xB5) {
        b = patched(data, size, &size);
        data = b;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) != 0)
        abort();
    free(b);
    backup_opts o = {.passphrase = PASSPHRASE};
    backup_info info;
    char err[1024];
    (void)backup_is_encrypted(path);
    ws_status v = backup_verify(path, &o, &info, err, sizeof err);
    if (whole && (v != WS_OK || !info.encrypted || info.residents != 3)) {
        fprintf(stderr, "fuzz_backup: the sealed backup does not verify: %s\n", err);
        abort();
    }
    unlink(path);
    return 0;
}
