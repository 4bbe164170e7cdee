import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BUILDS, isDiagnostic, startHarness, type Build, type Harness } from './support/harness.js';
import { entryRecorded } from './support/vitals.js';

// Scopes tracelet names carry its version (package.json's).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// waitForFunction evaluates code with eval, which the strict CSP (rightly) blocks: poll from here.
async function waitForTracelet(page: Page): Promise<void> {
  const started = () => page.evaluate(() => typeof (window as unknown as { tracelet?: { flush?: unknown } }).tracelet?.flush === 'function');
  await expect.poll(started, { timeout: 5_000, interval: 50, message: 'window.tracelet never started' }).toBe(true);
}

/**
 * Flushes window.tracelet until `done()` holds. The tag records fetch spans with their Resource Timing
 * details: a span ends once its entry is read (at most 1 s after the response), so one flush right after
 * the response may come before it; the next one exports it.
 */
async function flushUntil(page: Page, done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await expect.poll(async () => (await flush(page), done()), { timeout: 10_000, message: `flushed until ${what}` }).toBe(true);
}

/** Clicks the page's buy button (its handler fetches /api/echo?buy) and flushes until `done()` says its span went out. */
async function buyAndFlush(page: Page, done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await page.click('#buy');
  await flushUntil(page, done, what);
}

/** The collector's spans of `service` for requests whose URL ends with `suffix`. */
const requestSpans = (service: string, suffix: string) =>
  h.collector.spans().filter((s) => s.resource['service.name'] === service && String(s.attributesMap['url.full']).endsWith(suffix));

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
    // Painted before the first input: LCP stops at the first input.
    await Promise.all([entryRecorded(page, 'paint', 'first-contentful-paint'), entryRecorded(page, 'largest-contentful-paint')]);
    await page.click('#buy');
    await page.click('#broken');
    await page.click('#to-cart');
    // Before the page goes away: the buy request is complete (its span ends, at the latest when the page is
    // hidden) and the browser timed the first input (INP is reported on hide from what it timed).
    await Promise.all([entryRecorded(page, 'resource', '/api/echo?buy'), entryRecorded(page, 'first-input')]);
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
    const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === 'twice');
    await buyAndFlush(page, () => requestSpans('twice', '/api/echo?buy').length > 0, 'the buy span arrived');
    // Sentinel: a request made after the buy one. A second span of the buy request (fetch wrapped twice)
    // ends with the first, so it goes out no later than this one's span.
    await page.evaluate(() => fetch('/api/echo?twice-sentinel').then((r) => r.text()));
    await flushUntil(page, () => requestSpans('twice', '/api/echo?twice-sentinel').length > 0, 'the sentinel span arrived');
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
 * `afterEarlierRequests()` returns once every request the page started to the collector before it
 * was refused and reported (see there).
 */
async function openRefusingPage(service: string, build: Build) {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const violations: string[] = [];
  // The sentinels' own violations are kept apart: `violations` is what tracelet and the page caused.
  const sentinels: string[] = [];
  const sentinel = new URL('/sentinel-', h.collector.tracesUrl).href;
  await page.exposeFunction('reportViolation', (v: string) => (v.startsWith(sentinel) ? sentinels : violations).push(v));
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
    /**
     * A sentinel instead of a wait: a request to the collector's origin (not its endpoint), started in a
     * timer task set now, so after the timer task in which tracelet would try a beacon for a refused
     * keepalive fetch, and after any request started before this call. The page's connect-src refuses
     * it too, and its violation and console error come after theirs: once both are here, so are theirs.
     */
    async afterEarlierRequests() {
      const url = sentinel + (sentinels.length + 1);
      await page.evaluate((u) => void setTimeout(() => void fetch(u).catch(() => {})), url);
      const reported = () => sentinels.includes(url) && log.some((l) => l.startsWith('error: Fetch API cannot load ' + url));
      await expect.poll(reported, { timeout: 10_000, message: 'the sentinel request was refused and reported' }).toBe(true);
    },
  };
}

