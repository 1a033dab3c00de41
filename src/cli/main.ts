// The CLI: parse, prepare, report, then become the command (restrict this thread and execve).
// Returns an exit code for every path that does not exec; never calls process.exit itself.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Policy } from '../policy/schema.js';
import type { StepLayout, StepSettings } from '../step/step.js';
import { DNS_ENV, withDns } from '../policy/dns.js';
import { describeError, exitCodeFor, UnsupportedKernelError, UsageError, EXIT } from '../shared/errors.js';
import { originText } from '../shared/origin.js';
import { flagText, shellFlags } from '../policy/vocabulary.js';
import { shellWord } from '../shared/shell-words.js';
import { createLineLogger, type Logger } from '../shared/logger.js';
import { refusalMessage } from '../landlock/compat.js';
import type { Kernel } from '../landlock/kernel.js';
import { usesLandlock } from '../landlock/plan.js';
import { buildEnvironment } from '../policy/parse.js';
import { abiLine, capabilitiesLine, droppedLines, explainText, handledLine, ruleLines } from '../plan/explain.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';
import { checkExecChain, unreadableLibraries } from '../exec/command.js';
import { prepare, type Prepared } from '../plan/prepare.js';
import { HELP, parseArgs, type CliInvocation } from './args.js';
import type { WatchedRunInput } from './watch.js';
import { VERSION } from '../shared/version.js';

/** Programs whose job is to run another program found by name: with the empty sandbox environment they cannot. */
const PATH_RUNNERS = new Set(['strace', 'ltrace', 'env', 'timeout', 'nice', 'nohup', 'xargs', 'time', 'stdbuf', 'setsid', 'taskset', 'ionice', 'chrt', 'flock', 'watch', 'unbuffer', 'catchsegv']);

export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Injected for tests; the real one loads koffi. */
  readonly kernel?: () => Promise<Kernel>;
  /** Closes this process to the sandbox it waits for (no inspector by signal, not dumpable); tests inject a no-op. */
  readonly harden?: () => void;
}

async function realKernel(): Promise<Kernel> {
  const { createKoffiKernel } = await import('../landlock/syscalls.js');
  return createKoffiKernel();
}

