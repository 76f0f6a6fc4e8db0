/* Text handling on ICU: widths, fitting, sanitising, pinyin, sort keys and
 * search folding. ICU objects are opened lazily on first use and kept until
 * text_shutdown(); none of this is thread-safe (the program is single-threaded
 * where text is concerned). */
#include "wushe/text.h"
#include "text_internal.h"
#include "text_tables.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#define REPLACEMENT_CP 0xFFFDu

/* ------------------------------------------------------------------ UTF-8 */

size_t text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    size_t n;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07u, min = 0x10000;
    } else {
        goto bad;
    }
    if (len < n)
        goto bad;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        goto bad;
    *cp = v;
    return n;
bad:
    /* One byte at a time, so each invalid byte gets its own replacement. */
    *cp = TEXT_INVALID_CP;
    return 1;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool text_valid_utf8(const char *s, size_t len)
{
    if (!s)
        return len == 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(s + i, len - i, &cp);
        if (cp == TEXT_INVALID_CP)
            return false;
    }
    return true;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

bool text_has_control(const char *s)
{
    if (!s)
        return false;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(s + i, len - i, &cp);
        if (cp == TEXT_INVALID_CP || is_control(cp))
            return true;
    }
    return false;
}

/* What the terminal is shown for a decoded code point (see text_sanitize). */
static UChar32 visible_cp(uint32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return ' ';
    if (cp == TEXT_INVALID_CP || is_control(cp))
        return (UChar32)REPLACEMENT_CP;
    return (UChar32)cp;
}

char *text_sanitize(const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    /* Worst case: every byte is invalid and becomes a 3-byte U+FFFD. */
    char *out = malloc(3 * len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);
        UChar32 v = visible_cp(cp);
        if ((uint32_t)v == cp) {
            memcpy(out + o, s + i, n); /* unchanged: copy the original bytes */
            o += n;
        } else {
            o += text_utf8_encode((uint32_t)v, out + o);
        }
        i += n;
    }
    out[o] = '\0';
    return out;
}

/* ------------------------------------------------------------------ width */

/* Columns of one (already sanitised) code point. Ranges checked first are
 * the common ones, so that Chinese and Latin text needs no property lookup. */
static int cp_width(UChar32 c)
{
    if (c < 0x300)
        return 1; /* Latin; U+00AD too, since glibc's wcwidth gives it 1 */
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3))
        return 2;
    if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
        return 0; /* joiner and variation selectors */
    /* Where glibc's wcwidth (hence ncursesw) disagrees with the properties
     * below, follow glibc: it decides what the terminal cursor does. */
    if ((c >= 0x3248 && c <= 0x324F) || (c >= 0x4DC0 && c <= 0x4DFF))
        return 2;
    int8_t gc = u_charType(c);
    if (gc == U_FORMAT_CHAR && u_hasBinaryProperty(c, UCHAR_PREPENDED_CONCATENATION_MARK))
        return 1; /* Arabic number signs are visible */
    if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR)
        return 0;
    int hst = u_getIntPropertyValue(c, UCHAR_HANGUL_SYLLABLE_TYPE);
    if (hst == U_HST_VOWEL_JAMO || hst == U_HST_TRAILING_JAMO)
        return 0; /* conjoining jamo join the leading consonant's cell */
    int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH)
        return 2;
    if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION))
        return 2;
    return 1;
}

/* Code points that never join a neighbour into a grapheme cluster (grapheme
 * break property Other/Control, no Hangul jamo, marks, joiners or regional
 * indicators). A string made only of these needs no break iterator. */
static bool is_simple_cp(UChar32 c)
{
    return (c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c < 0x300) ||
           (c >= 0x2010 && c < 0x2028) || (c >= 0x3000 && c < 0x302A) ||
           (c >= 0x3030 && c < 0x3040) || (c >= 0x3041 && c < 0x3097) ||
           (c >= 0x30A0 && c < 0x3100) || (c >= 0x4E00 && c < 0xA000) ||
           (c >= 0xAC00 && c < 0xD7A4) || (c >= 0xFF01 && c < 0xFF61) ||
           c == (UChar32)REPLACEMENT_CP;
}

