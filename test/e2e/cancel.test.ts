// Cancelling a sandboxed step, end to end: the Action (run mode) and landrun-shell (shell mode)
// cancelled the way the runner cancels a step, checked by effect.
//
// What the runner does (actions/runner):
// - src/Runner.Sdk/ProcessInvoker.cs, CancelAndKillProcessTree: with killProcessOnCancel false it
//   sends kill(pid, SIGINT) and waits up to 7.5 s (_sigintTimeout) for the process to end, then
//   kill(pid, SIGTERM) and up to 2.5 s (_sigtermTimeout), then NixKillProcessTree: Process.Kill(),
//   SIGKILL of that one process, not of its group or its children. "Ended" is the process exited
//   and its stdout and stderr closed, or 5 s after the exit when something still holds them
//   (ProcessExitedHandler).
// - src/Runner.Worker/Handlers/NodeScriptActionHandler.cs and ScriptHandler.cs call it with
//   killProcessOnCancel false; the process is the action's node (runs.main) or, for a run step,
//   the shell program itself: for `shell: landrun-shell {0}` that is landrun-shell, which execs
//   the Action's Node.
// - src/Runner.Worker/ActionRunner.cs registers the post step before main runs (its condition is
//   post-if: always() here, so it runs after a cancellation too) and processes the file commands
//   (GITHUB_STATE among them) in a finally, also when main was killed.
// - src/Runner.Worker/ExecutionContext.cs keeps the post steps on a Stack: the last registered
//   runs first, so this Action's post step runs before that of the checkout step before it.
// test/helpers/runner.ts (RUNNER_CANCEL) plays that sequence on the step's process.
//
// What the Action does with it (src/launch/supervise.ts): it holds SIGINT, SIGTERM and SIGHUP for
// the whole step (the default would end it with the token withheld), passes them to the
// supervisor through the control pipe (strace in front of it, for denial reports, blocks them),
// has the supervisor kill the whole sandbox RUNNER_GRACE after the first one, restores .git and
// ends by itself, before the runner's SIGTERM. When the runner gets to SIGKILL anyway (a main that
// did not finish in time), the control pipe's write end dies with the Action's process: the
// supervisor reads end of file and kills the sandbox (native-helper/supervise.c, control()), then
// exits, closing the step's stdout, which is what the runner waits for. Nothing restored .git
// then: the step directory in RUNNER_TEMP with the guard kept in it is left, and the Action's post
// step (run mode: named by GITHUB_STATE, which the runner processes also for a killed main; shell
// mode: below the setup step's state directory) restores the checkout from it. It runs before
// checkout's post step, whose `git submodule foreach` would run a planted core.fsmonitor.
//
// The scripts ignore INT and TERM (trap ''), plant code for later git commands, and keep writing
// heartbeat files: the script, a background child, and a child in a session of its own. A marker
// in the step's environment finds every process of the step in /proc: the Action's Node, the
// supervisor, the script and everything it started.
import { afterAll, describe, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNNER_GRACE } from '../../src/launch/supervise.js';
import { checkoutPost } from '../helpers/checkout-post.js';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { asUserWhy, NOBODY } from '../helpers/guard-as-user.js';
import { node24Why } from '../helpers/node24.js';
import { removeDir } from '../helpers/run.js';
import type { CancelSignal, Cancellation } from '../helpers/runner.js';
import { actionPostStep, actionStep, landrunShellStep, makeRunnerLayout, read, TOKEN, type RunnerLayout } from '../helpers/runner-layout.js';

type User = { uid: number; gid: number } | undefined;

const layouts: RunnerLayout[] = [];
afterAll(() => layouts.forEach((l) => removeDir(l.root)));

