-- interviewbase's hooks and RPCs as PL/pgSQL, for a Postgres / Supabase project that received
-- `interviewbase export postgres` (appended to schema.sql after the tables). Each trigger is
-- named after its hook in storage/hooks/registry.cpp and each public function after its RPC in
-- storage/rpc/registry.cpp; what they do is docs/hooks.md, and
-- tests/e2e/pg_functions_test.cpp drives the same writes through interviewbase and through this
-- file on PostgreSQL 15 and compares the rows and results.
--
-- Hooks act for the system: functions that write rows a user may not write (achievements,
-- streaks, the leaderboard, protected profile columns) are SECURITY DEFINER, owned by the
-- tables' owner, which row-level security does not restrict; every function pins
-- search_path. Helpers (ib_*) are not callable through the API.
--
-- Loading rows (data.sql) must not fire these triggers, or every completed session would be
-- awarded again: load it with `SET session_replication_role = replica`, as pg_dump's
-- --disable-triggers does.

-- ------------------------------------------------------------------ bookkeeping
-- One row per session the completion award has run for, so it runs once per session even if
-- the session is reopened and completed again. In its own schema, which PostgREST does not
-- expose and the API roles cannot use.
CREATE SCHEMA IF NOT EXISTS private;
REVOKE ALL ON SCHEMA private FROM PUBLIC, anon, authenticated;
CREATE TABLE IF NOT EXISTS private.ib_completed_sessions (
  session_id uuid PRIMARY KEY
    REFERENCES public.interview_sessions(id) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id uuid NOT NULL,
  awarded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ib_completed_sessions_user_id_idx
  ON private.ib_completed_sessions(user_id);

-- ------------------------------------------------------------------ pure rules
-- level = 1 + floor(sqrt(floor(xp / 100))), with an integer square root (exact squares never
-- land one level short); below 100 xp, negative included, level 1.
CREATE OR REPLACE FUNCTION public.ib_level_for_xp(p_xp bigint) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = public AS $$
DECLARE
  v_hundreds bigint;
  v_root bigint;
BEGIN
  IF p_xp < 100 THEN RETURN 1; END IF;
  v_hundreds := p_xp / 100;
  v_root := floor(sqrt(v_hundreds::double precision))::bigint;
  WHILE v_root * v_root > v_hundreds LOOP v_root := v_root - 1; END LOOP;
  WHILE (v_root + 1) * (v_root + 1) <= v_hundreds LOOP v_root := v_root + 1; END LOOP;
  RETURN (1 + v_root)::integer;
END $$;

-- S: round(overall_score), halves away from zero (numeric round); 0 when there is none.
CREATE OR REPLACE FUNCTION public.ib_session_points(p_score numeric) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = public AS $$
  SELECT COALESCE(round(p_score), 0)::integer
$$;

-- The mean overall_score of the user's completed sessions that have one, 2 places, 0 if none.
CREATE OR REPLACE FUNCTION public.ib_completion_average(p_user uuid) RETURNS numeric
LANGUAGE sql STABLE SET search_path = public AS $$
  SELECT COALESCE(round(avg(overall_score), 2), 0) FROM public.interview_sessions
  WHERE user_id = p_user AND status = 'completed'
$$;

-- ------------------------------------------------------------------ shared effects
-- The user's leaderboard row: total_score = sum of S over their completed sessions, the weekly
-- and monthly sums over those completed in the last 7 / 30 days (exact 24-hour days, whatever
-- the session's TimeZone), total_xp when given (else kept; 0 on a new row), last_updated = now.
-- A missing row is created only if p_create.
CREATE OR REPLACE FUNCTION public.ib_write_leaderboard_row(p_user uuid, p_total_xp bigint,
                                                           p_create boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_total bigint;
  v_week bigint;
  v_month bigint;
BEGIN
  SELECT COALESCE(sum(ib_session_points(overall_score)), 0),
         COALESCE(sum(ib_session_points(overall_score))
                    FILTER (WHERE completed_at >= now() - interval '168 hours'), 0),
         COALESCE(sum(ib_session_points(overall_score))
                    FILTER (WHERE completed_at >= now() - interval '720 hours'), 0)
    INTO v_total, v_week, v_month
    FROM public.interview_sessions WHERE user_id = p_user AND status = 'completed';
  IF NOT p_create THEN
    UPDATE public.leaderboard
       SET total_score = v_total, weekly_score = v_week, monthly_score = v_month,
           last_updated = now(), total_xp = COALESCE(p_total_xp, total_xp)
     WHERE user_id = p_user;
    RETURN;
  END IF;
  -- An upsert, so two first completions of one user in parallel transactions both land.
  INSERT INTO public.leaderboard AS l (user_id, total_score, weekly_score, monthly_score,
                                       total_xp, last_updated)
  VALUES (p_user, v_total, v_week, v_month, COALESCE(p_total_xp, 0), now())
  ON CONFLICT (user_id) DO UPDATE
     SET total_score = v_total, weekly_score = v_week, monthly_score = v_month,
         last_updated = now(), total_xp = COALESCE(p_total_xp, l.total_xp);
END $$;

-- Records an activity on p_day in the user's streak row (created on first use): the first day
-- gives 1, the same day nothing, the next day +1, a later day 1, an earlier day nothing;
-- longest = max; last = the latest day; streak_data = the string days, sorted bytewise, unique,
-- the latest 365 (anything but a JSON array starts the history afresh).
CREATE OR REPLACE FUNCTION public.ib_apply_streak_day(p_user uuid, p_day date)
RETURNS public.streaks
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v public.streaks;
  v_current integer;
  v_last date;
  v_data jsonb;
BEGIN
  INSERT INTO public.streaks (user_id, created_at, updated_at) VALUES (p_user, now(), now())
  ON CONFLICT (user_id) DO NOTHING;
  SELECT * INTO v FROM public.streaks WHERE user_id = p_user FOR UPDATE;
  v_current := COALESCE(v.current_streak, 0);
  v_last := v.last_activity_date;
  IF v_last IS NULL THEN
    v_current := 1;
  ELSIF p_day - v_last = 1 THEN
    v_current := v_current + 1;
  ELSIF p_day - v_last > 1 THEN
    v_current := 1;
  END IF;
  SELECT COALESCE(jsonb_agg(d ORDER BY d COLLATE "C"), '[]'::jsonb) INTO v_data
    FROM (SELECT d FROM (SELECT e #>> '{}' AS d
                           FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v.streak_data) = 'array'
                                                          THEN v.streak_data
                                                          ELSE '[]'::jsonb END) AS e
                          WHERE jsonb_typeof(e) = 'string'
                         UNION SELECT to_char(p_day, 'YYYY-MM-DD')) AS days
           ORDER BY d COLLATE "C" DESC LIMIT 365) AS kept;
  UPDATE public.streaks
     SET current_streak = v_current,
         longest_streak = greatest(COALESCE(v.longest_streak, 0), v_current),
         last_activity_date = CASE WHEN v_last IS NULL OR p_day > v_last THEN p_day ELSE v_last END,
         streak_data = v_data
   WHERE id = v.id
  RETURNING * INTO v;
  RETURN v;
END $$;

-- Unlocks every rule (in this order) not yet unlocked for the user that the progress
-- satisfies; returns the XP they reward. The score rules look at the raw overall_score: 89.5 is
-- not a high score, 99.5 not perfect.
CREATE OR REPLACE FUNCTION public.ib_unlock_achievements(p_user uuid, p_session uuid,
                                                         p_completed bigint, p_score numeric,
                                                         p_streak integer, p_voice bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_unlocked text[];
  v_xp bigint := 0;
  r record;
BEGIN
  SELECT COALESCE(array_agg(achievement_type), '{}') INTO v_unlocked
    FROM public.achievements WHERE user_id = p_user;
  FOR r IN
    SELECT * FROM (VALUES
-- @achievement-rules (generated from storage/hooks/achievements.cpp; the e2e test checks them)
      (1, 'first_interview', 'First Interview', 'Completed your first interview', '🎯', 50,
       p_completed >= 1),
      (2, 'interviews_5', 'Getting Serious', 'Completed 5 interviews', '📈', 100,
       p_completed >= 5),
      (3, 'interviews_10', 'Dedicated Candidate', 'Completed 10 interviews', '💪', 200,
       p_completed >= 10),
      (4, 'interviews_25', 'Interview Veteran', 'Completed 25 interviews', '🏅', 500,
       p_completed >= 25),
      (5, 'high_score', 'High Achiever', 'Scored 90 or more in an interview', '⭐', 100,
       p_score IS NOT NULL AND p_score >= 90),
      (6, 'perfect_score', 'Perfect Score', 'Scored a perfect 100 in an interview', '💯', 250,
       p_score IS NOT NULL AND p_score = 100),
      (7, 'streak_3', 'On a Roll', 'Practiced 3 days in a row', '🔥', 75,
       p_streak >= 3),
      (8, 'streak_7', 'Week Warrior', 'Practiced 7 days in a row', '🗓️', 150,
       p_streak >= 7),
      (9, 'streak_30', 'Unstoppable', 'Practiced 30 days in a row', '🏆', 1000,
       p_streak >= 30),
      (10, 'voice_5', 'Voice Pro', 'Completed 5 voice interviews', '🎙️', 150,
       p_voice >= 5)
    ) AS rule(ord, achievement_type, title, description, icon, xp_reward, met)
    ORDER BY ord
  LOOP
    CONTINUE WHEN NOT r.met OR r.achievement_type = ANY (v_unlocked);
    INSERT INTO public.achievements (user_id, achievement_type, title, description, icon,
                                     xp_reward, unlocked_at, metadata)
    VALUES (p_user, r.achievement_type, r.title, r.description, r.icon, r.xp_reward, now(),
            jsonb_build_object('session_id', p_session));
    v_xp := v_xp + r.xp_reward;
  END LOOP;
  RETURN v_xp;
END $$;

-- The completion award for one session (the caller made sure it runs once): streak, counters
-- and average, XP and level, achievements, the profile's mirrors of the streak, the leaderboard
-- row. A user without a profile is not given one: the profile-held parts are skipped
-- (completed = the number of awarded sessions), the leaderboard's total_xp stays as it is.
CREATE OR REPLACE FUNCTION public.ib_award_completion(s public.interview_sessions) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_profile public.profiles;
  v_has_profile boolean;
  v_streak public.streaks;
  v_completed bigint;
  v_voice bigint;
  v_xp bigint;
BEGIN
  SELECT * INTO v_profile FROM public.profiles WHERE id = s.user_id FOR UPDATE;
  v_has_profile := FOUND;
  v_streak := ib_apply_streak_day(s.user_id,
                                  (COALESCE(s.completed_at, now()) AT TIME ZONE 'UTC')::date);
  IF v_has_profile THEN
    v_completed := COALESCE(v_profile.completed_interviews, 0) + 1;
  ELSE
    SELECT count(*) INTO v_completed FROM private.ib_completed_sessions WHERE user_id = s.user_id;
  END IF;
  SELECT count(*) INTO v_voice FROM public.interview_sessions
   WHERE user_id = s.user_id AND status = 'completed' AND interview_type = 'voice';
  v_xp := COALESCE(v_profile.total_xp, 0) + 50 + ib_session_points(s.overall_score);
  v_xp := v_xp + ib_unlock_achievements(s.user_id, s.id, v_completed, s.overall_score,
                                        v_streak.current_streak, v_voice);
  IF v_has_profile THEN
    UPDATE public.profiles
       SET completed_interviews = v_completed,
           average_score = ib_completion_average(s.user_id),
           total_xp = v_xp,
           level = ib_level_for_xp(v_xp),
           streak_days = v_streak.current_streak,
           last_activity_date = v_streak.last_activity_date
     WHERE id = s.user_id;
  END IF;
  PERFORM ib_write_leaderboard_row(s.user_id, CASE WHEN v_has_profile THEN v_xp END, true);
END $$;

-- After a completed session leaves a user (deleted, or moved to another user): counters,
-- average and leaderboard scores from the rows; XP, level, streak, achievements stay.
CREATE OR REPLACE FUNCTION public.ib_recompute_user_stats(p_user uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE public.profiles
     SET completed_interviews = (SELECT count(*) FROM public.interview_sessions
                                  WHERE user_id = p_user AND status = 'completed'),
         average_score = ib_completion_average(p_user)
   WHERE id = p_user;
  PERFORM ib_write_leaderboard_row(p_user, NULL, false);
END $$;

-- The owner's total_interviews := the number of their sessions (if they have a profile).
CREATE OR REPLACE FUNCTION public.ib_recount_interviews(p_user uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE public.profiles
     SET total_interviews = (SELECT count(*) FROM public.interview_sessions WHERE user_id = p_user)
   WHERE id = p_user
$$;

-- ------------------------------------------------------------------ 1. updated_at
CREATE OR REPLACE FUNCTION public.update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER update_profiles_updated_at BEFORE UPDATE ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE OR REPLACE TRIGGER update_interview_sessions_updated_at
  BEFORE UPDATE ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE OR REPLACE TRIGGER update_interview_feedback_updated_at
  BEFORE UPDATE ON public.interview_feedback
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE OR REPLACE TRIGGER update_user_progress_updated_at BEFORE UPDATE ON public.user_progress
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE OR REPLACE TRIGGER update_streaks_updated_at BEFORE UPDATE ON public.streaks
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

-- ------------------------------------------------------------------ 2. new user
-- The profile comes with the auth user: name and full_name from metadata full_name, else name;
-- avatar_url from metadata avatar_url, else picture.
CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  v_name text := COALESCE(NEW.raw_user_meta_data ->> 'full_name',
                          NEW.raw_user_meta_data ->> 'name');
BEGIN
  INSERT INTO public.profiles (id, email, name, full_name, avatar_url)
  VALUES (NEW.id, NEW.email, v_name, v_name,
          COALESCE(NEW.raw_user_meta_data ->> 'avatar_url',
                   NEW.raw_user_meta_data ->> 'picture'));
  RETURN NEW;
END $$;

-- A changed auth email is copied to the profile (profiles.email is unique, so the old address
-- can sign up again).
CREATE OR REPLACE FUNCTION public.handle_user_email_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF COALESCE(NEW.email, '') <> '' AND NEW.email IS DISTINCT FROM OLD.email THEN
    UPDATE public.profiles SET email = NEW.email WHERE id = NEW.id;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER handle_new_user AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
CREATE OR REPLACE TRIGGER handle_user_email_change AFTER UPDATE OF email ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_user_email_change();

-- ------------------------------------------------------------------ 3. feedback link
-- The session's feedback_id := the new feedback, only if it has none (the first stays linked).
CREATE OR REPLACE FUNCTION public.link_feedback_to_session() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE public.interview_sessions SET feedback_id = NEW.id
   WHERE id = NEW.interview_id AND feedback_id IS NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER link_feedback_to_session AFTER INSERT ON public.interview_feedback
  FOR EACH ROW EXECUTE FUNCTION public.link_feedback_to_session();

-- ------------------------------------------------------------------ 4. interview counters
-- total_interviews follows the owner's sessions; a session moved to another user recounts both
-- owners, and their completion stats too if it was or is completed.
CREATE OR REPLACE FUNCTION public.count_interviews() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM ib_recount_interviews(OLD.user_id); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM ib_recount_interviews(NEW.user_id); END IF;
  IF TG_OP = 'UPDATE' AND (OLD.status = 'completed' OR NEW.status = 'completed') THEN
    PERFORM ib_recompute_user_stats(OLD.user_id);
    PERFORM ib_recompute_user_stats(NEW.user_id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER count_interviews_on_insert AFTER INSERT ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.count_interviews();
CREATE OR REPLACE TRIGGER count_interviews_on_delete AFTER DELETE ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.count_interviews();
CREATE OR REPLACE TRIGGER count_interviews_on_owner_change
  AFTER UPDATE OF user_id ON public.interview_sessions
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION public.count_interviews();

-- ------------------------------------------------------------------ 5. completion
-- A session entering 'completed' without completed_at gets now.
CREATE OR REPLACE FUNCTION public.stamp_completed_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF NEW.status = 'completed' AND NEW.completed_at IS NULL
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'completed') THEN
    NEW.completed_at := now();
  END IF;
  RETURN NEW;
END $$;

-- The first time a write leaves a session 'completed', award it; never again for that session.
CREATE OR REPLACE FUNCTION public.award_completion() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF NEW.status <> 'completed' THEN RETURN NULL; END IF;
  INSERT INTO private.ib_completed_sessions (session_id, user_id, awarded_at)
  VALUES (NEW.id, NEW.user_id, now()) ON CONFLICT (session_id) DO NOTHING;
  IF FOUND THEN PERFORM ib_award_completion(NEW); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER stamp_completed_at_on_insert BEFORE INSERT ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.stamp_completed_at();
CREATE OR REPLACE TRIGGER stamp_completed_at_on_update BEFORE UPDATE ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.stamp_completed_at();
CREATE OR REPLACE TRIGGER award_completion_on_insert AFTER INSERT ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.award_completion();
CREATE OR REPLACE TRIGGER award_completion_on_update AFTER UPDATE ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.award_completion();

-- ------------------------------------------------------------------ 6. deletion
CREATE OR REPLACE FUNCTION public.recompute_stats_on_session_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF OLD.status = 'completed' THEN PERFORM ib_recompute_user_stats(OLD.user_id); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER recompute_stats_on_session_delete
  AFTER DELETE ON public.interview_sessions
  FOR EACH ROW EXECUTE FUNCTION public.recompute_stats_on_session_delete();

-- ------------------------------------------------------------------ leaderboard rank
-- interviewbase computes rank when read: 1 + the number of rows with a strictly greater
-- total_score (null as 0), ties sharing a rank. Here it is stored, and every statement that
-- adds, removes or rescores rows rewrites the ranks that changed. Writing rank otherwise is
-- refused as for a generated column (428C9), as interviewbase refuses it.
CREATE OR REPLACE FUNCTION public.ib_rank_leaderboard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM set_config('ib.ranking', 'on', true);
  UPDATE public.leaderboard AS l SET rank = r.rank
    FROM (SELECT id, (rank() OVER (ORDER BY COALESCE(total_score, 0) DESC))::integer AS rank
            FROM public.leaderboard) AS r
   WHERE l.id = r.id AND l.rank IS DISTINCT FROM r.rank;
  PERFORM set_config('ib.ranking', 'off', true);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION public.ib_refuse_rank_write() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF current_setting('ib.ranking', true) = 'on' THEN RETURN NEW; END IF;
  IF TG_OP = 'INSERT' AND NEW.rank IS NOT NULL THEN
    RAISE EXCEPTION 'cannot insert a non-DEFAULT value into column "rank"'
      USING ERRCODE = '428C9', DETAIL = 'Column "rank" is a generated column.';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'column "rank" can only be updated to DEFAULT'
      USING ERRCODE = '428C9', DETAIL = 'Column "rank" is a generated column.';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER leaderboard_rank_guard_insert BEFORE INSERT ON public.leaderboard
  FOR EACH ROW EXECUTE FUNCTION public.ib_refuse_rank_write();
CREATE OR REPLACE TRIGGER leaderboard_rank_guard_update BEFORE UPDATE OF rank
  ON public.leaderboard FOR EACH ROW EXECUTE FUNCTION public.ib_refuse_rank_write();
CREATE OR REPLACE TRIGGER leaderboard_rank AFTER INSERT OR DELETE OR UPDATE OF total_score
  ON public.leaderboard FOR EACH STATEMENT EXECUTE FUNCTION public.ib_rank_leaderboard();

-- ------------------------------------------------------------------ RPCs
-- Definer functions (RLS does not filter their rows, as interviewbase's table guards do not
-- filter an RPC's); an authenticated caller may pass only their own user id (42501).
CREATE OR REPLACE FUNCTION public.ib_require_own_user(p_function text, p_user_id uuid)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = public AS $$
BEGIN
  IF auth.role() = 'authenticated' AND p_user_id IS DISTINCT FROM auth.uid() THEN
    RAISE EXCEPTION 'permission denied: p_user_id must be the caller''s own user id'
      USING ERRCODE = '42501', HINT = p_function;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION public.get_user_interview_stats(p_user_id uuid)
RETURNS TABLE (total_interviews bigint, completed_interviews bigint, average_score numeric,
               total_duration_minutes bigint, last_interview_date timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM ib_require_own_user('get_user_interview_stats', p_user_id);
  RETURN QUERY
  SELECT count(*)::bigint, (count(*) FILTER (WHERE s.status = 'completed'))::bigint,
         avg(s.overall_score), sum(s.duration_minutes)::bigint, max(s.created_at)
    FROM public.interview_sessions AS s WHERE s.user_id = p_user_id;
END $$;

CREATE OR REPLACE FUNCTION public.get_recent_interviews_with_feedback(p_user_id uuid,
                                                                      p_limit integer DEFAULT 10)
RETURNS TABLE (interview_id uuid, title varchar, interview_type varchar, status varchar,
               overall_score decimal, created_at timestamptz, feedback_id uuid,
               hiring_recommendation text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM ib_require_own_user('get_recent_interviews_with_feedback', p_user_id);
  RETURN QUERY
  SELECT s.id, s.title, s.interview_type, s.status, s.overall_score, s.created_at, f.id,
         f.hiring_recommendation
    FROM public.interview_sessions AS s
    LEFT JOIN public.interview_feedback AS f ON f.interview_id = s.id
   WHERE s.user_id = p_user_id
   ORDER BY s.created_at DESC
   LIMIT p_limit;
END $$;

-- The public ranking (anon included): by rank, ties by XP then user id.
CREATE OR REPLACE FUNCTION public.get_leaderboard(p_limit integer DEFAULT 10)
RETURNS TABLE (rank integer, user_id uuid, display_name text, avatar_url text,
               total_score integer, total_xp integer, level integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY
  SELECT (rank() OVER (ORDER BY COALESCE(l.total_score, 0) DESC))::integer, l.user_id,
         COALESCE(p.name, p.username), p.avatar_url, l.total_score, l.total_xp, p.level
    FROM public.leaderboard AS l LEFT JOIN public.profiles AS p ON p.id = l.user_id
   ORDER BY COALESCE(l.total_score, 0) DESC, l.total_xp DESC NULLS LAST, l.user_id
   LIMIT p_limit;
END $$;

-- Recomputes every leaderboard row (users with a row or a completed session): scores and
-- windows from the sessions, total_xp from the profile (kept for a user without one).
CREATE OR REPLACE FUNCTION public.refresh_leaderboard() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  WITH users AS (
    SELECT l.user_id FROM public.leaderboard AS l
    UNION SELECT s.user_id FROM public.interview_sessions AS s WHERE s.status = 'completed'
  ), sums AS (
    SELECT u.user_id, p.id IS NOT NULL AS has_profile, COALESCE(p.total_xp, 0) AS total_xp,
           COALESCE(sum(ib_session_points(s.overall_score)), 0) AS total,
           COALESCE(sum(ib_session_points(s.overall_score))
                      FILTER (WHERE s.completed_at >= now() - interval '168 hours'), 0) AS week,
           COALESCE(sum(ib_session_points(s.overall_score))
                      FILTER (WHERE s.completed_at >= now() - interval '720 hours'), 0) AS month
      FROM users AS u
      LEFT JOIN public.profiles AS p ON p.id = u.user_id
      LEFT JOIN public.interview_sessions AS s
        ON s.user_id = u.user_id AND s.status = 'completed'
     GROUP BY u.user_id, p.id, p.total_xp
  ), updated AS (
    UPDATE public.leaderboard AS l
       SET total_score = sums.total, weekly_score = sums.week, monthly_score = sums.month,
           last_updated = now(),
           total_xp = CASE WHEN sums.has_profile THEN sums.total_xp ELSE l.total_xp END
      FROM sums WHERE l.user_id = sums.user_id
    RETURNING l.user_id
  )
  INSERT INTO public.leaderboard (user_id, total_score, weekly_score, monthly_score, total_xp,
                                  last_updated)
  SELECT sums.user_id, sums.total, sums.week, sums.month, sums.total_xp, now()
    FROM sums WHERE sums.user_id NOT IN (SELECT user_id FROM updated);
END $$;

-- ------------------------------------------------------------------ who may call what
-- Helpers and trigger functions are no RPC for anyone (Supabase grants every new function to
-- anon, authenticated and service_role by default); the RPCs go to the roles of the registry.
REVOKE ALL ON FUNCTION
  public.ib_level_for_xp(bigint), public.ib_session_points(numeric),
  public.ib_completion_average(uuid), public.ib_write_leaderboard_row(uuid, bigint, boolean),
  public.ib_apply_streak_day(uuid, date),
  public.ib_unlock_achievements(uuid, uuid, bigint, numeric, integer, bigint),
  public.ib_award_completion(public.interview_sessions), public.ib_recompute_user_stats(uuid),
  public.ib_recount_interviews(uuid), public.ib_require_own_user(text, uuid),
  public.update_updated_at_column(), public.handle_new_user(),
  public.handle_user_email_change(), public.link_feedback_to_session(),
  public.count_interviews(), public.stamp_completed_at(), public.award_completion(),
  public.recompute_stats_on_session_delete(), public.ib_rank_leaderboard(),
  public.ib_refuse_rank_write()
FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON FUNCTION
  public.get_user_interview_stats(uuid), public.get_recent_interviews_with_feedback(uuid, integer),
  public.get_leaderboard(integer), public.refresh_leaderboard()
FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_user_interview_stats(uuid),
  public.get_recent_interviews_with_feedback(uuid, integer)
TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.get_leaderboard(integer) TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION public.refresh_leaderboard() TO service_role;
