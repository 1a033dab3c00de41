// Shell mode's setup step (`run` empty): compile the policy once, store it where no sandbox can
// reach it (below RUNNER_TEMP), and put landrun-shell on PATH. Each later step that says
// `shell: landrun-shell {0}` adds its own temporary directory and script to the stored plan.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHELL_STATE, writeShellState } from '../step/shell-state.js';
import { actionOnlyVariables, stepPolicy } from '../step/step.js';
import { layoutFor, prepareStep, reportPlan, type ActionStep } from './context.js';

export async function setupShellMode(step: ActionStep): Promise<void> {
  const { core, log, settings, ctx } = step;
  const stateDir = mkdtempSync(join(ctx.runnerTemp, 'landrun-shell-'));
  chmodSync(stateDir, 0o700);
  const policy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: undefined, scriptFiles: [] });
  const prepared = prepareStep(step, policy, ['bash']);
  await reportPlan(step, prepared);
  const bin = writeShellState(stateDir, {
    settings,
    plan: prepared.plan,
    report: prepared.report,
    node: process.execPath,
    shellEntry: join(step.actionPath, 'dist', 'shell', 'index.cjs'),
    workspace: ctx.workspace,
    layout: layoutFor(ctx),
    actionVariables: actionOnlyVariables(settings, step.env),
  });
  core.addPath(dirname(bin));
  core.saveState(SHELL_STATE, stateDir);
  core.setOutput('status', prepared.report.status);
  core.setOutput('shell', bin);
  log.info(`shell mode: later steps with "shell: landrun-shell {0}" run sandboxed (program: ${bin})`);
  writeFileSync(join(stateDir, 'journal.jsonl'), '');
}
