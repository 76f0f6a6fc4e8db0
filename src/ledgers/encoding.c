#include "wushe/encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "wushe/catalog.h"
#include "wushe/text.h"

/* The encodings a Chinese ledger is written in, by the names clerks and
 * scripts type. Nothing else: ICU knows hundreds, and a file read as
 * latin1 or Shift-JIS turns every name into other characters without an
 * error. */
static const struct {
    const char *alias;
    const char *name;
} enc_aliases[] = {
    {"gbk", "GB18030"},      {"gb2312", "GB18030"},   {"gb18030", "GB18030"},
    {"gb-18030", "GB18030"}, {"cp936", "GB18030"},    {"ms936", "GB18030"},
    {"windows-936", "GB18030"}, {"euc-cn", "GB18030"}, {"ansi", "GB18030"},
    {"utf-8", "UTF-8"},      {"utf8", "UTF-8"},       {"utf-8-bom", "UTF-8"},
    {"utf-8-sig", "UTF-8"},  {"utf-16", "UTF-16LE"},  {"utf16", "UTF-16LE"},
    {"unicode", "UTF-16LE"}, {"utf-16le", "UTF-16LE"}, {"utf16le", "UTF-16LE"},
    {"ucs-2", "UTF-16LE"},   {"utf-16be", "UTF-16BE"}, {"utf16be", "UTF-16BE"},
    {"big5", "Big5"},        {"big-5", "Big5"},       {"cp950", "Big5"},
};

bool enc_canonical(const char *name, char *out, size_t outsz)
{
    if (!name || !*name)
        return false;
    for (size_t i = 0; i < sizeof enc_aliases / sizeof enc_aliases[0]; i++) {
        if (strcasecmp(name, enc_aliases[i].alias) == 0) {
            snprintf(out, outsz, "%s", enc_aliases[i].name);
            return true;
        }
    }
    return false;
}

const char *enc_hint_others(const char *read_as, char *out, size_t outsz)
{
    static const char *const offered[] = {"utf-8", "gbk", "utf-16le", "utf-16be", "big5"};
    char skip[ENC_NAME_MAX] = "", one[ENC_NAME_MAX];
    if (!enc_canonical(read_as, skip, sizeof skip) && read_as)
        snprintf(skip, sizeof skip, "%s", read_as);
    const char *left[sizeof offered / sizeof *offered];
    size_t n = 0;
    for (size_t i = 0; i < sizeof offered / sizeof *offered; i++)
        if (!enc_canonical(offered[i], one, sizeof one) || strcasecmp(one, skip) != 0)
            left[n++] = offered[i];
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < outsz; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? tr("import.enc_list_or")
                                                   : tr("import.enc_list_sep");
        int w = snprintf(out + used, outsz - used, "%s%s", sep, left[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return out;
}

/* Share of 16-bit units in the first bytes whose high byte is zero and low
 * byte is not (ASCII text in UTF-16), for little (le) or big endian. */
static int enc_utf16_share(const unsigned char *b, size_t len, bool le)
{
    size_t n = len < 4096 ? len : 4096;
    n &= ~(size_t)1;
    if (n < 4)
        return 0;
    size_t hits = 0;
    for (size_t i = 0; i < n; i += 2) {
        unsigned char lo = le ? b[i] : b[i + 1], hi = le ? b[i + 1] : b[i];
        if (hi == 0 && lo != 0)
            hits++;
    }
    return (int)(hits * 100 / (n / 2));
}

void enc_detect(const char *buf, size_t len, enc_info *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = (const unsigned char *)buf;
    out->confidence = 100;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        snprintf(out->name, sizeof out->name, "UTF-8");
        out->bom = true;
        return;
    }
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        snprintf(out->name, sizeof out->name, "UTF-16LE");
        out->bom = true;
        return;
    }
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        snprintf(out->name, sizeof out->name, "UTF-16BE");
        out->bom = true;
        return;
    }
    /* ASCII text has no zero bytes; UTF-16 text of a spreadsheet has many. */
    if (enc_utf16_share(b, len, true) >= 30) {
        snprintf(out->name, sizeof out->name, "UTF-16LE");
        out->confidence = 80;
        return;
    }
    if (enc_utf16_share(b, len, false) >= 30) {
        snprintf(out->name, sizeof out->name, "UTF-16BE");
        out->confidence = 80;
        return;
    }
    if (text_valid_utf8(buf, len)) {
        snprintf(out->name, sizeof out->name, "UTF-8");
        return;
    }
    /* Not UTF-8: ask ICU, which knows the Chinese multibyte encodings. */
    snprintf(out->name, sizeof out->name, "GB18030");
    out->confidence = 10;
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err))
        return;
    size_t sample = len < 262144 ? len : 262144;
    ucsdet_setText(det, buf, (int32_t)sample, &err);
    int32_t nm = 0;
    const UCharsetMatch **all = U_SUCCESS(err) ? ucsdet_detectAll(det, &nm, &err) : NULL;
    for (int32_t i = 0; U_SUCCESS(err) && all && i < nm; i++) {
        const char *name = ucsdet_getName(all[i], &err);
        int conf = ucsdet_getConfidence(all[i], &err);
        if (U_FAILURE(err) || !name)
            break;
        /* UTF-16 was decided above, by its zero bytes. */
        if (strcmp(name, "GB18030") == 0 || strcmp(name, "Big5") == 0) {
            snprintf(out->name, sizeof out->name, "%s", name);
            out->confidence = conf;
            break;
        }
    }
    ucsdet_close(det);
}

