import { describe, expect, it } from '@jest/globals';
import { listItems, readSettings, resolveActionPath } from '../../../src/action/inputs.js';
import { shellFlags } from '../../../src/policy/vocabulary.js';
import { PolicyError } from '../../../src/shared/errors.js';

describe('action inputs', () => {
  const ws = { workspace: '/w/repo', home: '/home/u' };
  const get = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('reads lists by line and comma, resolves relative paths, ~ and absolute ones', () => {
    expect(listItems('a, b\n\n# comment\nc\\,d\n')).toEqual(['a', 'b', 'c,d']);
    const s = readSettings(get({ run: 'npm test', rw: 'out\n~/.npm', ro: '/data', 'connect-tcp': '5432\n8000-8001' }), ws);
    expect(s.policy.paths.map((p) => `${p.flag} ${p.path}`)).toEqual(['ro /data', 'rw /w/repo/out', 'rw /home/u/.npm']);
    expect(s.policy.connectTcp.map((p) => p.port)).toEqual([5432, 8000, 8001]);
    expect(s).toMatchObject({ preset: 'ci', shell: 'bash', workingDirectory: '/w/repo', checkoutCredentials: 'withhold', protectGit: 'snapshot', bestEffort: false, logLevel: 'info' });
    expect(shellFlags(s.entries)).toEqual(['--ro', '/data', '--rw', 'out', '--rw', '~/.npm', '--connect-tcp', '5432', '--connect-tcp', '8000-8001']);
    expect(s.policy.paths.map((p) => p.origin)).toEqual([
      { kind: 'input', name: 'ro', item: '/data', relative: false },
      { kind: 'input', name: 'rw', item: 'out', relative: true },
      { kind: 'input', name: 'rw', item: '~/.npm', relative: false },
    ]);
  });

  it('rejects bad values, naming the input', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ preset: 'open' }, /invalid input preset 'open'/],
      [{ 'connect-tcp': '0' }, /invalid port '0' in input connect-tcp: expected 1-65535/],
      [{ rw: '../../etc' }, /input rw: relative path '\.\.\/\.\.\/etc' resolves to \/etc, outside the workspace \/w\/repo/],
      [{ 'best-effort': 'sometimes' }, /invalid input best-effort 'sometimes'/],
      [{ 'checkout-credentials': 'drop' }, /invalid input checkout-credentials 'drop': expected one of withhold, keep/],
      [{ 'protect-git': 'none' }, /invalid input protect-git/],
      [{ 'log-level': 'loud' }, /invalid input log-level 'loud'/],
      [{ env: '=x' }, /invalid input env '=x'/],
      [{ 'target-abi': 'four' }, /invalid input target-abi 'four'/],
    ];
    for (const [inputs, message] of bad) {
      expect(() => readSettings(get({ run: 'x', ...inputs }), ws)).toThrow(message);
      expect(() => readSettings(get({ run: 'x', ...inputs }), ws)).toThrow(PolicyError);
    }
    expect(() => resolveActionPath('~/x', 'ro', '/w', undefined)).toThrow(/HOME is not set/);
  });
});
