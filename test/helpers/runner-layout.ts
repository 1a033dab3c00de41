// A temporary GitHub runner layout for end-to-end tests of the Action: HOME with secrets and
// dotfiles, the work directory with a checked-out repository (token persisted the way
// actions/checkout does it), RUNNER_TEMP with the file-command files, _actions, a tool cache.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24, node24ForAnyUser, node24Why } from './node24.js';
import { copyAction } from './portable.js';
import { runAction, runPost, spawnStep, type ActionRun, type CancelOptions, type OnOutput, type StepProcess, type StreamBytes } from './runner.js';
import { ROOT, tempDir } from './run.js';

export interface RunnerLayout {
  readonly root: string;
  readonly home: string;
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly toolCache: string;
  readonly actionsDir: string;
  /** Where the runner downloads this action (_actions/landrun/landrun-action/v1); filled by actionStep. */
  readonly thisAction: string;
  readonly files: { env: string; path: string; output: string; state: string; summary: string };
  readonly credentialsFile: string | undefined;
  /** Environment a step of this runner would have. */
  env(extra?: Record<string, string>): Record<string, string>;
}

export const TOKEN = 'ghs_0123456789abcdefSECRET';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

export function makeRunnerLayout(opts: { checkout: 'v4' | 'v6' } = { checkout: 'v4' }): RunnerLayout {
  const root = tempDir('landrun-runner-');
  const home = join(root, 'home', 'runner');
  const work = join(home, 'work');
  const workspace = join(work, 'repo', 'repo');
  const runnerTemp = join(work, '_temp');
  const fc = join(runnerTemp, '_runner_file_commands');
  const actionsDir = join(work, '_actions', 'actions', 'checkout', 'v6');
  const thisAction = join(work, '_actions', 'landrun', 'landrun-action', 'v1');
  const toolCache = join(root, 'opt', 'hostedtoolcache');
  for (const d of [join(home, '.ssh'), join(home, '.config', 'gh'), join(home, '.config', 'other'), workspace, fc, actionsDir, join(toolCache, 'node', '24.0.0', 'x64', 'bin')]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
  writeFileSync(join(home, '.config', 'gh', 'hosts.yml'), 'oauth_token: gho_secret\n');
  writeFileSync(join(home, '.config', 'other', 'settings'), 'visible=yes\n');
  writeFileSync(join(home, '.bashrc'), '# bashrc\n');
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = runner\n\temail = runner@example.com\n');
  writeFileSync(join(actionsDir, 'index.js'), '// checkout\n');
  writeFileSync(join(toolCache, 'node', '24.0.0', 'x64', 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(join(toolCache, 'node', '24.0.0', 'x64', 'bin', 'tool'), 0o755);
  writeFileSync(join(runnerTemp, 'event.json'), '{"ref":"refs/heads/main"}\n');

  writeFileSync(join(workspace, 'README'), 'repo\n');
  git(workspace, 'init', '-q', '-b', 'main');
  git(workspace, 'add', '.');
  git(workspace, 'commit', '-q', '-m', 'init');
  writeFileSync(join(workspace, '.git', 'hooks', 'pre-commit.sample'), '#!/bin/sh\n');
  let credentialsFile: string | undefined;
  if (opts.checkout === 'v4') {
    git(workspace, 'config', '--local', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${BASIC}`);
  } else {
    credentialsFile = join(runnerTemp, 'git-credentials-0a1b2c3d-4e5f-6789-abcd-ef0123456789.config');
    writeFileSync(credentialsFile, `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`);
    git(workspace, 'config', '--local', `includeIf.gitdir:${workspace}/.git.path`, credentialsFile);
  }
  const files = {
    env: join(fc, 'set_env_1'),
    path: join(fc, 'add_path_1'),
    output: join(fc, 'set_output_1'),
    state: join(fc, 'save_state_1'),
    summary: join(fc, 'step_summary_1'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return {
    root,
    home,
    workspace,
    runnerTemp,
    toolCache,
    actionsDir,
    thisAction,
    files,
    credentialsFile,
    env: (extra = {}) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: toolCache,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_EVENT_PATH: join(runnerTemp, 'event.json'),
      ...extra,
    }),
  };
}

export interface LocalActionResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly failed: string | undefined;
}

/**
 * A step that uses this action, run the way the runner runs it: action.yml and dist/ downloaded
 * into _actions, every input with its default, the committed bundle of runs.main and then of
 * runs.post started with the runner's Node (Node 24 unless `node` says otherwise), STATE_* passed
 * from main to post. `as`: the runner's user, when not this one.
 */
export function actionStep(layout: RunnerLayout, env: Record<string, string>, opts: StepOptions = {}): Promise<ActionRun> {
  return runAction(installAction(layout, opts), env, { node: stepNode(opts), cwd: layout.workspace, files: layout.files, as: opts.as, post: opts.post, onOutput: opts.onOutput, cancel: opts.cancel });
}

/** The post step of an earlier actionStep(…, { post: false }), given what its main saved. */
export function actionPostStep(layout: RunnerLayout, env: Record<string, string>, state: Record<string, string>, opts: StepOptions = {}): Promise<{ status: number | null; out: string; streams: StreamBytes }> {
  return runPost(installAction(layout, opts), env, state, { node: stepNode(opts), cwd: layout.workspace, files: layout.files, as: opts.as });
}

export interface StepOptions {
  readonly node?: string;
  readonly as?: { uid: number; gid: number };
  readonly post?: boolean;
  /** Each chunk of main's output as it arrives. */
  readonly onOutput?: OnOutput;
  /** Cancel the step's main the way the runner does (runner.ts RUNNER_CANCEL). */
  readonly cancel?: CancelOptions;
}

/**
 * A later run step with `shell: landrun-shell {0}`, as the runner runs it: the script written to a
 * file in RUNNER_TEMP, `landrun-shell` resolved through PATH with the directory shell mode's setup
 * added (GITHUB_PATH), started with the file's path in the workspace; `cancel` cancels it (the
 * runner signals the process it started, landrun-shell).
 */
export function landrunShellStep(
  layout: RunnerLayout,
  body: string,
  env: Record<string, string>,
  opts: { as?: { uid: number; gid: number }; cancel?: CancelOptions; name?: string } = {},
): Promise<StepProcess> {
  const binDir = readFileSync(layout.files.path, 'utf8').trim().split('\n').pop() as string;
  const file = join(layout.runnerTemp, `${opts.name ?? `step-${Math.random().toString(36).slice(2)}`}.sh`);
  writeFileSync(file, body);
  if (opts.as) spawnSync('chown', [`${opts.as.uid}:${opts.as.gid}`, file]);
  const path = `${binDir}:${env.PATH ?? process.env.PATH ?? '/usr/bin:/bin'}`;
  return spawnStep(join(binDir, 'landrun-shell'), [file], { ...env, PATH: path }, { cwd: layout.workspace, as: opts.as, cancel: opts.cancel });
}

function stepNode(opts: StepOptions): string {
  if (opts.node !== undefined) return opts.node;
  if (NODE24 === undefined) throw new Error(node24Why);
  return opts.as ? node24ForAnyUser() : NODE24;
}

function installAction(layout: RunnerLayout, opts: StepOptions): string {
  if (!existsSync(join(layout.thisAction, 'action.yml'))) {
    copyAction(layout.thisAction);
    if (opts.as) spawnSync('chown', ['-R', `${opts.as.uid}:${opts.as.gid}`, layout.thisAction]);
  }
  return layout.thisAction;
}

/** Runs the Action through @github/local-action (a real client of action.yml), main then post; `as`: another user. */
export function localAction(layout: RunnerLayout, env: Record<string, string>, as?: { uid: number; gid: number }): Promise<LocalActionResult> {
  // local-action starts through `sh -c`, which drops variables whose names are not identifiers
  // (INPUT_CONNECT-TCP): those go in its dotenv file. Everything else goes in the process
  // environment, which can carry multi-line scripts with any quotes (dotenv cannot).
  const envFile = join(layout.root, `local-action-${Math.random().toString(36).slice(2)}.env`);
  const dotted = Object.entries(env).filter(([k]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  for (const [k, v] of dotted) if (/["\n]/.test(v)) throw new Error(`cannot pass ${k} through dotenv: ${v}`);
  writeFileSync(envFile, dotted.map(([k, v]) => `${k}="${v}"`).join('\n') + '\n');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js'), 'run', ROOT, 'src/action/main.ts', envFile, '--post', 'src/action/post.ts'],
      // cwd: this checkout, so that npm finds local-action's own tsx and the entrypoints resolve
      { cwd: ROOT, env: { ...env, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'], uid: as?.uid, gid: as?.gid },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      const outputs: Record<string, string> = {};
      for (const m of out.matchAll(/::set-output name=([\w-]+)::(.*)/g)) outputs[m[1] as string] = m[2] as string;
      // the first error command, with or without properties (the Action's carries its reserved title)
      const failed = /::error(?: [^\n]*?)?::(.*)/.exec(out)?.[1];
      resolve({ status, stdout: out, outputs, failed });
    });
  });
}

export const read = (p: string): string => readFileSync(p, 'utf8');
