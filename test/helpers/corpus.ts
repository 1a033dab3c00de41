// A corpus of small real-style projects for testing the ci preset against real test runners:
// jest, mocha + supertest, vitest, node:test (npm registry packages), pytest (Debian's
// python3-pytest), a C project with autotools `make check`, and `go test` (Debian's golang-go,
// standard library only). Each project is written into a fresh directory and its dependencies are
// installed outside any sandbox, the way a CI job's install and build steps would do it:
// - npm projects: `npm ci` from the lockfile committed in test/fixtures/corpus/<name>/, done once
//   per lockfile into node_modules/.cache/landrun-corpus/ and copied into each fresh project;
// - autotools: `autoreconf -i && ./configure` (the build step), `make check` is the test command;
// - go: the build cache in HOME/.cache/go-build is warmed by a bare compile of the tests, as a
//   runner's cache action would restore it.
// Projects can be owned by root or by an unprivileged user (uid 65534), with a HOME of their own.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyCli } from './portable.js';
import { actionInputs } from './runner.js';
import { nodeForAnyUser } from './node24.js';
import { ROOT } from './run.js';

export const CORPUS_FIXTURES = join(ROOT, 'test', 'fixtures', 'corpus');
/** Installed node_modules, one directory per project and lockfile hash (ignored by git). */
export const CORPUS_CACHE = join(ROOT, 'node_modules', '.cache', 'landrun-corpus');

/** PATH of a CI job on a Debian/Ubuntu runner: system tools only, nothing from the developer's HOME. */
export const CORPUS_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly total: number;
  /** The runner's own summary line(s), for messages. */
  readonly text: string;
}

interface ProjectFile {
  readonly text: string;
  readonly mode?: number;
}

export interface CorpusProject {
  readonly name: string;
  /** What it exercises, for test titles and reports. */
  readonly title: string;
  /** The test command, run from the project directory. */
  readonly command: readonly string[];
  /** How many tests the suite has: all of them must pass. */
  readonly tests: number;
  readonly files: Readonly<Record<string, ProjectFile>>;
  /** A directory under test/fixtures/corpus with package.json and package-lock.json. */
  readonly npm?: string;
  /** Bare build steps after the files are written (a CI job's build step), run as the owner. */
  readonly prepare?: readonly (readonly string[])[];
  /** Programs the project needs (looked up in CORPUS_PATH); missing ones make its tests skip. */
  readonly tools: readonly string[];
  /** Files (relative) a passing run must have created in the project. */
  readonly creates?: readonly string[];
  summary(output: string): TestSummary | undefined;
}

const f = (text: string, mode?: number): ProjectFile => ({ text: text.replace(/^\n/, ''), mode });
const EXEC = 0o755;

const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex

// ---------------------------------------------------------------------------------------------
// jest: `npm test` runs node_modules/.bin/jest --coverage; a module, fake timers, a snapshot
// committed with the project (under CI=true jest refuses to write a missing one, as on a runner),
// a coverage report written into the project, child processes (the project's own bin script, node).

