// The git guard against a hostile step: what a sandboxed script could do to the checkout's .git
// (the workspace is writable) must be undone, reported, and must never make the guard itself touch
// anything outside .git. The "step" here is plain file operations between guard and release.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { hooksPaths, includedFiles } from '../../src/step/git-config-file.js';
import { guardGit, releaseGit } from '../../src/step/git-guard.js';
import { describeIf } from '../helpers/describe-if.js';
import { asUserWhy, guardAsUser, NOBODY } from '../helpers/guard-as-user.js';
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

const vgitOut = (cwd: string, ...args: string[]): string => {
  const r = vectorGit(cwd, args);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};
const vgit = (cwd: string, ...args: string[]): void => void vgitOut(cwd, ...args);

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

// As the runner user (root reads any directory, so hiding only works against another user).
describeIf(asUserWhy, 'as an unprivileged user', () => {
  let dir: string;
  let ws: string;
  let env: Record<string, string>;
  const asNobody = (cwd: string, cmd: string): { status: number | null; out: string } => {
    const r = spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8', uid: NOBODY.uid, gid: NOBODY.gid });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  const marker = (): string => join(dir, 'marker');
  const prelude = (): string =>
    [
      'set -e',
      'export GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x',
      'prog="$PWD/.cache/planted.sh"',
      `mkdir -p .cache && printf '#!/bin/sh\\necho "ran in $PWD" >> ${marker()}\\n' > "$prog" && chmod +x "$prog"`,
    ].join('\n');
  beforeEach(() => {
    dir = tempDir();
    chmodSync(dir, 0o755);
    ws = join(dir, 'ws');
    mkdirSync(join(dir, 'home'));
    mkdirSync(ws);
    spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, dir]);
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, 'home') };
    const init = asNobody(ws, `${prelude()}\ngit init -q -b main && echo repo > README && git add . && git commit -qm init && git config http.https://github.com/.extraheader "AUTHORIZATION: basic dG9rZW4="`);
    expect(init.status).toBe(0);
  });
  afterEach(() => removeDir(dir));

  // a/b unreadable and unsearchable, c readable but not searchable: nested repositories below both
  const hide = [
    'mkdir -p a/b/x c/y',
    'for r in a/b/x c/y; do git init -q $r && git -C $r commit -q --allow-empty -m x && git -C $r config core.fsmonitor "$prog"; done',
    'chmod 000 a/b && chmod 600 c',
    'echo P:planted',
  ].join('\n');
  const later = 'chmod 755 a/b c && git -C a/b/x status && git -C c/y status';

  it('without the guard, repositories hidden in directories made unreadable run later', () => {
    expect(asNobody(ws, `${prelude()}\n${hide}`).out).toContain('P:planted');
    expect(asNobody(ws, later).status).toBe(0);
    expect(existsSync(marker())).toBe(true);
  });

  it('guarded: they are found and removed, the directories keep the modes the step gave them', () => {
    const r = guardAsUser(ws, `${prelude()}\n${hide}`, env);
    expect(r.uid).toBe(NOBODY.uid);
    expect(r.step).toContain('P:planted');
    expect(r.check.changed).toEqual(['a/b/x/.git', 'c/y/.git']);
    expect(r.check.removed).toEqual(['a/b/x/.git', 'c/y/.git']);
    expect(lstatSync(join(ws, 'a/b')).mode & 0o777).toBe(0o000);
    expect(lstatSync(join(ws, 'c')).mode & 0o777).toBe(0o600);
    expect(asNobody(ws, later).status).toBe(0);
    expect(asNobody(ws, 'git -C a/b/x rev-parse --show-toplevel').out.trim()).toBe(ws); // the checkout's own now
    expect(existsSync(marker())).toBe(false);
  });

  it('guarded: what the step planted and then locked (read-only .git and hooks, a 000 directory in hooks) is still removed', () => {
    const lock = [
      'cp "$prog" .git/hooks/post-checkout && mkdir -p .git/hooks/more && cp "$prog" .git/hooks/more/x && chmod 000 .git/hooks/more',
      'git init -q vendor/evil && git -C vendor/evil config core.fsmonitor "$prog" && chmod 555 vendor/evil',
      'chmod 555 .git/hooks .git',
      'echo P:planted',
    ].join('\n');
    const r = guardAsUser(ws, `${prelude()}\n${lock}`, env);
    expect(r.step).toContain('P:planted');
    expect(r.check.changed).toEqual(['.git', '.git/hooks', '.git/hooks/more', '.git/hooks/post-checkout', 'vendor/evil/.git']);
    expect(existsSync(join(ws, '.git/hooks/post-checkout'))).toBe(false);
    expect(existsSync(join(ws, '.git/hooks/more'))).toBe(false);
    expect(existsSync(join(ws, 'vendor/evil/.git'))).toBe(false);
    expect(lstatSync(join(ws, '.git/hooks')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(ws, '.git')).mode & 0o700).toBe(0o700); // git must write there again
    expect(lstatSync(join(ws, 'vendor/evil')).mode & 0o777).toBe(0o555); // the worktree keeps the step's modes
    expect(asNobody(ws, 'git -C vendor/evil status && git checkout -q -b other').status).toBe(0);
    expect(existsSync(marker())).toBe(false);
  });

  it('guarded: a repository that was already in an unreadable directory stays, and a hook planted in it is removed', () => {
    expect(asNobody(ws, `${prelude()}\nmkdir -p locked/r && git init -q locked/r && chmod 000 locked`).status).toBe(0);
    const r = guardAsUser(ws, `${prelude()}\nchmod 755 locked && cp "$prog" locked/r/.git/hooks/post-commit && chmod 000 locked\necho P:planted`, env);
    expect(r.step).toContain('P:planted');
    expect(r.check.changed).toEqual(['locked/r/.git/hooks/post-commit']);
    expect(lstatSync(join(ws, 'locked')).mode & 0o777).toBe(0o000);
    expect(asNobody(ws, 'chmod 755 locked && git -C locked/r -c user.name=x -c user.email=x@x commit -q --allow-empty -m x').out).toBe('');
    expect(existsSync(join(ws, 'locked/r/.git/HEAD'))).toBe(true);
    expect(existsSync(marker())).toBe(false);
  });
});

