// Filesystem enforcement on the real kernel. Every landrun() call is its own process.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { landrun, removeDir, SYSTEM, tempDir } from '../helpers/run.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

const sub = (name: string): string => {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
};

describe('read', () => {
  it('reads a file beneath --ro and is denied one outside it', () => {
    const a = sub('read-a');
    const b = sub('read-b');
    writeFileSync(join(a, 'in.txt'), 'inside\n');
    writeFileSync(join(b, 'out.txt'), 'outside\n');
    const ok = landrun([...SYSTEM, '--ro', a, '--', 'cat', join(a, 'in.txt')]);
    expect(ok.stdout).toBe('inside\n');
    expect(ok.status).toBe(0);
    const denied = landrun([...SYSTEM, '--ro', a, '--', 'cat', join(b, 'out.txt')]);
    expect(denied.status).toBe(1);
    expect(denied.stdout).toBe('');
    expect(denied.stderr).toContain('Permission denied');
  });

  it('lists a directory only with read_dir on it', () => {
    const a = sub('list-a');
    writeFileSync(join(a, 'f1'), '');
    expect(landrun([...SYSTEM, '--ro', a, 'ls', a]).stdout).toBe('f1\n');
    const denied = landrun([...SYSTEM, '--ro', join(a, 'f1'), 'ls', a]);
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('Permission denied');
  });

  it('grants a single file without its siblings', () => {
    const a = sub('file-grant');
    writeFileSync(join(a, 'yes'), 'yes\n');
    writeFileSync(join(a, 'no'), 'no\n');
    expect(landrun([...SYSTEM, '--ro', join(a, 'yes'), 'cat', join(a, 'yes')]).stdout).toBe('yes\n');
    const denied = landrun([...SYSTEM, '--ro', join(a, 'yes'), 'cat', join(a, 'no')]);
    expect(denied.status).toBe(1);
    expect(denied.stdout).toBe('');
  });
});

describe('write', () => {
  it('creates a file beneath --rw and not beneath --ro', () => {
    const w = sub('write-rw');
    const r = sub('write-ro');
    expect(landrun([...SYSTEM, '--rw', w, 'touch', join(w, 'new')]).status).toBe(0);
    expect(existsSync(join(w, 'new'))).toBe(true);
    const denied = landrun([...SYSTEM, '--ro', r, 'touch', join(r, 'new')]);
    expect(denied.status).toBe(1);
    expect(existsSync(join(r, 'new'))).toBe(false);
  });

  it('nested grants: --rw below --ro writes only in the inner tree', () => {
    const outer = sub('nested');
    const inner = sub('nested/inner');
    const r = landrun([...SYSTEM, '--ro', outer, '--rw', inner, 'sh', '-c', `echo in > ${inner}/x; echo out > ${outer}/y`]);
    expect(r.status).not.toBe(0);
    expect(readFileSync(join(inner, 'x'), 'utf8')).toBe('in\n');
    expect(existsSync(join(outer, 'y'))).toBe(false);
  });

  it('a --rw file rule allows writing that file only', () => {
    const d = sub('rwfile');
    writeFileSync(join(d, 'log'), '');
    const r = landrun([...SYSTEM, '--rw', join(d, 'log'), 'sh', '-c', `echo one >> ${d}/log; echo two > ${d}/other`]);
    expect(r.status).not.toBe(0);
    expect(readFileSync(join(d, 'log'), 'utf8')).toBe('one\n');
    expect(existsSync(join(d, 'other'))).toBe(false);
  });

  it('does not let a read-only file be truncated', () => {
    const d = sub('trunc');
    writeFileSync(join(d, 'keep'), 'precious\n');
    const r = landrun([...SYSTEM, '--ro', d, 'truncate', '-s', '0', join(d, 'keep')]);
    expect(r.status).not.toBe(0);
    expect(readFileSync(join(d, 'keep'), 'utf8')).toBe('precious\n');
  });

  it('does not let a read-only file be removed', () => {
    const d = sub('rm');
    writeFileSync(join(d, 'keep'), 'x');
    const r = landrun([...SYSTEM, '--ro', d, 'rm', '-f', join(d, 'keep')]);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(d, 'keep'))).toBe(true);
  });

  it('writes /dev/null only when it is granted', () => {
    const denied = landrun([...SYSTEM, 'sh', '-c', 'echo x > /dev/null']);
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/Permission denied/);
    const ok = landrun([...SYSTEM, '--rw', '/dev/null', 'sh', '-c', 'echo x > /dev/null && echo done']);
    expect(ok.stdout).toBe('done\n');
    expect(ok.status).toBe(0);
  });
});