const JEST: CorpusProject = {
  name: 'jest',
  title: 'jest (npm test → node_modules/.bin/jest --coverage: snapshot, fake timers, child processes)',
  command: ['npm', 'test'],
  tests: 6,
  npm: 'jest',
  tools: ['npm', 'node'],
  creates: ['coverage/lcov.info'],
  files: {
    'src/invoice.js': f(`
'use strict';
// Invoice lines as the billing service prints them.
function line(item) {
  const cents = item.quantity * item.unitCents;
  return { sku: item.sku.toUpperCase(), label: \`\${item.quantity} x \${item.name}\`, total: (cents / 100).toFixed(2) };
}
function invoice(items) {
  const cents = items.reduce((sum, i) => sum + i.quantity * i.unitCents, 0);
  return { lines: items.map(line), total: (cents / 100).toFixed(2) };
}
module.exports = { line, invoice };
`),
    'src/timing.js': f(`
'use strict';
function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
async function retry(fn, { attempts, delayMs }) {
  for (let i = 1; ; i++) {
    try {
      return await fn(i);
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, delayMs * i));
    }
  }
}
module.exports = { debounce, retry };
`),
    'bin/greet.js': f(
      `
#!/usr/bin/env node
'use strict';
const { line } = require('../src/invoice');
const [name = 'world'] = process.argv.slice(2);
process.stdout.write(\`hello, \${name} (\${line({ sku: 'x1', name: 'greeting', quantity: 1, unitCents: 0 }).total})\\n\`);
`,
      EXEC,
    ),
    'test/invoice.test.js': f(`
const { line, invoice } = require('../src/invoice');
test('a line totals quantity times unit price', () => {
  expect(line({ sku: 'ab-1', name: 'widget', quantity: 3, unitCents: 250 })).toEqual({ sku: 'AB-1', label: '3 x widget', total: '7.50' });
});
test('an invoice renders as recorded in its snapshot', () => {
  expect(invoice([
    { sku: 'ab-1', name: 'widget', quantity: 3, unitCents: 250 },
    { sku: 'cd-2', name: 'gadget', quantity: 1, unitCents: 1999 },
  ])).toMatchSnapshot();
});
`),
    'test/__snapshots__/invoice.test.js.snap': f(`
// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing

exports[\`an invoice renders as recorded in its snapshot 1\`] = \`
{
  "lines": [
    {
      "label": "3 x widget",
      "sku": "AB-1",
      "total": "7.50",
    },
    {
      "label": "1 x gadget",
      "sku": "CD-2",
      "total": "19.99",
    },
  ],
  "total": "27.49",
}
\`;
`),
    'test/timing.test.js': f(`
const { debounce, retry } = require('../src/timing');
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());
test('debounce calls once, after the quiet period', () => {
  const fn = jest.fn();
  const d = debounce(fn, 200);
  d(1); d(2); d(3);
  jest.advanceTimersByTime(199);
  expect(fn).not.toHaveBeenCalled();
  jest.advanceTimersByTime(1);
  expect(fn).toHaveBeenCalledTimes(1);
  expect(fn).toHaveBeenCalledWith(3);
});
test('retry waits longer after each failure', async () => {
  const fn = jest.fn(async (i) => { if (i < 3) throw new Error('try ' + i); return 'ok'; });
  const p = retry(fn, { attempts: 3, delayMs: 1000 });
  await jest.advanceTimersByTimeAsync(1000);
  expect(fn).toHaveBeenCalledTimes(2);
  await jest.advanceTimersByTimeAsync(2000);
  await expect(p).resolves.toBe('ok');
});
`),
    'test/cli.test.js': f(`
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');
test('the bin script runs as a program', () => {
  const out = execFileSync(path.join(__dirname, '..', 'bin', 'greet.js'), ['ci'], { encoding: 'utf8' });
  expect(out).toBe('hello, ci (0.00)\\n');
});
test('a child node process reports its exit status', () => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(6 * 7)); process.exit(3)'], { encoding: 'utf8' });
  expect(r.stdout).toBe('42');
  expect(r.status).toBe(3);
});
`),
  },
  summary: (out) => {
    const m = /^Tests:\s+(.*?)(\d+) total$/m.exec(stripAnsi(out));
    if (!m) return undefined;
    const count = (w: string): number => Number(new RegExp(`(\\d+) ${w}`).exec(m[1] as string)?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), total: Number(m[2]), text: m[0] };
  },
};

// ---------------------------------------------------------------------------------------------
// mocha + supertest: a node:http app; supertest listens on port 0 and connects to 127.0.0.1.

const MOCHA: CorpusProject = {
  name: 'mocha',
  title: 'mocha + supertest (a node:http app served on port 0)',
  command: ['npm', 'test'],
  tests: 4,
  npm: 'mocha',
  tools: ['npm', 'node'],
  files: {
    'app.js': f(`
'use strict';
// A small JSON API: a health check and a store of items.
const items = new Map();
let nextId = 1;
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
function app(req, res) {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'POST' && req.url === '/items') {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      let body;
      try { body = JSON.parse(raw); } catch { return send(res, 400, { error: 'invalid JSON' }); }
      const item = { id: nextId++, name: String(body.name) };
      items.set(item.id, item);
      send(res, 201, item);
    });
    return undefined;
  }
  const m = /^\\/items\\/(\\d+)$/.exec(req.url);
  if (req.method === 'GET' && m) {
    const item = items.get(Number(m[1]));
    return item ? send(res, 200, item) : send(res, 404, { error: 'no such item' });
  }
  return send(res, 404, { error: 'not found' });
}
module.exports = { app };
`),
    'test/app.test.js': f(`
'use strict';
const assert = require('node:assert/strict');
const request = require('supertest');
const { app } = require('../app');
describe('the items API', () => {
  it('answers the health check', async () => {
    const res = await request(app).get('/health').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });
  it('stores an item and returns it', async () => {
    const created = await request(app).post('/items').send({ name: 'widget' }).expect(201);
    const res = await request(app).get('/items/' + created.body.id).expect(200);
    assert.equal(res.body.name, 'widget');
  });
  it('says 404 for an unknown item', async () => {
    await request(app).get('/items/999').expect(404);
  });
  it('refuses a body that is not JSON', async () => {
    const res = await request(app).post('/items').set('content-type', 'application/json').send('{nope').expect(400);
    assert.equal(res.body.error, 'invalid JSON');
  });
});
`),
  },
  summary: (out) => {
    const s = stripAnsi(out);
    const passing = /^\s*(\d+) passing/m.exec(s);
    if (!passing) return undefined;
    const failing = Number(/^\s*(\d+) failing/m.exec(s)?.[1] ?? 0);
    const pending = Number(/^\s*(\d+) pending/m.exec(s)?.[1] ?? 0);
    const passed = Number(passing[1]);
    return { passed, failed: failing, total: passed + failing + pending, text: passing[0].trim() };
  },
};

