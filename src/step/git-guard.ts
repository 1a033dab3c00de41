// Protecting the checkout's git metadata around a sandboxed step. The workspace must be writable,
// and Landlock rights are inherited down a tree, so the kernel cannot keep .git's configuration and
// hooks read-only while the workspace root stays writable. Instead: snapshot them before the step,
// compare afterwards, restore the originals and report every change (which fails the step). The
// checkout token is withheld from the config files for the step and put back afterwards.
//
// Everything here treats the tree as hostile: it was writable by the sandbox. Nothing follows a
// symlink (a planted .git/hooks -> ~/.ssh must not make the restore delete ~/.ssh), a directory the
// step made unreadable counts as changed, and files are recreated with O_EXCL.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

type Entry = { kind: 'file'; data: Buffer; mode: number } | { kind: 'symlink'; target: string } | { kind: 'dir'; mode: number } | { kind: 'other' };

export interface GitGuard {
  readonly gitDir: string;
  /** `.git` in the workspace: a directory, or a gitfile pointing elsewhere. */
  readonly dotGit: { readonly path: string; readonly ino: number; readonly dev: number; readonly entry: Entry };
  readonly snapshot: ReadonlyMap<string, Entry>;
  /** Directories whose complete content is watched (new files there are changes too). */
  readonly watchedDirs: readonly string[];
  /** Every protected path, present at the start or not (a file that appears is a change too). */
  readonly protectedFiles: readonly string[];
  /** What was withheld from the config files (counts, never values). */
  readonly withheld: { readonly extraheaders: number; readonly credentialIncludes: number };
  /** The config files as the step was given them (credentials withheld). */
  readonly given: ReadonlyMap<string, Buffer>;
}

export interface GitCheck {
  /** Paths (relative to the workspace) that the step changed, created or removed. */
  readonly changed: readonly string[];
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** The git directory of a workspace: .git, or what a .git file ("gitdir: ...") points to. */
export function findGitDir(workspace: string): string | undefined {
  const dotGit = join(workspace, '.git');
  const st = lstatOrUndefined(dotGit);
  if (!st) return undefined;
  if (st.isDirectory()) return dotGit;
  if (!st.isFile()) return undefined;
  const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  return m?.[1] ? resolve(workspace, m[1].trim()) : undefined;
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
function listTree(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    out.push(p);
    if (lstatOrUndefined(p)?.isDirectory()) out.push(...listTree(p));
  }
  return out;
}

/** The files and directories that decide what later git commands execute or where they talk to. */
function protectedPaths(gitDir: string): { files: string[]; dirs: string[] } {
  const perRepo = (root: string): { files: string[]; dirs: string[] } => ({
    files: ['config', 'config.worktree', 'commondir', 'objects/info/alternates', 'objects/info/http-alternates'].map((f) => join(root, f)),
    dirs: ['hooks', 'info'].map((d) => join(root, d)),
  });
  const files: string[] = [];
  const dirs: string[] = [];
  const add = (r: { files: string[]; dirs: string[] }): void => {
    files.push(...r.files);
    dirs.push(...r.dirs);
  };
  add(perRepo(gitDir));
  // Submodules keep a repository each under modules/, possibly nested.
  const modules = join(gitDir, 'modules');
  if (lstatOrUndefined(modules)?.isDirectory()) {
    for (const p of listTree(modules)) if (p.endsWith(`${sep}config`) && lstatOrUndefined(p)?.isFile()) add(perRepo(dirname(p)));
  }
  return { files, dirs };
}

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

export function guardGit(workspace: string, opts: { withholdCredentials: boolean }): GitGuard | undefined {
  const gitDir = findGitDir(workspace);
  if (!gitDir || !lstatOrUndefined(gitDir)?.isDirectory()) return undefined;
  const dotGitPath = join(workspace, '.git');
  const dotGitStat = lstatSync(dotGitPath);
  const { files, dirs } = protectedPaths(gitDir);
  const snapshot = new Map<string, Entry>();
  for (const p of [...files, ...dirs]) {
    const e = readEntry(p);
    if (e) snapshot.set(p, e);
  }
  for (const d of dirs) {
    if (snapshot.get(d)?.kind !== 'dir') continue;
    for (const p of listTree(d)) {
      const e = readEntry(p);
      if (e) snapshot.set(p, e);
    }
  }
  let extraheaders = 0;
  let credentialIncludes = 0;
  const given = new Map<string, Buffer>();
  for (const [p, e] of snapshot) {
    if (e.kind !== 'file' || !(p.endsWith(`${sep}config`) || p.endsWith(`${sep}config.worktree`))) continue;
    if (!opts.withholdCredentials) continue;
    const w = withoutCredentials(e.data.toString('utf8'));
    if (w.extraheaders + w.credentialIncludes === 0) continue;
    extraheaders += w.extraheaders;
    credentialIncludes += w.credentialIncludes;
    given.set(p, Buffer.from(w.text));
    writeFileSync(p, w.text);
  }
  return {
    gitDir,
    dotGit: { path: dotGitPath, ino: dotGitStat.ino, dev: dotGitStat.dev, entry: readEntry(dotGitPath) ?? { kind: 'other' } },
    snapshot,
    watchedDirs: dirs.filter((d) => snapshot.get(d)?.kind === 'dir'),
    protectedFiles: [...files, ...dirs],
    withheld: { extraheaders, credentialIncludes },
    given,
  };
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'symlink') return a.target === (b as { target: string }).target;
  if (a.kind === 'file') return a.data.equals((b as { data: Buffer }).data) && a.mode === (b as { mode: number }).mode;
  if (a.kind === 'dir') return a.mode === (b as { mode: number }).mode;
  return true;
}

