/* The resident search index: terms, postings, the FTS5 tokenizer, bulk
 * batches and rebuilds. The query is in search_query.c.
 *
 * Terms in search_names, each posting ordered by `ord` (pinyin order):
 *   e<name>     the whole folded name (exact matches come first)
 *   f<prefix>   name prefixes up to NAME_PREFIX_MAX characters
 *   s<substr>   other name substrings up to NAME_SUBSTR_MAX characters
 *   P<pinyin>   the whole pinyin, each reading    I<initials> likewise
 *   p<prefix>   pinyin prefixes                    i<prefix>   initials
 *   m<char><initials>  the first character, then prefixes of the other
 *               syllables' initials (陈丽华: m陈l, m陈lh), for a query that
 *               types the surname and the initials or pinyin of the rest
 *   a<bigram>   of the folded address; a query streams its rarest bigram
 *               in pinyin order, probing the next two
 * search_fts (FTS5, contentless) holds "ID number|phone digits" of each
 * resident, cut by our own tokenizer ("wushe") into digit 4-grams; a digit
 * query is the phrase of its grams. Its matches are checked and sorted by
 * SQLite, or, when there are very many, the register is walked in pinyin
 * order.
 * A query is classified (Chinese, pinyin, mixed, digits, other) into an
 * ordered list of groups; every group yields rows in a fixed order, and a
 * row belongs to exactly one group (row_group), which also serves to
 * continue paging from any row. */
#include "search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "audit.h"
#include "ids.h"
#include "search_internal.h"
#include "text_internal.h"
#include "wushe/text.h"

#define SEARCH_VERSION "13"

/* ------------------------------------------------------------ term lists */

void tl_add(termlist *l, char kind, const char *s, size_t len)
{
    if (len == 0 || len + 2 > TERM_MAX)
        return;
    char term[TERM_MAX];
    term[0] = kind;
    memcpy(term + 1, s, len);
    term[len + 1] = '\0';
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->t[i], term) == 0)
            return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        void *grown = realloc(l->t, ncap * sizeof *l->t);
        if (!grown) {
            l->oom = true;
            return;
        }
        l->t = grown;
        l->cap = ncap;
    }
    memcpy(l->t[l->n++], term, len + 2);
}

void tl_free(termlist *l)
{
    free(l->t);
    memset(l, 0, sizeof *l);
}

/* Byte offsets of the code points of s (at most MAX_CPS); off[n] = end. */
size_t cp_offsets(const char *s, size_t off[MAX_CPS + 1], uint32_t cps[MAX_CPS])
{
    size_t len = strlen(s), n = 0, i = 0;
    while (i < len && n < MAX_CPS) {
        off[n] = i;
        i += text_utf8_next(s + i, len - i, &cps[n]);
        n++;
    }
    off[n] = i;
    return n;
}

bool is_ascii_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

