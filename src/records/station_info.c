/* Changing the station's own details: the 站长's (PERM_STATION). Apart
 * from station.c, which the permission table itself builds on. */
#include "station_internal.h"

#include "wushe/access.h"

ws_status station_set_info(station *st, const char *name, const char *division_code)
{
    ws_status s = station_require(st, PERM_STATION);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    if (name)
        s = db_setting_set(d, "station_name", name);
    if (s == WS_OK && division_code)
        s = db_setting_set(d, "division_code", division_code);
    return db_end(d, s);
}
