// Copies the interviewbase binary into bin/ before `npm pack` (and removes it after), so the
// tarball carries it: IB_BINARY when set, else the release build of this repository.
import { copyFileSync, chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const target = join(here, 'bin', 'interviewbase');
if (process.argv.includes('--remove')) {
  rmSync(join(here, 'bin'), { recursive: true, force: true });
} else {
  const source = process.env.IB_BINARY ?? join(here, '..', '..', 'build', 'interviewbase');
  if (!existsSync(source)) {
    console.error(`no interviewbase binary at ${source}: build it (make build) or set IB_BINARY`);
    process.exit(1);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o755);
}
