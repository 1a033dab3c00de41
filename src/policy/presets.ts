// Presets: policies computed from the environment they run in. `ci` is what a CI test step needs
// (the system, its tools, the workspace, a private temporary directory) and nothing that lets it
// reach secrets or poison later steps. Pure: the caller hands in the facts (paths, HOME's entries).
import { isBeneath } from '../landlock/plan.js';
import type { Origin } from '../shared/origin.js';
import type { PathGrant } from './schema.js';

export const PRESETS = ['ci', 'none'] as const;
export type PresetName = (typeof PRESETS)[number];

export function isPresetName(s: string): s is PresetName {
  return (PRESETS as readonly string[]).includes(s);
}

/** HOME entries that hold credentials or keys; never readable under the ci preset. */
export const HOME_SECRETS = [
  '.ssh',
  '.gnupg',
  '.docker',
  '.aws',
  '.azure',
  '.kube',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.yarnrc.yml',
  '.config/gh',
  '.config/gcloud',
  '.config/hub',
  '.config/git/credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.m2/settings.xml',
  '.m2/settings-security.xml',
  '.gradle/gradle.properties',
  '.terraform.d/credentials.tfrc.json',
  '.local/share/keyrings',
  '.config/composer/auth.json',
  '.composer/auth.json',
  '.config/containers/auth.json',
  '.config/helm/registry',
  '.config/op',
  '.vault-token',
  '.pgpass',
  '.my.cnf',
  '.s3cfg',
  '.boto',
  '.config/rclone',
  '.oci',
  '.ibmcloud',
  '.config/doctl',
  '.fly',
  '.netlify',
  '.vercel',
  '.config/heroku',
  '.netrc.gpg',
] as const;

export interface PresetContext {
  /** Writable: the checkout. */
  readonly workspace: string;
  /** Writable: a fresh directory for this step only (exported as TMPDIR, TMP, TEMP). Shell mode's
   *  setup has none yet: each step adds its own to the stored plan. */
  readonly privateTmp: string | undefined;
  readonly home: string | undefined;
  /** Lists a directory's entry names (no dot entries); undefined when it cannot be read. */
  readonly listDir: (dir: string) => readonly string[] | undefined;
  readonly isDirectory: (path: string) => boolean;
  readonly exists: (path: string) => boolean;
  /** Paths nobody in the sandbox may even read (RUNNER_TEMP, the runner's credentials). */
  readonly hidden: readonly string[];
  /** Read + execute beyond the system directories (RUNNER_TOOL_CACHE). */
  readonly toolDirs: readonly string[];
  /** Individual files the sandbox may read (the event payload, the step's script). */
  readonly readableFiles: readonly string[];
  /** Individual files the sandbox may write (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY when allowed). */
  readonly writableFiles: readonly string[];
}

const SYSTEM_EXEC = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt'];
const SYSTEM_READ = ['/etc', '/proc', '/sys'];
const DEVICES_RW = ['/dev/null', '/dev/tty', '/dev/ptmx', '/dev/pts', '/dev/shm', '/dev/full'];
const DEVICES_RO = ['/dev/zero', '/dev/random', '/dev/urandom'];


/** The ci preset as grants. Protections that are not grants (git snapshots, env) live elsewhere. */
export function ciPreset(ctx: PresetContext): PathGrant[] {
  const g: PathGrant[] = [];
  const add = (flag: PathGrant['flag'], path: string, why: string): void => {
    g.push({ flag, path, origin: { kind: 'preset', name: 'ci', detail: why } });
  };
  // A system directory may hold something hidden (a runner installed under /opt): then it is
  // granted entry by entry around it, as HOME is.
  const grant = (flag: PathGrant['flag'], p: string, why: string): void => {
    g.push(...grantAround(ctx, flag, p, ctx.hidden, { kind: 'preset', name: 'ci', detail: why }));
  };
  for (const p of SYSTEM_EXEC) if (ctx.exists(p)) grant('rox', p, 'system');
  for (const p of ctx.toolDirs) if (ctx.exists(p)) grant('rox', p, 'tool cache');
  for (const p of SYSTEM_READ) if (ctx.exists(p)) grant('ro', p, 'system');
  for (const p of DEVICES_RW) if (ctx.exists(p)) add('rw', p, 'device');
  for (const p of DEVICES_RO) if (ctx.exists(p)) add('ro', p, 'device');
  if (ctx.home && ctx.isDirectory(ctx.home)) g.push(...homeGrants(ctx, ctx.home));
  // Execute where CI executes: test runners in node_modules/.bin, compiled tests (go test, cargo,
  // make check) and scripts written into TMPDIR all exec from these two trees.
  add('rwx', ctx.workspace, 'workspace');
  if (ctx.privateTmp) add('rwx', ctx.privateTmp, 'private temporary directory');
  for (const f of ctx.readableFiles) if (ctx.exists(f)) add('ro', f, 'runner file');
  for (const f of ctx.writableFiles) if (ctx.exists(f)) add('rw', f, 'step output');
  return g;
}

/** `path` with `flag`, except what is hidden beneath it (entry by entry around the hidden parts). */
function grantAround(ctx: PresetContext, flag: PathGrant['flag'], path: string, hidden: readonly string[], origin: Origin): PathGrant[] {
  if (hidden.some((h) => h === path)) return [];
  if (!hidden.some((h) => isBeneath(h, path))) return [{ flag, path, origin }];
  const out: PathGrant[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const name of ctx.listDir(dir) ?? []) {
      const p = `${dir}/${name}`;
      if (hidden.includes(p)) continue;
      const holds = hidden.some((h) => h !== p && isBeneath(h, p));
      if (!holds) out.push({ flag, path: p, origin });
      else if (depth < 6 && ctx.isDirectory(p)) visit(p, depth + 1);
    }
  };
  visit(path, 0);
  return out;
}

