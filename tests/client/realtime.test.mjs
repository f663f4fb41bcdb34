// Realtime through supabase-js (channels, postgres_changes, broadcast, presence, auth) and, where
// the client hides the frames, through a raw Phoenix WebSocket. One server with a known JWT
// secret, so tests can sign short-lived, expired and foreign tokens.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { postgresChangesFilter } from '@supabase/realtime-js';
import {
  JWT_SECRET, UUID, Inbox, RawSocket, closeAll, completedSession, decodeKind4, encodeKind3, insertRow,
  nowSeconds, rtClient, rtUser, sign, startRealtimeServer, subscribed, until, upgrade, userToken,
  withTimeout,
} from './realtime_support.mjs';

let server;

before(async () => { server = await startRealtimeServer(); });
afterEach(closeAll);
after(async () => { await server?.stop(); });

const COMMIT_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ATTEMPT_COLUMNS = [
  ['id', 'uuid'], ['user_id', 'uuid'], ['question_id', 'uuid'], ['answer', 'text'],
  ['score', 'numeric'], ['time_taken_seconds', 'int4'], ['feedback', 'text'],
  ['strengths', '_text'], ['improvements', '_text'], ['attempt_number', 'int4'],
  ['is_correct', 'bool'], ['difficulty', 'text'], ['created_at', 'timestamptz'],
].map(([name, type]) => ({ name, type }));
const attempts = (event = '*', filter) => ({
  event, schema: 'public', table: 'practice_attempts', ...(filter ? { filter } : {}),
});
let topicCount = 0;
const uniqueTopic = (name) => `${name}-${++topicCount}`;
const isChange = (f) => Array.isArray(f) && f[3] === 'postgres_changes';
const farFuture = () => nowSeconds() + 3600;

// ---------------------------------------------------------------------------------------------
// Connection

test('the first subscribe opens the socket with apikey and vsn; createClient opens none', async () => {
  const client = rtClient(server);
  assert.equal(client.realtime.isConnected(), false);
  await subscribed(client.channel(uniqueTopic('connect')));
  assert.equal(client.realtime.isConnected(), true);
  assert.equal(client.realtime.endpointURL(),
    `${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${server.anonKey}&vsn=2.0.0`);
});

test('the upgrade needs a valid apikey: 401 without one, 101 with the project keys', async () => {
  const ok = await upgrade(server, `apikey=${server.anonKey}&vsn=2.0.0`);
  assert.deepEqual(ok, { status: 101, accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' });
  const service = await upgrade(server, `apikey=${encodeURIComponent(server.serviceKey)}&log_level=info&vsn=2.0.0`);
  assert.equal(service.status, 101);
  const refused = {
    missing: 'vsn=2.0.0',
    'not a JWT': 'apikey=garbage&vsn=2.0.0',
    'other secret': `apikey=${sign({ role: 'anon', exp: farFuture() }, 'x'.repeat(40))}&vsn=2.0.0`,
    expired: `apikey=${sign({ role: 'anon', exp: nowSeconds() - 10 })}&vsn=2.0.0`,
  };
  for (const [what, query] of Object.entries(refused)) {
    const res = await upgrade(server, query);
    assert.equal(res.status, 401, `${what}: ${JSON.stringify(res)}`);
  }
  const badVsn = await upgrade(server, `apikey=${server.anonKey}&vsn=3.0.0`);
  assert.equal(badVsn.status, 403, JSON.stringify(badVsn));
});

test('a client with a bad apikey gets CHANNEL_ERROR transport failure', async () => {
  const client = rtClient(server, sign({ role: 'anon', exp: farFuture() }, 'y'.repeat(40)));
  await assert.rejects(subscribed(client.channel(uniqueTopic('badkey'))),
    /CHANNEL_ERROR channel error: transport failure/);
});

test('heartbeats are answered on a socket without channels (2.0.0 arrays)', async () => {
  const raw = await RawSocket.open(server);
  raw.send([null, '11', 'phoenix', 'heartbeat', {}]);
  assert.deepEqual(await raw.next(), [null, '11', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  const client = rtClient(server, server.anonKey, { realtime: { heartbeatIntervalMs: 200 } });
  const beats = new Inbox('heartbeat statuses');
  client.realtime.onHeartbeat(beats.push);
  await subscribed(client.channel(uniqueTopic('beat')));
  await beats.find((s) => s === 'ok', 3000);
});

test('a 1.0.0 socket gets JSON objects only: heartbeat, join reply, broadcast', async () => {
  const raw = await RawSocket.open(server, { vsn: '1.0.0' });
  raw.send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '11' });
  assert.deepEqual(await raw.next(),
    { event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '11', topic: 'phoenix' });
  const sub = uniqueTopic('v1');
  const topic = `realtime:${sub}`;
  raw.send({
    topic, event: 'phx_join', ref: '12', join_ref: '12',
    payload: { config: { broadcast: { ack: false, self: false }, presence: { key: '', enabled: false }, postgres_changes: [], private: false } },
  });
  assert.deepEqual(await raw.next(), {
    event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [] } }, ref: '12', topic,
  });
  const sender = rtClient(server);
  const ch = sender.channel(sub);
  await subscribed(ch);
  assert.equal(await ch.send({ type: 'broadcast', event: 'ping', payload: { n: 1, s: 'é' } }), 'ok');
  assert.deepEqual(await raw.next(), {
    event: 'broadcast', payload: { type: 'broadcast', event: 'ping', payload: { n: 1, s: 'é' } },
    ref: null, topic,
  });
});

// ---------------------------------------------------------------------------------------------
// Channels (raw frames)

test('a join without bindings is answered ok with postgres_changes [] and nothing else', async () => {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('plain')}`;
  const { jr, reply } = await raw.join(topic);
  assert.deepEqual(reply, [jr, jr, topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
  assert.deepEqual(await raw.drain(), []);
});

test('a join with two bindings echoes them in order with numeric ids, then system ok', async () => {
  const u = await rtUser(server, 'bindings');
  const raw = await RawSocket.open(server);
  const sub = uniqueTopic('two');
  const topic = `realtime:${sub}`;
  const bindings = [attempts('INSERT', `user_id=eq.${u.id}`), attempts('*')];
  const { jr, reply } = await raw.join(topic, { config: { postgres_changes: bindings }, accessToken: u.token });
  assert.deepEqual(reply.slice(0, 4), [jr, jr, topic, 'phx_reply']);
  assert.equal(reply[4].status, 'ok', JSON.stringify(reply));
  const echoed = reply[4].response.postgres_changes;
  assert.equal(echoed.length, 2);
  for (const [i, b] of echoed.entries()) {
    const { id, ...rest } = b;
    assert.deepEqual(rest, bindings[i]);
    assert.equal(typeof id, 'number');
    assert.notEqual(id, 0);
  }
  assert.notEqual(echoed[0].id, echoed[1].id);
  assert.deepEqual(await raw.next(), [jr, null, topic, 'system', {
    extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: sub,
  }]);
});

test('a presence-enabled join gets presence_state {} after its reply', async () => {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('pstate')}`;
  const { jr, reply } = await raw.join(topic, { config: { presence: { key: 'k', enabled: true } } });
  assert.equal(reply[4].status, 'ok');
  assert.deepEqual(await raw.next(), [jr, null, topic, 'presence_state', {}]);
});

test('join errors: empty topic name, expired and foreign access tokens', async () => {
  const u = await rtUser(server, 'joinerr');
  const raw = await RawSocket.open(server);
  const empty = await raw.join('realtime:');
  assert.deepEqual(empty.reply, [empty.jr, empty.jr, 'realtime:', 'phx_reply',
    { status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } }]);
  const topic = `realtime:${uniqueTopic('tok')}`;
  const expired = await raw.join(topic, { accessToken: userToken(u.id, -30) });
  assert.deepEqual(expired.reply.slice(0, 4), [expired.jr, expired.jr, topic, 'phx_reply']);
  assert.equal(expired.reply[4].status, 'error');
  assert.match(expired.reply[4].response.reason, /^InvalidJWTToken: Token has expired \d+ seconds ago$/);
  const foreign = await raw.join(topic, {
    accessToken: sign({ sub: u.id, role: 'authenticated', exp: farFuture() }, 'z'.repeat(40)),
  });
  assert.deepEqual(foreign.reply[4],
    { status: 'error', response: { reason: 'JwtSignatureError: Failed to validate JWT signature' } });
  const valid = await raw.join(topic, { accessToken: u.token });
  assert.equal(valid.reply[4].status, 'ok', JSON.stringify(valid.reply));
});

test('the 101st channel of a socket is refused with ChannelRateLimitReached', async () => {
  const raw = await RawSocket.open(server);
  const base = uniqueTopic('many');
  // Joins are paced (5 every 100 ms) to stay well under a per-second join limit.
  for (let batch = 0; batch < 20; batch += 1) {
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      const { reply } = await raw.join(`realtime:${base}-${batch * 5 + i}`);
      assert.equal(reply[4].status, 'ok', JSON.stringify(reply));
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
  }
  const topic = `realtime:${base}-100`;
  const { jr, reply } = await raw.join(topic);
  assert.deepEqual(reply, [jr, jr, topic, 'phx_reply',
    { status: 'error', response: { reason: 'ChannelRateLimitReached: Too many channels' } }]);
});

