-- A message sent to a topic with "dryRun": true makes every subscriber's message a dry run (README, "Dry runs").
ALTER TABLE fanout
  ADD COLUMN dry_run TINYINT NOT NULL DEFAULT 0;
