import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` (*.int.test.ts) talks to the real
// Kafka and Cassandra that the global setup starts once per run (or reuses when already up).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // One fork, files one after another: they share one Kafka and one Cassandra on two cores.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
