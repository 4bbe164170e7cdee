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
    // The invocation's trace, from its Server-Timing traceparent.
    const trace = /traceparent;desc="00-([0-9a-f]{32})-/.exec(res.headers.get('server-timing') ?? '')?.[1];
    expect(trace).toMatch(/^[0-9a-f]{32}$/);
    await bounded.collector.waitForSpans(1);
    // Sentinel: the same request again, until one of them exports its step0 (one whose spans all end while the
    // first invocation's exports are unfinished drops them all). step1 and step2 of the first, had they been
    // exported, were sent as they ended, before the first response.
    const later = () => bounded.collector.spans().filter((s) => s.name === 'step0' && s.traceId !== trace);
    await expect.poll(async () => (await bounded.worker.dispatchFetch('http://shop.test/'), later().length), { timeout: 10_000, message: 'a later request exported its step0' }).toBeGreaterThan(0);
    // The request span ends after the handler returns; it is exported or dropped depending on whether step0's export has finished by then.
    expect(bounded.collector.spans().filter((s) => s.traceId === trace).map((s) => s.name).filter((n) => n.startsWith('step'))).toEqual(['step0']);
    // And in every later invocation: step1 and step2 are dropped behind their step0.
    expect(new Set(bounded.collector.spans().map((s) => s.name).filter((n) => n.startsWith('step')))).toEqual(new Set(['step0']));
  });
});
