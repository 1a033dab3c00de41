import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdCancellation, supervise, supervisorHint, type StepCancellation } from '../../../src/launch/supervise.js';

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

describe('supervise() when the launcher refuses to start the command', () => {
  // A stand-in for landlock-exec that rejects its arguments as the real one does: exit 2 and no
  // report (the real one also prints its error on the inherited stderr, left out here).
  const dir = mkdtempSync(join(tmpdir(), 'landrun-refusing-'));
  const refusing = join(dir, 'landlock-exec');
  writeFileSync(refusing, '#!/bin/sh\nexit 2\n', { mode: 0o755 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (mode: 'step' | 'foreground') => supervise({ binary: refusing, plan: new Uint8Array(), argv: ['true'], env: {}, cwd: '/', mode });

  it('in a step: fails, never reports the exit status as the script’s', async () => {
    await expect(run('step')).rejects.toThrow('the supervisor exited with 2 before the script started (its error is above); nothing ran');
  });

  it('in the foreground (the CLI): its exit status is the command’s result, as the CLI documents', async () => {
    await expect(run('foreground')).resolves.toMatchObject({ exitCode: 2, signal: null });
  });
});

describe('holdCancellation', () => {
  const listeners = (): number[] => (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => process.listenerCount(s));

  it('remembers the first signal, and gives the default back when the step was not cancelled', () => {
    const before = listeners();
    const held = holdCancellation();
    expect(listeners()).toEqual(before.map((n) => n + 1));
    expect(held.signal).toBeUndefined();
    held.release();
    expect(listeners()).toEqual(before);
  });

  it('keeps absorbing the rest of a cancellation after release, so that the process ends by itself', () => {
    const before = listeners();
    const held = holdCancellation();
    process.emit('SIGINT');
    process.emit('SIGTERM');
    expect(held.signal).toBe('SIGINT');
    held.release();
    expect(listeners()).toEqual(before.map((n) => n + 1));
    // (the listeners stay for the rest of this test process: they keep nothing alive)
  });
});
