-- Managed accounts: a user is managed once SCIM created or bound it; one TIM created itself is
-- unmanaged until a bind. Every person written so far came through SCIM, so all are managed.
ALTER TABLE tim_user ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;
UPDATE tim_user SET managed = 1 WHERE kind = 'person';
-- The listing index carries managed: lists skip protected unmanaged accounts without reading
-- the rows of managed ones.
CREATE INDEX tim_user_reach_listing ON tim_user (kind, deleted_ms, created_ms, id, managed);
DROP INDEX IF EXISTS tim_user_visible_listing;
-- Groups likewise: one TIM created binds to a SCIM create of its displayName; one SCIM
-- manages is a duplicate.
ALTER TABLE tim_group ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;
UPDATE tim_group SET managed = 1;
