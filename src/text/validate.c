/* Validators for what clerks type: ID numbers, dates, phones, names.
 *
 * Input typed through a pinyin IME often arrives in full-width form
 * ("１１０１…", "－", U+3000 space), so ID numbers, dates and phones are
 * folded to ASCII first. No ICU here: these run on every keystroke check. */
#include "wushe/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>

#include "wushe/text.h"

static const char *const val_keys[] = {
#define VAL_STATUS_KEY(name, key) key,
    VAL_STATUS_LIST(VAL_STATUS_KEY)
#undef VAL_STATUS_KEY
};

bool val_status_names(val_status v)
{
    return v == VAL_DUPLICATE_ID || v == VAL_HEAD_TAKEN || v == VAL_REVIEW_BEFORE_START ||
           v == VAL_GROUP_CHILD || v == VAL_GROUP_ELDERLY || v == VAL_GUARDIAN_NEEDED ||
           v == VAL_BEFORE_BIRTH || v == VAL_WITHDRAWN_BEFORE || v == VAL_CASE_LOCKED ||
           v == VAL_NOT_MEMBER || v == VAL_BEFORE_DATE || v == VAL_RANGE ||
           v == VAL_STAGE_MISSING || v == VAL_MOVE_DENIED || v == VAL_RULE ||
           v == VAL_DAY_MINUTES || v == VAL_BEFORE_REGISTERED || v == VAL_AFTER_LEFT ||
           v == VAL_LEFT_BEFORE_JOINED || v == VAL_POINTS_SHORT || v == VAL_POINTS_SPENT ||
           v == VAL_VOLUNTEER_TWICE || v == VAL_END_BEFORE_START || v == VAL_NOT_IN_LIST ||
           v == VAL_DUPLICATE_OF || v == VAL_ID_IN_BIN;
}

const char *val_status_key(val_status v)
{
    if ((unsigned)v >= VAL_STATUS_COUNT)
        return "valid.invalid";
    return val_keys[v];
}

/* ---- small helpers ---------------------------------------------------- */

enum { MIN_YEAR = 1880 };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Decode one UTF-8 code point at s; returns its length (0 when invalid). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* Copy `in` to out, turning full-width ASCII (U+FF01..U+FF5E) and the
 * ideographic space into plain ASCII; other characters are copied as they
 * are. False when invalid UTF-8 or when out is too small. */
static bool fold_ascii(const char *in, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    while (*s) {
        uint32_t cp;
        size_t n = utf8_decode(s, &cp);
        if (n == 0)
            return false;
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            if (o + 1 >= outsz)
                return false;
            out[o++] = (char)(cp - 0xFEE0);
        } else if (cp == 0x3000) {
            if (o + 1 >= outsz)
                return false;
            out[o++] = ' ';
        } else {
            if (o + n >= outsz)
                return false;
            memmove(out + o, s, n); /* out may be in */
            o += n;
        }
        s += n;
    }
    out[o] = '\0';
    return true;
}