bool is_ascii_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_han_cp(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

static void name_terms(termlist *l, const char *nf)
{
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(nf, off, cps);
    tl_add(l, 'e', nf, strlen(nf));
    for (size_t k = 1; k <= n && k <= NAME_PREFIX_MAX; k++)
        tl_add(l, 'f', nf, off[k]);
    for (size_t a = 1; a < n; a++)
        for (size_t k = 1; k <= NAME_SUBSTR_MAX && a + k <= n; k++)
            tl_add(l, 's', nf + off[a], off[a + k] - off[a]);
}

/* ---------------------------------------------------------------- syllables
 * A name as a query matches it, one unit per syllable: a Chinese character
 * or a run of Latin letters. Each unit is written as the characters that
 * stand for it, then its reading and, for a polyphonic surname, its common
 * reading after '/': "单shan/dan 雄xiong 信xin". A mark between units (the
 * dot of 阿依古丽·买买提) goes before the next unit's character, so that
 * characters typed together match only characters written together. Latin
 * units have no characters. Stored first in search_text, so that a query
 * checks a row without computing any pinyin. */

void gb_put(growbuf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *g = realloc(b->s, cap);
        if (!g) {
            b->oom = true;
            return;
        }
        b->s = g;
        b->cap = cap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* The space-separated syllables of a spaced pinyin; false when there are
 * more than max. */
static bool split_spaced(const char *spaced, const char **w, size_t *wl, size_t max, size_t *n)
{
    *n = 0;
    for (const char *p = spaced ? spaced : ""; *p;) {
        size_t k = strcspn(p, " ");
        if (k) {
            if (*n == max)
                return false;
            w[*n] = p;
            wl[(*n)++] = k;
        }
        p += k + (p[k] == ' ');
    }
    return true;
}

typedef struct name_unit {
    size_t off, len; /* its characters in the folded name, the mark before included */
    bool latin;
    size_t run;      /* Latin: where its letters start */
} name_unit;

/* The units of a folded name. Anything that is neither a Chinese
 * character nor an ASCII letter or digit separates units. */
static size_t name_units(const char *nf, name_unit *u, size_t max)
{
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(nf, off, cps), k = 0, gap = 0;
    bool in_run = false, gapped = false;
    for (size_t i = 0; i < n && k < max; i++) {
        uint32_t c = cps[i];
        if (is_han_cp(c)) {
            u[k++] = (name_unit){.off = gapped ? gap : off[i], .len = off[i + 1] -
                                 (gapped ? gap : off[i])};
            in_run = gapped = false;
        } else if (is_ascii_digit(c) || is_ascii_alpha(c)) {
            if (!in_run)
                u[k++] = (name_unit){.off = off[i], .len = 0, .latin = true, .run = off[i]};
            u[k - 1].len = off[i + 1] - u[k - 1].run;
            in_run = true;
            gapped = false;
        } else {
            if (!gapped)
                gap = off[i];
            in_run = false;
            gapped = true;
        }
    }
    return k;
}

/* The characters of a unit as stored: no space, '|' or '/' (those would
 * end the token or the field), no letters or digits (they are readings). */
static void put_chars(growbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ascii_bad = c == ' ' || c == '|' || c == '/' || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9');
        gb_put(b, ascii_bad ? "_" : &c, 1);
    }
}

static ws_status syllables_build(const char *nf, const text_pinyin *py, char **out)
{
    *out = NULL;
    name_unit u[MAX_CPS];
    size_t nu = name_units(nf, u, MAX_CPS);
    const char *w[2][MAX_CPS];
    size_t wl[2][MAX_CPS], nw[2] = {0, 0};
    text_pinyin plain = {0};
    bool alt = py->alt_full && *py->alt_full;
    if (alt && text_pinyin_text(nf, &plain) != WS_OK)
        return WS_ERR_NOMEM;
    /* The name's pinyin gives one syllable per unit; when it does not
     * (a character without a reading), each unit is read alone. */
    bool aligned = split_spaced(py->spaced, w[0], wl[0], MAX_CPS, &nw[0]) && nw[0] == nu &&
                   (!alt || (split_spaced(plain.spaced, w[1], wl[1], MAX_CPS, &nw[1]) &&
                             nw[1] == nu));
    growbuf b = {0};
    gb_put(&b, "", 0);
    for (size_t i = 0; i < nu && !b.oom; i++) {
        if (i)
            gb_put(&b, " ", 1);
        if (!u[i].latin)
            put_chars(&b, nf + u[i].off, u[i].len);
        if (aligned) {
            gb_put(&b, w[0][i], wl[0][i]);
            if (alt && (wl[1][i] != wl[0][i] || memcmp(w[1][i], w[0][i], wl[0][i]) != 0)) {
                gb_put(&b, "/", 1);
                gb_put(&b, w[1][i], wl[1][i]);
            }
        } else if (u[i].latin) {
            gb_put(&b, nf + u[i].run, u[i].len);
        } else {
            char one[MAX_CPS];
            size_t skip = u[i].len > 4 ? u[i].len - 4 : 0; /* the character, not the mark */
            snprintf(one, sizeof one, "%.*s", (int)(u[i].len - skip), nf + u[i].off + skip);
            text_pinyin p1 = {0};
            if (text_pinyin_text(one, &p1) != WS_OK)
                b.oom = true;
            else if (p1.full)
                gb_put(&b, p1.full, strlen(p1.full));
            text_pinyin_clear(&p1);
        }
    }
    text_pinyin_clear(&plain);
    if (b.oom) {
        free(b.s);
        return WS_ERR_NOMEM;
    }
    *out = b.s;
    return WS_OK;
}

/* Readings are ASCII letters and digits; everything before them is the
 * unit's characters. */
static bool is_reading_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

size_t syllables_parse(const char *s, size_t len, syl_unit *u, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && s[i] != '|' && n < max) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        syl_unit *x = &u[n++];
        memset(x, 0, sizeof *x);
        x->chars = s + i;
        while (i < len && s[i] != ' ' && s[i] != '|' && !is_reading_byte(s[i]) && s[i] != '/')
            i++;
        x->clen = (size_t)(s + i - x->chars);
        for (int r = 0; r < 2 && i < len && s[i] != ' ' && s[i] != '|'; r++) {
            if (s[i] == '/')
                i++;
            x->read[r] = s + i;
            while (i < len && is_reading_byte(s[i]))
                i++;
            x->rlen[r] = (size_t)(s + i - x->read[r]);
        }
        while (i < len && s[i] != ' ' && s[i] != '|')
            i++;
    }
    return n;
}

/* m<first character><initials of the others>, for each reading. */
static void mixed_terms(termlist *l, const char *syllables)
{
    syl_unit u[MAX_CPS];
    size_t n = syllables_parse(syllables, strlen(syllables), u, MAX_CPS);
    if (n < 2 || u[0].clen == 0 || u[0].clen + MIXED_PREFIX_MAX >= TERM_MAX)
        return;
    for (int v = 0; v < 2; v++) {
        char term[TERM_MAX];
        size_t k = u[0].clen;
        memcpy(term, u[0].chars, k);
        for (size_t i = 1; i < n && i <= MIXED_PREFIX_MAX; i++) {
            int r = v && u[i].rlen[1] ? 1 : 0;
            if (!u[i].rlen[r])
                break;
            term[k++] = u[i].read[r][0];
            tl_add(l, 'm', term, k);
        }
    }
}

