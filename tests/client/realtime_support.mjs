// Helpers for the Realtime suite: a server started with a known JWT secret (so tests can sign
// their own short-lived, expired or foreign tokens), supabase-js clients with realtime options,
// inboxes that wait for events with a timeout, and a raw Phoenix WebSocket for frame-exact checks.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { createClient } from '@supabase/supabase-js';
import { startServer } from './support.mjs';

export const JWT_SECRET = 'realtime-suite-secret-0123456789abcdef';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function startRealtimeServer(extraArgs = []) {
  return startServer(['--jwt-secret', JWT_SECRET, ...extraArgs]);
}

const b64url = (data) => Buffer.from(data).toString('base64url');

// An HS256 JWT over `claims`, signed with the suite's secret unless another one is given.
export function sign(claims, secret = JWT_SECRET) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

// A user access token like the ones /auth/v1 issues, expiring `expiresIn` seconds from now
// (negative: already expired).
export function userToken(userId, expiresIn) {
  const now = nowSeconds();
  return sign({
    aud: 'authenticated', sub: userId, role: 'authenticated', iat: now - 60, exp: now + expiresIn,
  });
}

// Every client and raw socket a test opens, closed after it so Node can exit.
const opened = { clients: [], sockets: [] };

// Leaves every channel (what removeAllChannels does), then disconnects without waiting for the
// close handshake: realtime-js polls for it in 150 ms steps, which would add up over the suite.
export async function closeAll() {
  const clients = opened.clients.splice(0);
  const sockets = opened.sockets.splice(0);
  for (const s of sockets) s.close();
  await Promise.all(clients.map(async (c) => {
    await withTimeout(Promise.all(c.getChannels().map((ch) => c.removeChannel(ch))), 3000,
      'removeChannel').catch(() => {});
    c.realtime.disconnect().catch(() => {});
  }));
}

export function rtClient(server, key = server.anonKey, { realtime = {}, accessToken } = {}) {
  const client = createClient(server.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { logger: () => {}, ...realtime },
    ...(accessToken ? { accessToken } : {}),
  });
  opened.clients.push(client);
  return client;
}

let userCount = 0;

// A fresh user (admin API), signed in on a client of its own; `token` is its access token.
export async function rtUser(server, name, { realtime } = {}) {
  userCount += 1;
  const email = `rt-${name}-${userCount}-${process.pid}@example.com`;
  const admin = server.service();
  const { data, error } = await admin.auth.admin.createUser({
    email, password: 'secret123', email_confirm: true,
  });
  if (error) throw error;
  const client = rtClient(server, server.anonKey, { realtime });
  const signIn = await client.auth.signInWithPassword({ email, password: 'secret123' });
  if (signIn.error) throw signIn.error;
  return { client, user: data.user, id: data.user.id, token: signIn.data.session.access_token };
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Polls a condition of the client's own state (not of the server) until it holds.
export async function until(condition, ms, what) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not true within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Collects what a callback receives; next() hands the items out in arrival order.
export class Inbox {
  constructor(name) {
    this.name = name;
    this.items = [];
    this.cursor = 0;
    this.waiter = null;
    this.push = (item) => {
      this.items.push(item);
      if (this.waiter) this.waiter();
    };
  }

  // The next item not yet handed out.
  async next(ms = 5000) {
    if (this.cursor < this.items.length) return this.items[this.cursor++];
    if (this.waiter) throw new Error(`${this.name}: one waiter at a time`);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`${this.name}: no event within ${ms} ms; received before: ` +
          JSON.stringify(this.items)));
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = null;
        resolve();
      };
    });
    return this.items[this.cursor++];
  }

  // Skips items until one satisfies `pred`, and returns it.
  async find(pred, ms = 5000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const item = await this.next(Math.max(1, deadline - Date.now()));
      if (pred(item)) return item;
    }
  }
}

// Subscribes and resolves on SUBSCRIBED; rejects with the status and error otherwise. Every
// status the callback gets later is kept in `channel.statuses` (an Inbox).
export function subscribed(channel, ms = 5000) {
  channel.statuses = new Inbox(`${channel.topic} statuses`);
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      channel.statuses.push({ status, message: err?.message });
      if (status === 'SUBSCRIBED') resolve(channel);
      else reject(new Error(`${channel.topic}: ${status} ${err?.message ?? ''}`));
    }, ms);
  });
}

