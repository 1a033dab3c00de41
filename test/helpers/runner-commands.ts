// A model of how the GitHub Actions runner (actions/runner 2.336.0) reads workflow commands from
// one output stream of a step, written from its source (see docs/adr/0008-workflow-commands.md):
//   ProcessInvoker + StreamReader.ReadLine  lines end at CR, LF or CRLF; a BOM at the start is
//                                           dropped (UTF-8) or switches the decoder (UTF-16/32);
//                                           invalid UTF-8 becomes U+FFFD
//   OutputManager.OnDataReceived            only lines containing "##[" or "::" are tried
//   ActionCommand.TryParseV2 / TryParse     the two syntaxes, their property splitting and escapes
//   ActionCommandManager.TryProcessCommand  registered names (OrdinalIgnoreCase), stop-commands
// It reads ordinally where the runner compares culture-sensitively (ICU); the filter is built to
// cover the difference (the ADR argues each case), the model does not try to imitate ICU.

export const BUILTIN_COMMANDS = [
  'set-env',
  'set-output',
  'save-state',
  'add-path',
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
  'internal-set-repo-path',
] as const;

export interface RunnerAct {
  /** The command's name as registered (lower case), or 'resume' for a stop token's resume line. */
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly data: string;
  /** The index of the line in the stream. */
  readonly line: number;
  /** stop-commands with a token the runner refuses (it throws and fails the step). */
  readonly refused?: boolean;
}

export interface RunnerReading {
  readonly acts: readonly RunnerAct[];
  /** The token the stream left active (commands stay off until the step ends), or null. */
  readonly stoppedWith: string | null;
  /** The stream began with a UTF-16/UTF-32 byte-order mark: the runner decodes the rest differently. */
  readonly decoderSwitched: boolean;
}

const WS = /^\p{White_Space}+/u;
const WS_BOTH = /^\p{White_Space}+|\p{White_Space}+$/gu;

/** OrdinalIgnoreCase; .NET's ordinal casing keeps U+0131 and U+017F apart from I and S. */
function ordinalIgnoreCaseEquals(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const up = (c: number): number => (c >= 0x61 && c <= 0x7a ? c - 32 : c);
    if (x < 0x80 && y < 0x80) {
      if (up(x) !== up(y)) return false;
      continue;
    }
    const cx = String.fromCharCode(x);
    const cy = String.fromCharCode(y);
    if (x === 0x131 || y === 0x131 || x === 0x17f || y === 0x17f || cx.toUpperCase() !== cy.toUpperCase() || cx.toUpperCase().length !== 1) return false;
  }
  return true;
}

/** string.Split(sep, count: 2, RemoveEmptyEntries) as .NET does it (leading separators vanish). */
function splitPair(s: string, sep: string): string[] {
  let i = 0;
  while (i < s.length && s[i] === sep) i++;
  const at = s.indexOf(sep, i);
  if (at < 0) return i < s.length ? [s.slice(i)] : [];
  // empty pieces before the last one are skipped; the last piece is the remainder
  let j = at + 1;
  while (j < s.length && s[j] === sep) j++;
  const rest = s.slice(j);
  return rest === '' ? [s.slice(i, at)] : [s.slice(i, at), rest];
}

