// Protecting the checkout's git metadata around a sandboxed step. The workspace must be writable,
// and Landlock rights are inherited down a tree, so the kernel cannot keep .git's configuration and
// hooks read-only while the workspace root stays writable. Instead: snapshot, before the step,
// everything that decides what a later (unsandboxed) git command in the workspace executes or
// reads configuration from; afterwards restore it, remove every repository the step created, and
// report each change (which fails the step). The checkout token is withheld from the config files
// for the step and put back afterwards. docs/adr/0003-git-protection-by-snapshot.md has the list
// of what git reads and runs, found by experiment, and why each item is restored or removed.
//
// Everything here treats the tree as hostile: it was writable by the sandbox. Nothing follows a
// symlink (a planted .git/hooks -> ~/.ssh must not make the restore delete ~/.ssh), a directory the
// step made unreadable counts as changed, files are recreated with O_EXCL, and nothing is written
// outside the workspace and the git directories that existed before the step.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { configValue, hooksPaths, includedFiles } from './git-config-file.js';
import { readIndexGitlinks } from './git-index.js';
import { gitfileTarget, listDir, listSkeleton, readDotGit, restoreModes, scanWorktree, type DotGitEntry, type Opened, type SkeletonKind, type WorktreeScan } from './git-scan.js';

type Entry = { kind: 'file'; data: Buffer; mode: number } | { kind: 'symlink'; target: string } | { kind: 'dir'; mode: number } | { kind: 'other' };

/** One protected path. `anchor`: the directory restores start from (undefined: compared, never written). */
interface Item {
  readonly path: string;
  readonly anchor: string | undefined;
  readonly original: Entry | undefined;
  /** An index file: compared by its gitlinks, not byte for byte (the index is the step's to change). */
  readonly index?: { readonly gitlinks: ReadonlySet<string>; readonly oidLength: 20 | 32; readonly worktree: string | undefined };
}

interface Repository {
  /** Real path of the git directory. */
  readonly gitDir: string;
  readonly anchor: string;
  /** The checkout it belongs to, when known (where hooks run, where .gitmodules is). */
  worktree: string | undefined;
}

export interface GitGuard {
  /** The workspace's real path; every reported path is relative to it. */
  readonly root: string;
  /** The git directories protected (real paths): the workspace's, nested, submodules', worktrees'. */
  readonly repositories: readonly string[];
  /** What the walk of the workspace found before the step. */
  readonly scan: WorktreeScan;
  readonly items: ReadonlyMap<string, Item>;
  /** Directories whose content is watched: the whole tree (hooks/, info/) or direct entries (core.hooksPath). */
  readonly watched: ReadonlyArray<{ readonly dir: string; readonly anchor: string | undefined; readonly depth: 'tree' | 'children' }>;
  /** modules/ and worktrees/ of each repository: a repository that appears there is the step's. */
  readonly skeletons: ReadonlyArray<{ readonly root: string; readonly anchor: string; readonly existed: boolean; readonly layout: ReadonlyMap<string, SkeletonKind> }>;
  /** Git directories outside the workspace, with their identity: replaced ones are not written into. */
  readonly anchors: ReadonlyMap<string, { readonly dev: number; readonly ino: number }>;
  /** What was withheld from the config files (counts, never values). */
  readonly withheld: { readonly extraheaders: number; readonly credentialIncludes: number };
  /** The config files as the step was given them (credentials withheld). */
  readonly given: ReadonlyMap<string, Buffer>;
  /** Time the snapshot took, in ms (the walk and the reads). */
  readonly millis: number;
}

