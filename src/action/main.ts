// The Action's main step. Run mode: sandbox the `run` script, report, fail the step when the
// script fails or touched what it must not. Shell mode (`run` empty): compile the policy once and
// put landrun-shell on PATH for later steps. This process never restricts itself.
import * as core from '@actions/core';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refusalMessage } from '../landlock/compat.js';
import type { Kernel } from '../landlock/kernel.js';
import { capabilitiesLine, denialsMarkdown, mdEscape, droppedLines, explainMarkdown, handledLine, ruleLines, abiLine } from '../plan/explain.js';
import { denialReportText, objectText, type DenialReport, type Suggestion } from '../denials/report.js';
import { renderPolicyFile } from '../policy/policy-file.js';
import { forbiddenPath } from '../policy/presets.js';
import type { Policy } from '../policy/schema.js';
import { openLocalAuditSession, openRelayAuditSession, type AuditSession } from '../denials/audit-session.js';
import { watchDenials } from '../denials/watch.js';
import { learnLoop } from '../denials/learn.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';
import { ExecError, PolicyError, UnsupportedKernelError, UsageError } from '../shared/errors.js';
import { checkExecChain } from '../exec/command.js';
import { prepare, type Prepared } from '../plan/prepare.js';
import { runSandboxed, type RunSandboxedResult } from '../launch/run.js';
import { encodePlan } from '../launch/wire.js';
import { assertGrantsSafe, finishStep, guardStepGit, makeStepDir, shellArgv, stepEnvironment, stepPolicy, writeScript, type StepLayout } from '../step/step.js';
import { readSettings, type ActionSettings } from './inputs.js';
import { runnerContext, type RunnerContext } from './runner.js';
import { SHELL_STATE, writeShellState } from '../step/shell-state.js';
import { setChildSubreaper } from '../landlock/syscalls.js';
import { LANDLOCK_SCOPE_SIGNAL } from '../landlock/uapi.js';

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

/** What the runner's install holds that the sandbox must never read (its registration and keys). */
const RUNNER_SECRETS = ['.credentials', '.credentials_rsaparams', '.runner', '.env', '.path', '.setup_info', '_diag'];

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
      ...(ctx.runnerRoot ? RUNNER_SECRETS.map((f) => join(ctx.runnerRoot as string, f)) : []),
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
  if ((prepared.plan.scoped & LANDLOCK_SCOPE_SIGNAL) === 0) {
    core.warning(
      `Landlock ABI ${report.abi} cannot keep the script from signalling processes outside the sandbox (scope.signal, ABI 6): it could kill this action before the .git restore and the clean-up run, and processes it leaves behind are found by scanning /proc instead of being killed in one sweep`,
      { title: 'landrun: weaker isolation on this runner' },
    );
  }
  if (settings.bestEffort && report.dropped.length === 0) core.info('best-effort was set, but nothing had to be dropped');
  core.endGroup();
}

function prepareAction(settings: ActionSettings, env: Readonly<Record<string, string | undefined>>, kernelAbi: number, policy: Policy, command: readonly string[], layout: StepLayout): Prepared {
  const prepared = prepare({
    policy,
    command,
    cwd: settings.workingDirectory,
    searchPath: env.PATH,
    addExec: false,
    ldd: false,
    bestEffort: settings.bestEffort,
    kernelAbi,
    targetAbi: settings.targetAbi,
  });
  assertGrantsSafe(prepared.compiled.plan, layout);
  return prepared;
}

/** Audit sessions for the Action: in this process when it may (root), else through `sudo -n`. */
function auditOpener(actionPath: string): (allowEnable: boolean) => Promise<AuditSession> {
  return async (allowEnable) => {
    try {
      return await openLocalAuditSession(allowEnable);
    } catch (local) {
      if (process.getuid?.() === 0) throw local;
      try {
        return await openRelayAuditSession(process.execPath, join(actionPath, 'dist', 'audit-relay', 'index.cjs'), allowEnable);
      } catch (relay) {
        throw new Error(`${(local as Error).message}; through sudo: ${(relay as Error).message}`, { cause: relay });
      }
    }
  };
}

