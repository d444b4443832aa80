import { defineConfig } from 'vitest/config';

// Pure unit tests run in parallel threads; anything that talks to Temporal or the
// local servers runs in forked processes (the SDK's native runtime and worker
// threads have clashed before) with generous timeouts.
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print one plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'api/**/*.test.ts'],
          environment: 'node',
          // Unit tests first, on their own; then the stack with its servers.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          // The case workflow's every path with stub activities, on the Temporal CLI dev
          // server alone (no Java, DynamoDB or SES): seconds, not minutes.
          name: 'workflow-fast',
          include: ['test/workflow-fast/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/workflow-fast/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'stack',
          include: [
            'test/workflow/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/api/**/*.test.ts',
            'test/replay/**/*.test.ts',
          ],
          environment: 'node',
          pool: 'forks',
          // Two cores: one file per core, each with its own time-skipping server.
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        // A real browser (Debian's chromium via playwright-core) against the real stack,
        // last and alone: one browser and one app server on a shared machine.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          globalSetup: ['test/browser/chromium-setup.ts', 'test/support/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
