// The committed dist/ is what users run (action.yml points at it, npx runs dist/cli): it must be
// what `npm run package` builds from these sources, byte for byte. dist/native has its own
// reproducibility test (native-dist.test.ts).
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { removeDir, ROOT, tempDir } from '../helpers/run.js';

function files(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (skip(rel)) continue;
      if (e.isDirectory()) walk(p);
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

describe('dist/', () => {
  it('is what npm run package builds from the sources (run it and commit dist/ when this fails)', () => {
    const out = tempDir('landrun-dist-');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, env: { ...process.env, LANDRUN_DIST_OUT: out }, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const built = files(out);
      expect(files(join(ROOT, 'dist'), (rel) => rel === 'native')).toEqual(built);
      const stale = built.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(ROOT, 'dist', f))));
      expect(stale).toEqual([]);
    } finally {
      removeDir(out);
    }
  }, 120000);
});
