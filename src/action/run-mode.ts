// Run mode: the `run` script of this step, sandboxed. Three phases: prepare (the step directory,
// the script, the git guard, the policy and environment), run (once, or learn mode's rounds, each
// watched for denials), report (outputs, annotations, the job summary); the git check and the
// clean-up run whatever happened.
import { join } from 'node:path';
import { refusalMessage } from '../landlock/compat.js';
import { checkExecChain } from '../exec/command.js';
import { openLocalAuditSession, openRelayAuditSession, type AuditSession } from '../denials/audit-session.js';
import { execChainDenials, learnedPolicyFile, learnLoop, learnTimeoutText, notLearnedMessage, roundMessage } from '../denials/learn.js';
import { denialReportText, denialsMarkdown } from '../denials/render.js';
import { objectText, type DenialReport, type Suggestion } from '../denials/report.js';
import { report as buildReport, watchDenials, type WatchOptions } from '../denials/watch.js';
import { holdCancellation, nativeSupervisor, supervise, type Defused, type StepCancellation, type SupervisedRun } from '../launch/supervise.js';
import { encodePlan } from '../launch/wire.js';
import { explainMarkdown } from '../plan/explain.js';
import type { Prepared } from '../plan/prepare.js';
import { forbiddenPath, removedText } from '../policy/presets.js';
import type { Policy } from '../policy/schema.js';
import { flagText, inputText, shellFlags } from '../policy/vocabulary.js';
import { ObservationError, UnsupportedKernelError } from '../shared/errors.js';
import { code, codeFence, mdEscape } from '../shared/markdown.js';
import { shellWord } from '../shared/shell-words.js';
import { finishStep, guardStepGit, keepGuard, makeStepDir, shellArgv, stepEnvironment, stepPolicy, writeScript } from '../step/step.js';
import type { GitGuard } from '../step/git-guard.js';
import { capabilitiesOf, layoutFor, prepareStep, reportPlan, type ActionStep } from './context.js';
import { FAILED_TITLE, GIT_TITLE, RUN_STEP_STATE, TITLE } from './core.js';
import type { ActionSettings } from './inputs.js';
import { exitCodeText, failedMarkdown, failureText, resultText, writeSummary } from './summary.js';

const LEARN_ROUNDS = 5;

interface PreparedRun {
  readonly stepDir: { readonly dir: string; readonly tmp: string };
  readonly script: string;
  readonly argv: readonly string[];
  readonly git: GitGuard | undefined;
  readonly basePolicy: Policy;
  readonly env: Record<string, string>;
  readonly removed: readonly string[];
}

interface Round {
  readonly prepared: Prepared;
  readonly result: SupervisedRun;
  readonly denials: DenialReport;
  /** A learn round stopped by its time limit. */
  readonly timedOut?: boolean;
}

interface Outcome {
  readonly round: Round;
  readonly learned?: {
    readonly rounds: number;
    readonly converged: boolean;
    readonly timedOut: boolean;
    readonly policy: string;
    readonly flags: readonly string[];
    readonly notLearned: readonly Suggestion[];
  };
}

/** What has run so far: the exit code of the last run of the script, if it ran. */
interface Ran {
  exitCode?: number;
}

export async function runMode(step: ActionStep): Promise<void> {
  const ran: Ran = {};
  let run: PreparedRun | undefined;
  let outcome: Outcome | undefined;
  let thrown: unknown;
  let gitMessage: string | undefined;
  // From here until the git metadata is restored and the step reported, a cancellation must not
  // end this process (Node's default for SIGINT and SIGTERM).
  const cancellation = holdCancellation();
  try {
    try {
      run = prepareRun(step);
      outcome = await runScript(step, run, ran, cancellation);
    } catch (e) {
      thrown = e;
    } finally {
      // The git check and the clean-up, whatever happened (when this throws, main fails the step).
      if (run) gitMessage = finishStep(run.git, step.ctx.workspace, run.stepDir.dir).gitMessage;
    }
    await report(step, { ran, run, outcome, thrown, gitMessage });
  } finally {
    cancellation.release();
  }
}

