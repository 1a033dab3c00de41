import { describe, expect, it } from '@jest/globals';
import { actionOnlyVariables, shellArgv, stepEnvironment } from '../../../src/step/step.js';

describe('step shell', () => {
  it('builds argv the way the runner does', () => {
    expect(shellArgv('bash', '/s')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '/s']);
    expect(shellArgv('sh', '/s')).toEqual(['sh', '-e', '/s']);
    expect(shellArgv('python', '/s')).toEqual(['python', '/s']);
    expect(shellArgv('perl -w {0}', '/s')).toEqual(['perl', '-w', '/s']);
    expect(shellArgv('zsh', '/s')).toEqual(['zsh', '/s']);
  });
});

describe('step environment', () => {
  const settings = (env: Array<{ key: string; value: string | undefined }> = []) =>
    ({ env, allowDns: false }) as unknown as Parameters<typeof stepEnvironment>[0];

  it('TMPDIR, TMP and TEMP name the step directory, or all the one the user chose', () => {
    const caller = { TMPDIR: '/tmp', TMP: '/tmp', HOME: '/h', ACTIONS_RUNTIME_TOKEN: 'secret', INPUT_RUN: 'x' };
    const own = stepEnvironment(settings(), '/step/tmp', caller, []);
    expect([own.env.TMPDIR, own.env.TMP, own.env.TEMP]).toEqual(['/step/tmp', '/step/tmp', '/step/tmp']);
    expect(own.removed).toEqual(['ACTIONS_RUNTIME_TOKEN', 'INPUT_RUN']);
    const chosen = stepEnvironment(settings([{ key: 'TMP', value: '/w/tmp' }]), '/step/tmp', caller, []);
    expect([chosen.env.TMPDIR, chosen.env.TMP, chosen.env.TEMP]).toEqual(['/w/tmp', '/w/tmp', '/w/tmp']);
  });

  it('a withheld variable that an env: entry gives back is passed, and not reported as removed', () => {
    const caller = { HOME: '/h', ACTIONS_RUNTIME_TOKEN: 'secret', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc', INPUT_RUN: 'x' };
    const r = stepEnvironment(settings([{ key: 'ACTIONS_RUNTIME_TOKEN', value: undefined }]), '/step/tmp', caller, []);
    expect(r.env.ACTIONS_RUNTIME_TOKEN).toBe('secret');
    expect(r.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBeUndefined();
    expect(r.removed).toEqual(['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'INPUT_RUN']);
  });

  it("keeps npm's cache private and leaves other caches under HOME where the tools look (read-only there)", () => {
    const { env } = stepEnvironment(settings(), '/step/tmp', { HOME: '/h' }, []);
    expect(env.npm_config_cache).toBe('/step/tmp/.npm');
    expect(env.XDG_CACHE_HOME).toBeUndefined();
  });
});

describe('shell mode: variables only JavaScript actions get', () => {
  const entries = (...env: Array<{ key: string; value: string | undefined }>) => ({ env });
  const setupEnv = { ACTIONS_RUNTIME_TOKEN: 'runtime', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc', HOME: '/h', NODE_ENV: 'ci' };

  it('the setup step keeps the ones an env: KEY entry names, and nothing else', () => {
    const named = entries({ key: 'ACTIONS_RUNTIME_TOKEN', value: undefined }, { key: 'NODE_ENV', value: undefined }, { key: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', value: 'given' });
    // NODE_ENV is copied from each later step; a value given in the entry needs nothing kept
    expect(actionOnlyVariables(named, setupEnv)).toEqual({ ACTIONS_RUNTIME_TOKEN: 'runtime' });
    expect(actionOnlyVariables(entries(), setupEnv)).toEqual({});
    expect(actionOnlyVariables(named, { HOME: '/h' })).toEqual({});
  });

  it("a later step gets them through its env: entry (its own value first), and without the entry they stay withheld", () => {
    const kept = { ACTIONS_RUNTIME_TOKEN: 'runtime' };
    const step = (env: Array<{ key: string; value: string | undefined }>, own: Record<string, string>) =>
      stepEnvironment({ env, allowDns: false } as unknown as Parameters<typeof stepEnvironment>[0], '/step/tmp', { ...kept, ...own }, []).env;
    expect(step([{ key: 'ACTIONS_RUNTIME_TOKEN', value: undefined }], { HOME: '/h' }).ACTIONS_RUNTIME_TOKEN).toBe('runtime');
    expect(step([{ key: 'ACTIONS_RUNTIME_TOKEN', value: undefined }], { ACTIONS_RUNTIME_TOKEN: 'own' }).ACTIONS_RUNTIME_TOKEN).toBe('own');
    expect(step([], { HOME: '/h' }).ACTIONS_RUNTIME_TOKEN).toBeUndefined();
  });
});
