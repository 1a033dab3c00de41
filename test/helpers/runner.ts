// How the GitHub runner runs a `node24` action (actions/runner: ActionManifestManager,
// NodeScriptActionHandler), for tests that run the committed bundles as users get them:
// - every input of action.yml becomes INPUT_<NAME> (spaces to '_', upper case; hyphens stay),
//   with its default when the workflow does not give it;
// - `runs.main` is started with the runner's Node (here: Node 24 from .ci/run), cwd the workspace;
// - what main wrote to GITHUB_STATE comes back to `runs.post` as STATE_<name>; post runs when
//   `post-if` (always()) says so, which for this action is always;
// - outputs are read from the GITHUB_OUTPUT file; workflow commands from stdout.
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
}

export function spawnNode(
  node: string,
  script: string,
  env: Record<string, string>,
  opts: { cwd: string; as?: { uid: number; gid: number }; timeoutMs?: number; onOutput?: OnOutput },
): Promise<{ status: number | null; signal: NodeJS.Signals | null; out: string; streams: StreamBytes }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], uid: opts.as?.uid, gid: opts.as?.gid });
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
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, out, streams: { stdout: Buffer.concat(chunks.stdout), stderr: Buffer.concat(chunks.stderr) } });
    });
  });
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
  const r = await spawnNode(opts.node, join(actionDir, post), { ...stepEnv(actionDir, env), ...saved }, opts);
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
