-- The roles tim.properties listed (known: internal 0; internal or protected: 1) when the plugin
-- last applied them to tim_role, with tim_role's flag before (NULL: the plugin added the row):
-- a role the configuration stops listing goes back to it (store/RoleCatalogue.cpp).
CREATE TABLE scim_role_setting (
    name_key VARCHAR(255) NOT NULL PRIMARY KEY,
    internal INTEGER NOT NULL,
    prior_internal INTEGER NULL
);
-- Every role beyond TIM's own five came from an earlier version's configuration.
INSERT INTO scim_role_setting (name_key, internal, prior_internal)
    SELECT name_key, internal, NULL FROM tim_role
    WHERE name_key NOT IN ('workflow-designer', 'processmanager', 'system', 'timer', 'viewer');
-- Earlier versions applied a changed catalogue only to memberships touched later: recompute
-- every role-group member's grants once, at the next start.
INSERT INTO scim_state (name, value) VALUES ('role grants pending', '1');
