import { describe, expect, it } from '@jest/globals';
import { execChainDenials, learnedEntries, learnLoop, parseLearnTimeout, widen, type RoundOutcome } from '../../../src/denials/learn.js';
import type { DenialReport, Suggestion } from '../../../src/denials/report.js';
import { emptyPolicy, type Policy } from '../../../src/policy/schema.js';
import type { RulesetPlan } from '../../../src/landlock/plan.js';
import { FS_RIGHTS, FLAG_RIGHTS } from '../../../src/landlock/access.js';

const places = { workspace: '/work', home: '/home/u' };
const sug = (key: Suggestion['entry']['key'], value: string, extra: Partial<Suggestion> = {}): Suggestion => ({ entry: { key, value }, wide: false, because: [], ...extra });
const report = (suggestions: Suggestion[], extra: Partial<DenialReport> = {}): DenialReport => ({
  source: 'trace',
  sourceNote: '',
  entries: suggestions.map(() => ({ rights: ['fs.read_file'], object: { kind: 'path', path: '/x' }, processes: [], count: 1 })),
  tolerated: [],
  suggestions,
  unseen: 0,
  ...extra,
});

/** A fake command: each round returns the next outcome, and records the policy it ran under. */
function rounds(outcomes: RoundOutcome[]): { run: (p: Policy) => Promise<RoundOutcome>; seen: Policy[] } {
  const seen: Policy[] = [];
  return {
    seen,
    run: async (p) => {
      seen.push(p);
      const o = outcomes.shift();
      if (!o) throw new Error('ran one round too many');
      return o;
    },
  };
}

describe('learnLoop', () => {
  it('widens through the one reader: ./ is the workspace, ~ is HOME, loopback and ports as switches and ports', async () => {
    const r = rounds([
      { exitCode: 1, report: report([sug('rw', './out'), sug('ro', '~/.config/tool'), sug('connect-tcp', '5432'), sug('loopback', 'true')]) },
      { exitCode: 0, report: report([]) },
    ]);
    const learned = await learnLoop({ rounds: 5, policy: emptyPolicy, places, runRound: r.run });
    expect(learned).toMatchObject({ rounds: 2, converged: true, stopped: undefined });
    expect(r.seen[1]?.paths.map((g) => `${g.flag} ${g.path}`)).toEqual(['rw /work/out', 'ro /home/u/.config/tool']);
    expect(r.seen[1]?.connectTcp.map((p) => p.port)).toEqual([5432]);
  });

  it('never adds wide grants or ones that need a decision, and reports them', async () => {
    const gitconfig = sug('rw', '~/.gitconfig', { decide: 'HOME dotfiles' });
    const r = rounds([
      { exitCode: 1, report: report([gitconfig, sug('ro', '/', { wide: true })]) },
    ]);
    const learned = await learnLoop({ rounds: 5, policy: emptyPolicy, places, runRound: r.run });
    expect(learned.learned).toEqual([]);
    expect(learned.notLearned.map((s) => s.entry.value)).toEqual(['~/.gitconfig', '/']);
    expect(learned.converged).toBe(true);
    expect(r.seen).toHaveLength(1);
  });

  it('ends at once when a round is stopped (time limit or signal): no next round', async () => {
    for (const stopped of ['timeout', 'signal'] as const) {
      const r = rounds([{ exitCode: 124, report: report([sug('rw', './out')]), stopped }]);
      const learned = await learnLoop({ rounds: 5, policy: emptyPolicy, places, runRound: r.run });
      expect(learned).toMatchObject({ rounds: 1, converged: false, stopped, learned: [] });
    }
  });

  it('stops when a learned grant is suggested again (it did not help), and looks once more after an incomplete report', async () => {
    const r = rounds([
      { exitCode: 1, report: report([sug('loopback', 'true')]) },
      { exitCode: 1, report: report([sug('loopback', 'true')]) },
    ]);
    const stuck = await learnLoop({ rounds: 5, policy: emptyPolicy, places, runRound: r.run });
    expect(stuck).toMatchObject({ rounds: 2, converged: false });
    expect(stuck.stuck.map((s) => s.entry.key)).toEqual(['loopback']);
    const again = rounds([
      { exitCode: 1, report: report([], { incomplete: 'records dropped' }) },
      { exitCode: 0, report: report([]) },
    ]);
    expect(await learnLoop({ rounds: 5, policy: emptyPolicy, places, runRound: again.run })).toMatchObject({ rounds: 2, converged: true });
  });
});

describe('the learned policy', () => {
  it("keeps the user's own entries (switches, env, preset) and drops learned grants a later, wider one covers", () => {
    const given = [
      { key: 'add-exec', value: 'true' },
      { key: 'ldd', value: 'true' },
      { key: 'ignore-missing', value: 'true' },
      { key: 'preset', value: 'ci' },
      { key: 'env', value: 'HOME' },
    ] as const;
    const learned = [sug('ro', '.'), sug('rw', '.'), sug('rox', './scripts'), sug('ro', './scripts/x'), sug('rw', '/dev/null')];
    expect(learnedEntries(given, learned)).toEqual([...given, { key: 'rw', value: '.' }, { key: 'rox', value: './scripts' }, { key: 'rw', value: '/dev/null' }]);
  });

  it('widen leaves the policy alone when nothing was learned', () => {
    expect(widen(emptyPolicy, [sug('ro', '/', { wide: true })], places)).toBe(emptyPolicy);
  });
});

describe('the command start', () => {
  const plan = (rules: Array<[string, number]>): RulesetPlan =>
    ({
      abi: 7,
      handledFs: 0xffff,
      handledNet: 3,
      scoped: 3,
      pathRules: rules.map(([realPath, access]) => ({ path: realPath, realPath, kind: 'dir', access, sources: [] })),
      netRules: [],
      restrictFlags: 0,
    }) as unknown as RulesetPlan;

  it('is denied where the plan grants no execute: as the kernel would deny it', () => {
    const chain = [
      { role: 'command', path: './build.sh', realPath: '/work/build.sh' },
      { role: 'script interpreter', path: '/bin/sh', realPath: '/usr/bin/dash', neededBy: '/work/build.sh' },
    ] as const;
    expect(execChainDenials(plan([['/usr', FLAG_RIGHTS.rox]]), chain)).toEqual([{ rights: ['fs.execute', 'fs.read_file'], object: { kind: 'path', path: '/work/build.sh' } }]);
    expect(execChainDenials(plan([['/usr', FLAG_RIGHTS.rox], ['/work', FS_RIGHTS.read_file]]), chain)).toEqual([{ rights: ['fs.execute'], object: { kind: 'path', path: '/work/build.sh' } }]);
    expect(execChainDenials(plan([['/usr', FLAG_RIGHTS.rox], ['/work', FLAG_RIGHTS.rox]]), chain)).toEqual([]);
  });
});

describe('--learn-timeout', () => {
  it.each([
    ['600', 600000],
    ['90s', 90000],
    ['10m', 600000],
    ['1.5h', 5400000],
    ['250ms', 250],
    ['0', 0],
  ])('%s', (text, ms) => expect(parseLearnTimeout(text)).toBe(ms));
  it.each(['', 'soon', '-1', '10 min', '25h'])('rejects %j', (text) => expect(parseLearnTimeout(text)).toBeUndefined());
});
