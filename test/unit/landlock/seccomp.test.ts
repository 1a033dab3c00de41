import { describe, expect, it } from '@jest/globals';
import {
  AUDIT_ARCH,
  buildRuntimeFilter,
  buildSeccompFilter,
  encodeFilter,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_USER_NOTIF,
  SYSCALLS,
  type Arch,
  type RuntimeFilterPlan,
  type SeccompPlan,
} from '../../../src/landlock/seccomp.js';
import { runFilter } from '../../helpers/bpf.js';

const EACCES = SECCOMP_RET_ERRNO | 13;
const EAFNOSUPPORT = SECCOMP_RET_ERRNO | 97;
const ALLOW = SECCOMP_RET_ALLOW;
const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17, AF_VSOCK = 40;
const STREAM = 1, DGRAM = 2, RAW = 3, SEQPACKET = 5, NONBLOCK = 0x800, CLOEXEC = 0x80000;

const profiles: Record<string, SeccompPlan> = {
  std: { inet: 'tcp', unix: 'all' },
  notcp: { inet: 'none', unix: 'all' },
  nounix: { inet: 'tcp', unix: 'socketpair' },
  open: { inet: 'any', unix: 'all' },
};

// [profile, family, type, protocol, verdict]
const socketCases: Array<[string, number, number, number, number]> = [
  ['std', AF_INET, STREAM, 0, ALLOW],
  ['std', AF_INET6, STREAM | CLOEXEC, 6, ALLOW],
  ['std', AF_INET, STREAM | NONBLOCK | CLOEXEC, 0, ALLOW],
  ['std', AF_INET, STREAM, 262, EACCES], // MPTCP
  ['std', AF_INET, SEQPACKET, 132, EACCES], // SCTP
  ['std', AF_INET, DGRAM, 0, EACCES],
  ['std', AF_INET, DGRAM | NONBLOCK | CLOEXEC, 17, EACCES],
  ['std', AF_INET6, DGRAM, 0, EACCES],
  ['std', AF_INET, RAW, 1, EACCES],
  ['std', AF_UNIX, STREAM, 0, ALLOW],
  ['std', AF_UNIX, DGRAM, 0, ALLOW],
  ['std', AF_NETLINK, RAW, 0, EAFNOSUPPORT],
  ['std', AF_PACKET, RAW, 0, EAFNOSUPPORT],
  ['std', AF_VSOCK, STREAM, 0, EAFNOSUPPORT],
  ['notcp', AF_INET, STREAM, 0, EACCES],
  ['notcp', AF_INET6, STREAM, 6, EACCES],
  ['notcp', AF_UNIX, STREAM, 0, ALLOW],
  ['nounix', AF_UNIX, STREAM, 0, EACCES],
  ['nounix', AF_UNIX, DGRAM | CLOEXEC, 0, EACCES],
  ['nounix', AF_INET, STREAM, 0, ALLOW],
  ['open', AF_INET, DGRAM, 0, ALLOW],
  ['open', AF_INET, RAW, 1, ALLOW],
  ['open', AF_NETLINK, RAW, 0, ALLOW],
  ['open', AF_UNIX, STREAM, 0, ALLOW],
];

