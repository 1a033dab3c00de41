import { describe, expect, it } from '@jest/globals';
import { FLAG_RIGHTS, FS_FILE_RIGHTS } from '../../../src/landlock/access.js';
import { applySandbox, enforceAndExec } from '../../../src/landlock/enforce.js';
import type { RulesetPlan } from '../../../src/landlock/plan.js';
import * as u from '../../../src/landlock/uapi.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { createFakeKernel, ExecveCalled, ExitCalled } from '../../helpers/fake-kernel.js';
import { createLineLogger } from '../../../src/shared/logger.js';

const o = { kind: 'plan' } as const;
const plan = (over: Partial<RulesetPlan> = {}): RulesetPlan => ({
  abi: 7,
  handledFs: 0xffff,
  handledNet: 3,
  scoped: 3,
  pathRules: [
    { path: '/usr', realPath: '/usr', kind: 'dir', access: FLAG_RIGHTS.rox, sources: [o] },
    { path: '/dev/null', realPath: '/dev/null', kind: 'file', access: FLAG_RIGHTS.rw & 0xffff, sources: [o] },
  ],
  netRules: [{ port: 443, access: u.LANDLOCK_ACCESS_NET_CONNECT_TCP, sources: [o] }],
  restrictFlags: u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON,
  seccomp: { inet: 'tcp', unix: 'all' },
  dropCapabilities: true,
  ...over,
});

describe('the enforcement sequence (fake kernel)', () => {
  it('ruleset, rules, capabilities, no_new_privs, restrict, seccomp, then stdio and execve — in that order', () => {
    const k = createFakeKernel({ dirs: ['/usr'], capabilities: 1n });
    expect(() => enforceAndExec(plan(), { path: '/usr/bin/true', argv: ['true'], env: ['A=1'] }, k, silentLogger)).toThrow(ExecveCalled);
    const names = k.calls.map((c) => c.call).filter((c) => c !== 'openPath' && c !== 'close');
    expect(names).toEqual(['createRuleset', 'addPathRule', 'addPathRule', 'addNetRule', 'dropAllCapabilities', 'setNoNewPrivs', 'restrictSelf', 'installSeccomp', 'prepareStdioAndSignals', 'execve']);
    expect(k.calls[0]).toEqual({ call: 'createRuleset', attr: { fs: 0xffff, net: 3, scoped: 3 }, size: 24 });
    expect(k.calls.find((c) => c.call === 'restrictSelf')).toEqual({ call: 'restrictSelf', flags: u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON });
    expect(k.calls.at(-1)).toEqual({ call: 'execve', path: '/usr/bin/true', argv: ['true'], envp: ['A=1'] });
  });

  it.each([
    [13, 'EACCES', 126, 'execve("/usr/bin/true") failed: EACCES: the sandbox does not allow executing it'],
    [2, 'ENOENT', 127, 'execve("/usr/bin/true") failed: ENOENT'],
    [7, 'E2BIG', 126, 'execve("/usr/bin/true") failed: E2BIG'],
  ])('a failed execve inside the sandbox (errno %i, %s) is said and ends the process with %i, never back to the event loop', (errno, name, code, message) => {
    const k = createFakeKernel({ dirs: ['/usr'], execveErrno: [errno, name] });
    const lines: string[] = [];
    const log = createLineLogger('warn', (s) => lines.push(s));
    let thrown: unknown;
    try {
      enforceAndExec(plan(), { path: '/usr/bin/true', argv: ['true'], env: [] }, k, log);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ExitCalled);
    expect(k.calls.at(-1)).toEqual({ call: 'exit', code });
    expect(lines.join('')).toContain(message);
  });

  it('re-checks file vs directory on the fd it holds: directory rights never reach a file', () => {
    const k = createFakeKernel({ dirs: [] }); // /usr turned into a file after planning
    applySandbox(plan(), k, silentLogger);
    const rules = k.calls.filter((c) => c.call === 'addPathRule');
    expect(rules).toEqual([
      { call: 'addPathRule', access: FLAG_RIGHTS.rox & FS_FILE_RIGHTS, path: '/usr' },
      { call: 'addPathRule', access: FLAG_RIGHTS.rw & FS_FILE_RIGHTS & 0xffff, path: '/dev/null' },
    ]);
    // every path fd is closed again, and the ruleset too
    expect(k.calls.filter((c) => c.call === 'close')).toHaveLength(3);
  });

  it('holds no capabilities: nothing to drop; the attr size follows the ABI', () => {
    const k = createFakeKernel({ abi: 4, dirs: ['/usr'] });
    applySandbox(plan({ abi: 4, scoped: 0, restrictFlags: 0 }), k, silentLogger);
    expect(k.calls.map((c) => c.call)).not.toContain('dropAllCapabilities');
    expect(k.calls[0]).toMatchObject({ attr: { fs: 0xffff, net: 3, scoped: 0 }, size: 16 });
  });

  it('a plan without Landlock (everything unrestricted): no ruleset, still no_new_privs and the filter', () => {
    const k = createFakeKernel();
    applySandbox(plan({ handledFs: 0, handledNet: 0, scoped: 0, pathRules: [], netRules: [], seccomp: { inet: 'any', unix: 'all' } }), k, silentLogger);
    expect(k.calls.map((c) => c.call)).toEqual(['setNoNewPrivs', 'installSeccomp']);
  });

  it('refuses a plan written for a newer ABI than the kernel has, before touching anything', () => {
    const k = createFakeKernel({ abi: 5 });
    expect(() => applySandbox(plan(), k, silentLogger)).toThrow(/compiled for Landlock ABI 7 but this kernel offers 5/);
    expect(k.calls).toEqual([]);
  });
});
