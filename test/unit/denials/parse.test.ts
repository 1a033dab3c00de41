import { describe, expect, it } from '@jest/globals';
import type { Denial } from '../../../src/denials/report.js';
import { AuditCollector, denialFromTraceLine, parseAuditFields, parseAuditRecord, splitArgs, TraceReader, unescapeString } from '../../../src/denials/parse.js';

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
    ['123 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = -1 EAFNOSUPPORT (Address family not supported by protocol)', { pid: 123, rights: ['seccomp.netlink'], object: { kind: 'seccomp', what: 'netlink route sockets' } }],
    ['123 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_AUDIT) = -1 EAFNOSUPPORT (Address family not supported by protocol)', { pid: 123, rights: ['seccomp.netlink'], object: { kind: 'seccomp', what: 'netlink sockets' } }],
    // -y: the working directory and descriptors come with their paths
    ['123 openat(AT_FDCWD</work/sub>, "../out/new.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.make_reg'], object: { kind: 'path', path: '/work/out' } }],
    ['123 openat(3</etc>, "hostname", O_RDONLY) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.read_file'], object: { kind: 'path', path: '/etc/hostname' } }],
    ['123 mkdirat(AT_FDCWD</work>, "out/a,b", 0777) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.make_dir'], object: { kind: 'path', path: '/work/out' } }],
    ['123 bind(3<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("0.0.0.0")}, 16) = -1 EACCES (Permission denied)', { pid: 123, rights: ['net.bind_tcp'], object: { kind: 'net', port: 0, addr: '0.0.0.0' } }],
    ['123 connect(3<socket:[1]>, {sa_family=AF_UNIX, sun_path="/run/nscd/socket"}, 110) = -1 EACCES (Permission denied)', { pid: 123, rights: ['fs.resolve_unix'], object: { kind: 'path', path: '/run/nscd/socket' } }],
    ['123 kill(4242, SIGTERM) = -1 EPERM (Operation not permitted)', { pid: 123, rights: ['scope.signal'], object: { kind: 'scope', target: 'process 4242' } }],
    ['123 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)', undefined],
    ['+++ exited with 0 +++', undefined],
  ];
  it.each(cases)('%s', (line, want) => {
    expect(denialFromTraceLine(line, ctx)).toEqual(want);
  });
});

describe('strace strings and arguments', () => {
  it('decodes the escapes strace prints for bytes', () => {
    expect(unescapeString('"/w/caf\\303\\251"')).toBe('/w/café');
    expect(unescapeString('"a\\"b\\\\c\\x41\\n"')).toBe('a"b\\cA\n');
    expect(unescapeString('0x7ffd')).toBeUndefined();
  });
  it('splits arguments at top-level commas only', () => {
    expect(splitArgs('AT_FDCWD</a,b>, "x, y", [1, 2], {a=1, b=2}, O_RDONLY')).toEqual(['AT_FDCWD</a,b>', '"x, y"', '[1, 2]', '{a=1, b=2}', 'O_RDONLY']);
  });
});

