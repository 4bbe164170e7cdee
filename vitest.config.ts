import { defineConfig } from 'vitest/config';
import { browserLibTest } from './test/browser-lib/config.js';

export default defineConfig({
  test: {
    // Builds dist/ first when it is older than src/ (the browser, worker and e2e tests run dist/).
    globalSetup: ['test/support/fresh-dist.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Real Chromium through Playwright. One file at a time: each starts a
        // browser and servers, and this machine has two cores.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // src/browser/lib imported directly, in real Chromium through vitest
        // browser mode (about 20 s); the same tests StrykerJS runs against
        // each mutant of src/browser/lib (stryker.browser-lib.config.mjs).
        test: browserLibTest,
      },
      {
        // Real workerd through Miniflare.
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The demo's whole path: Chromium, workerd, the OpenTelemetry Node SDK.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
