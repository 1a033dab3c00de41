import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goBuildCache, inGoProject, seedGoCache } from '../../../src/step/tool-caches.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'landrun-caches-'));
  made.push(d);
  return d;
}

describe('goBuildCache', () => {
  it('follows go env GOCACHE: GOCACHE, else XDG_CACHE_HOME/go-build, else HOME/.cache/go-build; off is none', () => {
    expect(goBuildCache({ GOCACHE: '/c', HOME: '/h' })).toBe('/c');
    expect(goBuildCache({ GOCACHE: 'off', HOME: '/h' })).toBeUndefined();
    expect(goBuildCache({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/go-build');
    expect(goBuildCache({ HOME: '/h' })).toBe('/h/.cache/go-build');
    expect(goBuildCache({})).toBeUndefined();
  });
});

/** A workspace with a go.mod in `at` (relative to it). */
function goProject(at: string): string {
  const ws = dir();
  mkdirSync(join(ws, at), { recursive: true });
  writeFileSync(join(ws, at, 'go.mod'), 'module example.com/x\n');
  return ws;
}

describe('inGoProject', () => {
  it('finds go.mod or go.work in the directory or up to three levels below it', () => {
    expect(inGoProject([goProject('.')])).toBe(true);
    expect(inGoProject([goProject('a/b/c')])).toBe(true);
    expect(inGoProject([goProject('a/b/c/d')])).toBe(false);
    const work = dir();
    writeFileSync(join(work, 'go.work'), 'go 1.22\n');
    expect(inGoProject([dir(), work])).toBe(true);
  });
  it('does not count modules in dependencies, hidden directories or test data', () => {
    for (const at of ['node_modules/pkg', 'vendor/example.com/m', '.cache/m', 'pkg/testdata']) expect(inGoProject([goProject(at)])).toBe(false);
    expect(inGoProject(['/nonexistent'])).toBe(false);
  });
});

describe('seedGoCache', () => {
  it("copies the user's build cache into the step's TMPDIR and points GOCACHE at the copy", () => {
    const home = dir();
    const tmp = dir();
    const project = goProject('cmd/tool');
    mkdirSync(join(home, '.cache', 'go-build', 'ab'), { recursive: true });
    writeFileSync(join(home, '.cache', 'go-build', 'ab', 'abcd-d'), 'compiled');
    const seeded = seedGoCache(tmp, { HOME: home }, false, [project]);
    expect(seeded.env).toEqual({ GOCACHE: join(tmp, 'go-build') });
    expect(readFileSync(join(tmp, 'go-build', 'ab', 'abcd-d'), 'utf8')).toBe('compiled');
    expect(seeded.notes.join('\n')).toContain(`a private copy of ${join(home, '.cache', 'go-build')}`);
    // The step writing its copy leaves the user's cache as it was.
    writeFileSync(join(tmp, 'go-build', 'ab', 'abcd-d'), 'poisoned');
    expect(readFileSync(join(home, '.cache', 'go-build', 'ab', 'abcd-d'), 'utf8')).toBe('compiled');
  });

  it('gives a private empty GOCACHE when the user has none, silently', () => {
    const tmp = dir();
    expect(seedGoCache(tmp, { HOME: dir() }, false, [goProject('.')])).toEqual({ env: { GOCACHE: join(tmp, 'go-build') }, notes: [] });
    expect(existsSync(join(tmp, 'go-build'))).toBe(false); // go creates it on first use
  });

  it('copies nothing for a step outside a Go project, and says why', () => {
    const home = dir();
    const tmp = dir();
    mkdirSync(join(home, '.cache', 'go-build', 'ab'), { recursive: true });
    const ws = dir();
    const seeded = seedGoCache(tmp, { HOME: home }, false, [ws]);
    expect(seeded.env).toEqual({ GOCACHE: join(tmp, 'go-build') });
    expect(existsSync(join(tmp, 'go-build'))).toBe(false);
    expect(seeded.notes).toEqual([`Go build cache ${join(home, '.cache', 'go-build')} not copied: no go.mod or go.work within 3 levels of ${ws} (a go build here starts cold)`]);
  });

  it('leaves GOCACHE alone when the user chose one for the step', () => {
    const home = dir();
    mkdirSync(join(home, '.cache', 'go-build'), { recursive: true });
    expect(seedGoCache(dir(), { HOME: home }, true, [goProject('.')])).toEqual({ env: {}, notes: [] });
  });
});
