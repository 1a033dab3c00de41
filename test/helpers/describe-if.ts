// Conditional suites and cases that Jest reports as skipped (with the reason in the title), so that
// a case that cannot run here shows up in the summary's "skipped" count instead of passing empty.
import { describe, it } from '@jest/globals';

type Suite = (name: string, fn: () => void) => void;
type Case = (name: string, fn: () => unknown, timeout?: number) => void;

/** `describe` when `condition` holds; otherwise `describe.skip`, the reason appended to the name. */
export function describeIf(condition: boolean, reason: string): Suite {
  if (condition) return (name, fn) => describe(name, fn);
  return (name, fn) => describe.skip(`${name} [skipped: ${reason}]`, fn);
}

/** `it` when `reason` is undefined; otherwise `it.skip`, the reason appended to the name. */
export function itUnless(reason: string | undefined): Case {
  if (reason === undefined) return (name, fn, timeout) => it(name, fn as () => Promise<void>, timeout);
  return (name, fn, timeout) => it.skip(`${name} [skipped: ${reason}]`, fn as () => Promise<void>, timeout);
}
