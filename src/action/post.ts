// The Action's post step: in shell mode, one job-summary section listing every sandboxed step.
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { explainMarkdown } from '../plan/explain.js';
import { describeError } from '../shared/errors.js';
import { mdEscape as esc } from '../shared/markdown.js';
import { readJournal, readShellState, SHELL_STATE, type JournalEntry } from '../step/shell-state.js';
import { actionCore, TITLE, type Core } from './core.js';
import { resultText, writeSummary } from './summary.js';

export async function run(deps: { readonly core?: Core; readonly env?: Readonly<Record<string, string | undefined>> } = {}): Promise<void> {
  const core = deps.core ?? actionCore();
  const env = deps.env ?? process.env;
  const dir = core.getState(SHELL_STATE);
  if (!dir || !existsSync(join(dir, 'state.json'))) return; // run mode: main reported already
  // The state arrives through the runner; make sure it is the directory the setup step made (below
  // RUNNER_TEMP, ours, private), not one a script pointed it at.
  const runnerTemp = env.RUNNER_TEMP ?? '';
  const st = lstatSync(dir);
  const parentOk = runnerTemp !== '' && dirname(dir) === runnerTemp && /^landrun-shell-/.test(basename(dir));
  if (!parentOk || !st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0) {
    core.warning(`ignoring shell-mode state at ${dir}: not the private directory the setup step created`, { title: TITLE });
    return;
  }
  try {
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
