// The tests of src/browser/lib in real Chromium (vitest browser mode through
// Playwright, Debian's /usr/bin/chromium): they import the modules directly,
// so StrykerJS can run them against each mutant (stryker.browser-lib.config.mjs),
// and they join `npm test` as the `browser-lib` project (vitest.config.ts).
import { defineConfig } from 'vitest/config';
import { browserLibTest } from './test/browser-lib/config.js';

export default defineConfig({ test: browserLibTest });
