// Policy files: the sandbox written down once, for `landrun --policy FILE` on a laptop and for the
// Action's `policy-file:` input in CI (learn mode prints one). A policy file is one YAML document:
// a mapping whose keys are the policy vocabulary (vocabulary.ts), read with the `yaml` package.
//
//   # yaml-language-server: $schema=<schema/landrun-policy.schema.json>
//   preset: none
//   rox: [/usr]                   # a flow list: each item is one path, taken whole
//   ro:                           # a block list
//     - /etc
//     - ./fixtures                # relative to this file's directory; ~ is HOME
//   rw: |                         # a block scalar: one or more items per line, commas split
//     ./out
//     ~/.cache/tool
//   connect-tcp: 5432, 8000-8100  # a number, or a comma list of ports and ranges
//   env:
//     - NODE_ENV=test             # env items are never split at commas
//   allow-dns: true               # switches are booleans
//   target-abi: 4
//
// Strings are split like the Action's inputs (lines and commas, `\,` keeps a comma in a path);
// list items are taken whole. Every problem is a PolicyError that starts with `file:line:column:`
// and names the key and the value. Refused on purpose: anchors and aliases (a policy is short, and
// a file read by a sandbox tool should say what it means where it says it), tags (quote a value to
// make it a string), `>` folded scalars and flow scalars over several lines (YAML joins the lines
// into one item, which is never what a list of paths means), a bare `~` (YAML's null), and U+FFFD
// (a file that is not UTF-8 has lost its bytes: the path would name another file). Pure.
import type { Node, Scalar } from 'yaml';
import { PolicyError } from '../shared/errors.js';
import { parseSwitch, isPathKey, isPolicyKey, isPortKey, isSwitchKey, POLICY_KEYS, requestFromEntries, type PolicyEntry, type PolicyKey, type SourcedEntry } from './vocabulary.js';
import { yaml } from './yaml.js';

/** Larger files are refused before they are read: a policy is a few hundred bytes. */
export const POLICY_FILE_MAX_BYTES = 1024 * 1024;

/** What the front ends learn from `stat` before reading a policy file. */
export interface PolicyFileStat {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  readonly size: number;
}

/**
 * Why a file cannot be read as a policy file, or undefined when it can: regular files only (a FIFO
 * would block the read forever, /dev/zero never ends), at most POLICY_FILE_MAX_BYTES.
 */
export function policyFileProblem(st: PolicyFileStat): string | undefined {
  if (!st.isFile()) {
    const kind = st.isDirectory()
      ? 'a directory'
      : st.isFIFO()
        ? 'a FIFO (named pipe)'
        : st.isSocket()
          ? 'a socket'
          : st.isCharacterDevice()
            ? 'a character device'
            : st.isBlockDevice()
              ? 'a block device'
              : 'not a regular file';
    return `it is ${kind}: a policy file must be a regular file`;
  }
  if (st.size > POLICY_FILE_MAX_BYTES) return `it is ${st.size} bytes: a policy file may be at most ${POLICY_FILE_MAX_BYTES} bytes (1 MiB)`;
  return undefined;
}

type KeyKind = 'path' | 'port' | 'env' | 'switch' | 'value';
const kindOf = (k: PolicyKey): KeyKind => (isPathKey(k) ? 'path' : isPortKey(k) ? 'port' : k === 'env' ? 'env' : isSwitchKey(k) ? 'switch' : 'value');

const EXPECTED: Record<KeyKind, string> = {
  path: 'a path, a list of paths, or a block of paths one per line',
  port: 'a port (1-65535), a range such as 8000-8100, or a list of them',
  env: 'KEY or KEY=VALUE, or a list of them',
  switch: 'true or false',
  value: 'a single value',
};
const expectedFor = (key: PolicyKey): string => (key === 'target-abi' ? 'a Landlock ABI number such as 4' : key === 'preset' ? 'a preset name (ci or none)' : EXPECTED[kindOf(key)]);

interface Item {
  readonly text: string;
  /** Offset in the file's text, for line and column. */
  readonly offset: number;
}

