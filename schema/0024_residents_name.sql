-- Schema version 24: residents by name. A ledger names a resident by name
-- (a visit, an attendance sheet, a 签领 line) and an export writes the name
-- back with the community when namesakes need it: without an index each
-- row read every resident, so exporting a demo station's 24,000 visits
-- took minutes.
CREATE INDEX residents_name ON residents(name, community_id) WHERE deleted_at IS NULL;
