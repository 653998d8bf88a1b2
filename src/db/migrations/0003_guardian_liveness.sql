-- A minor's guardian verified by face takes a liveness challenge of their own, bound to the
-- registration but under its own purpose: the guardian's live face can never stand in for the
-- minor's (the registration's face step takes only 'registration' sessions), nor the reverse.
ALTER TABLE liveness_sessions DROP CONSTRAINT liveness_sessions_purpose_check;
ALTER TABLE liveness_sessions ADD CONSTRAINT liveness_sessions_purpose_check
  CHECK (purpose IN ('registration', 'guardian', 'self_service', 'reverification', 'transfer'));
