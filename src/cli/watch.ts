// The CLI when it reports denials or learns a policy: instead of becoming the command, it starts the
// native supervisor in the foreground (the terminal's process group), waits outside the sandbox,
// collects what the sandbox denied, reports, and ends the way the command ended (same status, same
// signal).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecSpec } from '../landlock/enforce.js';
import type { RulesetPlan } from '../landlock/plan.js';
import { denialReportText } from '../denials/render.js';
import type { DenialReport } from '../denials/report.js';
import type { Logger } from '../shared/logger.js';
import { watchDenials } from '../denials/watch.js';
import { forbiddenPath } from '../policy/presets.js';
import { nativeSupervisor, supervise, type SupervisedRun } from '../launch/supervise.js';
import { encodePlan } from '../launch/wire.js';
import type { WorkflowCommandsMode } from '../policy/vocabulary.js';

export interface WatchedRunInput {
  readonly plan: RulesetPlan;
  readonly exec: ExecSpec;
  readonly cwd: string;
  readonly searchPath: string | undefined;
  readonly home: string | undefined;
  readonly allowAudit: boolean;
  readonly allowTrace: boolean;
}

export async function runWatched(input: WatchedRunInput): Promise<{ result: SupervisedRun; report: DenialReport }> {
  const work = mkdtempSync(join(tmpdir(), 'landrun-watch-'));
  try {
    const watch = await watchDenials(input.plan, [input.exec.path, ...input.exec.argv.slice(1)], {
      allowAuditEnable: input.allowAudit,
      allowTrace: input.allowTrace,
      searchPath: input.searchPath,
      cwd: input.cwd,
      home: input.home,
      workDir: work,
      forbidden: (p) => forbiddenPath(p, input.home, []),
    });
    // Under --trace strace runs first and starts the command; otherwise the command itself.
    const exec: ExecSpec = watch.source === 'trace' ? { path: watch.argv[0] as string, argv: watch.argv, env: input.exec.env } : input.exec;
    const timer = setInterval(() => watch.poll(), 10);
    let result: SupervisedRun;
    try {
      result = await supervise({
        binary: nativeSupervisor(),
        plan: encodePlan(watch.plan, exec),
        argv: [],
        env: {},
        cwd: input.cwd,
        mode: 'foreground',
        onChild: (pid) => watch.started(pid),
      });
    } finally {
      clearInterval(timer);
    }
    watch.poll();
    return { result, report: await watch.finish() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A supervised run in the terminal's foreground, without a denial report. */
export function runForeground(input: { plan: RulesetPlan; exec: ExecSpec; cwd: string; workflowCommands: WorkflowCommandsMode | undefined }): Promise<SupervisedRun> {
  return supervise({ binary: nativeSupervisor(), plan: encodePlan(input.plan, input.exec), argv: [], env: {}, cwd: input.cwd, mode: 'foreground', workflowCommands: input.workflowCommands });
}

/** Reports at warn level when something was denied or nothing could be observed; info otherwise. */
export function logDenials(report: DenialReport, log: Logger): void {
  const text = denialReportText(report);
  if (report.source === 'none' || report.entries.length > 0 || report.unseen > 0) log.warn(text);
  else log.info(text);
}

/** Ends this process the way the command ended: its status, or the same signal. */
export function endLike(result: Pick<SupervisedRun, 'exitCode' | 'signal'>): number {
  if (result.signal) {
    process.removeAllListeners(result.signal);
    process.kill(process.pid, result.signal);
  }
  return result.exitCode;
}
