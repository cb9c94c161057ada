-- Renewal (issue 13 item 4): a consent can be RENEWED (same id, later expires_at), and its app is
-- warned 30 and 7 days before each end date, so a renewed consent is warned again before its new end.

ALTER TABLE consent_events DROP CONSTRAINT consent_events_type_check;
ALTER TABLE consent_events ADD CONSTRAINT consent_events_type_check
  CHECK (type IN ('REQUESTED', 'AUTHORIZED', 'REJECTED', 'REVOKED', 'EXPIRED', 'RENEWED'));

-- One claim per (consent, warning, end date) instead of one per consent. The notices already on
-- record were the 7-day warning of the consent's end date at the time.
ALTER TABLE consent_expiry_notices ADD COLUMN threshold_days integer NOT NULL DEFAULT 7;
ALTER TABLE consent_expiry_notices ADD COLUMN expires_at timestamptz;
UPDATE consent_expiry_notices SET expires_at = c.expires_at FROM consents c WHERE c.id = consent_expiry_notices.consent_id;
DELETE FROM consent_expiry_notices WHERE expires_at IS NULL;
ALTER TABLE consent_expiry_notices ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE consent_expiry_notices ALTER COLUMN threshold_days DROP DEFAULT;
ALTER TABLE consent_expiry_notices ADD CONSTRAINT consent_expiry_notices_threshold_days_check CHECK (threshold_days > 0);
ALTER TABLE consent_expiry_notices DROP CONSTRAINT consent_expiry_notices_pkey;
ALTER TABLE consent_expiry_notices ADD PRIMARY KEY (consent_id, threshold_days, expires_at);