bool val_halfwidth(const char *in, char *out, size_t outsz)
{
    /* The folded text is never longer: folding in place is safe. */
    return fold_ascii(in, out, outsz);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool ymd_real(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

static int ymd_pack(int y, int m, int d)
{
    return y * 10000 + m * 100 + d;
}

/* YYYY-MM-DD of a real date (1 <= y <= 9999). */
static void ymd_format(char out[11], int y, int m, int d)
{
    int v[3] = {y, m, d}, w[3] = {4, 2, 2};
    size_t o = 0;
    for (int i = 0; i < 3; i++) {
        if (i)
            out[o++] = '-';
        for (int k = w[i] - 1, x = v[i]; k >= 0; k--, x /= 10)
            out[o + (size_t)k] = (char)('0' + x % 10);
        o += (size_t)w[i];
    }
    out[o] = '\0';
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Strict YYYY-MM-DD (the stored form). */
static bool iso_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    *y = digits_value(s, 4);
    *m = digits_value(s + 5, 2);
    *d = digits_value(s + 8, 2);
    return ymd_real(*y, *m, *d);
}

/* `today` as a packed date; falls back to date_today() when NULL or bad. */
static int today_packed(const char *today)
{
    int y, m, d;
    if (!iso_parse(today, &y, &m, &d)) {
        char buf[11];
        date_today(buf);
        if (!iso_parse(buf, &y, &m, &d))
            return 99991231;
    }
    return ymd_pack(y, m, d);
}

/* ---- dates ------------------------------------------------------------ */

void date_today(char out[11])
{
    const char *env = getenv("WUSHE_TODAY");
    int y, m, d;
    if (env && iso_parse(env, &y, &m, &d)) {
        memcpy(out, env, 10);
        out[10] = '\0';
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(out, 11, "1970-01-01");
}

void date_add_days(const char *date, int days, char out[11])
{
    int y, m, d;
    if (!iso_parse(date, &y, &m, &d)) {
        out[0] = '\0';
        return;
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + days, .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm r;
    if (!gmtime_r(&t, &r) || strftime(out, 11, "%Y-%m-%d", &r) != 10)
        out[0] = '\0';
}

int date_days_between(const char *from, const char *to)
{
    int y1, m1, d1, y2, m2, d2;
    if (!iso_parse(from, &y1, &m1, &d1) || !iso_parse(to, &y2, &m2, &d2))
        return 0;
    struct tm a = {.tm_year = y1 - 1900, .tm_mon = m1 - 1, .tm_mday = d1, .tm_hour = 12};
    struct tm b = {.tm_year = y2 - 1900, .tm_mon = m2 - 1, .tm_mday = d2, .tm_hour = 12};
    return (int)((timegm(&b) - timegm(&a)) / 86400);
}

int date_age(const char *birth, const char *today)
{
    int by, bm, bd, ty, tm, td;
    char now[11];
    if (!today) {
        date_today(now);
        today = now;
    }
    if (!iso_parse(birth, &by, &bm, &bd) || !iso_parse(today, &ty, &tm, &td))
        return -1;
    if (ymd_pack(by, bm, bd) > ymd_pack(ty, tm, td))
        return -1;
    int age = ty - by;
    if (tm < bm || (tm == bm && td < bd))
        age--;
    return age;
}

/* Reads 1..maxn digits at *p. */
static bool take_digits(const char **p, size_t maxn, int *v, size_t *count)
{
    size_t n = 0;
    while (is_digit((*p)[n]))
        n++;
    if (n == 0 || n > maxn)
        return false;
    *v = digits_value(*p, n);
    *p += n;
    if (count)
        *count = n;
    return true;
}

static bool skip_str(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return false;
    *p += n;
    return true;
}

/* Parses the accepted date forms; false on a format error. */
static bool date_parse_forms(const char *s, int *y, int *m, int *d)
{
    size_t n;
    if (!take_digits(&s, 8, y, &n))
        return false;
    if (n == 8) { /* YYYYMMDD */
        if (*s)
            return false;
        *d = *y % 100;
        *m = *y / 100 % 100;
        *y /= 10000;
        return true;
    }
    if (n != 4)
        return false;
    if (skip_str(&s, "年")) {
        while (*s == ' ')
            s++;
        if (!take_digits(&s, 2, m, NULL))
            return false;
        while (*s == ' ')
            s++;
        if (!skip_str(&s, "月"))
            return false;
        while (*s == ' ')
            s++;
        if (!take_digits(&s, 2, d, NULL))
            return false;
        while (*s == ' ')
            s++;
        skip_str(&s, "日"); /* clerks often leave it off */
        return *s == '\0';
    }
    char sep = *s;
    if (sep != '-' && sep != '/' && sep != '.')
        return false;
    s++;
    if (!take_digits(&s, 2, m, NULL) || *s != sep)
        return false;
    s++;
    if (!take_digits(&s, 2, d, NULL))
        return false;
    return *s == '\0';
}

/* Trim ASCII spaces/tabs at both ends in place. */
static char *trim_ascii(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* out gets the normalised date whenever it is a real calendar date (also on
 * VAL_DATE_FUTURE / VAL_DATE_TOO_OLD), "" otherwise. */
val_status val_date(const char *in, const char *today, bool past_only, char out[11])
{
    char buf[64];
    if (out)
        out[0] = '\0';
    if (!in)
        return VAL_REQUIRED;
    if (!fold_ascii(in, buf, sizeof buf))
        return text_has_control(in) ? VAL_CONTROL : VAL_DATE_FORMAT;
    char *s = trim_ascii(buf);
    if (!*s)
        return VAL_REQUIRED;
    int y, m, d;
    if (!date_parse_forms(s, &y, &m, &d))
        return VAL_DATE_FORMAT;
    if (!ymd_real(y, m, d))
        return VAL_DATE_INVALID;
    if (out)
        ymd_format(out, y, m, d);
    if (ymd_pack(y, m, d) < ymd_pack(MIN_YEAR, 1, 1))
        return VAL_DATE_TOO_OLD;
    if (past_only && ymd_pack(y, m, d) > today_packed(today))
        return VAL_DATE_FUTURE;
    return VAL_OK;
}

/* ---- ID numbers (GB 11643-1999) --------------------------------------- */

static bool id_province_ok(int p)
{
    /* 83: residence permits of Taiwan residents. Foreign permanent
     * residence cards (leading 9) are not resident ID numbers. */
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
           p == 71 || p == 81 || p == 82 || p == 83;
}

/* Returns 0 when a digit is not 0-9. */
char val_id_check_char(const char digits17[17])
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(digits17[i]))
            return 0;
        sum += (digits17[i] - '0') * weights[i];
    }
    return map[sum % 11];
}

/* In place: the invisible characters a paste from a chat or a web page
 * brings (zero-width space, non-joiner, joiner, word joiner, BOM) dropped;
 * with dashes, the dashes an IME types (—, –, ‒, ―, −) as the hyphen. For
 * val_id_number and val_phone, after fold_ascii. */
static void drop_invisible(char *s, bool dashes)
{
    unsigned char *r = (unsigned char *)s, *w = r;
    while (*r) {
        if (r[0] == 0xE2 && r[1] == 0x80 && r[2] >= 0x8B && r[2] <= 0x8D) {
            r += 3;
        } else if ((r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) ||
                   (r[0] == 0xE2 && r[1] == 0x81 && r[2] == 0xA0)) {
            r += 3;
        } else if (dashes && ((r[0] == 0xE2 && r[1] == 0x80 && r[2] >= 0x92 && r[2] <= 0x95) ||
                              (r[0] == 0xE2 && r[1] == 0x88 && r[2] == 0x92))) {
            *w++ = '-';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

val_status val_id_number(const char *in, const char *today, val_id *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!in)
        return VAL_REQUIRED;
    char buf[128];
    if (!fold_ascii(in, buf, sizeof buf))
        return text_has_control(in) ? VAL_CONTROL : VAL_ID_LENGTH;
    drop_invisible(buf, false);

    char id[19];
    size_t n = 0;
    bool bad = false;
    for (const char *p = buf; *p; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (!is_digit(*p) && *p != 'x' && *p != 'X')
            bad = true;
        if (n < 18)
            id[n] = *p == 'x' ? 'X' : *p;
        n++;
    }
    if (n == 0)
        return VAL_REQUIRED;
    if (bad)
        return VAL_ID_CHARS;
    if (n != 15 && n != 18)
        return VAL_ID_LENGTH;
    for (size_t i = 0; i + 1 < n; i++)
        if (id[i] == 'X')
            return VAL_ID_CHARS;
    if (n == 15 && id[14] == 'X')
        return VAL_ID_CHARS;

    if (!id_province_ok(digits_value(id, 2)))
        return VAL_ID_REGION;

    char full[19];
    if (n == 15) { /* legacy: 6 region + YYMMDD + 3 sequence, century 19 */
        memcpy(full, id, 6);
        full[6] = '1';
        full[7] = '9';
        memcpy(full + 8, id + 6, 9);
    } else {
        memcpy(full, id, 18);
    }
    int y = digits_value(full + 6, 4), m = digits_value(full + 10, 2),
        d = digits_value(full + 12, 2);
    if (!ymd_real(y, m, d) || ymd_pack(y, m, d) < ymd_pack(MIN_YEAR, 1, 1))
        return VAL_ID_DATE;
    /* A real date, but not yet: said as such, not as a day that does not
     * exist. */
    if (ymd_pack(y, m, d) > today_packed(today))
        return VAL_ID_FUTURE;

    char check = val_id_check_char(full);
    if (n == 15)
        full[17] = check;
    else if (full[17] != check)
        return VAL_ID_CHECK;
    full[18] = '\0';

    if (out) {
        memcpy(out->number, full, 19);
        ymd_format(out->birth, y, m, d);
        out->sex = (full[16] - '0') % 2 ? SEX_MALE : SEX_FEMALE;
        out->upgraded = n == 15;
    }
    return VAL_OK;
}

/* ---- phones ----------------------------------------------------------- */

static bool phone_sep(char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')';
}

/* Three-digit area codes: 010 (Beijing) and 020-029. */
static size_t area_len(const char *d)
{
    return (d[1] == '1' && d[2] == '0') || d[1] == '2' ? 3 : 4;
}

/* Eight digits that read as a real date from 1900 to 2099 (20300101):
 * without an area code these are a date typed or pasted into the phone
 * column far more often than a local number. Such local numbers exist
 * (8-digit numbers start with 2 in Guangzhou, Shanghai, Shenzhen...), so
 * the message asks for the area code, with which they are accepted. */
static bool phone_is_date(const char *d)
{
    if (strlen(d) != 8)
        return false;
    int y = digits_value(d, 4), m = digits_value(d + 4, 2), day = digits_value(d + 6, 2);
    return y >= 1900 && y <= 2099 && ymd_real(y, m, day);
}

/* Formats a number whose separators are already removed: 11-digit mobile,
 * 0 + area + local, or a bare local number. */
static bool phone_format(const char *d, bool intl, const char *ext, char *out, size_t outsz)
{
    size_t n = strlen(d);
    char tmp[40];
    /* International form drops the trunk 0 of landlines: +86 832 2345678. */
    if (intl && d[0] != '1' && d[0] != '0' && n + 2 < sizeof tmp) {
        tmp[0] = '0';
        memcpy(tmp + 1, d, n + 1);
        d = tmp;
        n++;
    }
    if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
        if (*ext)
            return false;
        return (size_t)snprintf(out, outsz, "%s", d) < outsz;
    }
    if (intl && d[0] != '0')
        return false;
    if (d[0] == '0') {
        if (n < 4 || d[1] == '0')
            return false;
        size_t a = area_len(d);
        if (d[1] == '1' && a != 3) /* 01x other than 010 does not exist */
            return false;
        size_t local = n - a;
        if (local < 7 || local > 8 || d[a] == '0')
            return false;
        return (size_t)snprintf(out, outsz, "%.*s-%s%s%s", (int)a, d, d + a,
                                *ext ? "-" : "", ext) < outsz;
    }
    if ((n == 7 || n == 8) && d[0] >= '2' && !phone_is_date(d))
        return (size_t)snprintf(out, outsz, "%s%s%s", d, *ext ? "-" : "", ext) < outsz;
    return false;
}

/* Collect the digits of s[0..len) (separators skipped) into out. */
static bool phone_digits(const char *s, size_t len, char *out, size_t outsz)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (phone_sep(s[i]))
            continue;
        if (!is_digit(s[i]) || o + 1 >= outsz)
            return false;
        out[o++] = s[i];
    }
    out[o] = '\0';
    return true;
}

val_status val_phone(const char *in, char *out, size_t outsz)
{
    char buf[128];
    if (out && outsz)
        out[0] = '\0';
    if (!in)
        return VAL_REQUIRED;
    if (!fold_ascii(in, buf, sizeof buf))
        return text_has_control(in) ? VAL_CONTROL : VAL_PHONE;
    drop_invisible(buf, true);
    char *s = trim_ascii(buf);
    if (!*s)
        return VAL_REQUIRED;

    /* Extension after 转 (or "ext"). */
    char ext[16] = "";
    char *x = strstr(s, "转");
    size_t xlen = strlen("转");
    if (!x) {
        x = strstr(s, "ext");
        xlen = 3;
    }
    if (x) {
        const char *e = x + xlen;
        if (*e == '.')
            e++;
        if (!phone_digits(e, strlen(e), ext, sizeof ext) || !*ext || strlen(ext) > 6)
            return VAL_PHONE;
        *x = '\0';
        s = trim_ascii(s);
    }

    bool intl = false;
    if (*s == '+') {
        s++;
        while (phone_sep(*s))
            s++;
        if (s[0] != '8' || s[1] != '6')
            return VAL_PHONE;
        s += 2;
        intl = true;
    }
    char d[40];
    if (!phone_digits(s, strlen(s), d, sizeof d) || !*d)
        return VAL_PHONE;
    char *digits = d;
    if (!intl && strncmp(digits, "0086", 4) == 0) {
        digits += 4;
        intl = true;
    } else if (!intl && strlen(digits) == 13 && strncmp(digits, "861", 3) == 0) {
        digits += 2;
        intl = true;
    }

    char res[64];
    if (phone_format(digits, intl, ext, res, sizeof res))
        goto ok;
    if (!intl && !*ext && phone_is_date(digits))
        return VAL_PHONE_DATE;
    /* "0832-2345678-123": the last dash-separated group is an extension. */
    char *dash = strrchr(s, '-');
    if (!*ext && dash && dash != s) {
        const char *tail = dash + 1;
        char e2[16], d2[40];
        if (phone_digits(tail, strlen(tail), e2, sizeof e2) && *e2 && strlen(e2) <= 6 &&
            phone_digits(s, (size_t)(dash - s), d2, sizeof d2) && *d2) {
            char *dd = d2;
            if (!intl && strncmp(dd, "0086", 4) == 0)
                dd += 4, intl = true;
            if (phone_format(dd, intl, e2, res, sizeof res) && strchr(res, '-'))
                goto ok;
        }
    }
    return VAL_PHONE;
ok:
    if (!out || outsz <= strlen(res))
        return VAL_PHONE;
    memcpy(out, res, strlen(res) + 1);
    return VAL_OK;
}

/* ---- names and free text ---------------------------------------------- */

/* Invisible format characters (general category Cf: zero-width spaces and
 * joiners, direction marks) and Prepend characters (which join whatever
 * follows them on screen) have no place in a name. in is valid UTF-8. */
static bool has_format_char(const char *in)
{
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        uint32_t c;
        size_t n = utf8_decode(p, &c);
        if (!n)
            return false;
        if (u_charType((UChar32)c) == U_FORMAT_CHAR ||
            u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK) == U_GCB_PREPEND)
            return true;
        p += n;
    }
    return false;
}

