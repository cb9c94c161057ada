-- The access log, one row per request instead of one per record (issue 15): a warm dashboard
-- appended 18 rows into 4 indexes, ~1.9 ms of embedded PGlite's CPU against ~0.5 ms for one row.
-- A request's records share who read (user_id, client_id), operation_name, request_id and `at`
-- (src/consent/access-recorder.ts drains them with one stamp); what differs per record is kept in
-- parallel arrays, record i of the row at index i. The hash chain is unchanged: record i has
-- seq first_seq + i − 1, its prev_hash is first_prev_hash for i = 1 and hashes[i − 1] after, and
-- hashes[i] is its hash, so readers unnest the exact records and hashes that were written.
-- Records written before the chain existed (009) keep first_seq, first_prev_hash and hashes NULL.
CREATE TABLE access_log_by_request (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id         text NOT NULL,
  client_id       text NOT NULL,
  operation_name  text,
  request_id      text NOT NULL,
  at              timestamptz NOT NULL,
  first_seq       bigint,
  first_prev_hash text,
  link_ids        uuid[] NOT NULL,
  institution_ids text[] NOT NULL,
  consent_ids     uuid[] NOT NULL,
  scopes          text[] NOT NULL,
  purposes        text[] NOT NULL,
  hashes          text[],
  -- Every record has every field; at most 65536 records, so that a record's position in the GraphQL
  -- access log's cursor (id × 65536 + index, src/store/access-log-repository.ts) is unique.
  CHECK (cardinality(link_ids) BETWEEN 1 AND 65536),
  CHECK (cardinality(institution_ids) = cardinality(link_ids) AND cardinality(consent_ids) = cardinality(link_ids)
    AND cardinality(scopes) = cardinality(link_ids) AND cardinality(purposes) = cardinality(link_ids)),
  CHECK ((first_seq IS NULL) = (hashes IS NULL) AND (hashes IS NULL OR cardinality(hashes) = cardinality(link_ids)))
);

-- The old rows, grouped: a run of one person's rows in id order (the order one statement wrote a
-- request's records) forms one new row while it stays the same request and, for chained rows, the
-- chain runs on within it (seq + 1, prev_hash = the previous hash): exactly what the new row can
-- express, so every record and its chain position come back as stored — a gap or a broken link
-- someone left in the old table starts a new row and stays visible to the verifier. Each new row
-- takes its first old row's id: the order is kept, and the dashboard's history cursors (which
-- carry the first and last id of a request) still point between the same requests.
WITH marked AS (
  SELECT *,
    CASE WHEN lag(id) OVER w IS NULL
      OR (client_id, request_id, operation_name, at) IS DISTINCT FROM (lag(client_id) OVER w, lag(request_id) OVER w, lag(operation_name) OVER w, lag(at) OVER w)
      OR (seq IS NULL) <> (lag(seq) OVER w IS NULL)
      OR (seq IS NOT NULL AND (seq IS DISTINCT FROM lag(seq) OVER w + 1 OR prev_hash IS DISTINCT FROM lag(hash) OVER w OR prev_hash IS NULL OR hash IS NULL))
    THEN 1 ELSE 0 END AS starts
  FROM access_log
  WINDOW w AS (PARTITION BY user_id ORDER BY id)
), grouped AS (
  SELECT *, sum(starts) OVER (PARTITION BY user_id ORDER BY id) AS run FROM marked
), split AS (
  SELECT *, (row_number() OVER (PARTITION BY user_id, run ORDER BY id) - 1) / 65536 AS part FROM grouped
)
INSERT INTO access_log_by_request
  (id, user_id, client_id, operation_name, request_id, at, first_seq, first_prev_hash, link_ids, institution_ids, consent_ids, scopes, purposes, hashes)
OVERRIDING SYSTEM VALUE
SELECT min(id), user_id, min(client_id), min(operation_name), min(request_id), min(at),
  min(seq), (array_agg(prev_hash ORDER BY id))[1],
  array_agg(link_id ORDER BY id), array_agg(institution_id ORDER BY id), array_agg(consent_id ORDER BY id),
  array_agg(scope ORDER BY id), array_agg(purpose ORDER BY id),
  CASE WHEN min(seq) IS NULL THEN NULL ELSE array_agg(hash ORDER BY id) END
FROM split
GROUP BY user_id, run, part;

DROP TABLE access_log;
ALTER TABLE access_log_by_request RENAME TO access_log;
ALTER INDEX access_log_by_request_pkey RENAME TO access_log_pkey;
ALTER SEQUENCE access_log_by_request_id_seq RENAME TO access_log_id_seq;
SELECT setval(pg_get_serial_sequence('access_log', 'id'), coalesce(max(id), 0) + 1, false) FROM access_log;

-- The person's access log, newest first (listForUser, the dashboard's per-day counts), and one
-- consent's history: that reads the person's rows and keeps those whose consent_ids hold it. No
-- index on consent_ids: a GIN index would cost every append, and a person's rows are few (one per
-- request) — the old per-consent index read the consent's records, ~18 times as many entries.
CREATE INDEX access_log_by_user ON access_log (user_id, id DESC);
-- One row per place in a chain: a second writer chaining after the same tip (a fork) fails.
CREATE UNIQUE INDEX access_log_chain ON access_log (user_id, first_seq);
