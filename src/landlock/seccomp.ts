// A classic-BPF seccomp filter that closes what Landlock leaves open: on the network side UDP,
// raw, packet, netlink, MPTCP and SCTP sockets, TCP Fast Open (sendto/sendmsg with MSG_FASTOPEN
// connects without connect(2), which is all Landlock checks), io_uring, and (below Landlock ABI 9)
// pathname unix sockets; and always the terminal-injection ioctls TIOCSTI and TIOCLINUX (a
// sandboxed program must not type commands into the shell that started it).
// Pure: it only builds the program; syscalls.ts (and native-helper) install it.

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
}

export const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;

export const SYSCALLS = {
  x64: { ioctl: 16, socket: 41, socketpair: 53, sendto: 44, sendmsg: 46, sendmmsg: 307, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427 },
  arm64: { ioctl: 29, socket: 198, socketpair: 199, sendto: 206, sendmsg: 211, sendmmsg: 269, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427 },
} as const;

const X32_SYSCALL_BIT = 0x40000000;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;

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

export function buildSeccompFilter(arch: Arch, plan: SeccompPlan): BpfInsn[] {
  const nr = SYSCALLS[arch];
  const deny = SECCOMP_RET_ERRNO | EACCES;
  const noFamily = SECCOMP_RET_ERRNO | EAFNOSUPPORT;
  const network = plan.inet !== 'any';
  const prog: Asm[] = [
    // Foreign architectures (i386 int 0x80, AArch32) would bypass every check below: kill them.
    [BPF_LD_W_ABS, OFF_ARCH],
    [BPF_JEQ_K, AUDIT_ARCH[arch], 1, 0],
    [BPF_RET_K, SECCOMP_RET_KILL_PROCESS],
    [BPF_LD_W_ABS, OFF_NR],
    // x32 syscalls carry the native arch with bit 30 set in nr.
    ...(arch === 'x64' ? ([[BPF_JGE_K, X32_SYSCALL_BIT, 'deny', 0]] as Asm[]) : []),
    [BPF_JEQ_K, nr.ioctl, 'ioctl', 0],
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
  if (plan.inet === 'any') return 'network not restricted; terminal injection (TIOCSTI, TIOCLINUX) refused';
  const inet = plan.inet === 'tcp' ? 'IP: TCP stream sockets only (ports ruled by Landlock), no TCP Fast Open' : 'IP: no sockets (TCP, UDP and raw refused)';
  const unix = plan.unix === 'all' ? 'unix sockets allowed' : 'unix: stream socketpairs only (socket(AF_UNIX) refused)';
  return `${inet}; ${unix}; UDP, raw, packet, netlink, MPTCP, SCTP, io_uring and terminal injection refused`;
}

export function seccompProfileName(plan: SeccompPlan | null): string {
  if (!plan) return 'off';
  if (plan.inet === 'any') return 'tty-only';
  return `${plan.inet === 'tcp' ? 'tcp-only' : 'no-inet'}${plan.unix === 'all' ? '' : '+no-unix'}`;
}
