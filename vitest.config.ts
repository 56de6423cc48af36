import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['fusion-source'] },
  ssr: { resolve: { conditions: ['fusion-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
      // apps/web runs in Chromium (test/e2e), not in Node: V8 coverage here cannot see it.
      exclude: ['**/*.d.ts', '**/testing/**', 'apps/web/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 80 },
    },
  },
});
