// The hand-written Node.js reference server of bench/run.sh: node:http + better-sqlite3 on the
// SAME database file as interviewbase (opened read-only), serving only the reference list
//   GET /rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10
// with the guards a real app would have: the HS256 JWT is verified with node:crypto (constant-time
// compare, alg and exp checked, role authenticated), and RLS is `WHERE user_id = ?` with the
// token's sub. jsonb columns are parsed so the JSON is nested, then JSON.stringify.
// With --write-db COPY (a copy of that file) it also serves the reference insert on the copy:
//   POST /rest/v1/interview_sessions   (one JSON object; answered like return=representation)
// the insert check `user_id = sub`, the row with its defaults (id, timestamps), the owner's
// profile counter in the same transaction, and the inserted row back; WAL with SQLite's default
// synchronous=FULL, so every commit is synced before the answer.
//
//   node server.mjs --db PATH --jwt-secret S [--write-db COPY] [--port 0]
// prints `listening on http://127.0.0.1:PORT` once serving.
import http from 'node:http';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.db || !args['jwt-secret']) {
  console.error('usage: node server.mjs --db PATH --jwt-secret S [--port N]');
  process.exit(2);
}
const secret = Buffer.from(args['jwt-secret']);

const db = new Database(args.db, { readonly: true, fileMustExist: true });
const list = db.prepare(
  'SELECT * FROM interview_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 10',
);
const JSON_COLUMNS = ['metadata', 'questions', 'answers', 'feedback'];

const writer = args['write-db'] ? new Database(args['write-db'], { fileMustExist: true }) : null;
let insertSession = null;
if (writer) {
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  const WRITABLE = ['user_id', 'title', 'description', 'interview_type', 'status', 'metadata', 'questions'];
  const insert = writer.prepare(
    `INSERT INTO interview_sessions (id, ${WRITABLE.join(', ')}, created_at, updated_at)
     VALUES (?, ${WRITABLE.map(() => '?').join(', ')}, ?, ?) RETURNING *`,
  );
  const count = writer.prepare(
    'UPDATE profiles SET total_interviews = total_interviews + 1, updated_at = ? WHERE id = ?',
  );
  insertSession = writer.transaction((row) => {
    const now = new Date().toISOString();
    const values = WRITABLE.map((c) =>
      row[c] === undefined ? null : typeof row[c] === 'object' && row[c] !== null ? JSON.stringify(row[c]) : row[c]);
    const inserted = insert.get(crypto.randomUUID(), ...values, now, now);
    count.run(now, row.user_id);
    return inserted;
  });
}

const EXPECTED_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

// Returns the claims of a valid HS256 token, or null.
function verify(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts;
  if (h !== EXPECTED_HEADER) {
    let header;
    try { header = JSON.parse(Buffer.from(h, 'base64url').toString()); } catch { return null; }
    if (header.alg !== 'HS256') return null;
  }
  const expected = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  let claims;
  try { claims = JSON.parse(Buffer.from(p, 'base64url').toString()); } catch { return null; }
  if (typeof claims.exp === 'number' && claims.exp <= Date.now() / 1000) return null;
  return claims;
}

function send(res, status, body) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function parseRows(rows) {
  for (const row of rows) {
    for (const c of JSON_COLUMNS) if (typeof row[c] === 'string') row[c] = JSON.parse(row[c]);
  }
  return rows;
}

function handleInsert(req, res, claims) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= 1 << 20) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > 1 << 20) return send(res, 413, '{"message":"body too large"}');
    let row;
    try { row = JSON.parse(Buffer.concat(chunks).toString()); } catch {
      return send(res, 400, '{"code":"PGRST102","message":"Empty or invalid json"}');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      return send(res, 400, '{"code":"PGRST102","message":"Empty or invalid json"}');
    }
    if (claims.role !== 'authenticated' || row.user_id !== claims.sub) {
      return send(res, 403, '{"code":"42501","message":"new row violates row-level security policy"}');
    }
    let inserted;
    try { inserted = insertSession(row); } catch (e) {
      return send(res, 400, JSON.stringify({ code: 'XX000', message: String(e.message) }));
    }
    send(res, 201, JSON.stringify(parseRows([inserted])));
  });
}

const server = http.createServer((req, res) => {
  const post = req.method === 'POST' && insertSession !== null;
  if ((req.method !== 'GET' && !post) || !req.url.startsWith('/rest/v1/interview_sessions')) {
    return send(res, 404, '{"message":"not found"}');
  }
  const auth = req.headers.authorization || '';
  const claims = auth.startsWith('Bearer ') ? verify(auth.slice(7)) : null;
  if (!claims) return send(res, 401, '{"code":"PGRST301","message":"JWT invalid"}');
  if (post) return handleInsert(req, res, claims);
  if (claims.role !== 'authenticated' || typeof claims.sub !== 'string') {
    return send(res, 200, '[]');
  }
  send(res, 200, JSON.stringify(parseRows(list.all(claims.sub))));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); db.close(); if (writer) writer.close(); process.exit(0); });
