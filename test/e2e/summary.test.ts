// The job summary and the outputs, end to end (issue 9): the Action's bundles on Node 24 as the
// runner runs them (test/helpers/runner-layout.ts), as root and as the runner's unprivileged user,
// and every summary rendered the way GitHub renders it (cmark-gfm, test/helpers/gfm.ts): the
// tables must be tables. What the summary and the outputs say must be what happened: a step the git
// guard failed is shown failed, naming the files; `exit-code` is the script's own code (learn mode:
// the last round's) and is empty when the script never ran; a runner without a job summary still
// runs the step; and the Action's failure cannot be printed by the script.
// Denial cases allow trace, not audit: audit is global, and test/integration/denials.test.ts owns it.
import { afterAll, describe, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { gfmWhy, renderGfm, tableWithHeader } from '../helpers/gfm.js';
import { asUserWhy, NOBODY } from '../helpers/guard-as-user.js';
import { node24Why } from '../helpers/node24.js';
import { removeDir } from '../helpers/run.js';
import { actionPostStep, actionStep, makeRunnerLayout, read, type RunnerLayout } from '../helpers/runner-layout.js';

type User = { uid: number; gid: number } | undefined;

const layouts: RunnerLayout[] = [];
afterAll(() => layouts.forEach((l) => removeDir(l.root)));
/** A runner layout owned by `as` (the runner's user). */
const layout = (as: User): RunnerLayout => {
  const l = makeRunnerLayout({ checkout: 'v4' });
  layouts.push(l);
  if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, l.root]);
  return l;
};

const USERS: Array<[string, User, string | undefined]> = [
  ['as root', undefined, process.getuid?.() === 0 ? undefined : 'needs root'],
  ['as the runner user (nobody)', NOBODY, asUserWhy],
];

/** The summary's key/value table (the first whose header is empty), as a record. */
function facts(html: string): Record<string, string> {
  return Object.fromEntries(tableWithHeader(html, ['', '']).map(([k, v]) => [k as string, v as string]));
}

/** Lines of the log that are workflow commands (at the start of a line, as the runner reads them). */
const commands = (out: string, name: string): string[] => out.split('\n').filter((l) => l.startsWith(`::${name}`));

const GIT_MESSAGE = 'the script changed what later git commands read or run: .git/config (restored .git/config)';

