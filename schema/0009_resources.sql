-- Schema version 9: charitable resources (issue 13): donors, items, funds,
-- donations with their money and goods lines, payments out of funds,
-- distributions (发放) and 微心愿.
--
-- Donors, items, funds, donations (the header), distributions with their
-- items per recipient, and wishes are declared kinds (resources.c,
-- donation.c). Donation lines and payments are posted kinds: never
-- updated or deleted; a correction (更正) is a new line with
-- reverses_id = the original and the negated amount, plus the corrected
-- line if wanted. Money is integer fen.
CREATE TABLE donors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    donor_type  TEXT NOT NULL DEFAULT 'person',    -- codes.yaml donor_type
    public_name TEXT NOT NULL DEFAULT 'no',        -- codes.yaml donor_public: named in 公示?
    contact     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    resident_id INTEGER REFERENCES residents(id),  -- a donor who is a resident
    notes       TEXT NOT NULL DEFAULT '',
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX donors_name ON donors(name, id);

-- The station's item list. on_hand is a cache of sum(stock_moves.qty),
-- kept by the trigger below and proved by `wushe check`.
CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT 'food',       -- codes.yaml item_category
    unit       TEXT NOT NULL DEFAULT '',
    on_hand    INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    notes      TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX items_name ON items(name, id);

