/* The resident search query: what the clerk typed, classified into an
 * ordered list of groups (exact name, prefix, rest, address; or pinyin,
 * mixed, digits), each read from the index in a fixed order. A row belongs
 * to exactly one group (row_group), which also serves to continue paging
 * from any row. See search.c for the terms. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "text_internal.h"
#include "wushe/text.h"


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

/* Put a matching row into the run (once: the other term of a group may
 * bring it again). */
static ws_status run_put(run *r, int64_t id, const void *key, size_t keylen)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->c[i].id == id)
            return WS_OK;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        cand *grown = realloc(r->c, cap * sizeof *grown);
        if (!grown)
            return WS_ERR_NOMEM;
        r->c = grown;
        r->cap = cap;
    }
    cand *c = &r->c[r->n++];
    c->id = id;
    c->keylen = keylen < sizeof c->key ? keylen : sizeof c->key;
    memcpy(c->key, key, c->keylen);
    return WS_OK;
}

/* Add the posting's row to the run when it belongs to group gi. */
static ws_status run_add(query *q, int gi, run *r, int64_t seq)
{
    qrow row;
    bool found = false;
    ws_status s = qrow_load(q, seq, QROW_BY_SEQ, &row, &found);
    if (s != WS_OK || !found || row_group(q, &row) != gi)
        return s;
    return run_put(r, row.id, row.key, row.keylen);
}

/* Before a posting joins the run: a new ord first flushes the run. False
 * when the page is full (stop reading). */
static bool run_next(run *r, const posting *p, const qcursor *cur, int dir, qout *o, bool *full)
{
    if (r->ordlen && !run_same(r, p)) {
        run_flush(r, cur, dir, o);
        if (o->n >= o->max) {
            *full = true;
            return false;
        }
    }
    memcpy(r->ord, p->ord, p->ordlen);
    r->ordlen = p->ordlen;
    return true;
}

/* Feed one posting whose row is still to be loaded and checked. */
static ws_status run_feed(query *q, int gi, run *r, const posting *p, const qcursor *cur, int dir,
                          qout *o, bool *full)
{
    return run_next(r, p, cur, dir, o, full) ? run_add(q, gi, r, p->seq) : WS_OK;
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

/* Walk the register in pinyin order: right when matches are dense. */
static ws_status fetch_walk(query *q, int gi, const qcursor *cur, int dir, qout *o)
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
    int rc = SQLITE_DONE;
    while (o->n < o->max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        qrow_read(st, r);
        if (row_group(q, r) == gi)
            o->ids[o->n++] = r->id;
    }
    free(r);
    db_reset(st);
    return o->n == o->max || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

#define FTS_CAP 2000 /* more matches than this: walk in pinyin order */

/* The query as FTS5 terms, "g1" "g2" ... (all of them), the 4-grams of a
 * digit query (X upper case) as the tokenizer cut the documents. The index
 * keeps no positions; the SQL check below sees that the digits are really
 * next to each other. False when the query has no gram (a walk then). */
static bool fts_phrase(const query *q, char *out, size_t outsz)
{
    const int n = 4;
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    size_t k = cp_offsets(q->nq, off, cps);
    if (k < (size_t)n)
        return false;
    for (size_t i = 0; i < k; i++)
        if (!is_gram_char(cps[i], true))
            return false;
    size_t j = 0;
    for (size_t i = 0; i + (size_t)n <= k; i++) {
        size_t len = off[i + n] - off[i];
        if (j + len + 4 >= outsz)
            return false;
        if (i)
            out[j++] = ' ';
        out[j++] = '"';
        for (size_t b = 0; b < len; b++) {
            char c = q->nq[off[i] + b];
            out[j++] = c == 'x' ? 'X' : c;
        }
        out[j++] = '"';
    }
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

/* The rarest bigram's postings that the next two also have, joined to their
 * rows and checked there (the query in the folded address, not in the name,
 * which the name groups cover): no row leaves SQLite unless it matches. */
#define ADDR_SQL(cmp, order)                                                        \
    "SELECT a.ord, a.seq, r.id, r.sort_key FROM search_names a"                     \
    " JOIN residents r ON r.seq = a.seq AND r.deleted_at IS NULL"                   \
    " WHERE a.term = ?1 AND a.ord " cmp " ?4"                                       \
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?2"    \
    "  AND b.ord = a.ord AND b.seq = a.seq))"                                       \
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE b.term = ?3"    \
    "  AND b.ord = a.ord AND b.seq = a.seq))"                                       \
    " AND instr(r.name_folded, ?5) = 0 AND instr(r.search_text, ?5) > 0"            \
    " ORDER BY " order

static const char *const addr_sql[2] = {
    ADDR_SQL(">=", "a.ord, a.seq"),
    ADDR_SQL("<=", "a.ord DESC, a.seq DESC"),
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
        sqlite3_bind_text(st, 5, q->nq, -1, SQLITE_STATIC);
        run r = {0};
        bool full = false;
        posting p;
        while (s == WS_OK && !full && (s = posting_step(st, &p)) == WS_OK && p.live) {
            if (run_next(&r, &p, cur, dir, o, &full))
                s = run_put(&r, sqlite3_column_int64(st, 2), sqlite3_column_blob(st, 3),
                            (size_t)sqlite3_column_bytes(st, 3));
        }
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
    bool began = db_read_begin(d);
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
    db_read_end(d, began);
    free(q);
    return s;
}

