// Lint: typescript-eslint's recommended rules plus the layering of ARCHITECTURE.md, enforced with
// no-restricted-imports per folder (policy/ and landlock/ stay pure; only syscalls.ts loads koffi;
// only action/ imports @actions/*).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = (names) => names.flatMap((n) => [n, `node:${n}`]);
const impure = [...node(['fs', 'fs/promises', 'child_process', 'os', 'net', 'dgram', 'worker_threads', 'process'])];

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', 'coverage/**', 'native-helper/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/action/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@actions/*'], message: 'only src/action/ may import @actions/*' }], paths: [{ name: 'koffi', message: 'only src/landlock/syscalls.ts loads koffi' }] }] },
  },
  {
    files: ['src/policy/**/*.ts', 'src/landlock/**/*.ts'],
    ignores: ['src/landlock/syscalls.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...impure.map((name) => ({ name, message: 'policy/ and landlock/ are pure: take what you need as a parameter' })), { name: 'koffi', message: 'only src/landlock/syscalls.ts loads koffi' }],
          patterns: [{ group: ['@actions/*'], message: 'only src/action/ may import @actions/*' }, { group: ['**/sandbox/**', '**/cli/**', '**/action/**'], message: 'policy/ and landlock/ must not depend on outer layers' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'pure layers receive env/cwd as parameters' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*'], message: 'shared/ imports nothing from the project' }] }] },
  },
);
