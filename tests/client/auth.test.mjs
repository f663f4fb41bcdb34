// Auth flows through the real supabase-js client, and two users isolated by the guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedInUser } from './support.mjs';

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('signUp, getUser, updateUser, refreshSession, signOut', async () => {
  const client = server.anon();
  const signUp = await client.auth.signUp({
    email: 'Flow@Example.com', password: 'secret123', options: { data: { full_name: 'Flow Person' } },
  });
  assert.equal(signUp.error, null);
  assert.ok(signUp.data.session.access_token);
  assert.equal(signUp.data.user.email, 'flow@example.com');
  assert.equal(signUp.data.user.user_metadata.full_name, 'Flow Person');

  const again = await server.anon().auth.signUp({ email: 'flow@example.com', password: 'secret123' });
  assert.equal(again.error.code, 'user_already_exists');
  const weak = await server.anon().auth.signUp({ email: 'weak@example.com', password: '1' });
  assert.equal(weak.error.code, 'weak_password');
  assert.deepEqual(weak.error.reasons, ['length']);

  const me = await client.auth.getUser();
  assert.equal(me.error, null);
  assert.equal(me.data.user.id, signUp.data.user.id);

  const profile = await client.from('profiles').select('name, full_name, email').single();
  assert.equal(profile.error, null);
  assert.deepEqual(profile.data, { name: 'Flow Person', full_name: 'Flow Person', email: 'flow@example.com' });

  const updated = await client.auth.updateUser({ data: { target_role: 'SRE' } });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user.user_metadata.full_name, 'Flow Person');
  assert.equal(updated.data.user.user_metadata.target_role, 'SRE');

  const before = (await client.auth.getSession()).data.session.refresh_token;
  const refreshed = await client.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session.refresh_token, before);

  const wrong = await server.anon().auth.signInWithPassword({ email: 'flow@example.com', password: 'nope-nope' });
  assert.equal(wrong.error.code, 'invalid_credentials');
  const upper = await server.anon().auth.signInWithPassword({ email: 'FLOW@example.com', password: 'secret123' });
  assert.equal(upper.error, null);

  const out = await client.auth.signOut();
  assert.equal(out.error, null);
  assert.equal((await client.auth.getSession()).data.session, null);
});

test('admin createUser, listUsers and deleteUser (cascading to owned rows)', async () => {
  const admin = server.service().auth.admin;
  const created = await admin.createUser({ email: 'admin-made@example.com', password: 'secret123', email_confirm: true });
  assert.equal(created.error, null);
  assert.ok(created.data.user.email_confirmed_at);
  const list = await admin.listUsers({ page: 1, perPage: 50 });
  assert.equal(list.error, null);
  assert.ok(list.data.users.some((u) => u.id === created.data.user.id));
  assert.ok(list.data.total >= 1);

  const { client } = await signedInUser(server, 'owner@example.com');
  const { data: { user } } = await client.auth.getUser();
  assert.equal((await client.from('interview_sessions').insert({ user_id: user.id, title: 'mine' })).error, null);
  const removed = await admin.deleteUser(user.id);
  assert.equal(removed.error, null);
  const left = await server.service().from('interview_sessions').select('id').eq('user_id', user.id);
  assert.deepEqual(left.data, []);
  const profile = await server.service().from('profiles').select('id').eq('id', user.id);
  assert.deepEqual(profile.data, []);
  const notAdmin = await server.anon().auth.admin.listUsers();
  assert.equal(notAdmin.error.status, 403);
});

test('two users are isolated by the guards', async () => {
  const alice = await signedInUser(server, 'alice-js@example.com');
  const bob = await signedInUser(server, 'bob-js@example.com');
  const mine = await alice.client.from('interview_sessions').insert({ user_id: alice.user.id, title: 'alice only' }).select().single();
  assert.equal(mine.error, null);
  const forged = await bob.client.from('interview_sessions').insert({ user_id: alice.user.id, title: 'forged' });
  assert.equal(forged.error.code, '42501');
  assert.equal(forged.status, 403);
  const peek = await bob.client.from('interview_sessions').select('*').eq('id', mine.data.id);
  assert.deepEqual(peek.data, []);
  const hijack = await bob.client.from('interview_sessions').update({ title: 'hijacked' }).eq('id', mine.data.id).select();
  assert.deepEqual(hijack.data, []);
  const xp = await alice.client.from('profiles').update({ total_xp: 99999 }).eq('id', alice.user.id);
  assert.equal(xp.error.code, '42501');
  const anon = await server.anon().from('interview_sessions').select('*');
  assert.deepEqual(anon.data, []);
  const board = await server.anon().from('leaderboard').select('*');
  assert.equal(board.error, null);
});
