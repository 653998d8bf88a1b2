-- The replay check's lookups by B-tree instead of GIN. Each analysed session's frame hashes (SHA-256
-- digests for verbatim copies, difference hashes for re-encoded ones) become rows, looked up one
-- hash at a time on (kind, hash, seen_at). The GIN indexes on the arrays were not used: PostgreSQL
-- estimates an overlap of 15 distinct hashes to match about 7% of the rows whatever the statistics
-- say, so the lookups were sequential scans of the whole replay window, on every upload (about
-- 25 ms at 1,200 sessions on the benchmark machine, growing with the window). An equality on the
-- leading columns of an index, newest first and limited, is an index scan at any table size.
CREATE TABLE liveness_frame_hashes (
  session_id uuid NOT NULL REFERENCES liveness_fingerprints(session_id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('sha256', 'dhash')),
  hash text NOT NULL,
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, kind, hash)
);
CREATE INDEX liveness_frame_hashes_lookup ON liveness_frame_hashes (kind, hash, seen_at);

INSERT INTO liveness_frame_hashes (session_id, kind, hash, seen_at)
  SELECT f.session_id, 'sha256', h.hash, f.seen_at FROM liveness_fingerprints f CROSS JOIN LATERAL unnest(f.sha256) AS h(hash)
  UNION
  SELECT f.session_id, 'dhash', h.hash, f.seen_at FROM liveness_fingerprints f CROSS JOIN LATERAL unnest(f.dhash) AS h(hash);

ALTER TABLE liveness_fingerprints DROP COLUMN sha256, DROP COLUMN dhash;