describe('git guard: the repositories it finds, and ordinary steps', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));
  const repo = (path: string, ...initArgs: string[]): void => {
    mkdirSync(path, { recursive: true });
    vgit(path, 'init', '-q', '-b', 'main', ...initArgs);
    writeFileSync(join(path, 'README'), 'repo\n');
    vgit(path, 'add', '.');
    vgit(path, 'commit', '-q', '-m', 'init');
  };
  const run = (cwd: string, script: string): void => {
    const r = spawnSync('bash', ['-c', `set -e\nexport GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x\n${script}`], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };

  it('an ordinary step (files, git add, commit, branch, stash, the same hooksPath written again) changes nothing protected', () => {
    const ws = join(dir, 'ws');
    repo(ws);
    vgit(ws, 'config', 'core.hooksPath', '.husky/_');
    mkdirSync(join(ws, '.husky/_'), { recursive: true });
    writeFileSync(join(ws, '.husky/_/pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const g = guardGit(ws, { withholdCredentials: true })!;
    run(ws, [
      'mkdir -p node_modules/a/lib coverage && echo x > node_modules/a/lib/i.js && echo y > coverage/lcov.info',
      'git config core.hooksPath .husky/_', // husky's install does this on every npm ci
      'echo change >> README && git add -A && git commit -q -m work',
      'git checkout -q -b feature && echo s > s && git stash -q -u && git stash pop -q',
      'git status --porcelain >/dev/null',
    ].join('\n'));
    const check = releaseGit(g, ws);
    expect(check.changed).toEqual([]);
    expect(check.millis).toBeGreaterThan(0);
  });

  it('a checkout in a subdirectory of the workspace (checkout `path:`) is protected: token withheld, hook removed', () => {
    const ws = join(dir, 'ws');
    repo(join(ws, 'src-repo'));
    vgit(join(ws, 'src-repo'), 'config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic dG9rZW4=');
    const g = guardGit(ws, { withholdCredentials: true })!;
    expect(g.withheld.extraheaders).toBe(1);
    expect(readFileSync(join(ws, 'src-repo/.git/config'), 'utf8')).not.toContain('AUTHORIZATION');
    writeFileSync(join(ws, 'src-repo/.git/hooks/pre-push'), '#!/bin/sh\n', { mode: 0o755 });
    expect(releaseGit(g, ws).changed).toEqual(['src-repo/.git/hooks/pre-push']);
    expect(readFileSync(join(ws, 'src-repo/.git/config'), 'utf8')).toContain('AUTHORIZATION: basic dG9rZW4=');
    expect(existsSync(join(ws, 'src-repo/.git/hooks/pre-push'))).toBe(false);
  });

  it('a nested repository the step deleted is reported, not recreated', () => {
    const ws = join(dir, 'ws');
    repo(ws);
    repo(join(ws, 'vendor/lib'));
    const g = guardGit(ws, { withholdCredentials: false })!;
    rmSync(join(ws, 'vendor'), { recursive: true });
    const check = releaseGit(g, ws);
    expect(check.changed).toEqual(['vendor/lib/.git']);
    expect(check.unrestored).toEqual(['vendor/lib/.git']);
    expect(existsSync(join(ws, 'vendor'))).toBe(false);
  });

  it("a protected git directory replaced by a symlink (.git/modules/<name> -> a prepared one) is taken away, nothing written through it", () => {
    const ws = join(dir, 'ws');
    repo(ws);
    repo(join(dir, 'up'));
    vgit(ws, 'submodule', 'add', '-q', join(dir, 'up'), 'sub');
    const g = guardGit(ws, { withholdCredentials: false })!;
    const prepared = join(dir, 'prepared');
    cpSync(join(ws, '.git/modules/sub'), prepared, { recursive: true });
    rmSync(join(ws, '.git/modules/sub'), { recursive: true });
    symlinkSync(prepared, join(ws, '.git/modules/sub'));
    const inPrepared = readdirSync(join(prepared, 'hooks')).sort();
    const check = releaseGit(g, ws);
    expect(check.changed).toEqual(['.git/modules/sub']);
    expect(existsSync(join(ws, '.git/modules/sub'))).toBe(false);
    expect(readdirSync(join(prepared, 'hooks')).sort()).toEqual(inPrepared);
  });

  // The index formats git writes: v2 (default), v3 (extended flags), v4 (path compression), SHA-256 names, a split index.
  const formats: Array<[string, string[], string]> = [
    ['v2', [], 'true'],
    ['v3', [], 'echo n > intent && git add -N intent'], // intent-to-add needs the extended flags of v3
    ['v4', [], 'git update-index --index-version 4'],
    ['sha256', ['--object-format=sha256'], 'true'],
    ['split index', [], 'git config core.splitIndex true && git update-index --split-index'],
  ];
  it.each(formats)('index %s: a new gitlink is found and the index put back; git add of files is not a change', (name, initArgs, setup) => {
    const ws = join(dir, 'ws');
    repo(ws, ...initArgs);
    run(ws, 'mkdir -p deep/er/path && for i in 1 2 3; do echo $i > deep/er/path/f$i; done && git add -A && git commit -q -m files');
    run(ws, setup);
    const oid = vgitOut(ws, 'rev-parse', 'HEAD').trim();
    // the format is the one named
    const index = readFileSync(join(ws, '.git/index'));
    expect(index.readUInt32BE(4)).toBe(name === 'v4' ? 4 : name === 'v3' ? 3 : 2);
    expect(oid.length).toBe(name === 'sha256' ? 64 : 40);
    expect(readdirSync(join(ws, '.git')).some((n) => n.startsWith('sharedindex.'))).toBe(name === 'split index');
    const g = guardGit(ws, { withholdCredentials: false })!;
    run(ws, 'echo more > deep/er/path/f4 && git add deep/er/path/f4');
    expect(releaseGit(g, ws).changed).toEqual([]);
    const staged = vgitOut(ws, 'ls-files', '--stage');
    const g2 = guardGit(ws, { withholdCredentials: false })!;
    run(ws, `echo more > deep/er/path/f5 && git add deep/er/path/f5 && git update-index --add --cacheinfo 160000,${oid},deep/er/sub`);
    const check = releaseGit(g2, ws);
    expect(check.changed).toEqual(['.git/index']);
    expect(check.gitlinks).toEqual(['deep/er/sub']);
    expect(vgitOut(ws, 'ls-files', '--stage')).toBe(staged);
  });
});

// The guard's reader of git's config syntax, against git itself: the include paths and hooks
// paths it finds are the ones `git config` reports, spelled every way git accepts.
describe("the guard's config reader agrees with git", () => {
  const texts: Array<[string, string]> = [
    ['plain', '[include]\n\tpath = a.inc\n[includeIf "gitdir:/w/"]\n\tpath = /abs/b.inc\n'],
    ['same line, comments, quotes', '[include] path = "c d.inc" # comment\n; [include]\n#\tpath = no.inc\n[core]\n\thooksPath = "hooks dir"\n'],
    ['case, escapes, continuation', '[Include]\n\tPATH = e\\\\f.inc\n[INCLUDEIF "onbranch:main"]\n\tpath = g\\\n.inc\n[CORE]\n\tHooksPath=.husky/_ ; trailing\n'],
    ['subsection spellings', '[includeIf "hasconfig:remote.*.url:https://x/**"]\n\tpath = h.inc\n[include.sub]\n\tpath = not-an-include.inc\n[includeif "gitdir/i:W/"]\n\tpath = ~/i.inc\n'],
    ['blank and bare keys', '[include]\n\tpath\n\tpath =\n\tpath = j.inc\n[core]\n\tbare\n\thooksPath = k\n\thooksPath = l\n'],
  ];
  it.each(texts)('%s', (_n, text) => {
    const dir = tempDir();
    try {
      const file = join(dir, 'config');
      writeFileSync(file, text);
      const gitSays = (pattern: string): string[] => {
        const r = spawnSync('git', ['config', '--file', file, '--no-includes', '--get-regexp', pattern], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/home/h' } });
        return r.stdout.split('\n').filter(Boolean).map((l) => l.replace(/^\S+ ?/, ''));
      };
      const includes = gitSays('^(include|includeif\\..*)\\.path$').filter(Boolean);
      const hooks = gitSays('^core\\.hookspath$');
      const expand = (v: string): string => (v.startsWith('~/') ? join(homedir(), v.slice(2)) : resolve(dir, v));
      expect(includedFiles(text, file)).toEqual(includes.map(expand));
      expect(hooksPaths(text, dir)).toEqual(hooks.map(expand));
    } finally {
      removeDir(dir);
    }
  });
});
