// The only koffi importer: raw syscalls for Landlock, seccomp, capabilities and execve.
// Everything here runs synchronously on the main thread; nothing may yield to the event loop
// between restrict_self and execve (other Node threads are not restricted, execve kills them).
import { readFileSync, fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SyscallError } from '../shared/errors.js';
import type { Kernel, RulesetAttr } from './kernel.js';
import type { Arch } from './seccomp.js';
import * as u from './uapi.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type KoffiFn = (...args: any[]) => any;
interface Koffi {
  load(path: string): { func(decl: string): KoffiFn };
  errno(): number;
  struct(def: Record<string, string>): unknown;
  pointer(type: unknown): unknown;
}

const NR = {
  x64: { prctl: 157, seccomp: 317, capset: 126 },
  arm64: { prctl: 167, seccomp: 277, capset: 91 },
} as const;

const O_PATH = 0o10000000;
const O_CLOEXEC = 0o2000000;
const AT_FDCWD = -100;
const NR_openat2 = 437; // same number on x86_64 and aarch64
const RESOLVE_NO_SYMLINKS = 0x04;
const ELOOP = 40;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_SET_DUMPABLE = 4;
const SIGUSR1 = 10;
const SIG_IGN = 1;
const SIG_ERR = -1;
const PR_CAPBSET_DROP = 24;
const PR_CAP_AMBIENT = 47;
const PR_CAP_AMBIENT_CLEAR_ALL = 4;
const SECCOMP_SET_MODE_FILTER = 1;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
const SIG_SETMASK = 2;
const CAP_SETPCAP = 8;
const SIGPIPE = 13;
const SIGXFSZ = 25;

/**
 * Loads koffi. The vendored native module is required directly when it is there: koffi's own
 * entry point probes the platform by reading the Node binary's ELF headers, which costs ~10 ms
 * on every sandboxed command. The package entry is the fallback.
 */
function loadKoffi(): Koffi {
  const require = createRequire(import.meta.url);
  const arch = process.arch;
  for (const dir of [`linux_${arch}`, `musl_${arch}`]) {
    try {
      return require(`@koromix/koffi-linux-${arch}/${dir}/koffi.node`) as Koffi;
    } catch {
      // try the next candidate
    }
  }
  const k = require('koffi') as Koffi & { default?: Koffi };
  return k.default ?? k;
}

export function currentArch(): Arch {
  if (process.arch === 'x64' || process.arch === 'arm64') return process.arch;
  throw new SyscallError('arch', 0, process.arch, 'landrun supports Linux on x86_64 and aarch64 only');
}

/** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented to this process. */
export function setChildSubreaper(): void {
  const koffi = loadKoffi();
  const prctl = koffi.load('libc.so.6').func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  if (Number(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) !== 0) {
    const e = koffi.errno();
    throw new SyscallError('prctl(PR_SET_CHILD_SUBREAPER)', e, u.errnoName(e));
  }
}

/**
 * For a Node process of this tool that stays alive while sandboxed code runs (the Action's steps,
 * landrun-shell, the CLI waiting for a command): SIGUSR1 is ignored, so it cannot be made to open
 * the inspector (Node starts one on SIGUSR1, and code evaluated there runs with this process's
 * rights), and the process is not dumpable, so /proc/PID/mem and ptrace need CAP_SYS_PTRACE even
 * where no Landlock domain keeps the sandbox away (Landlock refuses them from inside a domain).
 * Also makes it a child subreaper: what the sandbox leaves behind is reparented here, not to init.
 */
export function hardenWaitingProcess(): void {
  const koffi = loadKoffi();
  const libc = koffi.load('libc.so.6');
  const prctl = libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  const signal = libc.func('intptr_t signal(int sig, intptr_t handler)');
  if (Number(signal(SIGUSR1, SIG_IGN)) === SIG_ERR) {
    const e = koffi.errno();
    throw new SyscallError('signal(SIGUSR1, SIG_IGN)', e, u.errnoName(e));
  }
  for (const [option, what] of [[PR_SET_DUMPABLE, 'PR_SET_DUMPABLE'], [PR_SET_CHILD_SUBREAPER, 'PR_SET_CHILD_SUBREAPER']] as const) {
    const value = option === PR_SET_DUMPABLE ? 0 : 1;
    if (Number(prctl(option, value, 0, 0, 0)) !== 0) {
      const e = koffi.errno();
      throw new SyscallError(`prctl(${what})`, e, u.errnoName(e));
    }
  }
}