val_status val_name(const char *in, size_t max_chars)
{
    if (!in)
        return VAL_REQUIRED;
    const unsigned char *s = (const unsigned char *)in;
    const unsigned char *end = s + strlen(in);
    /* Trim ASCII and ideographic (U+3000, E3 80 80) spaces. */
    for (;;) {
        if (s < end && *s == ' ')
            s++;
        else if (end - s >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
            s += 3;
        else
            break;
    }
    for (;;) {
        if (end > s && end[-1] == ' ')
            end--;
        else if (end - s >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80)
            end -= 3;
        else
            break;
    }
    if (s == end)
        return VAL_REQUIRED;
    if (text_has_control(in))
        return VAL_CONTROL;
    if (has_format_char(in))
        return VAL_FORMAT_CHAR;
    size_t chars = 0;
    for (const unsigned char *p = s; p < end; p++)
        if ((*p & 0xC0) != 0x80)
            chars++;
    if (max_chars && chars > max_chars)
        return VAL_TOO_LONG;
    return VAL_OK;
}

/* ---- people's names --------------------------------------------------- */

typedef enum { NC_HAN, NC_LATIN, NC_MARK, NC_DOT, NC_SPACE, NC_DIGIT, NC_OTHER } name_class;

/* Han script: the CJK Unified Ideographs and their extensions (planes 2
 * and 3 hold nothing else), the compatibility ideographs, and 〇. Radicals
 * and strokes are not characters of a name. */
static bool name_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

/* The class of code point c; *ascii gets what it is written as in the
 * register (0: as it is). */
static name_class name_class_of(uint32_t c, char *ascii)
{
    *ascii = 0;
    if (name_is_han(c))
        return NC_HAN;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF))
        return NC_LATIN;
    if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A)) {
        *ascii = (char)(c - 0xFEE0);
        return NC_LATIN;
    }
    if (c >= 0x300 && c <= 0x36F) /* a combining accent, as in a decomposed é */
        return NC_MARK;
    /* The dots clerks type for the one in 阿依古丽·买买提. */
    if (c == 0xB7 || c == 0x30FB || c == 0x2022 || c == 0x2027 || c == 0xFF0E || c == 0xFF65 ||
        c == 0x2219 || c == 0x22C5 || c == 0x387 || c == '.')
        return NC_DOT;
    if (c == ' ' || c == 0x3000 || c == 0xA0) {
        *ascii = ' ';
        return NC_SPACE;
    }
    if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
        return NC_DIGIT;
    return NC_OTHER;
}

