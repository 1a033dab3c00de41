import { describe, expect, it } from '@jest/globals';
import { supervise, supervisorHint, type StepCancellation } from '../../../src/launch/supervise.js';

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

describe('supervise() in a cancelled step', () => {
  it('starts nothing once the step is cancelled, and says so', async () => {
    const cancelled: StepCancellation = { signal: 'SIGTERM', release: () => undefined };
    // No such binary: a start would fail with "cannot start the native supervisor".
    const r = await supervise({ binary: '/nonexistent/landlock-exec', plan: new Uint8Array(), argv: ['true'], env: {}, cwd: '/', mode: 'step', cancellation: cancelled });
    expect(r).toEqual({ exitCode: 143, signal: null, durationMs: 0, leftovers: 0, defused: [], refusedConnects: [], cancelledBy: 'SIGTERM', notStarted: true });
  });

  it('starts as usual while the step is not cancelled', async () => {
    const running: StepCancellation = { signal: undefined, release: () => undefined };
    await expect(supervise({ binary: '/nonexistent/landlock-exec', plan: new Uint8Array(), argv: ['true'], env: {}, cwd: '/', mode: 'step', cancellation: running })).rejects.toThrow(/cannot start the native supervisor/);
  });
});