export interface GitCheck {
  /** Paths (relative to the workspace) that the step changed, created or removed: all of the below. */
  readonly changed: readonly string[];
  /** Put back as they were before the step. */
  readonly restored: readonly string[];
  /** Created by the step and removed: repositories, hooks, included files that did not exist. */
  readonly removed: readonly string[];
  /** Changed, and left so: outside what the guard writes, or gone (a repository the step deleted). */
  readonly unrestored: readonly string[];
  /** Gitlinks the step added to an index (paths in the worktree); that index was put back. */
  readonly gitlinks: readonly string[];
  readonly millis: number;
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

const inside = (root: string, p: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/** The git directory of a workspace: .git, or what a .git file ("gitdir: ...") points to. */
export function findGitDir(workspace: string): string | undefined {
  const dotGit = join(workspace, '.git');
  const st = lstatOrUndefined(dotGit);
  if (!st) return undefined;
  if (st.isDirectory()) return dotGit;
  if (!st.isFile()) return undefined;
  const target = gitfileTarget(readFileSync(dotGit));
  return target ? resolve(workspace, target) : undefined;
}

function readEntry(p: string): Entry | undefined {
  const st = lstatOrUndefined(p);
  if (!st) return undefined;
  if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(p) };
  if (st.isDirectory()) return { kind: 'dir', mode: Number(st.mode) & 0o7777 };
  if (st.isFile()) {
    try {
      return { kind: 'file', data: readFileSync(p), mode: Number(st.mode) & 0o7777 };
    } catch {
      return { kind: 'other' }; // unreadable: made so by the step
    }
  }
  return { kind: 'other' };
}

/** Every entry below `dir` (which must itself be a real directory), never following symlinks. */
function listTree(dir: string, depth: 'tree' | 'children'): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names) {
      const p = join(d, name);
      out.push(p);
      if (depth === 'tree' && lstatOrUndefined(p)?.isDirectory()) stack.push(p);
    }
  }
  return out;
}

