// The npm test helper (packaging/npm) as the platform's suites get it: `npm pack` makes a
// tarball that carries the binary; installed into an empty project (offline, from the tarball)
// its start() runs the bundled binary on ':memory:', reset() empties the data, stop() ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageDir = new URL('../../packaging/npm/', import.meta.url).pathname;
const binary = process.env.IB_BINARY ?? new URL('../../build/interviewbase', import.meta.url).pathname;

test('npm pack carries the binary, and the installed package starts, resets and stops a server', async () => {
  const work = mkdtempSync(join(tmpdir(), 'ib-npm-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: packageDir, env: { ...process.env, IB_BINARY: binary }, encoding: 'utf8',
    }));
    const files = packed[0].files.map((f) => f.path).sort();
    assert.deepEqual(files, ['README.md', 'bin/interviewbase', 'index.d.ts', 'index.js', 'package.json']);
    const binaryEntry = packed[0].files.find((f) => f.path === 'bin/interviewbase');
    assert.ok(binaryEntry.mode & 0o111, 'the bundled binary is executable');
    assert.equal(existsSync(join(packageDir, 'bin')), false, 'postpack removed the staged copy');

    const project = join(work, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', private: true, type: 'module' }));
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: project, encoding: 'utf8',
    });

    // A child process without IB_BINARY/INTERVIEWBASE_BINARY, so the bundled binary runs.
    const script = `
      import { start } from 'interviewbase';
      const server = await start();
      const headers = { apikey: server.serviceKey, Authorization: 'Bearer ' + server.serviceKey,
                        'Content-Type': 'application/json' };
      const created = await fetch(server.url + '/auth/v1/admin/users', { method: 'POST', headers,
        body: JSON.stringify({ email: 'npm@example.com', password: 'secret123', email_confirm: true }) });
      const count = async () => (await (await fetch(server.url + '/auth/v1/admin/users', { headers })).json()).users.length;
      const before = await count();
      await server.reset();
      const after = await count();
      const exit = await server.stop();
      console.log(JSON.stringify({ url: server.url, created: created.status, before, after, exit,
                                   anon: server.anonKey.split('.').length }));
    `;
    const env = { ...process.env };
    delete env.IB_BINARY;
    delete env.INTERVIEWBASE_BINARY;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project, env, encoding: 'utf8', timeout: 30000,
    });
    const result = JSON.parse(out.trim().split('\n').pop());
    assert.match(result.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(result.anon, 3, 'the anon key is a JWT');
    assert.equal(result.created, 200);
    assert.equal(result.before, 1);
    assert.equal(result.after, 0, 'reset() emptied the auth users');
    assert.deepEqual(result.exit, { code: 0, signal: null }, 'stop() ends the server cleanly');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('start() rejects with the server\'s message when the binary cannot start', async () => {
  const { start } = await import('interviewbase');
  await assert.rejects(start({ binary, args: ['--port', 'not-a-port'] }),
    /exited .* before it listened[\s\S]*invalid value for --port/);
  await assert.rejects(start({ binary: '/nonexistent/interviewbase' }), /binary not found/);
});
