// Learn mode's loop, shared by the CLI and the Action: run under the policy, take the smallest
// grants that would have allowed what was denied, run again, until nothing new is denied or the
// rounds run out. Wide grants (/, HOME, the network wholesale) are reported, never learned.
import type { DenialReport, Suggestion } from './report.js';
import type { PathGrant, Policy, PortGrant } from '../policy/schema.js';

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

/** A suggestion as a grant of the policy it extends. */
function grantOf(s: Suggestion): { path?: PathGrant; bind?: PortGrant; connect?: PortGrant } {
  switch (s.option) {
    case '--ro':
    case '--rox':
    case '--rw':
    case '--rwx':
    case '--unix':
      return { path: { flag: s.option.slice(2) as PathGrant['flag'], path: s.value, source: `learned (${s.flag})` } };
    case '--connect-tcp':
      return { connect: { port: Number(s.value), source: `learned (${s.flag})` } };
    case '--bind-tcp':
      return { bind: { port: Number(s.value), source: `learned (${s.flag})` } };
    default:
      return {};
  }
}

export function widen(policy: Policy, learned: readonly Suggestion[]): Policy {
  const paths = [...policy.paths];
  const bindTcp = [...policy.bindTcp];
  const connectTcp = [...policy.connectTcp];
  for (const s of learned) {
    if (s.wide) continue;
    const g = grantOf(s);
    if (g.path) paths.push(g.path);
    if (g.bind) bindTcp.push(g.bind);
    if (g.connect) connectTcp.push(g.connect);
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
    const known = new Set(learned.map((s) => s.flag));
    const fresh = last.report.suggestions.filter((s) => !s.wide && !known.has(s.flag));
    const roundWide = last.report.suggestions.filter((s) => s.wide);
    for (const w of roundWide) wide.set(w.flag, w);
    opts.onRound?.({ round, outcome: last, learned: fresh, wide: roundWide });
    if (fresh.length === 0) {
      converged = true;
      break;
    }
    learned.push(...fresh);
  }
  return { learned, wide: [...wide.values()], rounds: round, converged, last };
}
