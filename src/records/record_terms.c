/* Search terms of the declared kinds (households, communities and those to
 * come): every substring of a searchable field's folded text, the prefixes
 * of its pinyin and initials, the tails of its digits. A query is one term
 * looked up exactly, so the search box answers from an index for any kind.
 * Residents keep their own, larger index (search.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "text_internal.h"
#include "wushe/codes.h"
#include "wushe/text.h"

#define TERM_CPS 32    /* code points of a value that get substrings */
#define SUBSTR_MAX 12  /* the longest substring term, in code points */
#define PREFIX_MAX 24  /* pinyin prefixes */
#define TERM_BYTES 200
#define GRAM_MAX 3     /* the grams of a field that does not name the record */
#define GRAM_MARK '\x1f'

typedef struct terms {
    char (*t)[TERM_BYTES];
    size_t n, cap;
    bool oom;
} terms;

static void terms_add(terms *l, const char *s, size_t len)
{
    if (len == 0 || len >= TERM_BYTES)
        return;
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->t[i], s, len) == 0 && l->t[i][len] == '\0')
            return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        void *grown = realloc(l->t, cap * sizeof *l->t);
        if (!grown) {
            l->oom = true;
            return;
        }
        l->t = grown;
        l->cap = cap;
    }
    memcpy(l->t[l->n], s, len);
    l->t[l->n++][len] = '\0';
}

/* Folded text without spaces: what a clerk's query is compared with. */
static char *fold_compact(const char *s)
{
    char *f = text_fold(s);
    if (!f)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; f[i]; i++)
        if (f[i] != ' ')
            f[j++] = f[i];
    f[j] = '\0';
    return f;
}

/* Three spaces of terms, by their first byte: a term looked up exactly (a
 * number's tails, digits), PREFIX_MARK and a text whose every prefix is
 * a term, GRAM_MARK and a text whose prefixes are grams. A clerk's query
 * is looked up exactly and as a prefix (a range of the key), so a value
 * needs one term where it needed one for each of its prefixes: a household
 * had 52 rows, it has about 20, and the search finds what it found. */
#define PREFIX_MARK '\x1d'

static void marked_add(terms *l, char mark, const char *s, size_t len)
{
    char t[TERM_BYTES];
    if (len == 0 || len + 1 >= sizeof t)
        return;
    t[0] = mark;
    memcpy(t + 1, s, len);
    terms_add(l, t, len + 1);
}

/* A pinyin's prefixes, and those of what follows each syllable, full and
 * by initials: 学堂湾夕阳红舞蹈队 is found by xyh and by xiyang, 张三丰 by
 * sf. spaced (the syllables, NULL: none) gives the syllables' bounds; the
 * initials follow them when there is one a syllable. */
static void pinyin_terms(terms *l, const char *full, const char *initials, const char *spaced)
{
    size_t plen = strlen(full), ilen = initials ? strlen(initials) : 0;
    marked_add(l, PREFIX_MARK, full, plen < PREFIX_MAX ? plen : PREFIX_MAX);
    marked_add(l, PREFIX_MARK, initials, ilen < PREFIX_MAX ? ilen : PREFIX_MAX);
    if (!spaced)
        return;
    size_t syll = 1, at = 0; /* syllables; bytes of full before this one */
    for (const char *p = spaced; *p; p++)
        syll += *p == ' ';
    bool by_initial = ilen == syll;
    size_t k = 0;
    for (const char *p = spaced; *p; p++) {
        if (*p != ' ') {
            at++;
            continue;
        }
        if (++k > SUBSTR_MAX)
            break; /* a long text (a case's search words): its beginning */
        if (at < plen) {
            size_t rest = plen - at;
            marked_add(l, PREFIX_MARK, full + at, rest < PREFIX_MAX ? rest : PREFIX_MAX);
        }
        if (by_initial && k < ilen)
            marked_add(l, PREFIX_MARK, initials + k,
                       ilen - k < PREFIX_MAX ? ilen - k : PREFIX_MAX);
    }
}

