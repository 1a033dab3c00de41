// How the GitHub runner runs a `node24` action (actions/runner: ActionManifestManager,
// NodeScriptActionHandler), for tests that run the committed bundles as users get them:
// - every input of action.yml becomes INPUT_<NAME> (spaces to '_', upper case; hyphens stay),
//   with its default when the workflow does not give it;
// - `runs.main` is started with the runner's Node (here: Node 24 from .ci/run), cwd the workspace;
// - what main wrote to GITHUB_STATE comes back to `runs.post` as STATE_<name>; post runs when
//   `post-if` (always()) says so, which for this action is always;
// - outputs are read from the GITHUB_OUTPUT file; workflow commands from stdout;
// - on cancellation (`cancel`), the signals the runner sends the step's process (RUNNER_CANCEL).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Manifest {
  readonly inputs?: Record<string, { default?: unknown }>;
  readonly runs: { using: string; main: string; post?: string };
}

function manifest(actionDir: string): Manifest {
  return parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as Manifest;
}

/** INPUT_* for every input of action.yml: the given value, else the default (as the runner does). */
export function actionInputs(actionDir: string, given: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(manifest(actionDir).inputs ?? {})) {
    const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
    env[key] = given[key] ?? (spec.default === undefined ? '' : String(spec.default));
  }
  for (const k of Object.keys(given)) if (k.startsWith('INPUT_') && !(k in env)) throw new Error(`${k}: action.yml has no such input`);
  return env;
}

