-- The gateway's own signing keys (ES256): consent receipts and the access log's signed heads are
-- JWS made with the newest key; every key ever used stays here and in /.well-known/jwks.json, so a
-- receipt signed years ago still verifies. Kept in the store, not in one instance: every instance
-- signs with the same key. The private half is encrypted with TOKEN_KEY (TokenCipher), like the
-- banks' tokens, so a database dump alone cannot forge a receipt.
CREATE TABLE signing_keys (
  kid                    text PRIMARY KEY,
  alg                    text NOT NULL,
  public_jwk             jsonb NOT NULL,
  private_jwk_ciphertext text NOT NULL,
  created_at             timestamptz NOT NULL
);
CREATE INDEX signing_keys_newest ON signing_keys (created_at DESC);
