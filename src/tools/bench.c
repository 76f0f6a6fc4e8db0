/* Search benchmark: for each query class, queries drawn deterministically
 * from the register, the first page timed through search_query (what the
 * console, the pickers and `wushe search` use) and a naive LIKE '%q%' scan
 * over the same data timed in the same run: the register read in pinyin
 * order (by the residents_walk index, each row read from the table as the
 * list did before the search index) with each row tested, stopping at the
 * first page. */
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "search.h"
#include "station_internal.h"
#include "text_internal.h"
#include "wushe/text.h"

#define BENCH_PAGE 50
#define BENCH_QMAX 128

typedef enum {
    QC_CHINESE,
    QC_PINYIN,
    QC_INITIALS,
    QC_MIXED,
    QC_POLYPHONE,
    QC_TRADITIONAL,
    QC_FULLWIDTH,
    QC_DIGITS,
    QC_ADDRESS,
    QC_COUNT
} qclass_bench;

static const char *const bench_class_names[QC_COUNT] = {
    "chinese substring", "full pinyin", "initials", "mixed", "polyphonic surname",
    "traditional", "full-width", "digits", "address",
};

typedef struct sample {
    char name[192];
    char idn[24];
    char phone[40];
    char address[512];
} sample;

static uint64_t bench_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, dbl_cmp);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

double bench_clock_ms(void)
{
    return bench_now();
}

double bench_percentile(double *v, size_t n, double p)
{
    return pct(v, n, p);
}

void bench_table_row(FILE *out, const char *what, double *v, size_t n, double *naive, size_t nn)
{
    double p50 = pct(v, n, 0.5), p95 = pct(v, n, 0.95), n50 = pct(naive, nn, 0.5);
    fprintf(out, "%-36s %6zu %9.3f %9.3f %11.3f %7.0fx\n", what, n, p50, p95, n50,
            p50 > 0 ? n50 / p50 : 0);
}

/* A random living resident, optionally only those whose folded name starts
 * with one of the given surnames. */
static bool bench_sample(db *d, uint64_t *rng, int64_t maxseq, const char *glob, sample *out)
{
    sqlite3_stmt *q = glob
        ? db_prepare(d, "SELECT name, coalesce(id_number, ''), phone, address FROM residents"
                        " WHERE deleted_at IS NULL AND seq >= ?1 AND name_folded GLOB ?2"
                        " ORDER BY seq LIMIT 1")
        : db_prepare(d, "SELECT name, coalesce(id_number, ''), phone, address FROM residents"
                        " WHERE deleted_at IS NULL AND seq >= ?1 ORDER BY seq LIMIT 1");
    if (!q)
        return false;
    sqlite3_bind_int64(q, 1, (int64_t)(bench_rng(rng) % (uint64_t)maxseq) + 1);
    if (glob)
        sqlite3_bind_text(q, 2, glob, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(q) == SQLITE_ROW;
    if (ok) {
        db_column_copy(q, 0, out->name, sizeof out->name);
        db_column_copy(q, 1, out->idn, sizeof out->idn);
        db_column_copy(q, 2, out->phone, sizeof out->phone);
        db_column_copy(q, 3, out->address, sizeof out->address);
    }
    db_reset(q);
    return ok;
}

/* Code point offsets of s. */
static size_t bench_cps(const char *s, size_t *off, size_t max)
{
    size_t len = strlen(s), n = 0, i = 0;
    while (i < len && n < max) {
        uint32_t cp;
        off[n++] = i;
        i += text_utf8_next(s + i, len - i, &cp);
    }
    off[n] = i;
    return n;
}

static void bench_sub(const char *s, const size_t *off, size_t a, size_t k, char *out)
{
    memcpy(out, s + off[a], off[a + k] - off[a]);
    out[off[a + k] - off[a]] = '\0';
}

/* Simplified to traditional, for the traditional class. */
static void bench_hant(UTransliterator *t, const char *s, char *out, size_t outsz)
{
    UChar u[256];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, 255, &n, s, -1, &st);
    int32_t limit = n;
    if (U_SUCCESS(st) && t)
        utrans_transUChars(t, u, &n, 255, 0, &limit, &st);
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)outsz, NULL, u, n, &st);
    if (U_FAILURE(st))
        snprintf(out, outsz, "%.100s", s);
}

static const char *const bench_polyphones[] = {"单*", "曾*", "解*", "仇*", "朴*", "区*",
                                               "查*", "乐*", "覃*", "翟*", "尉迟*"};

