-- The person's sessions on Bankgraph's own pages (/connect, /connections): server-side, so any
-- gateway instance serves any request and nothing lives only in one process. The browser holds a
-- random id in an HttpOnly cookie; the store keeps only its SHA-256, so a copy of this table opens
-- no session.
CREATE TABLE web_sessions (
  id_hash    text PRIMARY KEY,
  -- The signed-in person (the identity provider's `sub`); null while signing in.
  user_id    text,
  -- The synchronizer token every form of this session carries.
  csrf_token text NOT NULL,
  -- A sign-in in progress: state, nonce, the PKCE verifier (encrypted) and where to return.
  sign_in    jsonb,
  -- The connect session this browser is going through: the banks call back to one fixed URL.
  connect_session_id text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
