// Every usage example of the Go tool's README, run as written on this (merged-/usr) machine: it
// either works, or fails with a message that says exactly why. Where the example uses a
// placeholder such as /path/to/dir, a second case substitutes a real directory.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { landrun, landrunAsync, removeDir, tempDir } from '../helpers/run.js';

const words = (s: string): string[] => s.trim().split(/\s+/);
const onPath = (name: string): boolean =>
  (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, name)));

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

describe('Go landrun README examples', () => {
  it('--rox /usr/bin/ls --rox /usr/lib --ro /home ls /home', () => {
    const r = landrun(words('--rox /usr/bin/ls --rox /usr/lib --ro /home ls /home'));
    if (existsSync('/home')) {
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(readdirSync('/home').sort());
    } else {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("path '/home' in --ro /home does not exist");
    }
  });

  it('--rox /usr/ --ro /path/to/dir ls /path/to/dir: the placeholder does not exist', () => {
    const r = landrun(words('--rox /usr/ --ro /path/to/dir ls /path/to/dir'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("path '/path/to/dir' in --ro /path/to/dir does not exist");
  });

  it('--rox /usr/ --ro DIR ls DIR works with a real directory', () => {
    const d = join(dir, 'listing');
    mkdirSync(d);
    writeFileSync(join(d, 'a.txt'), '');
    const r = landrun(['--rox', '/usr/', '--ro', d, 'ls', d]);
    expect(r.stdout).toBe('a.txt\n');
    expect(r.status).toBe(0);
  });

  it('--rox /usr/bin --ro /lib --rw DIR touch DIR/newfile: the loader under /lib is only readable', () => {
    const d = join(dir, 'touch-dir');
    mkdirSync(d);
    const r = landrun(['--rox', '/usr/bin', '--ro', '/lib', '--rw', d, 'touch', join(d, 'newfile')]);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/its ELF interpreter \/lib(64)?\/ld-linux\S+ \(-> \/usr\/lib\/\S+\), which the kernel executes to start \/usr\/bin\/touch, is not executable under the policy/);
    expect(r.stderr).toContain('--rox /lib instead of --ro /lib');
    expect(existsSync(join(d, 'newfile'))).toBe(false);
    // ... and the suggested fix works:
    const fixed = landrun(['--rox', '/usr/bin', '--rox', '/lib', '--rw', d, 'touch', join(d, 'newfile')]);
    expect(fixed.status).toBe(0);
    expect(existsSync(join(d, 'newfile'))).toBe(true);
  });

  it('--rw /path/to/dir/newfile touch ...: a rule path must exist before the sandbox starts', () => {
    const d = join(dir, 'rw-file');
    mkdirSync(d);
    const r = landrun(['--rox', '/usr/bin', '--ro', '/lib', '--rw', join(d, 'newfile'), 'touch', join(d, 'newfile')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`path '${d}/newfile' in --rw ${d}/newfile does not exist. Landlock rules attach to existing files: create it first, or grant its directory (--rw ${d})`);
  });

  it('--rox /usr/ --ro /lib,/lib64 /usr/bin/bash', () => {
    const r = landrun(words('--rox /usr/ --ro /lib,/lib64 /usr/bin/bash'), { input: 'echo "hello from $0"\n' });
    expect(r.stdout).toBe('hello from /usr/bin/bash\n');
    expect(r.status).toBe(0);
  });

  it('--log-level debug --rox /usr/ --ro /lib,/lib64,DIR ls DIR shows each rule', () => {
    const d = join(dir, 'debug');
    mkdirSync(d);
    writeFileSync(join(d, 'x'), '');
    const r = landrun(['--log-level', 'debug', '--rox', '/usr/', '--ro', `/lib,/lib64,${d}`, 'ls', d]);
    expect(r.stdout).toBe('x\n');
    expect(r.stderr).toMatch(/\[landrun\] info: kernel: Landlock ABI \d/);
    expect(r.stderr).toMatch(new RegExp(`\\[landrun\\] debug: rule ${d}: fs.read_file fs.read_dir`));
    expect(r.stderr).toMatch(/\[landrun\] debug: rule \/usr: fs\.execute fs\.read_file fs\.read_dir/);
  });

  it('--rox /usr/ --ro /lib,/lib64 --bind-tcp 8080 --connect-tcp 80 /usr/bin/my-server: a placeholder program', () => {
    const r = landrun(words('--rox /usr/ --ro /lib,/lib64 --bind-tcp 8080 --connect-tcp 80 /usr/bin/my-server'));
    expect(r.status).toBe(127);
    expect(r.stderr).toContain("command not found: '/usr/bin/my-server' does not exist");
  });

  it('--log-level debug --ro /etc,/usr --rox /usr/ --connect-tcp 443 nc kernel.org 443', async () => {
    const r = await landrunAsync(words('--log-level debug --ro /etc,/usr --rox /usr/ --connect-tcp 443 nc kernel.org 443'), { timeout: 15000 });
    if (!onPath('nc')) {
      expect(r.status).toBe(127);
      expect(r.stderr).toContain("command not found: 'nc' is not in PATH");
    } else {
      // DNS over UDP is closed by the seccomp filter: the user is told before the command runs.
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('--allow-dns');
    }
  });

  it('--rox /usr/bin --ro /lib,/lib64,/var/www --rwx /var/log --bind-tcp 80,443 /usr/bin/nginx', () => {
    const r = landrun(words('--rox /usr/bin --ro /lib,/lib64,/var/www --rwx /var/log --bind-tcp 80,443 /usr/bin/nginx'));
    if (!existsSync('/var/www')) {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("path '/var/www' in --ro /var/www does not exist");
    } else if (!existsSync('/usr/bin/nginx')) {
      expect(r.status).toBe(127);
      expect(r.stderr).toContain("command not found: '/usr/bin/nginx' does not exist");
    } else {
      expect(r.status).toBe(126);
      expect(r.stderr).toContain('--rox /lib instead of --ro /lib');
    }
  });

  it('landrun ls: maximum restriction cannot even start ls, and says which rule would', () => {
    const r = landrun(['ls']);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/cannot execute \/usr\/bin\/ls: it is not executable under the policy: no rule grants anything on it\. Allow it with --rox \/usr\/bin\/ls, or --add-exec\./);
  });

  it('--rox /usr strace -f -e trace=all ls: strace needs PATH, which the empty environment lacks', () => {
    if (!onPath('strace')) {
      const r = landrun(words('--rox /usr strace -f -e trace=all ls'));
      expect(r.status).toBe(127);
      return;
    }
    const r = landrun(words('--rox /usr strace -f -e trace=all ls'), { cwd: dir });
    expect(r.stderr).toContain('strace looks up the program it runs in PATH, which is not set inside the sandbox');
    expect(r.stderr).toContain('add --env PATH');
    expect(r.status).not.toBe(0);
    // with PATH it traces ls, whose own directory listing is denied (no --ro on the cwd)
    const withPath = landrun(words('--rox /usr --env PATH strace -f -e trace=openat ls'), { cwd: dir });
    expect(withPath.stderr).toMatch(/openat\(AT_FDCWD, "\.", [^)]*\) = -1 EACCES \(Permission denied\)/);
    expect(withPath.stderr).toContain("ls: cannot open directory '.': Permission denied");
  });

  it('--rox /usr --ro /etc --env HOME --env PATH --env CUSTOM_VAR=my_value -- env', () => {
    const r = landrun(words('--rox /usr --ro /etc --env HOME --env PATH --env CUSTOM_VAR=my_value -- env'), {
      env: { HOME: '/home/example', PATH: process.env.PATH, OTHER: 'hidden' },
    });
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['CUSTOM_VAR=my_value', 'HOME=/home/example', `PATH=${process.env.PATH}`]);
  });

  it('--rox /usr/lib/libc.so.6 --rox /usr/lib64/ld-linux-x86-64.so.2 --rox /usr/bin/true /usr/bin/true', () => {
    const r = landrun(words('--rox /usr/lib/libc.so.6 --rox /usr/lib64/ld-linux-x86-64.so.2 --rox /usr/bin/true /usr/bin/true'));
    if (!existsSync('/usr/lib/libc.so.6')) {
      // Debian keeps libc under /usr/lib/<triplet>/
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("path '/usr/lib/libc.so.6' in --rox /usr/lib/libc.so.6 does not exist");
    } else {
      expect(r.status).toBe(0);
    }
  });

  it('--rox /usr/lib/ --add-exec /usr/bin/true', () => {
    const r = landrun(words('--rox /usr/lib/ --add-exec /usr/bin/true'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('--ldd --add-exec /usr/bin/true', () => {
    const r = landrun(words('--ldd --add-exec /usr/bin/true'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the systemd unit ExecStart (nginx as /usr/bin/nginx with Arch paths)', async () => {
    const args = words(
      '--rox /usr/bin,/usr/lib --ro /etc/nginx,/etc/ssl,/etc/passwd,/etc/group,/etc/nsswitch.conf --rwx /var/log/nginx --rwx /var/cache/nginx --bind-tcp 80,443 /usr/bin/nginx',
    );
    const r = landrun([...args, '-g', 'daemon off;']);
    const firstMissing = ['/etc/nginx', '/etc/ssl', '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/var/log/nginx', '/var/cache/nginx'].find((p) => !existsSync(p));
    if (firstMissing) {
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`path '${firstMissing}'`);
    } else {
      expect(r.status).toBe(127);
      expect(r.stderr).toContain("command not found: '/usr/bin/nginx' does not exist");
    }
  });
});

describe('--add-exec and --ldd', () => {
  // (bash reads bash.bashrc when stdin is a socket, as Node's pipes are: --norc keeps this about loading.)
  it.each([['true'], ['ls', '-d', '/'], ['bash', '--norc', '-c', 'echo hi']])('--ldd --add-exec %s runs with nothing else granted', async (...cmd) => {
    const r = landrun(['--ldd', '--add-exec', ...cmd]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cmd[0] === 'true' ? '' : cmd[0] === 'ls' ? '/\n' : 'hi\n');
  });

  it('--add-exec alone: the loader cannot read libc, and landrun says why first', () => {
    const r = landrun(['--add-exec', 'true']);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/\[landrun\] warn: the dynamic loader cannot read \S*libc\.so\.6 under this policy: add --ldd/);
    expect(r.stderr).toContain('error while loading shared libraries');
  });

  it('--ldd grants libraries read-only (loading needs no execute right) and the loader execute', () => {
    const r = landrun(['--explain', '--ldd', '--add-exec', 'ls']);
    expect(r.stdout).toMatch(/libc\.so\.6\s+file\s+ro\s+from --ldd/);
    expect(r.stdout).toMatch(/ld-linux\S*\s+file\s+rox\s+from --add-exec, --ldd/);
    expect(r.stdout).toMatch(/\/usr\/bin\/ls\s+file\s+rox\s+from --add-exec/);
  });

  it('--add-exec on a script grants the script and its interpreter chain', () => {
    const s = join(dir, 'hello.sh');
    writeFileSync(s, '#!/bin/sh\necho script-ran\n', { mode: 0o755 });
    const r = landrun(['--ldd', '--add-exec', s]);
    expect(r.stdout).toBe('script-ran\n');
    expect(r.status).toBe(0);
  });
});
