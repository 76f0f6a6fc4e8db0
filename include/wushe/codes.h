/* Code lists (schema/codes.yaml, embedded; extendable by the station
 * config): sexes, ethnicities, relations to the head of household,
 * vulnerable groups, disability types and grades, community kinds. */
#ifndef WUSHE_CODES_H
#define WUSHE_CODES_H

#include <stddef.h>
#include "wushe/status.h"

/* Flags on a code item (YAML key "flags": a list of these names). */
enum {
    CODE_DISABILITY = 1u << 0, /* "disability": asks for type and grade */
    CODE_ELDERLY = 1u << 1,    /* "elderly" */
    CODE_CHILD = 1u << 2,      /* "child" */
};

typedef struct code_item {
    char *code;  /* stable ASCII code stored in the database */
    char *zh_CN; /* label in Chinese */
    char *en;    /* label in English */
    char *short_zh_CN; /* short label for list columns (defaults to zh_CN) */
    char *short_en;
    unsigned flags;
    int days;    /* a number of days the code carries (a group's visit frequency); 0 none */
} code_item;

typedef struct code_list {
    char *name;
    code_item *items;
    size_t n;
} code_list;

typedef struct codebook codebook;

/* Parse a codebook YAML document: a map of list name to a sequence of maps
 * {code, zh_CN, en, short_zh_CN?, short_en?, flags?, days?}. Errors are
 * "name:line:column: problem". */
ws_status codebook_parse(const char *name, const char *yaml, size_t len,
                         codebook **out, char *err, size_t errsz);
/* The embedded schema/codes.yaml. */
ws_status codebook_load_default(codebook **out, char *err, size_t errsz);
/* Add the items of `extra` to `cb` (new lists or new codes appended; an
 * existing code has its labels replaced). */
ws_status codebook_merge(codebook *cb, const codebook *extra);
void codebook_free(codebook **cb);

const code_list *codebook_list(const codebook *cb, const char *list);
const code_item *codebook_find(const codebook *cb, const char *list, const char *code);
/* Label in the current i18n language; short when `brief`. */
const char *code_label(const code_item *it, int brief);

#endif
