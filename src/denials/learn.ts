// Learn mode's loop, shared by the CLI and the Action: run under the policy, take the smallest
// grants that would have allowed what was denied, run again, until nothing more can be learned,
// the rounds run out, or a round is stopped (its time limit, SIGTERM). Learn adds only plain
// grants: wide ones (/, HOME, the network wholesale) and the ones that need the user's decision
// (writes or execute outside the workspace and TMPDIR, HOME dotfiles, credentials, /proc, unusual
// devices, per-run paths) are reported with the reason, never added.
import { FS_RIGHTS } from '../landlock/access.js';
import { effectiveFsAccess, type RulesetPlan } from '../landlock/plan.js';
import type { ExecStep } from '../exec/command.js';
import type { Policy } from '../policy/schema.js';
import { renderPolicyFile } from '../policy/policy-file.js';
import { flagText, requestFromEntries, type PolicyEntry, type SourcedEntry } from '../policy/vocabulary.js';
import { absolutePath, learnable, type Denial, type DenialReport, type Suggestion } from './report.js';

export interface RoundOutcome {
  readonly exitCode: number;
  readonly report: DenialReport;
  /** The round was cut short: learning ends at once. */
  readonly stopped?: 'timeout' | 'signal' | undefined;
}

export interface RoundInfo {
  readonly round: number;
  readonly outcome: RoundOutcome;
  readonly learned: readonly Suggestion[];
  /** Suggestions learn leaves to the user (wide ones, and ones that need a decision). */
  readonly notLearned: readonly Suggestion[];
}

export interface Learned {
  readonly learned: readonly Suggestion[];
  readonly notLearned: readonly Suggestion[];
  readonly rounds: number;
  /** Nothing more could be learned and the last report was complete. */
  readonly converged: boolean;
  /** Learned grants that were suggested again: adding them did not help. */
  readonly stuck: readonly Suggestion[];
  readonly stopped: RoundOutcome['stopped'];
  readonly last: RoundOutcome | undefined;
}

/** Where learned entries (`./out`, `~/x`) point. */
export interface LearnPlaces {
  readonly workspace: string;
  readonly home: string | undefined;
}

/** The policy plus what was learned, read through the one reader of the vocabulary. */
export function widen(policy: Policy, learned: readonly Suggestion[], at: LearnPlaces): Policy {
  const entries: SourcedEntry[] = learned.filter(learnable).map((s) => ({ ...s.entry, origin: { kind: 'implied', by: 'learned', detail: flagText(s.entry) } }));
  if (entries.length === 0) return policy;
  return requestFromEntries(entries, { resolvePath: (item) => absolutePath(item, at), base: policy }).policy;
}

export async function learnLoop(opts: {
  readonly rounds: number;
  readonly policy: Policy;
  readonly places: LearnPlaces;
  readonly runRound: (policy: Policy, round: number) => Promise<RoundOutcome>;
  readonly onRound?: (info: RoundInfo) => void;
}): Promise<Learned> {
  const learned: Suggestion[] = [];
  const notLearned = new Map<string, Suggestion>();
  let last: RoundOutcome | undefined;
  let round = 0;
  let converged = false;
  let stuck: Suggestion[] = [];
  while (round < opts.rounds) {
    round++;
    last = await opts.runRound(widen(opts.policy, learned, opts.places), round);
    const known = new Set(learned.map((s) => flagText(s.entry)));
    const suggested = last.report.suggestions.filter(learnable);
    const fresh = suggested.filter((s) => !known.has(flagText(s.entry)));
    const left = last.report.suggestions.filter((s) => !learnable(s));
    for (const w of left) notLearned.set(flagText(w.entry), w);
    opts.onRound?.({ round, outcome: last, learned: last.stopped ? [] : fresh, notLearned: left });
    if (last.stopped) break;
    if (fresh.length === 0) {
      stuck = suggested;
      // An incomplete report (audit records dropped) may hide a denial: look once more.
      converged = stuck.length === 0 && !last.report.incomplete;
      if (converged || stuck.length > 0) break;
      continue;
    }
    learned.push(...fresh);
  }
  return { learned, notLearned: [...notLearned.values()], rounds: round, converged, stuck, stopped: last?.stopped, last };
}

