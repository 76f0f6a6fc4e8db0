/* Search terms of the declared kinds (households, communities and those to
 * come): every substring of a searchable field's folded text, the prefixes
 * of its pinyin and initials, the tails of its digits. A query is one term
 * looked up exactly, so the search box answers from an index for any kind.
 * Residents keep their own, larger index (search.c). */
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "text_internal.h"
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

/* full: every substring (up to SUBSTR_MAX) and the pinyin, for what
 * names a record (a title, a head's name); otherwise (an address) only its
 * grams of one to three characters, which a longer query is checked
 * against gram by gram (record_terms_bind). */
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
         * clerk types it, not every run of digits inside it. */
        for (size_t k = 1; k <= n; k++)
            terms_add(l, f, off[k]);
        for (size_t a = 1; a + 2 <= n; a++)
            terms_add(l, f + off[a], off[n] - off[a]);
    } else if (full) {
        for (size_t a = 0; a < n; a++)
            for (size_t k = 1; k <= SUBSTR_MAX && a + k <= n; k++)
                terms_add(l, f + off[a], off[a + k] - off[a]);
    }
    if (!full) {
        /* Grams in a space of their own (GRAM_MARK first): a title's
         * prefixes and tails must not answer for them. */
        char g[TERM_BYTES];
        for (size_t a = 0; a < n; a++)
            for (size_t k = 1; k <= GRAM_MAX && a + k <= n; k++) {
                size_t len = off[a + k] - off[a];
                if (len + 2 > sizeof g)
                    continue;
                g[0] = GRAM_MARK;
                memcpy(g + 1, f + off[a], len);
                terms_add(l, g, len + 1);
            }
        free(f);
        return;
    }
    text_pinyin py = {0};
    if (text_pinyin_text(f, &py) == WS_OK && py.full && strcmp(py.full, f) != 0) {
        for (size_t k = 1; k <= strlen(py.full) && k <= PREFIX_MAX; k++)
            terms_add(l, py.full, k);
        for (size_t k = 1; py.initials && k <= strlen(py.initials) && k <= PREFIX_MAX; k++)
            terms_add(l, py.initials, k);
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

static ws_status terms_of(station *st, const record_kind *k, void *rec, terms *l)
{
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (!(f->flags & FF_SEARCH) || field_is_int(f))
            continue;
        if (f->type == FLD_ID_NUMBER || f->type == FLD_PHONE || f->type == FLD_DIGITS)
            digit_terms(l, field_str(f, rec));
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

ws_status record_terms_delete(db *d, const record_kind *k, int64_t id)
{
    sqlite3_stmt *q = db_prepare(d, "DELETE FROM record_terms WHERE kind = ?1 AND id = ?2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, k->name);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
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
    const terms l = *lp;
    ws_status s = WS_OK;
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
        db_bind_text(q, 1, k->name);
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

void record_terms_bind(sqlite3_stmt *q, const char *term)
{
    db_bind_text_or_null(q, 1, term);
    /* A query longer than a gram: every one of up to four of its grams
     * (first, last and between) must be a term of the record too. */
    size_t off[TERM_CPS + 1], n = 0, i = 0, len = term ? strlen(term) : 0;
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
        char g[TERM_BYTES];
        size_t len = off[a + width] - off[a];
        if (len + 2 > sizeof g)
            len = 0;
        g[0] = GRAM_MARK;
        memcpy(g + 1, term + off[a], len);
        sqlite3_bind_text(q, RECORD_TERMS_GRAM_PARAM + slot, g, (int)len + 1, SQLITE_TRANSIENT);
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
