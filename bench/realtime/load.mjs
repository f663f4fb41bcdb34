// bench/realtime/load.mjs: the Realtime load of bench/realtime.sh (Node 20, standard library only,
// run with --experimental-websocket). Speaks raw Phoenix frames (vsn 2.0.0, spec §1-§4):
//   - opens SOCKETS WebSockets with the anon key, each joining one channel of its own; the first
//     SUBSCRIBERS of them join with their user's token and one postgres_changes binding
//     {INSERT, public, interview_responses, interview_id=eq.<their session>}, the others join a
//     plain channel (no token, no bindings); heartbeats every 25 s, spread over the sockets;
//   - prints `JOINED <n> <seconds>` when all are joined, then reads commands on stdin:
//       phase NAME   insert at RATE/s from now on (round-robin over the subscribers' users,
//                    POST /rest/v1/interview_responses with the user's token), tagged NAME
//       stop         stop inserting, wait for the answers and late deliveries, write the report
//   - the report (JSON to --out, one line per phase on stdout): per phase the inserts answered
//     201, the frames received, latency = receive time - data.commit_timestamp (same clock; the
//     timestamp has millisecond precision, so latencies read up to 1 ms high), and the checks:
//     every insert delivered exactly once, to its owner's socket only, nothing to the others.
//
// With --sockets 0 (the control run) no socket is opened and only the inserts run.
//
//   node --experimental-websocket load.mjs --port P --data DIR [--sockets 2000]
//        [--subscribers 1000] [--rate 200] [--out FILE]
// DIR holds anon.key and realtime.tsv (user id, session id, token: bench/lib/seed.py realtime).
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    sockets: { type: 'string', default: '2000' },
    subscribers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    out: { type: 'string', default: '' },
    'join-concurrency': { type: 'string', default: '100' },
  },
});
const PORT = Number(opt.port);
const SOCKETS = Number(opt.sockets);
const SUBSCRIBERS = Number(opt.subscribers);
const RATE = Number(opt.rate);
const HEARTBEAT_MS = 25000;
const DRAIN_MS = 3000; // after the last answer, how long late deliveries are still counted
const anon = fs.readFileSync(`${opt.data}/anon.key`, 'utf8').trim();
const users = fs.readFileSync(`${opt.data}/realtime.tsv`, 'utf8').split('\n').filter(Boolean)
  .map((l) => { const [uid, sid, token] = l.split('\t'); return { uid, sid, token }; });
if (users.length < SUBSCRIBERS) throw new Error(`realtime.tsv has ${users.length} users`);

const log = (m) => process.stderr.write(`[load] ${m}\n`);
const nowMs = () => performance.timeOrigin + performance.now();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });

// ------------------------------------------------------------------ sockets
const sockets = []; // {i, ws, topic, joinRef, user?, bindId, joined, changes, foreign}
let ref = 0;
const nextRef = () => String(++ref);
const problems = { closed: 0, errors: 0, joinErrors: 0, unexpectedFrames: 0, heartbeatsUnanswered: 0 };
const firstProblems = [];
const note = (what) => { if (firstProblems.length < 10) firstProblems.push(what); };

const insertsBySeq = new Map(); // seq -> {user, phase, sent, answered, status, deliveries}
let stopping = false;

