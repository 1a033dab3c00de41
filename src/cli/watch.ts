// The CLI when it reports denials or learns a policy: instead of becoming the command, it launches
// itself as the launcher (`landrun --launcher`), behind strace when that is the source, stays in
// the foreground with it, collects what the sandbox denied, reports, and ends the way the command
// ended (same status, same signal).
//
// SIGTERM or SIGHUP to the CLI (or a learn round's time limit) ends the run at once: the signal
// goes to every process of the run, and whatever still runs a moment later is killed — a command
// that ignores signals cannot keep the CLI waiting, and nothing is left running.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecSpec } from '../landlock/enforce.js';
import type { RulesetPlan } from '../landlock/plan.js';
import { denialReportText } from '../denials/render.js';
import type { Denial, DenialReport } from '../denials/report.js';
import type { Logger } from '../shared/logger.js';
import { report as buildReport, watchDenials, type WatchOptions } from '../denials/watch.js';
import { forbiddenPath } from '../policy/presets.js';
import { descendants, runSandboxed, type RunSandboxedResult } from '../launch/run.js';
import { encodePlan } from '../launch/wire.js';

export interface WatchedRunInput {
  readonly plan: RulesetPlan;
  readonly exec: ExecSpec;
  readonly cwd: string;
  readonly searchPath: string | undefined;
  readonly home: string | undefined;
  /** May switch kernel audit on for the run (--audit). */
  readonly allowAudit: boolean;
  /** strace even where audit records could be read (--trace). */
  readonly forceTrace: boolean;
  /** The CLI script to start as `--launcher` (process.argv[1]). */
  readonly self: string;
  /** The run's private TMPDIR (--preset ci): never suggested. */
  readonly privateDirs?: readonly string[];
  /** Learn mode: when learning began (directories created since are per-run). */
  readonly since?: number;
  /** Learn mode: the round's time limit (ms; 0 or absent: none). */
  readonly timeoutMs?: number;
}

export interface WatchedRun {
  readonly result: RunSandboxedResult;
  readonly report: DenialReport;
  /** Cut short: by the time limit, or by this signal to the CLI. */
  readonly stopped?: { readonly by: 'timeout' } | { readonly by: 'signal'; readonly signal: NodeJS.Signals };
}

/** Between the signal to the run and SIGKILL: short, so that the CLI is gone within a second. */
const SIGNAL_GRACE_MS = 250;
/** A round over its time limit gets longer to end cleanly. */
const TIMEOUT_GRACE_MS = 2000;

function watchOptions(input: WatchedRunInput, work: string): WatchOptions {
  return {
    allowAuditEnable: input.allowAudit,
    forceTrace: input.forceTrace,
    searchPath: input.searchPath,
    cwd: input.cwd,
    home: input.home,
    workspace: input.cwd,
    privateDirs: input.privateDirs,
    since: input.since,
    workDir: work,
    forbidden: (p) => forbiddenPath(p, input.home, []),
  };
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** Signals every live process below this one; returns how many there were. */
function signalAll(sig: NodeJS.Signals): number {
  const pids = descendants(process.pid).filter(alive);
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      // gone meanwhile
    }
  }
  return pids.length;
}

async function killAll(): Promise<void> {
  for (let i = 0; i < 20 && signalAll('SIGKILL') > 0; i++) await new Promise((r) => setTimeout(r, 10));
}

export async function runWatched(input: WatchedRunInput): Promise<WatchedRun> {
  const work = mkdtempSync(join(tmpdir(), 'landrun-watch-'));
  try {
    const watch = await watchDenials(input.plan, watchOptions(input, work));
    try {
      // Orphans of the command stay our children, so that a stop reaches them too.
      (await import('../landlock/syscalls.js')).setChildSubreaper();
    } catch {
      // without it, a stop reaches what is still below us
    }
    let stopped: WatchedRun['stopped'];
    let killer: NodeJS.Timeout | undefined;
    const stop = (how: NonNullable<WatchedRun['stopped']>, sig: NodeJS.Signals): void => {
      if (stopped) return;
      stopped = how;
      signalAll(sig);
      killer = setTimeout(() => void killAll(), how.by === 'signal' ? SIGNAL_GRACE_MS : TIMEOUT_GRACE_MS);
    };
    const onTerm = (): void => stop({ by: 'signal', signal: 'SIGTERM' }, 'SIGTERM');
    const onHup = (): void => stop({ by: 'signal', signal: 'SIGHUP' }, 'SIGHUP');
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    const limit = input.timeoutMs ? setTimeout(() => stop({ by: 'timeout' }, 'SIGTERM'), input.timeoutMs) : undefined;
    const timer = setInterval(() => watch.poll(), 10);
    let result: RunSandboxedResult;
    try {
      result = await runSandboxed({
        node: process.execPath,
        launcher: input.self,
        launcherPrefix: ['--launcher'],
        plan: encodePlan(watch.plan, input.exec),
        argv: [],
        env: {},
        cwd: input.cwd,
        mode: 'foreground',
        wrap: watch.wrap,
        onSpawn: (pid) => watch.started(pid),
      });
    } finally {
      clearInterval(timer);
      if (limit) clearTimeout(limit);
      if (killer) clearTimeout(killer);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    }
    // The tracer may end before the command it traced (it detaches when killed): nothing stays.
    if (stopped) await killAll();
    watch.poll();
    return { result, report: await watch.finish({ quick: stopped !== undefined }), stopped };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A report of denials found without running (the command's own start, learn mode). */
export function planReport(denials: readonly Denial[], input: Omit<WatchedRunInput, 'plan' | 'exec'>): DenialReport {
  return buildReport('plan', 'the plan (the command cannot be executed under it: found before running)', denials, 0, watchOptions(input as WatchedRunInput, ''), input.since ?? Date.now());
}

/** Reports at warn level when something was denied, may be missing, or nothing could be observed; info otherwise. */
export function logDenials(report: DenialReport, log: Logger): void {
  const text = denialReportText(report);
  if (report.source === 'none' || report.entries.length > 0 || report.unseen > 0 || report.incomplete) log.warn(text);
  else log.info(text);
}

/** Ends this process the way the command ended: its status, or the same signal. */
export function endLike(result: RunSandboxedResult): number {
  return endBy(result.signal, result.exitCode);
}

/** Ends this process by `signal` (listeners removed first), or returns `code`. */
export function endBy(signal: NodeJS.Signals | null, code: number): number {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  return code;
}

/** Exit status of a learn round stopped by its time limit (as timeout(1)). */
export const TIMED_OUT = 124;
