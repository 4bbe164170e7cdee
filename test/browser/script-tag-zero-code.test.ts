import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BUILDS, isDiagnostic, startHarness, type Build, type Harness } from './support/harness.js';

// Scopes tracelet names carry its version (package.json's).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// waitForFunction evaluates code with eval, which the strict CSP (rightly) blocks: poll from here.
async function waitForTracelet(page: Page): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await page.evaluate(() => typeof (window as unknown as { tracelet?: { flush?: unknown } }).tracelet?.flush === 'function')) return;
    await page.waitForTimeout(50);
  }
  throw new Error('window.tracelet never started');
}

/** Clicks the page's buy button (its handler fetches /api/echo?buy), lets the request finish, and flushes. */
async function buyAndFlush(page: Page): Promise<void> {
  await page.click('#buy');
  await page.waitForTimeout(300);
  await page.evaluate(() => (window as unknown as { tracelet: { flush(): Promise<void> } }).tracelet.flush());
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('the script tag (dist/tracelet.min.js), zero code, strict CSP', () => {
  it('produces documentLoad, web vitals, a click parenting a fetch, an error and a navigation, all in one session that survives a reload', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('checkout exploded')) consoleErrors.push(m.text());
    });
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const url = `${h.site.url}/script-tag.html?service=zero-code&endpoint=${encodeURIComponent(h.collector.tracesUrl)}`;
    await page.goto(url);
    await waitForTracelet(page);
    await page.waitForTimeout(300);
    await page.click('#buy');
    await page.click('#broken');
    await page.click('#to-cart');
    await page.waitForTimeout(500);
    await page.goto(url); // a new load (the URL is /cart now): vitals and queued spans go out, the session stays
    await waitForTracelet(page);
    await page.evaluate(() => (window as unknown as { tracelet: { flush(): Promise<void> } }).tracelet.flush());
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === 'zero-code');
    await h.collector.waitForSpans(() => mine().filter((s) => s.name === 'documentLoad').length >= 2 && mine().some((s) => s.name === 'INP'), { timeoutMs: 20_000 });
    const spans = mine();
    const names = new Set(spans.map((s) => s.name));
    for (const n of ['documentLoad', 'resourceFetch', 'LCP', 'FCP', 'TTFB', 'CLS', 'INP', 'click button#buy', 'exception', 'navigation']) expect(names, n).toContain(n);
    const click = spans.find((s) => s.name === 'click button#buy')!;
    const buy = spans.find((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))!;
    expect(buy.parentSpanId).toBe(click.spanId);
    expect(click.resource).toMatchObject({ 'telemetry.sdk.name': 'tracelet', 'telemetry.sdk.language': 'webjs' });
    expect(click.scope).toEqual({ name: 'tracelet.browser', version });
    const sessions = new Set(spans.map((s) => s.attributesMap['session.id']));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toMatch(/^[0-9a-f]{32}$/);
    // The pre-load queue was honoured: user.id on the spans made after start.
    expect(click.attributesMap['user.id']).toBe('user-42');
    // ... and the same snippet run after the script loaded calls at once (it used to throw).
    expect(click.attributesMap['app.snippet']).toBe('after-load');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('included twice (a tag manager and the page), the second copy does nothing: one span per request, no page error', async () => {
    const page = await h.browser.newPage();
    const warnings: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${h.site.url}/script-tag.html?service=twice&twice=1&endpoint=${encodeURIComponent(h.collector.tracesUrl)}`);
    await waitForTracelet(page);
    await buyAndFlush(page);
    const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === 'twice');
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')));
    await page.waitForTimeout(300);
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(1);
    expect(mine().filter((s) => s.name === 'click button#buy')).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    expect(warnings.some((w) => w.includes('included more than once'))).toBe(true);
    await page.close();
  });
});

/** Flushes window.tracelet (the page's batch goes to export now). */
const flush = (page: Page) => page.evaluate(() => (window as unknown as { tracelet: { flush(): Promise<void> } }).tracelet.flush());

/** The script-tag page's query for a build: the development tag (tracelet.dev.js) unless `prod` (tracelet.min.js). */
const tagBuild = (build: Build): Record<string, string> => (build === 'prod' ? { build: 'prod' } : {});

/**
 * The zero-code page (tag of `build`) under `connect-src 'self'`, which leaves out the collector, in a context of its own
 * (its localStorage). `refused()` counts the violations naming the collector, `stored()` is what
 * waits in localStorage, `hide()` / `show()` make the tab hidden or visible again (it stays alive).
 */
async function openRefusingPage(service: string, build: Build) {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(e.blockedURI));
  });
  await page.goto(`${h.site.url}/script-tag.html?${new URLSearchParams({ service, endpoint: h.collector.tracesUrl, 'connect-self': '1', ...tagBuild(build) })}`);
  await waitForTracelet(page);
  const visibility = (state: string) =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  return {
    page,
    log,
    violations,
    refused: () => violations.filter((v) => v.startsWith(h.collector.tracesUrl)).length,
    // The request bodies kept for a later load (one storage item each), one after another.
    stored: () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tracelet:undelivered:')).map((k) => localStorage.getItem(k)!).join('\n')),
    hide: () => visibility('hidden'),
    show: () => visibility('visible'),
  };
}

/** Loads the page (tag of `build`) again without the refusing connect-src: the fetch spans for `queries` reach the collector, each once, and nothing stays stored. */
async function arriveOnceWithAllowingLoad(page: Page, service: string, queries: string[], build: Build) {
  await page.goto(`${h.site.url}/script-tag.html?${new URLSearchParams({ service, endpoint: h.collector.tracesUrl, ...tagBuild(build) })}`);
  await waitForTracelet(page);
  const sent = (q: string) => h.collector.spans().filter((s) => s.resource['service.name'] === service && String(s.attributesMap['url.full']).endsWith(`/api/echo?${q}`));
  await h.collector.waitForSpans(() => queries.every((q) => sent(q).length > 0), { timeoutMs: 10_000 }).catch(() => {});
  await page.waitForTimeout(300);
  for (const q of queries) expect(sent(q), q).toHaveLength(1);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tracelet:undelivered:')))).toEqual([]);
  await page.context().close();
}

/** The zero-code page with the tag's `data-*` attributes and page scripts of a test's choosing. */
async function openTagPage(service: string, query: Record<string, string> = {}) {
  const page = await h.browser.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const params = new URLSearchParams({ service, endpoint: h.collector.tracesUrl, ...query });
  await page.goto(`${h.site.url}/script-tag.html?${params}`);
  const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === service);
  return { page, log, mine };
}

describe('the script tag on odd pages', () => {
  it('a page with Prototype.js-style Array.prototype.toJSON: spans still reach the collector, the session survives a reload, the page sees its own JSON', async () => {
    const { page, log, mine } = await openTagPage('prototype-json', { before: 'prototype-js-json' });
    await waitForTracelet(page);
    await buyAndFlush(page);
    await page.reload();
    await waitForTracelet(page);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')).length >= 2, { timeoutMs: 10_000 }).catch(() => {});
    const buys = mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'));
    expect(log.filter((l) => l.includes('400')), 'the collector rejected nothing').toEqual([]);
    expect(buys).toHaveLength(2);
    expect(buys[0]!.attributesMap['session.id']).toBe(buys[1]!.attributesMap['session.id']);
    // What the page's own code sees is unchanged: its toJSON still applies.
    expect(await page.evaluate(() => [(window as unknown as { pageSaw: string }).pageSaw, JSON.stringify({ list: ['a'] })])).toEqual(['{"list":"[\\"a\\"]"}', '{"list":"[\\"a\\"]"}']);
    await page.close();
  });

  it('loaded as type="module" (no document.currentScript): it still reads its own data-* attributes', async () => {
    const { page, log, mine } = await openTagPage('module-tag', { module: '1' });
    await waitForTracelet(page);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), { timeoutMs: 5_000 }).catch(() => {});
    expect(log.filter((l) => l.includes('localhost:4318'))).toEqual([]);
    const buy = mine().find((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'));
    expect(buy?.attributesMap['user.id']).toBe('user-42');
    await page.close();
  });

  it('without data-endpoint it says once where it sends, and does not throw', async () => {
    const { page, log } = await openTagPage('no-endpoint', { endpoint: '' });
    await waitForTracelet(page);
    expect(log.filter((l) => l.startsWith('warning: [tracelet]') && l.includes('data-endpoint'))).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });

  it('refused to start (a data-endpoint that is no http(s) URL): one "not started" error, and window.tracelet does nothing, so the page\'s own calls never throw', async () => {
    const { page, log } = await openTagPage('refused', { endpoint: 'ftp://collector.example/v1/traces' });
    // Page code as the README shows it, each call on its own so a failure names the call.
    const outcome = await page.evaluate(async () => {
      interface PageSpan {
        setAttribute(key: string, value: unknown): void;
        addEvent(name: string): void;
        end(): void;
        isRecording(): boolean;
      }
      const t = (window as unknown as {
        tracelet: {
          setUser(id: string): void;
          setAttributes(attributes: object): void;
          tracer: { startSpan(name: string, options?: object): PageSpan; startActiveSpan(name: string, fn: (span: PageSpan) => string): string };
          withSpan(span: PageSpan, fn: () => string): string;
          bind(fn: () => string): () => string;
          q: { push(call: unknown[]): void };
          flush(): Promise<void>;
          shutdown(): Promise<void>;
        };
      }).tracelet;
      const thrown: string[] = [];
      const results: Record<string, unknown> = {};
      const call = async (name: string, fn: () => unknown) => {
        try {
          results[name] = await fn();
        } catch (error) {
          thrown.push(`${name}: ${String(error)}`);
        }
      };
      await call('setUser', () => t.setUser('u1'));
      await call('setAttributes', () => t.setAttributes({ 'app.plan': 'pro' }));
      await call('startSpan', () => {
        const span = t.tracer.startSpan('manual', { attributes: { 'cart.items': 3 } });
        span.setAttribute('a', 1);
        span.addEvent('e');
        span.end();
        return span.isRecording();
      });
      await call('startActiveSpan', () => t.tracer.startActiveSpan('active', (span) => (span.end(), 'fn ran')));
      await call('withSpan', () => t.withSpan(t.tracer.startSpan('x'), () => 'fn ran'));
      await call('bind', () => t.bind(() => 'fn ran')());
      await call('queue', () => t.q.push(['setUser', 'u2']));
      await call('flush', () => t.flush());
      await call('shutdown', () => t.shutdown());
      return { thrown, results };
    });
    expect(outcome.thrown).toEqual([]);
    expect(outcome.results).toMatchObject({ startSpan: false, startActiveSpan: 'fn ran', withSpan: 'fn ran', bind: 'fn ran', flush: undefined, shutdown: undefined });
    const messages = log.filter((l) => l.includes('[tracelet]'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^error: \[tracelet\] not started: .*endpoint "ftp:\/\/collector\.example\/v1\/traces" must be an http: or https: URL/);
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });

  it('a data-sample-rate outside 0..1 (or no number) refuses the start as startBrowserTracing refuses sampleRate: one "not started" error naming it', async () => {
    for (const rate of ['1.5', 'half']) {
      const { page, log } = await openTagPage('bad-rate-' + rate, { data: JSON.stringify({ 'sample-rate': rate }) });
      await waitForTracelet(page);
      const messages = log.filter((l) => l.includes('[tracelet]'));
      expect(messages, rate).toEqual([`error: [tracelet] not started: tracelet: sampleRate must be a number from 0 to 1, got ${rate === 'half' ? 'NaN' : rate}`]);
      expect(log.filter((l) => l.startsWith('pageerror')), rate).toEqual([]);
      await page.close();
    }
  });

  it('an unknown name in data-instrumentations is named in a one-time warning; the known ones run', async () => {
    const { page, log, mine } = await openTagPage('bad-instrumentations', { data: JSON.stringify({ instrumentations: 'fetch, XHR documentload' }) });
    await waitForTracelet(page);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')));
    const warnings = log.filter((l) => l.startsWith('warning: [tracelet] data-instrumentations'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"XHR"');
    expect(warnings[1]).toContain('"documentload"');
    expect(warnings[0]).toContain('documentLoad');
    await page.close();
  });

  it('setUser(null) after a logout takes user.id off later spans instead of recording the user "null"', async () => {
    const { page, mine } = await openTagPage('set-user-null');
    await waitForTracelet(page);
    await page.evaluate(async () => {
      const t = (window as unknown as { tracelet: { setUser(id: unknown): void; setAttributes(a: object): void; flush(): Promise<void> } }).tracelet;
      t.setUser('user-7');
      t.setAttributes({ 'app.plan': 'pro' });
      await fetch('/api/echo?as-user');
      t.setAttributes({ 'app.plan': undefined });
      t.setUser(null);
      await fetch('/api/echo?after-null');
      t.setUser(undefined);
      await fetch('/api/echo?after-undefined');
      t.setUser('');
      await fetch('/api/echo?after-empty');
      await new Promise((r) => setTimeout(r, 300));
      await t.flush();
    });
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('?after-empty')));
    const user = (q: string) => mine().find((s) => String(s.attributesMap['url.full']).endsWith(q))?.attributesMap['user.id'];
    expect(user('?as-user')).toBe('user-7');
    const plan = (q: string) => mine().find((s) => String(s.attributesMap['url.full']).endsWith(q))?.attributesMap['app.plan'];
    expect([plan('?as-user'), plan('?after-null')]).toEqual(['pro', undefined]);
    expect([user('?after-null'), user('?after-undefined'), user('?after-empty')]).toEqual([undefined, undefined, undefined]);
    await page.close();
  });

  it('a page that added enumerable properties to Object.prototype: fetch and XHR get trace headers and nothing else', async () => {
    const { page } = await openTagPage('object-prototype', { before: 'object-prototype-extension' });
    await waitForTracelet(page);
    await page.evaluate(async () => {
      await fetch('/api/echo?proto-fetch');
      const xhr = new XMLHttpRequest();
      xhr.open('GET', '/api/echo?proto-xhr');
      await new Promise((r) => ((xhr.onloadend = r), xhr.send()));
    });
    for (const path of ['/api/echo?proto-fetch', '/api/echo?proto-xhr']) {
      const headers = h.site.seen.find((r) => r.path === path)!.headers;
      expect(headers.traceparent, path).toMatch(/^00-/);
      expect(Object.keys(headers).filter((k) => k === 'extra' || k === 'extend'), path).toEqual([]);
    }
    await page.close();
  });

  it('blank data-sample-rate, data-instrumentations and data-propagators (tag manager variables that came out empty) count as not given, not as 0 or none', async () => {
    const { page, mine } = await openTagPage('blank-rate', { data: JSON.stringify({ 'sample-rate': ' ', instrumentations: ' ', propagators: ' ' }) });
    await waitForTracelet(page);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), { timeoutMs: 3_000 }).catch(() => {});
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(1);
    expect(mine().filter((s) => s.name === 'click button#buy')).toHaveLength(1);
    expect(h.site.seen.filter((r) => r.path === '/api/echo?buy').at(-1)!.headers.traceparent).toMatch(/^00-/);
    await page.close();
  });

  it('data-ignore-urls="/api/text" (a path) is read against the page; a data-propagate-to entry that is neither a URL nor a path is named in a warning', async () => {
    const { page, log, mine } = await openTagPage('relative-patterns', { data: JSON.stringify({ 'ignore-urls': '/api/text', 'propagate-to': `${h.api.url} api.example.com` }) });
    await waitForTracelet(page);
    await page.evaluate(async (api) => {
      await fetch('/api/text?relative');
      await fetch(api + '/api/echo?relative');
      await new Promise((r) => setTimeout(r, 300));
      await (window as unknown as { tracelet: { flush(): Promise<void> } }).tracelet.flush();
    }, h.api.url);
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?relative')));
    expect(mine().filter((s) => String(s.attributesMap['url.full']).includes('/api/text'))).toEqual([]);
    expect(h.site.seen.find((r) => r.path === '/api/text?relative')!.headers.traceparent).toBeUndefined();
    expect(h.api.seen.find((r) => r.path === '/api/echo?relative')!.headers.traceparent).toMatch(/^00-/);
    const warnings = log.filter((l) => l.startsWith('warning: [tracelet] data-propagate-to'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"api.example.com"');
    await page.close();
  });
});

describe.each(BUILDS)('the script tag under a Content-Security-Policy (%s build)', (build) => {
  /** The one warning that the page's connect-src refuses the collector (W7): its sentence in the development build, its code in the production one. */
  const refusedByPolicy = isDiagnostic(build, 'W7', 'Content-Security-Policy connect-src blocks');

  it("a page whose Content-Security-Policy connect-src leaves out the collector: one clear warning, and no stream of refused requests (each one a violation report to the site)", async () => {
    const { page, log, refused } = await openRefusingPage(`csp-connect-${build}`, build);
    // Five exports, one after another (flushed, rather than five 2.5 s waits for the 5 s batch timer):
    // the first is refused and its retry gives up; the others make no request. Without that, each export
    // and each of its retries (about 1, 1.5, 2.25 s apart; the flush waits for them) would be refused.
    for (let i = 0; i < 5; i++) await buyAndFlush(page);
    expect(refused()).toBeLessThanOrEqual(2);
    expect(log.filter(refusedByPolicy)).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await page.context().close();
  });

  it("once the page's connect-src refused the collector, an export waiting to retry gives up at once, later exports and page hides make no request, and the spans arrive with a later load whose CSP allows the collector", async () => {
    const { page, log, violations, refused, stored, hide } = await openRefusingPage(`csp-export-first-${build}`, build);
    await page.evaluate(() => fetch('/api/echo?csp-export'));
    await page.waitForTimeout(300);
    // The export is refused, the violation reported; the exporter would retry about 1 s later.
    await flush(page);
    expect(refused()).toBe(1);
    expect(log.filter(isDiagnostic(build, 'W4', 'gave up')), 'the retries stopped instead of running out').toEqual([]);
    await page.evaluate(() => fetch('/api/echo?csp-export-later'));
    await page.waitForTimeout(300);
    await flush(page);
    await hide();
    await page.waitForTimeout(1000);
    expect(refused()).toBe(1);
    expect(log.filter(refusedByPolicy)).toHaveLength(1);
    for (const q of ['csp-export', 'csp-export-later']) expect(await stored(), q).toContain(`/api/echo?${q}"`);
    await arriveOnceWithAllowingLoad(page, `csp-export-first-${build}`, ['csp-export', 'csp-export-later'], build);
    expect(violations.filter((v) => !v.startsWith(h.collector.tracesUrl))).toEqual([]);
  });

  it("once the page's connect-src refused the collector at a page hide, there is no beacon after the refused keepalive fetches and no request at later hides; the spans are kept for a load whose CSP allows the collector", async () => {
    const { page, log, refused, stored, hide, show } = await openRefusingPage(`csp-hide-first-${build}`, build);
    await page.evaluate(() => fetch('/api/echo?csp-hide'));
    await page.waitForTimeout(300);
    // The tab is hidden and stays alive: the keepalive fetches at hide (one per chunk, all started at once) are the first refused requests.
    await hide();
    for (let i = 0; i < 40 && refused() < 1; i++) await page.waitForTimeout(50);
    await page.waitForTimeout(1000);
    const atFirstHide = refused();
    expect(atFirstHide).toBeGreaterThanOrEqual(1);
    // Each violation is a refused fetch: no beacon followed (sendBeacon says true even when refused, and the spans would be lost).
    expect(log.filter((l) => l.startsWith('error: Fetch API cannot load ' + h.collector.tracesUrl))).toHaveLength(atFirstHide);
    await show();
    await page.evaluate(() => fetch('/api/echo?csp-hide-again'));
    await page.waitForTimeout(300);
    await hide();
    await page.waitForTimeout(1000);
    expect(refused(), 'nothing was tried at the second hide').toBe(atFirstHide);
    for (const q of ['csp-hide', 'csp-hide-again']) expect(await stored(), q).toContain(`/api/echo?${q}"`);
    await arriveOnceWithAllowingLoad(page, `csp-hide-first-${build}`, ['csp-hide', 'csp-hide-again'], build);
  });

  it("when the first refusal by the page's connect-src comes as the page goes away (a navigation), the refused keepalive fetches' spans are kept and arrive with a later load whose CSP allows the collector", async () => {
    const { page, refused } = await openRefusingPage(`csp-unload-first-${build}`, build);
    await page.evaluate(() => fetch('/api/echo?csp-unload'));
    await page.waitForTimeout(300);
    expect(refused(), 'nothing was sent before the page went away').toBe(0);
    // The navigation unloads the page: its hide sends the queue, and every later task of the page is dropped.
    await arriveOnceWithAllowingLoad(page, `csp-unload-first-${build}`, ['csp-unload'], build);
  });

  it('a violation of another directive (an image from the collector origin refused by img-src) does not stop export', async () => {
    const { page, mine } = await openTagPage(`csp-other-directive-${build}`, tagBuild(build));
    await waitForTracelet(page);
    // The event the browser fires when img-src refuses an image whose reported URI is the collector's origin.
    await page.evaluate((origin) => {
      const init = { blockedURI: origin, effectiveDirective: 'img-src', violatedDirective: 'img-src', originalPolicy: "img-src 'self'", disposition: 'enforce', statusCode: 200, bubbles: true };
      document.dispatchEvent(new SecurityPolicyViolationEvent('securitypolicyviolation', init as SecurityPolicyViolationEventInit));
    }, new URL(h.collector.tracesUrl).origin);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), { timeoutMs: 5_000 }).catch(() => {});
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(1);
    await page.close();
  });

  it('a report-only connect-src that leaves out the collector does not stop export (the requests go through)', async () => {
    const { page, mine } = await openTagPage(`csp-report-only-${build}`, { 'connect-self-report-only': '1', ...tagBuild(build) });
    await waitForTracelet(page);
    await buyAndFlush(page);
    await buyAndFlush(page);
    await h.collector.waitForSpans(() => mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')).length >= 2, { timeoutMs: 5_000 }).catch(() => {});
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(2);
    await page.close();
  });
});
