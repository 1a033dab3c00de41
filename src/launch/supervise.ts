// Running a command under the native supervisor (native-helper/, ADR 7): the one way the Action,
// landrun-shell and the CLI's waiting paths start a sandbox. This Node process stays outside every
// domain; the supervisor enforces the plan, runs the command one domain below its own, filters
// workflow commands out of its output, makes loopback connections, sweeps what the command left
// behind and reports all of it on a pipe, one line per event.
//
// Cancellation follows the runner's sequence (SIGINT, 7.5 s, SIGTERM, 2.5 s, SIGKILL of this
// process only): the signal is forwarded at once, and if the command is still running after a
// grace period well inside the runner's, the supervisor is told to kill the whole sandbox. If this
// process dies first, the control pipe closes, which makes the supervisor kill it too. Around the
// whole step (holdCancellation), the signals do not end this process: what it withheld and
// snapshotted before the sandbox started (the git guard) is put back after it ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SupervisorError } from '../shared/errors.js';
import { killDescendants, descendants } from './sweep.js';

export type WorkflowCommands = 'all' | 'annotations' | 'none';

export interface SuperviseInput {
  /** The native supervisor binary (`nativeSupervisor()`). */
  readonly binary: string;
  readonly plan: Uint8Array;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /**
   * 'step' (the Action, landrun-shell): the command gets its own process group, cancellation is
   * forwarded and escalated. 'foreground' (the CLI in a terminal): the command shares the
   * terminal's process group, so Ctrl-C and job control behave as without a sandbox.
   */
  readonly mode: 'step' | 'foreground';
  /**
   * Pass the command's output through the workflow-command filter (run in a CI step). In 'step'
   * mode the supervisor also ends an unterminated last line (--end-last-line), since the caller
   * prints after it on the same descriptors.
   */
  readonly workflowCommands?: WorkflowCommands | undefined;
  /** A command put in front of the supervisor (strace for denial reports: a tracer outside the domain). */
  readonly wrap?: readonly string[] | undefined;
  /** Called with the pid of the process whose Landlock domain is the command's (audit records). */
  readonly onChild?: (pid: number) => void;
  /** How long a forwarded SIGINT / SIGTERM may take before the whole sandbox is killed. */
  readonly grace?: { readonly interruptMs: number; readonly terminateMs: number };
  /** Ends the run early (learn mode's time limit): SIGTERM to the command, then the whole sandbox killed. */
  readonly abort?: AbortSignal;
  /** The step's cancellation (holdCancellation): once cancelled, no sandbox is started. */
  readonly cancellation?: StepCancellation;
}

/** The signals that cancel a CI step. */
const STEP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StepCancellation {
  /** The first of SIGINT, SIGTERM, SIGHUP this process got since holdCancellation(), if any. */
  readonly signal: NodeJS.Signals | undefined;
  /**
   * The step is done: Node's default again (the next such signal ends the process), unless the
   * step was cancelled. Then the rest of the cancellation (the runner's SIGTERM after its SIGINT)
   * stays absorbed while the process ends by itself, with its report written and its own exit
   * status (the listeners keep no process alive).
   */
  release(): void;
}

/**
 * Holds a CI step's cancellation from before it changes anything (the git guard withholds the
 * checkout token) until it has put everything back: SIGINT, SIGTERM and SIGHUP are remembered
 * instead of ending this process, which is Node's default for a signal without listeners. The
 * runner sends SIGTERM 7.5 s after SIGINT whether or not a sandbox is still running; from then on
 * only its SIGKILL, 2.5 s later, can end the step before it is finished.
 */
