// The job summary: written once per step, and where the runner gives the step none (no
// GITHUB_STEP_SUMMARY, or a file this user cannot write) put in the log instead, with one warning
// that says so. The step's own result never depends on it.
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { describeError, ExecError, PolicyError, UnsupportedKernelError, UsageError } from '../shared/errors.js';
import { mdEscape } from '../shared/markdown.js';
import { TITLE, type Core } from './core.js';

export async function writeSummary(core: Core, env: Readonly<Record<string, string | undefined>>, markdown: string): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  let why: string;
  if (!file) why = 'GITHUB_STEP_SUMMARY is not set (this runner gives the step no job summary)';
  else {
    try {
      accessSync(file, constants.W_OK);
      core.summary.addRaw(markdown);
      await core.summary.write();
      return;
    } catch (e) {
      why = `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }
  core.warning(`${why}: the report is in the log instead`, { title: `${TITLE}: job summary not written` });
  await core.group('Job summary (not written)', async () => {
    // The report holds text from the script (paths, process names): whatever it holds, the runner
    // reads none of it as a workflow command.
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    core.info(markdown);
    core.info(`::${token}::`);
  });
}

/** A fact row's value for a step's result: passed, or failed and why. */
export const resultText = (failures: readonly string[], passedNote?: string): string =>
  failures.length ? `❌ failed: ${failures.join('; ')}` : `✅ passed${passedNote ? ` (${passedNote})` : ''}`;

/** The exit-code fact: the script's code, or that it did not run (then the output is not set). */
export const exitCodeText = (exitCode: number | undefined): string => (exitCode === undefined ? 'none: the script did not run' : String(exitCode));

/** The summary of a step that failed before its report could be made: the reason, and `rows` of facts. */
export function failedMarkdown(title: string, failures: readonly string[], rows: ReadonlyArray<[string, string]> = []): string {
  return [`### ${title}`, '', '| | |', '|---|---|', `| result | ${mdEscape(resultText(failures))} |`, ...rows.map(([k, v]) => `| ${mdEscape(k)} | ${mdEscape(v)} |`), '', ''].join('\n');
}

/** Why the step failed, from an error: a known one's message, an unexpected one's stack. */
export function failureText(e: unknown): string {
  const known = e instanceof PolicyError || e instanceof UsageError || e instanceof UnsupportedKernelError || e instanceof ExecError;
  return known ? describeError(e) : `landrun: ${describeError(e)}`;
}
