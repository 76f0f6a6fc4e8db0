-- Schema version 15: more co-workers on a case than the one its form
-- names; each sees and works the case as its workers do.
CREATE TABLE case_coworkers (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    worker_id  INTEGER NOT NULL REFERENCES accounts(id),
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX case_coworkers_case ON case_coworkers(case_id, worker_id);
CREATE INDEX case_coworkers_worker ON case_coworkers(worker_id, case_id)
    WHERE deleted_at IS NULL;
