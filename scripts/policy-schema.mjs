// npm run schema: writes schema/landrun-policy.schema.json from the policy vocabulary (through the
// compiled lib/, which `npm run schema` builds first). test/unit/policy/policy-schema.test.ts fails
// when the committed file is not what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policySchemaText } from '../lib/policy/policy-schema.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'landrun-policy.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, policySchemaText());
process.stdout.write(`wrote ${out}\n`);
