-- Registered apps and connect sessions (issue 12): an app is registered, not assumed, and asks a
-- person for access through a connect session whose whole state lives here.

-- What the person is shown about the app, and what the app may ask for. Removing an app keeps its
-- row (consents and their history point at it); removed_at makes its tokens unauthenticated.
-- webhook_key_ciphertext: the key the app's webhooks are signed with, TokenCipher ciphertext.
ALTER TABLE clients ADD COLUMN legal_name             text;
ALTER TABLE clients ADD COLUMN allowed_scopes         text[] NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN redirect_uris          text[] NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN webhook_url            text;
ALTER TABLE clients ADD COLUMN webhook_key_ciphertext text;
ALTER TABLE clients ADD COLUMN removed_at             timestamptz;
ALTER TABLE clients ADD CONSTRAINT clients_webhook_needs_key CHECK (webhook_url IS NULL OR webhook_key_ciphertext IS NOT NULL);

-- One app's request to one person. status is stored; EXPIRED is also derived from expires_at on every read.
CREATE TABLE connect_sessions (
  id              uuid PRIMARY KEY,
  client_id       text NOT NULL REFERENCES clients (id),
  user_id         text NOT NULL,
  purpose         text NOT NULL,
  scopes          text[] NOT NULL CHECK (cardinality(scopes) > 0),
  institution_ids text[] NOT NULL CHECK (cardinality(institution_ids) > 0),
  duration_days   integer NOT NULL CHECK (duration_days BETWEEN 1 AND 365),
  history_days    integer CHECK (history_days BETWEEN 1 AND 3650),
  redirect_uri    text NOT NULL,
  state           text NOT NULL CHECK (length(state) BETWEEN 1 AND 512),
  status          text NOT NULL CHECK (status IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'DENIED')),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  opened_at       timestamptz,
  disclosure_id   uuid,
  finished_at     timestamptz
);
CREATE INDEX connect_sessions_by_client_user ON connect_sessions (client_id, user_id, created_at DESC);

-- The banks the person picked, in order, and how each ended. attempt_id is the BankAuthorization attempt.
CREATE TABLE connect_session_banks (
  connect_session_id uuid NOT NULL REFERENCES connect_sessions (id),
  position           integer NOT NULL,
  institution_id     text NOT NULL,
  status             text NOT NULL CHECK (status IN ('WAITING', 'AT_BANK', 'LINKED', 'DENIED')),
  attempt_id         text,
  link_id            uuid,
  consent_id         uuid,
  PRIMARY KEY (connect_session_id, institution_id),
  UNIQUE (connect_session_id, position)
);

-- What the person saw on the disclosure page, exactly (kept at least 3 years: 12 CFR 1033.441).
CREATE TABLE disclosures (
  id                 uuid PRIMARY KEY,
  connect_session_id uuid NOT NULL REFERENCES connect_sessions (id),
  user_id            text NOT NULL,
  client_id          text NOT NULL,
  text               text NOT NULL,
  template_version   text NOT NULL,
  sha256             text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  shown_at           timestamptz NOT NULL
);
CREATE INDEX disclosures_by_user ON disclosures (user_id, shown_at);
