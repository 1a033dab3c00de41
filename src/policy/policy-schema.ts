// The JSON Schema of a policy file, built from the vocabulary so that it cannot drift from it:
// `npm run schema` writes it to schema/landrun-policy.schema.json (committed, and checked to be up
// to date by a test), which editors use through the README's `# yaml-language-server: $schema=`
// line. The schema checks shape and types; the reader (policy-file.ts) also checks what a schema
// cannot say well (that ports in a comma list are in range, where a file's paths resolve). Pure.
import { PRESETS } from './presets.js';
import { PATH_KEYS, POLICY_KEYS, PORT_KEYS, SWITCH_KEYS, WORKFLOW_COMMANDS, type PolicyKey } from './vocabulary.js';

export const POLICY_SCHEMA_URL = 'https://raw.githubusercontent.com/landrun/landrun-action/main/schema/landrun-policy.schema.json';

/** What each key does, for editors' hovers: the README's wording, shortened. */
const DESCRIPTIONS: Record<PolicyKey, string> = {
  preset: 'What to grant around these entries: ci (what the Action grants a CI step: the system, the workspace, a private TMPDIR) or none (nothing). The Action defaults to ci, the CLI to none.',
  ro: 'Read files and list directories beneath these paths. Relative paths are relative to this file; ~ is HOME.',
  rox: 'Read and execute beneath these paths.',
  rw: 'Read, write, create, remove, rename, link and truncate beneath these paths.',
  rwx: 'Read, write and execute beneath these paths.',
  unix: 'Pathname unix sockets the command may connect to (per path from Landlock ABI 9).',
  'bind-tcp': 'TCP ports (and ranges such as 8000-8100) the command may bind.',
  'connect-tcp': 'TCP ports (and ranges such as 8000-8100) the command may connect to.',
  'allow-dns': 'Resolve host names over TCP: the resolver files, TCP port 53, RES_OPTIONS=use-vc.',
  'allow-unix-sockets': 'Do not restrict unix sockets at all.',
  'add-exec': 'Grant execute on the command, its ELF interpreter and its #! interpreters (CLI only).',
  ldd: 'Grant what the command needs to load: its ELF interpreter and shared libraries (CLI only).',
  'ignore-missing': 'Skip rule paths that do not exist instead of failing.',
  'best-effort': 'Run with whatever the kernel supports, reporting every dropped right.',
  'unrestricted-network': 'Do not restrict the network.',
  'unrestricted-filesystem': 'Do not restrict the filesystem.',
  'unrestricted-scoped': 'Do not scope signals and abstract unix sockets.',
  loopback: 'Loopback networking: bind any TCP port (0 included), connect to any port on loopback addresses, and to other hosts only on connect-tcp ports. On by default with preset ci.',
  'allow-keyring': 'Let the command use the kernel keyrings (keyctl, add_key, request_key); refused otherwise, since the user keyring outlives the run.',
  'workflow-commands': "What the command's workflow commands (::set-output, ::add-mask:: ...) may do in a CI step: annotations (the default), none, or all.",
  env: 'Environment variables for the command: KEY (copied from the caller) or KEY=VALUE; values are never split at commas.',
  'target-abi': 'Enforce as if the kernel offered only this Landlock ABI.',
};

type Schema = Record<string, unknown>;

const nonEmpty: Schema = { type: 'string', minLength: 1, pattern: '\\S' };
const listOf = (item: Schema, text: string): Schema => ({ anyOf: [{ ...nonEmpty, description: text }, { type: 'array', items: item }] });

// One port or a range; a string may hold several, separated by commas or line breaks.
const PORT = '[0-9]{1,5}(\\s*-\\s*[0-9]{1,5})?';
const portFrom = (min: number): Schema => ({ type: 'integer', minimum: min, maximum: 65535 });
const portText: Schema = { type: 'string', pattern: `^\\s*${PORT}(\\s*[,\\n]\\s*${PORT})*\\s*$` };
// The spellings parseSwitch accepts, so a file the reader takes is one the schema takes.
const switchValue: Schema = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'] }] };
const envItem: Schema = { type: 'string', pattern: '^[^=\\u0000\\s][^=\\u0000]*(=|$)' };

function keySchema(key: PolicyKey): Schema {
  const description = DESCRIPTIONS[key];
  if ((PATH_KEYS as readonly string[]).includes(key)) {
    return { description, ...listOf(nonEmpty, 'One path, several separated by commas (\\, for a comma in a path), or one per line in a | block.') };
  }
  if ((PORT_KEYS as readonly string[]).includes(key)) {
    // Port 0 is a bind port only (an ephemeral port, as listen(0) asks).
    const port = portFrom(key === 'bind-tcp' ? 0 : 1);
    return { description, anyOf: [port, portText, { type: 'array', items: { anyOf: [port, { type: 'string', pattern: `^\\s*${PORT}\\s*$` }] } }] };
  }
  if ((SWITCH_KEYS as readonly string[]).includes(key)) return { description, ...switchValue };
  if (key === 'env') return { description, anyOf: [{ ...nonEmpty, description: 'One KEY or KEY=VALUE per line (never split at commas).' }, { type: 'array', items: envItem }] };
  if (key === 'target-abi') return { description, anyOf: [{ type: 'integer', minimum: 0, maximum: 99 }, { type: 'string', pattern: '^\\s*[0-9]{1,2}\\s*$' }] };
  if (key === 'workflow-commands') return { description, type: 'string', enum: [...WORKFLOW_COMMANDS] };
  return { description, type: 'string', enum: [...PRESETS] }; // preset
}

/** The schema, keys in vocabulary order; nothing else is allowed. */
export function policySchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: POLICY_SCHEMA_URL,
    title: 'landrun policy file',
    description: 'The sandbox for `landrun --policy FILE` and the landrun Action\'s policy-file input.',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(POLICY_KEYS.map((k) => [k, keySchema(k)])),
  };
}

/** The committed file's text. */
export const policySchemaText = (): string => `${JSON.stringify(policySchema(), null, 2)}\n`;
