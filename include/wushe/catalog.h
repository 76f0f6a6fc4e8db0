/* Message catalogs (locale/<lang>.yaml, embedded at build) and the process
 * wide translation function. Catalog files are nested YAML maps of strings;
 * keys are the dotted paths ("residents.title"). */
#ifndef WUSHE_CATALOG_H
#define WUSHE_CATALOG_H

#include <stddef.h>
#include "wushe/status.h"

typedef struct catalog catalog;

/* Parse a catalog from memory; `name` is used in error messages, which have
 * the form "name:line:column: problem". */
ws_status catalog_parse(const char *name, const char *yaml, size_t len,
                        catalog **out, char *err, size_t errsz);
ws_status catalog_load_file(const char *path, catalog **out, char *err, size_t errsz);
void catalog_free(catalog **c);

const char *catalog_get(const catalog *c, const char *key); /* NULL if missing */
size_t catalog_size(const catalog *c);
const char *catalog_key_at(const catalog *c, size_t i); /* sorted */

/* Languages with an embedded catalog: "zh_CN", "en". */
const char *const *i18n_languages(void);
/* The known language a name stands for, or NULL. Case-insensitive; an
 * encoding or modifier is dropped ("zh_CN.UTF-8", "en_US.UTF-8@euro"); then
 * the language part alone is matched: "zh", "zh_TW", "zh-Hans" -> "zh_CN",
 * "en", "en_US", "en-GB" -> "en". "C" and "POSIX" are not languages. */
const char *i18n_normalize(const char *lang);
/* Select the process catalog (embedded locale/<lang>.yaml); `lang` is
 * normalised with i18n_normalize (NULL means zh_CN). An unknown language is
 * WS_ERR_USAGE; on any error the previous catalog stays. */
ws_status i18n_init(const char *lang, char *err, size_t errsz);
const char *i18n_lang(void);
void i18n_shutdown(void);

/* Translate: never NULL; a missing key returns the key itself. */
const char *tr(const char *key);
/* The message, or NULL while no catalog that has it is loaded. */
const char *tr_or_null(const char *key);
/* printf-style formatting of a catalog message into buf. */
const char *trf(char *buf, size_t bufsz, const char *key, ...);

#endif
