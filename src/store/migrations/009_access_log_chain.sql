-- The access log is tamper-evident (issue 13): each person's records form a hash chain.
-- seq: 1, 2, 3, … per person, in commit order; prev_hash: the hash of record seq−1 (64 zeros for
-- seq 1); hash: SHA-256 over the record's canonical encoding (src/domain/access-record.ts),
-- computed by the gateway. Rows written before this migration keep NULLs: the chain starts at the
-- first record written after it.
ALTER TABLE access_log ADD COLUMN seq bigint;
ALTER TABLE access_log ADD COLUMN prev_hash text;
ALTER TABLE access_log ADD COLUMN hash text;
-- One record per place in a chain: even a bug cannot fork it silently.
CREATE UNIQUE INDEX access_log_chain ON access_log (user_id, seq);

-- One row per person: the chain's tip. The appending transaction locks it (in a fixed order of
-- user ids, one batch of group commit at a time), so N instances on PostgreSQL extend one chain
-- without forks or gaps, as event_heads does for the event log (006).
CREATE TABLE access_log_heads (
  user_id text PRIMARY KEY,
  seq     bigint NOT NULL,
  hash    text NOT NULL
);

-- Signed heads: every ACCESS_LOG_HEAD_SIGN_MS, and whenever a person asks for theirs, the tip of
-- each chain that advanced is signed by the gateway (JWS, typ bankgraph-access-log-head+jws).
-- A copy kept by the person or an auditor proves the chain reached (seq, hash): cutting records
-- off the end, or rewriting the chain with fresh hashes, no longer matches it.
CREATE TABLE access_log_signed_heads (
  user_id   text NOT NULL,
  seq       bigint NOT NULL,
  hash      text NOT NULL,
  signed_at timestamptz NOT NULL,
  jws       text NOT NULL,
  PRIMARY KEY (user_id, seq)
);
