// Prints what the integration suite runs against (through the project's own probe), so a CI log
// shows that the tests really enforced on a kernel with Landlock.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function globalSetup(): void {
  const cli = join(process.cwd(), 'lib', 'entrypoints', 'cli.js');
  const r = spawnSync(process.execPath, [cli, '--explain', '--unrestricted-filesystem'], { encoding: 'utf8' });
  const line = /kernel: [^\n;]+/.exec(r.stdout ?? '')?.[0] ?? `unknown (${(r.stderr || r.error?.message || '').trim()})`;
  process.stderr.write(`\n[landrun tests] ${line}; arch ${process.arch}; uid ${process.getuid?.()}; node ${process.version}\n`);
}
