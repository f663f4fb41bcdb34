-- Covering index for the completion and deletion hooks: completed counts per user and type,
-- the average score and the leaderboard's score sums and 7/30-day windows read only these
-- columns of one user's completed sessions, so they become index-only range scans instead of
-- visiting every session row of the user. It supersedes 0004's (user_id, status) index.
DROP INDEX IF EXISTS interview_sessions_user_status_idx;
CREATE INDEX interview_sessions_user_completed_idx
  ON interview_sessions(user_id, status, interview_type, completed_at, overall_score);
