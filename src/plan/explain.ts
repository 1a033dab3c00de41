// Renders the effective plan and the enforcement report: plain text for the CLI (--explain, info
// logging) and Markdown for the job summary. Only the effective plan is ever shown as enforced.
import { kernelFor } from '../landlock/abi.js';
import { FLAG_RIGHTS, FS_FILE_RIGHTS, fsNames, netNames, qualifiedNames, scopeNames } from '../landlock/access.js';
import type { EnforcementReport } from '../landlock/compat.js';
import type { PathRule, RulesetPlan } from '../landlock/plan.js';
import { describeSeccomp, seccompProfileName } from '../landlock/seccomp.js';
import { code, codeFence, mdEscape } from '../shared/markdown.js';
import { originsText } from '../shared/origin.js';

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
    `${part('network', netNames(plan.handledNet))}${plan.loopback ? ` (${LOOPBACK_TEXT})` : ''}`,
    part('scopes', scopeNames(plan.scoped)),
  ].join('; ');
}

/** What loopback mode means, for the report. */
export const LOOPBACK_TEXT = 'loopback mode: any TCP port may be bound, 0 too; connects to 127.0.0.1 and ::1 on any port are made by the supervisor; other hosts only on the granted connect ports';

export function ruleLines(plan: RulesetPlan, verbose = false): string[] {
  const lines: string[] = [];
  const width = Math.min(48, Math.max(8, ...plan.pathRules.map((r) => r.path.length)));
  for (const r of plan.pathRules) {
    const rights = verbose ? qualifiedNames('fs', r.access).join(' ') : accessLabel(r, plan.handledFs);
    const real = r.realPath !== r.path ? ` (-> ${r.realPath})` : '';
    lines.push(`  ${r.path.padEnd(width)}  ${r.kind.padEnd(4)}  ${rights.padEnd(verbose ? 0 : 4)}  from ${originsText(r.sources)}${real}`);
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
    const sources = originsText(r.sources);
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



export interface ExplainMarkdownInput extends ExplainInput {
  readonly title: string;
  /** The step's result, the first fact ("✅ passed", "❌ failed: why"): a reader sees it before the enforcement's colour. */
  readonly result?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly durationMs?: number | undefined;
  readonly reproduce?: string | undefined;
  readonly extraRows?: ReadonlyArray<[string, string]>;
}

/**
 * The same report as Markdown, for a job summary. It ends with a blank line, so that whatever is
 * appended after it (a table) starts a block of its own rather than continuing the last list item.
 */
export function explainMarkdown(input: ExplainMarkdownInput): string {
  const { plan, report } = input;
  const out: string[] = [];
  const statusIcon = report.status === 'full' ? '🟢' : report.status === 'partial' ? '🟡' : '🔴';
  out.push(`### ${input.title}`, '');
  out.push('| | |', '|---|---|');
  if (input.result !== undefined) out.push(`| result | ${mdEscape(input.result)} |`);
  out.push(`| enforcement | ${statusIcon} ${report.status}${report.bestEffort ? ' (best effort)' : ''} |`);
  out.push(`| Landlock | ${report.kernelAbi === 0 ? 'not available' : `ABI ${report.kernelAbi}${input.errata ? `, errata 0x${input.errata.toString(16)}` : ''}`}${report.targetAbi !== undefined ? `, enforcing ABI ${report.abi} (target-abi)` : ''} |`);
  if (input.exitCode !== undefined) out.push(`| exit code | ${input.exitCode} |`);
  if (input.durationMs !== undefined) out.push(`| duration | ${(input.durationMs / 1000).toFixed(1)} s |`);
  out.push(`| seccomp | ${seccompProfileName(plan.seccomp)}${plan.seccomp ? `: ${mdEscape(describeSeccomp(plan.seccomp))}` : ''} |`);
  if (plan.loopback) out.push(`| loopback networking | on: ${mdEscape(LOOPBACK_TEXT.replace(/^loopback mode: /, ''))} |`);
  out.push(`| ${mdEscape(capabilitiesLine(input.capabilities).split(':')[0] ?? 'capabilities')} | ${mdEscape(capabilitiesLine(input.capabilities).split(': ').slice(1).join(': '))} |`);
  for (const [k, v] of input.extraRows ?? []) out.push(`| ${mdEscape(k)} | ${mdEscape(v)} |`);
  out.push('');
  out.push('<details><summary>Rules</summary>', '');
  out.push('| path | kind | rights | from |', '|---|---|---|---|');
  for (const r of plan.pathRules) {
    out.push(`| ${code(r.path)} | ${r.kind} | ${accessLabel(r, plan.handledFs)} | ${mdEscape(originsText(r.sources))} |`);
  }
  for (const r of plan.netRules) out.push(`| tcp ${r.port} | port | ${netNames(r.access).join(', ')} | ${mdEscape(originsText(r.sources))} |`);
  if (plan.pathRules.length + plan.netRules.length === 0) out.push('| (none) | | | |');
  out.push('', '</details>', '');
  if (report.dropped.length) {
    out.push('**Not enforced on this kernel:**', '');
    out.push('| right | needs | effect |', '|---|---|---|');
    for (const d of report.dropped) out.push(`| ${d.right}${d.required ? ' (required)' : ''} | ABI ${d.neededAbi} (Linux ${kernelFor(d.neededAbi)}) | ${mdEscape(d.consequence)} |`);
    out.push('');
  }
  const notes = [...report.notes, ...(input.extraNotes ?? [])];
  if (notes.length) out.push(...notes.map((n) => `- ${n}`), '');
  if (input.reproduce) {
    const fence = codeFence(input.reproduce);
    out.push('Reproduce locally:', '', `${fence}sh`, input.reproduce, fence, '');
  }
  return `${out.join('\n')}\n`;
}
