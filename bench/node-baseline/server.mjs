// The hand-written Node.js reference server of bench/run.sh: node:http + better-sqlite3 on the
// SAME database file as interviewbase (opened read-only), serving only the reference list
//   GET /rest/v1/interview_sessions?select=*&order=created_at.desc&limit=10
// with the guards a real app would have: the HS256 JWT is verified with node:crypto (constant-time
// compare, alg and exp checked, role authenticated), and RLS is `WHERE user_id = ?` with the
// token's sub. jsonb columns are parsed so the JSON is nested, then JSON.stringify.
//
//   node server.mjs --db PATH --jwt-secret S [--port 0]
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

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || !req.url.startsWith('/rest/v1/interview_sessions')) {
    return send(res, 404, '{"message":"not found"}');
  }
  const auth = req.headers.authorization || '';
  const claims = auth.startsWith('Bearer ') ? verify(auth.slice(7)) : null;
  if (!claims) return send(res, 401, '{"code":"PGRST301","message":"JWT invalid"}');
  if (claims.role !== 'authenticated' || typeof claims.sub !== 'string') {
    return send(res, 200, '[]');
  }
  const rows = list.all(claims.sub);
  for (const row of rows) {
    for (const c of JSON_COLUMNS) if (typeof row[c] === 'string') row[c] = JSON.parse(row[c]);
  }
  send(res, 200, JSON.stringify(rows));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); db.close(); process.exit(0); });
