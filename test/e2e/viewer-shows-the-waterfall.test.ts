import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
// @ts-expect-error plain ESM demo module without types
import { runJourney } from '../../demo/journey.mjs';
import { launchChromium } from '../browser/support/chromium.js';
import { otlpBatch } from '../unit/helpers/collector-process.js';

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
});
afterAll(async () => {
  await collector?.close();
});

describe('the trace viewer of the dev collector', () => {
  it('shows the joined trace as a waterfall with services, nesting and durations', async () => {
    const { trace } = (await runJourney(collector, () => {})) as { trace: StoredSpan[] };
    // Then a trace of three spans, and a lone span (a web vital, say): the newest trace, but not the one to open on.
    const post = (body: string) => fetch(collector.tracesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await post(otlpBatch(3, { perTrace: 3, batch: 8, name: (i) => `step ${i}` }));
    await post(otlpBatch(1, { batch: 9, name: () => 'lone vital', service: 'demo-web' }));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      await page.goto(collector.url + '/');
      // No click: the viewer opens on the most recent trace with more than one span.
      await page.waitForSelector('.row');
      expect(await page.textContent('h2')).toBe(`trace 00000009${'0'.repeat(23)}1`);
      expect(await page.textContent('.trace.on')).toMatch(/^step 03 spans · /);
      expect(await page.textContent('.trace:first-child')).toMatch(/^lone vital1 span · /);
      await page.click(`.trace[data-id="${trace[0]!.traceId}"]`);
      await page.waitForFunction((id) => document.querySelector('h2')?.textContent === `trace ${id}`, trace[0]!.traceId);
      const rows = await page.$$eval('.row', (els) =>
        els.map((e) => {
          const box = (sel: string) => (e.querySelector(sel) as HTMLElement).getBoundingClientRect();
          return {
            service: e.querySelector('.svc')!.textContent,
            kind: e.querySelector('.kind')!.textContent,
            indent: parseFloat((e.querySelector('.name') as HTMLElement).style.paddingLeft),
            width: box('.bar').width,
            dur: e.querySelector('.dur')!.textContent,
            // The duration label stays inside its lane, clear of the name column.
            labelInLane: box('.dur').left >= box('.lane').left && box('.dur').right <= box('.lane').right + 0.5 && box('.dur').left >= box('.name').right,
          };
        }),
      );
      expect(rows).toHaveLength(trace.length);
      // click > fetch > edge > RPC to the cart > the cart (a Durable Object) > KV get, KV put, fetch > origin
      expect(rows.map((r) => r.service)).toEqual(['demo-web', 'demo-web', 'demo-edge', 'demo-edge', 'demo-cart', 'demo-cart', 'demo-cart', 'demo-cart', 'demo-origin']);
      expect(rows.map((r) => r.kind)).toEqual(['internal', 'client', 'server', 'client', 'server', 'client', 'client', 'client', 'server']);
      expect(rows.map((r) => r.indent)).toEqual([0, 14, 28, 42, 56, 70, 70, 70, 84]);
      for (const r of rows) {
        expect(r.width).toBeGreaterThan(0);
        expect(r.dur).toMatch(/^\d+\.\d ms$/);
        expect(r.labelInLane).toBe(true);
      }
      // The lone span says so in the singular.
      await page.click('.trace:first-child');
      await page.waitForFunction(() => document.querySelectorAll('.row').length === 1);
      expect(await page.textContent('#main p')).toMatch(/^1 span, /);
      // A click sticks: a later refresh (new spans arrive) does not move away from it.
      await page.click(`.trace[data-id="${trace[0]!.traceId}"]`);
      await page.waitForFunction((n) => document.querySelectorAll('.row').length === n, trace.length);
      await post(otlpBatch(2, { perTrace: 2, batch: 10 }));
      await page.waitForFunction(() => document.querySelector('.trace:first-child')?.textContent?.includes('2 spans'));
      expect(await page.textContent('h2')).toBe(`trace ${trace[0]!.traceId}`);
      await page.click(`.row >> nth=${trace.length - 1}`);
      expect(await page.textContent('#detail')).toContain('"service": "demo-origin"');
      expect(await page.textContent('#detail')).toContain('"kind": "server"');
      const dir = resolve(import.meta.dirname, '../../test-results');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: resolve(dir, 'viewer.png') });
    } finally {
      await browser.close();
    }
  });
});
