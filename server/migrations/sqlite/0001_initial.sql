-- Accounts, sessions and the synced case data. Case and note bodies are stored as the shared
-- crate's JSON so the server never re-models them; `seq` orders the change feed pulls read.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    expires_at TEXT NOT NULL
);

-- One row: the last sequence number handed out. Bumping it inside each write transaction
-- serialises writers, so sequence numbers become visible in order and a pull cursor never
-- skips a row that commits late.
CREATE TABLE sync_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);

-- Every change id ever stored: what makes a repeated push a no-op.
CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    applied_at TEXT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX cases_by_seq ON cases (seq);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX notes_by_seq ON notes (seq);
CREATE INDEX notes_by_case ON notes (case_id);