/** What a round did, one line (the CLI and the Action print the same). */
export function roundMessage(info: RoundInfo): string {
  const { round, outcome, learned } = info;
  const r = outcome.report;
  const stop = outcome.stopped === 'timeout' ? ', stopped: time limit reached' : outcome.stopped === 'signal' ? ', stopped by a signal' : '';
  const tolerated = r.tolerated.length ? ` (and ${r.tolerated.length} tolerated by the program)` : '';
  return `learn round ${round}: exit ${outcome.exitCode}${stop}, ${r.entries.length} denial(s)${tolerated}${r.incomplete ? ', report incomplete' : ''}${learned.length ? `, learned ${learned.map((s) => flagText(s.entry)).join(' ')}` : ''}`;
}

/** Why a suggestion was not learned. */
export const notLearnedMessage = (w: Suggestion): string =>
  w.wide ? `not learned (too wide, decide yourself): ${flagText(w.entry)}${w.note ? ` — ${w.note}` : ''}` : `not learned (needs your decision): ${flagText(w.entry)} — ${w.decide ?? w.note ?? ''}`;

const COVERS: Record<string, readonly string[]> = { ro: ['ro'], rox: ['ro', 'rox'], rw: ['ro', 'rw'], rwx: ['ro', 'rox', 'rw', 'rwx'] };

/** A learned path grant that a later, wider one on the same path or above it makes redundant. */
function covered(e: PolicyEntry, all: readonly PolicyEntry[]): boolean {
  return all.some(
    (o) => o !== e && (COVERS[o.key]?.includes(e.key) ?? false) && (o.key !== e.key || o.value !== e.value) && (e.value === o.value || e.value.startsWith(`${o.value === '/' ? '' : o.value}/`)),
  );
}

/** The entries a learned policy holds: the user's own, then what was learned (minus what a later grant covers). */
export function learnedEntries(given: readonly PolicyEntry[], learned: readonly Suggestion[]): PolicyEntry[] {
  const mine = learned.filter(learnable).map((s) => s.entry);
  return [...given, ...mine.filter((e) => !covered(e, mine))];
}

/** The learned policy as a policy file (which is also the Action's `with:` block). */
export const learnedPolicyFile = (given: readonly PolicyEntry[], learned: readonly Suggestion[]): string => renderPolicyFile(learnedEntries(given, learned));

const EXEC_RIGHTS: Array<[number, string]> = [
  [FS_RIGHTS.execute, 'fs.execute'],
  [FS_RIGHTS.read_file, 'fs.read_file'],
];

/**
 * The command's own start under the plan: each file the kernel executes to start it (the
 * command, its #! interpreters, the ELF loader) that the plan does not let it execute, as the
 * denial the kernel would make. Learn mode learns these before running, so that the command's
 * own execute right is learned like any other.
 */
export function execChainDenials(plan: RulesetPlan, chain: readonly ExecStep[]): Denial[] {
  const out: Denial[] = [];
  for (const step of chain) {
    const access = effectiveFsAccess(plan, step.realPath);
    if (access === undefined) return [];
    const rights = EXEC_RIGHTS.filter(([bit]) => (plan.handledFs & bit) !== 0 && (access & bit) === 0).map(([, name]) => name);
    if (rights.length === 0) continue;
    out.push({ rights, object: { kind: 'path', path: step.realPath } });
  }
  return out;
}

/** Default time limit of one learn round. */
export const LEARN_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * A round's time limit: seconds, or a number with ms, s, m or h ("90s", "10m"); 0 means none.
 * Undefined when the value is not one.
 */
export function parseLearnTimeout(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return ms <= 24 * 3600000 ? Math.round(ms) : undefined;
}

export const learnTimeoutText = (ms: number): string => (ms % 60000 === 0 ? `${ms / 60000} min` : `${ms / 1000} s`);