// ---------------------------------------------------------------------------------------------
// vitest (3, on vite 7): ES modules, one file with vi.mock. vite runs esbuild's native binary.

const VITEST: CorpusProject = {
  name: 'vitest',
  title: 'vitest (npm test → node_modules/.bin/vitest, vi.mock, esbuild binary)',
  command: ['npm', 'test'],
  tests: 4,
  npm: 'vitest',
  tools: ['npm', 'node'],
  files: {
    'src/rates.js': f(`
// Exchange rates come from a remote service, which tests never reach: they mock this module.
export async function currentRate(currency) {
  throw new Error(\`the rate service is not reachable (asked for \${currency})\`);
}
`),
    'src/prices.js': f(`
import { currentRate } from './rates.js';
export async function priceIn(currency, amountEur) {
  const rate = await currentRate(currency);
  return Math.round(amountEur * rate * 100) / 100;
}
`),
    'src/slug.js': f(`
export function slug(title) {
  return title.normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
`),
    'test/prices.test.js': f(`
import { expect, it, vi } from 'vitest';
import { priceIn } from '../src/prices.js';
import { currentRate } from '../src/rates.js';
vi.mock('../src/rates.js', () => ({ currentRate: vi.fn(async (c) => (c === 'USD' ? 1.1 : 0.85)) }));
it('converts with the mocked rate', async () => {
  expect(await priceIn('USD', 10)).toBe(11);
  expect(currentRate).toHaveBeenCalledWith('USD');
});
it('rounds to cents', async () => {
  expect(await priceIn('GBP', 3.33)).toBe(2.83);
});
`),
    'test/slug.test.js': f(`
import { describe, expect, it } from 'vitest';
import { slug } from '../src/slug.js';
describe('slug', () => {
  it('lower-cases and joins words with dashes', () => expect(slug('Hello, World!')).toBe('hello-world'));
  it('drops accents', () => expect(slug('Crème Brûlée')).toBe('creme-brulee'));
});
`),
  },
  summary: (out) => {
    const m = /^\s*Tests\s+(.*?)\((\d+)\)\s*$/m.exec(stripAnsi(out));
    if (!m) return undefined;
    const count = (w: string): number => Number(new RegExp(`(\\d+) ${w}`).exec(m[1] as string)?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), total: Number(m[2]), text: m[0].trim() };
  },
};

// ---------------------------------------------------------------------------------------------
// node:test: TMPDIR files (mkdtemp, atomic rename) and an HTTP server on port 0 reached by fetch.

const NODE_TEST: CorpusProject = {
  name: 'node-test',
  title: 'node --test (TMPDIR files, an HTTP server on port 0 and fetch)',
  command: ['npm', 'test'],
  tests: 4,
  npm: 'node-test',
  tools: ['npm', 'node'],
  files: {
    'src/store.mjs': f(`
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// Writes a JSON document atomically: a temporary file next to it, then rename(2).
export async function saveJson(dir, name, value) {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, \`.\${name}.\${process.pid}.tmp\`);
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, join(dir, name));
}
export async function loadJson(dir, name) {
  return JSON.parse(await readFile(join(dir, name), 'utf8'));
}
`),
    'test/tmpdir.test.mjs': f(`
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJson, saveJson } from '../src/store.mjs';
test('a scratch directory in TMPDIR keeps what was written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
  try {
    await writeFile(join(dir, 'notes.txt'), 'line 1\\nline 2\\n');
    assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'line 1\\nline 2\\n');
    assert.deepEqual(await readdir(dir), ['notes.txt']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
test('saveJson replaces a document atomically in TMPDIR', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
  try {
    await saveJson(join(dir, 'db'), 'doc.json', { v: 1 });
    await saveJson(join(dir, 'db'), 'doc.json', { v: 2 });
    assert.deepEqual(await loadJson(join(dir, 'db'), 'doc.json'), { v: 2 });
    assert.deepEqual(await readdir(join(dir, 'db')), ['doc.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
`),
    'test/server.test.mjs': f(`
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
async function serve(t, handler) {
  const server = createServer(handler);
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return \`http://127.0.0.1:\${server.address().port}\`;
}
test('an HTTP server on port 0 answers a fetch', async (t) => {
  const base = await serve(t, (req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ path: req.url })); });
  const res = await fetch(base + '/ping', { headers: { connection: 'close' } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { path: '/ping' });
});
test('parallel requests are all answered', async (t) => {
  let n = 0;
  const base = await serve(t, (req, res) => res.end(String(++n)));
  const bodies = await Promise.all([1, 2, 3].map(() => fetch(base, { headers: { connection: 'close' } }).then((r) => r.text())));
  assert.deepEqual(bodies.map(Number).sort(), [1, 2, 3]);
});
`),
  },
  summary: (out) => {
    const s = stripAnsi(out);
    // TAP (`# pass N`) when stdout is not a terminal, spec (`ℹ pass N`) when it is
    const get = (w: string): number | undefined => {
      const m = new RegExp(`^(?:#|ℹ) ${w} (\\d+)$`, 'm').exec(s);
      return m ? Number(m[1]) : undefined;
    };
    const total = get('tests');
    if (total === undefined) return undefined;
    return { passed: get('pass') ?? 0, failed: get('fail') ?? 0, total, text: `tests ${total}, pass ${get('pass')}, fail ${get('fail')}` };
  },
};

