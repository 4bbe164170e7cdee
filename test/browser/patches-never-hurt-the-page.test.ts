// What tracelet patches (EventTarget listeners, console.error, history) must
// behave as the browser does, also for listeners added before tracelet loaded,
// and uninstalling must not take away what the page or another library did.
// Each scenario runs in a page without tracelet and in one with it where it can,
// against the development build and the production build (what apps ship).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildQuery, BUILDS, startHarness, type Build, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type W = { calls: Record<string, number>; count(name: string): () => void; t: { uninstall(): void; flush(): Promise<void> } };

// Runs before any page script, so before tracelet: listeners the page added early.
const early = () => {
  const w = window as unknown as W;
  w.calls = {};
  w.count = (name) => () => void (w.calls[name] = (w.calls[name] ?? 0) + 1);
  (w as unknown as Record<string, unknown>).pre = w.count('pre');
  (w as unknown as Record<string, unknown>).shared = w.count('shared');
  document.addEventListener('click', (w as unknown as Record<string, EventListener>).pre!);
  document.addEventListener('click', (w as unknown as Record<string, EventListener>).shared!);
};

/** A page without tracelet and one with it (of `build`), both with the listeners added early. */
async function pages(build: Build, config: Record<string, unknown> = {}): Promise<{ plain: Page; traced: Page }> {
  const plain = await h.browser.newPage();
  await plain.addInitScript(early);
  await plain.goto(`${h.site.url}/test/browser/pages/blank.html`);
  const tracedPage = await h.browser.newPage();
  await tracedPage.addInitScript(early);
  return { plain, traced: await h.openApp(config, tracedPage, 'app', buildQuery(build)) };
}