describe.each(USERS)('the job summary on GitHub\'s renderer, %s', (_who, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [gfmWhy !== undefined, gfmWhy ?? ''], [userWhy !== undefined, userWhy ?? '']);

  itIf(why, 'run mode: the facts and the rules are tables; a passing script is shown passed', async () => {
    const l = layout(as);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'echo "P:ran"' }), { as });
    expect(r.status).toBe(0);
    const html = renderGfm(read(l.files.summary));
    expect(facts(html)).toMatchObject({ result: '✅ passed', enforcement: '🟢 full', 'exit code': '0' });
    expect(tableWithHeader(html, ['path', 'kind', 'rights', 'from'])).toContainEqual([l.workspace, 'dir', 'rwx', 'preset ci (workspace)']);
    expect(r.outputs['exit-code']).toBe('0');
  }, 60000);

  itIf(why, 'run mode: a script the git guard caught is shown failed, naming the files, though it exited 0', async () => {
    const l = layout(as);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'git config core.fsmonitor "touch pwned"; echo "P:planted"' }), { as });
    expect(r.status).toBe(1);
    expect(r.failed).toBe(GIT_MESSAGE);
    const f = facts(renderGfm(read(l.files.summary)));
    expect(f.result).toBe(`❌ failed: ${GIT_MESSAGE}`);
    expect(f['exit code']).toBe('0'); // what the script exited with: true, and no longer the only word
    expect(r.outputs['exit-code']).toBe('0');
  }, 60000);

  itIf(why, 'run mode: a failing script is shown failed with its exit code', async () => {
    const l = layout(as);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'exit 6' }), { as });
    expect(r.failed).toBe('the script exited with 6');
    expect(facts(renderGfm(read(l.files.summary)))).toMatchObject({ result: '❌ failed: the script exited with 6', 'exit code': '6' });
    expect(r.outputs['exit-code']).toBe('6');
  }, 60000);

  itIf(why, "shell mode: the post step's table of steps is a table, one row per step, with what failed each", async () => {
    const l = layout(as);
    const setup = await actionStep(l, l.env({ INPUT_RUN: '' }), { as, post: false });
    expect(setup.status).toBe(0);
    const binDir = read(l.files.path).trim();
    const stepEnv = l.env({ PATH: `${binDir}:${process.env.PATH}`, GITHUB_ACTION: '__run_2' });
    const shellStep = (name: string, body: string, args: string[] = []) => {
      const file = join(l.runnerTemp, name);
      writeFileSync(file, body);
      if (as) chownSync(file, as.uid, as.gid);
      return spawnSync('landrun-shell', [...args, file], { cwd: l.workspace, env: stepEnv, encoding: 'utf8', uid: as?.uid, gid: as?.gid });
    };
    expect(shellStep('a', 'echo "P:a"\n').status).toBe(0);
    expect(shellStep('b', 'exit 4\n').status).toBe(4);
    expect(shellStep('c', 'git config core.fsmonitor "touch pwned"\n').status).toBe(1);
    const notRun = shellStep('d', 'echo "P:d"\n', ['--shell', 'no-such-shell {0}']);
    expect(notRun.status).not.toBe(0);
    expect(notRun.stdout).not.toContain('P:d');

    const post = await actionPostStep(l, l.env(), setup.state, { as });
    expect(post.status).toBe(0);
    const html = renderGfm(read(l.files.summary));
    const rows = tableWithHeader(html, ['step', 'result', 'exit code', 'duration', 'enforcement', 'notes']);
    expect(rows.map((row) => row.map((cell, i) => (i === 3 ? cell.replace(/^\d+\.\d s$/, 'N s') : cell)))).toEqual([
      ['__run_2: echo "P:a"', '✅ passed', '0', 'N s', 'full', ''],
      ['__run_2: exit 4', '❌ failed: the script exited with 4', '4', 'N s', 'full', ''],
      ['__run_2: git config core.fsmonitor "touch pwned"', `❌ failed: ${GIT_MESSAGE}`, '0', 'N s', 'full', ''],
      ['__run_2: echo "P:d"', expect.stringMatching(/^❌ failed: the script did not run: .*no-such-shell/), 'not run', 'N s', 'full', ''],
    ]);
    expect(facts(html)).toMatchObject({ enforcement: '🟢 full', 'sandboxed steps': '4' });
  }, 90000);

  itIf(why, "learn mode: the learned policy, what was not learned, and the last round's real exit code", async () => {
    const l = layout(as);
    const data = join(l.root, 'learn-data');
    mkdirSync(join(data, 'out'), { recursive: true });
    writeFileSync(join(data, 'in.txt'), 'in');
    if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, data]);
    // Round 1: the read is denied and the script exits 0; round 2 (ro learned): it reads and exits 3.
    const script = `echo x > ${data}/out/result || true\nif cat ${data}/in.txt > /dev/null; then exit 3; fi`;
    const r = await actionStep(l, l.env({ INPUT_RUN: script, INPUT_MODE: 'learn', INPUT_TRACE: 'true' }), { as });
    expect(r.stdout).toMatch(/learn round 1: exit 0, /);
    expect(r.stdout).toMatch(/learn round 2: exit 3, /);
    expect(r.failed).toBeUndefined(); // learn mode: the exit code does not fail the step
    expect(r.outputs['exit-code']).toBe('3');
    const html = renderGfm(read(l.files.summary));
    expect(html).toContain(`<pre><code class="language-yaml">preset: ci\nro: ${data}\n</code></pre>`);
    expect(tableWithHeader(html, ['input', 'why'])).toEqual([[`rw: ${data}/out`, expect.stringMatching(/^writes outside the workspace/)]]);
    const f = facts(html);
    expect(f['exit code']).toBe('3');
    expect(f.result).toMatch(/^✅ passed/);
  }, 90000);
});

