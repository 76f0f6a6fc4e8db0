/* Code lists: schema/codes.yaml, extended by the station config. Lists are
 * short (at most a few dozen items) and keep their file order, which is the
 * display order, so lookups are linear. */
#include "wushe/codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/embedded.h"
#include "codes_internal.h"
#include "yaml_util.h"

enum { MAX_CODE = 32 };

struct codebook {
    code_list *lists;
    size_t n;
};

static void item_clear(code_item *it)
{
    free(it->code);
    free(it->zh_CN);
    free(it->en);
    free(it->short_zh_CN);
    free(it->short_en);
    memset(it, 0, sizeof *it);
}

static void list_clear(code_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        item_clear(&l->items[i]);
    free(l->items);
    free(l->name);
    memset(l, 0, sizeof *l);
}

void codebook_free(codebook **cb)
{
    if (!cb || !*cb)
        return;
    for (size_t i = 0; i < (*cb)->n; i++)
        list_clear(&(*cb)->lists[i]);
    free((*cb)->lists);
    free(*cb);
    *cb = NULL;
}

/* Codes end up in the database and in CSV files: keep them plain. */
static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_CODE)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static const struct {
    const char *name;
    unsigned flag;
} flag_names[] = {
    {"disability", CODE_DISABILITY},
    {"elderly", CODE_ELDERLY},
    {"child", CODE_CHILD},
};

static ws_status parse_flags(yu_doc *d, const yaml_node_t *n, unsigned *flags, char *err,
                             size_t errsz)
{
    *flags = 0;
    if (yu_is_null(n))
        return WS_OK;
    if (!yu_is_seq(n))
        return yu_error(d, n, err, errsz, "flags must be a list");
    for (size_t i = 0; i < yu_len(n); i++) {
        yaml_node_t *f = yu_seq_item(d, n, i);
        const char *s;
        ws_status st = yu_string(d, f, &s, err, errsz);
        if (st != WS_OK)
            return st;
        size_t k = 0;
        while (k < sizeof flag_names / sizeof flag_names[0] && strcmp(flag_names[k].name, s))
            k++;
        if (k == sizeof flag_names / sizeof flag_names[0])
            return yu_error(d, f, err, errsz,
                            "unknown flag \"%s\" (known: disability, elderly, child)", s);
        *flags |= flag_names[k].flag;
    }
    return WS_OK;
}

/* A label: a string without control characters. */
static ws_status parse_label(yu_doc *d, const yaml_node_t *n, char **out, char *err, size_t errsz)
{
    const char *s;
    ws_status st = yu_string(d, n, &s, err, errsz);
    if (st != WS_OK)
        return st;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return yu_error(d, n, err, errsz, "control character in a label");
    free(*out);
    *out = strdup(s);
    return *out ? WS_OK : WS_ERR_NOMEM;
}

ws_status codes_parse_days(yu_doc *d, const yaml_node_t *n, int *out, char *err, size_t errsz)
{
    const char *v = yu_is_scalar(n) ? (const char *)n->data.scalar.value : "";
    int days = 0;
    bool ok = *v && strlen(v) <= 4;
    for (const char *p = v; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9';
        days = days * 10 + (*p - '0');
    }
    if (!ok || days > CODES_DAYS_MAX) {
        char msg[256];
        return yu_error(d, n, err, errsz, "%s",
                        trf(msg, sizeof msg, "config.days", CODES_DAYS_MAX));
    }
    *out = days;
    return WS_OK;
}

