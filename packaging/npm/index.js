// Starts a throwaway interviewbase server for a test suite: spawns the binary with --port 0,
// reads its listening line and keys, and hands back the URL, the keys, reset() (empties every
// table and the auth users through the service-role-only reset endpoint) and stop().
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const bundled = join(dirname(fileURLToPath(import.meta.url)), 'bin', 'interviewbase');

function binaryPath(explicit) {
  const path = explicit ?? process.env.INTERVIEWBASE_BINARY ?? process.env.IB_BINARY ?? bundled;
  if (!existsSync(path)) {
    throw new Error(`interviewbase binary not found at ${path}`);
  }
  return path;
}

// Waits for the three lines the server prints on start; rejects if it exits first or takes
// longer than `timeoutMs`.
function readStartLines(child, timeoutMs) {
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const info = {};
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`interviewbase did not start within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`interviewbase exited (${signal ?? code}) before it listened\n${stderr}`));
    };
    child.once('exit', onExit);
    lines.on('line', (line) => {
      if (line.startsWith('listening on ')) info.url = line.slice('listening on '.length).trim();
      else if (line.startsWith('anon key: ')) info.anonKey = line.slice('anon key: '.length);
      else if (line.startsWith('service_role key: ')) {
        info.serviceKey = line.slice('service_role key: '.length);
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(info);
      }
    });
  });
}

/**
 * @param {object} [options]
 * @param {string} [options.db]      database file; ':memory:' (default) for one that lives and
 *                                   dies with the server
 * @param {string[]} [options.args]  more `serve` flags (see `interviewbase --help`)
 * @param {string} [options.binary]  the binary (default: INTERVIEWBASE_BINARY, IB_BINARY, or
 *                                   the one bundled in this package)
 * @param {boolean} [options.fastPasswords]  cheap password hashing (default true: test suites)
 * @param {boolean} [options.logRequests]    per-request log lines on stderr (default false)
 * @param {number} [options.timeoutMs]       start-up deadline (default 10000)
 */
export async function start({
  db = ':memory:', args = [], binary, fastPasswords = true, logRequests = false,
  timeoutMs = 10000,
} = {}) {
  const flags = ['serve', '--db', db, '--port', '0', '--log-requests', String(logRequests)];
  if (fastPasswords) flags.push('--password-cost', 'minimal');
  const child = spawn(binaryPath(binary), [...flags, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  let info;
  try {
    info = await readStartLines(child, timeoutMs);
  } catch (error) {
    process.off('exit', stopOnExit);
    throw error;
  }
  // Keep draining stderr so a chatty server never blocks on a full pipe.
  child.stderr.resume();
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    url: info.url,
    anonKey: info.anonKey,
    serviceKey: info.serviceKey,
    /** Empties every table and the auth users; keeps the schema, keys and buckets. */
    async reset() {
      const response = await fetch(`${info.url}/admin/v1/reset`, {
        method: 'POST',
        headers: { apikey: info.serviceKey, Authorization: `Bearer ${info.serviceKey}` },
      });
      if (!response.ok) {
        throw new Error(`reset failed: ${response.status} ${await response.text()}`);
      }
    },
    /** Stops the server (SIGTERM: in-flight requests finish) and resolves once it exited. */
    async stop() {
      process.off('exit', stopOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
