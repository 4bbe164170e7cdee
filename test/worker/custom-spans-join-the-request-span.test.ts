import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('custom-spans.mjs', 'shop-edge');

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
type Body = { active?: { spanId: string }; cart: { traceId: string; spanId: string; activeInside: boolean } };

async function spansOf(traceId: string, count: number) {
  const spans = await running.collector.waitForSpans((s) => s.filter((x) => x.traceId === traceId).length >= count);
  return spans.filter((x) => x.traceId === traceId);
}

describe('custom spans with trace.getTracer in workerd', () => {
  it('a module-scope tracer starts "load cart" under the SERVER span after an await; trace.getActiveSpan() is the SERVER span', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/cart', { headers: { traceparent: `00-${T}-00f067aa0ba902b7-01` } });
    const body = (await res.json()) as Body;
    const spans = await spansOf(T, 2);
    const server = spans.find((s) => s.kind === 2)!;
    const cart = spans.find((s) => s.name === 'load cart')!;
    expect(server).toBeDefined();
    expect(cart).toBeDefined();
    expect(cart.traceId).toBe(server.traceId);
    expect(cart.parentSpanId).toBe(server.spanId);
    expect(cart.scope).toEqual({ name: 'shop-cart', version: '1.2.0' });
    expect(cart.resource['service.name']).toBe('shop-edge');
    expect(body.active?.spanId).toBe(server.spanId);
    expect(body.cart.spanId).toBe(cart.spanId);
    expect(body.cart.activeInside).toBe(true);
  });

  it('a pipeline built later for another env does not take the custom spans of requests served by the first', async () => {
    await running.worker.dispatchFetch('http://shop.test/cart'); // the first pipeline exists
    const tenantTrace = 'a'.repeat(32);
    await running.worker.dispatchFetch('http://shop.test/tenant', { headers: { traceparent: `00-${tenantTrace}-00f067aa0ba902b7-01` } });
    const [tenantSpan] = (await spansOf(tenantTrace, 2)).filter((s) => s.name === 'load cart');
    expect(tenantSpan!.resource['service.name']).toBe('tenant-b');

    const mainTrace = 'b'.repeat(32);
    await running.worker.dispatchFetch('http://shop.test/cart', { headers: { traceparent: `00-${mainTrace}-00f067aa0ba902b7-01` } });
    await running.worker.dispatchFetch('http://shop.test/tenant'); // flushes the tenant pipeline too, wherever the span went
    const spans = await spansOf(mainTrace, 2);
    expect(spans.map((s) => [s.name, s.resource['service.name']]).sort()).toEqual([
      ['GET', 'shop-edge'],
      ['load cart', 'shop-edge'],
    ]);
  });
});