export function createKoffiKernel(): Kernel {
  const arch = currentArch();
  const nr = NR[arch];
  const koffi = loadKoffi();
  const libc = koffi.load('libc.so.6');
  const syscall = libc.func('long syscall(long nr, ...)');
  const open = libc.func('int open(const char *path, int flags, ...)');
  const closeFn = libc.func('int close(int fd)');
  const fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
  const prctl = libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
  const signalFn = libc.func('void *signal(int sig, void *handler)');
  const sigprocmask = libc.func('int sigprocmask(int how, const void *set, void *oldset)');
  const execveFn = libc.func('int execve(const char *path, const char **argv, const char **envp)');
  const exitFn = libc.func('void _exit(int status)');
  // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
  const sockFprogPtr = koffi.pointer(koffi.struct({ len: 'uint16_t', filter: 'void *' }));

  const fail = (call: string, hint?: (e: number) => string | undefined): never => {
    const e = koffi.errno();
    throw new SyscallError(call, e, u.errnoName(e), hint?.(e));
  };

  let unavailable: string | undefined;
  let permitted: bigint | undefined;

  const kernel: Kernel = {
    arch,
    abiVersion() {
      const v = Number(syscall(u.NR_landlock_create_ruleset, 'void *', null, 'size_t', 0, 'uint32_t', u.LANDLOCK_CREATE_RULESET_VERSION));
      if (v >= 0) return v;
      const e = koffi.errno();
      if (e === u.errno.ENOSYS) {
        unavailable = 'the kernel has no Landlock (ENOSYS): it needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK=y';
        return 0;
      }
      if (e === u.errno.EOPNOTSUPP) {
        unavailable =
          'Landlock is built in but not enabled (EOPNOTSUPP): add "landlock" to the lsm= kernel boot parameter (or CONFIG_LSM)';
        return 0;
      }
      throw new SyscallError('landlock_create_ruleset(VERSION)', e, u.errnoName(e));
    },
    unavailableReason: () => unavailable,
    errata() {
      const v = Number(syscall(u.NR_landlock_create_ruleset, 'void *', null, 'size_t', 0, 'uint32_t', u.LANDLOCK_CREATE_RULESET_ERRATA));
      return v >= 0 ? v : 0;
    },
    openPath(path) {
      // The plan holds resolved paths: a symlink anywhere in one now means something was swapped
      // after the plan was made (a grant redirected elsewhere), so refuse instead of following it.
      const how = Buffer.alloc(24);
      how.writeBigUInt64LE(BigInt(O_PATH | O_CLOEXEC), 0);
      how.writeBigUInt64LE(BigInt(RESOLVE_NO_SYMLINKS), 16);
      let fd = Number(syscall(NR_openat2, 'int', AT_FDCWD, 'const char *', path, 'void *', how, 'size_t', 24));
      if (fd < 0 && koffi.errno() === u.errno.ENOSYS) fd = Number(open(path, O_PATH | O_CLOEXEC)); // Linux < 5.6
      if (fd < 0) {
        fail(`open(${JSON.stringify(path)}) with RESOLVE_NO_SYMLINKS`, (e) =>
          e === ELOOP ? 'a path in the plan became a symlink after the plan was made' : undefined,
        );
      }
      return fd;
    },
    isDirectoryFd(fd) {
      return fstatSync(fd).isDirectory();
    },
    close(fd) {
      closeFn(fd);
    },
    createRuleset(attr: RulesetAttr, size: number) {
      const buf = Buffer.alloc(24);
      buf.writeBigUInt64LE(BigInt(attr.fs), 0);
      buf.writeBigUInt64LE(BigInt(attr.net), 8);
      buf.writeBigUInt64LE(BigInt(attr.scoped), 16);
      const fd = Number(syscall(u.NR_landlock_create_ruleset, 'void *', buf, 'size_t', size, 'uint32_t', 0));
      if (fd < 0) fail('landlock_create_ruleset');
      return fd;
    },
    addPathRule(rulesetFd, access, parentFd) {
      const buf = Buffer.alloc(u.PATH_BENEATH_ATTR_SIZE);
      buf.writeBigUInt64LE(BigInt(access), 0);
      buf.writeInt32LE(parentFd, 8);
      const r = Number(syscall(u.NR_landlock_add_rule, 'int', rulesetFd, 'int', u.LANDLOCK_RULE_PATH_BENEATH, 'void *', buf, 'uint32_t', 0));
      if (r !== 0) fail('landlock_add_rule(PATH_BENEATH)');
    },
    addNetRule(rulesetFd, access, port) {
      const buf = Buffer.alloc(u.NET_PORT_ATTR_SIZE);
      buf.writeBigUInt64LE(BigInt(access), 0);
      buf.writeBigUInt64LE(BigInt(port), 8);
      const r = Number(syscall(u.NR_landlock_add_rule, 'int', rulesetFd, 'int', u.LANDLOCK_RULE_NET_PORT, 'void *', buf, 'uint32_t', 0));
      if (r !== 0) fail('landlock_add_rule(NET_PORT)');
    },
    setNoNewPrivs() {
      if (Number(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) !== 0) fail('prctl(PR_SET_NO_NEW_PRIVS)');
    },
    restrictSelf(rulesetFd, flags) {
      const r = Number(syscall(u.NR_landlock_restrict_self, 'int', rulesetFd, 'uint32_t', flags));
      if (r !== 0) fail('landlock_restrict_self', (e) => (e === u.errno.E2BIG ? 'more than 16 nested Landlock domains' : undefined));
    },
    installSeccomp(filter, instructions) {
      const prog = { len: instructions, filter: Buffer.from(filter.buffer, filter.byteOffset, filter.byteLength) };
      const r = Number(syscall(nr.seccomp, 'unsigned int', SECCOMP_SET_MODE_FILTER, 'unsigned int', 0, sockFprogPtr, prog));
      if (r !== 0) fail('seccomp(SECCOMP_SET_MODE_FILTER)');
    },
    permittedCapabilities() {
      // Cached: the CLI asks before reporting and again before enforcing; nothing changes them in between.
      if (permitted === undefined) {
        const m = /^CapPrm:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
        permitted = m?.[1] ? BigInt(`0x${m[1]}`) : 0n;
      }
      return permitted;
    },
    dropAllCapabilities() {
      const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
      // Shrinking the bounding set needs CAP_SETPCAP. Without it (a process holding, say, only an
      // ambient CAP_NET_BIND_SERVICE) skip that part: no_new_privs already stops execve from
      // granting anything beyond the (emptied) permitted set.
      const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      const canSetPcap = eff !== undefined && (BigInt(`0x${eff}`) & (1n << BigInt(CAP_SETPCAP))) !== 0n;
      for (let cap = 0; canSetPcap && cap <= last; cap++) {
        if (Number(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) !== 0) fail(`prctl(PR_CAPBSET_DROP, ${cap})`);
      }
      if (Number(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) !== 0) fail('prctl(PR_CAP_AMBIENT_CLEAR_ALL)');
      const header = Buffer.alloc(8);
      header.writeUInt32LE(LINUX_CAPABILITY_VERSION_3, 0);
      const data = Buffer.alloc(24); // two struct __user_cap_data_struct, all zero
      if (Number(syscall(nr.capset, 'void *', header, 'void *', data)) !== 0) fail('capset');
    },
    prepareStdioAndSignals() {
      for (let fd = 0; fd <= 2; fd++) {
        const flags = Number(fcntl(fd, F_GETFD));
        if (flags >= 0 && (flags & FD_CLOEXEC) !== 0) fcntl(fd, F_SETFD, 'int', flags & ~FD_CLOEXEC);
      }
      // Node ignores SIGPIPE and SIGXFSZ; ignored dispositions survive execve, so `yes | head` would
      // see EPIPE instead of dying quietly. Handlers reset themselves at exec; ignores do not.
      signalFn(SIGPIPE, null);
      signalFn(SIGXFSZ, null);
      sigprocmask(SIG_SETMASK, Buffer.alloc(128), null);
    },
    execve(path, argv, envp) {
      execveFn(path, [...argv, null], [...envp, null]);
      return fail(`execve(${JSON.stringify(path)})`);
    },
    exit(code) {
      exitFn(code);
      throw new Error('_exit returned'); // unreachable
    },
  };
  return kernel;
}