// A second socket that broadcasts with ack, so its reply means the message was relayed.
async function ackedSender(sub) {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${sub}`;
  const { jr } = await raw.join(topic, { config: { broadcast: { ack: true, self: false } } });
  return async (event, payload) => {
    const ref = raw.ref();
    raw.send([jr, ref, topic, 'broadcast', { type: 'broadcast', event, payload }]);
    const ack = await raw.find((f) => Array.isArray(f) && f[1] === ref);
    assert.deepEqual(ack, [jr, ref, topic, 'phx_reply', { status: 'ok', response: {} }]);
  };
}

test('a second join of a joined topic is ok and leaves one channel', async () => {
  const raw = await RawSocket.open(server);
  const sub = uniqueTopic('dup');
  const topic = `realtime:${sub}`;
  const first = await raw.join(topic);
  assert.equal(first.reply[4].status, 'ok');
  const second = await raw.join(topic);
  assert.notEqual(second.jr, first.jr);
  assert.deepEqual(second.reply,
    [second.jr, second.jr, topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
  const send = await ackedSender(sub);
  await send('once', { n: 1 });
  const frames = await raw.drain();
  const deliveries = frames.filter((f) => !(Array.isArray(f) && f[3] === 'phx_close'));
  assert.equal(deliveries.length, 1, JSON.stringify(frames));
});

test('a message for a topic not joined gets unmatched topic', async () => {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('nowhere')}`;
  raw.send([null, '55', topic, 'broadcast', { type: 'broadcast', event: 'x', payload: {} }]);
  assert.deepEqual(await raw.next(),
    [null, '55', topic, 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
  raw.send(['56', '56', 'room:other', 'phx_join', { config: {} }]);
  const reply = await raw.next();
  assert.deepEqual(reply.slice(1), ['56', 'room:other', 'phx_reply',
    { status: 'error', response: { reason: 'unmatched topic' } }]);
});

test('phx_leave is answered ok, then phx_close, then nothing for that topic', async () => {
  const raw = await RawSocket.open(server);
  const sub = uniqueTopic('leave');
  const topic = `realtime:${sub}`;
  const { jr } = await raw.join(topic);
  const ref = raw.ref();
  raw.send([jr, ref, topic, 'phx_leave', {}]);
  assert.deepEqual(await raw.next(), [jr, ref, topic, 'phx_reply', { status: 'ok', response: {} }]);
  assert.deepEqual(await raw.next(), [jr, jr, topic, 'phx_close', {}]);
  const send = await ackedSender(sub);
  await send('after', { n: 1 });
  assert.deepEqual(await raw.drain(), []);
  const never = `realtime:${uniqueTopic('never')}`;
  raw.send([null, '77', never, 'phx_leave', {}]);
  const leaveReply = await raw.next();
  assert.deepEqual(leaveReply.slice(1), ['77', never, 'phx_reply', { status: 'ok', response: {} }]);
});

// ---------------------------------------------------------------------------------------------
// postgres_changes: exact frames

test('INSERT, UPDATE and DELETE frames: ids, columns, record = REST row, old_record = key', async () => {
  const u = await rtUser(server, 'frames');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('frames')}`;
  const { reply } = await raw.join(topic, { config: { postgres_changes: [attempts('*')] }, accessToken: u.token });
  const [{ id: bindId }] = reply[4].response.postgres_changes;

  const row = await insertRow(u.client, 'practice_attempts', {
    user_id: u.id, answer: 'Use a hash map', score: 87.5, time_taken_seconds: 95,
    strengths: ['clear', 'é'], improvements: [], is_correct: true, difficulty: 'medium',
  });
  const insert = await raw.find(isChange);
  assert.deepEqual(insert.slice(0, 4), [null, null, topic, 'postgres_changes']);
  assert.deepEqual(insert[4].ids, [bindId]);
  const data = insert[4].data;
  assert.equal(data.type, 'INSERT');
  assert.equal(data.schema, 'public');
  assert.equal(data.table, 'practice_attempts');
  assert.match(data.commit_timestamp, COMMIT_TS);
  assert.equal(data.errors, null);
  assert.deepEqual(data.columns, ATTEMPT_COLUMNS);
  assert.deepEqual(data.record, row);
  assert.equal('old_record' in data, false);

  const { data: updated, error } = await u.client.from('practice_attempts')
    .update({ score: 91.25, feedback: 'better' }).eq('id', row.id).select().single();
  assert.equal(error, null);
  const update = await raw.find(isChange);
  assert.deepEqual(update[4].ids, [bindId]);
  assert.equal(update[4].data.type, 'UPDATE');
  assert.deepEqual(update[4].data.record, updated);
  assert.deepEqual(update[4].data.old_record, { id: row.id });
  assert.match(update[4].data.commit_timestamp, COMMIT_TS);

  const removed = await u.client.from('practice_attempts').delete().eq('id', row.id);
  assert.equal(removed.error, null);
  const del = await raw.find(isChange);
  assert.deepEqual(del.slice(0, 4), [null, null, topic, 'postgres_changes']);
  assert.equal(del[4].data.type, 'DELETE');
  assert.equal('record' in del[4].data, false);
  assert.deepEqual(del[4].data.old_record, { id: row.id });
  assert.deepEqual(del[4].data.columns, ATTEMPT_COLUMNS);
  assert.deepEqual(await raw.drain(), [], 'one frame per change');
});

test('an interview session record matches REST: jsonb, arrays, varchar, timestamps, nulls', async () => {
  const u = await rtUser(server, 'session');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('session')}`;
  const binding = { event: 'INSERT', schema: 'public', table: 'interview_sessions' };
  await raw.join(topic, { config: { postgres_changes: [binding] }, accessToken: u.token });
  const row = await insertRow(u.client, 'interview_sessions', {
    user_id: u.id, title: 'Système design', metadata: { nested: { a: [1, 2.5, null, true] }, s: 'é' },
    questions: ['q1', { q: 2 }], started_at: '2024-05-01T12:00:00.123456Z', duration_minutes: 30,
    overall_score: 77.7,
  });
  const frame = await raw.find(isChange);
  assert.deepEqual(frame[4].data.record, row);
  const types = Object.fromEntries(frame[4].data.columns.map((c) => [c.name, c.type]));
  assert.deepEqual(Object.keys(types), Object.keys(row));
  assert.deepEqual([types.title, types.metadata, types.started_at, types.overall_score, types.duration_minutes],
    ['varchar', 'jsonb', 'timestamptz', 'numeric', 'int4']);
});

test('bindings deliver only their event; two bindings share one frame', async () => {
  const u = await rtUser(server, 'events');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('events')}`;
  const { reply } = await raw.join(topic, {
    config: { postgres_changes: [attempts('INSERT'), attempts('*'), attempts('DELETE')] }, accessToken: u.token,
  });
  const [ins, star, del] = reply[4].response.postgres_changes.map((b) => b.id);
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'a' });
  await u.client.from('practice_attempts').update({ answer: 'b' }).eq('id', row.id);
  await u.client.from('practice_attempts').delete().eq('id', row.id);
  const seen = [];
  for (let i = 0; i < 3; i += 1) {
    const f = await raw.find(isChange);
    seen.push([f[4].data.type, [...f[4].ids].sort()]);
  }
  assert.deepEqual(seen, [
    ['INSERT', [ins, star].sort()], ['UPDATE', [star]], ['DELETE', [star, del].sort()],
  ]);
});

test('access_token frames get no reply and switch the principal whose rows are delivered', async () => {
  const u1 = await rtUser(server, 'switch1');
  const u2 = await rtUser(server, 'switch2');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('switch')}`;
  const { jr } = await raw.join(topic, { config: { postgres_changes: [attempts('INSERT')] }, accessToken: u1.token });
  const ref = raw.ref();
  raw.send([jr, ref, topic, 'access_token', { access_token: userToken(u1.id, 600) }]);
  const replies = (await raw.drain()).filter((f) => f[1] === ref);
  assert.deepEqual(replies, [], 'no reply to access_token');
  const a = await insertRow(u1.client, 'practice_attempts', { user_id: u1.id, answer: 'u1 first' });
  assert.equal((await raw.find(isChange))[4].data.record.id, a.id);

  raw.send([jr, raw.ref(), topic, 'access_token', { access_token: userToken(u2.id, 600) }]);
  await raw.drain();
  await insertRow(u1.client, 'practice_attempts', { user_id: u1.id, answer: 'u1 hidden' });
  const b = await insertRow(u2.client, 'practice_attempts', { user_id: u2.id, answer: 'u2 visible' });
  const next = await raw.find(isChange);
  assert.equal(next[4].data.record.id, b.id, 'the first change after the switch is U2\'s');
});

test('an expired access_token gets system error then phx_close', async () => {
  const u = await rtUser(server, 'expire');
  const raw = await RawSocket.open(server);
  const sub = uniqueTopic('expire');
  const topic = `realtime:${sub}`;
  const { jr } = await raw.join(topic, { config: { postgres_changes: [attempts('*')] }, accessToken: u.token });
  raw.send([jr, raw.ref(), topic, 'access_token', { access_token: userToken(u.id, -5) }]);
  const system = await raw.find((f) => Array.isArray(f) && f[3] === 'system' && f[4].extension === 'system');
  assert.deepEqual(system.slice(0, 4), [jr, null, topic, 'system']);
  assert.equal(system[4].status, 'error');
  assert.equal(system[4].channel, sub);
  assert.match(system[4].message, /^Token has expired \d+ seconds ago$/);
  assert.deepEqual(await raw.next(), [jr, jr, topic, 'phx_close', {}]);
});

// ---------------------------------------------------------------------------------------------
// postgres_changes through supabase-js

test('the app gets INSERT, UPDATE and DELETE payloads as supabase-js shapes them', async () => {
  const u = await rtUser(server, 'app');
  const inbox = new Inbox('app changes');
  const ch = u.client.channel(uniqueTopic('app')).on('postgres_changes', attempts('*'), inbox.push);
  await subscribed(ch);
  const row = await insertRow(u.client, 'practice_attempts', {
    user_id: u.id, score: 44.5, strengths: ['a'], is_correct: false, difficulty: 'hard',
  });
  const ins = await inbox.next();
  assert.equal(ins.eventType, 'INSERT');
  assert.deepEqual(ins.new, row);
  assert.deepEqual(ins.old, {});
  assert.equal(ins.errors, null);
  assert.match(ins.commit_timestamp, COMMIT_TS);
  const { data: updated } = await u.client.from('practice_attempts')
    .update({ is_correct: true }).eq('id', row.id).select().single();
  const upd = await inbox.next();
  assert.equal(upd.eventType, 'UPDATE');
  assert.deepEqual(upd.new, updated);
  assert.deepEqual(upd.old, { id: row.id });
  await u.client.from('practice_attempts').delete().eq('id', row.id);
  const del = await inbox.next();
  assert.equal(del.eventType, 'DELETE');
  assert.deepEqual(del.new, {});
  assert.deepEqual(del.old, { id: row.id });
});

test('two users: neither receives the other\'s rows; both see the leaderboard', async () => {
  const u1 = await rtUser(server, 'pair1');
  const u2 = await rtUser(server, 'pair2');
  const in1 = new Inbox('U1');
  const in2 = new Inbox('U2');
  const topic = uniqueTopic('pair');
  await subscribed(u1.client.channel(topic).on('postgres_changes', attempts('*'), in1.push));
  await subscribed(u2.client.channel(topic)
    .on('postgres_changes', attempts('*'), in2.push)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'leaderboard' }, in2.push));
  const row = await insertRow(u1.client, 'practice_attempts', { user_id: u1.id, answer: 'mine' });
  await u1.client.from('practice_attempts').update({ answer: 'still mine' }).eq('id', row.id);
  await u1.client.from('practice_attempts').delete().eq('id', row.id);
  assert.deepEqual([(await in1.next()).eventType, (await in1.next()).eventType, (await in1.next()).eventType],
    ['INSERT', 'UPDATE', 'DELETE']);
  await insertRow(u1.client, 'interview_sessions', completedSession(u1.id, 70));
  const first = await in2.next();
  assert.equal(first.table, 'leaderboard', `U2 got a private change first: ${JSON.stringify(first)}`);
  assert.equal(first.new.user_id, u1.id);
  const own2 = await insertRow(u2.client, 'practice_attempts', { user_id: u2.id, answer: 'theirs' });
  const firstPrivate = await in2.find((e) => e.table === 'practice_attempts');
  assert.equal(firstPrivate.new.id, own2.id, `U2 got U1's row: ${JSON.stringify(firstPrivate)}`);
  const own1 = await insertRow(u1.client, 'practice_attempts', { user_id: u1.id, answer: 'again' });
  assert.equal((await in1.next()).new.id, own1.id, 'U1 got U2\'s row');
});

