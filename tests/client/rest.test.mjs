// The query shapes the platform's supabase-js code uses, through the real client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInUser } from './support.mjs';

let server;
let db;
let user;

before(async () => {
  server = await startServer();
  ({ client: db, user } = await signedInUser(server, 'client-rest@example.com'));
  const rows = Array.from({ length: 12 }, (_, i) => ({
    user_id: user.id,
    title: `Interview ${String(i).padStart(2, '0')}`,
    interview_type: i % 3 === 0 ? 'text' : 'voice',
    created_at: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    metadata: { round: i },
  }));
  const { error } = await db.from('interview_sessions').insert(rows);
  assert.equal(error, null);
});

after(async () => { await server?.stop(); });

test('list own sessions newest first with limit', async () => {
  const { data, error } = await db.from('interview_sessions')
    .select('*').order('created_at', { ascending: false }).limit(10);
  assert.equal(error, null);
  assert.equal(data.length, 10);
  assert.equal(data[0].title, 'Interview 11');
  assert.deepEqual(data[0].metadata, { round: 11 });
});

test('get one with single() and maybeSingle()', async () => {
  const { data } = await db.from('interview_sessions').select('id,title').eq('title', 'Interview 03').single();
  assert.equal(data.title, 'Interview 03');
  const missing = await db.from('interview_sessions').select('id').eq('title', 'nope').single();
  assert.equal(missing.error.code, 'PGRST116');
  assert.equal(missing.status, 406);
  const maybe = await db.from('interview_sessions').select('id').eq('title', 'nope').maybeSingle();
  assert.equal(maybe.error, null);
  assert.equal(maybe.data, null);
});

test('count with head', async () => {
  const { count, data, error } = await db.from('interview_sessions')
    .select('*', { count: 'exact', head: true });
  assert.equal(error, null);
  assert.equal(count, 12);
  assert.equal(data, null);
  const voice = await db.from('interview_sessions').select('id', { count: 'exact', head: true })
    .eq('interview_type', 'voice');
  assert.equal(voice.count, 8);
});

test('sessions with interview_feedback(*)', async () => {
  const { data: [session] } = await db.from('interview_sessions').select('id').eq('title', 'Interview 05');
  const fb = await db.from('interview_feedback').insert({
    interview_id: session.id, user_id: user.id, overall_score: 88.5, scores: [{ name: 'clarity', value: 9 }],
  }).select().single();
  assert.equal(fb.error, null);
  assert.equal(fb.data.overall_score, 88.5);
  const { data, error } = await db.from('interview_sessions')
    .select('title, interview_feedback(*)').eq('id', session.id).single();
  assert.equal(error, null);
  assert.equal(data.interview_feedback.length, 1);
  assert.deepEqual(data.interview_feedback[0].scores, [{ name: 'clarity', value: 9 }]);
});

test('insert with select(), update, delete', async () => {
  const inserted = await db.from('interview_sessions')
    .insert({ user_id: user.id, title: 'Fresh', questions: ['a', 'b'] }).select();
  assert.equal(inserted.error, null);
  assert.equal(inserted.status, 201);
  const id = inserted.data[0].id;
  assert.deepEqual(inserted.data[0].questions, ['a', 'b']);
  const updated = await db.from('interview_sessions').update({ status: 'in_progress' }).eq('id', id).select('status');
  assert.equal(updated.error, null);
  assert.deepEqual(updated.data, [{ status: 'in_progress' }]);
  const plain = await db.from('interview_sessions').update({ description: 'x' }).eq('id', id);
  assert.equal(plain.status, 204);
  const removed = await db.from('interview_sessions').delete().eq('id', id);
  assert.equal(removed.error, null);
  assert.equal(removed.status, 204);
  const gone = await db.from('interview_sessions').select('id').eq('id', id);
  assert.deepEqual(gone.data, []);
});

test('rollback(): the insert answers with its row and leaves nothing', async () => {
  const tried = await db.from('interview_sessions')
    .insert({ user_id: user.id, title: 'Dry run' }).select('title').rollback();
  assert.equal(tried.error, null);
  assert.equal(tried.status, 201);
  assert.deepEqual(tried.data, [{ title: 'Dry run' }]);
  const found = await db.from('interview_sessions').select('id').eq('title', 'Dry run');
  assert.equal(found.error, null);
  assert.deepEqual(found.data, []);
});

test('upsert on user_progress with onConflict', async () => {
  const row = { user_id: user.id, category: 'algorithms', skill: 'graphs', xp: 10 };
  const first = await db.from('user_progress').upsert(row, { onConflict: 'user_id,category,skill' }).select();
  assert.equal(first.error, null);
  const second = await db.from('user_progress').upsert({ ...row, xp: 25 }, { onConflict: 'user_id,category,skill' }).select();
  assert.equal(second.error, null);
  assert.equal(second.data[0].xp, 25);
  assert.equal(second.data[0].id, first.data[0].id);
  const ignored = await db.from('user_progress')
    .upsert({ ...row, xp: 99 }, { onConflict: 'user_id,category,skill', ignoreDuplicates: true }).select();
  assert.deepEqual(ignored.data, []);
  const { data } = await db.from('user_progress').select('xp');
  assert.deepEqual(data, [{ xp: 25 }]);
});

test('not is null, in, or and range', async () => {
  const { data: [s] } = await db.from('interview_sessions').select('id').eq('title', 'Interview 01');
  await db.from('interview_sessions').update({ completed_at: '2024-03-01T10:00:00Z' }).eq('id', s.id);
  const done = await db.from('interview_sessions').select('title').not('completed_at', 'is', null);
  assert.deepEqual(done.data, [{ title: 'Interview 01' }]);
  const some = await db.from('interview_sessions').select('title')
    .in('title', ['Interview 02', 'Interview 04']).order('title');
  assert.deepEqual(some.data.map((r) => r.title), ['Interview 02', 'Interview 04']);
  const either = await db.from('interview_sessions').select('title')
    .or('title.eq.Interview 06,interview_type.eq.text').order('title');
  assert.deepEqual(either.data.map((r) => r.title),
    ['Interview 00', 'Interview 03', 'Interview 06', 'Interview 09']);
  const page = await db.from('interview_sessions').select('title', { count: 'exact' })
    .order('title').range(2, 4);
  assert.equal(page.count, 12);
  assert.equal(page.status, 206);
  assert.deepEqual(page.data.map((r) => r.title), ['Interview 02', 'Interview 03', 'Interview 04']);
});

test('errors come back as PostgREST error objects', async () => {
  const bad = await db.from('interview_sessions').select('nope');
  assert.equal(bad.error.code, '42703');
  assert.equal(bad.status, 400);
  const missing = await db.from('no_such_table').select();
  assert.equal(missing.error.code, 'PGRST205');
  const badValue = await db.from('interview_sessions').insert({ user_id: user.id, title: 'x', duration_minutes: 'many' });
  assert.equal(badValue.error.code, '22P02');
});
