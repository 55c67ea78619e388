-- Scheduled sends (README, "Scheduled sends"; docs/DELIVERY-POLICY.md). A message with a sendAt is stored
-- queued with next_attempt_at = send_at, so the fair claim (ix_message_fair, due rows only) reaches it at
-- its time and never reads it before. send_at keeps what the application asked for, so the API can report
-- the message as scheduled until then, and after retries have moved next_attempt_at.
ALTER TABLE message
  ADD COLUMN send_at  TIMESTAMP(3)  NULL;
