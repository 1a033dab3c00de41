// The Action's post step: in shell mode, one job-summary section listing every sandboxed step.
import * as core from '@actions/core';
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { explainMarkdown, mdEscape as esc } from '../plan/explain.js';
import { readJournal, readShellState, SHELL_STATE } from '../step/shell-state.js';



export async function run(): Promise<void> {
  const dir = core.getState(SHELL_STATE);
  if (!dir || !existsSync(join(dir, 'state.json'))) return; // run mode: main reported already
  // The state arrives through the runner; make sure it is the directory the setup step made (below
  // RUNNER_TEMP, ours, private), not one a script pointed it at.
  const runnerTemp = process.env.RUNNER_TEMP ?? '';
  const st = lstatSync(dir);
  const parentOk = runnerTemp !== '' && dirname(dir) === runnerTemp && /^landrun-shell-/.test(basename(dir));
  if (!parentOk || !st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0) {
    core.warning(`landrun: ignoring shell-mode state at ${dir}: not the private directory the setup step created`);
    return;
  }
  try {
    const state = readShellState(dir);
    const steps = readJournal(dir);
    const table = [
      '| step | exit code | duration | enforcement | notes |',
      '|---|---|---|---|---|',
      ...steps.map(
        (s) =>
          `| ${esc(s.name)} | ${s.exitCode} | ${(s.durationMs / 1000).toFixed(1)} s | ${s.status} | ${esc(
            [s.gitChanged.length ? `changed git files (restored): ${s.gitChanged.join(', ')}` : '', s.leftovers ? `killed ${s.leftovers} leftover process(es)` : '']
              .filter(Boolean)
              .join('; '),
          )} |`,
      ),
    ];
    if (steps.length === 0) table.push('| (no step used `shell: landrun-shell {0}`) | | | | |');
    await core.summary
      .addRaw(
        explainMarkdown({
          title: 'landrun shell mode',
          plan: state.plan,
          report: state.report,
          capabilities: state.plan.dropCapabilities ? 'dropped' : 'kept',
          extraRows: [['sandboxed steps', String(steps.length)]],
        }),
      )
      .addRaw(`${table.join('\n')}\n`)
      .write();
    const failed = steps.filter((s) => s.gitChanged.length > 0);
    if (failed.length) core.warning(`${failed.length} sandboxed step(s) changed protected git files; they were restored`);
  } catch (e) {
    core.warning(`landrun: could not write the shell-mode summary: ${(e as Error).message}`);
  } finally {
    rmSync(join(dir, 'steps'), { recursive: true, force: true });
  }
}