describe.each(['x64', 'arm64'] as Arch[])('seccomp filter (%s)', (arch) => {
  const nr = SYSCALLS[arch];
  it.each(socketCases)('%s: socket(%i, %i, %i)', (profile, family, type, proto, verdict) => {
    const prog = buildSeccompFilter(arch, profiles[profile] as SeccompPlan);
    expect(runFilter(prog, { nr: nr.socket, arch: AUDIT_ARCH[arch], args: [family, type, proto] })).toBe(verdict >>> 0);
  });

  it.each(['std', 'notcp', 'nounix'])('%s: socketpair(AF_UNIX) stream stays allowed, other families refused', (profile) => {
    const prog = buildSeccompFilter(arch, profiles[profile] as SeccompPlan);
    expect(runFilter(prog, { nr: nr.socketpair, arch: AUDIT_ARCH[arch], args: [AF_UNIX, STREAM, 0] })).toBe(ALLOW);
    expect(runFilter(prog, { nr: nr.socketpair, arch: AUDIT_ARCH[arch], args: [AF_UNIX, SEQPACKET | CLOEXEC, 0] })).toBe(ALLOW);
    expect(runFilter(prog, { nr: nr.socketpair, arch: AUDIT_ARCH[arch], args: [AF_INET, STREAM, 0] })).toBe(EAFNOSUPPORT >>> 0);
  });

  it('socketpair datagram pairs (whose sendto could reach an outside socket) only where unix sockets are allowed', () => {
    const nounix = buildSeccompFilter(arch, profiles.nounix as SeccompPlan);
    expect(runFilter(nounix, { nr: nr.socketpair, arch: AUDIT_ARCH[arch], args: [AF_UNIX, DGRAM | CLOEXEC, 0] })).toBe(EACCES >>> 0);
    const std = buildSeccompFilter(arch, profiles.std as SeccompPlan);
    expect(runFilter(std, { nr: nr.socketpair, arch: AUDIT_ARCH[arch], args: [AF_UNIX, DGRAM, 0] })).toBe(ALLOW);
  });

  it('refuses TCP Fast Open (sendto/sendmmsg/sendmsg with MSG_FASTOPEN) where TCP is ruled by port', () => {
    const MSG_FASTOPEN = 0x20000000;
    const prog = buildSeccompFilter(arch, profiles.std as SeccompPlan);
    expect(runFilter(prog, { nr: nr.sendto, arch: AUDIT_ARCH[arch], args: [3, 0, 10, MSG_FASTOPEN, 0, 16] })).toBe(EACCES >>> 0);
    expect(runFilter(prog, { nr: nr.sendto, arch: AUDIT_ARCH[arch], args: [3, 0, 10, 0x40, 0, 0] })).toBe(ALLOW);
    expect(runFilter(prog, { nr: nr.sendmmsg, arch: AUDIT_ARCH[arch], args: [3, 0, 1, MSG_FASTOPEN | 0x40] })).toBe(EACCES >>> 0);
    expect(runFilter(prog, { nr: nr.sendmsg, arch: AUDIT_ARCH[arch], args: [3, 0, MSG_FASTOPEN] })).toBe(EACCES >>> 0);
    expect(runFilter(prog, { nr: nr.sendmsg, arch: AUDIT_ARCH[arch], args: [3, 0, 0] })).toBe(ALLOW);
    const open = buildSeccompFilter(arch, profiles.open as SeccompPlan);
    expect(runFilter(open, { nr: nr.sendto, arch: AUDIT_ARCH[arch], args: [3, 0, 10, MSG_FASTOPEN, 0, 16] })).toBe(ALLOW);
  });

  it.each(Object.keys(profiles))('%s: refuses the terminal-injection ioctls only', (profile) => {
    const prog = buildSeccompFilter(arch, profiles[profile] as SeccompPlan);
    expect(runFilter(prog, { nr: nr.ioctl, arch: AUDIT_ARCH[arch], args: [0, 0x5412, 0] })).toBe(EACCES >>> 0); // TIOCSTI
    expect(runFilter(prog, { nr: nr.ioctl, arch: AUDIT_ARCH[arch], args: [0, 0x541c, 0] })).toBe(EACCES >>> 0); // TIOCLINUX
    expect(runFilter(prog, { nr: nr.ioctl, arch: AUDIT_ARCH[arch], args: [0, 0x5413, 0] })).toBe(ALLOW); // TIOCGWINSZ
  });

  it('refuses io_uring and allows unrelated syscalls', () => {
    const prog = buildSeccompFilter(arch, profiles.std as SeccompPlan);
    for (const n of [nr.io_uring_setup, nr.io_uring_enter, nr.io_uring_register]) {
      expect(runFilter(prog, { nr: n, arch: AUDIT_ARCH[arch] })).toBe(EACCES >>> 0);
    }
    for (const n of [0, 1, 2, 39, 59, 63, 172, 221]) {
      expect(runFilter(prog, { nr: n, arch: AUDIT_ARCH[arch] })).toBe(ALLOW);
    }
  });

  it('kills foreign architectures (i386, AArch32 compat calls)', () => {
    const prog = buildSeccompFilter(arch, profiles.std as SeccompPlan);
    for (const foreign of [0x40000003, 0x40000028, arch === 'x64' ? AUDIT_ARCH.arm64 : AUDIT_ARCH.x64]) {
      expect(runFilter(prog, { nr: 41, arch: foreign, args: [AF_INET, DGRAM, 0] })).toBe(SECCOMP_RET_KILL_PROCESS);
    }
  });

  it('encodes 8 bytes per instruction', () => {
    const prog = buildSeccompFilter(arch, profiles.std as SeccompPlan);
    const bytes = encodeFilter(prog);
    expect(bytes.length).toBe(prog.length * 8);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(0, true)).toBe(0x20);
    expect(dv.getUint32(4, true)).toBe(4); // first insn loads seccomp_data.arch
  });
});

