// Finding and killing what a sandbox left behind, from outside: the processes below this one
// (a child subreaper, so orphans are reparented here) that were not there before. The supervisor
// normally does this from inside (ADR 7); this is the fallback when it could not.
import { readdirSync, readFileSync } from 'node:fs';

/** Kills the process group and every descendant that appeared since `before`; returns how many. */
export async function killLeftovers(groupLeader: number | undefined, before: ReadonlySet<number>): Promise<number> {
  const killed = new Set<number>();
  for (let round = 0; round < 50; round++) {
    // Look before killing the group, so that its members are counted too.
    const victims = descendants(process.pid).filter((p) => !before.has(p) && !isZombie(p));
    if (groupLeader !== undefined) {
      try {
        process.kill(-groupLeader, 'SIGKILL');
      } catch {
        // no group left
      }
    }
    if (victims.length === 0) break;
    for (const p of victims) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone meanwhile (the group kill got it)
      }
      killed.add(p);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return killed.size;
}

function readStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  return readStat(pid)?.state === 'Z';
}

/** All live descendants of `root`, from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const p = stack.pop() as number;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Kills every descendant that appeared since `before`, round after round; returns how many. */
export const killDescendants = (before: ReadonlySet<number>): Promise<number> => killLeftovers(undefined, before);
