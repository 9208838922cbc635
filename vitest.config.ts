import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One throw-away PostgreSQL cluster for the suites that run on both engines.
    globalSetup: ['test/support/globalSetup.ts'],
    // Browser and PDF tests share one machine with 2 cores: keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
