/* Communities and villages (社区/村) served by the station. */
#ifndef WUSHE_COMMUNITY_H
#define WUSHE_COMMUNITY_H

#include <stddef.h>
#include <stdint.h>
#include "wushe/record.h"
#include "wushe/station.h"
#include "wushe/validate.h"

typedef struct community {
    int64_t id;
    int64_t revision;
    char name[256];
    char kind[16]; /* codes community_kind */
    char code[16]; /* 12-digit division code or "" */
} community;

/* The kind (src/kinds.c): its fields, forms, lists and history. */
extern const record_kind kind_community;

/* All live communities in pinyin order (a station has tens, not thousands). */
ws_status community_list(station *st, community **items, size_t *n);
ws_status community_save(station *st, community *c, record_error *re);
ws_status community_find_by_name(station *st, const char *name, community *out);

#endif
