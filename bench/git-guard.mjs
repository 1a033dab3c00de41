// The git guard's cost around a step on a realistic checkout: a repository of SRC tracked files
// (committed, so the index is real) and an untracked node_modules of DEPS files, plus one
// submodule. Prints the median of RUNS snapshots (before the step) and releases (after a step
// that changed nothing), in ms. Usage: npm run build && node bench/git-guard.mjs [guard module]
//   SRC=10000 DEPS=50000 RUNS=15 node bench/git-guard.mjs lib/step/git-guard.js
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SRC = Number(process.env.SRC ?? 10000);
const DEPS = Number(process.env.DEPS ?? 50000);
const RUNS = Number(process.env.RUNS ?? 15);
const guardModule = resolve(process.argv[2] ?? 'lib/step/git-guard.js');
const { guardGit, releaseGit } = await import(pathToFileURL(guardModule).href);

const root = mkdtempSync(join(tmpdir(), 'landrun-bench-git-'));
const ws = join(root, 'ws');
const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', '-c', 'protocol.file.allow=always', ...args], { cwd, stdio: 'pipe' });
try {
  // 20 files a directory, 25 directories a level: the shape of a source tree and of node_modules
  const fill = (base, files, ext) => {
    for (let i = 0; i < files; i++) {
      const d = join(base, `d${Math.floor(i / 500)}`, `e${Math.floor(i / 20) % 25}`);
      if (i % 20 === 0) mkdirSync(d, { recursive: true });
      writeFileSync(join(d, `f${i}.${ext}`), `${i}\n`);
    }
  };
  mkdirSync(ws);
  git(ws, 'init', '-q', '-b', 'main');
  fill(join(ws, 'src'), SRC, 'ts');
  writeFileSync(join(ws, '.gitignore'), 'node_modules/\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'src');
  const up = join(root, 'up');
  mkdirSync(up);
  git(up, 'init', '-q');
  git(up, 'commit', '-q', '--allow-empty', '-m', 'up');
  git(ws, 'submodule', 'add', '-q', up, 'sub');
  git(ws, 'commit', '-q', '-m', 'sub');
  git(ws, 'config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic dG9rZW4=');
  for (let p = 0; p < DEPS / 20; p++) {
    const d = join(ws, 'node_modules', `pkg${p}`, p % 2 ? 'lib' : 'dist');
    mkdirSync(d, { recursive: true });
    for (let f = 0; f < 20; f++) writeFileSync(join(d, `m${f}.js`), '');
  }
  const snap = [];
  const rel = [];
  let g;
  for (let i = 0; i < RUNS + 2; i++) {
    let t = performance.now();
    g = guardGit(ws, { withholdCredentials: true });
    const s = performance.now() - t;
    t = performance.now();
    const c = releaseGit(g, ws);
    const r = performance.now() - t;
    if (c.changed.length) throw new Error(`unexpected changes: ${c.changed.join(', ')}`);
    if (i >= 2) {
      snap.push(s);
      rel.push(r);
    } // two warm-up rounds
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const walk = g.scan ? `, walk: ${g.scan.dirs} directories, ${g.scan.entries} entries, ${g.repositories.length} repositories` : '';
  console.log(`${guardModule}: ${SRC} tracked + ${DEPS} in node_modules, ${RUNS} runs: snapshot ${median(snap).toFixed(1)} ms (min ${Math.min(...snap).toFixed(1)}), release ${median(rel).toFixed(1)} ms (min ${Math.min(...rel).toFixed(1)})${walk}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
