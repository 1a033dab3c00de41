// Policy files: the Action's policy inputs written as a small YAML mapping, so that one text works
// as `landrun --policy FILE` and as the `with:` block of the Action (learn mode prints one).
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

export const POLICY_KEYS = ['ro', 'rox', 'rw', 'rwx', 'unix', 'bind-tcp', 'connect-tcp', 'env', 'allow-dns', 'unrestricted-network', 'unrestricted-filesystem', 'unrestricted-scoped'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export type PolicyFile = Partial<Record<PolicyKey, string>>;

const unquote = (v: string): string => {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"') && t.length >= 2) || (t.startsWith("'") && t.endsWith("'") && t.length >= 2)) return t.slice(1, -1);
  return t;
};

/** Parses the mapping; every problem names the file, the line and what was expected. */
export function parsePolicyFile(text: string, file: string): PolicyFile {
  const out: PolicyFile = {};
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
    if (!m) bad(i, `expected "key: value", found '${raw.trim()}'`);
    const key = (m as RegExpExecArray)[1] as string;
    if (!(POLICY_KEYS as readonly string[]).includes(key)) bad(i, `unknown key '${key}': expected one of ${POLICY_KEYS.join(', ')}`);
    if (key in out) bad(i, `'${key}' is given twice`);
    let value = ((m as RegExpExecArray)[2] as string).trim();
    if (value === '|' || value === '|-' || value === '>') {
      const block: string[] = [];
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1] as string) || (lines[i + 1] as string).trim() === '')) {
        i++;
        const l = (lines[i] as string).trim();
        if (l !== '' && !l.startsWith('#')) block.push(l);
      }
      value = block.join('\n');
    } else value = unquote(value);
    out[key as PolicyKey] = value;
  }
  return out;
}

/** The inverse, for learn mode: a fragment ready to paste into a policy file or a `with:` block. */
export function renderPolicyFile(p: PolicyFile): string {
  const out: string[] = [];
  for (const key of POLICY_KEYS) {
    const v = p[key];
    if (v === undefined || v === '') continue;
    const items = v.split('\n').filter(Boolean);
    if (items.length > 1) out.push(`${key}: |`, ...items.map((i) => `  ${i}`));
    else out.push(`${key}: ${/^[\w./~@+-][\w./~@+, -]*$/.test(v) && !/^(true|false|\d+)$/.test(v) ? v : JSON.stringify(v)}`);
  }
  return out.join('\n') + '\n';
}
