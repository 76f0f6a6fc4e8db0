/* The resident search index and query.
 *
 * Terms in search_names, each posting ordered by `ord` (pinyin order):
 *   e<name>     the whole folded name (exact matches come first)
 *   f<prefix>   name prefixes up to NAME_PREFIX_MAX characters
 *   s<substr>   other name substrings up to NAME_SUBSTR_MAX characters
 *   P<pinyin>   the whole pinyin, each reading    I<initials> likewise
 *   p<prefix>   pinyin prefixes                    i<prefix>   initials
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

#include <stdio.h>
#include "station_internal.h"
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"
#include "wushe/text.h"

#define SEARCH_VERSION "12"
#define NAME_PREFIX_MAX 4
#define NAME_SUBSTR_MAX 3
#define PINYIN_PREFIX_MAX 7
#define INITIALS_PREFIX_MAX 6
#define TERM_MAX 160
#define SPARSE_CAP 4000 /* more candidates than this: walk in pinyin order */
#define MAX_CPS 64

/* ------------------------------------------------------------ term lists */

typedef struct termlist {
    char (*t)[TERM_MAX];
    size_t n, cap;
    bool oom;
} termlist;

static void tl_add(termlist *l, char kind, const char *s, size_t len)
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

static void tl_free(termlist *l)
{
    free(l->t);
    memset(l, 0, sizeof *l);
}

/* Byte offsets of the code points of s (at most MAX_CPS); off[n] = end. */
static size_t cp_offsets(const char *s, size_t off[MAX_CPS + 1], uint32_t cps[MAX_CPS])
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

static bool is_ascii_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_han_cp(uint32_t c)
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
static void digits_of(const char *s, char *out, size_t outsz)
{
    size_t j = 0;
    for (; s && *s && j + 1 < outsz; s++)
        if (is_ascii_digit((unsigned char)*s) || *s == 'X')
            out[j++] = *s;
    out[j] = '\0';
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

static bool is_gram_char(uint32_t c, bool digits);

/* a<bigram> terms of the folded address: runs of letters, digits and
 * Chinese characters, in pinyin order like every name term. */
static void address_terms(termlist *l, const char *folded)
{
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(folded, off, cps);
    for (size_t i = 0; i + 1 < n; i++)
        if (is_gram_char(cps[i], false) && is_gram_char(cps[i + 1], false))
            tl_add(l, 'a', folded + off[i], off[i + 2] - off[i]);
}

/* ---- the "wushe" FTS5 tokenizer ----
 * Documents: fields split by '|' (ID number, phone digits); each run of
 * digits (and X) gives its 4-grams. Queries are
 * built by search_query as phrases of grams separated by spaces; in query
 * mode each space-separated word is one token. 4-grams rather than
 * trigrams: the doclists of ID-number trigrams are so long that phrases
 * made of them are slow. */

static bool is_gram_char(uint32_t c, bool digits)
{
    if (digits)
        return is_ascii_digit(c) || c == 'X' || c == 'x';
    return is_han_cp(c) || is_ascii_digit(c) || is_ascii_alpha(c);
}

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx, (void)argv, (void)argc;
    *out = (Fts5Tokenizer *)1; /* stateless */
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    (void)t;
}

typedef int (*tok_emit)(void *, int, const char *, int, int, int);

/* Emit the n-grams (in code points) of text[a..b). */
static int tok_grams(const char *text, int a, int b, int n, void *ctx, tok_emit emit)
{
    int off[MAX_CPS + 1], k = 0;
    for (int i = a; i < b && k < MAX_CPS;) {
        uint32_t cp;
        off[k++] = i;
        i += (int)text_utf8_next(text + i, (size_t)(b - i), &cp);
    }
    off[k] = b;
    for (int i = 0; i + n <= k; i++) {
        int rc = emit(ctx, 0, text + off[i], off[i + n] - off[i], off[i], off[i + n]);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                        tok_emit emit)
{
    (void)t;
    if (flags & FTS5_TOKENIZE_QUERY) {
        for (int i = 0; i < len;) {
            while (i < len && text[i] == ' ')
                i++;
            int j = i;
            while (j < len && text[j] != ' ')
                j++;
            if (j > i) {
                int rc = emit(ctx, 0, text + i, j - i, i, j);
                if (rc != SQLITE_OK)
                    return rc;
            }
            i = j;
        }
        return SQLITE_OK;
    }
    int run = -1;
    for (int i = 0; i <= len;) {
        uint32_t cp = 0;
        int step = i < len ? (int)text_utf8_next(text + i, (size_t)(len - i), &cp) : 1;
        bool in = i < len && cp != '|' && is_gram_char(cp, true);
        if (in && run < 0)
            run = i;
        if (!in && run >= 0) {
            int rc = tok_grams(text, run, i, 4, ctx, emit);
            if (rc != SQLITE_OK)
                return rc;
            run = -1;
        }
        i += step;
    }
    return SQLITE_OK;
}

ws_status search_register(sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api)
        return WS_ERR_DB;
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    return api->xCreateTokenizer(api, "wushe", NULL, &tok, NULL) == SQLITE_OK ? WS_OK
                                                                             : WS_ERR_DB;
}

