/* The resident search query: what the clerk typed, classified into an
 * ordered list of groups (exact name, prefix, rest, address; or the
 * syllables of a name, digits), each read from the index in a fixed order.
 * A row belongs to exactly one group (row_group), which also serves to
 * continue paging from any row. See search.c for the terms.
 *
 * Nothing here opens ICU's transliterators (building one takes a tenth of a
 * second, far more than a search): the query is folded with a table made
 * from them (search_fold_table.h), and a name's pinyin is read from the
 * syllables stored with it. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "text_internal.h"
#include "wushe/text.h"

/* Q_NAME: Chinese characters and Latin letters, each syllable of a name by
 * its character, its full pinyin or its initial (陈lh, chenlh, clihua). */
typedef enum { Q_HAN, Q_NAME, Q_DIGITS, Q_OTHER } qclass;

typedef enum {
    G_TERM,   /* postings of its streams, merged in (ord, seq) order */
    G_FTS,    /* search_fts matches sorted by (sort_key, id), or a walk */
    G_ADDR,   /* address bigram postings in (ord, seq) order, probed */
    G_WALK,   /* every living resident in (sort_key, id) order */
} gkind;

#define MAX_PROBES 3
#define MAX_STREAMS 16

/* The postings of one term that also have the probe terms (same row). */
typedef struct qstream {
    char term[TERM_MAX];
    char probe[MAX_PROBES][TERM_MAX];
    int nprobes;
} qstream;

typedef struct qgroup {
    gkind kind;
    const qstream *s; /* G_TERM */
    int ns;
} qgroup;

typedef struct query {
    db *d;
    qclass cls;
    char nq[TERM_MAX];           /* folded query without spaces */
    size_t n;                    /* its code points */
    size_t off[MAX_CPS + 1];
    uint32_t cps[MAX_CPS];
    bool letters_on[MAX_CPS + 1]; /* only Latin letters from here to the end */
    qstream st[MAX_STREAMS + 3];
    int nst;
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

/* ------------------------------------------------------------- folding */

#include "search_fold_table.h"

/* What text_fold makes of one code point of U+2E80..U+2FFFF (Chinese
 * characters, radicals, full-width forms, ...): the table's entry, or the
 * code point itself. */
static void fold_cjk(uint32_t cp, growbuf *out)
{
    char key[8];
    key[0] = '\n';
    size_t k = text_utf8_encode(cp, key + 1) + 1;
    key[k++] = ' ';
    const char *hit = memmem(search_fold_table, sizeof search_fold_table - 1, key, k);
    if (hit) {
        hit += k;
        gb_put(out, hit, strcspn(hit, "\n"));
    } else {
        gb_put(out, key + 1, k - 2);
    }
}

/* Anything else: ASCII by hand, the rest (accents, Greek, ...) through
 * text_fold, which opens no transliterator for them. */
static void fold_other(const char *s, size_t n, growbuf *out)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        ascii = ascii && (unsigned char)s[i] < 0x80;
    if (ascii) {
        for (size_t i = 0; i < n; i++) {
            char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
            gb_put(out, &c, 1);
        }
        return;
    }
    char *run = malloc(n + 1);
    char *f = NULL;
    if (run) {
        memcpy(run, s, n);
        run[n] = '\0';
        f = text_fold(run);
    }
    if (f)
        gb_put(out, f, strlen(f));
    else
        out->oom = true;
    free(run);
    free(f);
}

char *search_fold(const char *s)
{
    growbuf out = {0};
    gb_put(&out, "", 0);
    size_t len = s ? strlen(s) : 0, i = 0, other = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = text_utf8_next(s + i, len - i, &cp);
        if (cp != TEXT_INVALID_CP && cp >= 0x2E80 && cp < 0x30000) {
            fold_other(s + other, i - other, &out);
            fold_cjk(cp, &out);
            other = i + k;
        }
        i += k;
    }
    fold_other(s + other, len - other, &out);
    if (out.oom) {
        free(out.s);
        return NULL;
    }
    return out.s;
}

/* ------------------------------------------------------------- syllables */

/* Every syllable ICU's Han-Latin gives a Chinese character, toneless and
 * in ASCII (test_search checks the list against ICU). */
