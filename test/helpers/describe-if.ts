// Real skips: a case that cannot run on this machine is reported by Jest as skipped (and counted in
// its summary), with the reason in its name — never a `return` that counts as a pass.
import { describe, it } from '@jest/globals';

type Body = () => void;
type TestBody = () => unknown;

/** `reason` undefined: the block runs. A string: every test in it is skipped, and says why. */
export function describeIf(reason: string | undefined, name: string, body: Body): void {
  if (reason === undefined) describe(name, body);
  else describe.skip(`${name} [skipped: ${reason}]`, body);
}

/** The same for one test. */
export function itIf(reason: string | undefined, name: string, body: TestBody, timeout?: number): void {
  if (reason === undefined) it(name, body as () => Promise<void>, timeout);
  else it.skip(`${name} [skipped: ${reason}]`, body as () => Promise<void>, timeout);
}

/** The first reason that applies, or undefined when none does. */
export const whyNot = (...checks: Array<[boolean, string]>): string | undefined => checks.find(([failed]) => failed)?.[1];