export async function main(io: CliIo): Promise<number> {
  let log: Logger = createLineLogger('warn', io.stderr);
  let privateTmp: { dir: string; keep: boolean } | undefined;
  try {
    const parsed = parseArgs(io.argv, { cwd: io.cwd, env: io.env, readFile: (p) => readFileSync(p, 'utf8') });
    if (parsed.kind === 'help') {
      io.stdout(HELP);
      return 0;
    }
    if (parsed.kind === 'version') {
      io.stdout(`landrun ${VERSION} (landrun-action)\n`);
      return 0;
    }
    const inv = parsed.invocation;
    log = createLineLogger(inv.logLevel, io.stderr);

    const kernel = await (io.kernel ?? realKernel)();
    const kernelAbi = kernel.abiVersion();
    const ci = inv.preset === 'ci' ? await ciPresetForCli(inv, io) : undefined;
    if (ci) privateTmp = { dir: ci.tmp, keep: inv.keepTmp };
    for (const w of ci?.warnings ?? []) log.warn(w);
    for (const n of ci?.notes ?? []) log.info(n);
    const policy = ci ? ci.policy : inv.allowDns ? withDns(inv.policy, existsSync) : inv.policy;
    const prepareFor = (p: Policy): Prepared =>
      prepare({
        policy: p,
        command: inv.command,
        cwd: io.cwd,
        searchPath: io.env.PATH,
        addExec: inv.addExec,
        ldd: inv.ldd,
        bestEffort: inv.bestEffort,
        kernelAbi,
        targetAbi: inv.targetAbi,
      });
    const prepared = prepareFor(policy);
    const { plan, report, compiled } = prepared;
    const holdsCaps = kernel.permittedCapabilities() !== 0n;
    const caps = !holdsCaps ? 'none-held' : plan.dropCapabilities ? 'dropped' : 'kept';
    const notes = [...compiled.notes, ...compiled.skipped.map((g) => `skipped missing path ${g.path} (${originText(g.origin)}, --ignore-missing)`)];

    if (inv.explain) {
      io.stdout(
        explainText({ plan, report, errata: kernelAbi > 0 ? kernel.errata() : undefined, capabilities: caps, command: inv.command, extraNotes: notes }),
      );
      return report.refused ? EXIT.usage : 0;
    }

    if (inv.savePlan !== undefined) {
      if (report.refused) throw new UnsupportedKernelError(refusalMessage(report));
      const { encodePlan } = await import('../launch/wire.js');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(inv.savePlan, encodePlan(plan), { mode: 0o644 });
      log.info(`plan written to ${inv.savePlan}`);
      if (privateTmp) {
        // The saved plan grants that directory: it must outlive this run.
        privateTmp.keep = true;
        log.warn(`the plan grants the private TMPDIR ${privateTmp.dir}, which is kept for it: remove it when the plan is no longer needed`);
      }
      return 0;
    }

    // What is enforced, never what was requested.
    if (kernelAbi === 0) log.warn(kernel.unavailableReason() ?? 'Landlock is not available');
    if (log.enabled('info')) log.info(abiLine(report, kernelAbi > 0 ? kernel.errata() : undefined));
    log.info(`handled: ${handledLine(plan)}`);
    if (log.enabled('info')) log.info(`rules:\n${ruleLines(plan, log.enabled('debug')).join('\n')}`);
    log.info(`seccomp: ${seccompProfileName(plan.seccomp)}${plan.seccomp ? ` (${describeSeccomp(plan.seccomp)})` : ''}`);
    log.info(capabilitiesLine(caps));
    for (const n of notes) log.info(n);
    if (!inv.allowDns && plan.handledNet !== 0 && plan.netRules.some((r) => r.access & 2)) {
      log.info('UDP is closed, so host names cannot be resolved over the usual UDP port 53: add --allow-dns to resolve over TCP');
    }
    for (const n of report.notes) log.info(n);
    if (report.refused) throw new UnsupportedKernelError(refusalMessage(report));
    for (const d of droppedLines(report)) log.warn(`not enforced: ${d}`);
    if (report.status === 'none' && usesLandlock(compiled.plan)) {
      log.warn('BEST EFFORT: no Landlock rules are enforced at all; only no_new_privs' + (plan.seccomp ? ' and the seccomp network filter apply' : ' applies'));
    }
    if (caps === 'kept') log.warn('capabilities are kept (--keep-caps): root inside the sandbox can still use them');

    if (!inv.learn) checkExecChain(plan, prepared.chain); // learn mode learns the command's own start
    const libs = unreadableLibraries(plan, prepared.chain);
    if (libs.length > 0) {
      log.warn(`the dynamic loader cannot read ${libs.join(', ')} under this policy: add --ldd, or --ro for their directory`);
    }
    const command = prepared.command;
    if (!command) throw new UsageError('no command given');
    const env = ci
      ? Object.entries(ci.env).map(([k, v]) => `${k}=${v}`)
      : buildEnvironment(inv.allowDns ? [...Object.entries(DNS_ENV).map(([key, value]) => ({ key, value })), ...inv.env] : inv.env, io.env); // an explicit --env wins
    const runner = basename(command.path);
    if (PATH_RUNNERS.has(runner) && inv.command.length > 1 && !env.some((e) => e.startsWith('PATH='))) {
      log.warn(`${runner} looks up the program it runs in PATH, which is not set inside the sandbox (the environment is empty but for --env): add --env PATH`);
    }
    const exec = { path: command.path, argv: inv.command, env };
    // Becoming the command (the Go tool's way: no process in between) is the default; a run that
    // needs something afterwards — a denial report, the preset's clean-up, loopback connections,
    // the workflow-command filter — runs under the native supervisor while this process waits.
    const needsSupervisor = inv.reportDenials || ci !== undefined || policy.loopback || inv.workflowCommands !== undefined;
    if (!needsSupervisor) {
      const { enforceAndExec } = await import('../landlock/enforce.js');
      return enforceAndExec(plan, exec, kernel, log);
    }
    (io.harden ?? (await import('../landlock/syscalls.js')).hardenWaitingProcess)();
    const { runWatched, runForeground, logDenials, endLike, endBy } = await import('./watch.js');
    if (inv.reportDenials) {
      const watching = {
        cwd: io.cwd,
        searchPath: io.env.PATH,
        home: io.env.HOME,
        allowAudit: inv.allowAudit,
        forceTrace: inv.forceTrace,
        privateDirs: ci?.env.TMPDIR ? [ci.env.TMPDIR] : [],
      };
      if (inv.learn) return await learn(inv, log, { policy, prepareFor, env, watching, stdout: io.stdout });
      const { result, report: denials, stopped } = await runWatched({ plan, exec, ...watching });
      logDenials(denials, log);
      return stopped?.by === 'signal' ? endBy(stopped.signal, 128 + 15) : endLike(result);
    }
    return endLike(await runForeground({ plan, exec, cwd: io.cwd, workflowCommands: inv.workflowCommands }));
  } catch (e) {
    return reportError(e, log);
  } finally {
    if (privateTmp && !privateTmp.keep) rmSync(privateTmp.dir, { recursive: true, force: true });
  }
}

