-- Schema version 22: a 签领 sheet's line carries a revision, as every
-- record does. Two consoles on one sheet: a mark keyed on a line that
-- another clerk marked since the sheet was read is refused, naming who
-- and when, instead of silently undoing their 签领 (and its stock).
ALTER TABLE distribution_lines ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