static const char *const pinyin_syllables[] = {
    "a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "beng", "bi",
    "bian", "biao", "bie", "bin", "bing", "bo", "bu", "ca", "cai", "can", "cang", "cao", "ce",
    "cei", "cen", "ceng", "cha", "chai", "chan", "chang", "chao", "che", "chen", "cheng", "chi",
    "chong", "chou", "chu", "chua", "chuai", "chuan", "chuang", "chui", "chun", "chuo", "ci",
    "cong", "cou", "cu", "cuan", "cui", "cun", "cuo", "da", "dai", "dan", "dang", "dao", "de",
    "den", "deng", "di", "dian", "diao", "die", "din", "ding", "diu", "dong", "dou", "du", "duan",
    "dui", "dun", "duo", "e", "ei", "en", "eng", "er", "fa", "fan", "fang", "fei", "fen", "feng",
    "fiao", "fo", "fou", "fu", "ga", "gai", "gan", "gang", "gao", "ge", "gei", "gen", "geng",
    "gong", "gou", "gu", "gua", "guai", "guan", "guang", "gui", "gun", "guo", "ha", "hai", "han",
    "hang", "hao", "he", "hei", "hen", "heng", "hm", "hong", "hou", "hu", "hua", "huai", "huan",
    "huang", "hui", "hun", "huo", "ji", "jia", "jian", "jiang", "jiao", "jie", "jin", "jing",
    "jiong", "jiu", "ju", "juan", "jue", "jun", "ka", "kai", "kan", "kang", "kao", "ke", "kei",
    "ken", "keng", "kong", "kou", "ku", "kua", "kuai", "kuan", "kuang", "kui", "kun", "kuo", "la",
    "lai", "lan", "lang", "lao", "le", "lei", "leng", "li", "lia", "lian", "liang", "liao", "lie",
    "lin", "ling", "liu", "lo", "long", "lou", "lu", "luan", "lue", "lun", "luo", "m", "ma", "mai",
    "man", "mang", "mao", "me", "mei", "men", "meng", "mi", "mian", "miao", "mie", "min", "ming",
    "miu", "mo", "mou", "mu", "n", "na", "nai", "nan", "nang", "nao", "ne", "nei", "nen", "neng",
    "ni", "nian", "niang", "niao", "nie", "nin", "ning", "niu", "nong", "nou", "nu", "nuan", "nue",
    "nun", "nuo", "o", "ou", "pa", "pai", "pan", "pang", "pao", "pei", "pen", "peng", "pi", "pian",
    "piao", "pie", "pin", "ping", "po", "pou", "pu", "qi", "qia", "qian", "qiang", "qiao", "qie",
    "qin", "qing", "qiong", "qiu", "qu", "quan", "que", "qun", "ran", "rang", "rao", "re", "ren",
    "reng", "ri", "rong", "rou", "ru", "rua", "ruan", "rui", "run", "ruo", "sa", "sai", "san",
    "sang", "sao", "se", "sen", "seng", "sha", "shai", "shan", "shang", "shao", "she", "shei",
    "shen", "sheng", "shi", "shou", "shu", "shua", "shuai", "shuan", "shuang", "shui", "shun",
    "shuo", "si", "song", "sou", "su", "suan", "sui", "sun", "suo", "ta", "tai", "tan", "tang",
    "tao", "te", "teng", "ti", "tian", "tiao", "tie", "ting", "tong", "tou", "tu", "tuan", "tui",
    "tun", "tuo", "wa", "wai", "wan", "wang", "wei", "wen", "weng", "wo", "wong", "wu", "xi",
    "xia", "xian", "xiang", "xiao", "xie", "xin", "xing", "xiong", "xiu", "xu", "xuan", "xue",
    "xun", "ya", "yan", "yang", "yao", "ye", "yi", "yin", "ying", "yo", "yong", "you", "yu",
    "yuan", "yue", "yun", "za", "zai", "zan", "zang", "zao", "ze", "zei", "zen", "zeng", "zha",
    "zhai", "zhan", "zhang", "zhao", "zhe", "zhen", "zheng", "zhi", "zhong", "zhou", "zhu", "zhua",
    "zhuai", "zhuan", "zhuang", "zhui", "zhun", "zhuo", "zi", "zong", "zou", "zu", "zuan", "zui",
    "zun", "zuo"
};

