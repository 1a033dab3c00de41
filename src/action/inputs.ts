// The Action's inputs as one typed settings object. The policy inputs are the policy vocabulary
// (policy/vocabulary.ts) read from `with:`; every bad value is a PolicyError naming the input and
// the value, and nothing runs then. A `policy-file:` (a path in the repository) is read first and the
// inputs are applied after its entries, so the same file gives the CLI and the Action one sandbox.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isLogLevel, type LogLevel } from '../shared/logger.js';
import { PolicyError } from '../shared/errors.js';
import { splitList } from '../policy/parse.js';
import { parsePolicyFile, policyFileProblem, type PolicyFileStat } from '../policy/policy-file.js';
import { fileLocation } from '../shared/origin.js';
import { parseSwitch, PATH_KEYS, PORT_KEYS, requestFromEntries, type PolicyKey, type SourcedEntry } from '../policy/vocabulary.js';
import { stepDefaults, type StepSettings } from '../step/step.js';
import { LEARN_TIMEOUT_MS, parseLearnTimeout } from '../denials/learn.js';

export type GetInput = (name: string) => string;

export interface ActionSettings extends StepSettings {
  /** The script; empty means shell mode. */
  readonly run: string;
  readonly shell: string;
  readonly workingDirectory: string;
  readonly logLevel: LogLevel;
  /** run: the script once; learn: until nothing new is denied, printing the learned policy. */
  readonly mode: 'run' | 'learn';
  /** May turn kernel audit on for the step (denial reports from Landlock's audit records). */
  readonly audit: boolean;
  /** Prefer strace to audit records for the denial report. */
  readonly trace: boolean;
  /** Learn mode: each round's time limit in ms (0: none). */
  readonly learnTimeoutMs: number;
}

function bool(get: GetInput, name: string, def: boolean): boolean {
  const v = get(name).trim().toLowerCase();
  if (v === '') return def;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new PolicyError(`invalid input ${name} '${get(name)}': expected true or false`);
}

