-- Portrait core schema: operators, stores, staff, subscribers, numbers, registrations, audit.
-- Personal data (names, document numbers, birth dates) is stored only encrypted (AES-256-GCM
-- envelopes as bytea); people are found by HMAC-SHA256 of document type + normalised number.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,32}$'),
  name text NOT NULL,
  policy jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stores (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9-]{1,32}$'),
  name text NOT NULL,
  region_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, id)
);

CREATE TABLE staff (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants(id),
  store_id uuid REFERENCES stores(id),
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'store_manager', 'operator_admin', 'regulator')),
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'regulator') = (tenant_id IS NULL)),
  CHECK ((role IN ('agent', 'store_manager')) = (store_id IS NOT NULL))
);

CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_by_user ON login_failures (username, at);

CREATE TABLE staff_sessions (
  token_hash bytea PRIMARY KEY,
  staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  key_hash bytea NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  rate_limit_per_minute integer NOT NULL DEFAULT 60 CHECK (rate_limit_per_minute > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE subscribers (
  id uuid PRIMARY KEY,
  doc_hmac bytea NOT NULL UNIQUE,
  doc_type text NOT NULL,
  name_enc bytea NOT NULL,
  doc_number_enc bytea NOT NULL,
  birth_date_enc bytea,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE numbers (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  store_id uuid REFERENCES stores(id),
  msisdn text NOT NULL UNIQUE CHECK (msisdn ~ '^\+?[0-9]{5,15}$'),
  state text NOT NULL DEFAULT 'available'
    CHECK (state IN ('available', 'reserved', 'active', 'suspended', 'cooling_off')),
  holder_id uuid REFERENCES subscribers(id),
  reserved_for uuid,
  reserved_until timestamptz,
  cooling_off_until timestamptz,
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((state IN ('active', 'suspended')) = (holder_id IS NOT NULL)),
  CHECK ((state = 'reserved') = (reserved_for IS NOT NULL)),
  CHECK ((state = 'cooling_off') = (cooling_off_until IS NOT NULL))
);
CREATE INDEX numbers_available ON numbers (tenant_id, store_id, state);
CREATE INDEX numbers_by_holder ON numbers (holder_id) WHERE holder_id IS NOT NULL;

-- Who held which number, when, and through what: the holder changes only by registration,
-- surrender or the formal transfer flow.
CREATE TABLE number_holdings (
  id bigserial PRIMARY KEY,
  number_id uuid NOT NULL REFERENCES numbers(id),
  subscriber_id uuid NOT NULL REFERENCES subscribers(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  started_by text NOT NULL CHECK (started_by IN ('registration', 'transfer')),
  ended_by text CHECK (ended_by IN ('surrender', 'transfer', 'reclaimed')),
  source_id uuid
);
CREATE UNIQUE INDEX number_holdings_one_open ON number_holdings (number_id) WHERE ended_at IS NULL;

CREATE TABLE registrations (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  store_id uuid NOT NULL REFERENCES stores(id),
  agent_id uuid NOT NULL REFERENCES staff(id),
  state text NOT NULL,
  reason_code text,
  version integer NOT NULL DEFAULT 0,
  creation_key text,
  doc_type text,
  doc_hmac bytea,
  document_enc bytea,
  subscriber_id uuid REFERENCES subscribers(id),
  consent jsonb,
  verification jsonb,
  guardian jsonb,
  rules jsonb,
  number_id uuid REFERENCES numbers(id),
  face_attempts integer NOT NULL DEFAULT 0,
  captures_deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE UNIQUE INDEX registrations_creation_key ON registrations (agent_id, creation_key) WHERE creation_key IS NOT NULL;
CREATE INDEX registrations_open ON registrations (expires_at) WHERE ended_at IS NULL;
CREATE INDEX registrations_by_store ON registrations (tenant_id, store_id, created_at);
CREATE INDEX registrations_by_doc ON registrations (doc_hmac, created_at);

-- One row per request that changed a registration, for idempotent retries.
CREATE TABLE registration_requests (
  registration_id uuid NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  idempotency_key text NOT NULL,
  request_hash bytea NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (registration_id, idempotency_key)
);

-- Raw captures (document photos, face frames) kept only until the decision.
CREATE TABLE captures (
  id uuid PRIMARY KEY,
  registration_id uuid NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  kind text NOT NULL,
  content_enc bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delete_after timestamptz
);
CREATE INDEX captures_by_registration ON captures (registration_id);

CREATE TABLE blocklist (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants(id),
  doc_hmac bytea NOT NULL,
  reason text NOT NULL,
  created_by uuid REFERENCES staff(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blocklist_by_doc ON blocklist (doc_hmac);

-- Identity verifications outside a registration (self-service, re-verification, transfer).
CREATE TABLE verifications (
  id uuid PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('self_service', 'reverification', 'transfer')),
  tenant_id uuid REFERENCES tenants(id),
  subscriber_id uuid REFERENCES subscribers(id),
  doc_hmac bytea NOT NULL,
  method text NOT NULL CHECK (method IN ('face', 'manual_review')),
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE reverification_campaigns (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  reason text NOT NULL,
  deadline_hours integer NOT NULL CHECK (deadline_hours > 0),
  created_by uuid REFERENCES staff(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reverifications (
  id uuid PRIMARY KEY,
  campaign_id uuid REFERENCES reverification_campaigns(id),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  number_id uuid NOT NULL REFERENCES numbers(id),
  holder_id uuid NOT NULL REFERENCES subscribers(id),
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'passed', 'suspended', 'cancelled')),
  deadline timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE UNIQUE INDEX reverifications_one_pending ON reverifications (number_id) WHERE status = 'pending';
CREATE INDEX reverifications_due ON reverifications (deadline) WHERE status = 'pending';

CREATE TABLE transfers (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  number_id uuid NOT NULL REFERENCES numbers(id),
  from_subscriber_id uuid NOT NULL REFERENCES subscribers(id),
  to_subscriber_id uuid NOT NULL REFERENCES subscribers(id),
  from_verification_id uuid NOT NULL REFERENCES verifications(id),
  to_verification_id uuid NOT NULL REFERENCES verifications(id),
  agent_id uuid NOT NULL REFERENCES staff(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Tamper-evident audit log. Writers insert events in their own transaction; the sequencer
-- then gives each event its place in the hash chain (seq, prev_hash, hash) in commit order.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  tenant_id uuid,
  actor_type text NOT NULL,
  actor_id text,
  action text NOT NULL,
  subject_type text,
  subject_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  seq bigint UNIQUE,
  prev_hash bytea,
  hash bytea
);
CREATE INDEX audit_events_unsequenced ON audit_events (id) WHERE seq IS NULL;
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, at);
