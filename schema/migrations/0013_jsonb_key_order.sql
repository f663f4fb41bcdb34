-- interviewbase schema, version 13: stored jsonb objects keep jsonb's key order.
--
-- PostgreSQL's jsonb keeps an object's keys shorter first, equal lengths bytewise, and every
-- jsonb Supabase sends is in that order ({"b":1,"aa":2}). Values written since this version
-- are stored so (storage/json_dump.h, KeyOrder::kJsonb); older ones were stored in plain
-- bytewise order ({"aa":2,"b":1}). They are rewritten here, so that every row reads in one
-- order and an eq filter on a whole jsonb value (whose operand is written in the new order)
-- still finds them. ib_jsonb_key_order (storage/sql_functions.cpp) re-writes a stored text in
-- that order and returns anything else as it is. No trigger watches these columns.

UPDATE profiles SET preferences = ib_jsonb_key_order(preferences)
  WHERE typeof(preferences) = 'text' AND preferences <> ib_jsonb_key_order(preferences);
UPDATE interview_sessions SET metadata = ib_jsonb_key_order(metadata)
  WHERE typeof(metadata) = 'text' AND metadata <> ib_jsonb_key_order(metadata);
UPDATE interview_sessions SET questions = ib_jsonb_key_order(questions)
  WHERE typeof(questions) = 'text' AND questions <> ib_jsonb_key_order(questions);
UPDATE interview_sessions SET answers = ib_jsonb_key_order(answers)
  WHERE typeof(answers) = 'text' AND answers <> ib_jsonb_key_order(answers);
UPDATE interview_sessions SET feedback = ib_jsonb_key_order(feedback)
  WHERE typeof(feedback) = 'text' AND feedback <> ib_jsonb_key_order(feedback);
UPDATE interview_responses SET analysis = ib_jsonb_key_order(analysis)
  WHERE typeof(analysis) = 'text' AND analysis <> ib_jsonb_key_order(analysis);
UPDATE interview_feedback SET scores = ib_jsonb_key_order(scores)
  WHERE typeof(scores) = 'text' AND scores <> ib_jsonb_key_order(scores);
UPDATE interview_feedback SET strengths = ib_jsonb_key_order(strengths)
  WHERE typeof(strengths) = 'text' AND strengths <> ib_jsonb_key_order(strengths);
UPDATE interview_feedback SET improvements = ib_jsonb_key_order(improvements)
  WHERE typeof(improvements) = 'text' AND improvements <> ib_jsonb_key_order(improvements);
UPDATE interview_feedback SET recommendations = ib_jsonb_key_order(recommendations)
  WHERE typeof(recommendations) = 'text'
    AND recommendations <> ib_jsonb_key_order(recommendations);
UPDATE interview_feedback SET metadata = ib_jsonb_key_order(metadata)
  WHERE typeof(metadata) = 'text' AND metadata <> ib_jsonb_key_order(metadata);
UPDATE voice_analytics SET analysis = ib_jsonb_key_order(analysis)
  WHERE typeof(analysis) = 'text' AND analysis <> ib_jsonb_key_order(analysis);
UPDATE achievements SET metadata = ib_jsonb_key_order(metadata)
  WHERE typeof(metadata) = 'text' AND metadata <> ib_jsonb_key_order(metadata);
UPDATE streaks SET streak_data = ib_jsonb_key_order(streak_data)
  WHERE typeof(streak_data) = 'text' AND streak_data <> ib_jsonb_key_order(streak_data);
