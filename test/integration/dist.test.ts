// The committed bundles run from a copy of dist/ alone: no node_modules of the checkout, koffi
// found in dist/node_modules (vendored), the native module loaded for this architecture.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, removeDir, tempDir, NODE } from '../helpers/run.js';

let copy: string;
beforeAll(() => {
  copy = tempDir('landrun-dist-');
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
});
afterAll(() => removeDir(copy));

const run = (args: string[], input?: string) =>
  spawnSync(NODE, args, { cwd: copy, encoding: 'utf8', env: { PATH: process.env.PATH }, input });

describe('dist/ copied elsewhere', () => {
  it('vendors koffi for linux x64 and arm64', () => {
    for (const arch of ['x64', 'arm64']) {
      expect(existsSync(join(copy, 'dist/node_modules/@koromix', `koffi-linux-${arch}`, `linux_${arch}`, 'koffi.node'))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(copy, 'dist/node_modules/koffi/package.json'), 'utf8')).version).toBe(
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.koffi,
    );
  });

  it('the package declares no runtime dependencies: dist/ is self-contained', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.files).toContain('dist');
  });

  it('cli: runs a sandboxed command', () => {
    const ok = run([join(copy, 'dist/cli/index.cjs'), '--rox', '/usr', '--ro', '/etc', '--', 'cat', '/etc/hostname']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(readFileSync('/etc/hostname', 'utf8'));
    const denied = run([join(copy, 'dist/cli/index.cjs'), '--rox', '/usr', '--', 'cat', '/etc/hostname']);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain('Permission denied');
  });

  it('landrun-exec: the native launcher enforces a plan saved by the CLI', () => {
    const plan = join(copy, 'plan.bin');
    const save = run([join(copy, 'dist/cli/index.cjs'), '--save-plan', plan, '--rox', '/usr']);
    expect(save.status).toBe(0);
    const exec = join(copy, 'dist/native/landrun-exec');
    const ok = spawnSync(exec, [plan, '--', 'echo', 'launched'], { encoding: 'utf8' });
    expect(ok.stdout).toBe('launched\n');
    const denied = spawnSync(exec, [plan, '--', 'cat', '/etc/hostname'], { encoding: 'utf8' });
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain('Permission denied');
  });

  it('per-command programs are CommonJS with a shebang (no ESM loader at start-up); action steps are ESM', () => {
    for (const entry of ['cli', 'shell']) {
      const js = readFileSync(join(copy, 'dist', entry, 'index.cjs'), 'utf8');
      expect(js.startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
    for (const entry of ['action-main', 'action-post']) {
      expect(existsSync(join(copy, 'dist', entry, 'index.js'))).toBe(true);
      expect(JSON.parse(readFileSync(join(copy, 'dist', entry, 'package.json'), 'utf8')).type).toBe('module');
    }
  });

  it('shell: landrun-shell without a state directory explains itself', () => {
    const r = run([join(copy, 'dist/shell/index.cjs')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: landrun-shell');
  });
});
