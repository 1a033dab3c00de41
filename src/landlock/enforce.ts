// The enforcement sequence, shared by every launcher path in Node:
//   create ruleset -> open O_PATH fds, add rules -> drop capabilities -> no_new_privs
//   -> restrict_self -> seccomp -> (caller) reset stdio/signals -> execve
import type { Logger } from '../shared/logger.js';
import { abiRow } from './abi.js';
import { FS_FILE_RIGHTS, qualifiedNames } from './access.js';
import type { Kernel } from './kernel.js';
import { usesLandlock, type RulesetPlan } from './plan.js';
import { buildSeccompFilter, encodeFilter } from './seccomp.js';
import { describeError, exitCodeFor, SyscallError, UsageError } from '../shared/errors.js';
import * as u from './uapi.js';

export interface ExecSpec {
  /** Absolute path of the program (resolved before sandboxing: the lookup itself may be denied after). */
  readonly path: string;
  readonly argv: readonly string[];
  /** KEY=VALUE strings; nothing is inherited implicitly. */
  readonly env: readonly string[];
}

export interface AppliedSandbox {
  readonly landlock: boolean;
  readonly seccomp: boolean;
  readonly capabilitiesDropped: boolean;
}

/** Restricts the calling thread according to an effective plan. Irreversible. */
export function applySandbox(plan: RulesetPlan, kernel: Kernel, log: Logger): AppliedSandbox {
  if (plan.loopback) {
    // Someone must make the loopback connections outside the command's reach; a Node process
    // cannot stay alive next to it (docs/adr/0007-native-supervisor.md).
    throw new UsageError('the plan is in loopback mode, which only the native supervisor enforces (landlock-exec --supervise)');
  }
  const kernelAbi = kernel.abiVersion();
  if (plan.abi > kernelAbi) {
    throw new SyscallError(
      'landlock_create_ruleset',
      u.errno.EINVAL,
      'EINVAL',
      `the plan was compiled for Landlock ABI ${plan.abi} but this kernel offers ${kernelAbi}`,
    );
  }
  let rulesetFd = -1;
  if (usesLandlock(plan)) {
    const size = abiRow(plan.abi).attrSize;
    rulesetFd = kernel.createRuleset({ fs: plan.handledFs, net: plan.handledNet, scoped: plan.scoped }, size);
    try {
      for (const rule of plan.pathRules) {
        // The resolved path: what was checked is what gets opened (symlinks in it are refused).
        const fd = kernel.openPath(rule.realPath);
        try {
          // The plan decided file vs directory by stat; re-check on the fd we actually hold.
          const access = kernel.isDirectoryFd(fd) ? rule.access : rule.access & FS_FILE_RIGHTS;
          if (access === 0) continue;
          kernel.addPathRule(rulesetFd, access, fd);
          log.debug(`rule ${rule.path}: ${qualifiedNames('fs', access).join(' ')}`);
        } finally {
          kernel.close(fd);
        }
      }
      for (const rule of plan.netRules) {
        kernel.addNetRule(rulesetFd, rule.access, rule.port);
        log.debug(`rule tcp port ${rule.port}: ${qualifiedNames('net', rule.access).join(' ')}`);
      }
    } catch (e) {
      kernel.close(rulesetFd);
      throw e;
    }
  }
  // Capabilities go first: reading /proc/self/status is no longer allowed once the domain exists.
  let dropped = false;
  if (plan.dropCapabilities && kernel.permittedCapabilities() !== 0n) {
    kernel.dropAllCapabilities();
    dropped = true;
  }
  kernel.setNoNewPrivs();
  if (rulesetFd >= 0) {
    kernel.restrictSelf(rulesetFd, plan.restrictFlags);
    kernel.close(rulesetFd);
  }
  if (plan.seccomp) {
    const insns = buildSeccompFilter(kernel.arch, plan.seccomp, { execRestricted: (plan.handledFs & u.LANDLOCK_ACCESS_FS_EXECUTE) !== 0 });
    kernel.installSeccomp(encodeFilter(insns), insns.length);
  }
  return { landlock: rulesetFd >= 0, seccomp: plan.seccomp !== null, capabilitiesDropped: dropped };
}

/**
 * applySandbox, then replace the process with the command. Never returns normally: a failure
 * before the sandbox is on throws, as usual; once it is on, a failed execve (a program gone since
 * it was resolved, E2BIG, ETXTBSY, a denial) is logged and the process ends at once with the exit
 * status a shell gives (126, 127). It must not go back to the event loop: the seccomp filter now
 * refuses io_uring, and libuv (Node 22 and later) aborts on its next io_uring_enter.
 */
export function enforceAndExec(plan: RulesetPlan, exec: ExecSpec, kernel: Kernel, log: Logger): never {
  applySandbox(plan, kernel, log);
  try {
    kernel.prepareStdioAndSignals();
    return kernel.execve(exec.path, exec.argv, exec.env);
  } catch (e) {
    log.error(describeError(e));
    return kernel.exit(exitCodeFor(e));
  }
}
