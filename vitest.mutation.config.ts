// The tests StrykerJS runs against each mutant of src/core, src/propagation,
// src/export and src/http (stryker.config.mjs): the Node unit tests that import
// src/ directly. Left out: tests of the dev collector, the package, bundle
// sizes, the docs and dist/ (they never load the mutated modules).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: [
      'test/unit/collector-*.test.ts',
      'test/unit/package-is-publishable.test.ts',
      'test/unit/bundle-size.test.ts',
      'test/unit/tests-never-run-a-stale-dist.test.ts',
      'test/unit/diagnostics-are-documented.test.ts',
      'test/unit/attributes-are-registered-or-documented.test.ts',
      'test/unit/architecture-floors.test.ts',
    ],
    testTimeout: 120_000,
  },
});
