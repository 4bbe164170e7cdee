import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

let collector: Collector;
let worker: Miniflare;
beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('unbatched.mjs', { OTEL_SERVICE_NAME: 'unbatched-edge', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl });
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('instrument(handler, { batch: false }) in workerd', () => {
  it('exports each span in its own request as it ends, not one batch per invocation', async () => {
    const res = await worker.dispatchFetch('http://shop.test/');
    expect(await res.text()).toBe('ok');
    const spans = await collector.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(['step', 'GET']);
    await new Promise((r) => setTimeout(r, 300)); // nothing else is on its way
    expect(collector.requests().map((r) => r.spanCount)).toEqual([1, 1]);
  });
});