test('anon receives leaderboard changes and no practice_attempts', async () => {
  const u = await rtUser(server, 'anonview');
  const anon = rtClient(server);
  const inbox = new Inbox('anon');
  await subscribed(anon.channel(uniqueTopic('anon'))
    .on('postgres_changes', attempts('*'), inbox.push)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'leaderboard' }, inbox.push));
  await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'private' });
  await insertRow(u.client, 'interview_sessions', completedSession(u.id, 60));
  const first = await inbox.next();
  assert.equal(first.table, 'leaderboard', JSON.stringify(first));
  assert.equal(first.eventType, 'INSERT');
  assert.equal(first.new.user_id, u.id);
  assert.equal(first.new.total_score, 60);
});

test('the service key receives every table, hook writes included', async () => {
  const u = await rtUser(server, 'service');
  const service = rtClient(server, server.serviceKey);
  const inbox = new Inbox('service');
  await subscribed(service.channel(uniqueTopic('service'))
    .on('postgres_changes', { event: '*', schema: 'public' }, inbox.push));
  const attempt = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const session = await insertRow(u.client, 'interview_sessions', completedSession(u.id, 95));
  const want = new Set(['practice_attempts', 'interview_sessions', 'profiles', 'streaks',
    'achievements', 'leaderboard']);
  const got = new Map();
  while ([...want].some((t) => !got.has(t))) {
    const e = await inbox.next();
    if (e.new?.user_id === u.id || e.new?.id === u.id) got.set(e.table, e);
  }
  assert.equal(got.get('practice_attempts').new.id, attempt.id);
  assert.equal(got.get('interview_sessions').new.id, session.id);
  assert.equal(got.get('leaderboard').new.total_score, 95);
  assert.equal(got.get('streaks').new.current_streak, 1);
  assert.equal(got.get('profiles').eventType, 'UPDATE');
});

test('filters compare typed values; NULL matches no eq', async () => {
  const u = await rtUser(server, 'filters');
  const topic = uniqueTopic('filters');
  const names = ['user', 'score', 'difficulty', 'correct', 'other'];
  const filters = [`user_id=eq.${u.id}`, 'score=gt.50', 'difficulty=in.(easy,medium)',
    'is_correct=eq.true', 'user_id=eq.00000000-0000-4000-8000-000000000000'];
  const got = Object.fromEntries(names.map((n) => [n, []]));
  const ch = u.client.channel(topic);
  for (const [i, name] of names.entries()) {
    ch.on('postgres_changes', attempts('INSERT', filters[i]), (p) => got[name].push(p.new.answer));
  }
  const last = new Inbox('last row');
  ch.on('postgres_changes', attempts('INSERT'), (p) => { if (p.new.answer === 'r4') last.push(p); });
  await subscribed(ch);
  const rows = [
    { answer: 'r1', score: 40, difficulty: 'hard', is_correct: false },
    { answer: 'r2', score: 9, difficulty: 'medium', is_correct: null },
    { answer: 'r3', score: 100, difficulty: 'easy', is_correct: true },
    { answer: 'r4', score: null, difficulty: null },
  ];
  for (const r of rows) await insertRow(u.client, 'practice_attempts', { user_id: u.id, ...r });
  await last.next();
  assert.deepEqual(got, {
    user: ['r1', 'r2', 'r3', 'r4'], score: ['r3'], difficulty: ['r2', 'r3'], correct: ['r3'], other: [],
  });
});

test('builder filters: comma AND, not., is.null, ilike, quoted in values', async () => {
  const u = await rtUser(server, 'builder');
  const f = postgresChangesFilter;
  const bindings = {
    and: f().gt('score', 10).lt('score', 50),
    not: f().not('difficulty', 'eq', 'hard'),
    isnull: f().is('feedback', null),
    ilike: f().ilike('answer', '%HASH%'),
    quoted: f().in('answer', ['a,b', 'c']),
  };
  const got = Object.fromEntries(Object.keys(bindings).map((n) => [n, []]));
  const ch = u.client.channel(uniqueTopic('builder'));
  for (const [name, filter] of Object.entries(bindings)) {
    ch.on('postgres_changes', { ...attempts('INSERT'), filter }, (p) => got[name].push(p.new.answer));
  }
  const last = new Inbox('last row');
  ch.on('postgres_changes', attempts('INSERT'), (p) => { if (p.new.answer === 'end') last.push(p); });
  await subscribed(ch);
  const rows = [
    { answer: 'use a hash', score: 20, difficulty: 'hard' },
    { answer: 'a,b', score: 60, difficulty: 'easy', feedback: 'x' },
    { answer: 'c', score: 30 },
    { answer: 'end', feedback: 'f' },
  ];
  for (const r of rows) await insertRow(u.client, 'practice_attempts', { user_id: u.id, ...r });
  await last.next();
  assert.deepEqual(got, {
    and: ['use a hash', 'c'], not: ['a,b'], isnull: ['use a hash', 'c'], ilike: ['use a hash'],
    quoted: ['a,b', 'c'],
  });
});

test('a binding filtered on user_id gets no DELETE; an unfiltered one does', async () => {
  const u = await rtUser(server, 'delfilter');
  const filtered = [];
  const deletes = new Inbox('unfiltered deletes');
  await subscribed(u.client.channel(uniqueTopic('delfilter'))
    .on('postgres_changes', attempts('*', `user_id=eq.${u.id}`), (p) => filtered.push(p.eventType))
    .on('postgres_changes', attempts('DELETE'), deletes.push));
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  await u.client.from('practice_attempts').delete().eq('id', row.id);
  assert.deepEqual((await deletes.next()).old, { id: row.id });
  assert.deepEqual(filtered, ['INSERT']);
});

test('an unknown table or bad filter gets a system error; the good binding still delivers', async () => {
  const u = await rtUser(server, 'badbinding');
  const system = new Inbox('system');
  const bad = [];
  const good = new Inbox('good');
  const ch = u.client.channel(uniqueTopic('badbinding'))
    .on('postgres_changes', { event: '*', schema: 'public', table: 'no_such_table' }, (p) => bad.push(p))
    .on('postgres_changes', attempts('INSERT', 'score=foo.1'), (p) => bad.push(p))
    .on('postgres_changes', attempts('INSERT'), good.push)
    .on('system', {}, system.push);
  await subscribed(ch);
  const err = await system.find((s) => s.status === 'error');
  assert.equal(typeof err.message, 'string');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id, score: 1 });
  assert.equal((await good.next()).new.id, row.id);
  assert.deepEqual(bad, []);
});

test('a failed write is not delivered; the next one is', async () => {
  const u = await rtUser(server, 'rollback');
  const inbox = new Inbox('changes');
  await subscribed(u.client.channel(uniqueTopic('rollback')).on('postgres_changes', attempts('INSERT'), inbox.push));
  const failed = await u.client.from('practice_attempts').insert([
    { user_id: u.id, answer: 'rolled back' }, { user_id: u.id, answer: 'bad', time_taken_seconds: 'many' },
  ]);
  assert.equal(failed.error.code, '22P02');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'committed' });
  assert.equal((await inbox.next()).new.id, row.id);
});

test('two channels of one socket on the same table each get the change', async () => {
  const u = await rtUser(server, 'twochan');
  const a = new Inbox('A');
  const b = new Inbox('B');
  await subscribed(u.client.channel(uniqueTopic('chanA')).on('postgres_changes', attempts('INSERT'), a.push));
  await subscribed(u.client.channel(uniqueTopic('chanB')).on('postgres_changes', attempts('*'), b.push));
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.equal((await a.next()).new.id, row.id);
  assert.equal((await b.next()).new.id, row.id);
});

test('an admin deleting a user cascades DELETEs to the service subscriber, none to others', async () => {
  const gone = await rtUser(server, 'cascade');
  const other = await rtUser(server, 'bystander');
  const attempt = await insertRow(gone.client, 'practice_attempts', { user_id: gone.id });
  const session = await insertRow(gone.client, 'interview_sessions', { user_id: gone.id, title: 'T' });
  const response = await insertRow(gone.client, 'interview_responses',
    { interview_id: session.id, role: 'user', content: 'hello' });
  const service = rtClient(server, server.serviceKey);
  const all = { event: '*', schema: 'public' };
  const svc = new Inbox('service');
  const byst = new Inbox('bystander');
  await subscribed(service.channel(uniqueTopic('cascade')).on('postgres_changes', all, svc.push));
  await subscribed(other.client.channel(uniqueTopic('cascade-other')).on('postgres_changes', all, byst.push));
  const { error } = await server.service().auth.admin.deleteUser(gone.id);
  assert.equal(error, null);
  const want = new Map([['practice_attempts', attempt.id], ['interview_sessions', session.id],
    ['interview_responses', response.id], ['profiles', gone.id]]);
  while (want.size > 0) {
    const e = await svc.next();
    if (e.eventType === 'DELETE' && want.get(e.table) === e.old.id) want.delete(e.table);
  }
  const own = await insertRow(other.client, 'practice_attempts', { user_id: other.id });
  const first = await byst.next();
  assert.deepEqual([first.eventType, first.new.id], ['INSERT', own.id], JSON.stringify(first));
});

test('after the socket drops, the client reconnects, rejoins and changes arrive again', async () => {
  const u = await rtUser(server, 'reconnect', { realtime: { reconnectAfterMs: () => 100 } });
  const inbox = new Inbox('changes');
  const ch = u.client.channel(uniqueTopic('reconnect')).on('postgres_changes', attempts('INSERT'), inbox.push);
  await subscribed(ch);
  u.client.realtime.socketAdapter.getSocket().conn.close(4000, 'test drop');
  await ch.statuses.find((s) => s.status === 'CHANNEL_ERROR');
  await ch.statuses.find((s) => s.status === 'SUBSCRIBED', 5000);
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.equal((await inbox.next()).new.id, row.id);
});

// ---------------------------------------------------------------------------------------------
// Auth while subscribed

