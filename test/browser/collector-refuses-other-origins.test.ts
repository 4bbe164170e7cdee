// The dev collector in real Chromium: a page on another origin (here another
// port of 127.0.0.1, which is the same *site*) can send spans, but cannot read
// them, inject through the read API, or delete them; a page whose DNS name was
// rebound to 127.0.0.1 gets nothing at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { otlpBatch } from '../unit/helpers/collector-process.js';
import { launchChromium } from './support/chromium.js';
import { startSite, type Site } from './support/servers.js';

let browser: Browser;
let site: Site;
let collector: Collector;
beforeAll(async () => {
  // rebind.test resolves to 127.0.0.1, as an attacker's DNS would answer after the page loaded.
  [browser, site, collector] = await Promise.all([launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']), startSite(), startCollector({ port: 0, print: false })]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), collector?.close()]);
});

/** What each attempt in the page ended in: the status it could read, or the error it got. */
type Outcome = { status: number; body: string } | { error: string };

describe('the dev collector seen from another origin in Chromium', () => {
  it('sends spans, and cannot read, inject through the read API, or delete', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/test/browser/pages/blank.html`);
    const outcomes = await page.evaluate(
      async ({ base, ours, injected }) => {
        const attempt = async (path: string, init?: RequestInit): Promise<Outcome> => {
          try {
            const res = await fetch(base + path, init);
            return { status: res.status, body: res.type === 'opaque' ? '(opaque)' : await res.text() };
          } catch (error) {
            return { error: String(error) };
          }
        };
        const json = { 'content-type': 'application/json' };
        return {
          send: await attempt('/v1/traces', { method: 'POST', headers: json, body: ours }),
          read: await attempt('/api/traces'),
          readSummary: await attempt('/api/summary'),
          readNoCors: await attempt('/api/spans', { mode: 'no-cors' }),
          inject: await attempt('/api/traces', { method: 'POST', headers: json, body: injected }),
          injectNoCors: await attempt('/api/traces', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: injected }),
          remove: await attempt('/api/traces', { method: 'DELETE' }),
        };
      },
      { base: collector.url, ours: otlpBatch(1, { name: () => 'from the page' }), injected: otlpBatch(1, { batch: 5, name: () => 'injected' }) },
    );
    expect(outcomes.send).toEqual({ status: 200, body: '{}' });
    for (const key of ['read', 'readSummary', 'inject', 'remove'] as const) expect(outcomes[key], key).toEqual({ error: 'TypeError: Failed to fetch' });
    // no-cors requests reach the server but come back opaque; the server refused them anyway.
    expect(outcomes.readNoCors).toEqual({ status: 0, body: '(opaque)' });
    expect(outcomes.injectNoCors).toEqual({ status: 0, body: '(opaque)' });
    expect(collector.spans().map((s) => s.name)).toEqual(['from the page']);
    // read, readSummary and inject (CORS: refused before any preflight or on the answer), the two no-cors ones, and the DELETE preflight.
    expect(collector.stats().refused.origin).toBe(6);
    await page.close();
  });

  it('a page on a rebound DNS name gets 403 for the viewer and the API, even "same-origin"', async () => {
    const page = await browser.newPage();
    const viewer = await page.goto(`http://rebind.test:${collector.port}/`);
    expect(viewer!.status()).toBe(403);
    const read = await page.evaluate(async () => {
      const res = await fetch('/api/traces');
      return { status: res.status, body: await res.text() };
    });
    expect(read.status).toBe(403);
    expect(read.body).not.toContain('from the page');
    expect(JSON.parse(read.body).message).toMatch(/^Host "rebind\.test:\d+" is not a name this collector listens on/);
    await page.close();
  });

  it('the viewer on its own origin reads the traces', async () => {
    const page = await browser.newPage();
    await page.goto(collector.url + '/');
    await page.waitForSelector('.trace');
    expect(await page.textContent('.trace')).toContain('from the page');
    await page.close();
  });
});
