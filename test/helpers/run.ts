// Test helpers: run the compiled CLI (lib/, built by `npm test`) in its own process, make temp
// trees, and observe the outside world (listeners) from the test process.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
export const CLI = join(ROOT, 'lib', 'entrypoints', 'cli.js');
export const LAUNCHER = join(ROOT, 'lib', 'entrypoints', 'launcher.js');

/**
 * The Node that runs the CLI and the launcher in these tests: this process's, or the one the Jest
 * project names (jest.config.js: the `node24` project runs the integration suites again on Node 24).
 */
export const NODE: string = (globalThis as { LANDRUN_TEST_NODE?: string }).LANDRUN_TEST_NODE ?? process.execPath;

/** Flags that let a sandbox run NODE: nothing when /usr (granted everywhere) holds it. */
export const NODE_GRANTS: readonly string[] = NODE.startsWith('/usr/') ? [] : ['--rox', NODE];

export interface RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string | Buffer;
  readonly timeout?: number;
}

const baseEnv = (): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LANG: 'C',
});

function finish(r: SpawnSyncReturns<string>): RunResult {
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** landrun <args> in a fresh process (one sandbox per process: a domain cannot be undone). */
export function landrun(args: readonly string[], opts: RunOptions = {}): RunResult {
  return finish(
    spawnSync(NODE, [CLI, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? baseEnv(),
      input: opts.input,
      encoding: 'utf8',
      timeout: opts.timeout ?? 20000,
    }),
  );
}

/** The same, without blocking the test process (needed when the test also runs a listener). */
export function landrunAsync(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return spawnCollect(NODE, [CLI, ...args], { ...opts, env: opts.env ?? baseEnv() });
}

/** Any command, its output collected, without blocking the test process. */
export function spawnCollect(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 20000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a command that exits at once closes its stdin first
    child.stdin.end(opts.input ?? '');
  });
}

/** System grants that let ordinary dynamically linked programs start on a merged-/usr system. */
export const SYSTEM = ['--rox', '/usr', '--ro', '/etc'];

export function tempDir(prefix = 'landrun-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A TCP listener on 127.0.0.1 that counts the connections it accepted. */
export interface Listener {
  readonly port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function listen(port = 0): Promise<Listener> {
  let count = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((sock) => {
    count++;
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.on('error', () => undefined); // a probe that hangs up first must not crash the test process
    sock.end('hello\n');
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return {
    port: addr.port,
    connections: () => count,
    close: () =>
      new Promise<void>((res) => {
        for (const s of open) s.destroy();
        server.close(() => res());
      }),
  };
}

/** A free TCP port (bound and released), for bind tests. */
export async function freePort(): Promise<number> {
  const l = await listen();
  await l.close();
  return l.port;
}

export function sh(cmd: string, opts: { cwd?: string } = {}): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', cwd: opts.cwd });
  if (r.status !== 0) throw new Error(`sh -c ${cmd}: ${r.stderr}`);
  return r.stdout;
}
