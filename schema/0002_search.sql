-- Schema version 2: the resident search index. Kept by the model's write
-- path in the same transaction as the row it describes; `wushe reindex`
-- rebuilds it. See src/search.c for the terms.

ALTER TABLE residents ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
-- A small number local to this database, so that postings stay short
-- (ids are 63-bit); renumbered freely by a rebuild.
ALTER TABLE residents ADD COLUMN seq INTEGER;
CREATE UNIQUE INDEX residents_seq ON residents(seq);

-- Name, pinyin, initials and address-bigram terms, each posting in pinyin
-- order: `ord` is
-- the first bytes of the resident's collation sort key, so the first page
-- of any term is one index range scan.
CREATE TABLE search_names (
    term TEXT NOT NULL,
    ord  BLOB NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, ord, seq)
) WITHOUT ROWID;

-- ID number and phone digits of each resident (rowid = residents.seq) as
-- "id|phone", cut by Wushe's own tokenizer into digit 4-grams
-- (src/search.c). Contentless and without positions: the text is in
-- residents already, and a match is checked against it. Reading it needs
-- the wushe binary's tokenizer.
CREATE VIRTUAL TABLE search_fts USING fts5(t, tokenize = 'wushe', content = '', detail = 'none');

-- The register in pinyin order with search_text beside it: a search that
-- walks (matches too many for its terms to help) reads this index alone,
-- sequentially, not a table row per resident.
CREATE INDEX residents_walk ON residents(sort_key, id, search_text) WHERE deleted_at IS NULL;
