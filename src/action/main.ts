// The Action's main step. Run mode: sandbox the `run` script, report, fail the step when the
// script fails or touched what it must not. Shell mode (`run` empty): compile the policy once and
// put landrun-shell on PATH for later steps. This process never restricts itself.
import * as core from '@actions/core';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refusalMessage } from '../landlock/compat.js';
import type { Kernel } from '../landlock/kernel.js';
import { capabilitiesLine, droppedLines, explainMarkdown, handledLine, ruleLines, abiLine } from '../policy/explain.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';
import { ExecError, PolicyError, UnsupportedKernelError, UsageError } from '../shared/errors.js';
import { checkExecChain } from '../sandbox/command.js';
import { prepare, type Prepared } from '../sandbox/prepare.js';
import { runSandboxed } from '../sandbox/run.js';
import { encodePlan } from '../sandbox/wire.js';
import { finishStep, guardStepGit, makeStepDir, shellArgv, stepEnvironment, stepPolicy, writeScript, type StepLayout } from '../sandbox/step.js';
import { readSettings, type ActionSettings } from './inputs.js';
import { runnerContext, type RunnerContext } from './runner.js';
import { SHELL_STATE, writeShellState } from '../sandbox/shell-state.js';
import { setChildSubreaper } from '../landlock/syscalls.js';

export interface ActionDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kernel: () => Promise<Kernel>;
  /** The directory holding action.yml and dist/. */
  readonly actionPath: string;
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

export function layoutFor(ctx: RunnerContext): StepLayout {
  return {
    workspace: ctx.workspace,
    home: ctx.home,
    toolCache: ctx.toolCache,
    // RUNNER_TEMP holds credentials (checkout v6, setup-node's .npmrc) and the file-command files;
    // the runner's install holds its own .credentials. The usual install paths are hidden as well,
    // in case the install could not be located.
    hidden: [
      ctx.runnerTemp,
      ...(ctx.runnerRoot ? [ctx.runnerRoot] : []),
      ...(ctx.home ? [`${ctx.home}/actions-runner`, `${ctx.home}/runners`] : []),
    ],
    readableFiles: [ctx.eventPath, process.env.NPM_CONFIG_USERCONFIG].filter((f): f is string => !!f),
    outputFiles: [ctx.files.output, ctx.files.summary].filter((f): f is string => !!f),
  };
}

/** Shell-quotes a word for the reproduction command. */
const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function reproduceCommand(settings: ActionSettings): string {
  const script = settings.run.trim();
  const shell = settings.shell === 'bash' ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'] : [...settings.shell.replace('{0}', '').trim().split(/\s+/), '-c'];
  return ['npx', 'landrun-action', '--preset', settings.preset, ...settings.flags.map(q), '--', ...shell, q(script)].join(' ');
}

