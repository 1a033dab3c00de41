// The Action's post step: in shell mode, one job-summary section listing every sandboxed step. In
// both modes: the checkout restored after a step whose process was killed before it could (the
// runner ends a cancellation with SIGKILL of that process; the sandbox dies with it, the git
// guard it kept in its step directory is released here).
import * as actionsCore from '@actions/core';
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { explainMarkdown } from '../plan/explain.js';
import { describeError } from '../shared/errors.js';
import { mdEscape as esc } from '../shared/markdown.js';
import { readJournal, readShellState, SHELL_STATE } from '../step/shell-state.js';
import { finishLeftStep } from '../step/step.js';
import { RUN_STEP_STATE, TITLE, type Core } from './core.js';

/**
 * Whether `dir`, named by saved state that arrives through the runner, is a directory the Action
 * made: in `parent`, named `prefix`…, ours and private (not one a script pointed the state at).
 */
function ownPrivateDir(dir: string, parent: string, prefix: string): boolean {
  const st = lstatSync(dir);
  return dirname(dir) === parent && basename(dir).startsWith(prefix) && st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
}

const KILLED = "the step's process was killed before it ended (the runner's SIGKILL at the end of a cancellation), and its sandbox with it";

/** Restores the checkout from a step directory left behind; false when there was nothing to restore. */
function finishLeft(core: Core, stepDir: string): boolean {
  try {
    const left = finishLeftStep(stepDir);
    if (!left.restored) return false;
    if (left.gitMessage) core.setFailed(`${KILLED}; the post step restored the checkout: ${left.gitMessage}`);
    else core.warning(`${KILLED}; the post step put the checkout credentials back`, { title: TITLE });
    return true;
  } catch (e) {
    core.setFailed(`${KILLED}; restoring the checkout failed: ${describeError(e)}`);
    return true;
  }
}

/** Run mode: main removes its step directory when it ends; one still there means main was killed. */
function finishKilledRun(core: Core): void {
  const dir = core.getState(RUN_STEP_STATE);
  if (!dir || !existsSync(dir)) return;
  if (!ownPrivateDir(dir, join(process.env.RUNNER_TEMP ?? '', 'landrun'), 'landrun-step-')) {
    core.warning(`ignoring the run-mode state ${dir}: not a step directory the Action created`, { title: TITLE });
    return;
  }
  finishLeft(core, dir);
}

export async function run(deps: { readonly core?: Core } = {}): Promise<void> {
  const core = deps.core ?? actionsCore;
  finishKilledRun(core);
  const dir = core.getState(SHELL_STATE);
  if (!dir || !existsSync(join(dir, 'state.json'))) return; // run mode: main reported already
  // The state arrives through the runner; make sure it is the directory the setup step made (below
  // RUNNER_TEMP, ours, private), not one a script pointed it at.
  const runnerTemp = process.env.RUNNER_TEMP ?? '';
  if (runnerTemp === '' || !ownPrivateDir(dir, runnerTemp, 'landrun-shell-')) {
    core.warning(`ignoring shell-mode state at ${dir}: not the private directory the setup step created`, { title: TITLE });
    return;
  }
  try {
    // landrun-shell removes its step's directory when it ends: one still there was killed.
    const stepsDir = join(dir, 'steps');
    const killed = (existsSync(stepsDir) ? readdirSync(stepsDir) : []).filter((name) => name.startsWith('landrun-step-') && finishLeft(core, join(stepsDir, name)));
    const state = readShellState(dir);
    const steps = readJournal(dir);
    const table = [
      '| step | exit code | duration | enforcement | notes |',
      '|---|---|---|---|---|',
      ...steps.map(
        (s) =>
          `| ${esc(s.name)} | ${s.exitCode} | ${(s.durationMs / 1000).toFixed(1)} s | ${s.status} | ${esc(
            [
              s.gitChanged.length ? `changed what later git commands read or run: ${s.gitChanged.join(', ')}` : '',
              s.leftovers ? `killed ${s.leftovers} leftover process(es)` : '',
              s.defused?.length ? `workflow commands printed as text: ${[...new Set(s.defused)].join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; '),
          )} |`,
      ),
    ];
    if (steps.length === 0) table.push('| (no step used `shell: landrun-shell {0}`) | | | | |');
    core.summary.addRaw(
        explainMarkdown({
          title: 'landrun shell mode',
          plan: state.plan,
          report: state.report,
          capabilities: state.plan.dropCapabilities ? 'dropped' : 'kept',
          extraRows: [['sandboxed steps', String(steps.length)]],
        }),
      );
    if (killed.length) table.push('', `${killed.length} step(s) not listed: ${KILLED}; the post step restored the checkout (see the annotations).`);
    core.summary.addRaw(`${table.join('\n')}\n`);
    await core.summary.write();
    const failed = steps.filter((s) => s.gitChanged.length > 0);
    if (failed.length) core.warning(`${failed.length} sandboxed step(s) changed protected git files; they were restored`, { title: TITLE });
  } catch (e) {
    core.warning(`could not write the shell-mode summary: ${describeError(e)}`, { title: TITLE });
  } finally {
    rmSync(join(dir, 'steps'), { recursive: true, force: true });
  }
}
