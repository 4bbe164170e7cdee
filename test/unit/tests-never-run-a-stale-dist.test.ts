// The browser, worker and e2e tests run dist/. vitest's global setup
// (test/support/fresh-dist.ts) builds before any test when dist/ is older than
// its sources, however vitest was started: so here, inside a test, dist/ is
// never older than src/.
import { describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { STAMP, sourcesNewerThanDist } from '../support/fresh-dist.js';

describe('a stale dist/', () => {
  it('is rebuilt before the tests run: dist/ is at least as new as every source', () => {
    expect(existsSync(STAMP)).toBe(true);
    expect(sourcesNewerThanDist()).toBe(false);
    expect(statSync(STAMP).mtimeMs).toBeGreaterThanOrEqual(statSync(new URL('../../src/version.ts', import.meta.url)).mtimeMs);
  });
});