/** Line and column (1-based) of an offset. */
function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
}

/**
 * A comma-separated line with the offset of each item, with splitList's escapes (`\,` is a comma
 * inside an item, `\\` a backslash) when `escapes`. Items are trimmed.
 */
export function splitItems(line: string, escapes: boolean): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let cur = '';
  let start = 0;
  // Leading whitespace is never escaped, so an item starts at its raw start plus that whitespace.
  const push = (): void => {
    out.push({ text: cur.trim(), offset: start + (cur.length - cur.trimStart().length) });
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (escapes && c === '\\' && (line[i + 1] === ',' || line[i + 1] === '\\')) {
      cur += line[i + 1];
      i++;
    } else if (c === ',') {
      push();
      cur = '';
      start = i + 1;
    } else cur += c;
  }
  push();
  return out;
}

const describeNode = (node: unknown): string => {
  const { isMap, isScalar, isSeq } = yaml();
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    if (typeof node.value === 'boolean') return `the boolean ${node.value}`;
    if (typeof node.value === 'number' || typeof node.value === 'bigint') return `the number ${String(node.value)}`;
    return `'${String(node.value)}'`;
  }
  return 'something else';
};

/** Reads the file into entries, one per item, each with its line and column; values are checked. */
export function parsePolicyFile(text: string, file: string): SourcedEntry[] {
  const { isMap, isScalar, isSeq, parseDocument, visit } = yaml();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const where = (offset: number): { line: number; column: number } => positionOf(lineStarts, offset);
  const fail = (offset: number, message: string): never => {
    const p = where(offset);
    throw new PolicyError(`${file}:${p.line}:${p.column}: ${message}`);
  };

  const lost = text.indexOf('\uFFFD');
  if (lost >= 0) {
    fail(lost, 'the file is not valid UTF-8 here (or holds U+FFFD): its bytes were lost in reading, and a path would name another file; write the file in UTF-8 (or "\\uFFFD" in double quotes if you mean that character)');
  }

  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: false, prettyErrors: false, strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    if (problem.code === 'MULTIPLE_DOCS') fail(problem.pos[0], 'a policy file is one YAML document, and this is a second one (after ---)');
    fail(problem.pos[0], `invalid YAML: ${problem.message}`);
  }
  visit(doc, {
    Alias: (_k, node) => fail(node.range?.[0] ?? 0, `aliases (*${node.source}) are not supported: write the values out`),
    Node: (_k, node) => {
      const start = node.range?.[0] ?? 0;
      if (node.anchor) fail(start, `anchors (&${node.anchor}) are not supported: write the values out`);
      if (node.tag) fail(start, `tags (${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')}) are not supported: quote a value to make it a string`);
    },
  });

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return []; // an empty file (or only comments): no entries
  if (!isMap(root)) return fail(root.range?.[0] ?? 0, `expected a mapping of policy keys such as "ro: /etc", found ${describeNode(root)}`);

  const out: SourcedEntry[] = [];
  const seen = new Map<string, number>();
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    if (!isScalar(keyNode)) return fail((keyNode as Node | null)?.range?.[0] ?? root.range?.[0] ?? 0, `expected a key such as "ro", found ${describeNode(keyNode)}`);
    const keyStart = keyNode.range?.[0] ?? 0;
    const name = String(keyNode.value);
    if (!isPolicyKey(name)) return fail(keyStart, `unknown key '${name}': expected one of ${POLICY_KEYS.join(', ')}`);
    const first = seen.get(name);
    if (first !== undefined) fail(keyStart, `'${name}' is given twice (first on line ${where(first).line}): put all its items under one key`);
    seen.set(name, keyStart);
    const key: PolicyKey = name;
    for (const item of itemsOf(key, pair.value as Node | null, keyStart)) {
      const p = where(item.offset);
      const relative = isPathKey(key) && !item.text.startsWith('/') && item.text !== '~' && !item.text.startsWith('~/');
      out.push({ key, value: item.text, origin: { kind: 'policy-file', file, line: p.line, column: p.column, name: key, item: item.text, relative } });
    }
  }
  // Check every value now, with the one reader's messages (paths are resolved by the front end).
  requestFromEntries(out, { resolvePath: (item) => item });
  return out;

  function itemsOf(key: PolicyKey, node: Node | null, keyStart: number): Item[] {
    const kind = kindOf(key);
    const start = node?.range?.[0] ?? keyStart;
    const wrongType = (n: unknown, at = start): never => fail(at, `invalid ${key}: expected ${expectedFor(key)}, found ${describeNode(n)}`);
    if (node === null || (isScalar(node) && node.value === null)) {
      if (isScalar(node) && node.source === '~') {
        return fail(start, `'${key}: ~' is YAML's null, not your home directory: write "~" in quotes (or ~/ for a path under it)`);
      }
      return fail(start, `no value for '${key}': expected ${expectedFor(key)}`);
    }
    if (isSeq(node)) {
      if (kind === 'switch' || kind === 'value') return wrongType(node);
      return node.items.map((n) => {
        const item = n as Node | null;
        const at = item?.range?.[0] ?? start;
        if (!isScalar(item) || item.value === null) return wrongType(item, at);
        if (typeof item.value === 'string') {
          if (item.value.trim() === '') fail(at, `empty item in '${key}': expected ${expectedFor(key)}`);
          return { text: item.value, offset: at };
        }
        if (kind === 'port' && typeof item.value === 'number') return { text: sourceOf(item), offset: at };
        return wrongType(item, at);
      });
    }
    if (!isScalar(node)) return wrongType(node);
    const v = node.value;
    if (kind === 'switch') {
      if (typeof v === 'boolean') return [{ text: String(v), offset: start }];
      if (typeof v === 'string') return [{ text: v, offset: start }];
      return wrongType(node);
    }
    if (kind === 'value') {
      if (typeof v === 'number') return [{ text: sourceOf(node), offset: start }];
      if (typeof v === 'string' && v.trim() !== '') return [{ text: v.trim(), offset: start }];
      return wrongType(node);
    }
    if (typeof v === 'number') {
      if (kind !== 'port') return fail(start, `invalid ${key}: expected ${expectedFor(key)}, found the number ${sourceOf(node)}: quote it if it is a name`);
      return [{ text: sourceOf(node), offset: start }];
    }
    if (typeof v !== 'string') return fail(start, `invalid ${key}: expected ${expectedFor(key)}, found ${describeNode(node)}${kind === 'path' || kind === 'env' ? ': quote it if it is a name' : ''}`);
    if (node.type === 'BLOCK_FOLDED') {
      return fail(start, `'${key}: >' folds its lines into one item: use '|' for one item per line, or a list`);
    }
    if (node.type === 'BLOCK_LITERAL') return blockItems(key, kind, node, start);
    // A flow scalar on one line: plain or quoted.
    if (sourceOf(node).includes('\n')) {
      return fail(start, `the value of '${key}' goes on over several lines, which YAML joins into one item: use '|' for one item per line, or a list`);
    }
    if (/[\r\n]/.test(v)) return fail(start, `the value of '${key}' holds a line break: use a list for an item with a line break`);
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    return lineItems(key, kind, v, start + quoted);
  }

  /** The literal source text of a scalar (`0x50` stays `0x50`, not 80: ports are read as written). */
  function sourceOf(node: Scalar): string {
    const r = node.range;
    return r ? text.slice(r[0], r[1]).trim() : String(node.value);
  }

  /** A block scalar (`|`): one line per source line; blank lines and `#` lines are skipped, like the Action's inputs. */
  function blockItems(key: PolicyKey, kind: KeyKind, node: Scalar, start: number): Item[] {
    const valueLines = String(node.value).split('\n');
    const headerLine = where(start).line; // the line of `|`; the content starts on the next one
    const items: Item[] = [];
    for (let i = 0; i < valueLines.length; i++) {
      const lineNo = headerLine + 1 + i; // literal content keeps the source's line breaks
      const raw = lineNo <= lineStarts.length ? text.slice(lineStarts[lineNo - 1], (lineStarts[lineNo] ?? text.length + 1) - 1) : '';
      const content = (valueLines[i] as string).trim();
      if (content === '' || content.startsWith('#')) continue;
      const at = raw.includes(content) ? (lineStarts[lineNo - 1] as number) + raw.indexOf(content) : start;
      items.push(...lineItems(key, kind, content, at));
    }
    return items;
  }

  /** One line of items: paths and ports split at commas, env taken whole. */
  function lineItems(key: PolicyKey, kind: KeyKind, line: string, at: number): Item[] {
    if (line.trim() === '') fail(at, `no value for '${key}': expected ${expectedFor(key)}`);
    if (kind === 'env') {
      return [{ text: line.trim(), offset: at + (line.length - line.trimStart().length) }];
    }
    return splitItems(line, kind === 'path').map((p) => {
      if (p.text === '') fail(at + p.offset, `empty item in '${key}' ('${line.trim()}'): expected ${expectedFor(key)} (a stray comma?)`);
      return { text: p.text, offset: at + p.offset };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering: learn mode prints this, and it reads back to the same entries. Multi-valued keys are
// written as `key: |` blocks where they can be, since a block also pastes into the Action's
// `with:` (whose inputs are strings); a value a block cannot hold (a line break, a leading `#`, an
// env value with outer spaces, a control character) makes that key a list of quoted items.

/** YAML's printable characters (tab included), minus U+FFFD, which the reader refuses as a sign of lost bytes. */
const PRINTABLE = /^[\t\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffc\ufffe\u{10000}-\u{10ffff}]*$/u;
const lineSafe = (v: string): boolean => v !== '' && v === v.trim() && !v.startsWith('#') && !/[\r\n]/.test(v) && PRINTABLE.test(v);

/** A double-quoted YAML string: JSON's escapes, plus \u escapes for what is not printable. */
function quoted(v: string): string {
  return JSON.stringify(v).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffd\ufffe\uffff]|[\ud800-\udfff]/gu, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
}

/** One scalar after `key: `, plain where YAML reads it back as the same string, else quoted. */
function scalar(v: string): string {
  const s = yaml().stringify(v, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return s.includes('\n') || !PRINTABLE.test(s) ? quoted(v) : s;
}

const escapePath = (v: string): string => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,');

function lastSwitch(v: string): string {
  try {
    return String(parseSwitch(v, 'x'));
  } catch {
    return scalar(v);
  }
}

/** The policy file for these entries: keys in vocabulary order, repeated paths and ports once, the last value of a switch. */
export function renderPolicyFile(entries: readonly PolicyEntry[]): string {
  const out: string[] = [];
  for (const key of POLICY_KEYS) {
    const all = entries.filter((e) => e.key === key).map((e) => e.value);
    const last = all[all.length - 1];
    if (last === undefined) continue;
    const kind = kindOf(key);
    if (kind === 'switch') out.push(`${key}: ${lastSwitch(last)}`);
    else if (kind === 'value') out.push(`${key}: ${/^\d+$/.test(last) && key === 'target-abi' ? last : scalar(last)}`);
    else out.push(...listLines(key, kind, kind === 'env' ? all : [...new Set(all)]));
  }
  return out.join('\n') + '\n';
}

function listLines(key: PolicyKey, kind: KeyKind, values: readonly string[]): string[] {
  if (kind === 'port' && values.every((v) => /^\d+(-\d+)?$/.test(v))) return [`${key}: ${values.join(', ')}`];
  if (kind !== 'port' && values.every(lineSafe)) {
    const line = kind === 'path' ? escapePath : (v: string): string => v;
    if (values.length === 1) return [`${key}: ${scalar(line(values[0] as string))}`];
    return [`${key}: |`, ...values.map((v) => `  ${line(v)}`)];
  }
  return [`${key}:`, ...values.map((v) => `  - ${quoted(v)}`)];
}
