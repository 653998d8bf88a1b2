-- How many liveness challenges a registration has taken (the person's and their guardian's), kept
-- on its row. A challenge is then one statement: `UPDATE registrations SET liveness_sessions =
-- liveness_sessions + 1 WHERE … AND liveness_sessions < cap` takes the row lock and re-checks the
-- cap on the newest row, so concurrent challenges can never exceed it, and the session and its
-- audit event are inserted only from that update. (Counting the sessions in the same statement
-- would read a snapshot taken before the lock was granted.)
ALTER TABLE registrations ADD COLUMN liveness_sessions integer NOT NULL DEFAULT 0 CHECK (liveness_sessions >= 0);
UPDATE registrations r SET liveness_sessions = s.n
  FROM (SELECT registration_id, count(*)::int AS n FROM liveness_sessions WHERE registration_id IS NOT NULL GROUP BY registration_id) s
 WHERE r.id = s.registration_id;
