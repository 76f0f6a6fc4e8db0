-- Schema version 4: merges made in the duplicate review, kept so that a
-- merge can be undone. A merge writes the registered resident through the
-- resident write path (audited) and moves the review row here; undoing it
-- writes the resident back (a new audited write, history is not rewritten)
-- and puts the review row back into import_pending, with its own id.
CREATE TABLE import_merges (
    id          INTEGER PRIMARY KEY,
    pending_id  INTEGER NOT NULL,                  -- the review row's id
    created_at  TEXT NOT NULL,                     -- the review row as it was:
    actor       TEXT NOT NULL,                     --   who imported it, when,
    source      TEXT NOT NULL,                     --   from which file and line
    line        INTEGER NOT NULL,
    row_json    TEXT NOT NULL,                     --   and the validated row
    resident_id INTEGER NOT NULL REFERENCES residents(id), -- the registered resident
    choices     TEXT NOT NULL,                     -- JSON array: fields that took the row's value
    before_json TEXT NOT NULL,                     -- the resident before the merge
    after_json  TEXT NOT NULL,                     -- and after it (audit_log's snapshots)
    merged_at   TEXT NOT NULL,
    merged_by   TEXT NOT NULL,
    undone_at   TEXT,                              -- NULL while the merge stands
    undone_by   TEXT
);
-- One standing merge per review row; the review lists them beside the rows.
CREATE UNIQUE INDEX import_merges_pending ON import_merges(pending_id) WHERE undone_at IS NULL;
CREATE INDEX import_merges_resident ON import_merges(resident_id);
