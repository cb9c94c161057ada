-- Signed consent receipts (issue 13): at every authorization, renewal, revocation and expiry of a
-- consent that was once authorized, a compact JWS over the consent in plain words, made in the
-- transaction that makes the change. Never updated and never deleted, also not when the person
-- unlinks the bank: the CFPB rule (12 CFR 1033.441) asks third parties to keep such records at least three
-- years, and nothing in the gateway deletes consents, their events or their receipts at all.
-- consent_id references the consent without ON DELETE: a consent with receipts cannot be dropped.
CREATE TABLE consent_receipts (
  id          uuid PRIMARY KEY,
  consent_id  uuid NOT NULL REFERENCES consents (id),
  user_id     text NOT NULL,
  client_id   text NOT NULL,
  event       text NOT NULL CHECK (event IN ('AUTHORIZED', 'RENEWED', 'REVOKED', 'EXPIRED')),
  issued_at   timestamptz NOT NULL,
  kid         text NOT NULL REFERENCES signing_keys (kid),
  jws         text NOT NULL,
  -- Write order: receipts made at the same instant still list in the order they happened.
  seq         bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX consent_receipts_by_consent ON consent_receipts (consent_id, seq);

-- The accounts the person chose at the bank, in the words a receipt may show: type, name and the
-- last four digits (never a full number). Written with the link's grant; read by receipts.
CREATE TABLE link_shared_accounts (
  link_id     uuid NOT NULL REFERENCES links (id),
  account_id  text NOT NULL,
  type        text NOT NULL,
  name        text NOT NULL,
  mask        text NOT NULL,
  PRIMARY KEY (link_id, account_id)
);
