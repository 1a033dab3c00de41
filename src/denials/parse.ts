// Reading denials out of what the two sources produce: Landlock's audit records (ABI 7) and
// strace's failed syscalls. Pure text in, Denial out.
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
 * names the launcher's pid (the task that called landlock_restrict_self); everything else —
 * other sandboxes, earlier runs — is ignored.
 */
export class AuditCollector {
  private domain: string | undefined;
  private readonly pending: AuditRecord[] = [];
  private readonly syscalls = new Map<string, Readonly<Record<string, string>>>();
  /** The domain's total denial count, once it has been freed. */
  deallocatedWith: number | undefined;

  constructor(private readonly launcherPid: number) {}

  get domainId(): string | undefined {
    return this.domain;
  }

  add(r: AuditRecord): void {
    if (r.type === AUDIT_SYSCALL) this.syscalls.set(r.serial, r.fields);
    else if (r.type === AUDIT_LANDLOCK_ACCESS) this.pending.push(r);
    else if (r.type === AUDIT_LANDLOCK_DOMAIN) {
      if (r.fields.status === 'allocated' && Number(r.fields.pid) === this.launcherPid) this.domain ??= r.fields.domain;
      if (r.fields.status === 'deallocated' && this.domain !== undefined && r.fields.domain === this.domain) {
        this.deallocatedWith = Number(r.fields.denials ?? '0');
      }
    }
  }

  denials(): Denial[] {
    if (this.domain === undefined) return [];
    const out: Denial[] = [];
    for (const r of this.pending) {
      if (r.fields.domain !== this.domain) continue;
      const sys = this.syscalls.get(r.serial);
      const d = denialFromAccess(r.fields);
      if (d) out.push({ ...d, comm: sys?.comm, pid: sys?.pid !== undefined ? Number(sys.pid) : undefined });
    }
    return out;
  }

  /** How many access records of this domain arrived. */
  seen(): number {
    return this.domain === undefined ? 0 : this.pending.filter((r) => r.fields.domain === this.domain).length;
  }
}

function denialFromAccess(f: Readonly<Record<string, string>>): Denial | undefined {
  const rights = (f.blockers ?? '').split(',').filter(Boolean);
  if (rights.length === 0) return undefined;
  if (f.path !== undefined) return { rights, object: { kind: 'path', path: f.path } };
  if (f.dest !== undefined) return { rights, object: { kind: 'net', port: Number(f.dest), addr: f.daddr } };
  if (f.src !== undefined) return { rights, object: { kind: 'net', port: Number(f.src), addr: f.saddr } };
  if (rights.some((r) => r.startsWith('scope.'))) {
    return { rights, object: { kind: 'scope', target: f.opid ? `${f.ocomm ?? 'process'}[${f.opid}]` : f.path } };
  }
  return { rights, object: { kind: 'scope', target: undefined } };
}

// ---------------------------------------------------------------------------------------------
// strace -f -qq -e status=failed output: "PID name(args) = -1 ERRNO (text)".

export interface TraceContext {
  /** The command's working directory, for relative paths. */
  readonly cwd: string;
  readonly exists: (path: string) => boolean;
  readonly isDirectory: (path: string) => boolean;
}

const LINE = /^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+-1\s+(E[A-Z]+)\b/;

function strings(args: string): string[] {
  return [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] as string).replace(/\\"/g, '"').replace(/\\\\/g, '\\'));
}

function abs(p: string, cwd: string): string {
  if (p.startsWith('/')) return p.replace(/\/+$/, '') || '/';
  const parts = `${cwd}/${p}`.split('/');
  const out: string[] = [];
  for (const s of parts) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}

const parent = (p: string): string => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));

const MKNOD_RIGHT: Record<string, string> = { S_IFIFO: 'fs.make_fifo', S_IFSOCK: 'fs.make_sock', S_IFCHR: 'fs.make_char', S_IFBLK: 'fs.make_block', S_IFREG: 'fs.make_reg' };

