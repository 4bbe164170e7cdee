import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './support/harness.js';

// Checked where it matters: at the receiving servers.
let h: Harness;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  page = await h.openApp({ propagateTo: [h.api.url], ignoreUrlsRegExp: '/api/echo\\?ignored' });
});
afterAll(async () => {
  await h?.close();
});

const TP = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/;

async function call(url: string, via: 'fetch' | 'xhr' = 'fetch') {
  await page.evaluate(
    ([u, v]): Promise<unknown> =>
      v === 'fetch'
        ? fetch(u).then((r) => r.text())
        : new Promise<void>((resolve) => {
            const x = new XMLHttpRequest();
            x.open('GET', u);
            x.onloadend = () => resolve();
            x.send();
          }),
    [url, via] as const,
  );
}

describe('trace headers', () => {
  for (const via of ['fetch', 'xhr'] as const) {
    it(`${via}: same-origin requests get traceparent`, async () => {
      await call(`${h.site.url}/api/echo?same-${via}`, via);
      const seen = h.site.seen.find((r) => r.path === `/api/echo?same-${via}`)!;
      expect(seen.headers.traceparent).toMatch(TP);
    });

    it(`${via}: an allow-listed cross-origin URL gets traceparent`, async () => {
      await call(`${h.api.url}/api/echo?allowed-${via}`, via);
      const seen = h.api.seen.find((r) => r.path === `/api/echo?allowed-${via}`)!;
      expect(seen.headers.traceparent).toMatch(TP);
    });

    it(`${via}: a cross-origin URL that is not allow-listed gets no trace header at all`, async () => {
      await call(`${h.other.url}/api/echo?other-${via}`, via);
      const seen = h.other.seen.find((r) => r.path === `/api/echo?other-${via}`)!;
      expect(seen.headers.traceparent).toBeUndefined();
      expect(seen.headers.tracestate).toBeUndefined();
      expect(seen.headers.baggage).toBeUndefined();
    });
  }

  it('only the enabled propagators write headers (b3 only: no traceparent)', async () => {
    const p2 = await h.openApp({ propagators: 'b3' });
    await p2.evaluate((u) => fetch(u).then((r) => r.text()), `${h.site.url}/api/echo?b3-only`);
    const seen = h.site.seen.find((r) => r.path === '/api/echo?b3-only')!;
    expect(seen.headers.b3).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
    expect(seen.headers.traceparent).toBeUndefined();
    await p2.close();
  });

  it('an instrumentation turned off adds neither span nor header', async () => {
    h.collector.clear();
    const p2 = await h.openApp({ serviceName: 'fetch-off', instrumentations: { fetch: false } });
    await p2.evaluate(async (u) => {
      await fetch(u + '?fetch-off').then((r) => r.text());
      await new Promise<void>((resolve) => {
        const x = new XMLHttpRequest();
        x.open('GET', u + '?xhr-on');
        x.onloadend = () => resolve();
        x.send();
      });
    }, `${h.site.url}/api/echo`);
    expect(h.site.seen.find((r) => r.path === '/api/echo?fetch-off')!.headers.traceparent).toBeUndefined();
    expect(h.site.seen.find((r) => r.path === '/api/echo?xhr-on')!.headers.traceparent).toMatch(TP);
    const mine = <S extends { resource: Record<string, unknown> }>(all: S[]) => all.filter((s) => s.resource['service.name'] === 'fetch-off');
    // The XHR is the sentinel: a span of the fetch, finished before the XHR began, would have ended no later than
    // the XHR's, so it goes out no later. Flushed until the XHR's arrived.
    const flush = () => p2.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    await expect.poll(async () => (await flush(), mine(h.collector.spans()).some((s) => String(s.attributesMap['url.full']).endsWith('?xhr-on'))), { timeout: 10_000, message: 'flushed until the XHR span arrived' }).toBe(true);
    const spans = mine(h.collector.spans());
    expect(mine(h.collector.spans()).map((s) => s.attributesMap['url.full'])).toEqual([`${h.site.url}/api/echo?xhr-on`]);
    expect(spans).toHaveLength(1);
    await p2.close();
  });

  it('baggage is not sent by default (an opt-in import); with the baggage propagator, baggage set on the active context travels with the request', async () => {
    const ask = (p: import('playwright-core').Page, u: string) =>
      p.evaluate(async (u) => {
        const tl = (window as unknown as { tracelet: typeof import('../../src/browser.js') }).tracelet;
        const ctx = tl.propagation.setBaggage(tl.context.active(), tl.createBaggage({ 'user.tier': 'gold plus' }));
        await tl.context.with(ctx, () => fetch(u)).then((r) => r.text());
      }, u);
    await ask(page, `${h.site.url}/api/echo?default-no-baggage`);
    const plain = h.site.seen.find((r) => r.path === '/api/echo?default-no-baggage')!.headers;
    expect(plain.traceparent).toMatch(/^00-/);
    expect(plain.baggage).toBeUndefined();
    const withBaggage = await h.openApp({ propagators: 'tracecontext,baggage' });
    await ask(withBaggage, `${h.site.url}/api/echo?with-baggage`);
    expect(h.site.seen.find((r) => r.path === '/api/echo?with-baggage')!.headers.baggage).toBe('user.tier=gold%20plus');
    await withBaggage.close();
  });

  it('a prefix string never matches a look-alike host', async () => {
    const p2 = await h.openApp({ propagateTo: ['http://127.0.0.1'] });
    await p2.evaluate((u) => fetch(u).then((r) => r.text()), `${h.other.url}/api/echo?lookalike`);
    // "http://127.0.0.1" is followed by ":port", not a path boundary: no match.
    expect(h.other.seen.find((r) => r.path === '/api/echo?lookalike')!.headers.traceparent).toBeUndefined();
    await p2.close();
  });

  it('the collector never receives trace headers and export requests are never traced', async () => {
    h.collector.clear();
    await call(`${h.site.url}/api/echo?before-flush`);
    await page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    await h.collector.waitForSpans(1);
    for (const r of h.collector.requests()) expect(r.headers.traceparent).toBeUndefined();
    // A second flush would export a span for the first export if it were traced.
    await page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    const names = h.collector.spans().map((s) => s.attributesMap['url.full']);
    expect(names.filter((u) => String(u).startsWith(h.collector.url))).toEqual([]);
  });

  it('ignoreUrls get neither a span nor headers', async () => {
    h.collector.clear();
    await call(`${h.site.url}/api/echo?ignored`);
    await call(`${h.site.url}/api/echo?not-ignored`);
    await page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    const relevant = (all: { attributesMap: Record<string, unknown> }[]) => all.map((s) => String(s.attributesMap['url.full'])).filter((u) => u.includes('ignored'));
    await h.collector.waitForSpans((all) => relevant(all).length >= 1);
    expect(h.site.seen.find((r) => r.path === '/api/echo?ignored')!.headers.traceparent).toBeUndefined();
    expect(relevant(h.collector.spans())).toEqual([`${h.site.url}/api/echo?not-ignored`]);
  });

  it('the injected traceparent names the CLIENT span of the request', async () => {
    h.collector.clear();
    await call(`${h.site.url}/api/echo?parentage`);
    await page.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    const [span] = await h.collector.waitForSpans(1);
    const tp = String(h.site.seen.find((r) => r.path === '/api/echo?parentage')!.headers.traceparent);
    expect(tp).toBe(`00-${span!.traceId}-${span!.spanId}-03`);
  });
});
