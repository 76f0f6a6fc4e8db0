/* The curses console: the only entry point main needs. */
#ifndef WUSHE_UI_H
#define WUSHE_UI_H

#include "wushe/station.h"

typedef struct ui_start {
    bool first_start;        /* a station just made: its setup after the login */
    bool demo;               /* the demo station: the login screen lists its accounts */
    const station_config *cfg; /* may be NULL: the idle lock's minutes */
} ui_start;

/* Run the console on an open station until the clerk quits. It starts on
 * the login screen, or on a station without accounts by asking for its
 * first 站长; a station just made (first_start) then opens on its setup:
 * the station's name and division code, then its 社区/村. Returns the
 * process exit status. */
int ui_run(station *st, const ui_start *start);

#endif