const replaceAll = (s: string, pairs: ReadonlyArray<[string, string]>): string => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);
const unescapeV1 = (s: string): string => replaceAll(s, [['%3B', ';'], ['%0D', '\r'], ['%0A', '\n'], ['%5D', ']'], ['%25', '%']]);
const unescapeData = (s: string): string => replaceAll(s, [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']]);
const unescapeProperty = (s: string): string => replaceAll(s, [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']]);

interface Parsed {
  readonly name: string;
  readonly properties: Record<string, string>;
  readonly data: string;
}

function setProperty(props: Record<string, string>, key: string, value: string): void {
  // Dictionary<string,string>(OrdinalIgnoreCase): the last key wins, spelled as first seen
  const existing = Object.keys(props).find((k) => ordinalIgnoreCaseEquals(k, key));
  props[existing ?? key] = value;
}

function tryV2(message: string, registered: (n: string) => string | undefined): Parsed | undefined {
  const m = message.replace(WS, '');
  if (!m.startsWith('::')) return undefined;
  const end = m.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = m.slice(2, end);
  const sp = info.indexOf(' ');
  const name = registered(sp < 0 ? info : info.slice(0, sp));
  if (name === undefined) return undefined;
  const properties: Record<string, string> = {};
  if (sp > 0) {
    for (const p of info.slice(sp + 1).replace(WS_BOTH, '').split(',').filter((x) => x !== '')) {
      const pair = splitPair(p, '=');
      if (pair.length === 2) setProperty(properties, pair[0] as string, unescapeProperty(pair[1] as string));
    }
  }
  return { name, properties, data: unescapeData(m.slice(end + 2)) };
}

function tryV1(message: string, registered: (n: string) => string | undefined): Parsed | undefined {
  const pi = message.indexOf('##[');
  if (pi < 0) return undefined;
  const rb = message.indexOf(']', pi);
  if (rb < 0) return undefined;
  const info = message.slice(pi + 3, rb);
  const sp = info.indexOf(' ');
  const name = registered(sp < 0 ? info : info.slice(0, sp));
  if (name === undefined) return undefined;
  const properties: Record<string, string> = {};
  if (sp > 0) {
    for (const p of info.slice(sp + 1).split(';').filter((x) => x !== '')) {
      const pair = splitPair(p, '=');
      if (pair.length === 2) setProperty(properties, pair[0] as string, unescapeV1(pair[1] as string));
    }
  }
  return { name, properties, data: unescapeV1(message.slice(rb + 1)) };
}

/** The lines of a stream as ReadLine returns them (bytes; CR, LF, CRLF end a line). */
export function splitLines(stream: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  let i = 0;
  while (i < stream.length) {
    const c = stream[i];
    if (c === 0x0a || c === 0x0d) {
      lines.push(stream.subarray(start, i));
      i += c === 0x0d && stream[i + 1] === 0x0a ? 2 : 1;
      start = i;
    } else i++;
  }
  if (start < stream.length) lines.push(stream.subarray(start));
  return lines;
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** What the runner acts on in one stream (stdout or stderr) of one step. */
export function runnerReads(stream: Buffer): RunnerReading {
  const b0 = stream[0];
  const b1 = stream[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || (b0 === 0 && b1 === 0 && stream[2] === 0xfe && stream[3] === 0xff)) {
    return { acts: [], stoppedWith: null, decoderSwitched: true };
  }
  const body = b0 === 0xef && b1 === 0xbb && stream[2] === 0xbf ? stream.subarray(3) : stream;
  const acts: RunnerAct[] = [];
  let stopToken: string | null = null;
  const lines = splitLines(body);
  lines.forEach((bytes, line) => {
    const message = decoder.decode(bytes);
    if (!message.includes('##[') && !message.includes('::')) return;
    const registered = (n: string): string | undefined => {
      const b = BUILTIN_COMMANDS.find((c) => ordinalIgnoreCaseEquals(c, n));
      if (b !== undefined) return b;
      if (stopToken !== null && ordinalIgnoreCaseEquals(stopToken, n)) return '\u0000token';
      return undefined;
    };
    const cmd = tryV2(message, registered) ?? tryV1(message, registered);
    if (!cmd) return;
    if (stopToken !== null) {
      if (cmd.name === '\u0000token' && stopToken !== '') {
        acts.push({ name: 'resume', properties: cmd.properties, data: cmd.data, line });
        stopToken = null;
      }
      return; // anything else is printed while stopped
    }
    if (cmd.name === 'stop-commands') {
      const t = cmd.data;
      const refused = t === '' || ordinalIgnoreCaseEquals(t, 'pause-logging') || BUILTIN_COMMANDS.some((c) => ordinalIgnoreCaseEquals(c, t));
      acts.push({ name: 'stop-commands', properties: cmd.properties, data: t, line, refused });
      if (!refused) stopToken = t;
      return;
    }
    acts.push({ name: cmd.name, properties: cmd.properties, data: cmd.data, line });
  });
  return { acts, stoppedWith: stopToken, decoderSwitched: false };
}

/** White_Space, Default_Ignorable_Code_Point and C0/C1 controls: what a reader does not see. */
// eslint-disable-next-line no-control-regex -- the controls are the point
const INVISIBLE = /^[\u0000-\u0020\u007f-\u00a0\p{White_Space}\p{Default_Ignorable_Code_Point}]*/u;

/** The title the annotation would show, when it is one the Action reserves ("landrun…", any case). */
export function reservedTitle(act: RunnerAct): boolean {
  if (act.name !== 'error' && act.name !== 'warning' && act.name !== 'notice') return false;
  return Object.entries(act.properties).some(([k, v]) => ordinalIgnoreCaseEquals(k, 'title') && /^landrun/i.test(v.replace(INVISIBLE, '')));
}

export const ANNOTATION_COMMANDS: readonly string[] = ['error', 'warning', 'notice', 'group', 'endgroup', 'debug'];

/** What the runner would do with one step's output (both streams), as far as later steps and the log can tell. */
export interface RunnerEffects {
  /** `set-output` (SetOutputCommandExtension): step outputs, besides the GITHUB_OUTPUT file's. */
  readonly outputs: Readonly<Record<string, string>>;
  /** `save-state`: what the action's post step would get as STATE_*, besides the GITHUB_STATE file's. */
  readonly state: Readonly<Record<string, string>>;
  /** `add-mask`: values the runner would mask in every later line of the log (each line of a value too). */
  readonly masks: readonly string[];
  /** `set-env` and `add-path` where ACTIONS_ALLOW_UNSECURE_COMMANDS lets them act. */
  readonly env: Readonly<Record<string, string>>;
  readonly path: readonly string[];
  /** `error`, `warning`, `notice`: the annotations, in order per stream (stdout's first). */
  readonly annotations: readonly RunnerAct[];
  /** Commands that would fail the step (set-env or add-path without the opt-in, a refused stop token). */
  readonly failures: readonly string[];
  /** Every `stop-commands` the runner would accept, on either stream. */
  readonly stops: readonly RunnerAct[];
  /** A stream that ends with commands stopped (nothing after it on that stream is acted on). */
  readonly stoppedAtEnd: boolean;
  /** Every act, per stream. */
  readonly acts: { readonly stdout: readonly RunnerAct[]; readonly stderr: readonly RunnerAct[] };
}

/**
 * The effects of a step's output, one stream at a time (each as runnerReads reads it). The runner's
 * one ActionCommandManager serves both streams, so a stop on one silences the other at a moment that
 * depends on thread timing: a test that needs commands to stay on looks at `stops` (none at all, or
 * each resumed on its own stream), not only at `stoppedAtEnd`.
 */
export function runnerEffects(streams: { readonly stdout: Buffer; readonly stderr: Buffer }, opts: { readonly allowUnsecureCommands?: boolean } = {}): RunnerEffects {
  const outputs: Record<string, string> = {};
  const state: Record<string, string> = {};
  const env: Record<string, string> = {};
  const masks: string[] = [];
  const path: string[] = [];
  const annotations: RunnerAct[] = [];
  const failures: string[] = [];
  const stops: RunnerAct[] = [];
  let stoppedAtEnd = false;
  const acts = { stdout: runnerReads(streams.stdout), stderr: runnerReads(streams.stderr) };
  for (const reading of [acts.stdout, acts.stderr]) {
    if (reading.decoderSwitched) failures.push('the stream switched the runner to another decoder');
    if (reading.stoppedWith !== null) stoppedAtEnd = true;
    for (const a of reading.acts) {
      const name = a.properties.name;
      if (a.name === 'set-output' && name !== undefined) outputs[name] = a.data;
      else if (a.name === 'save-state' && name !== undefined) state[name] = a.data;
      else if (a.name === 'add-mask') masks.push(a.data, ...a.data.split(/\r?\n/).filter((l) => l !== '' && l !== a.data));
      else if (a.name === 'set-env' || a.name === 'add-path') {
        if (!opts.allowUnsecureCommands) failures.push(`${a.name} is disabled (ACTIONS_ALLOW_UNSECURE_COMMANDS)`);
        else if (a.name === 'add-path') path.push(a.data);
        else if (name !== undefined) env[name] = a.data;
      } else if (a.name === 'error' || a.name === 'warning' || a.name === 'notice') annotations.push(a);
      else if (a.name === 'stop-commands') {
        if (a.refused) failures.push(`stop-commands refused the token '${a.data}'`);
        else stops.push(a);
      }
    }
  }
  return { outputs, state, masks, env, path, annotations, failures, stops, stoppedAtEnd, acts: { stdout: acts.stdout.acts, stderr: acts.stderr.acts } };
}

/** A line of the log as the runner would show it, after the masks (each value becomes ***). */
export function masked(line: string, masks: readonly string[]): string {
  return [...masks].sort((a, b) => b.length - a.length).reduce((s, m) => (m === '' ? s : s.split(m).join('***')), line);
}
