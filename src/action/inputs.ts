// The Action's inputs as one typed settings object. The policy inputs are the policy vocabulary
// (policy/vocabulary.ts) read from `with:`; every bad value is a PolicyError naming the input and
// the value, and nothing runs then.
import { isAbsolute, relative, resolve } from 'node:path';
import { isLogLevel, type LogLevel } from '../shared/logger.js';
import { PolicyError } from '../shared/errors.js';
import { splitList } from '../policy/parse.js';
import { PATH_KEYS, PORT_KEYS, requestFromEntries, type PolicyKey, type SourcedEntry } from '../policy/vocabulary.js';
import type { StepSettings } from '../step/step.js';
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
  for (const key of ['best-effort', 'unrestricted-network', 'unrestricted-filesystem', 'allow-dns'] as const) {
    if (get(key).trim() !== '') add(key, get(key).trim());
  }
  if (get('target-abi').trim() !== '') add('target-abi', get('target-abi').trim());
  return out;
}

function learnTimeout(get: GetInput): number {
  const v = get('learn-timeout').trim();
  if (v === '') return LEARN_TIMEOUT_MS;
  const ms = parseLearnTimeout(v);
  if (ms === undefined) throw new PolicyError(`invalid input learn-timeout '${v}': expected seconds or a duration such as 90s, 10m or 1h (0 for none)`);
  return ms;
}

export function readSettings(get: GetInput, ctx: { workspace: string; home: string | undefined }): ActionSettings {
  const preset = oneOf(get, 'preset', ['ci', 'none'] as const, 'ci');
  const request = requestFromEntries(policyEntries(get), {
    resolvePath: (item, e) => resolveActionPath(item, e.key, ctx.workspace, ctx.home),
  });
  const logLevel = get('log-level').trim() || 'info';
  if (!isLogLevel(logLevel)) throw new PolicyError(`invalid input log-level '${logLevel}': expected error, warn, info or debug`);
  const workingDirectory = get('working-directory').trim();
  return {
    ...request,
    preset,
    run: get('run'),
    shell: get('shell').trim() || 'bash',
    workingDirectory: workingDirectory === '' ? ctx.workspace : resolveActionPath(workingDirectory, 'working-directory', ctx.workspace, ctx.home),
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
