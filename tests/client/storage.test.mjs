// Interview audio through supabase-js's storage client: per-user folders in the private
// `interview-audio` bucket, public buckets, signed and public URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, signedInUser } from './support.mjs';

let server;
let alice;

before(async () => {
  server = await startServer();
  alice = await signedInUser(server, 'audio@example.com');
});
after(async () => { await server?.stop(); });

test('upload, download, list, remove in the user folder', async () => {
  const audio = alice.client.storage.from('interview-audio');
  const bytes = randomBytes(300_000);
  const path = `${alice.user.id}/session 1/answer.webm`;
  const up = await audio.upload(path, bytes, { contentType: 'audio/webm' });
  assert.equal(up.error, null);
  assert.equal(up.data.path, path);

  const again = await audio.upload(path, bytes, { contentType: 'audio/webm' });
  assert.equal(again.error.statusCode, '409');
  const overwrite = await audio.upload(path, bytes.subarray(0, 1000), { contentType: 'audio/webm', upsert: true });
  assert.equal(overwrite.error, null);

  const down = await audio.download(path);
  assert.equal(down.error, null);
  assert.equal(down.data.type, 'audio/webm');
  assert.deepEqual(Buffer.from(await down.data.arrayBuffer()), bytes.subarray(0, 1000));

  const root = await audio.list(alice.user.id);
  assert.equal(root.error, null);
  assert.deepEqual(root.data.map((e) => [e.name, e.id === null]), [['session 1', true]]);
  const inside = await audio.list(`${alice.user.id}/session 1`);
  assert.equal(inside.data[0].name, 'answer.webm');
  assert.equal(inside.data[0].metadata.size, 1000);
  assert.equal(inside.data[0].metadata.mimetype, 'audio/webm');

  const removed = await audio.remove([path, `${alice.user.id}/nope.webm`]);
  assert.equal(removed.error, null);
  assert.equal(removed.data.length, 1);
  const gone = await audio.download(path);
  assert.ok(gone.error);
});

test('other users and anon cannot reach a user folder', async () => {
  const bob = await signedInUser(server, 'audio-bob@example.com');
  const path = `${alice.user.id}/private.webm`;
  assert.equal((await alice.client.storage.from('interview-audio').upload(path, Buffer.from('secret'))).error, null);
  const foreign = await bob.client.storage.from('interview-audio').upload(path, Buffer.from('x'), { upsert: true });
  assert.equal(foreign.error.statusCode, '403');
  const peek = await bob.client.storage.from('interview-audio').download(path);
  assert.ok(peek.error);
  const anon = await server.anon().storage.from('interview-audio').download(path);
  assert.ok(anon.error);
  const mine = await alice.client.storage.from('interview-audio').download(path);
  assert.equal(await mine.data.text(), 'secret');
});

test('signed URLs and public buckets', async () => {
  const audio = alice.client.storage.from('interview-audio');
  const path = `${alice.user.id}/signed.txt`;
  await audio.upload(path, 'signed content', { contentType: 'text/plain' });
  const signed = await audio.createSignedUrl(path, 60);
  assert.equal(signed.error, null);
  const fetched = await fetch(signed.data.signedUrl);
  assert.equal(fetched.status, 200);
  assert.equal(await fetched.text(), 'signed content');

  const admin = server.service();
  const bucket = await admin.storage.createBucket('avatars', { public: true });
  assert.equal(bucket.error, null);
  const buckets = await admin.storage.listBuckets();
  assert.ok(buckets.data.some((b) => b.id === 'avatars' && b.public));
  assert.equal((await admin.storage.from('avatars').upload('team/logo.txt', 'logo', { contentType: 'text/plain' })).error, null);
  const { data: { publicUrl } } = server.anon().storage.from('avatars').getPublicUrl('team/logo.txt');
  const pub = await fetch(publicUrl);
  assert.equal(pub.status, 200);
  assert.equal(await pub.text(), 'logo');
  const privateUrl = server.anon().storage.from('interview-audio').getPublicUrl(path).data.publicUrl;
  assert.notEqual((await fetch(privateUrl)).status, 200);
});
