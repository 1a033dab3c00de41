// The published JSON Schema of policy files: up to date with the vocabulary, one entry per key
// with the right type, agreeing with the reader, and the README's examples pass both.
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePolicyFile, renderPolicyFile } from '../../../src/policy/policy-file.js';
import { POLICY_SCHEMA_URL, policySchema, policySchemaText } from '../../../src/policy/policy-schema.js';
import { PATH_KEYS, POLICY_KEYS, PORT_KEYS, SWITCH_KEYS, type PolicyEntry } from '../../../src/policy/vocabulary.js';
import { ROOT } from '../../helpers/run.js';

const committed = readFileSync(join(ROOT, 'schema', 'landrun-policy.schema.json'), 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed) as object);
const valid = (doc: unknown): boolean => validate(doc) === true;
const schemaAccepts = (text: string): boolean => valid(parse(text, { version: '1.2' }));

describe('the policy file schema', () => {
  it('is the committed file, generated from the vocabulary (npm run schema)', () => {
    expect(committed).toBe(policySchemaText());
  });

  it('has every key of the vocabulary and nothing else', () => {
    const schema = policySchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual([...POLICY_KEYS]);
    expect(schema.additionalProperties).toBe(false);
    expect(valid({ bogus: 1 })).toBe(false);
  });

  // For each kind of key: values of the right type pass, others fail.
  const cases: Array<[readonly string[], unknown[], unknown[]]> = [
    [PATH_KEYS, ['/etc', './a, ~/b', '/a\n/b\n', ['/a', 'b,c'], []], [true, 12, { a: 1 }, '', '  ', [1], [['/a']], null]],
    [PORT_KEYS, [443, '443', '80, 443', '8000-8100', '80\n443\n', [80, '8000-8100']], [70000, 'http', true, [true], ['80, 443'], 1.5, null]],
    // Port 0 is a bind port only (an ephemeral port: listen(0)).
    [['bind-tcp'], [0, [0, 8080]], [-1]],
    [['connect-tcp'], [1], [0, [0]]],
    [SWITCH_KEYS, [true, false, 'true', 'yes', 'off'], ['maybe', 1, [true], null]],
    [['env'], ['A=1', 'A=1,2\nB\n', ['A=1', 'B']], [12, true, ['=x'], [' A'], null]],
    [['target-abi'], [4, '4', 0], [100, -1, 'four', [4], true]],
    [['preset'], ['ci', 'none'], ['lax', true, ['ci']]],
    [['workflow-commands'], ['annotations', 'none', 'all'], ['some', true, ['all']]],
  ];
  it.each(cases.map(([keys, good, bad]) => ({ keys: keys.join(' '), good, bad })))('types the values of $keys', ({ keys, good, bad }) => {
    for (const key of keys.split(' ')) {
      for (const v of good) expect({ key, v, ok: valid({ [key]: v }) }).toEqual({ key, v, ok: true });
      for (const v of bad) expect({ key, v, ok: valid({ [key]: v }) }).toEqual({ key, v, ok: false });
    }
  });

  it('agrees with the reader on files of each shape', () => {
    const files = [
      'ro: [/etc]\nrw: |\n  ./out\n  /tmp\nconnect-tcp: 5432, 8000-8100\nallow-dns: yes\nenv:\n  - A=1\ntarget-abi: 4\npreset: none\n',
      'bind-tcp: 8080\nunrestricted-network: false\n',
    ];
    for (const f of files) {
      expect(schemaAccepts(f)).toBe(true);
      expect(() => parsePolicyFile(f, 'p.yml')).not.toThrow();
    }
    for (const f of ['bogus: 1\n', 'ro: true\n', 'allow-dns: [true]\n', 'connect-tcp: 70000\n', 'preset: lax\n', 'env: ["=x"]\n', '- /etc\n']) {
      expect({ f, schema: schemaAccepts(f) }).toEqual({ f, schema: false });
      expect(() => parsePolicyFile(f, 'p.yml')).toThrow();
    }
  });

  it('accepts what learn mode writes', () => {
    const entries: PolicyEntry[] = [
      { key: 'ro', value: '/etc/hostname' },
      { key: 'ro', value: 'a,b' },
      { key: 'rox', value: '#odd' },
      { key: 'connect-tcp', value: '5432' },
      { key: 'connect-tcp', value: '8000-8100' },
      { key: 'env', value: 'X= padded ' },
      { key: 'allow-dns', value: 'true' },
      { key: 'target-abi', value: '4' },
    ];
    expect(schemaAccepts(renderPolicyFile(entries))).toBe(true);
  });
});

describe("the README's policy files", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/<!-- policy-example -->\n```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  it('are there, and point editors at the schema', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) expect(e.split('\n')[0]).toBe(`# yaml-language-server: $schema=${POLICY_SCHEMA_URL}`);
  });

  it('pass the schema and the reader', () => {
    for (const e of examples) {
      expect({ e, errors: (validate(parse(e, { version: '1.2' })), validate.errors ?? []) }).toEqual({ e, errors: [] });
      expect(parsePolicyFile(e, 'README.md').length).toBeGreaterThan(3);
    }
  });
});