/* full: every substring (up to SUBSTR_MAX) and the pinyin's and initials'
 * prefixes, for what names a record (a title, a head's name); otherwise
 * (an address) only its grams of one to three characters, which a longer
 * query is checked against gram by gram (record_terms_bind). A substring
 * is a prefix of a suffix: the suffixes, cut to SUBSTR_MAX or GRAM_MAX,
 * are the terms. */
static void text_terms(terms *l, const char *value, bool full)
{
    char *f = fold_compact(value);
    if (!f) {
        l->oom = true;
        return;
    }
    size_t len = strlen(f), off[TERM_CPS + 1], n = 0, i = 0;
    uint32_t cp;
    bool ascii = true;
    while (i < len && n < TERM_CPS) {
        off[n++] = i;
        i += text_utf8_next(f + i, len - i, &cp);
        ascii &= cp < 0x80;
    }
    off[n] = i;
    if (ascii) {
        /* A number or code (H00123): its prefixes and its tails, as a
         * clerk types it, not every run of digits inside it, nor grams (a
         * full volunteer number found the ten that share its grams). */
        marked_add(l, PREFIX_MARK, f, off[n]);
        for (size_t a = 1; a + 2 <= n; a++)
            terms_add(l, f + off[a], off[n] - off[a]);
        free(f);
        return;
    }
    if (full) {
        for (size_t a = 0; a < n; a++) {
            size_t end = a + SUBSTR_MAX < n ? a + SUBSTR_MAX : n;
            marked_add(l, PREFIX_MARK, f + off[a], off[end] - off[a]);
        }
    }
    if (!full) {
        /* Grams in a space of their own: a title's prefixes and tails
         * must not answer for them. */
        for (size_t a = 0; a < n; a++) {
            size_t end = a + GRAM_MAX < n ? a + GRAM_MAX : n;
            marked_add(l, GRAM_MARK, f + off[a], off[end] - off[a]);
        }
        free(f);
        return;
    }
    /* Letters and digits alone are their own pinyin (a number: H00123):
     * no terms to add, and the pinyin was a tenth of a demo fill. */
    bool own = true;
    for (const char *p = f; *p && own; p++)
        own = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
    /* A name's surname by its surname reading (仇 qiu, 解 xie), the
     * common one too (alt_*): a title that is no name loses nothing. */
    text_pinyin py = {0};
    if (!own && text_pinyin_name(f, &py) == WS_OK && py.full && strcmp(py.full, f) != 0) {
        pinyin_terms(l, py.full, py.initials, py.spaced);
        if (py.alt_full)
            pinyin_terms(l, py.alt_full, py.alt_initials, NULL);
    }
    text_pinyin_clear(&py);
    free(f);
}