// ---------------------------------------------------------------------------------------------
// The audit netlink socket: Landlock's denial records (ABI 7) are read from the READLOG multicast
// group (needs CAP_AUDIT_READ); switching audit on and off needs CAP_AUDIT_CONTROL.

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_AUDIT = 9;
const AUDIT_NLGRP_READLOG = 1;
const AUDIT_GET = 1000;
const AUDIT_SET = 1001;
const AUDIT_STATUS_ENABLED = 1;
const AUDIT_STATUS_BACKLOG_LIMIT = 0x10;
const NLM_F_REQUEST = 1;
const NLM_F_ACK = 4;
const NLMSG_ERROR = 2;
const MSG_DONTWAIT = 0x40;
const ENOBUFS = 105;
const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;

export interface AuditMessage {
  readonly type: number;
  readonly text: string;
}

/** The counters of struct audit_status that tell whether records were dropped. */
export interface AuditStatus {
  readonly enabled: boolean;
  /** Records the kernel dropped since boot (backlog limit exceeded, rate limit, no memory). */
  readonly lost: number;
  /** Records queued for delivery right now. */
  readonly backlog: number;
  readonly backlogLimit: number;
}

export interface AuditNetlink {
  /** Whether audit is enabled (audit_status.enabled), or undefined when it cannot be asked. */
  enabled(): boolean | undefined;
  /** audit_status, or undefined when it cannot be asked. */
  status(): AuditStatus | undefined;
  /** How often the subscription overflowed (ENOBUFS: the kernel dropped multicast records for it). */
  overflows(): number;
  /** Turns audit on or off; throws SyscallError (EPERM without CAP_AUDIT_CONTROL). */
  setEnabled(on: boolean): void;
  /** Sets how many records the kernel queues before it drops them (CAP_AUDIT_CONTROL). */
  setBacklogLimit(n: number): void;
  /** Joins the READLOG group; throws SyscallError (EPERM without CAP_AUDIT_READ). */
  subscribe(): void;
  /** Every message waiting on the subscription, without blocking. */
  drain(): AuditMessage[];
  close(): void;
}

