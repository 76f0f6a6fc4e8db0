/* The demo's social organisations, their incubation and projects
 * (demo_orgs.c). */
#ifndef WUSHE_DEMO_ORGS_H
#define WUSHE_DEMO_ORGS_H

#include <stdint.h>

#include "wushe/station.h"

/* Inside the demo's transaction, after the volunteers and activities:
 * thirty organisations, eight in the incubator, six projects linked to
 * the activities. */
ws_status demo_orgs(station *st, uint64_t seed);

#endif
