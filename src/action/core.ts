// The part of @actions/core the Action uses, as a port: the entry points hand in the real module
// (actionCore), tests a recording fake (test/helpers/fake-core.ts). Only action/ knows this exists.
import * as actionsCore from '@actions/core';

export type Core = Pick<
  typeof actionsCore,
  'getInput' | 'getState' | 'saveState' | 'setOutput' | 'addPath' | 'info' | 'debug' | 'notice' | 'warning' | 'error' | 'group' | 'isDebug'
> & {
  /** The job summary: text is added, then written (appended to GITHUB_STEP_SUMMARY) at once. */
  readonly summary: { addRaw(text: string): unknown; write(): Promise<unknown> };
  /**
   * Fails the step: an error annotation under `title` (a reserved one, see TITLE) and exit status
   * 1. Never core.setFailed, whose untitled ::error:: any script can print as well.
   */
  fail(message: string, title: string): void;
};

/**
 * Titles of the Action's own annotations start with this. The supervisor's workflow-command filter
 * prints a script's annotation whose title starts with it as text (native-helper/workflow-commands.c),
 * so what carries it comes from the Action (issue 9).
 */
export const TITLE = 'landrun';

/** The title of the annotation that fails the step. */
export const FAILED_TITLE = `${TITLE}: step failed`;

/** The title of the annotation that fails a step whose script changed what git reads or runs. */
export const GIT_TITLE = `${TITLE}: git metadata changed`;

/** The real @actions/core behind the port. */
export function actionCore(): Core {
  const c = actionsCore;
  return {
    getInput: c.getInput,
    getState: c.getState,
    saveState: c.saveState,
    setOutput: c.setOutput,
    addPath: c.addPath,
    info: c.info,
    debug: c.debug,
    notice: c.notice,
    warning: c.warning,
    error: c.error,
    group: c.group,
    isDebug: c.isDebug,
    summary: c.summary,
    fail(message, title) {
      // @actions/core escapes the title (':' becomes %3A, ',' %2C), and the runner reads it back.
      c.error(message, { title });
      process.exitCode = 1;
    },
  };
}

/** The saved state (GITHUB_STATE) naming run mode's step directory, for the post step. */
export const RUN_STEP_STATE = 'landrun-run-step';
