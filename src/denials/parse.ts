// Reading denials out of what the two sources produce: Landlock's audit records (ABI 7) and
// strace's trace of the launcher and everything it starts. Pure text in, Denial out.
import type { Denial } from './report.js';

// ---------------------------------------------------------------------------------------------
// Audit records. Types: 1423 AUDIT_LANDLOCK_ACCESS (one denied request), 1424 AUDIT_LANDLOCK_DOMAIN
// (allocated: which task created the domain; deallocated: the domain's total denial count),
// 1300 AUDIT_SYSCALL (the task that was denied). Records of one event share audit(t:SERIAL).

export const AUDIT_SYSCALL = 1300;
export const AUDIT_LANDLOCK_ACCESS = 1423;
export const AUDIT_LANDLOCK_DOMAIN = 1424;

export interface AuditRecord {
  readonly type: number;
  readonly serial: string;
  readonly fields: Readonly<Record<string, string>>;
}

const HEX = /^(?:[0-9A-F]{2})+$/;

/** key=value pairs; values "quoted", bare, or hex-encoded (audit's form for untrusted strings). */
export function parseAuditFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_][\w-]*)=("[^"]*"|\S*)/g;
  for (const m of text.matchAll(re)) {
    const key = m[1] as string;
    let v = m[2] as string;
    if (v.startsWith('"')) v = v.slice(1, -1);
    else if (['path', 'comm', 'exe', 'ocomm', 'name', 'proctitle'].includes(key) && HEX.test(v)) v = Buffer.from(v, 'hex').toString('utf8');
    if (!(key in out)) out[key] = v;
  }
  return out;
}

export function parseAuditRecord(type: number, text: string): AuditRecord | undefined {
  const m = /audit\((\d+\.\d+):(\d+)\):\s*(.*)$/s.exec(text.trim());
  if (!m) return undefined;
  return { type, serial: m[2] as string, fields: parseAuditFields(m[3] as string) };
}

/**
 * Follows one sandbox through the audit stream: its domain is the one whose "allocated" record
 * names the pid that restricted itself into the command's domain; everything else — other
 * sandboxes, earlier runs — is ignored. When the allocated record was dropped (the kernel drops
 * records under load), a denial whose syscall record names that pid identifies the domain.
 */
export class AuditCollector {
  private domain: string | undefined;
  private readonly pending: AuditRecord[] = [];
  private readonly syscalls = new Map<string, Readonly<Record<string, string>>>();
  /** The domain's total denial count, once it has been freed. */
  deallocatedWith: number | undefined;
  private readonly deallocated = new Map<string, number>();

  constructor(private readonly launcherPid: number) {}

  get domainId(): string | undefined {
    if (this.domain === undefined) {
      // no allocated record: the domain of a denial of the launcher's own pid (it becomes the command)
      const own = this.pending.find((r) => Number(this.syscalls.get(r.serial)?.pid) === this.launcherPid);
      if (own?.fields.domain) this.adopt(own.fields.domain);
    }
    return this.domain;
  }

  private adopt(domain: string): void {
    this.domain = domain;
    const n = this.deallocated.get(domain);
    if (n !== undefined) this.deallocatedWith = n;
  }

  add(r: AuditRecord): void {
    if (r.type === AUDIT_SYSCALL) this.syscalls.set(r.serial, r.fields);
    else if (r.type === AUDIT_LANDLOCK_ACCESS) this.pending.push(r);
    else if (r.type === AUDIT_LANDLOCK_DOMAIN) {
      const domain = r.fields.domain;
      if (domain === undefined) return;
      if (r.fields.status === 'allocated' && Number(r.fields.pid) === this.launcherPid && this.domain === undefined) this.adopt(domain);
      if (r.fields.status === 'deallocated') {
        const n = Number(r.fields.denials ?? '0');
        this.deallocated.set(domain, n);
        if (domain === this.domain) this.deallocatedWith = n;
      }
    }
  }

  denials(): Denial[] {
    const domain = this.domainId;
    if (domain === undefined) return [];
    const out: Denial[] = [];
    for (const r of this.pending) {
      if (r.fields.domain !== domain) continue;
      const sys = this.syscalls.get(r.serial);
      const d = denialFromAccess(r.fields);
      if (d) out.push({ ...d, comm: sys?.comm, pid: sys?.pid !== undefined ? Number(sys.pid) : undefined });
    }
    return out;
  }

