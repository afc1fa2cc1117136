-- When a user was disabled (active=false); NULL while active. The purge reads it and deleted_ms.
ALTER TABLE tim_user
    ADD COLUMN IF NOT EXISTS disabled_ms BIGINT NULL,
    ADD INDEX IF NOT EXISTS tim_user_deleted (deleted_ms),
    ADD INDEX IF NOT EXISTS tim_user_disabled (disabled_ms);
UPDATE tim_user SET disabled_ms = modified_ms WHERE active = 0 AND disabled_ms IS NULL;

-- Small facts shared by every instance, such as when the purge last ran.
CREATE TABLE IF NOT EXISTS scim_state (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    value VARCHAR(255) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
