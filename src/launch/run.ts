// Running a command under a plan from a process that must outlive it (the Action, landrun-shell):
// spawn the launcher with the plan on fd 3, let output stream straight through, forward
// cancellation to the sandbox's process group, and when the command ends kill everything it left
// behind — the runner only reaps orphans at the end of the job, so a background process could
// otherwise keep running (and write file-command files) during later steps.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface RunSandboxedOptions {
  /** The Node binary and launcher script, or a native launcher with an empty `node`. */
  readonly node: string;
  readonly launcher: string;
  readonly plan: Uint8Array;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Make this process the reaper of orphaned descendants (prctl PR_SET_CHILD_SUBREAPER). */
  readonly becomeSubreaper?: () => void;
  /** Arguments before --plan-fd (the CLI launches itself with --launcher). */
  readonly launcherPrefix?: readonly string[];
  /**
   * 'step' (the Action, landrun-shell): own process group, cancellation forwarded to it, and every
   * process left behind killed at the end. 'foreground' (the CLI while it watches for denials):
   * stays in the caller's process group and terminal, so Ctrl-C and job control behave as if the
   * CLI had executed the command itself; nothing is killed afterwards.
   */
  readonly mode?: 'step' | 'foreground';
  readonly onSpawn?: (pid: number) => void;
  /**
   * Words put in front of the launcher (a tracer: `strace … --`). It runs outside the sandbox, as
   * the parent of the launcher; onSpawn then receives its pid.
   */
  readonly wrap?: readonly string[];
}

export interface RunSandboxedResult {
  /** The exit status as a shell reports it: the code, or 128+N after signal N. */
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  /** Processes the command left running, killed after it ended. */
  readonly leftovers: number;
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGSYS: 31 };

export async function runSandboxed(opts: RunSandboxedOptions): Promise<RunSandboxedResult> {
  const step = (opts.mode ?? 'step') === 'step';
  if (step) opts.becomeSubreaper?.();
  const before = step ? new Set(descendants(process.pid)) : new Set<number>();
  const started = Date.now();
  // A step's launcher stays in the sandbox as the command's parent and kills the domain's
  // leftovers itself when the command ends (see launcher.ts); the sweep below catches the rest.
  const tail = [...(opts.launcherPrefix ?? []), ...(step ? ['--supervise'] : []), '--plan-fd', '3', '--', ...opts.argv];
  const [file, ...args] = [...(opts.wrap ?? []), opts.node || opts.launcher, ...(opts.node ? [opts.launcher, ...tail] : tail)] as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    detached: step, // a step gets its own process group, so cancellation reaches the whole tree
  });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  const planPipe = child.stdio[3] as NodeJS.WritableStream | null;
  planPipe?.on('error', () => undefined); // the launcher may die before reading it; its status tells
  planPipe?.end(Buffer.from(opts.plan));

  const forward = (sig: NodeJS.Signals) => (): void => {
    if (child.pid !== undefined) {
      try {
        process.kill(step ? -child.pid : child.pid, sig);
      } catch {
        // the group is gone already
      }
    }
  };
  // In the foreground the terminal sends SIGINT/SIGQUIT to the child as well: just outlive it.
  const handlers = step
    ? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const)
    : [...(['SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const), ...(['SIGINT', 'SIGQUIT'] as const).map((s) => [s, () => undefined] as const)];
  for (const [s, h] of handlers) process.on(s, h);

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve({ code: c, signal: s }));
  });
  for (const [s, h] of handlers) process.off(s, h);
  const durationMs = Date.now() - started;
  const leftovers = step ? await killLeftovers(child.pid, before) : 0;
  return {
    exitCode: code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0),
    signal,
    durationMs,
    leftovers,
  };
}

/** Kills the process group and every descendant that appeared since `before`; returns how many. */
async function killLeftovers(groupLeader: number | undefined, before: ReadonlySet<number>): Promise<number> {
  const killed = new Set<number>();
  for (let round = 0; round < 50; round++) {
    // Look before killing the group, so that its members are counted too.
    const victims = descendants(process.pid).filter((p) => !before.has(p) && !isZombie(p));
    if (groupLeader !== undefined) {
      try {
        process.kill(-groupLeader, 'SIGKILL');
      } catch {
        // no group left
      }
    }
    if (victims.length === 0) break;
    for (const p of victims) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone meanwhile (the group kill got it)
      }
      killed.add(p);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return killed.size;
}

function readStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  return readStat(pid)?.state === 'Z';
}

/** All live descendants of `root`, from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const p = stack.pop() as number;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}
