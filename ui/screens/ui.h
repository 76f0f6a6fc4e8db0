/* The curses console: the only entry point main needs. */
#ifndef WUSHE_UI_H
#define WUSHE_UI_H

#include "wushe/station.h"

/* Run the console on an open station until the clerk quits. Returns the
 * process exit status. */
int ui_run(station *st);

#endif
