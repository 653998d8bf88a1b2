-- What the operator admin's console pages show beside what was already stored:
-- when a staff account last logged in; when an API key was last used (written at most once a
-- minute, so a busy partner costs no write per request); and for a blocklist entry, the document
-- type, the masked number (110105********002X: region and last four, never the birth date; the
-- full number is still not stored, only its HMAC) and a reason code. Entries from before this
-- migration have no type or masked number (the number is not recoverable) and reason 'other'.
ALTER TABLE staff ADD COLUMN last_login_at timestamptz;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
ALTER TABLE blocklist ADD COLUMN doc_type text;
ALTER TABLE blocklist ADD COLUMN doc_masked text CHECK (doc_masked IS NULL OR doc_masked LIKE '%*%');
ALTER TABLE blocklist ADD COLUMN reason_code text NOT NULL DEFAULT 'other'
  CHECK (reason_code IN ('fraud', 'forged_document', 'lost_or_stolen', 'authority_request', 'other'));
