-- The person's dashboard (/connections).

-- The time zone the person reads times in: the identity provider's `zoneinfo` claim at sign-in,
-- or what they chose on the dashboard. An IANA name; null = UTC.
ALTER TABLE web_sessions ADD COLUMN time_zone text;

-- (What the person chose to share at each bank is in link_shared_accounts, migration 008.)

-- One consent's access history, newest first, a page at a time.
CREATE INDEX access_log_by_consent ON access_log (consent_id, id DESC);
