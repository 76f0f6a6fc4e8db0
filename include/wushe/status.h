/* Status codes returned by every model call, with a message table. */
#ifndef WUSHE_STATUS_H
#define WUSHE_STATUS_H

/* X(name, catalog key) */
#define WS_STATUS_LIST(X)                                   \
    X(WS_OK, "status.ok")                                   \
    X(WS_ERR_NOMEM, "status.nomem")                         \
    X(WS_ERR_IO, "status.io")                               \
    X(WS_ERR_DB, "status.db")                               \
    X(WS_ERR_BUSY, "status.busy")                           \
    X(WS_ERR_CORRUPT, "status.corrupt")                     \
    X(WS_ERR_NOT_DB, "status.not_db")                       \
    X(WS_ERR_TOO_NEW, "status.too_new")                     \
    X(WS_ERR_FULL, "status.full")                           \
    X(WS_ERR_READONLY, "status.readonly")                   \
    X(WS_ERR_INVALID, "status.invalid")                     \
    X(WS_ERR_NOT_FOUND, "status.not_found")                 \
    X(WS_ERR_YAML, "status.yaml")                           \
    X(WS_ERR_USAGE, "status.usage")                         \
    X(WS_ERR_STALE, "status.stale")                         \
    X(WS_ERR_DENIED, "status.denied")                       \
    X(WS_ERR_AUTH, "status.auth")                           \
    X(WS_ERR_LOCKED, "status.locked")                       \
    X(WS_ERR_DISABLED, "status.disabled")                   \
    X(WS_ERR_UNRECORDED, "status.unrecorded")

typedef enum {
#define WS_STATUS_ENUM(name, key) name,
    WS_STATUS_LIST(WS_STATUS_ENUM)
#undef WS_STATUS_ENUM
    WS_STATUS_COUNT
} ws_status;

/* Catalog key of the message for a status ("status.busy", ...). */
const char *ws_status_key(ws_status st);
/* Symbolic name ("WS_ERR_BUSY"), for logs and tests. */
const char *ws_status_name(ws_status st);

#endif
