// The Action's main step. Run mode: sandbox the `run` script, report, fail the step when the
// script fails or touched what it must not. Shell mode (`run` empty): compile the policy once and
// put landrun-shell on PATH for later steps. This process never restricts itself.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '../landlock/kernel.js';
import { hardenWaitingProcess } from '../landlock/syscalls.js';
import { actionCore, FAILED_TITLE, type Core } from './core.js';
import { readSettings, type ActionSettings } from './inputs.js';
import { createActionLogger } from './logger.js';
import { runMode } from './run-mode.js';
import { runnerContext } from './runner.js';
import { setupShellMode } from './shell-setup.js';
import { exitCodeText, failedMarkdown, failureText, writeSummary } from './summary.js';

export interface ActionDeps {
  readonly core: Core;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kernel: () => Promise<Kernel>;
  /** The directory holding action.yml and dist/. */
  readonly actionPath: string;
  /** Closes this process to the sandbox it starts (no inspector by signal, not dumpable, subreaper). */
  readonly harden: () => void;
}

/** The directory with action.yml: GITHUB_ACTION_PATH, else found upward from this file. */
export function findActionPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.GITHUB_ACTION_PATH && existsSync(join(env.GITHUB_ACTION_PATH, 'action.yml'))) return env.GITHUB_ACTION_PATH;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'action.yml'))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

async function realKernel(): Promise<Kernel> {
  const { createKoffiKernel } = await import('../landlock/syscalls.js');
  return createKoffiKernel();
}

export async function run(deps: Partial<ActionDeps> = {}): Promise<void> {
  const core = deps.core ?? actionCore();
  const env = deps.env ?? process.env;
  const actionPath = deps.actionPath ?? findActionPath(env);
  const ctx = runnerContext(env, process.execPath, actionPath);
  const shellMode = core.getInput('run').trim() === '';
  /** A failure before the script could run (run mode reports its own once it has started). */
  const notRun = async (e: unknown): Promise<void> => {
    const why = failureText(e);
    core.fail(why, FAILED_TITLE);
    if (!shellMode) core.info('the script did not run: the exit-code output is not set');
    await writeSummary(
      core,
      env,
      shellMode ? failedMarkdown('landrun shell mode', [`shell mode was not set up: ${why}`]) : failedMarkdown('landrun sandbox', [why], [['exit code', exitCodeText(undefined)]]),
    );
  };
  let settings: ActionSettings;
  try {
    settings = readSettings((name) => core.getInput(name), { workspace: ctx.workspace, home: ctx.home });
  } catch (e) {
    await notRun(e);
    return;
  }
  const log = createActionLogger(core, settings.logLevel);
  let started = false;
  try {
    (deps.harden ?? hardenWaitingProcess)();
    const kernel = await (deps.kernel ?? realKernel)();
    const kernelAbi = kernel.abiVersion();
    const errata = kernelAbi > 0 ? kernel.errata() : undefined;
    core.setOutput('abi', String(kernelAbi));
    await log.group('Landlock support', () =>
      log.info(kernelAbi > 0 ? `Landlock ABI ${kernelAbi}, errata 0x${(errata ?? 0).toString(16)}` : (kernel.unavailableReason() ?? 'Landlock is not available')),
    );
    const step = { core, log, settings, ctx, kernel, kernelAbi, errata, actionPath, env };
    if (shellMode) await setupShellMode(step);
    else {
      started = true;
      await runMode(step);
    }
  } catch (e) {
    // runMode reports its own failures; what it throws is a failure of the report itself.
    if (started) core.fail(failureText(e), FAILED_TITLE);
    else await notRun(e);
  }
}
