/* Communities and villages (社区/村) served by the station. */
#ifndef WUSHE_COMMUNITY_H
#define WUSHE_COMMUNITY_H

#include <stdbool.h>
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
/* By name as written, else as the search folds it, else as its committee
 * (青石村村委会 is 青石村); WS_ERR_NOT_FOUND when none. */
ws_status community_find_by_name(station *st, const char *name, community *out);
/* The place a committee's name stands for: 青石村村委会 and 青石村民委员会
 * are 青石村, 青石社区居委会 and 青石居民委员会 青石社区 (in traditional
 * characters too: out is then folded); false when name is no committee's. */
bool community_place_name(const char *name, char *out, size_t outsz);

#endif
