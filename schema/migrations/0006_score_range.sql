-- interviewbase schema, version 6: every score column of interview_sessions, interview_feedback
-- and voice_analytics holds 0 to 100 (CHECK, named as Postgres names a column's CHECK; a
-- violation is 23514). The leaderboard is built from these scores: without the bound one PATCH
-- of 999.99 topped it.
--
-- SQLite cannot add a CHECK to an existing table, so each table is rebuilt its own way: create
-- the new table, copy the rows, drop the old one, rename, recreate its indexes (the migrator
-- runs this with foreign keys off and checks them all before committing, so the children of
-- interview_sessions keep their rows). Columns keep their order and declarations. A score that
-- an earlier version let through outside 0..100 is clamped to the nearest bound when copied;
-- points already awarded from it stay as they are.

CREATE TABLE interview_sessions_v6 (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  description TEXT,
  interview_type VARCHAR(50) NOT NULL DEFAULT 'voice',
  status VARCHAR(50) NOT NULL DEFAULT 'pending',
  metadata JSONB DEFAULT '{}',
  questions JSONB DEFAULT '[]',
  answers JSONB DEFAULT '[]',
  started_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  duration_minutes INTEGER,
  overall_score DECIMAL(5,2) CONSTRAINT interview_sessions_overall_score_check
    CHECK (overall_score BETWEEN 0 AND 100),
  communication_score DECIMAL(5,2) CONSTRAINT interview_sessions_communication_score_check
    CHECK (communication_score BETWEEN 0 AND 100),
  technical_score DECIMAL(5,2) CONSTRAINT interview_sessions_technical_score_check
    CHECK (technical_score BETWEEN 0 AND 100),
  ai_accuracy_score DECIMAL(5,2) CONSTRAINT interview_sessions_ai_accuracy_score_check
    CHECK (ai_accuracy_score BETWEEN 0 AND 100),
  feedback JSONB,
  feedback_id UUID,
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now())
);
INSERT INTO interview_sessions_v6
  SELECT id, user_id, title, description, interview_type, status, metadata, questions, answers,
         started_at, completed_at, duration_minutes,
         min(max(overall_score, 0), 100), min(max(communication_score, 0), 100),
         min(max(technical_score, 0), 100), min(max(ai_accuracy_score, 0), 100),
         feedback, feedback_id, created_at, updated_at
  FROM interview_sessions;
DROP TABLE interview_sessions;
ALTER TABLE interview_sessions_v6 RENAME TO interview_sessions;
CREATE INDEX interview_sessions_user_created_idx ON interview_sessions(user_id, created_at DESC);
CREATE INDEX interview_sessions_status_idx ON interview_sessions(status);
CREATE INDEX interview_sessions_created_at_idx ON interview_sessions(created_at DESC);
CREATE INDEX interview_sessions_user_completed_idx
  ON interview_sessions(user_id, status, interview_type, completed_at, overall_score);

CREATE TABLE interview_feedback_v6 (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  overall_score DECIMAL(5,2) NOT NULL CONSTRAINT interview_feedback_overall_score_check
    CHECK (overall_score BETWEEN 0 AND 100),
  hiring_recommendation TEXT,
  scores JSONB NOT NULL DEFAULT '[]',
  strengths JSONB DEFAULT '[]',
  improvements JSONB DEFAULT '[]',
  recommendations JSONB DEFAULT '[]',
  detailed_feedback TEXT,
  transcript TEXT,
  duration_seconds INTEGER,
  metadata JSONB DEFAULT '{}',
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now())
);
INSERT INTO interview_feedback_v6
  SELECT id, interview_id, user_id, min(max(overall_score, 0), 100), hiring_recommendation,
         scores, strengths, improvements, recommendations, detailed_feedback, transcript,
         duration_seconds, metadata, created_at, updated_at
  FROM interview_feedback;
DROP TABLE interview_feedback;
ALTER TABLE interview_feedback_v6 RENAME TO interview_feedback;
CREATE INDEX interview_feedback_interview_id_idx ON interview_feedback(interview_id);
CREATE INDEX interview_feedback_user_id_idx ON interview_feedback(user_id);

CREATE TABLE voice_analytics_v6 (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  clarity_score DECIMAL(5,2) CONSTRAINT voice_analytics_clarity_score_check
    CHECK (clarity_score BETWEEN 0 AND 100),
  pace_score DECIMAL(5,2) CONSTRAINT voice_analytics_pace_score_check
    CHECK (pace_score BETWEEN 0 AND 100),
  volume_score DECIMAL(5,2) CONSTRAINT voice_analytics_volume_score_check
    CHECK (volume_score BETWEEN 0 AND 100),
  filler_words_count INTEGER,
  pause_frequency DECIMAL(5,2),
  tonal_variation DECIMAL(5,2),
  articulation_score DECIMAL(5,2) CONSTRAINT voice_analytics_articulation_score_check
    CHECK (articulation_score BETWEEN 0 AND 100),
  analysis JSONB,
  created_at TIMESTAMPTZ DEFAULT (now())
);
INSERT INTO voice_analytics_v6
  SELECT id, interview_id, min(max(clarity_score, 0), 100), min(max(pace_score, 0), 100),
         min(max(volume_score, 0), 100), filler_words_count, pause_frequency, tonal_variation,
         min(max(articulation_score, 0), 100), analysis, created_at
  FROM voice_analytics;
DROP TABLE voice_analytics;
ALTER TABLE voice_analytics_v6 RENAME TO voice_analytics;
CREATE INDEX voice_analytics_interview_id_idx ON voice_analytics(interview_id);
