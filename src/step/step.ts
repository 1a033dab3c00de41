// One sandboxed CI step, shared by the Action's run mode and landrun-shell: the ci preset around
// the user's grants, a private temporary directory, the git guard, the scrubbed environment, the
// launcher, and the clean-up. No @actions here: callers report through the returned values.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBeneath } from '../landlock/plan.js';
import type { Compiled } from '../policy/compile.js';
import { PolicyError } from '../shared/errors.js';
import { fileLocation } from '../shared/origin.js';
import { join } from 'node:path';
import { DNS_ENV, withDns } from '../policy/dns.js';
import { ciPreset, reopenedSecrets, RUNNER_SECRET_VARIABLES, scrubEnvironment, type PresetName } from '../policy/presets.js';
import { originText, type Origin } from '../shared/origin.js';
import type { PathGrant, Policy } from '../policy/schema.js';
import type { PolicyRequest, WorkflowCommandsMode } from '../policy/vocabulary.js';
import { seedGoCache } from './tool-caches.js';
import { deserializeGuard, findGitDir, guardGit, releaseGit, serializeGuard, type GitCheck, type GitGuard } from './git-guard.js';

/** The user's request (their grants and switches, paths absolute) and what the step adds around it. */
export interface StepSettings extends Omit<PolicyRequest, 'preset' | 'loopback' | 'workflowCommands'> {
  readonly preset: PresetName;
  readonly workflowCommands: WorkflowCommandsMode;
  readonly allowStepOutputs: boolean;
  readonly checkoutCredentials: 'withhold' | 'keep';
  readonly protectGit: 'snapshot' | 'read-only';
}

export interface StepLayout {
  readonly workspace: string;
  readonly home: string | undefined;
  readonly toolCache: string | undefined;
  /** Never readable from inside: RUNNER_TEMP, the runner's install. */
  readonly hidden: readonly string[];
  readonly readableFiles: readonly string[];
  readonly outputFiles: readonly string[];
}

/**
 * The step's defaults where the user said nothing: under the ci preset, loopback networking is on
 * (test servers on any port, nothing reaches another host); workflow commands are limited to
 * annotations. The CLI's --preset ci and the Action resolve them here, so both grant the same.
 */
export function stepDefaults(request: PolicyRequest, preset: PresetName): Pick<StepSettings, 'policy' | 'workflowCommands'> {
  return {
    policy: { ...request.policy, loopback: request.loopback ?? preset === 'ci' },
    workflowCommands: request.workflowCommands ?? 'annotations',
  };
}

/** Creates the step's private directory (script, tmp) inside `parent`, which the sandbox cannot read. */
export function makeStepDir(parent: string): { dir: string; tmp: string } {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'landrun-step-'));
  chmodSync(dir, 0o700);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { mode: 0o700 });
  return { dir, tmp };
}

export function writeScript(dir: string, script: string, name = 'script.sh'): string {
  const file = join(dir, name);
  writeFileSync(file, script.endsWith('\n') ? script : `${script}\n`, { mode: 0o644 });
  return file;
}

const listDir = (d: string): string[] | undefined => {
  try {
    return readdirSync(d);
  } catch {
    return undefined;
  }
};
const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The workspace, entry by entry with .git read-only (protect-git: read-only). */
function workspaceEntries(workspace: string): PathGrant[] {
  const grants: PathGrant[] = [{ flag: 'rox', path: workspace, origin: { kind: 'preset', name: 'ci', detail: 'workspace root, read-only: protect-git read-only' } }];
  for (const name of listDir(workspace) ?? []) {
    if (name === '.git') continue;
    grants.push({ flag: 'rwx', path: join(workspace, name), origin: { kind: 'preset', name: 'ci', detail: 'workspace entry' } });
  }
  return grants;
}

export interface StepGrantsInput {
  readonly settings: StepSettings;
  readonly layout: StepLayout;
  /** The step's private temporary directory; shell mode's setup has none (each step adds its own). */
  readonly tmp: string | undefined;
  /** Files the sandbox may read but not write (the script). */
  readonly scriptFiles: readonly string[];
}

/** The step's policy: the preset's grants around the user's own. */
export function stepPolicy(input: StepGrantsInput): Policy {
  const { settings, layout } = input;
  const credentialFiles = settings.checkoutCredentials === 'keep' ? includedCredentialFiles(layout.workspace) : [];
  let grants: PathGrant[];
  if (settings.preset === 'ci') {
    grants = ciPreset({
      workspace: layout.workspace,
      privateTmp: input.tmp,
      home: layout.home,
      listDir,
      isDirectory,
      exists: existsSync,
      hidden: layout.hidden,
      toolDirs: layout.toolCache ? [layout.toolCache] : [],
      readableFiles: [...layout.readableFiles, ...input.scriptFiles, ...credentialFiles],
      writableFiles: settings.allowStepOutputs ? layout.outputFiles : [],
    });
    if (settings.protectGit === 'read-only') {
      grants = grants.filter((g) => g.path !== layout.workspace).concat(workspaceEntries(layout.workspace));
    }
  } else {
    grants = input.scriptFiles.map((f) => ({ flag: 'ro' as const, path: f, origin: { kind: 'implied', by: 'the step script' } as const }));
    if (input.tmp) grants.push({ flag: 'rwx', path: input.tmp, origin: { kind: 'implied', by: 'private temporary directory' } });
  }
  const policy: Policy = { ...settings.policy, paths: [...grants, ...settings.policy.paths] };
  return settings.allowDns ? withDns(policy, existsSync) : policy;
}

