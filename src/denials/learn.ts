// Learn mode's loop, shared by the CLI and the Action: run under the policy, take the smallest
// grants that would have allowed what was denied, run again, until nothing new is denied or the
// rounds run out. Wide grants (/, HOME, the network wholesale) are reported, never learned.
import type { PathGrant, Policy, PortGrant } from '../policy/schema.js';
import { renderPolicyFile } from '../policy/policy-file.js';
import { parsePortItem } from '../policy/parse.js';
import { flagText, isPathKey, type PolicyEntry } from '../policy/vocabulary.js';
import type { DenialReport, Suggestion } from './report.js';

export interface RoundOutcome {
  readonly exitCode: number;
  readonly report: DenialReport;
}

export interface RoundInfo {
  readonly round: number;
  readonly outcome: RoundOutcome;
  readonly learned: readonly Suggestion[];
  readonly wide: readonly Suggestion[];
}

export interface Learned {
  readonly learned: readonly Suggestion[];
  readonly wide: readonly Suggestion[];
  readonly rounds: number;
  readonly converged: boolean;
  readonly last: RoundOutcome | undefined;
}

/** The policy plus what was learned (wide suggestions are never added). */
export function widen(policy: Policy, learned: readonly Suggestion[]): Policy {
  const paths: PathGrant[] = [...policy.paths];
  const bindTcp: PortGrant[] = [...policy.bindTcp];
  const connectTcp: PortGrant[] = [...policy.connectTcp];
  for (const s of learned) {
    if (s.wide) continue;
    const { key, value } = s.entry;
    const origin = { kind: 'implied', by: 'learned', detail: flagText(s.entry) } as const;
    if (isPathKey(key)) paths.push({ flag: key, path: value, origin });
    else if (key === 'connect-tcp' || key === 'bind-tcp') {
      for (const port of parsePortItem(value, `learned ${key}`, { allowZero: key === 'bind-tcp' })) (key === 'bind-tcp' ? bindTcp : connectTcp).push({ port, origin });
    }
  }
  return { ...policy, paths, bindTcp, connectTcp };
}

export async function learnLoop(opts: {
  readonly rounds: number;
  readonly policy: Policy;
  readonly runRound: (policy: Policy, round: number) => Promise<RoundOutcome>;
  readonly onRound?: (info: RoundInfo) => void;
}): Promise<Learned> {
  const learned: Suggestion[] = [];
  const wide = new Map<string, Suggestion>();
  let last: RoundOutcome | undefined;
  let round = 0;
  let converged = false;
  while (round < opts.rounds) {
    round++;
    last = await opts.runRound(widen(opts.policy, learned), round);
    const known = new Set(learned.map((s) => flagText(s.entry)));
    const fresh = last.report.suggestions.filter((s) => !s.wide && !known.has(flagText(s.entry)));
    const roundWide = last.report.suggestions.filter((s) => s.wide);
    for (const w of roundWide) wide.set(flagText(w.entry), w);
    opts.onRound?.({ round, outcome: last, learned: fresh, wide: roundWide });
    if (fresh.length === 0) {
      converged = true;
      break;
    }
    learned.push(...fresh);
  }
  return { learned, wide: [...wide.values()], rounds: round, converged, last };
}

/** What a round did, one line (the CLI and the Action print the same). */
export function roundMessage(info: RoundInfo): string {
  const { round, outcome, learned } = info;
  return `learn round ${round}: exit ${outcome.exitCode}, ${outcome.report.entries.length} denial(s)${learned.length ? `, learned ${learned.map((s) => flagText(s.entry)).join(' ')}` : ''}`;
}

/** Why a suggestion was not learned. */
export const notLearnedMessage = (w: Suggestion): string => `not learned (too wide, decide yourself): ${flagText(w.entry)}${w.note ? ` — ${w.note}` : ''}`;

/** The entries a learned policy holds: the user's own, then what was learned. */
export const learnedEntries = (given: readonly PolicyEntry[], learned: readonly Suggestion[]): PolicyEntry[] => [
  ...given,
  ...learned.filter((s) => !s.wide).map((s) => s.entry),
];

/** The learned policy as a policy file (which is also the Action's `with:` block). */
export const learnedPolicyFile = (given: readonly PolicyEntry[], learned: readonly Suggestion[]): string => renderPolicyFile(learnedEntries(given, learned));
