// Finding every repository a later git command could enter in the workspace: each `.git` entry
// (directory, gitfile, symlink) and each directory git would take for a bare repository (git looks
// for `.git` and then for HEAD + objects + refs in every directory from its cwd upwards, and
// safe.bareRepository defaults to `all`). One walk lists every directory, never follows a
// symlink, never descends into a `.git`, and is iterative (a hostile tree may be very deep).
// Its cost is one getdents per directory (≈ 0.1 s for 100k files); a step that makes the walk
// slow has spent longer creating the entries than the walk spends reading them.
import { chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export type DotGitEntry =
  | { readonly kind: 'dir'; readonly dev: number; readonly ino: number }
  | { readonly kind: 'file'; readonly data: Buffer; readonly mode: number }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'other' };

export interface WorktreeScan {
  /** Every `.git` entry below the root (the root's own included), by path. */
  readonly dotGits: ReadonlyMap<string, DotGitEntry>;
  /** Directories that git would discover as a bare repository. */
  readonly bare: ReadonlySet<string>;
  /** Directories that could not be listed even after making them readable (not ours). */
  readonly unlisted: ReadonlySet<string>;
  readonly dirs: number;
  readonly entries: number;
}

const uid = process.geteuid?.() ?? 0;

/** Directories opened for the guard's reads, with the modes to put back when it is done. */
export type Opened = Array<[string, number]>;

/**
 * Reads a directory. One that is ours but not readable, or below one not searchable, is opened
 * (u+rx): the step may hide a repository there (we are the same user). The guard puts the modes
 * back when it is done with the tree (`restoreModes`), so that it can remove or restore inside.
 */
export function listDir(dir: string, parent: string | undefined, opened: Opened): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES' || uid === 0) return undefined;
  }
  try {
    for (const d of parent === undefined ? [dir] : [parent, dir]) {
      const st = lstatSync(d);
      if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o500) === 0o500) continue;
      chmodSync(d, (st.mode & 0o7777) | 0o500);
      opened.push([d, st.mode & 0o7777]);
    }
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

export function restoreModes(opened: Opened): void {
  for (const [d, mode] of [...opened].reverse()) {
    try {
      chmodSync(d, mode);
    } catch {
      /* gone meanwhile (removed as the step's): nothing to put back */
    }
  }
  opened.length = 0;
}

/** What a `.git` entry is; undefined when there is none. */
export function readDotGit(p: string): DotGitEntry | undefined {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return undefined;
  }
  try {
    if (st.isDirectory()) return { kind: 'dir', dev: st.dev, ino: st.ino };
    if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(p) };
    if (st.isFile()) return { kind: 'file', data: readFileSync(p), mode: st.mode & 0o7777 };
  } catch {
    /* unreadable gitfile: as good as a changed one */
  }
  return { kind: 'other' };
}

/** git's validate_headref: a symlink, `ref: refs/...`, or an object name. */
export function looksLikeHead(p: string): boolean {
  try {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return true;
    if (!st.isFile()) return false;
    const head = readFileSync(p, { encoding: 'latin1' }).slice(0, 80);
    return /^ref:\s*refs\//.test(head) || /^[0-9a-f]{40}(?:[0-9a-f]{24})?\s*$/.test(head);
  } catch {
    return false;
  }
}

/** Whether a directory listing is that of a repository git would use (is_git_directory). */
export function isRepositoryListing(dir: string, entries: readonly Dirent[]): boolean {
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('HEAD')) return false;
  const linked = names.has('commondir'); // objects and refs come from the common directory then
  if (!linked && !(names.has('objects') && names.has('refs'))) return false;
  return looksLikeHead(join(dir, 'HEAD'));
}

export function scanWorktree(root: string, opened: Opened): WorktreeScan {
  const dotGits = new Map<string, DotGitEntry>();
  const bare = new Set<string>();
  const unlisted = new Set<string>();
  let dirs = 0;
  let entries = 0;
  const stack: Array<[string, string | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [dir, parent] = stack.pop() as [string, string | undefined];
    const list = listDir(dir, parent, opened);
    if (!list) {
      unlisted.add(dir);
      continue;
    }
    dirs++;
    entries += list.length;
    for (const e of list) {
      if (e.name === '.git') {
        const p = join(dir, e.name);
        dotGits.set(p, readDotGit(p) ?? { kind: 'other' });
      } else if (e.isDirectory()) {
        stack.push([join(dir, e.name), dir]);
      }
    }
    if (list.some((e) => e.name === 'HEAD') && isRepositoryListing(dir, list)) bare.add(dir);
  }
  return { dotGits, bare, unlisted, dirs, entries };
}

/** The path a gitfile (`gitdir: <path>`) points to, resolved against its directory. */
export function gitfileTarget(data: Buffer): string | undefined {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(data.toString('utf8'));
  return m?.[1];
}

export type SkeletonKind = 'dir' | 'repo' | 'other';

/**
 * The layout of a directory of repositories (`.git/modules`, whose names may contain slashes, or
 * `.git/worktrees`): the directories leading to repositories and the repositories themselves,
 * whose insides are not listed. `depth` 1 means only direct children can be repositories.
 */
export function listSkeleton(root: string, opened: Opened, opts: { readonly depth?: number | undefined } = {}): Map<string, SkeletonKind> {
  const out = new Map<string, SkeletonKind>();
  const stack: Array<[string, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [dir, depth] = stack.pop() as [string, number];
    const list = listDir(dir, undefined, opened);
    if (!list) continue;
    for (const e of list) {
      const p = join(dir, e.name);
      if (!e.isDirectory()) {
        out.set(p, 'other');
        continue;
      }
      const inner = listDir(p, dir, opened) ?? [];
      // Anything with git's own files in it counts as a repository: git would treat it as one,
      // or reuse it as one (`git submodule update` takes an existing modules/<name>).
      const repo = (opts.depth !== undefined && depth + 1 >= opts.depth) || inner.some((i) => ['HEAD', 'config', 'commondir', 'objects', 'refs', 'hooks'].includes(i.name));
      out.set(p, repo ? 'repo' : 'dir');
      if (!repo) stack.push([p, depth + 1]);
    }
  }
  return out;
}
