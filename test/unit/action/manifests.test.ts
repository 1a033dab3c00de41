// action.yml and the workflows, checked by GitHub's own parser (@actions/workflow-parser), and the
// inputs action.yml declares compared with the inputs the Action reads.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { convertActionTemplate } from '@actions/workflow-parser/actions/action-template';
import { readSettings } from '../../../src/action/inputs.js';
import { ROOT } from '../../helpers/run.js';

const trace = new NoOperationTraceWriter();
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

describe('action.yml', () => {
  const parsed = parseAction({ name: 'action.yml', content: read('action.yml') }, trace);
  const action = convertActionTemplate(parsed.context, parsed.value!);

  it("is valid for GitHub's parser, runs on node24, and its entry points exist in dist/", () => {
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/action-main/index.js', post: 'dist/action-post/index.js' });
    for (const f of ['dist/action-main/index.js', 'dist/action-post/index.js']) expect(existsSync(join(ROOT, f))).toBe(true);
  });

  it('declares exactly the inputs the Action reads', () => {
    const asked = new Set<string>();
    readSettings((name) => (asked.add(name), ''), { workspace: '/w', home: '/h' });
    const declared = (action.inputs ?? []).map((i) => i.id).sort();
    expect(declared).toEqual([...asked].sort());
  });

  it('a broken manifest is reported by the same parser (the check can fail)', () => {
    const bad = parseAction({ name: 'bad.yml', content: 'name: x\ndescription: y\nruns:\n  using: node99\n  main: a.js\n' }, trace);
    expect(bad.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe('workflows', () => {
  const files = readdirSync(join(ROOT, '.github', 'workflows')).filter((f) => f.endsWith('.yml'));
  it.each(files)('%s is valid', async (f) => {
    const r = parseWorkflow({ name: f, content: read(join('.github', 'workflows', f)) }, trace);
    expect(r.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const w = await convertWorkflowTemplate(r.context, r.value!);
    expect((w.errors ?? []).map((e) => e.Message)).toEqual([]);
  });
});