function oneOf<T extends string>(get: GetInput, name: string, allowed: readonly T[], def: T): T {
  const v = get(name).trim();
  if (v === '') return def;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new PolicyError(`invalid input ${name} '${v}': expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Newline- or comma-separated list items (`\,` keeps a comma), blank lines and `#` comments ignored. */
export function listItems(value: string): string[] {
  return lines(value)
    .flatMap((l) => splitList(l).map((s) => s.trim()))
    .filter((s) => s !== '');
}

const lines = (value: string): string[] =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

/** `~` is HOME, relative paths are the workspace's and may not climb out of it. */
export function resolveActionPath(item: string, input: string, workspace: string, home: string | undefined): string {
  if (item === '~' || item.startsWith('~/')) {
    if (!home) throw new PolicyError(`input ${input}: '${item}' uses ~ but HOME is not set`);
    return resolve(home, item.slice(2));
  }
  if (isAbsolute(item)) return resolve(item);
  const abs = resolve(workspace, item);
  const rel = relative(workspace, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new PolicyError(`input ${input}: relative path '${item}' resolves to ${abs}, outside the workspace ${workspace}: use an absolute path if you mean it`);
  }
  return abs;
}

const isRelative = (item: string): boolean => !isAbsolute(item) && item !== '~' && !item.startsWith('~/');

/** The policy inputs as vocabulary entries, in the order of the vocabulary. */
export function policyEntries(get: GetInput): SourcedEntry[] {
  const out: SourcedEntry[] = [];
  const add = (key: PolicyKey, item: string): void => {
    out.push({ key, value: item, origin: { kind: 'input', name: key, item, relative: isRelative(item) } });
  };
  for (const key of PATH_KEYS) for (const item of listItems(get(key))) add(key, item);
  for (const key of PORT_KEYS) for (const item of listItems(get(key))) add(key, item);
  for (const item of lines(get('env'))) add('env', item);
  for (const key of ['best-effort', 'unrestricted-network', 'unrestricted-filesystem', 'allow-dns', 'loopback', 'allow-keyring'] as const) {
    if (get(key).trim() !== '') add(key, get(key).trim());
  }
  for (const key of ['target-abi', 'workflow-commands'] as const) if (get(key).trim() !== '') add(key, get(key).trim());
  return out;
}

function learnTimeout(get: GetInput): number {
  const v = get('learn-timeout').trim();
  if (v === '') return LEARN_TIMEOUT_MS;
  const ms = parseLearnTimeout(v);
  if (ms === undefined) throw new PolicyError(`invalid input learn-timeout '${v}': expected seconds or a duration such as 90s, 10m or 1h (0 for none)`);
  return ms;
}

/**
 * A path in the policy file: `~` is HOME, a relative path is against the file's directory and,
 * like a relative input, may not climb out of the workspace (an absolute path may go anywhere).
 */
export function resolvePolicyFilePath(item: string, fileDir: string, workspace: string, home: string | undefined): string {
  if (item === '~' || item.startsWith('~/')) {
    if (!home) throw new PolicyError(`'${item}' uses ~ but HOME is not set`);
    return resolve(home, item.slice(2));
  }
  if (isAbsolute(item)) return resolve(item);
  const abs = resolve(fileDir, item);
  const rel = relative(workspace, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new PolicyError(`relative path '${item}' resolves to ${abs}, outside the workspace ${workspace}: use an absolute path if you mean it`);
  }
  return abs;
}

/** What readSettings needs of the file system (a typed fake in unit tests). */
export interface SettingsFiles {
  /** stat(2), following symlinks; undefined when nothing is there. */
  stat(path: string): PolicyFileStat | undefined;
  /** A file's text, after stat said it may be read. */
  readText(path: string): string;
}

const realFiles: SettingsFiles = {
  stat: (p) => statSync(p, { throwIfNoEntry: false }),
  readText: (p) => readFileSync(p, 'utf8'),
};

export interface SettingsContext {
  readonly workspace: string;
  readonly home: string | undefined;
  readonly files?: SettingsFiles;
}

/** Settings the CLI applies that the Action's step does not: refused rather than silently dropped. */
const CLI_ONLY = ['add-exec', 'ldd'] as const;

function policyFileEntries(input: string, ctx: SettingsContext, files: SettingsFiles): { entries: SourcedEntry[]; dir: string } {
  const file = resolveActionPath(input, 'policy-file', ctx.workspace, ctx.home);
  let text: string;
  try {
    const st = files.stat(file);
    if (!st) throw new PolicyError(`input policy-file: '${input}' (${file}) does not exist`);
    // Checked before reading: a FIFO would block the read forever and /dev/zero never ends.
    const problem = policyFileProblem(st);
    if (problem) throw new PolicyError(`input policy-file: cannot use '${input}' (${file}): ${problem}`);
    text = files.readText(file);
  } catch (e) {
    if (e instanceof PolicyError) throw e;
    throw new PolicyError(`input policy-file: cannot read '${input}' (${file}): ${(e as Error).message}`);
  }
  const entries = parsePolicyFile(text, input);
  for (const e of entries) {
    if ((CLI_ONLY as readonly string[]).includes(e.key) && parseSwitch(e.value, e.key) && e.origin.kind === 'policy-file') {
      throw new PolicyError(
        `${fileLocation(e.origin)}: '${e.key}: ${e.value}' is not applied by the Action (its step grants the script's interpreter through the preset), so this file would give CI another sandbox than the CLI: remove it, or set it with --${e.key} on the command line`,
      );
    }
  }
  return { entries, dir: dirname(file) };
}

function workingDirectoryOf(item: string, ctx: SettingsContext, files: SettingsFiles): string {
  if (item === '') return ctx.workspace;
  const dir = resolveActionPath(item, 'working-directory', ctx.workspace, ctx.home);
  const st = files.stat(dir);
  if (!st) throw new PolicyError(`input working-directory: '${item}' (${dir}) does not exist`);
  if (!st.isDirectory()) throw new PolicyError(`input working-directory: '${item}' (${dir}) is not a directory`);
  return dir;
}

export function readSettings(get: GetInput, ctx: SettingsContext): ActionSettings {
  const files = ctx.files ?? realFiles;
  const presetInput = get('preset').trim() === '' ? undefined : oneOf(get, 'preset', ['ci', 'none'] as const, 'ci');
  const fromFile = get('policy-file').trim() === '' ? undefined : policyFileEntries(get('policy-file').trim(), ctx, files);
  // The file first, then the inputs: a switch set in both takes the input's value.
  const request = requestFromEntries([...(fromFile?.entries ?? []), ...policyEntries(get)], {
    resolvePath: (item, e) =>
      e.origin.kind === 'policy-file' && fromFile
        ? resolvePolicyFilePath(item, fromFile.dir, ctx.workspace, ctx.home)
        : resolveActionPath(item, e.key, ctx.workspace, ctx.home),
  });
  const preset = presetInput ?? request.preset ?? 'ci';
  const logLevel = get('log-level').trim() || 'info';
  if (!isLogLevel(logLevel)) throw new PolicyError(`invalid input log-level '${logLevel}': expected error, warn, info or debug`);
  return {
    ...request,
    ...stepDefaults(request, preset),
    preset,
    run: get('run'),
    shell: get('shell').trim() || 'bash',
    // Checked here, before anything runs: a missing directory would otherwise end in spawn's ENOENT.
    workingDirectory: workingDirectoryOf(get('working-directory').trim(), ctx, files),
    logLevel,
    allowStepOutputs: bool(get, 'allow-step-outputs', false),
    checkoutCredentials: oneOf(get, 'checkout-credentials', ['withhold', 'keep'] as const, 'withhold'),
    protectGit: oneOf(get, 'protect-git', ['snapshot', 'read-only'] as const, 'snapshot'),
    mode: oneOf(get, 'mode', ['run', 'learn'] as const, 'run'),
    audit: bool(get, 'audit', false),
    trace: bool(get, 'trace', false),
    learnTimeoutMs: learnTimeout(get),
  };
}
