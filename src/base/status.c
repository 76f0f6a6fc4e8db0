#include "wushe/status.h"

static const char *const status_keys[] = {
#define WS_STATUS_KEY(name, key) key,
    WS_STATUS_LIST(WS_STATUS_KEY)
#undef WS_STATUS_KEY
};

static const char *const status_names[] = {
#define WS_STATUS_NAME(name, key) #name,
    WS_STATUS_LIST(WS_STATUS_NAME)
#undef WS_STATUS_NAME
};

const char *ws_status_key(ws_status st)
{
    if ((unsigned)st >= WS_STATUS_COUNT)
        return "status.db";
    return status_keys[st];
}

const char *ws_status_name(ws_status st)
{
    if ((unsigned)st >= WS_STATUS_COUNT)
        return "WS_ERR_UNKNOWN";
    return status_names[st];
}
