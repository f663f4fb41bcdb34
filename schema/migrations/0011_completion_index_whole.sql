-- interviewbase schema, version 11: the completion index holds every session again.
--
-- 0010 made it partial (`WHERE status = 'completed'`) so that a new, pending session wrote no
-- entry in it. But SQLite can use a partial index for a query only when the query's WHERE
-- implies the index's, and a filter arrives with its value bound: `user_id = ? AND status = ?`.
-- SQLite then looked at the bound value to decide, which marks the statement to be compiled
-- again each time that parameter is bound (every request that reuses the cached statement:
-- the filtered count of bench/ lost a third of its rate), and with the planner's stability
-- guarantee on (storage/db.cpp) it can never decide so: a user's filter on status (their
-- completed sessions counted, their pending ones listed) then read
-- interview_sessions_status_idx, every session of every user with that status, and looked
-- each one's user up. Back to 0007's index: one user's sessions of one status are a range of
-- it, for any status, and the 7/30-day windows still read it alone.

DROP INDEX IF EXISTS interview_sessions_user_completed_idx;
CREATE INDEX interview_sessions_user_completed_idx
  ON interview_sessions(user_id, status, completed_at, overall_score);
