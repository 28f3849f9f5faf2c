import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL and one MariaDB server for the whole run (see the file).
    globalSetup: ['test/support/global-setup.ts'],
    // Real engines and CLI child processes: integration tests may take 30-60 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // 2 cores: at most 2 test files at a time.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