/**
 * --learn: run, collect denials, add the smallest grants that would have allowed them, and run
 * again, until nothing more can be learned or the rounds run out. The command really runs every
 * round; a round's time limit or SIGTERM ends learning at once.
 */
async function learn(
  inv: CliInvocation,
  log: Logger,
  ctx: { policy: Policy; prepareFor: (p: Policy) => Prepared; env: string[]; watching: Omit<WatchedRunInput, 'plan' | 'exec'>; stdout: (s: string) => void },
): Promise<number> {
  const { runWatched, logDenials, endLike, endBy, planReport, TIMED_OUT } = await import('./watch.js');
  const { execChainDenials, learnLoop, learnedEntries, learnedPolicyFile, learnTimeoutText, notLearnedMessage, roundMessage } = await import('../denials/learn.js');
  log.warn(`learn mode runs the command up to ${inv.learnRounds} times: make sure running it again is harmless`);
  const since = Date.now();
  const watching = { ...ctx.watching, since, timeoutMs: inv.learnTimeoutMs };
  let lastRun: Awaited<ReturnType<typeof runWatched>> | undefined;
  let stoppedBy: NodeJS.Signals | undefined;
  const result = await learnLoop({
    rounds: inv.learnRounds,
    policy: ctx.policy,
    places: { workspace: watching.cwd, home: watching.home },
    runRound: async (policy) => {
      const prepared = ctx.prepareFor(policy);
      if (prepared.report.refused) throw new UnsupportedKernelError(refusalMessage(prepared.report));
      const command = prepared.command as NonNullable<typeof prepared.command>;
      // The command's own start: learned from the plan, without running it into a 126.
      const chain = execChainDenials(prepared.plan, prepared.chain);
      if (chain.length > 0) return { exitCode: 126, report: planReport(chain, watching) };
      lastRun = await runWatched({ plan: prepared.plan, exec: { path: command.path, argv: inv.command, env: ctx.env }, ...watching });
      if (lastRun.report.source === 'none') {
        throw new UsageError(`learn mode needs to see denials, and cannot here: ${lastRun.report.sourceNote}`);
      }
      const stopped = lastRun.stopped;
      if (stopped?.by === 'signal') stoppedBy = stopped.signal;
      return { exitCode: stopped?.by === 'timeout' ? TIMED_OUT : lastRun.result.exitCode, report: lastRun.report, stopped: stopped?.by };
    },
    onRound: (info) => {
      log.warn(roundMessage(info));
      for (const w of info.notLearned) log.warn(notLearnedMessage(w));
    },
  });
  if (result.last) logDenials(result.last.report, log);
  if (result.stopped === 'timeout') log.warn(`learn round ${result.rounds} ran past --learn-timeout (${learnTimeoutText(inv.learnTimeoutMs)}) and was stopped: learning ended there`);
  else if (result.stopped === 'signal') log.warn(`stopped by ${stoppedBy ?? 'a signal'}: learning ended there`);
  else if (result.stuck.length) log.warn(`still denied although learned: ${result.stuck.map((s) => flagText(s.entry)).join(' ')} (the grant did not help; look at the report above)`);
  else if (!result.converged) log.warn(`still denied after ${result.rounds} rounds: raise --learn-rounds, or look at the report above`);
  const flags = shellFlags(learnedEntries(inv.entries, result.learned));
  ctx.stdout(
    [
      `# learned: ${result.learned.length ? result.learned.map((s) => flagText(s.entry)).join(' ') : 'nothing'}`,
      ...(result.notLearned.length ? [`# not learned, needs your decision: ${result.notLearned.map((s) => flagText(s.entry)).join(' ')}`] : []),
      `# flags:`,
      `landrun ${flags.join(' ').replace(/ --/g, ' \\\n  --')} -- ${inv.command.map(shellWord).join(' ')}`,
      `# policy file (landrun --policy FILE), or the Action's with: block:`,
      learnedPolicyFile(inv.entries, result.learned),
    ].join('\n'),
  );
  if (stoppedBy) return endBy(stoppedBy, 128 + 15);
  if (result.stopped === 'timeout') return TIMED_OUT;
  if (lastRun === undefined) return result.last?.exitCode ?? 1;
  return endLike(lastRun.result);
}

