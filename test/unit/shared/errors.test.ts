import { describe, expect, it } from '@jest/globals';
import {
  describeError,
  ExecError,
  exitCodeFor,
  ObservationError,
  PolicyError,
  StateError,
  SupervisorError,
  SyscallError,
  UnsupportedKernelError,
  UsageError,
  WireError,
} from '../../../src/shared/errors.js';

describe('exitCodeFor', () => {
  it.each([
    [new UsageError('u'), 2],
    [new PolicyError('p'), 2],
    [new UnsupportedKernelError('k'), 2],
    [new WireError('w'), 2],
    [new StateError('s'), 2],
    [new ExecError('not found', 127), 127],
    [new ExecError('not executable', 126), 126],
    [new SyscallError('execve("/x")', 2, 'ENOENT'), 127],
    [new SyscallError('execve("/x")', 13, 'EACCES'), 126],
    [new SyscallError('landlock_create_ruleset', 22, 'EINVAL'), 1],
    [new SupervisorError('s'), 1],
    [new ObservationError('o'), 1],
    [new TypeError('bug'), 1],
    ['a string', 1],
  ])('%s -> %i', (e, code) => {
    expect(exitCodeFor(e)).toBe(code);
  });

  it('describes known errors by their message and unexpected ones with their stack', () => {
    expect(describeError(new PolicyError("invalid port '0'"))).toBe("invalid port '0'");
    expect(describeError(new SyscallError('execve("/x")', 13, 'EACCES'))).toBe('execve("/x") failed: EACCES: the sandbox does not allow executing it (see --add-exec / --rox)');
    expect(describeError(new SyscallError('landlock_restrict_self', 7, 'E2BIG'))).toBe('sandbox setup failed, nothing was run: landlock_restrict_self failed: E2BIG');
    expect(describeError(new WireError('bad abi'))).toBe('invalid plan: bad abi');
    expect(describeError(new TypeError('x is undefined'))).toMatch(/^internal error: TypeError: x is undefined\n\s+at /);
  });
});
