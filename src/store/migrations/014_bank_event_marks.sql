-- How far the gateway has heard each bank's webhooks (issue 14 item 5): the bank numbers its
-- deliveries 1, 2, 3, …; last_sequence is the highest number up to which every delivery has been
-- handled (accepted or recognised as a duplicate). A delivery numbered above last_sequence + 1
-- shows a gap, and the reconciler pulls the bank's "events since" last_sequence.
-- One reconciler per bank across instances: it claims the row with a lease (lease_owner,
-- lease_until) by a conditional UPDATE, so no transaction is held while it calls the bank.
CREATE TABLE bank_event_marks (
  institution_id text PRIMARY KEY,
  last_sequence  bigint NOT NULL CHECK (last_sequence >= 0),
  lease_owner    text,
  lease_until    timestamptz,
  reconciled_at  timestamptz
);
