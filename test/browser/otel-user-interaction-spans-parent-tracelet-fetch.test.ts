// OpenTelemetry's user-interaction instrumentation (the real package, 0.67.0)
// registered with registerInstrumentations over tracelet/otel-api in Chromium,
// bundled with rollup as an app would be. Its README: a `click` span for each
// click, parent of the requests the handler starts; with zone.js it "fully
// supports the async operations". The click spans and tracelet's fetch spans
// under them reach the dev collector through tracelet's exporter.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSpan } from '../../demo/collector/collector.mjs';
import { bundlePage } from './support/bundle-page.js';
import { BUILDS, startHarness, type Build, type Harness } from './support/harness.js';

let h: Harness;
const pages: Record<string, string> = {};
beforeAll(async () => {
  h = await startHarness();
  for (const build of BUILDS) {
    pages[`sync-${build}`] = await bundlePage('otel-user-interaction.mjs', `otel-user-interaction-${build}`, { build });
    pages[`zone-${build}`] = await bundlePage('otel-user-interaction.mjs', `otel-user-interaction-zone-${build}`, { zone: true, build });
  }
});
afterAll(async () => {
  await h?.close();
});

async function open(cm: 'sync' | 'zone', build: Build): Promise<Page> {
  const page = await h.browser.newPage();
  await page.goto(`${h.site.url}${pages[`${cm}-${build}`]}?cm=${cm}&endpoint=${encodeURIComponent(h.collector.tracesUrl)}`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  expect(await page.evaluate(() => (window as unknown as { registered: boolean }).registered)).toBe(true);
  return page;
}

/** A real (trusted) click at the middle of the button, through the mouse. */
async function clickBuy(page: Page): Promise<void> {
  const box = (await page.locator('#buy').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

const UI_SCOPE = '@opentelemetry/instrumentation-user-interaction';
const flush = (page: Page) => page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());

/**
 * Once `count` fetches arrived: the fetch spans, and the click span each one's
 * parent id names (undefined when the parent is not a span of the
 * instrumentation). The instrumentation traces each listener a click reaches,
 * nesting them; under Playwright a click also reaches a `click` listener that
 * Playwright's injected script adds on window (seen by logging the patched
 * addEventListener), so one click gives two nested `click` spans. The test
 * follows the fetch's own parent id to the span of the button's listener.
 */
const fetchesArrived = (count: number) => (s: StoredSpan[]) => s.filter((x) => x.kind === 3).length >= count && s.filter((x) => x.kind === 3).every((f) => s.some((x) => x.spanId === f.parentSpanId));
async function fetchesAndTheirClicks(count: number): Promise<{ fetches: StoredSpan[]; clicks: (StoredSpan | undefined)[]; all: StoredSpan[] }> {
  const all = await h.collector.waitForSpans(fetchesArrived(count));
  const fetches = all.filter((x) => x.kind === 3);
  const clicks = fetches.map((f) => all.find((x) => x.spanId === f.parentSpanId && x.scope.name === UI_SCOPE));
  return { fetches, clicks, all };
}

describe.each(BUILDS)('@opentelemetry/instrumentation-user-interaction on tracelet (%s build)', (build) => {
  it('sync context manager: the click span is the parent of the fetch its handler starts, and the API sees it active', async () => {
    h.collector.clear();
    const page = await open('sync', build);
    const url = `/api/echo?from-click-${build}`;
    await page.evaluate((url) => {
      const w = window as unknown as { otelTrace: { getActiveSpan(): unknown }; seen?: string };
      // Added after registerInstrumentations: without zone.js the instrumentation wraps addEventListener.
      document.getElementById('buy')!.addEventListener('click', () => {
        w.seen = w.otelTrace.getActiveSpan() ? 'active span' : 'none';
        void fetch(url);
      });
    }, url);
    await clickBuy(page);
    await page.waitForFunction((url) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(url)), url);
    await flush(page);
    const { fetches, clicks, all } = await fetchesAndTheirClicks(1);
    const click = clicks[0]!;
    expect(click).toBeDefined();
    expect(await page.evaluate(() => (window as unknown as { seen?: string }).seen)).toBe('active span');
    expect(click.name).toBe('click');
    expect(click.attributesMap).toMatchObject({ event_type: 'click', target_element: 'BUTTON', target_xpath: '//*[@id="buy"]' });
    expect(click.resource['service.name']).toBe('otel-ui-test');
    // The trace starts at a click span of the instrumentation: nothing else of tracelet's is above it.
    const root = all.find((x) => x.traceId === click.traceId && !x.parentSpanId)!;
    expect([root.name, root.scope.name]).toEqual(['click', UI_SCOPE]);
    expect(fetches).toHaveLength(1);
    expect(String(fetches[0]!.attributesMap['url.full'])).toContain(url);
    expect(fetches[0]!.parentSpanId).toBe(click.spanId);
    expect(fetches[0]!.traceId).toBe(click.traceId);
    // tracelet's fetch instrumentation sent the trace context of its CLIENT span.
    const received = h.site.seen.find((r) => r.path === url)!;
    expect(received.headers.traceparent).toMatch(new RegExp(`^00-${click.traceId}-${fetches[0]!.spanId}-0[13]$`));
    await page.close();
  });

  it('zone.js: a fetch started after a timer in the handler is still a child of the click span', async () => {
    h.collector.clear();
    const page = await open('zone', build);
    expect(await page.evaluate(() => (window as unknown as { t: { contextManager: object } }).t.contextManager.constructor.name)).toBe('ZoneContextManager');
    await page.evaluate(() => {
      document.getElementById('buy')!.addEventListener('click', () => {
        setTimeout(() => void fetch('/api/echo?zone-after-timer'), 20);
      });
    });
    await clickBuy(page);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('zone-after-timer')));
    // The fetch span ends once its Resource Timing entry is read: flushed until it (and its parent) arrived.
    await expect.poll(async () => (await flush(page), fetchesArrived(1)(h.collector.spans())), { timeout: 10_000, message: 'flushed until the fetch span arrived' }).toBe(true);
    const { fetches, clicks } = await fetchesAndTheirClicks(1);
    const click = clicks[0]!;
    expect(click).toBeDefined();
    expect(click.name).toBe('click');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]!.parentSpanId).toBe(click.spanId);
    expect(fetches[0]!.traceId).toBe(click.traceId);
    await page.close();
  });
});
