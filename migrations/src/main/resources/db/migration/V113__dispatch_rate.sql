-- Each application's recent dispatch rate (README, "Queue position"), written by the leader every
-- master.dispatchRateInterval from what its fenced claims dispatched over the last minute, so that any
-- master can turn a queued message's position into an estimated dispatch time with one primary-key read.
-- A few rows (one per application that dispatched lately); nothing on the claim's path writes here.
CREATE TABLE dispatch_rate (
  application  VARCHAR(64)   NOT NULL,
  -- Messages dispatched per second, averaged over the measured window.
  per_second   DOUBLE        NOT NULL,
  -- Database time of the leader's last write; a row it no longer refreshes is stale and ignored.
  measured_at  TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (application)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