export function holdCancellation(): StepCancellation {
  let signal: NodeJS.Signals | undefined;
  const handlers = STEP_SIGNALS.map((s) => [s, (): void => void (signal ??= s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return {
    get signal() {
      return signal;
    },
    release: () => {
      if (signal === undefined) for (const [s, h] of handlers) process.off(s, h);
    },
  };
}

export interface Defused {
  readonly stream: string;
  readonly name: string;
}

export interface RefusedConnect {
  readonly family: string;
  readonly address: string;
  readonly port: number;
}

export interface SupervisedRun {
  /** The exit status as a shell reports it: the code, or 128+N after signal N. */
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  /** Processes the command left running, killed after it ended. */
  readonly leftovers: number;
  readonly defused: readonly Defused[];
  readonly refusedConnects: readonly RefusedConnect[];
  /** The signal that cancelled the run (forwarded, then escalated if need be). */
  readonly cancelledBy: NodeJS.Signals | undefined;
  /** Cancelled before it started: the command never ran. */
  readonly notStarted?: true;
}

/** The runner sends SIGTERM 7.5 s after SIGINT and SIGKILL 2.5 s after that. */
export const RUNNER_GRACE = { interruptMs: 5000, terminateMs: 1500 } as const;

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSYS: 31 };
const signalName = (n: number): NodeJS.Signals | null => (Object.entries(SIGNAL_NUMBERS).find(([, v]) => v === n)?.[0] as NodeJS.Signals | undefined) ?? null;

const ARCH: Partial<Record<string, string>> = { x64: 'x64', arm64: 'arm64' };

/**
 * The supervisor for this machine: dist/native/landlock-exec-<arch>, found next to the running
 * bundle (dist/<entry>/) or, from the compiled sources (lib/), in the checkout's dist/.
 */
export function nativeSupervisor(from: string = dirname(fileURLToPath(import.meta.url))): string {
  const arch = ARCH[process.arch];
  if (!arch) throw new SupervisorError(`no native supervisor for ${process.arch}: landrun ships one for x86_64 and aarch64`);
  const name = `landlock-exec-${arch}`;
  let dir = from;
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, 'native', name), join(dir, 'dist', 'native', name)]) if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new SupervisorError(`the native supervisor ${name} is missing next to ${from}: reinstall landrun (dist/native/ must be complete)`);
}