describe.each(BUILDS)('%s build', (build) => {
  const openApp = (config: Record<string, unknown> = {}, page?: Page) => h.openApp(config, page, 'app', buildQuery(build));

  describe('patched listeners behave as native ones', () => {
    it('a listener added before tracelet loaded and again after runs once per click', async () => {
      const { plain, traced } = await pages(build);
      for (const page of [plain, traced]) {
        await page.evaluate(() => {
          const w = window as unknown as Record<string, EventListener>;
          document.addEventListener('click', w.pre!); // the browser ignores a second add of the same listener
        });
        await page.mouse.click(5, 5);
      }
      const calls = (page: Page) => page.evaluate(() => (window as unknown as W).calls.pre);
      expect(await calls(traced)).toBe(await calls(plain));
      expect(await calls(traced)).toBe(1);
      await Promise.all([plain.close(), traced.close()]);
    });

    it('removing a listener from the target that had it before tracelet loaded works, when it is also on another target', async () => {
      const { plain, traced } = await pages(build);
      for (const page of [plain, traced]) {
        await page.evaluate(() => {
          const w = window as unknown as Record<string, EventListener>;
          document.body.addEventListener('click', w.shared!); // added after load: wrapped on body
          document.removeEventListener('click', w.shared!); // the early one, on document
        });
        await page.click('h1, #buy');
      }
      const calls = (page: Page) => page.evaluate(() => (window as unknown as W).calls.shared);
      expect(await calls(traced)).toBe(await calls(plain));
      expect(await calls(traced)).toBe(1);
      await Promise.all([plain.close(), traced.close()]);
    });

    it('after uninstall, listeners wrapped earlier can still be removed', async () => {
      const page = await openApp();
      const calls = await page.evaluate(async () => {
        let n = 0;
        const listener = () => n++;
        const button = document.getElementById('buy')!;
        button.addEventListener('click', listener);
        (window as unknown as W).t.uninstall();
        button.removeEventListener('click', listener);
        button.click();
        return n;
      });
      expect(calls).toBe(0);
      await page.close();
    });
  });

  describe('console.error and history', () => {
    it('console.error with an argument whose toString throws does not throw, and still reaches the console', async () => {
      const { plain, traced } = await pages(build, { instrumentations: { errors: { console: true } } });
      const messages: string[] = [];
      traced.on('console', (m) => m.type() === 'error' && messages.push(m.text()));
      const attempt = () => {
        try {
          console.error('bad argument', Object.create(null));
          return 'returned';
        } catch (e) {
          return 'threw ' + (e as Error).name;
        }
      };
      const [a, b] = await Promise.all([plain.evaluate(attempt), traced.evaluate(attempt)]);
      expect(b).toBe(a);
      expect(b).toBe('returned');
      await expect.poll(() => messages.some((m) => m.startsWith('bad argument')), { timeout: 5_000 }).toBe(true);
      await Promise.all([plain.close(), traced.close()]);
    });

    it('uninstall keeps a pushState wrapper another library added after tracelet', async () => {
      const page = await openApp();
      const calls = await page.evaluate(() => {
        let n = 0;
        const tracelets = history.pushState;
        history.pushState = function (...args: Parameters<History['pushState']>) {
          n++;
          return tracelets.apply(this, args);
        };
        (window as unknown as W).t.uninstall();
        history.pushState(null, '', '#after-uninstall');
        return n;
      });
      expect(calls).toBe(1);
      await page.close();
    });
  });

  describe('history patches leave room for other libraries', () => {
    const navigations = (service: string) => h.collector.spans().filter((s) => s.resource['service.name'] === service && s.name === 'navigation');
    /**
     * Flushes until the route change's span arrived (it ends when it settles, 50 ms on tracelet's timer), then makes a
     * sentinel route change and flushes until its span arrived too: a second span of the first route change would
     * have ended no later, so it went out no later. Returns the spans before the sentinel's.
     */
    async function routeChangeSpans(page: Page, service: string): Promise<string[]> {
      const flushUntil = (done: () => boolean, what: string) =>
        expect.poll(async () => (await page.evaluate(() => (window as unknown as W).t.flush()), done()), { timeout: 10_000, message: `flushed until ${what}` }).toBe(true);
      await flushUntil(() => navigations(service).length >= 1, 'the route change span arrived');
      await page.evaluate(() => history.pushState(null, '', '/sentinel'));
      const urls = () => navigations(service).map((s) => String(s.attributesMap['url.full']));
      await flushUntil(() => urls().some((u) => u.endsWith('/sentinel')), 'the sentinel route change span arrived');
      expect(urls().at(-1)).toMatch(/\/sentinel$/);
      return urls().slice(0, -1);
    }

    it('a library that wraps History.prototype.pushState after tracelet loaded still runs, and the route change is recorded', async () => {
      const page = await openApp({ serviceName: `proto-wrap-${build}`, instrumentations: { navigation: { settleMs: 50 } } });
      const calls = await page.evaluate(async () => {
        let n = 0;
        const before = History.prototype.pushState;
        History.prototype.pushState = function (...args: Parameters<History['pushState']>) {
          n++;
          return before.apply(this, args);
        };
        history.pushState(null, '', '/proto-wrapped');
        return n;
      });
      expect(calls).toBe(1);
      expect(await routeChangeSpans(page, `proto-wrap-${build}`)).toEqual([expect.stringMatching(/\/proto-wrapped$/)]);
      await page.close();
    });

    it('a router that set its own history.pushState before tracelet loaded keeps it, and the route change is recorded', async () => {
      const page = await h.browser.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { routerCalls: number };
        w.routerCalls = 0;
        const native = History.prototype.pushState;
        history.pushState = function (...args: Parameters<History['pushState']>) {
          w.routerCalls++;
          return native.apply(this, args);
        };
      });
      await openApp({ serviceName: `own-wrap-${build}`, instrumentations: { navigation: { settleMs: 50 } } }, page);
      const calls = await page.evaluate(async () => {
        history.pushState(null, '', '/own-wrapped');
        return (window as unknown as { routerCalls: number }).routerCalls;
      });
      expect(calls).toBe(1);
      expect(await routeChangeSpans(page, `own-wrap-${build}`)).toEqual([expect.stringMatching(/\/own-wrapped$/)]);
      await page.close();
    });
  });

  describe('a page that added to Object.prototype', () => {
    it('startBrowserTracing names none of its members an unknown option', async () => {
      const page = await h.browser.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(m.text()));
      await page.addInitScript(() => void ((Object.prototype as Record<string, unknown>).tracingPolluted = 1));
      await openApp({ serviceName: `polluted-options-${build}` }, page);
      expect(await page.evaluate(() => typeof (window as unknown as W).t.flush)).toBe('function'); // it started
      // Nothing said at all: the development build names no inherited member an "unknown option" (W11);
      // the production build carries no list of option names to check, and must stay as quiet.
      expect(log.filter((l) => l.includes('[tracelet]'))).toEqual([]);
      await page.close();
    });
  });

  describe('the error memory is bounded', () => {
    it('remembers the last 100 distinct errors: an older one is recorded again', async () => {
      const page = await openApp({ serviceName: `error-memory-${build}`, instrumentations: { errors: { maxPerMinute: 1000 } } });
      await page.evaluate(async () => {
        const fail = (i: number) =>
          new Promise<void>((done) =>
            setTimeout(() => {
              setTimeout(done, 0);
              throw new Error(`distinct ${i}`);
            }, 0),
          );
        for (let i = 0; i <= 100; i++) await fail(i); // 101 distinct: "distinct 0" is forgotten
        await fail(0);
        await fail(100); // still remembered: not recorded again
      });
      await page.evaluate(() => (window as unknown as W).t.flush());
      const mine = () => h.collector.spans().filter((s) => s.resource['service.name'] === `error-memory-${build}`);
      await h.collector.waitForSpans(() => mine().length >= 102);
      const withMessage = (m: string) => mine().filter((s) => s.status?.message === m).length;
      expect(withMessage('distinct 0')).toBe(2);
      expect(withMessage('distinct 100')).toBe(1);
      await page.close();
    });
  });
});
