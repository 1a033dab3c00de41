import { describe, expect, it } from '@jest/globals';
import { ciPreset, removedText, reopenedSecrets, scrubEnvironment, type PresetContext } from '../../../src/policy/presets.js';

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
        'rox /home/runner/.bashrc',
        'rox /home/runner/.cache',
        'rox /home/runner/.config/other',
        'rox /home/runner/.config/git/config',
        'rox /home/runner/work/_actions',
        'rox /home/runner/work/repo',
        'rwx /home/runner/work/repo/repo',
        'rwx /home/runner/work/_temp/landrun/x/tmp',
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
      for (const flag of ['ro', 'rox']) expect(g).not.toContain(`${flag} /home/runner/${secret}`.replace(/\/$/, ''));
    }
    // Writes: the devices a test suite needs (a pty included), the workspace and the step's TMPDIR; nothing else.
    expect(g.filter((x) => x.startsWith('rw'))).toEqual([
      'rw /dev/null',
      'rw /dev/tty',
      'rw /dev/ptmx',
      'rw /dev/pts',
      'rw /dev/shm',
      'rw /dev/full',
      'rwx /home/runner/work/repo/repo',
      'rwx /home/runner/work/_temp/landrun/x/tmp',
    ]);
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

  it('names the secrets and counts the inputs and state in the log line', () => {
    expect(removedText(['ACTIONS_RUNTIME_TOKEN', 'INPUT_RO', 'INPUT_RUN', 'INPUT_RW', 'STATE_x'])).toBe("ACTIONS_RUNTIME_TOKEN, this action's inputs (3 INPUT_* variables), STATE_x");
    expect(removedText(['INPUT_RUN'])).toBe('INPUT_RUN');
    expect(removedText([])).toBe('');
  });
});

describe('settings that give a withheld secret back', () => {
  it('names each one and its risk', () => {
    const w = reopenedSecrets({
      paths: [
        { path: '/home/runner/.ssh', label: 'input ro: ~/.ssh' },
        { path: '/home/runner/.config', label: 'input ro: ~/.config' },
        { path: '/home/runner/work/repo/repo/out', label: 'input rw: out' },
      ],
      envKeys: [
        { key: 'ACTIONS_RUNTIME_TOKEN', label: 'env: ACTIONS_RUNTIME_TOKEN' },
        { key: 'NODE_ENV', label: 'env: NODE_ENV' },
      ],
      home: '/home/runner',
      keepCheckoutToken: true,
    });
    expect(w).toEqual([
      'input ro: ~/.ssh gives the script /home/runner/.ssh, which the ci preset withholds (credentials): anything the script runs can read and send it',
      'input ro: ~/.config gives the script /home/runner/.config/gh, which the ci preset withholds (credentials): anything the script runs can read and send it',
      "env: ACTIONS_RUNTIME_TOKEN gives the script ACTIONS_RUNTIME_TOKEN: the runner's runtime token (upload artifacts and caches that later steps and jobs trust)",
      'checkout-credentials: keep leaves the checkout token readable by the script: it can push to the repository with it',
    ]);
    expect(reopenedSecrets({ paths: [{ path: '/data', label: 'input ro: /data' }], envKeys: [], home: '/home/runner', keepCheckoutToken: false })).toEqual([]);
  });
});
