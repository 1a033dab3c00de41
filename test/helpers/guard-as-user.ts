// The git guard run the way the runner runs it: as an unprivileged user (root reads any directory,
// so a repository hidden in one the step made unreadable only shows as another user). One process
// per case: guard, the step as the same user, release; the result comes back as JSON. It runs the
// compiled guard from the world-readable copy of lib/ (test/helpers/portable.ts).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitCheck } from '../../src/step/git-guard.js';
import { portableCli } from './portable.js';
import { whyNot } from './describe-if.js';
import { nodeForAnyUser } from './node24.js';

export const NOBODY = { uid: 65534, gid: 65534 };

/** Why the unprivileged cases cannot run here, if they cannot. */
export const asUserWhy = whyNot([process.getuid?.() !== 0, 'needs root to run as another user'], [spawnSync('setpriv', ['--version']).status !== 0, 'setpriv is missing']);

const DRIVER = `
import { spawnSync } from 'node:child_process';
const [guardModule, workspace, script] = process.argv.slice(2);
const { guardGit, releaseGit } = await import(guardModule);
const guard = guardGit(workspace, { withholdCredentials: true });
const step = spawnSync('bash', ['-c', script], { cwd: workspace, encoding: 'utf8' });
const check = releaseGit(guard, workspace);
process.stdout.write(JSON.stringify({ check, step: step.stdout + step.stderr, uid: process.getuid() }) + '\\n');
`;

export function guardAsUser(workspace: string, script: string, env: Record<string, string>, who = NOBODY): { check: GitCheck; step: string; uid: number } {
  const lib = dirname(dirname(portableCli()));
  const driver = join(dirname(lib), 'guard-driver.mjs');
  writeFileSync(driver, DRIVER, { mode: 0o644 });
  const r = spawnSync('setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', '--', nodeForAnyUser(), driver, join(lib, 'step', 'git-guard.js'), workspace, script], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`guard as ${who.uid}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { check: GitCheck; step: string; uid: number };
}
