/* The demo's volunteers, teams, a year of activities with their rosters,
 * hours (a few corrected) and points (some spent): demo_volunteers.c. */
#ifndef WUSHE_DEMO_VOLUNTEERS_H
#define WUSHE_DEMO_VOLUNTEERS_H

#include <stddef.h>
#include <stdint.h>

#include "wushe/station.h"

/* Inside the demo's transaction, after the register of `residents` is
 * filled; none in a demo of fewer than 160 residents. */
ws_status demo_volunteers(station *st, size_t residents, uint64_t seed);

#endif