describe('learn mode on a runner where denials cannot be seen', () => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [gfmWhy !== undefined, gfmWhy ?? ''], [asUserWhy !== undefined, asUserWhy ?? '']);
  itIf(why, 'as the runner user (nobody) without strace on PATH: the step fails saying why, and exit-code is what the round that ran exited with', async () => {
    const l = layout(NOBODY);
    // PATH holds bash and nothing else: no strace; and nobody cannot read audit records.
    const bin = join(l.root, 'only-bash');
    mkdirSync(bin);
    spawnSync('ln', ['-s', spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'bash')]);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'echo "P:ran"; exit 3', INPUT_MODE: 'learn', PATH: bin }), { as: NOBODY });
    expect(r.stdout).toContain('P:ran\n');
    expect(r.status).toBe(1);
    expect(r.failed).toMatch(/^learn mode needs to see denials, and cannot on this runner: /);
    expect(r.outputs['exit-code']).toBe('3');
    const f = facts(renderGfm(read(l.files.summary)));
    expect(f.result).toMatch(/^❌ failed: learn mode needs to see denials/);
    expect(f['exit code']).toBe('3');
  }, 60000);
});

describe('exit-code when the script never ran', () => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [gfmWhy !== undefined, gfmWhy ?? '']);
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a bad input', { INPUT_PRESET: 'lax' }, /^invalid input preset 'lax'/],
    ['a missing working-directory', { 'INPUT_WORKING-DIRECTORY': 'no/such/dir' }, /^input working-directory: 'no\/such\/dir' .* does not exist$/],
    ['a plan strict mode refuses (target-abi 3 cannot rule TCP)', { 'INPUT_TARGET-ABI': '3', 'INPUT_CONNECT-TCP': '443' }, /^refusing to run: /],
  ];
  describe.each(cases)('%s', (_n, inputs, message) => {
    itIf(why, 'leaves exit-code empty, fails the step, and says in the summary and the log that the script did not run', async () => {
      const l = layout(undefined);
      const r = await actionStep(l, l.env({ INPUT_RUN: 'touch "$GITHUB_WORKSPACE/ran"', ...inputs }));
      expect(r.status).toBe(1);
      expect(r.failed).toMatch(message);
      expect(r.outputs['exit-code']).toBeUndefined();
      expect(r.stdout).toContain('the script did not run: the exit-code output is not set');
      const f = facts(renderGfm(read(l.files.summary)));
      expect(f.result).toMatch(new RegExp(`^❌ failed: ${message.source.slice(1)}`));
      expect(f['exit code']).toBe('none: the script did not run');
    }, 60000);
  });
});

