import { describe, expect, it } from '@jest/globals';
import { findRunnerRoot, runnerContext } from '../../../src/action/runner.js';

describe('findRunnerRoot', () => {
  const none = (): undefined => undefined;
  it('derives the install from the externals node of a JavaScript action', () => {
    expect(findRunnerRoot('/home/runner/actions-runner/cached/externals/node24/bin/node', none, none, 10)).toBe('/home/runner/actions-runner/cached');
    expect(findRunnerRoot('/home/runner/runners/2.321.0/externals/node20_alpine/bin/node', none, none, 10)).toBe('/home/runner/runners/2.321.0');
  });

  it('walks up to Runner.Worker from a run step', () => {
    const exes: Record<number, string> = { 30: '/usr/bin/node', 20: '/usr/bin/bash', 10: '/home/runner/actions-runner/cached/bin/Runner.Worker' };
    const parents: Record<number, number> = { 30: 20, 20: 10, 10: 5, 5: 1 };
    expect(findRunnerRoot('/opt/hostedtoolcache/node/22/x64/bin/node', (p) => exes[p], (p) => parents[p], 30)).toBe('/home/runner/actions-runner/cached');
  });

  it('gives up when there is no runner', () => {
    expect(findRunnerRoot('/usr/bin/node', () => '/usr/bin/bash', (p) => (p > 2 ? p - 1 : undefined), 9)).toBeUndefined();
  });
});

describe('runnerContext', () => {
  it('reads the layout from the environment', () => {
    const ctx = runnerContext(
      { GITHUB_WORKSPACE: '/w/r/r', RUNNER_TEMP: '/w/_temp', HOME: '/h', RUNNER_TOOL_CACHE: '/opt/t', GITHUB_ENV: '/w/_temp/e', GITHUB_OUTPUT: '/w/_temp/o' },
      '/x/externals/node24/bin/node',
      '/a',
    );
    expect(ctx).toMatchObject({ workspace: '/w/r/r', runnerTemp: '/w/_temp', home: '/h', toolCache: '/opt/t', runnerRoot: '/x', actionPath: '/a' });
    expect(ctx.files).toMatchObject({ env: '/w/_temp/e', output: '/w/_temp/o' });
  });
});
