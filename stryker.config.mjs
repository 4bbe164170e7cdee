// Mutation testing (StrykerJS): `npm run mutation`. Each mutant of the folders
// below is a small planted bug; a test must fail for it ("killed"). The score
// per folder is in reports/mutation/ and docs/quality.md.
// Tests run in a zone that is not UTC, so that local time and GMT differ:
// the vitest runner runs tests in worker threads, where setting process.env.TZ
// has no effect (retry-after-is-seconds-or-an-http-date.test.ts relies on it).
process.env.TZ = 'America/New_York';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts', 'src/propagation/**/*.ts', 'src/export/**/*.ts', 'src/http/**/*.ts', '!src/core/types.ts', '!src/core/dev.ts'],
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
