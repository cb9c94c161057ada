-- Real-time: routing bank webhook events to links, and announcing consent expiry once.

-- Which bank accounts each link sees, so a webhook about (institution, account) reaches every link
-- (and so every user) that sees that account. Filled by the gateway from the link's own account
-- listing; derived data, safe to rebuild.
CREATE TABLE link_accounts (
  link_id        uuid NOT NULL REFERENCES links (id),
  institution_id text NOT NULL,
  account_id     text NOT NULL,
  PRIMARY KEY (link_id, account_id)
);
CREATE INDEX link_accounts_by_account ON link_accounts (institution_id, account_id);

-- Routing lists a bank's ACTIVE links that are due a scan.
CREATE INDEX links_active_by_institution ON links (institution_id, created_at) WHERE status = 'ACTIVE';

-- When each link's accounts were last listed into link_accounts.
CREATE TABLE link_account_scans (
  link_id    uuid PRIMARY KEY REFERENCES links (id),
  scanned_at timestamptz NOT NULL
);

-- consentExpiring is announced once per consent, across restarts and instances.
CREATE TABLE consent_expiry_notices (
  consent_id  uuid PRIMARY KEY REFERENCES consents (id),
  notified_at timestamptz NOT NULL
);
