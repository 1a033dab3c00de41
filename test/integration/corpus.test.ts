// Real test suites under the ci preset (issue 8): a corpus of small real-style projects (jest,
// mocha + supertest, vitest, node:test, pytest, C with autotools `make check`, `go test`; see
// test/helpers/corpus.ts), each with its dependencies installed outside the sandbox as a CI job
// would, run as root and as an unprivileged user (uid 65534, owning its project and HOME).
//
// 1. Bare: every suite passes, all of its tests (read from the runner's own summary). The control.
// 2. `landrun --preset ci -- <test command>` from the project directory passes the same way,
//    without a single extra flag.
// 3. The same command as the Action's `run:` step: the committed bundle on Node 24, as the runner
//    starts it, the project as the workspace.
//
// The CLI is the compiled one (lib/, built by `npm test`), copied with koffi to a place every user
// can enter, so the unprivileged cases work wherever the checkout sits.
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { join } from 'node:path';
import {
  CORPUS,
  corpusBase,
  corpusUser,
  createProject,
  failureOf,
  missingTools,
  portableCli,
  runBare,
  runAsActionStep,
  runSandboxed,
  unprivilegedUnavailable,
  userLabel,
  type CorpusUser,
} from '../helpers/corpus.js';
import { itIf } from '../helpers/describe-if.js';
import { node24ForAnyUser, node24Why } from '../helpers/node24.js';
import { copyAction } from '../helpers/portable.js';
import { removeDir } from '../helpers/run.js';


const WHO = ['self', 'nobody'] as const;
const whoSkip = (who: (typeof WHO)[number]): string | undefined => (who === 'nobody' ? unprivilegedUnavailable() : undefined);

// first install of a project's dependencies (npm ci from the registry) plus its run
const CASE_TIMEOUT = 240000;

let base: string;
const users = new Map<string, CorpusUser>();
const user = (who: (typeof WHO)[number]): CorpusUser => {
  let u = users.get(who);
  if (!u) users.set(who, (u = corpusUser(base, who)));
  return u;
};

beforeAll(() => {
  base = corpusBase();
});
afterAll(() => removeDir(base));

describe('corpus: each suite passes bare (the control)', () => {
  for (const who of WHO) {
    for (const p of CORPUS) {
      itIf(missingTools(p) ?? whoSkip(who), `${p.title}, as ${userLabel(who)}`, async () => {
        const project = await createProject(p, user(who));
        const r = await runBare(project);
        expect(failureOf(p, r, project.dir)).toBeUndefined();
      }, CASE_TIMEOUT);
    }
  }
});

describe('corpus: each suite passes under landrun --preset ci, with no extra flag', () => {
  let cli: string;
  beforeAll(() => {
    cli = portableCli(join(base, 'cli'));
  });
  for (const who of WHO) {
    for (const p of CORPUS) {
      itIf(missingTools(p) ?? whoSkip(who), `${p.title}, as ${userLabel(who)}`, async () => {
        const project = await createProject(p, user(who));
        const r = await runSandboxed(project, cli);
        expect(failureOf(p, r, project.dir)).toBeUndefined();
      }, CASE_TIMEOUT);
    }
  }
});

describe("corpus: each suite passes as the Action's run: step (the committed bundle on Node 24)", () => {
  let action: string;
  beforeAll(() => {
    action = copyAction(join(base, 'action'));
  });
  for (const who of WHO) {
    for (const p of CORPUS) {
      itIf(node24Why ?? missingTools(p) ?? whoSkip(who), `${p.title}, as ${userLabel(who)}`, async () => {
        const project = await createProject(p, user(who));
        const r = await runAsActionStep(project, action, { node: node24ForAnyUser() });
        expect(failureOf(p, r, project.dir)).toBeUndefined();
        expect(r.status).toBe(0);
      }, CASE_TIMEOUT);
    }
  }
});