/** The outputs, the job summary and the failure annotations of a run that ended, however it ended. */
async function report(
  step: ActionStep,
  { ran, run, outcome, thrown, gitMessage }: { ran: Ran; run: PreparedRun | undefined; outcome: Outcome | undefined; thrown: unknown; gitMessage: string | undefined },
): Promise<void> {
  const { core } = step;
  if (ran.exitCode !== undefined) core.setOutput('exit-code', String(ran.exitCode));
  else core.info('the script did not run: the exit-code output is not set');
  const failures: Array<{ message: string; title: string }> = [];
  if (gitMessage) failures.push({ message: gitMessage, title: GIT_TITLE });
  if (thrown !== undefined) failures.push({ message: failureText(thrown), title: FAILED_TITLE });
  else if (outcome) failures.push(...outcomeFailures(step.settings, outcome).map((message) => ({ message, title: FAILED_TITLE })));
  const messages = failures.map((f) => f.message);
  try {
    if (run && outcome && thrown === undefined) await reportRun(step, run, outcome, ran, messages);
    else await writeSummary(core, step.env, failedMarkdown('landrun sandbox', messages, [['exit code', exitCodeText(ran.exitCode)]]));
  } finally {
    for (const f of failures) core.fail(f.message, f.title);
  }
}

function prepareRun(step: ActionStep): PreparedRun {
  const { settings, ctx, log } = step;
  const stepDir = makeStepDir(join(ctx.runnerTemp, 'landrun'));
  // Should this process be killed before it finishes (the end of the runner's cancellation), the
  // post step finds the directory and restores the checkout from the guard kept in it.
  step.core.saveState(RUN_STEP_STATE, stepDir.dir);
  const script = writeScript(stepDir.dir, settings.run);
  const basePolicy = stepPolicy({ settings, layout: layoutFor(ctx), tmp: stepDir.tmp, scriptFiles: [script] });
  const { env, removed, notes } = stepEnvironment(settings, stepDir.tmp, step.env, [ctx.workspace, settings.workingDirectory]);
  // Last: from here on runMode releases the guard whatever happens.
  const git = guardStepGit(settings, ctx.workspace);
  const kept = keepGuard(git, stepDir.dir);
  if (kept) log.warn(kept);
  if (git && git.withheld.extraheaders + git.withheld.credentialIncludes > 0) {
    log.info(
      `withheld the checkout credentials from .git/config for this step (${git.withheld.extraheaders} extraheader, ${git.withheld.credentialIncludes} credentials include); they are put back afterwards`,
    );
  }
  if (removed.length) log.info(`not passed to the script: ${removedText(removed)}`);
  for (const n of notes) log.info(n);
  return { stepDir, script, argv: shellArgv(settings.shell, script), git, basePolicy, env, removed };
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
        throw new ObservationError(`${(local as Error).message}; through sudo: ${(relay as Error).message}`, { cause: relay });
      }
    }
  };
}

