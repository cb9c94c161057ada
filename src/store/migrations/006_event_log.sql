-- The per-person event log: the outbox of real-time delivery (issue 14).
-- An accepted bank event (one row per person it concerns) or a consent event an app is told about
-- is appended in the SAME transaction that records it (the webhook replay ledger, the expiry
-- claim), so a committed event is never lost; subscribers read the log, pub/sub only hints.

-- One row per person: the last sequence number handed out. Appending increments it inside the
-- appending transaction, so the row lock orders a person's appends by commit: seq n+1 cannot
-- commit before seq n, and a reader that sees n+1 has seen n (a BIGSERIAL would not guarantee it).
-- pruned_through: the highest seq removed by retention; a cursor below it has expired.
CREATE TABLE event_heads (
  user_id        text PRIMARY KEY,
  seq            bigint NOT NULL,
  pruned_through bigint NOT NULL DEFAULT 0
);

CREATE TABLE event_log (
  user_id        text NOT NULL,
  seq            bigint NOT NULL,
  -- What apps see as eventId; stable across replays of the same row.
  event_id       uuid NOT NULL UNIQUE,
  kind           text NOT NULL,
  -- The link the event concerns (bank events, consent events); consent is decided per link at delivery.
  link_id        uuid,
  institution_id text,
  -- Set for events only one app may see (a consent of that app expiring or revoked).
  client_id      text,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL,
  payload        jsonb NOT NULL,
  PRIMARY KEY (user_id, seq)
);
-- Retention deletes by age.
CREATE INDEX event_log_by_recorded_at ON event_log (recorded_at);

-- Payloads are state: the newest state of a thing (an account's balance, a receipt's shipment)
-- each link has been told about, by when it happened at the bank. A bank event older than that
-- is accepted (and de-duplicated) but never logged, so state never moves backwards.
CREATE TABLE event_subjects (
  link_id     uuid NOT NULL,
  subject     text NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (link_id, subject)
);
