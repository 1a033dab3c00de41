// The RulesetPlan: the single contract between deciding (policy, compat) and enforcing (launchers).
import { FS_ALL } from './access.js';
import type { Origin } from '../shared/origin.js';
import type { SeccompPlan } from './seccomp.js';

export type PathKind = 'file' | 'dir';

export interface PathRule {
  /** Absolute path the launcher opens with O_PATH (symlinks are followed, as the kernel does). */
  readonly path: string;
  /** The resolved path, used to decide what a file's effective rights are before running. */
  readonly realPath: string;
  readonly kind: PathKind;
  readonly access: number;
  /** The grants that produced this rule, for reports and hints. */
  readonly sources: readonly Origin[];
}

export interface NetRule {
  readonly port: number;
  readonly access: number;
  readonly sources: readonly Origin[];
}

export interface RulesetPlan {
  /** The ABI this plan is written for: every mask below is a subset of that ABI's row. */
  readonly abi: number;
  readonly handledFs: number;
  readonly handledNet: number;
  readonly scoped: number;
  readonly pathRules: readonly PathRule[];
  readonly netRules: readonly NetRule[];
  readonly restrictFlags: number;
  readonly seccomp: SeccompPlan | null;
  /** Drop every capability (bounding, ambient, effective, permitted, inheritable) before execve. */
  readonly dropCapabilities: boolean;
  /**
   * Loopback mode (issue 8): the command may connect to loopback addresses on any port; the
   * native supervisor (landlock-exec --supervise) makes those connections itself. `handledNet`
   * then holds net.connect_tcp only and `netRules` the ports granted towards other hosts.
   * Only the native supervisor can enforce it; the Node launcher refuses such a plan.
   */
  readonly loopback?: boolean;
}

/** True when the plan asks the kernel for a Landlock domain at all. */
export function usesLandlock(plan: RulesetPlan): boolean {
  return plan.handledFs !== 0 || plan.handledNet !== 0 || plan.scoped !== 0;
}

/**
 * Effective filesystem rights on a path under a single-layer plan: the union of every rule whose
 * target is the path or one of its ancestors (Landlock accumulates rights down the hierarchy),
 * plus every right the plan does not handle (those are never denied). `realPath` must be
 * resolved. Returns undefined when the filesystem is not restricted at all.
 */
export function effectiveFsAccess(plan: RulesetPlan, realPath: string): number | undefined {
  if (plan.handledFs === 0) return undefined;
  let access = 0;
  for (const r of plan.pathRules) {
    if (isBeneath(realPath, r.realPath)) access |= r.access;
  }
  return (access & plan.handledFs) | (FS_ALL & ~plan.handledFs);
}

/** The rules that contribute to a path's rights, for messages. */
export function rulesCovering(plan: RulesetPlan, realPath: string): PathRule[] {
  return plan.pathRules.filter((r) => isBeneath(realPath, r.realPath));
}

export function isBeneath(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(root + '/');
}