async function runScript(step: ActionStep, run: PreparedRun, ran: Ran, cancellation: StepCancellation): Promise<Outcome> {
  const { settings, ctx, core, log } = step;
  let first = true;
  const learning = settings.mode === 'learn';
  const since = Date.now();
  const watchOptions: WatchOptions = {
    allowAuditEnable: settings.audit,
    forceTrace: settings.trace,
    // The report nobody asked for must not slow the suite 3.6×: strace stops at the traced calls only.
    fastTrace: !settings.trace && !learning,
    searchPath: step.env.PATH,
    cwd: settings.workingDirectory,
    home: ctx.home,
    workspace: ctx.workspace,
    privateDirs: [run.stepDir.tmp],
    since,
    workDir: join(run.stepDir.dir, 'watch'),
    openAudit: auditOpener(step.actionPath),
    forbidden: (p) => forbiddenPath(p, ctx.home, layoutFor(ctx).hidden, ctx.workspace),
  };
  /** One sandboxed run of the script under `policy`, watched for denials. */
  const runOnce = async (policy: Policy): Promise<Round> => {
    const prepared = prepareStep(step, policy, run.argv);
    if (first) {
      core.setOutput('status', prepared.report.status);
      await reportPlan(step, prepared);
      first = false;
    } else if (prepared.report.refused) throw new UnsupportedKernelError(refusalMessage(prepared.report));
    if (learning) {
      // The shell's own start: learned from the plan, without running it into a 126.
      const chain = execChainDenials(prepared.plan, prepared.chain);
      if (chain.length > 0) {
        const notRun: SupervisedRun = { exitCode: 126, signal: null, durationMs: 0, leftovers: 0, defused: [], refusedConnects: [], cancelledBy: undefined };
        return { prepared, result: notRun, denials: buildReport('plan', 'the plan (the shell cannot be executed under it: found before running)', chain, 0, watchOptions, since) };
      }
    } else checkExecChain(prepared.plan, prepared.chain);
    const watch = await watchDenials(prepared.plan, watchOptions);
    const timer = setInterval(() => watch.poll(), 10);
    let timedOut = false;
    // A learn round over its time limit: the script gets SIGTERM, then the whole sandbox is killed.
    const abort = new AbortController();
    const limit =
      learning && settings.learnTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            abort.abort();
          }, settings.learnTimeoutMs)
        : undefined;
    let result: SupervisedRun;
    try {
      result = await supervise({
        binary: nativeSupervisor(),
        plan: encodePlan(watch.plan),
        argv: run.argv,
        env: run.env,
        cwd: settings.workingDirectory,
        mode: 'step',
        workflowCommands: settings.workflowCommands,
        wrap: watch.wrap,
        abort: abort.signal,
        cancellation,
        onChild: (pid) => watch.started(pid),
      });
    } finally {
      clearInterval(timer);
      if (limit) clearTimeout(limit);
    }
    if (!result.notStarted) ran.exitCode = result.exitCode;
    watch.poll();
    return { prepared, result, denials: await watch.finish({ quick: timedOut }), ...(timedOut ? { timedOut } : {}) };
  };

  if (!learning) return { round: await runOnce(run.basePolicy) };
  log.info(
    `learn mode: the script runs until nothing new is denied (at most ${LEARN_ROUNDS} times, ${settings.learnTimeoutMs > 0 ? `${learnTimeoutText(settings.learnTimeoutMs)} each` : 'no time limit'}); make sure running it again is harmless`,
  );
  let last: Round | undefined;
  const learned = await learnLoop({
    rounds: LEARN_ROUNDS,
    policy: run.basePolicy,
    places: { workspace: ctx.workspace, home: ctx.home },
    runRound: async (policy) => {
      last = await runOnce(policy);
      if (last.denials.source === 'none') throw new UnsupportedKernelError(`learn mode needs to see denials, and cannot on this runner: ${last.denials.sourceNote}`);
      return { exitCode: last.result.exitCode, report: last.denials, stopped: last.result.cancelledBy ? 'signal' : last.timedOut ? 'timeout' : undefined };
    },
    onRound: (info) => {
      log.info(roundMessage(info));
      for (const w of info.notLearned) core.warning(notLearnedMessage(w), { title: TITLE });
    },
  });
  return {
    round: last as Round,
    learned: {
      rounds: learned.rounds,
      converged: learned.converged,
      timedOut: learned.stopped === 'timeout',
      // the preset goes along, so that the same file works for `landrun --policy` on a laptop
      policy: learnedPolicyFile([{ key: 'preset', value: settings.preset }, ...settings.entries], learned.learned),
      flags: learned.learned.map((s) => flagText(s.entry)),
      notLearned: learned.notLearned,
    },
  };
}

function annotateDenials(step: ActionStep, report: DenialReport): void {
  // The runner shows at most 10 annotations of a kind per step.
  for (const e of report.entries.slice(0, 9)) {
    const fix = report.suggestions.find((s) => s.because.includes(e));
    step.core.warning(
      `${e.rights.join(', ')} ${objectText(e.object)}${e.processes.length ? ` by ${e.processes.join(', ')}` : ''}${fix ? ` — allow with ${flagText(fix.entry)} (input ${inputText(fix.entry)})` : ''}`,
      { title: `${TITLE}: denied` },
    );
  }
  if (report.entries.length > 9) step.core.warning(`${report.entries.length - 9} more denials: see the job summary`, { title: `${TITLE}: denied` });
}

/** The command that reproduces the step on a laptop: the script saved as a file, run the way the step runs it. */
export function reproduceCommand(settings: ActionSettings): string {
  const file = 'landrun-step.sh';
  const argv = shellArgv(settings.shell, file).map(shellWord);
  const script = settings.run.endsWith('\n') ? settings.run : `${settings.run}\n`;
  let eof = 'LANDRUN_STEP';
  while (script.includes(eof)) eof += '_';
  return [`cat > ${file} <<'${eof}'`, `${script}${eof}`, ['npx', 'landrun-action', '--preset', settings.preset, ...shellFlags(settings.entries), '--', ...argv].join(' ')].join('\n');
}

