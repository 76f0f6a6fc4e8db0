-- Schema version 8: consent and the rights of the people on the register
-- (PIPL Art. 29, 31, 44-47).
--
-- A resident's consents (同意记录), a declared kind of record (consent.c):
-- when, to what (codes consent_scope, comma separated), given by the
-- person or by a guardian (under 14 always a guardian: name and relation),
-- the paper form's reference and, when it was withdrawn, the date.
CREATE TABLE resident_consents (
    id                INTEGER PRIMARY KEY,
    resident_id       INTEGER NOT NULL REFERENCES residents(id),
    consent_date      TEXT,                            -- YYYY-MM-DD
    scope             TEXT NOT NULL DEFAULT '',        -- codes.yaml consent_scope, comma separated
    giver             TEXT NOT NULL DEFAULT 'self',    -- codes.yaml consent_giver
    guardian_name     TEXT NOT NULL DEFAULT '',
    guardian_relation TEXT NOT NULL DEFAULT '',        -- codes.yaml guardian_relation
    reference         TEXT NOT NULL DEFAULT '',        -- 纸质同意书编号
    withdrawn_date    TEXT,                            -- YYYY-MM-DD, NULL while it stands
    revision          INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
);
-- One person's consents in date order (the list under the resident form).
CREATE INDEX resident_consents_resident ON resident_consents(resident_id, consent_date, id);

-- A resident whose personal data was erased (resident_erase.c): the row
-- stays, deleted, so that what refers to it (households, statuses,
-- consents, merges, later cases and services) stays consistent and counts
-- keep their people; its identifying values are gone. Such a row is not in
-- the recycle bin and cannot be restored.
ALTER TABLE residents ADD COLUMN erased_at TEXT;
