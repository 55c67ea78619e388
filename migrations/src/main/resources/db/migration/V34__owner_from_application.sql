-- Soft-quota warnings now go to the application's owner_email in the application table (set by
-- app-create), the one place an application's owner is kept.
ALTER TABLE application_policy DROP COLUMN owner_email;
