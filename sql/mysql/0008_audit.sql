-- The provisioning audit: every SCIM write, recorded in the write's own transaction (it commits
-- or rolls back with the change). Names of changed attributes only, never their values.
CREATE TABLE IF NOT EXISTS scim_audit (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    request_id VARCHAR(64) NULL,
    operation VARCHAR(16) NOT NULL,
    resource_type VARCHAR(8) NOT NULL,
    resource_id VARCHAR(36) NOT NULL,
    external_id VARCHAR(255) NULL,
    changed VARCHAR(4000) NOT NULL,
    outcome VARCHAR(16) NOT NULL DEFAULT 'applied',
    -- No index on at_ms: rows are appended in time order, and the hourly purge of old rows reads
    -- them oldest first by id; one index less on every write.
    KEY scim_audit_resource (resource_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
