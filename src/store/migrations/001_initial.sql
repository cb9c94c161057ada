-- Bankgraph store, version 1. Plain PostgreSQL that PGlite also runs.
-- Every timestamp is written by the gateway from its Clock (never now()), so tests can drive time.

-- Apps that act for users (JWT client claim). allowed_purposes caps what a client may ask for.
CREATE TABLE clients (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  allowed_purposes text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL
);

-- A user's login at one institution. The bank's access token is AES-GCM ciphertext (token-cipher.ts);
-- a revoked link keeps its row for the audit trail but never its token.
CREATE TABLE links (
  id                      uuid PRIMARY KEY,
  user_id                 text NOT NULL,
  institution_id          text NOT NULL,
  status                  text NOT NULL CHECK (status IN ('ACTIVE', 'LOGIN_REQUIRED', 'REVOKED')),
  access_token_ciphertext text,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  CHECK (status <> 'REVOKED' OR access_token_ciphertext IS NULL)
);
-- At most one live link per user and institution; revoked ones may pile up.
CREATE UNIQUE INDEX links_one_live_per_institution
  ON links (user_id, institution_id) WHERE status <> 'REVOKED';

-- Consent: user -> client, for one link. status is the stored state; EXPIRED is also derived
-- from the clock on every read (lifecycle.ts), so enforcement never waits for a sweeper.
CREATE TABLE consents (
  id            uuid PRIMARY KEY,
  user_id       text NOT NULL,
  client_id     text NOT NULL REFERENCES clients (id),
  link_id       uuid NOT NULL REFERENCES links (id),
  scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0),
  purpose       text NOT NULL,
  status        text NOT NULL CHECK (status IN
                  ('AWAITING_AUTHORIZATION', 'AUTHORIZED', 'REJECTED', 'REVOKED', 'EXPIRED')),
  history_days  integer CHECK (history_days BETWEEN 1 AND 3650),
  duration_days integer NOT NULL CHECK (duration_days BETWEEN 1 AND 365),
  requested_at  timestamptz NOT NULL,
  authorized_at timestamptz,
  expires_at    timestamptz,
  decided_at    timestamptz,
  revoked_at    timestamptz,
  revoked_by    text CHECK (revoked_by IN ('USER', 'CLIENT', 'SYSTEM')),
  CHECK (status <> 'AUTHORIZED' OR (authorized_at IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX consents_by_user ON consents (user_id, requested_at DESC);
CREATE INDEX consents_by_client_link ON consents (client_id, link_id);
-- Backstop for superseding: one stored AUTHORIZED consent per (client, link), even under races.
CREATE UNIQUE INDEX consents_one_authorized
  ON consents (client_id, link_id) WHERE status = 'AUTHORIZED';
-- The expiry sweeper's two questions.
CREATE INDEX consents_authorized_expiry ON consents (expires_at) WHERE status = 'AUTHORIZED';
CREATE INDEX consents_awaiting_since ON consents (requested_at) WHERE status = 'AWAITING_AUTHORIZATION';

-- Append-only history of every lifecycle change, written in the same transaction as the change.
CREATE TABLE consent_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consent_id uuid NOT NULL REFERENCES consents (id),
  user_id    text NOT NULL,
  client_id  text NOT NULL,
  link_id    uuid NOT NULL,
  type       text NOT NULL CHECK (type IN ('REQUESTED', 'AUTHORIZED', 'REJECTED', 'REVOKED', 'EXPIRED')),
  actor      text NOT NULL CHECK (actor IN ('USER', 'CLIENT', 'SYSTEM')),
  at         timestamptz NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX consent_events_by_user ON consent_events (user_id, id);
CREATE INDEX consent_events_by_consent ON consent_events (consent_id, id);

-- Every read of user data, on the record. No foreign keys: the log is append-hot and must
-- outlive whatever it mentions.
CREATE TABLE access_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        text NOT NULL,
  client_id      text NOT NULL,
  link_id        uuid NOT NULL,
  institution_id text NOT NULL,
  consent_id     uuid,
  scope          text NOT NULL,
  purpose        text NOT NULL,
  operation_name text,
  request_id     text NOT NULL,
  at             timestamptz NOT NULL
);
CREATE INDEX access_log_by_user ON access_log (user_id, id DESC);

-- Webhook replay protection: a bank's event id is accepted once.
CREATE TABLE webhook_events (
  institution_id text NOT NULL,
  event_id       text NOT NULL,
  received_at    timestamptz NOT NULL,
  PRIMARY KEY (institution_id, event_id)
);