/** `name=value` and `name<<DELIM ... DELIM` entries of a file command (GITHUB_OUTPUT, GITHUB_STATE); the last wins. */
export function fileCommandValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] as string, i + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[1]}<<${heredoc[2]}`);
      values[heredoc[1] as string] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

/** One process's two output streams, as bytes (what the runner's two readers get). */
export interface StreamBytes {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Called with each chunk of output as it arrives (to see that output is live). */
export type OnOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => void;

export interface ActionRun {
  /** Exit status of main (the step's result: non-zero fails it). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** main's and post's stdout and stderr, in order. */
  readonly stdout: string;
  /** main's stdout and stderr apart, byte for byte. */
  readonly streams: StreamBytes;
  /** post's, when it ran. */
  readonly postStreams?: StreamBytes;
  readonly outputs: Record<string, string>;
  /** The first error command's message (::error::, or ::error with properties), if any. */
  readonly failed: string | undefined;
  /** What main saved with GITHUB_STATE (post gets it as STATE_*). */
  readonly state: Record<string, string>;
  readonly postStatus: number | null | undefined;
  /** main's cancellation, when it was cancelled. */
  readonly cancelled: Cancellation | undefined;
}

export interface ActionFiles {
  readonly output: string;
  readonly state: string;
}

export interface RunActionOptions {
  /** The Node binary the runner would use for `runs.using`. */
  readonly node: string;
  readonly cwd: string;
  readonly files: ActionFiles;
  readonly as?: { uid: number; gid: number };
  /** runAction: run runs.post afterwards (default true), as the runner does with post-if: always(). */
  readonly post?: boolean;
  readonly timeoutMs?: number;
  readonly onOutput?: OnOutput;
  /** Cancel main (never post) the way the runner cancels a step. */
  readonly cancel?: CancelOptions;
}

/** One signal of a cancellation, sent `afterMs` after the previous one unless the process is gone by then. */
export interface CancelSignal {
  readonly signal: NodeJS.Signals;
  readonly afterMs: number;
}

/**
 * What the runner does to the step's process when the job is cancelled (actions/runner
 * src/Runner.Sdk/ProcessInvoker.cs, CancelAndKillProcessTree with killProcessOnCancel false, as
 * NodeScriptActionHandler and ScriptHandler call it): kill(pid, SIGINT), up to 7.5 s for it to end,
 * kill(pid, SIGTERM), up to 2.5 s, then Process.Kill(): SIGKILL of that one process, not its group
 * or its children.
 */
export const RUNNER_CANCEL: readonly CancelSignal[] = [
  { signal: 'SIGINT', afterMs: 0 },
  { signal: 'SIGTERM', afterMs: 7500 },
  { signal: 'SIGKILL', afterMs: 2500 },
];

export interface CancelOptions {
  /** Start once this holds (polled every 10 ms), e.g. when the script has started; default at once. */
  readonly when?: () => boolean;
  /** The signals and the waits between them; default RUNNER_CANCEL. */
  readonly sequence?: readonly CancelSignal[];
}

/** What a cancellation did: each signal sent, and when the process ended, in ms after the first signal. */
export interface Cancellation {
  readonly sent: ReadonlyArray<{ readonly signal: NodeJS.Signals; readonly atMs: number }>;
  /** The process exited. */
  readonly exitedAtMs: number;
  /**
   * Its stdout and stderr were closed as well (by everything that held them): what the runner
   * waits for before it takes the step as ended (ProcessInvoker: at most 5 s after the exit).
   */
  readonly closedAtMs: number;
}

export interface StepProcess {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  /** stdout and stderr apart, byte for byte. */
  readonly streams: StreamBytes;
  /** Set when the process was cancelled (the first signal was sent). */
  readonly cancelled: Cancellation | undefined;
}

/**
 * A step's process as the runner starts it (stdin closed, stdout and stderr read), ended when it
 * has exited and its output is closed; `cancel` plays the runner's cancellation on it.
 */
export function spawnStep(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  opts: { cwd: string; as?: { uid: number; gid: number }; timeoutMs?: number; cancel?: CancelOptions; onOutput?: OnOutput },
): Promise<StepProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], uid: opts.as?.uid, gid: opts.as?.gid });
    let out = '';
    const chunks: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (d: Buffer) => {
        out += d.toString();
        chunks[name].push(d);
        opts.onOutput?.(name, d);
      });
    }
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    let exited = false;
    let exitedAt = 0;
    let first: number | undefined;
    const sent: Array<{ signal: NodeJS.Signals; atMs: number }> = [];
    let pending: NodeJS.Timeout | undefined;
    const play = (sequence: readonly CancelSignal[]): void => {
      const [next, ...rest] = sequence;
      if (!next || exited) return;
      pending = setTimeout(() => {
        if (exited) return;
        first ??= Date.now();
        sent.push({ signal: next.signal, atMs: Date.now() - first });
        child.kill(next.signal); // kill(pid, sig): the process only, as the runner does
        play(rest);
      }, next.afterMs);
    };
    if (opts.cancel) {
      const sequence = opts.cancel.sequence ?? RUNNER_CANCEL;
      const when = opts.cancel.when;
      if (!when) play(sequence);
      else {
        const poll = (): void => {
          if (exited) return;
          if (when()) play(sequence);
          else pending = setTimeout(poll, 10);
        };
        poll();
      }
    }
    child.on('error', reject);
    child.on('exit', () => {
      exited = true;
      exitedAt = Date.now();
      clearTimeout(pending);
    });
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      clearTimeout(pending);
      const cancelled = first === undefined ? undefined : { sent, exitedAtMs: exitedAt - first, closedAtMs: Date.now() - first };
      resolve({ status, signal, out, streams: { stdout: Buffer.concat(chunks.stdout), stderr: Buffer.concat(chunks.stderr) }, cancelled });
    });
  });
}

export function spawnNode(
  node: string,
  script: string,
  env: Record<string, string>,
  opts: { cwd: string; as?: { uid: number; gid: number }; timeoutMs?: number; cancel?: CancelOptions; onOutput?: OnOutput },
): Promise<StepProcess> {
  return spawnStep(node, [script], env, opts);
}

function stepEnv(actionDir: string, env: Readonly<Record<string, string>>): Record<string, string> {
  const plain = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('INPUT_')));
  return { ...plain, ...actionInputs(actionDir, env), GITHUB_ACTION_PATH: actionDir };
}

const firstError = (out: string): string | undefined => /^::error(?: [^\n]*?)?::(.*)$/m.exec(out)?.[1];

/** runs.main, as the runner starts it; `state`: what it saved for post (GITHUB_STATE). */
export async function runMain(actionDir: string, env: Readonly<Record<string, string>>, opts: RunActionOptions): Promise<ActionRun> {
  const before = readFileSync(opts.files.state, 'utf8');
  const main = await spawnNode(opts.node, join(actionDir, manifest(actionDir).runs.main), stepEnv(actionDir, env), opts);
  const state = fileCommandValues(readFileSync(opts.files.state, 'utf8').slice(before.length));
  // The runner gives post a fresh state file; what main saved arrives as STATE_*.
  writeFileSync(opts.files.state, before);
  return {
    status: main.status,
    signal: main.signal,
    stdout: main.out,
    streams: main.streams,
    outputs: fileCommandValues(readFileSync(opts.files.output, 'utf8')),
    failed: firstError(main.out),
    state,
    postStatus: undefined,
    cancelled: main.cancelled,
  };
}

/** runs.post with main's saved state as STATE_*; its exit status and output. */
export async function runPost(
  actionDir: string,
  env: Readonly<Record<string, string>>,
  state: Readonly<Record<string, string>>,
  opts: RunActionOptions,
): Promise<{ status: number | null; out: string; streams: StreamBytes }> {
  const post = manifest(actionDir).runs.post;
  if (!post) throw new Error(`${actionDir}/action.yml has no runs.post`);
  const saved = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  const r = await spawnNode(opts.node, join(actionDir, post), { ...stepEnv(actionDir, env), ...saved }, { ...opts, cancel: undefined, onOutput: undefined });
  return { status: r.status, out: r.out, streams: r.streams };
}

/** Runs the action in actionDir as the runner runs a step that uses it: main, then post. */
export async function runAction(actionDir: string, env: Readonly<Record<string, string>>, opts: RunActionOptions): Promise<ActionRun> {
  const main = await runMain(actionDir, env, opts);
  if (!manifest(actionDir).runs.post || opts.post === false) return main;
  const post = await runPost(actionDir, env, main.state, opts);
  const stdout = main.stdout + post.out;
  return { ...main, stdout, postStreams: post.streams, failed: firstError(stdout), postStatus: post.status };
}
