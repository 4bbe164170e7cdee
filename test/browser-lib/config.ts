// Shared by vitest.browser-lib.config.ts (StrykerJS) and the `browser-lib`
// project of vitest.config.ts (npm test): one Chromium, one file at a time.
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

export const browserLibTest = {
  name: 'browser-lib',
  include: ['test/browser-lib/**/*.test.ts'],
  fileParallelism: false,
  testTimeout: 30_000,
  browser: {
    enabled: true,
    headless: true,
    // Failures are read in the terminal; no screenshots under test/.
    screenshotFailures: false,
    provider: playwright({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        // DESIGN.md section 6: the flags Debian's Chromium needs here.
        args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    }),
    instances: [{ browser: 'chromium' as const }],
  },
} satisfies TestProjectInlineConfiguration['test'];
