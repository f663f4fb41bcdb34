-- interviewbase schema, version 1: the SQLite port of the interview platform's Postgres schema.
-- Column types keep their Postgres names (UUID, TIMESTAMPTZ, JSONB, TEXT[], DECIMAL(5,2)) so the
-- catalog can read them back and the value codec renders each column as PostgREST would.
-- Defaults: ids are random UUID v4 (gen_random_uuid(), a function registered by storage/db.cpp),
-- timestamps are now() in canonical UTC text. Row-level security, triggers and helper
-- functions are not here: they are C++ guards, hooks and RPCs (see schema/PORTING.md).

-- ---------------------------------------------------------------- auth (never exposed by REST)
CREATE TABLE auth_users (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  email TEXT COLLATE NOCASE UNIQUE,
  phone TEXT,
  encrypted_password TEXT,
  role TEXT NOT NULL DEFAULT 'authenticated',
  raw_user_meta_data JSONB NOT NULL DEFAULT '{}',
  raw_app_meta_data JSONB NOT NULL DEFAULT '{"provider":"email","providers":["email"]}',
  email_confirmed_at TIMESTAMPTZ,
  last_sign_in_at TIMESTAMPTZ,
  banned_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now())
);

CREATE TABLE auth_sessions (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  not_after TIMESTAMPTZ
);
CREATE INDEX auth_sessions_user_id_idx ON auth_sessions(user_id);

CREATE TABLE auth_refresh_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  session_id UUID NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  parent_hash TEXT,
  revoked BOOLEAN NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT (now()),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT (now())
);
CREATE INDEX auth_refresh_tokens_session_idx ON auth_refresh_tokens(session_id);

-- Server settings that must survive restarts (the generated JWT secret).
CREATE TABLE ib_settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- ---------------------------------------------------------------- public tables
CREATE TABLE profiles (
  id UUID PRIMARY KEY NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  full_name TEXT,
  avatar_url TEXT,
  bio TEXT,
  experience_level TEXT DEFAULT 'mid',
  target_role TEXT,
  tech_stack TEXT[] DEFAULT '[]',
  total_interviews INTEGER DEFAULT 0,
  completed_interviews INTEGER DEFAULT 0,
  average_score DECIMAL(5,2) DEFAULT 0,
  total_xp INTEGER DEFAULT 0,
  level INTEGER DEFAULT 1,
  streak_days INTEGER DEFAULT 0,
  last_activity_date DATE,
  onboarding_completed BOOLEAN DEFAULT 0,
  preferences JSONB DEFAULT '{}',
  username TEXT UNIQUE,
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now())
);

CREATE TABLE practice_attempts (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  question_id UUID,
  answer TEXT,
  score DECIMAL(5,2),
  time_taken_seconds INTEGER,
  feedback TEXT,
  strengths TEXT[],
  improvements TEXT[],
  attempt_number INTEGER DEFAULT 1,
  is_correct BOOLEAN,
  difficulty TEXT,
  created_at TIMESTAMPTZ DEFAULT (now())
);
CREATE INDEX practice_attempts_user_id_idx ON practice_attempts(user_id, created_at DESC);

CREATE TABLE interview_sessions (
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
  overall_score DECIMAL(5,2),
  communication_score DECIMAL(5,2),
  technical_score DECIMAL(5,2),
  ai_accuracy_score DECIMAL(5,2),
  feedback JSONB,
  feedback_id UUID,
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now())
);
CREATE INDEX interview_sessions_user_created_idx ON interview_sessions(user_id, created_at DESC);
CREATE INDEX interview_sessions_status_idx ON interview_sessions(status);
CREATE INDEX interview_sessions_created_at_idx ON interview_sessions(created_at DESC);

CREATE TABLE interview_responses (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  role VARCHAR(20) NOT NULL CONSTRAINT interview_responses_role_check
    CHECK (role IN ('user', 'assistant', 'system')),
  content TEXT NOT NULL,
  timestamp TIMESTAMPTZ DEFAULT (now()),
  confidence DECIMAL(3,2),
  stage VARCHAR(50),
  analysis JSONB,
  sequence_number INTEGER,
  created_at TIMESTAMPTZ DEFAULT (now())
);
CREATE INDEX interview_responses_interview_id_idx ON interview_responses(interview_id, sequence_number);

CREATE TABLE interview_feedback (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  overall_score DECIMAL(5,2) NOT NULL,
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
CREATE INDEX interview_feedback_interview_id_idx ON interview_feedback(interview_id);
CREATE INDEX interview_feedback_user_id_idx ON interview_feedback(user_id);

CREATE TABLE voice_analytics (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  interview_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  clarity_score DECIMAL(5,2),
  pace_score DECIMAL(5,2),
  volume_score DECIMAL(5,2),
  filler_words_count INTEGER,
  pause_frequency DECIMAL(5,2),
  tonal_variation DECIMAL(5,2),
  articulation_score DECIMAL(5,2),
  analysis JSONB,
  created_at TIMESTAMPTZ DEFAULT (now())
);
CREATE INDEX voice_analytics_interview_id_idx ON voice_analytics(interview_id);

CREATE TABLE achievements (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  achievement_type TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  icon TEXT,
  xp_reward INTEGER DEFAULT 0,
  unlocked_at TIMESTAMPTZ DEFAULT (now()),
  metadata JSONB DEFAULT '{}',
  CONSTRAINT achievements_user_id_achievement_type_key UNIQUE (user_id, achievement_type)
);

CREATE TABLE user_progress (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  skill TEXT NOT NULL,
  level INTEGER DEFAULT 1,
  xp INTEGER DEFAULT 0,
  total_attempts INTEGER DEFAULT 0,
  successful_attempts INTEGER DEFAULT 0,
  last_practiced_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now()),
  CONSTRAINT user_progress_user_id_category_skill_key UNIQUE (user_id, category, skill)
);

CREATE TABLE leaderboard (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL UNIQUE REFERENCES auth_users(id) ON DELETE CASCADE,
  total_score INTEGER DEFAULT 0,
  total_xp INTEGER DEFAULT 0,
  rank INTEGER,
  weekly_score INTEGER DEFAULT 0,
  monthly_score INTEGER DEFAULT 0,
  last_updated TIMESTAMPTZ DEFAULT (now())
);
CREATE INDEX leaderboard_total_score_idx ON leaderboard(total_score DESC);
CREATE INDEX leaderboard_rank_idx ON leaderboard(rank);

CREATE TABLE streaks (
  id UUID PRIMARY KEY NOT NULL DEFAULT (gen_random_uuid()),
  user_id UUID NOT NULL UNIQUE REFERENCES auth_users(id) ON DELETE CASCADE,
  current_streak INTEGER DEFAULT 0,
  longest_streak INTEGER DEFAULT 0,
  last_activity_date DATE,
  streak_data JSONB DEFAULT '[]',
  created_at TIMESTAMPTZ DEFAULT (now()),
  updated_at TIMESTAMPTZ DEFAULT (now())
);
