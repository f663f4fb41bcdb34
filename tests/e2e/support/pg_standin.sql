-- The tables schema/postgres/functions.sql works on, as the seed's SQL declares them (the columns
-- the hooks and RPCs touch), plus the minimal Supabase stand-ins (roles, auth.users, auth.uid(),
-- auth.role()) and own-row RLS, so the hooks' writes need their definer rights as on Supabase.
-- Used by tests/e2e/pg_functions_test.cpp until `interviewbase export postgres` provides the DDL.
CREATE ROLE anon NOLOGIN;
CREATE ROLE authenticated NOLOGIN;
CREATE ROLE service_role NOLOGIN BYPASSRLS;
CREATE SCHEMA auth;
CREATE TABLE auth.users (
  id uuid PRIMARY KEY, email text UNIQUE, raw_user_meta_data jsonb DEFAULT '{}',
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid $$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role' $$;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

CREATE TABLE profiles (
  id uuid PRIMARY KEY REFERENCES auth.users(id) ON DELETE CASCADE,
  email text NOT NULL UNIQUE, name text, full_name text, avatar_url text, username text UNIQUE,
  total_interviews int DEFAULT 0, completed_interviews int DEFAULT 0,
  average_score decimal(5,2) DEFAULT 0, total_xp int DEFAULT 0, level int DEFAULT 1,
  streak_days int DEFAULT 0, last_activity_date date,
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE TABLE interview_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  title varchar(255) NOT NULL, interview_type varchar(50) NOT NULL DEFAULT 'voice',
  status varchar(50) NOT NULL DEFAULT 'pending',
  overall_score decimal(5,2) CHECK (overall_score BETWEEN 0 AND 100), duration_minutes int,
  completed_at timestamptz, feedback_id uuid,
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE TABLE interview_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  interview_id uuid NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  role varchar(20) NOT NULL, content text NOT NULL, sequence_number int,
  created_at timestamptz DEFAULT now());
CREATE TABLE interview_feedback (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  interview_id uuid NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  overall_score decimal(5,2) NOT NULL, hiring_recommendation text,
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE TABLE achievements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  achievement_type text NOT NULL, title text NOT NULL, description text, icon text,
  xp_reward int DEFAULT 0, unlocked_at timestamptz DEFAULT now(), metadata jsonb DEFAULT '{}',
  UNIQUE (user_id, achievement_type));
CREATE TABLE user_progress (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  category text NOT NULL, skill text NOT NULL, xp int DEFAULT 0,
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());
CREATE TABLE leaderboard (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
  total_score int DEFAULT 0, total_xp int DEFAULT 0, rank int,
  weekly_score int DEFAULT 0, monthly_score int DEFAULT 0, last_updated timestamptz DEFAULT now());
CREATE TABLE streaks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
  current_streak int DEFAULT 0, longest_streak int DEFAULT 0, last_activity_date date,
  streak_data jsonb DEFAULT '[]',
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());

-- Row-level security as a user meets it, so the hooks' writes need their definer rights.
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO authenticated;
GRANT SELECT ON leaderboard TO anon;
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE interview_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE interview_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE interview_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE achievements ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE leaderboard ENABLE ROW LEVEL SECURITY;
ALTER TABLE streaks ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON profiles USING (id = auth.uid());
CREATE POLICY own ON interview_sessions USING (user_id = auth.uid());
CREATE POLICY own ON interview_responses USING (EXISTS (SELECT 1 FROM interview_sessions s
  WHERE s.id = interview_id AND s.user_id = auth.uid()));
CREATE POLICY own ON interview_feedback USING (user_id = auth.uid());
CREATE POLICY own ON user_progress USING (user_id = auth.uid());
CREATE POLICY own ON achievements FOR SELECT USING (user_id = auth.uid());
CREATE POLICY own ON streaks FOR SELECT USING (user_id = auth.uid());
CREATE POLICY everyone ON leaderboard FOR SELECT USING (true);
