// Real workloads under the default seccomp filter (UDP, raw sockets, unix socket(), io_uring
// refused): a Jest run with worker processes, whose IPC goes over socketpair(2).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { landrun, removeDir, ROOT, tempDir, NODE, NODE_GRANTS } from '../helpers/run.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
  mkdirSync(join(dir, 'tests'));
  mkdirSync(join(dir, 'pids'));
  for (let i = 0; i < 4; i++) {
    // each test records which process ran it
    writeFileSync(
      join(dir, 'tests', `t${i}.test.js`),
      `test('worker ${i}', () => { require('fs').writeFileSync(${JSON.stringify(join(dir, 'pids'))} + '/' + process.pid, ''); expect(${i} + 1).toBe(${i + 1}); });\n`,
    );
  }
  writeFileSync(join(dir, 'jest.config.js'), `module.exports = { rootDir: ${JSON.stringify(dir)}, testMatch: ['**/tests/*.test.js'], cacheDirectory: ${JSON.stringify(join(dir, '.jest-cache'))} };\n`);
});
afterAll(() => removeDir(dir));

describe('workloads under the default filter', () => {
  it('Jest runs its tests in two worker processes', () => {
    const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = landrun(
      ['--rox', '/usr', '--ro', '/etc', '--ro', '/proc', '--ro', '/sys', '--rw', '/dev/null', '--ro', ROOT, ...NODE_GRANTS, '--rw', dir, '--env', 'PATH', '--env', `HOME=${dir}`, '--env', `TMPDIR=${dir}`, '--',
        NODE, jest, '--config', join(dir, 'jest.config.js'), '--maxWorkers=2', '--no-watchman', '--ci'],
      { cwd: dir, timeout: 60000 },
    );
    expect(r.stderr).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'pids')).length).toBe(2); // two worker processes, not in band
  }, 70000);
});