/* To-Unicode callback: each illegal or unassigned sequence becomes U+FFFD
 * and is counted. */
static void U_CALLCONV enc_count_bad(const void *ctx, UConverterToUnicodeArgs *args,
                                     const char *units, int32_t length,
                                     UConverterCallbackReason reason, UErrorCode *err)
{
    (void)units;
    (void)length;
    if (reason > UCNV_IRREGULAR)
        return; /* reset, close, clone */
    size_t *bad = (size_t *)ctx;
    (*bad)++;
    *err = U_ZERO_ERROR;
    static const UChar sub = 0xFFFD;
    ucnv_cbToUWriteUChars(args, &sub, 1, 0, err);
}

ws_status enc_to_utf8(const char *buf, size_t len, const char *enc, char **out,
                      size_t *outlen, size_t *bad)
{
    *out = NULL;
    if (outlen)
        *outlen = 0;
    size_t nbad = 0;
    if (len > (size_t)INT32_MAX / 2)
        return WS_ERR_NOMEM;
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(enc, &err);
    if (U_FAILURE(err) || !cv)
        return WS_ERR_INVALID;
    ucnv_setToUCallBack(cv, enc_count_bad, &nbad, NULL, NULL, &err);
    /* Every supported encoding needs at most one UTF-16 unit per byte. */
    int32_t cap = (int32_t)len + 1;
    UChar *u = malloc((size_t)cap * sizeof *u);
    ws_status s = WS_OK;
    int32_t ulen = 0;
    if (!u) {
        s = WS_ERR_NOMEM;
    } else {
        ulen = ucnv_toUChars(cv, u, cap, buf, (int32_t)len, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR) {
            free(u);
            cap = ulen + 1;
            u = malloc((size_t)cap * sizeof *u);
            err = U_ZERO_ERROR;
            nbad = 0;
            ucnv_resetToUnicode(cv);
            if (u)
                ulen = ucnv_toUChars(cv, u, cap, buf, (int32_t)len, &err);
            else
                s = WS_ERR_NOMEM;
        }
        if (s == WS_OK && U_FAILURE(err))
            s = WS_ERR_INVALID;
    }
    ucnv_close(cv);
    const UChar *src = u;
    if (s == WS_OK && ulen > 0 && u[0] == 0xFEFF) {
        src++;
        ulen--;
    }
    char *utf8 = NULL;
    int32_t n8 = 0;
    if (s == WS_OK) {
        size_t need = (size_t)ulen * 3 + 1;
        utf8 = malloc(need);
        if (!utf8) {
            s = WS_ERR_NOMEM;
        } else {
            err = U_ZERO_ERROR;
            int32_t subs = 0;
            u_strToUTF8WithSub(utf8, (int32_t)need, &n8, src, ulen, 0xFFFD, &subs, &err);
            if (U_FAILURE(err))
                s = WS_ERR_INVALID;
            nbad += (size_t)subs;
        }
    }
    free(u);
    if (s != WS_OK) {
        free(utf8);
        return s;
    }
    utf8[n8] = '\0';
    *out = utf8;
    if (outlen)
        *outlen = (size_t)n8;
    if (bad)
        *bad = nbad;
    return WS_OK;
}

