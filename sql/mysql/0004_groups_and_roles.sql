-- SCIM groups; role_key is set for role.<name> groups (scim::foldCase of <name>).
CREATE TABLE IF NOT EXISTS tim_group (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    display_name VARCHAR(255) NOT NULL,
    display_name_key VARCHAR(255) NOT NULL,
    external_id VARCHAR(255) NULL,
    role_key VARCHAR(255) NULL,
    doc TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    UNIQUE KEY tim_group_display_name_key (display_name_key),
    KEY tim_group_external_id (external_id),
    KEY tim_group_role_key (role_key),
    KEY tim_group_listing (created_ms, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per (group, member): adding or removing a member never rewrites the group.
CREATE TABLE IF NOT EXISTS tim_group_member (
    group_id VARCHAR(36) NOT NULL,
    member_id VARCHAR(36) NOT NULL,
    member_type VARCHAR(8) NOT NULL,
    PRIMARY KEY (group_id, member_id),
    KEY tim_group_member_member (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The roles TIM knows; internal ones are never granted through SCIM.
CREATE TABLE IF NOT EXISTS tim_role (
    name_key VARCHAR(255) NOT NULL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    internal TINYINT NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT IGNORE INTO tim_role (name_key, name, internal) VALUES
    ('workflow-designer', 'workflow-designer', 0), ('processmanager', 'processmanager', 0),
    ('system', 'system', 1), ('timer', 'timer', 1), ('viewer', 'viewer', 1);

-- Static roles of users; source 'scim' rows are recomputed from role groups, others are
-- TIM's own and never touched by SCIM.
CREATE TABLE IF NOT EXISTS tim_user_role (
    user_id VARCHAR(36) NOT NULL,
    role_key VARCHAR(255) NOT NULL,
    source VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, role_key, source),
    KEY tim_user_role_role (role_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