function layout(checkout: 'v4' | 'v6', as: User): RunnerLayout {
  const l = makeRunnerLayout({ checkout });
  layouts.push(l);
  if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, l.root]);
  return l;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const EXTRAHEADER = `extraheader = AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
const gitConfig = (l: RunnerLayout): string => read(join(l.workspace, '.git', 'config'));
/** The job summary as text (it escapes what could be Markdown). */
const summary = (l: RunnerLayout): string => read(l.files.summary).replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** A step's starting point: the checkout's .git/config, a marker for its processes, where a planted hook would write. */
function begin(l: RunnerLayout): { before: string; marker: string; pwned: string } {
  return { before: gitConfig(l), marker: Math.random().toString(36).slice(2), pwned: join(l.root, 'pwned') };
}

/** Every process whose environment holds `marker`, as "comm[pid]". */
function withMarker(marker: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(`CANCEL_MARKER=${marker}`)) found.push(`${readFileSync(`/proc/${name}/comm`, 'utf8').trim()}[${name}]`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const HEARTBEATS = ['main.hb', 'bg.hb', 'esc.hb'];

/** The heartbeat files that still change over 1.5 s (none, once nothing of the sandbox runs). */
async function stillBeating(l: RunnerLayout): Promise<string[]> {
  const now = (): Array<string | undefined> => HEARTBEATS.map((f) => (existsSync(join(l.workspace, f)) ? read(join(l.workspace, f)) : undefined));
  const before = now();
  await sleep(1500);
  const after = now();
  return HEARTBEATS.filter((_f, i) => after[i] !== before[i]);
}

/**
 * The step's script. `stubborn`: ignores SIGINT and SIGTERM, it and every child (an ignored signal
 * stays ignored across fork and exec). Before it starts beating it plants code for the next git
 * command: a core.fsmonitor and a post-checkout hook that would create `pwned`. It writes
 * `started` once all three heartbeats run.
 */
function script(pwned: string, stubborn: boolean): string {
  const trap = stubborn ? "trap '' INT TERM; " : '';
  return [
    ...(stubborn ? ["trap '' INT TERM"] : []),
    `git config core.fsmonitor "touch ${pwned}; false"`,
    `printf '#!/bin/sh\\ntouch ${pwned}\\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout`,
    'beat() { while :; do date +%s%N > "$1"; sleep 0.05; done; }',
    'beat bg.hb &',
    `setsid bash -c '${trap}while :; do date +%s%N > esc.hb; sleep 0.05; done' &`,
    '(until [ -s main.hb ] && [ -s bg.hb ] && [ -s esc.hb ]; do sleep 0.01; done; touch started) &',
    'beat main.hb',
  ].join('\n');
}

const PLANTED = 'the script changed what later git commands read or run: .git/config, .git/hooks/post-checkout (restored .git/config; removed .git/hooks/post-checkout)';
/** The Action's annotations (reserved titles, escaped as @actions/core does): the step failed, git metadata changed. */
const FAILED = (message: string): string => `::error title=landrun%3A step failed::${message}\n`;
const GIT_CHANGED = (message: string): string => `::error title=landrun%3A git metadata changed::${message}\n`;
const STOPPED = 'the step was cancelled (SIGINT): the sandbox was stopped';

/** Once the script runs with all its heartbeats. */
const started = (l: RunnerLayout) => (): boolean => existsSync(join(l.workspace, 'started'));
/** Once the git guard has withheld the token: the sandbox is being prepared, the script has not started. */
const tokenWithheld = (l: RunnerLayout) => (): boolean => !gitConfig(l).includes('AUTHORIZATION');

const signals = (c: Cancellation | undefined): string[] => (c?.sent ?? []).map((s) => s.signal);

/** SIGINT, then SIGKILL right away: a main that did not finish within the runner's 10 s. */
const KILLED: readonly CancelSignal[] = [
  { signal: 'SIGINT', afterMs: 0 },
  { signal: 'SIGKILL', afterMs: 100 },
];

/** More than the runner sends: SIGINT, then SIGTERM every 50 ms for 5 s, through the sandbox's end and the restore. */
const STORM: readonly CancelSignal[] = [{ signal: 'SIGINT', afterMs: 0 }, ...Array.from({ length: 100 }, () => ({ signal: 'SIGTERM' as const, afterMs: 50 }))];