function annotateDenials(report: DenialReport): void {
  // The runner shows at most 10 annotations of a kind per step.
  for (const e of report.entries.slice(0, 9)) {
    const fix = report.suggestions.find((s) => s.because.includes(e));
    core.warning(`${e.rights.join(', ')} ${objectText(e.object)}${e.processes.length ? ` by ${e.processes.join(', ')}` : ''}${fix ? ` — allow with ${fix.flag} (input ${fix.option.slice(2)}${fix.value ? `: ${fix.value}` : ''})` : ''}`, { title: 'landrun: denied' });
  }
  if (report.entries.length > 9) core.warning(`${report.entries.length - 9} more denials: see the job summary`, { title: 'landrun: denied' });
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
    const basePolicy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: step.tmp, scriptFiles: [script] });
    const argv = shellArgv(settings.shell, script);
    const holdsCaps = kernel.permittedCapabilities() !== 0n;
    const { env: stepEnv, removed } = stepEnvironment(settings, step.tmp, env);
    if (removed.length) core.info(`not passed to the script: ${removed.join(', ')}`);
    let first = true;

    /** One sandboxed run of the script under `policy`, watched for denials. */
    const runOnce = async (policy: Policy): Promise<{ prepared: Prepared; result: RunSandboxedResult; denials: DenialReport }> => {
      const prepared = prepareAction(settings, env, kernelAbi, policy, argv, layoutFor(ctx));
      if (first) {
        core.setOutput('status', prepared.report.status);
        reportPlan(prepared, settings, capabilitiesLine(!holdsCaps ? 'none-held' : prepared.plan.dropCapabilities ? 'dropped' : 'kept'));
        first = false;
      } else if (prepared.report.refused) throw new UnsupportedKernelError(refusalMessage(prepared.report));
      checkExecChain(prepared.plan, prepared.chain);
      const watch = await watchDenials(prepared.plan, argv, {
        allowAuditEnable: settings.audit,
        allowTrace: settings.trace,
        searchPath: env.PATH,
        cwd: settings.workingDirectory,
        home: ctx.home,
        workDir: join(step.dir, 'watch'),
        openAudit: auditOpener(actionPath),
        supervised: true,
        forbidden: (p) => forbiddenPath(p, ctx.home, layoutFor(ctx).hidden, ctx.workspace),
      });
      const timer = setInterval(() => watch.poll(), 10);
      let result: RunSandboxedResult;
      try {
        result = await runSandboxed({
          node: process.execPath,
          launcher: join(actionPath, 'dist', 'launcher', 'index.cjs'),
          plan: encodePlan(watch.plan),
          argv: watch.argv,
          env: stepEnv,
          cwd: settings.workingDirectory,
          becomeSubreaper: setChildSubreaper,
          onSpawn: (pid) => watch.started(pid),
        });
      } finally {
        clearInterval(timer);
      }
      watch.poll();
      return { prepared, result, denials: await watch.finish() };
    };

    let run: Awaited<ReturnType<typeof runOnce>>;
    let learnedNote: string[] = [];
    if (settings.mode === 'learn') {
      core.info('learn mode: the script runs until nothing new is denied (at most 5 times); make sure running it again is harmless');
      let last: Awaited<ReturnType<typeof runOnce>> | undefined;
      const learned = await learnLoop({
        rounds: 5,
        policy: basePolicy,
        runRound: async (policy) => {
          last = await runOnce(policy);
          if (last.denials.source === 'none') throw new UnsupportedKernelError(`learn mode needs to see denials, and cannot on this runner: ${last.denials.sourceNote}`);
          return { exitCode: last.result.exitCode, report: last.denials };
        },
        onRound: ({ round, outcome, learned: fresh, wide }) => {
          core.info(`learn round ${round}: exit ${outcome.exitCode}, ${outcome.report.entries.length} denial(s)${fresh.length ? `, learned ${fresh.map((f) => f.flag).join(' ')}` : ''}`);
          for (const w of wide) core.warning(`not learned (too wide, decide yourself): ${w.flag}${w.note ? ` — ${w.note}` : ''}`);
        },
      });
      run = last as NonNullable<typeof last>;
      const fragment = learnedPolicy(settings, learned.learned);
      core.setOutput('learned-policy', fragment);
      learnedNote = [`learn mode: ${learned.rounds} round(s), ${learned.converged ? 'converged' : 'still denied at the end'}; learned ${mdEscape(learned.learned.map((l) => l.flag).join(' ')) || 'nothing'}`];
      await core.summary.addRaw(`### landrun learned policy\n\nPaste into the action's \`with:\` block (or a file for \`landrun --policy\`):\n\n\`\`\`yaml\n${fragment}\`\`\`\n\n`);
    } else {
      run = await runOnce(basePolicy);
    }
    exitCode = run.result.exitCode;
    if (run.result.leftovers > 0) core.warning(`killed ${run.result.leftovers} process(es) the script left running`);
    if (exitCode !== 0 && settings.mode !== 'learn') failure = `the script exited with ${exitCode}${run.result.signal ? ` (${run.result.signal})` : ''}`;
    if (settings.mode !== 'learn') annotateDenials(run.denials);
    core.info(denialReportText(run.denials));

    await core.summary
      .addRaw(
        explainMarkdown({
          title: 'landrun sandbox',
          plan: run.prepared.plan,
          report: run.prepared.report,
          errata,
          capabilities: !holdsCaps ? 'none-held' : run.prepared.plan.dropCapabilities ? 'dropped' : 'kept',
          exitCode,
          durationMs: run.result.durationMs,
          reproduce: reproduceCommand(settings),
          extraNotes: [
            ...learnedNote,
            '`.git/config` and `.git/hooks`: checked and restored after the step (the workspace is writable, so the kernel cannot keep them read-only)',
            ...(removed.length ? [`not passed to the script: ${removed.join(', ')}`] : []),
          ],
        }),
      )
      .addRaw(denialsMarkdown(run.denials))
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

/** The user's inputs plus what learn mode added, as a `with:` block. */
function learnedPolicy(settings: ActionSettings, learned: readonly Suggestion[]): string {
  const values: Record<string, string[]> = {};
  for (let i = 0; i < settings.flags.length; i++) {
    const key = (settings.flags[i] as string).slice(2);
    if (['ro', 'rox', 'rw', 'rwx', 'unix', 'bind-tcp', 'connect-tcp', 'env'].includes(key)) (values[key] ??= []).push(settings.flags[++i] as string);
  }
  for (const s of learned) if (!s.wide && s.value) (values[s.option.slice(2)] ??= []).push(s.value);
  const file: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) file[k] = k.endsWith('-tcp') ? [...new Set(v)].join(', ') : [...new Set(v)].join('\n');
  return renderPolicyFile(file);
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
  // Compile once, with a stand-in step directory, to validate and report; each step adds its own
  // temporary directory and script file to the stored plan.
  const probeTmp = join(stateDir, 'steps');
  mkdirSync(probeTmp, { mode: 0o700 });
  const policy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: probeTmp, scriptFiles: [] });
  const prepared = prepareAction(settings, env, kernelAbi, { ...policy, paths: policy.paths.filter((p) => p.path !== probeTmp) }, ['bash'], layoutFor(ctx));
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
