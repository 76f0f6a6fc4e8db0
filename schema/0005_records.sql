-- Schema version 5: the declared kinds of record (src/kinds/). Every row
-- carries a revision: a save of a record someone else changed after it was
-- loaded is refused. record_terms is the search index of the declared
-- kinds (every kind but residents, whose index is search_names and
-- search_fts): one row per term, written with the row it describes.
ALTER TABLE residents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communities ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE record_terms (
    kind TEXT NOT NULL,     -- the kind's name ("household", "community")
    term TEXT NOT NULL,     -- folded substring, pinyin prefix or digit tail
    id   INTEGER NOT NULL,  -- the row's id in the kind's table
    PRIMARY KEY (kind, term, id)
) WITHOUT ROWID;
CREATE INDEX record_terms_row ON record_terms(kind, id);
CREATE INDEX communities_order ON communities(sort_key, id);
