// Lint: typescript-eslint's recommended rules plus the layering of docs/adr/0009-layout.md,
// enforced with no-restricted-imports per folder: each folder may import only the folders below
// it; policy/ and landlock/ stay pure; only landlock/syscalls.ts loads koffi; only action/
// imports @actions/*.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = (names) => names.flatMap((n) => [n, `node:${n}`]);
const impure = [...node(['fs', 'fs/promises', 'child_process', 'os', 'net', 'dgram', 'worker_threads', 'process'])];

/** What each folder of src/ may import (besides itself). */
const LAYERS = {
  shared: [],
  landlock: ['shared'],
  policy: ['landlock', 'shared'],
  exec: ['landlock', 'shared'],
  plan: ['exec', 'policy', 'landlock', 'shared'],
  launch: ['plan', 'exec', 'policy', 'landlock', 'shared'],
  denials: ['launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
  step: ['launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
  cli: ['step', 'denials', 'launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
  shell: ['step', 'denials', 'launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
  action: ['step', 'denials', 'launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
  entrypoints: ['cli', 'shell', 'action', 'step', 'denials', 'launch', 'plan', 'exec', 'policy', 'landlock', 'shared'],
};
const FOLDERS = Object.keys(LAYERS);

const koffiOnlyInSyscalls = { name: 'koffi', message: 'only src/landlock/syscalls.ts loads koffi' };
const actionsOnlyInAction = { group: ['@actions/*'], message: 'only src/action/ may import @actions/*' };

function layerRule(folder) {
  const forbidden = FOLDERS.filter((f) => f !== folder && !LAYERS[folder].includes(f));
  const pure = folder === 'policy' || folder === 'landlock';
  return {
    files: [`src/${folder}/**/*.ts`],
    ignores: folder === 'landlock' ? ['src/landlock/syscalls.ts'] : [],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...(pure ? impure.map((name) => ({ name, message: `${folder}/ is pure: take what you need as a parameter` })) : []), koffiOnlyInSyscalls],
          patterns: [
            ...(folder === 'action' ? [] : [actionsOnlyInAction]),
            ...(forbidden.length ? [{ group: forbidden.map((f) => `**/${f}/**`), message: `${folder}/ may import only ${LAYERS[folder].join(', ') || 'nothing from the project'} (docs/adr/0009-layout.md)` }] : []),
          ],
        },
      ],
      ...(pure ? { 'no-restricted-globals': ['error', { name: 'process', message: 'pure layers receive env/cwd as parameters' }] } : {}),
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'coverage/**', 'native-helper/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...FOLDERS.map(layerRule),
  {
    files: ['src/landlock/syscalls.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [actionsOnlyInAction, { group: FOLDERS.filter((f) => f !== 'landlock' && f !== 'shared').map((f) => `**/${f}/**`), message: 'landlock/ may import only shared' }] }] },
  },
);
