#include "yaml_util.h"


#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_FILE = 16 << 20 };

ws_status yu_read_file(const char *path, char **data, size_t *len, int *errnum, char *err,
                       size_t errsz)
{
    *data = NULL;
    *len = 0;
    *errnum = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *errnum = errno;
        snprintf(err, errsz, "%s: %s", path, strerror(*errnum));
        return WS_ERR_IO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        *errnum = errno;
    else if (S_ISDIR(st.st_mode))
        *errnum = EISDIR;
    if (*errnum) {
        snprintf(err, errsz, "%s: %s", path, strerror(*errnum));
        fclose(f);
        return WS_ERR_IO;
    }
    /* Read in chunks rather than trusting st_size (pipes, /proc). */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return WS_ERR_NOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > MAX_FILE) {
                snprintf(err, errsz, "%s: file too large", path);
                free(buf);
                fclose(f);
                return WS_ERR_IO;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return WS_ERR_NOMEM;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        *errnum = errno ? errno : EIO;
        snprintf(err, errsz, "%s: %s", path, strerror(*errnum));
        free(buf);
        fclose(f);
        return WS_ERR_IO;
    }
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return WS_OK;
}

/* Line and column (1-based, columns in characters) of a byte offset, for
 * reader errors, which carry no mark. */
static void offset_position(const char *s, size_t len, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static void parser_error(const yaml_parser_t *p, const char *name, const char *yaml, size_t len,
                         const char *kind, char *err, size_t errsz)
{
    /* libyaml's own words are English; say in the user's language what
     * kind of problem it is first. */
    char problem[300];
    if (!kind)
        snprintf(problem, sizeof problem, "%s", p->problem ? p->problem : "?");
    else
        snprintf(problem, sizeof problem, "%s: %s", kind, p->problem ? p->problem : "?");
    if (p->error == YAML_READER_ERROR) {
        size_t line, col;
        offset_position(yaml, len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            snprintf(err, errsz, "%s:%zu:%zu: %s (#%X)", name, line, col, problem,
                     (unsigned)p->problem_value);
        else
            snprintf(err, errsz, "%s:%zu:%zu: %s", name, line, col, problem);
        return;
    }
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
    if (p->context)
        snprintf(err, errsz, "%s:%zu:%zu: %s (%s at %zu:%zu)", name, line, col, problem,
                 p->context, (size_t)p->context_mark.line + 1,
                 (size_t)p->context_mark.column + 1);
    else
        snprintf(err, errsz, "%s:%zu:%zu: %s", name, line, col, problem);
}

/* With the document API an alias is just a second reference to a node.
 * Catalogs and configs never need them, and they allow cycles and
 * exponential expansion, so any node referenced twice is refused. */
static ws_status check_no_alias(yu_doc *d, char *err, size_t errsz)
{
    yaml_node_t *start = d->doc.nodes.start;
    size_t n = (size_t)(d->doc.nodes.top - start);
    if (n == 0)
        return WS_OK;
    unsigned char *refs = calloc(n, 1);
    if (!refs)
        return WS_ERR_NOMEM;
    refs[0] = 1; /* the root */
    ws_status st = WS_OK;
    for (size_t i = 0; i < n && st == WS_OK; i++) {
        yaml_node_t *node = &start[i];
        int ids[2];
        size_t cnt = yu_len(node);
        for (size_t j = 0; j < cnt && st == WS_OK; j++) {
            size_t nids = 0;
            if (node->type == YAML_MAPPING_NODE) {
                ids[nids++] = node->data.mapping.pairs.start[j].key;
                ids[nids++] = node->data.mapping.pairs.start[j].value;
            } else {
                ids[nids++] = node->data.sequence.items.start[j];
            }
            for (size_t k = 0; k < nids; k++) {
                if (ids[k] < 1 || (size_t)ids[k] > n)
                    continue;
                if (refs[ids[k] - 1]++) {
                    st = yu_error(d, &start[ids[k] - 1], err, errsz,
                                  "aliases are not supported");
                    break;
                }
            }
        }
    }
    free(refs);
    return st;
}

ws_status yu_load(yu_doc *d, const char *name, const char *yaml, size_t len, const char *syntax,
                  char *err,
                  size_t errsz)
{
    memset(d, 0, sizeof *d);
    d->name = strdup(name ? name : "-");
    if (!d->name)
        return WS_ERR_NOMEM;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return WS_ERR_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    ws_status st = WS_OK;
    if (!yaml_parser_load(&parser, &d->doc)) {
        st = parser.error == YAML_MEMORY_ERROR ? WS_ERR_NOMEM : WS_ERR_YAML;
        parser_error(&parser, d->name, yaml, len, syntax, err, errsz);
        yaml_parser_delete(&parser);
        return st;
    }
    d->loaded = true;

    yaml_document_t next;
    if (!yaml_parser_load(&parser, &next)) {
        st = parser.error == YAML_MEMORY_ERROR ? WS_ERR_NOMEM : WS_ERR_YAML;
        parser_error(&parser, d->name, yaml, len, syntax, err, errsz);
    } else {
        yaml_node_t *r = yaml_document_get_root_node(&next);
        if (r) {
            snprintf(err, errsz, "%s:%zu:%zu: only one document is allowed", d->name,
                     (size_t)r->start_mark.line + 1, (size_t)r->start_mark.column + 1);
            st = WS_ERR_YAML;
        }
        yaml_document_delete(&next);
    }
    yaml_parser_delete(&parser);
    if (st == WS_OK)
        st = check_no_alias(d, err, errsz);
    return st;
}

void yu_free(yu_doc *d)
{
    if (!d)
        return;
    if (d->loaded)
        yaml_document_delete(&d->doc);
    free(d->name);
    memset(d, 0, sizeof *d);
}

yaml_node_t *yu_root(yu_doc *d)
{
    return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

bool yu_is_map(const yaml_node_t *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

bool yu_is_seq(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

bool yu_is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

bool yu_is_null(const yaml_node_t *n)
{
    if (!yu_is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

size_t yu_len(const yaml_node_t *n)
{
    if (yu_is_map(n))
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (yu_is_seq(n))
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    return 0;
}

yaml_node_t *yu_map_key(yu_doc *d, const yaml_node_t *map, size_t i)
{
    if (i >= yu_len(map) || !yu_is_map(map))
        return NULL;
    return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *yu_map_value(yu_doc *d, const yaml_node_t *map, size_t i)
{
    if (i >= yu_len(map) || !yu_is_map(map))
        return NULL;
    return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *yu_seq_item(yu_doc *d, const yaml_node_t *seq, size_t i)
{
    if (i >= yu_len(seq) || !yu_is_seq(seq))
        return NULL;
    return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

ws_status yu_error(const yu_doc *d, const yaml_node_t *n, char *err, size_t errsz,
                   const char *fmt, ...)
{
    if (!err || !errsz)
        return WS_ERR_YAML;
    size_t line = n ? n->start_mark.line + 1 : 1, col = n ? n->start_mark.column + 1 : 1;
    int k = snprintf(err, errsz, "%s:%zu:%zu: ", d->name ? d->name : "-", line, col);
    if (k >= 0 && (size_t)k < errsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + k, errsz - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return WS_ERR_YAML;
}

ws_status yu_string(yu_doc *d, const yaml_node_t *n, const char **out, char *err, size_t errsz)
{
    *out = NULL;
    if (!yu_is_scalar(n) || yu_is_null(n))
        return yu_error(d, n, err, errsz, "expected a string");
    const char *v = (const char *)n->data.scalar.value;
    /* "\0" in a double-quoted scalar would silently cut the string. */
    if (strlen(v) != n->data.scalar.length)
        return yu_error(d, n, err, errsz, "NUL character in string");
    *out = v;
    return WS_OK;
}

ws_status yu_check_keys(yu_doc *d, const yaml_node_t *map, char *err, size_t errsz)
{
    size_t n = yu_len(map);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = yu_map_key(d, map, i);
        const char *ks;
        if (!yu_is_scalar(k) || yu_is_null(k))
            return yu_error(d, k, err, errsz, "a key must be a string");
        ws_status st = yu_string(d, k, &ks, err, errsz);
        if (st != WS_OK)
            return st;
        /* Small maps only (config, code items): quadratic is fine. */
        for (size_t j = 0; j < i; j++) {
            yaml_node_t *o = yu_map_key(d, map, j);
            if (!strcmp((const char *)o->data.scalar.value, ks))
                return yu_error(d, k, err, errsz, "duplicate key \"%s\"", ks);
        }
    }
    return WS_OK;
}
