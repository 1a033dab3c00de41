// Probes for the escape battery (test/integration/escape.test.ts): a Perl socket probe that runs
// inside the sandbox (perl is at /usr/bin/perl, covered by --rox /usr), a tiny C io_uring probe,
// and observers that run in the test process (UDP, unix-socket listeners).
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCollect, type RunResult } from './run.js';

export const PERL = '/usr/bin/perl';
/** `perl -e` opens /dev/null for its script handle. */
export const PERL_GRANTS = ['--ro', '/dev/null'];

/**
 * One probe, several operations. Prints one line; on failure prints `<what>: <strerror>` on stderr
 * and exits with the errno (13 EACCES, 1 EPERM, 97 EAFNOSUPPORT, 111 ECONNREFUSED ...).
 *   socket FAMILY TYPE PROTO     socket(2) only
 *   udp PORT PAYLOAD             send one datagram to 127.0.0.1:PORT
 *   tcp PORT [PROTO]             connect a SOCK_STREAM socket (PROTO 0, 6 or 262 = MPTCP) to 127.0.0.1:PORT, print the first line
 *   unix PATH|@NAME              connect an AF_UNIX stream socket, print the first line; @NAME is abstract
 *   socketpair                   socketpair(AF_UNIX) and pass a line through it
 * Abstract names are padded to the full sun_path (108 bytes): Node 20's net.Server binds
 * '\0name' with the whole padded sun_path as the name, so an exact-length address never matches it.
 */
export const PERL_PROBE = String.raw`
use strict; use warnings; use Socket;
$| = 1;
my ($op, @a) = @ARGV;
sub fail { my $what = shift; my $e = $! + 0; print STDERR "$what: $!\n"; exit($e || 255); }
my $lo = inet_aton('127.0.0.1');
if ($op eq 'socket') {
  socket(my $s, $a[0], $a[1], $a[2]) or fail('socket');
  print "socket: ok\n"; exit 0;
}
if ($op eq 'udp') {
  socket(my $s, PF_INET, SOCK_DGRAM, 0) or fail('socket');
  defined(send($s, $a[1], 0, pack_sockaddr_in($a[0], $lo))) or fail('sendto');
  print "sent\n"; exit 0;
}
if ($op eq 'tcp') {
  socket(my $s, PF_INET, SOCK_STREAM, $a[1] // 0) or fail('socket');
  connect($s, pack_sockaddr_in($a[0], $lo)) or fail('connect');
  my $line = <$s> // "\n"; print "connected: $line"; exit 0;
}
if ($op eq 'unix') {
  my $p = $a[0]; if ($p =~ s/^@/\0/) { $p .= "\0" x (108 - length $p) }
  socket(my $s, PF_UNIX, SOCK_STREAM, 0) or fail('socket');
  connect($s, pack('S', AF_UNIX) . $p) or fail('connect');
  my $line = <$s> // "\n"; print "connected: $line"; exit 0;
}
if ($op eq 'socketpair') {
  socketpair(my $x, my $y, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or fail('socketpair');
  syswrite($x, "pair\n"); sysread($y, my $buf, 5); print "socketpair: $buf"; exit 0;
}
print STDERR "unknown op $op\n"; exit 254;
`;

/** argv for the Perl probe: perl(op, ...args). */
export function perl(op: string, ...args: Array<string | number>): string[] {
  return [PERL, '-e', PERL_PROBE, op, ...args.map(String)];
}

export const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, VSOCK: 40 } as const;
export const SOCK = { STREAM: 1, DGRAM: 2, RAW: 3, SEQPACKET: 5, NONBLOCK: 0x800, CLOEXEC: 0x80000 } as const;
export const IPPROTO = { ICMP: 1, TCP: 6, SCTP: 132, MPTCP: 262 } as const;

/** io_uring_setup(8, &params) through the raw syscall number (425 on x86_64 and arm64). */
export const IO_URING_PROBE_C = `
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  unsigned char params[120]; /* struct io_uring_params */
  memset(params, 0, sizeof params);
  long fd = syscall(425, 8, params);
  if (fd < 0) { int e = errno; printf("io_uring_setup: %s\\n", strerror(e)); return e; }
  printf("io_uring_setup: ok\\n");
  close((int)fd);
  return 0;
}
`;

