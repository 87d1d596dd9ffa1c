-- Every version of the fields of records whose kind keeps its history (the shop's policy), so
-- an admin can list them, compare two and restore one. `version` is the shared crate's JSON of
-- the version (value and origin); who and when are columns so the list needs no decoding.
CREATE TABLE field_history (
    change_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    made_by TEXT NOT NULL,
    made_at TEXT NOT NULL,
    version TEXT NOT NULL
);
CREATE INDEX field_history_by_record ON field_history (record_id, field, made_at);
