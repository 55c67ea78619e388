-- A dispatched or sending message has no due time of its own, so its lease expiry moves into
-- next_attempt_at: for those two statuses the column says when the leader next acts on the message
-- (requeue it, or mark it unknown). The lease reaper then reads the fair index, which the claim reads
-- already, and ix_message_lease goes: every status change rewrote its entry, three per message sent.
-- Stop every worker and master before this runs: an older node still writes lease_until.
UPDATE message SET next_attempt_at = lease_until
 WHERE status IN ('dispatched', 'sending') AND lease_until IS NOT NULL;
ALTER TABLE message DROP INDEX ix_message_lease, DROP COLUMN lease_until;
