/* Deterministic synthetic station data for demos, tests and benchmarks. */
#ifndef WUSHE_DEMO_H
#define WUSHE_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include "wushe/station.h"

typedef struct demo_opts {
    size_t residents; /* default 1000 */
    uint64_t seed;    /* default 2026 */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *ctx;
} demo_opts;

/* Fill an empty station database. WS_ERR_INVALID if it already has
 * residents. One transaction: an interrupted run leaves it empty. */
ws_status demo_generate(station *st, const demo_opts *opts);

#endif
