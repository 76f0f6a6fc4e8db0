/* The reading of each code point, as the transliterator gives it: computed
 * once at build time by pinyin_gen (the same ICU, the same rule) into a
 * table, so no process pays the transliterator's opening (about a tenth
 * of a second) or its 13 µs a code point. text.c and pinyin_gen share
 * what decides a reading. */
#ifndef WUSHE_PINYIN_TABLE_H
#define WUSHE_PINYIN_TABLE_H

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

/* The generated table (pinyin_table.c): page p of the code points holds
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

#endif
