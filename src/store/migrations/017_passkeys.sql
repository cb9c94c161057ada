-- The person's passkeys (WebAuthn credentials) and the challenges they sign (issue 16 item 3: the
-- person confirms a payment on Bankgraph's page with a passkey, user verification required).

-- One passkey of one signed-in person. The credential id and public key are the authenticator's
-- (base64url); `counter` is the signature counter last seen (a lower or equal one is refused).
CREATE TABLE passkeys (
  credential_id  text PRIMARY KEY,
  user_id        text NOT NULL,
  public_key     text NOT NULL,
  counter        bigint NOT NULL CHECK (counter >= 0),
  transports     text[] NOT NULL,
  label          text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 60),
  created_at     timestamptz NOT NULL,
  last_used_at   timestamptz
);
CREATE INDEX passkeys_by_person ON passkeys (user_id, created_at);

-- Every challenge handed to a browser, in the store (any instance may receive the answer), single
-- use (`used_at` is set by the one UPDATE that takes it) and short-lived. A payment confirmation's
-- challenge is SHA-256(nonce ‖ details_sha256): the passkey signs exactly the details shown.
CREATE TABLE passkey_challenges (
  challenge       text PRIMARY KEY,
  purpose         text NOT NULL CHECK (purpose IN ('ADD_PASSKEY', 'CONFIRM_PAYMENT')),
  user_id         text NOT NULL,
  payment_id      uuid REFERENCES payment_intents (id),
  details_sha256  text,
  nonce           text NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  CHECK ((purpose = 'CONFIRM_PAYMENT') = (payment_id IS NOT NULL AND details_sha256 IS NOT NULL))
);
CREATE INDEX passkey_challenges_by_expiry ON passkey_challenges (expires_at);