export async function supervise(input: SuperviseInput): Promise<SupervisedRun> {
  // A signal is handled when the event loop polls; preparing the step may never have let it.
  if (input.cancellation) await new Promise((resolve) => setImmediate(resolve));
  const early = input.cancellation?.signal;
  if (early) return { exitCode: 128 + (SIGNAL_NUMBERS[early] ?? 0), signal: null, durationMs: 0, leftovers: 0, defused: [], refusedConnects: [], cancelledBy: early, notStarted: true };
  const step = input.mode === 'step';
  const before = new Set(descendants(process.pid));
  const started = Date.now();
  const args = [
    '--supervise',
    '--plan-fd', '3',
    '--report-fd', '4',
    '--control-fd', '5',
    ...(step ? ['--new-pgrp'] : []),
    ...(input.workflowCommands ? ['--workflow-commands', input.workflowCommands] : []),
    // A step's caller prints on the same descriptors after the script (annotations, errors): an
    // unterminated last line of the script must not take the caller's first line in.
    ...(step && input.workflowCommands ? ['--end-last-line'] : []),
    '--',
    ...input.argv,
  ];
  const [file, ...prefix] = input.wrap?.length ? [...input.wrap, input.binary] : [input.binary];
  const child: ChildProcess = spawn(file as string, [...prefix, ...args], {
    cwd: input.cwd,
    env: input.env,
    stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe', 'pipe'],
    // A step's supervisor leads its own group: nothing the runner sends this process's group
    // reaches the sandbox except through the forwarding below.
    detached: step,
  });

  const planPipe = child.stdio[3] as NodeJS.WritableStream | null;
  planPipe?.on('error', () => undefined); // the supervisor may die before reading it; its status tells
  planPipe?.end(Buffer.from(input.plan));
  const control = (child.stdio as unknown as Array<NodeJS.WritableStream | null>)[5] ?? null;
  control?.on('error', () => undefined);
  const killSandbox = (): void => {
    control?.write('k');
  };
  // Signals go to the supervisor through the control pipe, not by kill(2): strace in front of it
  // (denial reports) would keep them (with -o FILE it blocks INT, TERM, HUP and QUIT).
  const CONTROL_BYTES: Partial<Record<NodeJS.Signals, string>> = { SIGINT: 'i', SIGTERM: 't', SIGHUP: 'h', SIGQUIT: 'q' };
  const forward = (sig: NodeJS.Signals): void => {
    const byte = CONTROL_BYTES[sig];
    if (byte) control?.write(byte);
  };

  const report = { exit: undefined as { code?: number; signal?: number } | undefined, leftovers: 0, errors: [] as string[], defused: [] as Defused[], refused: [] as RefusedConnect[] };
  const reportDone = readLines(child.stdio[4] as NodeJS.ReadableStream | null, (line) => {
    const [kind, ...rest] = line.split(' ');
    if (kind === 'child') input.onChild?.(Number(rest[0]));
    else if (kind === 'defused') report.defused.push({ stream: rest[0] ?? '', name: rest.slice(1).join(' ') });
    else if (kind === 'connect-denied') report.refused.push({ family: rest[0] ?? '', address: rest[1] ?? '', port: Number(rest[2]) });
    else if (kind === 'leftovers') report.leftovers = Number(rest[0]);
    else if (kind === 'exit') report.exit = rest[0] === 'signal' ? { signal: Number(rest[1]) } : { code: Number(rest[1]) };
    else if (kind === 'error') report.errors.push(rest.join(' '));
  });

  let cancelledBy: NodeJS.Signals | undefined;
  let escalation: NodeJS.Timeout | undefined;
  let killAt = Infinity;
  /** The whole sandbox is killed `ms` from now, unless that is already due sooner: a later signal never postpones it. */
  const escalate = (ms: number): void => {
    if (Date.now() + ms >= killAt) return;
    killAt = Date.now() + ms;
    clearTimeout(escalation);
    escalation = setTimeout(killSandbox, ms);
  };
  const onSignal = (sig: NodeJS.Signals) => (): void => {
    cancelledBy ??= sig;
    forward(sig);
    if (!step) return;
    escalate(sig === 'SIGINT' ? (input.grace ?? RUNNER_GRACE).interruptMs : (input.grace ?? RUNNER_GRACE).terminateMs);
  };
  // In the foreground the terminal signals the whole group: the command has it already.
  const handled: readonly NodeJS.Signals[] = step ? STEP_SIGNALS : ['SIGTERM', 'SIGHUP'];
  const ignored: NodeJS.Signals[] = step ? [] : ['SIGINT', 'SIGQUIT'];
  const handlers = [...handled.map((s) => [s, onSignal(s)] as const), ...ignored.map((s) => [s, () => undefined] as const)];
  for (const [s, h] of handlers) process.on(s, h);
  const onAbort = (): void => {
    forward('SIGTERM');
    escalate((input.grace ?? RUNNER_GRACE).terminateMs);
  };
  if (input.abort?.aborted) onAbort();
  else input.abort?.addEventListener('abort', onAbort, { once: true });

  let outcome: { code: number | null; signal: NodeJS.Signals | null };
  try {
    outcome = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    await reportDone;
  } catch (e) {
    throw new SupervisorError(`cannot start the native supervisor ${input.binary}: ${(e as Error).message}`, { cause: e });
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
    input.abort?.removeEventListener('abort', onAbort);
    clearTimeout(escalation);
    control?.end();
  }
  const durationMs = Date.now() - started;
  if (report.errors.length > 0) throw new SupervisorError(`the supervisor failed: ${report.errors.join('; ')}${supervisorHint(report.errors)}`);
  let leftovers = report.leftovers;
  if (report.exit === undefined) {
    // The supervisor itself died (or never started the command): whatever is left of the sandbox
    // was reparented to this process (a child subreaper) and is killed here.
    leftovers += step ? await killDescendants(before) : 0;
    // A launcher that refused to start the command (its message is on stderr): in the foreground its
    // exit status is the CLI's (2: bad input, …); a step must not report it as the script's.
    if (step && outcome.code !== null && outcome.code !== 0) {
      throw new SupervisorError(`the supervisor exited with ${outcome.code} before the script started (its error is above); nothing ran`);
    }
    if (outcome.code !== null && outcome.code !== 0 && outcome.signal === null) {
      return { exitCode: outcome.code, signal: null, durationMs, leftovers, defused: report.defused, refusedConnects: report.refused, cancelledBy };
    }
    throw new SupervisorError(`the supervisor ended without a report (${outcome.signal ?? `exit ${outcome.code}`}); the sandbox was swept from outside`);
  }
  const signal = report.exit.signal !== undefined ? signalName(report.exit.signal) : null;
  const exitCode = report.exit.code ?? 128 + (report.exit.signal ?? 0);
  return { exitCode, signal, durationMs, leftovers, defused: report.defused, refusedConnects: report.refused, cancelledBy };
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    stream.on('error', () => resolve());
    stream.on('end', () => {
      if (buf) onLine(buf);
      resolve();
    });
  });
}

/** What would make a failed supervisor work, where the reason is known. */
export function supervisorHint(errors: readonly string[]): string {
  if (errors.some((e) => e.startsWith('loopback mode cannot work here'))) {
    return (
      ". Loopback networking needs the supervisor to read the command's memory and take its sockets; where the kernel or the container refuses that, " +
      'turn it off (input loopback: false, --loopback=false, or loopback: false in the policy file) and grant the ports the tests use with connect-tcp and bind-tcp'
    );
  }
  return '';
}
