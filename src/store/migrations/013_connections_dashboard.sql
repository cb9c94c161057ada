-- The person's dashboard (/connections).

-- The time zone the person reads times in: the identity provider's `zoneinfo` claim at sign-in,
-- or what they chose on the dashboard. An IANA name; null = UTC.
ALTER TABLE web_sessions ADD COLUMN time_zone text;

-- What the person chose to share at their bank, as they can recognise it: each account's name,
-- type and last 4 digits (never the full number). Written when the link is made at the bank;
-- the dashboard reads it without calling the bank.
CREATE TABLE shared_accounts (
  link_id    uuid NOT NULL REFERENCES links (id),
  account_id text NOT NULL,
  name       text NOT NULL,
  type       text NOT NULL,
  mask       text NOT NULL,
  PRIMARY KEY (link_id, account_id)
);

-- One consent's access history, newest first, a page at a time.
CREATE INDEX access_log_by_consent ON access_log (consent_id, id DESC);
