import { describe, expect, it } from '@jest/globals';
import type { Denial } from '../../../src/denials/report.js';
import { AuditCollector, denialFromTraceLine, parseAuditFields, parseAuditRecord } from '../../../src/denials/parse.js';

// Records as the kernel sent them in LANDLOCK.md §2.2 (serials and domains from that run).
const STREAM: Array<[number, string]> = [
  [1423, 'audit(1795886086.266:9): domain=10617dd37 blockers=fs.write_file path="/dev/tty" dev="devtmpfs" ino=9'],
  [1424, 'audit(1795886086.266:9): domain=10617dd37 status=allocated mode=enforcing pid=7592 uid=0 exe="/usr/bin/node" comm="node"'],
  [1300, 'audit(1795886086.266:9): arch=c000003e syscall=257 success=no exit=-13 ppid=7581 pid=7592 uid=0 comm="bash" exe="/usr/bin/bash" key=(null)'],
  [1423, 'audit(1795886086.270:10): domain=10617dd37 blockers=fs.make_reg path="/tmp/work" dev="vda" ino=2146346'],
  [1423, 'audit(1795886086.274:11): domain=10617dd37 blockers=fs.read_file path="/root/.bashrc" dev="vda" ino=4006'],
  [1300, 'audit(1795886086.274:11): arch=c000003e syscall=257 success=no exit=-13 ppid=7592 pid=7602 comm="cat" exe="/usr/bin/cat"'],
  // another sandbox at the same time: different domain, different launcher
  [1423, 'audit(1795886086.275:12): domain=2aaaaaaaa blockers=fs.read_file path="/etc/shadow" dev="vda" ino=1'],
  [1424, 'audit(1795886086.275:12): domain=2aaaaaaaa status=allocated mode=enforcing pid=9999 uid=0 exe="/usr/bin/node" comm="node"'],
  [1423, 'audit(1795886086.282:13): domain=10617dd37 blockers=net.connect_tcp daddr=127.0.0.1 dest=18080'],
  [1423, 'audit(1795886086.283:14): domain=10617dd37 blockers=scope.signal opid=4242 ocomm="sleep"'],
  [1424, 'audit(1795886086.338:15): domain=10617dd37 status=deallocated denials=7'],
];

describe('audit records', () => {
  it('parses quoted, bare and hex-encoded fields', () => {
    expect(parseAuditFields('a=1 path="/x y" comm=6D792070726F67 exe="/bin/sh" key=(null)')).toEqual({ a: '1', path: '/x y', comm: 'my prog', exe: '/bin/sh', key: '(null)' });
    expect(parseAuditRecord(1423, 'audit(1.2:33): domain=ab blockers=fs.read_file path="/p"')).toEqual({ type: 1423, serial: '33', fields: { domain: 'ab', blockers: 'fs.read_file', path: '/p' } });
    expect(parseAuditRecord(1423, 'garbage')).toBeUndefined();
  });

  it("attributes only its own domain's records, with the denied process, and counts what was not logged", () => {
    const c = new AuditCollector(7592);
    for (const [t, text] of STREAM) c.add(parseAuditRecord(t, text)!);
    expect(c.domainId).toBe('10617dd37');
    expect(c.deallocatedWith).toBe(7);
    expect(c.seen()).toBe(5);
    expect(c.denials()).toEqual([
      { rights: ['fs.write_file'], object: { kind: 'path', path: '/dev/tty' }, comm: 'bash', pid: 7592 },
      { rights: ['fs.make_reg'], object: { kind: 'path', path: '/tmp/work' }, comm: undefined, pid: undefined },
      { rights: ['fs.read_file'], object: { kind: 'path', path: '/root/.bashrc' }, comm: 'cat', pid: 7602 },
      { rights: ['net.connect_tcp'], object: { kind: 'net', port: 18080, addr: '127.0.0.1' }, comm: undefined, pid: undefined },
      { rights: ['scope.signal'], object: { kind: 'scope', target: 'sleep[4242]' }, comm: undefined, pid: undefined },
    ]);
    const other = new AuditCollector(9999);
    for (const [t, text] of STREAM) other.add(parseAuditRecord(t, text)!);
    expect(other.denials().map((d) => d.object)).toEqual([{ kind: 'path', path: '/etc/shadow' }]);
    expect(new AuditCollector(1).denials()).toEqual([]);
  });
});

describe('strace lines', () => {
  const fs: Record<string, 'file' | 'dir'> = { '/etc/hostname': 'file', '/work': 'dir', '/work/out': 'dir', '/etc': 'dir' };
  const ctx = { cwd: '/work', exists: (p: string) => p in fs, isDirectory: (p: string) => fs[p] === 'dir' };
  const cases: Array<[string, Denial | undefined]> = [
    ['123 openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.read_file'], object: { kind: 'path', path: '/etc/hostname' } }],
    ['123 openat(AT_FDCWD, "/etc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.read_dir'], object: { kind: 'path', path: '/etc' } }],
    ['123 openat(AT_FDCWD, "out/new.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.make_reg'], object: { kind: 'path', path: '/work/out' } }],
    ['123 openat(AT_FDCWD, "/etc/hostname", O_WRONLY|O_TRUNC) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.write_file', 'fs.truncate'], object: { kind: 'path', path: '/etc/hostname' } }],
    ['123 mkdir("/work/out/sub", 0777) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.make_dir'], object: { kind: 'path', path: '/work/out' } }],
    ['123 unlinkat(AT_FDCWD, "/work/out/x", AT_REMOVEDIR) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.remove_dir'], object: { kind: 'path', path: '/work/out' } }],
    ['123 renameat2(AT_FDCWD, "/a/f", AT_FDCWD, "/work/out/f", 0) = -1 EXDEV (Invalid cross-device link)', { pid: 123, rights: ['fs.refer'], object: { kind: 'path', path: '/work/out' } }],
    ['123 execve("/opt/tool", ["tool"], 0x7ffd /* 3 vars */) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.execute'], object: { kind: 'path', path: '/opt/tool' } }],
    ['123 connect(3, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EACCES (Permission denied)', { pid: 123, rights: ['net.connect_tcp'], object: { kind: 'net', port: 5432, addr: '127.0.0.1' } }],
    ['123 bind(3, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EACCES (Permission denied)', { pid: 123, rights: ['net.bind_tcp'], object: { kind: 'net', port: 8080, addr: '::1' } }],
    ['123 socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = -1 EACCES (Permission denied)', { pid: 123, rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' } }],
    ['123 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = -1 EAFNOSUPPORT (Address family not supported by protocol)', { pid: 123, rights: ['seccomp.netlink'], object: { kind: 'seccomp', what: 'netlink sockets' } }],
    ['123 kill(4242, SIGTERM) = -1 EPERM (Operation not permitted)', { pid: 123, rights: ['scope.signal'], object: { kind: 'scope', target: 'process 4242' } }],
    ['123 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)', undefined],
    ['+++ exited with 0 +++', undefined],
  ];
  it.each(cases)('%s', (line, want) => {
    expect(denialFromTraceLine(line, ctx)).toEqual(want);
  });
});
