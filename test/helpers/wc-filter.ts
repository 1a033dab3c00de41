// The workflow-command filter's test driver (native-helper/wc-filter.c), compiled by the tests
// themselves with `cc` into a temporary directory (the Makefile builds the product only).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run.js';

export type FilterMode = 'all' | 'annotations' | 'none';

const SOURCES = ['wc-filter.c', 'workflow-commands.c'].map((f) => join(ROOT, 'native-helper', f));

/** Why the driver cannot be built here, or undefined. */
export function missingCompiler(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : "no C compiler ('cc' is not installed)";
}

/** Compiles the driver with the project's warning flags; returns its path and a cleanup. */
export function buildFilter(compiler = 'cc', extra: readonly string[] = []): { bin: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wc-filter-'));
  const bin = join(dir, 'wc-filter');
  const r = spawnSync(compiler, ['-std=c11', '-Wall', '-Wextra', '-Werror', '-O2', ...extra, '-o', bin, ...SOURCES], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${compiler} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return { bin, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FilterResult {
  readonly out: Buffer;
  readonly events: readonly string[];
}

/** stdin -> wc-filter MODE [args] -> stdout; events from the "defused NAME" lines on stderr. */
export function runFilter(bin: string, mode: FilterMode, input: Buffer | string, args: readonly string[] = []): FilterResult {
  const r = spawnSync(bin, [mode, ...args], { input, maxBuffer: 1 << 30, timeout: 60000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`wc-filter ${mode} exited ${r.status}: ${r.stderr.toString()}`);
  const events = r.stderr
    .toString()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^defused (.*)$/.exec(l);
      if (!m?.[1]) throw new Error(`unexpected stderr line from wc-filter: ${JSON.stringify(l)}`);
      return m[1];
    });
  return { out: r.stdout, events };
}

export interface BatchCase {
  readonly mode: FilterMode;
  readonly input: Buffer;
  /** 0: one piece; 0x80000000 | k: two pieces split at k; otherwise random pieces from this seed. */
  readonly seed: number;
}

const MODE_BYTE: Record<FilterMode, number> = { all: 0x61, annotations: 0x6e, none: 0x78 };

/** Many cases through one process (wc-filter --batch). */
export function runBatch(bin: string, cases: readonly BatchCase[]): FilterResult[] {
  const parts: Buffer[] = [];
  for (const c of cases) {
    const h = Buffer.alloc(9);
    h[0] = MODE_BYTE[c.mode];
    h.writeUInt32LE(c.seed >>> 0, 1);
    h.writeUInt32LE(c.input.length, 5);
    parts.push(h, c.input);
  }
  const r = spawnSync(bin, ['--batch'], { input: Buffer.concat(parts), maxBuffer: 1 << 30, timeout: 120000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`wc-filter --batch exited ${r.status}: ${r.stderr.toString()}`);
  const results: FilterResult[] = [];
  let pos = 0;
  const buf = r.stdout;
  while (pos < buf.length) {
    const n = buf.readUInt32LE(pos);
    const out = buf.subarray(pos + 4, pos + 4 + n);
    pos += 4 + n;
    const m = buf.readUInt32LE(pos);
    const ev = buf.subarray(pos + 4, pos + 4 + m).toString('latin1');
    pos += 4 + m;
    results.push({ out, events: ev.split('\n').filter((l) => l !== '') });
  }
  if (results.length !== cases.length) throw new Error(`wc-filter --batch answered ${results.length} of ${cases.length} cases`);
  return results;
}

/** A running driver whose stdin the test writes piece by piece, to see what comes out when. */
export function liveFilter(bin: string, mode: FilterMode): {
  write: (s: string | Buffer) => void;
  /** Resolves with everything read so far once `expected` bytes have arrived (or after ms). */
  waitFor: (expected: number, ms: number) => Promise<Buffer>;
  end: () => Promise<{ out: Buffer; stderr: string }>;
} {
  const child = spawn(bin, [mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = Buffer.alloc(0);
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out = Buffer.concat([out, d]);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    write: (s) => child.stdin.write(s),
    waitFor: (expected, ms) =>
      new Promise((resolve) => {
        const deadline = setTimeout(() => resolve(out), ms);
        const check = (): void => {
          if (out.length >= expected) {
            clearTimeout(deadline);
            resolve(out);
          } else waiters.push(check);
        };
        check();
      }),
    end: () =>
      new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', () => resolve({ out, stderr }));
        child.stdin.end();
      }),
  };
}
