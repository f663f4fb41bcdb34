// Starts the real interviewbase binary (IB_BINARY) on a throwaway database with --port 0 and
// hands out supabase-js clients for it, created the way the platform creates them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from '@supabase/supabase-js';

const binary = process.env.IB_BINARY ?? new URL('../../build/interviewbase', import.meta.url).pathname;

export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ib-client-'));
  const child = spawn(binary, ['serve', '--db', join(dir, 'client.db'), '--port', '0',
    '--password-cost', 'minimal', '--log-requests', 'false', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    const out = {};
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('listening on ')) out.url = line.slice('listening on '.length);
      else if (line.startsWith('anon key: ')) out.anonKey = line.slice('anon key: '.length);
      else if (line.startsWith('service_role key: ')) {
        out.serviceKey = line.slice('service_role key: '.length);
        resolve(out);
      }
    });
  });
  const client = (key = info.anonKey) => createClient(info.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return {
    ...info,
    anon: () => client(info.anonKey),
    service: () => client(info.serviceKey),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A signed-in client for a fresh user (created with the admin API, then signInWithPassword).
export async function signedInUser(server, email, password = 'secret123', metadata = {}) {
  const admin = server.service();
  const { data, error } = await admin.auth.admin.createUser({
    email, password, email_confirm: true, user_metadata: metadata,
  });
  if (error) throw error;
  const client = server.anon();
  const signIn = await client.auth.signInWithPassword({ email, password });
  if (signIn.error) throw signIn.error;
  return { client, user: data.user };
}
