-- interviewbase schema, version 10: the completion index holds completed sessions only.
--
-- The 7/30-day score windows (storage/leaderboard.cpp) read a user's completed sessions from a
-- completion date on through this index, yet every session had an entry in it: each new
-- session (pending, as sessions start) wrote one more entry under its user, a page of its own
-- per insert in the WAL and in the batch's sync. As a partial index, a session enters it when
-- it is completed. Measured one insert per commit: 10.0-10.3 WAL pages per session insert
-- before, 8.75 after (bench/README.md, dev loop of 2026-12-07).
--
-- SQLite uses a partial index for a query whose WHERE names the index's condition
-- (`status = 'completed'`, as the windows do). status stays a column of the index, last, so the
-- windows still read the index alone (a covering index must hold every column the query names).
-- The Postgres export carries the index as written here.

DROP INDEX IF EXISTS interview_sessions_user_completed_idx;
CREATE INDEX interview_sessions_user_completed_idx
  ON interview_sessions(user_id, completed_at, overall_score, status)
  WHERE status = 'completed';
