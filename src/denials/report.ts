// Denials: what the sandbox refused, from whichever source saw it (Landlock audit records, strace),
// folded into one entry per right and object, each with the smallest flag that would allow it.
// Pure: sources hand in what they observed; path facts come through a callback.
import { flagText, type PolicyEntry, type PolicyKey } from '../policy/vocabulary.js';

export type DenialObject =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'net'; readonly port: number; readonly addr?: string | undefined }
  | { readonly kind: 'scope'; readonly target?: string | undefined }
  | { readonly kind: 'seccomp'; readonly what: string };

export interface Denial {
  /** e.g. fs.read_file, fs.make_reg, net.connect_tcp, scope.signal, seccomp.udp */
  readonly rights: readonly string[];
  /** For creations and removals: the parent directory, as Landlock reports it. */
  readonly object: DenialObject;
  readonly comm?: string | undefined;
  readonly pid?: number | undefined;
}

export interface DenialEntry {
  readonly rights: readonly string[];
  readonly object: DenialObject;
  readonly processes: readonly string[];
  readonly count: number;
}

export function objectText(o: DenialObject): string {
  switch (o.kind) {
    case 'path':
      return o.path;
    case 'net':
      return `${o.addr ?? '*'}:${o.port}`;
    case 'scope':
      return o.target ?? 'outside the sandbox';
    case 'seccomp':
      return o.what;
  }
}

/** One entry per (rights, object), counting repeats and listing the processes. */
export function aggregate(denials: readonly Denial[]): DenialEntry[] {
  const map = new Map<string, { rights: string[]; object: DenialObject; processes: Set<string>; count: number }>();
  for (const d of denials) {
    const rights = [...d.rights].sort();
    const key = `${rights.join(',')}|${d.object.kind}|${objectText(d.object)}`;
    const e = map.get(key) ?? { rights, object: d.object, processes: new Set<string>(), count: 0 };
    e.count++;
    if (d.comm) e.processes.add(d.pid !== undefined ? `${d.comm}[${d.pid}]` : d.comm);
    map.set(key, e);
  }
  return [...map.values()]
    .map((e) => ({ rights: e.rights, object: e.object, processes: [...e.processes].slice(0, 5), count: e.count }))
    .sort((a, b) => objectText(a.object).localeCompare(objectText(b.object)) || a.rights.join().localeCompare(b.rights.join()));
}

export interface Suggestion {
  /** The grant, in the policy vocabulary: rendered as a flag (--ro /x) or an input (ro: /x) where shown. */
  readonly entry: PolicyEntry;
  /** Grants much more than what was denied (/, HOME, the whole network): said, never learned silently. */
  readonly wide: boolean;
  readonly because: readonly DenialEntry[];
  readonly note?: string | undefined;
}

export interface SuggestContext {
  readonly isDirectory: (path: string) => boolean;
  readonly exists: (path: string) => boolean;
  readonly home?: string | undefined;
  /** Group this many denied files of one directory into a grant of the directory. */
  readonly directoryThreshold?: number;
  /** Why a path must never be granted (a secret, the runner's files), or undefined. */
  readonly forbidden?: (path: string) => string | undefined;
}

