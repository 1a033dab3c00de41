import { describe, expect, it } from '@jest/globals';
import { listItems, readSettings, resolveActionPath } from '../../src/action/inputs.js';
import { ciPreset, scrubEnvironment, type PresetContext } from '../../src/policy/presets.js';
import { PolicyError } from '../../src/shared/errors.js';
import { shellArgv } from '../../src/step/step.js';
import { withoutCredentials } from '../../src/step/git-guard.js';

// A fake tree: HOME with secrets (some nested), the runner's work dir with RUNNER_TEMP inside it.
const TREE: Record<string, string[]> = {
  '/home/runner': ['.ssh', '.bashrc', '.config', '.npmrc', 'work', 'actions-runner', '.cache'],
  '/home/runner/.config': ['gh', 'git', 'other'],
  '/home/runner/.config/git': ['config', 'credentials'],
  '/home/runner/work': ['_temp', '_actions', 'repo'],
  '/home/runner/work/repo': ['repo'],
};
const FILES = new Set(['/home/runner/.bashrc', '/home/runner/.npmrc', '/home/runner/.config/git/config', '/home/runner/.config/git/credentials']);
const ctx = (over: Partial<PresetContext> = {}): PresetContext => ({
  workspace: '/home/runner/work/repo/repo',
  privateTmp: '/home/runner/work/_temp/landrun/x/tmp',
  home: '/home/runner',
  listDir: (d) => TREE[d],
  isDirectory: (p) => p in TREE || (!FILES.has(p) && p.startsWith('/home/runner')),
  exists: (p) => !['/lib32', '/libx32'].includes(p),
  hidden: ['/home/runner/work/_temp', '/home/runner/actions-runner'],
  toolDirs: ['/opt/hostedtoolcache'],
  readableFiles: ['/home/runner/work/_temp/event.json'],
  writableFiles: [],
  ...over,
});
const grants = (c: PresetContext): string[] => ciPreset(c).map((g) => `${g.flag} ${g.path}`);

describe('ci preset', () => {
  it('grants HOME entry by entry, skipping credentials, RUNNER_TEMP and the runner install', () => {
    const g = grants(ctx());
    expect(g).toEqual(
      expect.arrayContaining([
        'ro /home/runner/.bashrc',
        'ro /home/runner/.cache',
        'ro /home/runner/.config/other',
        'ro /home/runner/.config/git/config',
        'ro /home/runner/work/_actions',
        'ro /home/runner/work/repo',
        'rw /home/runner/work/repo/repo',
        'rw /home/runner/work/_temp/landrun/x/tmp',
        'ro /home/runner/work/_temp/event.json',
        'rox /usr',
        'rox /opt/hostedtoolcache',
        'ro /etc',
        'ro /proc',
        'rw /dev/null',
        'ro /dev/urandom',
      ]),
    );
    for (const secret of ['.ssh', '.npmrc', '.config/gh', '.config/git/credentials', 'actions-runner', 'work/_temp', '', '.config', 'work']) {
      expect(g).not.toContain(`ro /home/runner/${secret}`.replace(/\/$/, ''));
    }
    expect(g.filter((x) => x.startsWith('rw '))).toEqual(['rw /dev/null', 'rw /dev/tty', 'rw /dev/pts', 'rw /dev/shm', 'rw /dev/full', 'rw /home/runner/work/repo/repo', 'rw /home/runner/work/_temp/landrun/x/tmp']);
  });

  it('skips system paths that do not exist and grants outputs only when asked', () => {
    expect(grants(ctx())).not.toContain('rox /lib32');
    expect(grants(ctx({ writableFiles: ['/home/runner/work/_temp/_runner_file_commands/set_output_1'] }))).toContain(
      'rw /home/runner/work/_temp/_runner_file_commands/set_output_1',
    );
  });
});

describe('environment scrubbing', () => {
  it('removes runner tokens, inputs and state, and names what it removed', () => {
    const { env, removed } = scrubEnvironment({
      PATH: '/usr/bin',
      ACTIONS_RUNTIME_TOKEN: 'a',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'b',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'c',
      ACTIONS_RESULTS_URL: 'd',
      ACTIONS_CACHE_URL: 'e',
      ACTIONS_RUNTIME_URL: 'f',
      INPUT_RUN: 'g',
      STATE_x: 'h',
      GITHUB_TOKEN: 'kept-because-the-workflow-mapped-it',
      CI: 'true',
    });
    expect(env).toEqual({ PATH: '/usr/bin', GITHUB_TOKEN: 'kept-because-the-workflow-mapped-it', CI: 'true' });
    expect(removed).toEqual(['ACTIONS_CACHE_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RUNTIME_URL', 'INPUT_RUN', 'STATE_x']);
  });
});

