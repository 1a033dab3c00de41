// Doors found closed after the security review: TCP Fast Open (connects without connect(2), which
// is all Landlock checks), terminal injection (TIOCSTI), datagram socketpairs sending to sockets
// outside, and plan paths that became symlinks. Each denial has its control.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { landrun, landrunAsync, LAUNCHER, listen, removeDir, spawnCollect, SYSTEM, tempDir, NODE } from '../helpers/run.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

const perl = (code: string): string[] => ['--ro', '/dev/null', 'perl', '-e', code];

describe('TCP Fast Open', () => {
  const tfo = (port: number): string =>
    `use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\\n"; defined(send($s, "GET / HTTP/1.0\\r\\n\\r\\n", 0x20000000, sockaddr_in(${port}, inet_aton("127.0.0.1")))) or die "send: $!\\n"; print "sent\\n"`;

  it('is refused while TCP is ruled by port, and the listener sees nothing', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...SYSTEM, ...perl(tfo(l.port))]);
      expect(r.stderr).toBe('send: Permission denied\n');
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('control: with the network unrestricted it connects', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...SYSTEM, '--unrestricted-network', ...perl(tfo(l.port))]);
      expect(r.stdout).toBe('sent\n');
      await new Promise((res) => setTimeout(res, 100));
      expect(l.connections()).toBe(1);
    } finally {
      await l.close();
    }
  });
});

describe('terminal injection', () => {
  // TIOCSTI on a non-terminal fails with ENOTTY; only the filter says EACCES first.
  const sti = perl('my $c = "x"; ioctl(STDIN, 0x5412, $c) or die "ioctl: $!\\n"');
  it('TIOCSTI is refused, even with the network unrestricted', () => {
    expect(landrun([...SYSTEM, ...sti]).stderr).toBe('ioctl: Permission denied\n');
    expect(landrun([...SYSTEM, '--unrestricted-network', ...sti]).stderr).toBe('ioctl: Permission denied\n');
  });

  it('control: outside the sandbox the same call reaches the kernel (ENOTTY on a pipe)', async () => {
    const r = await spawnCollect('perl', ['-e', 'my $c = "x"; ioctl(STDIN, 0x5412, $c) or die "ioctl: $!\\n"']);
    expect(r.stderr).toBe('ioctl: Inappropriate ioctl for device\n');
  });
});

describe('datagram socketpairs', () => {
  it('below Landlock ABI 9 a datagram pair (which could sendto a socket outside) is refused; stream pairs work', async () => {
    const code = `use Socket; socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "stream: $!\\n"; print "stream ok\\n"; socketpair(my $c, my $d, AF_UNIX, SOCK_DGRAM, 0) or die "dgram: $!\\n"; print "dgram ok\\n"`;
    const r = landrun([...SYSTEM, ...perl(code)]);
    expect(r.stdout).toBe('stream ok\n');
    expect(r.stderr).toBe('dgram: Permission denied\n');
    const control = landrun([...SYSTEM, '--allow-unix-sockets', ...perl(code)]);
    expect(control.stdout).toBe('stream ok\ndgram ok\n');
  });
});

describe('plans whose paths became symlinks', () => {
  it('the launcher refuses a plan path that is now a symlink, and nothing runs', () => {
    const granted = join(dir, 'granted');
    const secret = join(dir, 'secret');
    mkdirSync(granted);
    mkdirSync(secret);
    writeFileSync(join(secret, 'key'), 'KEY');
    const plan = join(dir, 'plan.bin');
    expect(landrun(['--save-plan', plan, '--rox', '/usr', '--ro', granted]).status).toBe(0);
    rmdirSync(granted);
    symlinkSync(secret, granted);
    const r = spawnCollect(NODE, [LAUNCHER, '--plan', plan, '--', 'cat', join(secret, 'key')]);
    return r.then((res) => {
      expect(res.status).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain('ELOOP (a path in the plan became a symlink after the plan was made)');
    });
  });
});