// ---------------------------------------------------------------------------------------------
// pytest (Debian's python3-pytest for /usr/bin/python3): a helper script written into tmp_path and
// run, subprocesses, a pseudo-terminal (pty.openpty opens /dev/ptmx).

const PYTEST: CorpusProject = {
  name: 'pytest',
  title: 'pytest (a script written to tmp_path and run, subprocess, pty.openpty)',
  command: ['python3', '-m', 'pytest'],
  tests: 6,
  tools: ['python3'],
  files: {
    'pytest.ini': f(`
[pytest]
testpaths = tests
pythonpath = .
`),
    'textstats.py': f(`
"""Word statistics for plain text."""
import collections
import re


def words(text):
    return re.findall(r"[a-z']+", text.lower())


def top(text, n):
    return collections.Counter(words(text)).most_common(n)
`),
    'tests/test_textstats.py': f(`
import textstats


def test_words_are_lower_cased():
    assert textstats.words("The cat, the HAT") == ["the", "cat", "the", "hat"]


def test_top_counts_most_common_first():
    assert textstats.top("a b a c a b", 2) == [("a", 3), ("b", 2)]
`),
    'tests/test_scripts.py': f(`
import os
import subprocess
import sys

import textstats


def test_helper_script_written_to_tmp_path_runs(tmp_path):
    script = tmp_path / "count-lines.sh"
    script.write_text('#!/bin/sh\\nwc -l < "$1"\\n')
    script.chmod(0o755)
    data = tmp_path / "data.txt"
    data.write_text("a\\nb\\nc\\n")
    out = subprocess.run([str(script), str(data)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"


def test_subprocess_python_writes_into_tmp_path(tmp_path):
    target = tmp_path / "out.txt"
    code = "import sys, textstats; open(sys.argv[1], 'w').write(repr(textstats.top('x y x', 1)))"
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, cwd=tmp_path, env={"PYTHONPATH": os.path.dirname(textstats.__file__)})
    assert target.read_text() == "[('x', 2)]"


def test_shell_pipeline_exit_status():
    r = subprocess.run("printf 'b\\\\na\\\\n' | sort | head -n 1; exit 4", shell=True, capture_output=True, text=True)
    assert (r.stdout, r.returncode) == ("a\\n", 4)
`),
    'tests/test_pty.py': f(`
import os
import pty


def test_pty_delivers_a_typed_line():
    master, slave = pty.openpty()
    try:
        assert os.isatty(slave)
        os.write(master, b"ping\\n")
        assert os.read(slave, 100) == b"ping\\n"
    finally:
        os.close(master)
        os.close(slave)
`),
  },
  summary: (out) => {
    const s = stripAnsi(out);
    const m = /^=+ (.*\b(?:passed|failed|error|errors)\b.*) in [\d.]+s.*=+$/m.exec(s);
    if (!m) return undefined;
    const count = (w: string): number => Number(new RegExp(`(\\d+) ${w}`).exec(m[1] as string)?.[1] ?? 0);
    const passed = count('passed');
    const failed = count('failed') + count('errors?');
    return { passed, failed, total: passed + failed + count('skipped'), text: m[0] };
  },
};

// ---------------------------------------------------------------------------------------------
// C with autotools: configure runs bare (the build step); `make check` builds a test binary and
// runs it and two shell scripts from the tree (the automake parallel test harness).