static bool bench_make(db *d, qclass_bench c, size_t i, uint64_t *rng, int64_t maxseq,
                       UTransliterator *hant, char *q)
{
    sample s;
    const char *glob = c == QC_POLYPHONE ? bench_polyphones[i % 11] : NULL;
    if (!bench_sample(d, rng, maxseq, glob, &s) && !(glob && bench_sample(d, rng, 1, glob, &s)))
        return false;
    size_t off[65];
    size_t n = bench_cps(s.name, off, 64);
    text_pinyin py = {0};
    if (text_pinyin_name(s.name, &py) != WS_OK || !py.full)
        return false;
    bool ok = true;
    switch (c) {
    case QC_CHINESE: {
        size_t k = i % 2 ? 2 : 1;
        if (k > n)
            k = n;
        size_t a = n > k ? bench_rng(rng) % (n - k + 1) : 0;
        bench_sub(s.name, off, a, k, q);
        break;
    }
    case QC_PINYIN: {
        /* The surname's syllable, then part of the given name; with or
         * without a space between. */
        const char *sp = strchr(py.spaced, ' ');
        size_t sur = sp ? (size_t)(sp - py.spaced) : strlen(py.spaced);
        size_t extra = 1 + bench_rng(rng) % 3;
        size_t total = strlen(py.full);
        size_t take = sur + extra < total ? sur + extra : total;
        if (i % 2 && sp)
            snprintf(q, BENCH_QMAX, "%.*s %.*s", (int)sur, py.full, (int)(take - sur), py.full + sur);
        else
            snprintf(q, BENCH_QMAX, "%.*s", (int)take, py.full);
        break;
    }
    case QC_INITIALS:
        snprintf(q, BENCH_QMAX, "%.32s", py.initials);
        break;
    case QC_MIXED: {
        const char *sp = strchr(py.spaced, ' ');
        if (!sp || n < 2) {
            ok = false;
            break;
        }
        if (i % 2) {
            char sur[32];
            bench_sub(s.name, off, 0, 1, sur);
            snprintf(q, BENCH_QMAX, "%.31s%c", sur, sp[1]);
        } else {
            snprintf(q, BENCH_QMAX, "%.*s%c", (int)(sp - py.spaced), py.spaced, sp[1]);
        }
        break;
    }
    case QC_POLYPHONE:
        snprintf(q, BENCH_QMAX, "%.32s", i % 2 && py.alt_initials ? py.alt_initials : py.initials);
        break;
    case QC_TRADITIONAL:
        bench_hant(hant, s.name, q, BENCH_QMAX);
        break;
    case QC_FULLWIDTH: {
        /* Full-width letters: U+FF41.. for a..z. */
        size_t j = 0;
        for (const char *p = py.initials; *p && j + 4 < BENCH_QMAX; p++) {
            char enc[4];
            size_t k = text_utf8_encode(0xFF41u + (uint32_t)(*p - 'a'), enc);
            memcpy(q + j, enc, k);
            j += k;
        }
        q[j] = '\0';
        break;
    }
    case QC_DIGITS: {
        const char *src = i % 3 == 2 && s.phone[0] ? s.phone : s.idn;
        char digits[32];
        size_t k = 0;
        for (const char *p = src; *p && k + 1 < sizeof digits; p++)
            if ((*p >= '0' && *p <= '9') || *p == 'X')
                digits[k++] = *p;
        digits[k] = '\0';
        if (k < 6) {
            ok = false;
            break;
        }
        if (i % 3 == 1) /* the ID's last 4 or 6 */
            snprintf(q, BENCH_QMAX, "%.6s", digits + k - (i % 2 ? 4 : 6));
        else {
            size_t len = 4 + bench_rng(rng) % 3;
            size_t a = bench_rng(rng) % (k - len + 1);
            snprintf(q, BENCH_QMAX, "%.*s", (int)len, digits + a);
        }
        break;
    }
    case QC_ADDRESS: {
        size_t ao[129];
        size_t an = bench_cps(s.address, ao, 128);
        if (an < 4) {
            ok = false;
            break;
        }
        size_t a = bench_rng(rng) % (an - 3);
        bench_sub(s.address, ao, a, 3, q);
        break;
    }
    default:
        ok = false;
    }
    text_pinyin_clear(&py);
    return ok && q[0];
}

