-- Bankgraph as each bank's OAuth client (issue 12): the bank's tokens on the link, and the
-- server-side state of one authorization attempt (state, PKCE verifier) between begin and callback.

-- The bank's grant, beside the access token the link already keeps (all TokenCipher ciphertext).
-- access_token_expires_at: when the bank said the access token expires (refreshed 30 s before).
-- refresh_token_ciphertext: the rotating refresh token (each refresh stores the new one).
-- bank_grant_id: the bank's consent / grant id (UK ConsentId), where it has one.
-- account_ids: the accounts the person chose at the bank. grant_expires_at: when the bank's grant ends.
ALTER TABLE links ADD COLUMN access_token_expires_at  timestamptz;
ALTER TABLE links ADD COLUMN refresh_token_ciphertext text;
ALTER TABLE links ADD COLUMN bank_grant_id            text;
ALTER TABLE links ADD COLUMN account_ids              text[];
ALTER TABLE links ADD COLUMN grant_expires_at         timestamptz;
ALTER TABLE links ADD CONSTRAINT links_revoked_keeps_no_refresh_token CHECK (status <> 'REVOKED' OR refresh_token_ciphertext IS NULL);

-- One attempt per "send the person to the bank". The state sent to the bank is random; only its
-- SHA-256 is kept, so the store alone cannot forge a callback. Single use (used_at), minutes long.
CREATE TABLE bank_authorization_attempts (
  id                       uuid PRIMARY KEY,
  user_id                  text NOT NULL,
  institution_id           text NOT NULL,
  state_hash               text NOT NULL UNIQUE,
  code_verifier_ciphertext text NOT NULL,
  redirect_uri             text NOT NULL,
  scopes                   text[] NOT NULL CHECK (cardinality(scopes) > 0),
  history_days             integer CHECK (history_days BETWEEN 1 AND 3650),
  grant_expires_at         timestamptz NOT NULL,
  bank_grant_id            text,
  created_at               timestamptz NOT NULL,
  expires_at               timestamptz NOT NULL,
  used_at                  timestamptz
);
CREATE INDEX bank_authorization_attempts_by_expiry ON bank_authorization_attempts (expires_at);
