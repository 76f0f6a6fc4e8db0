/* The curses console: the only entry point main needs. */
#ifndef WUSHE_UI_H
#define WUSHE_UI_H

#include "wushe/station.h"

/* Run the console on an open station until the clerk quits; a station
 * just made (first_start) opens on its setup: the station's name and
 * division code, then its 社区/村. Returns the process exit status. */
int ui_run(station *st, bool first_start);

#endif
