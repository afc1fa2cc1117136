-- What a user or group deleted on TIM's side belonged to / contained, kept for the retention so
-- that when Entra re-creates it the memberships and roles come back by themselves.
CREATE TABLE IF NOT EXISTS scim_snapshot (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    kind VARCHAR(8) NOT NULL,
    external_id VARCHAR(255) NULL,
    name_key VARCHAR(255) NOT NULL,
    data TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    KEY scim_snapshot_name (kind, name_key),
    KEY scim_snapshot_external (kind, external_id),
    KEY scim_snapshot_created (created_ms)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
