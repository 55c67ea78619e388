-- Status callbacks (README, "Callbacks").

ALTER TABLE message ADD COLUMN callback_url VARCHAR(2048) NULL;

-- One row per final status to report. Made in the transaction that finishes the message, so the
-- report is never lost; sent by any worker, which claims it with SELECT ... FOR UPDATE SKIP LOCKED.
CREATE TABLE callback (
  id                BIGINT        NOT NULL AUTO_INCREMENT,
  message_id        BIGINT        NOT NULL,
  -- What is reported, as it was when the message finished: a later requeue does not change it.
  status            VARCHAR(16)   NOT NULL,
  message_attempts  INT           NOT NULL,
  error             VARCHAR(2048) NULL,
  finished_at       TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- pending, then delivered, or failed once the retries are used up.
  state             VARCHAR(16)   NOT NULL DEFAULT 'pending',
  -- Delivery attempts claimed so far; an outcome applies only to the attempt it belongs to.
  attempts          INT           NOT NULL DEFAULT 0,
  -- When the next attempt is due. A claim moves it a lease ahead: if the worker dies, it lapses.
  next_attempt_at   TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  claimed_by        VARCHAR(128)  NULL,
  last_error        VARCHAR(2048) NULL,
  delivered_at      TIMESTAMP(3)  NULL,
  updated_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  -- A message is reported once per time it finishes (a requeued message can finish again).
  UNIQUE KEY uq_callback_report (message_id, status, message_attempts),
  KEY ix_callback_due (state, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
