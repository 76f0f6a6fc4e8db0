-- Schema version 6: the recycle bin of residents and a household's own
-- history. Both read few rows of big tables, so each gets a small partial
-- index instead of a scan: the deleted residents in order of deletion (the
-- bin lists the latest first), and the residents' audit rows that moved
-- someone from one household to another (a household's history finds its
-- former members by them). The index expressions and conditions are the
-- ones the queries use (resident_restore.c, record_history.c).
CREATE INDEX residents_deleted ON residents(deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX audit_log_moved_in ON audit_log(json_extract(after, '$.household_id'))
    WHERE table_name = 'residents' AND before IS NOT NULL
      AND json_extract(before, '$.household_id') IS NOT json_extract(after, '$.household_id');
CREATE INDEX audit_log_moved_out ON audit_log(json_extract(before, '$.household_id'))
    WHERE table_name = 'residents' AND before IS NOT NULL
      AND json_extract(before, '$.household_id') IS NOT json_extract(after, '$.household_id');