test('refreshSession pushes access_token and changes keep arriving', async () => {
  const pushes = [];
  const u = await rtUser(server, 'refresh', {
    realtime: { logger: (kind, msg) => { if (kind === 'push') pushes.push(msg); } },
  });
  const inbox = new Inbox('changes');
  const sub = uniqueTopic('refresh');
  await subscribed(u.client.channel(sub).on('postgres_changes', attempts('INSERT'), inbox.push));
  // A token issued in the same second as the first could be identical; wait for the next one.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
  const { data, error } = await u.client.auth.refreshSession();
  assert.equal(error, null);
  assert.notEqual(data.session.access_token, u.token);
  await until(() => pushes.some((m) => m.startsWith(`realtime:${sub} access_token`)), 3000, 'access_token push');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.equal((await inbox.next()).new.id, row.id);
});

test('signOut: private changes stop, leaderboard changes continue', async () => {
  const u = await rtUser(server, 'signout');
  const inbox = new Inbox('changes');
  const ch = u.client.channel(uniqueTopic('signout'), { config: { broadcast: { ack: true } } })
    .on('postgres_changes', attempts('*'), inbox.push)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'leaderboard' }, inbox.push);
  await subscribed(ch);
  await u.client.auth.signOut();
  await until(() => u.client.realtime.accessTokenValue === server.anonKey, 3000, 'anon key set');
  // The acked broadcast follows the access_token frame on the socket: once it is answered, the
  // server has switched the channel to anon.
  assert.equal(await ch.send({ type: 'broadcast', event: 'sync', payload: {} }, { timeout: 3000 }), 'ok');
  const admin = server.service();
  await insertRow(admin, 'practice_attempts', { user_id: u.id, answer: 'after sign-out' });
  await insertRow(admin, 'interview_sessions', completedSession(u.id, 50));
  const first = await inbox.next();
  assert.equal(first.table, 'leaderboard', JSON.stringify(first));
});

test('setAuth with an expired token: system error, CLOSED, no rejoin', async () => {
  const u = await rtUser(server, 'setauth');
  const system = new Inbox('system');
  const ch = u.client.channel(uniqueTopic('setauth'))
    .on('postgres_changes', attempts('*'), () => {})
    .on('system', {}, system.push);
  await subscribed(ch);
  await u.client.realtime.setAuth(userToken(u.id, -5));
  const err = await system.find((s) => s.status === 'error');
  assert.equal(err.extension, 'system');
  assert.match(err.message, /^Token has expired \d+ seconds ago$/);
  await ch.statuses.find((s) => s.status === 'CLOSED');
  assert.equal(u.client.getChannels().includes(ch), false);
});

test('a channel whose token reaches exp is closed at expiry', async () => {
  const { id } = await rtUser(server, 'shortlived');
  const token = userToken(id, 3);
  const client = rtClient(server, server.anonKey, { accessToken: async () => token });
  await client.realtime.setAuth();
  const system = new Inbox('system');
  const ch = client.channel(uniqueTopic('shortlived'))
    .on('postgres_changes', attempts('*'), () => {})
    .on('system', {}, system.push);
  await subscribed(ch);
  const err = await system.find((s) => s.status === 'error', 6000);
  assert.match(err.message, /^Token has expired \d+ seconds ago$/);
  await ch.statuses.find((s) => s.status === 'CLOSED', 2000);
});

// ---------------------------------------------------------------------------------------------
// Broadcast

test('broadcast reaches another socket, not the sender (self false)', async () => {
  const topic = uniqueTopic('bcast');
  const a = rtClient(server);
  const b = rtClient(server);
  const inA = new Inbox('A');
  const inB = new Inbox('B');
  const chA = a.channel(topic).on('broadcast', { event: '*' }, inA.push);
  const chB = b.channel(topic).on('broadcast', { event: 'ping' }, inB.push).on('broadcast', { event: 'ping2' }, inB.push);
  await subscribed(chA);
  await subscribed(chB);
  assert.equal(await chA.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } }), 'ok');
  assert.deepEqual(await inB.next(), { type: 'broadcast', event: 'ping', payload: { n: 1 } });
  assert.equal(await chB.send({ type: 'broadcast', event: 'pong', payload: { n: 2 } }), 'ok');
  assert.deepEqual(await inA.next(), { type: 'broadcast', event: 'pong', payload: { n: 2 } },
    'the sender got its own ping');
});

test('broadcast self:true echoes to the sender; ack:true resolves ok after the reply', async () => {
  const client = rtClient(server);
  const inbox = new Inbox('self');
  const ch = client.channel(uniqueTopic('self'), { config: { broadcast: { self: true, ack: true } } })
    .on('broadcast', { event: 'echo' }, inbox.push);
  await subscribed(ch);
  assert.equal(await ch.send({ type: 'broadcast', event: 'echo', payload: { s: 'é' } }, { timeout: 3000 }), 'ok');
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'echo', payload: { s: 'é' } });
});

test('1.0.0 and 2.0.0 clients broadcast to each other', async () => {
  const topic = uniqueTopic('mixed');
  const v1 = rtClient(server, server.anonKey, { realtime: { vsn: '1.0.0' } });
  const v2 = rtClient(server);
  const in1 = new Inbox('1.0.0');
  const in2 = new Inbox('2.0.0');
  const ch1 = v1.channel(topic).on('broadcast', { event: '*' }, in1.push);
  const ch2 = v2.channel(topic).on('broadcast', { event: '*' }, in2.push);
  await subscribed(ch1);
  await subscribed(ch2);
  await ch1.send({ type: 'broadcast', event: 'from1', payload: { v: 1 } });
  assert.deepEqual(await in2.next(), { type: 'broadcast', event: 'from1', payload: { v: 1 } });
  await ch2.send({ type: 'broadcast', event: 'from2', payload: { v: 2 } });
  assert.deepEqual(await in1.next(), { type: 'broadcast', event: 'from2', payload: { v: 2 } });
});

test('non-ASCII payloads round-trip exactly (kind 3 in, kind 4 or text out)', async () => {
  const sub = uniqueTopic('utf8');
  const payload = { n: 1, s: 'é', t: '日本語 😀 "q" \\' };
  const raw = await RawSocket.open(server);
  await raw.join(`realtime:${sub}`);
  const receiver = rtClient(server);
  const inbox = new Inbox('receiver');
  await subscribed(receiver.channel(sub).on('broadcast', { event: 'utf' }, inbox.push));
  const sender = rtClient(server);
  const ch = sender.channel(sub);
  await subscribed(ch);
  await ch.send({ type: 'broadcast', event: 'utf', payload });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'utf', payload });
  const frame = await raw.find((f) => f.binary || (Array.isArray(f) && f[3] === 'broadcast'));
  if (frame.binary) {
    const k = decodeKind4(frame.binary);
    assert.deepEqual([k.topic, k.event, k.enc], [`realtime:${sub}`, 'utf', 1]);
    assert.deepEqual(JSON.parse(k.payload.toString('utf8')), payload);
  } else {
    assert.deepEqual(frame, [null, null, `realtime:${sub}`, 'broadcast', { type: 'broadcast', event: 'utf', payload }]);
  }
});

test('httpSend posts to the REST endpoint (202) and subscribers receive it', async () => {
  const sub = uniqueTopic('http');
  const receiver = rtClient(server);
  const inbox = new Inbox('receiver');
  await subscribed(receiver.channel(sub).on('broadcast', { event: 'ping' }, inbox.push));
  const sender = rtClient(server);
  assert.deepEqual(await sender.channel(sub).httpSend('ping', { x: 1 }), { success: true });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'ping', payload: { x: 1 } });
});

test('send() before subscribe falls back to REST and resolves ok', async () => {
  const sub = uniqueTopic('fallback');
  const receiver = rtClient(server);
  const inbox = new Inbox('receiver');
  await subscribed(receiver.channel(sub).on('broadcast', { event: 'e2' }, inbox.push));
  const sender = rtClient(server);
  assert.equal(await sender.channel(sub).send({ type: 'broadcast', event: 'e2', payload: { x: 1 } }), 'ok');
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'e2', payload: { x: 1 } });
  assert.equal(sender.realtime.isConnected(), false);
});

