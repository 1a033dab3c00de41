// The Action's post step: in shell mode, one job-summary section listing every sandboxed step. In
// both modes: the checkout restored after a step whose process was killed before it could (the
// runner ends a cancellation with SIGKILL of that process; the sandbox dies with it, the git
// guard it kept in its step directory is released here).
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { explainMarkdown } from '../plan/explain.js';
import { describeError } from '../shared/errors.js';
import { mdEscape as esc } from '../shared/markdown.js';
import { readJournal, readShellState, SHELL_STATE, type JournalEntry } from '../step/shell-state.js';
import { finishLeftStep } from '../step/step.js';
import { actionCore, FAILED_TITLE, GIT_TITLE, RUN_STEP_STATE, TITLE, type Core } from './core.js';
import { resultText, writeSummary } from './summary.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether `dir`, named by saved state that arrives through the runner, is a directory the Action
 * made: in `parent`, named `prefix`…, ours and private (not one a script pointed the state at).
 */
function ownPrivateDir(dir: string, parent: string, prefix: string): boolean {
  const st = lstatSync(dir);
  return parent !== '' && dirname(dir) === parent && basename(dir).startsWith(prefix) && st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
}

const KILLED = "the step's process was killed before it ended (the runner's SIGKILL at the end of a cancellation), and its sandbox with it";

/** Restores the checkout from a step directory left behind; false when there was nothing to restore. */
function finishLeft(core: Core, stepDir: string): boolean {
  try {
    const left = finishLeftStep(stepDir);
    if (!left.restored) return false;
    if (left.gitMessage) core.fail(`${KILLED}; the post step restored the checkout: ${left.gitMessage}`, GIT_TITLE);
    else core.warning(`${KILLED}; the post step put the checkout credentials back`, { title: TITLE });
    return true;
  } catch (e) {
    core.fail(`${KILLED}; restoring the checkout failed: ${describeError(e)}`, FAILED_TITLE);
    return true;
  }
}

/** Run mode: main removes its step directory when it ends; one still there means main was killed. */
function finishKilledRun(core: Core, env: Env): void {
  const dir = core.getState(RUN_STEP_STATE);
  if (!dir || !existsSync(dir)) return;
  if (!ownPrivateDir(dir, env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'landrun') : '', 'landrun-step-')) {
    core.warning(`ignoring the run-mode state ${dir}: not a step directory the Action created`, { title: TITLE });
    return;
  }
  finishLeft(core, dir);
}

export async function run(deps: { readonly core?: Core; readonly env?: Env } = {}): Promise<void> {
  const core = deps.core ?? actionCore();
  const env = deps.env ?? process.env;
  finishKilledRun(core, env);
  const dir = core.getState(SHELL_STATE);
  if (!dir || !existsSync(join(dir, 'state.json'))) return; // run mode: main reported already
  // The state arrives through the runner; make sure it is the directory the setup step made (below
  // RUNNER_TEMP, ours, private), not one a script pointed it at.
  if (!ownPrivateDir(dir, env.RUNNER_TEMP ?? '', 'landrun-shell-')) {
    core.warning(`ignoring shell-mode state at ${dir}: not the private directory the setup step created`, { title: TITLE });
    return;
  }
  try {
    // landrun-shell removes its step's directory when it ends: one still there was killed.
    const stepsDir = join(dir, 'steps');
    const killed = (existsSync(stepsDir) ? readdirSync(stepsDir) : []).filter((name) => name.startsWith('landrun-step-') && finishLeft(core, join(stepsDir, name)));
    const state = readShellState(dir);
    const steps = readJournal(dir);
    const summary = [
      explainMarkdown({
        title: 'landrun shell mode',
        plan: state.plan,
        report: state.report,
        capabilities: state.plan.dropCapabilities ? 'dropped' : 'kept',
        extraRows: [['sandboxed steps', String(steps.length)]],
      }),
      stepsTable(steps),
      killed.length ? `${killed.length} step(s) not listed: ${KILLED}; the post step restored the checkout (see the annotations).\n\n` : '',
    ].join('');
    await writeSummary(core, env, summary);
    const failed = steps.filter((s) => s.gitChanged.length > 0);
    if (failed.length) core.warning(`${failed.length} sandboxed step(s) changed protected git files; they were restored`, { title: TITLE });
  } catch (e) {
    core.warning(`could not write the shell-mode summary: ${describeError(e)}`, { title: TITLE });
  } finally {
    rmSync(join(dir, 'steps'), { recursive: true, force: true });
  }
}

/** One row per sandboxed step: its result (and why it failed), the script's exit code, and notes. */
export function stepsTable(steps: readonly JournalEntry[]): string {
  const rows = steps.map((s) => {
    const notes = [s.leftovers ? `killed ${s.leftovers} leftover process(es)` : '', s.defused?.length ? `workflow commands printed as text: ${[...new Set(s.defused)].join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    const exit = s.scriptExitCode ?? 'not run';
    return `| ${esc(s.name)} | ${esc(resultText(s.failures))} | ${exit} | ${(s.durationMs / 1000).toFixed(1)} s | ${s.status} | ${esc(notes)} |`;
  });
  if (steps.length === 0) rows.push('| (no step used `shell: landrun-shell {0}`) | | | | | |');
  return ['| step | result | exit code | duration | enforcement | notes |', '|---|---|---|---|---|---|', ...rows, '', ''].join('\n');
}
