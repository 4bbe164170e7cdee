import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './support/harness.js';
import { VITALS, painted, shiftTop, timedClick, vital, vitalsInteraction } from './support/vitals.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const mine = (service: string) => h.collector.spans().filter((s) => s.resource['service.name'] === service);
const flush = (page: Page) => page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
/** Flushes until `done()` holds: documentLoad is recorded a task after the load event, a late resource's span once the browser reports its entry. */
const flushUntil = (page: Page, done: () => boolean, what: string) =>
  expect.poll(async () => (await flush(page), done()), { timeout: 10_000, message: `flushed until ${what}` }).toBe(true);
const loaded = (service: string) => () => mine(service).some((s) => s.name === 'documentLoad');
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
// Scopes tracelet names carry its version (package.json's).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('page load (real Chromium)', () => {
  it('records documentLoad with phases, a documentFetch child and resourceFetch children', async () => {
    const page = await h.openApp({ serviceName: 'doc-load', instrumentations: { documentLoad: true } });
    await flushUntil(page, loaded('doc-load'), 'documentLoad arrived');
    const spans = mine('doc-load');
    const doc = spans.find((s) => s.name === 'documentLoad')!;
    // startBrowserTracing's resource names the SDK and its language (https://opentelemetry.io/docs/specs/semconv/resource/#telemetry-sdk).
    expect(doc.resource).toMatchObject({ 'telemetry.sdk.name': 'tracelet', 'telemetry.sdk.language': 'webjs' });
    expect(doc.scope).toEqual({ name: 'tracelet.browser', version });
    expect(doc.events!.map((e) => e.name)).toEqual(expect.arrayContaining(['fetchStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd']));
    const fetchSpan = spans.find((s) => s.name === 'documentFetch')!;
    expect(fetchSpan.parentSpanId).toBe(doc.spanId);
    expect(fetchSpan.attributesMap['http.response.status_code']).toBe(200);
    const resources = spans.filter((s) => s.name === 'resourceFetch');
    // The module scripts the page loaded: app.mjs and tracelet's own dist/dev/browser.js (the development build).
    expect(resources.map((s) => String(s.attributesMap['url.full']))).toEqual(expect.arrayContaining([expect.stringContaining('/test/browser/pages/app.mjs'), expect.stringContaining('/dist/dev/browser.js')]));
    for (const r of resources) expect(r.parentSpanId).toBe(doc.spanId);
    // Same-origin resources report their sizes and protocol (the page is served over HTTP/1.1).
    const app = resources.find((s) => String(s.attributesMap['url.full']).includes('/test/browser/pages/app.mjs'))!;
    expect(app.attributesMap['http.response.body.size']).toBeGreaterThan(0);
    expect(app.attributesMap['network.protocol.name']).toBe('http');
    await page.close();
  });

  it('leaves out fetches, ignored URLs and the collector, and redacts url.full (page and resources)', async () => {
    const page = await h.browser.newPage();
    await page.addInitScript(() => {
      void fetch('/api/echo?early-fetch'); // a fetch before load: its own CLIENT span, not a resourceFetch child
      document.addEventListener('DOMContentLoaded', () => {
        const img = document.createElement('img');
        img.src = '/api/wasm?as-image&sig=s3cret';
        document.body.append(img);
      });
    });
    await h.openApp({ serviceName: 'doc-policy', ignoreUrlsRegExp: 'app\\.mjs', instrumentations: { documentLoad: true } }, page, 'app', '&sig=page-secret');
    await page.click('#buy');
    await flushUntil(page, loaded('doc-policy'), 'documentLoad arrived');
    const spans = mine('doc-policy');
    const urls = spans.filter((s) => s.name === 'resourceFetch').map((s) => String(s.attributesMap['url.full']));
    expect(urls.some((u) => u.includes('/dist/dev/browser.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('app.mjs') || u.includes('early-fetch') || u.includes('/v1/traces'))).toEqual([]);
    expect(urls).toContain(`${h.site.url}/api/wasm?as-image&sig=REDACTED`);
    const doc = spans.find((s) => s.name === 'documentLoad')!;
    expect(String(doc.attributesMap['url.full'])).toContain('sig=REDACTED');
    expect(JSON.stringify(spans.map((s) => s.attributesMap))).not.toContain('secret');
    await page.close();
  });

  it('resource timing after load is opt-in and sampled', async () => {
    const page = await h.openApp({ serviceName: 'late-res', instrumentations: { resourceTiming: { sampleRate: 1 } } });
    // Loaded: resource timing starts observing in the load event, before readyState is seen complete from here.
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/api/wasm?as-image';
      document.body.append(img);
    });
    await flushUntil(page, () => mine('late-res').some((s) => s.name === 'resourceFetch'), 'the late resource span arrived');
    const late = mine('late-res').filter((s) => s.name === 'resourceFetch');
    expect(late.map((s) => s.attributesMap['url.full'])).toEqual([`${h.site.url}/api/wasm?as-image`]);
    expect(late[0]!.attributesMap['browser.resource.initiator_type']).toBe('img');
    expect(late[0]!.attributesMap['http.response.decoded_body.size']).toBeGreaterThan(0);
    expect(late[0]!.attributesMap['network.protocol.name']).toBe('http');
    await page.close();
  });

  it('joins the server trace given by Server-Timing: traceparent on the document response', async () => {
    const page = await h.openApp({ serviceName: 'doc-st', instrumentations: { documentLoad: true } }, undefined, 'app', `&server-timing=${TP}`);
    await flushUntil(page, loaded('doc-st'), 'documentLoad arrived');
    const doc = mine('doc-st').find((s) => s.name === 'documentLoad')!;
    expect(doc.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(doc.parentSpanId).toBe('00f067aa0ba902b7');
    await page.close();
  });

  it('with several Server-Timing traceparent entries, the first valid one is the parent', async () => {
    const page = await h.openApp({ serviceName: 'doc-st-2', instrumentations: { documentLoad: true } }, undefined, 'app', `&server-timing=not-a-traceparent|${TP}`);
    await flushUntil(page, loaded('doc-st-2'), 'documentLoad arrived');
    const doc = mine('doc-st-2').find((s) => s.name === 'documentLoad')!;
    expect([doc.traceId, doc.parentSpanId]).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7']);
    await page.close();
  });

  it('records LCP, FCP, TTFB, CLS and INP once each, with attribution derived from the standard build, delivered when the page is hidden', async () => {
    const page = await h.openApp({ serviceName: 'vitals', instrumentations: { webVitals: true } }, undefined, 'app-content');
    // A layout shift after load, and a slow interaction for INP; leaving hides the page: web-vitals reports, tracelet sends.
    await vitalsInteraction(page, h.site.url);
    await h.collector.waitForSpans(() => ['LCP', 'FCP', 'TTFB', 'CLS', 'INP'].every((n) => mine('vitals').some((s) => s.name === n)), { timeoutMs: 15_000 });
    const spans = mine('vitals');
    for (const name of ['LCP', 'FCP', 'TTFB', 'CLS', 'INP']) {
      const found = spans.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      expect(found[0]!.attributesMap['browser.web_vital.name']).toBe(name.toLowerCase()); // the registry's values are lower case
      expect(['good', 'needs-improvement', 'poor']).toContain(found[0]!.attributesMap['browser.web_vital.rating']);
      expect(typeof found[0]!.attributesMap['browser.web_vital.value']).toBe('number');
    }
    const inp = spans.find((s) => s.name === 'INP')!;
    expect(String(inp.attributesMap['browser.web_vital.attribution.interaction_target'])).toContain('buy');
    expect(Number(inp.attributesMap['browser.web_vital.value'])).toBeGreaterThanOrEqual(50);
    expect(spans.find((s) => s.name === 'LCP')!.attributesMap['browser.web_vital.attribution.element']).toBeDefined();

    // The attribution, derived from the standard build's entries: each metric split into parts that add up to it, and what caused it.
    const [lcpV, inpV, clsV, fcpV, ttfbV] = VITALS.map((name) => vital(spans.find((s) => s.name === name)!));
    const [lcp, inpA, cls, fcp, ttfb] = [lcpV!.attribution, inpV!.attribution, clsV!.attribution, fcpV!.attribution, ttfbV!.attribution];
    // Only what the default computes (the attribution build adds more, e.g. load_state).
    expect(Object.keys(lcp).sort()).toEqual(['element', 'element_render_delay', 'resource_load_delay', 'resource_load_duration', 'time_to_first_byte']);
    expect(Object.keys(inpA).sort()).toEqual(['input_delay', 'interaction_target', 'interaction_type', 'presentation_delay', 'processing_duration']);
    expect(Object.keys(cls).sort()).toEqual(['largest_shift_target', 'largest_shift_value']);
    expect(Object.keys(fcp).sort()).toEqual(['first_byte_to_fcp', 'time_to_first_byte']);
    expect(Object.keys(ttfb).sort()).toEqual(['cache_duration', 'connection_duration', 'dns_duration', 'request_duration', 'waiting_duration']);
    const splits: [typeof lcpV, string[]][] = [
      [lcpV, ['time_to_first_byte', 'resource_load_delay', 'resource_load_duration', 'element_render_delay']],
      [inpV, ['input_delay', 'processing_duration', 'presentation_delay']],
      [fcpV, ['time_to_first_byte', 'first_byte_to_fcp']],
      [ttfbV, ['waiting_duration', 'cache_duration', 'dns_duration', 'connection_duration', 'request_duration']],
    ];
    for (const [metric, keys] of splits) {
      const parts = keys.map((k) => metric!.attribution[k] as number);
      for (const part of parts) expect(part, `${metric!.name} parts`).toBeGreaterThanOrEqual(0);
      expect(Math.abs(parts.reduce((a, b) => a + b, 0) - metric!.value), `${metric!.name} parts add up`).toBeLessThan(1);
    }
    // The document's first byte is the same moment in TTFB, FCP and LCP.
    expect(fcp.time_to_first_byte).toBeCloseTo(ttfbV!.value, 3);
    expect(lcp.time_to_first_byte).toBeCloseTo(ttfbV!.value, 3);
    // The LCP is text (the hero is a CSS gradient, not an image): no resource to load.
    expect(['h1#headline', 'p#text']).toContain(lcp.element);
    expect([lcp.resource_load_delay, lcp.resource_load_duration]).toEqual([0, 0]);
    // The slow click: its 60 ms handler is processing time.
    expect(inpA.interaction_target).toBe('button#buy');
    expect(inpA.interaction_type).toBe('pointer');
    expect(inpA.processing_duration).toBeGreaterThanOrEqual(60);
    // #top grew: what it moved, by a share of the CLS (the body too: the headline's top margin no longer collapses through the empty #top into it).
    expect(['html > body', 'h1#headline', 'div#hero', 'p#text', 'button#buy']).toContain(cls.largest_shift_target);
    expect(cls.largest_shift_value).toBeGreaterThan(0);
    expect(cls.largest_shift_value).toBeLessThanOrEqual(clsV!.value);
  });

  it('a page hidden, shown again and hidden again still records each vital once', async () => {
    const page = await h.openApp({ serviceName: 'vitals-twice', instrumentations: { webVitals: true } }, undefined, 'app-content');
    // Hide and show the tab the way the browser does: the visibility state changes, then visibilitychange
    // fires. Showing removes the override, so the real hide at the end is seen as it is.
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((s) => {
        if (s === 'hidden') Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
        else delete (document as { visibilityState?: unknown }).visibilityState;
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    // A slow click, resolved once the browser timed it (its Event Timing entry: what INP is computed from).
    const slowClick = async (ms: number) => {
      await page.evaluate((busy) => {
        document.getElementById('buy')!.onclick = () => {
          const until = performance.now() + busy;
          while (performance.now() < until) {
            /* a slow event handler */
          }
        };
      }, ms);
      await timedClick(page, '#buy');
    };
    await painted(page);
    await shiftTop(page, 40);
    await slowClick(60);
    await setVisibility('hidden'); // web-vitals reports CLS here, tracelet sends
    await h.collector.waitForSpans(() => mine('vitals-twice').some((s) => s.name === 'CLS'), { timeoutMs: 15_000 });
    await setVisibility('visible');
    // real timer: a new layout-shift session window starts after a 1 s gap between shifts, measured on the browser's
    // own entry timestamps, which Playwright's clock does not move.
    await page.waitForTimeout(1500);
    await shiftTop(page, 400); // a larger shift and a slower interaction: web-vitals reports CLS again on the next hide
    await slowClick(250);
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    await h.collector.waitForSpans(() => mine('vitals-twice').some((s) => s.name === 'INP'), { timeoutMs: 15_000 });
    // absence window: the page is gone, so no later request of its own can be ordered after a second report of a
    // vital (in a request of its own, sent at the first hide or as the page went).
    await page.waitForTimeout(500);
    const count = (name: string) => mine('vitals-twice').filter((s) => s.name === name).length;
    expect({ CLS: count('CLS'), INP: count('INP'), LCP: count('LCP'), FCP: count('FCP'), TTFB: count('TTFB') }).toEqual({ CLS: 1, INP: 1, LCP: 1, FCP: 1, TTFB: 1 });
  });
});