/** Directories whose write grant hands over the system (or all of a user's files). */
const SYSTEM_DIRS = ['/', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/opt', '/var', '/boot', '/root', '/home', '/srv', '/proc', '/sys', '/dev'];

const WRITE_RIGHTS = new Set([
  'fs.write_file',
  'fs.truncate',
  'fs.make_reg',
  'fs.make_dir',
  'fs.make_sym',
  'fs.make_sock',
  'fs.make_fifo',
  'fs.make_char',
  'fs.make_block',
  'fs.remove_file',
  'fs.remove_dir',
  'fs.refer',
  'fs.ioctl_dev',
]);

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function nearestExisting(path: string, exists: (p: string) => boolean): string {
  let p = path;
  while (p !== '/' && !exists(p)) p = parentOf(p);
  return p;
}

/** The smallest flags that would have allowed every entry, preferring a directory to a flood of files. */
export function suggest(entries: readonly DenialEntry[], ctx: SuggestContext): Suggestion[] {
  const threshold = ctx.directoryThreshold ?? 3;
  const out: Suggestion[] = [];
  const pathGrants = new Map<string, { option: string; entries: DenialEntry[] }>();
  const addPath = (option: string, path: string, e: DenialEntry): void => {
    const key = `${option} ${path}`;
    const g = pathGrants.get(key) ?? { option, entries: [] };
    g.entries.push(e);
    pathGrants.set(key, g);
  };
  const ports = new Map<string, DenialEntry[]>();
  for (const e of entries) {
    const o = e.object;
    if (o.kind === 'path') {
      const exec = e.rights.includes('fs.execute');
      const write = e.rights.some((r) => WRITE_RIGHTS.has(r));
      const path = nearestExisting(o.path, ctx.exists);
      addPath(write ? (exec ? '--rwx' : '--rw') : exec ? '--rox' : e.rights.includes('fs.resolve_unix') ? '--unix' : '--ro', path, e);
    } else if (o.kind === 'net') {
      for (const r of e.rights) {
        const option = r === 'net.bind_tcp' ? '--bind-tcp' : '--connect-tcp';
        const list = ports.get(`${option} ${o.port}`) ?? [];
        list.push(e);
        ports.set(`${option} ${o.port}`, list);
      }
    } else if (o.kind === 'scope') {
      out.push({ entry: { key: 'unrestricted-scoped', value: 'true' }, wide: true, because: [e], note: 'Landlock scopes are all or nothing: this lets the sandbox signal and reach abstract sockets outside it' });
    } else if (o.what === 'unix sockets') {
      out.push({ entry: { key: 'allow-unix-sockets', value: 'true' }, wide: true, because: [e], note: 'socket(AF_UNIX) is refused below Landlock ABI 9 (no per-path rules); --unix PATH or this flag allows all unix sockets, the docker socket included' });
    } else {
      const dns = o.what === 'udp' ? ' (for host names, --allow-dns resolves over TCP instead)' : '';
      out.push({ entry: { key: 'unrestricted-network', value: 'true' }, wide: true, because: [e], note: `${o.what} is closed by the seccomp filter; only --unrestricted-network opens it${dns}` });
    }
  }
  // Read grants: a directory that has several denied files becomes one --ro DIR.
  const readByDir = new Map<string, string[]>();
  for (const [key, g] of pathGrants) {
    if (g.option !== '--ro') continue;
    const path = key.slice(g.option.length + 1);
    if (ctx.isDirectory(path)) continue;
    const dir = parentOf(path);
    readByDir.set(dir, [...(readByDir.get(dir) ?? []), path]);
  }
  for (const [dir, files] of readByDir) {
    if (files.length < threshold) continue;
    const merged: DenialEntry[] = [];
    for (const f of files) {
      merged.push(...(pathGrants.get(`--ro ${f}`)?.entries ?? []));
      pathGrants.delete(`--ro ${f}`);
    }
    const prev = pathGrants.get(`--ro ${dir}`);
    pathGrants.set(`--ro ${dir}`, { option: '--ro', entries: [...(prev?.entries ?? []), ...merged] });
  }
  // A grant on a directory covers the same or a smaller grant beneath it.
  const strength: Record<string, number> = { '--ro': 1, '--rox': 2, '--rw': 2, '--rwx': 3 };
  const covers = (outer: string, inner: string): boolean =>
    outer === inner || outer === '--rwx' || (outer === '--rw' && inner === '--ro') || (outer === '--rox' && inner === '--ro');
  for (const [key, g] of [...pathGrants]) {
    if (!(g.option in strength)) continue;
    const path = key.slice(g.option.length + 1);
    const covering = [...pathGrants.keys()].find((k) => {
      if (k === key) return false;
      const [opt, p] = [k.slice(0, k.indexOf(' ')), k.slice(k.indexOf(' ') + 1)];
      return covers(opt, g.option) && (path === p || path.startsWith(`${p === '/' ? '' : p}/`));
    });
    if (covering) {
      pathGrants.get(covering)?.entries.push(...g.entries);
      pathGrants.delete(key);
    }
  }
  for (const [key, g] of pathGrants) {
    const value = key.slice(g.option.length + 1);
    const forbidden = ctx.forbidden?.(value);
    const writes = g.option === '--rw' || g.option === '--rwx';
    const wide = forbidden !== undefined || value === '/' || (ctx.home !== undefined && value === ctx.home) || (writes && SYSTEM_DIRS.includes(value));
    const note = forbidden ?? (wide ? `this grants ${writes ? 'write access to ' : ''}all of ${value}` : undefined);
    out.push({ entry: { key: g.option.slice(2) as PolicyKey, value }, wide, because: g.entries, note });
  }
  for (const [key, es] of ports) out.push({ entry: { key: key.split(' ')[0]?.slice(2) as PolicyKey, value: key.split(' ')[1] as string }, wide: false, because: es });
  return out.sort((a, b) => flagText(a.entry).localeCompare(flagText(b.entry)));
}

export type DenialSource = 'audit' | 'trace' | 'none';

export interface DenialReport {
  readonly source: DenialSource;
  /** Why this source (or why no source could be used). */
  readonly sourceNote: string;
  readonly entries: readonly DenialEntry[];
  readonly suggestions: readonly Suggestion[];
  /** Denials the kernel counted that no record showed (audit: the domain's denials=N). */
  readonly unseen: number;
}
