-- Accounts a shop manages itself (issue 26), as SQLite's 0003: teams with names, accounts an
-- admin switches off or gives a one-time password, sessions a user can see and end, and the
-- count of wrong passwords, shared by every server instance.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO teams (id, name) SELECT DISTINCT team, team FROM users;

ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    device TEXT NOT NULL,
    signed_in_at TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ended TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    last_at TIMESTAMPTZ NOT NULL
);
