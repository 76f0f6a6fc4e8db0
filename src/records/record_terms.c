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

static void text_terms(terms *l, const char *value)
{
    char *f = fold_compact(value);
    if (!f) {
        l->oom = true;
        return;
    }
    size_t len = strlen(f), off[TERM_CPS + 1], n = 0, i = 0;
    uint32_t cp;
    while (i < len && n < TERM_CPS) {
        off[n++] = i;
        i += text_utf8_next(f + i, len - i, &cp);
    }
    off[n] = i;
    for (size_t a = 0; a < n; a++)
        for (size_t k = 1; k <= SUBSTR_MAX && a + k <= n; k++)
            terms_add(l, f + off[a], off[a + k] - off[a]);
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
            text_terms(l, field_str(f, rec));
    }
    if (k->hooks.search_text) {
        char more[512] = "";
        k->hooks.search_text(st, rec, more, sizeof more);
        if (*more)
            text_terms(l, more);
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

ws_status record_terms_write(station *st, const record_kind *k, int64_t id, void *rec,
                             bool replace)
{
    db *d = station_db(st);
    ws_status s = replace ? record_terms_delete(d, k, id) : WS_OK;
    terms l = {0};
    if (s == WS_OK)
        s = terms_of(st, k, rec, &l);
    sqlite3_stmt *q = s == WS_OK && l.n
                          ? db_prepare(d, "INSERT OR IGNORE INTO record_terms(kind, term, id)"
                                          " VALUES (?1, ?2, ?3)")
                          : NULL;
    if (s == WS_OK && l.n && !q)
        s = db_status(d);
    for (size_t i = 0; s == WS_OK && i < l.n; i++) {
        db_bind_text(q, 1, k->name);
        db_bind_text(q, 2, l.t[i]);
        sqlite3_bind_int64(q, 3, id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    free(l.t);
    return s;
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
