// Protecting the checkout's git metadata around a sandboxed step. The workspace must be writable,
// and Landlock rights are inherited down a tree, so the kernel cannot keep .git/config and
// .git/hooks read-only while the workspace root stays writable. Instead: snapshot them before
// the step, compare afterwards, restore the originals and report every change (which fails the
// step). The checkout token is withheld from .git/config for the step and put back afterwards.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

type Entry = { kind: 'file'; data: Buffer; mode: number } | { kind: 'symlink'; target: string };

export interface GitGuard {
  readonly gitDir: string;
  readonly snapshot: ReadonlyMap<string, Entry>;
  /** Directories whose complete content is watched (new files there are changes too). */
  readonly watchedDirs: readonly string[];
  /** What was withheld from .git/config (counts, never values). */
  readonly withheld: { readonly extraheaders: number; readonly credentialIncludes: number };
}

export interface GitCheck {
  /** Paths (relative to the workspace) that the step changed, created or removed. */
  readonly changed: readonly string[];
}

/** The git directory of a workspace: .git, or what a .git file ("gitdir: ...") points to. */
export function findGitDir(workspace: string): string | undefined {
  const dotGit = join(workspace, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m?.[1]) return resolve(workspace, m[1].trim());
  } catch {
    return undefined;
  }
  return undefined;
}

function readEntry(p: string): Entry | undefined {
  try {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(p) };
    if (st.isFile()) return { kind: 'file', data: readFileSync(p), mode: st.mode & 0o7777 };
  } catch {
    return undefined;
  }
  return undefined;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** The files that decide what later git commands execute or where they talk to. */
function protectedPaths(gitDir: string): { files: string[]; dirs: string[] } {
  const files = [join(gitDir, 'config'), join(gitDir, 'config.worktree')];
  const dirs = [join(gitDir, 'hooks')];
  const modules = join(gitDir, 'modules');
  for (const f of listFiles(modules)) {
    const rel = relative(modules, f);
    if (/(^|\/)config$/.test(rel)) files.push(f);
  }
  for (const f of listFiles(modules)) {
    const m = /^(.*\/)?hooks\//.exec(relative(modules, f));
    if (m) {
      const d = join(modules, m[0].slice(0, -1));
      if (!dirs.includes(d)) dirs.push(d);
    }
  }
  return { files, dirs };
}

const EXTRAHEADER = /^\s*extraheader\s*=\s*"?AUTHORIZATION:/i;
const CREDENTIAL_INCLUDE = /^\s*path\s*=\s*"?.*git-credentials-[0-9a-fA-F-]+\.config"?\s*$/;

/** .git/config without the checkout's credentials (checkout <= v5 extraheader, >= v6 includeIf file). */
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
  if (!gitDir) return undefined;
  const { files, dirs } = protectedPaths(gitDir);
  const snapshot = new Map<string, Entry>();
  for (const f of [...files, ...dirs.flatMap(listFiles)]) {
    const e = readEntry(f);
    if (e) snapshot.set(f, e);
  }
  let withheld = { extraheaders: 0, credentialIncludes: 0 };
  const configPath = join(gitDir, 'config');
  const config = snapshot.get(configPath);
  if (opts.withholdCredentials && config?.kind === 'file') {
    const w = withoutCredentials(config.data.toString('utf8'));
    if (w.extraheaders + w.credentialIncludes > 0) {
      writeFileSync(configPath, w.text);
      withheld = { extraheaders: w.extraheaders, credentialIncludes: w.credentialIncludes };
    }
  }
  return { gitDir, snapshot, watchedDirs: dirs, withheld };
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'symlink' || b.kind === 'symlink') return a.kind === b.kind && (a as { target: string }).target === (b as { target: string }).target;
  return a.data.equals(b.data) && a.mode === b.mode;
}

/**
 * After the step: restore every protected file (including the withheld credentials) and report
 * what the step had changed. The config is compared against what the step was given.
 */
export function releaseGit(guard: GitGuard, workspace: string): GitCheck {
  const changed: string[] = [];
  const configPath = join(guard.gitDir, 'config');
  const given = (p: string): Entry | undefined => {
    const e = guard.snapshot.get(p);
    if (p === configPath && e?.kind === 'file' && guard.withheld.extraheaders + guard.withheld.credentialIncludes > 0) {
      return { kind: 'file', data: Buffer.from(withoutCredentials(e.data.toString('utf8')).text), mode: e.mode };
    }
    return e;
  };
  const current = new Set<string>([...guard.snapshot.keys()]);
  for (const d of guard.watchedDirs) for (const f of listFiles(d)) current.add(f);
  for (const p of current) {
    const now = readEntry(p);
    if (!sameEntry(now, given(p))) changed.push(relativeTo(workspace, p));
    const original = guard.snapshot.get(p);
    if (!sameEntry(now, original)) restore(p, original);
  }
  return { changed: changed.sort() };
}

function restore(p: string, e: Entry | undefined): void {
  if (existsSync(p) || isSymlink(p)) rmSync(p, { force: true, recursive: true });
  if (!e) return;
  mkdirSync(dirname(p), { recursive: true });
  if (e.kind === 'symlink') symlinkSync(e.target, p);
  else writeFileSync(p, e.data, { mode: e.mode });
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function relativeTo(workspace: string, p: string): string {
  const r = relative(workspace, p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
}