-- Funds (资金, 专项). balance caches sum(fund_entries.amount).
CREATE TABLE funds (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    fund_type  TEXT NOT NULL DEFAULT 'general',    -- codes.yaml fund_type
    purpose    TEXT NOT NULL DEFAULT '',
    host       TEXT NOT NULL DEFAULT '',           -- the host charity (慈善会, 社区基金)
    balance    INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    notes      TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX funds_name ON funds(name, id);

CREATE TABLE donations (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,                   -- 登记号 (JZ-2026-0001)
    donation_date TEXT,
    donor_id      INTEGER REFERENCES donors(id),
    purpose       TEXT NOT NULL DEFAULT 'general', -- codes.yaml donation_purpose
    handler       TEXT NOT NULL DEFAULT '',
    agreement     TEXT NOT NULL DEFAULT 'no',      -- codes.yaml yes_no: 捐赠协议
    receipt_code  TEXT NOT NULL DEFAULT '',        -- the host charity's 票据代码
    receipt_no    TEXT NOT NULL DEFAULT '',        -- and 票据号码
    notes         TEXT NOT NULL DEFAULT '',
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX donations_number ON donations(number, id);
CREATE INDEX donations_date ON donations(donation_date);

CREATE TABLE donation_money (
    id          INTEGER PRIMARY KEY,
    donation_id INTEGER NOT NULL REFERENCES donations(id),
    fund_id     INTEGER NOT NULL REFERENCES funds(id),
    amount      INTEGER NOT NULL,                  -- fen; negative only in a reversal
    method      TEXT NOT NULL DEFAULT 'transfer',  -- codes.yaml pay_method
    account     TEXT NOT NULL DEFAULT '',          -- receiving account or host charity
    reverses_id INTEGER REFERENCES donation_money(id),
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX donation_money_donation ON donation_money(donation_id, id);
CREATE UNIQUE INDEX donation_money_reverses ON donation_money(reverses_id);

CREATE TABLE donation_goods (
    id          INTEGER PRIMARY KEY,
    donation_id INTEGER NOT NULL REFERENCES donations(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    quantity    INTEGER NOT NULL,                  -- in the item's unit; negative only in a reversal
    unit_value  INTEGER NOT NULL DEFAULT 0,        -- fen
    batch       TEXT NOT NULL DEFAULT '',
    expiry      TEXT,                              -- YYYY-MM-DD, food and medicine
    condition   TEXT NOT NULL DEFAULT 'new',       -- codes.yaml goods_condition
    reverses_id INTEGER REFERENCES donation_goods(id),
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX donation_goods_donation ON donation_goods(donation_id, id);
CREATE UNIQUE INDEX donation_goods_reverses ON donation_goods(reverses_id);

-- Money out of a fund (a 站长's approval), posted like a donation line.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    payment_date TEXT,
    fund_id      INTEGER NOT NULL REFERENCES funds(id),
    household_id INTEGER REFERENCES households(id),
    amount       INTEGER NOT NULL,
    purpose      TEXT NOT NULL DEFAULT '',
    reverses_id  INTEGER REFERENCES payments(id),
    revision     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE UNIQUE INDEX payments_reverses ON payments(reverses_id);

-- The stock ledger: every movement in (+) or out (-) of one batch of an
-- item. Stock is the sum; never below zero per batch (checked in the
-- writing transaction, and by stock_levels' CHECK as a last guard).
CREATE TABLE stock_moves (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    batch       TEXT NOT NULL DEFAULT '',
    expiry      TEXT NOT NULL DEFAULT '',
    qty         INTEGER NOT NULL,
    value       INTEGER NOT NULL DEFAULT 0,        -- fen, of the whole movement
    move_date   TEXT NOT NULL,
    source      TEXT NOT NULL,                     -- donation_goods, distribution_lines, writeoff
    source_id   INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX stock_moves_item ON stock_moves(item_id, batch);
CREATE INDEX stock_moves_source ON stock_moves(source, source_id);

-- Stock per item and batch: a cache of stock_moves, kept by the trigger.
CREATE TABLE stock_levels (
    item_id INTEGER NOT NULL REFERENCES items(id),
    batch   TEXT NOT NULL,
    expiry  TEXT NOT NULL DEFAULT '',
    qty     INTEGER NOT NULL CHECK (qty >= 0),
    PRIMARY KEY (item_id, batch)
) WITHOUT ROWID;

CREATE TRIGGER stock_moves_level AFTER INSERT ON stock_moves BEGIN
    -- (Not an upsert: its CHECK would see a movement out as a new row.)
    INSERT OR IGNORE INTO stock_levels(item_id, batch, expiry, qty)
        VALUES (new.item_id, new.batch, new.expiry, 0);
    UPDATE stock_levels SET qty = qty + new.qty
        WHERE item_id = new.item_id AND batch = new.batch;
    UPDATE items SET on_hand = on_hand + new.qty WHERE id = new.item_id;
END;

CREATE TABLE fund_entries (
    id          INTEGER PRIMARY KEY,
    fund_id     INTEGER NOT NULL REFERENCES funds(id),
    amount      INTEGER NOT NULL,                  -- fen: + in, - out
    entry_date  TEXT NOT NULL,
    source      TEXT NOT NULL,                     -- donation_money, payments
    source_id   INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX fund_entries_fund ON fund_entries(fund_id);
CREATE INDEX fund_entries_source ON fund_entries(source, source_id);

CREATE TRIGGER fund_entries_balance AFTER INSERT ON fund_entries BEGIN
    UPDATE funds SET balance = balance + new.amount WHERE id = new.fund_id;
END;

-- A distribution (发放) for an occasion, what each recipient gets, and its
-- recipients: one line per household, never twice in one occasion.
CREATE TABLE distributions (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,                      -- 2027 春节慰问
    dist_date  TEXT,
    notes      TEXT NOT NULL DEFAULT '',
    revision   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX distributions_name ON distributions(name, id);

CREATE TABLE distribution_items (
    id              INTEGER PRIMARY KEY,
    distribution_id INTEGER NOT NULL REFERENCES distributions(id),
    item_id         INTEGER NOT NULL REFERENCES items(id),
    quantity        INTEGER NOT NULL,
    notes           TEXT NOT NULL DEFAULT '',
    revision        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX distribution_items_dist ON distribution_items(distribution_id, item_id);

CREATE TABLE distribution_lines (
    id              INTEGER PRIMARY KEY,
    distribution_id INTEGER NOT NULL REFERENCES distributions(id),
    household_id    INTEGER NOT NULL REFERENCES households(id),
    status          TEXT NOT NULL DEFAULT 'listed',  -- codes.yaml sign_status
    collected_by    TEXT NOT NULL DEFAULT '',        -- 代领人
    signed_date     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (distribution_id, household_id)
);

-- 微心愿: a resident's small wish, claimed by a donor, fulfilled.
CREATE TABLE wishes (
    id             INTEGER PRIMARY KEY,
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    wish           TEXT NOT NULL,
    value          INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'open',     -- codes.yaml wish_status
    donor_id       INTEGER REFERENCES donors(id),
    fulfilled_date TEXT,
    given          TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX wishes_status ON wishes(status, id);
