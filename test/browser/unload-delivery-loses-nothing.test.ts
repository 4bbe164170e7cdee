import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, BUILDS, startHarness, type Build, type Harness } from './support/harness.js';
import { createServer } from 'node:http';
import { startCollector } from '../../demo/collector/collector.mjs';
import { collectorDown } from './support/collector-down.js';

// The collector is on another origin (another port), so keepalive fetches are
// CORS requests and beacons are credentialed preflighted ones.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const RUNS = 50;
const SPANS_PER_RUN = 5;

async function endSpans(page: import('playwright-core').Page, run: string) {
  await page.evaluate(
    ([r, n]) => {
      const t = (window as unknown as { t: { tracer: { startSpan(name: string, o?: object): { end(): void } } } }).t;
      for (let i = 0; i < Number(n); i++) t.tracer.startSpan(`${r}-${i}`, { attributes: { pad: 'x'.repeat(200) } }).end();
    },
    [run, String(SPANS_PER_RUN)],
  );
}

/**
 * A collector on `port` (default a free one) that answers the nth export
 * (from 1) with `status(n)`, with CORS so the page reads the status; `bodies`
 * holds the export bodies in the order they came.
 */
async function scriptedCollector(status: (nth: number) => number, port = 0): Promise<{ endpoint: string; port: number; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status(bodies.length), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const bound = (server.address() as import('node:net').AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${bound}/v1/traces`, port: bound, bodies, close: () => new Promise((done) => server.close(() => done())) };
}

/** Keys of stored undelivered spans in the page's localStorage. */
const storedKeys = (page: import('playwright-core').Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tracelet:undelivered:')));

/** Opens the app (of `build`) again with a collector up on `port`: the spans `prefix`-0.. arrive, each once, and nothing stays stored. */
async function arrivesOnceOnNextLoad(page: import('playwright-core').Page, config: Record<string, unknown>, port: number, prefix: string, build: Build) {
  const back = await startCollector({ port, print: false });
  try {
    await h.openApp(config, page, 'app', buildQuery(build));
    await back.waitForSpans(SPANS_PER_RUN, { timeoutMs: 10_000 });
    // absence window: a second copy would come from another request of the page (a retry, a drain of the
    // same body by another path), whose arrival nothing orders against the first.
    await page.waitForTimeout(300);
    const names = back.spans().map((s) => s.name);
    expect(names.sort()).toEqual(Array.from({ length: SPANS_PER_RUN }, (_, i) => `${prefix}-${i}`).sort());
    expect(await storedKeys(page)).toEqual([]);
  } finally {
    await back.close();
  }
}

// The two 50-run loops take most of this file's time (about 55 of 75 s, nearly
// all of it loading the app page 100 times) and test the browser's side of
// unload (pagehide, keepalive fetch, the beacon), the same for both builds:
// dist/ and dist/dev/ differ only in what src/core/dev.ts guards (diagnostic
// sentences, and option-name checks at startup), and these loops print none.
// They run once, against the production build, the one apps ship (the default
// `import` condition); every other case below runs against both builds.
describe('unload-safe delivery, many runs (production build)', () => {
  const openApp = (config: Record<string, unknown>, page?: import('playwright-core').Page) => h.openApp(config, page, 'app', buildQuery('prod'));

  it(`navigate-away right after spans end loses 0 spans (${RUNS} runs)`, async () => {
    h.collector.clear();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    for (let run = 0; run < RUNS; run++) {
      // Long batch delay: nothing is exported before the page goes away.
      await openApp({ serviceName: 'nav', batch: { scheduledDelayMillis: 60_000 } }, page);
      await endSpans(page, `nav${run}`);
      await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    }
    await context.close();
    const spans = await h.collector.waitForSpans((s) => s.filter((x) => x.resource['service.name'] === 'nav').length >= RUNS * SPANS_PER_RUN, { timeoutMs: 20_000 });
    const names = new Set(spans.filter((s) => s.resource['service.name'] === 'nav').map((s) => s.name));
    expect(names.size).toBe(RUNS * SPANS_PER_RUN);
  });

  it(`tab close right after spans end loses 0 spans (${RUNS} runs)`, async () => {
    h.collector.clear();
    const context = await h.browser.newContext();
    for (let run = 0; run < RUNS; run++) {
      const page = await openApp({ serviceName: 'close', batch: { scheduledDelayMillis: 60_000 } }, await context.newPage());
      await endSpans(page, `close${run}`);
      await page.close({ runBeforeUnload: true });
    }
    const spans = await h.collector.waitForSpans((s) => s.filter((x) => x.resource['service.name'] === 'close').length >= RUNS * SPANS_PER_RUN, { timeoutMs: 20_000 });
    await context.close();
    const names = new Set(spans.filter((s) => s.resource['service.name'] === 'close').map((s) => s.name));
    expect(names.size).toBe(RUNS * SPANS_PER_RUN);
  });
});

describe.each(BUILDS)('unload-safe delivery (%s build)', (build) => {
  const openApp = (config: Record<string, unknown>, page?: import('playwright-core').Page) => h.openApp(config, page, 'app', buildQuery(build));

  it('more than the 64 KiB keepalive budget: what fits is sent at once, the rest on the next load, each span once', async () => {
    h.collector.clear();
    const page = await openApp({ serviceName: 'bulk', batch: { scheduledDelayMillis: 60_000, maxQueueSize: 2048 } });
    await page.evaluate(() => {
      const t = (window as unknown as { t: { tracer: { startSpan(name: string, o?: object): { end(): void } } } }).t;
      for (let i = 0; i < 250; i++) t.tracer.startSpan(`bulk-${i}`, { attributes: { pad: 'y'.repeat(500) } }).end();
    });
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    const sentBytes = () => h.collector.requests().reduce((n, r) => n + r.bytes, 0);
    await expect.poll(sentBytes, { timeout: 10_000, message: 'the hide-time requests arrived' }).toBeGreaterThan(40 * 1024); // the budget was used...
    // absence window: the keepalive requests were all started at pagehide by a page that is gone; nothing
    // orders the arrival of one more against them.
    await page.waitForTimeout(500);
    const sentAtHide = sentBytes();
    expect(sentAtHide).toBeLessThanOrEqual(64 * 1024); // ...and not exceeded
    await openApp({ serviceName: 'bulk' }, page); // the next load sends the stored rest
    const spans = await h.collector.waitForSpans((s) => s.filter((x) => x.resource['service.name'] === 'bulk').length >= 250, { timeoutMs: 20_000 });
    // absence window: a span sent twice would be another request of the next load, not ordered against these.
    await page.waitForTimeout(300);
    const names = h.collector.spans().filter((s) => s.resource['service.name'] === 'bulk').map((s) => s.name);
    expect(names).toHaveLength(250);
    expect(new Set(spans.map((s) => s.name)).size).toBe(250);
    await page.close();
  });

  it('spans the collector could not take during the page arrive once on the next load', async () => {
    const { endpoint, port } = await collectorDown();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'stored', endpoint, batch: { scheduledDelayMillis: 50 }, retry: { maxAttempts: 2, initialBackoffMillis: 20 } };
    await openApp(config, page);
    await endSpans(page, 'down');
    // Let the regular export fail and store the batch.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
    await endSpans(page, 'down-late'); // queued when the page goes away: stored too, the collector is known down
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    const back = await startCollector({ port, print: false });
    try {
      await openApp(config, page); // next load, collector up
      await back.waitForSpans(SPANS_PER_RUN * 2, { timeoutMs: 10_000 });
      // Delivered as the page sees it (the answers read, the bodies removed): a page closed in
      // between may send a body again, at least once (README), which is not what this test is about.
      await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
      await page.reload(); // a third load must not send them again
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      // absence window: the third load has nothing stored; a resend would be a request nothing orders.
      await page.waitForTimeout(500);
      const names = back.spans().map((s) => s.name);
      expect(names).toHaveLength(SPANS_PER_RUN * 2);
      expect(new Set(names).size).toBe(SPANS_PER_RUN * 2);
      expect(await storedKeys(page)).toEqual([]);
    } finally {
      await context.close();
      await back.close();
    }
  });

  it('stored spans stay stored through a load where the collector hangs, and arrive once when it is back', async () => {
    const { endpoint, port } = await collectorDown();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'kept-through', endpoint, batch: { scheduledDelayMillis: 50 }, retry: { maxAttempts: 2, initialBackoffMillis: 20 }, timeoutMillis: 5000 };
    const stored = async () => (await storedKeys(page)).length;
    await openApp(config, page);
    await endSpans(page, 'kept');
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    // Second load: the collector accepts connections and never answers; the page goes away mid-request.
    const sockets = new Set<import('node:net').Socket>();
    const hanging = createServer(() => {});
    hanging.on('connection', (sock) => sockets.add(sock));
    await new Promise<void>((done) => hanging.listen(port, '127.0.0.1', done));
    try {
      await openApp(config, page);
      // The stored body is being sent: the hanging collector has the connection.
      await expect.poll(() => sockets.size, { timeout: 10_000, message: 'the stored body is being sent' }).toBeGreaterThan(0);
      expect(await stored()).toBe(1); // still there while being sent
      await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((done) => hanging.close(done));
    }
    await arrivesOnceOnNextLoad(page, config, port, 'kept', build);
    await context.close();
  });

  it('a hide-time keepalive answered 503 while the page still runs is kept and arrives once on the next load', async () => {
    const { endpoint, port, bodies, close } = await scriptedCollector(() => 503);
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'busy-at-hide', endpoint, batch: { scheduledDelayMillis: 60_000 } };
    try {
      await openApp(config, page);
      await endSpans(page, 'busy');
      // The tab is hidden (as in the vitals test: the state changes, then the event) and stays alive.
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
      expect(bodies.length).toBeGreaterThanOrEqual(1); // the keepalive reached the collector, which said 503
    } finally {
      await close();
    }
    await arrivesOnceOnNextLoad(page, config, port, 'busy', build);
    await context.close();
  });

  it('a batch waiting to be retried when the page goes away is kept and arrives once on the next load', async () => {
    const { endpoint, port, bodies, close } = await scriptedCollector(() => 503);
    const context = await h.browser.newContext();
    const page = await context.newPage();
    // The first answer is a 503; the retry would come 12-18 s later (within the 20 s an export may take), after the page is gone.
    const config = { serviceName: 'in-backoff', endpoint, batch: { scheduledDelayMillis: 50 }, retry: { maxAttempts: 3, initialBackoffMillis: 15_000, maxBackoffMillis: 15_000 } };
    try {
      await openApp(config, page);
      await endSpans(page, 'backoff');
      await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
      expect(bodies).toHaveLength(1); // one attempt, answered 503; the batch now waits to be retried
      await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    } finally {
      await close();
    }
    await arrivesOnceOnNextLoad(page, config, port, 'backoff', build);
    await context.close();
  });

  it('once stored spans are delivered after a retry, spans handed over at hide are sent at once, not stored', async () => {
    const { endpoint, port } = await collectorDown();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'retried-then-up', endpoint, batch: { scheduledDelayMillis: 60_000 }, retry: { maxAttempts: 3, initialBackoffMillis: 20, maxBackoffMillis: 20 } };
    try {
      // First load, collector down: a regular export fails and stores its batch.
      await openApp({ ...config, batch: { scheduledDelayMillis: 50 } }, page);
      await endSpans(page, 'first');
      await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
      await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    } catch (error) {
      await context.close();
      throw error;
    }
    // Second load: the collector answers its first export 503, then takes everything.
    const { bodies, close: closeFlaky } = await scriptedCollector((nth) => (nth === 1 ? 503 : 200), port);
    try {
      await openApp(config, page);
      // The stored body: answered 503, retried 20 ms later, delivered.
      await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
      expect(bodies).toHaveLength(2);
      await endSpans(page, 'second');
      // The tab is hidden and stays alive: the collector is up, so the spans go out now.
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await expect.poll(() => bodies.some((b) => b.includes('second-0')), { timeout: 5000, message: 'the hide-time body arrived' }).toBe(true);
      expect(bodies.filter((b) => b.includes('second-0'))).toHaveLength(1);
      expect(await storedKeys(page)).toEqual([]);
    } finally {
      await context.close();
      await closeFlaky();
    }
  });

  it("hide-time keepalive fetches Chromium refuses while the page still runs (the app's own keepalive request holds most of the 64 KiB budget) are kept once, and arrive once on the next load", async () => {
    h.collector.clear();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'over-budget', batch: { scheduledDelayMillis: 60_000 } };
    const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === 'over-budget' && s.name.startsWith('budget-')).map((s) => s.name);
    await openApp(config, page);
    await page.evaluate(() => {
      const t = (window as unknown as { t: { tracer: { startSpan(name: string, o?: object): { end(): void } } } }).t;
      for (let i = 0; i < 20; i++) t.tracer.startSpan(`budget-${i}`, { attributes: { pad: 'b'.repeat(900) } }).end();
      // An analytics library's keepalive request, answered 2 s later: 50 KiB of the budget are taken at the hide.
      void fetch('/api/slow', { method: 'POST', keepalive: true, body: 'a'.repeat(50 * 1024) }).catch(() => {});
      // The tab is hidden and stays alive: the bodies after the first do not fit, the fetch and the beacon after it are refused.
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    // Every span went out at the hide or was stored: wait until the two together are all 20.
    const storedBudget = () =>
      page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('tracelet:undelivered:'))
          .flatMap((k) => [...localStorage.getItem(k)!.matchAll(/"name":"(budget-\d+)"/g)].map((m) => m[1]!)),
      );
    await expect
      .poll(async () => new Set([...mine(), ...(await storedBudget())]).size, { timeout: 10_000, message: 'each span sent at the hide or stored' })
      .toBe(20);
    const atHide = mine().length;
    expect(atHide, 'what fitted went at the hide').toBeGreaterThan(0);
    expect(atHide, 'the rest did not fit').toBeLessThan(20);
    // Kept once: each span that did not go out is in exactly one stored body (one storage item per body).
    const storedNames = await storedBudget();
    const sentAtHide = new Set(mine());
    expect(storedNames.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `budget-${i}`).filter((n) => !sentAtHide.has(n)).sort());
    await openApp(config, page); // the next load sends what was kept, once
    await h.collector.waitForSpans(() => mine().length >= 20, { timeoutMs: 10_000 }).catch(() => {});
    // absence window: a span sent twice would be another request, not ordered against these.
    await page.waitForTimeout(300);
    expect(mine().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `budget-${i}`).sort());
    expect(await storedKeys(page)).toEqual([]);
    await context.close();
  });

  it('a hide-time request carries one content-type, application/json, even when the app configured its own Content-Type', async () => {
    h.collector.clear();
    const page = await openApp({ serviceName: 'hide-headers', headers: { 'Content-Type': 'text/plain', 'X-Team': 'web' }, batch: { scheduledDelayMillis: 60_000 } });
    await endSpans(page, 'hide-headers');
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    await h.collector.waitForSpans((s) => s.filter((x) => x.resource['service.name'] === 'hide-headers').length >= SPANS_PER_RUN, { timeoutMs: 10_000 });
    const sent = h.collector.requests().map((r) => [r.headers['content-type'], r.headers['x-team']]);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const headers of sent) expect(headers).toEqual(['application/json', 'web']);
    await page.close();
  });

  it('a batch larger than maxStoredBytes is kept in pieces up to the bound, not dropped whole', async () => {
    const { endpoint, port } = await collectorDown();
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const config = { serviceName: 'pieces', endpoint, maxStoredBytes: 100_000, batch: { scheduledDelayMillis: 50 }, retry: { maxAttempts: 1 } };
    await openApp(config, page);
    // One batch of 150 spans of ~1 KB: its single body (~150 KB) is over the bound.
    await page.evaluate(() => {
      const t = (window as unknown as { t: { tracer: { startSpan(name: string, o?: object): { end(): void } } } }).t;
      for (let i = 0; i < 150; i++) t.tracer.startSpan(`piece-${i}`, { attributes: { pad: 'x'.repeat(800) } }).end();
    });
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('tracelet:undelivered:')), undefined, { timeout: 10_000 });
    await page.goto(`${h.site.url}/test/browser/pages/blank.html`);
    const back = await startCollector({ port, print: false });
    try {
      await openApp(config, page);
      await back.waitForSpans(40, { timeoutMs: 10_000 });
      // absence window: the rest of the stored pieces (and any duplicate) arrive in requests nothing orders.
      await page.waitForTimeout(300);
      const names = back.spans().map((s) => s.name);
      expect(new Set(names).size).toBe(names.length); // each once
      expect(names.length).toBeGreaterThanOrEqual(40); // the newest ~100 KB of the batch
      expect(names.length).toBeLessThan(150); // the bound held
    } finally {
      await context.close();
      await back.close();
    }
  });
});