  /** How many access records of this domain arrived. */
  seen(): number {
    const domain = this.domainId;
    return domain === undefined ? 0 : this.pending.filter((r) => r.fields.domain === domain).length;
  }
}

function denialFromAccess(f: Readonly<Record<string, string>>): Denial | undefined {
  const rights = (f.blockers ?? '').split(',').filter(Boolean);
  if (rights.length === 0) return undefined;
  if (f.path !== undefined) return { rights, object: { kind: 'path', path: f.path } };
  // The kernel leaves out a zero port and the unspecified address: a bind to port 0 (listen(0))
  // has neither src= nor saddr=.
  if (rights.includes('net.bind_tcp')) return { rights, object: { kind: 'net', port: Number(f.src ?? 0), addr: f.saddr } };
  if (rights.includes('net.connect_tcp')) return { rights, object: { kind: 'net', port: Number(f.dest ?? 0), addr: f.daddr } };
  if (rights.some((r) => r.startsWith('scope.'))) {
    return { rights, object: { kind: 'scope', target: f.opid ? `${f.ocomm ?? 'process'}[${f.opid}]` : f.path } };
  }
  return { rights, object: { kind: 'scope', target: undefined } };
}

// ---------------------------------------------------------------------------------------------
// strace. The tracer runs outside the sandbox, in front of the launcher:
//   strace -f -qq -y -s 4096 -e trace=<TRACED_SYSCALLS> -e status=successful,failed -o FILE launcher …
// so the trace also holds what the launcher does before the command starts. Which task belongs to
// the command follows from the trace itself: a task enters the sandbox when it calls
// landlock_restrict_self (or is created by a task inside), and it is the command from its first
// execve inside (or when created by a task that is). The launcher's start-up, a supervisor that
// restricts itself but never executes anything, and the launcher's other threads never count.
// `-y` decorates AT_FDCWD and every descriptor with its path, so relative paths resolve without
// tracking chdir.

export const TRACED_SYSCALLS = [
  'open', 'openat', 'openat2', 'creat', 'execve', 'execveat', 'mkdir', 'mkdirat', 'mknod', 'mknodat',
  'unlink', 'unlinkat', 'rmdir', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat',
  'truncate', 'connect', 'bind', 'socket', 'socketpair', 'io_uring_setup', 'kill', 'tkill', 'tgkill',
  'clone', 'clone3', 'fork', 'vfork', 'landlock_restrict_self',
] as const;

/** strace's arguments, in front of the launcher's argv. */
export const straceArgs = (strace: string, out: string, seccompBpf = false): string[] => [
  strace, ...(seccompBpf ? ['--seccomp-bpf'] : []), '-f', '-qq', '-y', '-s', '4096', '-e', `trace=${TRACED_SYSCALLS.join(',')}`, '-e', 'status=successful,failed', '-o', out, '--',
];

export interface TraceContext {
  /** The command's working directory, for relative paths strace could not decorate. */
  readonly cwd: string;
  readonly exists: (path: string) => boolean;
  readonly isDirectory: (path: string) => boolean;
}

interface Syscall {
  readonly pid: number;
  readonly name: string;
  readonly args: readonly string[];
  readonly raw: string;
  /** The return value: a number, or the errno name of a failure. */
  readonly ret: number | undefined;
  readonly errno: string | undefined;
}

const LINE = /^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(?:<[^>]*>)?(?:\s+(E[A-Z0-9]+)\b)?/;

/** Top-level comma-separated arguments (quotes, brackets and -y's <path> decorations kept whole). */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote = false;
  for (let i = 0; i < args.length; i++) {
    const c = args[i] as string;
    if (quote) {
      cur += c;
      if (c === '\\') cur += args[++i] ?? '';
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '<' && /(?:\d|AT_FDCWD)$/.test(cur)) {
      // a descriptor's path: up to the matching '>' (paths may hold commas)
      const end = args.indexOf('>', i);
      if (end > 0) {
        cur += args.slice(i, end + 1);
        i = end;
        continue;
      }
    } else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** A C string literal as strace prints it (octal and hex escapes for bytes), as UTF-8 text. */
export function unescapeString(lit: string): string | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"/s.exec(lit);
  if (!m) return undefined;
  const s = m[1] as string;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '"': 34, '\\': 92, "'": 39, '?': 63 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = s[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1))?.[0] as string;
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2))?.[0] ?? '';
      bytes.push(parseInt(hex || '0', 16));
      i += 1 + hex.length;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}

