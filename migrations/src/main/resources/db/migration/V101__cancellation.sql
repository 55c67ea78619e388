-- Cancellation (README, "Cancelling messages"). cancel_key is an application's label for messages it may
-- cancel together (DELETE /v1/messages?cancelKey=...): UTF-8 bytes, compared byte for byte as idempotency
-- keys are (V50: a utf8mb4_bin VARCHAR would pad, 'k' equal to 'k '). The index serves the cancel walk by
-- (application, cancel_key, id); it leaves status out, so the hot path's status changes never touch it.
ALTER TABLE message
  ADD COLUMN cancel_key  VARBINARY(1020)  NULL,
  ADD KEY ix_message_cancel (application, cancel_key);
