// npm run package: bundle every entry point with ncc into dist/<entry>/index.js and vendor koffi
// (the package and its linux x64 + arm64 native modules) and yaml into dist/node_modules. koffi stays
// external: bundling it breaks its native-module lookup. The output is deterministic, so
// check-dist can fail on `git status --porcelain dist/`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ENTRIES = ['cli', 'action-main', 'action-post', 'shell', 'audit-relay'];
const KOFFI_ARCHES = ['x64', 'arm64'];
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

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
process.stdout.write(`packaged ${files.length} files into dist/ (koffi ${koffiVersion}, ${KOFFI_ARCHES.join(' + ')}; yaml ${yamlVersion})\n`);
