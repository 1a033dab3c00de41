import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeGuard, guardGit, releaseGit, serializeGuard, withoutCredentials, type GitGuard } from '../../../src/step/git-guard.js';

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

describe('a kept guard (serializeGuard, for the post step when the step was killed)', () => {
  it('comes back equal, and restores the checkout as the guard itself would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'landrun-guard-keep-'));
    try {
      const git = (...args: string[]): void => {
        const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
      };
      writeFileSync(join(dir, 'README'), 'repo\n');
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-q', '-m', 'init');
      git('config', '--local', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic eC1hY2Nlc3M=');
      const before = readFileSync(join(dir, '.git', 'config'), 'utf8');
      const guard = guardGit(dir, { withholdCredentials: true }) as GitGuard;
      expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).not.toContain('AUTHORIZATION');
      const kept = deserializeGuard(serializeGuard(guard));
      expect(kept).toEqual(guard);
      expect(kept.items).toBeInstanceOf(Map);
      writeFileSync(join(dir, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\n');
      git('config', 'core.fsmonitor', 'evil');
      const check = releaseGit(kept, dir);
      expect(check.changed).toEqual(['.git/config', '.git/hooks/post-checkout']);
      expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).toBe(before);
      expect(existsSync(join(dir, '.git', 'hooks', 'post-checkout'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a kept guard', () => {
    expect(() => deserializeGuard('{"root": "/x"}')).toThrow('not a saved git guard');
  });
});
