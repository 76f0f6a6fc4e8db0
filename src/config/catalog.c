/* Message catalogs: nested YAML maps of strings flattened to dotted keys,
 * kept sorted for bsearch. */
#include "wushe/catalog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wushe/embedded.h"
#include "yaml_util.h"

enum { MAX_DEPTH = 16 };

typedef struct cat_entry {
    char *key;
    char *val;
    size_t line, col; /* for duplicate-key messages */
} cat_entry;

struct catalog {
    cat_entry *e;
    size_t n, cap;
};

void catalog_free(catalog **c)
{
    if (!c || !*c)
        return;
    for (size_t i = 0; i < (*c)->n; i++) {
        free((*c)->e[i].key);
        free((*c)->e[i].val);
    }
    free((*c)->e);
    free(*c);
    *c = NULL;
}

static ws_status cat_add(catalog *c, char *key, const char *val, const yaml_node_t *at)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        cat_entry *ne = realloc(c->e, cap * sizeof *ne);
        if (!ne)
            return WS_ERR_NOMEM;
        c->e = ne;
        c->cap = cap;
    }
    char *v = strdup(val);
    if (!v)
        return WS_ERR_NOMEM;
    c->e[c->n++] = (cat_entry){key, v, at->start_mark.line + 1, at->start_mark.column + 1};
    return WS_OK;
}

static ws_status flatten(yu_doc *d, const yaml_node_t *map, const char *prefix, int depth,
                         catalog *c, char *err, size_t errsz)
{
    if (depth > MAX_DEPTH)
        return yu_error(d, map, err, errsz, "maps nested too deeply");
    size_t n = yu_len(map);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *kn = yu_map_key(d, map, i), *vn = yu_map_value(d, map, i);
        const char *k;
        if (!yu_is_scalar(kn) || yu_is_null(kn))
            return yu_error(d, kn, err, errsz, "a key must be a string");
        ws_status st = yu_string(d, kn, &k, err, errsz);
        if (st != WS_OK)
            return st;
        char *key;
        if (asprintf(&key, "%s%s%s", prefix, *prefix ? "." : "", k) < 0)
            return WS_ERR_NOMEM;
        if (yu_is_map(vn)) {
            st = flatten(d, vn, key, depth + 1, c, err, errsz);
            free(key);
        } else if (yu_is_scalar(vn) && !yu_is_null(vn)) {
            const char *v;
            st = yu_string(d, vn, &v, err, errsz);
            if (st == WS_OK)
                st = cat_add(c, key, v, kn);
            if (st != WS_OK)
                free(key);
        } else {
            st = yu_error(d, vn, err, errsz, "\"%s\" must be a string or a map", key);
            free(key);
        }
        if (st != WS_OK)
            return st;
    }
    return WS_OK;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const cat_entry *)a)->key, ((const cat_entry *)b)->key);
}

ws_status catalog_parse(const char *name, const char *yaml, size_t len, catalog **out, char *err,
                        size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    yu_doc d;
    ws_status st = yu_load(&d, name, yaml, len, tr_or_null("config.syntax"), err, errsz);
    catalog *c = NULL;
    if (st != WS_OK)
        goto done;
    c = calloc(1, sizeof *c);
    if (!c) {
        st = WS_ERR_NOMEM;
        goto done;
    }
    yaml_node_t *root = yu_root(&d);
    if (root && !yu_is_map(root)) {
        st = yu_error(&d, root, err, errsz, "a catalog must be a map");
        goto done;
    }
    if (root && (st = flatten(&d, root, "", 0, c, err, errsz)) != WS_OK)
        goto done;
    if (c->n)
        qsort(c->e, c->n, sizeof *c->e, entry_cmp);
    for (size_t i = 1; i < c->n; i++) {
        if (strcmp(c->e[i - 1].key, c->e[i].key) != 0)
            continue;
        /* Report the later of the two (sorting does not keep order). */
        const cat_entry *a = &c->e[i - 1], *b = &c->e[i];
        if (a->line > b->line || (a->line == b->line && a->col > b->col))
            b = a;
        snprintf(err, errsz, "%s:%zu:%zu: duplicate key \"%s\"", d.name, b->line, b->col,
                 b->key);
        st = WS_ERR_YAML;
        goto done;
    }
done:
    yu_free(&d);
    if (st != WS_OK)
        catalog_free(&c);
    *out = c;
    return st;
}

