-- interviewbase schema, version 9: interview_responses' role CHECK as three comparisons
-- instead of an IN list. Same constraint, same name, same answers (a NULL role is refused by
-- NOT NULL as before; any other value passes exactly when it equals one of the three).
--
-- Why: SQLite evaluates `x IN (list)` of more than two constants through an ephemeral index
-- it builds on every execution of a statement that checks it, so every insert of a transcript
-- line opened, filled and freed a b-tree on the writer: about 27,000 of the ~305,000
-- instructions of a paced insert (bench/README.md, dev loop of 2026-12-07). The Postgres
-- export carries the CHECK as written here.
--
-- SQLite cannot change a CHECK in place, so the table is rebuilt as 0006 rebuilt its tables:
-- create, copy (rowids kept, so the rows' order does not change), drop, rename, recreate the
-- index; the migrator runs this with foreign keys off and checks them before committing.

CREATE TABLE interview_responses_v9 (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  role VARCHAR(20) NOT NULL CONSTRAINT interview_responses_role_check
    CHECK (role = 'user' OR role = 'assistant' OR role = 'system'),
  content TEXT NOT NULL,
  timestamp TIMESTAMPTZ DEFAULT (now()),
  confidence DECIMAL(3,2),
  stage VARCHAR(50),
  analysis JSONB,
  sequence_number INTEGER,
  created_at TIMESTAMPTZ DEFAULT (now())
);
INSERT INTO interview_responses_v9 (rowid, id, interview_id, role, content, timestamp,
                                    confidence, stage, analysis, sequence_number, created_at)
  SELECT rowid, id, interview_id, role, content, timestamp, confidence, stage, analysis,
         sequence_number, created_at
  FROM interview_responses;
DROP TABLE interview_responses;
ALTER TABLE interview_responses_v9 RENAME TO interview_responses;
CREATE INDEX interview_responses_interview_id_idx
  ON interview_responses(interview_id, sequence_number);
