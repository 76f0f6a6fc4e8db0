-- Schema version 20: three CHECKs of the form `x IN ('a', 'b', ...)` made
-- SQLite (3.40) fill a temporary b-tree with the list at every insert into
-- their tables: the audit log (every write of every record), the hours
-- and the points ledgers. The same rules as equalities cost nothing: about
-- 4 µs an audit row (20,000 inserts, 165-195 ms against 104-113 ms). A
-- CHECK is not stored in the rows, so the tables' definitions change in
-- place, the way SQLite's documentation gives for a changed constraint
-- (every row already keeps the new one, the same rule); creating and
-- dropping a table tells every other connection the schema changed.
-- New stations get them from 0001 and 0011 already (the replace finds
-- nothing there).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (action IN (''insert'', ''update'', ''delete''))',
    'CHECK (action = ''insert'' OR action = ''update'' OR action = ''delete'')')
WHERE type = 'table' AND name = 'audit_log';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (entry_kind IN (''entry'', ''reversal'', ''correction''))',
    'CHECK (entry_kind = ''entry'' OR entry_kind = ''reversal'' OR entry_kind = ''correction'')')
WHERE type = 'table' AND name = 'hour_entries';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (movement IN (''earn'', ''spend'', ''give'', ''reversal''))',
    'CHECK (movement = ''earn'' OR movement = ''spend'' OR movement = ''give'' OR '
    || 'movement = ''reversal'')')
WHERE type = 'table' AND name = 'points_movements';
PRAGMA writable_schema = OFF;
CREATE TABLE schema_changed_0020 (x);
DROP TABLE schema_changed_0020;
