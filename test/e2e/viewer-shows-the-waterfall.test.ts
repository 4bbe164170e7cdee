import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
// @ts-expect-error plain ESM demo module without types
import { runJourney } from '../../demo/journey.mjs';
import { launchChromium } from '../browser/support/chromium.js';

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
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      await page.goto(collector.url + '/');
      await page.click(`.trace[data-id="${trace[0]!.traceId}"]`);
      await page.waitForSelector('.row');
      const rows = await page.$$eval('.row', (els) =>
        els.map((e) => ({
          service: e.querySelector('.svc')!.textContent,
          indent: parseFloat((e.querySelector('.name') as HTMLElement).style.paddingLeft),
          width: (e.querySelector('.bar') as HTMLElement).getBoundingClientRect().width,
          dur: e.querySelector('.dur')!.textContent,
        })),
      );
      expect(rows).toHaveLength(trace.length);
      expect(rows.map((r) => r.service)).toEqual(['demo-web', 'demo-web', 'demo-edge', 'demo-edge', 'demo-origin']);
      expect(rows.map((r) => r.indent)).toEqual([0, 14, 28, 42, 56]);
      for (const r of rows) {
        expect(r.width).toBeGreaterThan(0);
        expect(r.dur).toMatch(/^\d+\.\d ms$/);
      }
      await page.click('.row >> nth=4');
      expect(await page.textContent('#detail')).toContain('"service": "demo-origin"');
      const dir = resolve(import.meta.dirname, '../../test-results');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: resolve(dir, 'viewer.png') });
    } finally {
      await browser.close();
    }
  });
});
