-- Schema version 17: every station file carries SQLite's application_id
-- 0x57534853 ('WSHS'), so that a file is known for ours (or not) from its
-- header before anything is written to it (src/storage/db.c).
PRAGMA application_id = 1465075795;