function onFrame(s, text) {
  let m;
  try { m = JSON.parse(text); } catch { problems.unexpectedFrames++; note(`not JSON: ${text.slice(0, 80)}`); return; }
  if (!Array.isArray(m) || m.length !== 5) { problems.unexpectedFrames++; note(`not an array: ${text.slice(0, 80)}`); return; }
  const [, mref, topic, event, payload] = m;
  if (event === 'phx_reply') {
    if (topic === 'phoenix') { s.heartbeatPending = false; return; }
    if (mref === s.joinRef) {
      if (payload.status !== 'ok') {
        problems.joinErrors++; note(`join ${s.topic}: ${JSON.stringify(payload)}`); s.onJoin(false); return;
      }
      const bindings = payload.response?.postgres_changes ?? [];
      if (s.user) {
        if (bindings.length !== 1 || typeof bindings[0].id !== 'number') {
          problems.joinErrors++; note(`join ${s.topic}: bindings ${JSON.stringify(bindings)}`); s.onJoin(false); return;
        }
        s.bindId = bindings[0].id;
      }
      s.joined = true;
      s.onJoin(true);
    }
    return;
  }
  if (event === 'system') {
    if (payload.status !== 'ok') { problems.unexpectedFrames++; note(`system: ${JSON.stringify(payload)}`); }
    return;
  }
  if (event === 'presence_state') return;
  if (event === 'postgres_changes') {
    const received = nowMs();
    const data = payload.data ?? {};
    const rec = data.record ?? {};
    const match = /^rtbench (\d+)$/.exec(rec.content ?? '');
    const ins = match && insertsBySeq.get(Number(match[1]));
    const own = s.user && rec.interview_id === s.user.sid && ins && ins.user === s.user &&
      Array.isArray(payload.ids) && payload.ids.includes(s.bindId) && data.type === 'INSERT' &&
      topic === s.topic;
    if (!own) {
      s.foreign++;
      note(`${s.topic} got a change not its own: ${text.slice(0, 200)}`);
      return;
    }
    ins.deliveries++;
    if (ins.deliveries === 1) {
      ins.latency = received - Date.parse(data.commit_timestamp);
      ins.received = received;
    }
    return;
  }
  problems.unexpectedFrames++;
  note(`${s.topic}: unexpected ${event} ${text.slice(0, 120)}`);
}

function openSocket(i) {
  return new Promise((resolve) => {
    const user = i < SUBSCRIBERS ? users[i] : null;
    const s = { i, user, topic: `realtime:rtbench-${i}`, joinRef: null, bindId: null, joined: false,
      heartbeatPending: false, foreign: 0 };
    let settled = false;
    s.onJoin = (ok) => { if (!settled) { settled = true; resolve(ok); } };
    const ws = new WebSocket(`ws://127.0.0.1:${PORT}/realtime/v1/websocket?apikey=${encodeURIComponent(anon)}&vsn=2.0.0`);
    s.ws = ws;
    ws.onopen = () => {
      s.joinRef = nextRef();
      const payload = {
        config: {
          broadcast: { ack: false, self: false },
          presence: { key: '', enabled: false },
          postgres_changes: user
            ? [{ event: 'INSERT', schema: 'public', table: 'interview_responses', filter: `interview_id=eq.${user.sid}` }]
            : [],
          private: false,
        },
      };
      if (user) payload.access_token = user.token;
      ws.send(JSON.stringify([s.joinRef, s.joinRef, s.topic, 'phx_join', payload]));
    };
    ws.onmessage = (ev) => onFrame(s, typeof ev.data === 'string' ? ev.data : Buffer.from(ev.data).toString());
    ws.onerror = (ev) => { problems.errors++; note(`${s.topic}: error ${ev.message ?? ''}`); s.onJoin(false); };
    ws.onclose = (ev) => {
      if (!stopping) { problems.closed++; note(`${s.topic}: closed ${ev.code} ${ev.reason}`); }
      s.onJoin(false);
    };
    sockets.push(s);
  });
}

// Heartbeats: every socket every 25 s, a 1/25 share of them each second.
let heartbeatTick = 0;
const heartbeatTimer = setInterval(() => {
  heartbeatTick++;
  for (const s of sockets) {
    if (!s.joined || (s.i + heartbeatTick) % (HEARTBEAT_MS / 1000) !== 0) continue;
    if (s.heartbeatPending) problems.heartbeatsUnanswered++;
    s.heartbeatPending = true;
    s.ws.send(JSON.stringify([null, nextRef(), 'phoenix', 'heartbeat', {}]));
  }
}, 1000);

// ------------------------------------------------------------------ inserts
// The inserts go out on a few keep-alive sockets through a minimal HTTP/1.1 client: this
// process shares the 2 cores with the server and wrk, and node:http's client spent about as
// much CPU per request as the server's insert itself (bench/README.md, Realtime), which the
// REST figures then counted as Realtime's cost.
const MAX_CONNECTIONS = 32;
const idleConnections = [];
const queuedRequests = []; // {bytes, done} waiting for a free connection
let openConnections = 0;