static ws_status bench_naive(db *d, qclass_bench c, const char *q, double *ms)
{
    sqlite3_stmt *st = c == QC_ADDRESS
        ? db_prepare(d, "SELECT r.id FROM residents o INDEXED BY residents_walk"
                        " CROSS JOIN residents r ON r.id = o.id WHERE o.deleted_at IS NULL"
                        " AND r.address LIKE ?1 ORDER BY o.sort_key, o.id LIMIT 50")
        : db_prepare(d, "SELECT r.id FROM residents o INDEXED BY residents_walk"
                        " CROSS JOIN residents r ON r.id = o.id WHERE o.deleted_at IS NULL"
                        " AND r.search_text LIKE ?1 ORDER BY o.sort_key, o.id LIMIT 50");
    if (!st)
        return db_status(d);
    char pat[BENCH_QMAX + 3];
    snprintf(pat, sizeof pat, "%%%s%%", q);
    sqlite3_bind_text(st, 1, pat, -1, SQLITE_TRANSIENT);
    double t0 = bench_now();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    *ms = bench_now() - t0;
    db_reset(st);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status bench_search(station *st, const bench_opts *o)
{
    db *d = station_db(st);
    FILE *out = o->out ? o->out : stdout;
    size_t nq = o->queries ? o->queries : 200, nn = o->naive ? o->naive : 20;
    int64_t maxseq = 0;
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(max(seq), 0) FROM residents");
    if (q && sqlite3_step(q) == SQLITE_ROW)
        maxseq = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (maxseq <= 0)
        return WS_ERR_NOT_FOUND;
    UErrorCode ue = U_ZERO_ERROR;
    UChar id[16];
    u_uastrcpy(id, "Hans-Hant");
    UTransliterator *hant = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ue);
    double *ours = malloc(nq * sizeof *ours), *naive = malloc(nn * sizeof *naive);
    char (*slow_q)[BENCH_QMAX] = getenv("WUSHE_BENCH_SLOW") ? calloc(nq, BENCH_QMAX) : NULL;
    int64_t ids[BENCH_PAGE];
    ws_status s = ours && naive ? WS_OK : WS_ERR_NOMEM;
    fprintf(out, "%-20s %8s %8s %8s %10s %8s %6s\n", "class", "queries", "p50 ms", "p95 ms",
            "naive p50", "ratio", "hits");
    bool all_ok = true;
    const char *only = getenv("WUSHE_BENCH_CLASS"); /* one class, when profiling */
    for (int c = 0; s == WS_OK && c < QC_COUNT; c++) {
        if (only && !strstr(bench_class_names[c], only))
            continue;
        uint64_t rng = 2026u + (uint64_t)c * 7919u;
        size_t made = 0, naive_n = 0, hits = 0;
        for (size_t i = 0; s == WS_OK && made < nq && i < nq * 4; i++) {
            char text[BENCH_QMAX];
            if (!bench_make(d, (qclass_bench)c, i, &rng, maxseq, hant, text))
                continue;
            size_t n = 0;
            double t0 = bench_now();
            s = search_query(d, text, 0, 1, ids, BENCH_PAGE, &n);
            if (slow_q)
                snprintf(slow_q[made], BENCH_QMAX, "%s", text);
            ours[made++] = bench_now() - t0;
            hits += n > 0;
            if (s == WS_OK && naive_n < nn)
                s = bench_naive(d, (qclass_bench)c, text, &naive[naive_n++]);
        }
        if (getenv("WUSHE_BENCH_SLOW")) {
            /* The slowest queries, to see what the tail is made of. */
            for (size_t k = 0; k < made; k++)
                if (ours[k] > atof(getenv("WUSHE_BENCH_SLOW")))
                    fprintf(out, "  slow %.3f ms: %s\n", ours[k], slow_q[k]);
        }
        double p50 = pct(ours, made, 0.5), p95 = pct(ours, made, 0.95);
        double n50 = pct(naive, naive_n, 0.5);
        double ratio = p50 > 0 ? n50 / p50 : 0;
        fprintf(out, "%-20s %8zu %8.3f %8.3f %10.3f %7.0fx %5zu%%\n", bench_class_names[c],
                made, p50, p95, n50, ratio, made ? hits * 100 / made : 0);
        all_ok = all_ok && made > 0;
    }
    utrans_close(hant);
    free(ours);
    free(naive);
    free(slow_q);
    return s == WS_OK && !all_ok ? WS_ERR_NOT_FOUND : s;
}