/** Warnings for every setting of the user's that reopens something the preset withholds. */
export function stepSecretWarnings(settings: StepSettings, layout: StepLayout): string[] {
  if (settings.preset !== 'ci') return [];
  const named = (o: Origin): boolean => o.kind === 'input' || o.kind === 'flag' || o.kind === 'policy-file';
  return reopenedSecrets({
    paths: settings.policy.paths.filter((g) => named(g.origin)).map((g) => ({ path: g.path, label: originText(g.origin) })),
    envKeys: settings.entries.filter((e) => e.key === 'env').map((e) => ({ key: e.value.split('=')[0] ?? e.value, label: `env: ${e.value.split('=')[0]}` })),
    home: layout.home,
    keepCheckoutToken: settings.checkoutCredentials === 'keep' && findGitDir(layout.workspace) !== undefined,
  });
}

/** What a plain `run:` step would see, minus runner tokens and action inputs, plus the step's TMPDIR. */
export function stepEnvironment(
  settings: StepSettings,
  tmp: string,
  callerEnv: Readonly<Record<string, string | undefined>>,
  /** The step's workspace and working directory: where a Go project would be (tool-caches.ts). */
  projectDirs: readonly string[],
): { env: Record<string, string>; removed: string[]; notes: string[] } {
  const { env, removed } = scrubEnvironment(callerEnv);
  // npm writes its cache and logs under HOME, which is read-only: keep them per step. Other caches
  // under HOME stay where they are, readable: tools that tolerate a read-only cache (pip's) stay
  // warm, and nothing a step writes can reach a later step through them. Go's needs a private
  // copy (tool-caches.ts).
  env.npm_config_cache ??= join(tmp, '.npm');
  // npm's update check would ask the registry from inside the sandbox on every run: not wanted.
  env.npm_config_update_notifier ??= 'false';
  if (settings.allowDns) Object.assign(env, DNS_ENV);
  for (const e of settings.env) {
    const v = e.value ?? callerEnv[e.key];
    if (v !== undefined) env[e.key] = v;
  }
  // TMPDIR, TMP and TEMP always name the same directory: the step's own, or the one the user chose.
  const chosen = settings.env.map((e) => e.key).filter((k) => TMP_VARS.includes(k)).pop();
  const dir = chosen !== undefined ? (env[chosen] ?? tmp) : tmp;
  for (const k of TMP_VARS) env[k] = dir;
  const go = seedGoCache(tmp, callerEnv, settings.env.some((e) => e.key === 'GOCACHE'), [...new Set(projectDirs)]);
  Object.assign(env, go.env);
  // What an env: entry gave back is passed after all (the setup warned about it): not "removed".
  return { env, removed: removed.filter((k) => env[k] === undefined), notes: [...go.notes] };
}

const TMP_VARS = ['TMPDIR', 'TMP', 'TEMP'];

/**
 * Shell mode's setup step: the values of what `env: KEY` entries name among the variables the
 * runner gives JavaScript actions only (ACTIONS_RUNTIME_TOKEN, ...). A later run step never has
 * them, so without these the grant the setup step warns about would give the script nothing.
 */
export function actionOnlyVariables(settings: Pick<StepSettings, 'env'>, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of settings.env) {
    const v = env[e.key];
    if (e.value === undefined && v !== undefined && (RUNNER_SECRET_VARIABLES as readonly string[]).includes(e.key)) out[e.key] = v;
  }
  return out;
}

export function guardStepGit(settings: StepSettings, workspace: string): GitGuard | undefined {
  return guardGit(workspace, { withholdCredentials: settings.checkoutCredentials === 'withhold' });
}

/** The checkout (>= v6) credentials files .git/config includes, for checkout-credentials: keep. */
function includedCredentialFiles(workspace: string): string[] {
  const gitDir = findGitDir(workspace);
  if (!gitDir) return [];
  try {
    const config = readFileSync(join(gitDir, 'config'), 'utf8');
    return [...config.matchAll(/^\s*path\s*=\s*"?(.*git-credentials-[0-9a-fA-F-]+\.config)"?\s*$/gm)].map((m) => m[1] as string);
  } catch {
    return [];
  }
}

