// What both of the Action's modes share: the step's context, the runner layout the preset is
// computed from, preparing a plan for the step, and reporting that plan in the log.
import { join } from 'node:path';
import { refusalMessage } from '../landlock/compat.js';
import type { Kernel } from '../landlock/kernel.js';
import { LANDLOCK_SCOPE_SIGNAL } from '../landlock/uapi.js';
import { qualifiedNames } from '../landlock/access.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';
import { abiLine, capabilitiesLine, droppedLines, handledLine, ruleLines } from '../plan/explain.js';
import { prepare, type Prepared } from '../plan/prepare.js';
import type { Policy } from '../policy/schema.js';
import { UnsupportedKernelError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { assertGrantsSafe, stepSecretWarnings, type StepLayout } from '../step/step.js';
import { TITLE, type Core } from './core.js';
import type { ActionSettings } from './inputs.js';
import type { RunnerContext } from './runner.js';

export interface ActionStep {
  readonly core: Core;
  readonly log: Logger;
  readonly settings: ActionSettings;
  readonly ctx: RunnerContext;
  readonly kernel: Kernel;
  readonly kernelAbi: number;
  readonly errata: number | undefined;
  readonly actionPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
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

/** The step's plan for `command`, with the user's grants checked against the runner's secrets. */
export function prepareStep(step: ActionStep, policy: Policy, command: readonly string[]): Prepared {
  const { settings } = step;
  const prepared = prepare({
    policy,
    command,
    cwd: settings.workingDirectory,
    searchPath: step.env.PATH,
    addExec: false,
    ldd: false,
    bestEffort: settings.bestEffort,
    kernelAbi: step.kernelAbi,
    targetAbi: settings.targetAbi,
  });
  assertGrantsSafe(prepared.compiled, layoutFor(step.ctx));
  return prepared;
}

export function capabilitiesOf(step: ActionStep, prepared: Prepared): 'none-held' | 'dropped' | 'kept' {
  if (step.kernel.permittedCapabilities() === 0n) return 'none-held';
  return prepared.plan.dropCapabilities ? 'dropped' : 'kept';
}

/** The plan and its enforcement in the log; refuses (strict mode) when a required right is missing. */
export async function reportPlan(step: ActionStep, prepared: Prepared): Promise<void> {
  const { core, log, settings } = step;
  const { plan, report } = prepared;
  await log.group('Policy', () => {
    log.info(`handled: ${handledLine(plan)}`);
    log.info(ruleLines(plan).join('\n'));
    for (const r of plan.pathRules) log.debug(`rule ${r.path}: ${qualifiedNames('fs', r.access).join(' ')}`);
    log.info(`seccomp: ${seccompProfileName(plan.seccomp)}${plan.seccomp ? ` (${describeSeccomp(plan.seccomp)})` : ''}`);
    log.info(capabilitiesLine(capabilitiesOf(step, prepared)));
    for (const n of [...prepared.compiled.notes, ...report.notes]) log.info(n);
  });
  await log.group('Enforcement', () => {
    log.info(abiLine(report));
    if (report.refused) throw new UnsupportedKernelError(refusalMessage(report));
    for (const d of droppedLines(report)) core.warning(`not enforced: ${d}`, { title: `${TITLE}: a right is not enforced on this runner` });
    if (report.status === 'none') core.warning('no Landlock rules are enforced at all on this runner (best effort)', { title: TITLE });
    if ((plan.scoped & LANDLOCK_SCOPE_SIGNAL) === 0) {
      core.warning(
        `Landlock ABI ${report.abi} cannot keep the script from signalling processes outside the sandbox (scope.signal, ABI 6): it could kill this action before the .git restore and the clean-up run, and processes it leaves behind are found by scanning /proc instead of being killed in one sweep`,
        { title: `${TITLE}: weaker isolation on this runner` },
      );
    }
    if (settings.bestEffort && report.dropped.length === 0) log.info('best-effort was set, but nothing had to be dropped');
    for (const w of stepSecretWarnings(settings, layoutFor(step.ctx))) core.warning(w, { title: `${TITLE}: a withheld secret is given back` });
  });
}
