-- What the leader's lease reaper does with a sending message whose worker recorded no outcome before
-- its send lease expired (README, "Unknown outcomes"; docs/RELIABILITY.md): 'park' makes it unknown for
-- an operator, 'resend' queues it again with the same ids while its attempts last. NULL: config.yml's
-- policy.unknownOutcome.
ALTER TABLE application_policy
  ADD COLUMN unknown_outcome  VARCHAR(8)  NULL;
