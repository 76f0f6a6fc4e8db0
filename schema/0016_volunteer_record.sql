-- Schema version 16: the rest of a volunteer's record under 民政部令第67号
-- (志愿服务记录与证明出具办法): 培训情况, 表彰奖励情况 and 评价情况, each a
-- declared kind under the volunteer (volunteer_record.c).
CREATE TABLE volunteer_trainings (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    training_date TEXT NOT NULL,                -- YYYY-MM-DD
    topic        TEXT NOT NULL DEFAULT '',
    minutes      INTEGER NOT NULL DEFAULT 0,     -- 学时, in minutes as all volunteer time
    trainer      TEXT NOT NULL DEFAULT '',
    organiser    TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX volunteer_trainings_volunteer ON volunteer_trainings(volunteer_id, training_date);

CREATE TABLE volunteer_commendations (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    award_date   TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',       -- 荣誉称号 or 奖项
    level        TEXT NOT NULL DEFAULT '',       -- codes.yaml commendation_level
    issuer       TEXT NOT NULL DEFAULT '',       -- 授予单位
    notes        TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX volunteer_commendations_volunteer
    ON volunteer_commendations(volunteer_id, award_date);

CREATE TABLE volunteer_evaluations (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    year         INTEGER NOT NULL,               -- the year evaluated, one a volunteer
    rating       TEXT NOT NULL DEFAULT '',       -- codes.yaml evaluation_rating
    evaluated_on TEXT NOT NULL,
    evaluator    TEXT NOT NULL DEFAULT '',
    comment      TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX volunteer_evaluations_volunteer ON volunteer_evaluations(volunteer_id, year);

-- The entries waiting for a 站长's confirmation, found without a walk of
-- the whole ledger (the pending list and 全部确认).
CREATE INDEX hour_entries_pending ON hour_entries(id) WHERE confirmed_at IS NULL;