static int syl_cmp(const void *key, const void *elem)
{
    const char *const *e = elem;
    return strcmp(key, *e);
}

/* Whether s[0..n) is a syllable (exact) or begins one (prefix). */
static bool syllable_find(const char *s, size_t n, bool prefix)
{
    char w[8];
    if (n == 0 || n >= sizeof w)
        return false;
    memcpy(w, s, n);
    w[n] = '\0';
    size_t count = sizeof pinyin_syllables / sizeof pinyin_syllables[0];
    if (!prefix)
        return bsearch(w, pinyin_syllables, count, sizeof *pinyin_syllables, syl_cmp) != NULL;
    /* The first syllable not below w begins with it when any does. */
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(pinyin_syllables[mid], w) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && strncmp(pinyin_syllables[lo], w, n) == 0;
}

bool pinyin_syllable(const char *s, size_t n)
{
    return syllable_find(s, n, false);
}

/* How the query's code points from qi on can give the name's syllables from
 * ui on, reading v: bit 1 when every syllable is given (exact), bit 0 when
 * the query ends first (a prefix). memo[qi * (nu + 1) + ui], -1 unknown. */
enum { M_PREFIX = 1, M_EXACT = 2 };

static int syl_match(const query *q, const syl_unit *u, size_t nu, int v, size_t qi, size_t ui,
                     signed char *memo)
{
    if (qi == q->n)
        return ui == nu ? M_EXACT : M_PREFIX;
    if (ui == nu)
        return 0;
    signed char *m = &memo[qi * (nu + 1) + ui];
    if (*m >= 0)
        return *m;
    int res = 0;
    const char *qs = q->nq + q->off[qi];
    uint32_t c = q->cps[qi];
    if (is_han_cp(c)) {
        /* A character is that character, written where the name has it. */
        size_t cl = q->off[qi + 1] - q->off[qi];
        if (u[ui].clen == cl && memcmp(u[ui].chars, qs, cl) == 0)
            res = syl_match(q, u, nu, v, qi + 1, ui + 1, memo);
    } else {
        int r = v && u[ui].rlen[1] ? 1 : 0;
        const char *rd = u[ui].read[r];
        size_t rl = u[ui].rlen[r];
        size_t left = q->n - qi; /* code points; letters are one byte each */
        if (rl && rd[0] == qs[0]) /* the initial */
            res |= syl_match(q, u, nu, v, qi + 1, ui + 1, memo);
        if (rl >= 2 && rl <= left && memcmp(qs, rd, rl) == 0) /* the full pinyin */
            res |= syl_match(q, u, nu, v, qi + rl, ui + 1, memo);
        /* the beginning of the pinyin of the last syllable typed */
        if (q->letters_on[qi] && left >= 2 && left < rl && memcmp(qs, rd, left) == 0)
            res |= M_PREFIX;
    }
    *m = (signed char)res;
    return res;
}

/* 0: the query gives every syllable of the name, 1: its first syllables,
 * -1: neither (by the name's reading or a polyphonic surname's other one). */
