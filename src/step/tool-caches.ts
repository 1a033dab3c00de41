// Build caches that tools keep under HOME, for a sandboxed step. HOME is readable but never
// writable from inside: a cache the step could write is a channel into later steps (a poisoned
// object that an unsandboxed build picks up). Tools that can work from a read-only cache use it in
// place. Go cannot (it writes its module index and every new build result into GOCACHE), and a
// cold cache makes `go test` many times slower, so the step gets a private copy of the user's Go
// build cache in its own TMPDIR: warm, and whatever the step writes there is gone with the step.
// Only for a step in a Go project: the copy costs every other step its time (70 MB: ~0.7 s).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Above this size the copy would cost more than a cold build saves: the step starts cold. */
export const GO_CACHE_COPY_LIMIT = 512 * 1024 * 1024;

export interface SeededCache {
  readonly env: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/** Where `go` keeps its build cache for this environment (go env GOCACHE's default rule). */
export function goBuildCache(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GOCACHE) return env.GOCACHE === 'off' ? undefined : env.GOCACHE;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'go-build') : undefined;
}

/** Total size of the files of a Go build cache (its 256 subdirectories, one level deep), or undefined. */
function cacheSize(dir: string, limit: number): number | undefined {
  let total = 0;
  try {
    for (const sub of readdirSync(dir)) {
      const d = join(dir, sub);
      if (!statSync(d).isDirectory()) continue;
      for (const f of readdirSync(d)) {
        total += statSync(join(d, f)).size;
        if (total > limit) return total;
      }
    }
  } catch {
    return undefined;
  }
  return total;
}

/** How deep below each project directory a go.mod or go.work is looked for. */
export const GO_PROJECT_DEPTH = 3;
const NOT_SEARCHED = new Set(['node_modules', 'vendor', 'testdata']);

/**
 * Whether a Go module or workspace (go.mod, go.work) is in one of `dirs` or up to `depth`
 * levels below it (hidden directories, node_modules, vendor and testdata not searched).
 */
export function inGoProject(dirs: readonly string[], depth = GO_PROJECT_DEPTH): boolean {
  const search = (dir: string, left: number): boolean => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    if (entries.some((e) => (e.name === 'go.mod' || e.name === 'go.work') && !e.isDirectory())) return true;
    if (left === 0) return false;
    return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_SEARCHED.has(e.name) && search(join(dir, e.name), left - 1));
  };
  return dirs.some((d) => search(d, depth));
}

/**
 * A private, warm GOCACHE for the step when the user has a Go build cache (and did not choose a
 * GOCACHE for the step themselves) and the step runs in a Go project (`projectDirs`: its workspace
 * and working directory): copied into `tmp`, which the step may write.
 */
export function seedGoCache(tmp: string, callerEnv: Readonly<Record<string, string | undefined>>, chosenByUser: boolean, projectDirs: readonly string[]): SeededCache {
  const own = join(tmp, 'go-build');
  if (chosenByUser) return { env: {}, notes: [] };
  const source = goBuildCache(callerEnv);
  if (!source || !existsSync(source)) return { env: { GOCACHE: own }, notes: [] };
  if (!inGoProject(projectDirs)) {
    return { env: { GOCACHE: own }, notes: [`Go build cache ${source} not copied: no go.mod or go.work within ${GO_PROJECT_DEPTH} levels of ${projectDirs.join(', ')} (a go build here starts cold)`] };
  }
  const size = cacheSize(source, GO_CACHE_COPY_LIMIT);
  if (size === undefined || size > GO_CACHE_COPY_LIMIT) {
    return { env: { GOCACHE: own }, notes: [`Go build cache ${source} is larger than ${GO_CACHE_COPY_LIMIT >> 20} MiB: the step builds with a private, empty GOCACHE`] };
  }
  try {
    // cp(1): a copy-on-write clone where the filesystem has them, else a plain copy.
    execFileSync('cp', ['-a', '--reflink=auto', source, own], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return { env: { GOCACHE: own }, notes: [`could not copy the Go build cache ${source} (${(e as Error).message.split('\n')[0]}): the step builds with a private, empty GOCACHE`] };
  }
  return { env: { GOCACHE: own }, notes: [`GOCACHE: a private copy of ${source} (${(size / 1048576).toFixed(1)} MiB), warm and writable, gone with the step`] };
}
