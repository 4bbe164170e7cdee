import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
/** Flushes until `done()` holds: a span that has not ended yet (a request still running, a route change still settling) goes out with a later flush. */
const flushUntil = (page: Page, done: () => boolean, what: string) =>
  expect.poll(async () => (await flush(page), done()), { timeout: 10_000, message: `flushed until ${what}` }).toBe(true);

describe('browser RUM (real Chromium)', () => {
  it('a click span named for its target parents the fetch its handler starts', async () => {
    const page = await h.openApp({ serviceName: 'rum-click' });
    await page.evaluate(() => document.getElementById('buy')!.addEventListener('click', () => void fetch('/api/echo?from-click-handler')));
    await page.click('#buy');
    // The click span ends a task after its listeners, before the request it started can end.
    await flushUntil(page, () => mine('rum-click').some((s) => s.kind === 3), 'the request span arrived');
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
      // Ordering, not time: a timer of the same delay set after both runs after them, so an exception span
      // for the second (ended as the error is reported) is queued before any flush below.
      return new Promise((resolve) => setTimeout(resolve, 0));
    });
    await flushUntil(page, () => mine('rum-errors').filter((s) => s.name === 'exception').length >= 2, 'two exception spans arrived');
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
    // Both idle past the inactivity limit, which the session reads from Date.now: Playwright's clock jumps it in
    // every page of the context. Installed only now, once both pages loaded: it replaces `performance` too (its
    // getEntries are empty), and openApp reads the resource entries to check which build the page loaded.
    await context.clock.install();
    await context.clock.fastForward(3300);
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
    // Back to the page itself: a path change. The traversal is asynchronous: its popstate comes later.
    await page.evaluate(() => new Promise((resolve) => (addEventListener('popstate', resolve, { once: true }), history.go(-2))));
    // Sentinel: a route change after the traversal's events, so a span the traversal made besides popstate's comes before it.
    await page.evaluate(() => history.pushState({}, '', '/sentinel'));
    // The sentinel's span ends when it settles (1 s).
    await flushUntil(page, () => mine('rum-nav').filter((s) => s.name === 'navigation').length >= 4, 'four navigation spans arrived');
    const spans = mine('rum-nav');
    const navs = spans.filter((s) => s.name === 'navigation');
    // The sentinel's comes last (it ends last); the traversal's are before it.
    expect(String(navs.pop()!.attributesMap['url.full'])).toMatch(/\/sentinel$/);
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
    // A span of the replaceState (made first) would have ended when the pushState's began, so it goes out no later.
    const arrived = () => mine('rum-nav-same-url').some((s) => String(s.attributesMap['url.full']).endsWith('cart-data')) && mine('rum-nav-same-url').some((s) => s.name === 'navigation');
    await flushUntil(page, arrived, 'the request and navigation spans arrived');
    const spans = mine('rum-nav-same-url');
    const navs = spans.filter((s) => s.name === 'navigation');
    expect(navs.map((s) => s.attributesMap['browser.navigation.type'])).toEqual(['pushState']);
    const request = spans.find((s) => String(s.attributesMap['url.full']).endsWith('cart-data'))!;
    expect(request.parentSpanId).toBe(navs[0]!.spanId);
    await page.close();
  });
});