static ws_status parse_item(yu_doc *d, const yaml_node_t *n, code_item *it, char *err,
                            size_t errsz)
{
    if (!yu_is_map(n))
        return yu_error(d, n, err, errsz, "a code must be a map {code, zh_CN, en}");
    ws_status st = yu_check_keys(d, n, err, errsz);
    if (st != WS_OK)
        return st;
    for (size_t i = 0; i < yu_len(n) && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, n, i), *vn = yu_map_value(d, n, i);
        const char *k = (const char *)kn->data.scalar.value;
        if (!strcmp(k, "code")) {
            const char *s;
            if ((st = yu_string(d, vn, &s, err, errsz)) != WS_OK)
                break;
            if (!code_ok(s))
                return yu_error(d, vn, err, errsz,
                                "a code is 1-%d letters, digits, '_' or '-'", MAX_CODE);
            if (!(it->code = strdup(s)))
                return WS_ERR_NOMEM;
        } else if (!strcmp(k, "zh_CN")) {
            st = parse_label(d, vn, &it->zh_CN, err, errsz);
        } else if (!strcmp(k, "en")) {
            st = parse_label(d, vn, &it->en, err, errsz);
        } else if (!strcmp(k, "short_zh_CN")) {
            st = parse_label(d, vn, &it->short_zh_CN, err, errsz);
        } else if (!strcmp(k, "short_en")) {
            st = parse_label(d, vn, &it->short_en, err, errsz);
        } else if (!strcmp(k, "flags")) {
            st = parse_flags(d, vn, &it->flags, err, errsz);
        } else if (!strcmp(k, "days")) {
            st = codes_parse_days(d, vn, &it->days, err, errsz);
        } else {
            return yu_error(d, kn, err, errsz,
                            "unknown key \"%s\" (known: code, zh_CN, en, short_zh_CN, "
                            "short_en, flags, days)",
                            k);
        }
    }
    if (st != WS_OK)
        return st;
    const char *missing = !it->code ? "code" : !it->zh_CN ? "zh_CN" : !it->en ? "en" : NULL;
    if (missing)
        return yu_error(d, n, err, errsz, "missing \"%s\"", missing);
    if (!it->short_zh_CN && !(it->short_zh_CN = strdup(it->zh_CN)))
        return WS_ERR_NOMEM;
    if (!it->short_en && !(it->short_en = strdup(it->en)))
        return WS_ERR_NOMEM;
    return WS_OK;
}

static ws_status parse_list(yu_doc *d, const yaml_node_t *seq, code_list *l, char *err,
                            size_t errsz)
{
    if (!yu_is_seq(seq))
        return yu_error(d, seq, err, errsz, "list \"%s\" must be a sequence of codes", l->name);
    size_t n = yu_len(seq);
    if (n) {
        l->items = calloc(n, sizeof *l->items);
        if (!l->items)
            return WS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *in = yu_seq_item(d, seq, i);
        ws_status st = parse_item(d, in, &l->items[l->n], err, errsz);
        l->n++; /* counted even when half-filled, so it is freed */
        if (st != WS_OK)
            return st;
        for (size_t j = 0; j + 1 < l->n; j++)
            if (!strcmp(l->items[j].code, l->items[l->n - 1].code))
                return yu_error(d, in, err, errsz, "duplicate code \"%s\" in \"%s\"",
                                l->items[j].code, l->name);
    }
    return WS_OK;
}

ws_status codebook_from_node(yu_doc *d, const yaml_node_t *root, codebook **out, char *err,
                             size_t errsz)
{
    *out = NULL;
    codebook *cb = calloc(1, sizeof *cb);
    if (!cb)
        return WS_ERR_NOMEM;
    ws_status st = WS_OK;
    if (!root || yu_is_null(root))
        goto done;
    if (!yu_is_map(root)) {
        st = yu_error(d, root, err, errsz, "code lists must be a map of list names");
        goto done;
    }
    if ((st = yu_check_keys(d, root, err, errsz)) != WS_OK)
        goto done;
    size_t n = yu_len(root);
    cb->lists = calloc(n ? n : 1, sizeof *cb->lists);
    if (!cb->lists) {
        st = WS_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && st == WS_OK; i++) {
        yaml_node_t *kn = yu_map_key(d, root, i);
        code_list *l = &cb->lists[cb->n++];
        if (!(l->name = strdup((const char *)kn->data.scalar.value)))
            st = WS_ERR_NOMEM;
        else if (!code_ok(l->name))
            st = yu_error(d, kn, err, errsz, "bad list name \"%s\"", l->name);
        else
            st = parse_list(d, yu_map_value(d, root, i), l, err, errsz);
    }
done:
    if (st != WS_OK)
        codebook_free(&cb);
    *out = cb;
    return st;
}

