-- Dry runs (README, "Dry runs"): the whole path runs, nothing leaves the worker, the message ends sent.
-- message.dry_run: set at submit, from the message's dryRun field or its application's setting then.
-- Both columns are added last with a constant default (0, or NULL): MariaDB 10.11 and MySQL 8 add them in place, instantly.
ALTER TABLE message
  ADD COLUMN dry_run TINYINT NOT NULL DEFAULT 0;

-- The application's setting (admin task app-dry-run); NULL: off.
ALTER TABLE application_policy
  ADD COLUMN dry_run TINYINT NULL;
