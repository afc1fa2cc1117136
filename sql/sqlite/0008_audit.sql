-- The provisioning audit: every SCIM write, recorded in the write's own transaction (it commits
-- or rolls back with the change). Names of changed attributes only, never their values.
CREATE TABLE IF NOT EXISTS scim_audit (
    id INTEGER PRIMARY KEY,  -- rowid; the purge removes the oldest, so ids keep growing
    at_ms INTEGER NOT NULL,
    request_id TEXT NULL,
    operation TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    external_id TEXT NULL,
    changed TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'applied'
);
CREATE INDEX IF NOT EXISTS scim_audit_resource ON scim_audit (resource_id, id);
-- No index on at_ms: rows are appended in time order, and the hourly purge of old rows reads
-- them oldest first by id; one index less on every write.
