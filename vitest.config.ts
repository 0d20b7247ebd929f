import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One run, three projects:
 * - unit: the pure domain, no stores;
 * - infra: the Pulumi program under `pulumi.runtime.setMocks`;
 * - integration: everything that talks to a store. Its global setup starts DynamoDB Local,
 *   PostgreSQL and s3rver once per run and stops them at the end.
 */
export default defineConfig({
  resolve: {
    // Test-only helpers, resolved by path so packages need no dependency cycle on them.
    alias: {
      '@creditline/stand-ins/vitest': here('./stand-ins/src/vitest/fixtures.ts'),
      '@creditline/stand-ins': here('./stand-ins/src/index.ts'),
    },
  },
  test: {
    // CI reads the counts from a JSON report (.ci/run prints the closing `N passed, N failed`).
    ...(process.env.CI
      ? { reporters: ['default', 'json'], outputFile: { json: '.tmp/vitest.json' } }
      : {}),
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['domain/**/*.test.ts', 'api/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['infra/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'functions/**/*.test.ts',
            'stand-ins/**/*.test.ts',
            'local/**/*.test.ts',
            'e2e/**/*.test.ts',
            'sim/**/*.test.ts',
          ],
          // The whole-system simulation runs are `pnpm test:sim`, a CI job of their own: at
          // 1,500 ops each they take far more than the rest of the suite on this 2-core
          // machine (over 20 minutes for one seed under a shared load, 2026-12-02).
          exclude: [
            ...configDefaults.exclude,
            ...(process.env.CREDITLINE_SIM_TESTS
              ? []
              : ['sim/src/simulation.test.ts', 'sim/src/planted.test.ts']),
          ],
          globalSetup: ['stand-ins/src/vitest/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['domain/src/**/*.ts'],
      exclude: ['**/*.test.ts', 'domain/src/**/index.ts', 'domain/src/ports/**'],
      thresholds: { lines: 95 },
    },
  },
});