export async function run(deps: Partial<ActionDeps> = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const actionPath = deps.actionPath ?? findActionPath(env);
  const ctx = runnerContext(env, process.execPath, actionPath);
  let settings: ActionSettings;
  try {
    settings = readSettings((name) => core.getInput(name), { workspace: ctx.workspace, home: ctx.home });
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
    return;
  }
  try {
    const kernel = await (deps.kernel ?? realKernel)();
    const kernelAbi = kernel.abiVersion();
    const errata = kernelAbi > 0 ? kernel.errata() : undefined;
    core.setOutput('abi', String(kernelAbi));
    core.startGroup('Landlock support');
    core.info(kernelAbi > 0 ? `Landlock ABI ${kernelAbi}, errata 0x${(errata ?? 0).toString(16)}` : (kernel.unavailableReason() ?? 'Landlock is not available'));
    core.endGroup();
    if (settings.run.trim() === '') await setupShellMode(settings, ctx, kernel, kernelAbi, actionPath, env);
    else await runMode(settings, ctx, kernel, kernelAbi, errata, actionPath, env);
  } catch (e) {
    if (e instanceof PolicyError || e instanceof UsageError || e instanceof UnsupportedKernelError || e instanceof ExecError) {
      core.setFailed(e.message);
    } else {
      core.setFailed(`landrun: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}

function reportPlan(prepared: Prepared, settings: ActionSettings, caps: string): void {
  const { plan, report } = prepared;
  core.startGroup('Policy');
  core.info(`handled: ${handledLine(plan)}`);
  core.info(ruleLines(plan).join('\n'));
  core.info(`seccomp: ${seccompProfileName(plan.seccomp)}${plan.seccomp ? ` (${describeSeccomp(plan.seccomp)})` : ''}`);
  core.info(caps);
  for (const n of [...prepared.compiled.notes, ...report.notes]) core.info(n);
  core.endGroup();
  core.startGroup('Enforcement');
  core.info(abiLine(report));
  if (report.refused) {
    core.endGroup();
    throw new UnsupportedKernelError(refusalMessage(report));
  }
  for (const d of droppedLines(report)) core.warning(`not enforced: ${d}`, { title: 'landrun: a right is not enforced on this runner' });
  if (report.status === 'none') core.warning('no Landlock rules are enforced at all on this runner (best effort)');
  if (settings.bestEffort && report.dropped.length === 0) core.info('best-effort was set, but nothing had to be dropped');
  core.endGroup();
}

async function runMode(
  settings: ActionSettings,
  ctx: RunnerContext,
  kernel: Kernel,
  kernelAbi: number,
  errata: number | undefined,
  actionPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const step = makeStepDir(join(ctx.runnerTemp, 'landrun'));
  const script = writeScript(step.dir, settings.run);
  const git = guardStepGit(settings, ctx.workspace);
  let exitCode = 0;
  let failure: string | undefined;
  try {
    if (git && git.withheld.extraheaders + git.withheld.credentialIncludes > 0) {
      core.info(`withheld the checkout credentials from .git/config for this step (${git.withheld.extraheaders} extraheader, ${git.withheld.credentialIncludes} credentials include); they are put back afterwards`);
    }
    const policy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: step.tmp, scriptFiles: [script] });
    const argv = shellArgv(settings.shell, script);
    const prepared = prepare({
      policy,
      command: argv,
      cwd: settings.workingDirectory,
      searchPath: env.PATH,
      addExec: false,
      ldd: false,
      bestEffort: settings.bestEffort,
      kernelAbi,
      targetAbi: settings.targetAbi,
    });
    const holdsCaps = kernel.permittedCapabilities() !== 0n;
    const caps = capabilitiesLine(!holdsCaps ? 'none-held' : prepared.plan.dropCapabilities ? 'dropped' : 'kept');
    core.setOutput('status', prepared.report.status);
    reportPlan(prepared, settings, caps);
    checkExecChain(prepared.plan, prepared.chain);
    const { env: stepEnv, removed } = stepEnvironment(settings, step.tmp, env);
    if (removed.length) core.info(`not passed to the script: ${removed.join(', ')}`);

    const result = await runSandboxed({
      node: process.execPath,
      launcher: join(actionPath, 'dist', 'launcher', 'index.cjs'),
      plan: encodePlan(prepared.plan),
      argv,
      env: stepEnv,
      cwd: settings.workingDirectory,
      becomeSubreaper: setChildSubreaper,
    });
    exitCode = result.exitCode;
    if (result.leftovers > 0) core.warning(`killed ${result.leftovers} process(es) the script left running`);
    if (exitCode !== 0) failure = `the script exited with ${exitCode}${result.signal ? ` (${result.signal})` : ''}`;

    await core.summary
      .addRaw(
        explainMarkdown({
          title: 'landrun sandbox',
          plan: prepared.plan,
          report: prepared.report,
          errata,
          capabilities: !holdsCaps ? 'none-held' : prepared.plan.dropCapabilities ? 'dropped' : 'kept',
          exitCode,
          durationMs: result.durationMs,
          reproduce: reproduceCommand(settings),
          extraNotes: [
            '`.git/config` and `.git/hooks`: checked and restored after the step (the workspace is writable, so the kernel cannot keep them read-only)',
            ...(removed.length ? [`not passed to the script: ${removed.join(', ')}`] : []),
          ],
        }),
      )
      .write();
  } finally {
    const { gitChanged } = finishStep(git, ctx.workspace, step.dir);
    if (gitChanged.length) {
      const msg = `the script changed protected git files (restored): ${gitChanged.join(', ')}`;
      core.error(msg, { title: 'landrun: git metadata changed' });
      failure = failure ? `${failure}; ${msg}` : msg;
    }
    core.setOutput('exit-code', String(exitCode));
  }
  if (failure) core.setFailed(failure);
}

async function setupShellMode(
  settings: ActionSettings,
  ctx: RunnerContext,
  kernel: Kernel,
  kernelAbi: number,
  actionPath: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const stateDir = mkdtempSync(join(ctx.runnerTemp, 'landrun-shell-'));
  chmodSync(stateDir, 0o700);
  // Compile once, with a placeholder step directory, to validate and report; each step adds its own
  // temporary directory and script file to the stored plan.
  const probeTmp = join(stateDir, 'steps');
  mkdirSync(probeTmp, { mode: 0o700 });
  const policy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: probeTmp, scriptFiles: [] });
  const prepared = prepare({
    policy: { ...policy, paths: policy.paths.filter((p) => p.path !== probeTmp) },
    command: ['bash'],
    cwd: settings.workingDirectory,
    searchPath: env.PATH,
    addExec: false,
    ldd: false,
    bestEffort: settings.bestEffort,
    kernelAbi,
    targetAbi: settings.targetAbi,
  });
  const holdsCaps = kernel.permittedCapabilities() !== 0n;
  reportPlan(prepared, settings, capabilitiesLine(!holdsCaps ? 'none-held' : prepared.plan.dropCapabilities ? 'dropped' : 'kept'));
  const bin = writeShellState(stateDir, {
    settings,
    plan: prepared.plan,
    report: prepared.report,
    node: process.execPath,
    shellEntry: join(actionPath, 'dist', 'shell', 'index.cjs'),
    workspace: ctx.workspace,
    layout: layoutFor(ctx),
  });
  core.addPath(dirname(bin));
  core.saveState(SHELL_STATE, stateDir);
  core.setOutput('status', prepared.report.status);
  core.setOutput('shell', bin);
  core.info(`shell mode: later steps with "shell: landrun-shell {0}" run sandboxed (program: ${bin})`);
  writeFileSync(join(stateDir, 'journal.jsonl'), '');
}