static bool all_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static bool all_printable_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7F)
            return false;
    return true;
}

/* Called for each grapheme: its bytes in the original string, its sanitised
 * UTF-16 content and its width. Returns false to stop the walk. */
typedef bool (*grapheme_fn)(void *ctx, size_t off, size_t len, const UChar *u, int32_t ulen,
                            int width);

static UBreakIterator *g_char_iter;
static bool g_char_iter_failed;

/* The cached character break iterator, opened on first use. */
static UBreakIterator *char_iter(void)
{
    if (!g_char_iter && !g_char_iter_failed) {
        UErrorCode st = U_ZERO_ERROR;
        g_char_iter = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &st);
        if (U_FAILURE(st)) {
            ubrk_close(g_char_iter);
            g_char_iter = NULL;
            g_char_iter_failed = true;
        }
    }
    return g_char_iter;
}

/* Every code point is its own grapheme: exact for simple strings, and the
 * degraded fallback when ICU or memory is unavailable. */
static void walk_codepoints(const char *s, size_t len, grapheme_fn fn, void *ctx)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_next(s + i, len - i, &cp);
        UChar32 v = visible_cp(cp);
        UChar u[2];
        int32_t ul = 0;
        U16_APPEND_UNSAFE(u, ul, v);
        if (!fn(ctx, i, n, u, ul, cp_width(v)))
            return;
        i += n;
    }
}

static int cluster_width(const UChar *u, int32_t n)
{
    int w = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        int cw = cp_width(c);
        if (cw > w)
            w = cw;
    }
    return w;
}

#define SEG_STACK 256

/* Sanitised UTF-16 copy of a string with the byte offset of every unit. */
typedef struct seg {
    UChar *u;
    size_t *off; /* n + 1 entries */
    int32_t n;
    UChar ubuf[SEG_STACK];
    size_t obuf[SEG_STACK + 1];
} seg;

static bool seg_init(seg *g, const char *s, size_t len)
{
    /* A UTF-8 string never has more UTF-16 units than bytes. */
    if (len > INT32_MAX / 2)
        return false;
    g->u = g->ubuf;
    g->off = g->obuf;
    if (len > SEG_STACK) {
        g->u = malloc(len * sizeof *g->u);
        g->off = malloc((len + 1) * sizeof *g->off);
        if (!g->u || !g->off) {
            free(g->u);
            free(g->off);
            return false;
        }
    }
    int32_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = text_utf8_next(s + i, len - i, &cp);
        UChar32 v = visible_cp(cp);
        g->off[n] = i;
        if (U16_LENGTH(v) == 2)
            g->off[n + 1] = i;
        U16_APPEND_UNSAFE(g->u, n, v);
        i += k;
    }
    g->off[n] = len;
    g->n = n;
    return true;
}

static void seg_free(seg *g)
{
    if (g->u != g->ubuf)
        free(g->u);
    if (g->off != g->obuf)
        free(g->off);
}

static bool walk_icu(const char *s, size_t len, grapheme_fn fn, void *ctx)
{
    UBreakIterator *bi = char_iter();
    seg g;
    if (!bi || !seg_init(&g, s, len))
        return false;
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, g.u, g.n, &st);
    if (U_FAILURE(st)) {
        seg_free(&g);
        return false;
    }
    int32_t a = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
        const UChar *u = g.u + a;
        if (!fn(ctx, g.off[a], g.off[b] - g.off[a], u, b - a, cluster_width(u, b - a)))
            break;
    }
    seg_free(&g);
    return true;
}

static bool needs_icu(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(s + i, len - i, &cp);
        if (!is_simple_cp(visible_cp(cp)))
            return true;
    }
    return false;
}

/* Call fn for each grapheme cluster of s[0..len) as drawn after sanitising. */
static void walk_graphemes(const char *s, size_t len, grapheme_fn fn, void *ctx)
{
    if (needs_icu(s, len) && walk_icu(s, len, fn, ctx))
        return;
    walk_codepoints(s, len, fn, ctx);
}