static void pinyin_terms(termlist *l, const char *full, const char *initials)
{
    if (!full || !*full)
        return;
    tl_add(l, 'P', full, strlen(full));
    tl_add(l, 'I', initials, strlen(initials));
    size_t n = strlen(full);
    for (size_t k = 1; k <= n && k <= PINYIN_PREFIX_MAX; k++)
        tl_add(l, 'p', full, k);
    n = strlen(initials);
    for (size_t k = 1; k <= n && k <= INITIALS_PREFIX_MAX; k++)
        tl_add(l, 'i', initials, k);
}

/* Digits (and the X of an ID number) of s, for phones "0832-1234567". */
void digits_of(const char *s, char *out, size_t outsz)
{
    size_t j = 0;
    for (; s && *s && j + 1 < outsz; s++)
        if (is_ascii_digit((unsigned char)*s) || *s == 'X')
            out[j++] = *s;
    out[j] = '\0';
}

static char *search_join(const char *const *parts, size_t n)
{
    size_t len = 2;
    for (size_t i = 0; i < n; i++)
        len += (parts[i] ? strlen(parts[i]) : 0) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    size_t j = 0;
    out[j++] = '|';
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        size_t l = strlen(parts[i]);
        memcpy(out + j, parts[i], l);
        j += l;
        out[j++] = '|';
    }
    out[j] = '\0';
    return out;
}

void search_derived_clear(search_derived *d)
{
    free(d->name_folded);
    free(d->address_folded);
    text_pinyin_clear(&d->py);
    free(d->syllables);
    free(d->text);
    memset(d, 0, sizeof *d);
}

ws_status search_derive(const char *name, const char *id_number, const char *phone,
                        const char *address, search_derived *out)
{
    memset(out, 0, sizeof *out);
    out->name_folded = text_fold(name ? name : "");
    out->address_folded = text_fold(address ? address : "");
    /* Pinyin of the folded name: 單雄信 has the surname reading of 单. */
    ws_status s = out->name_folded && out->address_folded
        ? text_pinyin_name(out->name_folded, &out->py) : WS_ERR_NOMEM;
    if (s == WS_OK)
        s = syllables_build(out->name_folded, &out->py, &out->syllables);
    if (s == WS_OK) {
        char digits[64];
        digits_of(phone, digits, sizeof digits);
        /* The syllables first, always: a query finds them at a fixed place. */
        const char *parts[] = {out->syllables, out->name_folded, out->py.full,
                               out->py.initials, out->py.alt_full, out->py.alt_initials,
                               id_number, digits, out->address_folded};
        char *rest = search_join(parts + 1, sizeof parts / sizeof parts[0] - 1);
        size_t n = strlen(out->syllables) + (rest ? strlen(rest) : 0) + 2;
        out->text = rest ? malloc(n) : NULL;
        if (out->text)
            snprintf(out->text, n, "|%s%s", out->syllables, rest);
        free(rest);
        if (!out->text)
            s = WS_ERR_NOMEM;
    }
    if (s != WS_OK)
        search_derived_clear(out);
    return s;
}

/* Name postings; search_fts takes the rest. */
enum { TB_NAMES, TB_COUNT };

static const struct {
    const char *insert, *remove;
    bool ord;
} tables[TB_COUNT] = {
    {"INSERT OR IGNORE INTO search_names(term, ord, seq) VALUES (?1, ?2, ?3)",
     "DELETE FROM search_names WHERE term = ?1 AND ord = ?2 AND seq = ?3", true},
};

typedef struct doc_terms {
    termlist t[TB_COUNT];
    char *fts; /* the search_fts text */
} doc_terms;

struct search_prep {
    char *in[4]; /* name, ID number, phone, address as given */
    search_derived dv;
    unsigned char *key;
    size_t keylen;
    doc_terms terms;
};

static void doc_terms_free(doc_terms *t)
{
    for (int i = 0; i < TB_COUNT; i++)
        tl_free(&t->t[i]);
    free(t->fts);
    t->fts = NULL;
}

/* "ID number|phone digits": '|' keeps a match inside one field. */
static char *fts_text(const char *id_number, const char *phone)
{
    char digits[64];
    digits_of(phone, digits, sizeof digits);
    size_t n = strlen(id_number ? id_number : "") + strlen(digits) + 2;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s|%s", id_number ? id_number : "", digits);
    return t;
}

/* a<bigram> terms of the folded address: runs of letters, digits and
 * Chinese characters, in pinyin order like every name term. */
void address_terms(termlist *l, const char *folded)
{
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(folded, off, cps);
    for (size_t i = 0; i + 1 < n; i++)
        if (is_gram_char(cps[i], false) && is_gram_char(cps[i + 1], false))
            tl_add(l, 'a', folded + off[i], off[i + 2] - off[i]);
}

/* Characters of the grams search_query builds for digits (the tokenizer
 * in fts_tokenizer.c cuts documents the same way). */
