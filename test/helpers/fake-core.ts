// A typed stand-in for @actions/core (the Core port of src/action/core.ts): inputs from a record,
// and every output, annotation, log line, group and summary recorded for the test to read.
import type { Core } from '../../src/action/core.js';

export interface FakeCore extends Core {
  readonly log: string[];
  readonly outputs: Record<string, string>;
  readonly annotations: Array<{ kind: 'error' | 'warning' | 'notice'; message: string; title: string | undefined }>;
  /** The messages the step failed with (core.fail; each is an error annotation too). */
  readonly failures: string[];
  readonly state: Record<string, string>;
  readonly paths: string[];
  readonly groups: string[];
  summaryText(): string;
}

export function createFakeCore(inputs: Record<string, string> = {}, opts: { debug?: boolean } = {}): FakeCore {
  const log: string[] = [];
  const outputs: Record<string, string> = {};
  const annotations: FakeCore['annotations'] = [];
  const failures: string[] = [];
  const state: Record<string, string> = {};
  const paths: string[] = [];
  const groups: string[] = [];
  let pending = '';
  let written = '';
  const annotate =
    (kind: 'error' | 'warning' | 'notice') =>
    (message: string | Error, props?: { title?: string }): void => {
      annotations.push({ kind, message: String(message instanceof Error ? message.message : message), title: props?.title });
    };
  return {
    log,
    outputs,
    annotations,
    failures,
    state,
    paths,
    groups,
    summaryText: () => written,
    getInput: (name) => (inputs[name] ?? '').trim(),
    getState: (name) => state[name] ?? '',
    saveState: (name, value) => {
      state[name] = String(value);
    },
    setOutput: (name, value) => {
      outputs[name] = String(value);
    },
    fail: (message, title) => {
      failures.push(message);
      annotations.push({ kind: 'error', message, title });
    },
    addPath: (p) => {
      paths.push(p);
    },
    info: (m) => {
      log.push(m);
    },
    debug: (m) => {
      log.push(`::debug::${m}`);
    },
    notice: annotate('notice'),
    warning: annotate('warning'),
    error: annotate('error'),
    isDebug: () => opts.debug ?? false,
    group: async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      groups.push(name);
      log.push(`::group::${name}`);
      try {
        return await fn();
      } finally {
        log.push('::endgroup::');
      }
    },
    summary: {
      addRaw(text: string) {
        pending += text;
        return this;
      },
      async write() {
        written += pending;
        pending = '';
        return this;
      },
    },
  };
}
