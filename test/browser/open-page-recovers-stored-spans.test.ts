// A page that stays open recovers by itself: spans ended during a collector
// outage longer than the exporter's retries wait in localStorage, and the first
// export that succeeds afterwards sends them, in the same page, with no reload.
// Two open tabs of the same origin share that storage: each stored body must
// reach the collector once, not once per tab. Counted by span id at the collector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startCollector } from '../../demo/collector/collector.mjs';
import { collectorDown } from './support/collector-down.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

// 50 spans per tab in 5 batches: 5 stored bodies per tab.
const BATCHES = 5;
const PER_BATCH = 10;

type App = { t: { tracer: { startSpan(name: string): { spanContext(): { spanId: string }; end(): void } } }; sameDocument?: boolean };

/** Ends spans `<prefix>-<from>` .. `<prefix>-<to - 1>` in one go (one batch); their span ids. */
const endSpans = (page: Page, prefix: string, from: number, to: number) =>
  page.evaluate(
    ([p, a, b]) => {
      const ids: string[] = [];
      for (let i = a; i < b; i++) {
        const span = (window as unknown as App).t.tracer.startSpan(`${p}-${i}`);
        span.end();
        ids.push(span.spanContext().spanId);
      }
      return ids;
    },
    [prefix, from, to] as const,
  );

/** The bodies waiting in localStorage: each one's state (`s` stored, `a` written ahead by an export still running) and span ids. */
const stored = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('tracelet:undelivered:'))
      .map((k) => ({ key: k, state: k[k.indexOf(' ') + 1], spanIds: [...(localStorage.getItem(k) ?? '').matchAll(/"spanId":"(\w+)"/g)].map((m) => m[1]!) })),
  );

/**
 * Ends BATCHES x PER_BATCH spans named `<prefix>-<i>` while the collector is
 * down, each batch once the one before is stored, and waits until every one of
 * them is stored and no export runs any more (no body written ahead is left):
 * the exporter gave up on them. Their span ids.
 */
async function endDuringOutage(page: Page, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    ids.push(...(await endSpans(page, prefix, batch * PER_BATCH, (batch + 1) * PER_BATCH)));
    await page.waitForFunction(
      (want) => {
        const keys = Object.keys(localStorage).filter((k) => k.startsWith('tracelet:undelivered:'));
        if (keys.some((k) => k[k.indexOf(' ') + 1] !== 's')) return false;
        const all = keys.map((k) => localStorage.getItem(k) ?? '').join('');
        return want.every((id) => all.includes(`"spanId":"${id}"`));
      },
      ids,
      { timeout: 15_000 },
    );
  }
  return ids;
}

/**
 * Watches the pages' requests to `endpoint` (Playwright sees fetch, keepalive
 * fetch and beacons): which tab sent which span ids, for the failure message,
 * and how many requests are still unanswered.
 */
function watchRequests(pages: Page[], endpoint: string) {
  let unanswered = 0;
  const sentBy = new Map<string, string[]>();
  pages.forEach((page, i) => {
    page.on('request', (request) => {
      if (request.url() !== endpoint || request.method() !== 'POST') return;
      unanswered++;
      for (const [, id] of (request.postData() ?? '').matchAll(/"spanId":"(\w+)"/g)) sentBy.set(id!, [...(sentBy.get(id!) ?? []), `tab ${i + 1}`]);
    });
    const answered = (request: { url(): string; method(): string }) => void (request.url() === endpoint && request.method() === 'POST' && unanswered--);
    page.on('requestfinished', answered);
    page.on('requestfailed', answered);
  });
  return { unanswered: () => unanswered, sentBy };
}

/**
 * Waits until recovery is over as the pages see it: nothing stored, no
 * request to the collector unanswered, and no tab holds the lock (or claim)
 * under which stored bodies are sent. A body sent twice would be sent by then.
 */
