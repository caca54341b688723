import { defineConfig } from 'vitest/config';

// The SDK warns once per process that Node 20 support ends in 2027: dozens of identical
// lines across the run, its workers and the servers they spawn would bury the results.
// Set here, in the main process, so the global setup and every child inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The local servers the suites start log every request as on Lambda: thousands of lines.
// A test that reads those lines sets its own level (test/trust/outage.e2e.spec.ts).
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

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
