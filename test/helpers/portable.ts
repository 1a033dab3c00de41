// The compiled CLI copied where any user may run it. Tests that drop to another user (nobody,
// www-data) must pass wherever the checkout sits — below a 0700 directory, a clone in `mktemp -d`,
// an Ubuntu home (0750) — so they run this copy, never the checkout itself.
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run.js';

let copy: string | undefined;

/** The path of cli.js in a world-readable copy of lib/ with the modules it loads at run time. */
export function portableCli(): string {
  if (copy === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'landrun-portable-'));
    chmodSync(dir, 0o755);
    cpSync(join(ROOT, 'lib'), join(dir, 'lib'), { recursive: true });
    for (const m of ['koffi', `@koromix/koffi-linux-${process.arch}`]) {
      cpSync(join(ROOT, 'node_modules', m), join(dir, 'node_modules', m), { recursive: true, dereference: true });
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    chmodSync(join(dir, 'node_modules'), 0o755);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    copy = dir;
  }
  return join(copy, 'lib', 'entrypoints', 'cli.js');
}