/** Whether every existing directory from `anchor` down to `dir` is a real directory (missing ones end the check). */
function realChain(anchor: string, dir: string): boolean {
  const rel = relative(anchor, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  let cur = anchor;
  for (const part of rel === '' ? [] : rel.split(sep)) {
    cur = join(cur, part);
    const st = lstatOrUndefined(cur);
    if (!st) return true;
    if (!st.isDirectory()) return false;
  }
  return true;
}

// Per repository: what decides what runs (config and what it includes, hooks, fsmonitor, filters
// via info/attributes), where git talks to (remotes/ and branches/ are legacy remote definitions),
// and where its objects and configuration come from (commondir, alternates).
const REPO_FILES = ['config', 'config.worktree', 'commondir', 'objects/info/alternates', 'objects/info/http-alternates'];
const REPO_DIRS = ['hooks', 'info', 'remotes', 'branches'];
const INCLUDE_DEPTH = 10; // git's own limit

const EXTRAHEADER = /^\s*extraheader\s*=\s*"?AUTHORIZATION:/i;
const CREDENTIAL_INCLUDE = /^\s*path\s*=\s*"?.*git-credentials-[0-9a-fA-F-]+\.config"?\s*$/;

/** A config file without the checkout's credentials (checkout <= v5 extraheader, >= v6 includeIf file). */
export function withoutCredentials(config: string): { text: string; extraheaders: number; credentialIncludes: number } {
  let extraheaders = 0;
  let credentialIncludes = 0;
  const lines = config.split('\n').filter((line) => {
    if (EXTRAHEADER.test(line)) {
      extraheaders++;
      return false;
    }
    if (CREDENTIAL_INCLUDE.test(line)) {
      credentialIncludes++;
      return false;
    }
    return true;
  });
  return { text: lines.join('\n'), extraheaders, credentialIncludes };
}

/** Where a linked worktree's (or submodule's) common git directory is, if it names one. */
function commonDirOf(gitDir: string): string | undefined {
  try {
    const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    return common ? resolve(gitDir, common) : undefined;
  } catch {
    return undefined;
  }
}

/** Every repository a later git command in the workspace could use, found before the step. */
function findRepositories(root: string, scan: WorktreeScan, opened: Opened): Repository[] {
  const repos = new Map<string, Repository>();
  const queue: Repository[] = [];
  const add = (gitDir: string, worktree: string | undefined): void => {
    const real = realOrUndefined(gitDir);
    if (!real || !lstatOrUndefined(real)?.isDirectory()) return;
    const known = repos.get(real);
    if (known) {
      known.worktree ??= worktree;
      return;
    }
    // Inside the workspace, restores repair the path down from the workspace; elsewhere they
    // start at the git directory itself, and only if it is still the same directory.
    const r: Repository = { gitDir: real, anchor: inside(root, real) ? root : real, worktree };
    repos.set(real, r);
    queue.push(r);
  };
  for (const [p, e] of scan.dotGits) {
    const w = dirname(p);
    if (e.kind === 'dir' || e.kind === 'symlink') add(p, w);
    else if (e.kind === 'file') {
      const t = gitfileTarget(e.data);
      if (t) add(resolve(w, t), w);
    }
  }
  for (const b of scan.bare) add(b, undefined);
  while (queue.length > 0) {
    const r = queue.shift() as Repository;
    const common = commonDirOf(r.gitDir);
    if (common) add(common, undefined);
    for (const [p, kind] of listSkeleton(join(r.gitDir, 'modules'), opened)) if (kind === 'repo') add(p, undefined);
    for (const [p, kind] of listSkeleton(join(r.gitDir, 'worktrees'), opened, { depth: 1 })) if (kind === 'repo') add(p, undefined);
  }
  return [...repos.values()];
}

export function guardGit(workspace: string, opts: { withholdCredentials: boolean }): GitGuard | undefined {
  const started = performance.now();
  const root = realOrUndefined(workspace);
  if (!root || !lstatOrUndefined(root)?.isDirectory()) return undefined;
  const opened: Opened = [];
  try {
    return snapshot(root, opts, opened, started);
  } finally {
    restoreModes(opened);
  }
}

function snapshot(root: string, opts: { withholdCredentials: boolean }, opened: Opened, started: number): GitGuard {
  const scan = scanWorktree(root, opened);
  const repositories = findRepositories(root, scan, opened);
  const items = new Map<string, Item>();
  const watched: Array<{ dir: string; anchor: string | undefined; depth: 'tree' | 'children' }> = [];
  const anchors = new Map<string, { dev: number; ino: number }>();
  for (const r of repositories) {
    if (r.anchor === root) continue;
    const st = lstatSync(r.gitDir);
    anchors.set(r.gitDir, { dev: st.dev, ino: st.ino });
  }
  /** The most specific directory a path may be restored from, if any. */
  const anchorFor = (p: string): string | undefined => {
    const candidates = [root, ...anchors.keys()].filter((a) => inside(a, p) && realChain(a, dirname(p)));
    return candidates.sort((a, b) => b.length - a.length)[0];
  };
  const addItem = (p: string, anchor: string | undefined, index?: Item['index']): void => {
    if (!items.has(p)) items.set(p, { path: p, anchor, original: readEntry(p), index });
  };
  const watch = (dir: string, anchor: string | undefined, depth: 'tree' | 'children'): void => {
    addItem(dir, anchor);
    if (items.get(dir)?.original?.kind !== 'dir') return;
    watched.push({ dir, anchor, depth });
    for (const p of listTree(dir, depth)) addItem(p, anchor);
  };
  const skeletons: Array<{ root: string; anchor: string; existed: boolean; layout: ReadonlyMap<string, SkeletonKind> }> = [];

  for (const r of repositories) {
    for (const f of REPO_FILES) addItem(join(r.gitDir, f), r.anchor);
    for (const d of REPO_DIRS) watch(join(r.gitDir, d), r.anchor, 'tree');
    for (const [name, depth] of [['modules', undefined], ['worktrees', 1]] as const) {
      const dir = join(r.gitDir, name);
      skeletons.push({ root: dir, anchor: r.anchor, existed: lstatOrUndefined(dir)?.isDirectory() === true, layout: listSkeleton(dir, opened, { depth }) });
    }

    // The configuration as git would read it: the repository's files and everything they include.
    const configText = (p: string): string | undefined => {
      const e = readEntry(p);
      return e?.kind === 'file' ? e.data.toString('utf8') : undefined;
    };
    const texts: string[] = [];
    const seen = new Set<string>();
    const follow = (p: string, depth: number): void => {
      if (seen.has(p) || depth > INCLUDE_DEPTH) return;
      seen.add(p);
      const text = configText(p);
      if (text === undefined) return;
      texts.push(text);
      for (const inc of includedFiles(text, p)) {
        addItem(inc, anchorFor(inc));
        follow(inc, depth + 1);
      }
    };
    follow(join(r.gitDir, 'config'), 0);
    follow(join(r.gitDir, 'config.worktree'), 0);
    const common = commonDirOf(r.gitDir);
    if (common) follow(join(common, 'config'), 0); // a linked worktree's settings (hooksPath, object format) live there
    const all = texts.join('\n');
    const coreWorktree = configValue(all, 'core', 'worktree');
    const worktree = r.worktree ?? (coreWorktree ? resolve(r.gitDir, coreWorktree) : undefined);
    // core.hooksPath may name a directory in the worktree (husky: .husky/_). git runs the hooks
    // found directly in it; what those scripts run in turn is the repository's own code.
    for (const h of hooksPaths(all, worktree ?? r.gitDir)) watch(h, anchorFor(h), 'children');
    if (r.worktree && inside(root, r.worktree)) addItem(join(r.worktree, '.gitmodules'), root);

    const oidLength = configValue(all, 'extensions', 'objectformat')?.toLowerCase() === 'sha256' ? 32 : 20;
    const indexPath = join(r.gitDir, 'index');
    const gitlinks = indexGitlinks(r.gitDir, indexPath, oidLength);
    if (gitlinks) items.set(indexPath, { path: indexPath, anchor: r.anchor, original: readEntry(indexPath), index: { gitlinks, oidLength, worktree } });
  }

  let extraheaders = 0;
  let credentialIncludes = 0;
  const given = new Map<string, Buffer>();
  if (opts.withholdCredentials) {
    for (const r of repositories) {
      for (const name of ['config', 'config.worktree']) {
        const p = join(r.gitDir, name);
        const e = items.get(p)?.original;
        if (e?.kind !== 'file') continue;
        const w = withoutCredentials(e.data.toString('utf8'));
        if (w.extraheaders + w.credentialIncludes === 0) continue;
        extraheaders += w.extraheaders;
        credentialIncludes += w.credentialIncludes;
        given.set(p, Buffer.from(w.text));
        writeFileSync(p, w.text);
      }
    }
  }
  return {
    root,
    repositories: repositories.map((r) => r.gitDir),
    scan,
    items,
    watched,
    skeletons,
    anchors,
    withheld: { extraheaders, credentialIncludes },
    given,
    millis: performance.now() - started,
  };
}

/** The gitlinks of an index (and of its shared index), undefined when git could not read it; an absent index has none. */
function indexGitlinks(gitDir: string, indexPath: string, oidLength: 20 | 32): Set<string> | undefined {
  const e = readEntry(indexPath);
  if (e === undefined) return new Set();
  if (e.kind !== 'file') return undefined;
  const main = readIndexGitlinks(e.data, oidLength);
  if (!main) return undefined;
  const out = new Set(main.gitlinks);
  if (main.sharedIndex && !/^0+$/.test(main.sharedIndex)) {
    const shared = readEntry(join(gitDir, `sharedindex.${main.sharedIndex}`));
    const s = shared?.kind === 'file' ? readIndexGitlinks(shared.data, oidLength) : undefined;
    if (!s) return undefined;
    for (const g of s.gitlinks) out.add(g);
  }
  return out;
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'symlink') return a.target === (b as { target: string }).target;
  if (a.kind === 'file') return a.data.equals((b as { data: Buffer }).data) && a.mode === (b as { mode: number }).mode;
  if (a.kind === 'dir') return a.mode === (b as { mode: number }).mode;
  return true;
}

