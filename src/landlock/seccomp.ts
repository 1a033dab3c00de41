// Classic-BPF seccomp programs. The main filter closes what Landlock leaves open: on the network
// side UDP, raw, packet, netlink, MPTCP and SCTP sockets, TCP Fast Open (sendto/sendmsg with
// MSG_FASTOPEN connects without connect(2), which is all Landlock checks), io_uring, and (below
// Landlock ABI 9) pathname unix sockets; and always the terminal-injection ioctls TIOCSTI and
// TIOCLINUX (a sandboxed program must not type commands into the shell that started it), the
// keyring calls (unless allowed) and, where Landlock rules execute, execveat(AT_EMPTY_PATH).
// The runtime filter is what native-helper's supervisor puts on the supervised command on top of
// it (docs/adr/0007-native-supervisor.md).
// Pure: it only builds the programs; syscalls.ts and native-helper/seccomp.c install them, and
// native-helper builds the same bytes (a test compares them).

export type Arch = 'x64' | 'arm64';

export interface SeccompPlan {
  /** 'tcp': AF_INET/AF_INET6 SOCK_STREAM with protocol 0 or IPPROTO_TCP only (Landlock then rules ports);
   *  'none': no IP sockets at all (kernels without Landlock TCP rules, ABI < 4);
   *  'any': the network is not restricted (only the terminal ioctls are refused). */
  readonly inet: 'tcp' | 'none' | 'any';
  /** 'all': AF_UNIX sockets allowed; 'socketpair': socket(AF_UNIX) refused, socketpair(2) kept for
   *  stream and seqpacket pairs (Node and Jest worker IPC use them) — not datagram pairs, whose
   *  sendto(2) could reach a socket outside; used below ABI 9 where Landlock cannot rule pathname sockets. */
  readonly unix: 'all' | 'socketpair';
  /** 'deny' (the default): keyctl, add_key and request_key get EPERM — the caller's keyrings
   *  outlive the sandbox and are shared with the user's other sessions. */
  readonly keyring?: 'deny' | 'allow';
}

export interface MainFilterOptions {
  /** Landlock rules fs.execute: refuse execveat(AT_EMPTY_PATH), i.e. fexecve(3) of an open file
   *  (a memfd, say), which older kernels run without checking the execute right. */
  readonly execRestricted?: boolean;
}

export const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;

export const SYSCALLS = {
  x64: {
    ioctl: 16, socket: 41, connect: 42, socketpair: 53, sendto: 44, sendmsg: 46, sendmmsg: 307,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
    kill: 62, tkill: 200, tgkill: 234, rt_sigqueueinfo: 129, rt_tgsigqueueinfo: 297, pidfd_send_signal: 424,
    fcntl: 72, prlimit64: 302, seccomp: 317, add_key: 248, request_key: 249, keyctl: 250, execveat: 322,
  },
  arm64: {
    ioctl: 29, socket: 198, connect: 203, socketpair: 199, sendto: 206, sendmsg: 211, sendmmsg: 269,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
    kill: 129, tkill: 130, tgkill: 131, rt_sigqueueinfo: 138, rt_tgsigqueueinfo: 240, pidfd_send_signal: 424,
    fcntl: 25, prlimit64: 261, seccomp: 277, add_key: 217, request_key: 218, keyctl: 219, execveat: 281,
  },
} as const;

const X32_SYSCALL_BIT = 0x40000000;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_SEQPACKET = 5;
const MSG_FASTOPEN = 0x20000000;
const TIOCSTI = 0x5412;
const TIOCLINUX = 0x541c;
const SOCK_TYPE_MASK = 0xf;
const IPPROTO_TCP = 6;
const FIOSETOWN = 0x8901;
const SIOCSPGRP = 0x8902;
const F_SETOWN = 8;
const F_SETOWN_EX = 15;
const AT_EMPTY_PATH = 0x1000;
const EPERM = 1;
const EACCES = 13;
const EAFNOSUPPORT = 97;

// BPF opcodes (linux/bpf_common.h)
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_AND_K = 0x54;
const BPF_RET_K = 0x06;

