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
  it('one trace joins the browser click, the edge worker and the origin, with the right parents', async () => {
    const { trace } = (await runJourney(collector, () => {})) as { trace: StoredSpan[] };
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
  });
});
