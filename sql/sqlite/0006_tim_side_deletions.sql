-- What a user or group deleted on TIM's side belonged to / contained, kept for the retention so
-- that when Entra re-creates it the memberships and roles come back by themselves.
CREATE TABLE scim_snapshot (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    kind VARCHAR(8) NOT NULL,
    external_id VARCHAR(255) NULL,
    name_key VARCHAR(255) NOT NULL,
    data TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX scim_snapshot_name ON scim_snapshot (kind, name_key);
CREATE INDEX scim_snapshot_external ON scim_snapshot (kind, external_id);
CREATE INDEX scim_snapshot_created ON scim_snapshot (created_ms);
