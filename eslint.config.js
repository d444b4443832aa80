import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node's built-in modules by their bare names (the node: forms are matched by `node:*`).
const nodeBuiltins = [
  'fs',
  'fs/*',
  'path',
  'crypto',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'dns',
  'stream',
  'stream/*',
  'url',
  'util',
  'worker_threads',
];

/** What domain/ may not import: anything with I/O, and no layer above it. */
const domainPatterns = (node) => [
  { group: node, message: 'domain/ is pure: no Node I/O (do it in store/ or an activity).' },
  {
    group: ['@aws-sdk/*', '@temporalio/*', 'hono', 'hono/*'],
    message: 'domain/ is pure: no clients or frameworks.',
  },
  {
    group: [
      '**/store/**',
      '**/audit/**',
      '**/activities/**',
      '**/activities',
      '**/api/**',
      '**/workflows/**',
      '**/infra/**',
    ],
    message: 'domain/ is the bottom layer: everything imports it, it imports nothing of ours but itself.',
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.data/**', '.sst/**', 'dist/**', 'coverage/**', 'test/replay/histories/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer boundaries (docs/architecture.md draws the map): every import points down.
  //   infra -> api, activities -> audit -> store -> domain;  workflows -> domain (activities as types)
  {
    // Workflow code must stay deterministic: no Node APIs, no I/O clients, no
    // runtime validation libraries, no activity or store implementations.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', ...nodeBuiltins],
              message: 'Node APIs are not deterministic: do it in an activity.',
            },
            { group: ['@aws-sdk/*'], allowTypeImports: true, message: 'AWS calls belong in activities.' },
            {
              group: ['zod'],
              allowTypeImports: true,
              message: 'Validate in the API; workflows take typed input.',
            },
            {
              group: ['**/activities/**', '**/activities', '**/store/**', '**/audit/**'],
              allowTypeImports: true,
              message: 'Import activity and store types only; call them through proxyActivities.',
            },
            {
              group: ['**/api/**', '**/infra/**'],
              message: 'Workflows sit below the API and the entry points: pass what they need as input.',
            },
            {
              group: [
                '**/domain/link-token*',
                '**/domain/hash-chain*',
                '**/domain/directory-schema*',
                '**/domain/mail-ref*',
              ],
              message: 'These modules use node:crypto or zod: not for workflow code.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: decisions over values, no I/O and nothing above it.
    files: ['domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: domainPatterns(['node:*', ...nodeBuiltins]) }] },
  },
  {
    // Hashing and signing are pure computations that need node:crypto (SHA-256, HMAC,
    // timing-safe compare) and nothing else from Node: these modules may import it (place
    // codes are a hash of a place's ids).
    files: ['domain/hash-chain.ts', 'domain/link-token.ts', 'domain/places.ts', 'domain/mail-ref.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: domainPatterns(['node:*', '!node:crypto', ...nodeBuiltins.filter((m) => m !== 'crypto')]),
        },
      ],
    },
  },
  {
    // The store is the bottom adapter layer: it knows tables and channels, not who calls it.
    files: ['store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/workflows/**', '**/activities/**', '**/activities', '**/audit/**'],
              message: 'store/ sits below the API, workflows, activities and audit services: they import it.',
            },
            {
              group: ['**/infra/**'],
              allowTypeImports: true,
              message: 'store/ takes its configuration as values (infra/deps.ts builds them).',
            },
          ],
        },
      ],
    },
  },
  {
    // The read services over the store, shared by the API and the CLI.
    files: ['audit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/workflows/**', '**/activities/**', '**/activities', '**/infra/**'],
              message: 'audit/ reads the store for the API and the CLI: it imports store/ and domain/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Activities are what the worker registers: thin functions over store/ (and audit/).
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/infra/**', '**/workflows/**'],
              allowTypeImports: true,
              message:
                'Activities work over store/ and domain/; they never call the API or the entry points.',
            },
          ],
        },
      ],
    },
  },
  {
    // The API talks to the worker only through Temporal (start, update, query, signal).
    files: ['api/**/*.ts', 'api/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**', '**/activities'],
              message:
                'The API reaches activities only through a workflow; read the store or audit/ instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
