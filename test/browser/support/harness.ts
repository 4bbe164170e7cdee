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