test('REST broadcast with an invalid bearer and apikey is 401 Unauthorized', async () => {
  const body = JSON.stringify({ messages: [{ topic: 'rest401', event: 'e', payload: {}, private: false }] });
  const post = (path, key) => fetch(`${server.url}/realtime/v1/api/broadcast${path}`, {
    method: 'POST', body, headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  const bad = sign({ role: 'anon', exp: farFuture() }, 'w'.repeat(40));
  for (const path of ['', '/rest401/events/e']) {
    const refused = await post(path, bad);
    assert.equal(refused.status, 401, path);
    assert.deepEqual(await refused.json(), { message: 'Unauthorized' });
    const ok = await post(path, server.anonKey);
    assert.equal(ok.status, 202, path);
    assert.equal(await ok.text(), '');
  }
});

// ---------------------------------------------------------------------------------------------
// Presence

function presenceChannel(client, topic, key, inbox) {
  const config = key === undefined ? {} : { config: { presence: { key } } };
  return client.channel(topic, config).on('presence', { event: 'join' }, inbox.push)
    .on('presence', { event: 'leave' }, inbox.push);
}
const metas = (list) => list.map(({ presence_ref: ref, ...meta }) => {
  assert.equal(typeof ref, 'string');
  return meta;
});

test('track: the tracker and the others get a join with the meta', async () => {
  const topic = uniqueTopic('track');
  const inA = new Inbox('A');
  const inB = new Inbox('B');
  const chA = presenceChannel(rtClient(server), topic, 'alice', inA);
  const chB = presenceChannel(rtClient(server), topic, 'bob', inB);
  await subscribed(chA);
  await subscribed(chB);
  assert.equal(await chA.track({ online_at: '2024-01-01T00:00:00Z' }), 'ok');
  for (const inbox of [inA, inB]) {
    const join = await inbox.next();
    assert.equal(join.event, 'join');
    assert.equal(join.key, 'alice');
    assert.deepEqual(metas(join.newPresences), [{ online_at: '2024-01-01T00:00:00Z' }]);
  }
  assert.deepEqual(metas(chB.presenceState().alice), [{ online_at: '2024-01-01T00:00:00Z' }]);
});

test('presence key "" is replaced by a server-generated UUID', async () => {
  const inbox = new Inbox('self');
  const ch = presenceChannel(rtClient(server), uniqueTopic('uuid'), undefined, inbox);
  await subscribed(ch);
  assert.equal(await ch.track({ x: 1 }), 'ok');
  const join = await inbox.next();
  assert.match(join.key, UUID);
});

test('re-track: new meta joins, old leaves; an identical payload sends no diff', async () => {
  const topic = uniqueTopic('retrack');
  const inB = new Inbox('B');
  const chA = presenceChannel(rtClient(server), topic, 'alice', new Inbox('A'));
  const chB = presenceChannel(rtClient(server), topic, 'bob', inB);
  await subscribed(chA);
  await subscribed(chB);
  const step = async (payload) => assert.equal(await chA.track(payload), 'ok');
  await step({ status: 'a' });
  await step({ status: 'b' });
  await step({ status: 'b' });
  await step({ status: 'c' });
  const seen = [];
  for (let i = 0; i < 5; i += 1) {
    const e = await inB.next();
    seen.push([e.event, e.key, metas(e.event === 'join' ? e.newPresences : e.leftPresences)]);
  }
  assert.deepEqual(seen, [
    ['join', 'alice', [{ status: 'a' }]],
    ['join', 'alice', [{ status: 'b' }]], ['leave', 'alice', [{ status: 'a' }]],
    ['join', 'alice', [{ status: 'c' }]], ['leave', 'alice', [{ status: 'b' }]],
  ]);
  assert.deepEqual(metas(chB.presenceState().alice), [{ status: 'c' }]);
});

test('untrack, leaving the channel and closing the socket each send leaves', async () => {
  const topic = uniqueTopic('leaves');
  const inB = new Inbox('B');
  const chB = presenceChannel(rtClient(server), topic, 'bob', inB);
  await subscribed(chB);
  const clients = ['untrack', 'leave', 'close'].map(() => rtClient(server));
  const chans = ['untrack', 'leave', 'close'].map((k, i) => presenceChannel(clients[i], topic, k, new Inbox(k)));
  for (const ch of chans) {
    await subscribed(ch);
    assert.equal(await ch.track({ who: ch.params.config.presence.key }), 'ok');
    assert.equal((await inB.next()).event, 'join');
  }
  const expectLeave = async (key) => {
    const e = await inB.next();
    assert.deepEqual([e.event, e.key, metas(e.leftPresences)], ['leave', key, [{ who: key }]]);
    assert.equal(chB.presenceState()[key], undefined);
  };
  assert.equal(await chans[0].untrack(), 'ok');
  await expectLeave('untrack');
  assert.equal(await clients[1].removeChannel(chans[1]), 'ok');
  await expectLeave('leave');
  await clients[2].realtime.disconnect();
  await expectLeave('close');
});

test('a late joiner\'s presence_state already lists earlier tracks', async () => {
  const topic = uniqueTopic('late');
  const chA = presenceChannel(rtClient(server), topic, 'alice', new Inbox('A'));
  await subscribed(chA);
  assert.equal(await chA.track({ here: true }), 'ok');
  const syncs = new Inbox('C sync');
  const chC = rtClient(server).channel(topic, { config: { presence: { key: 'carol' } } })
    .on('presence', { event: 'sync' }, syncs.push);
  await subscribed(chC);
  await syncs.next();
  assert.deepEqual(metas(chC.presenceState().alice), [{ here: true }]);
});

// ---------------------------------------------------------------------------------------------
// More of the contract: transactions, child tables, ownership changes, tokens, formats

test('one request\'s rows share a commit_timestamp and arrive in order; upsert is INSERT then UPDATE', async () => {
  const u = await rtUser(server, 'txn');
  const inbox = new Inbox('changes');
  await subscribed(u.client.channel(uniqueTopic('txn'))
    .on('postgres_changes', attempts('INSERT'), inbox.push)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'user_progress' }, inbox.push));
  const { data: rows, error } = await u.client.from('practice_attempts')
    .insert(['t1', 't2', 't3'].map((answer) => ({ user_id: u.id, answer }))).select();
  assert.equal(error, null);
  const got = [await inbox.next(), await inbox.next(), await inbox.next()];
  assert.deepEqual(got.map((e) => e.new.id), rows.map((r) => r.id));
  assert.equal(new Set(got.map((e) => e.commit_timestamp)).size, 1);
  const row = { user_id: u.id, category: 'algorithms', skill: 'graphs', xp: 10 };
  await u.client.from('user_progress').upsert(row, { onConflict: 'user_id,category,skill' });
  const { data: second } = await u.client.from('user_progress')
    .upsert({ ...row, xp: 25 }, { onConflict: 'user_id,category,skill' }).select().single();
  const ins = await inbox.next();
  const upd = await inbox.next();
  assert.deepEqual([ins.eventType, upd.eventType], ['INSERT', 'UPDATE']);
  assert.deepEqual(upd.new, second);
  assert.deepEqual(upd.old, { id: second.id });
});

test('transcript rows are guarded through their interview; a filter on interview_id follows one', async () => {
  const u1 = await rtUser(server, 'transcript1');
  const u2 = await rtUser(server, 'transcript2');
  const s1 = await insertRow(u1.client, 'interview_sessions', { user_id: u1.id, title: 'Live' });
  const s2 = await insertRow(u2.client, 'interview_sessions', { user_id: u2.id, title: 'Other' });
  const live = new Inbox('U1 transcript');
  const all2 = new Inbox('U2 children');
  const children = (table) => ({ event: '*', schema: 'public', table });
  await subscribed(u1.client.channel(uniqueTopic('transcript'))
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'interview_responses',
      filter: `interview_id=eq.${s1.id}` }, live.push));
  await subscribed(u2.client.channel(uniqueTopic('transcript-other'))
    .on('postgres_changes', children('interview_responses'), all2.push)
    .on('postgres_changes', children('voice_analytics'), all2.push));
  const r1 = await insertRow(u1.client, 'interview_responses',
    { interview_id: s1.id, role: 'assistant', content: 'Tell me about yourself', sequence_number: 1 });
  await insertRow(u1.client, 'voice_analytics', { interview_id: s1.id, clarity_score: 80 });
  const got = await live.next();
  assert.deepEqual(got.new, r1);
  const own = await insertRow(u2.client, 'voice_analytics', { interview_id: s2.id, pace_score: 50 });
  const first = await all2.next();
  assert.deepEqual([first.table, first.new.id], ['voice_analytics', own.id], JSON.stringify(first));
});

test('a row the service moves to another user reaches the new owner only', async () => {
  const u1 = await rtUser(server, 'move1');
  const u2 = await rtUser(server, 'move2');
  const admin = server.service();
  const in1 = new Inbox('U1');
  const in2 = new Inbox('U2');
  await subscribed(u1.client.channel(uniqueTopic('move1')).on('postgres_changes', attempts('*'), in1.push));
  await subscribed(u2.client.channel(uniqueTopic('move2')).on('postgres_changes', attempts('*'), in2.push));
  const row = await insertRow(admin, 'practice_attempts', { user_id: u1.id, answer: 'by service' });
  assert.deepEqual((await in1.next()).new, row, 'a service write reaches the owner');
  const { data: moved } = await admin.from('practice_attempts').update({ user_id: u2.id })
    .eq('id', row.id).select().single();
  const upd = await in2.next();
  assert.deepEqual([upd.eventType, upd.new], ['UPDATE', moved]);
  await admin.from('practice_attempts').delete().eq('id', row.id);
  const del = await in2.next();
  assert.deepEqual([del.eventType, del.old], ['DELETE', { id: row.id }]);
  const control = await insertRow(admin, 'practice_attempts', { user_id: u1.id, answer: 'control' });
  const next1 = await in1.next();
  assert.deepEqual([next1.eventType, next1.new.id], ['INSERT', control.id],
    `U1 saw the row after it moved: ${JSON.stringify(next1)}`);
});

