import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector, type StoredSpan } from '../../demo/collector/collector.mjs';
// @ts-expect-error plain ESM demo module without types
import { runJourney } from '../../demo/journey.mjs';

// The demo's full path in real parts: Chromium with the script tag -> the demo
// worker in workerd -> the origin under the OpenTelemetry Node SDK -> the dev collector.
let collector: Collector;
beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
});
afterAll(async () => {
  await collector?.close();
});

describe('npm run demo, as a test', () => {
  it('one trace joins the browser click, the edge worker, its Durable Object and KV, and the origin, with the right parents; the SPA route change too', async () => {
    const journey = (await runJourney(collector, () => {})) as { trace: StoredSpan[]; spaTrace?: StoredSpan[] };
    const { trace } = journey;
    const by = (service: string, kind: number, name?: string) => trace.find((s) => s.resource['service.name'] === service && s.kind === kind && (!name || s.name === name))!;
    const click = trace.find((s) => s.name === 'click button#buy')!;
    const browserFetch = by('demo-web', 3);
    const edgeServer = by('demo-edge', 2);
    // The edge calls the cart (a Durable Object) over RPC; the cart reads and writes the stock in KV, then calls the origin.
    const rpcClient = by('demo-edge', 3, 'CART/checkout');
    const cartServer = by('demo-cart', 2, 'Cart/checkout');
    const kvGet = by('demo-cart', 3, 'KV get');
    const kvPut = by('demo-cart', 3, 'KV put');
    const cartClient = by('demo-cart', 3, 'POST');
    const originServer = by('demo-origin', 2);
    const all = [click, browserFetch, edgeServer, rpcClient, cartServer, kvGet, kvPut, cartClient, originServer];
    expect(all.every(Boolean)).toBe(true);
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1);
    expect(browserFetch.parentSpanId).toBe(click.spanId);
    expect(edgeServer.parentSpanId).toBe(browserFetch.spanId);
    expect(rpcClient.parentSpanId).toBe(edgeServer.spanId);
    expect(cartServer.parentSpanId).toBe(rpcClient.spanId);
    expect([kvGet.parentSpanId, kvPut.parentSpanId, cartClient.parentSpanId]).toEqual([cartServer.spanId, cartServer.spanId, cartServer.spanId]);
    expect(originServer.parentSpanId).toBe(cartClient.spanId);
    expect(originServer.attributesMap['http.response.status_code'] ?? originServer.attributesMap['http.status_code']).toBe(201);
    expect(cartServer.attributesMap['rpc.method']).toBe('Cart/checkout');

    // The SPA page, bundled with tracelet/browser: its route change parents the fetch it makes,
    // and that fetch continues through the edge to the origin.
    const spa = journey.spaTrace!;
    expect(spa).toBeDefined();
    const nav = spa.find((s) => s.name === 'navigation')!;
    const spaFetch = spa.find((s) => s.resource['service.name'] === 'demo-spa' && s.kind === 3)!;
    const spaEdge = spa.find((s) => s.resource['service.name'] === 'demo-edge' && s.kind === 2)!;
    const spaCart = spa.find((s) => s.resource['service.name'] === 'demo-cart' && s.kind === 2)!;
    const spaOrigin = spa.find((s) => s.resource['service.name'] === 'demo-origin' && s.kind === 2)!;
    expect(nav.attributesMap['browser.navigation.type']).toBe('pushState');
    expect(spaFetch.parentSpanId).toBe(nav.spanId);
    expect(spaEdge.parentSpanId).toBe(spaFetch.spanId);
    expect(spaCart.traceId).toBe(nav.traceId);
    expect(spaOrigin.traceId).toBe(nav.traceId);
    expect(nav.traceId).not.toBe(click.traceId);
  });
});
