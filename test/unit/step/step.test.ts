import { describe, expect, it } from '@jest/globals';
import { shellArgv, stepEnvironment } from '../../../src/step/step.js';

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
    const own = stepEnvironment(settings(), '/step/tmp', caller);
    expect([own.env.TMPDIR, own.env.TMP, own.env.TEMP]).toEqual(['/step/tmp', '/step/tmp', '/step/tmp']);
    expect(own.removed).toEqual(['ACTIONS_RUNTIME_TOKEN', 'INPUT_RUN']);
    const chosen = stepEnvironment(settings([{ key: 'TMP', value: '/w/tmp' }]), '/step/tmp', caller);
    expect([chosen.env.TMPDIR, chosen.env.TMP, chosen.env.TEMP]).toEqual(['/w/tmp', '/w/tmp', '/w/tmp']);
  });

  it("keeps npm's cache private and leaves other caches under HOME where the tools look (read-only there)", () => {
    const { env } = stepEnvironment(settings(), '/step/tmp', { HOME: '/h' });
    expect(env.npm_config_cache).toBe('/step/tmp/.npm');
    expect(env.XDG_CACHE_HOME).toBeUndefined();
  });
});