const AUTOTOOLS: CorpusProject = {
  name: 'autotools',
  title: 'C with autotools (make check runs a test binary and scripts from the tree)',
  command: ['make', 'check'],
  tests: 3,
  tools: ['autoreconf', 'automake', 'make', 'gcc'],
  prepare: [['autoreconf', '-i'], ['./configure', '--quiet']],
  files: {
    'configure.ac': f(`
AC_INIT([corpus-c], [1.0])
AC_CONFIG_AUX_DIR([build-aux])
AM_INIT_AUTOMAKE([foreign -Wall -Werror subdir-objects])
AC_PROG_CC
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
`),
    'Makefile.am': f(`
bin_PROGRAMS = greet
greet_SOURCES = src/greet.c src/strutil.c src/strutil.h
check_PROGRAMS = tests/test_strutil
tests_test_strutil_SOURCES = tests/test_strutil.c src/strutil.c src/strutil.h
TESTS = tests/test_strutil tests/greet.sh tests/tmpfile.sh
EXTRA_DIST = tests/greet.sh tests/tmpfile.sh
`),
    'src/strutil.h': f(`
#ifndef STRUTIL_H
#define STRUTIL_H
#include <stddef.h>
/* Writes "hello, NAME" into buf (upper-cased when upper != 0); returns the length, or -1 if it does not fit. */
int greeting(char *buf, size_t size, const char *name, int upper);
#endif
`),
    'src/strutil.c': f(`
#include "strutil.h"
#include <ctype.h>
#include <stdio.h>

int greeting(char *buf, size_t size, const char *name, int upper) {
  int n = snprintf(buf, size, "hello, %s", name);
  if (n < 0 || (size_t)n >= size) return -1;
  if (upper)
    for (char *p = buf; *p; p++) *p = (char)toupper((unsigned char)*p);
  return n;
}
`),
    'src/greet.c': f(`
#include "strutil.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  int upper = argc > 1 && strcmp(argv[1], "--upper") == 0;
  const char *name = argc > 1 + upper ? argv[1 + upper] : "world";
  char buf[64];
  if (greeting(buf, sizeof buf, name, upper) < 0) {
    fprintf(stderr, "greet: name too long\\n");
    return 1;
  }
  puts(buf);
  return 0;
}
`),
    'tests/test_strutil.c': f(`
#include "../src/strutil.h"
#include <stdio.h>
#include <string.h>

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAILED: %s (line %d)\\n", #c, __LINE__); failures++; } } while (0)

int main(void) {
  char buf[16];
  CHECK(greeting(buf, sizeof buf, "ci", 0) == 9 && strcmp(buf, "hello, ci") == 0);
  CHECK(greeting(buf, sizeof buf, "ci", 1) == 9 && strcmp(buf, "HELLO, CI") == 0);
  CHECK(greeting(buf, sizeof buf, "a name that is too long", 0) == -1);
  return failures ? 1 : 0;
}
`),
    'tests/greet.sh': f(
      `
#!/bin/sh
# Runs the program just built in the tree.
set -e
out=$(./greet autotools)
test "$out" = "hello, autotools" || { echo "unexpected output: $out"; exit 1; }
./greet --upper ci | grep -qx 'HELLO, CI'
`,
      EXEC,
    ),
    'tests/tmpfile.sh': f(
      `
#!/bin/sh
# A scratch file from mktemp (TMPDIR), filled by the program and read back.
set -e
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
./greet tmp > "$tmp"
test "$(cat "$tmp")" = "hello, tmp"
`,
      EXEC,
    ),
  },
  summary: (out) => {
    const s = stripAnsi(out);
    const get = (w: string): number | undefined => {
      const m = new RegExp(`^# ${w}:\\s+(\\d+)$`, 'm').exec(s);
      return m ? Number(m[1]) : undefined;
    };
    const total = get('TOTAL');
    if (total === undefined) return undefined;
    const failed = (get('FAIL') ?? 0) + (get('ERROR') ?? 0) + (get('XPASS') ?? 0);
    return { passed: get('PASS') ?? 0, failed, total, text: `TOTAL ${total}, PASS ${get('PASS')}, FAIL ${get('FAIL')}, ERROR ${get('ERROR')}` };
  },
};

// ---------------------------------------------------------------------------------------------
// go (standard library only): httptest servers on a random loopback port, t.TempDir(). go test
// builds the test binary in TMPDIR and runs it from there.