static bool add_width(void *ctx, size_t off, size_t len, const UChar *u, int32_t ulen, int w)
{
    (void)off, (void)len, (void)u, (void)ulen;
    long *total = ctx;
    *total += w;
    return true;
}

static int clamp_int(long v)
{
    return v > INT32_MAX ? INT32_MAX : (int)v;
}

int text_width(const char *s)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    /* ASCII: every byte is one column, controls included (they show as U+FFFD
     * or a space), and no two ASCII bytes after sanitising form a cluster. */
    if (all_ascii(s, len))
        return len > INT32_MAX ? INT32_MAX : (int)len;
    long total = 0;
    walk_graphemes(s, len, add_width, &total);
    return clamp_int(total);
}

/* ----------------------------------------------------------------- fitting */

typedef struct fit_ctx {
    char *out;
    size_t outsz, used;
    int cols, col;
    bool pad;
} fit_ctx;

static size_t utf16_utf8_len(const UChar *u, int32_t n)
{
    size_t bytes = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return bytes;
}

/* A cluster that ends in a Prepend character (U+0605 with nothing after it
 * in the string) would swallow whatever is drawn next, the padding
 * included, and lose a column: it is shown as one replacement character. */
static bool dangling_prepend(const UChar *u, int32_t ulen)
{
    UChar32 c;
    int32_t i = ulen;
    if (ulen <= 0)
        return false;
    U16_PREV(u, 0, i, c);
    return u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK) == U_GCB_PREPEND;
}

static bool fit_one(void *ctx, size_t off, size_t len, const UChar *u, int32_t ulen, int w)
{
    fit_ctx *f = ctx;
    (void)off, (void)len;
    static const UChar replacement[1] = {(UChar)REPLACEMENT_CP};
    if (dangling_prepend(u, ulen)) {
        u = replacement;
        ulen = 1;
        w = 1;
    }
    if (f->col + w > f->cols) {
        /* A wide grapheme straddling the edge: show a space in its place. */
        if (f->col < f->cols && f->used + 2 <= f->outsz) {
            f->out[f->used++] = ' ';
            f->col++;
        }
        return false;
    }
    size_t need = utf16_utf8_len(u, ulen);
    size_t pad_after = f->pad ? (size_t)(f->cols - f->col - w) : 0;
    /* Stop early rather than overflow (many combining marks, say), keeping
     * room for the padding and the NUL. */
    if (f->used + need + pad_after + 1 > f->outsz)
        return false;
    for (int32_t i = 0; i < ulen;) {
        UChar32 c;
        U16_NEXT(u, i, ulen, c);
        f->used += text_utf8_encode((uint32_t)c, f->out + f->used);
    }
    f->col += w;
    return true;
}

int text_fit(const char *s, int cols, bool pad, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return 0;
    out[0] = '\0';
    if (cols <= 0)
        return 0;
    if (!s)
        s = "";
    size_t len = strlen(s);
    fit_ctx f = { .out = out, .outsz = outsz, .cols = cols, .pad = pad };
    if (all_printable_ascii(s, len)) {
        size_t n = len < (size_t)cols ? len : (size_t)cols;
        if (n > outsz - 1)
            n = outsz - 1;
        memcpy(out, s, n);
        f.used = n;
        f.col = (int)n;
    } else {
        walk_graphemes(s, len, fit_one, &f);
    }
    while (f.pad && f.col < cols && f.used + 1 < outsz) {
        out[f.used++] = ' ';
        f.col++;
    }
    out[f.used] = '\0';
    return f.col;
}

