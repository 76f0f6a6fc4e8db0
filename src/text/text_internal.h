/* Helpers shared by text.c and lineedit.c; not part of the public API. */
#ifndef WUSHE_TEXT_INTERNAL_H
#define WUSHE_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code point reported by text_utf8_next for a byte that is not valid UTF-8. */
#define TEXT_INVALID_CP UINT32_MAX

/* One grapheme cluster of a UTF-8 string as it is drawn after sanitising
 * (each control and each invalid byte is a cluster of its own). */
typedef struct text_grapheme {
    size_t off;  /* byte offset in the original string */
    size_t len;  /* length in bytes in the original string */
    int col;     /* display column where it starts */
    int width;   /* display columns: 0, 1 or 2 */
    uint32_t cp; /* first code point after sanitising (U+FFFD for invalid) */
} text_grapheme;

/* Split s[0..len) into grapheme clusters. On success stores a malloc'd array
 * (NULL when there are none) and its length; false only when out of memory. */
bool text_graphemes(const char *s, size_t len, text_grapheme **out, size_t *count);

/* Decode one code point from s[0..len), len >= 1, strictly (no overlongs,
 * surrogates or values above U+10FFFF). Returns the bytes consumed, always
 * 1 for an invalid byte, which is reported as TEXT_INVALID_CP. */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);

/* Encode a valid code point; returns the number of bytes written (1..4). */
size_t text_utf8_encode(uint32_t cp, char out[4]);

#endif
