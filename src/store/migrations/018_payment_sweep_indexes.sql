-- The payment sweeps read only the few payments still moving (issue 16): the expiry sweep the
-- intents awaiting the person by deadline, the status poller those at the bank by last change.
-- Partial indexes keep both reads proportional to those rows, not to every payment ever made.
CREATE INDEX payment_intents_awaiting_by_deadline ON payment_intents (confirm_expires_at, id)
  WHERE status = 'REQUIRES_CONFIRMATION';
CREATE INDEX payment_intents_in_flight_by_change ON payment_intents (updated_at, id)
  WHERE status IN ('CONFIRMED', 'SUBMITTED', 'PENDING');