const GO: CorpusProject = {
  name: 'go',
  title: 'go test (httptest on a random loopback port, t.TempDir, a warm GOCACHE in HOME)',
  command: ['go', 'test', '-count=1', '-v', './...'],
  tests: 5,
  tools: ['go'],
  // the runner's cache step: the build cache (HOME/.cache/go-build) holds the compiled packages
  prepare: [['go', 'test', '-count=1', '-run', '^$', './...']],
  files: {
    'go.mod': f(`
module example.com/corpus

go 1.19
`),
    'kv/store.go': f(`
// Package kv is a key-value store served over HTTP and persisted in a directory.
package kv

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

type Store struct {
	mu   sync.Mutex
	dir  string
	data map[string]string
}

func Open(dir string) (*Store, error) {
	s := &Store{dir: dir, data: map[string]string{}}
	b, err := os.ReadFile(filepath.Join(dir, "data.json"))
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	return s, json.Unmarshal(b, &s.data)
}

// save writes the whole map atomically: a temporary file, then rename.
func (s *Store) save() error {
	b, err := json.Marshal(s.data)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, ".data-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(s.dir, "data.json"))
}

func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		v, ok := s.data[key]
		if !ok {
			http.Error(w, "no such key", http.StatusNotFound)
			return
		}
		io.WriteString(w, v)
	case http.MethodPut:
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.data[key] = string(b)
		if err := s.save(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
`),
    'kv/store_test.go': f(`
package kv

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestPutThenGetOverHTTP(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	if code, _ := do(t, http.MethodPut, srv.URL+"/colour", "blue"); code != http.StatusNoContent {
		t.Fatalf("PUT: %d", code)
	}
	if code, body := do(t, http.MethodGet, srv.URL+"/colour", ""); code != 200 || body != "blue" {
		t.Fatalf("GET: %d %q", code, body)
	}
}

func TestMissingKeyIs404(t *testing.T) {
	s, _ := Open(t.TempDir())
	srv := httptest.NewServer(s)
	defer srv.Close()
	if code, _ := do(t, http.MethodGet, srv.URL+"/nothing", ""); code != http.StatusNotFound {
		t.Fatalf("GET: %d", code)
	}
}

func TestValuesSurviveReopening(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	srv := httptest.NewServer(s)
	do(t, http.MethodPut, srv.URL+"/a", "1")
	srv.Close()
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.data["a"] != "1" {
		t.Fatalf("after reopening: %v", again.data)
	}
}
`),
    'wordfreq/wordfreq.go': f(`
// Package wordfreq counts words.
package wordfreq

import (
	"sort"
	"strings"
	"unicode"
)

type Count struct {
	Word string
	N    int
}

// Top returns the n most frequent words, ties in alphabetical order.
func Top(text string, n int) []Count {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		counts[w]++
	}
	out := make([]Count, 0, len(counts))
	for w, c := range counts {
		out = append(out, Count{w, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Word < out[j].Word
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
`),
    'wordfreq/wordfreq_test.go': f(`
package wordfreq

import (
	"reflect"
	"testing"
)

func TestTopOrdersByCountThenWord(t *testing.T) {
	got := Top("b a b c a b", 2)
	want := []Count{{"b", 3}, {"a", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestTopIgnoresCaseAndPunctuation(t *testing.T) {
	if got := Top("Go, go! GO.", 5); !reflect.DeepEqual(got, []Count{{"go", 3}}) {
		t.Fatalf("got %v", got)
	}
}
`),
  },
  summary: (out) => {
    const s = stripAnsi(out);
    const passed = (s.match(/^\s*--- PASS: /gm) ?? []).length;
    const failed = (s.match(/^\s*--- FAIL: /gm) ?? []).length;
    const oks = s.match(/^ok\s+\S+.*$/gm) ?? [];
    const buildFailed = /^FAIL\s+\S+/m.test(s) || /\[build failed\]|\[setup failed\]/.test(s);
    if (passed + failed === 0 && oks.length === 0 && !buildFailed) return undefined;
    return { passed, failed: failed + (buildFailed && failed === 0 ? 1 : 0), total: passed + failed, text: oks.join('; ') || 'no package ok' };
  },
};

export const CORPUS: readonly CorpusProject[] = [JEST, MOCHA, VITEST, NODE_TEST, PYTEST, AUTOTOOLS, GO];

/**
 * The smallest set of extra flags with which each suite passes under the ci preset as it was when
 * issue 8 was filed (each flag shown necessary by a run without it). {ws} is the project, {tmp} the
 * caller's TMPDIR, beneath which the CLI makes its private TMPDIR (whose name is not known in
 * advance), {home} is HOME. Network: a listener on port 0 cannot be allowed by ports at all
 * (`--bind-tcp 0` is refused, `--bind-tcp 1-65535` does not cover port 0), so only
 * `--unrestricted-network` helps today.
 */
// ---------------------------------------------------------------------------------------------
// Users and places

export interface CorpusUser {
  /** 'root' or 'uid 65534', for titles. */
  readonly label: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** Where this user's projects are created (owned by the user). */
  readonly work: string;
  /** The job's TMPDIR (owned by the user): scratch files of bare runs, the CLI's private directories. */
  readonly tmp: string;
}

/** The unprivileged user of the tests: nobody/nogroup on Debian. */
export const NOBODY = { uid: 65534, gid: 65534 } as const;

const isRoot = (): boolean => process.getuid?.() === 0;

/** Why the unprivileged-user cases cannot run here, or undefined. */
export function unprivilegedUnavailable(): string | undefined {
  return isRoot() ? undefined : `switching to uid ${NOBODY.uid} needs root (running as uid ${process.getuid?.()})`;
}

/** A directory whose every ancestor others may enter: /tmp unless TMPDIR is such a place. */
function reachableTemp(): string {
  const t = tmpdir();
  let d = t;
  for (;;) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return '/tmp';
    } catch {
      return '/tmp';
    }
    if (d === '/') return t;
    d = dirname(d);
  }
}