/**
 * HOME, readable and executable except its secrets (toolchains live there: ~/.cargo/bin, ~/.rustup,
 * pyenv shims, ~/.local/bin). Landlock cannot carve an exception out of a granted tree, so HOME is
 * granted entry by entry, and a directory holding something to skip is descended into. HOME itself
 * and the directories descended into get no rule: listing them is denied (listing would be
 * inherited by every subdirectory, ~/.ssh included).
 */
function homeGrants(ctx: PresetContext, home: string): PathGrant[] {
  const skip = [...HOME_SECRETS.map((s) => `${home}/${s}`), ...ctx.hidden];
  // HOME itself gets no rule even when nothing in it is hidden: listing would be inherited everywhere.
  return (ctx.listDir(home) ?? []).flatMap((name) => grantAround(ctx, 'rox', `${home}/${name}`, skip, { kind: 'preset', name: 'ci', detail: 'HOME, read and execute' }));
}

/** Why `path` must never be granted to a CI script, or undefined: the preset's own exclusions. */
export function forbiddenPath(path: string, home: string | undefined, hidden: readonly string[], workspace?: string): string | undefined {
  const secret = home ? HOME_SECRETS.map((s) => `${home}/${s}`).find((s) => isBeneath(path, s) || isBeneath(s, path)) : undefined;
  if (secret) return `${path} would expose ${secret} (credentials)`;
  const h = hidden.find((x) => isBeneath(path, x) || isBeneath(x, path));
  if (h) return `${path} would expose ${h} (the runner's file commands and credentials)`;
  if (workspace && (isBeneath(path, `${workspace}/.git`) || path === workspace + '/.git')) return `${path} is the checkout's git metadata, which later steps trust`;
  return undefined;
}

/** Variables a JavaScript action receives and a plain `run:` step does not: never passed on. */
export const RUNNER_SECRET_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
] as const;

/** The environment of a sandboxed step: the caller's minus runner tokens and action inputs/state. */
export function scrubEnvironment(env: Readonly<Record<string, string | undefined>>): {
  env: Record<string, string>;
  removed: string[];
} {
  const out: Record<string, string> = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if ((RUNNER_SECRET_VARIABLES as readonly string[]).includes(k) || k.startsWith('INPUT_') || k.startsWith('STATE_')) {
      removed.push(k);
      continue;
    }
    out[k] = v;
  }
  return { env: out, removed: removed.sort() };
}

/**
 * The withheld variables for a log line: runner secrets by name, the action's own inputs and saved
 * state by count (the runner sets every input, so naming them all would hide the secrets).
 */
export function removedText(removed: readonly string[]): string {
  const group = (prefix: string, what: string): string[] => {
    const n = removed.filter((k) => k.startsWith(prefix)).length;
    return n === 0 ? [] : [`${n === 1 ? removed.find((k) => k.startsWith(prefix)) : `${what} (${n} ${prefix}* variables)`}`];
  };
  const named = removed.filter((k) => !k.startsWith('INPUT_') && !k.startsWith('STATE_'));
  return [...named, ...group('INPUT_', "this action's inputs"), ...group('STATE_', "this action's saved state")].join(', ');
}

/** What each withheld runner variable would let the script do, for the warning when an input passes it back. */
const VARIABLE_RISKS: Partial<Record<(typeof RUNNER_SECRET_VARIABLES)[number], string>> = {
  ACTIONS_RUNTIME_TOKEN: "the runner's runtime token (upload artifacts and caches that later steps and jobs trust)",
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'the token that requests OIDC identity tokens (sign in to cloud accounts as this workflow)',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'where OIDC identity tokens are requested',
};

/**
 * Settings that give the script back something the preset withholds: a credential under HOME, a
 * runner token, the checkout token. They are the user's to choose, so they are allowed — and said,
 * naming the risk, every time (one line each).
 */
export function reopenedSecrets(input: {
  readonly paths: ReadonlyArray<{ readonly path: string; readonly label: string }>;
  readonly envKeys: ReadonlyArray<{ readonly key: string; readonly label: string }>;
  readonly home: string | undefined;
  readonly keepCheckoutToken: boolean;
}): string[] {
  const out: string[] = [];
  for (const p of input.paths) {
    const secret = input.home ? HOME_SECRETS.map((s) => `${input.home}/${s}`).find((s) => isBeneath(s, p.path) || isBeneath(p.path, s)) : undefined;
    if (secret) out.push(`${p.label} gives the script ${secret}, which the ci preset withholds (credentials): anything the script runs can read and send it`);
  }
  for (const e of input.envKeys) {
    if ((RUNNER_SECRET_VARIABLES as readonly string[]).includes(e.key)) {
      const risk = VARIABLE_RISKS[e.key as (typeof RUNNER_SECRET_VARIABLES)[number]] ?? 'a value the runner gives JavaScript actions and not run steps';
      out.push(`${e.label} gives the script ${e.key}: ${risk}`);
    }
  }
  if (input.keepCheckoutToken) out.push('checkout-credentials: keep leaves the checkout token readable by the script: it can push to the repository with it');
  return out;
}
