// landrun-shell: the program a workflow names in `shell: landrun-shell {0}`. The runner calls it
// with the path of the step's script; it runs that script under the plan the Action's setup step
// compiled, with this step's own temporary directory, then records the step for the job summary.
//   landrun-shell --state DIR [--shell bash|sh|python|"cmd {0}"] SCRIPT
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { FLAG_RIGHTS, FS_RIGHTS } from '../landlock/access.js';
import type { RulesetPlan } from '../landlock/plan.js';
import { extendPlan } from '../plan/extend.js';
import { describeError, exitCodeFor } from '../shared/errors.js';
import { createLineLogger, isLogLevel } from '../shared/logger.js';
import { checkExecChain, execChain, resolveCommand } from '../exec/command.js';
import { holdCancellation, nativeSupervisor, supervise } from '../launch/supervise.js';
import { appendJournal, readShellState } from '../step/shell-state.js';
import { finishStep, guardStepGit, keepGuard, makeStepDir, shellArgv, stepEnvironment } from '../step/step.js';
import { encodePlan } from '../launch/wire.js';

export interface ShellIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stderr: (s: string) => void;
  /** Closes this process to the sandbox it starts (hardenWaitingProcess). */
  readonly harden?: () => void;
}

/** The stored plan plus this step's private directory (read-write) and script (read-only). */
export function withStepRules(plan: RulesetPlan, tmp: string, script: string): RulesetPlan {
  return extendPlan(plan, {
    paths: [
      { path: tmp, realPath: realpathSync.native(tmp), kind: 'dir', rights: FLAG_RIGHTS.rw, origin: { kind: 'implied', by: 'landrun-shell', detail: 'step temporary directory' } },
      { path: script, realPath: realpathSync.native(script), kind: 'file', rights: FS_RIGHTS.read_file, origin: { kind: 'implied', by: 'landrun-shell', detail: 'step script' } },
    ],
  });
}

function firstLine(script: string): string {
  return script.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '(empty script)';
}

export async function shellMain(io: ShellIo): Promise<number> {
  let log = createLineLogger('warn', io.stderr);
  let stateDir: string | undefined;
  let shell: string | undefined;
  let i = 0;
  for (; i < io.argv.length; i++) {
    const a = io.argv[i] as string;
    if (a === '--state') stateDir = io.argv[++i];
    else if (a === '--shell') shell = io.argv[++i];
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  const script = io.argv[i];
  if (!stateDir || !script || io.argv.length > i + 1) {
    log.error('usage: landrun-shell [--shell SHELL] SCRIPT (set up by the landrun Action; use it as `shell: landrun-shell {0}`)');
    return 2;
  }
  let state;
  try {
    state = readShellState(stateDir);
  } catch (e) {
    log.error(`cannot read the sandbox set up by the landrun Action in ${stateDir}: ${describeError(e)}`);
    return exitCodeFor(e);
  }
  const level = state.settings.logLevel;
  log = createLineLogger(isLogLevel(level) ? level : 'warn', io.stderr);
  io.harden?.();
  // From here until the git metadata is restored, a cancellation must not end this process.
  const cancellation = holdCancellation();
  const step = makeStepDir(join(stateDir, 'steps'));
  const git = guardStepGit(state.settings, state.workspace);
  // For the post step, should this process be killed before it releases the guard.
  const kept = keepGuard(git, step.dir);
  if (kept) log.warn(kept);
  const out = { exitCode: 1, durationMs: 0, leftovers: 0, name: script, defused: [] as string[] };
  let scriptExitCode: number | undefined;
  const failures: string[] = [];
  try {
    out.name = `${io.env.GITHUB_ACTION ?? 'step'}: ${firstLine(readFileSync(script, 'utf8'))}`;
    const plan = withStepRules(state.plan, step.tmp, script);
    const argv = shellArgv(shell ?? state.settings.shell, script);
    const command = resolveCommand(argv[0] as string, io.env.PATH, io.cwd);
    checkExecChain(plan, execChain(command));
    // What only the setup step (a JavaScript action) had, for `env: KEY` entries naming it; the step's own value wins.
    const { env, notes } = stepEnvironment(state.settings, step.tmp, { ...(state.actionVariables ?? {}), ...io.env }, [state.workspace, io.cwd]);
    for (const n of notes) log.info(n);
    io.stderr(`[landrun] sandboxed: Landlock ${state.report.kernelAbi ? `ABI ${state.report.abi}` : 'unavailable'}, status ${state.report.status}\n`);
    const result = await supervise({
      binary: nativeSupervisor(),
      plan: encodePlan(plan),
      argv,
      env,
      cwd: io.cwd,
      mode: 'step',
      workflowCommands: state.settings.workflowCommands,
      cancellation,
    });
    if (!result.notStarted) scriptExitCode = result.exitCode;
    out.exitCode = result.cancelledBy && result.exitCode === 0 ? 1 : result.exitCode;
    out.durationMs = result.durationMs;
    out.leftovers = result.leftovers;
    out.defused = result.defused.map((d) => d.name);
    if (result.exitCode !== 0 && !result.notStarted) failures.push(`the script exited with ${result.exitCode}${result.signal ? ` (${result.signal})` : ''}`);
    if (result.leftovers > 0) log.warn(`killed ${result.leftovers} process(es) the script left running`);
    if (result.defused.length > 0) log.info(`workflow commands printed as text, not acted on: ${result.defused.map((d) => d.name).join(', ')}`);
    if (result.cancelledBy) {
      const cancelled = `the step was cancelled (${result.cancelledBy}): ${result.notStarted ? 'the script was not started' : 'the sandbox was stopped'}`;
      log.error(cancelled);
      failures.push(cancelled);
    }
  } catch (e) {
    log.error(describeError(e));
    out.exitCode = exitCodeFor(e);
    failures.push(scriptExitCode === undefined ? `the script did not run: ${describeError(e)}` : describeError(e));
  } finally {
    const { gitChanged, gitMessage } = finishStep(git, state.workspace, step.dir);
    if (gitMessage) {
      log.error(gitMessage);
      failures.push(gitMessage);
      if (out.exitCode === 0) out.exitCode = 1;
    }
    appendJournal(stateDir, { ...out, ...(scriptExitCode !== undefined ? { scriptExitCode } : {}), failures, status: state.report.status, gitChanged });
    cancellation.release();
  }
  return out.exitCode;
}
