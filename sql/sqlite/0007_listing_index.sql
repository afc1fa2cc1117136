-- Lists page through visible users in creation order: one index answers the filter, the
-- order and the offset without reading rows (startIndex=50000 read 50,000 rows before).
CREATE INDEX tim_user_visible_listing ON tim_user (kind, deleted_ms, created_ms, id);
-- Superseded by the index above.
DROP INDEX IF EXISTS tim_user_listing;