int text_fit_marked(const char *s, int cols, bool pad, char *out, size_t outsz)
{
    if (!s)
        s = "";
    if (!out || outsz == 0 || cols < 2 || text_width(s) <= cols)
        return text_fit(s, cols, pad, out, outsz);
    /* What fits before the mark: whole graphemes only, so a wide one at
     * the edge is left out rather than shown as a space before the mark. */
    size_t keep = text_prefix_bytes(s, cols - 1);
    char stackbuf[1024];
    char *head = keep < sizeof stackbuf ? stackbuf : malloc(keep + 1);
    if (!head)
        return text_fit(s, cols, pad, out, outsz);
    memcpy(head, s, keep);
    head[keep] = '\0';
    int col = text_fit(head, cols - 1, false, out, outsz);
    if (head != stackbuf)
        free(head);
    static const char mark[] = "\xE2\x80\xA6"; /* U+2026 … */
    size_t used = strlen(out);
    size_t pad_after = pad ? (size_t)(cols - col - 1) : 0;
    if (used + sizeof mark - 1 + pad_after + 1 <= outsz) {
        memcpy(out + used, mark, sizeof mark - 1);
        used += sizeof mark - 1;
        col++;
    }
    while (pad && col < cols && used + 1 < outsz) {
        out[used++] = ' ';
        col++;
    }
    out[used] = '\0';
    return col;
}

typedef struct prefix_ctx {
    int cols, col;
    size_t end;
} prefix_ctx;

static bool prefix_one(void *ctx, size_t off, size_t len, const UChar *u, int32_t ulen, int w)
{
    prefix_ctx *p = ctx;
    (void)u, (void)ulen;
    if (p->col + w > p->cols)
        return false;
    p->col += w;
    p->end = off + len;
    return true;
}

char *text_elide_middle(const char *s, int cols)
{
    if (!s)
        s = "";
    int w = text_width(s);
    if (w <= cols || cols < 5)
        return strdup(s);
    /* The end keeps a third: a file's 初稿.csv, its extension. */
    int tail = (cols - 1) / 3, head = cols - 1 - tail;
    size_t hb = text_prefix_bytes(s, head);
    /* Whole graphemes from where the last `tail` columns begin. */
    size_t tb = text_prefix_bytes(s, w - tail + 1);
    if (text_width(s + tb) > tail)
        tb = text_prefix_bytes(s, w - tail + 2);
    if (tb < hb)
        tb = hb;
    size_t tl = strlen(s + tb);
    char *out = malloc(hb + 3 + tl + 1);
    if (!out)
        return NULL;
    memcpy(out, s, hb);
    memcpy(out + hb, "\xE2\x80\xA6", 3); /* U+2026 … */
    memcpy(out + hb + 3, s + tb, tl + 1);
    return out;
}

size_t text_prefix_bytes(const char *s, int cols)
{
    if (!s || cols <= 0)
        return 0;
    size_t len = strlen(s);
    if (all_ascii(s, len))
        return len < (size_t)cols ? len : (size_t)cols;
    prefix_ctx p = { .cols = cols };
    walk_graphemes(s, len, prefix_one, &p);
    return p.end;
}

typedef struct collect_ctx {
    text_grapheme *v;
    size_t n, cap;
    int col;
    bool oom;
} collect_ctx;

static bool collect_one(void *ctx, size_t off, size_t len, const UChar *u, int32_t ulen, int w)
{
    collect_ctx *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        text_grapheme *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return false;
        }
        c->v = v;
        c->cap = cap;
    }
    UChar32 first;
    int32_t i = 0;
    U16_NEXT(u, i, ulen, first);
    c->v[c->n++] = (text_grapheme){ .off = off, .len = len, .col = c->col, .width = w,
                                    .cp = (uint32_t)first };
    c->col += w;
    return true;
}

bool text_graphemes(const char *s, size_t len, text_grapheme **out, size_t *count)
{
    collect_ctx c = { 0 };
    if (s && len)
        walk_graphemes(s, len, collect_one, &c);
    if (c.oom) {
        free(c.v);
        *out = NULL;
        *count = 0;
        return false;
    }
    *out = c.v;
    *count = c.n;
    return true;
}

/* ------------------------------------------------------------ ICU helpers */

/* UTF-8 to a malloc'd, NUL-terminated UTF-16 string; invalid bytes become
 * U+FFFD. NULL when out of memory. */
static UChar *u16_from_utf8(const char *s, int32_t *n)
{
    size_t len = strlen(s);
    if (len > INT32_MAX / 2)
        return NULL;
    /* Never more UTF-16 units than UTF-8 bytes, so one pass suffices. */
    UChar *u = malloc((len + 1) * sizeof *u);
    if (!u)
        return NULL;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, (int32_t)len + 1, n, s, (int32_t)len, REPLACEMENT_CP, NULL, &st);
    if (U_FAILURE(st)) {
        free(u);
        return NULL;
    }
    return u;
}