/** The path a descriptor argument was decorated with: `AT_FDCWD</cwd>`, `3</dir>`. */
const fdPath = (arg: string | undefined): string | undefined => /^(?:-?\d+|AT_FDCWD)<(.*)>$/s.exec(arg ?? '')?.[1];

function resolveAt(dirArg: string | undefined, pathArg: string | undefined, ctx: TraceContext): string | undefined {
  const p = pathArg === undefined ? undefined : unescapeString(pathArg);
  if (p === undefined) return undefined;
  if (p.startsWith('/')) return normalize(p);
  return normalize(`${fdPath(dirArg) ?? ctx.cwd}/${p}`);
}

export function parseTraceLine(line: string): Syscall | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const ret = m[4] === '?' ? undefined : Number(m[4]);
  return { pid: Number(m[1]), name: m[2] as string, args: splitArgs(m[3] as string), raw: m[3] as string, ret, errno: m[5] };
}

const parent = (p: string): string => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));

const MKNOD_RIGHT: Record<string, string> = { S_IFIFO: 'fs.make_fifo', S_IFSOCK: 'fs.make_sock', S_IFCHR: 'fs.make_char', S_IFBLK: 'fs.make_block', S_IFREG: 'fs.make_reg' };

/** The file a path-taking syscall names (for the nscd and resolver sequences below). */
function pathOf(s: Syscall, ctx: TraceContext): string | undefined {
  if (s.name === 'open' || s.name === 'creat') return resolveAt(undefined, s.args[0], ctx);
  if (s.name === 'openat' || s.name === 'openat2') return resolveAt(s.args[0], s.args[1], ctx);
  return undefined;
}

