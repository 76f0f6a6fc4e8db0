-- Schema version 21: the ID numbers of residents in the 回收站, indexed.
-- A new resident (or a changed number) whose ID number belongs to someone
-- deleted is that person, to be restored: registered again, the deleted
-- one could never come back beside it. residents_id_number holds only the
-- living, so without this each such check read every resident. Only
-- deleted rows enter it: the living register's writes do not grow.
CREATE INDEX IF NOT EXISTS residents_binned_id_number ON residents(id_number)
    WHERE deleted_at IS NOT NULL AND id_number IS NOT NULL;
