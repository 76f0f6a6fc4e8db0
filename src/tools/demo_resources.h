/* The demo's charitable resources (demo_resources.c), called once by
 * demo_generate inside its transaction, after the register. */
#ifndef WUSHE_DEMO_RESOURCES_H
#define WUSHE_DEMO_RESOURCES_H

#include <stdint.h>

#include "wushe/station.h"

ws_status demo_resources(station *st, uint64_t seed);
/* Goods from the 爱心超市 for volunteers' points: after the volunteers. */
ws_status demo_shop(station *st, uint64_t seed);

#endif
