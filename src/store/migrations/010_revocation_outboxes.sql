-- Stopping is complete (issue 13 item 2): what must follow a revocation after it committed is
-- written IN the revoking transaction, as a row here, and a dispatcher works the rows off with
-- retries and exponential backoff. Rows are claimed with FOR UPDATE SKIP LOCKED and leased by
-- moving next_attempt_at ahead, so N gateway instances never send one row twice at once.

-- A signed webhook to an app (consent.revoked). The body is fixed at enqueue time; the app's URL
-- and key are read at send time (a rotated key signs the next attempt).
CREATE TABLE app_webhook_deliveries (
  id              uuid PRIMARY KEY,
  client_id       text NOT NULL,
  event_type      text NOT NULL,
  body            text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  delivered_at    timestamptz,
  -- Set when the dispatcher gave up (too many attempts, or the app no longer has a webhook).
  abandoned_at    timestamptz,
  -- Why the last attempt failed, in plain words; never a token or a response body.
  last_error      text
);
CREATE INDEX app_webhook_deliveries_due ON app_webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND abandoned_at IS NULL;

-- Telling a bank that Bankgraph's grant for a link ended (the link's last live consent ended, or
-- it was unlinked). The link's tokens move here (TokenCipher ciphertext, as on links) in the same
-- transaction and are erased once the bank confirmed or the dispatcher gave up.
CREATE TABLE bank_grant_revocations (
  id                       uuid PRIMARY KEY,
  link_id                  uuid NOT NULL,
  user_id                  text NOT NULL,
  institution_id           text NOT NULL,
  bank_grant_id            text,
  access_token_ciphertext  text,
  refresh_token_ciphertext text,
  reason                   text NOT NULL,
  attempts                 integer NOT NULL DEFAULT 0,
  next_attempt_at          timestamptz NOT NULL,
  created_at               timestamptz NOT NULL,
  delivered_at             timestamptz,
  abandoned_at             timestamptz,
  last_error               text
);
CREATE INDEX bank_grant_revocations_due ON bank_grant_revocations (next_attempt_at)
  WHERE delivered_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX bank_grant_revocations_link ON bank_grant_revocations (link_id);