/** Compiles a C source into dir; null (with the reason) when gcc is absent or fails. */
export function compileC(dir: string, name: string, source: string): { path: string } | { path: null; reason: string } {
  const src = join(dir, `${name}.c`);
  const out = join(dir, name);
  writeFileSync(src, source);
  const r = spawnSync('gcc', ['-O', '-o', out, src], { encoding: 'utf8' });
  if (r.error) return { path: null, reason: `gcc is not available (${r.error.message})` };
  if (r.status !== 0) return { path: null, reason: `gcc failed: ${r.stderr}` };
  return { path: out };
}

/** Runs a command outside any sandbox (the control), without blocking the test process. */
export function runDirect(argv: readonly string[], opts: { env?: Record<string, string>; timeout?: number } = {}): Promise<RunResult> {
  const [cmd, ...args] = argv as [string, ...string[]];
  return spawnCollect(cmd, args, { env: opts.env ?? { LANG: 'C' }, timeout: opts.timeout });
}

/** The kernel's Landlock ABI, asked independently of the code under test (perl's syscall()). */
export function kernelAbi(): number {
  const r = spawnSync(PERL, ['-e', 'my $v = syscall(444, 0, 0, 1); print $v < 0 ? 0 : $v'], { encoding: 'utf8' });
  const v = Number(r.stdout.trim());
  return r.status === 0 && Number.isInteger(v) ? v : 0;
}

/** The probe's own stderr: the launcher's `[landrun] ...` lines removed. */
export function probeStderr(r: RunResult): string {
  return r.stderr
    .split('\n')
    .filter((l) => !l.startsWith('[landrun]'))
    .join('\n');
}

/** Capability sets of a /proc/<pid>/status text, as bigints. */
export function capabilities(status: string): Record<'CapInh' | 'CapPrm' | 'CapEff' | 'CapBnd' | 'CapAmb', bigint> {
  const get = (k: string): bigint => {
    const m = new RegExp(`^${k}:\\s*([0-9a-f]+)$`, 'm').exec(status);
    if (!m) throw new Error(`no ${k} in status:\n${status}`);
    return BigInt(`0x${m[1]}`);
  };
  return { CapInh: get('CapInh'), CapPrm: get('CapPrm'), CapEff: get('CapEff'), CapBnd: get('CapBnd'), CapAmb: get('CapAmb') };
}

export function ownCapabilities(): ReturnType<typeof capabilities> {
  return capabilities(readFileSync('/proc/self/status', 'utf8'));
}

/** Lets the test process's event loop run pending accepts / datagrams before counting. */
export const settle = (ms = 250): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A UDP socket on 127.0.0.1 that records every datagram it receives. */
export interface UdpListener {
  readonly port: number;
  messages(): string[];
  /** Resolves with the next datagram, or null after timeoutMs. */
  next(timeoutMs: number): Promise<string | null>;
  close(): Promise<void>;
}

export async function udpListen(): Promise<UdpListener> {
  const sock = createSocket('udp4');
  const got: string[] = [];
  const waiters: Array<(m: string) => void> = [];
  sock.on('message', (msg) => {
    const m = msg.toString('utf8');
    got.push(m);
    for (const w of waiters.splice(0)) w(m);
  });
  await new Promise<void>((res, rej) => {
    sock.once('error', rej);
    sock.bind(0, '127.0.0.1', () => res());
  });
  return {
    port: sock.address().port,
    messages: () => [...got],
    next: (timeoutMs) =>
      new Promise((res) => {
        const timer = setTimeout(() => res(null), timeoutMs);
        waiters.push((m) => {
          clearTimeout(timer);
          res(m);
        });
      }),
    close: () => new Promise<void>((res) => sock.close(() => res())),
  };
}

/** A unix stream server (pathname, or abstract when the name starts with '\0') that counts connections. */
export interface UnixServer {
  readonly address: string;
  connections(): number;
  close(): Promise<void>;
}

export async function unixListen(address: string): Promise<UnixServer> {
  let count = 0;
  const server: Server = createServer((sock) => {
    count++;
    sock.end('hello\n');
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(address, () => res());
  });
  return {
    address,
    connections: () => count,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
