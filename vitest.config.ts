import { defineConfig } from 'vitest/config';

/**
 * One run for every test kind. The global setup starts the real servers the suite shares
 * (embedded PostgreSQL, Temporal dev server, SMTP peer) and hands their addresses to the test
 * processes; the time-skipping test server is started per workflow test file.
 */
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', '.tools/**', 'dist/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/worker-env.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default'],
  },
});
