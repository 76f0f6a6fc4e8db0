/* What the demo's files share: one random generator, the same on every
 * machine, so that a demo station is the same everywhere. */
#ifndef WUSHE_DEMO_INTERNAL_H
#define WUSHE_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "wushe/demo.h"

/* splitmix64: small, fast and the same on every machine. */
typedef struct demo_rng {
    uint64_t s;
} demo_rng;

static inline uint64_t demo_next(demo_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline int demo_range(demo_rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)(demo_next(r) % (uint64_t)(hi - lo + 1));
}

static inline bool demo_chance(demo_rng *r, int per_mille)
{
    return (int)(demo_next(r) % 1000) < per_mille;
}

/* A year of visits and some sixty cases at every stage, with their parts
 * (demo_casework.c), inside demo_generate's transaction. */
ws_status demo_casework(station *st, uint64_t seed);

#endif
