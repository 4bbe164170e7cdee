import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

// No nodejs_compat / nodejs_als flag: no AsyncLocalStorage.
let collector: Collector;
let origin: Site;
let worker: Miniflare;
const logs: string[] = [];
beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker('app.mjs', { OTEL_SERVICE_NAME: 'no-flags', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ORIGIN_URL: origin.url }, [], logs);
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

describe('tracelet/worker without AsyncLocalStorage', () => {
  it('still records the request span and still answers', async () => {
    const res = await worker.dispatchFetch('http://shop.test/hello');
    expect(await res.text()).toBe('hello from the edge');
    const [span] = await collector.waitForSpans(1);
    expect(span!.kind).toBe(2);
    expect(span!.resource['service.name']).toBe('no-flags');
    await worker.dispatchFetch('http://shop.test/hello');
    const said = logs.join('').split('\n').filter((l) => l.includes('AsyncLocalStorage is unavailable'));
    expect(said).toHaveLength(1); // once, not per request
    expect(said[0]).toContain('compatibility_flags = ["nodejs_compat"]');
  });

  it('an outbound call made before the first await is still parented by call-time capture', async () => {
    await worker.dispatchFetch('http://shop.test/origin-sync');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 3) && s.some((x) => x.attributesMap['url.path'] === '/origin-sync'));
    const server = spans.find((s) => s.attributesMap['url.path'] === '/origin-sync')!;
    const client = spans.find((s) => s.kind === 3)!;
    expect(client.parentSpanId).toBe(server.spanId);
    expect(origin.seen.find((r) => r.path === '/api/echo?sync-call')!.headers.traceparent).toBe(`00-${client.traceId}-${client.spanId}-03`);
  });
});
