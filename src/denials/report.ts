// Denials: what the sandbox refused, from whichever source saw it (Landlock audit records, strace),
// folded into one entry per right and object, each with the smallest grant that would allow it.
// Three kinds of grant: plain ones (learn mode adds them), wide ones (/, HOME, the network
// wholesale) and ones that need the user's decision (writes or execute outside the workspace and
// TMPDIR, HOME dotfiles, credentials, /proc, unusual devices, per-run paths); learn adds neither.
// Refusals a program tolerates by design (glibc asking nscd, netlink route probes, a shell looking
// for its terminal) are kept apart and never suggested.
// Pure: sources hand in what they observed; path facts come through callbacks.
import { isBeneath } from '../landlock/plan.js';
import { HOME_SECRETS } from '../policy/presets.js';
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
  /** Why the program carries on without it by design (the source saw what it did next). */
  readonly tolerated?: string | undefined;
  /** A UDP socket of a task that had read the resolver's configuration: DNS. */
  readonly resolver?: boolean | undefined;
}

export interface DenialEntry {
  readonly rights: readonly string[];
  readonly object: DenialObject;
  readonly processes: readonly string[];
  readonly count: number;
  /** Set for refusals the program tolerates by design: shown apart, never suggested. */
  readonly tolerated?: string | undefined;
  readonly resolver?: boolean | undefined;
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

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox', 'fish']);
const NSCD_SOCKETS = ['/run/nscd/socket', '/var/run/nscd/socket'];
/** What libselinux (linked into coreutils, sed, systemd tools) reads to see whether SELinux is on. */
const SELINUX_PROBES = ['/proc/filesystems', '/proc/mounts'];

/** Refusals known to be harmless from what was refused alone; the trace parser adds the ones it sees by sequence. */
export function toleratedBy(d: Denial): string | undefined {
  if (d.tolerated) return d.tolerated;
  const o = d.object;
  if (o.kind === 'path' && o.path === '/dev/tty' && d.comm !== undefined && SHELLS.has(d.comm) && d.rights.every((r) => r === 'fs.read_file' || r === 'fs.write_file')) {
    return 'the shell looks for a controlling terminal and carries on without one';
  }
  if (o.kind === 'path' && SELINUX_PROBES.includes(o.path) && d.rights.every((r) => r === 'fs.read_file')) {
    return 'libselinux looks for a mounted SELinux file system and carries on without one';
  }
  if (o.kind === 'path' && NSCD_SOCKETS.includes(o.path)) return "glibc asks the name service cache daemon first and falls back to its own files";
  if (o.kind === 'seccomp' && o.what === 'netlink route sockets') {
    return 'glibc and libuv list the network interfaces this way and carry on without them (if the program needs them: --unrestricted-network)';
  }
  return undefined;
}

/** One entry per (rights, object), counting repeats and listing the processes. */
export function aggregate(denials: readonly Denial[]): DenialEntry[] {
  const map = new Map<string, { rights: string[]; object: DenialObject; processes: Set<string>; count: number; tolerated?: string; resolver?: boolean }>();
  for (const d of denials) {
    const rights = [...d.rights].sort();
    const tolerated = toleratedBy(d);
    const key = `${rights.join(',')}|${d.object.kind}|${objectText(d.object)}|${tolerated ?? ''}`;
    const e = map.get(key) ?? { rights, object: d.object, processes: new Set<string>(), count: 0, ...(tolerated ? { tolerated } : {}) };
    e.count++;
    if (d.resolver) e.resolver = true;
    if (d.comm) e.processes.add(d.pid !== undefined ? `${d.comm}[${d.pid}]` : d.comm);
    map.set(key, e);
  }
  return [...map.values()]
    .map((e) => ({
      rights: e.rights,
      object: e.object,
      processes: [...e.processes].slice(0, 5),
      count: e.count,
      ...(e.tolerated ? { tolerated: e.tolerated } : {}),
      ...(e.resolver ? { resolver: true } : {}),
    }))
    .sort((a, b) => objectText(a.object).localeCompare(objectText(b.object)) || a.rights.join().localeCompare(b.rights.join()));
}

export interface Suggestion {
  /**
   * The grant, in the policy vocabulary and written the way a user would write it: workspace
   * paths relative (`./out`), HOME paths as `~/…`. Rendered as a flag (--ro ./out) or an input
   * (ro: ./out) where shown.
   */
  readonly entry: PolicyEntry;
  /** Grants much more than what was denied (/, HOME, the whole network): said, never learned. */
  readonly wide: boolean;
  /** Why this needs the user's decision (writes outside the workspace, a dotfile, ...): never learned. */
  readonly decide?: string | undefined;
  readonly because: readonly DenialEntry[];
  readonly note?: string | undefined;
}

/** Whether learn mode may add it on its own. */
export const learnable = (s: Suggestion): boolean => !s.wide && s.decide === undefined;

export interface SuggestContext {
  readonly isDirectory: (path: string) => boolean;
  readonly exists: (path: string) => boolean;
  readonly home?: string | undefined;
  /** The workspace (the CLI: its working directory): suggestions beneath it are written `./…`. */
  readonly workspace?: string | undefined;
  /** The run's private directories (its TMPDIR): a new one every run, granted by the preset. */
  readonly privateDirs?: readonly string[];
  /** Whether a directory was created after the run (or learning) began: a per-run directory. */
  readonly createdDuringRun?: (path: string) => boolean;
  /** Where execute may be learned besides the workspace and TMPDIR (what the ci preset makes executable). */
  readonly execDirs?: readonly string[];
  /** The kernel's ephemeral port range (net.ipv4.ip_local_port_range). */
  readonly ephemeralPorts?: readonly [number, number];
  /** Group this many denied files of one directory into a grant of the directory. */
  readonly directoryThreshold?: number;
  /** Why a path must never be granted (a secret, the runner's files), or undefined. */
  readonly forbidden?: (path: string) => string | undefined;
}

/** Directories whose write grant hands over the system (or all of a user's files). */
const SYSTEM_DIRS = ['/', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/opt', '/var', '/boot', '/root', '/home', '/srv', '/proc', '/sys', '/dev'];
/** A denied file here stays a file: its directory holds other people's, the system's or secret things. */
const NO_FOLD = ['/', '/home', '/root', '/tmp', '/var/tmp', '/dev', '/dev/shm', '/proc', '/run', '/var/run', '/etc', '/var', '/mnt', '/media', '/srv', '/boot', '/sys'];
/** Shared by everyone on the machine: several denied files here still do not make a directory grant. */
const NEVER_GROUPED = ['/', '/home', '/root', '/tmp', '/var/tmp', '/run', '/var/run', '/dev/shm'];
/** Device nodes any program may use (the ci preset grants these). */
const USUAL_DEVICES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/pts', '/dev/ptmx', '/dev/shm', '/dev/fd', '/dev/stdin', '/dev/stdout', '/dev/stderr'];
/** What the ci preset makes executable: execute there is learned like any grant. */
export const SYSTEM_EXEC_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt'];
const DEFAULT_EPHEMERAL: readonly [number, number] = [32768, 60999];

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

/** 127.0.0.0/8, ::1, v4-mapped loopback, and the unspecified address (a connect to it reaches this host). */
export function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return true; // audit omits 0.0.0.0 / ::
  const a = addr.toLowerCase();
  return /^127\./.test(a) || a === '::1' || /^::ffff:127\./.test(a) || a === '0.0.0.0' || a === '::' || a === '::ffff:0.0.0.0';
}

/** A path as a user writes it: `.` and `./x` beneath the workspace, `~/x` beneath HOME. */
export function portablePath(path: string, ctx: { workspace?: string | undefined; home?: string | undefined }): string {
  if (ctx.workspace && isBeneath(path, ctx.workspace)) return path === ctx.workspace ? '.' : `./${path.slice(ctx.workspace.length + (ctx.workspace === '/' ? 0 : 1))}`;
  if (ctx.home && ctx.home !== '/' && isBeneath(path, ctx.home)) return path === ctx.home ? '~' : `~/${path.slice(ctx.home.length + 1)}`;
  return path;
}

/** The inverse of portablePath. */
export function absolutePath(item: string, ctx: { workspace?: string | undefined; home?: string | undefined }): string {
  if ((item === '~' || item.startsWith('~/')) && ctx.home) return item === '~' ? ctx.home : `${ctx.home}/${item.slice(2)}`;
  if ((item === '.' || item.startsWith('./')) && ctx.workspace) return item === '.' ? ctx.workspace : `${ctx.workspace === '/' ? '' : ctx.workspace}/${item.slice(2)}`;
  return item;
}

interface PathGrantDraft {
  option: '--ro' | '--rox' | '--rw' | '--rwx' | '--unix';
  entries: DenialEntry[];
  /** Set when no grant can be learned here: why. */
  perRun?: string;
}

/** The smallest grants that would have allowed every entry, folded into stable directories. */
export function suggest(entries: readonly DenialEntry[], ctx: SuggestContext): Suggestion[] {
  const threshold = ctx.directoryThreshold ?? 3;
  const created = ctx.createdDuringRun ?? ((): boolean => false);
  const privateDirs = ctx.privateDirs ?? [];
  const inPrivate = (p: string): string | undefined => privateDirs.find((d) => isBeneath(p, d));
  const out: Suggestion[] = [];
  const pathGrants = new Map<string, PathGrantDraft>();
  const addPath = (option: PathGrantDraft['option'], path: string, e: DenialEntry, perRun?: string): void => {
    const key = `${option} ${path}`;
    const g = pathGrants.get(key) ?? { option, entries: [], ...(perRun ? { perRun } : {}) };
    g.entries.push(e);
    pathGrants.set(key, g);
  };
  const ports = new Map<string, { entries: DenialEntry[]; note?: string; decide?: string }>();
  const addPort = (entry: PolicyEntry, e: DenialEntry, extra: { note?: string; decide?: string } = {}): void => {
    const key = flagText(entry);
    const p = ports.get(key) ?? { entries: [], ...extra };
    p.entries.push(e);
    ports.set(key, p);
  };
  const [lo, hi] = ctx.ephemeralPorts ?? DEFAULT_EPHEMERAL;
  const ephemeral = (port: number): boolean => port >= lo && port <= hi;

  for (const e of entries) {
    if (e.tolerated) continue;
    const o = e.object;
    if (o.kind === 'path') {
      const exec = e.rights.includes('fs.execute');
      const write = e.rights.some((r) => WRITE_RIGHTS.has(r));
      const option = write ? (exec ? '--rwx' : '--rw') : exec ? '--rox' : e.rights.includes('fs.resolve_unix') ? '--unix' : '--ro';
      const priv = inPrivate(o.path);
      if (priv) {
        addPath(option, priv, e, `inside this run's private TMPDIR ${priv}, which is new every run: the preset grants it (this grant would not carry to the next run)`);
        continue;
      }
      if (option === '--unix') {
        addPath(option, o.path, e);
        continue;
      }
      // The nearest directory that existed before the run: what was created during it (build
      // outputs, pytest-N, go-build…) does not exist on a fresh checkout or the next run.
      let p = o.path;
      let perRun: string | undefined;
      while (p !== '/' && (!ctx.exists(p) || created(p))) {
        if (ctx.exists(p)) perRun = p; // ends at the highest one: the per-run root
        p = parentOf(p);
      }
      if (perRun && !(ctx.workspace && isBeneath(perRun, ctx.workspace))) {
        addPath(option, perRun, e, `${perRun} was created during this run (a per-run directory): the next run makes another one; let the tool use TMPDIR, which the preset grants`);
        continue;
      }
      // A denied file folds into its directory (the next file there would be denied next round),
      // unless the directory is a shared or sensitive one.
      if (ctx.exists(p) && !ctx.isDirectory(p)) {
        const dir = parentOf(p);
        const home = ctx.home !== undefined && dir === ctx.home;
        if (!NO_FOLD.includes(dir) && !home && !sensitive(dir, ctx) && !(ctx.workspace && isBeneath(ctx.workspace, dir) && dir !== ctx.workspace)) p = dir;
      }
      addPath(option, p, e);
    } else if (o.kind === 'net') {
      for (const r of e.rights) {
        const bind = r === 'net.bind_tcp';
        const loop = isLoopback(o.addr);
        if (bind && (o.port === 0 || ephemeral(o.port))) {
          const what = o.port === 0 ? 'binds an ephemeral port (listen on port 0: a test server)' : `binds port ${o.port}, in the ephemeral range (a new one every run)`;
          addPort({ key: 'loopback', value: 'true' }, e, { note: `${what}: --loopback lets it bind any port and reach loopback only` });
        } else if (bind) addPort({ key: 'bind-tcp', value: String(o.port) }, e);
        else if (loop && ephemeral(o.port)) {
          addPort({ key: 'loopback', value: 'true' }, e, { note: `connects to loopback port ${o.port}, in the ephemeral range (a new one every run): --loopback allows every loopback port and no other host` });
        } else if (loop) addPort({ key: 'connect-tcp', value: String(o.port) }, e, { note: 'a loopback port (or --loopback for every loopback port)' });
        else if (ephemeral(o.port)) {
          addPort({ key: 'connect-tcp', value: String(o.port) }, e, { decide: `port ${o.port} on ${o.addr ?? 'another host'} is in the ephemeral range: it changes every run` });
        } else addPort({ key: 'connect-tcp', value: String(o.port) }, e);
      }
    } else if (o.kind === 'scope') {
      out.push({ entry: { key: 'unrestricted-scoped', value: 'true' }, wide: true, because: [e], note: 'Landlock scopes are all or nothing: this lets the sandbox signal and reach abstract sockets outside it' });
    } else if (o.what === 'unix sockets') {
      out.push({ entry: { key: 'allow-unix-sockets', value: 'true' }, wide: true, because: [e], note: 'socket(AF_UNIX) is refused below Landlock ABI 9 (no per-path rules); --unix PATH or this flag allows all unix sockets, the docker socket included' });
    } else if (o.what === 'udp' && e.resolver) {
      out.push({ entry: { key: 'allow-dns', value: 'true' }, wide: false, decide: 'resolving host names: the resolver reaches the DNS server over TCP port 53', because: [e], note: 'the resolver asked over UDP; --allow-dns makes glibc ask over TCP' });
    } else {
      const dns = o.what === 'udp' ? ' (for host names, --allow-dns resolves over TCP instead)' : '';
      out.push({ entry: { key: 'unrestricted-network', value: 'true' }, wide: true, because: [e], note: `${o.what} is closed by the seccomp filter; only --unrestricted-network opens it${dns}` });
    }
  }
  // Several denied files of one directory become one grant of the directory (shared directories too).
  const byDir = new Map<string, string[]>();
  for (const [key, g] of pathGrants) {
    if (g.option === '--unix' || g.perRun) continue;
    const path = key.slice(g.option.length + 1);
    if (ctx.isDirectory(path)) continue;
    const dir = parentOf(path);
    if (NEVER_GROUPED.includes(dir) || dir === ctx.home || sensitive(dir, ctx)) continue;
    const k = `${g.option} ${dir}`;
    byDir.set(k, [...(byDir.get(k) ?? []), path]);
  }
  for (const [k, files] of byDir) {
    if (files.length < threshold) continue;
    const option = k.slice(0, k.indexOf(' ')) as PathGrantDraft['option'];
    const merged: DenialEntry[] = [];
    for (const f of files) {
      merged.push(...(pathGrants.get(`${option} ${f}`)?.entries ?? []));
      pathGrants.delete(`${option} ${f}`);
    }
    const prev = pathGrants.get(k);
    pathGrants.set(k, { option, entries: [...(prev?.entries ?? []), ...merged] });
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
      // only a grant learn may add absorbs others: a wide one or one that needs a decision keeps the narrower ones offered
      return covers(opt, g.option) && !pathGrants.get(k)?.perRun && !isWide(opt, p, ctx) && decision(opt, p, ctx) === undefined && (path === p || path.startsWith(`${p === '/' ? '' : p}/`));
    });
    if (covering) {
      pathGrants.get(covering)?.entries.push(...g.entries);
      pathGrants.delete(key);
    }
  }
  // Write and execute on the same directory: one --rwx.
  for (const [key, g] of [...pathGrants]) {
    if (g.option !== '--rw' || g.perRun) continue;
    const path = key.slice('--rw '.length);
    const x = pathGrants.get(`--rox ${path}`);
    if (!x || x.perRun) continue;
    pathGrants.delete(key);
    pathGrants.delete(`--rox ${path}`);
    const prev = pathGrants.get(`--rwx ${path}`);
    pathGrants.set(`--rwx ${path}`, { option: '--rwx', entries: [...(prev?.entries ?? []), ...g.entries, ...x.entries] });
  }
  for (const [key, g] of pathGrants) {
    const value = key.slice(g.option.length + 1);
    const writes = g.option === '--rw' || g.option === '--rwx';
    const wide = isWide(g.option, value, ctx);
    const decide = g.perRun ?? (wide ? undefined : decision(g.option, value, ctx));
    const dotfiles = writes && ctx.home !== undefined && isBeneath(ctx.home, value) ? ', its dotfiles and start-up files included' : '';
    const note = wide ? (ctx.forbidden?.(value) ?? `this grants ${writes ? 'write access to ' : ''}all of ${portablePath(value, ctx)}${dotfiles}`) : undefined;
    out.push({ entry: { key: g.option.slice(2) as PolicyKey, value: portablePath(value, ctx) }, wide, ...(decide ? { decide } : {}), because: g.entries, note });
  }
  for (const [key, p] of ports) {
    const [flag, value] = key.split(' ');
    const name = (flag as string).slice(2) as PolicyKey;
    out.push({ entry: { key: name, value: value ?? 'true' }, wide: false, ...(p.decide ? { decide: p.decide } : {}), because: p.entries, note: p.note });
  }
  // One suggestion per grant: a switch suggested for several denials lists them all.
  const merged = new Map<string, Suggestion>();
  for (const s of out) {
    const k = flagText(s.entry);
    const prev = merged.get(k);
    merged.set(k, prev ? { ...prev, because: [...prev.because, ...s.because] } : s);
  }
  return [...merged.values()].sort((a, b) => flagText(a.entry).localeCompare(flagText(b.entry)));
}