static int name_group(const query *q, const qrow *r)
{
    if (r->text[0] != '|')
        return -1;
    syl_unit u[MAX_CPS];
    size_t nu = syllables_parse(r->text + 1, strlen(r->text + 1), u, MAX_CPS);
    bool alt = false;
    for (size_t i = 0; i < nu; i++)
        alt = alt || u[i].rlen[1];
    signed char memo[(MAX_CPS + 1) * (MAX_CPS + 1)];
    int best = 0;
    for (int v = 0; v <= (int)alt && best != M_EXACT; v++) {
        memset(memo, -1, (q->n + 1) * (nu + 1));
        int m = syl_match(q, u, nu, v, 0, 0, memo);
        best = m & M_EXACT ? M_EXACT : best | m;
    }
    return best == M_EXACT ? 0 : best ? 1 : -1;
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
         * digits there cannot hold a Chinese query that missed the name
         * (the syllables have letters between characters). */
        return q->ng > 3 && strstr(r->text, q->nq) ? 3 : -1;
    case Q_NAME:
        return name_group(q, r);
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

static void group_term(query *q, char kind, size_t max, const char *text)
{
    qstream *s = &q->st[q->nst++];
    memset(s, 0, sizeof *s);
    term_trunc(s->term, kind, text, max);
    qgroup *g = &q->g[q->ng++];
    g->kind = G_TERM;
    g->s = s;
    g->ns = 1;
}

static void group_other(query *q, gkind kind)
{
    qgroup *g = &q->g[q->ng++];
    memset(g, 0, sizeof *g);
    g->kind = kind;
}

/* ---- the streams of a name query ----
 * Every way of reading the letters as syllables (each a pinyin syllable or
 * an initial) implies terms a matching row has: the pinyin prefix up to
 * the first initial (p), the initials (i), or after a first character its
 * character and the initials (m); Chinese characters later in the query
 * are name substrings (s). Each reading is a conjunction of such terms; the
 * rows are the union of the conjunctions, each streamed by its rarest term
 * and probed for the others, and checked against the stored syllables. */

#define CONJ_MAX 96
#define SEG_LETTERS 7 /* letters of the query that choose the terms */

typedef struct conj {
    char t[1 + MAX_PROBES][TERM_MAX];
    int n;
} conj;

typedef struct conjset {
    conj c[CONJ_MAX];
    size_t n;
    bool overflow;
} conjset;

static void conj_add_term(conj *c, char kind, const char *s, size_t len)
{
    if (c->n > MAX_PROBES || len == 0 || len + 2 > TERM_MAX)
        return;
    c->t[c->n][0] = kind;
    memcpy(c->t[c->n] + 1, s, len);
    c->t[c->n][len + 1] = '\0';
    c->n++;
}

typedef struct segwalk {
    const char *r;     /* the letters that choose the terms */
    size_t len;
    bool open_end;     /* the last piece may be the beginning of a syllable */
    const char *lead;  /* the first character, when the query starts with one */
    size_t leadlen;
    const conj *tail;  /* terms every reading shares (later characters) */
    size_t start[SEG_LETTERS];
    bool full[SEG_LETTERS];
    conjset *out;
} segwalk;

static void seg_emit(segwalk *w, size_t np)
{
    if (w->out->n == CONJ_MAX) {
        w->out->overflow = true;
        return;
    }
    conj *c = &w->out->c[w->out->n++];
    memset(c, 0, sizeof *c);
    char skel[SEG_LETTERS + 1];
    for (size_t i = 0; i < np; i++)
        skel[i] = w->r[w->start[i]];
    if (w->lead) {
        char m[TERM_MAX];
        size_t k = np < MIXED_PREFIX_MAX ? np : MIXED_PREFIX_MAX;
        memcpy(m, w->lead, w->leadlen);
        memcpy(m + w->leadlen, skel, k);
        conj_add_term(c, 'm', m, w->leadlen + k);
    } else {
        /* The pinyin prefix: whole syllables, then one more letter. */
        size_t p = 0;
        for (size_t i = 0; i < np; i++) {
            size_t end = i + 1 < np ? w->start[i + 1] : w->len;
            p = w->full[i] ? end : w->start[i] + 1;
            if (!w->full[i])
                break;
        }
        if (p > PINYIN_PREFIX_MAX)
            p = PINYIN_PREFIX_MAX;
        if (p >= 2)
            conj_add_term(c, 'p', w->r, p);
        conj_add_term(c, 'i', skel, np < INITIALS_PREFIX_MAX ? np : INITIALS_PREFIX_MAX);
    }
    for (int i = 0; i < w->tail->n; i++)
        if (c->n <= MAX_PROBES)
            memcpy(c->t[c->n++], w->tail->t[i], TERM_MAX);
}

static void seg_walk(segwalk *w, size_t pos, size_t np)
{
    if (pos == w->len) {
        seg_emit(w, np);
        return;
    }
    if (np == SEG_LETTERS || w->out->overflow)
        return;
    w->start[np] = pos;
    w->full[np] = false; /* an initial */
    seg_walk(w, pos + 1, np + 1);
    w->full[np] = true;
    for (size_t n = 2; n <= 6 && pos + n <= w->len; n++)
        if (pinyin_syllable(w->r + pos, n))
            seg_walk(w, pos + n, np + 1);
    size_t rest = w->len - pos;
    if (w->open_end && rest >= 2 && rest <= 6 && !pinyin_syllable(w->r + pos, rest) &&
        syllable_find(w->r + pos, rest, true))
        seg_emit(w, np + 1);
}

/* Whether every term of a is implied by a term of b (b's rows are a's). */
static bool conj_covers(const conj *a, const conj *b)
{
    for (int i = 0; i < a->n; i++) {
        bool implied = false;
        for (int j = 0; j < b->n && !implied; j++)
            implied = starts_with(b->t[j], a->t[i]);
        if (!implied)
            return false;
    }
    return true;
}

/* Postings of a term, counted up to a cap. */
static int64_t postings_count(query *q, const char *term, int64_t cap)
{
    sqlite3_stmt *cnt = db_prepare(q->d,
        "SELECT count(*) FROM (SELECT 1 FROM search_names WHERE term = ?1 LIMIT ?2)");
    if (!cnt)
        return cap;
    sqlite3_bind_text(cnt, 1, term, -1, SQLITE_STATIC);
    sqlite3_bind_int64(cnt, 2, cap);
    int64_t n = sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int64(cnt, 0) : cap;
    db_reset(cnt);
    return n;
}

#define COUNT_CAP 512

/* The streams of a name query, one per surviving conjunction. */
static ws_status name_streams(query *q)
{
    conjset *set = malloc(sizeof *set);
    if (!set)
        return WS_ERR_NOMEM;
    set->n = 0;
    set->overflow = false;
    size_t lead = 0;
    while (lead < q->n && is_han_cp(q->cps[lead]))
        lead++;
    /* Chinese characters after the first letters: name substrings. */
    conj tail = {0};
    for (size_t i = lead; i < q->n; i++) {
        if (!is_han_cp(q->cps[i]) || (i > lead && is_han_cp(q->cps[i - 1])))
            continue;
        size_t j = i;
        while (j < q->n && is_han_cp(q->cps[j]))
            j++;
        if (tail.n < MAX_PROBES)
            term_trunc(tail.t[tail.n++], 's', q->nq + q->off[i],
                       j - i < NAME_SUBSTR_MAX ? j - i : NAME_SUBSTR_MAX);
    }
    if (lead >= 2) {
        conj *c = &set->c[set->n++];
        memset(c, 0, sizeof *c);
        term_trunc(c->t[c->n++], 'f', q->nq, lead < NAME_PREFIX_MAX ? lead : NAME_PREFIX_MAX);
        for (int i = 0; i < tail.n && c->n <= MAX_PROBES; i++)
            memcpy(c->t[c->n++], tail.t[i], TERM_MAX);
    } else {
        /* The letters right after the first character (or at the start). */
        size_t a = lead, b = lead;
        while (b < q->n && !is_han_cp(q->cps[b]))
            b++;
        size_t len = q->off[b] - q->off[a];
        segwalk w = {.r = q->nq + q->off[a], .len = len < SEG_LETTERS ? len : SEG_LETTERS,
                     .open_end = true, .tail = &tail, .out = set};
        if (lead) {
            w.lead = q->nq;
            w.leadlen = q->off[1];
        }
        seg_walk(&w, 0, 0);
        /* Whole syllables the list may not know (a Latin name): the pinyin
         * prefix alone. */
        if (!lead && w.len >= 2 && set->n < CONJ_MAX) {
            conj *c = &set->c[set->n++];
            memset(c, 0, sizeof *c);
            conj_add_term(c, 'p', w.r, w.len < PINYIN_PREFIX_MAX ? w.len : PINYIN_PREFIX_MAX);
            for (int i = 0; i < tail.n && c->n <= MAX_PROBES; i++)
                memcpy(c->t[c->n++], tail.t[i], TERM_MAX);
        }
        if (set->overflow) {
            /* Too many readings (a long run of letters): the first letter. */
            set->n = 1;
            conj *c = &set->c[0];
            memset(c, 0, sizeof *c);
            if (lead)
                conj_add_term(c, 'm', q->nq, q->off[1] + (len ? 1 : 0));
            else
                conj_add_term(c, 'i', q->nq, 1);
            for (int i = 0; i < tail.n && c->n <= MAX_PROBES; i++)
                memcpy(c->t[c->n++], tail.t[i], TERM_MAX);
        }
    }
    /* Drop a conjunction another one covers (or repeats). */
    bool *gone = calloc(set->n ? set->n : 1, sizeof *gone);
    if (!gone) {
        free(set);
        return WS_ERR_NOMEM;
    }
    for (size_t i = 0; i < set->n; i++)
        for (size_t j = 0; j < set->n && !gone[i]; j++)
            if (j != i && !gone[j] && conj_covers(&set->c[j], &set->c[i]))
                gone[i] = true;
    /* Each survivor streams its rarest term; one with an absent term has
     * no rows at all. */
    q->nst = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (gone[i] || set->c[i].n == 0)
            continue;
        const conj *c = &set->c[i];
        int64_t cnt[1 + MAX_PROBES];
        int best = 0;
        for (int t = 0; t < c->n; t++) {
            cnt[t] = postings_count(q, c->t[t], COUNT_CAP);
            if (cnt[t] < cnt[best])
                best = t;
        }
        if (cnt[best] == 0)
            continue;
        if (q->nst == MAX_STREAMS) {
            /* More than the merge holds: stream the common beginning. */
            q->nst = 0;
            qstream *s = &q->st[q->nst++];
            memset(s, 0, sizeof *s);
            if (lead)
                term_trunc(s->term, 'f', q->nq, 1);
            else
                snprintf(s->term, sizeof s->term, "i%c", q->nq[0]);
            break;
        }
        qstream *s = &q->st[q->nst++];
        memset(s, 0, sizeof *s);
        memcpy(s->term, c->t[best], TERM_MAX);
        for (int t = 0; t < c->n; t++)
            if (t != best && s->nprobes < MAX_PROBES)
                memcpy(s->probe[s->nprobes++], c->t[t], TERM_MAX);
    }
    free(gone);
    free(set);
    for (int k = 0; k < 2; k++) {
        qgroup *g = &q->g[q->ng++];
        g->kind = G_TERM;
        g->s = q->st;
        g->ns = q->nst;
    }
    return WS_OK;
}

