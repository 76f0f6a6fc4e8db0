/* wushe bench resources (bench_resources.c). */
#ifndef WUSHE_BENCH_RESOURCES_H
#define WUSHE_BENCH_RESOURCES_H

#include <stddef.h>
#include <stdio.h>

#include "wushe/station.h"

/* Make a scratch station at `scratch` with `donations` donations and
 * `moves` stock movements, then time stock on hand for every item and a
 * fund's balance against the naive sums; the proof of wushe check too. */
ws_status bench_resources(const char *scratch, size_t donations, size_t moves, FILE *out);

#endif