/** /, HOME, or write access to a system directory: much more than what was denied. */
function isWide(option: string, path: string, ctx: SuggestContext): boolean {
  const writes = option === '--rw' || option === '--rwx';
  return path === '/' || (ctx.home !== undefined && path === ctx.home) || (writes && SYSTEM_DIRS.includes(path));
}

const secretOf = (path: string, home: string | undefined): string | undefined =>
  home ? HOME_SECRETS.map((s) => `${home}/${s}`).find((s) => isBeneath(path, s) || isBeneath(s, path)) : undefined;

/** A directory a fold must not climb into: it would cover a secret or something forbidden. */
function sensitive(dir: string, ctx: SuggestContext): boolean {
  return secretOf(dir, ctx.home) !== undefined || ctx.forbidden?.(dir) !== undefined || isBeneath(dir, '/proc') || (isBeneath(dir, '/dev') && !USUAL_DEVICES.some((d) => isBeneath(dir, d)));
}

/** Why learn mode must leave this grant to the user, or undefined when it may add it. */
function decision(option: string, path: string, ctx: SuggestContext): string | undefined {
  const forbidden = ctx.forbidden?.(path);
  if (forbidden) return forbidden;
  const secret = secretOf(path, ctx.home);
  if (secret) return `${portablePath(path, ctx)} would expose ${portablePath(secret, ctx)} (credentials)`;
  if (isBeneath(path, '/proc') || isBeneath('/proc', path)) return '/proc shows every process (command lines, environments through ptrace-gated files)';
  if (isBeneath(path, '/dev') && !USUAL_DEVICES.some((d) => isBeneath(path, d))) return `${path} is a device beyond the usual few`;
  const writes = option === '--rw' || option === '--rwx';
  const exec = option === '--rox' || option === '--rwx';
  const inHome = (p: string): boolean => ctx.home !== undefined && isBeneath(p, ctx.home);
  if (writes && ctx.home !== undefined && (isBeneath(ctx.home, path) || (inHome(path) && /^\./.test(path.slice(ctx.home.length + 1))))) {
    return 'HOME dotfiles and shell start-up files (~/.bashrc, ~/.profile, ~/.gitconfig, ~/.npmrc, …) are read and run by later commands and steps';
  }
  const inside = (p: string): boolean => (ctx.workspace !== undefined && isBeneath(p, ctx.workspace)) || (ctx.privateDirs ?? []).some((d) => isBeneath(p, d));
  if (ctx.workspace === undefined) return undefined;
  if (writes && !inside(path) && !USUAL_DEVICES.some((d) => isBeneath(path, d))) return 'writes outside the workspace and the step\'s TMPDIR last beyond the run';
  if (exec && !inside(path) && !(ctx.execDirs ?? SYSTEM_EXEC_DIRS).some((d) => isBeneath(path, d))) return 'execute outside the workspace, TMPDIR and the system directories';
  return undefined;
}

/** plan: found in the plan before running (the command itself cannot be executed under it). */
export type DenialSource = 'audit' | 'trace' | 'plan' | 'none';

export interface DenialReport {
  readonly source: DenialSource;
  /** Why this source (or why no source could be used, and what would bring each). */
  readonly sourceNote: string;
  readonly entries: readonly DenialEntry[];
  /** Refusals the programs tolerate by design: shown apart, briefly, never suggested. */
  readonly tolerated: readonly DenialEntry[];
  readonly suggestions: readonly Suggestion[];
  /** Denials the kernel counted that no record showed (audit: the domain's denials=N). */
  readonly unseen: number;
  /** Set when the report may not hold every denial: why (records dropped, the count missing). */
  readonly incomplete?: string | undefined;
  /** Denials this source cannot see by design, and what would show them. */
  readonly blindSpot?: string | undefined;
}

/** Splits aggregated entries into the ones that matter and the tolerated ones. */
export function splitTolerated(entries: readonly DenialEntry[]): { entries: DenialEntry[]; tolerated: DenialEntry[] } {
  return { entries: entries.filter((e) => !e.tolerated), tolerated: entries.filter((e) => e.tolerated) };
}
