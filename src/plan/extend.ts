// The one place that changes a plan after it was downgraded to the kernel: a shell-mode step adds
// its own temporary directory and script, a watched run adds audit logging flags or the tracer's
// files. Every right is masked here, once, by what the plan handles and by what a file can hold,
// so an addition can neither exceed the enforced ABI nor put a directory right on a file.
import { abiRow } from '../landlock/abi.js';
import { FS_FILE_RIGHTS } from '../landlock/access.js';
import type { PathKind, PathRule, RulesetPlan } from '../landlock/plan.js';
import type { Origin } from '../shared/origin.js';

export interface ExtraPath {
  /** As shown in reports. */
  readonly path: string;
  /** Resolved (what the launcher opens). */
  readonly realPath: string;
  readonly kind: PathKind;
  /** Requested rights (e.g. FLAG_RIGHTS.rw); masked to what the plan handles. */
  readonly rights: number;
  readonly origin: Origin;
}

export interface PlanExtension {
  readonly paths?: readonly ExtraPath[];
  /** landlock_restrict_self flags to add (dropped where the plan's ABI does not know them). */
  readonly restrictFlags?: number;
}

export function extendPlan(plan: RulesetPlan, ext: PlanExtension): RulesetPlan {
  const added: PathRule[] = [];
  for (const p of ext.paths ?? []) {
    const access = p.rights & plan.handledFs & (p.kind === 'dir' ? ~0 : FS_FILE_RIGHTS);
    if (access !== 0) added.push({ path: p.path, realPath: p.realPath, kind: p.kind, access, sources: [p.origin] });
  }
  const restrictFlags = plan.restrictFlags | ((ext.restrictFlags ?? 0) & abiRow(plan.abi).restrictFlags);
  return { ...plan, pathRules: [...plan.pathRules, ...added], restrictFlags };
}
