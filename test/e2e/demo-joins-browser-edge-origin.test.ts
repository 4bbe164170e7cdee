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
  it('one trace joins the browser click, the edge worker and the origin, with the right parents; the SPA route change too', async () => {
    const journey = (await runJourney(collector, () => {})) as { trace: StoredSpan[]; spaTrace?: StoredSpan[] };
    const { trace } = journey;
    const by = (service: string, kind: number) => trace.find((s) => s.resource['service.name'] === service && s.kind === kind)!;
    const click = trace.find((s) => s.name === 'click button#buy')!;
    const browserFetch = by('demo-web', 3);
    const edgeServer = by('demo-edge', 2);
    const edgeClient = by('demo-edge', 3);
    const originServer = by('demo-origin', 2);
    expect(new Set([click, browserFetch, edgeServer, edgeClient, originServer].map((s) => s.traceId)).size).toBe(1);
    expect(browserFetch.parentSpanId).toBe(click.spanId);
    expect(edgeServer.parentSpanId).toBe(browserFetch.spanId);
    expect(edgeClient.parentSpanId).toBe(edgeServer.spanId);
    expect(originServer.parentSpanId).toBe(edgeClient.spanId);
    expect(originServer.attributesMap['http.response.status_code'] ?? originServer.attributesMap['http.status_code']).toBe(201);

    // The SPA page, bundled with tracelet/browser: its route change parents the fetch it makes,
    // and that fetch continues through the edge to the origin.
    const spa = journey.spaTrace!;
    expect(spa).toBeDefined();
    const nav = spa.find((s) => s.name === 'navigation')!;
    const spaFetch = spa.find((s) => s.resource['service.name'] === 'demo-spa' && s.kind === 3)!;
    const spaEdge = spa.find((s) => s.resource['service.name'] === 'demo-edge' && s.kind === 2)!;
    const spaOrigin = spa.find((s) => s.resource['service.name'] === 'demo-origin' && s.kind === 2)!;
    expect(nav.attributesMap['browser.navigation.type']).toBe('pushState');
    expect(spaFetch.parentSpanId).toBe(nav.spanId);
    expect(spaEdge.parentSpanId).toBe(spaFetch.spanId);
    expect(spaOrigin.traceId).toBe(nav.traceId);
    expect(nav.traceId).not.toBe(click.traceId);
  });
});
