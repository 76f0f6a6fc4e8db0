-- Schema version 7: who is at the keyboard. Accounts (a declared kind of
-- record: accounts.c), the sessions of `wushe login`, and the access log of
-- logins, locks, unmasks, exports and prints.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL,                   -- a-z 0-9 . _ -, lower case
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,                   -- codes.yaml role
    phone         TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,      -- disabled, never deleted
    must_change   INTEGER NOT NULL DEFAULT 0,      -- a reset password: change at next login
    password_hash TEXT NOT NULL DEFAULT '',        -- Argon2id (crypto_pwhash_str); never audited
    failures      INTEGER NOT NULL DEFAULT 0,      -- wrong passwords in a row
    locked_until  INTEGER NOT NULL DEFAULT 0,      -- unix seconds
    last_login_at TEXT NOT NULL DEFAULT '',
    sort_key      BLOB NOT NULL DEFAULT x'',
    revision      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX accounts_login ON accounts(login) WHERE deleted_at IS NULL;
CREATE INDEX accounts_order ON accounts(sort_key, id);

-- `wushe login`: a random token kept in a 0600 file; here only its hash.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,                 -- hex SHA-256 of the token
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    created_at   TEXT NOT NULL,
    last_used    INTEGER NOT NULL                  -- unix seconds (idle expiry)
) WITHOUT ROWID;

CREATE TABLE access_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,                      -- ISO 8601 UTC
    account_id INTEGER,                            -- NULL: an unknown login
    login      TEXT NOT NULL,                      -- as typed (sanitized), or the account's
    event      TEXT NOT NULL,                      -- access.h ACCESS_EVENTS
    table_name TEXT NOT NULL DEFAULT '',
    row_id     INTEGER,
    rows       INTEGER,                            -- exports: rows written
    detail     TEXT NOT NULL DEFAULT ''            -- JSON: file, filter, masked, ...
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_account ON access_log(account_id, at);
CREATE INDEX access_log_row ON access_log(table_name, row_id);
