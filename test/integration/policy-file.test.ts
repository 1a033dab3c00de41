// `landrun --policy FILE` on the real kernel: a YAML file with lists works from another directory
// (its paths are the file's, not the current directory's), and every file that cannot be a policy
// is refused before anything runs (exit 2, nothing created), without hanging on a FIFO or reading
// /dev/zero forever.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIf } from '../helpers/describe-if.js';
import { landrun, removeDir, tempDir } from '../helpers/run.js';

let dir: string;
let proj: string;
let elsewhere: string;
beforeAll(() => {
  dir = tempDir('landrun-policy-');
  proj = join(dir, 'proj');
  elsewhere = join(dir, 'elsewhere');
  for (const d of [join(proj, '.sandbox'), join(proj, 'out'), join(proj, 'src'), join(elsewhere, 'out')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(proj, 'src', 'input.txt'), 'input\n');
  writeFileSync(join(proj, 'secret'), 'secret\n');
});
afterAll(() => removeDir(dir));

const POLICY = [
  '# yaml-language-server: $schema=../../schema/landrun-policy.schema.json',
  'rox: [/usr]',
  'ro:',
  '  - /etc',
  '  - ../src',
  'rw: |',
  '  ../out',
  '  /dev/null',
  'env:',
  '  - GREETING=hello, world',
  '',
].join('\n');

describe('a YAML policy file', () => {
  it('works from another directory: relative paths are the file\'s, lists and blocks are read', () => {
    writeFileSync(join(proj, '.sandbox', 'policy.yml'), POLICY);
    const script = [
      'cat ../proj/src/input.txt',
      'echo "$GREETING" > ../proj/out/result && echo proj-out-ok',
      '(echo x > out/result) 2>/dev/null || echo cwd-out-denied',
      'cat ../proj/secret 2>/dev/null || echo secret-denied',
    ].join('; ');
    const r = landrun(['--policy', '../proj/.sandbox/policy.yml', '--', 'sh', '-c', script], { cwd: elsewhere });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('input\nproj-out-ok\ncwd-out-denied\nsecret-denied\n');
    expect(r.status).toBe(0);
    expect(readFileSync(join(proj, 'out', 'result'), 'utf8')).toBe('hello, world\n');
    expect(existsSync(join(elsewhere, 'out', 'result'))).toBe(false);
  });

  it('--explain names the file, line and column of each rule', () => {
    writeFileSync(join(proj, '.sandbox', 'policy.yml'), POLICY);
    const r = landrun(['--explain', '--policy', '../proj/.sandbox/policy.yml'], { cwd: elsewhere });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${proj}/src\\s+dir\\s+ro\\s+from \\.\\./proj/\\.sandbox/policy\\.yml:5:5 ro: \\.\\./src`));
    expect(r.stdout).toMatch(new RegExp(`${proj}/out\\s+dir\\s+rw\\s+from \\.\\./proj/\\.sandbox/policy\\.yml:7:3 rw: \\.\\./out`));
  });
});

describe('files that cannot be a policy: exit 2, nothing runs', () => {
  const marker = (): string => join(dir, `marker-${Math.random().toString(36).slice(2)}`);
  const refused = (policy: string, message: RegExp): void => {
    const m = marker();
    const r = landrun(['--policy', policy, '--rox', '/usr', '--rw', dir, '--', 'touch', m], { timeout: 10000 });
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
    expect(existsSync(m)).toBe(false);
  };

  itIf(spawnSync('mkfifo', ['--version']).status !== 0 ? 'mkfifo is missing' : undefined, 'a FIFO (which would block the read forever)', () => {
    const fifo = join(dir, 'policy.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    refused(fifo, /cannot use --policy '.*policy\.fifo': it is a FIFO \(named pipe\): a policy file must be a regular file/);
  });

  it('/dev/zero (which never ends)', () => {
    refused('/dev/zero', /cannot use --policy '\/dev\/zero': it is a character device: a policy file must be a regular file/);
  });

  it('a directory', () => {
    refused(proj, /cannot use --policy '.*proj': it is a directory/);
  });

  it('a file over 1 MiB', () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024)}\nro: /etc\n`);
    refused(big, /it is 1048588 bytes: a policy file may be at most 1048576 bytes \(1 MiB\)/);
  });

  it('a file that does not exist', () => {
    refused(join(dir, 'nope.yml'), /cannot read --policy '.*nope\.yml': ENOENT/);
  });

  it.each([
    ['garbage.yml', 'ro: [/etc\nrw: /tmp\n', /garbage\.yml:2:1: invalid YAML/],
    ['unknown-key.yml', 'ro: /etc\nread-only: /usr\n', /unknown-key\.yml:2:1: unknown key 'read-only': expected one of preset, ro, rox/],
    ['wrong-type.yml', 'allow-dns: [true]\n', /wrong-type\.yml:1:12: invalid allow-dns: expected true or false, found a list/],
    ['bad-port.yml', 'connect-tcp: [443, 70000]\n', /bad-port\.yml:1:20: invalid port '70000' in connect-tcp/],
    ['missing-path.yml', 'ro:\n  - ./does-not-exist\n', /path '.*\/does-not-exist' in .*missing-path\.yml:2:5 ro: \.\/does-not-exist does not exist/],
  ])('%s', (name, text, message) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    refused(f, message);
  });

  it('bytes that are not UTF-8 (the path would name another file)', () => {
    const f = join(dir, 'latin1.yml');
    writeFileSync(f, Buffer.concat([Buffer.from(`rw:\n  - ${dir}/caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    mkdirSync(join(dir, 'caf\uFFFD'), { recursive: true });
    refused(f, /latin1\.yml:2:\d+: the file is not valid UTF-8 here/);
  });
});