ws_status catalog_load_file(const char *path, catalog **out, char *err, size_t errsz)
{
    char *data;
    size_t len;
    int errnum;
    *out = NULL;
    ws_status st = yu_read_file(path, &data, &len, &errnum, err, errsz);
    if (st != WS_OK)
        return st;
    st = catalog_parse(path, data, len, out, err, errsz);
    free(data);
    return st;
}

const char *catalog_get(const catalog *c, const char *key)
{
    if (!c || !key || !c->n)
        return NULL;
    cat_entry k = {.key = (char *)key};
    const cat_entry *e = bsearch(&k, c->e, c->n, sizeof *c->e, entry_cmp);
    return e ? e->val : NULL;
}

size_t catalog_size(const catalog *c)
{
    return c ? c->n : 0;
}

const char *catalog_key_at(const catalog *c, size_t i)
{
    return c && i < c->n ? c->e[i].key : NULL;
}

/* ---- the process catalog ---------------------------------------------- */

static const char *const languages[] = {"zh_CN", "en", NULL};
static catalog *current;
static const char *current_lang = "zh_CN";

const char *const *i18n_languages(void)
{
    return languages;
}

const char *i18n_normalize(const char *lang)
{
    if (!lang)
        return NULL;
    /* Drop ".UTF-8" and "@modifier" (locale names from $LANG). */
    size_t n = strcspn(lang, ".@");
    for (size_t i = 0; languages[i]; i++)
        if (strlen(languages[i]) == n && !strncasecmp(lang, languages[i], n))
            return languages[i];
    /* Then by the language part alone: zh, zh_TW, en_US, en-GB. */
    size_t ln = strcspn(lang, "_-.@");
    if (ln < 2)
        return NULL;
    for (size_t i = 0; languages[i]; i++) {
        size_t kl = strcspn(languages[i], "_");
        if (kl == ln && !strncasecmp(lang, languages[i], ln))
            return languages[i];
    }
    return NULL;
}

ws_status i18n_init(const char *lang, char *err, size_t errsz)
{
    if (err && errsz)
        err[0] = '\0';
    const char *canon = i18n_normalize(lang ? lang : "zh_CN");
    if (!canon) {
        snprintf(err, errsz, "unknown language \"%s\" (known: zh_CN, en)", lang);
        return WS_ERR_USAGE;
    }
    char name[64];
    snprintf(name, sizeof name, "locale/%s.yaml", canon);
    const embedded_file *f = embedded_find(name);
    if (!f) {
        snprintf(err, errsz, "%s: not embedded", name);
        return WS_ERR_NOT_FOUND;
    }
    catalog *c;
    ws_status st = catalog_parse(name, f->data, f->len, &c, err, errsz);
    if (st != WS_OK)
        return st; /* the previous catalog stays */
    catalog_free(&current);
    current = c;
    current_lang = canon;
    return WS_OK;
}

const char *i18n_lang(void)
{
    return current_lang;
}

void i18n_shutdown(void)
{
    catalog_free(&current);
    current_lang = languages[0];
}

const char *tr(const char *key)
{
    if (!key)
        return "";
    const char *v = catalog_get(current, key);
    return v ? v : key;
}

const char *tr_or_null(const char *key)
{
    return key ? catalog_get(current, key) : NULL;
}

const char *trf(char *buf, size_t bufsz, const char *key, ...)
{
    if (!buf || !bufsz)
        return "";
    va_list ap;
    va_start(ap, key);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int n = vsnprintf(buf, bufsz, tr(key), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
    } else if ((size_t)n >= bufsz) {
        /* Truncated: do not leave half a UTF-8 character at the end. */
        size_t len = bufsz - 1, i = len;
        while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
            i--;
        if (i > 0 && (unsigned char)buf[i - 1] >= 0xC0) {
            unsigned char lead = (unsigned char)buf[i - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (len - (i - 1) < need)
                buf[i - 1] = '\0';
        }
    }
    return buf;
}