describe('rename and link', () => {
  // perl's rename() and link() are the raw syscalls: no silent copy fallback on EXDEV like mv.
  // (perl -e reads /dev/null as its script file.)
  const perl = (code: string): string[] => ['--ro', '/dev/null', 'perl', '-e', code];

  it('renames and hard-links inside one writable tree', () => {
    const d = sub('rename-one');
    mkdirSync(join(d, 'x'));
    writeFileSync(join(d, 'a'), 'A');
    const r = landrun([...SYSTEM, '--rw', d, ...perl(`rename("${d}/a","${d}/x/b") or die "rename: $!"; link("${d}/x/b","${d}/c") or die "link: $!"`)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'x', 'b'), 'utf8')).toBe('A');
    expect(statSync(join(d, 'c')).nlink).toBe(2);
  });

  it('renames and hard-links across two writable trees (one ruleset, refer granted on both)', () => {
    const a = sub('cross-a');
    const b = sub('cross-b');
    writeFileSync(join(a, 'f'), 'F');
    writeFileSync(join(b, 'g'), 'G');
    const r = landrun([...SYSTEM, '--rw', a, '--rw', b, ...perl(`rename("${a}/f","${b}/f") or die "rename: $!"; link("${b}/g","${a}/g") or die "link: $!"`)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(a, 'f'))).toBe(false);
    expect(readFileSync(join(b, 'f'), 'utf8')).toBe('F');
    expect(readFileSync(join(a, 'g'), 'utf8')).toBe('G');
  });

  it('cannot move a file out of a read-only tree', () => {
    const r0 = sub('mv-ro');
    const w = sub('mv-rw');
    writeFileSync(join(r0, 'f'), 'F');
    const r = landrun([...SYSTEM, '--ro', r0, '--rw', w, ...perl(`rename("${r0}/f","${w}/f") or die "rename: $!"`)]);
    expect(r.stderr).toMatch(/^rename: (Permission denied|Invalid cross-device link)/);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(r0, 'f'))).toBe(true);
    expect(existsSync(join(w, 'f'))).toBe(false);
  });
});

describe('execute', () => {
  it('runs a program beneath --rox and refuses one that is only readable, naming the fix', () => {
    const d = sub('exec');
    copyFileSync('/usr/bin/true', join(d, 'mytrue'));
    chmodSync(join(d, 'mytrue'), 0o755);
    expect(landrun([...SYSTEM, '--rox', d, join(d, 'mytrue')]).status).toBe(0);
    const denied = landrun([...SYSTEM, '--ro', d, join(d, 'mytrue')]);
    expect(denied.status).toBe(126);
    expect(denied.stderr).toContain(`cannot execute ${join(d, 'mytrue')}`);
    expect(denied.stderr).toContain(`--rox ${join(d, 'mytrue')}`);
    expect(denied.stderr).toContain(`--rox ${d} instead of --ro ${d}`);
  });

  it('names the ELF interpreter when only it is not executable', () => {
    // The Go README's "--rox /usr/bin --ro /lib": the loader lives under /lib on merged /usr.
    const r = landrun(['--rox', '/usr/bin', '--ro', '/lib,/lib64', 'true']);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/its ELF interpreter \/lib(64)?\/ld-linux[^ ]* \(-> \/usr\/lib\/[^)]*\)/);
    expect(r.stderr).toContain('--rox /lib');
  });

  it('names the #! interpreter of a script', () => {
    const d = sub('script');
    writeFileSync(join(d, 'run.sh'), '#!/bin/sh\necho from-script\n');
    chmodSync(join(d, 'run.sh'), 0o755);
    expect(landrun([...SYSTEM, '--rox', d, join(d, 'run.sh')]).stdout).toBe('from-script\n');
    const denied = landrun(['--ro', '/usr', '--rox', d, join(d, 'run.sh')]);
    expect(denied.status).toBe(126);
    expect(denied.stderr).toContain('its script interpreter /bin/sh (-> /usr/bin/dash)');
  });
});
