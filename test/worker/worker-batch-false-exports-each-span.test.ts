import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('unbatched.mjs', 'unbatched-edge');
const bounded = workerWithCollector('unbatched-bounded.mjs', 'bounded-edge');

describe('instrument(handler, { batch: false }) in workerd', () => {
  it('exports each span in its own request as it ends, not one batch per invocation', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/');
    expect(await res.text()).toBe('ok');
    const spans = await running.collector.waitForSpans(2);
    expect(spans.map((s) => s.name)).toEqual(['step', 'GET']);
    // Sentinel: the same request again. A batch of the first invocation's spans, were there one, would be sent in its
    // flush, before the second request was made. Each of the four spans in a request of its own.
    await running.worker.dispatchFetch('http://shop.test/');
    await running.collector.waitForSpans(4);
    expect(running.collector.requests().map((r) => r.spanCount)).toEqual([1, 1, 1, 1]);
  });

  it('maxPendingExports reaches createTracing: with 1, the two spans ended while the first export is unfinished are dropped', async () => {
    const res = await bounded.worker.dispatchFetch('http://shop.test/');
    expect(await res.text()).toBe('ok');
    await bounded.collector.waitForSpans(1);
    // absence window: no sentinel can follow. A later request's spans may be dropped as well (its first export can
    // start while this invocation's is unfinished), so nothing the worker exports is ordered after step1 and step2 would be.
    await new Promise((r) => setTimeout(r, 300));
    // The request span ends after the handler returns; it is exported or dropped depending on whether step0's export has finished by then.
    expect(bounded.collector.spans().map((s) => s.name).filter((n) => n.startsWith('step'))).toEqual(['step0']);
  });
});