/** A failed syscall, as the denial Landlock or the seccomp filter would have made. */
export function denialFromSyscall(s: Syscall, ctx: TraceContext): Denial | undefined {
  const errno = s.errno;
  if (errno === undefined || !['EACCES', 'EPERM', 'EXDEV', 'EAFNOSUPPORT'].includes(errno)) return undefined;
  const a = s.args;
  const base = { pid: s.pid };
  const path = (rights: string[], p: string | undefined): Denial | undefined => (p === undefined ? undefined : { ...base, rights, object: { kind: 'path', path: p } });
  const at = (i: number): string | undefined => resolveAt(a[i - 1], a[i], ctx);
  const plain = (i: number): string | undefined => resolveAt(undefined, a[i], ctx);

  switch (s.name) {
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat': {
      const p0 = s.name === 'open' || s.name === 'creat' ? plain(0) : at(1);
      if (!p0) return undefined;
      const flags = s.name === 'open' ? (a[1] ?? '') : s.name === 'creat' ? 'O_WRONLY|O_CREAT|O_TRUNC' : (a[2] ?? '');
      const write = /O_WRONLY|O_RDWR/.test(flags);
      if (/O_CREAT/.test(flags) && !ctx.exists(p0)) return path(['fs.make_reg'], parent(p0));
      const rights: string[] = [];
      if (write) rights.push('fs.write_file');
      if (!/O_WRONLY/.test(flags)) rights.push(/O_DIRECTORY/.test(flags) || ctx.isDirectory(p0) ? 'fs.read_dir' : 'fs.read_file');
      if (/O_TRUNC/.test(flags)) rights.push('fs.truncate');
      return path(rights, p0);
    }
    case 'execve':
      return path(['fs.execute'], plain(0));
    case 'execveat':
      return path(['fs.execute'], at(1));
    case 'mkdir':
      return path(['fs.make_dir'], (plain(0) && parent(plain(0) as string)) || undefined);
    case 'mkdirat':
      return path(['fs.make_dir'], (at(1) && parent(at(1) as string)) || undefined);
    case 'mknod':
    case 'mknodat': {
      const p0 = s.name === 'mknod' ? plain(0) : at(1);
      const kind = /S_IF[A-Z]+/.exec(s.raw)?.[0] ?? 'S_IFREG';
      return path([MKNOD_RIGHT[kind] ?? 'fs.make_reg'], p0 && parent(p0));
    }
    case 'unlink':
      return path(['fs.remove_file'], plain(0) && parent(plain(0) as string));
    case 'unlinkat': {
      const p0 = at(1);
      return path([/AT_REMOVEDIR/.test(a[2] ?? '') ? 'fs.remove_dir' : 'fs.remove_file'], p0 && parent(p0));
    }
    case 'rmdir':
      return path(['fs.remove_dir'], plain(0) && parent(plain(0) as string));
    case 'rename':
    case 'renameat':
    case 'renameat2':
    case 'link':
    case 'linkat': {
      const two = s.name === 'rename' || s.name === 'link';
      const p0 = two ? plain(0) : at(1);
      const p1 = two ? plain(1) : at(3);
      if (!p0 || !p1) return undefined;
      if (errno === 'EXDEV') return path(['fs.refer'], parent(p1));
      return path([s.name.startsWith('link') ? 'fs.make_reg' : ctx.isDirectory(p0) ? 'fs.make_dir' : 'fs.make_reg'], parent(p1));
    }
    case 'symlink':
      return path(['fs.make_sym'], plain(1) && parent(plain(1) as string));
    case 'symlinkat':
      return path(['fs.make_sym'], at(2) && parent(at(2) as string));
    case 'truncate':
      return path(['fs.truncate'], plain(0));
    case 'connect':
    case 'bind': {
      const right = s.name === 'connect' ? 'net.connect_tcp' : 'net.bind_tcp';
      const addrArg = a[1] ?? '';
      const port = /sin6?_port=htons\((\d+)\)/.exec(addrArg)?.[1];
      if (port !== undefined) {
        const addr = /inet_addr\("([^"]+)"\)/.exec(addrArg)?.[1] ?? /inet_pton\(AF_INET6, "([^"]+)"/.exec(addrArg)?.[1];
        return { ...base, rights: [right], object: { kind: 'net', port: Number(port), addr } };
      }
      const sun = /sun_path=("(?:[^"\\]|\\.)*")/.exec(addrArg)?.[1];
      if (sun && s.name === 'connect') return path(['fs.resolve_unix'], resolveAt(a[0]?.startsWith('AT_FDCWD') ? a[0] : undefined, sun, ctx));
      if (/sun_path=@/.test(addrArg)) return { ...base, rights: ['scope.abstract_unix_socket'], object: { kind: 'scope', target: 'an abstract unix socket' } };
      return undefined;
    }
    case 'socket':
    case 'socketpair': {
      const args = s.raw;
      const what = /AF_UNIX|AF_LOCAL/.test(args)
        ? 'unix sockets'
        : /IPPROTO_MPTCP|, 262\b/.test(args)
          ? 'mptcp'
          : /SOCK_DGRAM/.test(args) && /AF_INET/.test(args)
            ? 'udp'
            : /SOCK_RAW/.test(args) && /AF_INET/.test(args)
              ? 'raw sockets'
              : /AF_INET6?\b/.test(args) && /SOCK_STREAM/.test(args)
                ? 'tcp (below Landlock ABI 4)'
                : /AF_NETLINK/.test(args) && /NETLINK_ROUTE/.test(args)
                  ? 'netlink route sockets'
                  : (/AF_[A-Z0-9]+/.exec(args)?.[0] ?? 'socket').toLowerCase().replace('af_', '') + ' sockets';
      return { ...base, rights: [`seccomp.${what.split(' ')[0]}`], object: { kind: 'seccomp', what } };
    }
    case 'io_uring_setup':
      return { ...base, rights: ['seccomp.io_uring'], object: { kind: 'seccomp', what: 'io_uring' } };
    case 'kill':
    case 'tkill':
    case 'tgkill':
      return errno === 'EPERM' ? { ...base, rights: ['scope.signal'], object: { kind: 'scope', target: `process ${/^-?\d+/.exec(a[0] ?? '')?.[0] ?? '?'}` } } : undefined;
    default:
      return undefined;
  }
}

/** One line on its own, as a denial (the command's, whoever made it): for tests and simple uses. */
export function denialFromTraceLine(line: string, ctx: TraceContext): Denial | undefined {
  const s = parseTraceLine(line);
  return s ? denialFromSyscall(s, ctx) : undefined;
}

