// npm run package: bundle every entry point with ncc into dist/<entry>/index.js and vendor koffi
// (the package and its linux x64 + arm64 native modules) and yaml into dist/node_modules. koffi stays
// external: bundling it breaks its native-module lookup. Then rebuild the native launchers into
// dist/native (see buildNative below). The output is deterministic, so check-dist can fail on
// `git status --porcelain dist/`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// LANDRUN_DIST_OUT: build the bundles and the vendored modules into another directory, leaving
// dist/native alone (test/integration/dist-fresh.test.ts compares the result with dist/).
const dist = process.env.LANDRUN_DIST_OUT ?? join(root, 'dist');
const bundlesOnly = process.env.LANDRUN_DIST_OUT !== undefined;
const ENTRIES = ['cli', 'action-main', 'action-post', 'shell', 'audit-relay'];
const KOFFI_ARCHES = ['x64', 'arm64'];
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;

// dist/native is rebuilt (or kept) by buildNative below, not removed with the bundles.
mkdirSync(dist, { recursive: true });
for (const e of readdirSync(dist)) if (e !== 'native') rmSync(join(dist, e), { recursive: true, force: true });

// The programs started for every sandboxed command (the CLI, the launcher, landrun-shell) are
// bundled as CommonJS with esbuild: Node's ESM loader alone adds ~13 ms to each start
// (docs/adr/0005). The Action's main and post steps run once per job: ncc, ESM.
const CJS_ENTRIES = new Set(['cli', 'shell', 'audit-relay']);
const externals = ['koffi', ...KOFFI_ARCHES.map((a) => `@koromix/koffi-linux-${a}`)];
// yaml is read only for policy files (src/policy/yaml.ts loads it on first use): outside the
// per-command bundles it costs them nothing at start-up (about 3 ms of CPU when bundled in), and it
// is vendored below as one file. The Action's bundles, run once per job, include it.
const cjsExternals = [...externals, 'yaml'];
const esbuild = await import('esbuild');

for (const entry of ENTRIES) {
  const src = join(root, 'src', 'entrypoints', `${entry}.ts`);
  if (!existsSync(src)) continue;
  const out = join(dist, entry);
  if (CJS_ENTRIES.has(entry)) {
    const outfile = join(out, 'index.cjs');
    await esbuild.build({
      entryPoints: [src],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: cjsExternals,
      legalComments: 'none',
      minify: true,
      logLevel: 'warning',
      // import.meta.url has no CommonJS equivalent; the bundle provides it from __filename.
      define: { 'import.meta.url': '__landrunModuleUrl' },
      banner: { js: '#!/usr/bin/env node\nvar __landrunModuleUrl = require("url").pathToFileURL(__filename).href;' },
    });
    chmodSync(outfile, 0o755);
    continue;
  }
  execFileSync(
    process.execPath,
    [ncc, 'build', src, '-o', out, ...externals.flatMap((e) => ['-e', e]), '--target', 'es2022', '-q'],
    { cwd: root, stdio: 'inherit' },
  );
}

// Vendor koffi: the JS entry (fallback) and the native modules for linux x64 and arm64.
const vendor = join(dist, 'node_modules');
const koffiSrc = join(root, 'node_modules', 'koffi');
const koffiDst = join(vendor, 'koffi');
for (const f of ['package.json', 'index.js', 'index.cjs', 'index.d.ts', 'LICENSE.txt', 'README.md']) {
  cpSync(join(koffiSrc, f), join(koffiDst, f));
}
for (const f of ['src/koffi/index.cjs', 'src/koffi/index.js', 'src/koffi/src/static.cjs', 'src/koffi/src/static.js']) {
  cpSync(join(koffiSrc, f), join(koffiDst, f));
}

const cache = mkdtempSync(join(tmpdir(), 'landrun-koffi-'));
try {
  for (const arch of KOFFI_ARCHES) {
    const name = `@koromix/koffi-linux-${arch}`;
    const installed = join(root, 'node_modules', name);
    const dst = join(vendor, name);
    let from = installed;
    if (!existsSync(join(installed, 'package.json')) || JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version !== koffiVersion) {
      // Not installed on this CPU: take the published tarball of the same version.
      execFileSync('npm', ['pack', `${name}@${koffiVersion}`, '--silent', '--pack-destination', cache], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
      const tgz = readdirSync(cache).find((f) => f.startsWith(`koromix-koffi-linux-${arch}-`) && f.endsWith('.tgz'));
      if (!tgz) throw new Error(`npm pack ${name}@${koffiVersion} produced no tarball`);
      const unpack = join(cache, arch);
      mkdirSync(unpack);
      execFileSync('tar', ['-xzf', join(cache, tgz), '-C', unpack]);
      from = join(unpack, 'package');
    }
    cpSync(from, dst, { recursive: true });
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}

// Vendor yaml for the CommonJS bundles, as one minified file with its licence.
const yamlSrc = join(root, 'node_modules', 'yaml');
const yamlDst = join(vendor, 'yaml');
const yamlVersion = JSON.parse(readFileSync(join(yamlSrc, 'package.json'), 'utf8')).version;
await esbuild.build({
  entryPoints: [join(yamlSrc, 'dist', 'index.js')],
  outfile: join(yamlDst, 'index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
cpSync(join(yamlSrc, 'LICENSE'), join(yamlDst, 'LICENSE'));
writeFileSync(join(yamlDst, 'package.json'), `${JSON.stringify({ name: 'yaml', version: yamlVersion, license: 'ISC', main: 'index.cjs' }, null, 2)}\n`);

// Normalise modes: installed and unpacked packages differ, and git records the executable bit.
const normalise = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) {
      chmodSync(p, 0o755);
      normalise(p);
    } else chmodSync(p, 0o644);
  }
};
normalise(vendor);

if (!bundlesOnly) buildNative();

// ncc writes a package.json ({"type":"module"}) next to each ESM bundle; list what we produced.
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else files.push(relative(root, p));
  }
};
walk(dist);
process.stdout.write(`packaged ${files.length} files into ${relative(root, dist) || dist}/ (koffi ${koffiVersion}, ${KOFFI_ARCHES.join(' + ')}; yaml ${yamlVersion})\n`);