function sameDotGit(a: DotGitEntry, b: DotGitEntry | undefined): boolean {
  if (!b || a.kind !== b.kind) return false;
  if (a.kind === 'dir') return a.dev === (b as { dev: number }).dev && a.ino === (b as { ino: number }).ino;
  if (a.kind === 'file') return a.data.equals((b as { data: Buffer }).data);
  if (a.kind === 'symlink') return a.target === (b as { target: string }).target;
  return true;
}

class Report {
  constructor(
    /** Worktree directories opened for the release, whose modes are put back afterwards. */
    readonly opened: Opened,
    readonly gitDirs: readonly string[],
  ) {}
  readonly restored = new Set<string>();
  readonly removed = new Set<string>();
  readonly unrestored = new Set<string>();
  readonly gitlinks = new Set<string>();
}

const uid = process.geteuid?.() ?? 0;

/**
 * Gives us (the owner, as the step was) rwx on a directory the step locked; root needs none. In a
 * git directory that stays (git must write there: a read-only .git makes checkout's post step
 * fail before it removes the token); in the worktree the mode is put back afterwards.
 */
function unlock(dir: string, report: Report): boolean {
  if (uid === 0) return false;
  const st = lstatOrUndefined(dir);
  const mode = Number(st?.mode ?? 0);
  if (!st?.isDirectory() || Number(st.uid) !== uid || (mode & 0o700) === 0o700) return false;
  chmodSync(dir, (mode & 0o7777) | 0o700);
  if (report.gitDirs.some((g) => inside(g, dir))) return true;
  report.opened.push([dir, mode & 0o7777]);
  return false;
}

