-- Credentials: SCIM sets a password only on an account SCIM itself created (tim/Credentials.h).
-- What SCIM created is what its audit recorded as a create.
ALTER TABLE tim_user ADD COLUMN created_by_scim INTEGER NOT NULL DEFAULT 0;
UPDATE tim_user SET created_by_scim = 1 WHERE kind = 'person' AND EXISTS (
    SELECT 1 FROM scim_audit a WHERE a.resource_id = tim_user.id AND a.resource_type = 'User'
    AND a.operation = 'create');
-- 0009 made every person that existed then managed, TIM's own administrators included. Those
-- persons are SCIM's only on the evidence SCIM left: an externalId, a SCIM write in the audit,
-- or a SCIM delete; every other one, and every holder of a protected role without such
-- evidence, is TIM's again. Persons created since 0009 were marked by the code that wrote them.
UPDATE tim_user SET managed = CASE WHEN external_id IS NOT NULL OR deleted_ms IS NOT NULL
    OR created_by_scim = 1 OR EXISTS (
        SELECT 1 FROM scim_audit a WHERE a.resource_id = tim_user.id AND a.resource_type = 'User'
        AND a.operation IN ('create', 'bind', 'replace', 'patch', 'disable', 'enable', 'delete'))
    THEN 1 ELSE 0 END
WHERE kind = 'person' AND created_ms < (
    SELECT CAST(strftime('%s', applied_at) AS INTEGER) * 1000 + 1000
    FROM scim_schema_version WHERE version = 9);