bool is_gram_char(uint32_t c, bool digits)
{
    if (digits)
        return is_ascii_digit(c) || c == 'X' || c == 'x';
    return is_han_cp(c) || is_ascii_digit(c) || is_ascii_alpha(c);
}

static ws_status doc_terms_build(const search_doc *doc, doc_terms *t)
{
    memset(t, 0, sizeof *t);
    search_derived own;
    const search_derived *dv = doc->derived;
    if (!dv) {
        ws_status s = search_derive(doc->name, doc->id_number, doc->phone, doc->address, &own);
        if (s != WS_OK)
            return s;
        dv = &own;
    }
    name_terms(&t->t[TB_NAMES], dv->name_folded);
    pinyin_terms(&t->t[TB_NAMES], dv->py.full, dv->py.initials);
    pinyin_terms(&t->t[TB_NAMES], dv->py.alt_full, dv->py.alt_initials);
    mixed_terms(&t->t[TB_NAMES], dv->syllables);
    address_terms(&t->t[TB_NAMES], dv->address_folded);
    t->fts = fts_text(doc->id_number, doc->phone);
    ws_status s = t->t[TB_NAMES].oom || !t->fts ? WS_ERR_NOMEM : WS_OK;
    if (dv == &own)
        search_derived_clear(&own);
    if (s != WS_OK)
        doc_terms_free(t);
    return s;
}

