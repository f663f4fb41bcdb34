// supabase-js against the server over HTTPS (--tls-cert, --tls-key): auth, REST, storage and
// Realtime over wss://, with a certificate the test makes with the openssl command and trusts as
// a Node app trusts a private CA (NODE_EXTRA_CA_CERTS). The client runs in a child process
// (tls_client.mjs), since Node reads that variable only at start-up; without it the same client
// refuses the certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './support.mjs';

const here = new URL('.', import.meta.url).pathname;
let server;
let dir;
let cert;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ib-tls-'));
  cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=interviewbase test',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  server = await startServer(['--tls-cert', cert, '--tls-key', key]);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runClient(env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath,
      ['--experimental-websocket', join(here, 'tls_client.mjs'), server.url, server.anonKey, server.serviceKey],
      { cwd: here, env: { ...process.env, ...env }, timeout: 30000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      });
  });
}

test('the server prints an https:// URL', () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('supabase-js over https and wss with the CA in NODE_EXTRA_CA_CERTS', async () => {
  const seen = await runClient({ NODE_EXTRA_CA_CERTS: cert });
  assert.deepEqual(seen, {
    inserted: 'over TLS',
    listed: [{ title: 'over TLS' }],
    changed: 'over TLS',
    downloadedEqual: true,
    realtimeUrl: `${server.url.replace('https', 'wss')}/realtime/v1/websocket`,
  });
});

test('without the CA supabase-js refuses the self-signed certificate', async () => {
  const seen = await runClient({ NODE_EXTRA_CA_CERTS: '' });
  assert.equal(seen.error, 'createUser: fetch failed', JSON.stringify(seen));
  assert.equal(seen.cause, 'DEPTH_ZERO_SELF_SIGNED_CERT', JSON.stringify(seen));
});