const USERS: Array<[string, User, string | undefined]> = [
  ['as root', undefined, process.getuid?.() === 0 ? undefined : 'needs root'],
  ['as the runner user (nobody)', NOBODY, asUserWhy],
];
const straceWhy = spawnSync('strace', ['-V']).status === 0 ? undefined : 'strace is not installed';

/** After a cancellation that ended the step: nothing of it runs, and the checkout is as before it. */
async function expectAllGone(l: RunnerLayout, marker: string): Promise<void> {
  expect(withMarker(marker)).toEqual([]);
  expect(await stillBeating(l)).toEqual([]);
  expect(withMarker(marker)).toEqual([]);
}

function expectCheckoutRestored(l: RunnerLayout, before: string): void {
  expect(gitConfig(l)).toBe(before);
  expect(existsSync(join(l.workspace, '.git', 'hooks', 'post-checkout'))).toBe(false);
  expect(existsSync(join(l.workspace, '.git', 'hooks', 'pre-commit.sample'))).toBe(true);
}

/** checkout's post step afterwards, as the runner user: runs nothing the script planted and removes the token. */
function expectCheckoutPostClean(l: RunnerLayout, pwned: string, as: User): void {
  const post = checkoutPost({ workspace: l.workspace, runnerTemp: l.runnerTemp, env: l.env(), ...(as ?? {}) });
  expect(post.failed).toBeUndefined();
  expect(existsSync(pwned)).toBe(false);
  expect(gitConfig(l)).not.toContain('AUTHORIZATION');
  expect(gitConfig(l)).not.toContain('git-credentials-');
}

/** After a cancellation: nothing of the step alive, the checkout as before, checkout's post step unharmed. */
async function expectStoppedAndClean(l: RunnerLayout, f: { before: string; marker: string; pwned: string }, as: User): Promise<void> {
  await expectAllGone(l, f.marker);
  expectCheckoutRestored(l, f.before);
  expectCheckoutPostClean(l, f.pwned, as);
}