/** A failed syscall from strace, as the denial Landlock or the seccomp filter would have made. */
export function denialFromTraceLine(line: string, ctx: TraceContext): Denial | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const pid = Number(m[1]);
  const name = m[2] as string;
  const args = m[3] as string;
  const errno = m[4] as string;
  if (!['EACCES', 'EPERM', 'EXDEV', 'EAFNOSUPPORT'].includes(errno)) return undefined;
  const paths = strings(args).map((s) => abs(s, ctx.cwd));
  const p0 = paths[0];
  const base = { pid };
  const path = (rights: string[], p: string): Denial => ({ ...base, rights, object: { kind: 'path', path: p } });

  switch (name) {
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat': {
      if (!p0) return undefined;
      const write = /O_WRONLY|O_RDWR/.test(args) || name === 'creat';
      if (/O_CREAT/.test(args) && !ctx.exists(p0)) return path(['fs.make_reg'], parent(p0));
      const rights: string[] = [];
      if (write) rights.push('fs.write_file');
      if (!/O_WRONLY/.test(args) && name !== 'creat') rights.push(/O_DIRECTORY/.test(args) || ctx.isDirectory(p0) ? 'fs.read_dir' : 'fs.read_file');
      if (/O_TRUNC/.test(args)) rights.push('fs.truncate');
      return path(rights, p0);
    }
    case 'execve':
    case 'execveat':
      return p0 ? path(['fs.execute'], p0) : undefined;
    case 'mkdir':
    case 'mkdirat':
      return p0 ? path(['fs.make_dir'], parent(p0)) : undefined;
    case 'mknod':
    case 'mknodat': {
      const kind = /S_IF[A-Z]+/.exec(args)?.[0] ?? 'S_IFREG';
      return p0 ? path([MKNOD_RIGHT[kind] ?? 'fs.make_reg'], parent(p0)) : undefined;
    }
    case 'unlink':
      return p0 ? path(['fs.remove_file'], parent(p0)) : undefined;
    case 'unlinkat':
      return p0 ? path([/AT_REMOVEDIR/.test(args) ? 'fs.remove_dir' : 'fs.remove_file'], parent(p0)) : undefined;
    case 'rmdir':
      return p0 ? path(['fs.remove_dir'], parent(p0)) : undefined;
    case 'rename':
    case 'renameat':
    case 'renameat2':
    case 'link':
    case 'linkat': {
      const p1 = paths[1];
      if (!p0 || !p1) return undefined;
      if (errno === 'EXDEV') return path(['fs.refer'], parent(p1));
      return path([name.startsWith('link') ? 'fs.make_reg' : ctx.isDirectory(p0) ? 'fs.make_dir' : 'fs.make_reg'], parent(p1));
    }
    case 'symlink':
    case 'symlinkat': {
      const link = paths[1];
      return link ? path(['fs.make_sym'], parent(link)) : undefined;
    }
    case 'truncate':
      return p0 ? path(['fs.truncate'], p0) : undefined;
    case 'connect':
    case 'bind': {
      const right = name === 'connect' ? 'net.connect_tcp' : 'net.bind_tcp';
      const port = /sin6?_port=htons\((\d+)\)/.exec(args)?.[1];
      if (port !== undefined) {
        const addr = /inet_addr\("([^"]+)"\)/.exec(args)?.[1] ?? /inet_pton\(AF_INET6, "([^"]+)"/.exec(args)?.[1];
        return { ...base, rights: [right], object: { kind: 'net', port: Number(port), addr } };
      }
      const sun = /sun_path="([^"]+)"/.exec(args)?.[1];
      if (sun && name === 'connect') return path(['fs.resolve_unix'], abs(sun, ctx.cwd));
      if (/sun_path=@/.test(args)) return { ...base, rights: ['scope.abstract_unix_socket'], object: { kind: 'scope', target: 'an abstract unix socket' } };
      return undefined;
    }
    case 'socket':
    case 'socketpair': {
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
                : (/AF_[A-Z0-9]+/.exec(args)?.[0] ?? 'socket').toLowerCase().replace('af_', '') + ' sockets';
      return { ...base, rights: [`seccomp.${what.split(' ')[0]}`], object: { kind: 'seccomp', what } };
    }
    case 'io_uring_setup':
      return { ...base, rights: ['seccomp.io_uring'], object: { kind: 'seccomp', what: 'io_uring' } };
    case 'kill':
    case 'tkill':
    case 'tgkill':
      return errno === 'EPERM' ? { ...base, rights: ['scope.signal'], object: { kind: 'scope', target: `process ${/^-?\d+/.exec(args)?.[0] ?? '?'}` } } : undefined;
    default:
      return undefined;
  }
}

export function denialsFromTrace(output: string, ctx: TraceContext): Denial[] {
  const out: Denial[] = [];
  for (const line of output.split('\n')) {
    const d = denialFromTraceLine(line, ctx);
    if (d) out.push(d);
  }
  return out;
}