/* Decode the code point at s (valid UTF-8: text_has_control checked it). */
static name_class name_next(const unsigned char *s, size_t *len, uint32_t *cp, char *ascii)
{
    *len = utf8_decode(s, cp);
    if (!*len) { /* not reached: the input was checked */
        *len = 1;
        *cp = 0xFFFD;
    }
    return name_class_of(*cp, ascii);
}

val_status val_person_name(const char *in, unsigned flags, size_t max_chars, char *out,
                           size_t outsz)
{
    if (out && outsz)
        out[0] = '\0';
    if (!in)
        return VAL_REQUIRED;
    if (text_has_control(in))
        return VAL_CONTROL;
    if (has_format_char(in))
        return VAL_FORMAT_CHAR;
    const unsigned char *s = (const unsigned char *)in;
    const unsigned char *e = s + strlen(in);
    size_t len;
    uint32_t cp;
    char ascii;
    /* Spaces at both ends are not part of the name. */
    while (s < e && name_next(s, &len, &cp, &ascii) == NC_SPACE)
        s += len;
    while (e > s) {
        const unsigned char *b = e - 1;
        while (b > s && (*b & 0xC0) == 0x80)
            b--;
        if (name_next(b, &len, &cp, &ascii) != NC_SPACE)
            break;
        e = b;
    }
    if (s == e)
        return VAL_REQUIRED;
    bool latin = flags & VAL_NAME_ALLOW_LATIN;
    size_t chars = 0;
    /* What the characters are, first: a digit or a letter is named
     * before where a space or a dot stands. */
    name_class prev = NC_OTHER;
    for (const unsigned char *p = s; p < e; p += len, chars++) {
        name_class k = name_next(p, &len, &cp, &ascii);
        if (k == NC_DIGIT)
            return VAL_NAME_DIGIT;
        if ((k == NC_LATIN || (k == NC_MARK && prev == NC_LATIN)) && !latin)
            return VAL_NAME_LATIN;
        if (k == NC_OTHER || (k == NC_MARK && prev != NC_LATIN))
            return latin ? VAL_NAME_CHARS_LATIN : VAL_NAME_CHARS;
        if (k != NC_MARK)
            prev = k;
    }
    if (max_chars && chars > max_chars)
        return VAL_TOO_LONG;
    /* Then where spaces and dots stand, writing the normalised name. */
    size_t o = 0;
    prev = NC_OTHER;
    for (const unsigned char *p = s; p < e; p += len) {
        name_class k = name_next(p, &len, &cp, &ascii);
        if (k == NC_MARK)
            k = NC_LATIN;
        if (k == NC_SPACE && prev == NC_HAN && (flags & VAL_NAME_JOIN_HAN)) {
            const unsigned char *q = p + len;
            size_t qlen;
            char qascii;
            uint32_t qcp;
            name_class after = NC_OTHER;
            while (q < e && (after = name_next(q, &qlen, &qcp, &qascii)) == NC_SPACE)
                q += qlen;
            if (q < e && after == NC_HAN)
                continue; /* padding: dropped */
        }
        if (k == NC_SPACE || k == NC_DOT) {
            size_t nlen;
            char nascii;
            uint32_t ncp;
            name_class next = p + len < e ? name_next(p + len, &nlen, &ncp, &nascii) : NC_OTHER;
            if (next == NC_MARK)
                next = NC_LATIN;
            bool letters = (prev == NC_HAN || prev == NC_LATIN) &&
                           (next == NC_HAN || next == NC_LATIN);
            if (k == NC_SPACE && !latin)
                return VAL_NAME_SPACE;
            if (k == NC_SPACE && (prev != NC_LATIN || next != NC_LATIN))
                return VAL_NAME_SPACE_LATIN;
            if (k == NC_DOT && next == NC_SPACE)
                return latin ? VAL_NAME_SPACE_LATIN : VAL_NAME_SPACE;
            if (k == NC_DOT && !letters)
                return VAL_NAME_DOT;
        }
        const char *w = (const char *)p;
        size_t wn = len;
        if (k == NC_DOT)
            w = "\xc2\xb7", wn = 2;
        else if (ascii)
            w = &ascii, wn = 1;
        if (out) {
            if (o + wn >= outsz)
                return VAL_TOO_LONG;
            memcpy(out + o, w, wn);
        }
        o += wn;
        prev = k;
    }
    if (out)
        out[o] = '\0';
    return VAL_OK;
}

