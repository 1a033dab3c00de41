// The same denial checks at every ABI from 1 to the kernel's, through --target-abi, each asserting
// both what the kernel did and what the report said about it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { landrun, landrunAsync, listen, removeDir, SYSTEM, tempDir } from '../helpers/run.js';

function kernelAbi(): number {
  const m = /kernel: Landlock ABI (\d+)/.exec(landrun(['--explain', '--unrestricted-filesystem']).stdout);
  return m ? Number(m[1]) : 0;
}

const KERNEL_ABI = kernelAbi();
const ABIS = Array.from({ length: KERNEL_ABI }, (_, i) => i + 1);

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

it('the kernel offers Landlock (this suite needs it)', () => {
  expect(KERNEL_ABI).toBeGreaterThanOrEqual(1);
});

describe.each(ABIS)('--target-abi %i', (abi) => {
  const base = ['--target-abi', String(abi), '--best-effort', '--log-level', 'info', ...SYSTEM];
  let root: string;
  beforeAll(() => {
    root = join(dir, `abi${abi}`);
    mkdirSync(join(root, 'ro'), { recursive: true });
    mkdirSync(join(root, 'rw1'), { recursive: true });
    mkdirSync(join(root, 'rw2'), { recursive: true });
    writeFileSync(join(root, 'ro', 'keep'), 'precious\n');
    writeFileSync(join(root, 'rw1', 'move-me'), 'M');
  });

  it('reports the ABI it enforces', () => {
    const r = landrun([...base, 'true']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`kernel: Landlock ABI ${KERNEL_ABI}`);
    expect(r.stderr).toContain(`enforcing as ABI ${abi} (--target-abi)`);
  });

  it('denies writes outside the writable tree', () => {
    const r = landrun([...base, '--ro', join(root, 'ro'), 'touch', join(root, 'ro', 'new')]);
    expect(r.status).toBe(1);
    expect(existsSync(join(root, 'ro', 'new'))).toBe(false);
  });

  it(`truncate of a read-only file is ${abi >= 3 ? 'denied' : 'possible, and reported as not enforced'}`, () => {
    writeFileSync(join(root, 'ro', 'keep'), 'precious\n');
    // truncate(2) by path needs no open for writing: only fs.truncate (ABI 3) stops it.
    const r = landrun([...base, '--ro', join(root, 'ro'), '--ro', '/dev/null', 'perl', '-e', `truncate("${root}/ro/keep", 0) or die "truncate: $!\\n"`]);
    if (abi >= 3) {
      expect(r.stderr).toContain('truncate: Permission denied');
      expect(readFileSync(join(root, 'ro', 'keep'), 'utf8')).toBe('precious\n');
      expect(r.stderr).not.toContain('not enforced: fs.truncate');
    } else {
      expect(r.status).toBe(0);
      expect(readFileSync(join(root, 'ro', 'keep'), 'utf8')).toBe('');
      expect(r.stderr).toMatch(/warn: not enforced: fs\.truncate \(needs Landlock ABI 3, Linux 6\.2\) \[required\]/);
    }
  });

  it(`rename between two writable trees ${abi >= 2 ? 'works' : 'fails with EXDEV (reported)'}`, () => {
    const r = landrun([
      ...base,
      '--rw',
      join(root, 'rw1'),
      '--rw',
      join(root, 'rw2'),
      '--ro',
      '/dev/null',
      'perl',
      '-e',
      `rename("${root}/rw1/move-me","${root}/rw2/move-me") or die "rename: $!\\n"`,
    ]);
    if (abi >= 2) {
      expect(r.status).toBe(0);
      expect(existsSync(join(root, 'rw2', 'move-me'))).toBe(true);
    } else {
      expect(r.stderr).toContain('rename: Invalid cross-device link');
      expect(existsSync(join(root, 'rw1', 'move-me'))).toBe(true);
      expect(r.stderr).toMatch(/not enforced: fs\.refer .*EXDEV/);
    }
  });

  it('TCP connect without a grant reaches nothing', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...base, '--rw', '/dev/null', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${l.port}`]);
      expect(r.status).toBe(1);
      expect(l.connections()).toBe(0);
      if (abi < 4) expect(r.stderr).toContain('every IP socket is refused by seccomp');
    } finally {
      await l.close();
    }
  });

  it(`a granted TCP port is ${abi >= 4 ? 'the only one reachable' : 'not enforceable: TCP is unrestricted and the report says so'}`, async () => {
    const granted = await listen();
    const other = await listen();
    try {
      const probe = `exec 3<>/dev/tcp/127.0.0.1/${other.port} && echo other-reached`;
      const r = await landrunAsync([...base, '--rw', '/dev/null', '--connect-tcp', String(granted.port), 'bash', '-c', probe]);
      if (abi >= 4) {
        expect(r.stdout).toBe('');
        expect(other.connections()).toBe(0);
      } else {
        expect(r.stdout).toBe('other-reached\n');
        expect(r.stderr).toMatch(/not enforced: net\.connect_tcp \(needs Landlock ABI 4, Linux 6\.7\) \[required\]/);
      }
    } finally {
      await granted.close();
      await other.close();
    }
  });

  it(`signals to an outside process are ${abi >= 6 ? 'denied' : 'possible (reported)'}`, async () => {
    const outside = spawn('sleep', ['30']);
    try {
      const r = landrun([...base, 'sh', '-c', `kill -0 ${outside.pid} && echo signalled`]);
      if (abi >= 6) {
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/Operation not permitted|Permission denied/);
      } else {
        expect(r.stdout).toBe('signalled\n');
        expect(r.stderr).toMatch(/not enforced: scope\.signal \(needs Landlock ABI 6/);
      }
    } finally {
      outside.kill('SIGKILL');
    }
  });

  it('strict mode refuses exactly when a required right is missing', () => {
    const r = landrun(['--target-abi', String(abi), ...SYSTEM, 'true']);
    if (abi >= 3) {
      expect(r.status).toBe(0);
    } else {
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/refusing to run[\s\S]*fs\.truncate needs Landlock ABI 3/);
    }
  });
});
