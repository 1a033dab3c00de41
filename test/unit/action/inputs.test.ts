import { describe, expect, it } from '@jest/globals';
import { listItems, readSettings, resolveActionPath, type SettingsFiles } from '../../../src/action/inputs.js';
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

  // A fake file system: paths to file texts, directories, and the odd special file.
  const fakeFiles = (tree: Record<string, string | 'dir' | 'fifo'>): SettingsFiles => ({
    stat: (p) => {
      const t = tree[p];
      if (t === undefined) return undefined;
      const kind = t === 'dir' || t === 'fifo' ? t : 'file';
      return { isFile: () => kind === 'file', isDirectory: () => kind === 'dir', isFIFO: () => kind === 'fifo', isSocket: () => false, isCharacterDevice: () => false, isBlockDevice: () => false, size: kind === 'file' ? t.length : 0 };
    },
    readText: (p) => {
      const t = tree[p];
      if (t === undefined || t === 'dir' || t === 'fifo') throw new Error(`fake: cannot read ${p}`);
      return t;
    },
  });
  const withFiles = (tree: Record<string, string | 'dir' | 'fifo'>) => ({ ...ws, files: fakeFiles(tree) });

  it("policy-file: the file's entries first, then the inputs; its paths relative to its directory, ~ HOME", () => {
    const files = withFiles({ '/w/repo/.github/landrun.yml': 'preset: none\nro: [../fixtures, ~/.cache]\nrw: |\n  ../out\nconnect-tcp: 5432\nallow-dns: true\nbest-effort: true\n' });
    const s = readSettings(get({ run: 'x', 'policy-file': '.github/landrun.yml', rw: 'more', 'best-effort': 'false' }), files);
    expect(s.policy.paths.map((p) => `${p.flag} ${p.path}`)).toEqual(['ro /w/repo/fixtures', 'ro /home/u/.cache', 'rw /w/repo/out', 'rw /w/repo/more']);
    expect(s).toMatchObject({ preset: 'none', allowDns: true, bestEffort: false });
    expect(s.policy.connectTcp.map((p) => p.port)).toEqual([5432]);
    expect(s.policy.paths[0]?.origin).toEqual({ kind: 'policy-file', file: '.github/landrun.yml', line: 2, column: 6, name: 'ro', item: '../fixtures', relative: true });
    // the input preset wins over the file's; without either it is ci
    expect(readSettings(get({ run: 'x', 'policy-file': '.github/landrun.yml', preset: 'ci' }), files).preset).toBe('ci');
    expect(readSettings(get({ run: 'x' }), files).preset).toBe('ci');
  });

  it('policy-file: bad files fail naming the input, the file, the line and the column', () => {
    const tree = {
      '/w/repo/p.yml': 'ro: [/a\n',
      '/w/repo/climb.yml': 'ro: /etc\nrw: ../../../tmp\n',
      '/w/repo/ldd.yml': 'ldd: true\n',
      '/w/repo/fifo': 'fifo' as const,
      '/w/repo/dir': 'dir' as const,
    };
    const bad: Array<[string, RegExp]> = [
      ['p.yml', /^p\.yml:2:1: invalid YAML/],
      ['climb.yml', /^climb\.yml:2:5: relative path '\.\.\/\.\.\/\.\.\/tmp' resolves to \/tmp, outside the workspace \/w\/repo: use an absolute path if you mean it$/],
      ['ldd.yml', /^ldd\.yml:1:6: 'ldd: true' is not applied by the Action/],
      ['fifo', /^input policy-file: cannot use 'fifo' \(\/w\/repo\/fifo\): it is a FIFO \(named pipe\): a policy file must be a regular file$/],
      ['dir', /^input policy-file: cannot use 'dir' \(\/w\/repo\/dir\): it is a directory/],
      ['missing.yml', /^input policy-file: 'missing\.yml' \(\/w\/repo\/missing\.yml\) does not exist$/],
      ['../outside.yml', /^input policy-file: relative path '\.\.\/outside\.yml' resolves to \/w\/outside\.yml, outside the workspace/],
    ];
    for (const [file, message] of bad) {
      expect(() => readSettings(get({ run: 'x', 'policy-file': file }), withFiles(tree))).toThrow(message);
      expect(() => readSettings(get({ run: 'x', 'policy-file': file }), withFiles(tree))).toThrow(PolicyError);
    }
  });

  it('working-directory must exist and be a directory, checked before anything runs', () => {
    const files = withFiles({ '/w/repo/sub': 'dir', '/w/repo/file': 'x' });
    expect(readSettings(get({ run: 'x', 'working-directory': 'sub' }), files).workingDirectory).toBe('/w/repo/sub');
    expect(() => readSettings(get({ run: 'x', 'working-directory': 'nope' }), files)).toThrow(/^input working-directory: 'nope' \(\/w\/repo\/nope\) does not exist$/);
    expect(() => readSettings(get({ run: 'x', 'working-directory': 'file' }), files)).toThrow(/^input working-directory: 'file' \(\/w\/repo\/file\) is not a directory$/);
  });
});
