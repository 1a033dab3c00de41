// The CLI when it reports denials or learns a policy: instead of becoming the command, it starts the
// native supervisor in the foreground (the terminal's process group), behind strace when that is
// the source, waits outside the sandbox, collects what the sandbox denied, reports, and ends the way
// the command ended (same status, same signal).
//
// SIGTERM or SIGHUP to the CLI (or a learn round's time limit) ends the run at once: the signal
// goes to every process of the run, the supervisor kills the whole sandbox a moment later, and
// whatever is still below this process then is killed too — a command that ignores signals
// cannot keep the CLI waiting, and nothing is left running.
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
import { nativeSupervisor, supervise, type SupervisedRun } from '../launch/supervise.js';
import { descendants } from '../launch/sweep.js';
import { encodePlan } from '../launch/wire.js';
import { SupervisorError } from '../shared/errors.js';
import type { WorkflowCommandsMode } from '../policy/vocabulary.js';

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
  /** The run's private TMPDIR (--preset ci): never suggested. */
  readonly privateDirs?: readonly string[];
  /** Learn mode: when learning began (directories created since are per-run). */
  readonly since?: number;
  /** Learn mode: the round's time limit (ms; 0 or absent: none). */
  readonly timeoutMs?: number;
}

export interface WatchedRun {
  readonly result: SupervisedRun;
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
    // (The CLI is a child subreaper already, hardened for waiting: orphans of the command stay below it.)
    const watch = await watchDenials(input.plan, watchOptions(input, work));
    let stopped: WatchedRun['stopped'];
    let killer: NodeJS.Timeout | undefined;
    const abort = new AbortController();
    const stop = (how: NonNullable<WatchedRun['stopped']>, sig: NodeJS.Signals): void => {
      if (stopped) return;
      stopped = how;
      signalAll(sig);
      abort.abort(); // the supervisor kills the sandbox after the grace below
      killer = setTimeout(() => void killAll(), 2 * grace(how));
    };
    const grace = (how: NonNullable<WatchedRun['stopped']>): number => (how.by === 'signal' ? SIGNAL_GRACE_MS : TIMEOUT_GRACE_MS);
    // Read when the run is stopped: a signal gets the short grace, a time limit the longer one.
    const supervisorGrace = { interruptMs: SIGNAL_GRACE_MS, get terminateMs(): number { return stopped ? grace(stopped) : SIGNAL_GRACE_MS; } };
    const onTerm = (): void => stop({ by: 'signal', signal: 'SIGTERM' }, 'SIGTERM');
    const onHup = (): void => stop({ by: 'signal', signal: 'SIGHUP' }, 'SIGHUP');
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    const limit = input.timeoutMs ? setTimeout(() => stop({ by: 'timeout' }, 'SIGTERM'), input.timeoutMs) : undefined;
    const timer = setInterval(() => watch.poll(), 10);
    let result: SupervisedRun;
    try {
      result = await supervise({
        binary: nativeSupervisor(),
        plan: encodePlan(watch.plan, input.exec),
        argv: [],
        env: {},
        cwd: input.cwd,
        mode: 'foreground',
        wrap: watch.wrap,
        abort: abort.signal,
        grace: supervisorGrace,
        onChild: (pid) => watch.started(pid),
      });
    } catch (e) {
      // Stopped, and the supervisor did not get to report before the last resort killed it.
      if (!(stopped && e instanceof SupervisorError)) throw e;
      const signal = stopped.by === 'signal' ? stopped.signal : 'SIGTERM';
      result = { exitCode: 128 + (signal === 'SIGHUP' ? 1 : 15), signal, durationMs: 0, leftovers: 0, defused: [], refusedConnects: [], cancelledBy: signal };
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

/** A supervised run in the terminal's foreground, without a denial report. */
export function runForeground(input: { plan: RulesetPlan; exec: ExecSpec; cwd: string; workflowCommands: WorkflowCommandsMode | undefined }): Promise<SupervisedRun> {
  return supervise({ binary: nativeSupervisor(), plan: encodePlan(input.plan, input.exec), argv: [], env: {}, cwd: input.cwd, mode: 'foreground', workflowCommands: input.workflowCommands });
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
export function endLike(result: Pick<SupervisedRun, 'exitCode' | 'signal'>): number {
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
