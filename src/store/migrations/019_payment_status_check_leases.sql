-- The status poller's claim on a payment moves to the payment itself (issue 16 tidy-up). Until now
-- the poller leased a row in payment_idempotency_keys (operation `checkPaymentStatus`, key the
-- payment id): a lease is not an idempotency key, and those rows outlived the payments' checks
-- only until the keys' 7-day prune.
--
-- Now: `status_check_lease_until` on payment_intents, the time before which no instance asks the
-- bank about the payment again (null: never asked). The poller claims quiet payments in one
-- conditional UPDATE (rows another instance holds are skipped, the lease is re-checked), so one
-- instance checks a payment per quiet interval. The read stays on the partial index
-- payment_intents_in_flight_by_change (migration 018: only CONFIRMED / SUBMITTED / PENDING rows);
-- the lease is checked on those few rows, so it needs no index of its own.
ALTER TABLE payment_intents ADD COLUMN status_check_lease_until timestamptz;

-- Leases running now carry over (an upgrade does not ask a just-checked payment again), and the
-- poller's rows leave the idempotency keys.
UPDATE payment_intents AS p SET status_check_lease_until = k.lease_until
  FROM payment_idempotency_keys AS k
  WHERE k.operation = 'checkPaymentStatus' AND k.key = p.id::text;
DELETE FROM payment_idempotency_keys WHERE operation = 'checkPaymentStatus';
