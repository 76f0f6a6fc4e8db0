-- Schema version 2: the resident search index. Kept by the model's write
-- path in the same transaction as the row it describes; `wushe reindex`
-- rebuilds it. See src/search.c for the terms.

ALTER TABLE residents ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
-- A small number local to this database, so that postings stay short
-- (ids are 63-bit); renumbered freely by a rebuild.
ALTER TABLE residents ADD COLUMN seq INTEGER;
CREATE UNIQUE INDEX residents_seq ON residents(seq);

-- Name, pinyin and initials terms, each posting in pinyin order: `ord` is
-- the first bytes of the resident's collation sort key, so the first page
-- of any term is one index range scan.
CREATE TABLE search_names (
    term TEXT NOT NULL,
    ord  BLOB NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, ord, seq)
) WITHOUT ROWID;

-- Address bigrams: candidates verified against the row, in pinyin order.
CREATE TABLE search_grams (
    term TEXT NOT NULL,
    ord  BLOB NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, ord, seq)
) WITHOUT ROWID;


-- Digit 4-grams of ID numbers and phones (no order: few results, sorted
-- after the fact, or many, found by a walk in pinyin order).
CREATE TABLE search_digits (
    term TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, seq)
) WITHOUT ROWID;

-- How many residents have each digit gram, kept with the postings: a query
-- starts from its rarest grams.
CREATE TABLE search_digit_counts (
    term TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
