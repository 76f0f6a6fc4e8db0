/* Text handling on ICU: display width, fitting to columns, sanitising for the
 * terminal, pinyin, collation sort keys and search folding. All strings are
 * UTF-8. Nothing here knows about curses. */
#ifndef WUSHE_TEXT_H
#define WUSHE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "wushe/status.h"

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_valid_utf8(const char *s, size_t len);

/* True when s contains C0/C1 control characters (including ESC and DEL) or
 * invalid UTF-8. Used by validators: names must not contain them. */
bool text_has_control(const char *s);

/* Display width in terminal columns, measured per grapheme cluster: East Asian
 * Wide/Fullwidth = 2, emoji presentation = 2, combining/zero-width = 0, else 1.
 * Controls and invalid bytes count as the width of their visible replacement
 * (see text_sanitize). */
int text_width(const char *s);

/* A copy of s safe to write to a terminal: each C0/C1 control, DEL and each
 * invalid byte becomes U+FFFD (1 column); tab and newline become a space.
 * Returns NULL only when out of memory. Caller frees. */
char *text_sanitize(const char *s);

/* Sanitise s and fit it into exactly `cols` columns: truncate at a grapheme
 * boundary (never splitting one); when a wide grapheme would straddle the
 * edge it becomes a space; when pad is true, pad with spaces to `cols`.
 * Writes a NUL-terminated string into out (size outsz; 4*cols+16 is always
 * enough) and returns the number of columns written. */
int text_fit(const char *s, int cols, bool pad, char *out, size_t outsz);

/* text_fit for a cell of a list: when s is wider than cols, what fits in
 * cols - 1 columns and then "…" (one column), so a reader knows the text
 * was cut; s that fits is as text_fit writes it. */
int text_fit_marked(const char *s, int cols, bool pad, char *out, size_t outsz);

/* s in at most cols columns, its beginning and its end kept and "…" for
 * what is left out between them (青石镇…汇总表（各村社区报送）初稿.csv),
 * cut at graphemes; s as it is when it fits. NULL only when out of
 * memory. Caller frees. */
char *text_elide_middle(const char *s, int cols);

/* Byte offset in s after the last whole grapheme that fits into cols columns. */
size_t text_prefix_bytes(const char *s, int cols);

/* Pinyin of a person's name, computed at save time. Han characters become
 * toneless ASCII syllables; ASCII letters/digits are kept (lowercased) as one
 * syllable per run; anything else is skipped. Polyphonic surnames (the first
 * one or two characters, e.g. 单 shan, 曾 zeng, 尉迟 yuchi) use the surname
 * reading in `full`/`initials`; the common reading goes to alt_* (NULL when
 * the name has no polyphonic surname). */
typedef struct text_pinyin {
    char *full;         /* "shanxiongxin" */
    char *spaced;       /* "shan xiong xin" */
    char *initials;     /* "sxx" */
    char *alt_full;     /* "danxiongxin" or NULL */
    char *alt_initials; /* "dxx" or NULL */
} text_pinyin;

ws_status text_pinyin_name(const char *name, text_pinyin *out);
/* Pinyin of any text (addresses etc.), no surname rule. */
ws_status text_pinyin_text(const char *s, text_pinyin *out);
void text_pinyin_clear(text_pinyin *p);
/* Whether two names are one person's as a clerk would type it: the same
 * once folded (張偉, 张伟; full-width letters) or the same reading (章伟
 * for 张伟, the pinyin IME's slip). Anything else, even one character
 * apart (张小伟, 张小芳: siblings), is not. false when out of memory. */
bool text_names_alike(const char *a, const char *b);

/* ICU collator zh-u-co-pinyin sort key (binary, memcmp-comparable, so SQLite
 * can ORDER BY a BLOB column). *key is malloc'd; caller frees. */
ws_status text_sort_key(const char *s, unsigned char **key, size_t *len);

/* Sort key of a person's name: as text_sort_key, but a polyphonic surname
 * files under its surname reading (曾 among the z's, 单 among the s's). */
ws_status text_name_sort_key(const char *name, unsigned char **key, size_t *len);

/* Search folding: NFKC (full-width to half-width), traditional to simplified
 * (Hant-Hans), lower case. Caller frees. NULL only on out of memory. */
char *text_fold(const char *s);

/* Open the ICU objects now (at idle time) rather than at the first use. */
void text_warm(void);

/* Release ICU objects opened lazily (collator, transliterators, caches). */
void text_shutdown(void);

/* A stored UTC instant ("2026-11-23T10:40:05.123Z") as local time,
 * "2026-11-23 18:40" (with ":05" when seconds); unparsable text is copied. */
void text_local_time(const char *iso, bool seconds, char *out, size_t outsz);

#endif