/** Where a step's directory keeps its git guard until the guard is released (git-guard.ts, serializeGuard). */
const GUARD_FILE = 'git-guard.json';

/**
 * Keeps the guard in the step's directory (below RUNNER_TEMP, which no sandbox can reach), for
 * finishLeftStep when this process is killed before it releases the guard itself. Returns why it
 * could not (the step goes on: this process still releases the guard).
 */
export function keepGuard(git: GitGuard | undefined, stepDir: string): string | undefined {
  if (!git) return undefined;
  try {
    writeFileSync(join(stepDir, GUARD_FILE), serializeGuard(git), { mode: 0o600 });
    return undefined;
  } catch (e) {
    return `cannot keep the git guard for the post step (${(e as Error).message}): if this step is killed before it ends, .git is not restored`;
  }
}

/**
 * A step directory that outlived its step: the process that ran the step was killed before it
 * restored the git metadata (the runner's SIGKILL ends cancellation). Restores it from the kept
 * guard, reports like finishStep, and removes the directory.
 */
export function finishLeftStep(stepDir: string): { restored: boolean; gitChanged: readonly string[]; gitMessage: string | undefined } {
  const file = join(stepDir, GUARD_FILE);
  if (!existsSync(file)) {
    rmSync(stepDir, { recursive: true, force: true });
    return { restored: false, gitChanged: [], gitMessage: undefined };
  }
  const guard = deserializeGuard(readFileSync(file, 'utf8'));
  const { gitChanged, gitMessage } = finishStep(guard, guard.root, stepDir);
  return { restored: true, gitChanged, gitMessage };
}

/** Restores the git metadata and reports what the step changed there; removes the step directory. */
export function finishStep(git: GitGuard | undefined, workspace: string, stepDir: string): { gitChanged: readonly string[]; gitMessage: string | undefined } {
  const check = git ? releaseGit(git, workspace) : undefined;
  rmSync(stepDir, { recursive: true, force: true });
  return { gitChanged: check?.changed ?? [], gitMessage: check ? gitChangeMessage(check) : undefined };
}

/**
 * Why the step fails when it touched what later git commands read or run, naming each file and
 * what was done with it; undefined when it touched nothing.
 */
export function gitChangeMessage(check: GitCheck): string | undefined {
  if (check.changed.length === 0) return undefined;
  const parts = [
    check.restored.length ? `restored ${check.restored.join(', ')}` : '',
    check.removed.length ? `removed ${check.removed.join(', ')}` : '',
    check.unrestored.length ? `left as the step made them (see the log) ${check.unrestored.join(', ')}` : '',
  ].filter(Boolean);
  return `the script changed what later git commands read or run: ${check.changed.join(', ')} (${parts.join('; ')})`;
}

/** argv for the step's shell, as the runner would build it. */
export function shellArgv(shell: string, script: string): string[] {
  const s = shell.trim();
  if (s === '' || s === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script];
  if (s === 'sh') return ['sh', '-e', script];
  if (s === 'python') return ['python', script];
  const words = s.split(/\s+/);
  if (!words.some((w) => w.includes('{0}'))) return [...words, script];
  return words.map((w) => w.replaceAll('{0}', script));
}

/**
 * The user's grants, checked after compiling (paths resolved): a relative grant must stay in the
 * workspace even through symlinks the repository controls, and no grant may cover what is hidden
 * (RUNNER_TEMP with the file-command files and credentials, the runner's own credentials) or sit
 * inside the file-command directory.
 */
export function assertGrantsSafe(compiled: Compiled, layout: StepLayout): void {
  const workspaceReal = realOrSelf(layout.workspace);
  const hidden = layout.hidden.map(realOrSelf);
  for (const { grant, realPath } of compiled.resolved) {
    const o = grant.origin;
    // A policy file's grants are the user's too (policy-file input), with the same checks.
    if (o.kind !== 'input' && o.kind !== 'policy-file') continue;
    const who = o.kind === 'input' ? `input ${o.name}` : `${fileLocation(o)}: ${o.name}`;
    if (o.relative && !isBeneath(realPath, workspaceReal)) {
      throw new PolicyError(`${who}: '${o.item}' resolves through a symlink to ${realPath}, outside the workspace: grant the real path explicitly if you mean it`);
    }
    const covered = hidden.find((h) => isBeneath(h, realPath));
    if (covered) {
      throw new PolicyError(`${who}: '${o.item}' (${realPath}) would let the script reach ${covered}, which holds the runner's file commands and credentials: grant narrower paths`);
    }
    const inside = hidden.find((h) => isBeneath(realPath, h) && /_runner_file_commands|\.credentials|\.runner$/.test(realPath));
    if (inside) throw new PolicyError(`${who}: '${o.item}' is one of the runner's own files (${realPath}); it is never granted`);
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}