/**
 * The native launchers, dist/native/landlock-exec-{x64,arm64}: `make -C native-helper dist`
 * builds both (Debian's gcc and aarch64-linux-gnu-gcc), static and reproducible, and records in
 * SOURCES.sha256 the hash of every source, the compilers and C libraries, and the binaries. With
 * the same sources and toolchain a rebuild gives the same bytes. When the sources are unchanged but
 * this machine's toolchain differs from the recorded one (another distribution's gcc, say), the
 * committed binaries are kept, so that check-dist does not fail on a compiler difference;
 * LANDRUN_NATIVE=rebuild forces the rebuild. Until native-helper/workflow-commands.c exists, the
 * build needs LANDRUN_WC_PASSTHROUGH=1 and SOURCES.sha256 says that a pass-through filter is linked.
 */
function buildNative() {
  const helper = join(root, 'native-helper');
  const out = join(dist, 'native');
  const recordedFile = join(out, 'SOURCES.sha256');
  const recorded = existsSync(recordedFile) ? readFileSync(recordedFile, 'utf8').split('\n') : [];
  const hashed = readdirSync(helper)
    .filter((f) => /\.[ch]$/.test(f))
    .sort()
    .concat(['Makefile', 'landrun-exec.sh']);
  const sourceLines = hashed.map((f) => `${createHash('sha256').update(readFileSync(join(helper, f))).digest('hex')}  ${f}`);
  const tool = (cc) => {
    try {
      const version = execFileSync(cc, ['--version'], { encoding: 'utf8' }).split('\n')[0];
      const libc = execFileSync(cc, ['-print-file-name=libc.a'], { encoding: 'utf8' }).trim();
      return [version, createHash('sha256').update(readFileSync(libc)).digest('hex')];
    } catch {
      return undefined;
    }
  };
  const x64 = tool('x86_64-linux-gnu-gcc');
  const arm64 = tool('aarch64-linux-gnu-gcc');
  const toolLines = x64 && arm64 ? [`x64 cc: ${x64[0]}`, `x64 libc.a: ${x64[1]}`, `arm64 cc: ${arm64[0]}`, `arm64 libc.a: ${arm64[1]}`] : undefined;
  const recordedSources = recorded.filter((l) => /^[0-9a-f]{64} {2}[^/]+$/.test(l) && !/ {2}landlock-exec-(x64|arm64)$/.test(l));
  const sourcesSame = recordedSources.length === sourceLines.length && sourceLines.every((l) => recordedSources.includes(l));
  const toolchainSame = toolLines !== undefined && toolLines.every((l) => recorded.includes(l));
  if (sourcesSame && !toolchainSame && process.env.LANDRUN_NATIVE !== 'rebuild') {
    process.stdout.write(`kept dist/native: its sources are unchanged and this machine's toolchain differs from the recorded one (${toolLines ? 'see SOURCES.sha256' : 'a cross compiler is missing'}); LANDRUN_NATIVE=rebuild rebuilds\n`);
    return;
  }
  if (!toolLines) {
    throw new Error('dist/native needs rebuilding (native-helper/ changed) but x86_64-linux-gnu-gcc or aarch64-linux-gnu-gcc is missing (Debian: gcc, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross)');
  }
  const wc = existsSync(join(helper, 'workflow-commands.c'));
  if (!wc && process.env.LANDRUN_WC_PASSTHROUGH !== '1') {
    throw new Error('native-helper/workflow-commands.c is missing: the shipped launchers need the workflow-command filter (LANDRUN_WC_PASSTHROUGH=1 links a pass-through stand-in and says so in SOURCES.sha256)');
  }
  execFileSync('make', ['-B', '-s', '-C', helper, 'dist', `DIST=${out}`, ...(wc ? [] : ['WC_PASSTHROUGH=1', 'ALLOW_PASSTHROUGH_DIST=1'])], { stdio: 'inherit' });
}
