// Facts about the GitHub runner this step runs on, from its environment. Nothing is hard-coded:
// hosted and self-hosted runners lay themselves out differently.
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

export function runnerContext(env: Readonly<Record<string, string | undefined>>, execPath: string, actionPath: string): RunnerContext {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const runnerTemp = env.RUNNER_TEMP || resolve(workspace, '..', '_temp');
  const externals = /\/externals\/node\d+[^/]*\/bin\/node$/.test(execPath) ? resolve(dirname(execPath), '..', '..', '..') : undefined;
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