describe.each(USERS)('run mode %s', (_u, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);

  describe.each(['v4', 'v6'] as const)('checkout %s', (checkout) => {
    itIf(why, "a script that ignores SIGINT and SIGTERM: the sandbox is killed, the checkout restored, and the Action ends before the runner's SIGTERM", async () => {
      const l = layout(checkout, as);
      const before = gitConfig(l);
      expect(before).toContain(checkout === 'v4' ? EXTRAHEADER : `path = ${l.credentialsFile}`);
      const marker = Math.random().toString(36).slice(2);
      const pwned = join(l.root, 'pwned');
      const r = await actionStep(l, l.env({ INPUT_RUN: script(pwned, true), CANCEL_MARKER: marker }), { as, cancel: { when: started(l) } });
      // One SIGINT was enough: the Action killed the sandbox after its grace and ended by itself,
      // well inside the runner's 10 s (before its SIGTERM at 7.5 s).
      expect(signals(r.cancelled)).toEqual(['SIGINT']);
      expect(r.cancelled?.closedAtMs).toBeGreaterThanOrEqual(RUNNER_GRACE.interruptMs);
      expect(r.cancelled?.closedAtMs).toBeLessThan(7500);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(FAILED(STOPPED));
    expect(r.stdout).toContain(GIT_CHANGED(PLANTED));
      expect(r.outputs['exit-code']).toBe('137'); // SIGKILL, from the supervisor's sweep
      expect(r.postStatus).toBe(0);
      await expectAllGone(l, marker);
      expectCheckoutRestored(l, before);
      expect(readdirSync(join(l.runnerTemp, 'landrun'))).toEqual([]);
      expectCheckoutPostClean(l, pwned, as);
    }, 60000);
  });

  itIf(whyNot([why !== undefined, why ?? ''], [straceWhy !== undefined, straceWhy ?? '']), 'a script that keeps the default SIGINT ends on it at once, also with strace in front of the supervisor (trace: true)', async () => {
    const l = layout('v4', as);
    const { before, marker, pwned } = begin(l);
    const r = await actionStep(l, l.env({ INPUT_RUN: script(pwned, false), INPUT_TRACE: 'true', CANCEL_MARKER: marker }), { as, cancel: { when: started(l) } });
    expect(r.stdout).toContain('(source: trace)'); // strace ran in front of the supervisor
    expect(signals(r.cancelled)).toEqual(['SIGINT']);
    expect(r.cancelled?.closedAtMs).toBeLessThan(2000); // not the escalation after RUNNER_GRACE
    expect(r.outputs['exit-code']).toBe('130'); // the script died of the SIGINT itself
    expect(r.status).toBe(1);
    // the background child ignores SIGINT (bash does that for `&` without job control): swept
    expect(r.stdout).toMatch(/::warning title=landrun::killed [1-9]\d* process\(es\) the script left running/);
    expect(r.stdout).toContain(FAILED(STOPPED));
    expect(r.stdout).toContain(GIT_CHANGED(PLANTED));
    await expectStoppedAndClean(l, { before, marker, pwned }, as);
  }, 60000);

  itIf(why, 'cancelled while the sandbox is being prepared (the token already withheld): the Action ends by itself and puts the token back', async () => {
    const l = layout('v4', as);
    const before = gitConfig(l);
    const marker = Math.random().toString(36).slice(2);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'touch ran\nsleep 600', CANCEL_MARKER: marker }), { as, cancel: { when: tokenWithheld(l) } });
    expect(signals(r.cancelled)).toEqual(['SIGINT']);
    expect(r.signal).toBeNull(); // not Node's default end on SIGINT, with the token still withheld
    expect(r.status).toBe(1);
    // Usually the signal is handled before the sandbox would start, which it then does not; when
    // preparing took less time than the signal took to arrive, the sandbox got it at once.
    const notStarted = r.stdout.includes(FAILED('the step was cancelled (SIGINT): the script was not started'));
    if (notStarted) {
      expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
      expect(r.outputs['exit-code']).toBeUndefined(); // the script never ran: no exit code to give
    } else {
      expect(r.stdout).toContain(FAILED(STOPPED));
      expect(r.outputs['exit-code']).toBe('130');
    }
    expect(r.cancelled?.closedAtMs).toBeLessThan(2000);
    expect(withMarker(marker)).toEqual([]);
    expect(gitConfig(l)).toBe(before);
    expect(readdirSync(join(l.runnerTemp, 'landrun'))).toEqual([]);
  }, 60000);

  itIf(why, 'SIGTERM after SIGTERM (more than the runner sends) neither postpones the kill nor ends the Action before the checkout is restored', async () => {
    const l = layout('v4', as);
    const { before, marker, pwned } = begin(l);
    const r = await actionStep(l, l.env({ INPUT_RUN: script(pwned, true), CANCEL_MARKER: marker }), { as, cancel: { when: started(l), sequence: STORM } });
    // The Action absorbs every signal of the cancellation until it has ended by itself, report
    // written. A SIGTERM of this storm (every 50 ms, more than the runner ever sends) can still hit
    // Node's own teardown after that, when it has given its signal handlers back to the kernel (seen
    // under load): then the report below is complete all the same.
    if (r.signal === null) expect(r.status).toBe(1);
    else expect(r.signal).toBe('SIGTERM');
    // the first SIGTERM's grace, not renewed by the ones after it
    expect(r.cancelled?.closedAtMs).toBeLessThan(50 + RUNNER_GRACE.terminateMs + 1500);
    expect(signals(r.cancelled).length).toBeGreaterThan(5);
    expect(r.stdout).toContain(FAILED(STOPPED));
    expect(r.stdout).toContain(GIT_CHANGED(PLANTED));
    await expectStoppedAndClean(l, { before, marker, pwned }, as);
  }, 60000);

  itIf(why, "the runner reaching SIGKILL (main did not finish in time): nothing of the sandbox outlives the Action, and the post step restores the checkout before checkout's post step runs git", async () => {
    const l = layout('v4', as);
    const { before, marker, pwned } = begin(l);
    const r = await actionStep(l, l.env({ INPUT_RUN: script(pwned, true), CANCEL_MARKER: marker }), { as, post: false, cancel: { when: started(l), sequence: KILLED } });
    expect(signals(r.cancelled)).toEqual(['SIGINT', 'SIGKILL']);
    expect(r.signal).toBe('SIGKILL');
    // The supervisor held the step's stdout until it was gone: the runner takes the step as ended
    // then, well before its 5 s for streams still open after the exit.
    expect((r.cancelled?.closedAtMs ?? Infinity) - (r.cancelled?.exitedAtMs ?? 0)).toBeLessThan(2000);
    await expectAllGone(l, marker);
    // Main never got to restore the checkout: the token is still withheld, the planted code there.
    expect(gitConfig(l)).not.toContain('AUTHORIZATION');
    expect(gitConfig(l)).toContain('fsmonitor');
    // The post step (post-if: always(); before checkout's, which the runner runs later) finds
    // main's step directory left behind and restores the checkout from the guard kept there.
    const post = await actionPostStep(l, l.env(), r.state, { as });
    expect(post.status).toBe(1);
    expect(post.out).toContain(GIT_CHANGED(`the step's process was killed before it ended (the runner's SIGKILL at the end of a cancellation), and its sandbox with it; the post step restored the checkout: ${PLANTED}`));
    expectCheckoutRestored(l, before);
    expect(readdirSync(join(l.runnerTemp, 'landrun'))).toEqual([]);
    expectCheckoutPostClean(l, pwned, as);
  }, 60000);

  itIf(why, 'killed before the script changed anything (v6): the post step puts the credentials include back', async () => {
    const l = layout('v6', as);
    const before = gitConfig(l);
    const marker = Math.random().toString(36).slice(2);
    const r = await actionStep(l, l.env({ INPUT_RUN: "trap '' INT TERM\ntouch started\nsleep 600", CANCEL_MARKER: marker }), { as, post: false, cancel: { when: started(l), sequence: KILLED } });
    expect(r.signal).toBe('SIGKILL');
    await expectAllGone(l, marker);
    expect(gitConfig(l)).not.toContain('git-credentials-');
    const post = await actionPostStep(l, l.env(), r.state, { as });
    expect(post.status).toBe(0);
    expect(post.out).toContain("::warning title=landrun::the step's process was killed before it ended (the runner's SIGKILL at the end of a cancellation), and its sandbox with it; the post step put the checkout credentials back\n");
    expect(gitConfig(l)).toBe(before);
    expectCheckoutPostClean(l, join(l.root, 'pwned'), as);
    expect(existsSync(l.credentialsFile as string)).toBe(false); // checkout's post step removed it
  }, 60000);
});

