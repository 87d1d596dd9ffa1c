-- Accounts a shop manages itself (issue 26): teams with names, accounts an admin switches off
-- or gives a one-time password, sessions a user can see and end, and the count of wrong
-- passwords that slows a guesser down. Existing sessions are dropped: everyone signs in again
-- once, and their devices keep their unsent changes meanwhile.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO teams (id, name) SELECT DISTINCT team, team FROM users;

ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

DROP TABLE sessions;
-- A session that ended early (signed out, account disabled or changed, password changed) is
-- kept, with why, until it expires: the device holding it is told the reason.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    device TEXT NOT NULL,
    signed_in_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Kept in the database, not in a server's memory, so every server instance counts the same.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    last_at TEXT NOT NULL
);
