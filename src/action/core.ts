// The part of @actions/core the Action uses, as a port: the entry points hand in the real module,
// tests a recording fake (test/helpers/fake-core.ts). Only action/ knows this exists.
import type * as actionsCore from '@actions/core';

export type Core = Pick<
  typeof actionsCore,
  'getInput' | 'getState' | 'saveState' | 'setOutput' | 'setFailed' | 'addPath' | 'info' | 'debug' | 'notice' | 'warning' | 'error' | 'group' | 'isDebug'
> & {
  /** The job summary: text is added, then written (appended to GITHUB_STEP_SUMMARY) at once. */
  readonly summary: { addRaw(text: string): unknown; write(): Promise<unknown> };
};

/** Titles of the Action's own annotations start with this; the script cannot use it (issue 9). */
export const TITLE = 'landrun';

/** The saved state (GITHUB_STATE) naming run mode's step directory, for the post step. */
export const RUN_STEP_STATE = 'landrun-run-step';