val_status val_text(const char *in, size_t max_bytes)
{
    if (!in || !*in)
        return VAL_OK;
    if (text_has_control(in))
        return VAL_CONTROL;
    if (max_bytes && strlen(in) > max_bytes)
        return VAL_TOO_LONG;
    return VAL_OK;
}

val_status val_text_chars(const char *in, size_t max_chars, bool lines, size_t *chars)
{
    size_t n = 0;
    bool control = false;
    if (!in)
        in = "";
    if (!text_valid_utf8(in, strlen(in)))
        control = true;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
        /* C0, DEL and C1 (U+0080..U+009F is C2 80..C2 9F) */
        if ((*p < 0x20 && !(lines && *p == '\n')) || *p == 0x7F ||
            (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            control = true;
    }
    if (chars)
        *chars = n;
    if (control)
        return VAL_CONTROL;
    return max_chars && n > max_chars ? VAL_TOO_LONG : VAL_OK;
}

/* ---- masking ---------------------------------------------------------- */

/* Appends n bytes if they fit (with the NUL); false otherwise. */
static bool put(char *out, size_t outsz, size_t *o, const char *s, size_t n)
{
    if (*o + n >= outsz)
        return false;
    memcpy(out + *o, s, n);
    *o += n;
    out[*o] = '\0';
    return true;
}

/* Keep the first `head` and last `tail` code points of s, every other code
 * point becomes '*'. When s is shorter than head + tail + 1, all of it is
 * masked except the last `short_tail` code points. */
static void mask_middle(const char *s, size_t head, size_t tail, size_t short_tail, char *out,
                        size_t outsz)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            count++;
    if (count < head + tail + 1) {
        head = 0;
        tail = short_tail < count ? short_tail : 0;
    }
    size_t o = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = 1;
        while ((p[n] & 0xC0) == 0x80)
            n++;
        bool keep = i < head || i >= count - tail;
        if (!put(out, outsz, &o, keep ? (const char *)p : "*", keep ? n : 1))
            return;
        p += n;
        i++;
    }
}

