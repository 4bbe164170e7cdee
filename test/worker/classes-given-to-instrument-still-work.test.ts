import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
import { consoleSentinel, startWorker } from './support/workerd.js';

// Real workerd: instrument() given a class (a Durable Object class, a
// WorkerEntrypoint default export) must not break it. It used to return a
// plain object, which workerd cannot construct: every call failed. Then it
// passed classes on untraced (W33); now it returns a traced subclass.
let collector: Collector;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('classes.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], output, {
    durableObjects: { COUNTER: 'Counter', CART: 'Cart' },
  } as never);
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('instrument() given a class', () => {
  it('the WorkerEntrypoint answers and the Durable Object counts, both as written', async () => {
    const first = await worker.dispatchFetch('http://shop.test/');
    expect([first.status, await first.text()]).toEqual([200, 'counted 1']);
    expect(await (await worker.dispatchFetch('http://shop.test/')).text()).toBe('counted 2');
  });

  it('traces both: the entrypoint\'s fetch and the object\'s fetch are SERVER spans of one trace, and nothing is said about classes', async () => {
    expect(await (await worker.dispatchFetch('http://shop.test/traced')).text()).toBe('counted 3');
    // Spans of this request only (the earlier ones may still be arriving): its trace.
    const ofThisRequest = (s: StoredSpan[]) => s.filter((x) => x.traceId === s.find((y) => y.attributesMap['url.path'] === '/traced')?.traceId);
    const spans = ofThisRequest(await collector.waitForSpans((s) => ofThisRequest(s).length === 3));
    const entry = spans.find((x) => x.kind === 2 && !x.parentSpanId)!;
    const stubFetch = spans.find((x) => x.kind === 3)!;
    const object = spans.find((x) => x.kind === 2 && x.parentSpanId)!;
    expect(stubFetch).toMatchObject({ traceId: entry.traceId, parentSpanId: entry.spanId });
    expect(object).toMatchObject({ name: 'GET', traceId: entry.traceId, parentSpanId: stubFetch.spanId });
    await consoleSentinel(worker, output); // what the requests so far printed has arrived
    expect(output.join('')).not.toMatch(/passed on untraced/);
  });

  it("a Durable Object that calls instrument({ fetch }) inside (the README's old way) is still traced with its env's OTEL_* config", async () => {
    expect(await (await worker.dispatchFetch('http://shop.test/cart')).text()).toBe('cart /cart');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/cart' && x.resource['service.name'] === 'cart'));
    const span = spans.find((x) => x.attributesMap['url.path'] === '/cart' && x.resource['service.name'] === 'cart')!;
    expect(span).toMatchObject({ name: 'GET', kind: 2, resource: { 'service.name': 'cart' } });
  });
});
