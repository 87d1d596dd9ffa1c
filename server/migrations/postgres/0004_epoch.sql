-- Which copy of the data this database is: a restore from backup gives it a new epoch, which
-- devices see in their next pull and answer by sending back what the restore lost. One row,
-- made by the server at its first start after this migration.
CREATE TABLE server_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    restored_at TIMESTAMPTZ
);
