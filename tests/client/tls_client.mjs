// Run by tls.test.mjs in a child process, because Node reads NODE_EXTRA_CA_CERTS (how a Node app
// trusts a private CA) only at start-up. Arguments: URL ANON_KEY SERVICE_KEY. Drives supabase-js
// over https:// and wss:// the way the platform does, then prints one JSON line of what it saw,
// or {"error": ...} when a call failed.
import { createClient } from '@supabase/supabase-js';

const [url, anonKey, serviceKey] = process.argv.slice(2);
const options = { auth: { persistSession: false, autoRefreshToken: false } };

function check(result, what) {
  if (result.error) throw new Error(`${what}: ${result.error.message ?? JSON.stringify(result.error)}`);
  return result.data;
}

async function run() {
  const admin = createClient(url, serviceKey, options);
  const email = `tls-${process.pid}@example.com`;
  check(await admin.auth.admin.createUser({ email, password: 'secret123', email_confirm: true }),
    'createUser');
  const client = createClient(url, anonKey, options);
  const { user } = check(await client.auth.signInWithPassword({ email, password: 'secret123' }),
    'signIn');

  // Realtime over wss://: the insert below arrives as a change.
  const change = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change event within 5 s')), 5000);
    client.channel('tls-sessions')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'interview_sessions' },
        (payload) => { clearTimeout(timer); resolve(payload.new.title); });
  });
  await new Promise((resolve, reject) => {
    client.getChannels()[0].subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else reject(new Error(`subscribe: ${status} ${err?.message ?? ''}`));
    });
  });

  const row = check(await client.from('interview_sessions')
    .insert({ user_id: user.id, title: 'over TLS', interview_type: 'voice' }).select().single(),
  'insert');
  const listed = check(await client.from('interview_sessions').select('title'), 'select');

  const audio = new Uint8Array(200000).map((_, i) => (i * 31) & 0xff);
  check(await client.storage.from('interview-audio')
    .upload(`${user.id}/answer.webm`, audio, { contentType: 'audio/webm' }), 'upload');
  const blob = check(await client.storage.from('interview-audio')
    .download(`${user.id}/answer.webm`), 'download');
  const back = new Uint8Array(await blob.arrayBuffer());

  const result = {
    inserted: row.title,
    listed,
    changed: await change,
    downloadedEqual: back.length === audio.length && back.every((b, i) => b === audio[i]),
    realtimeUrl: client.realtime.endpointURL().split('?')[0],
  };
  await client.removeAllChannels();
  return result;
}

try {
  console.log(JSON.stringify(await run()));
} catch (e) {
  // supabase-js reports a failed fetch without its cause: ask fetch itself why.
  const cause = await fetch(`${url}/health`).then(() => null, (f) => f.cause?.code ?? f.message);
  console.log(JSON.stringify({ error: e.message, cause }));
}
process.exit(0);