/** A fresh base directory (mode 0755, under a directory everybody can enter) for one test run. */
export function corpusBase(prefix = 'landrun-corpus-'): string {
  const base = mkdtempSync(join(reachableTemp(), prefix));
  chmodSync(base, 0o755);
  return base;
}

/** root's (or the invoking user's) and the unprivileged user's places under `base`, each with its own HOME. */
export function corpusUser(base: string, who: 'self' | 'nobody'): CorpusUser {
  const uid = who === 'nobody' ? NOBODY.uid : (process.getuid?.() ?? 0);
  const gid = who === 'nobody' ? NOBODY.gid : (process.getgid?.() ?? 0);
  const top = join(base, who);
  const home = join(top, 'home');
  const work = join(top, 'work');
  const tmp = join(top, 'tmp');
  for (const d of [top, home, work, tmp]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  chmodSync(top, 0o755);
  return { label: userLabel(who), uid, gid, home, work, tmp };
}

/** 'root' (or 'uid N' when the tests do not run as root) and 'uid 65534'. */
export function userLabel(who: 'self' | 'nobody'): string {
  const uid = who === 'nobody' ? NOBODY.uid : (process.getuid?.() ?? 0);
  return uid === 0 ? 'root' : `uid ${uid}`;
}

/**
 * The environment of a CI job's step for this user: the system PATH, its own HOME, and a TMPDIR of
 * its own (so that scratch files, and the directories the CLI leaves, go away with the base).
 */
export function corpusEnv(user: CorpusUser, extra: Record<string, string> = {}): Record<string, string> {
  const name = user.uid === 0 ? 'root' : user.uid === NOBODY.uid ? 'nobody' : `uid${user.uid}`;
  return { PATH: CORPUS_PATH, HOME: user.home, TMPDIR: user.tmp, USER: name, LOGNAME: name, LANG: 'C.UTF-8', ...extra };
}

/** The tools of `project` that are not installed (in CORPUS_PATH), as a skip reason, or undefined. */
export function missingTools(project: CorpusProject): string | undefined {
  const missing = project.tools.filter((t) => !CORPUS_PATH.split(':').some((d) => existsSync(join(d, t))));
  if (missing.length > 0) return `${missing.join(', ')} not installed (see .ci/run)`;
  if (project.name === 'pytest') {
    const r = spawnSync('python3', ['-c', 'import pytest'], { env: { PATH: CORPUS_PATH }, encoding: 'utf8' });
    if (r.status !== 0) return 'pytest is not installed for python3 (Debian: python3-pytest)';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/** node_modules for an npm fixture, installed once per lockfile (`npm ci`) into the cache. */
export function installedNodeModules(fixture: string): string {
  const src = join(CORPUS_FIXTURES, fixture);
  const pkg = readFileSync(join(src, 'package.json'));
  const lock = readFileSync(join(src, 'package-lock.json'));
  const key = createHash('sha256').update(pkg).update('\0').update(lock).update(`\0${process.platform}-${process.arch}-${process.versions.modules}`).digest('hex').slice(0, 16);
  const dir = join(CORPUS_CACHE, `${fixture}-${key}`);
  if (existsSync(join(dir, 'installed'))) return join(dir, 'node_modules');
  mkdirSync(CORPUS_CACHE, { recursive: true });
  // install beside, then rename: a concurrent run (bench and tests) never sees half a tree
  const staging = mkdtempSync(join(CORPUS_CACHE, `${fixture}-${key}.tmp-`));
  writeFileSync(join(staging, 'package.json'), pkg);
  writeFileSync(join(staging, 'package-lock.json'), lock);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm ci for the ${fixture} corpus project failed (${r.status}): ${r.stderr || r.error?.message}`);
  }
  mkdirSync(join(staging, 'node_modules'), { recursive: true }); // npm ci makes none when there is nothing to install
  writeFileSync(join(staging, 'installed'), '');
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run got there first
  }
  return join(dir, 'node_modules');
}

function chownTree(path: string, uid: number, gid: number): void {
  const r = spawnSync('chown', ['-R', '-h', `${uid}:${gid}`, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown -R ${uid}:${gid} ${path}: ${r.stderr}`);
}

export interface RunOutcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs argv as `user` (uid/gid switched by the spawn when they differ from ours), output collected. */
export function runAs(user: CorpusUser, argv: readonly string[], opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<RunOutcome> {
  const [cmd, ...args] = argv as [string, ...string[]];
  const switchUser = user.uid !== process.getuid?.() || user.gid !== process.getgid?.();
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(switchUser ? { uid: user.uid, gid: user.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: performance.now() - start });
    });
  });
}

export interface CreatedProject {
  readonly project: CorpusProject;
  readonly dir: string;
  readonly user: CorpusUser;
}

/**
 * Writes `project` into a fresh directory under the user's work directory, owned by the user, with
 * its dependencies installed and its bare build steps run (as the user), ready for its test command.
 */
