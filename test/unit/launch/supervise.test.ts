import { describe, expect, it } from '@jest/globals';
import { supervisorHint } from '../../../src/launch/supervise.js';

describe('supervisorHint', () => {
  it('says how to run without loopback mode when the supervisor cannot reach the command', () => {
    const hint = supervisorHint(["loopback mode cannot work here: pidfd_getfd of the command's process failed: EPERM (ptrace restricted, e.g. Yama kernel.yama.ptrace_scope >= 2?); nothing was run"]);
    expect(hint).toContain('loopback: false');
    expect(hint).toContain('--loopback=false');
    expect(hint).toContain('connect-tcp and bind-tcp');
  });
  it('adds nothing for other failures', () => {
    expect(supervisorHint(['cannot read the plan: EOF'])).toBe('');
  });
});