export function openAuditNetlink(): AuditNetlink {
  const koffi = loadKoffi();
  const libc = koffi.load('libc.so.6');
  const socket = libc.func('int socket(int domain, int type, int protocol)');
  const bind = libc.func('int bind(int fd, const void *addr, unsigned int len)');
  const sendto = libc.func('long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, unsigned int alen)');
  const recv = libc.func('long recv(int fd, void *buf, size_t len, int flags)');
  const close = libc.func('int close(int fd)');
  const setsockopt = libc.func('int setsockopt(int fd, int level, int name, const void *value, unsigned int len)');
  const fail = (call: string): never => {
    const e = koffi.errno();
    throw new SyscallError(call, e, u.errnoName(e));
  };
  const sockaddr = (groups: number): Buffer => {
    const a = Buffer.alloc(12);
    a.writeUInt16LE(AF_NETLINK, 0);
    a.writeUInt32LE(0, 4); // nl_pid: the kernel
    a.writeUInt32LE(groups, 8);
    return a;
  };
  const open = (): number => {
    const fd = Number(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT));
    if (fd < 0) fail('socket(AF_NETLINK, NETLINK_AUDIT)');
    return fd;
  };
  let seq = 1;
  /**
   * One request to the kernel. With `replyType`, returns that reply's payload (the kernel may send
   * it after the ACK); without, waits for the ACK and returns nothing.
   */
  const request = (type: number, payload: Buffer, replyType?: number): Buffer | undefined => {
    const fd = open();
    try {
      const msg = Buffer.alloc(16 + payload.length);
      msg.writeUInt32LE(msg.length, 0);
      msg.writeUInt16LE(type, 4);
      msg.writeUInt16LE(replyType === undefined ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST, 6);
      msg.writeUInt32LE(seq++, 8);
      payload.copy(msg, 16);
      if (Number(sendto(fd, msg, msg.length, 0, sockaddr(0), 12)) < 0) fail(`sendto(audit ${type})`);
      const buf = Buffer.alloc(8192);
      for (let i = 0; i < 8; i++) {
        const n = Number(recv(fd, buf, buf.length, 0));
        if (n < 0) fail(`recv(audit ${type})`);
        for (let off = 0; off + 16 <= n; ) {
          const len = buf.readUInt32LE(off);
          const t = buf.readUInt16LE(off + 4);
          if (len < 16) break;
          if (t === NLMSG_ERROR) {
            const err = -buf.readInt32LE(off + 16);
            if (err !== 0) throw new SyscallError(`audit request ${type}`, err, u.errnoName(err));
            if (replyType === undefined) return undefined;
          } else if (t === replyType) {
            return Buffer.from(buf.subarray(off + 16, off + len));
          }
          off += (len + 3) & ~3;
        }
      }
      return undefined;
    } finally {
      close(fd);
    }
  };
  let sub = -1;
  let overflows = 0;
  const status = (): AuditStatus | undefined => {
    try {
      // struct audit_status: mask, enabled, failure, pid, rate_limit, backlog_limit, lost, backlog
      const r = request(AUDIT_GET, Buffer.alloc(0), AUDIT_GET);
      if (!r || r.length < 32) return undefined;
      return { enabled: r.readUInt32LE(4) !== 0, backlogLimit: r.readUInt32LE(20), lost: r.readUInt32LE(24), backlog: r.readUInt32LE(28) };
    } catch {
      return undefined;
    }
  };
  return {
    enabled: () => status()?.enabled,
    status,
    overflows: () => overflows,
    setEnabled(on) {
      const status = Buffer.alloc(40); // struct audit_status: mask, enabled, ...
      status.writeUInt32LE(AUDIT_STATUS_ENABLED, 0);
      status.writeUInt32LE(on ? 1 : 0, 4);
      request(AUDIT_SET, status);
    },
    setBacklogLimit(n) {
      const status = Buffer.alloc(40);
      status.writeUInt32LE(AUDIT_STATUS_BACKLOG_LIMIT, 0);
      status.writeUInt32LE(n, 20);
      request(AUDIT_SET, status);
    },
    subscribe() {
      sub = open();
      if (Number(bind(sub, sockaddr(1 << (AUDIT_NLGRP_READLOG - 1)), 12)) !== 0) {
        const e = koffi.errno();
        close(sub);
        sub = -1;
        throw new SyscallError('bind(NETLINK_AUDIT, READLOG group)', e, u.errnoName(e));
      }
      // A burst of records (ten sandboxes under load) overflows the default buffer: ask for 4 MiB
      // (FORCE needs CAP_NET_ADMIN; the plain call is capped by net.core.rmem_max).
      const size = Buffer.alloc(4);
      size.writeInt32LE(4 << 20, 0);
      if (Number(setsockopt(sub, SOL_SOCKET, SO_RCVBUFFORCE, size, 4)) !== 0) setsockopt(sub, SOL_SOCKET, SO_RCVBUF, size, 4);
    },
    drain() {
      const out: AuditMessage[] = [];
      if (sub < 0) return out;
      const buf = Buffer.alloc(65536);
      for (;;) {
        const n = Number(recv(sub, buf, buf.length, MSG_DONTWAIT));
        if (n < 0 && koffi.errno() === ENOBUFS) {
          overflows++; // records were dropped; the socket works again from here on
          continue;
        }
        if (n <= 0) break;
        for (let off = 0; off + 16 <= n; ) {
          const len = buf.readUInt32LE(off);
          if (len < 16 || off + len > n) break;
          out.push({ type: buf.readUInt16LE(off + 4), text: buf.toString('utf8', off + 16, off + len).replace(/\0+$/, '') });
          off += (len + 3) & ~3;
        }
      }
      return out;
    },
    close() {
      if (sub >= 0) close(sub);
      sub = -1;
    },
  };
}