static ws_status fts_write(db *d, int64_t seq, const char *text, bool add)
{
    /* A contentless table forgets its text: deleting means giving it again. */
    sqlite3_stmt *q = db_prepare(d, add
        ? "INSERT INTO search_fts(rowid, t) VALUES (?1, ?2)"
        : "INSERT INTO search_fts(search_fts, rowid, t) VALUES ('delete', ?1, ?2)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, seq);
    sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Bind and run one posting write: ?1 term, ?2 ord (when the table has it),
 * ?3 seq. */
static ws_status posting_write(db *d, int table, bool add, const char *term,
                               const unsigned char *ord, size_t ordlen, int64_t seq)
{
    sqlite3_stmt *q = db_prepare(d, add ? tables[table].insert : tables[table].remove);
    if (!q)
        return db_status(d);
    sqlite3_bind_text(q, 1, term, -1, SQLITE_STATIC);
    if (tables[table].ord)
        sqlite3_bind_blob(q, 2, ord, (int)ordlen, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, seq);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The document's terms: its prep's, or built into own. */
static ws_status doc_terms_of(const search_doc *doc, doc_terms *own, const doc_terms **t)
{
    if (doc->prep) {
        *t = &doc->prep->terms;
        return WS_OK;
    }
    *t = own;
    return doc_terms_build(doc, own);
}

static ws_status terms_write(db *d, const search_doc *doc, bool add)
{
    doc_terms own;
    const doc_terms *t;
    ws_status s = doc_terms_of(doc, &own, &t);
    if (s != WS_OK)
        return s;
    size_t ordlen = doc->sort_key_len < SEARCH_ORD_LEN ? doc->sort_key_len : SEARCH_ORD_LEN;
    for (int tb = 0; tb < TB_COUNT; tb++)
        for (size_t i = 0; s == WS_OK && i < t->t[tb].n; i++)
            s = posting_write(d, tb, add, t->t[tb].t[i], doc->sort_key, ordlen, doc->seq);
    if (s == WS_OK)
        s = fts_write(d, doc->seq, t->fts, add);
    if (t == &own)
        doc_terms_free(&own);
    return s;
}

/* ---- preps: a resident's derivations, made ahead ---- */

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

ws_status search_prep_new(const char *name, const char *id_number, const char *phone,
                          const char *address, search_prep **out)
{
    *out = NULL;
    search_prep *p = calloc(1, sizeof *p);
    if (!p)
        return WS_ERR_NOMEM;
    const char *in[4] = {name, id_number, phone, address};
    bool ok = true;
    for (int i = 0; i < 4; i++)
        ok &= (p->in[i] = strdup(in[i] ? in[i] : "")) != NULL;
    ws_status s = ok ? search_derive(name, id_number, phone, address, &p->dv) : WS_ERR_NOMEM;
    if (s == WS_OK)
        s = text_name_sort_key(name, &p->key, &p->keylen);
    if (s == WS_OK) {
        search_doc doc = {.name = name, .id_number = id_number, .phone = phone,
                          .address = address, .derived = &p->dv};
        s = doc_terms_build(&doc, &p->terms);
    }
    if (s != WS_OK) {
        search_prep_free(&p);
        return s;
    }
    *out = p;
    return WS_OK;
}

void search_prep_free(search_prep **pp)
{
    search_prep *p = pp ? *pp : NULL;
    if (!p)
        return;
    for (int i = 0; i < 4; i++)
        free(p->in[i]);
    search_derived_clear(&p->dv);
    free(p->key);
    doc_terms_free(&p->terms);
    free(p);
    *pp = NULL;
}

const search_derived *search_prep_derived(const search_prep *p)
{
    return &p->dv;
}

const unsigned char *search_prep_key(const search_prep *p, size_t *len)
{
    *len = p->keylen;
    return p->key;
}

bool search_prep_of(const search_prep *p, const char *name, const char *id_number,
                    const char *phone, const char *address)
{
    return p && same_text(p->in[0], name) && same_text(p->in[1], id_number) &&
           same_text(p->in[2], phone) && same_text(p->in[3], address);
}

/* ---- batches: postings of a bulk load, inserted in key order ----
 * Random inserts into two big b-trees dominate a bulk load; sorted runs
 * touch each page once. The postings are held in runs of BATCH_RUN; each
 * full run is sorted on a thread of its own while the load goes on (the
 * run's memory is the sorter's until it is joined), and the flush merges
 * the sorted runs as it inserts. One batch per connection. */

#define BATCH_FLUSH (1u << 20) /* postings held before a sorted flush (~50 MB) */
#define BATCH_RUN (1u << 18)   /* postings a run: a sort on the second core */

static size_t batch_run_size = BATCH_RUN;

/* A run's arrays are large and touched once, page by page: asked for as
 * huge pages, a first touch costs one fault for 2 MB instead of one for
 * 4 KB (a fault is dear under a hypervisor). Without transparent huge
 * pages the advice is ignored. */
#define BIG_ALIGN ((size_t)2 << 20)

static void *big_alloc(size_t n)
{
    if (n < BIG_ALIGN)
        return malloc(n);
    size_t len = (n + BIG_ALIGN - 1) & ~(BIG_ALIGN - 1);
    void *p = aligned_alloc(BIG_ALIGN, len);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, len, MADV_HUGEPAGE);
#endif
    return p;
}

/* big_alloc's block grown to n bytes (the old one freed). */
static void *big_grow(void *old, size_t used, size_t n)
{
    void *p = big_alloc(n);
    if (p && old)
        memcpy(p, old, used);
    if (p)
        free(old);
    return p;
}

void search_batch_run_size(size_t n)
{
    batch_run_size = n ? n : BATCH_RUN;
}

typedef struct batch_entry {
    uint64_t head; /* the term's first 8 bytes, big-endian: most compares end here */
    uint32_t off;  /* term in its run's arena */
    uint8_t table; /* TB_* */
    uint8_t ordlen;
    uint16_t len;  /* of the term */
    unsigned char ord[SEARCH_ORD_LEN];
    int64_t seq;
} batch_entry;

typedef struct batch_run {
    batch_entry *e;
    size_t n;
    char *arena;
    size_t used, arena_cap;
} batch_run;

typedef struct batch {
    db *d;
    batch_run *runs; /* the last one is being filled */
    size_t nruns, capruns;
    size_t total;    /* postings in all runs */
    pthread_t sorter;
    bool sorting;    /* sorter runs over runs[nruns - 2] */
    search_prep *offered; /* search_prep_offer */
    size_t missed;        /* search_prep_take found none */
} batch;

/* The batch of a bulk load on connection d (NULL when none): kept by the
 * connection, so two stations can load at once. */
static batch *batch_of(db *d)
{
    return *db_bulk_slot(d);
}

static int entry_cmp(const batch_entry *x, const char *ax, const batch_entry *y, const char *ay)
{
    if (x->table != y->table)
        return x->table - y->table;
    if (x->head != y->head)
        return x->head < y->head ? -1 : 1;
    int c = x->len > 8 && y->len > 8
        ? strcmp(ax + x->off + 8, ay + y->off + 8)
        : (x->len > y->len) - (x->len < y->len); /* equal heads, one ends by byte 8 */
    if (c)
        return c;
    size_t n = x->ordlen < y->ordlen ? x->ordlen : y->ordlen;
    if ((c = memcmp(x->ord, y->ord, n)) != 0)
        return c;
    if (x->ordlen != y->ordlen)
        return x->ordlen < y->ordlen ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int batch_cmp(const void *a, const void *b, void *ctx)
{
    const batch_run *r = ctx;
    return entry_cmp(a, r->arena, b, r->arena);
}

static void *run_sort(void *arg)
{
    batch_run *r = arg;
    qsort_r(r->e, r->n, sizeof *r->e, batch_cmp, r);
    return NULL;
}

static void batch_join(batch *b)
{
    if (b->sorting)
        pthread_join(b->sorter, NULL);
    b->sorting = false;
}

static void run_free(batch_run *r)
{
    free(r->e);
    free(r->arena);
    memset(r, 0, sizeof *r);
}

/* A new run to fill; the full one before it goes to the sorter (sorted
 * here when no thread can be had). */
static bool batch_next_run(batch *b)
{
    if (b->nruns == b->capruns) {
        /* The sorter holds a pointer into the array: joined first. */
        batch_join(b);
        size_t cap = b->capruns ? b->capruns * 2 : 8;
        batch_run *r = realloc(b->runs, cap * sizeof *r);
        if (!r)
            return false;
        b->runs = r;
        b->capruns = cap;
    }
    batch_run *r = &b->runs[b->nruns];
    memset(r, 0, sizeof *r);
    if (!(r->e = big_alloc(batch_run_size * sizeof *r->e)))
        return false;
    b->nruns++;
    if (b->nruns >= 2) {
        batch_join(b);
        batch_run *full = &b->runs[b->nruns - 2];
        b->sorting = pthread_create(&b->sorter, NULL, run_sort, full) == 0;
        if (!b->sorting)
            run_sort(full);
    }
    return true;
}

/* The sorted runs merged: the next posting in key order (a heap of the
 * runs' heads, each with its run's arena at hand). */
typedef struct merge_head {
    const batch_entry *e, *end;
    const char *arena;
} merge_head;

typedef struct merge {
    merge_head *heap; /* smallest head first */
    size_t n;
} merge;

static bool merge_less(const merge_head *x, const merge_head *y)
{
    return entry_cmp(x->e, x->arena, y->e, y->arena) < 0;
}

static void merge_down(merge *m, size_t i)
{
    merge_head *h = m->heap;
    for (;;) {
        size_t l = 2 * i + 1, s = i;
        if (l < m->n && merge_less(&h[l], &h[s]))
            s = l;
        if (l + 1 < m->n && merge_less(&h[l + 1], &h[s]))
            s = l + 1;
        if (s == i)
            return;
        merge_head t = h[i];
        h[i] = h[s];
        h[s] = t;
        i = s;
    }
}

static bool merge_init(merge *m, const batch *b)
{
    m->n = 0;
    m->heap = calloc(b->nruns + 1, sizeof *m->heap);
    if (!m->heap)
        return false;
    for (size_t r = 0; r < b->nruns; r++)
        if (b->runs[r].n)
            m->heap[m->n++] = (merge_head){b->runs[r].e, b->runs[r].e + b->runs[r].n,
                                           b->runs[r].arena};
    for (size_t i = m->n / 2; i-- > 0;)
        merge_down(m, i);
    return true;
}

/* The next posting and its run's arena; false when none is left. */
static bool merge_next(merge *m, const batch_entry **e, const char **arena)
{
    if (m->n == 0)
        return false;
    merge_head *top = &m->heap[0];
    *e = top->e++;
    *arena = top->arena;
    if (top->e == top->end)
        *top = m->heap[--m->n];
    /* One run left (or the top still smallest): nothing to sift. */
    if (m->n > 1)
        merge_down(m, 0);
    return true;
}

static void merge_free(merge *m)
{
    free(m->heap);
}

/* Insert the merged postings, sixteen rows a statement: the per-statement
 * work is a large part of an insert when the b-tree is appended to in
 * order. */
static ws_status batch_insert(batch *b, merge *m)
{
    sqlite3_stmt *q16 = db_prepare(b->d,
        "INSERT OR IGNORE INTO search_names(term, ord, seq) VALUES"
        " (?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),"
        "(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?)");
    if (!q16)
        return db_status(b->d);
    ws_status s = WS_OK;
    const batch_entry *e[16];
    const char *arena[16];
    size_t k = 0;
    while (s == WS_OK) {
        bool more = merge_next(m, &e[k], &arena[k]);
        if (more && ++k < 16)
            continue;
        if (k == 16) {
            for (int i = 0; i < 16; i++) {
                sqlite3_bind_text(q16, 3 * i + 1, arena[i] + e[i]->off, e[i]->len, SQLITE_STATIC);
                sqlite3_bind_blob(q16, 3 * i + 2, e[i]->ord, e[i]->ordlen, SQLITE_STATIC);
                sqlite3_bind_int64(q16, 3 * i + 3, e[i]->seq);
            }
            int rc = sqlite3_step(q16);
            sqlite3_reset(q16);
            if (rc != SQLITE_DONE)
                s = db_status_from(rc);
            k = 0;
            continue;
        }
        for (size_t i = 0; s == WS_OK && i < k; i++)
            s = posting_write(b->d, e[i]->table, true, arena[i] + e[i]->off, e[i]->ord,
                              e[i]->ordlen, e[i]->seq);
        break;
    }
    return s;
}

/* Every run dropped; with keep, the first one's memory stays for the next
 * postings (a load that updates rows flushes at each update). */
static void batch_clear(batch *b, bool keep)
{
    batch_join(b);
    size_t first = keep && b->nruns ? 1 : 0;
    for (size_t i = first; i < b->nruns; i++)
        run_free(&b->runs[i]);
    if (first)
        b->runs[0].n = b->runs[0].used = 0;
    b->nruns = first;
    b->total = 0;
}

static ws_status batch_flush(batch *b)
{
    if (b->total == 0)
        return WS_OK;
    /* The last run sorted here while the sorter may finish the one before. */
    run_sort(&b->runs[b->nruns - 1]);
    batch_join(b);
    merge m;
    ws_status s = merge_init(&m, b) ? batch_insert(b, &m) : WS_ERR_NOMEM;
    merge_free(&m);
    batch_clear(b, true);
    return s;
}

static bool batch_add(batch *b, int table, const char *term, const unsigned char *ord,
                      size_t ordlen, int64_t seq)
{
    size_t tl = strlen(term) + 1;
    if ((b->nruns == 0 || b->runs[b->nruns - 1].n == batch_run_size) && !batch_next_run(b))
        return false;
    batch_run *r = &b->runs[b->nruns - 1];
    if (r->used + tl > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap * 2 : 65536;
        while (cap < r->used + tl)
            cap *= 2;
        char *a = big_grow(r->arena, r->used, cap);
        if (!a)
            return false;
        r->arena = a;
        r->arena_cap = cap;
    }
    batch_entry *e = &r->e[r->n++];
    e->head = 0;
    for (size_t i = 0; i < 8; i++)
        e->head = e->head << 8 | (i + 1 < tl ? (unsigned char)term[i] : 0);
    e->len = (uint16_t)(tl - 1);
    e->off = (uint32_t)r->used;
    e->table = (uint8_t)table;
    e->ordlen = (uint8_t)ordlen;
    memcpy(e->ord, ord, ordlen);
    e->seq = seq;
    memcpy(r->arena + r->used, term, tl);
    r->used += tl;
    b->total++;
    return true;
}

ws_status search_batch_begin(db *d)
{
    if (batch_of(d))
        return WS_ERR_INVALID;
    batch *b = calloc(1, sizeof *b);
    if (!b)
        return WS_ERR_NOMEM;
    b->d = d;
    *db_bulk_slot(d) = b;
    return WS_OK;
}

ws_status search_batch_end(db *d, bool keep)
{
    batch *b = batch_of(d);
    if (!b)
        return WS_OK;
    ws_status s = keep ? batch_flush(b) : WS_OK;
    batch_clear(b, false);
    search_prep_free(&b->offered);
    free(b->runs);
    free(b);
    *db_bulk_slot(d) = NULL;
    return s;
}

static ws_status batch_index(batch *b, const search_doc *doc)
{
    doc_terms own;
    const doc_terms *t;
    ws_status s = doc_terms_of(doc, &own, &t);
    if (s != WS_OK)
        return s;
    size_t ordlen = doc->sort_key_len < SEARCH_ORD_LEN ? doc->sort_key_len : SEARCH_ORD_LEN;
    bool ok = true;
    for (int tb = 0; tb < TB_COUNT; tb++)
        for (size_t i = 0; ok && i < t->t[tb].n; i++)
            ok = batch_add(b, tb, t->t[tb].t[i], doc->sort_key, ordlen, doc->seq);
    /* FTS5 keeps its own pending terms in memory: no batch needed. */
    ws_status fs = ok ? fts_write(b->d, doc->seq, t->fts, true) : WS_OK;
    if (t == &own)
        doc_terms_free(&own);
    if (fs != WS_OK)
        return fs;
    if (!ok)
        return WS_ERR_NOMEM;
    return b->total >= BATCH_FLUSH ? batch_flush(b) : WS_OK;
}

void search_prep_offer(db *d, search_prep *p)
{
    batch *b = batch_of(d);
    if (!b) {
        search_prep_free(&p);
        return;
    }
    search_prep_free(&b->offered);
    b->offered = p;
}

search_prep *search_prep_take(db *d, const char *name, const char *id_number,
                              const char *phone, const char *address)
{
    batch *b = batch_of(d);
    if (!b)
        return NULL;
    if (!search_prep_of(b->offered, name, id_number, phone, address)) {
        b->missed++;
        return NULL;
    }
    search_prep *p = b->offered;
    b->offered = NULL;
    return p;
}

size_t search_prep_missed(db *d)
{
    batch *b = batch_of(d);
    return b ? b->missed : 0;
}

const search_prep *search_prep_offered(db *d)
{
    batch *b = batch_of(d);
    return b ? b->offered : NULL;
}

ws_status search_index(db *d, const search_doc *doc)
{
    batch *b = batch_of(d);
    if (b)
        return batch_index(b, doc);
    return terms_write(d, doc, true);
}

ws_status search_next_seq(db *d, int64_t *seq)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(max(seq), 0) + 1 FROM residents");
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    *seq = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status search_unindex(db *d, int64_t rid)
{
    /* Postings still in a batch must be in the tables to be deleted. */
    batch *b = batch_of(d);
    if (b && b->total) {
        ws_status s = batch_flush(b);
        if (s != WS_OK)
            return s;
    }
    sqlite3_stmt *q = db_prepare(d,
        "SELECT name, id_number, phone, address, sort_key, seq FROM residents"
        " WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, rid);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        db_reset(q);
        return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    /* Copies: the statement is reused by nothing below, but be safe. */
    char *name = strdup((const char *)sqlite3_column_text(q, 0));
    const char *idn = (const char *)sqlite3_column_text(q, 1);
    char *idc = idn ? strdup(idn) : NULL;
    char *phone = strdup((const char *)sqlite3_column_text(q, 2));
    char *addr = strdup((const char *)sqlite3_column_text(q, 3));
    int64_t seq = sqlite3_column_int64(q, 5);
    size_t keylen = (size_t)sqlite3_column_bytes(q, 4);
    unsigned char *key = malloc(keylen ? keylen : 1);
    if (key && keylen)
        memcpy(key, sqlite3_column_blob(q, 4), keylen);
    db_reset(q);
    ws_status s = WS_ERR_NOMEM;
    if (name && phone && addr && key && (!idn || idc)) {
        search_doc doc = {.seq = seq, .name = name, .id_number = idc, .phone = phone,
                          .address = addr, .sort_key = key, .sort_key_len = keylen};
        s = terms_write(d, &doc, false);
    }
    free(name);
    free(idc);
    free(phone);
    free(addr);
    free(key);
    return s;
}

/* ---------------------------------------------------------------- rebuild */

static ws_status rebuild_all(db *d, void (*progress)(void *, size_t, size_t), void *ctx)
{
    ws_status s = db_exec(d, "DELETE FROM search_names;"
                             " INSERT INTO search_fts(search_fts) VALUES ('delete-all');");
    if (s != WS_OK)
        return s;
    int64_t total = 0;
    sqlite3_stmt *c = db_prepare(d, "SELECT count(*) FROM residents WHERE deleted_at IS NULL");
    if (c && sqlite3_step(c) == SQLITE_ROW)
        total = sqlite3_column_int64(c, 0);
    db_reset(c);
    /* A separate statement: the cached ones are used for the writes. */
    /* Renumber: dense seqs, deleted residents first so living ones never
     * collide with a stale number while this runs. */
    s = db_exec(d, "UPDATE residents SET seq = NULL;"
                   " UPDATE residents SET seq = -rowid WHERE deleted_at IS NOT NULL;");
    if (s != WS_OK)
        return s;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db_handle(d),
        "SELECT id, name, id_number, phone, address FROM residents"
        " WHERE deleted_at IS NULL", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return db_status_from(rc);
    size_t done = 0;
    while (s == WS_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t rid = sqlite3_column_int64(st, 0);
        /* Everything derived from the row is computed again. */
        const char *name = (const char *)sqlite3_column_text(st, 1);
        search_derived dv;
        unsigned char *key = NULL;
        size_t keylen = 0;
        s = search_derive(name, (const char *)sqlite3_column_text(st, 2),
                          (const char *)sqlite3_column_text(st, 3),
                          (const char *)sqlite3_column_text(st, 4), &dv);
        if (s == WS_OK && (s = text_name_sort_key(name, &key, &keylen)) != WS_OK)
            search_derived_clear(&dv);
        if (s != WS_OK)
            break;
        search_doc doc = {
            .seq = (int64_t)done + 1,
            .name = name,
            .id_number = (const char *)sqlite3_column_text(st, 2),
            .phone = (const char *)sqlite3_column_text(st, 3),
            .address = (const char *)sqlite3_column_text(st, 4),
            .sort_key = key,
            .sort_key_len = keylen,
            .derived = &dv,
        };
        s = search_index(d, &doc);
        sqlite3_stmt *u = s == WS_OK
            ? db_prepare(d, "UPDATE residents SET name_folded = ?1, seq = ?3, search_text = ?4,"
                            " name_pinyin = ?5, name_initials = ?6, sort_key = ?7 WHERE id = ?2")
            : NULL;
        if (s == WS_OK && !u)
            s = db_status(d);
        if (u) {
            sqlite3_bind_text(u, 1, dv.name_folded, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 2, rid);
            sqlite3_bind_int64(u, 3, doc.seq);
            sqlite3_bind_text(u, 4, dv.text, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 5, dv.py.full ? dv.py.full : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 6, dv.py.initials ? dv.py.initials : "", -1, SQLITE_STATIC);
            sqlite3_bind_blob(u, 7, key, (int)keylen, SQLITE_STATIC);
            if (sqlite3_step(u) != SQLITE_DONE)
                s = db_status(d);
            db_reset(u);
        }
        search_derived_clear(&dv);
        free(key);
        if (++done % 1000 == 0 && progress)
            progress(ctx, done, (size_t)total);
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    sqlite3_finalize(st);
    if (s == WS_OK && progress)
        progress(ctx, done, (size_t)total);
    if (s == WS_OK)
        s = db_setting_set(d, "search_version", SEARCH_VERSION);
    return s;
}

ws_status search_rebuild(db *d, void (*progress)(void *, size_t, size_t), void *ctx)
{
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    bool own = !batch_of(d);
    if (own)
        s = search_batch_begin(d);
    if (s == WS_OK)
        s = rebuild_all(d, progress, ctx);
    if (own) {
        ws_status e = search_batch_end(d, s == WS_OK);
        if (s == WS_OK)
            s = e;
    }
    if (s == WS_OK)
        return db_commit(d);
    db_rollback(d);
    return s;
}

ws_status search_ensure(db *d)
{
    char v[16] = "";
    ws_status s = db_setting_get(d, "search_version", v, sizeof v);
    if (s == WS_OK && strcmp(v, SEARCH_VERSION) == 0)
        return WS_OK;
    if (s != WS_OK && s != WS_ERR_NOT_FOUND)
        return s;
    return search_rebuild(d, NULL, NULL);
}