// The row as REST returns it after an insert (return=representation).
export async function insertRow(client, table, row) {
  const { data, error } = await client.from(table).insert(row).select().single();
  if (error) throw new Error(`insert into ${table}: ${JSON.stringify(error)}`);
  return data;
}

// A completed interview session: the completion hook writes profile, streak, achievements and
// the leaderboard row in the same transaction.
export function completedSession(userId, score = 80) {
  return {
    user_id: userId, title: 'Completed', status: 'completed', overall_score: score,
    completed_at: new Date().toISOString(),
  };
}

// The upgrade request of a WebSocket client, answered by its status and body: 101 or an error.
export function upgrade(server, query) {
  const url = new URL(`${server.url}/realtime/v1/websocket?${query}`);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, path: url.pathname + url.search,
      headers: {
        connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, accept: res.headers['sec-websocket-accept'] });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A Phoenix socket driven by hand (Node 20's built-in WebSocket). Text frames are parsed as
// JSON; binary frames are kept as Buffers under `binary`.
export class RawSocket {
  static async open(server, { apikey = server.anonKey, vsn = '2.0.0' } = {}) {
    const url = `${server.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${
      encodeURIComponent(apikey)}&vsn=${vsn}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const raw = new RawSocket(ws, vsn);
    opened.sockets.push(raw);
    await withTimeout(new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', () => reject(new Error(`WebSocket ${url} failed`)), { once: true });
    }), 5000, `open ${url}`);
    return raw;
  }

  constructor(ws, vsn) {
    this.ws = ws;
    this.vsn = vsn;
    this.refs = 100;
    this.frames = new Inbox(`raw ${vsn} socket`);
    this.closed = new Promise((resolve) => ws.addEventListener('close', resolve, { once: true }));
    ws.addEventListener('message', (e) => {
      if (typeof e.data === 'string') this.frames.push(JSON.parse(e.data));
      else this.frames.push({ binary: Buffer.from(e.data) });
    });
  }

  ref() {
    this.refs += 1;
    return String(this.refs);
  }

  send(frame) {
    this.ws.send(Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  next(ms) {
    return this.frames.next(ms);
  }

  find(pred, ms) {
    return this.frames.find(pred, ms);
  }

  // Sends a heartbeat and returns every frame that arrived before its reply, so a test can
  // check that something was NOT sent: whatever the server queued earlier precedes the reply.
  async drain(ms = 5000) {
    const ref = this.ref();
    this.send([null, ref, 'phoenix', 'heartbeat', {}]);
    const before = [];
    for (;;) {
      const f = await this.next(ms);
      if (Array.isArray(f) && f[1] === ref && f[3] === 'phx_reply') return before;
      before.push(f);
    }
  }

  // phx_join with Realtime's default config (overridden by `config`); resolves with the
  // join_ref and the reply frame.
  async join(topic, { config = {}, accessToken, ms = 5000 } = {}) {
    const jr = this.ref();
    const payload = {
      config: {
        broadcast: { ack: false, self: false }, presence: { key: '', enabled: false },
        postgres_changes: [], private: false, ...config,
      },
    };
    if (accessToken) payload.access_token = accessToken;
    this.send([jr, jr, topic, 'phx_join', payload]);
    const reply = await this.find((f) => Array.isArray(f) && f[1] === jr && f[3] === 'phx_reply', ms);
    return { jr, reply };
  }

  close() {
    if (this.ws.readyState <= 1) this.ws.close();
  }
}

// Decodes a server binary frame of kind 4 (user broadcast) into its fields.
export function decodeKind4(buf) {
  assertKind(buf, 4);
  const [, t, e, m, enc] = buf;
  let at = 5;
  const field = (n) => {
    const s = buf.subarray(at, at + n);
    at += n;
    return s;
  };
  const topic = field(t).toString('utf8');
  const event = field(e).toString('utf8');
  const meta = field(m);
  const payload = buf.subarray(at);
  return { topic, event, meta, enc, payload };
}

function assertKind(buf, kind) {
  if (buf[0] !== kind) throw new Error(`binary frame of kind ${buf[0]}, expected ${kind}`);
}

// The client → server kind 3 frame (user broadcast push) realtime-js sends for send().
export function encodeKind3(joinRef, ref, topic, event, payloadJson) {
  const parts = [joinRef, ref, topic, event].map((s) => Buffer.from(s, 'utf8'));
  const body = Buffer.from(payloadJson, 'utf8');
  return Buffer.concat([
    Buffer.from([3, ...parts.map((p) => p.length), 0, 1]), ...parts, body,
  ]);
}
