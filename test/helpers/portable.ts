// The compiled CLI copied where any user may run it. Tests that drop to another user (nobody,
// www-data) must pass wherever the checkout sits — below a 0700 directory, a clone in `mktemp -d`,
// an Ubuntu home (0750) — so they run such a copy, never the checkout itself. The copy holds lib/,
// the modules it loads at run time (koffi and its native module for this CPU, yaml for policy
// files) and the native supervisor it starts (dist/native).
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './run.js';

const NATIVE: Partial<Record<string, string>> = { x64: 'landlock-exec-x64', arm64: 'landlock-exec-arm64' };

/** Copies the CLI into `dest` (created), readable by every user; returns the path of its cli.js. */
export function copyCli(dest: string): string {
  const lib = join(ROOT, 'lib');
  if (!existsSync(join(lib, 'entrypoints', 'cli.js'))) throw new Error('lib/ is not built: run `npm run build` (npm test does)');
  mkdirSync(dest, { recursive: true });
  cpSync(lib, join(dest, 'lib'), { recursive: true });
  for (const m of ['koffi', `@koromix/koffi-linux-${process.arch}`, 'yaml']) {
    const from = join(ROOT, 'node_modules', m);
    if (existsSync(from)) cpSync(from, join(dest, 'node_modules', m), { recursive: true, dereference: true });
  }
  const native = NATIVE[process.arch];
  if (native) {
    mkdirSync(join(dest, 'dist', 'native'), { recursive: true });
    cpSync(join(ROOT, 'dist', 'native', native), join(dest, 'dist', 'native', native));
  }
  writeFileSync(join(dest, 'package.json'), '{"type":"module"}\n');
  spawnSync('chmod', ['-R', 'a+rX', dest]);
  for (let d = dest; d !== dirname(d); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) throw new Error(`${d} cannot be entered by other users: copy the CLI to a reachable place`);
  }
  return join(dest, 'lib', 'entrypoints', 'cli.js');
}

/** A directory in the system temp directory that every user may enter, removed when the test process exits. */
export function reachableTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let copy: string | undefined;

/** A copy made once per test process (in the system temp directory), removed at exit. */
export function portableCli(): string {
  if (copy === undefined) {
    copy = reachableTempDir('landrun-portable-');
    copyCli(copy);
  }
  return join(copy, 'lib', 'entrypoints', 'cli.js');
}

/** The Action (action.yml and dist/) copied into `dest`, readable by every user; returns `dest`. */
export function copyAction(dest: string): string {
  mkdirSync(dest, { recursive: true });
  cpSync(join(ROOT, 'action.yml'), join(dest, 'action.yml'));
  cpSync(join(ROOT, 'dist'), join(dest, 'dist'), { recursive: true });
  spawnSync('chmod', ['-R', 'a+rX', dest]);
  return dest;
}