ws_status enc_from_utf8(const char *utf8, size_t len, const char *enc, bool bom, char **out,
                        size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (len > (size_t)INT32_MAX / 4)
        return WS_ERR_NOMEM;
    UErrorCode err = U_ZERO_ERROR;
    int32_t ulen = 0;
    int32_t ucap = (int32_t)len + 2;
    UChar *u = malloc((size_t)ucap * sizeof *u);
    if (!u)
        return WS_ERR_NOMEM;
    int32_t off = 0;
    bool unicode = strncasecmp(enc, "UTF-", 4) == 0;
    if (bom && unicode)
        u[off++] = 0xFEFF;
    u_strFromUTF8WithSub(u + off, ucap - off, &ulen, utf8, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) {
        free(u);
        return WS_ERR_INVALID;
    }
    ulen += off;
    UConverter *cv = ucnv_open(enc, &err);
    if (U_FAILURE(err) || !cv) {
        free(u);
        return WS_ERR_INVALID;
    }
    int32_t cap = ulen * 4 + 4;
    char *o = malloc((size_t)cap);
    ws_status s = WS_OK;
    int32_t n = 0;
    if (!o) {
        s = WS_ERR_NOMEM;
    } else {
        n = ucnv_fromUChars(cv, o, cap, u, ulen, &err);
        if (U_FAILURE(err))
            s = WS_ERR_INVALID;
    }
    ucnv_close(cv);
    free(u);
    if (s != WS_OK) {
        free(o);
        return s;
    }
    *out = o;
    *outlen = (size_t)n;
    return WS_OK;
}

ws_status enc_read_file(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return WS_ERR_IO;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = errno ? errno : EISDIR;
        close(fd);
        errno = S_ISDIR(sb.st_mode) ? EISDIR : e;
        return WS_ERR_IO;
    }
    size_t cap = (size_t)sb.st_size + 1;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return WS_ERR_NOMEM;
    }
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            char *g = realloc(buf, cap * 2);
            if (!g) {
                free(buf);
                close(fd);
                return WS_ERR_NOMEM;
            }
            buf = g;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return WS_ERR_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return WS_OK;
}

/* Whether path's first bytes say an SQLite database (a station, a plain
 * backup) or an encrypted backup. */
static bool enc_is_station(const char *path)
{
    char head[16];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat sb;
    bool is = false;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        read(fd, head, sizeof head) == (ssize_t)sizeof head)
        is = !memcmp(head, "SQLite format 3", 16) || !memcmp(head, "WUSHEBAK", 8);
    close(fd);
    return is;
}

bool enc_output_protected(const char *path)
{
    if (enc_is_station(path))
        return true;
    /* A database's log beside it: station.db-wal holds what the file does
     * not yet. */
    static const char *const logs[] = {"-wal", "-shm", "-journal"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        size_t l = strlen(logs[i]);
        if (n > l && !strcmp(path + n - l, logs[i])) {
            char *base = strndup(path, n - l);
            bool is = base && enc_is_station(base);
            free(base);
            if (is)
                return true;
        }
    }
    return false;
}

ws_status enc_write_file(const char *path, const char *data, size_t len)
{
    if (enc_output_protected(path)) {
        errno = EEXIST;
        return WS_ERR_IO;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return WS_ERR_NOMEM;
    /* mkstemp wants a template ending in six 'X'. */
    snprintf(tmp, plen + 16, "%s.tmp", path);
    memset(tmp + plen + 4, 'X', 6);
    tmp[plen + 10] = '\0';
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return errno == ENOSPC ? WS_ERR_FULL : WS_ERR_IO;
    }
    fchmod(fd, 0600);
    size_t done = 0;
    ws_status s = WS_OK;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            s = errno == ENOSPC ? WS_ERR_FULL : WS_ERR_IO;
            break;
        }
        done += (size_t)w;
    }
    if (s == WS_OK && fsync(fd) != 0)
        s = errno == ENOSPC ? WS_ERR_FULL : WS_ERR_IO;
    int e = errno;
    if (close(fd) != 0 && s == WS_OK)
        s = WS_ERR_IO;
    if (s == WS_OK && rename(tmp, path) != 0) {
        e = errno;
        s = WS_ERR_IO;
    }
    if (s != WS_OK) {
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return s;
}

const char *enc_os_error(int errnum, char *out, size_t outsz)
{
    const char *key = NULL;
    switch (errnum) {
    case ENOENT: key = "os.enoent"; break;
    case EACCES:
    case EPERM: key = "os.eacces"; break;
    case ENOSPC:
    case EDQUOT: key = "os.enospc"; break;
    case EROFS: key = "os.erofs"; break;
    case EISDIR: key = "os.eisdir"; break;
    case EEXIST: key = "os.station_file"; break;
    case ENOTDIR: key = "os.enotdir"; break;
    case ENAMETOOLONG: key = "os.enametoolong"; break;
    default: break;
    }
    if (key)
        snprintf(out, outsz, "%s", tr(key));
    else
        trf(out, outsz, "os.other", errnum);
    return out;
}
