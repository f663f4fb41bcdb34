// Starts the real interviewbase binary (IB_BINARY) on a throwaway database through the npm test
// helper the platform's suites use (packaging/npm: spawns it with --port 0 and reads the
// listening line and keys), and hands out supabase-js clients created the way the platform
// creates them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { start } from 'interviewbase';

const binary = process.env.IB_BINARY ?? new URL('../../build/interviewbase', import.meta.url).pathname;

export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ib-client-'));
  const server = await start({ db: join(dir, 'client.db'), args: extraArgs, binary });
  const client = (key = server.anonKey) => createClient(server.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return {
    url: server.url,
    anonKey: server.anonKey,
    serviceKey: server.serviceKey,
    reset: () => server.reset(),
    anon: () => client(server.anonKey),
    service: () => client(server.serviceKey),
    async stop() {
      await server.stop();
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
