-- Liveness challenges (issue 5), for a registration or an identity verification: what the server
-- asked for, what the frames showed, and the best frame (encrypted) until the face match takes it
-- or the session ends.
CREATE TABLE liveness_sessions (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants(id),
  purpose text NOT NULL CHECK (purpose IN ('registration', 'self_service', 'reverification', 'transfer')),
  registration_id uuid REFERENCES registrations(id) ON DELETE CASCADE,
  nonce_hash bytea NOT NULL UNIQUE,
  actions text[] NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'analysing', 'passed', 'failed', 'used', 'expired')),
  created_by uuid REFERENCES staff(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  analysed_at timestamptz,
  used_at timestamptz,
  result jsonb,
  best_frame_enc bytea
);
CREATE INDEX liveness_sessions_by_registration ON liveness_sessions (registration_id);
CREATE INDEX liveness_sessions_live ON liveness_sessions (expires_at) WHERE state IN ('open', 'analysing', 'passed');

-- Fingerprints of the frames every analysed session took, kept for the replay window: frame
-- digests (verbatim replays), 64-bit difference hashes (an index to sessions with frames that look
-- the same: a re-encoded copy keeps most of them exactly) and
-- small grey thumbnails, encrypted (the confirmation). Deployment-wide: a recording captured at
-- one operator is as much a replay at another.
CREATE TABLE liveness_fingerprints (
  session_id uuid PRIMARY KEY REFERENCES liveness_sessions(id) ON DELETE CASCADE,
  seen_at timestamptz NOT NULL,
  sha256 text[] NOT NULL,
  dhash text[] NOT NULL,
  thumbs_enc bytea NOT NULL
);
CREATE INDEX liveness_fingerprints_sha ON liveness_fingerprints USING gin (sha256);
CREATE INDEX liveness_fingerprints_dhash ON liveness_fingerprints USING gin (dhash);
CREATE INDEX liveness_fingerprints_seen ON liveness_fingerprints (seen_at);
