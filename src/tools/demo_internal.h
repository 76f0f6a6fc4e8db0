/* What demo.c calls in the demo's other files (the random generator they
 * share is demo_rng.h). */
#ifndef WUSHE_DEMO_INTERNAL_H
#define WUSHE_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "demo_rng.h"
#include "wushe/demo.h"

/* A year of visits and some sixty cases at every stage, with their parts
 * (demo_casework.c), inside demo_generate's transaction. */
ws_status demo_casework(station *st, uint64_t seed);

#endif