/** Makes every directory from `anchor` down to `dir` a real directory again (no symlinks, no files) that we can write in. */
function repairDirChain(anchor: string, dir: string, report: Report): void {
  const rel = relative(anchor, dir);
  let cur = anchor;
  unlock(anchor, report);
  for (const part of rel === '' ? [] : rel.split(sep)) {
    cur = join(cur, part);
    const st = lstatOrUndefined(cur);
    if (st?.isDirectory()) {
      if (unlock(cur, report)) report.restored.add(cur); // the step made it unreadable or unwritable
      continue;
    }
    if (st) {
      report.restored.add(cur);
      rmSync(cur, { force: true }); // a symlink or file where a directory was: remove the link itself
    }
    mkdirSync(cur, { mode: 0o755 });
  }
}

/** For a path that did not exist: removes a symlink or file the step put where the path's directories would be. */
function breakFalseChain(anchor: string, dir: string, report: Report): void {
  const rel = relative(anchor, dir);
  let cur = anchor;
  for (const part of rel === '' ? [] : rel.split(sep)) {
    cur = join(cur, part);
    const st = lstatOrUndefined(cur);
    if (!st) return;
    if (!st.isDirectory()) {
      rmSync(cur, { force: true });
      report.removed.add(cur);
      return;
    }
  }
}

function restore(p: string, e: Entry | undefined, report: Report): void {
  if (lstatOrUndefined(p)) removeTree(p, report);
  if (!e) return;
  if (e.kind === 'dir') {
    mkdirSync(p);
    chmodSync(p, e.mode);
  } else if (e.kind === 'symlink') symlinkSync(e.target, p);
  else if (e.kind === 'file') writeFileSync(p, e.data, { mode: e.mode, flag: 'wx' });
}

/** Removes a file or a whole tree, never following a symlink; directories the step locked are opened first. */
function removeTree(p: string, report: Report): void {
  unlock(dirname(p), report);
  try {
    rmSync(p, { recursive: true, force: true });
  } catch {
    const stack = [p];
    while (stack.length > 0) {
      const d = stack.pop() as string;
      if (!lstatOrUndefined(d)?.isDirectory()) continue;
      unlock(d, report);
      try {
        for (const name of readdirSync(d)) stack.push(join(d, name));
      } catch {
        /* not ours: rm below reports it */
      }
    }
    rmSync(p, { recursive: true, force: true });
  }
}

// The guard as JSON, for another process to release it: the Action's post step, when the runner
// killed the step's process before it could (the runner SIGKILLs it 10 s after its SIGINT). Buffers,
// Maps and Sets are tagged; nothing else in a guard is one.
const tagged = (key: string, value: unknown): unknown => ({ [key]: value });

export function serializeGuard(guard: GitGuard): string {
  return JSON.stringify(guard, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key]; // before Buffer's toJSON
    if (Buffer.isBuffer(raw)) return tagged('$buffer', raw.toString('base64'));
    if (raw instanceof Map) return tagged('$map', [...raw]);
    if (raw instanceof Set) return tagged('$set', [...raw]);
    return value;
  });
}

