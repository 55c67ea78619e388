-- The operator console's history (docs/CONSOLE.md): every master.consoleSampleInterval the leader
-- (master ConsoleSampler) writes one sample, all its rows with the same database time, and deletes
-- the samples older than two hours. Kept in the database, not in a master's memory, so every master
-- serves the same last hour and a failover loses at most one interval.
CREATE TABLE console_sample (
  sampled_at  TIMESTAMP(3)  NOT NULL,
  -- What was read: worker.sent, worker.failed, worker.retried (the worker's counters since it started),
  -- worker.in_flight, worker.tasks_held, backlog, dead, unknown, max_id, latency.p50, latency.p95, ...
  series      VARCHAR(32)   NOT NULL,
  -- The worker's node id for worker.*, '<priority>:<application>' for backlog, '' otherwise.
  label       VARCHAR(160)  NOT NULL,
  value       DOUBLE        NOT NULL,
  -- Reads and the prune are ranges of sampled_at.
  PRIMARY KEY (sampled_at, series, label)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