static ws_status query_init(query *q, db *d, const char *text)
{
    memset(q, 0, sizeof *q);
    q->d = d;
    char *f = search_fold(text);
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

    size_t n = q->n = cp_offsets(q->nq, q->off, q->cps);
    const uint32_t *cps = q->cps;
    size_t han = 0, alpha = 0, digit = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_han_cp(cps[i]))
            han++;
        else if (is_ascii_alpha(cps[i]))
            alpha++;
        else if (is_ascii_digit(cps[i]))
            digit++;
    }
    q->letters_on[n] = true;
    for (size_t i = n; i-- > 0;)
        q->letters_on[i] = q->letters_on[i + 1] && is_ascii_alpha(cps[i]);
    bool id_tail = n >= 4 && digit == n - 1 && cps[n - 1] == 'x';
    if ((digit == n && n >= 4) || id_tail) {
        q->cls = Q_DIGITS;
        group_other(q, G_FTS);
    } else if (han && !alpha) {
        q->cls = Q_HAN;
        group_term(q, 'e', MAX_CPS, q->nq);
        group_term(q, 'f', NAME_PREFIX_MAX, q->nq);
        group_term(q, 's', NAME_SUBSTR_MAX, q->nq);
        /* Addresses from two characters on ("学堂湾"); one character
         * would match half the register. */
        if (n >= 2)
            group_other(q, G_ADDR);
    } else if (alpha && han + alpha == n) {
        q->cls = Q_NAME;
        return name_streams(q);
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

/* A stream: its term's postings from the cursor's ord on, each with the
 * probe terms too (?3..?5, NULL when unused). One statement per stream of
 * a merge: the connection caches statements by their text. */
#define PROBE(n) " AND (?" #n " IS NULL OR EXISTS (SELECT 1 FROM search_names b WHERE" \
                 " b.term = ?" #n " AND b.ord = a.ord AND b.seq = a.seq))"
#define STREAM(cmp, order, k) "SELECT a.ord, a.seq FROM search_names a WHERE a.term = ?1" \
                              " AND a.ord " cmp " ?2" PROBE(3) PROBE(4) PROBE(5)         \
                              " ORDER BY " order " /* " #k " */"
#define STREAMS(cmp, order)                                                             \
    {STREAM(cmp, order, 0), STREAM(cmp, order, 1), STREAM(cmp, order, 2),               \
     STREAM(cmp, order, 3), STREAM(cmp, order, 4), STREAM(cmp, order, 5),               \
     STREAM(cmp, order, 6), STREAM(cmp, order, 7), STREAM(cmp, order, 8),               \
     STREAM(cmp, order, 9), STREAM(cmp, order, 10), STREAM(cmp, order, 11),             \
     STREAM(cmp, order, 12), STREAM(cmp, order, 13), STREAM(cmp, order, 14),            \
     STREAM(cmp, order, 15)}

static const char *const stream_sql[2][MAX_STREAMS] = {
    STREAMS(">=", "a.ord, a.seq"),
    STREAMS("<=", "a.ord DESC, a.seq DESC"),
};

/* The rows whose sort key begins with an ord, from the walk index (the
 * register in pinyin order with search_text beside it): read in order from
 * the index alone, without a table row per resident. [direction] */
#define RANGE_SQL(upper, order)                                                      \
    "SELECT id, search_text, sort_key FROM residents INDEXED BY residents_walk"       \
    " WHERE deleted_at IS NULL AND sort_key >= ?1" upper " ORDER BY " order
static const char *const range_sql[2][2] = {
    {RANGE_SQL("", "sort_key, id"), RANGE_SQL(" AND sort_key < ?2", "sort_key, id")},
    {RANGE_SQL("", "sort_key DESC, id DESC"),
     RANGE_SQL(" AND sort_key < ?2", "sort_key DESC, id DESC")},
};

/* The rows of the group that follows, met while reading this one (Q_NAME's
 * exact and prefix groups read the same streams). */
typedef struct side {
    int gi;
    qout o;
    bool full; /* some were left out */
} side;

static void range_row_read(sqlite3_stmt *st, qrow *r)
{
    r->id = sqlite3_column_int64(st, 0);
    db_column_copy(st, 1, r->text, sizeof r->text);
    size_t n = (size_t)sqlite3_column_bytes(st, 2);
    r->keylen = n < sizeof r->key ? n : sizeof r->key;
    if (r->keylen)
        memcpy(r->key, sqlite3_column_blob(st, 2), r->keylen);
    /* "|syllables|name|...": the folded name is the second field. */
    const char *a = strchr(r->text + (r->text[0] == '|'), '|');
    size_t k = a ? strcspn(a + 1, "|") : 0;
    snprintf(r->name, sizeof r->name, "%.*s", (int)k, a ? a + 1 : "");
    r->idn[0] = r->phone[0] = '\0';
    r->seq = 0;
}

/* Every row whose sort key begins with ord goes to the page when it is of
 * group gi (past the cursor), or to the side when of its group. */
static ws_status range_emit(query *q, int gi, const unsigned char *ord, size_t ordlen,
                            const qcursor *cur, int dir, qout *o, side *sd, bool *full)
{
    unsigned char hi[SEARCH_ORD_LEN];
    size_t hn = ordlen;
    memcpy(hi, ord, ordlen);
    while (hn && hi[hn - 1] == 0xFF)
        hn--;
    if (hn)
        hi[hn - 1]++;
    /* ord's successor bounds the range (none when ord is all 0xff) */
    sqlite3_stmt *st = db_prepare(q->d, range_sql[dir < 0][hn > 0]);
    qrow *r = malloc(sizeof *r);
    if (!st || !r) {
        free(r);
        return st ? WS_ERR_NOMEM : db_status(q->d);
    }
    sqlite3_bind_blob(st, 1, ord, (int)ordlen, SQLITE_STATIC);
    if (hn)
        sqlite3_bind_blob(st, 2, hi, (int)hn, SQLITE_STATIC);
    bool at_cur = cur && cur->ordlen == ordlen && memcmp(cur->ord, ord, ordlen) == 0;
    int rc = SQLITE_DONE;
    while (!*full && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        range_row_read(st, r);
        if (at_cur) {
            int c = key_cmp(r->key, r->keylen, r->id, cur->key, cur->keylen, cur->id);
            if (dir > 0 ? c <= 0 : c >= 0)
                continue;
        }
        int g = row_group(q, r);
        if (g == gi) {
            o->ids[o->n++] = r->id;
            *full = o->n >= o->max;
        } else if (sd && g == sd->gi) {
            if (sd->o.n < sd->o.max)
                sd->o.ids[sd->o.n++] = r->id;
            else
                sd->full = true;
        }
    }
    db_reset(st);
    free(r);
    return *full || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The group's streams merged in (ord, seq) order (descending backwards);
 * each ord they name is read once from the walk index and its rows are
 * checked there, in full sort-key order. */
static ws_status fetch_term(query *q, int gi, const qcursor *cur, int dir, qout *o, side *sd)
{
    const qgroup *g = &q->g[gi];
    sqlite3_stmt *st[MAX_STREAMS] = {NULL};
    posting p[MAX_STREAMS];
    memset(p, 0, sizeof p);
    ws_status s = WS_OK;
    int back = dir < 0;
    for (int t = 0; t < g->ns && s == WS_OK; t++) {
        const qstream *x = &g->s[t];
        st[t] = db_prepare(q->d, stream_sql[back][t]);
        if (!st[t]) {
            s = db_status(q->d);
            break;
        }
        sqlite3_bind_text(st[t], 1, x->term, -1, SQLITE_STATIC);
        bind_ord_start(st[t], 2, cur, back);
        for (int k = 0; k < MAX_PROBES; k++) {
            if (k < x->nprobes)
                sqlite3_bind_text(st[t], 3 + k, x->probe[k], -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st[t], 3 + k);
        }
        s = posting_step(st[t], &p[t]);
    }
    posting last = {0};
    bool full = false;
    while (s == WS_OK && !full) {
        /* The next posting of all the streams. */
        int t = -1;
        for (int k = 0; k < g->ns; k++)
            if (p[k].live && (t < 0 || posting_cmp(&p[k], &p[t]) * (back ? -1 : 1) < 0))
                t = k;
        if (t < 0)
            break;
        if (!last.live || last.ordlen != p[t].ordlen ||
            memcmp(last.ord, p[t].ord, p[t].ordlen) != 0) {
            if (last.live)
                s = range_emit(q, gi, last.ord, last.ordlen, cur, dir, o, sd, &full);
            last = p[t];
        }
        if (s == WS_OK && !full)
            s = posting_step(st[t], &p[t]);
    }
    if (s == WS_OK && !full && last.live)
        s = range_emit(q, gi, last.ord, last.ordlen, cur, dir, o, sd, &full);
    for (int t = 0; t < g->ns; t++)
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
    for (size_t k = 0; k < ADDR_PROBE && k < grams.n; k++) {
        size_t i = grams.n <= ADDR_PROBE ? k : k * (grams.n - 1) / (ADDR_PROBE - 1);
        tc[nt].term = grams.t[i];
        tc[nt].n = postings_count(q, grams.t[i], ADDR_COUNT_CAP);
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

static ws_status fetch_group(query *q, int gi, const qcursor *cur, int dir, qout *o, side *sd)
{
    switch (q->g[gi].kind) {
    case G_TERM:
        return fetch_term(q, gi, cur, dir, o, sd);
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
    int64_t *side_ids = NULL;
    int seen = -1; /* a group read in passing, in full */
    for (int g = g0; s == WS_OK && g >= 0 && g < q->ng && o.n < max; g += dir) {
        if (g == seen)
            continue;
        /* A name query's exact and prefix groups read the same streams:
         * from the start, one reading serves both. */
        side sd = {.gi = -1};
        int next = g + dir;
        if (q->cls == Q_NAME && !have && next >= 0 && next < q->ng) {
            if (!side_ids && !(side_ids = malloc(max * sizeof *side_ids))) {
                s = WS_ERR_NOMEM;
                break;
            }
            sd = (side){.gi = next, .o = {.ids = side_ids, .max = max}};
        }
        s = fetch_group(q, g, have ? &cur : NULL, dir, &o, sd.gi >= 0 ? &sd : NULL);
        have = false;
        if (s == WS_OK && sd.gi >= 0 && o.n < max) {
            /* Group g is done; the side's rows are the next group's first. */
            for (size_t i = 0; i < sd.o.n && o.n < max; i++)
                o.ids[o.n++] = sd.o.ids[i];
            if (!sd.full)
                seen = next;
        }
    }
    free(side_ids);
    *n = o.n;
    db_read_end(d, began);
    free(q);
    return s;
}

