import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel threads; anything that talks to
// Temporal or the local servers runs in forked processes (the SDK's native
// runtime and worker threads have clashed before) with generous timeouts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'api/**/*.test.ts'],
          environment: 'node',
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
          maxWorkers: 2,
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
