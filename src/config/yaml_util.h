/* Internal helpers on libyaml's document API, shared by the catalog, code
 * list and config loaders. Every error message has the form
 * "name:line:column: problem" with 1-based line and column. */
#ifndef WUSHE_YAML_UTIL_H
#define WUSHE_YAML_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "wushe/status.h"

typedef struct yu_doc {
    yaml_document_t doc;
    char *name; /* for messages */
    bool loaded;
} yu_doc;

/* Read a whole file (at most 16 MiB) into a NUL-terminated buffer. On
 * failure returns WS_ERR_IO (or WS_ERR_NOMEM), sets *errnum to the errno
 * (0 when not from a system call) and err to "path: reason". */
ws_status yu_read_file(const char *path, char **data, size_t *len, int *errnum, char *err,
                       size_t errsz);

/* Load the single document in yaml[0..len). Syntax errors, a second
 * document and aliases (*ref) are WS_ERR_YAML; a syntax error's message
 * starts with `syntax` (the words for it in the user's language; NULL
 * while no catalog is loaded), then libyaml's own. An empty stream loads
 * an empty document (yu_root returns NULL). yu_free must be called even
 * after a failure. */
ws_status yu_load(yu_doc *d, const char *name, const char *yaml, size_t len, const char *syntax,
                  char *err, size_t errsz);
void yu_free(yu_doc *d);

yaml_node_t *yu_root(yu_doc *d);

bool yu_is_map(const yaml_node_t *n);
bool yu_is_seq(const yaml_node_t *n);
bool yu_is_scalar(const yaml_node_t *n);
/* A plain scalar "", "~" or "null" (any case): an empty value. */
bool yu_is_null(const yaml_node_t *n);

/* Number of pairs of a map or items of a sequence (0 for anything else). */
size_t yu_len(const yaml_node_t *n);
yaml_node_t *yu_map_key(yu_doc *d, const yaml_node_t *map, size_t i);
yaml_node_t *yu_map_value(yu_doc *d, const yaml_node_t *map, size_t i);
yaml_node_t *yu_seq_item(yu_doc *d, const yaml_node_t *seq, size_t i);

/* Format "name:line:column: message" at node n into err; returns
 * WS_ERR_YAML so callers can `return yu_error(...)`. */
ws_status yu_error(const yu_doc *d, const yaml_node_t *n, char *err, size_t errsz,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The text of a scalar that is not null; otherwise an error at n
 * ("expected a string"). The text is owned by the document. */
ws_status yu_string(yu_doc *d, const yaml_node_t *n, const char **out, char *err, size_t errsz);

/* Every key of `map` is a non-null scalar and no key appears twice. */
ws_status yu_check_keys(yu_doc *d, const yaml_node_t *map, char *err, size_t errsz);

#endif
