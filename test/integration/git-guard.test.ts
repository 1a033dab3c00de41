// The git guard against a hostile step: what a sandboxed script could do to the checkout's .git
// (the workspace is writable) must be undone, reported, and must never make the guard itself touch
// anything outside .git. The "step" here is plain file operations between guard and release.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { guardGit, releaseGit } from '../../src/step/git-guard.js';
import { git as vectorGit, VECTORS, type VectorContext } from '../helpers/git-vectors.js';
import { removeDir, tempDir } from '../helpers/run.js';

let root: string;
let ws: string;
let secrets: string;
const git = (...args: string[]): string => {
  const r = spawnSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=t', ...args], { cwd: ws, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};

beforeEach(() => {
  root = tempDir();
  ws = join(root, 'ws');
  secrets = join(root, 'home-ssh');
  mkdirSync(ws);
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'id_rsa'), 'KEY');
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  git('config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic dG9rZW4=');
});
afterEach(() => removeDir(root));

const vgit = (cwd: string, ...args: string[]): void => {
  const r = vectorGit(cwd, args);
  if (r.status !== 0) throw new Error(r.stderr);
};

describe('git guard', () => {
  it('withholds the token during the step and puts it back', () => {
    const g = guardGit(ws, { withholdCredentials: true })!;
    expect(readFileSync(join(ws, '.git/config'), 'utf8')).not.toContain('AUTHORIZATION');
    expect(releaseGit(g, ws).changed).toEqual([]);
    expect(readFileSync(join(ws, '.git/config'), 'utf8')).toContain('AUTHORIZATION: basic dG9rZW4=');
  });

  it('a .git/hooks symlinked to a directory outside: nothing outside is touched, hooks are real again', () => {
    const g = guardGit(ws, { withholdCredentials: true })!;
    renameSync(join(ws, '.git/hooks'), join(ws, '.git/hooks.orig'));
    symlinkSync(secrets, join(ws, '.git/hooks'));
    const { changed } = releaseGit(g, ws);
    expect(changed).toContain('.git/hooks');
    expect(readFileSync(join(secrets, 'id_rsa'), 'utf8')).toBe('KEY');
    expect(readdirSync(secrets)).toEqual(['id_rsa']);
    expect(lstatSync(join(ws, '.git/hooks')).isDirectory()).toBe(true);
    expect(existsSync(join(ws, '.git/hooks/pre-commit.sample'))).toBe(true);
  });

  it('a hook added in a directory made unreadable is found and removed', () => {
    const g = guardGit(ws, { withholdCredentials: false })!;
    writeFileSync(join(ws, '.git/hooks/post-checkout'), '#!/bin/sh\necho PWNED\n', { mode: 0o755 });
    chmodSync(join(ws, '.git/hooks'), 0o300);
    const { changed } = releaseGit(g, ws);
    expect(changed).toEqual(expect.arrayContaining(['.git/hooks', '.git/hooks/post-checkout']));
    expect(existsSync(join(ws, '.git/hooks/post-checkout'))).toBe(false);
    expect(lstatSync(join(ws, '.git/hooks')).mode & 0o777).toBe(0o755);
  });

  it('commondir pointing at a prepared configuration is found and removed', () => {
    const g = guardGit(ws, { withholdCredentials: false })!;
    cpSync(join(ws, '.git'), join(ws, '.cache-git'), { recursive: true });
    writeFileSync(join(ws, '.git/commondir'), '../.cache-git\n');
    // the prepared copy is a new (bare-looking) repository too: it loses the HEAD that makes it one
    expect(releaseGit(g, ws).changed).toEqual(['.cache-git/HEAD', '.git/commondir']);
    expect(existsSync(join(ws, '.git/commondir'))).toBe(false);
  });

  it('.git replaced by a gitfile: no crash, reported, the replacement is taken away', () => {
    const g = guardGit(ws, { withholdCredentials: true })!;
    renameSync(join(ws, '.git'), join(root, 'moved-git'));
    writeFileSync(join(ws, '.git'), `gitdir: ${join(root, 'moved-git')}\n`);
    const { changed } = releaseGit(g, ws);
    expect(changed[0]).toBe('.git');
    expect(existsSync(join(ws, '.git'))).toBe(false);
  });

  it('submodule configs are protected and their tokens withheld too', () => {
    mkdirSync(join(ws, '.git/modules/sub/hooks'), { recursive: true });
    writeFileSync(join(ws, '.git/modules/sub/config'), '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic c3Vi\n');
    const g = guardGit(ws, { withholdCredentials: true })!;
    expect(g.withheld.extraheaders).toBe(2);
    expect(readFileSync(join(ws, '.git/modules/sub/config'), 'utf8')).not.toContain('AUTHORIZATION');
    writeFileSync(join(ws, '.git/modules/sub/hooks/pre-push'), 'x');
    expect(releaseGit(g, ws).changed).toEqual(['.git/modules/sub/hooks/pre-push']);
    expect(readFileSync(join(ws, '.git/modules/sub/config'), 'utf8')).toContain('AUTHORIZATION: basic c3Vi');
  });

  it('info/ and objects/info/alternates are protected', () => {
    const g = guardGit(ws, { withholdCredentials: false })!;
    mkdirSync(join(ws, '.git/objects/info'), { recursive: true });
    writeFileSync(join(ws, '.git/objects/info/alternates'), '/elsewhere\n');
    writeFileSync(join(ws, '.git/info/attributes'), '* filter=evil\n');
    expect(releaseGit(g, ws).changed).toEqual(['.git/info/attributes', '.git/objects/info/alternates']);
    rmSync(join(ws, '.git/objects/info'), { recursive: true, force: true });
  });
});

