// The Action's flow without a kernel: a typed fake @actions/core and a fake kernel drive main's
// run() through input errors, strict refusals, log levels and shell mode's setup. Running a
// script needs the real kernel: that is the e2e suite's part.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/action/main.js';
import { reproduceCommand } from '../../../src/action/run-mode.js';
import { readSettings } from '../../../src/action/inputs.js';
import { createFakeCore } from '../../helpers/fake-core.js';
import { createFakeKernel } from '../../helpers/fake-kernel.js';
import { ROOT, removeDir } from '../../helpers/run.js';
import { makeRunnerLayout, type RunnerLayout } from '../../helpers/runner-layout.js';

const layouts: RunnerLayout[] = [];
afterAll(() => layouts.forEach((l) => removeDir(l.root)));
const layout = (): RunnerLayout => {
  const l = makeRunnerLayout();
  layouts.push(l);
  return l;
};

async function action(inputs: Record<string, string>, opts: { abi?: number } = {}) {
  const l = layout();
  const core = createFakeCore(inputs);
  const kernel = createFakeKernel({ abi: opts.abi ?? 7 });
  await run({ core, env: l.env(), kernel: async () => kernel, actionPath: ROOT, harden: () => undefined });
  return { l, core, kernel };
}

describe("the Action's main step (fake core, fake kernel)", () => {
  it('a bad input fails the step naming the input, and nothing else happens', async () => {
    const { core, kernel } = await action({ run: 'touch ran', 'connect-tcp': '99999' });
    expect(core.failures).toEqual([expect.stringMatching(/invalid port '99999' in input connect-tcp/)]);
    // the failure is an annotation under the reserved title, which a script's output cannot carry
    expect(core.annotations.filter((a) => a.kind === 'error')).toEqual([{ kind: 'error', message: core.failures[0], title: 'landrun: step failed' }]);
    expect(core.outputs).toEqual({});
    expect(core.summaryText()).toContain('| exit code | none: the script did not run |');
    expect(kernel.calls).toEqual([]);
  });

  it('strict mode refuses, naming the missing right and the ABI that brings it; the script never runs', async () => {
    const { l, core } = await action({ run: 'touch "$GITHUB_WORKSPACE/ran"', 'connect-tcp': '443' }, { abi: 3 });
    expect(core.failures.join('\n')).toMatch(/refusing to run: this kernel \(Landlock ABI 3\) cannot enforce[\s\S]*net\.connect_tcp needs Landlock ABI 4/);
    expect(core.outputs.abi).toBe('3');
    expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
    expect(core.outputs['exit-code']).toBeUndefined(); // the script never ran
    expect(core.log).toContain('the script did not run: the exit-code output is not set');
    expect(core.summaryText()).toMatch(/\| result \| ❌ failed: refusing to run: /);
  });

  it('shell mode: compiles once, stores the plan below RUNNER_TEMP, puts landrun-shell on PATH, in folded groups', async () => {
    const { l, core } = await action({ run: '', 'log-level': 'info' });
    expect(core.failures).toEqual([]);
    expect(core.groups).toEqual(['Landlock support', 'Policy', 'Enforcement']);
    const bin = core.outputs.shell as string;
    expect(core.paths).toEqual([join(bin, '..')]);
    expect(bin.startsWith(join(l.runnerTemp, 'landrun-shell-'))).toBe(true);
    const stateDir = core.state['landrun-shell-state'] as string;
    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
    // The plan is stored once (no second copy to disagree with), without any step's TMPDIR.
    expect(existsSync(join(stateDir, 'plan.bin'))).toBe(false);
    expect(state.plan.pathRules.some((r: { path: string }) => r.path.startsWith(stateDir))).toBe(false);
    expect(state.plan.pathRules.find((r: { path: string }) => r.path === l.workspace)?.sources).toEqual([{ kind: 'preset', name: 'ci', detail: 'workspace' }]);
    expect(core.outputs.status).toBe('full');
  });

  it('honours log-level: warn hides the plan, debug shows the rights of every rule', async () => {
    const quiet = await action({ run: '', 'log-level': 'warn' });
    expect(quiet.core.log.filter((l) => l.startsWith('handled:'))).toEqual([]);
    const loud = await action({ run: '', 'log-level': 'debug' });
    expect(loud.core.log.some((l) => l.startsWith('handled:'))).toBe(true);
    expect(loud.core.log.some((l) => /^rule \/usr: fs\.execute fs\.read_file fs\.read_dir$/.test(l))).toBe(true);
  });
});

describe('reproduceCommand', () => {
  const ws = { workspace: '/w', home: '/h' };
  const get = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
  it('runs the saved script the way the step ran it, for any shell', () => {
    const perl = reproduceCommand(readSettings(get({ run: 'print "hi\\n";', shell: 'perl -w {0}', ro: '/data' }), ws));
    expect(perl).toBe("cat > landrun-step.sh <<'LANDRUN_STEP'\nprint \"hi\\n\";\nLANDRUN_STEP\nnpx landrun-action --preset ci --ro /data -- perl -w landrun-step.sh");
    const bash = reproduceCommand(readSettings(get({ run: 'echo LANDRUN_STEP' }), ws));
    expect(bash).toBe("cat > landrun-step.sh <<'LANDRUN_STEP_'\necho LANDRUN_STEP\nLANDRUN_STEP_\nnpx landrun-action --preset ci -- bash --noprofile --norc -eo pipefail landrun-step.sh");
  });
});