describe('a runner without a job summary', () => {
  /** The step's environment without GITHUB_STEP_SUMMARY. */
  const noSummary = (l: RunnerLayout, extra: Record<string, string>): Record<string, string> => {
    const env = l.env(extra);
    delete env.GITHUB_STEP_SUMMARY;
    return env;
  };
  const NOT_WRITTEN = '::warning title=landrun%3A job summary not written::';

  itIf(node24Why, 'run mode: the step runs, the report goes to the log, and one warning says why there is no summary', async () => {
    const l = layout(undefined);
    const r = await actionStep(l, noSummary(l, { INPUT_RUN: 'echo "P:ran"; exit 3' }));
    expect(r.stdout).toContain('P:ran\n');
    expect(r.status).toBe(1);
    expect(r.failed).toBe('the script exited with 3'); // the script's failure, not an internal error
    expect(r.outputs['exit-code']).toBe('3');
    expect(commands(r.stdout, 'warning').filter((c) => c.startsWith(NOT_WRITTEN))).toEqual([
      `${NOT_WRITTEN}GITHUB_STEP_SUMMARY is not set (this runner gives the step no job summary): the report is in the log instead`,
    ]);
    expect(r.stdout).toContain('### landrun sandbox');
    expect(r.stdout).toContain('| result | ❌ failed: the script exited with 3 |');
    expect(r.stdout).not.toContain('Unable to find environment variable');
    expect(read(l.files.summary)).toBe('');
  }, 60000);

  itIf(node24Why, 'a bad input: the step fails for the input, and the summary that could not be written is in the log', async () => {
    const l = layout(undefined);
    const r = await actionStep(l, noSummary(l, { INPUT_RUN: 'true', INPUT_PRESET: 'lax' }));
    expect(r.status).toBe(1);
    expect(r.failed).toMatch(/^invalid input preset 'lax'/);
    expect(commands(r.stdout, 'warning').filter((c) => c.startsWith(NOT_WRITTEN))).toHaveLength(1);
  }, 60000);

  itIf(node24Why, 'shell mode: the post step puts the table of steps in the log and warns once', async () => {
    const l = layout(undefined);
    const setup = await actionStep(l, noSummary(l, { INPUT_RUN: '' }), { post: false });
    expect(setup.status).toBe(0);
    const binDir = read(l.files.path).trim();
    const file = join(l.runnerTemp, 'a');
    writeFileSync(file, 'echo "P:a"\n');
    const step = spawnSync('landrun-shell', [file], { cwd: l.workspace, env: noSummary(l, { PATH: `${binDir}:${process.env.PATH}`, GITHUB_ACTION: '__run' }), encoding: 'utf8' });
    expect(step.status).toBe(0);
    const post = await actionPostStep(l, noSummary(l, {}), setup.state);
    expect(post.status).toBe(0);
    expect(commands(post.out, 'warning').filter((c) => c.startsWith(NOT_WRITTEN))).toHaveLength(1);
    expect(post.out).toContain('| &#95;&#95;run: echo "P:a" | ✅ passed | 0 |'); // the summary's Markdown, escaped as it is there
  }, 90000);

  itIf(whyNot([node24Why !== undefined, node24Why ?? ''], [asUserWhy !== undefined, asUserWhy ?? '']), 'as the runner user (nobody), a summary file it cannot write: the step runs and the warning names the file', async () => {
    const l = layout(NOBODY);
    chownSync(l.files.summary, 0, 0);
    chmodSync(l.files.summary, 0o644);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'echo "P:ran"' }), { as: NOBODY });
    expect(r.stdout).toContain('P:ran\n');
    expect(r.status).toBe(0);
    expect(r.failed).toBeUndefined();
    expect(commands(r.stdout, 'warning').filter((c) => c.startsWith(NOT_WRITTEN))).toEqual([
      expect.stringMatching(new RegExp(`^${NOT_WRITTEN}cannot write ${l.files.summary.replace(/[.]/g, '\\.')}: .*: the report is in the log instead$`)),
    ]);
    expect(r.stdout).toContain('| result | ✅ passed |');
    expect(read(l.files.summary)).toBe('');
  }, 60000);
});

describe("the Action's own failure cannot be printed by the script", () => {
  itIf(node24Why, "a script's ::error titled landrun is defused; the Action's real one is an annotation with the reserved title", async () => {
    const l = layout(undefined);
    const script = ['echo "::error title=landrun: step failed::fake"', 'echo "::error title=landrun%3A step failed::fake too"', 'echo "::error::not the action"', 'exit 5'].join('\n');
    const r = await actionStep(l, l.env({ INPUT_RUN: script }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[landrun: defused] ::error title=landrun: step failed::fake\n');
    expect(r.stdout).toContain('[landrun: defused] ::error title=landrun%3A step failed::fake too\n');
    // What the runner acts on: the script's plain ::error (annotations pass), and the Action's one,
    // its title escaped by @actions/core (':' as %3A, which the runner reads back).
    expect(commands(r.stdout, 'error')).toEqual(['::error::not the action', '::error title=landrun%3A step failed::the script exited with 5']);
  }, 60000);

  itIf(node24Why, 'a bad input fails with the reserved title too, never an untitled ::error::', async () => {
    const l = layout(undefined);
    const r = await actionStep(l, l.env({ INPUT_RUN: 'true', INPUT_PRESET: 'lax' }));
    expect(commands(r.stdout, 'error')).toEqual([expect.stringMatching(/^::error title=landrun%3A step failed::invalid input preset 'lax'/)]);
  }, 60000);
});
