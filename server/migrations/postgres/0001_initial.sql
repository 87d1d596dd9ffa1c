-- Kefu on PostgreSQL: the same tables as SQLite's migrations end with (accounts, sessions, the
-- change ids ever applied, records), written for PostgreSQL and for several server instances
-- sharing one database.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT NOT NULL,
    password_hash TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    expires_at TIMESTAMPTZ NOT NULL
);

-- One row: the last sequence number handed out. Every write transaction bumps it first, which
-- row-locks it until commit: writers on every server instance take turns, so sequence numbers
-- follow commit order and a pull cursor never skips a late commit.
CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);

CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    by_user TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE records (
    id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    team TEXT NOT NULL,
    seq BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX records_by_seq ON records (seq);
CREATE INDEX records_by_team_seq ON records (team, seq);
