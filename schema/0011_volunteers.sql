-- Schema version 11: volunteers, teams, activities and service hours
-- (issue 12; 民政部令第67号 志愿服务记录与证明出具办法).
--
-- Volunteers, teams, team members, activities, their sessions and the
-- attendance of each session are declared kinds (volunteer.c,
-- activity.c). Hours and time-bank points are ledgers: rows are only ever
-- added (a correction is a reversal linked to the original plus the
-- corrected entry; triggers refuse an edit or a delete), totals and
-- balances are sums.
CREATE TABLE volunteers (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL,               -- <station code>V<6 digits>, never reused
    resident_id     INTEGER REFERENCES residents(id), -- NULL: standalone
    name            TEXT NOT NULL DEFAULT '',    -- a linked volunteer's copied from the register
    id_number       TEXT,
    phone           TEXT NOT NULL DEFAULT '',
    registered_date TEXT,                        -- YYYY-MM-DD
    skills          TEXT NOT NULL DEFAULT '',    -- codes.yaml volunteer_skill, comma separated
    availability    TEXT NOT NULL DEFAULT '',    -- codes.yaml volunteer_time, comma separated
    status          TEXT NOT NULL DEFAULT 'active', -- codes.yaml volunteer_status
    status_date     TEXT,
    status_reason   TEXT NOT NULL DEFAULT '',
    sort_key        BLOB,
    revision        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE UNIQUE INDEX volunteers_number ON volunteers(number);
CREATE INDEX volunteers_order ON volunteers(sort_key, id);
CREATE INDEX volunteers_resident ON volunteers(resident_id);

CREATE TABLE volunteer_teams (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    leader_id    INTEGER REFERENCES volunteers(id),
    organiser    TEXT NOT NULL DEFAULT '',      -- the station, or a social organisation
    founded_date TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    sort_key     BLOB,
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX volunteer_teams_order ON volunteer_teams(sort_key, id);

CREATE TABLE volunteer_team_members (
    id           INTEGER PRIMARY KEY,
    team_id      INTEGER NOT NULL REFERENCES volunteer_teams(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    joined_date  TEXT,
    left_date    TEXT,                          -- NULL while a member
    duty         TEXT NOT NULL DEFAULT '',      -- 队内分工
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX volunteer_team_members_team ON volunteer_team_members(team_id, joined_date, id);
CREATE INDEX volunteer_team_members_volunteer ON volunteer_team_members(volunteer_id);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    type         TEXT NOT NULL DEFAULT '',      -- codes.yaml activity_type
    team_id      INTEGER REFERENCES volunteer_teams(id), -- NULL: the station organises
    community_id INTEGER REFERENCES communities(id),
    place        TEXT NOT NULL DEFAULT '',
    content      TEXT NOT NULL DEFAULT '',
    sort_key     BLOB,
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX activities_order ON activities(sort_key, id);

CREATE TABLE activity_sessions (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    session_date  TEXT,                         -- YYYY-MM-DD (may be planned ahead)
    start_time    TEXT NOT NULL DEFAULT '',     -- HH:MM
    end_time      TEXT NOT NULL DEFAULT '',     -- HH:MM, after the start, same day
    unnamed_count INTEGER NOT NULL DEFAULT 0,   -- participants not named (a crowd)
    note          TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX activity_sessions_activity ON activity_sessions(activity_id, session_date, id);
CREATE INDEX activity_sessions_date ON activity_sessions(session_date);

-- Who was expected at a session and what became of them: residents served
-- (session_attendance) and volunteers serving (session_volunteers),
-- marked present, late, absent or excused ('' while not yet marked); a
-- volunteer's minutes default to the session's length.
CREATE TABLE session_attendance (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES activity_sessions(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    mark        TEXT NOT NULL DEFAULT '',       -- codes.yaml attendance_mark
    note        TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
-- Covers the counts (who came to which session).
CREATE INDEX session_attendance_session ON session_attendance(session_id, mark, resident_id)
    WHERE deleted_at IS NULL;
CREATE INDEX session_attendance_resident ON session_attendance(resident_id);

CREATE TABLE session_volunteers (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES activity_sessions(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    mark         TEXT NOT NULL DEFAULT '',
    minutes      INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    note         TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX session_volunteers_session ON session_volunteers(session_id, mark)
    WHERE deleted_at IS NULL;
CREATE INDEX session_volunteers_volunteer ON session_volunteers(volunteer_id);

-- The hours ledger. An entry is pending until confirmed (confirmed_by,
-- confirmed_at set once); then it is never changed. 更正 adds a reversal
-- (the original's minutes negated, corrects_id = the original, a reason)
-- and a corrected entry (corrects_id = the original). Totals are sums of
-- confirmed rows.
CREATE TABLE hour_entries (
    id           INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    session_id   INTEGER REFERENCES activity_sessions(id), -- NULL: service outside an activity
    description  TEXT NOT NULL DEFAULT '',
    service_date TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    entry_kind   TEXT NOT NULL CHECK (entry_kind = 'entry' OR entry_kind = 'reversal' OR entry_kind = 'correction'),
    corrects_id  INTEGER REFERENCES hour_entries(id),
    reason       TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at TEXT,
    CHECK ((entry_kind = 'reversal') = (minutes < 0) OR minutes = 0),
    CHECK ((entry_kind = 'entry') = (corrects_id IS NULL))
);
-- Both cover what totals and counts read (confirmed or not, minutes):
-- a volunteer's totals and an activity's hours never read the rows.
CREATE INDEX hour_entries_volunteer
    ON hour_entries(volunteer_id, service_date, minutes, confirmed_at);
CREATE INDEX hour_entries_session
    ON hour_entries(session_id, minutes, confirmed_at) WHERE session_id IS NOT NULL;
-- An entry is reversed at most once.
CREATE UNIQUE INDEX hour_entries_reversal ON hour_entries(corrects_id)
    WHERE entry_kind = 'reversal';
CREATE TRIGGER hour_entries_no_delete BEFORE DELETE ON hour_entries
BEGIN SELECT RAISE(ABORT, 'hour_entries is a ledger: rows are never deleted'); END;
CREATE TRIGGER hour_entries_no_edit BEFORE UPDATE ON hour_entries
WHEN OLD.confirmed_at IS NOT NULL OR NEW.confirmed_at IS NULL
  OR NEW.volunteer_id IS NOT OLD.volunteer_id OR NEW.session_id IS NOT OLD.session_id
  OR NEW.description IS NOT OLD.description OR NEW.service_date IS NOT OLD.service_date
  OR NEW.minutes IS NOT OLD.minutes OR NEW.entry_kind IS NOT OLD.entry_kind
  OR NEW.corrects_id IS NOT OLD.corrects_id OR NEW.reason IS NOT OLD.reason
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN SELECT RAISE(ABORT, 'hour_entries is a ledger: a confirmed entry is never edited'); END;

-- Time-bank points (爱心积分): every movement a row, the balance their sum,
-- never below zero (checked inside the writing transaction).
CREATE TABLE points_movements (
    id            INTEGER PRIMARY KEY,
    volunteer_id  INTEGER NOT NULL REFERENCES volunteers(id),
    movement_date TEXT NOT NULL,
    points        INTEGER NOT NULL,
    movement      TEXT NOT NULL CHECK (movement = 'earn' OR movement = 'spend' OR movement = 'give' OR movement = 'reversal'),
    hour_entry_id INTEGER REFERENCES hour_entries(id), -- earn and its reversal
    reverses_id   INTEGER REFERENCES points_movements(id),
    resident_id   INTEGER REFERENCES residents(id),    -- give: the family member
    description   TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX points_movements_volunteer ON points_movements(volunteer_id, points);
CREATE INDEX points_movements_entry ON points_movements(hour_entry_id)
    WHERE hour_entry_id IS NOT NULL;
CREATE TRIGGER points_movements_no_delete BEFORE DELETE ON points_movements
BEGIN SELECT RAISE(ABORT, 'points_movements is a ledger: rows are never deleted'); END;
CREATE TRIGGER points_movements_no_edit BEFORE UPDATE ON points_movements
BEGIN SELECT RAISE(ABORT, 'points_movements is a ledger: rows are never edited'); END;

-- 志愿服务记录证明 issued (谁记录谁证明): number <division code>-Z<year>-<5
-- digits>, the volunteer, the period ('' an open start), the hours it
-- certified, who issued it and when. A reprint of the same volunteer,
-- period and hours carries the same number.
CREATE TABLE volunteer_certificates (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    from_date    TEXT NOT NULL DEFAULT '',
    to_date      TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    issued_by    TEXT NOT NULL,
    issued_on    TEXT NOT NULL,                 -- the station's date, printed on it
    issued_at    TEXT NOT NULL,
    UNIQUE (volunteer_id, from_date, to_date, minutes)
);