// What later, unsandboxed git commands would run: each way of planting (test/helpers/git-vectors.ts)
// first without the guard (the attack works here: the planted program runs, or the token stays),
// then with it (restored or removed, reported, and the same later command runs nothing).
describe('what a later git command would run', () => {
  let c: VectorContext;
  beforeEach(() => {
    const dir = tempDir();
    const home = join(dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = runner\n\temail = runner@example.com\n');
    const workspace = join(dir, 'ws');
    mkdirSync(workspace);
    mkdirSync(join(dir, '_temp'));
    const shm = mkdtempSync('/dev/shm/landrun-git-');
    c = { workspace, marker: join(dir, 'marker'), shm, runnerTemp: join(dir, '_temp'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home } };
    vgit(workspace, 'init', '-q', '-b', 'main');
    writeFileSync(join(workspace, 'README'), 'repo\n');
    vgit(workspace, 'add', '.');
    vgit(workspace, 'commit', '-q', '-m', 'init');
    vgit(workspace, 'config', '--local', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic dG9rZW4=');
  });
  afterEach(() => {
    removeDir(dirname(c.workspace));
    removeDir(c.shm);
  });
  const step = (script: string): void => {
    const r = spawnSync('bash', ['-c', script], { cwd: c.workspace, env: c.env, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('P:planted');
  };

  it.each(VECTORS.map((v) => [v.name, v] as const))('without the guard, the attack works: %s', (_n, v) => {
    v.setup?.(c);
    step(v.step(c));
    expect(v.later(c)).toBe(true);
  });

  it.each(VECTORS.map((v) => [v.name, v] as const))('guarded: %s', (_n, v) => {
    v.setup?.(c);
    const before = readFileSync(join(c.workspace, '.git', 'config'), 'utf8');
    const g = guardGit(c.workspace, { withholdCredentials: true })!;
    step(v.step(c));
    const check = releaseGit(g, c.workspace);
    expect(check.changed).toEqual(v.changed);
    expect(readFileSync(join(c.workspace, '.git', 'config'), 'utf8')).toBe(before); // the token is back
    expect(v.later(c)).toBe(false);
    expect(existsSync(c.marker)).toBe(false);
  });
});