/* Identifiers and phones: their digits' tails of four or more. */
static void digit_terms(terms *l, const char *value)
{
    char d[64];
    size_t n = 0;
    for (const char *p = value; *p && n + 1 < sizeof d; p++)
        if ((*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x')
            d[n++] = *p == 'x' ? 'X' : *p;
    d[n] = '\0';
    for (size_t a = 0; n >= 4 && a + 4 <= n; a++)
        terms_add(l, d + a, n - a);
}

/* A code is found by what a list shows, in either language: its labels
 * (评估, 低保, Assessment), each code of a set. Never by the language the
 * console had when the record was saved (wushe check compares the terms
 * kept with the ones a record would be given now, in any language). */
static void code_terms(station *st, terms *l, const field_def *f, const char *value)
{
    char codes[256];
    snprintf(codes, sizeof codes, "%s", value);
    char *save = NULL;
    for (char *c = strtok_r(codes, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        const code_item *it = codebook_find(station_codes(st), f->codes, c);
        if (!it) {
            text_terms(l, c, false);
            continue;
        }
        const char *labels[] = {it->zh_CN, it->short_zh_CN, it->en, it->short_en};
        for (size_t i = 0; i < 4; i++) {
            bool seen = !labels[i] || !*labels[i];
            for (size_t j = 0; !seen && j < i; j++)
                seen = labels[j] && !strcmp(labels[j], labels[i]);
            if (!seen)
                text_terms(l, labels[i], true);
        }
    }
}

static ws_status terms_of(station *st, const record_kind *k, void *rec, terms *l)
{
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (!(f->flags & FF_SEARCH) || field_is_int(f))
            continue;
        if (f->type == FLD_ID_NUMBER || f->type == FLD_PHONE || f->type == FLD_DIGITS)
            digit_terms(l, field_str(f, rec));
        else if (f->type == FLD_CODE || f->type == FLD_CODES)
            code_terms(st, l, f, field_str(f, rec));
        else
            text_terms(l, field_str(f, rec), (int)i == k->title_field);
    }
    if (k->hooks.search_text) {
        char more[512] = "";
        k->hooks.search_text(st, rec, more, sizeof more);
        if (*more)
            text_terms(l, more, true);
    }
    return l->oom ? WS_ERR_NOMEM : WS_OK;
}

/* A kind's number in record_terms (record_kind_codes): a small integer is
 * a byte of the key where the kind's name was ten. make: number a kind
 * that has none yet (WS_ERR_NOT_FOUND without it). */
static ws_status kind_code(db *d, const record_kind *k, bool make, int64_t *code)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT code FROM record_kind_codes WHERE name = ?1");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, k->name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *code = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
    if (!make)
        return WS_ERR_NOT_FOUND;
    ws_status s = db_exec_text(d, "INSERT INTO record_kind_codes(name) VALUES (?1)", k->name);
    if (s == WS_OK)
        *code = sqlite3_last_insert_rowid(db_handle(d));
    return s;
}

/* ---- a bulk load's terms, held back and inserted in key order ----
 * A household's fifty terms land all over record_terms' two b-trees;
 * written as they come, between the rows, postings and audit of everything
 * else, they were the largest part of a demo fill (demo, import). In bulk
 * mode they wait in a batch that the connection flushes before the commit
 * (db_pending_*), or when it is full, sorted: a fill takes a sixth less
 * CPU (50,000 and 200,000 residents). The order of the primary key or of
 * the (kind, id) index makes no difference measured: one of the two takes
 * its inserts out of order either way. */

#define BATCH_FLUSH (1u << 20) /* rows held before a sorted flush (~40 MB) */

typedef struct batch_row {
    uint64_t head;    /* the term's first 8 bytes, big-endian: most compares end here */
    int64_t kind;     /* kind_code */
    int64_t id;
    uint32_t off;     /* term in the arena */
    uint16_t len;     /* of the term */
    uint16_t gen;     /* its id's generation when added: an older one was deleted */
} batch_row;

typedef struct terms_batch {
    db *d;
    sqlite3 *h;
    batch_row *r;
    size_t n, cap;
    char *arena;
    size_t used, arena_cap;
    int64_t *ids; /* open hash set of the ids with rows here (0: free) */
    uint16_t *gens; /* per id slot: bumped when the id's terms are deleted */
    size_t nids, ids_cap;
    bool dead; /* some rows belong to an older generation */
    ws_status failed; /* a flush that failed fails the commit */
    struct terms_batch *next;
} terms_batch;

/* The batches alive (one per connection in a bulk load), for a reader
 * that has only its statement (record_terms_bind). */
static terms_batch *batches_live;

static int terms_batch_cmp(const void *a, const void *b, void *ctx)
{
    const batch_row *x = a, *y = b;
    const terms_batch *bt = ctx;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    int c = 0;
    if (x->head != y->head)
        return x->head < y->head ? -1 : 1;
    /* Equal heads: both terms are longer than 8 bytes, or both are the
     * same term of at most 8 (a term has no NUL). As SQLite's BINARY. */
    if (x->len > 8 && y->len > 8) {
        size_t n = (x->len < y->len ? x->len : y->len) - 8u;
        c = memcmp(bt->arena + x->off + 8, bt->arena + y->off + 8, n);
    }
    if (!c)
        c = (x->len > y->len) - (x->len < y->len);
    if (c)
        return c;
    return (x->id > y->id) - (x->id < y->id);
}

static bool terms_batch_same(const terms_batch *b, const batch_row *x, const batch_row *y)
{
    return x->id == y->id && x->head == y->head && x->len == y->len &&
           x->kind == y->kind &&
           memcmp(b->arena + x->off, b->arena + y->off, x->len) == 0;
}

static size_t id_slot(const terms_batch *b, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (b->ids_cap - 1);
}

#define NO_SLOT ((size_t)-1)

/* The id's slot in the set, or NO_SLOT. */
static size_t terms_batch_slot(const terms_batch *b, int64_t id)
{
    if (!b->nids)
        return NO_SLOT;
    for (size_t i = id_slot(b, id);; i = (i + 1) & (b->ids_cap - 1)) {
        if (b->ids[i] == id)
            return i;
        if (b->ids[i] == 0)
            return NO_SLOT;
    }
}

static bool terms_batch_grow(terms_batch *b)
{
    size_t cap = b->ids_cap ? b->ids_cap * 2 : 4096;
    int64_t *old = b->ids, *grown = calloc(cap, sizeof *grown);
    uint16_t *oldgens = b->gens, *gens = calloc(cap, sizeof *gens);
    if (!grown || !gens) {
        free(grown);
        free(gens);
        return false;
    }
    size_t oldcap = b->ids_cap;
    b->ids = grown;
    b->gens = gens;
    b->ids_cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i]) {
            size_t j = id_slot(b, old[i]);
            while (b->ids[j])
                j = (j + 1) & (cap - 1);
            b->ids[j] = old[i];
            b->gens[j] = oldgens[i];
        }
    free(old);
    free(oldgens);
    return true;
}