function connect() {
  const c = { sock: net.connect({ host: '127.0.0.1', port: PORT }), buf: null, done: null, dead: false };
  c.sock.setNoDelay(true);
  c.sock.on('data', (d) => { c.buf = c.buf ? Buffer.concat([c.buf, d]) : d; readAnswer(c); });
  c.sock.on('error', (e) => drop(c, e));
  c.sock.on('close', () => drop(c, new Error('connection closed')));
  openConnections++;
  return c;
}

// One answer per request: the status line, the headers, Content-Length bytes of body.
function readAnswer(c) {
  if (!c.done || !c.buf) return;
  const end = c.buf.indexOf('\r\n\r\n');
  if (end < 0) return;
  const head = c.buf.toString('latin1', 0, end);
  if (/\r\ntransfer-encoding:/i.test(head)) { drop(c, new Error('unexpected transfer-encoding')); return; }
  const length = Number((/\r\ncontent-length:\s*(\d+)/i.exec(head) || [0, 0])[1]);
  if (c.buf.length < end + 4 + length) return;
  const body = c.buf.toString('utf8', end + 4, end + 4 + Math.min(length, 200));
  c.buf = c.buf.length > end + 4 + length ? c.buf.subarray(end + 4 + length) : null;
  const done = c.done;
  c.done = null;
  done(Number(head.slice(9, 12)), null, body);
  if (/\r\nconnection:\s*close/i.test(head)) { c.sock.destroy(); return; }
  const queued = queuedRequests.shift();
  if (queued) send(c, queued);
  else { c.idleSince = nowMs(); idleConnections.push(c); }
}

function send(c, req) { c.done = req.done; c.sock.write(req.bytes); }

function drop(c, err) {
  if (c.dead) return;
  c.dead = true;
  openConnections--;
  const at = idleConnections.indexOf(c);
  if (at >= 0) idleConnections.splice(at, 1);
  c.sock.destroy();
  if (c.done) { const done = c.done; c.done = null; done(-1, err); }
  const queued = queuedRequests.shift();
  if (queued) send(connect(), queued);
}

// A connection idle this long is closed here rather than reused: the server closes idle ones
// after its keep-alive timeout (3 s), and a request written just as its close arrives would
// fail (a POST is not retried), which is the client's race, not the server's failure.
const MAX_IDLE_MS = 1500;

function idleConnection() {
  for (let c = idleConnections.pop(); c; c = idleConnections.pop()) {
    if (nowMs() - c.idleSince < MAX_IDLE_MS) return c;
    drop(c);  // no request on it, and none queued while a connection is idle
  }
  return null;
}

function request(bytes, done) {
  const c = idleConnection() ?? (openConnections < MAX_CONNECTIONS ? connect() : null);
  if (c) send(c, { bytes, done }); else queuedRequests.push({ bytes, done });
}

let phase = null;
let seq = 0;
let inFlight = 0;
let rateStart = 0;
let rateSent = 0;
const order = users.slice(0, SUBSCRIBERS);
for (let k = order.length - 1; k > 0; k--) { // deterministic shuffle: users in a fixed mixed order
  const j = (k * 7919 + 13) % (k + 1);
  [order[k], order[j]] = [order[j], order[k]];
}

