import type { Browser, Page } from 'playwright-core';
import { startCollector, type Collector } from '../../../demo/collector/collector.mjs';
import { launchChromium } from './chromium.js';
import { startSite, type Site } from './servers.js';

/**
 * Everything a browser test needs, on 127.0.0.1 and free ports: the page's
 * own origin (`site`), a second origin that allows CORS (`api`), a third that
 * does not allow trace headers (`other`), and the dev collector (a fourth origin).
 */
export interface Harness {
  browser: Browser;
  site: Site;
  api: Site;
  other: Site;
  collector: Collector;
  /** Opens the test app with tracelet started from `config` (the collector endpoint is filled in). */
  openApp(config?: Record<string, unknown>, page?: Page, pageName?: 'app' | 'app-zone' | 'app-content', extraQuery?: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The builds a test page can load: the development build (dist/dev/,
 * tracelet.dev.js: diagnostics as sentences) or the production one (dist/,
 * tracelet.min.js: diagnostics as codes). Tests of one source run against both
 * with `describe.each(BUILDS)`.
 */
export const BUILDS = ['dev', 'prod'] as const;
export type Build = (typeof BUILDS)[number];

/** What `openApp` appends to the app page's URL (its `extraQuery`) to load `build`. */
export const buildQuery = (build: Build): string => (build === 'prod' ? '&build=prod' : '');

/**
 * Matches the console line of tracelet's diagnostic `code` as `build` prints
 * it: the sentence (recognized by `words` from it) in the development build,
 * `[tracelet] W7 (docs/diagnostics.md#w7)` in the production build.
 */
export const isDiagnostic =
  (build: Build, code: string, words: string) =>
  (line: string): boolean =>
    line.includes(build === 'dev' ? '[tracelet] ' : `[tracelet] ${code} `) && (build === 'prod' || line.includes(words));

export async function startHarness(): Promise<Harness> {
  const [browser, site, api, other, collector] = await Promise.all([
    launchChromium(),
    startSite(),
    startSite({ cors: true }),
    startSite({ cors: true }),
    startCollector({ port: 0, print: false }),
  ]);
  return {
    browser,
    site,
    api,
    other,
    collector,
    async openApp(config = {}, page, pageName = 'app', extraQuery = '') {
      const p = page ?? (await browser.newPage());
      // Page-load spans (documentLoad, resourceFetch, web vitals) only where a test asks for them,
      // so tests of other features see only the spans they make.
      const instrumentations = { documentLoad: false, webVitals: false, ...(config.instrumentations as object | undefined) };
      const full = { serviceName: 'browser-test', endpoint: collector.tracesUrl, batch: { scheduledDelayMillis: 200 }, ...config, instrumentations };
      await p.goto(`${site.url}/test/browser/pages/${pageName}.html?config=${encodeURIComponent(JSON.stringify(full))}${extraQuery}`);
      await p.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      // The page runs the build the test asked for: a production case that quietly ran the development build would prove nothing.
      const build = extraQuery.includes('build=prod') ? '/dist/browser.js' : '/dist/dev/browser.js';
      if (!(await p.evaluate((path) => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === path), build))) throw new Error(`the app page did not load ${build}`);
      return p;
    },
    async close() {
      await browser.close();
      await Promise.all([site.close(), api.close(), other.close(), collector.close()]);
    },
  };
}

/** Two pages on the same site: one without tracelet, one with it, to compare behaviour. */
export async function plainAndTraced(h: Harness, config: Record<string, unknown> = {}): Promise<{ plain: Page; traced: Page }> {
  const plain = await h.browser.newPage();
  await plain.goto(`${h.site.url}/test/browser/pages/blank.html`);
  return { plain, traced: await h.openApp(config) };
}
