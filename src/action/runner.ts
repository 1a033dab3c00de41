// Facts about the GitHub runner this step runs on, from its environment. Nothing is hard-coded:
// hosted and self-hosted runners lay themselves out differently.
import { readFileSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface RunnerContext {
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly home: string | undefined;
  readonly toolCache: string | undefined;
  /** The runner's install (holds .credentials): <root>/externals/nodeXX/bin/node -> <root>. */
  readonly runnerRoot: string | undefined;
  readonly actionPath: string;
  readonly eventPath: string | undefined;
  readonly files: {
    readonly env?: string | undefined;
    readonly path?: string | undefined;
    readonly state?: string | undefined;
    readonly output?: string | undefined;
    readonly summary?: string | undefined;
  };
}

/**
 * The runner's install directory. A JavaScript action runs on <root>/externals/nodeXX/bin/node; a
 * `run:` step (the reusable workflow starts the action that way) descends from
 * <root>/bin/Runner.Worker, found by walking up /proc.
 */
export function findRunnerRoot(execPath: string, readExe: (pid: number) => string | undefined, parentOf: (pid: number) => number | undefined, self: number): string | undefined {
  if (/\/externals\/node\d+[^/]*\/bin\/node$/.test(execPath)) return resolve(dirname(execPath), '..', '..', '..');
  let pid: number | undefined = self;
  for (let i = 0; i < 32 && pid !== undefined && pid > 1; i++) {
    const exe = readExe(pid);
    if (exe && /\/bin\/Runner\.(Worker|Listener)$/.test(exe)) return resolve(dirname(exe), '..');
    pid = parentOf(pid);
  }
  return undefined;
}

const readExe = (pid: number): string | undefined => {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
};
const parentOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};

export function runnerContext(env: Readonly<Record<string, string | undefined>>, execPath: string, actionPath: string): RunnerContext {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const runnerTemp = env.RUNNER_TEMP || resolve(workspace, '..', '_temp');
  const externals = findRunnerRoot(execPath, readExe, parentOf, process.pid);
  return {
    workspace: resolve(workspace),
    runnerTemp: resolve(runnerTemp),
    home: env.HOME,
    toolCache: env.RUNNER_TOOL_CACHE || env.AGENT_TOOLSDIRECTORY,
    runnerRoot: externals,
    actionPath,
    eventPath: env.GITHUB_EVENT_PATH,
    files: {
      env: env.GITHUB_ENV,
      path: env.GITHUB_PATH,
      state: env.GITHUB_STATE,
      output: env.GITHUB_OUTPUT,
      summary: env.GITHUB_STEP_SUMMARY,
    },
  };
}