/* The id's slot, added when new (NO_SLOT: no memory). */
static size_t terms_batch_note(terms_batch *b, int64_t id)
{
    size_t i = terms_batch_slot(b, id);
    if (i != NO_SLOT)
        return i;
    if ((b->nids + 1) * 2 > b->ids_cap && !terms_batch_grow(b))
        return NO_SLOT;
    i = id_slot(b, id);
    while (b->ids[i])
        i = (i + 1) & (b->ids_cap - 1);
    b->ids[i] = id;
    b->gens[i] = 0;
    b->nids++;
    return i;
}

/* Rows of ids deleted since they were added go before the sort. */
static void terms_batch_sweep(terms_batch *b)
{
    if (!b->dead)
        return;
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t slot = terms_batch_slot(b, b->r[i].id);
        if (slot != NO_SLOT && b->gens[slot] == b->r[i].gen)
            b->r[n++] = b->r[i];
    }
    b->n = n;
    b->dead = false;
}

static ws_status terms_batch_flush(terms_batch *b)
{
    if (b->failed != WS_OK || b->n == 0)
        return b->failed;
    int64_t changes = sqlite3_total_changes64(b->h);
    terms_batch_sweep(b);
    qsort_r(b->r, b->n, sizeof *b->r, terms_batch_cmp, b);
    size_t n = 1; /* the same term twice for a record (a head's name and a title) */
    for (size_t i = 1; i < b->n; i++)
        if (!terms_batch_same(b, &b->r[n - 1], &b->r[i]))
            b->r[n++] = b->r[i];
    /* Sixteen rows a statement, as the resident postings' batch. */
    sqlite3_stmt *q16 = db_prepare(b->d,
        "INSERT OR IGNORE INTO record_terms(kind, term, id) VALUES"
        " (?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),"
        "(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?),(?,?,?)");
    ws_status s = q16 ? WS_OK : db_status(b->d);
    size_t i = 0;
    for (; s == WS_OK && i + 16 <= n; i += 16) {
        for (int k = 0; k < 16; k++) {
            const batch_row *e = &b->r[i + (size_t)k];
            sqlite3_bind_int64(q16, 3 * k + 1, e->kind);
            sqlite3_bind_text(q16, 3 * k + 2, b->arena + e->off, e->len, SQLITE_STATIC);
            sqlite3_bind_int64(q16, 3 * k + 3, e->id);
        }
        int rc = sqlite3_step(q16);
        sqlite3_reset(q16);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    if (q16)
        sqlite3_clear_bindings(q16); /* nothing keeps pointers into the arena */
    for (; s == WS_OK && i < n; i++) {
        const batch_row *e = &b->r[i];
        sqlite3_stmt *q = db_prepare(b->d, "INSERT OR IGNORE INTO record_terms(kind, term, id)"
                                           " VALUES (?1, ?2, ?3)");
        if (!q) {
            s = db_status(b->d);
            break;
        }
        sqlite3_bind_int64(q, 1, e->kind);
        sqlite3_bind_text(q, 2, b->arena + e->off, e->len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, e->id);
        int rc = sqlite3_step(q);
        sqlite3_clear_bindings(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    db_pending_wrote(b->d, changes - sqlite3_total_changes64(b->h));
    b->n = 0;
    b->used = 0;
    b->nids = 0;
    if (b->ids)
        memset(b->ids, 0, b->ids_cap * sizeof *b->ids);
    b->failed = s;
    return s;
}

static ws_status terms_batch_pending(db *d, void *p)
{
    (void)d;
    return terms_batch_flush(p);
}

static void terms_batch_drop(void *p)
{
    terms_batch *b = p;
    for (terms_batch **l = &batches_live; *l; l = &(*l)->next)
        if (*l == b) {
            *l = b->next;
            break;
        }
    free(b->r);
    free(b->arena);
    free(b->ids);
    free(b->gens);
    free(b);
}

static const db_pending_ops terms_batch_ops = {.flush = terms_batch_pending,
                                               .drop = terms_batch_drop};

/* The batch of d's bulk load, made at its first terms; NULL when d is
 * not in one (or no memory for a batch: the terms are written at once). */
static terms_batch *terms_batch_of(db *d, bool make)
{
    if (!db_is_bulk(d))
        return NULL;
    terms_batch *b = db_pending_get(d, &terms_batch_ops);
    if (b || !make)
        return b;
    b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->d = d;
    b->h = db_handle(d);
    if (db_pending_put(d, &terms_batch_ops, b) != WS_OK) {
        free(b);
        return NULL; /* outside a transaction */
    }
    b->next = batches_live;
    batches_live = b;
    return b;
}

static ws_status terms_batch_add(terms_batch *b, int64_t kind, int64_t id, const terms *l)
{
    if (b->failed != WS_OK)
        return b->failed;
    if (b->n + l->n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + l->n)
            cap *= 2;
        batch_row *r = realloc(b->r, cap * sizeof *r);
        if (!r)
            return WS_ERR_NOMEM;
        b->r = r;
        b->cap = cap;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < l->n; i++)
        bytes += strlen(l->t[i]);
    if (b->used + bytes > b->arena_cap) {
        size_t cap = b->arena_cap ? b->arena_cap : 65536;
        while (cap < b->used + bytes)
            cap *= 2;
        char *a = realloc(b->arena, cap);
        if (!a)
            return WS_ERR_NOMEM;
        b->arena = a;
        b->arena_cap = cap;
    }
    size_t slot = id ? terms_batch_note(b, id) : NO_SLOT;
    if (id && slot == NO_SLOT)
        return WS_ERR_NOMEM;
    uint16_t gen = slot == NO_SLOT ? 0 : b->gens[slot];
    for (size_t i = 0; i < l->n; i++) {
        size_t len = strlen(l->t[i]);
        batch_row *e = &b->r[b->n++];
        e->head = 0;
        for (size_t j = 0; j < 8; j++)
            e->head = e->head << 8 | (j < len ? (unsigned char)l->t[i][j] : 0);
        e->kind = kind;
        e->id = id;
        e->off = (uint32_t)b->used;
        e->len = (uint16_t)len;
        e->gen = gen;
        memcpy(b->arena + b->used, l->t[i], len);
        b->used += len;
    }
    db_pending_wrote(b->d, (int64_t)l->n);
    return b->n >= BATCH_FLUSH ? terms_batch_flush(b) : WS_OK;
}

/* ---- a record's term set ----
 * record_terms has one b-tree, its key (kind, term, id): a second index by
 * (kind, id) for deletes doubled what every term cost. A delete finds the
 * record's terms in record_term_sets instead, one row a record written
 * with its terms: each term as a length byte and its bytes. */

static ws_status sets_append(db *d, int64_t kind, int64_t id, const terms *l)
{
    if (l->n == 0)
        return WS_OK;
    size_t bytes = 0;
    for (size_t i = 0; i < l->n; i++)
        bytes += 1 + strlen(l->t[i]);
    /* Terms already there (a first head's name after the household's own). */
    sqlite3_stmt *q = db_prepare(d, "SELECT terms FROM record_term_sets WHERE kind = ?1 AND id = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, kind);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    size_t had = rc == SQLITE_ROW ? (size_t)sqlite3_column_bytes(q, 0) : 0;
    unsigned char *blob = rc == SQLITE_ROW || rc == SQLITE_DONE ? malloc(had + bytes) : NULL;
    if (blob && had)
        memcpy(blob, sqlite3_column_blob(q, 0), had);
    db_reset(q);
    if (!blob)
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_ERR_NOMEM : db_status_from(rc);
    size_t at = had;
    for (size_t i = 0; i < l->n; i++) {
        size_t len = strlen(l->t[i]); /* < TERM_BYTES */
        blob[at++] = (unsigned char)len;
        memcpy(blob + at, l->t[i], len);
        at += len;
    }
    q = db_prepare(d, had ? "UPDATE record_term_sets SET terms = ?3 WHERE kind = ?1 AND id = ?2"
                          : "INSERT INTO record_term_sets(kind, id, terms) VALUES (?1, ?2, ?3)");
    ws_status s = q ? WS_OK : db_status(d);
    if (q) {
        sqlite3_bind_int64(q, 1, kind);
        sqlite3_bind_int64(q, 2, id);
        sqlite3_bind_blob(q, 3, blob, (int)at, SQLITE_STATIC);
        rc = sqlite3_step(q);
        sqlite3_clear_bindings(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    free(blob);
    return s;
}

static bool set_has(const unsigned char *b, size_t n, const char *t)
{
    size_t len = strlen(t);
    for (size_t at = 0; at < n;) {
        size_t l = b[at++];
        if (l == len && at + l <= n && memcmp(b + at, t, l) == 0)
            return true;
        at += l;
    }
    return false;
}

ws_status record_terms_current(station *st, const record_kind *k, int64_t id, void *rec,
                               bool *same)
{
    *same = true;
    if (k->own_search)
        return WS_OK;
    db *d = station_db(st);
    int64_t kind;
    ws_status s = kind_code(d, k, false, &kind);
    if (s == WS_ERR_NOT_FOUND)
        kind = -1; /* no record of k has terms yet */
    else if (s != WS_OK)
        return s;
    terms l = {0};
    s = terms_of(st, k, rec, &l);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, "SELECT terms FROM record_term_sets"
                                                 " WHERE kind = ?1 AND id = ?2") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, kind);
        sqlite3_bind_int64(q, 2, id);
        int rc = sqlite3_step(q);
        const unsigned char *b = rc == SQLITE_ROW ? sqlite3_column_blob(q, 0) : NULL;
        size_t n = rc == SQLITE_ROW ? (size_t)sqlite3_column_bytes(q, 0) : 0;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            s = db_status_from(rc);
        /* Every term it would be given is kept, and every term kept is one
         * it would be given (a set is appended to, in no order). */
        for (size_t i = 0; s == WS_OK && *same && i < l.n; i++)
            *same = set_has(b, n, l.t[i]);
        for (size_t at = 0; s == WS_OK && *same && at < n;) {
            size_t len = b[at++], i = 0;
            for (; i < l.n; i++)
                if (strlen(l.t[i]) == len && at + len <= n && memcmp(b + at, l.t[i], len) == 0)
                    break;
            *same = i < l.n;
            at += len;
        }
        db_reset(q);
    }
    free(l.t);
    return s;
}

ws_status record_terms_delete(db *d, const record_kind *k, int64_t id)
{
    if (k->own_search)
        return WS_OK;
    /* Rows of this record still in the batch are dropped there: a flush
     * for every record saved twice in a bulk load (a case, then its
     * stage) would sort and write the batch each time. */
    terms_batch *b = terms_batch_of(d, false);
    size_t slot = b ? terms_batch_slot(b, id) : NO_SLOT;
    if (slot != NO_SLOT && b->gens[slot] == UINT16_MAX) {
        ws_status s = terms_batch_flush(b);
        if (s != WS_OK)
            return s;
    } else if (slot != NO_SLOT) {
        b->gens[slot]++;
        b->dead = true;
    }
    int64_t kind;
    ws_status s = kind_code(d, k, false, &kind);
    if (s != WS_OK)
        return s == WS_ERR_NOT_FOUND ? WS_OK : s; /* no record of k has terms */
    sqlite3_stmt *q = db_prepare(d, "SELECT terms FROM record_term_sets WHERE kind = ?1 AND id = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, kind);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    size_t n = rc == SQLITE_ROW ? (size_t)sqlite3_column_bytes(q, 0) : 0;
    unsigned char *blob = n ? malloc(n) : NULL;
    if (blob)
        memcpy(blob, sqlite3_column_blob(q, 0), n);
    db_reset(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? WS_OK : db_status_from(rc); /* no terms */
    if (n && !blob)
        return WS_ERR_NOMEM;
    for (size_t at = 0; s == WS_OK && at < n;) {
        size_t len = blob[at++];
        if (len > n - at)
            break; /* not a set this code wrote */
        q = db_prepare(d, "DELETE FROM record_terms WHERE kind = ?1 AND term = ?2 AND id = ?3");
        if (!q) {
            s = db_status(d);
            break;
        }
        sqlite3_bind_int64(q, 1, kind);
        sqlite3_bind_text(q, 2, (const char *)blob + at, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, id);
        rc = sqlite3_step(q);
        sqlite3_clear_bindings(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        at += len;
    }
    free(blob);
    if (s == WS_OK) {
        q = db_prepare(d, "DELETE FROM record_term_sets WHERE kind = ?1 AND id = ?2");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, kind);
        sqlite3_bind_int64(q, 2, id);
        rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    return s;
}

ws_status record_terms_delete_of(db *d, const record_kind *k, const char *ids_sql, int64_t arg)
{
    /* Ids read first, terms deleted after: one statement at a time. */
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *q = db_prepare(d, ids_sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, arg);
    ws_status s = WS_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *grown = realloc(ids, (cap = cap ? cap * 2 : 16) * sizeof *ids);
            if (!grown) {
                s = WS_ERR_NOMEM;
                break;
            }
            ids = grown;
        }
        ids[n++] = sqlite3_column_int64(q, 0);
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = record_terms_delete(d, k, ids[i]);
    free(ids);
    return s;
}

static ws_status terms_insert(db *d, const record_kind *k, int64_t id, const terms *lp);

ws_status record_terms_add_text(station *st, const record_kind *k, int64_t id, const char *text)
{
    terms l = {0};
    text_terms(&l, text, true);
    ws_status s = l.oom ? WS_ERR_NOMEM : terms_insert(station_db(st), k, id, &l);
    free(l.t);
    return s;
}

ws_status record_terms_write(station *st, const record_kind *k, int64_t id, void *rec,
                             bool replace)
{
    if (k->own_search)
        return WS_OK; /* kept by its write_row hook */
    db *d = station_db(st);
    ws_status s = replace ? record_terms_delete(d, k, id) : WS_OK;
    terms l = {0};
    if (s == WS_OK)
        s = terms_of(st, k, rec, &l);
    if (s == WS_OK)
        s = terms_insert(d, k, id, &l);
    free(l.t);
    return s;
}

/* Write a record's terms, sixteen a statement (a record has tens). */
static ws_status terms_insert(db *d, const record_kind *k, int64_t id, const terms *lp)
{
    if (lp->n == 0)
        return WS_OK;
    int64_t kind;
    ws_status s = kind_code(d, k, true, &kind);
    if (s == WS_OK)
        s = sets_append(d, kind, id, lp);
    terms_batch *b = s == WS_OK ? terms_batch_of(d, true) : NULL;
    if (b || s != WS_OK)
        return s == WS_OK ? terms_batch_add(b, kind, id, lp) : s;
    const terms l = *lp;
    /* Sixteen terms a statement: a record has tens of them. */
    static const char *const many = "INSERT OR IGNORE INTO record_terms(kind, term, id) VALUES"
        " (?1,?2,?3),(?1,?4,?3),(?1,?5,?3),(?1,?6,?3),(?1,?7,?3),(?1,?8,?3),(?1,?9,?3),"
        "(?1,?10,?3),(?1,?11,?3),(?1,?12,?3),(?1,?13,?3),(?1,?14,?3),(?1,?15,?3),(?1,?16,?3),"
        "(?1,?17,?3),(?1,?18,?3)";
    enum { MANY = 16 };
    for (size_t i = 0; s == WS_OK && i < l.n;) {
        bool full = l.n - i >= MANY;
        sqlite3_stmt *q = db_prepare(d, full ? many
                                              : "INSERT OR IGNORE INTO record_terms(kind, term, id)"
                                                " VALUES (?1, ?2, ?3)");
        if (!q) {
            s = db_status(d);
            break;
        }
        sqlite3_bind_int64(q, 1, kind);
        sqlite3_bind_int64(q, 3, id);
        db_bind_text(q, 2, l.t[i++]);
        for (int p = 4; full && p < 4 + MANY - 1; p++)
            db_bind_text(q, p, l.t[i++]);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    return s;
}

/* Bind a marked term's range: every term that begins with mark and text
 * (a byte 0xff follows no UTF-8 text's byte). */
static void bind_range(sqlite3_stmt *q, int lo, int hi, char mark, const char *text, size_t len)
{
    char g[TERM_BYTES + 2];
    if (len + 2 > sizeof g) { /* longer than any term: it begins none */
        sqlite3_bind_null(q, lo);
        sqlite3_bind_null(q, hi);
        return;
    }
    g[0] = mark;
    memcpy(g + 1, text, len);
    g[len + 1] = '\xff';
    sqlite3_bind_text(q, lo, g, (int)len + 1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, hi, g, (int)len + 2, SQLITE_TRANSIENT);
}

void record_terms_bind(sqlite3_stmt *q, const char *term)
{
    /* A search inside a bulk load sees its terms: the batch goes in first
     * (a failure is kept for the commit, which it fails). */
    for (terms_batch *b = batches_live; b; b = b->next)
        if (b->h == sqlite3_db_handle(q))
            terms_batch_flush(b);
    db_bind_text_or_null(q, 1, term);
    size_t off[TERM_CPS + 1], n = 0, i = 0, len = term ? strlen(term) : 0;
    if (term)
        bind_range(q, RECORD_TERMS_PREFIX_PARAM, RECORD_TERMS_PREFIX_PARAM + 1, PREFIX_MARK, term,
                   len);
    else
        sqlite3_bind_null(q, RECORD_TERMS_PREFIX_PARAM);
    /* A query longer than a gram: every one of up to four of its grams
     * (first, last and between) must be a term of the record too. */
    uint32_t cp;
    while (i < len && n < TERM_CPS) {
        off[n++] = i;
        i += text_utf8_next(term + i, len - i, &cp);
    }
    off[n] = i;
    /* A query of one to three characters is a gram itself (?5 alone). */
    size_t width = n < GRAM_MAX ? n : GRAM_MAX;
    for (int slot = 0; slot < RECORD_TERMS_GRAMS; slot++) {
        if (n == 0) {
            sqlite3_bind_null(q, RECORD_TERMS_GRAM_PARAM + slot);
            continue;
        }
        size_t last = n - width;
        size_t a = last * (size_t)slot / (RECORD_TERMS_GRAMS - 1);
        bind_range(q, RECORD_TERMS_GRAM_PARAM + slot, RECORD_TERMS_GRAM_END_PARAM + slot,
                   GRAM_MARK, term + off[a], off[a + width] - off[a]);
    }
}

char *record_terms_query(const char *filter)
{
    if (!filter || !*filter)
        return NULL;
    char *f = fold_compact(filter);
    if (f && !*f) {
        free(f);
        return NULL; /* only spaces: no filter */
    }
    return f;
}