test('a join whose access_token is the service key receives other users\' rows', async () => {
  const u = await rtUser(server, 'svctoken');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('svctoken')}`;
  const { reply } = await raw.join(topic, { config: { postgres_changes: [attempts('INSERT')] }, accessToken: server.serviceKey });
  assert.equal(reply[4].status, 'ok');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.deepEqual((await raw.find(isChange))[4].data.record, row);
});

test('tokens that are not JWTs or lack role/exp are refused at join and close a channel later', async () => {
  const u = await rtUser(server, 'badtokens');
  const raw = await RawSocket.open(server);
  const noExp = sign({ sub: u.id, role: 'authenticated' });
  const cases = [
    ['not-a-jwt', 'MalformedJWT: The token provided is not a valid JWT', 'The token provided is not a valid JWT'],
    [noExp, 'InvalidJWTToken: Fields `role` and `exp` are required in JWT', 'Fields `role` and `exp` are required in JWT'],
  ];
  for (const [token, joinReason, systemMessage] of cases) {
    const sub = uniqueTopic('badtok');
    const topic = `realtime:${sub}`;
    const refused = await raw.join(topic, { accessToken: token });
    assert.deepEqual(refused.reply[4], { status: 'error', response: { reason: joinReason } });
    const { jr, reply } = await raw.join(topic, { accessToken: u.token });
    assert.equal(reply[4].status, 'ok');
    raw.send([jr, raw.ref(), topic, 'access_token', { access_token: token }]);
    const system = await raw.find((f) => Array.isArray(f) && f[2] === topic && f[3] === 'system');
    assert.deepEqual(system, [jr, null, topic, 'system',
      { extension: 'system', status: 'error', message: systemMessage, channel: sub }]);
    assert.deepEqual(await raw.next(), [jr, jr, topic, 'phx_close', {}]);
  }
});

test('private channels: refused for anon, served for a signed-in user', async () => {
  const sub = uniqueTopic('private');
  const anon = rtClient(server);
  await assert.rejects(subscribed(anon.channel(sub, { config: { private: true } })),
    new RegExp(`CHANNEL_ERROR Unauthorized: You do not have permissions to read from this Channel topic: ${sub}`));
  const u = await rtUser(server, 'private');
  const inbox = new Inbox('private');
  const ch = u.client.channel(sub, { config: { private: true, broadcast: { self: true } } })
    .on('broadcast', { event: 'hi' }, inbox.push);
  await subscribed(ch);
  await ch.send({ type: 'broadcast', event: 'hi', payload: { a: 1 } });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'hi', payload: { a: 1 } });
});

test('binary broadcast payloads reach 2.0.0 sockets as bytes and skip 1.0.0 sockets', async () => {
  const sub = uniqueTopic('bytes');
  const v2 = new Inbox('2.0.0');
  const v1 = new Inbox('1.0.0');
  await subscribed(rtClient(server).channel(sub).on('broadcast', { event: '*' }, v2.push));
  await subscribed(rtClient(server, server.anonKey, { realtime: { vsn: '1.0.0' } })
    .channel(sub).on('broadcast', { event: '*' }, v1.push));
  const sender = rtClient(server).channel(sub);
  await subscribed(sender);
  const bytes = new Uint8Array([0, 1, 2, 250, 255, 0xc3, 0xa9]);
  await sender.send({ type: 'broadcast', event: 'bin', payload: bytes.buffer });
  const got = await v2.next();
  assert.equal(got.event, 'bin');
  assert.ok(got.payload instanceof ArrayBuffer, `payload ${JSON.stringify(got.payload)}`);
  assert.deepEqual(new Uint8Array(got.payload), bytes);
  assert.deepEqual(await sender.httpSend('restbin', new Uint8Array([9, 8, 7])), { success: true });
  const rest = await v2.next();
  assert.equal(rest.event, 'restbin');
  assert.deepEqual(new Uint8Array(rest.payload), new Uint8Array([9, 8, 7]));
  await sender.send({ type: 'broadcast', event: 'json', payload: { ok: true } });
  assert.deepEqual(await v1.next(), { type: 'broadcast', event: 'json', payload: { ok: true } },
    'the 1.0.0 socket got a binary payload first');
});

test('postgres_changes on a 1.0.0 socket are JSON objects', async () => {
  const u = await rtUser(server, 'v1changes');
  const raw = await RawSocket.open(server, { vsn: '1.0.0' });
  const topic = `realtime:${uniqueTopic('v1changes')}`;
  raw.send({
    topic, event: 'phx_join', ref: '5', join_ref: '5',
    payload: { config: { postgres_changes: [attempts('INSERT')] }, access_token: u.token },
  });
  const reply = await raw.next();
  assert.equal(reply.payload.status, 'ok', JSON.stringify(reply));
  const [{ id }] = reply.payload.response.postgres_changes;
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const frame = await raw.find((f) => f.event === 'postgres_changes');
  assert.deepEqual(Object.keys(frame).sort(), ['event', 'payload', 'ref', 'topic']);
  assert.deepEqual([frame.ref, frame.topic, frame.payload.ids], [null, topic, [id]]);
  assert.deepEqual(frame.payload.data.record, row);
});

test('a lower-case binding event and a timestamptz filter compare as Realtime does', async () => {
  const u = await rtUser(server, 'tsfilter');
  const inbox = new Inbox('changes');
  await subscribed(u.client.channel(uniqueTopic('tsfilter')).on('postgres_changes',
    attempts('insert', 'created_at=gt.2024-01-01T12:30:00+02:00'), inbox.push));
  await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'early', created_at: '2024-01-01T09:00:00Z' });
  const late = await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'late', created_at: '2024-01-01T12:00:00Z' });
  const got = await inbox.next();
  assert.deepEqual([got.eventType, got.new.id], ['INSERT', late.id]);
});

test('string booleans in the join config are accepted; ill-typed fields do not fail the join', async () => {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('strings')}`;
  const { jr, reply } = await raw.join(topic, {
    config: { broadcast: { self: 'true', ack: 'true' }, presence: 7, private: 'false', postgres_changes: [] },
  });
  assert.equal(reply[4].status, 'ok', JSON.stringify(reply));
  const ref = raw.ref();
  raw.send([jr, ref, topic, 'broadcast', { type: 'broadcast', event: 'me', payload: { n: 1 } }]);
  const frames = [await raw.next(), await raw.next()];
  const ack = frames.find((f) => f[1] === ref);
  const echo = frames.find((f) => f[3] === 'broadcast');
  assert.deepEqual(ack, [jr, ref, topic, 'phx_reply', { status: 'ok', response: {} }]);
  assert.deepEqual(echo, [null, null, topic, 'broadcast', { type: 'broadcast', event: 'me', payload: { n: 1 } }]);
});

test('the leaderboard record carries the rank REST reads', async () => {
  const u = await rtUser(server, 'rank');
  const anon = rtClient(server);
  const inbox = new Inbox('leaderboard');
  await subscribed(anon.channel(uniqueTopic('rank'))
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'leaderboard' }, inbox.push));
  await insertRow(u.client, 'interview_sessions', completedSession(u.id, 99));
  const got = await inbox.find((e) => e.new.user_id === u.id);
  const { data } = await anon.from('leaderboard').select('rank,total_score').eq('user_id', u.id).single();
  assert.equal(typeof got.new.rank, 'number');
  assert.deepEqual({ rank: got.new.rank, total_score: got.new.total_score }, data);
});

test('an oversize broadcast with ack resolves error and is not delivered', async () => {
  const sub = uniqueTopic('big');
  const inbox = new Inbox('receiver');
  await subscribed(rtClient(server).channel(sub).on('broadcast', { event: '*' }, inbox.push));
  const ch = rtClient(server).channel(sub, { config: { broadcast: { ack: true } } });
  await subscribed(ch);
  const big = await ch.send({ type: 'broadcast', event: 'big', payload: { s: 'x'.repeat(3_000_100) } }, { timeout: 5000 });
  assert.equal(big, 'error');
  assert.equal(await ch.send({ type: 'broadcast', event: 'small', payload: {} }, { timeout: 3000 }), 'ok');
  assert.equal((await inbox.next()).event, 'small');
});

test('REST broadcast: 415 for other content types, 422 for a malformed body', async () => {
  const post = (body, type) => fetch(`${server.url}/realtime/v1/api/broadcast`, {
    method: 'POST', body, headers: { apikey: server.anonKey, 'content-type': type },
  });
  assert.equal((await post('{"messages":[]}', 'text/plain')).status, 415);
  assert.equal((await post('{"messages":"nope"}', 'application/json')).status, 422);
  assert.equal((await post('{"messages":[{"topic":"t","event":"e","payload":{}}]}', 'application/json')).status, 202);
});

test('a channel removed and subscribed again delivers each change once', async () => {
  const u = await rtUser(server, 'resub');
  const name = uniqueTopic('resub');
  const first = u.client.channel(name).on('postgres_changes', attempts('INSERT'), () => {});
  await subscribed(first);
  assert.equal(await u.client.removeChannel(first), 'ok');
  const inbox = new Inbox('second');
  await subscribed(u.client.channel(name).on('postgres_changes', attempts('INSERT'), inbox.push));
  const a = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const b = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.deepEqual([(await inbox.next()).new.id, (await inbox.next()).new.id], [a.id, b.id]);
});

test('presence between 1.0.0 and 2.0.0 clients', async () => {
  const topic = uniqueTopic('pmixed');
  const in1 = new Inbox('1.0.0');
  const in2 = new Inbox('2.0.0');
  const ch1 = presenceChannel(rtClient(server, server.anonKey, { realtime: { vsn: '1.0.0' } }), topic, 'one', in1);
  const ch2 = presenceChannel(rtClient(server), topic, 'two', in2);
  await subscribed(ch1);
  await subscribed(ch2);
  assert.equal(await ch1.track({ v: 1 }), 'ok');
  assert.deepEqual([(await in2.next()).key, (await in1.next()).key], ['one', 'one']);
  assert.equal(await ch2.track({ v: 2 }), 'ok');
  const join = await in1.next();
  assert.deepEqual([join.key, metas(join.newPresences)], ['two', [{ v: 2 }]]);
});

// ---------------------------------------------------------------------------------------------
// Edges: timers, limits, names, ordering

test('a token refreshed before its exp keeps the channel open past the old exp', async () => {
  const u = await rtUser(server, 'rearm');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('rearm')}`;
  const shortToken = userToken(u.id, 3);
  const { jr } = await raw.join(topic, { config: { postgres_changes: [attempts('INSERT')] }, accessToken: shortToken });
  raw.send([jr, raw.ref(), topic, 'access_token', { access_token: userToken(u.id, 600) }]);
  const exp = JSON.parse(Buffer.from(shortToken.split('.')[1], 'base64url')).exp;
  await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 1200));
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const frames = [];
  const change = await raw.find((f) => { frames.push(f); return isChange(f); });
  assert.equal(change[4].data.record.id, row.id);
  assert.deepEqual(frames.filter((f) => f[3] === 'system' && f[4].status === 'error'), []);
});

test('a deleted user\'s own channel receives the DELETEs of its cascaded rows', async () => {
  const u = await rtUser(server, 'owncascade');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const inbox = new Inbox('own');
  await subscribed(u.client.channel(uniqueTopic('owncascade')).on('postgres_changes', attempts('DELETE'), inbox.push));
  const { error } = await server.service().auth.admin.deleteUser(u.id);
  assert.equal(error, null);
  assert.deepEqual((await inbox.next()).old, { id: row.id });
});

test('more than 100 messages a second on a socket: system error and phx_close', async () => {
  const raw = await RawSocket.open(server);
  const sub = uniqueTopic('flood');
  const topic = `realtime:${sub}`;
  const { jr } = await raw.join(topic);
  for (let i = 0; i < 150; i += 1) {
    raw.send([jr, raw.ref(), topic, 'broadcast', { type: 'broadcast', event: 'f', payload: { i } }]);
  }
  const system = await raw.find((f) => Array.isArray(f) && f[3] === 'system');
  assert.deepEqual(system, [jr, null, topic, 'system',
    { extension: 'system', status: 'error', message: 'Too many messages per second', channel: sub }]);
  assert.deepEqual(await raw.next(), [jr, jr, topic, 'phx_close', {}]);
});

test('a sixth track within 30 s closes the channel with the presence rate error', async () => {
  const system = new Inbox('system');
  const ch = rtClient(server).channel(uniqueTopic('prate'), { config: { presence: { key: 'k' } } })
    .on('presence', { event: 'sync' }, () => {})
    .on('system', {}, system.push);
  await subscribed(ch);
  for (let i = 0; i < 5; i += 1) assert.equal(await ch.track({ i }, { timeout: 3000 }), 'ok');
  ch.track({ i: 5 });
  const err = await system.next();
  assert.deepEqual([err.status, err.message], ['error', 'Client presence rate limit exceeded']);
  await ch.statuses.find((s) => s.status === 'CLOSED');
});

test('topic names with spaces, slashes and non-ASCII work over the socket, REST and the fallback', async () => {
  const sub = `salle é ${uniqueTopic('a b')}`;
  const slashed = `${sub}/part`;
  const inbox = new Inbox('receiver');
  await subscribed(rtClient(server).channel(sub).on('broadcast', { event: '*' }, inbox.push));
  const slashInbox = new Inbox('slashed receiver');
  await subscribed(rtClient(server).channel(slashed).on('broadcast', { event: '*' }, slashInbox.push));
  const ch = rtClient(server).channel(slashed);
  await subscribed(ch);
  await ch.send({ type: 'broadcast', event: 'évènement', payload: { via: 'socket' } });
  assert.deepEqual(await slashInbox.next(), { type: 'broadcast', event: 'évènement', payload: { via: 'socket' } });
  assert.equal(await rtClient(server).channel(slashed).send({ type: 'broadcast', event: 'fb', payload: { via: 'fallback' } }), 'ok');
  assert.deepEqual(await slashInbox.next(), { type: 'broadcast', event: 'fb', payload: { via: 'fallback' } });
  assert.deepEqual(await rtClient(server).channel(sub).httpSend('é v', { via: 'rest' }), { success: true });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'é v', payload: { via: 'rest' } });
});

test('a join without config, or with access_token null, gets the defaults', async () => {
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('noconfig')}`;
  raw.send(['9', '9', topic, 'phx_join', {}]);
  assert.deepEqual(await raw.next(), ['9', '9', topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
  const other = `realtime:${uniqueTopic('nulltoken')}`;
  raw.send(['10', '10', other, 'phx_join', { config: { postgres_changes: [] }, access_token: null }]);
  assert.deepEqual(await raw.next(), ['10', '10', other, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
});

test('concurrent writers\' changes arrive in commit order', async () => {
  const u1 = await rtUser(server, 'order1');
  const u2 = await rtUser(server, 'order2');
  const inbox = new Inbox('service');
  await subscribed(rtClient(server, server.serviceKey).channel(uniqueTopic('order'))
    .on('postgres_changes', attempts('INSERT'), inbox.push));
  const writes = [];
  for (let i = 0; i < 10; i += 1) {
    writes.push(insertRow(u1.client, 'practice_attempts', { user_id: u1.id, attempt_number: i }));
    writes.push(insertRow(u2.client, 'practice_attempts', { user_id: u2.id, attempt_number: i }));
  }
  const rows = await Promise.all(writes);
  const got = [];
  for (let i = 0; i < rows.length; i += 1) got.push(await inbox.next());
  assert.deepEqual(new Set(got.map((e) => e.new.id)), new Set(rows.map((r) => r.id)));
  const stamps = got.map((e) => e.commit_timestamp);
  assert.deepEqual(stamps, [...stamps].sort(), 'commit timestamps go backwards');
});

test('a profile update carries the hook-set updated_at; deleting a completed session updates the leaderboard', async () => {
  const u = await rtUser(server, 'hooks');
  const session = await insertRow(u.client, 'interview_sessions', completedSession(u.id, 70));
  const mine = new Inbox('profile');
  await subscribed(u.client.channel(uniqueTopic('hooks'))
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'profiles' }, mine.push));
  const board = new Inbox('leaderboard');
  await subscribed(rtClient(server).channel(uniqueTopic('hooks-board'))
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'leaderboard' }, board.push));
  const { data: profile, error } = await u.client.from('profiles').update({ bio: 'hello', updated_at: '2000-01-01T00:00:00Z' })
    .eq('id', u.id).select().single();
  assert.equal(error, null);
  const upd = await mine.next();
  assert.deepEqual(upd.new, profile);
  assert.notEqual(upd.new.updated_at, '2000-01-01T00:00:00.000000+00:00');
  await u.client.from('interview_sessions').delete().eq('id', session.id);
  const lb = await board.find((e) => e.new.user_id === u.id);
  assert.equal(lb.new.total_score, 0);
});