void mask_id_number(const char *id, char *out, size_t outsz)
{
    if (!out || !outsz)
        return;
    out[0] = '\0';
    if (!id || !*id)
        return;
    mask_middle(id, 3, 4, 0, out, outsz);
}

void mask_birth_date(const char *date, char *out, size_t outsz)
{
    if (!out || !outsz)
        return;
    out[0] = '\0';
    if (!date || !*date)
        return;
    if (strlen(date) == 10 && date[4] == '-' && date[7] == '-')
        snprintf(out, outsz, "%.4s-**-**", date);
    else
        mask_middle(date, 0, 0, 0, out, outsz);
}

/* Mobile: 138****1234. Landline: area code kept, local number masked except
 * its last 2-4 digits (half of it), extension kept: 0832-****678-12. */
void mask_phone(const char *phone, char *out, size_t outsz)
{
    if (!out || !outsz)
        return;
    out[0] = '\0';
    if (!phone || !*phone)
        return;
    char norm[64];
    if (val_phone(phone, norm, sizeof norm) != VAL_OK) {
        mask_middle(phone, 3, 4, 2, out, outsz);
        return;
    }
    size_t o = 0;
    if (norm[0] == '1') {
        put(out, outsz, &o, norm, 3);
        put(out, outsz, &o, "****", 4);
        put(out, outsz, &o, norm + 7, 4);
        return;
    }
    const char *local = norm;
    if (norm[0] == '0') {
        local = strchr(norm, '-') + 1;
        if (!put(out, outsz, &o, norm, (size_t)(local - norm)))
            return;
    }
    const char *ext = strchr(local, '-');
    size_t len = ext ? (size_t)(ext - local) : strlen(local);
    size_t keep = len / 2;
    keep = keep < 2 ? 2 : keep > 4 ? 4 : keep;
    for (size_t i = 0; i < len - keep; i++)
        if (!put(out, outsz, &o, "*", 1))
            return;
    if (!put(out, outsz, &o, local + len - keep, keep))
        return;
    if (ext)
        put(out, outsz, &o, ext, strlen(ext));
}
