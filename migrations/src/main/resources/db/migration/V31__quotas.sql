-- Per-application quotas (docs/DELIVERY-POLICY.md). NULL: the default from config.yml (policy.quota).
ALTER TABLE application_policy
  ADD COLUMN quota_soft       INT           NULL AFTER weight,
  ADD COLUMN quota_hard       INT           NULL AFTER quota_soft,
  ADD COLUMN quota_window_ms  BIGINT        NULL AFTER quota_hard,
  -- Where soft-quota warnings go.
  ADD COLUMN owner_email      VARCHAR(320)  NULL AFTER quota_window_ms;

-- What each application had dispatched, per bucket of 1/60 of its quota window (at least 1 s).
-- Written only by the leader, inside its fenced claim transaction.
CREATE TABLE quota_usage (
  application   VARCHAR(64)  NOT NULL,
  -- Start of the bucket, in milliseconds since the epoch, from the database clock.
  bucket_start  BIGINT       NOT NULL,
  dispatched    INT          NOT NULL,
  PRIMARY KEY (application, bucket_start),
  KEY ix_quota_usage_age (bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- When each application's owner was last warned about its soft quota: at most one warning per
-- policy.quota.warnInterval, whichever master leads.
CREATE TABLE quota_warning (
  application  VARCHAR(64)   NOT NULL,
  warned_at    TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (application)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