ws_status codebook_parse(const char *name, const char *yaml, size_t len, codebook **out,
                         char *err, size_t errsz)
{
    *out = NULL;
    if (err && errsz)
        err[0] = '\0';
    yu_doc d;
    ws_status st = yu_load(&d, name, yaml, len, tr_or_null("config.syntax"), err, errsz);
    if (st == WS_OK)
        st = codebook_from_node(&d, yu_root(&d), out, err, errsz);
    yu_free(&d);
    return st;
}

ws_status codebook_load_default(codebook **out, char *err, size_t errsz)
{
    static const char name[] = "schema/codes.yaml";
    *out = NULL;
    const embedded_file *f = embedded_find(name);
    if (!f) {
        snprintf(err, errsz, "%s: not embedded", name);
        return WS_ERR_NOT_FOUND;
    }
    return codebook_parse(name, f->data, f->len, out, err, errsz);
}

static ws_status item_copy(code_item *dst, const code_item *src)
{
    memset(dst, 0, sizeof *dst);
    dst->flags = src->flags;
    dst->days = src->days;
    if (!(dst->code = strdup(src->code)) || !(dst->zh_CN = strdup(src->zh_CN)) ||
        !(dst->en = strdup(src->en)) ||
        !(dst->short_zh_CN = strdup(src->short_zh_CN ? src->short_zh_CN : src->zh_CN)) ||
        !(dst->short_en = strdup(src->short_en ? src->short_en : src->en))) {
        item_clear(dst);
        return WS_ERR_NOMEM;
    }
    return WS_OK;
}

static code_list *list_find(const codebook *cb, const char *name)
{
    for (size_t i = 0; cb && name && i < cb->n; i++)
        if (!strcmp(cb->lists[i].name, name))
            return &cb->lists[i];
    return NULL;
}

static code_item *item_find(const code_list *l, const char *code)
{
    for (size_t i = 0; l && code && i < l->n; i++)
        if (!strcmp(l->items[i].code, code))
            return &l->items[i];
    return NULL;
}

/* Labels of an existing code are replaced; its flags are kept and the
 * extra's flags added, so relabelling "disabled" keeps CODE_DISABILITY. */
ws_status codebook_merge(codebook *cb, const codebook *extra)
{
    if (!cb || !extra)
        return WS_OK;
    for (size_t i = 0; i < extra->n; i++) {
        const code_list *src = &extra->lists[i];
        code_list *dst = list_find(cb, src->name);
        if (!dst) {
            code_list *nl = realloc(cb->lists, (cb->n + 1) * sizeof *nl);
            if (!nl)
                return WS_ERR_NOMEM;
            cb->lists = nl;
            dst = &cb->lists[cb->n];
            memset(dst, 0, sizeof *dst);
            if (!(dst->name = strdup(src->name)))
                return WS_ERR_NOMEM;
            cb->n++;
        }
        for (size_t j = 0; j < src->n; j++) {
            const code_item *s = &src->items[j];
            code_item *old = item_find(dst, s->code);
            code_item tmp;
            if (item_copy(&tmp, s) != WS_OK)
                return WS_ERR_NOMEM;
            if (old) {
                tmp.flags |= old->flags;
                if (!tmp.days)
                    tmp.days = old->days;
                item_clear(old);
                *old = tmp;
                continue;
            }
            code_item *ni = realloc(dst->items, (dst->n + 1) * sizeof *ni);
            if (!ni) {
                item_clear(&tmp);
                return WS_ERR_NOMEM;
            }
            dst->items = ni;
            dst->items[dst->n++] = tmp;
        }
    }
    return WS_OK;
}

const code_list *codebook_list(const codebook *cb, const char *list)
{
    return list_find(cb, list);
}

const code_item *codebook_find(const codebook *cb, const char *list, const char *code)
{
    return item_find(list_find(cb, list), code);
}

const char *code_label(const code_item *it, int brief)
{
    if (!it)
        return "";
    bool en = !strcmp(i18n_lang(), "en");
    const char *full = en ? it->en : it->zh_CN;
    const char *shrt = en ? it->short_en : it->short_zh_CN;
    if (brief && shrt && *shrt)
        return shrt;
    return full ? full : it->code;
}
