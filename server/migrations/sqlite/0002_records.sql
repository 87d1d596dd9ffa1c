-- Sync v2: every kind of record in one table, users in teams. The v1 case and note tables
-- are dropped (no deployment holds v1 data; the demo data is seeded again on start).
ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT 'default';

DROP TABLE cases;
DROP TABLE notes;
DROP TABLE applied_changes;

-- Every change id ever applied: what makes a repeated push a no-op. Who sent it is kept by
-- name, so changes the server makes itself (the seeded policy) need no user row.
CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    by_user TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- One row per record: its merged state as the shared crate's JSON, its team (what pulls
-- filter on) and the sequence number of the commit that last changed it.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    team TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX records_by_seq ON records (seq);
CREATE INDEX records_by_team_seq ON records (team, seq);