export function deserializeGuard(text: string): GitGuard {
  const guard = JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1) return value;
    const v = (value as Record<string, unknown>)[keys[0] as string];
    if (keys[0] === '$buffer' && typeof v === 'string') return Buffer.from(v, 'base64');
    if (keys[0] === '$map' && Array.isArray(v)) return new Map(v as Array<[unknown, unknown]>);
    if (keys[0] === '$set' && Array.isArray(v)) return new Set(v);
    return value;
  }) as GitGuard;
  if (typeof guard?.root !== 'string' || !(guard.items instanceof Map) || !(guard.scan?.dotGits instanceof Map) || !(guard.given instanceof Map)) {
    throw new Error('not a saved git guard');
  }
  return guard;
}

/**
 * After the step: restore every protected path (and the withheld credentials), remove every
 * repository the step created, and report what the step changed. Config files are compared with
 * what the step was given. `workspace` is kept for the callers; paths are reported relative to it.
 */
export function releaseGit(guard: GitGuard, workspace: string): GitCheck {
  const opened: Opened = [];
  try {
    return release(guard, workspace, opened);
  } finally {
    // Not those of protected directories: they got their modes from the snapshot.
    restoreModes(opened.filter(([d]) => guard.items.get(d)?.original?.kind !== 'dir'));
  }
}

