-- Schema version 12: the tasks under a case's goals (计划: who does what by
-- when, and when it was done).
CREATE TABLE case_tasks (
    id         INTEGER PRIMARY KEY,
    goal_id    INTEGER NOT NULL REFERENCES case_goals(id),
    task       TEXT NOT NULL,
    who        TEXT NOT NULL DEFAULT '',
    due_date   TEXT,
    done_date  TEXT,
    note       TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX case_tasks_goal ON case_tasks(goal_id, task);
