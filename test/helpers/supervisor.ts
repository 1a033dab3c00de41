// Test helpers for landlock-exec --supervise driven directly: plans (saved by the compiled CLI,
// then given exec records or loopback mode with the TS encoder), a run with the report pipe on
// fd 3 and the control pipe on fd 4, optionally as another user and below a stand-in parent
// (supervisor-parent.py) that the command attacks.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ExecSpec } from '../../src/landlock/enforce.js';
import type { RulesetPlan } from '../../src/landlock/plan.js';
import { LANDLOCK_ACCESS_NET_CONNECT_TCP } from '../../src/landlock/uapi.js';
import { decodePlan, encodePlan } from '../../src/launch/wire.js';
import { nativeBinFor, savePlan } from './native.js';
import { reachableTempDir } from './portable.js';
import { ROOT } from './run.js';

let parentCopy: string | undefined;

/**
 * supervisor-parent.py where uid 65534 can read it: a copy in the system temp directory, made once
 * per test process (the checkout may sit below a 0700 directory, as CI's clean clone does).
 */
export function parentScript(): string {
  if (parentCopy === undefined) {
    parentCopy = join(reachableTempDir('landrun-parent-'), 'supervisor-parent.py');
    copyFileSync(join(ROOT, 'test', 'helpers', 'supervisor-parent.py'), parentCopy);
    chmodSync(parentCopy, 0o644);
  }
  return parentCopy;
}
export const PYTHON = '/usr/bin/python3';
export const NOBODY = 65534;

export { kernelAbi } from './probes.js';

export const isRoot = (): boolean => process.getuid?.() === 0;

/** The plan the CLI compiles for these flags, optionally with exec records and loopback mode. */
export function makePlan(
  file: string,
  flags: readonly string[],
  opts: { exec?: ExecSpec; loopback?: { connect: readonly number[] } } = {},
): RulesetPlan {
  savePlan(file, flags);
  let { plan } = decodePlan(readFileSync(file));
  if (opts.loopback) {
    // What the compiler produces in loopback mode: net.connect_tcp handled (where Landlock has TCP
    // rules), bind not handled, the granted remote ports, TCP sockets kept.
    const tcp = plan.abi >= 4;
    plan = {
      ...plan,
      handledNet: tcp ? LANDLOCK_ACCESS_NET_CONNECT_TCP : 0,
      netRules: opts.loopback.connect.map((port) => ({ port, access: LANDLOCK_ACCESS_NET_CONNECT_TCP, sources: [{ kind: 'plan' as const }] })),
      seccomp: { ...(plan.seccomp ?? { unix: 'all' }), inet: 'tcp' },
      loopback: true,
    };
  }
  writeFileSync(file, encodePlan(plan, opts.exec));
  return plan;
}

export interface SupervisedResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Buffer;
  readonly stderrBytes: Buffer;
  readonly report: readonly string[];
  /** Killed by the test's timeout. */
  readonly timedOut: boolean;
}

export interface SuperviseOptions {
  readonly plan: string;
  readonly command?: readonly string[];
  readonly newPgrp?: boolean;
  readonly workflowCommands?: 'all' | 'annotations' | 'none';
  /** Run as this uid (and gid), through setpriv. */
  readonly uid?: number;
  /** Run below supervisor-parent.py, which writes these files. */
  readonly parent?: { readonly info: string; readonly result: string };
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly timeout?: number;
  readonly extraArgs?: readonly string[];
}

export interface Supervised {
  readonly child: ChildProcess;
  readonly control: Writable;
  readonly report: () => readonly string[];
  readonly done: Promise<SupervisedResult>;
  /** Resolves with the first report line matching, or rejects after `ms`. */
  readonly waitReport: (re: RegExp, ms?: number) => Promise<string>;
}

export function supervise(o: SuperviseOptions): Supervised {
  const supervisor = [
    nativeBinFor(o.uid),
    '--supervise',
    '--report-fd', '3',
    '--control-fd', '4',
    ...(o.newPgrp ? ['--new-pgrp'] : []),
    ...(o.workflowCommands ? ['--workflow-commands', o.workflowCommands] : []),
    ...(o.extraArgs ?? []),
    '--plan', o.plan,
    '--', ...(o.command ?? []),
  ];
  const chain = [
    ...(o.uid !== undefined ? ['setpriv', `--reuid=${o.uid}`, `--regid=${o.uid}`, '--clear-groups', '--'] : []),
    ...(o.parent ? [PYTHON, parentScript(), o.parent.info, o.parent.result, '--'] : []),
    ...supervisor,
  ];
  const child = spawn(chain[0] as string, chain.slice(1), {
    cwd: o.cwd,
    env: o.env ?? { PATH: '/usr/bin:/bin', LANG: 'C' },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    // A session of its own: the attacks aim at the parent's process group, which must not be
    // the test runner's.
    detached: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let reportText = '';
  const waiters: Array<() => void> = [];
  const lines = (): string[] => reportText.split('\n').filter((l) => l !== '');
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => err.push(d));
  const reportStream = child.stdio[3] as Readable;
  reportStream.setEncoding('utf8').on('data', (d: string) => {
    reportText += d;
    for (const w of waiters.splice(0)) w();
  });
  const control = child.stdio[4] as Writable;
  control.on('error', () => undefined); // the supervisor may be gone already
  child.stdin?.end();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killTree(child.pid);
  }, o.timeout ?? 20000);
  const done = new Promise<SupervisedResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stderrBytes = Buffer.concat(err);
      resolvePromise({
        status,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stderr: stderrBytes.toString('utf8'),
        stdoutBytes,
        stderrBytes,
        report: lines(),
        timedOut,
      });
    });
  });
  const waitReport = (re: RegExp, ms = 10000): Promise<string> =>
    new Promise((res, rej) => {
      const t0 = Date.now();
      const check = (): void => {
        const hit = lines().find((l) => re.test(l));
        if (hit !== undefined) return res(hit);
        if (Date.now() - t0 > ms) return rej(new Error(`no report line matching ${re} in ${JSON.stringify(lines())}`));
        waiters.push(check);
        setTimeout(check, 50);
      };
      check();
    });
  return { child, control, report: lines, done, waitReport };
}

/** Live (not zombie) pids whose command line contains `tag`. */
export function processesTagged(tag: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (cmdline.includes(tag) && state !== 'Z') out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** SIGKILL a process and everything below it (tests clean up after a failure). */
export function killTree(root: number | undefined): void {
  if (root === undefined) return;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const stack = [root];
  while (stack.length) {
    const p = stack.pop() as number;
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
    stack.push(...(children.get(p) ?? []));
  }
}

export function killAll(pids: readonly number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** The parent's verdict, or undefined when it did not write one (it was killed or stopped). */
export function parentResult(file: string): { alive: boolean; signals: string[]; status: number; limitsKept: boolean } | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as { alive: boolean; signals: string[]; status: number; limitsKept: boolean };
}

export const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