/** Files glibc's NSS reads when nscd did not answer (its fallback). */
const NSS_FILE = /^\/etc\/(nsswitch\.conf|passwd|group|shadow|gshadow|hosts|services|protocols|networks|netgroup|ethers|rpc|aliases|host\.conf|resolv\.conf|gai\.conf)$|\/libnss_[^/]*$/;
/** The stub resolver reads it right before it asks a name server (glibc's res_init). */
const RESOLVER_FILE = /^\/etc\/resolv\.conf$/;
const NSCD = "glibc asked the name service cache daemon first (its socket is refused) and fell back to its own files";

interface Task {
  inDomain: boolean;
  command: boolean;
  exe: string | undefined;
  /** Read the resolver's configuration: a UDP socket right after is DNS. */
  resolver: boolean;
  /** Refused unix sockets waiting for what the task does next (glibc's nscd probe). */
  unix: Denial[];
}

/**
 * The trace of one run, line by line: only the command's tasks count (see above). Lines of a task
 * whose creation has not been seen yet (strace may print a child before its parent's clone
 * returns) wait for it.
 */
export class TraceReader {
  private readonly tasks = new Map<number, Task>();
  private readonly waiting = new Map<number, Syscall[]>();
  private readonly out: Denial[] = [];
  private root: number | undefined;
  /** Failed syscalls of the launcher or a supervisor, not counted. */
  outside = 0;

  constructor(private readonly ctx: TraceContext) {}

  line(text: string): void {
    const s = parseTraceLine(text);
    if (!s) return;
    if (this.root === undefined) {
      this.root = s.pid;
      this.tasks.set(s.pid, { inDomain: false, command: false, exe: undefined, resolver: false, unix: [] });
    }
    const task = this.tasks.get(s.pid);
    if (!task) {
      const list = this.waiting.get(s.pid) ?? [];
      list.push(s);
      this.waiting.set(s.pid, list);
      return;
    }
    this.apply(task, s);
  }

  private apply(task: Task, s: Syscall): void {
    const ok = s.errno === undefined && s.ret !== undefined && s.ret >= 0;
    if (['clone', 'clone3', 'fork', 'vfork'].includes(s.name) && ok && (s.ret as number) > 0) {
      const child: Task = { inDomain: task.inDomain, command: task.command, exe: task.exe, resolver: false, unix: [] };
      this.tasks.set(s.ret as number, child);
      const queued = this.waiting.get(s.ret as number) ?? [];
      this.waiting.delete(s.ret as number);
      for (const q of queued) this.apply(child, q);
      return;
    }
    if (s.name === 'landlock_restrict_self') {
      if (ok) task.inDomain = true;
      return;
    }
    const exec = s.name === 'execve' || s.name === 'execveat';
    if (exec && task.inDomain) task.command = true;
    if (!task.command) {
      if (s.errno) this.outside++;
      return;
    }
    if (exec && ok) {
      this.flushUnix(task, undefined);
      const p = unescapeString((s.name === 'execve' ? s.args[0] : s.args[1]) ?? '') ?? '';
      task.exe = p.slice(p.lastIndexOf('/') + 1) || undefined;
      task.resolver = false;
      return;
    }
    const file = pathOf(s, this.ctx);
    if (task.unix.length && !(s.name === 'socket' && /AF_UNIX|AF_LOCAL/.test(s.raw))) {
      this.flushUnix(task, file !== undefined && NSS_FILE.test(file) ? NSCD : undefined);
    }
    if (ok && file !== undefined && RESOLVER_FILE.test(file)) task.resolver = true;
    const d = denialFromSyscall(s, this.ctx);
    if (!d) return;
    const named: Denial = { ...d, ...(task.exe ? { comm: task.exe } : {}) };
    if (d.object.kind === 'seccomp' && d.object.what === 'unix sockets' && s.name === 'socket') task.unix.push(named);
    else if (d.object.kind === 'seccomp' && d.object.what === 'udp' && task.resolver) this.out.push({ ...named, resolver: true });
    else this.out.push(named);
  }

  private flushUnix(task: Task, tolerated: string | undefined): void {
    for (const d of task.unix.splice(0)) this.out.push(tolerated ? { ...d, tolerated } : d);
  }

  /** The command's denials. */
  denials(): Denial[] {
    for (const t of this.tasks.values()) this.flushUnix(t, undefined);
    return [...this.out];
  }
}

export function denialsFromTrace(output: string, ctx: TraceContext): Denial[] {
  const r = new TraceReader(ctx);
  for (const line of output.split('\n')) r.line(line);
  return r.denials();
}
