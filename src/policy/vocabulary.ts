// One vocabulary for everything that shapes a sandbox, shared by every way of writing it down:
// command-line flags (`--ro /etc`), Action inputs (`ro: /etc`), policy files, denial suggestions,
// learned policies and reproduction commands. Each front end reads its own syntax into entries;
// `requestFromEntries` is the one reader that turns entries into a policy, and the renderers
// below are the one way back to text. Pure.
import type { PathFlag } from '../landlock/access.js';
import { PolicyError } from '../shared/errors.js';
import { fileLocation, originText, type Origin } from '../shared/origin.js';
import { shellWord } from '../shared/shell-words.js';
import { parseEnvEntry, parsePathItem, parsePortItem, type EnvEntry } from './parse.js';
import { isPresetName, PRESETS, type PresetName } from './presets.js';
import { emptyPolicy, type PathGrant, type Policy, type PortGrant } from './schema.js';

export const PATH_KEYS = ['ro', 'rox', 'rw', 'rwx', 'unix'] as const satisfies readonly PathFlag[];
export const PORT_KEYS = ['bind-tcp', 'connect-tcp'] as const;
/** On/off settings; their value is 'true' or 'false'. */
export const SWITCH_KEYS = [
  'loopback',
  'allow-dns',
  'allow-keyring',
  'allow-unix-sockets',
  'add-exec',
  'ldd',
  'ignore-missing',
  'best-effort',
  'unrestricted-network',
  'unrestricted-filesystem',
  'unrestricted-scoped',
] as const;
export const VALUE_KEYS = ['env', 'target-abi', 'preset', 'workflow-commands'] as const;

export type PathKey = (typeof PATH_KEYS)[number];
export type PortKey = (typeof PORT_KEYS)[number];
export type SwitchKey = (typeof SWITCH_KEYS)[number];
export type ValueKey = (typeof VALUE_KEYS)[number];
export type PolicyKey = PathKey | PortKey | SwitchKey | ValueKey;

/** What a CI step's workflow commands may do: annotations only (the default), none, or all. */
export const WORKFLOW_COMMANDS = ['annotations', 'none', 'all'] as const;
export type WorkflowCommandsMode = (typeof WORKFLOW_COMMANDS)[number];
const isWorkflowCommandsMode = (s: string): s is WorkflowCommandsMode => (WORKFLOW_COMMANDS as readonly string[]).includes(s);

export const POLICY_KEYS: readonly PolicyKey[] = ['preset', ...PATH_KEYS, ...PORT_KEYS, ...SWITCH_KEYS, 'env', 'target-abi', 'workflow-commands'];

/** One item of the vocabulary: `{ key: 'ro', value: '/etc' }`, `{ key: 'allow-dns', value: 'true' }`. */
export interface PolicyEntry {
  readonly key: PolicyKey;
  readonly value: string;
}

/** An entry as read, with where it came from (for messages and for checks such as "was it relative"). */
export interface SourcedEntry extends PolicyEntry {
  readonly origin: Origin;
}

const has = <T extends string>(list: readonly T[], k: string): k is T => (list as readonly string[]).includes(k);
export const isPolicyKey = (k: string): k is PolicyKey => has(POLICY_KEYS, k);
export const isPathKey = (k: string): k is PathKey => has(PATH_KEYS, k);
export const isPortKey = (k: string): k is PortKey => has(PORT_KEYS, k);
export const isSwitchKey = (k: string): k is SwitchKey => has(SWITCH_KEYS, k);

// ---------------------------------------------------------------------------------------------
// Rendering.

/** The entry as command-line words: ['--ro', '/etc'], ['--allow-dns'], [] for a switch that is off. */
export function flagWords(e: PolicyEntry): string[] {
  if (isSwitchKey(e.key)) return e.value === 'false' ? [] : [`--${e.key}`];
  return [`--${e.key}`, e.value];
}

/** The entry as one flag for a message: "--ro /etc". */
export const flagText = (e: PolicyEntry): string => flagWords(e).join(' ');

/** The entry as an Action input line for a message: "ro: /etc". */
export const inputText = (e: PolicyEntry): string => `${e.key}: ${e.value}`;

/** Command-line words, shell-quoted, for a command the user can paste. */
export const shellFlags = (entries: readonly PolicyEntry[]): string[] => entries.flatMap(flagWords).map(shellWord);

// ---------------------------------------------------------------------------------------------
// Reading.

/** What a front end needs to know to run: the policy plus the settings around it. */
export interface PolicyRequest {
  readonly policy: Policy;
  readonly env: readonly EnvEntry[];
  readonly allowDns: boolean;
  readonly addExec: boolean;
  readonly ldd: boolean;
  readonly bestEffort: boolean;
  readonly targetAbi: number | undefined;
  readonly preset: PresetName | undefined;
  /** Loopback networking (any port on loopback addresses, nothing else but granted ports); undefined: the preset decides. */
  readonly loopback: boolean | undefined;
  /** What the script's workflow commands may do (a CI step's output); undefined: the front end decides. */
  readonly workflowCommands: WorkflowCommandsMode | undefined;
  /** The entries as given, for reproduction commands and learned policies. */
  readonly entries: readonly PolicyEntry[];
}

