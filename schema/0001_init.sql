-- Wushe station database, schema version 1: settings, communities,
-- households, residents, their vulnerable-group statuses, and the audit log.
-- Ids are 64-bit, time-ordered high bits + random low bits (see src/ids.c),
-- so databases of different stations can be merged without renumbering.
-- Dates are 'YYYY-MM-DD' text; times are ISO 8601 UTC text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE communities (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'community',  -- codes.yaml community_kind
    code       TEXT,                               -- 12-digit division code
    sort_key   BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX communities_name ON communities(name) WHERE deleted_at IS NULL;

CREATE TABLE households (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL,                    -- 户编号 as on paper
    community_id INTEGER REFERENCES communities(id),
    head_id      INTEGER,                          -- residents(id); NULL until chosen
    address      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX households_order ON households(community_id, number, id) WHERE deleted_at IS NULL;
CREATE INDEX households_number ON households(number, id) WHERE deleted_at IS NULL;

CREATE TABLE residents (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    id_number     TEXT,                            -- 18 chars, upper-case X; NULL if unknown
    sex           INTEGER NOT NULL DEFAULT 0,      -- GB/T 2261.1: 0 unknown, 1 male, 2 female
    birth_date    TEXT,
    phone         TEXT NOT NULL DEFAULT '',
    ethnicity     TEXT NOT NULL DEFAULT '',        -- codes.yaml ethnicity
    community_id  INTEGER REFERENCES communities(id),
    household_id  INTEGER REFERENCES households(id),
    relation      TEXT NOT NULL DEFAULT '',        -- codes.yaml relation (to the head)
    address       TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    name_pinyin   TEXT NOT NULL DEFAULT '',        -- full pinyin, surname reading
    name_initials TEXT NOT NULL DEFAULT '',
    search_text   TEXT NOT NULL DEFAULT '',        -- folded name + pinyin variants
    sort_key      BLOB NOT NULL,                   -- ICU zh-u-co-pinyin sort key of name
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX residents_id_number ON residents(id_number)
    WHERE deleted_at IS NULL AND id_number IS NOT NULL;
CREATE INDEX residents_order ON residents(sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX residents_household ON residents(household_id) WHERE deleted_at IS NULL;

CREATE TABLE resident_groups (
    id               INTEGER PRIMARY KEY,
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    group_code       TEXT NOT NULL,                -- codes.yaml vulnerable_group
    start_date       TEXT,
    cert_no          TEXT NOT NULL DEFAULT '',
    review_date      TEXT,
    disability_type  TEXT NOT NULL DEFAULT '',
    disability_grade TEXT NOT NULL DEFAULT '',
    UNIQUE (resident_id, group_code)
);
CREATE INDEX resident_groups_code ON resident_groups(group_code);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    action     TEXT NOT NULL CHECK (action = 'insert' OR action = 'update' OR action = 'delete'),
    before     TEXT,                               -- JSON, NULL on insert
    after      TEXT                                -- JSON
);
CREATE INDEX audit_log_row ON audit_log(table_name, row_id);
