-- Schema version 13: record_terms in one b-tree, smaller rows. The (kind,
-- id) index that deletes used doubled what every term cost to write (a
-- household has tens of them); a record's terms are found through
-- record_term_sets instead, one row a record written with its terms
-- (record_terms.c). A kind is a small number (record_kind_codes, given at
-- its first terms) where it was its name. The terms are built again by
-- the first open (record_ensure: the way they are cut changed too).
DROP INDEX record_terms_row;
DROP TABLE record_terms;
CREATE TABLE record_kind_codes (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE  -- the kind's name ("household", "community")
);
CREATE TABLE record_terms (
    kind INTEGER NOT NULL,  -- record_kind_codes.code
    term TEXT NOT NULL,     -- folded text, as record_terms.c cuts it
    id   INTEGER NOT NULL,  -- the row's id in the kind's table
    PRIMARY KEY (kind, term, id)
) WITHOUT ROWID;
CREATE TABLE record_term_sets (
    kind  INTEGER NOT NULL, -- record_kind_codes.code
    id    INTEGER NOT NULL,
    terms BLOB NOT NULL,    -- each of the record's terms: a length byte, its bytes
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
DELETE FROM settings WHERE key = 'record_terms_version';