/**
 * How an entry is named in an error: "--connect-tcp", "input connect-tcp", and for a policy file
 * the bare key ("connect-tcp"): its errors start with the location instead (see `locate`).
 */
export function entryName(e: SourcedEntry): string {
  const o = e.origin;
  if (o.kind === 'flag') return `--${e.key}`;
  if (o.kind === 'input') return `input ${e.key}`;
  if (o.kind === 'policy-file') return e.key;
  return `${originText(o)} ${e.key}`;
}

/** Errors about a policy-file entry read `file:line:column: message`, as compilers and editors print them. */
function locate<T>(e: SourcedEntry, read: () => T): T {
  if (e.origin.kind !== 'policy-file') return read();
  try {
    return read();
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(`${fileLocation(e.origin)}: ${err.message}`);
    throw err;
  }
}

export interface ReadContext {
  /** Makes a path item absolute (relative to the cwd, the workspace or the policy file; `~` is HOME). */
  readonly resolvePath: (item: string, e: SourcedEntry) => string;
  /** Settings the vocabulary does not hold (log flags, --keep-caps). */
  readonly base?: Policy;
}

/**
 * The one reader: entries in the order given (later switches override earlier ones), values
 * checked, each problem a PolicyError naming the entry and the value.
 */
export function requestFromEntries(entries: readonly SourcedEntry[], ctx: ReadContext): PolicyRequest {
  const base = ctx.base ?? emptyPolicy;
  const paths: PathGrant[] = [...base.paths];
  const bindTcp: PortGrant[] = [...base.bindTcp];
  const connectTcp: PortGrant[] = [...base.connectTcp];
  const env: EnvEntry[] = [];
  const switches = new Map<SwitchKey, boolean>();
  let targetAbi: number | undefined;
  let preset: PresetName | undefined;
  let workflowCommands: WorkflowCommandsMode | undefined;
  const readEntry = (e: SourcedEntry): void => {
    const name = entryName(e);
    if (isPathKey(e.key)) {
      const item = parsePathItem(e.value, name);
      paths.push({ flag: e.key, path: ctx.resolvePath(item, e), origin: e.origin });
    } else if (isPortKey(e.key)) {
      const list = e.key === 'bind-tcp' ? bindTcp : connectTcp;
      for (const port of parsePortItem(e.value, name, { allowZero: e.key === 'bind-tcp' })) list.push({ port, origin: e.origin });
    } else if (isSwitchKey(e.key)) {
      switches.set(e.key, parseSwitch(e.value, name));
    } else if (e.key === 'env') {
      env.push(parseEnvEntry(e.value, name));
    } else if (e.key === 'target-abi') {
      const v = e.value.trim();
      if (!/^\d+$/.test(v) || Number(v) > 99) throw new PolicyError(`invalid ${name} '${e.value}': expected a Landlock ABI number such as 4`);
      targetAbi = Number(v);
    } else if (e.key === 'workflow-commands') {
      const v = e.value.trim();
      if (!isWorkflowCommandsMode(v)) throw new PolicyError(`invalid ${name} '${e.value}': expected one of ${WORKFLOW_COMMANDS.join(', ')}`);
      workflowCommands = v;
    } else if (e.key === 'preset') {
      const v = e.value.trim();
      if (!isPresetName(v)) throw new PolicyError(`invalid ${name} '${e.value}': expected one of ${PRESETS.join(', ')}`);
      preset = v;
    }
  };
  for (const e of entries) locate(e, () => readEntry(e));
  const on = (k: SwitchKey): boolean => switches.get(k) ?? false;
  return {
    policy: {
      ...base,
      paths,
      bindTcp,
      connectTcp,
      unrestrictedFilesystem: base.unrestrictedFilesystem || on('unrestricted-filesystem'),
      unrestrictedNetwork: base.unrestrictedNetwork || on('unrestricted-network'),
      unrestrictedScoped: base.unrestrictedScoped || on('unrestricted-scoped'),
      allowUnixSockets: base.allowUnixSockets || on('allow-unix-sockets'),
      ignoreMissing: base.ignoreMissing || on('ignore-missing'),
      allowKeyring: base.allowKeyring || on('allow-keyring'),
      loopback: switches.get('loopback') ?? base.loopback,
    },
    env,
    allowDns: on('allow-dns'),
    addExec: on('add-exec'),
    ldd: on('ldd'),
    bestEffort: on('best-effort'),
    targetAbi,
    preset,
    loopback: switches.get('loopback'),
    workflowCommands,
    entries: entries.map(({ key, value }) => ({ key, value })),
  };
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function parseSwitch(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new PolicyError(`invalid ${name} '${value}': expected true or false`);
}