describe.each(USERS)('shell mode %s', (_u, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);

  /** Shell mode's setup step (`run` empty); what it saved for its post step. */
  async function setUp(l: RunnerLayout): Promise<Record<string, string>> {
    const setup = await actionStep(l, l.env({ INPUT_RUN: '' }), { as, post: false });
    expect(setup.status).toBe(0);
    return setup.state;
  }
  const stepEnv = (l: RunnerLayout, marker: string): Record<string, string> => l.env({ CANCEL_MARKER: marker, GITHUB_ACTION: '__run_2' });

  itIf(why, "the runner cancelling landrun-shell with a script that ignores SIGINT and SIGTERM: the sandbox is killed and the checkout restored before the runner's SIGTERM; post reports the step", async () => {
    const l = layout('v4', as);
    const state = await setUp(l);
    const { before, marker, pwned } = begin(l);
    const r = await landrunShellStep(l, script(pwned, true), stepEnv(l, marker), { as, cancel: { when: started(l) } });
    expect(signals(r.cancelled)).toEqual(['SIGINT']);
    expect(r.cancelled?.closedAtMs).toBeGreaterThanOrEqual(RUNNER_GRACE.interruptMs);
    expect(r.cancelled?.closedAtMs).toBeLessThan(7500);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(137);
    expect(r.out).toContain('the step was cancelled (SIGINT): the sandbox was stopped');
    expect(r.out).toContain(PLANTED);
    await expectAllGone(l, marker);
    expectCheckoutRestored(l, before);
    const post = await actionPostStep(l, l.env(), state, { as });
    expect(post.status).toBe(0);
    expect(summary(l)).toContain(`| __run_2: trap '' INT TERM | ❌ failed: the script exited with 137 (SIGKILL); ${STOPPED}; ${PLANTED} | 137 |`);
    expectCheckoutPostClean(l, pwned, as);
  }, 60000);

  itIf(why, 'a script that keeps the default SIGINT ends on it at once', async () => {
    const l = layout('v4', as);
    await setUp(l);
    const before = gitConfig(l);
    const marker = Math.random().toString(36).slice(2);
    const r = await landrunShellStep(l, script(join(l.root, 'pwned'), false), stepEnv(l, marker), { as, cancel: { when: started(l) } });
    expect(signals(r.cancelled)).toEqual(['SIGINT']);
    expect(r.cancelled?.closedAtMs).toBeLessThan(2000);
    expect(r.status).toBe(130);
    expect(r.out).toMatch(/killed [1-9]\d* process\(es\) the script left running/);
    await expectAllGone(l, marker);
    expectCheckoutRestored(l, before);
  }, 60000);

  itIf(why, 'cancelled while the sandbox is being prepared (the token already withheld): landrun-shell ends by itself and puts the token back', async () => {
    const l = layout('v4', as);
    await setUp(l);
    const before = gitConfig(l);
    const marker = Math.random().toString(36).slice(2);
    const r = await landrunShellStep(l, 'touch ran\nsleep 600\n', stepEnv(l, marker), { as, cancel: { when: tokenWithheld(l) } });
    expect(signals(r.cancelled)).toEqual(['SIGINT']);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(130);
    if (r.out.includes('the step was cancelled (SIGINT): the script was not started')) expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
    else expect(r.out).toContain('the step was cancelled (SIGINT): the sandbox was stopped');
    expect(withMarker(marker)).toEqual([]);
    expect(gitConfig(l)).toBe(before);
  }, 60000);

  itIf(why, "the runner reaching SIGKILL of landrun-shell: nothing of the sandbox outlives it, and the Action's post step restores the checkout", async () => {
    const l = layout('v4', as);
    const state = await setUp(l);
    const { before, marker, pwned } = begin(l);
    const r = await landrunShellStep(l, script(pwned, true), stepEnv(l, marker), { as, cancel: { when: started(l), sequence: KILLED } });
    expect(signals(r.cancelled)).toEqual(['SIGINT', 'SIGKILL']);
    expect(r.signal).toBe('SIGKILL');
    expect((r.cancelled?.closedAtMs ?? Infinity) - (r.cancelled?.exitedAtMs ?? 0)).toBeLessThan(2000);
    await expectAllGone(l, marker);
    expect(gitConfig(l)).not.toContain('AUTHORIZATION');
    const post = await actionPostStep(l, l.env(), state, { as });
    expect(post.status).toBe(1);
    expect(post.out).toContain(`the post step restored the checkout: ${PLANTED}`);
    expect(summary(l)).toContain("1 step(s) not listed: the step's process was killed before it ended");
    expectCheckoutRestored(l, before);
    expectCheckoutPostClean(l, pwned, as);
  }, 60000);
});