describe('seccomp filter (x64 only)', () => {
  it('refuses x32 syscalls', () => {
    const prog = buildSeccompFilter('x64', profiles.std as SeccompPlan);
    expect(runFilter(prog, { nr: 0x40000000 | 41, arch: AUDIT_ARCH.x64, args: [AF_INET, STREAM, 0] })).toBe(EACCES >>> 0);
  });
});

describe.each(['x64', 'arm64'] as Arch[])('main filter additions (%s)', (arch) => {
  const nr = SYSCALLS[arch];
  const EPERM = (SECCOMP_RET_ERRNO | 1) >>> 0;
  const AT_EMPTY_PATH = 0x1000;

  it('refuses the keyring calls with EPERM unless the plan allows them', () => {
    const deny = buildSeccompFilter(arch, { inet: 'tcp', unix: 'all' });
    const allow = buildSeccompFilter(arch, { inet: 'tcp', unix: 'all', keyring: 'allow' });
    const open = buildSeccompFilter(arch, { inet: 'any', unix: 'all' });
    for (const n of [nr.add_key, nr.request_key, nr.keyctl]) {
      expect(runFilter(deny, { nr: n, arch: AUDIT_ARCH[arch] })).toBe(EPERM);
      expect(runFilter(open, { nr: n, arch: AUDIT_ARCH[arch] })).toBe(EPERM); // not a network matter
      expect(runFilter(allow, { nr: n, arch: AUDIT_ARCH[arch] })).toBe(ALLOW);
    }
  });

  it('refuses execveat(AT_EMPTY_PATH) only where Landlock rules execute', () => {
    const restricted = buildSeccompFilter(arch, { inet: 'tcp', unix: 'all' }, { execRestricted: true });
    const free = buildSeccompFilter(arch, { inet: 'tcp', unix: 'all' });
    const call = (flags: number) => ({ nr: nr.execveat, arch: AUDIT_ARCH[arch], args: [3, 0, 0, 0, flags] });
    expect(runFilter(restricted, call(AT_EMPTY_PATH))).toBe(EACCES >>> 0);
    expect(runFilter(restricted, call(AT_EMPTY_PATH | 0x100))).toBe(EACCES >>> 0); // with AT_SYMLINK_NOFOLLOW
    expect(runFilter(restricted, call(0))).toBe(ALLOW); // a path: Landlock checks it
    expect(runFilter(free, call(AT_EMPTY_PATH))).toBe(ALLOW);
    expect(runFilter(restricted, { nr: arch === 'x64' ? 59 : 221, arch: AUDIT_ARCH[arch] })).toBe(ALLOW); // execve
  });
});