/** Why the step fails after the script ran (the git check aside); empty when it passes. */
function outcomeFailures(settings: ActionSettings, outcome: Outcome): string[] {
  const { result } = outcome.round;
  if (result.cancelledBy) return [`the step was cancelled (${result.cancelledBy}): ${result.notStarted ? 'the script was not started' : 'the sandbox was stopped'}`];
  if (outcome.learned?.timedOut) return [`learn round ${outcome.learned.rounds} ran past learn-timeout (${learnTimeoutText(settings.learnTimeoutMs)}) and was stopped: learning ended there`];
  if (result.exitCode !== 0 && !outcome.learned) return [`the script exited with ${result.exitCode}${result.signal ? ` (${result.signal})` : ''}`];
  return [];
}

/** Outputs, annotations and the job summary, which opens with the step's result (`failures`: why it fails). */
async function reportRun(step: ActionStep, run: PreparedRun, outcome: Outcome, ran: Ran, failures: readonly string[]): Promise<void> {
  const { core, log, settings } = step;
  const { prepared, result, denials } = outcome.round;
  const summary: string[] = [];
  if (result.leftovers > 0) core.warning(`killed ${result.leftovers} process(es) the script left running`, { title: TITLE });
  if (result.defused.length > 0) log.info(`workflow commands printed as text, not acted on (workflow-commands: ${settings.workflowCommands}): ${defusedList(result.defused)}`);
  if (outcome.learned) {
    core.setOutput('learned-policy', outcome.learned.policy);
    const fence = codeFence(outcome.learned.policy);
    summary.push(`### landrun learned policy\n\nPaste into the action's \`with:\` block (or a file for \`landrun --policy\`):\n\n${fence}yaml\n${outcome.learned.policy}${fence}\n\n`);
    if (outcome.learned.notLearned.length) {
      const rows = outcome.learned.notLearned.map((s) => `| ${code(inputText(s.entry))} | ${mdEscape(s.wide ? `too wide: ${s.note ?? ''}` : (s.decide ?? ''))} |`);
      summary.push(`**Not learned, needs your decision:**\n\n| input | why |\n|---|---|\n${rows.join('\n')}\n\n`);
    }
  } else annotateDenials(step, denials);
  log.info(denialReportText(denials));
  const learnedNote = outcome.learned
    ? [
        `learn mode: ${outcome.learned.rounds} round(s), ${outcome.learned.converged ? 'converged' : 'still denied at the end'}; learned ${mdEscape(outcome.learned.flags.join(' ')) || 'nothing'}`,
      ]
    : [];
  summary.push(
    explainMarkdown({
      title: 'landrun sandbox',
      plan: prepared.plan,
      report: prepared.report,
      errata: step.errata,
      capabilities: capabilitiesOf(step, prepared),
      result: resultText(failures, outcome.learned && ran.exitCode !== 0 ? "learn mode: the script's exit code does not fail the step" : undefined),
      exitCode: ran.exitCode,
      durationMs: result.durationMs,
      reproduce: reproduceCommand(settings),
      extraNotes: [
        ...learnedNote,
        '`.git/config` and `.git/hooks`: checked and restored after the step (the workspace is writable, so the kernel cannot keep them read-only)',
        ...(run.removed.length ? [`not passed to the script: ${removedText(run.removed)}`] : []),
      ],
      extraRows: [
        ['leftover processes', result.leftovers > 0 ? `${result.leftovers} killed when the script ended` : 'none'],
        ['workflow commands', result.defused.length > 0 ? `${settings.workflowCommands}; printed as text: ${defusedList(result.defused)}` : settings.workflowCommands],
      ],
    }),
  );
  summary.push(denialsMarkdown(denials));
  await writeSummary(core, step.env, summary.join(''));
}

/** "set-output ×2, add-mask" */
export function defusedList(defused: readonly Defused[]): string {
  const counts = new Map<string, number>();
  for (const d of defused) counts.set(d.name, (counts.get(d.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}