export async function createProject(project: CorpusProject, user: CorpusUser): Promise<CreatedProject> {
  const dir = mkdtempSync(join(user.work, `${project.name}-`));
  chmodSync(dir, 0o755);
  for (const [rel, file] of Object.entries(project.files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, file.text, { mode: file.mode ?? 0o644 });
  }
  if (project.npm) {
    for (const name of ['package.json', 'package-lock.json']) cpSync(join(CORPUS_FIXTURES, project.npm, name), join(dir, name));
    const modules = installedNodeModules(project.npm);
    const r = spawnSync('cp', ['-a', modules, join(dir, 'node_modules')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`copying ${modules}: ${r.stderr}`);
  }
  chownTree(dir, user.uid, user.gid);
  for (const step of project.prepare ?? []) {
    const r = await runAs(user, step, { cwd: dir, env: corpusEnv(user), timeoutMs: 180000 });
    if (r.status !== 0) throw new Error(`${step.join(' ')} (bare build step of ${project.name}, as ${user.label}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return { project, dir, user };
}

/**
 * The compiled CLI (lib/) with the runtime packages it loads (koffi and its native package for
 * this architecture), copied to `dest` so that any user can run it wherever the checkout sits.
 */
/** The CLI copied into `dest`, where every user can run it (see portable.ts). */
export const portableCli = (dest: string): string => copyCli(dest);

/** The test command bare, as the project's owner. */
export function runBare(p: CreatedProject, opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunOutcome> {
  return runAs(p.user, p.project.command, { cwd: p.dir, env: corpusEnv(p.user, opts.env), timeoutMs: opts.timeoutMs });
}

/** `landrun --preset ci [extra] -- <test command>` from the project directory, as its owner. */
export function runSandboxed(p: CreatedProject, cli: string, extra: readonly string[] = [], opts: { timeoutMs?: number } = {}): Promise<RunOutcome> {
  return runAs(p.user, [nodeForAnyUser(), cli, '--preset', 'ci', ...extra, '--', ...p.project.command], { cwd: p.dir, env: corpusEnv(p.user), timeoutMs: opts.timeoutMs });
}

/**
 * The test command as the Action's `run:` step, the way the runner starts it: the committed bundle
 * (`node dist/action-main/index.js`, from a copy every user can read) with INPUT_RUN and a runner's
 * file-command files, the project as the workspace, as the project's owner.
 */
export function runAsActionStep(p: CreatedProject, actionDir: string, opts: { node: string; timeoutMs?: number }): Promise<RunOutcome> {
  return runAs(p.user, [opts.node, join(actionDir, 'dist', 'action-main', 'index.js')], { cwd: p.dir, env: actionStepEnv(p, actionDir), timeoutMs: opts.timeoutMs });
}

/** The environment of the project's test command as the Action's `run:` step (a fresh RUNNER_TEMP with its file-command files). */
export function actionStepEnv(p: CreatedProject, actionDir: string, inputs: Record<string, string> = {}): Record<string, string> {
  const temp = mkdtempSync(join(p.user.tmp, 'runner-temp-'));
  const files: Record<string, string> = {};
  for (const [k, f] of [['GITHUB_ENV', 'env'], ['GITHUB_PATH', 'path'], ['GITHUB_OUTPUT', 'output'], ['GITHUB_STATE', 'state'], ['GITHUB_STEP_SUMMARY', 'summary']] as const) {
    files[k] = join(temp, f);
    writeFileSync(files[k] as string, '');
  }
  spawnSync('chown', ['-R', `${p.user.uid}:${p.user.gid}`, temp]);
  const script = p.project.command.map((w) => (/^[\w./=:@-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
  return corpusEnv(p.user, { ...files, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: p.dir, RUNNER_TEMP: temp, GITHUB_ACTION_PATH: actionDir, ...actionInputs(actionDir, { INPUT_RUN: script, ...inputs }) });
}

/** Why a run did not pass all of the project's tests, or undefined when it did. */
export function failureOf(p: CorpusProject, r: RunOutcome, dir?: string): string | undefined {
  const out = `${r.stdout}\n${r.stderr}`;
  const s = p.summary(out);
  const problems: string[] = [];
  if (r.status !== 0) problems.push(`exit status ${r.status ?? `signal ${r.signal}`}`);
  if (!s) problems.push('no test summary in the output');
  else if (s.failed !== 0 || s.passed !== p.tests || s.total !== p.tests) problems.push(`expected ${p.tests} passed of ${p.tests}, got: ${s.text}`);
  for (const c of dir ? (p.creates ?? []) : []) if (!existsSync(join(dir as string, c))) problems.push(`${c} was not created`);
  if (problems.length === 0) return undefined;
  return `${p.name}: ${problems.join('; ')}\n--- output (last 40 lines) ---\n${out.trim().split('\n').slice(-40).join('\n')}`;
}
