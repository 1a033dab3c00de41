// Renders the effective plan and the enforcement report: plain text for the CLI (--explain, info
// logging) and Markdown for the job summary. Only the effective plan is ever shown as enforced.
import { kernelFor } from '../landlock/abi.js';
import { FLAG_RIGHTS, FS_FILE_RIGHTS, fsNames, netNames, qualifiedNames, scopeNames } from '../landlock/access.js';
import type { EnforcementReport } from '../landlock/compat.js';
import type { PathRule, RulesetPlan } from '../landlock/plan.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';

/** The short flag-like name of a rule's rights when it is exactly one flag's set, else the list. */
export function accessLabel(rule: Pick<PathRule, 'access' | 'kind'>, handledFs: number): string {
  for (const flag of ['rwx', 'rw', 'rox', 'ro', 'unix'] as const) {
    let want = FLAG_RIGHTS[flag] & handledFs;
    if (rule.kind !== 'dir') want &= FS_FILE_RIGHTS;
    if (want !== 0 && rule.access === want) return flag;
  }
  return fsNames(rule.access).join(',');
}

export interface ExplainInput {
  readonly plan: RulesetPlan;
  readonly report: EnforcementReport;
  readonly errata?: number | undefined;
  readonly capabilities: 'dropped' | 'none-held' | 'kept';
  readonly command?: readonly string[] | undefined;
  readonly extraNotes?: readonly string[] | undefined;
}

export function abiLine(report: EnforcementReport, errata?: number): string {
  const k = report.kernelAbi === 0 ? 'no Landlock' : `Landlock ABI ${report.kernelAbi}${errata ? ` (errata 0x${errata.toString(16)})` : ''}`;
  const t = report.targetAbi !== undefined ? `, enforcing as ABI ${report.abi} (--target-abi)` : '';
  return `kernel: ${k}${t}; status: ${report.status}${report.bestEffort ? ' (best effort)' : ''}`;
}

export function handledLine(plan: RulesetPlan): string {
  const part = (label: string, names: string[]): string => `${label}: ${names.length ? names.join(' ') : 'not restricted'}`;
  return [
    part('filesystem', fsNames(plan.handledFs)),
    part('network', netNames(plan.handledNet)),
    part('scopes', scopeNames(plan.scoped)),
  ].join('; ');
}

export function ruleLines(plan: RulesetPlan, verbose = false): string[] {
  const lines: string[] = [];
  const width = Math.min(48, Math.max(8, ...plan.pathRules.map((r) => r.path.length)));
  for (const r of plan.pathRules) {
    const rights = verbose ? qualifiedNames('fs', r.access).join(' ') : accessLabel(r, plan.handledFs);
    const real = r.realPath !== r.path ? ` (-> ${r.realPath})` : '';
    lines.push(`  ${r.path.padEnd(width)}  ${r.kind.padEnd(4)}  ${rights.padEnd(verbose ? 0 : 4)}  from ${r.sources.join(', ')}${real}`);
  }
  for (const r of compressPorts(plan)) lines.push(`  ${`tcp ${r.ports}`.padEnd(width)}  port  ${r.rights}  from ${r.sources}`);
  if (lines.length === 0) lines.push('  (no rules: nothing is granted)');
  return lines;
}

/** Consecutive ports with the same rights are shown as one range. */
function compressPorts(plan: RulesetPlan): Array<{ ports: string; rights: string; sources: string }> {
  const out: Array<{ lo: number; hi: number; access: number; sources: string }> = [];
  for (const r of plan.netRules) {
    const last = out[out.length - 1];
    const sources = r.sources.join(', ');
    if (last && last.hi === r.port - 1 && last.access === r.access && last.sources === sources) last.hi = r.port;
    else out.push({ lo: r.port, hi: r.port, access: r.access, sources });
  }
  return out.map((o) => ({
    ports: o.lo === o.hi ? `${o.lo}` : `${o.lo}-${o.hi}`,
    rights: netNames(o.access).join(','),
    sources: o.sources,
  }));
}

export function droppedLines(report: EnforcementReport): string[] {
  return report.dropped.map(
    (d) =>
      `${d.right} (needs Landlock ABI ${d.neededAbi}, Linux ${kernelFor(d.neededAbi)})${d.required ? ' [required]' : ''}: ${d.consequence}`,
  );
}

export function capabilitiesLine(c: ExplainInput['capabilities']): string {
  return c === 'dropped'
    ? 'capabilities: all dropped before exec'
    : c === 'kept'
      ? 'capabilities: KEPT (--keep-caps): the command runs with the caller\'s capabilities'
      : 'capabilities: none held';
}

export function explainText(input: ExplainInput): string {
  const { plan, report } = input;
  const out: string[] = [];
  out.push(`landrun plan`);
  out.push(`  ${abiLine(report, input.errata)}`);
  if (input.command) out.push(`  command: ${input.command.join(' ')}`);
  out.push(`  handled: ${handledLine(plan)}`);
  out.push(`rules:`);
  out.push(...ruleLines(plan));
  out.push(`seccomp: ${seccompProfileName(plan.seccomp)}${plan.seccomp ? ` (${describeSeccomp(plan.seccomp)})` : ''}`);
  out.push(capabilitiesLine(input.capabilities));
  out.push(`dropped rights:${report.dropped.length ? '' : ' none'}`);
  for (const l of droppedLines(report)) out.push(`  - ${l}`);
  const notes = [...report.notes, ...(input.extraNotes ?? [])];
  if (notes.length) {
    out.push('notes:');
    for (const n of notes) out.push(`  - ${n}`);
  }
  if (report.refused) out.push('verdict: REFUSED (strict mode): a required right is missing; --best-effort would run without it');
  return out.join('\n') + '\n';
}
