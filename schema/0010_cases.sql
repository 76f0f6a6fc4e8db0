-- Schema version 10: casework and home visits (casework.h).

-- 走访/探访: a visit to a resident; on a household visit, the other
-- members met are named in `met` and each gets a row in visit_people.
CREATE TABLE visits (
    id           INTEGER PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES residents(id),
    visit_date   TEXT NOT NULL,                    -- YYYY-MM-DD
    mode         TEXT NOT NULL DEFAULT 'home',     -- codes.yaml visit_mode
    worker_id    INTEGER REFERENCES accounts(id),
    co_worker_id INTEGER REFERENCES accounts(id),
    met          TEXT NOT NULL DEFAULT '',         -- other members met, by name
    findings     TEXT NOT NULL DEFAULT '',
    risk         TEXT NOT NULL DEFAULT 'none',     -- codes.yaml risk_level
    needs        TEXT NOT NULL DEFAULT '',         -- codes.yaml visit_need, comma separated
    follow_up    TEXT NOT NULL DEFAULT 'none',     -- codes.yaml visit_follow_up
    next_date    TEXT,
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX visits_resident ON visits(resident_id, visit_date);
CREATE INDEX visits_date ON visits(visit_date, id);

-- Who a living visit counts for: the resident and every member met. The
-- due-visits list reads a person's last visit from here.
CREATE TABLE visit_people (
    resident_id INTEGER NOT NULL,
    visit_date  TEXT NOT NULL,
    visit_id    INTEGER NOT NULL REFERENCES visits(id),
    worker_id   INTEGER,
    PRIMARY KEY (resident_id, visit_date, visit_id)
) WITHOUT ROWID;
CREATE INDEX visit_people_visit ON visit_people(visit_id);

-- 个案. stage and status move only through case_move_do, each move a row
-- of case_transitions.
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,                   -- <station code>-<year>-<4 digits>
    resident_id   INTEGER NOT NULL REFERENCES residents(id),
    visit_id      INTEGER REFERENCES visits(id),
    stage         TEXT NOT NULL DEFAULT 'intake',  -- codes.yaml case_stage
    status        TEXT NOT NULL DEFAULT 'open',    -- codes.yaml case_status
    opened_date   TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    categories    TEXT NOT NULL DEFAULT '',
    problem       TEXT NOT NULL DEFAULT '',
    risk          TEXT NOT NULL DEFAULT '',
    worker_id     INTEGER REFERENCES accounts(id),
    co_worker_id  INTEGER REFERENCES accounts(id),
    consent_date  TEXT,
    consent_by    TEXT NOT NULL DEFAULT '',
    consent_ref   TEXT NOT NULL DEFAULT '',
    no_consent    TEXT NOT NULL DEFAULT '',
    strengths     TEXT NOT NULL DEFAULT '',
    support       TEXT NOT NULL DEFAULT '',
    risks         TEXT NOT NULL DEFAULT '',
    person_view   TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    close_reason  TEXT NOT NULL DEFAULT '',
    close_summary TEXT NOT NULL DEFAULT '',
    close_date    TEXT,
    next_action   TEXT NOT NULL DEFAULT '',
    next_date     TEXT,
    followup_date TEXT,
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX cases_number ON cases(number);
CREATE INDEX cases_resident ON cases(resident_id);
CREATE INDEX cases_worker ON cases(worker_id, number);
CREATE INDEX cases_co_worker ON cases(co_worker_id) WHERE co_worker_id IS NOT NULL;
CREATE INDEX cases_status ON cases(status, next_date);

-- The last number given each year: never reused, also after a void.
CREATE TABLE case_numbers (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE case_transitions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    at          TEXT NOT NULL,                     -- ISO 8601 UTC
    actor       TEXT NOT NULL,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_transitions_case ON case_transitions(case_id, id);

-- 预估: need areas with a severity of 1 to 5.
CREATE TABLE case_needs (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    area       TEXT NOT NULL,                      -- codes.yaml need_area
    severity   INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX case_needs_case ON case_needs(case_id, area);

-- 计划: goals with a measurable target, a due date and who acts; 评估:
-- each goal's outcome.
CREATE TABLE case_goals (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    goal         TEXT NOT NULL,
    target       TEXT NOT NULL DEFAULT '',
    due_date     TEXT,
    who          TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '',         -- codes.yaml goal_outcome
    outcome_note TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX case_goals_case ON case_goals(case_id, goal);

-- 介入: service records.
CREATE TABLE case_services (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    service_date TEXT NOT NULL,
    minutes      INTEGER NOT NULL DEFAULT 0,
    mode         TEXT NOT NULL DEFAULT 'home',
    content      TEXT NOT NULL DEFAULT '',
    goal_id      INTEGER REFERENCES case_goals(id),
    worker_id    INTEGER REFERENCES accounts(id),
    next_action  TEXT NOT NULL DEFAULT '',
    next_date    TEXT,
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX case_services_case ON case_services(case_id, service_date);

-- 转介, at any stage of a case or from a visit.
CREATE TABLE referrals (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents(id),
    case_id         INTEGER REFERENCES cases(id),
    agency          TEXT NOT NULL,                 -- codes.yaml agency
    agency_name     TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    referral_date   TEXT NOT NULL,
    consent         TEXT NOT NULL DEFAULT 'given', -- codes.yaml referral_consent
    override_reason TEXT NOT NULL DEFAULT '',
    feedback_due    TEXT,
    feedback_date   TEXT,
    feedback        TEXT NOT NULL DEFAULT '',
    revision        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX referrals_date ON referrals(referral_date, id);
CREATE INDEX referrals_case ON referrals(case_id, referral_date);
CREATE INDEX referrals_resident ON referrals(resident_id, referral_date);
CREATE INDEX referrals_feedback ON referrals(feedback_due) WHERE feedback_date IS NULL;

-- When each person in a group visited on a schedule is due (应访): kept
-- by the model as visits and groups change (due.c), so that the due list
-- reads the people most overdue from an index instead of working out
-- everyone's last visit each time. Rebuilt when the frequencies change.
CREATE TABLE visit_schedule (
    resident_id INTEGER PRIMARY KEY REFERENCES residents(id),
    days        INTEGER NOT NULL,              -- the shortest frequency of their groups
    last_visit  TEXT,                          -- NULL: never visited
    worker_id   INTEGER,                       -- who made the last visit
    due_date    TEXT NOT NULL
);
CREATE INDEX visit_schedule_due ON visit_schedule(due_date, resident_id);
