import { defineConfig } from 'vitest/config';

// Four projects: `unit` needs nothing running; `integration` (*.int.test.ts) talks to the real
// Kafka and Cassandra that its global setup starts once per run (or reuses when already up);
// `cluster` (*.cluster.test.ts) talks to the real local control plane, after the other two so
// that the Go-built API server never competes with the engines for the two cores; `faults`
// (*.fault.test.ts) kills and restarts those engines under running workers, last.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'test/**/*.cluster.test.ts', 'test/**/*.fault.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/**/*.cluster.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          // Files one after another: they share one API server and clean up their namespaces.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 300_000,
          hookTimeout: 2_400_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/**/*.fault.test.ts'],
          // the engines of this run, which these tests kill and restart: last, alone, one file at a time
          globalSetup: ['test/integration/global-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          hookTimeout: 600_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
