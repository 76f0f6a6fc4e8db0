/* What the search index and the search query share; internal. */
#ifndef WUSHE_SEARCH_INTERNAL_H
#define WUSHE_SEARCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_MAX 160 /* bytes of a term, kind letter included */
#define MAX_CPS 64   /* code points looked at in a name, address or query */

/* How much of a name or its pinyin the terms hold; a longer query uses the
 * longest term and checks the rest against the row. */
#define NAME_PREFIX_MAX 4
#define NAME_SUBSTR_MAX 3
#define PINYIN_PREFIX_MAX 7
#define INITIALS_PREFIX_MAX 6
#define MIXED_PREFIX_MAX 5 /* initials after the first character in m terms */

/* A list of distinct terms, each a kind letter and its text. */
typedef struct termlist {
    char (*t)[TERM_MAX];
    size_t n, cap;
    bool oom;
} termlist;

void tl_add(termlist *l, char kind, const char *s, size_t len);
void tl_free(termlist *l);

/* Byte offsets of the code points of s (at most MAX_CPS); off[n] = end. */
size_t cp_offsets(const char *s, size_t off[MAX_CPS + 1], uint32_t cps[MAX_CPS]);

bool is_ascii_digit(uint32_t c);
bool is_ascii_alpha(uint32_t c);
bool is_han_cp(uint32_t c);
/* Characters that make grams: of digits (and X), or of an address. */
bool is_gram_char(uint32_t c, bool digits);

/* A growable string; `oom` is sticky, so callers check once at the end. */
typedef struct growbuf {
    char *s;
    size_t len, cap;
    bool oom;
} growbuf;

void gb_put(growbuf *b, const char *p, size_t n);

/* Whether s[0..n) is a pinyin syllable (toneless ASCII, as ICU gives). */
bool pinyin_syllable(const char *s, size_t n);

/* One syllable of a name as stored in search_text (see search.c): the
 * characters that stand for it ("" for Latin letters) and its readings
 * (rlen[1] = 0 when it has one). Pointers into the parsed text. */
typedef struct syl_unit {
    const char *chars;
    size_t clen;
    const char *read[2];
    size_t rlen[2];
} syl_unit;

/* The syllables at the start of s (up to '|'); returns how many. */
size_t syllables_parse(const char *s, size_t len, syl_unit *u, size_t max);

/* a<bigram> terms of a folded address. */
void address_terms(termlist *l, const char *folded);
/* Digits (and the X of an ID number) of s. */
void digits_of(const char *s, char *out, size_t outsz);

#endif
