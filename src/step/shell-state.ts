// Shell mode's stored state: written once by the Action's setup step into a directory below
// RUNNER_TEMP (which no sandbox may read or write), read by landrun-shell in every later step and by
// the post step. Holds the compiled plan (once: each step encodes it with its own additions), the
// settings, and a journal of steps.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnforcementReport } from '../landlock/compat.js';
import type { RulesetPlan } from '../landlock/plan.js';
import { StateError } from '../shared/errors.js';
import type { StepLayout, StepSettings } from './step.js';

export const SHELL_STATE = 'landrun-shell-state';

export interface ShellState {
  /** The effective plan (downgraded to the kernel), with the origins of its rules for reports. */
  readonly plan: RulesetPlan;
  readonly settings: StepSettings & { readonly shell: string; readonly logLevel: string };
  readonly report: EnforcementReport;
  readonly layout: StepLayout;
  readonly workspace: string;
  readonly node: string;
  readonly shellEntry: string;
  /**
   * The setup step's values of the action-only runner variables an `env: KEY` entry names
   * (actionOnlyVariables): a later step's own value wins, else these are copied. Secrets: the
   * state file is private (0600, below RUNNER_TEMP, which no sandbox can read).
   */
  readonly actionVariables?: Readonly<Record<string, string>>;
}

export interface StoredShellState extends ShellState {
  readonly dir: string;
}

export interface JournalEntry {
  readonly name: string;
  /** What landrun-shell exited with: the step's result as the runner sees it. */
  readonly exitCode: number;
  /** The script's own exit code; absent when the script did not run. */
  readonly scriptExitCode?: number;
  /** Why the step failed (each reason), empty when it passed. */
  readonly failures: readonly string[];
  readonly durationMs: number;
  readonly status: string;
  readonly gitChanged: readonly string[];
  readonly leftovers: number;
  /** Workflow commands printed as text instead of acted on. */
  readonly defused?: readonly string[];
}

const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Writes the state and the landrun-shell program; returns the program's absolute path. */
export function writeShellState(dir: string, state: ShellState): string {
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true, mode: 0o700 });
  const program = join(bin, 'landrun-shell');
  writeFileSync(program, `#!/bin/sh\nexec ${sh(state.node)} ${sh(state.shellEntry)} --state ${sh(dir)} "$@"\n`, { mode: 0o700 });
  chmodSync(program, 0o700);
  return program;
}

export function readShellState(dir: string): StoredShellState {
  let state: ShellState;
  try {
    state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ShellState;
  } catch (e) {
    throw new StateError(`cannot read ${join(dir, 'state.json')}: ${(e as Error).message}`, { cause: e });
  }
  if (typeof state !== 'object' || state === null || !state.plan || !Array.isArray(state.plan.pathRules) || !state.settings || !state.report) {
    throw new StateError(`${join(dir, 'state.json')} is not the state the landrun Action's setup step writes`);
  }
  return { ...state, dir };
}

export function appendJournal(dir: string, entry: JournalEntry): void {
  appendFileSync(join(dir, 'journal.jsonl'), `${JSON.stringify(entry)}\n`);
}

export function readJournal(dir: string): JournalEntry[] {
  const f = join(dir, 'journal.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalEntry);
}