describe('a trace of the launcher and everything it starts', () => {
  const files = new Set(['/etc/nsswitch.conf', '/etc/resolv.conf', '/work', '/work/secret']);
  const ctx = { cwd: '/work', exists: (p: string) => files.has(p), isDirectory: (p: string) => p === '/work' };
  const read = (lines: string[]): Denial[] => {
    const r = new TraceReader(ctx);
    for (const l of lines) r.line(l);
    return r.denials();
  };
  const denied = (pid: number, path: string): string => `${pid} openat(AT_FDCWD</work>, "${path}", O_RDONLY) = -1 EACCES (Permission denied)`;

  it("counts the command's tasks only: not the launcher before its exec, nor its other threads", () => {
    const got = read([
      '100 execve("/usr/bin/node", ["node", "launcher.js"], 0x7ffd /* 3 vars */) = 0',
      denied(100, '/launcher-start-up'),
      '100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, child_tid=0x1} => {parent_tid=[101]}, 88) = 101',
      '100 landlock_restrict_self(18<anon_inode:[landlock-ruleset]>, 2) = 0',
      denied(101, '/worker-thread-of-the-launcher'),
      '100 execve("/usr/bin/bash", ["bash", "-c", "cat secret"], 0x7ffd /* 3 vars */) = 0',
      '100 openat(AT_FDCWD</work>, "/dev/tty", O_RDWR|O_NONBLOCK) = -1 EACCES (Permission denied)',
      // the child prints before its parent's clone returns
      '102 execve("/usr/bin/cat", ["cat", "secret"], 0x55 /* 3 vars */) = 0',
      denied(102, 'secret'),
      '100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 102',
      '100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0, si_status=1} ---',
    ]);
    expect(got).toEqual([
      { pid: 100, rights: ['fs.write_file', 'fs.read_file'], object: { kind: 'path', path: '/dev/tty' }, comm: 'bash' },
      { pid: 102, rights: ['fs.read_file'], object: { kind: 'path', path: '/work/secret' }, comm: 'cat' },
    ]);
  });

  it('does not count a supervisor that restricts itself and never executes anything (its sweep included)', () => {
    const got = read([
      '200 execve("/opt/landlock-exec", ["landlock-exec", "--supervise"], 0x7ffd /* 3 vars */) = 0',
      '200 landlock_restrict_self(3<anon_inode:[landlock-ruleset]>, 1) = 0',
      '200 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 201',
      '201 landlock_restrict_self(4<anon_inode:[landlock-ruleset]>, 2) = 0',
      '201 execve("/usr/bin/sh", ["sh", "-c", "cat secret"], 0x7ffd /* 3 vars */) = 0',
      denied(201, 'secret'),
      denied(200, '/proc/201/status'),
      '200 kill(-1, SIGKILL) = -1 EPERM (Operation not permitted)',
    ]);
    expect(got.map((d) => [d.pid, d.object])).toEqual([[201, { kind: 'path', path: '/work/secret' }]]);
  });

  it("counts the command's own exec when the sandbox refuses it", () => {
    const got = read(['300 execve("/usr/bin/node", ["node"], 0x1 /* 1 var */) = 0', '300 landlock_restrict_self(5<anon_inode:[landlock-ruleset]>, 2) = 0', '300 execve("/work/build.sh", ["./build.sh"], 0x1 /* 1 var */) = -1 EACCES (Permission denied)']);
    expect(got).toEqual([{ pid: 300, rights: ['fs.execute'], object: { kind: 'path', path: '/work/build.sh' } }]);
  });

  const start = ['400 execve("/usr/bin/node", ["node"], 0x1 /* 1 var */) = 0', '400 landlock_restrict_self(5<anon_inode:[landlock-ruleset]>, 2) = 0', '400 execve("/usr/bin/getent", ["getent", "hosts", "x"], 0x1 /* 1 var */) = 0'];
  const unix = '400 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = -1 EACCES (Permission denied)';

  it("marks glibc's nscd probe as tolerated when the task falls back to its own files", () => {
    const got = read([...start, unix, unix, '400 openat(AT_FDCWD</work>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = 3</etc/nsswitch.conf>']);
    expect(got).toHaveLength(2);
    expect(got.every((d) => d.tolerated?.includes('name service cache daemon'))).toBe(true);
    // a unix socket refused for something else is a denial like any other
    const other = read([...start, unix, '400 openat(AT_FDCWD</work>, "/work/secret", O_RDONLY) = 3</work/secret>']);
    expect(other).toEqual([{ pid: 400, rights: ['seccomp.unix'], object: { kind: 'seccomp', what: 'unix sockets' }, comm: 'getent' }]);
    expect(read([...start, unix])[0]?.tolerated).toBeUndefined();
  });

  it("knows the resolver's UDP socket", () => {
    const udp = '400 socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = -1 EACCES (Permission denied)';
    expect(read([...start, '400 openat(AT_FDCWD</work>, "/etc/resolv.conf", O_RDONLY|O_CLOEXEC) = 3</etc/resolv.conf>', udp])[0]?.resolver).toBe(true);
    expect(read([...start, udp])[0]?.resolver).toBeUndefined();
  });
});

describe('audit records without their domain record', () => {
  it('finds the domain through the syscall record of the launcher pid, and reads a bind to port 0', () => {
    const c = new AuditCollector(7592);
    const lines: Array<[number, string]> = [
      [1423, 'audit(1.1:20): domain=1aa blockers=net.bind_tcp'],
      [1300, 'audit(1.1:20): arch=c000003e syscall=49 success=no exit=-13 ppid=1 pid=7592 comm="node" exe="/usr/bin/node"'],
      [1423, 'audit(1.1:21): domain=1bb blockers=fs.read_file path="/x"'],
      [1424, 'audit(1.2:22): domain=1aa status=deallocated denials=1'],
    ];
    for (const [t, text] of lines) c.add(parseAuditRecord(t, text)!);
    expect(c.domainId).toBe('1aa');
    expect(c.deallocatedWith).toBe(1);
    expect(c.denials()).toEqual([{ rights: ['net.bind_tcp'], object: { kind: 'net', port: 0, addr: undefined }, comm: 'node', pid: 7592 }]);
  });
});