describe.each(['x64', 'arm64'] as Arch[])('runtime filter (%s)', (arch) => {
  const nr = SYSCALLS[arch];
  const EPERM = (SECCOMP_RET_ERRNO | 1) >>> 0;
  const NOTIFY = SECCOMP_RET_USER_NOTIF >>> 0;
  const S = 5000, P = 4000, SG = 5000, PG = 3900;
  const base: RuntimeFilterPlan = { supervisor: S, parent: P, supervisorGroup: SG, parentGroup: PG, sharedGroup: false, signalScope: false, loopback: false, connectRuled: true };
  const run = (p: Partial<RuntimeFilterPlan>, n: number, args: number[], argsHigh?: number[]) =>
    runFilter(buildRuntimeFilter(arch, { ...base, ...p }), { nr: n, arch: AUDIT_ARCH[arch], args, ...(argsHigh ? { argsHigh } : {}) });

  it('prlimit64: reading any limit and setting one\'s own pass; setting another process\'s is refused at every ABI', () => {
    for (const signalScope of [false, true]) {
      expect(run({ signalScope }, nr.prlimit64, [0, 7, 0x1000, 0])).toBe(ALLOW);
      expect(run({ signalScope }, nr.prlimit64, [S, 7, 0, 0x2000])).toBe(ALLOW); // read only
      for (const pid of [S, P, 12345]) expect(run({ signalScope }, nr.prlimit64, [pid, 0, 0x1000, 0])).toBe(EPERM);
      expect(run({ signalScope }, nr.prlimit64, [P, 0, 0, 0], [0, 0, 0x7fff, 0])).toBe(EPERM); // pointer with a zero low word
    }
  });

  it('without the signal scope: kill refuses S, P, their groups and -1; other groups pass; other pids go to S', () => {
    for (const pid of [S, P, -1, -S, -P, -SG, -PG]) expect([pid, run({}, nr.kill, [pid, 9])]).toEqual([pid, EPERM]);
    expect(run({}, nr.kill, [-777, 15])).toBe(ALLOW);
    expect(run({}, nr.kill, [0, 15])).toBe(ALLOW);
    expect(run({ sharedGroup: true }, nr.kill, [0, 15])).toBe(EPERM);
    expect(run({}, nr.kill, [777, 15])).toBe(NOTIFY);
  });

  it('without the signal scope: tkill and rt_sigqueueinfo by id, tgkill by group, pidfd_send_signal always', () => {
    for (const n of [nr.tkill, nr.rt_sigqueueinfo]) {
      expect(run({}, n, [S, 9])).toBe(EPERM);
      expect(run({}, n, [P, 9])).toBe(EPERM);
      expect(run({}, n, [777, 9])).toBe(NOTIFY);
      expect(run({}, n, [0, 9])).toBe(ALLOW);
    }
    for (const n of [nr.tgkill, nr.rt_tgsigqueueinfo]) {
      expect(run({}, n, [P, 4001, 9])).toBe(EPERM);
      expect(run({}, n, [777, 778, 9])).toBe(ALLOW);
    }
    expect(run({}, nr.pidfd_send_signal, [3, 9, 0, 0])).toBe(EPERM);
  });

  it('without the signal scope: F_SETOWN towards S, P or their groups, F_SETOWN_EX and FIOSETOWN/SIOCSPGRP are refused', () => {
    const F_SETOWN = 8, F_SETOWN_EX = 15, F_SETFL = 4;
    for (const who of [S, P, -SG, -PG]) expect(run({}, nr.fcntl, [3, F_SETOWN, who])).toBe(EPERM);
    expect(run({}, nr.fcntl, [3, F_SETOWN, 777])).toBe(NOTIFY);
    expect(run({}, nr.fcntl, [3, F_SETOWN, 0])).toBe(ALLOW);
    expect(run({}, nr.fcntl, [3, F_SETOWN_EX, 0])).toBe(EPERM);
    expect(run({}, nr.fcntl, [3, F_SETFL, 0x800])).toBe(ALLOW);
    expect(run({}, nr.ioctl, [3, 0x8901, 0])).toBe(EPERM);
    expect(run({}, nr.ioctl, [3, 0x8902, 0])).toBe(EPERM);
    expect(run({}, nr.ioctl, [3, 0x5413, 0])).toBe(ALLOW);
  });

  it('with the signal scope the signal calls are left to Landlock', () => {
    for (const [n, args] of [[nr.kill, [S, 9]], [nr.kill, [-1, 9]], [nr.tkill, [P, 9]], [nr.pidfd_send_signal, [3, 9]], [nr.fcntl, [3, 8, P]]] as const) {
      expect(run({ signalScope: true }, n, [...args])).toBe(ALLOW);
    }
  });

  it('loopback mode sends every connect to the supervisor; otherwise connect is not filtered', () => {
    expect(run({ loopback: true, signalScope: true }, nr.connect, [3, 0x1000, 16])).toBe(NOTIFY);
    expect(run({ loopback: true }, nr.connect, [3, 0x1000, 16])).toBe(NOTIFY);
    expect(run({ signalScope: true }, nr.connect, [3, 0x1000, 16])).toBe(ALLOW);
  });

  it('a parent in another pid namespace (pid 0) adds no rule for pid 0', () => {
    expect(run({ parent: 0, parentGroup: 0 }, nr.kill, [0, 15])).toBe(ALLOW);
  });

  it('kills foreign architectures and refuses x32', () => {
    expect(runFilter(buildRuntimeFilter(arch, base), { nr: nr.kill, arch: 0x40000003 })).toBe(SECCOMP_RET_KILL_PROCESS);
    if (arch === 'x64') expect(runFilter(buildRuntimeFilter(arch, base), { nr: 0x40000000 | 62, arch: AUDIT_ARCH.x64 })).toBe(EACCES >>> 0);
  });
});
