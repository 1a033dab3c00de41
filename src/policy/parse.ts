// Pure parsers for the values of path, port and environment options. Errors quote the value,
// name the option, and say what was expected.
import { PolicyError } from '../shared/errors.js';

/** Splits a comma-separated list; `\,` keeps a comma inside an item and `\\` is a backslash. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (value[i + 1] === ',' || value[i + 1] === '\\')) {
      cur += value[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/** Path list items: trimmed, empty items are an error (a stray comma is usually a mistake). */
export function parsePathList(value: string, option: string): string[] {
  const items = splitList(value).map((s) => s.trim());
  for (const item of items) {
    if (item === '') {
      throw new PolicyError(`empty path in ${option} '${value}': expected a path or a comma-separated list of paths`);
    }
    parsePathItem(item, option);
  }
  return items;
}

/** One path item, as written (resolving it is the front end's business). */
export function parsePathItem(item: string, option: string): string {
  if (item.trim() === '') throw new PolicyError(`empty path in ${option}: expected a path`);
  if (item.includes('\0')) throw new PolicyError(`invalid path in ${option}: it contains a NUL byte`);
  return item.trim();
}

const PORT_RE = /^\d+$/;

function parsePort(text: string, option: string, whole: string, min: number): number {
  const bad = (): never => {
    throw new PolicyError(
      `invalid port '${text}' in ${option}${whole !== text ? ` '${whole}'` : ''}: expected ${min}-65535${min === 0 ? ' (0: any free port, as listen(0) asks)' : ''} or a range like 8000-8100`,
    );
  };
  if (!PORT_RE.test(text)) bad();
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > 65535) bad();
  return n;
}

/** Port list items ("80,443", "8000-8100"): trimmed; an empty item is an error. */
export function splitPortList(value: string, option: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((i) => i === '')) {
    throw new PolicyError(`empty port in ${option} '${value}': expected 1-65535 or a range like 8000-8100`);
  }
  return items;
}

/**
 * One port or range ("80", "8000-8100"); every port is checked, nothing wraps around. Port 0 is a
 * bind port only: Landlock's rule on port 0 lets a server bind an ephemeral port (listen(0)).
 */
export function parsePortItem(text: string, option: string, opts: { allowZero?: boolean } = {}): number[] {
  const min = opts.allowZero ? 0 : 1;
  const item = text.trim();
  if (item === '') throw new PolicyError(`empty port in ${option}: expected ${min}-65535 or a range like 8000-8100`);
  const dash = item.indexOf('-', 1);
  if (dash <= 0) return [parsePort(item, option, item, min)];
  const lo = parsePort(item.slice(0, dash).trim(), option, item, min);
  const hi = parsePort(item.slice(dash + 1).trim(), option, item, min);
  if (lo > hi) throw new PolicyError(`invalid port range '${item}' in ${option}: the first port must not be above the last`);
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) out.push(p);
  return out;
}

export interface EnvEntry {
  readonly key: string;
  /** undefined: copy the caller's value when it is set. */
  readonly value: string | undefined;
}

const ENV_KEY_RE = /^[^=\0]+$/;

/** `KEY` or `KEY=VALUE`; the value is taken verbatim (never split at commas). */
export function parseEnvEntry(text: string, option = '--env'): EnvEntry {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  if (!ENV_KEY_RE.test(key) || key.trim() !== key) {
    throw new PolicyError(`invalid ${option} '${text}': expected KEY or KEY=VALUE with a non-empty KEY`);
  }
  if (text.includes('\0')) throw new PolicyError(`invalid ${option} '${key}': the value contains a NUL byte`);
  return { key, value: eq < 0 ? undefined : text.slice(eq + 1) };
}

/** The sandboxed environment: only the listed variables; a bare KEY copies the caller's value if set. */
export function buildEnvironment(entries: readonly EnvEntry[], caller: Readonly<Record<string, string | undefined>>): string[] {
  const env = new Map<string, string>();
  for (const e of entries) {
    const v = e.value ?? caller[e.key];
    if (v !== undefined) env.set(e.key, v);
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}
