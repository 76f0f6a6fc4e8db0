-- Schema version 17: goods bought (采购入库) and goods issued out of stock
-- other than by a distribution (出库: the 爱心超市 paid in a volunteer's
-- points, used at an activity, other), both posted kinds like a donation's
-- lines: written once, corrected by a reversal (resources_stock.c).
CREATE TABLE purchases (
    id            INTEGER PRIMARY KEY,
    purchase_date TEXT NOT NULL,
    item_id       INTEGER NOT NULL REFERENCES items(id),
    quantity      INTEGER NOT NULL,               -- negative only in a reversal
    unit_price    INTEGER NOT NULL DEFAULT 0,     -- fen
    batch         TEXT NOT NULL DEFAULT '',
    expiry        TEXT,
    fund_id       INTEGER REFERENCES funds(id),   -- paid from (NULL: paid elsewhere)
    purpose       TEXT NOT NULL DEFAULT '',
    supplier      TEXT NOT NULL DEFAULT '',
    invoice       TEXT NOT NULL DEFAULT '',
    reverses_id   INTEGER REFERENCES purchases(id),
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX purchases_date ON purchases(purchase_date, id);
CREATE UNIQUE INDEX purchases_reverses ON purchases(reverses_id);

CREATE TABLE stock_issues (
    id             INTEGER PRIMARY KEY,
    issue_date     TEXT NOT NULL,
    item_id        INTEGER NOT NULL REFERENCES items(id),
    batch          TEXT NOT NULL DEFAULT '',      -- '': the earliest expiry in stock
    quantity       INTEGER NOT NULL,              -- negative only in a reversal
    use            TEXT NOT NULL,                 -- codes.yaml stock_use
    activity_id    INTEGER REFERENCES activities(id),
    volunteer_id   INTEGER REFERENCES volunteers(id),  -- 爱心超市: whose points
    points         INTEGER NOT NULL DEFAULT 0,
    resident_id    INTEGER REFERENCES residents(id),   -- for a family member
    points_move_id INTEGER NOT NULL DEFAULT 0,     -- points_movements.id (0: none)
    notes          TEXT NOT NULL DEFAULT '',
    reverses_id    INTEGER REFERENCES stock_issues(id),
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX stock_issues_date ON stock_issues(issue_date, id);
CREATE UNIQUE INDEX stock_issues_reverses ON stock_issues(reverses_id);
CREATE INDEX stock_issues_volunteer ON stock_issues(volunteer_id);