/**
 * --preset ci on a developer machine: the Action's preset with the current directory as the
 * workspace and a fresh directory under the system temp dir as TMPDIR, removed when the run ends
 * (unless --keep-tmp).
 */
async function ciPresetForCli(inv: CliInvocation, io: CliIo): Promise<{ policy: Policy; env: Record<string, string>; tmp: string; warnings: string[]; notes: string[] }> {
  const { stepDefaults, stepEnvironment, stepPolicy, stepSecretWarnings } = await import('../step/step.js'); // only this path needs it
  const { tmpdir } = await import('node:os');
  const tmp = mkdtempSync(join(tmpdir(), 'landrun-ci-'));
  const settings: StepSettings = {
    ...inv,
    ...stepDefaults(inv, 'ci'),
    preset: 'ci',
    allowStepOutputs: false,
    checkoutCredentials: 'keep',
    protectGit: 'snapshot',
  };
  const layout: StepLayout = {
    workspace: io.cwd,
    home: io.env.HOME,
    toolCache: io.env.RUNNER_TOOL_CACHE,
    hidden: io.env.RUNNER_TEMP ? [io.env.RUNNER_TEMP] : [],
    readableFiles: [],
    outputFiles: [],
  };
  const environment = stepEnvironment(settings, tmp, io.env, [io.cwd]);
  return {
    policy: stepPolicy({ settings, layout, tmp, scriptFiles: [] }),
    env: environment.env,
    tmp,
    // A laptop's checkout holds no CI token: only the grants and variables are worth a warning here.
    warnings: stepSecretWarnings({ ...settings, checkoutCredentials: 'withhold' }, layout),
    notes: environment.notes,
  };
}

/** Logs why the run ended early and returns its exit status. */
export function reportError(e: unknown, log: Logger): number {
  log.error(describeError(e));
  return exitCodeFor(e);
}
