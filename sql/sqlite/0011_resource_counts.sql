-- Exact list totals without counting rows: how many persons are not deleted, and how many
-- groups there are, kept by triggers in every writing transaction (SCIM's, TIM's, the
-- purge's). Split over slots, the first two characters of the id, as on MySQL.
CREATE TABLE scim_count (
    resource VARCHAR(16) NOT NULL,
    slot VARCHAR(2) NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (resource, slot)
);
INSERT INTO scim_count (resource, slot, n)
    SELECT 'person', substr(id, 1, 2), COUNT(*) FROM tim_user
    WHERE kind = 'person' AND deleted_ms IS NULL GROUP BY substr(id, 1, 2);
INSERT INTO scim_count (resource, slot, n)
    SELECT 'group', substr(id, 1, 2), COUNT(*) FROM tim_group GROUP BY substr(id, 1, 2);
CREATE TRIGGER scim_count_user_insert AFTER INSERT ON tim_user FOR EACH ROW
    WHEN NEW.kind = 'person' AND NEW.deleted_ms IS NULL
    BEGIN
    INSERT INTO scim_count (resource, slot, n) VALUES ('person', substr(NEW.id, 1, 2), 1)
    ON CONFLICT (resource, slot) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER scim_count_user_update AFTER UPDATE OF kind, deleted_ms ON tim_user FOR EACH ROW
    WHEN (NEW.kind = 'person' AND NEW.deleted_ms IS NULL) <>
         (OLD.kind = 'person' AND OLD.deleted_ms IS NULL)
    BEGIN
    INSERT INTO scim_count (resource, slot, n)
    VALUES ('person', substr(NEW.id, 1, 2),
            CASE WHEN NEW.kind = 'person' AND NEW.deleted_ms IS NULL THEN 1 ELSE -1 END)
    ON CONFLICT (resource, slot) DO UPDATE SET n = n + excluded.n; END;
CREATE TRIGGER scim_count_user_delete AFTER DELETE ON tim_user FOR EACH ROW
    WHEN OLD.kind = 'person' AND OLD.deleted_ms IS NULL
    BEGIN
    UPDATE scim_count SET n = n - 1 WHERE resource = 'person' AND slot = substr(OLD.id, 1, 2); END;
CREATE TRIGGER scim_count_group_insert AFTER INSERT ON tim_group FOR EACH ROW
    BEGIN
    INSERT INTO scim_count (resource, slot, n) VALUES ('group', substr(NEW.id, 1, 2), 1)
    ON CONFLICT (resource, slot) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER scim_count_group_delete AFTER DELETE ON tim_group FOR EACH ROW
    BEGIN
    UPDATE scim_count SET n = n - 1 WHERE resource = 'group' AND slot = substr(OLD.id, 1, 2); END;