function release(guard: GitGuard, workspace: string, opened: Opened): GitCheck {
  const started = performance.now();
  const report = new Report(opened, guard.repositories);
  const { root } = guard;
  const after = scanWorktree(root, opened);

  // Git directories outside the workspace that were replaced: not ours to write into any more.
  const lost = new Set<string>();
  for (const [dir, id] of guard.anchors) {
    const st = lstatOrUndefined(dir);
    if (!st?.isDirectory() || st.dev !== id.dev || st.ino !== id.ino || realOrUndefined(dir) !== dir) lost.add(dir);
  }

  // The `.git` entries that existed: a replacement (gitfile, symlink or directory pointing at a
  // prepared repository) is taken away; a gitfile or symlink is put back as it was; a directory
  // replaced by another directory keeps it, and what matters in it is restored below.
  for (const [p, before] of guard.scan.dotGits) {
    const now = after.dotGits.get(p) ?? readDotGit(p);
    if (sameDotGit(before, now)) continue;
    const original: Entry | undefined =
      before.kind === 'file' ? { kind: 'file', data: before.data, mode: before.mode } : before.kind === 'symlink' ? { kind: 'symlink', target: before.target } : undefined;
    if (now?.kind === 'dir' && before.kind === 'dir') {
      report.restored.add(p);
      continue;
    }
    if (now) removeTree(p, report);
    if (original) {
      restore(p, original, report);
      report.restored.add(p);
    } else report.unrestored.add(p); // the repository itself is gone: nothing to put back
  }
  // Repositories the step created: a `.git` is removed, a bare repository loses its HEAD (which is
  // what makes git take the directory for one; the rest of the directory may be the user's).
  for (const p of after.dotGits.keys()) {
    if (guard.scan.dotGits.has(p)) continue;
    removeTree(p, report);
    report.removed.add(p);
  }
  for (const b of after.bare) {
    if (guard.scan.bare.has(b)) continue;
    removeTree(join(b, 'HEAD'), report);
    report.removed.add(join(b, 'HEAD'));
  }
  for (const d of after.unlisted) if (!guard.scan.unlisted.has(d)) report.unrestored.add(d);

  // A protected git directory in the workspace that became a symlink or file points git elsewhere: removed.
  for (const r of guard.repositories) {
    const st = lstatOrUndefined(r);
    if (st && !st.isDirectory() && inside(root, r) && realChain(root, dirname(r))) {
      removeTree(r, report);
      report.unrestored.add(r);
    }
  }
  const present = (repo: string): boolean => !lost.has(repo) && realChain(inside(root, repo) ? root : repo, repo) && lstatOrUndefined(repo)?.isDirectory() === true;
  /** write: restore it; compare: report a change only; skip: its repository is gone (reported as such). */
  const access = (anchor: string | undefined, p: string): 'write' | 'compare' | 'skip' => {
    const repo = guard.repositories.filter((r) => inside(r, p)).sort((a, b) => b.length - a.length)[0];
    if (repo !== undefined && !present(repo)) return 'skip';
    if (anchor === undefined || lost.has(anchor)) return 'compare';
    return 'write';
  };

  // modules/ and worktrees/: whatever was not there before is the step's (a planted
  // modules/<name> is reused by a later `git submodule update`).
  for (const s of guard.skeletons) {
    if (access(s.anchor, s.root) !== 'write') continue;
    if (!realChain(s.anchor, dirname(s.root))) repairDirChain(s.anchor, dirname(s.root), report);
    const st = lstatOrUndefined(s.root);
    if (!st) continue;
    if (!st.isDirectory()) {
      removeTree(s.root, report); // a symlink to a prepared directory of repositories
      report.removed.add(s.root);
      continue;
    }
    removeNewInSkeleton(s.root, s.layout, report, opened);
    if (!s.existed) removeTree(s.root, report); // held only what was just removed and reported
  }

  const paths = new Map<string, Item>(guard.items);
  for (const w of guard.watched) {
    const how = access(w.anchor, w.dir);
    if (how === 'skip') continue;
    if (how === 'write' && w.anchor !== undefined) repairDirChain(w.anchor, w.dir, report);
    if (!lstatOrUndefined(w.dir)?.isDirectory()) continue;
    for (const p of listTree(w.dir, w.depth)) if (!paths.has(p)) paths.set(p, { path: p, anchor: w.anchor, original: undefined });
  }
  // Parents before children when restoring, children before parents when removing.
  for (const item of [...paths.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const p = item.path;
    const { original } = item;
    const how = access(item.anchor, p);
    if (how === 'skip') continue;
    if (how === 'write' && item.anchor !== undefined) {
      if (original) repairDirChain(item.anchor, dirname(p), report);
      else breakFalseChain(item.anchor, dirname(p), report);
    }
    const now = readEntry(p);
    if (item.index) {
      const links = now === undefined || now.kind === 'file' ? indexGitlinks(dirname(p), p, item.index.oidLength) : undefined;
      const added = links ? [...links].filter((g) => !item.index?.gitlinks.has(g)) : undefined;
      if (added?.length === 0) continue;
      for (const g of added ?? []) report.gitlinks.add(item.index.worktree ? join(item.index.worktree, g) : g);
      if (how === 'write') {
        restore(p, original, report);
        (original ? report.restored : report.removed).add(p);
      } else report.unrestored.add(p);
      continue;
    }
    const given = guard.given.get(p);
    const expected: Entry | undefined = given && original?.kind === 'file' ? { kind: 'file', data: given, mode: original.mode } : original;
    const changed = !sameEntry(now, expected);
    if (how === 'compare') {
      if (changed) report.unrestored.add(p);
      continue;
    }
    if (changed) (original ? report.restored : report.removed).add(p);
    if (now?.kind === 'dir' && original?.kind === 'dir') {
      if (now.mode !== original.mode) chmodSync(p, original.mode);
    } else if (!sameEntry(now, original)) restore(p, original, report);
  }
  for (const r of guard.repositories) if (!present(r)) report.unrestored.add(r);

  const rel = (set: Set<string>): string[] => [...set].map((p) => relativeTo(root, workspace, p)).sort();
  const restored = rel(report.restored);
  const removed = rel(report.removed);
  const unrestored = rel(report.unrestored);
  return {
    changed: [...new Set([...restored, ...removed, ...unrestored])].sort(),
    restored,
    removed,
    unrestored,
    gitlinks: rel(report.gitlinks),
    millis: performance.now() - started,
  };
}

function removeNewInSkeleton(dir: string, layout: ReadonlyMap<string, SkeletonKind>, report: Report, opened: Opened): void {
  const list = listDir(dir, undefined, opened);
  if (!list) {
    report.unrestored.add(dir);
    return;
  }
  for (const e of list) {
    const p = join(dir, e.name);
    const before = layout.get(p);
    const kindNow: SkeletonKind = e.isDirectory() ? 'dir' : 'other';
    if (before === undefined || (before === 'other') !== (kindNow === 'other')) {
      removeTree(p, report);
      report.removed.add(p);
    } else if (before === 'dir') removeNewInSkeleton(p, layout, report, opened);
  }
}

function relativeTo(root: string, workspace: string, p: string): string {
  for (const base of [root, workspace]) {
    const r = relative(base, p);
    if (!(r.startsWith('..') || isAbsolute(r))) return r === '' ? '.' : r;
  }
  return p;
}
