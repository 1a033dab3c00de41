import { describe, expect, it } from '@jest/globals';
import { parsePolicyFile, policyFileProblem, POLICY_FILE_MAX_BYTES, renderPolicyFile, splitItems } from '../../../src/policy/policy-file.js';
import { splitList } from '../../../src/policy/parse.js';
import { POLICY_KEYS, requestFromEntries, type PolicyEntry, type PolicyKey } from '../../../src/policy/vocabulary.js';
import { PolicyError } from '../../../src/shared/errors.js';

const kv = (entries: readonly PolicyEntry[]): string[] => entries.map((e) => `${e.key}=${e.value}`);
const at = (entries: ReturnType<typeof parsePolicyFile>): string[] =>
  entries.map((e) => (e.origin.kind === 'policy-file' ? `${e.origin.line}:${e.origin.column} ${e.key}=${e.value}` : '?'));

describe('policy files: reading', () => {
  it('reads block lists, flow lists, block scalars, comma lists, booleans and numbers, one entry per item with its line and column', () => {
    const text = [
      '# yaml-language-server: $schema=../schema/landrun-policy.schema.json',
      'preset: none',
      'ro:',
      '  - /etc',
      '  - "./with, comma"', // a list item is taken whole
      'rox: [/usr, /opt/tool]',
      'rw: |',
      '  ./out',
      '',
      '  # a comment line in a block',
      '  ~/.cache, /tmp/a\\,b',
      'connect-tcp: 5432, 8000-8001',
      'bind-tcp: 8080',
      'env:',
      '  - A=b,c',
      'allow-dns: true',
      'best-effort: false',
      'target-abi: 4',
      '',
    ].join('\n');
    expect(at(parsePolicyFile(text, 'p.yml'))).toEqual([
      '2:9 preset=none',
      '4:5 ro=/etc',
      '5:5 ro=./with, comma',
      '6:7 rox=/usr',
      '6:13 rox=/opt/tool',
      '8:3 rw=./out',
      '11:3 rw=~/.cache',
      '11:13 rw=/tmp/a,b',
      '12:14 connect-tcp=5432',
      '12:20 connect-tcp=8000-8001',
      '13:11 bind-tcp=8080',
      '15:5 env=A=b,c',
      '16:12 allow-dns=true',
      '17:14 best-effort=false',
      '18:13 target-abi=4',
    ]);
  });

  it('keeps the file, the key, the item and whether the path was relative in the origin', () => {
    const [a, b, c] = parsePolicyFile('rw: ./out, ~/x, /abs\n', 'dir/p.yml');
    expect(a?.origin).toEqual({ kind: 'policy-file', file: 'dir/p.yml', line: 1, column: 5, name: 'rw', item: './out', relative: true });
    expect([b?.origin, c?.origin].map((o) => o?.kind === 'policy-file' && o.relative)).toEqual([false, false]);
  });

  it('reads the old flat format (what learn mode printed before) the same way', () => {
    const p = parsePolicyFile('# learned\nro: /etc/hostname, /etc/hosts\nrw: |\n  ./out\n  ~/.cache\nconnect-tcp: "5432"\nallow-dns: true\n', 'p.yml');
    expect(kv(p)).toEqual(['ro=/etc/hostname', 'ro=/etc/hosts', 'rw=./out', 'rw=~/.cache', 'connect-tcp=5432', 'allow-dns=true']);
  });

  it('an empty file, or one of comments only, has no entries', () => {
    expect(parsePolicyFile('', 'p.yml')).toEqual([]);
    expect(parsePolicyFile('# nothing yet\n', 'p.yml')).toEqual([]);
  });

  // Every error starts with file:line:column and names the key and the value.
  const garbage: Array<[string, string]> = [
    ['bogus: 1\n', "p.yml:1:1: unknown key 'bogus': expected one of preset, ro,"],
    ['ro: /a\nrw: /b\nro: /c\n', "p.yml:3:1: 'ro' is given twice (first on line 1)"],
    ['- /etc\n', 'p.yml:1:1: expected a mapping of policy keys such as "ro: /etc", found a list'],
    ['just text\n', "p.yml:1:1: expected a mapping of policy keys such as \"ro: /etc\", found 'just text'"],
    ['ro: [/a\n', 'p.yml:2:1: invalid YAML: '],
    ['ro: /a\n---\nrw: /b\n', 'p.yml:2:1: a policy file is one YAML document'],
    ['ro: &sys /usr\nrox: *sys\n', 'p.yml:1:10: anchors (&sys) are not supported'],
    ['ro: !!str /etc\n', 'p.yml:1:11: tags (!!str) are not supported'],
    ['ro: ~\n', "p.yml:1:5: 'ro: ~' is YAML's null, not your home directory: write \"~\" in quotes"],
    ['ro:\n', "p.yml:1:4: no value for 'ro'"],
    ['ro: ""\n', "p.yml:1:6: no value for 'ro'"],
    ['ro: [/a, ""]\n', "p.yml:1:10: empty item in 'ro'"],
    ['ro: /a,,/b\n', "p.yml:1:8: empty item in 'ro' ('/a,,/b')"],
    ['rw: |\n  /a\n  /b,,/c\n', "p.yml:3:6: empty item in 'rw' ('/b,,/c')"],
    ['ro: true\n', 'p.yml:1:5: invalid ro: expected a path, a list of paths, or a block of paths one per line, found the boolean true'],
    ['ro: 2024\n', 'p.yml:1:5: invalid ro: expected a path, a list of paths, or a block of paths one per line, found the number 2024: quote it if it is a name'],
    ['ro: {a: 1}\n', 'p.yml:1:5: invalid ro: expected a path, a list of paths, or a block of paths one per line, found a mapping'],
    ['ro: [[/a]]\n', 'p.yml:1:6: invalid ro: expected a path, a list of paths, or a block of paths one per line, found a list'],
    ['ro: >\n  /a\n  /b\n', "p.yml:1:5: 'ro: >' folds its lines into one item"],
    ['ro: /a\n  /b\n', "p.yml:1:5: the value of 'ro' goes on over several lines"],
    ['allow-dns: [true]\n', 'p.yml:1:12: invalid allow-dns: expected true or false, found a list'],
    ['allow-dns: maybe\n', "p.yml:1:12: invalid allow-dns 'maybe': expected true or false"],
    ['allow-dns: 1\n', 'p.yml:1:12: invalid allow-dns: expected true or false, found the number 1'],
    ['connect-tcp: 70000\n', "p.yml:1:14: invalid port '70000' in connect-tcp: expected 1-65535 or a range like 8000-8100"],
    ['connect-tcp: 0x50\n', "p.yml:1:14: invalid port '0x50' in connect-tcp"],
    ['bind-tcp: [80, http]\n', "p.yml:1:16: invalid port 'http' in bind-tcp"],
    ['target-abi: four\n', "p.yml:1:13: invalid target-abi 'four': expected a Landlock ABI number such as 4"],
    ['preset: lax\n', "p.yml:1:9: invalid preset 'lax': expected one of ci, none"],
    ['env: ["=x"]\n', "p.yml:1:7: invalid env '=x': expected KEY or KEY=VALUE"],
    ['ro: caf\uFFFD\n', 'p.yml:1:8: the file is not valid UTF-8 here (or holds U+FFFD)'],
  ];
  it.each(garbage)('rejects %j', (text, message) => {
    const call = (): unknown => parsePolicyFile(text, 'p.yml');
    expect(call).toThrow(PolicyError);
    expect(call).toThrow(message);
  });

  it('refuses files that are not regular or are too large, before they are read', () => {
    const st = (kind: string, size = 10) => ({
      isFile: () => kind === 'file',
      isDirectory: () => kind === 'dir',
      isFIFO: () => kind === 'fifo',
      isSocket: () => kind === 'socket',
      isCharacterDevice: () => kind === 'char',
      isBlockDevice: () => kind === 'block',
      size,
    });
    expect(policyFileProblem(st('file'))).toBeUndefined();
    expect(policyFileProblem(st('file', POLICY_FILE_MAX_BYTES))).toBeUndefined();
    expect(policyFileProblem(st('file', POLICY_FILE_MAX_BYTES + 1))).toBe('it is 1048577 bytes: a policy file may be at most 1048576 bytes (1 MiB)');
    expect(policyFileProblem(st('fifo'))).toBe('it is a FIFO (named pipe): a policy file must be a regular file');
    expect(policyFileProblem(st('char'))).toBe('it is a character device: a policy file must be a regular file');
    expect(policyFileProblem(st('dir'))).toBe('it is a directory: a policy file must be a regular file');
  });
});

