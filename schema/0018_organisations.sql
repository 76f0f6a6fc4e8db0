-- Schema version 18: community social organisations (社区社会组织), their
-- incubation (进驻 → 孵化 → 评估 → 出壳) and the projects they carry out
-- (issue 16; orgs.h). Organisations, the communities they serve, support
-- plan tasks, capacity assessments, projects, the communities a project
-- serves and its custom indicators are declared kinds (org.c,
-- project.c). An organisation's stage moves only through org_move_do,
-- each move a row of org_transitions.
CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL,                 -- <station code>O<5 digits>, never reused
    name           TEXT NOT NULL,
    type           TEXT NOT NULL DEFAULT '',      -- codes.yaml org_type
    legal_form     TEXT NOT NULL DEFAULT '',      -- codes.yaml org_legal_form
    reg_number     TEXT,                          -- 登记证号/备案号, unique among the living
    reg_date       TEXT,
    guide_unit     TEXT NOT NULL DEFAULT '',      -- 业务指导单位
    leader_id      INTEGER REFERENCES residents(id), -- NULL: typed
    leader_name    TEXT NOT NULL DEFAULT '',      -- a linked leader's copied from the register
    phone          TEXT NOT NULL DEFAULT '',
    members        INTEGER NOT NULL DEFAULT 0,
    party_leader   TEXT NOT NULL DEFAULT '',      -- codes.yaml yes_no
    status         TEXT NOT NULL DEFAULT 'active', -- codes.yaml org_status
    status_date    TEXT,
    status_reason  TEXT NOT NULL DEFAULT '',
    stage          TEXT NOT NULL DEFAULT '',      -- codes.yaml org_stage; '' never incubated
    stage_date     TEXT,                          -- when the stage began
    outcome        TEXT NOT NULL DEFAULT '',      -- codes.yaml org_outcome, at 出壳
    notes          TEXT NOT NULL DEFAULT '',
    sort_key       BLOB,
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE UNIQUE INDEX organisations_number ON organisations(number);
CREATE INDEX organisations_order ON organisations(sort_key, id);
CREATE INDEX organisations_stage ON organisations(stage) WHERE stage <> '';

-- The communities an organisation serves; the per-community counts read it.
CREATE TABLE org_communities (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX org_communities_org ON org_communities(org_id, community_id);
CREATE INDEX org_communities_community ON org_communities(community_id, org_id)
    WHERE deleted_at IS NULL;

-- Every stage move: who (the account), when, the date decided, from, to,
-- the outcome at 出壳 and why.
CREATE TABLE org_transitions (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_transitions_org ON org_transitions(org_id, id);

-- The support plan (注册辅导, 能力建设, 项目扶持, 场地, 其他) as tasks.
CREATE TABLE org_tasks (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    area       TEXT NOT NULL DEFAULT '',          -- codes.yaml org_support
    content    TEXT NOT NULL DEFAULT '',
    due_date   TEXT,
    done_date  TEXT,
    result     TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX org_tasks_org ON org_tasks(org_id, due_date, id);

-- Capacity assessments: each domain scored 1-5, at entry or before 出壳.
CREATE TABLE org_assessments (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    assessed_date TEXT,
    phase         TEXT NOT NULL DEFAULT '',       -- codes.yaml org_assess_phase
    governance    INTEGER NOT NULL DEFAULT 0,
    finance       INTEGER NOT NULL DEFAULT 0,
    projects      INTEGER NOT NULL DEFAULT 0,
    volunteers    INTEGER NOT NULL DEFAULT 0,
    resources     INTEGER NOT NULL DEFAULT 0,
    services      INTEGER NOT NULL DEFAULT 0,
    assessor      TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX org_assessments_org ON org_assessments(org_id, assessed_date, id);

-- 服务项目, 微项目, 公益创投. The money is kept in the resources ledger
-- when fund_id names the project's fund; the outputs are counted from the
-- activities whose project_id is the project.
CREATE TABLE projects (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL,                 -- <station code>P<year><3 digits>, never reused
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT '',      -- codes.yaml project_kind
    funder         TEXT NOT NULL DEFAULT '',      -- codes.yaml project_funder
    amount         INTEGER NOT NULL DEFAULT 0,    -- fen
    start_date     TEXT,
    end_date       TEXT,
    org_id         INTEGER REFERENCES organisations(id), -- NULL: the station
    fund_id        INTEGER REFERENCES funds(id),
    status         TEXT NOT NULL DEFAULT 'applied', -- codes.yaml project_status
    target_sessions INTEGER NOT NULL DEFAULT 0,
    target_people  INTEGER NOT NULL DEFAULT 0,
    target_times   INTEGER NOT NULL DEFAULT 0,
    target_hours   INTEGER NOT NULL DEFAULT 0,
    evaluation     TEXT NOT NULL DEFAULT '',
    sort_key       BLOB,
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE UNIQUE INDEX projects_number ON projects(number);
CREATE INDEX projects_order ON projects(sort_key, id);
CREATE INDEX projects_org ON projects(org_id) WHERE org_id IS NOT NULL;

CREATE TABLE project_communities (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX project_communities_project ON project_communities(project_id, community_id);

-- A custom indicator: a name, its unit, the target and what was achieved.
CREATE TABLE project_indicators (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    target     INTEGER NOT NULL DEFAULT 0,
    actual     INTEGER NOT NULL DEFAULT 0,
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX project_indicators_project ON project_indicators(project_id, id);

-- Additive links: a volunteer team's organising body, an activity's
-- project, a donor who is an organisation.
ALTER TABLE volunteer_teams ADD COLUMN org_id INTEGER REFERENCES organisations(id);
CREATE INDEX volunteer_teams_org ON volunteer_teams(org_id) WHERE org_id IS NOT NULL;
ALTER TABLE activities ADD COLUMN project_id INTEGER REFERENCES projects(id);
CREATE INDEX activities_project ON activities(project_id) WHERE project_id IS NOT NULL;
ALTER TABLE donors ADD COLUMN org_id INTEGER REFERENCES organisations(id);
CREATE INDEX donors_org ON donors(org_id) WHERE org_id IS NOT NULL;
