// The platform's RPC calls and its interview flow through supabase-js: completing an
// interview fires the hooks (XP, streak, achievements, leaderboard) the dashboard reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInUser } from './support.mjs';

let server;
let db;
let user;

before(async () => {
  server = await startServer();
  ({ client: db, user } = await signedInUser(server, 'rpc@example.com', 'secret123', { full_name: 'Rpc User' }));
});
after(async () => { await server?.stop(); });

test('an interview from start to completion, then the stats RPCs', async () => {
  const created = await db.from('interview_sessions')
    .insert({ user_id: user.id, title: 'Voice round', interview_type: 'voice', status: 'in_progress' })
    .select().single();
  assert.equal(created.error, null);
  const id = created.data.id;
  const responses = await db.from('interview_responses').insert([
    { interview_id: id, role: 'assistant', content: 'Tell me about yourself', sequence_number: 1 },
    { interview_id: id, role: 'user', content: 'I build backends', sequence_number: 2, confidence: 0.9 },
  ]);
  assert.equal(responses.error, null);
  assert.equal((await db.from('voice_analytics').insert({ interview_id: id, clarity_score: 8.5 })).error, null);

  const done = await db.from('interview_sessions')
    .update({ status: 'completed', overall_score: 92.4, completed_at: new Date().toISOString(), duration_minutes: 30 })
    .eq('id', id).select('status, completed_at').single();
  assert.equal(done.error, null);
  const fb = await db.from('interview_feedback')
    .insert({ interview_id: id, user_id: user.id, overall_score: 92.4, hiring_recommendation: 'hire' }).select('id').single();
  assert.equal(fb.error, null);

  const profile = await db.from('profiles').select('completed_interviews, total_xp, level, streak_days').single();
  // 50 + round(92.4) = 142 XP, plus first_interview (50) and high_score (100) rewards.
  assert.deepEqual(profile.data, { completed_interviews: 1, total_xp: 292, level: 2, streak_days: 1 });
  const achievements = await db.from('achievements').select('achievement_type').order('achievement_type');
  assert.deepEqual(achievements.data.map((a) => a.achievement_type), ['first_interview', 'high_score']);
  const session = await db.from('interview_sessions').select('feedback_id').eq('id', id).single();
  assert.equal(session.data.feedback_id, fb.data.id);

  const stats = await db.rpc('get_user_interview_stats', { p_user_id: user.id });
  assert.equal(stats.error, null);
  assert.equal(stats.data[0].total_interviews, 1);
  assert.equal(stats.data[0].completed_interviews, 1);
  assert.equal(Number(stats.data[0].total_duration_minutes), 30);
  const recent = await db.rpc('get_recent_interviews_with_feedback', { p_user_id: user.id, p_limit: 5 });
  assert.equal(recent.error, null);
  assert.equal(recent.data[0].hiring_recommendation, 'hire');
  const viaGet = await db.rpc('get_recent_interviews_with_feedback', { p_user_id: user.id }, { get: true });
  assert.equal(viaGet.data.length, 1);

  const board = await server.anon().rpc('get_leaderboard', { p_limit: 5 });
  assert.equal(board.error, null);
  assert.equal(board.data[0].user_id, user.id);
  assert.equal(board.data[0].display_name, 'Rpc User');
  assert.equal(board.data[0].rank, 1);
});

test('RPC refusals', async () => {
  const other = await db.rpc('get_user_interview_stats', { p_user_id: '00000000-0000-4000-8000-000000000000' });
  assert.equal(other.error.code, '42501');
  assert.equal(other.status, 403);
  const anon = await server.anon().rpc('get_user_interview_stats', { p_user_id: user.id });
  assert.equal(anon.status, 401);
  const missing = await db.rpc('no_such_function');
  assert.equal(missing.error.code, 'PGRST202');
  assert.equal(missing.status, 404);
  const badArg = await db.rpc('get_recent_interviews_with_feedback', { p_user_id: user.id, p_limit: 'lots' });
  assert.equal(badArg.status, 400);
});