/** Makes every directory from `root` down to `dir` a real directory again (no symlinks, no files). */
function repairDirChain(root: string, dir: string, changed: Set<string>): void {
  const rel = relative(root, dir);
  let cur = root;
  for (const part of rel === '' ? [] : rel.split(sep)) {
    cur = join(cur, part);
    const st = lstatOrUndefined(cur);
    if (st?.isDirectory()) {
      try {
        readdirSync(cur);
      } catch {
        chmodSync(cur, 0o755); // the step made it unreadable (we own it: same user)
        changed.add(cur);
      }
      continue;
    }
    if (st) {
      changed.add(cur);
      rmSync(cur, { force: true }); // a symlink or file where a directory was: remove the link itself
    }
    mkdirSync(cur, { mode: 0o755 });
  }
}

function restore(p: string, e: Entry | undefined): void {
  const st = lstatOrUndefined(p);
  if (st) rmSync(p, { force: true, recursive: st.isDirectory() }); // rm never follows a final symlink
  if (!e) return;
  if (e.kind === 'dir') {
    mkdirSync(p);
    chmodSync(p, e.mode);
  }
  else if (e.kind === 'symlink') symlinkSync(e.target, p);
  else if (e.kind === 'file') writeFileSync(p, e.data, { mode: e.mode, flag: 'wx' });
}

/**
 * After the step: restore every protected path (and the withheld credentials) and report what the
 * step changed. Config files are compared with what the step was given.
 */
export function releaseGit(guard: GitGuard, workspace: string): GitCheck {
  const changed = new Set<string>();
  // `.git` itself replaced (by a gitfile or symlink pointing at a prepared repository, or moved away):
  // the configuration later steps would read is someone else's. Take the replacement away.
  const dotGitNow = lstatOrUndefined(guard.dotGit.path);
  if (!dotGitNow || dotGitNow.ino !== guard.dotGit.ino || dotGitNow.dev !== guard.dotGit.dev || !sameEntry(readEntry(guard.dotGit.path), guard.dotGit.entry)) {
    changed.add(guard.dotGit.path);
    if (dotGitNow && !dotGitNow.isDirectory()) rmSync(guard.dotGit.path, { force: true });
    if (guard.dotGit.entry.kind === 'file' && !lstatOrUndefined(guard.dotGit.path)) restore(guard.dotGit.path, guard.dotGit.entry);
  }
  if (!lstatOrUndefined(guard.gitDir)?.isDirectory()) {
    changed.add(guard.gitDir);
    return { changed: [...changed].map((p) => relativeTo(workspace, p)).sort() };
  }
  for (const d of guard.watchedDirs) repairDirChain(guard.gitDir, d, changed);
  const paths = new Set<string>([...guard.snapshot.keys(), ...guard.protectedFiles]);
  for (const p of guard.snapshot.keys()) repairDirChain(guard.gitDir, dirname(p), changed);
  for (const d of guard.watchedDirs) for (const p of listTree(d)) paths.add(p);
  // Parents before children when restoring, children before parents when removing.
  for (const p of [...paths].sort()) {
    const original = guard.snapshot.get(p);
    const now = readEntry(p);
    const given = guard.given.get(p);
    const expected: Entry | undefined = given && original?.kind === 'file' ? { kind: 'file', data: given, mode: original.mode } : original;
    if (!sameEntry(now, expected)) changed.add(p);
    if (now?.kind === 'dir' && original?.kind === 'dir') {
      if (now.mode !== original.mode) chmodSync(p, original.mode);
    } else if (!sameEntry(now, original)) restore(p, original);
  }
  return { changed: [...changed].map((p) => relativeTo(workspace, p)).sort() };
}

function relativeTo(workspace: string, p: string): string {
  const r = relative(workspace, p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
}
