import { describe, expect, it } from '@jest/globals';
import { parsePolicyFile, renderPolicyFile } from '../../../src/policy/policy-file.js';
import { PolicyError } from '../../../src/shared/errors.js';

describe('policy files', () => {
  const kv = (entries: ReadonlyArray<{ key: string; value: string }>): string[] => entries.map((e) => `${e.key}=${e.value}`);

  it('reads the Action-input mapping, scalars and blocks, one entry per item with its line', () => {
    const p = parsePolicyFile('# learned\nro: /etc/hostname, /etc/hosts\nrw: |\n  ./out\n  ~/.cache\nconnect-tcp: "5432"\nallow-dns: true\n', 'p.yml');
    expect(kv(p)).toEqual(['ro=/etc/hostname', 'ro=/etc/hosts', 'rw=./out', 'rw=~/.cache', 'connect-tcp=5432', 'allow-dns=true']);
    expect(p[3]?.origin).toEqual({ kind: 'policy-file', file: 'p.yml', line: 5, name: 'rw', item: '~/.cache' });
  });

  it('round-trips what learn mode prints', () => {
    const entries = [
      { key: 'ro', value: '/etc/hostname' },
      { key: 'ro', value: '/etc/hosts' },
      { key: 'rw', value: '/work/out' },
      { key: 'connect-tcp', value: '5432' },
      { key: 'connect-tcp', value: '8000' },
    ] as const;
    const text = renderPolicyFile(entries);
    expect(text).toBe('ro: |\n  /etc/hostname\n  /etc/hosts\nrw: /work/out\nconnect-tcp: "5432, 8000"\n');
    expect(renderPolicyFile([{ key: 'connect-tcp', value: '5432' }])).toBe('connect-tcp: "5432"\n');
    expect(kv(parsePolicyFile(text, 'x'))).toEqual(kv(entries));
  });

  it.each([
    ['bogus: 1\n', /p\.yml:1: unknown key 'bogus'/],
    ['ro /etc\n', /p\.yml:1: expected "key: value", found 'ro \/etc'/],
    ['ro: /a\nro: /b\n', /p\.yml:2: 'ro' is given twice/],
    ['  /etc\n', /p\.yml:1: unexpected indented line/],
  ])('rejects garbage: %j', (text, message) => {
    expect(() => parsePolicyFile(text, 'p.yml')).toThrow(message);
    expect(() => parsePolicyFile(text, 'p.yml')).toThrow(PolicyError);
  });
});
