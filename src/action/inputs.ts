// The Action's inputs as one typed settings object. Every bad value is a PolicyError naming the
// input and the value; nothing runs then.
import { isAbsolute, relative, resolve } from 'node:path';
import type { PathFlag } from '../landlock/access.js';
import { isLogLevel, type LogLevel } from '../shared/logger.js';
import { PolicyError } from '../shared/errors.js';
import { parseEnvEntry, parsePortList, splitList, type EnvEntry } from '../policy/parse.js';
import { isPresetName, PRESETS } from '../policy/presets.js';
import { emptyPolicy, type PathGrant, type Policy } from '../policy/schema.js';
import type { StepSettings } from '../step/step.js';

export type GetInput = (name: string) => string;

export interface ActionSettings extends StepSettings {
  /** The script; empty means shell mode. */
  readonly run: string;
  readonly shell: string;
  readonly workingDirectory: string;
  readonly logLevel: LogLevel;
  /** The user's inputs as CLI flags, for the reproduction command. */
  readonly flags: readonly string[];
  /** run: the script once; learn: until nothing new is denied, printing the learned policy. */
  readonly mode: 'run' | 'learn';
  /** May turn kernel audit on for the step (denial reports from Landlock's audit records). */
  readonly audit: boolean;
  /** May run the script under strace when audit records are not available. */
  readonly trace: boolean;
}

function bool(get: GetInput, name: string, def: boolean): boolean {
  const v = get(name).trim().toLowerCase();
  if (v === '') return def;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new PolicyError(`invalid input ${name}: '${get(name)}': expected true or false`);
}

function oneOf<T extends string>(get: GetInput, name: string, allowed: readonly T[], def: T): T {
  const v = get(name).trim();
  if (v === '') return def;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new PolicyError(`invalid input ${name}: '${v}': expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Newline- or comma-separated list items (`\,` keeps a comma), blank lines and `#` comments ignored. */
export function listItems(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => splitList(l).map((s) => s.trim()))
    .filter((s) => s !== '');
}

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

export function readSettings(get: GetInput, ctx: { workspace: string; home: string | undefined }): ActionSettings {
  const flags: string[] = [];
  const paths: PathGrant[] = [];
  for (const flag of ['ro', 'rox', 'rw', 'rwx', 'unix'] as const satisfies readonly PathFlag[]) {
    for (const item of listItems(get(flag))) {
      const p = resolveActionPath(item, flag, ctx.workspace, ctx.home);
      paths.push({ flag, path: p, source: `input ${flag}: ${item}` });
      flags.push(`--${flag}`, relative(ctx.workspace, p).startsWith('..') ? p : `./${relative(ctx.workspace, p)}`.replace(/\/$/, ''));
    }
  }
  const ports = (name: 'bind-tcp' | 'connect-tcp') => {
    const items = listItems(get(name));
    const out = items.flatMap((i) => parsePortList(i, `input ${name}`));
    if (items.length) flags.push(`--${name}`, items.join(','));
    return out;
  };
  const bindTcp = ports('bind-tcp');
  const connectTcp = ports('connect-tcp');
  const env: EnvEntry[] = get('env')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => parseEnvEntry(l, 'input env'));
  for (const e of env) flags.push('--env', e.value === undefined ? e.key : `${e.key}=${e.value}`);

  const preset = get('preset').trim() || 'ci';
  if (!isPresetName(preset)) throw new PolicyError(`invalid input preset: '${preset}': expected one of ${PRESETS.join(', ')}`);
  const logLevel = get('log-level').trim() || 'info';
  if (!isLogLevel(logLevel)) throw new PolicyError(`invalid input log-level: '${logLevel}': expected error, warn, info or debug`);
  const targetAbiText = get('target-abi').trim();
  if (targetAbiText !== '' && !/^\d+$/.test(targetAbiText)) {
    throw new PolicyError(`invalid input target-abi: '${targetAbiText}': expected a Landlock ABI number such as 4`);
  }
  const booleans = {
    bestEffort: bool(get, 'best-effort', false),
    unrestrictedNetwork: bool(get, 'unrestricted-network', false),
    unrestrictedFilesystem: bool(get, 'unrestricted-filesystem', false),
    allowStepOutputs: bool(get, 'allow-step-outputs', false),
    allowDns: bool(get, 'allow-dns', false),
    audit: bool(get, 'audit', false),
    trace: bool(get, 'trace', false),
  };
  if (booleans.bestEffort) flags.push('--best-effort');
  if (booleans.unrestrictedNetwork) flags.push('--unrestricted-network');
  if (booleans.unrestrictedFilesystem) flags.push('--unrestricted-filesystem');
  if (booleans.allowDns) flags.push('--allow-dns');
  if (targetAbiText) flags.push('--target-abi', targetAbiText);

  const workingDirectory = get('working-directory').trim();
  const policy: Policy = {
    ...emptyPolicy,
    paths,
    bindTcp,
    connectTcp,
    unrestrictedNetwork: booleans.unrestrictedNetwork,
    unrestrictedFilesystem: booleans.unrestrictedFilesystem,
  };
  return {
    run: get('run'),
    shell: get('shell').trim() || 'bash',
    workingDirectory: workingDirectory === '' ? ctx.workspace : resolveActionPath(workingDirectory, 'working-directory', ctx.workspace, ctx.home),
    logLevel,
    flags,
    preset,
    policy,
    env,
    bestEffort: booleans.bestEffort,
    targetAbi: targetAbiText === '' ? undefined : Number(targetAbiText),
    allowDns: booleans.allowDns,
    allowStepOutputs: booleans.allowStepOutputs,
    checkoutCredentials: oneOf(get, 'checkout-credentials', ['withhold', 'keep'] as const, 'withhold'),
    protectGit: oneOf(get, 'protect-git', ['snapshot', 'read-only'] as const, 'snapshot'),
    mode: oneOf(get, 'mode', ['run', 'learn'] as const, 'run'),
    audit: booleans.audit,
    trace: booleans.trace,
  };
}
