import { describe, expect, it } from '@jest/globals';
import { shellArgv } from '../../../src/step/step.js';

describe('step shell', () => {
  it('builds argv the way the runner does', () => {
    expect(shellArgv('bash', '/s')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '/s']);
    expect(shellArgv('sh', '/s')).toEqual(['sh', '-e', '/s']);
    expect(shellArgv('python', '/s')).toEqual(['python', '/s']);
    expect(shellArgv('perl -w {0}', '/s')).toEqual(['perl', '-w', '/s']);
    expect(shellArgv('zsh', '/s')).toEqual(['zsh', '/s']);
  });
});
