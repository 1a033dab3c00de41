// Policy files: the sandbox written down once, for `landrun --policy FILE` and for the Action's
// `with:` block (learn mode prints one). Keys are the policy vocabulary (vocabulary.ts):
//
//   ro: /etc/hostname             # one value, or several separated by commas
//   rw: |                         # or one per line in a block
//     ./out
//     ~/.cache/tool
//   connect-tcp: "5432, 8000-8100"
//   env: |
//     NODE_ENV=test
//   allow-dns: true
import { PolicyError } from '../shared/errors.js';
import { splitList } from './parse.js';
import { isPathKey, isPolicyKey, isPortKey, POLICY_KEYS, type PolicyEntry, type SourcedEntry } from './vocabulary.js';

const unquote = (v: string): string => {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"') && t.length >= 2) || (t.startsWith("'") && t.endsWith("'") && t.length >= 2)) return t.slice(1, -1);
  return t;
};

/** Reads the file into entries; every problem names the file, the line and what was expected. */
export function parsePolicyFile(text: string, file: string): SourcedEntry[] {
  const out: SourcedEntry[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  const bad = (n: number, why: string): never => {
    throw new PolicyError(`${file}:${n + 1}: ${why}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) bad(i, `unexpected indented line '${raw.trim()}': values of a key go on its line or in a block after "key: |"`);
    const m = /^([a-z-]+):(.*)$/.exec(line);
    if (!m) return bad(i, `expected "key: value", found '${raw.trim()}'`);
    const key = m[1] as string;
    if (!isPolicyKey(key)) return bad(i, `unknown key '${key}': expected one of ${POLICY_KEYS.join(', ')}`);
    if (seen.has(key)) bad(i, `'${key}' is given twice`);
    seen.add(key);
    const value = (m[2] as string).trim();
    const items: Array<{ text: string; line: number }> = [];
    if (value === '|' || value === '|-' || value === '>') {
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1] as string) || (lines[i + 1] as string).trim() === '')) {
        i++;
        const l = (lines[i] as string).trim();
        if (l !== '' && !l.startsWith('#')) items.push({ text: l, line: i + 1 });
      }
    } else items.push({ text: unquote(value), line: i + 1 });
    for (const { text: item, line: n } of items) {
      // Lists are one item per line or comma-separated (paths take `\,` for a comma); env values are never split.
      const parts = key === 'env' ? [item] : isPathKey(key) ? splitList(item) : isPortKey(key) ? item.split(',') : [item];
      for (const p of parts.map((x) => x.trim())) {
        if (p === '') bad(n - 1, `empty value in '${key}'`);
        out.push({ key, value: p, origin: { kind: 'policy-file', file, line: n, name: key, item: p } });
      }
    }
  }
  return out;
}

const plain = (v: string): boolean => /^[\w./~@+-][\w./~@+ -]*$/.test(v) && !/^(true|false|\d+)$/.test(v);

/** The inverse, for learn mode: a fragment ready to paste into a policy file or a `with:` block. */
export function renderPolicyFile(entries: readonly PolicyEntry[]): string {
  const out: string[] = [];
  for (const key of POLICY_KEYS) {
    const values = [...new Set(entries.filter((e) => e.key === key).map((e) => e.value))];
    if (values.length === 0) continue;
    if (isPortKey(key)) out.push(`${key}: ${JSON.stringify(values.join(', '))}`);
    else if (values.length > 1) out.push(`${key}: |`, ...values.map((v) => `  ${v}`));
    else out.push(`${key}: ${plain(values[0] as string) ? values[0] : JSON.stringify(values[0])}`);
  }
  return out.join('\n') + '\n';
}
