// Test helpers for the launchers that enforce a saved plan: the Node launcher (lib/) and the native
// helper (native-helper/landlock-exec). Both take the same arguments, so one battery runs on both.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { reachableTempDir } from './portable.js';
import { CLI, LAUNCHER, ROOT, type RunResult, NODE } from './run.js';

export const NATIVE_DIR = join(ROOT, 'native-helper');
export const NATIVE_BIN = join(NATIVE_DIR, 'landlock-exec');

let nativeCopy: string | undefined;

/**
 * NATIVE_BIN as another user can run it: for uid (not this process's), a copy in the system temp
 * directory, made once per test process after the build (the checkout may sit below a 0700
 * directory, as CI's clean clone does); NATIVE_BIN itself otherwise.
 */
export function nativeBinFor(uid: number | undefined): string {
  if (uid === undefined || uid === process.getuid?.()) return NATIVE_BIN;
  if (nativeCopy === undefined) {
    nativeCopy = join(reachableTempDir('landrun-native-'), 'landlock-exec');
    copyFileSync(NATIVE_BIN, nativeCopy);
    chmodSync(nativeCopy, 0o755);
  }
  return nativeCopy;
}

/** Why the native helper cannot be built here (no compiler or no make), or undefined. */
export function missingToolchain(): string | undefined {
  for (const tool of ['cc', 'make']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return `'${tool}' is not installed`;
  }
  return undefined;
}

/**
 * Until the workflow-command filter (native-helper/workflow-commands.c) has landed, the tests
 * link the pass-through stand-in (make WC_PASSTHROUGH=1); the shipped build refuses it.
 */
export const WC_FILTER_PRESENT = existsSync(join(NATIVE_DIR, 'workflow-commands.c'));

/** make -C native-helper; throws with the compiler's output when the build fails. */
export function buildNative(): void {
  const r = spawnSync('make', ['-C', NATIVE_DIR, ...(WC_FILTER_PRESENT ? [] : ['WC_PASSTHROUGH=1'])], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`make -C native-helper failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

/** landrun --save-plan FILE <flags>: the plan the CLI compiles for this kernel. */
export function savePlan(file: string, flags: readonly string[]): void {
  const r = spawnSync(NODE, [CLI, '--save-plan', file, ...flags], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`landrun --save-plan ${flags.join(' ')} failed (${r.status}): ${r.stderr}`);
}

export interface PlanLauncher {
  readonly name: string;
  /** The program and the arguments that come before the launcher's own options. */
  readonly command: readonly string[];
}

export const NODE_LAUNCHER: PlanLauncher = { name: 'node launcher', command: [NODE, LAUNCHER] };
export const NATIVE_LAUNCHER: PlanLauncher = { name: 'landlock-exec', command: [NATIVE_BIN] };

export interface LaunchOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** A file opened read-only and handed to the launcher as fd 3 (for --plan-fd 3). */
  readonly fd3File?: string;
  readonly timeout?: number;
  /** A program (and its arguments) that execs the launcher, e.g. to start it with signals ignored. */
  readonly via?: readonly string[];
}

export const testEnv = (): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LANG: 'C',
});

/**
 * Runs `<launcher> args...` in its own process without blocking the test process, so that a
 * listener in this process can accept connections while the sandboxed command runs.
 */
export function launch(l: PlanLauncher, args: readonly string[], opts: LaunchOptions = {}): Promise<RunResult> {
  const [program, ...pre] = [...(opts.via ?? []), ...l.command] as [string, ...string[]];
  const fd3 = opts.fd3File !== undefined ? openSync(opts.fd3File, 'r') : undefined;
  return new Promise<RunResult>((resolvePromise, reject) => {
    const child = spawn(program, [...pre, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? testEnv(),
      stdio: fd3 === undefined ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', fd3],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 20000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
    child.stdin?.end();
  }).finally(() => {
    if (fd3 !== undefined) closeSync(fd3);
  });
}