static char *utf8_from_u16(const UChar *u, int32_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8WithSub(NULL, 0, &need, u, n, REPLACEMENT_CP, NULL, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return NULL;
    char *out = malloc((size_t)need + 1);
    if (!out)
        return NULL;
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(out, need + 1, NULL, u, n, REPLACEMENT_CP, NULL, &st);
    if (U_FAILURE(st)) {
        free(out);
        return NULL;
    }
    return out;
}

/* ----------------------------------------------------------------- pinyin */

/* The reading of c (text_tables.h: read from ICU at build time), NULL
 * when it has none. Always true: nothing to allocate. */
static bool py_lookup(UChar32 c, const char **out)
{
    *out = pinyin_reading(c);
    return true;
}

static bool is_han(UChar32 c)
{
    return pinyin_is_han(c);
}

/* A growable string; `oom` is sticky so callers check once at the end. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Pinyin being built: every syllable goes to all three strings. */
typedef struct pybuild {
    sbuf full, spaced, initials;
    bool in_run; /* inside a run of ASCII letters/digits */
} pybuild;

static void pb_begin(pybuild *b, char first)
{
    if (b->spaced.len)
        sb_put(&b->spaced, " ", 1);
    sb_put(&b->initials, &first, 1);
}

static void pb_more(pybuild *b, const char *s, size_t n)
{
    sb_put(&b->full, s, n);
    sb_put(&b->spaced, s, n);
}

static void pb_syllable(pybuild *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    pb_begin(b, s[0]);
    pb_more(b, s, n);
    b->in_run = false;
}

/* Append ASCII letters/digits to the current run (one syllable per run). */
static void pb_run(pybuild *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (!b->in_run)
        pb_begin(b, s[0]);
    pb_more(b, s, n);
    b->in_run = true;
}

/* Full-width ASCII forms (U+FF01..U+FF5E) to ASCII. */
static UChar32 fold_fullwidth(UChar32 c)
{
    return (c >= 0xFF01 && c <= 0xFF5E) ? c - 0xFEE0 : c;
}

static bool is_ascii_alnum(UChar32 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Add one code point of the input to the pinyin. False on OOM. */
static bool pb_codepoint(pybuild *b, uint32_t cp)
{
    if (cp == TEXT_INVALID_CP) {
        b->in_run = false;
        return true;
    }
    UChar32 c = fold_fullwidth((UChar32)cp);
    if (is_ascii_alnum(c)) {
        char ch = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        pb_run(b, &ch, 1);
        return true;
    }
    int8_t gc = u_charType(c);
    if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK)
        return true; /* decomposed accents: keep the run going */
    const char *r;
    if (is_han(c)) {
        if (!py_lookup(c, &r))
            return false;
        if (r)
            pb_syllable(b, r, strlen(r));
        else
            b->in_run = false;
        return true;
    }
    if (u_isalpha(c)) {
        /* Other letters (é, ß) join the run when Latin-ASCII gives ASCII. */
        if (!py_lookup(c, &r))
            return false;
        if (r) {
            pb_run(b, r, strlen(r));
            return true;
        }
    }
    b->in_run = false;
    return true;
}

static bool pb_text(pybuild *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += text_utf8_next(s + i, len - i, &cp);
        if (!pb_codepoint(b, cp))
            return false;
    }
    return true;
}

static void pb_free(pybuild *b)
{
    free(b->full.s);
    free(b->spaced.s);
    free(b->initials.s);
}

/* Move the built strings into out (empty strings rather than NULL). */
static ws_status pb_finish(pybuild *b, bool ok, text_pinyin *out)
{
    sb_put(&b->full, "", 0);
    sb_put(&b->spaced, "", 0);
    sb_put(&b->initials, "", 0);
    if (!ok || b->full.oom || b->spaced.oom || b->initials.oom) {
        pb_free(b);
        return WS_ERR_NOMEM;
    }
    out->full = b->full.s;
    out->spaced = b->spaced.s;
    out->initials = b->initials.s;
    return WS_OK;
}