test('a channel closed at token expiry untracks its presence and gets no more frames', async () => {
  const u = await rtUser(server, 'expirepresence');
  const sub = uniqueTopic('expirepresence');
  const topic = `realtime:${sub}`;
  const observer = new Inbox('observer');
  const chO = presenceChannel(rtClient(server), sub, 'observer', observer);
  await subscribed(chO);
  const raw = await RawSocket.open(server);
  const { jr } = await raw.join(topic, {
    config: { presence: { key: 'short', enabled: true }, postgres_changes: [attempts('INSERT')] },
    accessToken: userToken(u.id, 3),
  });
  const tref = raw.ref();
  raw.send([jr, tref, topic, 'presence', { type: 'presence', event: 'track', payload: { t: 1 } }]);
  assert.deepEqual(await raw.find((f) => f[1] === tref), [jr, tref, topic, 'phx_reply', { status: 'ok', response: {} }]);
  assert.deepEqual([(await observer.next()).event, (await observer.next(6000)).event], ['join', 'leave']);
  await raw.find((f) => f[3] === 'phx_close');
  const closedRow = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const rejoined = await raw.join(topic, { config: { postgres_changes: [attempts('INSERT')] }, accessToken: u.token });
  assert.equal(rejoined.reply[4].status, 'ok');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const next = await raw.find((f) => isChange(f) || f[3] === 'system' && f[4].extension === 'system');
  assert.deepEqual([next[3], next[4].data?.record?.id], ['postgres_changes', row.id], JSON.stringify(next));
  assert.deepEqual(raw.frames.items.filter((f) => isChange(f) && f[4].data.record.id === closedRow.id), []);
});

test('profiles written by /auth/v1 (sign-up, admin create) reach the service subscriber', async () => {
  const inbox = new Inbox('profiles');
  await subscribed(rtClient(server, server.serviceKey).channel(uniqueTopic('authwrites'))
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'profiles' }, inbox.push));
  const email = `rt-signup-${process.pid}@example.com`;
  const { data, error } = await rtClient(server).auth.signUp({ email, password: 'secret123', options: { data: { full_name: 'Signed Up' } } });
  assert.equal(error, null);
  const got = await inbox.next();
  assert.deepEqual([got.new.id, got.new.email, got.new.full_name], [data.user.id, email, 'Signed Up']);
  const admin = await server.service().auth.admin.createUser({ email: `rt-admin-${process.pid}@example.com`, password: 'secret123', email_confirm: true });
  assert.equal((await inbox.next()).new.id, admin.data.user.id);
});

test('one key tracked from two sockets holds two metas; untracking one leaves the other', async () => {
  const topic = uniqueTopic('twometas');
  const observer = new Inbox('observer');
  const chO = presenceChannel(rtClient(server), topic, 'observer', observer);
  await subscribed(chO);
  const a = presenceChannel(rtClient(server), topic, 'same', new Inbox('a'));
  const b = presenceChannel(rtClient(server), topic, 'same', new Inbox('b'));
  await subscribed(a);
  await subscribed(b);
  assert.equal(await a.track({ from: 'a' }), 'ok');
  assert.equal(await b.track({ from: 'b' }), 'ok');
  await observer.next();
  await observer.next();
  assert.deepEqual(metas(chO.presenceState().same).map((m) => m.from).sort(), ['a', 'b']);
  assert.equal(await a.untrack(), 'ok');
  const leave = await observer.next();
  assert.deepEqual([leave.event, metas(leave.leftPresences)], ['leave', [{ from: 'a' }]]);
  assert.deepEqual(metas(chO.presenceState().same), [{ from: 'b' }]);
});

test('a channel without a presence listener can still track', async () => {
  const topic = uniqueTopic('trackonly');
  const observer = new Inbox('observer');
  await subscribed(presenceChannel(rtClient(server), topic, 'observer', observer));
  const plain = rtClient(server).channel(topic, { config: { presence: { key: 'quiet' } } });
  await subscribed(plain);
  assert.equal(await plain.track({ q: 1 }), 'ok');
  const join = await observer.next();
  assert.deepEqual([join.key, metas(join.newPresences)], ['quiet', [{ q: 1 }]]);
});

test('UPDATE is filtered on the new row; a DELETE filtered on id is delivered', async () => {
  const u = await rtUser(server, 'newrow');
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id, score: 60 });
  const high = [];
  const byId = new Inbox('by id');
  await subscribed(u.client.channel(uniqueTopic('newrow'))
    .on('postgres_changes', attempts('UPDATE', 'score=gt.50'), (p) => high.push(p.new.score))
    .on('postgres_changes', attempts('*', `id=eq.${row.id}`), byId.push));
  for (const score of [40, 70]) await u.client.from('practice_attempts').update({ score }).eq('id', row.id);
  await u.client.from('practice_attempts').delete().eq('id', row.id);
  const seen = [await byId.next(), await byId.next(), await byId.next()];
  assert.deepEqual(seen.map((e) => e.eventType), ['UPDATE', 'UPDATE', 'DELETE']);
  assert.deepEqual(high, [70]);
});

test('bindings with filter "" or schema "*" and no table are echoed verbatim and deliver', async () => {
  const u = await rtUser(server, 'echo');
  const empty = new Inbox('filter ""');
  const any = new Inbox('schema *');
  await subscribed(u.client.channel(uniqueTopic('echo'))
    .on('postgres_changes', { ...attempts('INSERT'), filter: '' }, empty.push)
    .on('postgres_changes', { event: 'INSERT', schema: '*' }, any.push));
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  assert.equal((await empty.next()).new.id, row.id);
  assert.equal((await any.find((e) => e.table === 'practice_attempts')).new.id, row.id);
});

test('profile change frames type date, jsonb and text[] columns and match REST', async () => {
  const u = await rtUser(server, 'ptypes');
  const raw = await RawSocket.open(server);
  const topic = `realtime:${uniqueTopic('ptypes')}`;
  await raw.join(topic, { config: { postgres_changes: [{ event: 'UPDATE', schema: 'public', table: 'profiles' }] }, accessToken: u.token });
  const { data: row, error } = await u.client.from('profiles')
    .update({ tech_stack: ['c++', 'sql'], preferences: { theme: 'dark', n: [1] }, username: `user${process.pid}` })
    .eq('id', u.id).select().single();
  assert.equal(error, null);
  const data = (await raw.find(isChange))[4].data;
  assert.deepEqual(data.record, row);
  const types = Object.fromEntries(data.columns.map((c) => [c.name, c.type]));
  assert.deepEqual(Object.keys(types), Object.keys(row));
  assert.deepEqual([types.tech_stack, types.preferences, types.last_activity_date, types.average_score,
    types.onboarding_completed], ['_text', 'jsonb', 'date', 'numeric', 'bool']);
});

test('two channels of one socket: each frame has its own topic and ids; a service-key socket reads all', async () => {
  const u = await rtUser(server, 'tworaw');
  const raw = await RawSocket.open(server, { apikey: server.serviceKey });
  const ta = `realtime:${uniqueTopic('tworaw-a')}`;
  const tb = `realtime:${uniqueTopic('tworaw-b')}`;
  const a = await raw.join(ta, { config: { postgres_changes: [attempts('INSERT')] } });
  const b = await raw.join(tb, { config: { postgres_changes: [attempts('UPDATE'), attempts('*')] } });
  const idA = a.reply[4].response.postgres_changes[0].id;
  const idB = b.reply[4].response.postgres_changes[1].id;
  const row = await insertRow(u.client, 'practice_attempts', { user_id: u.id });
  const frames = [await raw.find(isChange), await raw.find(isChange)];
  const byTopic = Object.fromEntries(frames.map((f) => [f[2], f[4]]));
  assert.deepEqual(byTopic[ta].ids, [idA]);
  assert.deepEqual(byTopic[tb].ids, [idB]);
  assert.equal(byTopic[ta].data.record.id, row.id);
  assert.equal(byTopic[tb].data.record.id, row.id);
});

