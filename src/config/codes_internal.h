/* What the code lists share with the config loader. */
#ifndef WUSHE_CODES_INTERNAL_H
#define WUSHE_CODES_INTERNAL_H

#include "wushe/codes.h"
#include "yaml_util.h"

/* A codebook from a node of a loaded document (the config's "codes:" map). */
ws_status codebook_from_node(yu_doc *d, const yaml_node_t *root, codebook **out, char *err,
                             size_t errsz);

/* A number of days (0..CODES_DAYS_MAX) from a scalar node. */
#define CODES_DAYS_MAX 3660
ws_status codes_parse_days(yu_doc *d, const yaml_node_t *n, int *out, char *err, size_t errsz);

#endif
