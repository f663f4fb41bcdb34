-- interviewbase schema, version 4: bookkeeping for the gamification hooks (docs/hooks.md).
-- The completion hook must fire once per session, "never again for that session, even if it
-- is reopened and completed again": that fact is stored here, one row per awarded session.
-- An ib_ table is never exposed by /rest/v1, so no client can reset it; it goes with its session.

CREATE TABLE ib_completed_sessions (
  session_id UUID PRIMARY KEY NOT NULL
    REFERENCES interview_sessions(id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id UUID NOT NULL,
  awarded_at TIMESTAMPTZ NOT NULL DEFAULT (now())
);
CREATE INDEX ib_completed_sessions_user_id_idx ON ib_completed_sessions(user_id);

-- Sessions already completed before this migration were never awarded by a hook here, but
-- they must not be awarded later either (e.g. when a feedback link updates them).
INSERT INTO ib_completed_sessions (session_id, user_id, awarded_at)
  SELECT id, user_id, COALESCE(completed_at, updated_at, now())
  FROM interview_sessions WHERE status = 'completed';

-- The leaderboard and the completion hook aggregate a user's completed sessions.
CREATE INDEX interview_sessions_user_status_idx ON interview_sessions(user_id, status);
