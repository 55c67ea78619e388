-- Per-application request rate limit on each master's API (admin task app-rate-limit): a token bucket
-- refilled at rate_per_second (0: no limit), holding at most rate_burst. NULL: config.yml's api section.
ALTER TABLE application_policy
  ADD COLUMN rate_per_second INT NULL,
  ADD COLUMN rate_burst INT NULL;