/** Loads the page (tag of `build`) again without the refusing connect-src: the fetch spans for `queries` reach the collector, each once, and nothing stays stored. */
async function arriveOnceWithAllowingLoad(page: Page, service: string, queries: string[], build: Build) {
  await page.goto(`${h.site.url}/script-tag.html?${new URLSearchParams({ service, endpoint: h.collector.tracesUrl, ...tagBuild(build) })}`);
  await waitForTracelet(page);
  const sent = (q: string) => h.collector.spans().filter((s) => s.resource['service.name'] === service && String(s.attributesMap['url.full']).endsWith(`/api/echo?${q}`));
  await h.collector.waitForSpans(() => queries.every((q) => sent(q).length > 0), { timeoutMs: 10_000 }).catch(() => {});
  // A body sent twice would have been sent by the time nothing is stored and no tab holds the lock under which stored bodies are sent.
  const draining = () =>
    page.evaluate(
      async (lock) => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')) || !!(await navigator.locks.query()).held?.some((l) => l.name === lock),
      'tracelet:undelivered:' + h.collector.tracesUrl,
    );
  await expect.poll(draining, { timeout: 10_000, message: 'stored bodies still sending' }).toBe(false);
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
    // No throw here when nothing arrives: the assertions below say why (the collector rejected the body).
    await buyAndFlush(page, () => requestSpans('prototype-json', '/api/echo?buy').length >= 1, 'the first buy span arrived').catch(() => {});
    await page.reload();
    await waitForTracelet(page);
    await buyAndFlush(page, () => requestSpans('prototype-json', '/api/echo?buy').length >= 2, 'the second buy span arrived').catch(() => {});
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
    // No throw here when nothing arrives: the assertions below say why (sent to localhost:4318).
    await buyAndFlush(page, () => requestSpans('module-tag', '/api/echo?buy').length > 0, 'the buy span arrived').catch(() => {});
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
    await buyAndFlush(page, () => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), 'the buy span arrived');
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
    });
    const arrived = (q: string) => mine().some((s) => String(s.attributesMap['url.full']).endsWith(q));
    await flushUntil(page, () => ['?as-user', '?after-null', '?after-undefined', '?after-empty'].every(arrived), 'the four spans arrived');
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
    // No throw here when nothing arrives: the assertions below say what is missing.
    await buyAndFlush(page, () => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), 'the buy span arrived').catch(() => {});
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
    }, h.api.url);
    // A span of /api/text (made first) would have ended before the echo one, so it goes out no later.
    await flushUntil(page, () => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?relative')), 'the echo span arrived');
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
    const { page, log, refused, stored } = await openRefusingPage(`csp-connect-${build}`, build);
    // Five exports, one after another (flushed, rather than five 2.5 s waits for the 5 s batch timer):
    // the first is refused and its retry gives up; the others make no request. Without that, each export
    // and each of its retries (about 1, 1.5, 2.25 s apart; the flush waits for them) would be refused.
    // Each export carries its buy span: refused or not, it ends up stored (one more `/api/echo?buy` there).
    const storedBuys = async () => (await stored()).split('/api/echo?buy"').length - 1;
    for (let i = 0; i < 5; i++) await buyAndFlush(page, async () => (await storedBuys()) > i, `buy span ${i + 1} was exported`);
    expect(refused()).toBeLessThanOrEqual(2);
    expect(log.filter(refusedByPolicy)).toHaveLength(1);
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await page.context().close();
  });

  it("once the page's connect-src refused the collector, an export waiting to retry gives up at once, later exports and page hides make no request, and the spans arrive with a later load whose CSP allows the collector", async () => {
    const { page, log, violations, refused, stored, hide, afterEarlierRequests } = await openRefusingPage(`csp-export-first-${build}`, build);
    await page.evaluate(() => fetch('/api/echo?csp-export'));
    // The export is refused, the violation reported; the exporter would retry about 1 s later.
    // Flushed until the span was exported: refused, it is stored.
    const exported = (q: string) => async () => (await stored()).includes(`/api/echo?${q}"`);
    await flushUntil(page, exported('csp-export'), 'the csp-export span was exported');
    expect(refused()).toBe(1);
    expect(log.filter(isDiagnostic(build, 'W4', 'gave up')), 'the retries stopped instead of running out').toEqual([]);
    await page.evaluate(() => fetch('/api/echo?csp-export-later'));
    await flushUntil(page, exported('csp-export-later'), 'the csp-export-later span was exported');
    await hide();
    await afterEarlierRequests();
    expect(refused()).toBe(1);
    expect(log.filter(refusedByPolicy)).toHaveLength(1);
    for (const q of ['csp-export', 'csp-export-later']) expect(await stored(), q).toContain(`/api/echo?${q}"`);
    await arriveOnceWithAllowingLoad(page, `csp-export-first-${build}`, ['csp-export', 'csp-export-later'], build);
    expect(violations.filter((v) => !v.startsWith(h.collector.tracesUrl))).toEqual([]);
  });

  it("once the page's connect-src refused the collector at a page hide, there is no beacon after the refused keepalive fetches and no request at later hides; the spans are kept for a load whose CSP allows the collector", async () => {
    const { page, log, refused, stored, hide, show, afterEarlierRequests } = await openRefusingPage(`csp-hide-first-${build}`, build);
    // The response is in (the evaluate awaited it): the span has ended or waits for its Resource Timing entry, and the hide ends it.
    await page.evaluate(() => fetch('/api/echo?csp-hide'));
    // The tab is hidden and stays alive: the keepalive fetches at hide (one per chunk, all started at once) are the first refused requests.
    await hide();
    await expect.poll(refused, { timeout: 10_000, message: 'the keepalive fetch at hide was refused' }).toBeGreaterThanOrEqual(1);
    // A beacon tracelet tried after a refused keepalive fetch (a timer task after it) would be reported by now.
    await afterEarlierRequests();
    const atFirstHide = refused();
    expect(atFirstHide).toBeGreaterThanOrEqual(1);
    // Each violation is a refused fetch: no beacon followed (sendBeacon says true even when refused, and the spans would be lost).
    expect(log.filter((l) => l.startsWith('error: Fetch API cannot load ' + h.collector.tracesUrl))).toHaveLength(atFirstHide);
    await show();
    await page.evaluate(() => fetch('/api/echo?csp-hide-again'));
    await hide();
    await afterEarlierRequests();
    expect(refused(), 'nothing was tried at the second hide').toBe(atFirstHide);
    for (const q of ['csp-hide', 'csp-hide-again']) expect(await stored(), q).toContain(`/api/echo?${q}"`);
    await arriveOnceWithAllowingLoad(page, `csp-hide-first-${build}`, ['csp-hide', 'csp-hide-again'], build);
  });

  it("when the first refusal by the page's connect-src comes as the page goes away (a navigation), the refused keepalive fetches' spans are kept and arrive with a later load whose CSP allows the collector", async () => {
    const { page, refused } = await openRefusingPage(`csp-unload-first-${build}`, build);
    // The response is in (the evaluate awaited it): the span has ended or waits for its Resource Timing entry, and the hide ends it.
    await page.evaluate(() => fetch('/api/echo?csp-unload'));
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
    // No throw here when nothing arrives: the assertion below says what is missing.
    await buyAndFlush(page, () => mine().some((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')), 'the buy span arrived').catch(() => {});
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(1);
    await page.close();
  });

  it('a report-only connect-src that leaves out the collector does not stop export (the requests go through)', async () => {
    const { page, mine } = await openTagPage(`csp-report-only-${build}`, { 'connect-self-report-only': '1', ...tagBuild(build) });
    await waitForTracelet(page);
    const buys = () => mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy')).length;
    // No throw here when nothing arrives: the assertion below says what is missing.
    await buyAndFlush(page, () => buys() >= 1, 'the first buy span arrived').catch(() => {});
    await buyAndFlush(page, () => buys() >= 2, 'the second buy span arrived').catch(() => {});
    expect(mine().filter((s) => String(s.attributesMap['url.full']).endsWith('/api/echo?buy'))).toHaveLength(2);
    await page.close();
  });
});