// struct seccomp_data: int nr @0, u32 arch @4, u64 ip @8, u64 args[6] @16 (low word first on little endian)
const OFF_NR = 0;
const OFF_ARCH = 4;
const argLow = (i: number): number => 16 + 8 * i;
const argHigh = (i: number): number => 20 + 8 * i;

export interface BpfInsn {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

type Target = string | number; // a label or a relative offset
type Asm = { label: string } | [code: number, k: number, jt?: Target, jf?: Target];

/** Resolves labels to forward jump offsets; hand-counted offsets are how filters silently go wrong. */
function assemble(prog: readonly Asm[]): BpfInsn[] {
  const labels = new Map<string, number>();
  const insns: Array<[number, number, Target, Target]> = [];
  for (const p of prog) {
    if ('label' in p) labels.set(p.label, insns.length);
    else insns.push([p[0], p[1], p[2] ?? 0, p[3] ?? 0]);
  }
  return insns.map(([code, k, jt, jf], i) => {
    const rel = (t: Target): number => {
      if (typeof t === 'number') return t;
      const at = labels.get(t);
      if (at === undefined) throw new Error(`seccomp: unknown label ${t}`);
      const off = at - i - 1;
      if (off < 0 || off > 255) throw new Error(`seccomp: jump to ${t} out of range`);
      return off;
    };
    return { code, k: k >>> 0, jt: rel(jt), jf: rel(jf) };
  });
}

/** Foreign architectures (i386 int 0x80, AArch32) would bypass every check: kill them. x32 syscalls
 *  carry the native arch with bit 30 set in nr: refused. Leaves nr loaded. */
function archPrologue(arch: Arch): Asm[] {
  return [
    [BPF_LD_W_ABS, OFF_ARCH],
    [BPF_JEQ_K, AUDIT_ARCH[arch], 1, 0],
    [BPF_RET_K, SECCOMP_RET_KILL_PROCESS],
    [BPF_LD_W_ABS, OFF_NR],
    ...(arch === 'x64' ? ([[BPF_JGE_K, X32_SYSCALL_BIT, 'deny', 0]] as Asm[]) : []),
  ];
}

export function buildSeccompFilter(arch: Arch, plan: SeccompPlan, opts: MainFilterOptions = {}): BpfInsn[] {
  const nr = SYSCALLS[arch];
  const deny = SECCOMP_RET_ERRNO | EACCES;
  const noFamily = SECCOMP_RET_ERRNO | EAFNOSUPPORT;
  const network = plan.inet !== 'any';
  const keyringDenied = plan.keyring !== 'allow';
  const exec = opts.execRestricted === true;
  const prog: Asm[] = [
    ...archPrologue(arch),
    [BPF_JEQ_K, nr.ioctl, 'ioctl', 0],
    ...(keyringDenied
      ? ([
          [BPF_JEQ_K, nr.add_key, 'eperm', 0],
          [BPF_JEQ_K, nr.request_key, 'eperm', 0],
          [BPF_JEQ_K, nr.keyctl, 'eperm', 0],
        ] as Asm[])
      : []),
    ...(exec ? ([[BPF_JEQ_K, nr.execveat, 'execveat', 0]] as Asm[]) : []),
    ...(network
      ? ([
          [BPF_JEQ_K, nr.io_uring_setup, 'deny', 0],
          [BPF_JEQ_K, nr.io_uring_enter, 'deny', 0],
          [BPF_JEQ_K, nr.io_uring_register, 'deny', 0],
          [BPF_JEQ_K, nr.socket, 'socket', 0],
          [BPF_JEQ_K, nr.socketpair, 'socketpair', 0],
          ...(plan.inet === 'tcp'
            ? ([
                [BPF_JEQ_K, nr.sendto, 'flags3', 0],
                [BPF_JEQ_K, nr.sendmmsg, 'flags3', 0],
                [BPF_JEQ_K, nr.sendmsg, 'flags2', 0],
              ] as Asm[])
            : []),
        ] as Asm[])
      : []),
    [BPF_RET_K, SECCOMP_RET_ALLOW],

    { label: 'ioctl' },
    [BPF_LD_W_ABS, argLow(1)],
    [BPF_JEQ_K, TIOCSTI, 'deny', 0],
    [BPF_JEQ_K, TIOCLINUX, 'deny', 'allow'],
    // fexecve(3): execveat(fd, "", ..., AT_EMPTY_PATH) — flags are argument 4.
    ...(exec
      ? ([{ label: 'execveat' }, [BPF_LD_W_ABS, argLow(4)], [BPF_AND_K, AT_EMPTY_PATH], [BPF_JEQ_K, 0, 'allow', 'deny']] as Asm[])
      : []),
  ];
  if (network) {
    prog.push(
      // socketpair(2) only ever makes connected AF_UNIX pairs; other families are refused as for socket().
      { label: 'socketpair' },
      [BPF_LD_W_ABS, argLow(0)],
      [BPF_JEQ_K, AF_UNIX, plan.unix === 'all' ? 'allow' : 'pairtype', 0],
      [BPF_RET_K, noFamily],
      ...(plan.unix === 'all'
        ? []
        : ([
            { label: 'pairtype' },
            [BPF_LD_W_ABS, argLow(1)],
            [BPF_AND_K, SOCK_TYPE_MASK],
            [BPF_JEQ_K, SOCK_STREAM, 'allow', 0],
            [BPF_JEQ_K, SOCK_SEQPACKET, 'allow', 'deny'],
          ] as Asm[])),

      { label: 'socket' },
      [BPF_LD_W_ABS, argLow(0)],
      [BPF_JEQ_K, AF_UNIX, plan.unix === 'all' ? 'allow' : 'deny', 0],
      [BPF_JEQ_K, AF_INET, 'inet', 0],
      [BPF_JEQ_K, AF_INET6, 'inet', 0],
      [BPF_RET_K, noFamily],

      { label: 'inet' },
      ...(plan.inet === 'none'
        ? ([[BPF_RET_K, deny]] as Asm[])
        : ([
            [BPF_LD_W_ABS, argLow(1)],
            [BPF_AND_K, SOCK_TYPE_MASK], // drop SOCK_NONBLOCK / SOCK_CLOEXEC
            [BPF_JEQ_K, SOCK_STREAM, 0, 'deny'],
            [BPF_LD_W_ABS, argLow(2)],
            [BPF_JEQ_K, 0, 'allow', 0],
            [BPF_JEQ_K, IPPROTO_TCP, 'allow', 'deny'], // not MPTCP (262) or SCTP: Landlock ignores them
          ] as Asm[])),
      ...(plan.inet === 'tcp'
        ? ([
            // TCP Fast Open: sendto/sendmmsg flags are argument 3, sendmsg's argument 2.
            { label: 'flags3' },
            [BPF_LD_W_ABS, argLow(3)],
            [BPF_AND_K, MSG_FASTOPEN],
            [BPF_JEQ_K, 0, 'allow', 'deny'],
            { label: 'flags2' },
            [BPF_LD_W_ABS, argLow(2)],
            [BPF_AND_K, MSG_FASTOPEN],
            [BPF_JEQ_K, 0, 'allow', 'deny'],
          ] as Asm[])
        : []),
    );
  }
  prog.push({ label: 'allow' }, [BPF_RET_K, SECCOMP_RET_ALLOW], { label: 'deny' }, [BPF_RET_K, deny]);
  if (keyringDenied) prog.push({ label: 'eperm' }, [BPF_RET_K, SECCOMP_RET_ERRNO | EPERM]);
  return assemble(prog);
}

/** What the supervised command's runtime filter protects and sends to the supervisor. */
export interface RuntimeFilterPlan {
  /** The supervisor's pid. */
  readonly supervisor: number;
  /** The supervisor's parent (the Action, landrun-shell, the CLI); 0 when not visible (another pid namespace). */
  readonly parent: number;
  /** Their process groups; 0 when not visible. */
  readonly supervisorGroup: number;
  readonly parentGroup: number;
  /** The command stays in the supervisor's process group (no --new-pgrp): kill(0) would reach it. */
  readonly sharedGroup: boolean;
  /** The command's Landlock domain scopes signals (ABI 6): the kernel already keeps it from the supervisor. */
  readonly signalScope: boolean;
  /** Loopback mode: connect(2) goes to the supervisor. */
  readonly loopback: boolean;
  /** Landlock rules TCP connect in the command's domain (ABI 4 and net.connect_tcp handled): the
   *  supervisor may let other connects continue. It does not change the program. */
  readonly connectRuled: boolean;
}

/**
 * The filter the supervised command installs on top of the main one (native-helper/seccomp.c
 * builds the same bytes). Measured on Linux 6.18 (docs/adr/0007): Landlock's signal scope covers
 * kill, tkill, tgkill, rt_(tg)sigqueueinfo, pidfd_send_signal and F_SETOWN/SIGIO, but no ABI
 * covers prlimit64; without the scope a thread id names its whole process for kill(2), so pids
 * the filter cannot judge go to the supervisor (SECCOMP_RET_USER_NOTIF), which knows the parent's threads.
 * The command cannot put a listener of its own in front of the supervisor's: the kernel allows one
 * listener per filter chain (EBUSY).
 */
export function buildRuntimeFilter(arch: Arch, p: RuntimeFilterPlan): BpfInsn[] {
  const nr = SYSCALLS[arch];
  const signals = !p.signalScope;
  const u32 = (n: number): number => n >>> 0;
  const pids = (): Asm[] => [
    [BPF_JEQ_K, u32(p.supervisor), 'eperm', 0],
    ...(p.parent > 0 ? ([[BPF_JEQ_K, u32(p.parent), 'eperm', 0]] as Asm[]) : []),
  ];
  const groups = (): Asm[] => [
    [BPF_JEQ_K, u32(-p.supervisor), 'eperm', 0],
    ...(p.parent > 0 ? ([[BPF_JEQ_K, u32(-p.parent), 'eperm', 0]] as Asm[]) : []),
    ...(p.supervisorGroup > 0 ? ([[BPF_JEQ_K, u32(-p.supervisorGroup), 'eperm', 0]] as Asm[]) : []),
    ...(p.parentGroup > 0 ? ([[BPF_JEQ_K, u32(-p.parentGroup), 'eperm', 0]] as Asm[]) : []),
  ];
  const prog: Asm[] = [
    ...archPrologue(arch),
    [BPF_JEQ_K, nr.prlimit64, 'prlimit', 0],
    ...(p.loopback ? ([[BPF_JEQ_K, nr.connect, 'notify', 0]] as Asm[]) : []),
    ...(signals
      ? ([
          [BPF_JEQ_K, nr.kill, 'kill', 0],
          [BPF_JEQ_K, nr.tkill, 'onepid', 0],
          [BPF_JEQ_K, nr.tgkill, 'tgkill', 0],
          [BPF_JEQ_K, nr.rt_tgsigqueueinfo, 'tgkill', 0],
          [BPF_JEQ_K, nr.rt_sigqueueinfo, 'onepid', 0],
          [BPF_JEQ_K, nr.pidfd_send_signal, 'eperm', 0], // a pidfd may come from /proc/PID: BPF cannot tell whose
          [BPF_JEQ_K, nr.fcntl, 'fcntl', 0],
          [BPF_JEQ_K, nr.ioctl, 'ioctl', 0],
        ] as Asm[])
      : []),
    [BPF_RET_K, SECCOMP_RET_ALLOW],

    // prlimit64: reading limits, or setting one's own (pid 0); a limit set on another process
    // (RLIMIT_CPU) can kill it, and any thread id names a process.
    { label: 'prlimit' },
    [BPF_LD_W_ABS, argLow(2)],
    [BPF_JEQ_K, 0, 0, 'prpid'],
    [BPF_LD_W_ABS, argHigh(2)],
    [BPF_JEQ_K, 0, 'allow', 0],
    { label: 'prpid' },
    [BPF_LD_W_ABS, argLow(0)],
    [BPF_JEQ_K, 0, 'allow', 'eperm'],
  ];
  if (signals) {
    prog.push(
      // kill(2): the two pids, every process (-1), their groups, the own group when it is the
      // supervisor's; other groups pass; other pids go to the supervisor.
      { label: 'kill' },
      [BPF_LD_W_ABS, argLow(0)],
      ...pids(),
      [BPF_JEQ_K, 0xffffffff, 'eperm', 0],
      ...groups(),
      [BPF_JEQ_K, 0, p.sharedGroup ? 'eperm' : 'allow', 0],
      [BPF_JGE_K, 0x80000000, 'allow', 'notify'],
      // tkill(2), rt_sigqueueinfo(2): one pid or thread id.
      { label: 'onepid' },
      [BPF_LD_W_ABS, argLow(0)],
      ...pids(),
      [BPF_JEQ_K, 0, 'allow', 0],
      [BPF_JGE_K, 0x80000000, 'allow', 'notify'],
      // tgkill(2), rt_tgsigqueueinfo(2): the kernel checks that the thread is in the group.
      { label: 'tgkill' },
      [BPF_LD_W_ABS, argLow(0)],
      ...pids(),
      [BPF_RET_K, SECCOMP_RET_ALLOW],
      // fcntl(F_SETOWN) picks who gets SIGIO/SIGURG (F_SETSIG may make it SIGKILL); F_SETOWN_EX
      // passes the owner through a pointer.
      { label: 'fcntl' },
      [BPF_LD_W_ABS, argLow(1)],
      [BPF_JEQ_K, F_SETOWN, 0, 'fcntl2'],
      [BPF_LD_W_ABS, argLow(2)],
      ...pids(),
      ...groups(),
      [BPF_JEQ_K, 0, 'allow', 0],
      [BPF_JGE_K, 0x80000000, 'allow', 'notify'],
      { label: 'fcntl2' },
      [BPF_JEQ_K, F_SETOWN_EX, 'eperm', 'allow'],
      // The ioctl spellings of F_SETOWN take the owner through a pointer.
      { label: 'ioctl' },
      [BPF_LD_W_ABS, argLow(1)],
      [BPF_JEQ_K, FIOSETOWN, 'eperm', 0],
      [BPF_JEQ_K, SIOCSPGRP, 'eperm', 'allow'],
    );
  }
  if (signals || p.loopback) prog.push({ label: 'notify' }, [BPF_RET_K, SECCOMP_RET_USER_NOTIF]);
  prog.push(
    { label: 'allow' },
    [BPF_RET_K, SECCOMP_RET_ALLOW],
    { label: 'deny' },
    [BPF_RET_K, SECCOMP_RET_ERRNO | EACCES],
    { label: 'eperm' },
    [BPF_RET_K, SECCOMP_RET_ERRNO | EPERM],
  );
  return assemble(prog);
}

/** struct sock_filter[] as bytes: u16 code, u8 jt, u8 jf, u32 k (native little endian on x64/arm64). */
export function encodeFilter(insns: readonly BpfInsn[]): Uint8Array {
  const out = new Uint8Array(insns.length * 8);
  const dv = new DataView(out.buffer);
  insns.forEach((ins, i) => {
    dv.setUint16(i * 8, ins.code, true);
    dv.setUint8(i * 8 + 2, ins.jt);
    dv.setUint8(i * 8 + 3, ins.jf);
    dv.setUint32(i * 8 + 4, ins.k, true);
  });
  return out;
}

export function describeSeccomp(plan: SeccompPlan | null): string {
  if (!plan) return 'off';
  const keyring = plan.keyring === 'allow' ? '; keyrings allowed' : '; keyrings (keyctl, add_key, request_key) refused';
  if (plan.inet === 'any') return `network not restricted; terminal injection (TIOCSTI, TIOCLINUX) refused${keyring}`;
  const inet = plan.inet === 'tcp' ? 'IP: TCP stream sockets only (ports ruled by Landlock), no TCP Fast Open' : 'IP: no sockets (TCP, UDP and raw refused)';
  const unix = plan.unix === 'all' ? 'unix sockets allowed' : 'unix: stream socketpairs only (socket(AF_UNIX) refused)';
  return `${inet}; ${unix}; UDP, raw, packet, netlink, MPTCP, SCTP, io_uring and terminal injection refused${keyring}`;
}

export function seccompProfileName(plan: SeccompPlan | null): string {
  if (!plan) return 'off';
  if (plan.inet === 'any') return 'tty-only';
  return `${plan.inet === 'tcp' ? 'tcp-only' : 'no-inet'}${plan.unix === 'all' ? '' : '+no-unix'}`;
}
