/* The audit trail: every write of personal data records who, when, what,
 * and the row as JSON before and after. Called inside the write's own
 * transaction, so the log and the data never disagree. */
#ifndef WUSHE_AUDIT_H
#define WUSHE_AUDIT_H

#include <stdint.h>
#include "db.h"

typedef enum { AUDIT_INSERT, AUDIT_UPDATE, AUDIT_DELETE } audit_action;

/* JSON snapshot of one row of `table` ("residents", "households",
 * "communities"); NULL when the row does not exist. Caller frees. */
ws_status audit_snapshot(db *d, const char *table, int64_t id, char **json);

/* Append an audit row; `before` is the snapshot taken before the write (NULL
 * on insert); the after snapshot is taken here. */
ws_status audit_write(db *d, const char *actor, const char *table, int64_t id,
                      audit_action action, const char *before);

/* The same for a declared kind, whose SQL its declaration built:
 * snapshot_sql takes ?1 = row id; insert_sql as in audit_tables. */
ws_status audit_snapshot_sql(db *d, const char *snapshot_sql, int64_t id, char **json);
ws_status audit_write_sql(db *d, const char *insert_sql, const char *actor, int64_t id,
                          audit_action action, const char *before);

/* Append an audit row with explicit JSON (for events that are not row
 * writes, such as an unmasked export). */
ws_status audit_event(db *d, const char *actor, const char *table, int64_t id,
                      audit_action action, const char *before, const char *after);

#endif
