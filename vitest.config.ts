import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // One DynamoDB Local for the whole run; each suite makes its own tables in it.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers than that only make the JVM and esbuild fight for them.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
