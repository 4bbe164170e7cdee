import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type T = { t: { flush(): Promise<void> } };
const flush = (page: import('playwright-core').Page) => page.evaluate(() => (window as unknown as T).t.flush());
const mine = (service: string) => h.collector.spans().filter((s) => s.resource['service.name'] === service);

describe('browser RUM (real Chromium)', () => {
  it('a click span named for its target parents the fetch its handler starts', async () => {
    const page = await h.openApp({ serviceName: 'rum-click' });
    await page.evaluate(() => document.getElementById('buy')!.addEventListener('click', () => void fetch('/api/echo?from-click-handler')));
    await page.click('#buy');
    await page.waitForTimeout(300);
    await flush(page);
    await h.collector.waitForSpans(() => mine('rum-click').some((s) => s.kind === 3));
    const spans = mine('rum-click');
    const click = spans.find((s) => s.name === 'click button#buy')!;
    const request = spans.find((s) => s.kind === 3)!;
    expect(click.attributesMap).toMatchObject({ 'browser.event.type': 'click', 'browser.event.target': 'button#buy' });
    expect(request.parentSpanId).toBe(click.spanId);
    await page.close();
  });

  it('errors and unhandled rejections are recorded once each, with type, message and stack', async () => {
    const page = await h.openApp({ serviceName: 'rum-errors' });
    await page.evaluate(() => {
      const boom = () => {
        throw new RangeError('out of range');
      };
      setTimeout(boom, 0);
      setTimeout(boom, 0); // the same error again: deduplicated
      void Promise.reject(new TypeError('nobody caught me'));
    });
    await page.waitForTimeout(200);
    await flush(page);
    await h.collector.waitForSpans(() => mine('rum-errors').filter((s) => s.name === 'exception').length >= 2);
    const errors = mine('rum-errors').filter((s) => s.name === 'exception');
    expect(errors).toHaveLength(2);
    const attrs = (s: (typeof errors)[number]) =>
      Object.fromEntries((s.events![0]!.attributes as { key: string; value: { stringValue?: string } }[]).map((a) => [a.key, a.value.stringValue]));
    const range = errors.find((s) => attrs(s)['exception.type'] === 'RangeError')!;
    expect(attrs(range)['exception.message']).toBe('out of range');
    expect(attrs(range)['exception.stacktrace']).toContain('boom');
    expect(range.status?.code).toBe(2);
    expect(errors.find((s) => s.attributesMap['exception.source'] === 'unhandledrejection')).toBeDefined();
    await page.close();
  });

  it('session.id is on every span and survives a reload; the page view id does not', async () => {
    const context = await h.browser.newContext();
    const page = await h.openApp({ serviceName: 'rum-session' }, await context.newPage());
    await page.evaluate(() => fetch('/api/echo?s1').then((r) => r.text()));
    await flush(page);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    await page.evaluate(() => fetch('/api/echo?s2').then((r) => r.text()));
    await flush(page);
    await h.collector.waitForSpans(() => mine('rum-session').filter((s) => s.kind === 3).length >= 2);
    const spans = mine('rum-session').filter((s) => s.kind === 3);
    const [a, b] = spans.map((s) => s.attributesMap);
    expect(a!['session.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(b!['session.id']).toBe(a!['session.id']);
    expect(b!['browser.page_view.id']).not.toBe(a!['browser.page_view.id']);
    await context.close();
  });

  it('a corrupt stored session is replaced; two tabs agree on a session one of them renewed', async () => {
    const context = await h.browser.newContext();
    const config = { serviceName: 'rum-session-2', instrumentations: { session: { inactivityMs: 3000 } } };
    const a = await context.newPage();
    await a.goto(`${h.site.url}/test/browser/pages/blank.html`);
    // A stored value that is not a session (an old format, another script's data): never kept forever.
    await a.evaluate(() => localStorage.setItem('tracelet:session', JSON.stringify({ id: 'x', start: 'soon' })));
    await h.openApp(config, a);
    const sessionOf = async (page: import('playwright-core').Page, tag: string) => {
      await page.evaluate((t) => fetch(`/api/echo?${t}`).then((r) => r.text()), tag);
      await flush(page);
      await h.collector.waitForSpans(() => mine('rum-session-2').some((s) => String(s.attributesMap['url.full']).endsWith(`?${tag}`)));
      return mine('rum-session-2').find((s) => String(s.attributesMap['url.full']).endsWith(`?${tag}`))!.attributesMap['session.id'];
    };
    const first = await sessionOf(a, 'a1');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    const b = await h.openApp(config, await context.newPage());
    expect(await sessionOf(b, 'b1')).toBe(first);
    await a.waitForTimeout(3300); // both idle past the inactivity limit
    const renewed = await sessionOf(b, 'b2'); // tab b starts a new session
    expect(renewed).not.toBe(first);
    expect(await sessionOf(a, 'a2')).toBe(renewed); // tab a takes it rather than making a third
    await context.close();
  });

  it('SPA route changes make navigation spans that parent the fetches started during them', async () => {
    const page = await h.openApp({ serviceName: 'rum-nav' });
    await page.evaluate(() => {
      history.pushState({}, '', '/products/42');
      void fetch('/api/echo?route-data');
    });
    await page.evaluate(() => {
      location.hash = '#reviews';
    });
    await page.evaluate(() => history.go(-2)); // back to the page itself: a path change
    await page.waitForTimeout(1200);
    await flush(page);
    await h.collector.waitForSpans(() => mine('rum-nav').filter((s) => s.name === 'navigation').length >= 3);
    const spans = mine('rum-nav');
    const navs = spans.filter((s) => s.name === 'navigation');
    const push = navs.find((s) => s.attributesMap['browser.navigation.type'] === 'pushState')!;
    expect(String(push.attributesMap['url.full'])).toMatch(/\/products\/42$/);
    expect(String(push.attributesMap['browser.navigation.previous_url'])).toContain('/test/browser/pages/app.html');
    expect(navs.map((s) => s.attributesMap['browser.navigation.type'])).toEqual(['pushState', 'hashchange', 'popstate']);
    const request = spans.find((s) => String(s.attributesMap['url.full']).endsWith('route-data'))!;
    expect(request.parentSpanId).toBe(push.spanId);
    await page.close();
  });

  it('a same-URL replaceState (a router saving scroll state, as Vue Router does before each push) is no route change', async () => {
    const page = await h.openApp({ serviceName: 'rum-nav-same-url', instrumentations: { navigation: { settleMs: 300 } } });
    await page.evaluate(() => {
      history.replaceState({ scroll: 120 }, '', location.href); // save state on the current entry
      history.pushState({}, '', '/cart');
      void fetch('/api/echo?cart-data');
    });
    await page.waitForTimeout(600);
    await flush(page);
    await h.collector.waitForSpans(() => mine('rum-nav-same-url').some((s) => String(s.attributesMap['url.full']).endsWith('cart-data')));
    const spans = mine('rum-nav-same-url');
    const navs = spans.filter((s) => s.name === 'navigation');
    expect(navs.map((s) => s.attributesMap['browser.navigation.type'])).toEqual(['pushState']);
    const request = spans.find((s) => String(s.attributesMap['url.full']).endsWith('cart-data'))!;
    expect(request.parentSpanId).toBe(navs[0]!.spanId);
    await page.close();
  });
});
