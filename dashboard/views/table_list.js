// The ten tables /rest/v1 serves, in the order the platform's data flows, and the children
// each row can be shown with (PostgREST embeds through their foreign keys).
export const TABLES = [
  'profiles',
  'interview_sessions',
  'interview_responses',
  'interview_feedback',
  'voice_analytics',
  'practice_attempts',
  'achievements',
  'user_progress',
  'leaderboard',
  'streaks',
];

export const CHILDREN = {
  interview_sessions: ['interview_responses', 'interview_feedback', 'voice_analytics'],
};