function insert() {
  const n = ++seq;
  const user = order[n % order.length];
  const body = JSON.stringify({ interview_id: user.sid, role: 'user', content: `rtbench ${n}` });
  const ins = { user, phase, sent: nowMs(), answered: 0, status: 0, deliveries: 0, latency: null };
  insertsBySeq.set(n, ins);
  inFlight++;
  request(`POST /rest/v1/interview_responses HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n` +
    `apikey: ${anon}\r\nAuthorization: Bearer ${user.token}\r\nContent-Type: application/json\r\n` +
    `Prefer: return=minimal\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  (status, err, body) => {
    ins.status = status;
    ins.answered = nowMs();
    inFlight--;
    if (err) note(`insert ${n}: ${err.message}`);
    else if (status !== 201) note(`insert ${n}: HTTP ${status} ${body}`);
  });
}

// One timer per insert, set for the moment the next one is due (RATE per second from the
// phase's start), rather than a fast interval polling for due inserts.
let insertTimer = null;
function startInserting() {
  rateStart = nowMs();
  rateSent = 0;
  const tick = () => {
    const due = Math.floor(((nowMs() - rateStart) * RATE) / 1000) - rateSent;
    for (let k = 0; k < due; k++) insert();
    rateSent += Math.max(0, due);
    const nextAt = rateStart + ((rateSent + 1) * 1000) / RATE;
    insertTimer = setTimeout(tick, Math.max(0, nextAt - nowMs()));
  };
  insertTimer = setTimeout(tick, 0);
}

// ------------------------------------------------------------------ report
function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function finish() {
  stopping = true;
  clearTimeout(insertTimer);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  loopDelay.disable();
  const phases = {};
  for (const ins of insertsBySeq.values()) {
    const p = (phases[ins.phase] ??= { inserted: 0, failed: 0, delivered: 0, missing: 0, duplicated: 0,
      latencies: [], insertMs: [], failedAs: {} });
    if (ins.status !== 201) {  // -1: the connection failed (see firstProblems); 0: no answer
      p.failed++;
      p.failedAs[ins.status] = (p.failedAs[ins.status] ?? 0) + 1;
      continue;
    }
    p.inserted++;
    p.insertMs.push(ins.answered - ins.sent);
    if (ins.deliveries === 0) p.missing++;
    else {
      p.delivered++;
      if (ins.deliveries > 1) p.duplicated++;
      p.latencies.push(ins.latency);
    }
  }
  const report = { sockets: SOCKETS, subscribers: SUBSCRIBERS, rate: RATE, phases: {}, problems,
    foreign: sockets.reduce((n, s) => n + s.foreign, 0),
    clientLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6 },
    firstProblems };
  for (const [name, p] of Object.entries(phases)) {
    const lat = p.latencies.sort((a, b) => a - b);
    const ims = p.insertMs.sort((a, b) => a - b);
    const r = { inserted: p.inserted, failed: p.failed, failed_as: p.failedAs, delivered: p.delivered,
      missing: p.missing,
      duplicated: p.duplicated, latency_ms: { p50: pct(lat, 50), p99: pct(lat, 99), max: lat.at(-1) ?? null },
      insert_http_ms: { p50: pct(ims, 50), p99: pct(ims, 99) } };
    report.phases[name] = r;
    const f = (x) => (x == null ? '-' : x.toFixed(1));
    console.log(`PHASE ${name} inserted=${r.inserted} failed=${r.failed} delivered=${r.delivered} ` +
      `missing=${r.missing} duplicated=${r.duplicated} p50_ms=${f(r.latency_ms.p50)} ` +
      `p99_ms=${f(r.latency_ms.p99)} max_ms=${f(r.latency_ms.max)} insert_p50_ms=${f(r.insert_http_ms.p50)} ` +
      `insert_p99_ms=${f(r.insert_http_ms.p99)}`);
  }
  console.log(`CHECKS foreign=${report.foreign} closed=${problems.closed} errors=${problems.errors} ` +
    `join_errors=${problems.joinErrors} unexpected_frames=${problems.unexpectedFrames} ` +
    `heartbeats_unanswered=${problems.heartbeatsUnanswered} client_loop_delay_p99_ms=${report.clientLoopDelayMs.p99.toFixed(1)} ` +
    `client_loop_delay_max_ms=${report.clientLoopDelayMs.max.toFixed(1)}`);
  for (const p of firstProblems) log(`problem: ${p}`);
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify(report, null, 1));
  clearInterval(heartbeatTimer);
  for (const s of sockets) s.ws.close();
  for (const c of idleConnections) c.sock.destroy();
  setTimeout(() => process.exit(0), 500);
}

// ------------------------------------------------------------------ main
const t0 = nowMs();
let next = 0;
let joinedOk = 0;
async function worker() {
  while (next < SOCKETS) {
    const i = next++;
    if (await openSocket(i)) joinedOk++;
  }
}
await Promise.all(Array.from({ length: Number(opt['join-concurrency']) }, worker));
console.log(`JOINED ${joinedOk} ${((nowMs() - t0) / 1000).toFixed(1)}`);
if (joinedOk !== SOCKETS) log(`only ${joinedOk} of ${SOCKETS} sockets joined: ${firstProblems.join(' | ')}`);
loopDelay.enable();

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'phase') {
    phase = arg;
    if (!insertTimer) startInserting();
  } else if (cmd === 'stop') {
    rl.close();
    finish();
  }
});