test('a kind 3 push for a topic not joined gets unmatched topic; a non-object track payload is refused', async () => {
  const raw = await RawSocket.open(server);
  const stray = `realtime:${uniqueTopic('stray')}`;
  raw.send(encodeKind3('1', '2', stray, 'e', '{}'));
  assert.deepEqual(await raw.next(), [null, '2', stray, 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
  const topic = `realtime:${uniqueTopic('badtrack')}`;
  const { jr } = await raw.join(topic, { config: { presence: { key: 'k', enabled: false } } });
  const ref = raw.ref();
  raw.send([jr, ref, topic, 'presence', { type: 'presence', event: 'track', payload: 'nope' }]);
  assert.deepEqual(await raw.find((f) => f[1] === ref),
    [jr, ref, topic, 'phx_reply', { status: 'error', response: { reason: 'Presence track payload must be a map' } }]);
});

test('a second join of a tracking channel replaces it: the others see its presence leave', async () => {
  const sub = uniqueTopic('rejoinpresence');
  const topic = `realtime:${sub}`;
  const observer = new Inbox('observer');
  await subscribed(presenceChannel(rtClient(server), sub, 'observer', observer));
  const raw = await RawSocket.open(server);
  const { jr } = await raw.join(topic, { config: { presence: { key: 'tracker', enabled: true } } });
  const ref = raw.ref();
  raw.send([jr, ref, topic, 'presence', { type: 'presence', event: 'track', payload: { v: 1 } }]);
  await raw.find((f) => f[1] === ref);
  assert.equal((await observer.next()).event, 'join');
  await raw.join(topic, { config: { presence: { key: 'tracker', enabled: true } } });
  const leave = await observer.next();
  assert.deepEqual([leave.event, leave.key, metas(leave.leftPresences)], ['leave', 'tracker', [{ v: 1 }]]);
});

// An HS256-shaped token whose header names another algorithm (`none`: no signature at all).
function otherAlg(alg, claims) {
  const head = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  if (alg === 'none') return `${head}.${body}.`;
  return `${head}.${body}.${createHmac(alg === 'HS512' ? 'sha512' : 'sha384', JWT_SECRET).update(`${head}.${body}`).digest('base64url')}`;
}

test('tokens of another algorithm (none, HS512) are refused at the upgrade, the join and the REST broadcast', async () => {
  const u = await rtUser(server, 'alg');
  const claims = { role: 'service_role', sub: u.id, exp: farFuture() };
  const raw = await RawSocket.open(server);
  for (const alg of ['none', 'HS512']) {
    const token = otherAlg(alg, claims);
    const up = await upgrade(server, `apikey=${token}&vsn=2.0.0`);
    assert.equal(up.status, 401, `${alg} upgrade: ${JSON.stringify(up)}`);
    const topic = `realtime:${uniqueTopic(`alg-${alg}`)}`;
    const { reply } = await raw.join(topic, { accessToken: token });
    assert.equal(reply[4].status, 'error', `${alg} join: ${JSON.stringify(reply)}`);
    const res = await fetch(`${server.url}/realtime/v1/api/broadcast/alg/events/e`, {
      method: 'POST', body: '{}', headers: { apikey: token, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(res.status, 401, `${alg} REST`);
  }
});

test('REST broadcast uses the bearer when present: an expired one is 401 even with a good apikey', async () => {
  const u = await rtUser(server, 'restbearer');
  const post = (bearer) => fetch(`${server.url}/realtime/v1/api/broadcast/restbearer/events/e`, {
    method: 'POST', body: '{}',
    headers: { apikey: server.anonKey, authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
  });
  assert.equal((await post(userToken(u.id, -5))).status, 401);
  assert.equal((await post(u.token)).status, 202);
});

test('a silent socket is closed after the idle timeout; a heartbeating one stays; the client reconnects', async () => {
  const idle = await startRealtimeServer(['--realtime-idle-timeout', '1', '--realtime-max-sockets', '3']);
  try {
    const silent = await RawSocket.open(idle);
    const beating = await RawSocket.open(idle);
    const started = Date.now();
    const timer = setInterval(() => beating.send([null, beating.ref(), 'phoenix', 'heartbeat', {}]), 250);
    try {
      await withTimeout(silent.closed, 4000, 'silent socket close');
      assert.ok(Date.now() - started >= 900, `closed after ${Date.now() - started} ms`);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(beating.ws.readyState, WebSocket.OPEN);
    } finally {
      clearInterval(timer);
    }
    const third = await RawSocket.open(idle);
    const fourth = await RawSocket.open(idle);
    const full = await upgrade(idle, `apikey=${idle.anonKey}&vsn=2.0.0`);
    assert.deepEqual([full.status, JSON.parse(full.body)], [429, { error: 'Too many connected users' }]);
    for (const s of [beating, third, fourth]) s.close();
    await Promise.all([beating.closed, third.closed, fourth.closed]);
    const client = rtClient(idle, idle.anonKey, { realtime: { reconnectAfterMs: () => 100 } });
    const ch = client.channel('idle');
    await subscribed(ch);
    await ch.statuses.find((s) => s.status === 'CHANNEL_ERROR', 4000);
    await ch.statuses.find((s) => s.status === 'SUBSCRIBED', 4000);
  } finally {
    await closeAll();
    await idle.stop();
  }
});

test('signing in while subscribed as anon starts the user\'s private changes', async () => {
  const u = await rtUser(server, 'latesignin');
  const client = rtClient(server);
  const inbox = new Inbox('changes');
  const ch = client.channel(uniqueTopic('latesignin'), { config: { broadcast: { ack: true } } })
    .on('postgres_changes', attempts('INSERT', `user_id=eq.${u.id.toUpperCase()}`), inbox.push);
  await subscribed(ch);
  const hidden = await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer: 'before sign-in' });
  const { data, error } = await client.auth.signInWithPassword({ email: u.user.email, password: 'secret123' });
  assert.equal(error, null);
  await until(() => client.realtime.accessTokenValue === data.session.access_token, 3000, 'user token set');
  assert.equal(await ch.send({ type: 'broadcast', event: 'sync', payload: {} }, { timeout: 3000 }), 'ok');
  const row = await insertRow(client, 'practice_attempts', { user_id: u.id, answer: 'after sign-in' });
  const first = await inbox.next();
  assert.equal(first.new.id, row.id, `anon got ${hidden.id} or something else first: ${JSON.stringify(first)}`);
});

test('every frame of one transaction (a completion and its hook writes) shares its commit_timestamp', async () => {
  const u = await rtUser(server, 'onetxn');
  const session = await insertRow(u.client, 'interview_sessions', { user_id: u.id, title: 'To complete', overall_score: 88 });
  const inbox = new Inbox('service');
  await subscribed(rtClient(server, server.serviceKey).channel(uniqueTopic('onetxn'))
    .on('postgres_changes', { event: '*', schema: 'public' }, inbox.push));
  await u.client.from('interview_sessions').update({ status: 'completed' }).eq('id', session.id);
  const want = new Set(['interview_sessions', 'profiles', 'streaks', 'leaderboard', 'achievements']);
  const stamps = new Set();
  while (want.size > 0) {
    const e = await inbox.next();
    if (e.new.user_id !== u.id && e.new.id !== u.id) continue;
    want.delete(e.table);
    stamps.add(e.commit_timestamp);
  }
  assert.equal(stamps.size, 1, [...stamps].join(' '));
});

test('numeric values compare typed (87.50 = 87.5), isdistinct matches NULL, a filter on the computed rank is refused', async () => {
  const u = await rtUser(server, 'typed2');
  const got = { exact: [], distinct: [] };
  const system = new Inbox('system');
  const last = new Inbox('last');
  await subscribed(u.client.channel(uniqueTopic('typed2'))
    .on('postgres_changes', attempts('INSERT', 'score=eq.87.50'), (p) => got.exact.push(p.new.answer))
    .on('postgres_changes', attempts('INSERT', 'is_correct=isdistinct.true'), (p) => got.distinct.push(p.new.answer))
    .on('postgres_changes', { event: '*', schema: 'public', table: 'leaderboard', filter: 'rank=eq.1' }, () => {})
    .on('postgres_changes', attempts('INSERT'), (p) => { if (p.new.answer === 'c') last.push(p); })
    .on('system', {}, system.push));
  const err = await system.find((s) => s.status === 'error');
  assert.match(err.message, /rank/);
  for (const [answer, score, isCorrect] of [['a', 87.5, true], ['b', 87.49, null], ['c', 88, false]]) {
    await insertRow(u.client, 'practice_attempts', { user_id: u.id, answer, score, is_correct: isCorrect });
  }
  await last.next();
  assert.deepEqual(got, { exact: ['a'], distinct: ['b', 'c'] });
});

test('untrack with nothing tracked sends no diff; tracking the same payload after an untrack joins again', async () => {
  const topic = uniqueTopic('retrack2');
  const inB = new Inbox('B');
  const chA = presenceChannel(rtClient(server), topic, 'alice', new Inbox('A'));
  const chB = presenceChannel(rtClient(server), topic, 'bob', inB);
  await subscribed(chA);
  await subscribed(chB);
  assert.equal(await chA.untrack(), 'ok');
  assert.equal(await chA.track({ s: 1 }), 'ok');
  assert.equal(await chA.untrack(), 'ok');
  assert.equal(await chA.track({ s: 1 }), 'ok');
  const seen = [];
  for (let i = 0; i < 3; i += 1) seen.push((await inB.next()).event);
  assert.deepEqual(seen, ['join', 'leave', 'join']);
  assert.deepEqual(metas(chB.presenceState().alice), [{ s: 1 }]);
});

test('httpSend to a sub-topic holding "/" is delivered (path segment %2F)', async () => {
  const sub = 'a b/c';
  const inbox = new Inbox('receiver');
  await subscribed(rtClient(server).channel(sub).on('broadcast', { event: '*' }, inbox.push));
  assert.deepEqual(await rtClient(server).channel(sub).httpSend('ping', { x: 1 }), { success: true });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'ping', payload: { x: 1 } });
});

test('httpSend of an event holding "/" is delivered (path segment %2F)', async () => {
  const sub = 'slash-event';
  const inbox = new Inbox('receiver');
  await subscribed(rtClient(server).channel(sub).on('broadcast', { event: '*' }, inbox.push));
  assert.deepEqual(await rtClient(server).channel(sub).httpSend('a/b', { x: 1 }), { success: true });
  assert.deepEqual(await inbox.next(), { type: 'broadcast', event: 'a/b', payload: { x: 1 } });
});
