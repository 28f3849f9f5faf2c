import { defineConfig } from 'vitest/config';

/**
 * The suite in three tiers (docs/testing.md says which to run when):
 * - unit: pure code and files, no database server (`npm run test:unit`);
 * - integration: real engines and the built binary (`npm run test:integration`);
 * - ops: operations on real clusters and processes: Galera, PgBouncer, a
 *   standby, kills and signals, the password property, fleets (`npm run test:ops`).
 * `npm test` runs all three; CI runs `npm test`.
 */
export const OPS_TIER = [
  'test/integration/cluster.test.ts',
  'test/integration/crash-safety.test.ts',
  'test/integration/crash-safety-multi.test.ts',
  'test/integration/migrate-signals.test.ts',
  'test/integration/password-property.test.ts',
  'test/integration/read-only.test.ts',
  'test/integration/wedges.test.ts',
  'test/integration/fleet.test.ts',
  'test/e2e/fleet-cli.test.ts',
];

// One PostgreSQL and one MariaDB server for the tiers that need them (see the file).
const servers = ['test/support/global-setup.ts'];

export default defineConfig({
  test: {
    // Real engines and CLI child processes: integration tests may take 30-60 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // 2 cores: at most 2 test files at a time.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      // No globalSetup, and test/support/servers.ts refuses to start a server in this tier.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env: { DBKIT_TEST_TIER: 'unit' } } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], exclude: OPS_TIER, globalSetup: servers } },
      { extends: true, test: { name: 'ops', include: OPS_TIER, globalSetup: servers } },
    ],
  },
});