/* Surname readings that differ from (or might differ from) ICU's reading of
 * the character. Syllables are space-separated. */
typedef struct surname {
    const char *han;
    const char *py;
    /* For the sort key: a character that the pinyin collator files under
     * the surname reading (曾 sorts as zeng, not ceng); NULL when the
     * collator's own reading is already the surname's. */
    const char *sort_as;
} surname;

static const surname compound_surnames[] = {
    {"尉迟", "yu chi", "玉"}, {"长孙", "zhang sun", "掌"}, {"万俟", "mo qi", "莫"},
    {"单于", "chan yu", "禅"}, {"澹台", "tan tai", NULL}, {"乐正", "yue zheng", NULL},
    {"仉督", "zhang du", NULL}, {"拓跋", "tuo ba", NULL},
};

static const surname single_surnames[] = {
    {"单", "shan", "善"}, {"曾", "zeng", "增"}, {"解", "xie", "谢"}, {"仇", "qiu", "求"},
    {"朴", "piao", "瓢"}, {"区", "ou", "欧"}, {"查", "zha", "扎"}, {"乐", "yue", "岳"},
    {"覃", "qin", "秦"}, {"翟", "zhai", "宅"}, {"盖", "ge", "葛"}, {"缪", "miao", "妙"},
    {"召", "shao", "邵"}, {"种", "chong", "崇"}, {"秘", "bi", "必"}, {"黑", "he", "贺"},
    {"繁", "po", NULL}, {"员", "yun", NULL}, {"句", "gou", NULL}, {"禚", "zhuo", NULL},
    {"谌", "chen", NULL}, {"阚", "kan", NULL}, {"隗", "wei", NULL}, {"逄", "pang", NULL},
    {"宓", "mi", NULL}, {"都", "du", NULL}, {"柏", "bai", NULL}, {"薄", "bo", NULL},
    {"费", "fei", NULL}, {"华", "hua", NULL}, {"过", "guo", NULL}, {"纪", "ji", NULL},
    {"那", "na", NULL}, {"佘", "she", NULL}, {"冼", "xian", NULL}, {"洗", "xian", NULL},
    {"任", "ren", NULL}, {"燕", "yan", NULL}, {"尉", "yu", NULL}, {"阿", "a", NULL},
    {"重", "chong", NULL}, {"蕃", "pi", NULL}, {"尚", "shang", NULL}, {"朝", "chao", NULL},
    {"褚", "chu", NULL}, {"乜", "nie", NULL}, {"粘", "nian", NULL}, {"蔚", "yu", NULL},
    {"莘", "shen", NULL}, {"乘", "sheng", NULL}, {"番", "pan", NULL}, {"藏", "zang", NULL},
    {"折", "she", NULL}, {"长", "chang", NULL}, {"贲", "ben", NULL},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const surname *find_surname(const surname *tab, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(tab[i].han);
        if (strncmp(s, tab[i].han, k) == 0)
            return &tab[i];
    }
    return NULL;
}

/* Two-character surnames are checked before single ones. */
static const surname *match_surname(const char *name)
{
    const surname *s = find_surname(compound_surnames, COUNT(compound_surnames), name);
    return s ? s : find_surname(single_surnames, COUNT(single_surnames), name);
}

static ws_status pinyin_plain(const char *s, text_pinyin *out)
{
    pybuild b = { 0 };
    bool ok = pb_text(&b, s, strlen(s));
    return pb_finish(&b, ok, out);
}

ws_status text_pinyin_text(const char *s, text_pinyin *out)
{
    if (!out)
        return WS_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!s)
        return WS_ERR_INVALID;
    return pinyin_plain(s, out);
}

