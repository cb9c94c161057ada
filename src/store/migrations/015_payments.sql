-- Send money in chat (issue 16): the payments:write scope's limits, payment intents, their status
-- history, and the idempotency keys of the payment mutations.

-- The limits the person chose for a consent that grants payments:write (one row per such consent).
-- Amounts are integer minor units of `currency`. The row is also the lock every limit decision and
-- every revocation of the consent takes (SELECT … FOR UPDATE), so concurrent intents on any
-- instance are decided one after the other against the same rolling 24 hours.
CREATE TABLE consent_payment_limits (
  consent_id          uuid PRIMARY KEY REFERENCES consents (id),
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  per_payment_minor   bigint NOT NULL CHECK (per_payment_minor > 0),
  daily_amount_minor  bigint NOT NULL CHECK (daily_amount_minor >= per_payment_minor),
  daily_count         integer NOT NULL CHECK (daily_count BETWEEN 1 AND 100),
  -- The bank account ids (of the consent's link) money may leave from; null = every account the
  -- person shared at the bank when the consent was authorized (fixed then, see below).
  account_ids         text[],
  -- When paying ends (never after the consent itself ends); null = with the consent.
  ends_at             timestamptz
);

-- One payment an app asked for. Status moves only forward (src/payments/payment-status.ts); the
-- confirmation page (issue 16 item 3) binds the person's passkey to details_sha256.
CREATE TABLE payment_intents (
  id                    uuid PRIMARY KEY,
  user_id               text NOT NULL,
  client_id             text NOT NULL REFERENCES clients (id),
  consent_id            uuid NOT NULL REFERENCES consents (id),
  link_id               uuid NOT NULL REFERENCES links (id),
  institution_id        text NOT NULL,
  from_account_id       text NOT NULL,
  from_account_mask     text NOT NULL,
  payee                 jsonb NOT NULL,
  currency              text NOT NULL,
  amount_minor          bigint NOT NULL CHECK (amount_minor > 0),
  fee_minor             bigint,
  reference             text NOT NULL,
  details_sha256        text NOT NULL,
  status                text NOT NULL CHECK (status IN ('REQUIRES_CONFIRMATION', 'CONFIRMED', 'SUBMITTED', 'PENDING', 'SETTLED',
                          'DECLINED', 'EXPIRED', 'CANCELLED', 'FAILED', 'RETURNED')),
  decline_reason        text CHECK (decline_reason IN ('LIMIT_REACHED', 'INSUFFICIENT_FUNDS', 'RISK')),
  failure_reason        text,
  created_at            timestamptz NOT NULL,
  confirm_expires_at    timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  bank_payment_id       text,
  bank_status_code      text,
  bank_as_of            timestamptz,
  CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL))
);
-- The rolling 24 hours of one consent's intents (limits), and a person's list for an app.
CREATE INDEX payment_intents_by_consent ON payment_intents (consent_id, created_at);
CREATE INDEX payment_intents_by_person ON payment_intents (user_id, client_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX payment_intents_by_bank_id ON payment_intents (institution_id, bank_payment_id) WHERE bank_payment_id IS NOT NULL;

-- Every status an intent took, in order, with who moved it (APP, PERSON, BANK, SYSTEM).
CREATE TABLE payment_status_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id  uuid NOT NULL REFERENCES payment_intents (id),
  status      text NOT NULL,
  reason      text,
  source      text NOT NULL CHECK (source IN ('APP', 'PERSON', 'BANK', 'SYSTEM')),
  bank_code   text,
  bank_as_of  timestamptz,
  at          timestamptz NOT NULL
);
CREATE INDEX payment_status_history_by_payment ON payment_status_history (payment_id, id);

-- Idempotency keys of the payment mutations, per person and mutation (a key sent to another
-- mutation is another key). The primary key makes one claim win across instances; a claim is
-- IN_PROGRESS until its outcome is stored (then DONE, naming the payment), and a claim left
-- IN_PROGRESS by a crashed instance may be taken over after its lease. Kept 7 days, then pruned.
CREATE TABLE payment_idempotency_keys (
  user_id        text NOT NULL,
  operation      text NOT NULL,
  key            text NOT NULL,
  request_sha256 text NOT NULL,
  state          text NOT NULL CHECK (state IN ('IN_PROGRESS', 'DONE')),
  payment_id     uuid,
  created_at     timestamptz NOT NULL,
  lease_until    timestamptz NOT NULL,
  PRIMARY KEY (user_id, operation, key)
);
CREATE INDEX payment_idempotency_keys_by_age ON payment_idempotency_keys (created_at);

-- A connect session asking for payments:write carries the limits the app proposed and, once the
-- person pressed Continue on the disclosure page, the limits they chose (equal or lower). Stored
-- as decimal strings: { currency, perPayment, dailyAmount, dailyCount, endsAt }.
ALTER TABLE connect_sessions ADD COLUMN payment_limits jsonb;
ALTER TABLE connect_sessions ADD COLUMN chosen_payment_limits jsonb;
