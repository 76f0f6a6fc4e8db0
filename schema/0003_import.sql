-- Schema version 3: imports of ledgers (台账).
-- Possible duplicates found by an import (same name pinyin and the same
-- birth date or phone as a registered resident, e.g. 张伟 and 章伟) wait
-- here until a clerk merges them, keeps both or skips the row.
CREATE TABLE import_pending (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    actor        TEXT NOT NULL,
    source       TEXT NOT NULL,                    -- file name
    line         INTEGER NOT NULL,                 -- line of the row in it
    candidate_id INTEGER NOT NULL REFERENCES residents(id),
    row_json     TEXT NOT NULL,                    -- the validated row
    UNIQUE (candidate_id, row_json)
);

-- Duplicate candidates: same name pinyin and the same birth date or phone,
-- answered from the index alone.
CREATE INDEX residents_pinyin ON residents(name_pinyin, birth_date, phone)
    WHERE deleted_at IS NULL;
