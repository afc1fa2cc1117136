-- Several emails of one type are allowed (RFC 7643 §2.4). work_email_key holds one work email;
-- users with more are flagged, so that an emails[type eq "work"] filter reads their documents.
-- Every user so far had at most one (a second was refused).
ALTER TABLE tim_user
    ADD COLUMN IF NOT EXISTS several_work_emails TINYINT NOT NULL DEFAULT 0,
    ADD INDEX IF NOT EXISTS tim_user_several_work_emails (several_work_emails);
