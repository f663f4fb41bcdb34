-- Derived counts, kept by SQLite triggers like an index is kept, so that a completion costs the
-- same whether its user has 100 sessions or 5,000 and the leaderboard 100 rows or 100,000.
-- They are not policies (those are the C++ hooks of storage/hooks/registry.cpp): they only
-- mirror what a recount would give at any moment. Triggers, unlike hooks, also fire for rows
-- removed by ON DELETE CASCADE, so the mirrors cannot drift when a user is deleted.

-- 1. Per user, the sums over their sessions whose status is 'completed' right now, which the
--    completion and deletion hooks used to recount: how many, how many of type 'voice', the sum
--    of S = round(overall_score) (0 when null), and for the average score the number of those
--    with a score and the sum of their scores in hundredths (exact, as numeric avg is).
CREATE TABLE ib_completion_totals (
  user_id TEXT PRIMARY KEY NOT NULL,
  completed INTEGER NOT NULL DEFAULT 0,
  voice_completed INTEGER NOT NULL DEFAULT 0,
  score_total INTEGER NOT NULL DEFAULT 0,
  scored INTEGER NOT NULL DEFAULT 0,
  score_hundredths INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO ib_completion_totals
  SELECT user_id, COUNT(*), SUM(interview_type = 'voice'),
         SUM(CAST(round(COALESCE(overall_score, 0)) AS INTEGER)), COUNT(overall_score),
         COALESCE(SUM(CAST(round(overall_score * 100) AS INTEGER)), 0)
  FROM interview_sessions WHERE status = 'completed' GROUP BY user_id;

CREATE TRIGGER ib_completion_totals_insert AFTER INSERT ON interview_sessions
WHEN NEW.status = 'completed' BEGIN
  INSERT INTO ib_completion_totals VALUES (NEW.user_id, 1, NEW.interview_type = 'voice',
      CAST(round(COALESCE(NEW.overall_score, 0)) AS INTEGER), NEW.overall_score IS NOT NULL,
      COALESCE(CAST(round(NEW.overall_score * 100) AS INTEGER), 0))
    ON CONFLICT (user_id) DO UPDATE SET
      completed = completed + 1,
      voice_completed = voice_completed + excluded.voice_completed,
      score_total = score_total + excluded.score_total,
      scored = scored + excluded.scored,
      score_hundredths = score_hundredths + excluded.score_hundredths;
END;

CREATE TRIGGER ib_completion_totals_delete AFTER DELETE ON interview_sessions
WHEN OLD.status = 'completed' BEGIN
  UPDATE ib_completion_totals SET
      completed = completed - 1,
      voice_completed = voice_completed - (OLD.interview_type = 'voice'),
      score_total = score_total - CAST(round(COALESCE(OLD.overall_score, 0)) AS INTEGER),
      scored = scored - (OLD.overall_score IS NOT NULL),
      score_hundredths = score_hundredths
          - COALESCE(CAST(round(OLD.overall_score * 100) AS INTEGER), 0)
    WHERE user_id = OLD.user_id;
  DELETE FROM ib_completion_totals WHERE user_id = OLD.user_id AND completed = 0;
END;

-- An update takes the old row's part out and puts the new row's part in (either may be none).
CREATE TRIGGER ib_completion_totals_update
AFTER UPDATE OF status, user_id, interview_type, overall_score ON interview_sessions
WHEN OLD.status = 'completed' OR NEW.status = 'completed' BEGIN
  UPDATE ib_completion_totals SET
      completed = completed - 1,
      voice_completed = voice_completed - (OLD.interview_type = 'voice'),
      score_total = score_total - CAST(round(COALESCE(OLD.overall_score, 0)) AS INTEGER),
      scored = scored - (OLD.overall_score IS NOT NULL),
      score_hundredths = score_hundredths
          - COALESCE(CAST(round(OLD.overall_score * 100) AS INTEGER), 0)
    WHERE OLD.status = 'completed' AND user_id = OLD.user_id;
  DELETE FROM ib_completion_totals WHERE user_id = OLD.user_id AND completed = 0;
  INSERT INTO ib_completion_totals SELECT NEW.user_id, 1, NEW.interview_type = 'voice',
      CAST(round(COALESCE(NEW.overall_score, 0)) AS INTEGER), NEW.overall_score IS NOT NULL,
      COALESCE(CAST(round(NEW.overall_score * 100) AS INTEGER), 0)
    WHERE NEW.status = 'completed'
    ON CONFLICT (user_id) DO UPDATE SET
      completed = completed + 1,
      voice_completed = voice_completed + excluded.voice_completed,
      score_total = score_total + excluded.score_total,
      scored = scored + excluded.scored,
      score_hundredths = score_hundredths + excluded.score_hundredths;
END;

-- Per user, the number of their sessions, which hook 4 copies to profiles.total_interviews
-- after every insert, delete or change of owner (it used to count them each time).
CREATE TABLE ib_session_counts (
  user_id TEXT PRIMARY KEY NOT NULL,
  sessions INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO ib_session_counts SELECT user_id, COUNT(*) FROM interview_sessions GROUP BY user_id;

CREATE TRIGGER ib_session_counts_insert AFTER INSERT ON interview_sessions BEGIN
  INSERT INTO ib_session_counts VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET sessions = sessions + 1;
END;

CREATE TRIGGER ib_session_counts_delete AFTER DELETE ON interview_sessions BEGIN
  UPDATE ib_session_counts SET sessions = sessions - 1 WHERE user_id = OLD.user_id;
  DELETE FROM ib_session_counts WHERE user_id = OLD.user_id AND sessions = 0;
END;

CREATE TRIGGER ib_session_counts_update AFTER UPDATE OF user_id ON interview_sessions
WHEN OLD.user_id IS NOT NEW.user_id BEGIN
  UPDATE ib_session_counts SET sessions = sessions - 1 WHERE user_id = OLD.user_id;
  DELETE FROM ib_session_counts WHERE user_id = OLD.user_id AND sessions = 0;
  INSERT INTO ib_session_counts VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET sessions = sessions + 1;
END;

-- The 7/30-day score windows read one user's completed sessions from a completion date on, so
-- their cost follows the user's recent activity, not their history. This index leads with the
-- date (0006's put interview_type before it, which the totals above now answer).
DROP INDEX IF EXISTS interview_sessions_user_completed_idx;
CREATE INDEX interview_sessions_user_completed_idx
  ON interview_sessions(user_id, status, completed_at, overall_score);

-- 2. The leaderboard's rank (1 + the number of rows with a strictly greater total_score) is
--    computed when read (storage/computed_columns.cpp) from this histogram of total_score,
--    instead of being stored in every row and rewritten for everyone on each completion. Level
--    0 counts the rows at each score, level 1 per 256 scores, level 2 per 65,536, so a rank
--    sums at most 256 + 256 entries plus the nonempty level-2 buckets above it, whatever the
--    number of rows. A null total_score counts as 0, as the ranking always treated it.
CREATE TABLE ib_score_histogram (
  level INTEGER NOT NULL,
  bucket INTEGER NOT NULL,  -- total_score >> (8 * level), rounded down
  rows_in INTEGER NOT NULL,
  PRIMARY KEY (level, bucket)
) WITHOUT ROWID;

INSERT INTO ib_score_histogram
  SELECT level, bucket, COUNT(*) FROM (
    SELECT 0 AS level, COALESCE(total_score, 0) AS bucket FROM leaderboard
    UNION ALL SELECT 1, COALESCE(total_score, 0) >> 8 FROM leaderboard
    UNION ALL SELECT 2, COALESCE(total_score, 0) >> 16 FROM leaderboard)
  GROUP BY level, bucket;

CREATE TRIGGER ib_score_histogram_insert AFTER INSERT ON leaderboard BEGIN
  INSERT INTO ib_score_histogram VALUES
      (0, COALESCE(NEW.total_score, 0), 1),
      (1, COALESCE(NEW.total_score, 0) >> 8, 1),
      (2, COALESCE(NEW.total_score, 0) >> 16, 1)
    ON CONFLICT (level, bucket) DO UPDATE SET rows_in = rows_in + 1;
END;

-- The three levels are spelled as ORs of primary-key lookups: SQLite answers a row-value
-- IN (VALUES ...) by scanning the whole table.
CREATE TRIGGER ib_score_histogram_delete AFTER DELETE ON leaderboard BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1 WHERE
      (level = 0 AND bucket = COALESCE(OLD.total_score, 0)) OR
      (level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8) OR
      (level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16);
  DELETE FROM ib_score_histogram WHERE rows_in = 0 AND (
      (level = 0 AND bucket = COALESCE(OLD.total_score, 0)) OR
      (level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8) OR
      (level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16));
END;

CREATE TRIGGER ib_score_histogram_update AFTER UPDATE OF total_score ON leaderboard
WHEN COALESCE(OLD.total_score, 0) <> COALESCE(NEW.total_score, 0) BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1 WHERE
      (level = 0 AND bucket = COALESCE(OLD.total_score, 0)) OR
      (level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8) OR
      (level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16);
  DELETE FROM ib_score_histogram WHERE rows_in = 0 AND (
      (level = 0 AND bucket = COALESCE(OLD.total_score, 0)) OR
      (level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8) OR
      (level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16));
  INSERT INTO ib_score_histogram VALUES
      (0, COALESCE(NEW.total_score, 0), 1),
      (1, COALESCE(NEW.total_score, 0) >> 8, 1),
      (2, COALESCE(NEW.total_score, 0) >> 16, 1)
    ON CONFLICT (level, bucket) DO UPDATE SET rows_in = rows_in + 1;
END;

-- The stored rank column stays (the table keeps the seed's shape) but is no longer written
-- or read; its index goes.
DROP INDEX IF EXISTS leaderboard_rank_idx;
UPDATE leaderboard SET rank = NULL;

-- get_leaderboard's order (rank, then XP, then user id) as an index, so a page of the ranking
-- reads only its rows.
CREATE INDEX leaderboard_ranking_idx
  ON leaderboard(COALESCE(total_score, 0) DESC, total_xp DESC, user_id);