static ws_status doc_terms_build(const search_doc *doc, doc_terms *t)
{
    memset(t, 0, sizeof *t);
    char *nf = text_fold(doc->name ? doc->name : "");
    char *af = text_fold(doc->address ? doc->address : "");
    text_pinyin py = {0};
    ws_status s = nf && af ? text_pinyin_name(nf, &py) : WS_ERR_NOMEM;
    if (s == WS_OK) {
        name_terms(&t->t[TB_NAMES], nf);
        pinyin_terms(&t->t[TB_NAMES], py.full, py.initials);
        pinyin_terms(&t->t[TB_NAMES], py.alt_full, py.alt_initials);
        address_terms(&t->t[TB_NAMES], af);
        t->fts = fts_text(doc->id_number, doc->phone);
        if (t->t[TB_NAMES].oom || !t->fts)
            s = WS_ERR_NOMEM;
    }
    text_pinyin_clear(&py);
    free(nf);
    free(af);
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

static ws_status terms_write(db *d, const search_doc *doc, bool add)
{
    doc_terms t;
    ws_status s = doc_terms_build(doc, &t);
    if (s != WS_OK)
        return s;
    size_t ordlen = doc->sort_key_len < SEARCH_ORD_LEN ? doc->sort_key_len : SEARCH_ORD_LEN;
    for (int tb = 0; tb < TB_COUNT; tb++)
        for (size_t i = 0; s == WS_OK && i < t.t[tb].n; i++)
            s = posting_write(d, tb, add, t.t[tb].t[i], doc->sort_key, ordlen, doc->seq);
    if (s == WS_OK)
        s = fts_write(d, doc->seq, t.fts, add);
    doc_terms_free(&t);
    return s;
}

/* ---- batches: postings of a bulk load, inserted in key order ----
 * Random inserts into two big b-trees dominate a bulk load; sorted runs
 * touch each page once. One batch per process (one station is open). */

#define BATCH_FLUSH (1u << 19) /* postings held before a sorted flush */

typedef struct batch_entry {
    uint32_t off;  /* term in the arena */
    uint8_t table; /* TB_* */
    uint8_t ordlen;
    unsigned char ord[SEARCH_ORD_LEN];
    int64_t seq;
} batch_entry;

typedef struct batch {
    db *d;
    batch_entry *e;
    size_t n, cap;
    char *arena;
    size_t used, arena_cap;
} batch;

static batch *g_batch;

static int batch_cmp(const void *a, const void *b)
{
    const batch_entry *x = a, *y = b;
    if (x->table != y->table)
        return x->table - y->table;
    int c = strcmp(g_batch->arena + x->off, g_batch->arena + y->off);
    if (c)
        return c;
    size_t n = x->ordlen < y->ordlen ? x->ordlen : y->ordlen;
    if ((c = memcmp(x->ord, y->ord, n)) != 0)
        return c;
    if (x->ordlen != y->ordlen)
        return x->ordlen < y->ordlen ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static ws_status batch_flush(batch *b)
{
    if (b->n == 0)
        return WS_OK;
    qsort(b->e, b->n, sizeof *b->e, batch_cmp);
    ws_status s = WS_OK;
    size_t i = 0;
    /* Sixteen rows a statement: the per-statement work is a large part of
     * an insert when the b-tree is appended to in order. */
    sqlite3_stmt *q16 = db_prepare(b->d,
        "INSERT OR IGNORE INTO search_names(term, ord, seq) VALUES"
        " (?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),"
        "(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?)");
    if (!q16)
        return db_status(b->d);
    while (s == WS_OK && i + 16 <= b->n) {
        for (int k = 0; k < 16; k++) {
            const batch_entry *e = &b->e[i + (size_t)k];
            sqlite3_bind_text(q16, 3 * k + 1, b->arena + e->off, -1, SQLITE_STATIC);
            sqlite3_bind_blob(q16, 3 * k + 2, e->ord, e->ordlen, SQLITE_STATIC);
            sqlite3_bind_int64(q16, 3 * k + 3, e->seq);
        }
        int rc = sqlite3_step(q16);
        sqlite3_reset(q16);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        i += 16;
    }
    for (; s == WS_OK && i < b->n; i++) {
        const batch_entry *e = &b->e[i];
        s = posting_write(b->d, e->table, true, b->arena + e->off, e->ord, e->ordlen, e->seq);
    }
    b->n = 0;
    b->used = 0;
    return s;
}

static bool batch_add(batch *b, int table, const char *term, const unsigned char *ord,
                      size_t ordlen, int64_t seq)
{
    size_t tl = strlen(term) + 1;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        batch_entry *e = realloc(b->e, cap * sizeof *e);
        if (!e)
            return false;
        b->e = e;
        b->cap = cap;
    }
    if (b->used + tl > b->arena_cap) {
        size_t cap = b->arena_cap ? b->arena_cap * 2 : 65536;
        char *a = realloc(b->arena, cap);
        if (!a)
            return false;
        b->arena = a;
        b->arena_cap = cap;
    }
    batch_entry *e = &b->e[b->n++];
    e->off = (uint32_t)b->used;
    e->table = (uint8_t)table;
    e->ordlen = (uint8_t)ordlen;
    memcpy(e->ord, ord, ordlen);
    e->seq = seq;
    memcpy(b->arena + b->used, term, tl);
    b->used += tl;
    return true;
}

ws_status search_batch_begin(db *d)
{
    if (g_batch)
        return WS_ERR_INVALID;
    g_batch = calloc(1, sizeof *g_batch);
    if (!g_batch)
        return WS_ERR_NOMEM;
    g_batch->d = d;
    return WS_OK;
}

ws_status search_batch_end(db *d, bool keep)
{
    if (!g_batch || g_batch->d != d)
        return WS_OK;
    ws_status s = keep ? batch_flush(g_batch) : WS_OK;
    free(g_batch->e);
    free(g_batch->arena);
    free(g_batch);
    g_batch = NULL;
    return s;
}

static ws_status batch_index(batch *b, const search_doc *doc)
{
    doc_terms t;
    ws_status s = doc_terms_build(doc, &t);
    if (s != WS_OK)
        return s;
    size_t ordlen = doc->sort_key_len < SEARCH_ORD_LEN ? doc->sort_key_len : SEARCH_ORD_LEN;
    bool ok = true;
    for (int tb = 0; tb < TB_COUNT; tb++)
        for (size_t i = 0; ok && i < t.t[tb].n; i++)
            ok = batch_add(b, tb, t.t[tb].t[i], doc->sort_key, ordlen, doc->seq);
    /* FTS5 keeps its own pending terms in memory: no batch needed. */
    ws_status fs = ok ? fts_write(b->d, doc->seq, t.fts, true) : WS_OK;
    if (fs != WS_OK) {
        doc_terms_free(&t);
        return fs;
    }
    doc_terms_free(&t);
    if (!ok)
        return WS_ERR_NOMEM;
    return b->n >= BATCH_FLUSH ? batch_flush(b) : WS_OK;
}

ws_status search_index(db *d, const search_doc *doc)
{
    if (g_batch && g_batch->d == d)
        return batch_index(g_batch, doc);
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
    if (g_batch && g_batch->d == d && g_batch->n) {
        ws_status s = batch_flush(g_batch);
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

/* ----------------------------------------------------------------- query */

typedef enum { Q_HAN, Q_LATIN, Q_MIXED, Q_DIGITS, Q_OTHER } qclass;

typedef enum {
    G_TERM,   /* postings of one or two terms, merged in (ord, seq) order */
    G_FTS,    /* search_fts matches sorted by (sort_key, id), or a walk */
    G_ADDR,   /* address bigram postings in (ord, seq) order, probed */
    G_WALK,   /* every living resident in (sort_key, id) order */
} gkind;

typedef struct qgroup {
    gkind kind;
    char terms[2][TERM_MAX];
    int nterms;
} qgroup;

typedef struct query {
    db *d;
    qclass cls;
    char nq[TERM_MAX];   /* folded query without spaces */
    char py[TERM_MAX];   /* Q_MIXED: pinyin of the query */
    char lead[TERM_MAX]; /* Q_MIXED: its leading Chinese characters */
    qgroup g[4];
    int ng;
} query;

/* A resident as the query needs it. */
typedef struct qrow {
    int64_t id;
    int64_t seq;
    char name[200];
    char text[1400];
    char idn[24];
    char phone[40];
    unsigned char key[512];
    size_t keylen;
} qrow;

/* Where a page continues: the row's full sort key and id, and its ord
 * (the posting order of term and gram groups). */
typedef struct qcursor {
    unsigned char key[512];
    size_t keylen;
    int64_t id;
    unsigned char ord[SEARCH_ORD_LEN];
    size_t ordlen;
} qcursor;

#define QROW_COLUMNS \
    "id, name_folded, search_text, coalesce(id_number, ''), phone, sort_key, seq"

static void qrow_read(sqlite3_stmt *st, qrow *r)
{
    r->id = sqlite3_column_int64(st, 0);
    db_column_copy(st, 1, r->name, sizeof r->name);
    db_column_copy(st, 2, r->text, sizeof r->text);
    db_column_copy(st, 3, r->idn, sizeof r->idn);
    char phone[64];
    db_column_copy(st, 4, phone, sizeof phone);
    digits_of(phone, r->phone, sizeof r->phone);
    size_t n = (size_t)sqlite3_column_bytes(st, 5);
    r->keylen = n < sizeof r->key ? n : sizeof r->key;
    if (r->keylen)
        memcpy(r->key, sqlite3_column_blob(st, 5), r->keylen);
    r->seq = sqlite3_column_int64(st, 6);
}

static const char *const qrow_sql[3] = {
    "SELECT " QROW_COLUMNS " FROM residents WHERE id = ?1 AND deleted_at IS NULL",
    "SELECT " QROW_COLUMNS " FROM residents WHERE seq = ?1 AND deleted_at IS NULL",
    "SELECT " QROW_COLUMNS " FROM residents WHERE id = ?1",
};

enum { QROW_BY_ID, QROW_BY_SEQ, QROW_ANY_BY_ID };

/* A living resident by id or by seq; QROW_ANY_BY_ID finds deleted ones too
 * (a page may continue from a row deleted meanwhile). */
static ws_status qrow_load(query *q, int64_t id, int how, qrow *r, bool *found)
{
    sqlite3_stmt *st = db_prepare(q->d, qrow_sql[how]);
    if (!st)
        return db_status(q->d);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        qrow_read(st, r);
    db_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static bool starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* 0: exact pinyin or initials, 1: a prefix of one, -1: neither. */
static int pinyin_match(const char *name, const char *nq)
{
    text_pinyin py = {0};
    if (text_pinyin_name(name, &py) != WS_OK)
        return -1;
    const char *v[4] = {py.full, py.initials, py.alt_full, py.alt_initials};
    int best = -1;
    for (int i = 0; i < 4; i++) {
        if (!v[i] || !*v[i])
            continue;
        if (strcmp(v[i], nq) == 0)
            best = 0;
        else if (best < 0 && starts_with(v[i], nq))
            best = 1;
    }
    text_pinyin_clear(&py);
    return best;
}

static bool mixed_match(const query *q, const qrow *r)
{
    if (q->lead[0] && !starts_with(r->name, q->lead))
        return false;
    text_pinyin py = {0};
    if (text_pinyin_name(r->name, &py) != WS_OK)
        return false;
    bool hit = (py.full && starts_with(py.full, q->py)) ||
               (py.alt_full && starts_with(py.alt_full, q->py));
    text_pinyin_clear(&py);
    return hit;
}

/* The one group a row belongs to for this query, -1 when it does not match. */
static int row_group(const query *q, const qrow *r)
{
    switch (q->cls) {
    case Q_HAN:
        if (strcmp(r->name, q->nq) == 0)
            return 0;
        if (starts_with(r->name, q->nq))
            return 1;
        if (strstr(r->name, q->nq))
            return 2;
        /* The folded address is in search_text; the name, pinyin and
         * digits there cannot hold a Chinese query that missed the name. */
        return q->ng > 3 && strstr(r->text, q->nq) ? 3 : -1;
    case Q_LATIN:
        return pinyin_match(r->name, q->nq);
    case Q_MIXED:
        return mixed_match(q, r) ? 0 : -1;
    case Q_DIGITS: {
        char upper[TERM_MAX];
        snprintf(upper, sizeof upper, "%s", q->nq);
        for (char *p = upper; *p; p++)
            if (*p == 'x')
                *p = 'X';
        return strstr(r->idn, upper) || strstr(r->phone, q->nq) ? 0 : -1;
    }
    case Q_OTHER:
        return strstr(r->text, q->nq) ? 0 : -1;
    }
    return -1;
}

/* The first `chars` code points of s as a term of the given kind. */
static void term_trunc(char *out, char kind, const char *s, size_t chars)
{
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(s, off, cps);
    size_t k = n < chars ? n : chars;
    out[0] = kind;
    memcpy(out + 1, s, off[k]);
    out[off[k] + 1] = '\0';
}

static void group_term(query *q, char k1, size_t max1, char k2, size_t max2, const char *text)
{
    qgroup *g = &q->g[q->ng++];
    g->kind = G_TERM;
    g->nterms = k2 ? 2 : 1;
    term_trunc(g->terms[0], k1, text, max1);
    if (k2)
        term_trunc(g->terms[1], k2, text, max2);
}

static void group_other(query *q, gkind kind)
{
    qgroup *g = &q->g[q->ng++];
    memset(g, 0, sizeof *g);
    g->kind = kind;
}

static ws_status query_init(query *q, db *d, const char *text)
{
    memset(q, 0, sizeof *q);
    q->d = d;
    char *f = text_fold(text);
    if (!f)
        return WS_ERR_NOMEM;
    size_t j = 0;
    for (const char *p = f; *p && j + 1 < sizeof q->nq; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (strncmp(p, "\xe3\x80\x80", 3) == 0) { /* ideographic space */
            p += 2;
            continue;
        }
        q->nq[j++] = *p;
    }
    q->nq[j] = '\0';
    free(f);
    if (!j)
        return WS_ERR_INVALID;

    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t n = cp_offsets(q->nq, off, cps);
    size_t han = 0, alpha = 0, digit = 0, lead_end = 0;
    bool lead = true;
    for (size_t i = 0; i < n; i++) {
        if (is_han_cp(cps[i])) {
            han++;
            if (lead)
                lead_end = off[i + 1];
        } else {
            lead = false;
            if (is_ascii_alpha(cps[i]))
                alpha++;
            else if (is_ascii_digit(cps[i]))
                digit++;
        }
    }
    bool id_tail = n >= 4 && digit == n - 1 && cps[n - 1] == 'x';
    if ((digit == n && n >= 4) || id_tail) {
        q->cls = Q_DIGITS;
        group_other(q, G_FTS);
    } else if (han && !alpha) {
        q->cls = Q_HAN;
        group_term(q, 'e', MAX_CPS, 0, 0, q->nq);
        group_term(q, 'f', NAME_PREFIX_MAX, 0, 0, q->nq);
        group_term(q, 's', NAME_SUBSTR_MAX, 0, 0, q->nq);
        /* Addresses from two characters on ("学堂湾"); one character
         * would match half the register. */
        if (n >= 2)
            group_other(q, G_ADDR);
    } else if (han && alpha && han + alpha == n) {
        q->cls = Q_MIXED;
        memcpy(q->lead, q->nq, lead_end);
        q->lead[lead_end] = '\0';
        text_pinyin py = {0};
        if (text_pinyin_text(q->nq, &py) != WS_OK)
            return WS_ERR_NOMEM;
        snprintf(q->py, sizeof q->py, "%s", py.full ? py.full : "");
        text_pinyin_clear(&py);
        group_term(q, 'p', PINYIN_PREFIX_MAX, 0, 0, q->py);
    } else if (alpha == n) {
        q->cls = Q_LATIN;
        group_term(q, 'P', MAX_CPS, 'I', MAX_CPS, q->nq);
        group_term(q, 'p', PINYIN_PREFIX_MAX, 'i', INITIALS_PREFIX_MAX, q->nq);
    } else {
        q->cls = Q_OTHER;
        group_other(q, G_WALK);
    }
    return WS_OK;
}

/* Output of one group's fetch. */
typedef struct qout {
    int64_t *ids;
    size_t max, n;
} qout;

typedef struct posting {
    bool live;
    unsigned char ord[SEARCH_ORD_LEN];
    size_t ordlen;
    int64_t seq;
} posting;

static int posting_cmp(const posting *a, const posting *b)
{
    size_t n = a->ordlen < b->ordlen ? a->ordlen : b->ordlen;
    int c = memcmp(a->ord, b->ord, n);
    if (c == 0 && a->ordlen != b->ordlen)
        c = a->ordlen < b->ordlen ? -1 : 1;
    if (c == 0)
        c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return c;
}

static ws_status posting_step(sqlite3_stmt *st, posting *p)
{
    int rc = sqlite3_step(st);
    p->live = rc == SQLITE_ROW;
    if (!p->live)
        return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    p->ordlen = n < SEARCH_ORD_LEN ? n : SEARCH_ORD_LEN;
    memcpy(p->ord, sqlite3_column_blob(st, 0), p->ordlen);
    p->seq = sqlite3_column_int64(st, 1);
    return WS_OK;
}

static int key_cmp(const unsigned char *a, size_t al, int64_t aid, const unsigned char *b,
                   size_t bl, int64_t bid)
{
    size_t n = al < bl ? al : bl;
    int c = memcmp(a, b, n);
    if (c == 0 && al != bl)
        c = al < bl ? -1 : 1;
    if (c == 0)
        c = aid < bid ? -1 : aid > bid;
    return c;
}

typedef struct cand {
    int64_t id;
    unsigned char key[160]; /* sort keys of names are far shorter */
    size_t keylen;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return key_cmp(x->key, x->keylen, x->id, y->key, y->keylen, y->id);
}

static int cand_cmp_desc(const void *a, const void *b)
{
    return cand_cmp(b, a);
}

/* Postings come in (ord, seq) order, and ord is only a prefix of the sort
 * key: postings with equal ord (names alike in their first characters) are
 * gathered into a run and put in full sort-key order before they go out. */
typedef struct run {
    cand *c;
    size_t n, cap;
    unsigned char ord[SEARCH_ORD_LEN];
    size_t ordlen;
} run;

static bool run_same(const run *r, const posting *p)
{
    return r->ordlen == p->ordlen && memcmp(r->ord, p->ord, p->ordlen) == 0;
}

/* Emit the run (past the cursor when it is the cursor's run), then empty it. */
static void run_flush(run *r, const qcursor *cur, int dir, qout *o)
{
    if (r->n == 0)
        return;
    qsort(r->c, r->n, sizeof *r->c, dir > 0 ? cand_cmp : cand_cmp_desc);
    bool at_cur = cur && cur->ordlen == r->ordlen && memcmp(cur->ord, r->ord, r->ordlen) == 0;
    for (size_t i = 0; i < r->n && o->n < o->max; i++) {
        if (at_cur) {
            int c = key_cmp(r->c[i].key, r->c[i].keylen, r->c[i].id, cur->key, cur->keylen,
                            cur->id);
            if (dir > 0 ? c <= 0 : c >= 0)
                continue;
        }
        o->ids[o->n++] = r->c[i].id;
    }
    r->n = 0;
}

/* Add the posting's row to the run when it belongs to group gi. */
static ws_status run_add(query *q, int gi, run *r, int64_t seq)
{
    qrow row;
    bool found;
    ws_status s = qrow_load(q, seq, QROW_BY_SEQ, &row, &found);
    if (s != WS_OK || !found || row_group(q, &row) != gi)
        return s;
    for (size_t i = 0; i < r->n; i++)
        if (r->c[i].id == row.id)
            return WS_OK; /* from the other term of the group */
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        cand *grown = realloc(r->c, cap * sizeof *grown);
        if (!grown)
            return WS_ERR_NOMEM;
        r->c = grown;
        r->cap = cap;
    }
    cand *c = &r->c[r->n++];
    c->id = row.id;
    c->keylen = row.keylen < sizeof c->key ? row.keylen : sizeof c->key;
    memcpy(c->key, row.key, c->keylen);
    return WS_OK;
}

/* Feed one posting; a new ord first flushes the run before it. Returns
 * false when the page is full (stop reading). */
static ws_status run_feed(query *q, int gi, run *r, const posting *p, const qcursor *cur, int dir,
                          qout *o, bool *full)
{
    if (r->ordlen && !run_same(r, p)) {
        run_flush(r, cur, dir, o);
        if (o->n >= o->max) {
            *full = true;
            return WS_OK;
        }
    }
    memcpy(r->ord, p->ord, p->ordlen);
    r->ordlen = p->ordlen;
    return run_add(q, gi, r, p->seq);
}

/* Bind the start of a posting stream: from the cursor's ord (inclusive: its
 * run is filtered by run_flush), or from either end. */
static void bind_ord_start(sqlite3_stmt *st, int col, const qcursor *cur, int back)
{
    static const unsigned char top[SEARCH_ORD_LEN + 1] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (cur)
        sqlite3_bind_blob(st, col, cur->ord, (int)cur->ordlen, SQLITE_STATIC);
    else if (back)
        sqlite3_bind_blob(st, col, top, sizeof top, SQLITE_STATIC);
    else
        sqlite3_bind_blob(st, col, "", 0, SQLITE_STATIC);
}

static const char *const term_sql[2][2] = {
    {"SELECT ord, seq FROM search_names WHERE term = ?1 AND ord >= ?2 ORDER BY ord, seq",
     "SELECT ord, seq FROM search_names WHERE term = ?1 AND ord >= ?2"
     " ORDER BY ord, seq /* second term */"},
    {"SELECT ord, seq FROM search_names WHERE term = ?1 AND ord <= ?2"
     " ORDER BY ord DESC, seq DESC",
     "SELECT ord, seq FROM search_names WHERE term = ?1 AND ord <= ?2"
     " ORDER BY ord DESC, seq DESC /* second term */"},
};

static ws_status fetch_term(query *q, int gi, const qcursor *cur, int dir, qout *o)
{
    const qgroup *g = &q->g[gi];
    sqlite3_stmt *st[2] = {NULL, NULL};
    posting p[2] = {{0}};
    ws_status s = WS_OK;
    int back = dir < 0;
    for (int t = 0; t < g->nterms && s == WS_OK; t++) {
        st[t] = db_prepare(q->d, term_sql[back][t]);
        if (!st[t]) {
            s = db_status(q->d);
            break;
        }
        sqlite3_bind_text(st[t], 1, g->terms[t], -1, SQLITE_STATIC);
        bind_ord_start(st[t], 2, cur, back);
        s = posting_step(st[t], &p[t]);
    }
    run r = {0};
    bool full = false;
    while (s == WS_OK && !full && (p[0].live || p[1].live)) {
        /* Merge the two ordered streams. */
        int t = !p[1].live ? 0 : !p[0].live ? 1
              : (posting_cmp(&p[0], &p[1]) * (back ? -1 : 1) <= 0 ? 0 : 1);
        s = run_feed(q, gi, &r, &p[t], cur, dir, o, &full);
        if (s == WS_OK && !full)
            s = posting_step(st[t], &p[t]);
    }
    if (s == WS_OK && !full)
        run_flush(&r, cur, dir, o);
    free(r.c);
    for (int t = 0; t < 2; t++)
        db_reset(st[t]);
    return s;
}

/* The walk lets SQLite reject most rows itself (instr over search_text)
 * before a row is copied out and checked exactly. */
static const char *const walk_sql[2][2] = {
    {"SELECT " QROW_COLUMNS " FROM residents INDEXED BY residents_walk WHERE deleted_at IS NULL"
     " AND instr(search_text, ?3) > 0 ORDER BY sort_key, id",
     "SELECT " QROW_COLUMNS " FROM residents INDEXED BY residents_walk WHERE deleted_at IS NULL"
     " AND instr(search_text, ?3) > 0 AND (sort_key, id) > (?1, ?2) ORDER BY sort_key, id"},
    {"SELECT " QROW_COLUMNS " FROM residents INDEXED BY residents_walk WHERE deleted_at IS NULL"
     " AND instr(search_text, ?3) > 0 ORDER BY sort_key DESC, id DESC",
     "SELECT " QROW_COLUMNS " FROM residents INDEXED BY residents_walk WHERE deleted_at IS NULL"
     " AND instr(search_text, ?3) > 0 AND (sort_key, id) < (?1, ?2)"
     " ORDER BY sort_key DESC, id DESC"},
};

/* What search_text must contain for a row to match: the query itself, with
 * an ID number's X in upper case. */
static void walk_needle(const query *q, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", q->nq);
    if (q->cls == Q_DIGITS)
        for (char *p = out; *p; p++)
            if (*p == 'x')
                *p = 'X';
}

/* A walk with a budget gives up (SQLITE_INTERRUPT) after so many virtual
 * machine steps, about this many per row. */
#define WALK_OPS_PER_ROW 24

static int walk_budget_spent(void *left)
{
    long *n = left;
    return (*n -= 1000) <= 0;
}

static ws_status fetch_walk_budget(query *q, int gi, const qcursor *cur, int dir, qout *o,
                                   long rows, bool *gave_up);

/* Walk the register in pinyin order: right when matches are dense. */
static ws_status fetch_walk(query *q, int gi, const qcursor *cur, int dir, qout *o)
{
    return fetch_walk_budget(q, gi, cur, dir, o, 0, NULL);
}

/* The walk; with rows > 0 it stops after about that many rows and sets
 * *gave_up (the page may be incomplete then). */
static ws_status fetch_walk_budget(query *q, int gi, const qcursor *cur, int dir, qout *o,
                                   long rows, bool *gave_up)
{
    sqlite3_stmt *st = db_prepare(q->d, walk_sql[dir < 0][cur != NULL]);
    if (!st)
        return db_status(q->d);
    if (cur) {
        sqlite3_bind_blob(st, 1, cur->key, (int)cur->keylen, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, cur->id);
    }
    char needle[TERM_MAX];
    walk_needle(q, needle, sizeof needle);
    sqlite3_bind_text(st, 3, needle, -1, SQLITE_STATIC);
    qrow *r = malloc(sizeof *r);
    if (!r) {
        db_reset(st);
        return WS_ERR_NOMEM;
    }
    long ops = rows * WALK_OPS_PER_ROW;
    if (rows > 0)
        sqlite3_progress_handler(db_handle(q->d), 1000, walk_budget_spent, &ops);
    int rc = SQLITE_DONE;
    while (o->n < o->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        qrow_read(st, r);
        if (row_group(q, r) == gi)
            o->ids[o->n++] = r->id;
    }
    if (rows > 0)
        sqlite3_progress_handler(db_handle(q->d), 0, NULL, NULL);
    free(r);
    db_reset(st);
    if (gave_up)
        *gave_up = rc == SQLITE_INTERRUPT;
    if (rc == SQLITE_INTERRUPT && rows > 0)
        return WS_OK;
    return o->n == o->max || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

#define FTS_CAP 2000 /* more matches than this: walk in pinyin order */

/* The query as an FTS5 phrase of its grams, "g1 g2 ...", as the tokenizer
 * cut the documents: 4-grams of a digit query (X upper case), bigrams of an
 * address query. False when the query has no gram (a walk then). */
static bool fts_phrase(const query *q, char *out, size_t outsz)
{
    bool digits = true;
    int n = 4;
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t k = cp_offsets(q->nq, off, cps);
    if (k < (size_t)n)
        return false;
    for (size_t i = 0; i < k; i++)
        if (!is_gram_char(cps[i], digits))
            return false;
    size_t j = 0;
    out[j++] = '"';
    for (size_t i = 0; i + (size_t)n <= k; i++) {
        size_t len = off[i + n] - off[i];
        if (j + len + 3 >= outsz)
            return false;
        if (i)
            out[j++] = ' ';
        for (size_t b = 0; b < len; b++) {
            char c = q->nq[off[i] + b];
            out[j++] = digits && c == 'x' ? 'X' : c;
        }
    }
    out[j++] = '"';
    out[j] = '\0';
    return true;
}

/* The matching rows among search_fts's candidates, checked and ordered by
 * SQLite itself: [direction][from a cursor]. The check is row_group's: ?2
 * in the ID number or in the phone digits. */
#define FTS_JOIN(check, cmp, order)                                                      \
    "SELECT id FROM residents WHERE deleted_at IS NULL AND seq IN (SELECT rowid FROM"    \
    " search_fts WHERE search_fts MATCH ?1) AND " check cmp " ORDER BY " order " LIMIT ?5"
#define FTS_DIGITS "(instr(coalesce(id_number, ''), upper(?2)) > 0" \
                   " OR instr(replace(phone, '-', ''), ?2) > 0)"
#define FTS_AFTER " AND (sort_key, id) > (?3, ?4)"
#define FTS_BEFORE " AND (sort_key, id) < (?3, ?4)"
#define FTS_ASC "sort_key, id"
#define FTS_DESC "sort_key DESC, id DESC"

static const char *const fts_sql[2][2] = {
    {FTS_JOIN(FTS_DIGITS, "", FTS_ASC), FTS_JOIN(FTS_DIGITS, FTS_AFTER, FTS_ASC)},
    {FTS_JOIN(FTS_DIGITS, "", FTS_DESC), FTS_JOIN(FTS_DIGITS, FTS_BEFORE, FTS_DESC)},
};

/* Digits: when search_fts has few candidates, SQLite joins,
 * checks and sorts them; when it has very many, matches are dense and a
 * walk in pinyin order finds a page sooner. */
static ws_status fetch_fts(query *q, int gi, const qcursor *cur, int dir, qout *o)
{
    char phrase[4 * TERM_MAX];
    if (!fts_phrase(q, phrase, sizeof phrase))
        return fetch_walk(q, gi, cur, dir, o);
    sqlite3_stmt *m = db_prepare(q->d,
        "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ?1 LIMIT ?2)");
    if (!m)
        return db_status(q->d);
    sqlite3_bind_text(m, 1, phrase, -1, SQLITE_STATIC);
    sqlite3_bind_int64(m, 2, FTS_CAP + 1);
    int rc = sqlite3_step(m);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(m, 0) : 0;
    db_reset(m);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (n > FTS_CAP)
        return fetch_walk(q, gi, cur, dir, o);
    sqlite3_stmt *st = db_prepare(q->d, fts_sql[dir < 0][cur != NULL]);
    if (!st)
        return db_status(q->d);
    sqlite3_bind_text(st, 1, phrase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->nq, -1, SQLITE_STATIC);
    if (cur) {
        sqlite3_bind_blob(st, 3, cur->key, (int)cur->keylen, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, cur->id);
    }
    sqlite3_bind_int64(st, 5, (sqlite3_int64)(o->max - o->n));
    while (o->n < o->max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        o->ids[o->n++] = sqlite3_column_int64(st, 0);
    db_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static const char *const addr_sql[2] = {
    "SELECT ord, seq FROM search_names a WHERE term = ?1 AND ord >= ?4"
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?2"
    "  AND b.ord = a.ord AND b.seq = a.seq))"
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?3"
    "  AND b.ord = a.ord AND b.seq = a.seq)) ORDER BY ord, seq",
    "SELECT ord, seq FROM search_names a WHERE term = ?1 AND ord <= ?4"
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?2"
    "  AND b.ord = a.ord AND b.seq = a.seq))"
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?3"
    "  AND b.ord = a.ord AND b.seq = a.seq)) ORDER BY ord DESC, seq DESC",
};

typedef struct term_count {
    const char *term;
    int64_t n;
} term_count;

static int term_count_cmp(const void *a, const void *b)
{
    const term_count *x = a, *y = b;
    return x->n < y->n ? -1 : x->n > y->n;
}

#define ADDR_PROBE 4      /* bigrams counted at most, spread over the query */
#define ADDR_COUNT_CAP 256 /* counting stops here: "common" */

/* Addresses: the postings of the rarest counted bigram, in pinyin order,
 * that the next two rarest also have; each checked against its row.
 * Output-sensitive: dense results stop early, rare ones are few. */
static ws_status fetch_addr(query *q, int gi, const qcursor *cur, int dir, qout *o)
{
    termlist grams = {0};
    address_terms(&grams, q->nq);
    if (grams.oom || grams.n == 0) {
        tl_free(&grams);
        return grams.oom ? WS_ERR_NOMEM : fetch_walk(q, gi, cur, dir, o);
    }
    term_count tc[ADDR_PROBE];
    size_t nt = 0;
    sqlite3_stmt *cnt = db_prepare(q->d,
        "SELECT count(*) FROM (SELECT 1 FROM search_names WHERE term = ?1 LIMIT ?2)");
    for (size_t k = 0; cnt && k < ADDR_PROBE && k < grams.n; k++) {
        size_t i = grams.n <= ADDR_PROBE ? k : k * (grams.n - 1) / (ADDR_PROBE - 1);
        sqlite3_bind_text(cnt, 1, grams.t[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(cnt, 2, ADDR_COUNT_CAP);
        tc[nt].term = grams.t[i];
        tc[nt].n = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : ADDR_COUNT_CAP;
        sqlite3_reset(cnt);
        nt++;
    }
    qsort(tc, nt, sizeof *tc, term_count_cmp);
    int back = dir < 0;
    sqlite3_stmt *st = db_prepare(q->d, addr_sql[back]);
    ws_status s = st ? WS_OK : db_status(q->d);
    if (st) {
        for (int k = 0; k < 3; k++) {
            if ((size_t)k < nt)
                sqlite3_bind_text(st, k + 1, tc[k].term, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, k + 1);
        }
        bind_ord_start(st, 4, cur, back);
        run r = {0};
        bool full = false;
        posting p;
        while (s == WS_OK && !full && (s = posting_step(st, &p)) == WS_OK && p.live)
            s = run_feed(q, gi, &r, &p, cur, dir, o, &full);
        if (s == WS_OK && !full)
            run_flush(&r, cur, dir, o);
        free(r.c);
        db_reset(st);
    }
    tl_free(&grams);
    return s;
}

static ws_status fetch_group(query *q, int gi, const qcursor *cur, int dir, qout *o)
{
    switch (q->g[gi].kind) {
    case G_TERM:
        return fetch_term(q, gi, cur, dir, o);
    case G_FTS:
        return fetch_fts(q, gi, cur, dir, o);
    case G_ADDR:
        return fetch_addr(q, gi, cur, dir, o);
    case G_WALK:
        return fetch_walk(q, gi, cur, dir, o);
    }
    return WS_ERR_DB;
}

ws_status search_query(db *d, const char *text, int64_t after, int dir, int64_t *ids,
                       size_t max, size_t *n)
{
    *n = 0;
    query *q = malloc(sizeof *q);
    if (!q)
        return WS_ERR_NOMEM;
    ws_status s = query_init(q, d, text);
    if (s != WS_OK) {
        free(q);
        return s;
    }
    dir = dir < 0 ? -1 : 1;
    int g0 = dir > 0 ? 0 : q->ng - 1;
    qcursor cur;
    bool have = false;
    if (after) {
        qrow r;
        bool found = false;
        s = qrow_load(q, after, QROW_ANY_BY_ID, &r, &found);
        int g = found ? row_group(q, &r) : -1;
        if (g >= 0) {
            g0 = g;
            have = true;
            cur.id = r.id;
            memcpy(cur.key, r.key, r.keylen);
            cur.keylen = r.keylen;
            cur.ordlen = r.keylen < SEARCH_ORD_LEN ? r.keylen : SEARCH_ORD_LEN;
            memcpy(cur.ord, r.key, cur.ordlen);
        }
    }
    qout o = {.ids = ids, .max = max};
    for (int g = g0; s == WS_OK && g >= 0 && g < q->ng && o.n < max; g += dir) {
        s = fetch_group(q, g, have ? &cur : NULL, dir, &o);
        have = false;
    }
    *n = o.n;
    free(q);
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
        char *pinyin = NULL, *initials = NULL;
        char *text = search_resident_text((const char *)sqlite3_column_text(st, 1),
                                          (const char *)sqlite3_column_text(st, 2),
                                          (const char *)sqlite3_column_text(st, 3),
                                          (const char *)sqlite3_column_text(st, 4),
                                          &pinyin, &initials);
        unsigned char *key = NULL;
        size_t keylen = 0;
        s = text_name_sort_key((const char *)sqlite3_column_text(st, 1), &key, &keylen);
        search_doc doc = {
            .seq = (int64_t)done + 1,
            .name = (const char *)sqlite3_column_text(st, 1),
            .id_number = (const char *)sqlite3_column_text(st, 2),
            .phone = (const char *)sqlite3_column_text(st, 3),
            .address = (const char *)sqlite3_column_text(st, 4),
            .sort_key = key,
            .sort_key_len = keylen,
        };
        if (s == WS_OK)
            s = search_index(d, &doc);
        char *nf = s == WS_OK ? text_fold(doc.name ? doc.name : "") : NULL;
        if (s == WS_OK && (!nf || !text))
            s = WS_ERR_NOMEM;
        sqlite3_stmt *u = s == WS_OK
            ? db_prepare(d, "UPDATE residents SET name_folded = ?1, seq = ?3, search_text = ?4,"
                            " name_pinyin = ?5, name_initials = ?6, sort_key = ?7 WHERE id = ?2")
            : NULL;
        if (s == WS_OK && !u)
            s = db_status(d);
        if (u) {
            sqlite3_bind_text(u, 1, nf, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 2, rid);
            sqlite3_bind_int64(u, 3, doc.seq);
            sqlite3_bind_text(u, 4, text, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 5, pinyin ? pinyin : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 6, initials ? initials : "", -1, SQLITE_STATIC);
            sqlite3_bind_blob(u, 7, key, (int)keylen, SQLITE_STATIC);
            if (sqlite3_step(u) != SQLITE_DONE)
                s = db_status(d);
            db_reset(u);
        }
        free(nf);
        free(text);
        free(pinyin);
        free(initials);
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
    bool own = !g_batch;
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