async function recoveryOver(pages: Page[], endpoint: string, unanswered: () => number): Promise<void> {
  const state = async () => ({
    stored: (await stored(pages[0]!)).length, // the tabs share one localStorage
    unanswered: unanswered(),
    // The Web Lock, or where there are none the claim in storage that stands in for it.
    drainLockHeld: await pages[0]!.evaluate(
      async (name) => !!(await navigator.locks?.query())?.held?.some((l) => l.name === name) || localStorage.getItem('tracelet:claim:' + name) !== null,
      'tracelet:undelivered:' + endpoint,
    ),
  });
  await expect.poll(state, { timeout: 15_000, interval: 20, message: 'recovery not over' }).toEqual({ stored: 0, unanswered: 0, drainLockHeld: false });
}

/**
 * Opens `tabs` tabs of the app in one browser context (one localStorage) with
 * the collector down, ends 50 spans in each, starts the collector, ends one
 * span in every tab at about the same time (an export that succeeds in each),
 * and checks that every span arrives exactly once, with no reload, and that
 * nothing stays stored.
 */
async function recoverInOpenTabs(tabs: number, build: 'dev' | 'prod', context?: BrowserContext): Promise<void> {
  const { endpoint, port } = await collectorDown();
  const ownContext = !context;
  context ??= await h.browser.newContext();
  // Short retries: the exporter gives up (and stores) within a few tens of milliseconds.
  const config = { serviceName: `recover-${tabs}-${build}`, endpoint, batch: { scheduledDelayMillis: 50 }, retry: { maxAttempts: 2, initialBackoffMillis: 20 } };
  const pages: Page[] = [];
  for (let i = 0; i < tabs; i++) pages.push(await h.openApp(config, await context.newPage(), 'app', build === 'prod' ? '&build=prod' : ''));
  const requests = watchRequests(pages, endpoint);
  let back: Awaited<ReturnType<typeof startCollector>> | undefined;
  try {
    for (const page of pages) await page.evaluate(() => void ((window as unknown as App).sameDocument = true));
    const names = pages.map((_, i) => `tab${i + 1}`);
    const outage = (await Promise.all(pages.map((page, i) => endDuringOutage(page, names[i]!)))).flat();
    const before = await stored(pages[0]!);
    expect(before.map((b) => b.state)).toEqual(Array(tabs * BATCHES).fill('s')); // one body per batch, each given up on
    expect(before.flatMap((b) => b.spanIds).sort()).toEqual([...outage].sort());

    back = await startCollector({ port, print: false });
    requests.sentBy.clear(); // from here on: who sent what once the collector is back
    const after = (await Promise.all(pages.map((page, i) => endSpans(page, `${names[i]}-after`, 0, 1)))).flat();
    const expected = [...outage, ...after].sort();
    await back.waitForSpans(expected.length, { timeoutMs: 15_000 }).catch(() => {}); // a loss shows in the comparison below
    await recoveryOver(pages, endpoint, requests.unanswered);

    const arrived = back.spans().map((s) => s.spanId);
    const twice = [...new Set(arrived.filter((id, i) => arrived.indexOf(id) !== i))];
    expect(twice.map((id) => `${id} sent by ${requests.sentBy.get(id)?.join(', ')}`), 'span ids that arrived more than once').toEqual([]);
    expect(arrived.sort(), 'every span ended in the tabs arrived, and nothing else').toEqual(expected);
    expect(await stored(pages[0]!)).toEqual([]);
    for (const page of pages) expect(await page.evaluate(() => (window as unknown as App).sameDocument), 'no reload').toBe(true);
  } finally {
    await back?.close();
    if (ownContext) await context.close();
    else await Promise.all(pages.map((page) => page.close()));
  }
}

describe('an open page recovers stored spans by itself', () => {
  it(`one tab: ${BATCHES * PER_BATCH} spans stored during an outage arrive once, without a reload, after the next export succeeds`, async () => {
    await recoverInOpenTabs(1, 'dev');
  });

  describe.each(['dev', 'prod'] as const)('%s build', (build) => {
    it(`two tabs of one origin, both with ${BATCHES * PER_BATCH} stored spans and both recovering at about the same time: every span arrives exactly once`, async () => {
      await recoverInOpenTabs(2, build);
    });
  });

  it('two tabs where Web Locks are missing (a claim in storage stands in): every span arrives exactly once', async () => {
    const context = await h.browser.newContext();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined }));
    try {
      await recoverInOpenTabs(2, 'dev', context);
    } finally {
      await context.close();
    }
  });
});
