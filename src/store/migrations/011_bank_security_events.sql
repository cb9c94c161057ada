-- Security Event Tokens banks push to /bank-notifications/:bank (RFC 8417 / RFC 8935): each jti is
-- accepted once per bank, across every instance sharing the store (the replay ledger). Rows older
-- than the acceptance window are pruned; a SET that old is refused by its iat anyway.
CREATE TABLE bank_security_events (
  institution_id text NOT NULL,
  jti            text NOT NULL,
  received_at    timestamptz NOT NULL,
  PRIMARY KEY (institution_id, jti)
);
CREATE INDEX bank_security_events_received_at ON bank_security_events (received_at);

-- A bank's event names its grant (the grant_id it gave at the token endpoint): find the link by it.
CREATE INDEX links_by_bank_grant ON links (institution_id, bank_grant_id) WHERE bank_grant_id IS NOT NULL;