ws_status text_pinyin_name(const char *name, text_pinyin *out)
{
    if (!out)
        return WS_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!name)
        return WS_ERR_INVALID;
    const char *p = name;
    while (*p == ' ' || *p == '\t')
        p++;
    const surname *sn = match_surname(p);
    if (!sn)
        return pinyin_plain(name, out);

    pybuild b = { 0 };
    for (const char *syl = sn->py; *syl;) {
        size_t k = strcspn(syl, " ");
        pb_syllable(&b, syl, k);
        syl += k + (syl[k] == ' ');
    }
    const char *rest = p + strlen(sn->han);
    ws_status st = pb_finish(&b, pb_text(&b, rest, strlen(rest)), out);
    if (st != WS_OK)
        return st;

    /* The common (ICU) reading stays searchable as the alternative. */
    text_pinyin alt = { 0 };
    st = pinyin_plain(name, &alt);
    if (st != WS_OK) {
        text_pinyin_clear(out);
        return st;
    }
    if (strcmp(alt.full, out->full) != 0) {
        out->alt_full = alt.full;
        out->alt_initials = alt.initials;
        alt.full = alt.initials = NULL;
    }
    text_pinyin_clear(&alt);
    return WS_OK;
}

void text_pinyin_clear(text_pinyin *p)
{
    if (!p)
        return;
    free(p->full);
    free(p->spaced);
    free(p->initials);
    free(p->alt_full);
    free(p->alt_initials);
    memset(p, 0, sizeof *p);
}

bool text_names_alike(const char *a, const char *b)
{
    char *fa = text_fold(a ? a : ""), *fb = text_fold(b ? b : "");
    bool alike = fa && fb && !strcmp(fa, fb);
    if (fa && fb && !alike) {
        text_pinyin pa = {0}, pb = {0};
        if (text_pinyin_name(fa, &pa) == WS_OK && text_pinyin_name(fb, &pb) == WS_OK &&
            pa.full && pb.full)
            alike = !strcmp(pa.full, pb.full);
        text_pinyin_clear(&pa);
        text_pinyin_clear(&pb);
    }
    free(fa);
    free(fb);
    return alike;
}

/* -------------------------------------------------------------- sort keys */

static UCollator *g_coll;
static bool g_coll_failed;

static UCollator *collator(void)
{
    if (!g_coll && !g_coll_failed) {
        UErrorCode st = U_ZERO_ERROR;
        g_coll = ucol_open("zh@collation=pinyin", &st);
        /* "2号" before "10号": compare digit runs by value. */
        if (U_SUCCESS(st))
            ucol_setAttribute(g_coll, UCOL_NUMERIC_COLLATION, UCOL_ON, &st);
        if (U_FAILURE(st)) {
            ucol_close(g_coll);
            g_coll = NULL;
            g_coll_failed = true;
        }
    }
    return g_coll;
}

/* The key includes ICU's terminating zero byte, so memcmp over the shorter
 * length always decides between two different keys. */
static ws_status sort_key_u16(UCollator *coll, const UChar *u, int32_t n, unsigned char **key,
                              size_t *len)
{
    uint8_t small[256];
    int32_t need = ucol_getSortKey(coll, u, n, small, (int32_t)sizeof small);
    if (need <= 0)
        return WS_ERR_INVALID;
    unsigned char *k = malloc((size_t)need);
    if (!k)
        return WS_ERR_NOMEM;
    if (need <= (int32_t)sizeof small)
        memcpy(k, small, (size_t)need);
    else
        ucol_getSortKey(coll, u, n, k, need);
    *key = k;
    *len = (size_t)need;
    return WS_OK;
}

ws_status text_sort_key(const char *s, unsigned char **key, size_t *len)
{
    if (!key || !len)
        return WS_ERR_INVALID;
    *key = NULL;
    *len = 0;
    if (!s)
        return WS_ERR_INVALID;
    UCollator *coll = collator();
    if (!coll)
        return WS_ERR_INVALID;

    UChar small[128];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8WithSub(small, (int32_t)(sizeof small / sizeof small[0]), &n, s, -1,
                         REPLACEMENT_CP, NULL, &st);
    if (U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING)
        return sort_key_u16(coll, small, n, key, len);

    UChar *u = u16_from_utf8(s, &n);
    if (!u)
        return WS_ERR_NOMEM;
    ws_status ret = sort_key_u16(coll, u, n, key, len);
    free(u);
    return ret;
}

