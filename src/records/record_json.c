/* A record's audit JSON written from the values in hand, as SQLite's
 * json_object() would read them back from the row: the write then needs no
 * statement to read its own row again (the import writes thousands). The
 * contract test holds the two byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"

#define JSON_DEPTH 8

struct record_json {
    char *p;
    size_t n, cap;
    bool oom;
    int depth;
    bool first[JSON_DEPTH]; /* no member yet at this depth */
};

static void json_put(record_json *j, const char *s, size_t n)
{
    if (j->oom)
        return;
    if (j->n + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 512;
        while (j->n + n + 1 > cap)
            cap *= 2;
        char *p = realloc(j->p, cap);
        if (!p) {
            j->oom = true;
            return;
        }
        j->p = p;
        j->cap = cap;
    }
    memcpy(j->p + j->n, s, n);
    j->n += n;
    j->p[j->n] = '\0';
}

/* SQLite's quoting: the short escapes it knows, \u00XX for the other
 * control characters, every other byte as it is. */
static void json_quote(record_json *j, const char *s)
{
    static const char shortform[32] = {['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n',
                                       ['\f'] = 'f', ['\r'] = 'r'};
    json_put(j, "\"", 1);
    const char *run = s;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c >= 0x20 && *c != '"' && *c != '\\')
            continue;
        json_put(j, run, (size_t)((const char *)c - run));
        char e[8];
        if (*c == '"' || *c == '\\')
            json_put(j, (char[]){'\\', (char)*c}, 2);
        else if (shortform[*c])
            json_put(j, (char[]){'\\', shortform[*c]}, 2);
        else
            json_put(j, e, (size_t)snprintf(e, sizeof e, "\\u%04x", *c));
        run = (const char *)c + 1;
    }
    json_put(j, run, strlen(run));
    json_put(j, "\"", 1);
}

/* The comma before a member and its key (NULL: an element of a list). */
static void json_member(record_json *j, const char *key)
{
    if (!j->first[j->depth])
        json_put(j, ",", 1);
    j->first[j->depth] = false;
    if (key) {
        json_quote(j, key);
        json_put(j, ":", 1);
    }
}

static void json_open(record_json *j, const char *key, char brace)
{
    json_member(j, key);
    json_put(j, &brace, 1);
    if (j->depth + 1 >= JSON_DEPTH) {
        j->oom = true; /* deeper than any record's JSON: refused, never cut */
        return;
    }
    j->first[++j->depth] = true;
}

void record_json_str(record_json *j, const char *key, const char *v)
{
    json_member(j, key);
    json_quote(j, v ? v : "");
}

void record_json_str_or_null(record_json *j, const char *key, const char *v)
{
    if (v && *v)
        record_json_str(j, key, v);
    else
        record_json_null(j, key);
}

void record_json_int(record_json *j, const char *key, int64_t v)
{
    char b[32];
    json_member(j, key);
    json_put(j, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
}

void record_json_null(record_json *j, const char *key)
{
    json_member(j, key);
    json_put(j, "null", 4);
}

void record_json_list(record_json *j, const char *key)
{
    json_open(j, key, '[');
}

void record_json_object(record_json *j)
{
    json_open(j, NULL, '{');
}

void record_json_end(record_json *j, char brace)
{
    json_put(j, &brace, 1);
    if (j->depth > 0)
        j->depth--;
}

record_json *record_json_new(void)
{
    record_json *j = calloc(1, sizeof *j);
    if (j) {
        j->first[0] = true;
        json_put(j, "{", 1);
    }
    return j;
}

char *record_json_finish(record_json **jp)
{
    record_json *j = *jp;
    *jp = NULL;
    if (!j)
        return NULL;
    json_put(j, "}", 1);
    char *out = j->oom ? NULL : j->p;
    if (j->oom)
        free(j->p);
    free(j);
    return out;
}

void record_json_free(record_json **jp)
{
    if (!jp || !*jp)
        return;
    free((*jp)->p);
    free(*jp);
    *jp = NULL;
}
