-- The delivery engine (README, "Webhook signatures" and "Retries"; docs/ARCHITECTURE.md, "The send path").

-- Secret rotation: the secret a rotation replaced keeps signing beside the new one until
-- previous_secret_until, so receivers can switch without downtime.
ALTER TABLE application
  ADD COLUMN previous_secret        VARCHAR(128)  NULL AFTER signing_secret,
  ADD COLUMN previous_secret_until  TIMESTAMP(3)  NULL AFTER previous_secret;

-- An application's own webhook retry schedule: comma-separated durations, the wait after each failed
-- attempt ("5s,5m,30m"). NULL: the worker's worker.webhookRetrySchedule.
ALTER TABLE application_policy
  ADD COLUMN retry_schedule  VARCHAR(255)  NULL AFTER fallback_target;

-- Attempts whose request reached the receiver but whose answer was lost (a timeout, a connection
-- dropped after the request was written): the receiver may have acted on them.
ALTER TABLE message
  ADD COLUMN ambiguous_attempts  INT  NOT NULL DEFAULT 0;
