-- interviewbase schema, version 12: a session's feedback is found by its session.
--
-- A list of sessions with their feedback embedded (`select=*,interview_feedback(*)`, the app's
-- history screen) reads one correlated subquery per session:
-- `interview_feedback WHERE interview_id = <the session> AND user_id = <the caller>` (the join
-- and the SELECT guard). With one index on each column and no statistics, SQLite took
-- interview_feedback_user_id_idx, so every session listed read all of the caller's feedback:
-- ten sessions of a user with a thousand reviews read ten thousand rows. This index holds both
-- columns, the join's first: each session's own feedback is one range of it. It also serves
-- the cascade from a deleted session, as the single-column index it replaces did.

DROP INDEX IF EXISTS interview_feedback_interview_id_idx;
CREATE INDEX interview_feedback_interview_user_idx ON interview_feedback(interview_id, user_id);