describe('action inputs', () => {
  const ws = { workspace: '/w/repo', home: '/home/u' };
  const get = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

  it('reads lists by line and comma, resolves relative paths, ~ and absolute ones', () => {
    expect(listItems('a, b\n\n# comment\nc\\,d\n')).toEqual(['a', 'b', 'c,d']);
    const s = readSettings(get({ run: 'npm test', rw: 'out\n~/.npm', ro: '/data', 'connect-tcp': '5432\n8000-8001' }), ws);
    expect(s.policy.paths.map((p) => `${p.flag} ${p.path}`)).toEqual(['ro /data', 'rw /w/repo/out', 'rw /home/u/.npm']);
    expect(s.policy.connectTcp.map((p) => p.port)).toEqual([5432, 8000, 8001]);
    expect(s).toMatchObject({ preset: 'ci', shell: 'bash', workingDirectory: '/w/repo', checkoutCredentials: 'withhold', protectGit: 'snapshot', bestEffort: false, logLevel: 'info' });
    expect(s.flags).toEqual(['--ro', '/data', '--rw', './out', '--rw', '/home/u/.npm', '--connect-tcp', '5432,8000-8001']);
  });

  it('rejects bad values, naming the input', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ preset: 'open' }, /invalid input preset: 'open'/],
      [{ 'bind-tcp': '0' }, /invalid port '0' in input bind-tcp/],
      [{ rw: '../../etc' }, /input rw: relative path '\.\.\/\.\.\/etc' resolves to \/etc, outside the workspace \/w\/repo/],
      [{ 'best-effort': 'sometimes' }, /invalid input best-effort: 'sometimes'/],
      [{ 'checkout-credentials': 'drop' }, /invalid input checkout-credentials: 'drop': expected one of withhold, keep/],
      [{ 'protect-git': 'none' }, /invalid input protect-git/],
      [{ 'log-level': 'loud' }, /invalid input log-level: 'loud'/],
      [{ env: '=x' }, /invalid input env '=x'/],
      [{ 'target-abi': 'four' }, /invalid input target-abi: 'four'/],
    ];
    for (const [inputs, message] of bad) {
      expect(() => readSettings(get({ run: 'x', ...inputs }), ws)).toThrow(message);
      expect(() => readSettings(get({ run: 'x', ...inputs }), ws)).toThrow(PolicyError);
    }
    expect(() => resolveActionPath('~/x', 'ro', '/w', undefined)).toThrow(/HOME is not set/);
  });
});

describe('step shell', () => {
  it('builds argv the way the runner does', () => {
    expect(shellArgv('bash', '/s')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '/s']);
    expect(shellArgv('sh', '/s')).toEqual(['sh', '-e', '/s']);
    expect(shellArgv('python', '/s')).toEqual(['python', '/s']);
    expect(shellArgv('perl -w {0}', '/s')).toEqual(['perl', '-w', '/s']);
    expect(shellArgv('zsh', '/s')).toEqual(['zsh', '/s']);
  });
});

describe('checkout credentials', () => {
  it('removes the extraheader (checkout <= v5) and the credentials include (>= v6), nothing else', () => {
    const config = [
      '[core]',
      '\trepositoryformatversion = 0',
      '[http "https://github.com/"]',
      '\textraheader = AUTHORIZATION: basic eC1hY2Nlc3M=',
      '[includeIf "gitdir:/home/runner/work/r/r/.git"]',
      '\tpath = /home/runner/work/_temp/git-credentials-5f1c2e3d-0000-4000-8000-0123456789ab.config',
      '[include]',
      '\tpath = /home/runner/.gitconfig-extra',
    ].join('\n');
    const w = withoutCredentials(config);
    expect(w).toMatchObject({ extraheaders: 1, credentialIncludes: 1 });
    expect(w.text).not.toMatch(/AUTHORIZATION|git-credentials/);
    expect(w.text).toContain('path = /home/runner/.gitconfig-extra');
    expect(w.text).toContain('repositoryformatversion = 0');
  });
});