ws_status text_name_sort_key(const char *name, unsigned char **key, size_t *len)
{
    /* Traditional and full-width forms sort as what they fold to (單 as 单). */
    char *folded = text_fold(name ? name : "");
    if (!folded)
        return WS_ERR_NOMEM;
    const char *p = folded;
    while (*p == ' ' || *p == '\t')
        p++;
    const surname *sn = match_surname(p);
    ws_status st;
    if (!sn || !sn->sort_as) {
        st = text_sort_key(p, key, len);
    } else {
        /* The first character stands in for the surname's reading. */
        uint32_t cp;
        size_t first = text_utf8_next(p, strlen(p), &cp);
        size_t n = strlen(sn->sort_as) + strlen(p + first) + 1;
        char *tmp = malloc(n);
        if (!tmp) {
            free(folded);
            return WS_ERR_NOMEM;
        }
        snprintf(tmp, n, "%s%s", sn->sort_as, p + first);
        st = text_sort_key(tmp, key, len);
        free(tmp);
    }
    free(folded);
    return st;
}

/* ---------------------------------------------------------------- folding */

/* NFKC-normalise a malloc'd buffer, replacing it. */
static bool nfkc_buf(UChar **u, int32_t *n)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st))
        return false;
    if (unorm2_isNormalized(nfkc, *u, *n, &st) && U_SUCCESS(st))
        return true;
    st = U_ZERO_ERROR;
    int32_t need = unorm2_normalize(nfkc, *u, *n, NULL, 0, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return false;
    UChar *out = malloc(((size_t)need + 1) * sizeof *out);
    if (!out)
        return false;
    st = U_ZERO_ERROR;
    unorm2_normalize(nfkc, *u, *n, out, need + 1, &st);
    if (U_FAILURE(st)) {
        free(out);
        return false;
    }
    free(*u);
    *u = out;
    *n = need;
    return true;
}

/* Simplified form of one Han character (text_tables.h), code point by
 * code point: what names and addresses need, and fast at every save and
 * every keystroke. */
static UChar32 hans_map(UChar32 c)
{
    return c < 0x2E80 || !is_han(c) ? c : hans_simplified(c);
}

char *text_fold(const char *s)
{
    if (!s)
        s = "";
    int32_t n = 0;
    UChar *u = u16_from_utf8(s, &n);
    if (!u)
        return NULL;
    char *out = NULL;
    if (nfkc_buf(&u, &n)) {
        /* Simplified and lower case, code point by code point, in place:
         * both mappings keep a BMP character in the BMP. */
        UChar *w = malloc(((size_t)n * 2 + 1) * sizeof *w);
        int32_t m = 0;
        for (int32_t i = 0; w && i < n;) {
            UChar32 c;
            U16_NEXT(u, i, n, c);
            c = u_tolower(hans_map(c));
            U16_APPEND_UNSAFE(w, m, c);
        }
        if (w)
            out = utf8_from_u16(w, m);
        free(w);
    }
    free(u);
    return out;
}

/* ----------------------------------------------------------------- warm */

void text_warm(void)
{
    /* Opening the transliterators and the collator takes about a tenth of a
     * second; do it once, before the first keystroke needs them. */
    char *f = text_fold("張");
    free(f);
    text_pinyin p = {0};
    text_pinyin_name("张三", &p);
    text_pinyin_clear(&p);
    unsigned char *key = NULL;
    size_t n = 0;
    if (text_sort_key("张三", &key, &n) == WS_OK)
        free(key);
    text_width("张三");
}

/* --------------------------------------------------------------- shutdown */

void text_shutdown(void)
{
    ubrk_close(g_char_iter);
    g_char_iter = NULL;
    g_char_iter_failed = false;

    ucol_close(g_coll);
    g_coll = NULL;
    g_coll_failed = false;

}

void text_local_time(const char *iso, bool seconds, char *out, size_t outsz)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) {
        snprintf(out, outsz, "%.*s", seconds ? 19 : 16, iso);
        return;
    }
    time_t t = timegm(&tm);
    struct tm local;
    localtime_r(&t, &local);
    strftime(out, outsz, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &local);
}
