// Mutation testing of src/browser/lib (StrykerJS, part of `npm run mutation`):
// its modules need window, PerformanceObserver, localStorage and DOM elements,
// so the tests that judge each mutant run in real Chromium through vitest
// browser mode (vitest.browser-lib.config.ts, test/browser-lib/). One browser
// at a time: this machine has two cores, shared.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.browser-lib.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/browser/lib/**/*.ts'],
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/browser-lib.html' },
  jsonReporter: { fileName: 'reports/mutation/browser-lib.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp-browser-lib',
  cleanTempDir: 'always',
};
