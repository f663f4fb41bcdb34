-- interviewbase schema, version 8: the leaderboard's score histogram (0007) kept by one trigger
-- per level, each statement a single primary-key lookup, instead of one trigger per event whose
-- statements OR the three levels together.
--
-- Why: SQLite answers an UPDATE or DELETE whose WHERE ORs primary-key lookups of a WITHOUT
-- ROWID table with a multi-index OR, which opens an ephemeral table for the keys it found, and
-- the UPDATE another for the rows it will change, on every firing. A completion's leaderboard
-- update took ~17 us with 0007's trigger and ~7 us with these (bench/README.md, dev loop of
-- 2026-12-06 17:30 UTC). And a level whose bucket did not move (levels 1 and 2, on most score
-- changes: they count per 256 and per 65,536 scores) is no longer touched at all.
--
-- The histogram's rows do not change: the triggers keep the same counts.

DROP TRIGGER ib_score_histogram_update;
DROP TRIGGER ib_score_histogram_delete;

CREATE TRIGGER ib_score_histogram_update_0 AFTER UPDATE OF total_score ON leaderboard
WHEN COALESCE(OLD.total_score, 0) <> COALESCE(NEW.total_score, 0) BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 0 AND bucket = COALESCE(OLD.total_score, 0);
  DELETE FROM ib_score_histogram
    WHERE level = 0 AND bucket = COALESCE(OLD.total_score, 0) AND rows_in = 0;
  INSERT INTO ib_score_histogram VALUES (0, COALESCE(NEW.total_score, 0), 1)
    ON CONFLICT (level, bucket) DO UPDATE SET rows_in = rows_in + 1;
END;

CREATE TRIGGER ib_score_histogram_update_1 AFTER UPDATE OF total_score ON leaderboard
WHEN COALESCE(OLD.total_score, 0) >> 8 <> COALESCE(NEW.total_score, 0) >> 8 BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8;
  DELETE FROM ib_score_histogram
    WHERE level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8 AND rows_in = 0;
  INSERT INTO ib_score_histogram VALUES (1, COALESCE(NEW.total_score, 0) >> 8, 1)
    ON CONFLICT (level, bucket) DO UPDATE SET rows_in = rows_in + 1;
END;

CREATE TRIGGER ib_score_histogram_update_2 AFTER UPDATE OF total_score ON leaderboard
WHEN COALESCE(OLD.total_score, 0) >> 16 <> COALESCE(NEW.total_score, 0) >> 16 BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16;
  DELETE FROM ib_score_histogram
    WHERE level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16 AND rows_in = 0;
  INSERT INTO ib_score_histogram VALUES (2, COALESCE(NEW.total_score, 0) >> 16, 1)
    ON CONFLICT (level, bucket) DO UPDATE SET rows_in = rows_in + 1;
END;

CREATE TRIGGER ib_score_histogram_delete_0 AFTER DELETE ON leaderboard BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 0 AND bucket = COALESCE(OLD.total_score, 0);
  DELETE FROM ib_score_histogram
    WHERE level = 0 AND bucket = COALESCE(OLD.total_score, 0) AND rows_in = 0;
END;

CREATE TRIGGER ib_score_histogram_delete_1 AFTER DELETE ON leaderboard BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8;
  DELETE FROM ib_score_histogram
    WHERE level = 1 AND bucket = COALESCE(OLD.total_score, 0) >> 8 AND rows_in = 0;
END;

CREATE TRIGGER ib_score_histogram_delete_2 AFTER DELETE ON leaderboard BEGIN
  UPDATE ib_score_histogram SET rows_in = rows_in - 1
    WHERE level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16;
  DELETE FROM ib_score_histogram
    WHERE level = 2 AND bucket = COALESCE(OLD.total_score, 0) >> 16 AND rows_in = 0;
END;