describe('policy files: rendering', () => {
  it('writes what learn mode prints: keys in vocabulary order, blocks for several values, numbers and booleans plain', () => {
    const entries: PolicyEntry[] = [
      { key: 'rw', value: '/work/out' },
      { key: 'ro', value: '/etc/hostname' },
      { key: 'ro', value: '/etc/hosts' },
      { key: 'ro', value: '/etc/hosts' },
      { key: 'connect-tcp', value: '5432' },
      { key: 'connect-tcp', value: '8000-8100' },
      { key: 'bind-tcp', value: '8080' },
      { key: 'allow-dns', value: 'true' },
      { key: 'env', value: 'A=b,c' },
      { key: 'target-abi', value: '4' },
    ];
    const text = renderPolicyFile(entries);
    expect(text).toBe(
      'ro: |\n  /etc/hostname\n  /etc/hosts\nrw: /work/out\nbind-tcp: 8080\nconnect-tcp: 5432, 8000-8100\nallow-dns: true\nenv: A=b,c\ntarget-abi: 4\n',
    );
    expect(kv(parsePolicyFile(text, 'x'))).toEqual([
      'ro=/etc/hostname',
      'ro=/etc/hosts',
      'rw=/work/out',
      'bind-tcp=8080',
      'connect-tcp=5432',
      'connect-tcp=8000-8100',
      'allow-dns=true',
      'env=A=b,c',
      'target-abi=4',
    ]);
  });

  it('quotes and escapes what would read back differently', () => {
    const entries: PolicyEntry[] = [
      { key: 'ro', value: '~' },
      { key: 'rw', value: 'a,b' },
      { key: 'rox', value: '#not a comment' },
      { key: 'env', value: 'X= padded ' },
      { key: 'env', value: 'Y=two\nlines' },
    ];
    const text = renderPolicyFile(entries);
    expect(text).toBe('ro: "~"\nrox:\n  - "#not a comment"\nrw: a\\,b\nenv:\n  - "X= padded "\n  - "Y=two\\nlines"\n');
    expect(kv(parsePolicyFile(text, 'x'))).toEqual(['ro=~', 'rox=#not a comment', 'rw=a,b', 'env=X= padded ', 'env=Y=two\nlines']);
  });

  // A small seeded generator: the same cases every run, many shapes of value.
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const PIECES = ['/', 'a', 'Z', '0', '9', ' ', ',', '\\', '#', ':', ': ', ' #', '-', '~', '.', '"', "'", '*', '&', '!', '%', '@', '`', '|', '>', '{', '}', '[', ']', '?', 'é', '日本', '\t', '\n', 'true', 'null', '0x1', '---', '\u0001', '\u00a0', '😀'];

  function randomEntries(r: () => number): PolicyEntry[] {
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const text = (n: number): string => Array.from({ length: 1 + Math.floor(r() * n) }, () => pick(PIECES)).join('');
    const out: PolicyEntry[] = [];
    const count = Math.floor(r() * 12);
    for (let i = 0; i < count; i++) {
      const key = pick(POLICY_KEYS) as PolicyKey;
      let value: string;
      if (['ro', 'rox', 'rw', 'rwx', 'unix'].includes(key)) {
        value = (r() < 0.3 ? '/' : '') + text(6);
        value = value.trim(); // the readers trim paths
        if (value === '') value = '/x';
      } else if (key === 'bind-tcp' || key === 'connect-tcp') {
        const lo = 1 + Math.floor(r() * 65535);
        value = r() < 0.3 ? `${lo}-${Math.min(65535, lo + Math.floor(r() * 10))}` : String(lo);
      } else if (key === 'env') {
        value = r() < 0.2 ? 'BARE' : `K${Math.floor(r() * 5)}=${r() < 0.2 ? '' : text(5)}`;
      } else if (key === 'target-abi') value = String(Math.floor(r() * 10));
      else if (key === 'preset') value = pick(['ci', 'none']);
      else if (key === 'workflow-commands') value = pick(['annotations', 'none', 'all']);
      else value = pick(['true', 'false']);
      out.push({ key, value });
    }
    return out;
  }

  /** What a policy means: the reader's view, with paths as given (repeats do not matter for a grant). */
  function meaning(entries: readonly PolicyEntry[]) {
    const sourced = entries.map((e) => ({ ...e, origin: { kind: 'flag', name: e.key, item: e.value } as const }));
    const r = requestFromEntries(sourced, { resolvePath: (item) => item });
    return {
      paths: [...new Set(r.policy.paths.map((p) => `${p.flag} ${p.path}`))].sort(),
      bind: [...new Set(r.policy.bindTcp.map((p) => p.port))].sort((a, b) => a - b),
      connect: [...new Set(r.policy.connectTcp.map((p) => p.port))].sort((a, b) => a - b),
      env: r.env,
      switches: [r.allowDns, r.addExec, r.ldd, r.bestEffort, r.policy.unrestrictedFilesystem, r.policy.unrestrictedNetwork, r.policy.unrestrictedScoped, r.policy.allowUnixSockets, r.policy.ignoreMissing],
      targetAbi: r.targetAbi,
      preset: r.preset,
    };
  }

  it('reads back what it writes, for random entry lists (same meaning; a second round gives the same text)', () => {
    const r = rng(20261210);
    for (let n = 0; n < 500; n++) {
      const entries = randomEntries(r);
      const text = renderPolicyFile(entries);
      let back: PolicyEntry[];
      try {
        back = parsePolicyFile(text, 'p.yml');
      } catch (e) {
        throw new Error(`case ${n}: ${JSON.stringify(entries)}\n${text}\n${(e as Error).message}`, { cause: e });
      }
      expect({ n, meaning: meaning(back) }).toEqual({ n, meaning: meaning(entries) });
      expect(renderPolicyFile(back)).toBe(text);
    }
  });

  it('splits lines at the same commas as the flags do, with offsets into the raw text', () => {
    const r = rng(7);
    const alphabet = ['a', ',', '\\', ' ', 'b'];
    for (let n = 0; n < 500; n++) {
      const line = Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      expect(splitItems(line, true).map((i) => i.text)).toEqual(splitList(line).map((s) => s.trim()));
    }
    expect(splitItems(' /a\\,b , /c', true)).toEqual([
      { text: '/a,b', offset: 1 },
      { text: '/c', offset: 9 },
    ]);
  });
});
