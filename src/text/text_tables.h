/* What ICU's transliterators give each code point, computed once at build
 * time by text_gen (the same ICU, the same rules) into tables: the reading
 * ("Han-Latin; Latin-ASCII; Lower") and the simplified form ("Hant-Hans").
 * No process then pays a transliterator's opening (about a tenth of a
 * second for Han-Latin) or its 13 µs a code point, and the tables, read
 * only, serve any thread. text.c and text_gen share what decides each. */
#ifndef WUSHE_TEXT_TABLES_H
#define WUSHE_TEXT_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#define PINYIN_RULE "Han-Latin; Latin-ASCII; Lower"
/* Readings are kept below this code point (the Han blocks end there). */
#define PINYIN_LIMIT 0x32400
#define PINYIN_PAGES (PINYIN_LIMIT >> 8)

static inline bool pinyin_is_han(UChar32 c)
{
    if (c >= 0x4E00 && c <= 0x9FFF)
        return true;
    if (c < 0x2E80)
        return false;
    UErrorCode st = U_ZERO_ERROR;
    return uscript_getScript(c, &st) == USCRIPT_HAN;
}

/* The code points whose reading text.c looks up. */
static inline bool pinyin_has_reading(UChar32 c)
{
    return (c < 0xD800 || c > 0xDFFF) && (pinyin_is_han(c) || u_isalpha(c));
}

/* The transliterated text's ASCII letters (lower case) and digits: the
 * reading. */
static inline size_t pinyin_ascii(const UChar *u, int32_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (int32_t i = 0; i < n && k < cap; i++) {
        UChar c = u[i];
        if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[k++] = (char)c;
    }
    return k;
}

/* The generated table (text_tables.c): page p of the code points holds
 * cells pinyin_cells[pinyin_page[p] - 1] (0: no readings in it); a cell
 * is 0 for none, else i with the reading at pinyin_text + pinyin_at[i]. */
extern const uint16_t pinyin_page[PINYIN_PAGES];
extern const uint16_t pinyin_cells[][256];
extern const uint32_t pinyin_at[];
extern const char pinyin_text[];

static inline const char *pinyin_reading(UChar32 c)
{
    if (c < 0 || c >= PINYIN_LIMIT || !pinyin_page[c >> 8])
        return NULL;
    uint16_t i = pinyin_cells[pinyin_page[c >> 8] - 1][c & 0xFF];
    return i ? pinyin_text + pinyin_at[i] : NULL;
}

/* Simplified forms: of the Han code points below HANS_LIMIT, one to one
 * (Hant-Hans's mapping of c alone, when it is one code point); page p of
 * the code points holds hans_cells[hans_page[p] - 1] (0: none changes), a
 * cell 0 when c stays, else its simplified form. */
#define HANS_RULE "Hant-Hans"
#define HANS_LIMIT 0x30000
#define HANS_PAGES (HANS_LIMIT >> 8)

extern const uint16_t hans_page[HANS_PAGES];
extern const uint32_t hans_cells[][256];

static inline UChar32 hans_simplified(UChar32 c)
{
    if (c < 0 || c >= HANS_LIMIT || !hans_page[c >> 8])
        return c;
    uint32_t to = hans_cells[hans_page[c >> 8] - 1][c & 0xFF];
    return to ? (UChar32)to : c;
}

#endif
