/* The demo's random generator: one, the same on every machine, so that a
 * demo station is the same everywhere. A header of its own so that the
 * demo's parts share it without including demo.c's declarations. */
#ifndef WUSHE_DEMO_RNG_H
#define WUSHE_DEMO_RNG_H

#include <stdbool.h>
#include <stdint.h>

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

#endif
