import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

// Real workerd running a Hono app with the tracelet middleware.
let collector: Collector;
let origin: Site;
let worker: Miniflare;

beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker('hono-server-timing.mjs', { OTEL_SERVICE_NAME: 'hono-timing', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl, ORIGIN_URL: origin.url });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

async function serverSpan(route: string) {
  const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 2 && x.attributesMap['url.path'] === route));
  return spans.find((x) => x.kind === 2 && x.attributesMap['url.path'] === route)!;
}

// Flags 03: sampled, and the W3C Level 2 random flag (the trace id is ours).
const entry = (span: { traceId: string; spanId: string }) => `traceparent;desc="00-${span.traceId}-${span.spanId}-03"`;

describe('Hono middleware Server-Timing', () => {
  it('a route\'s own Server-Timing stays and ours is added beside it', async () => {
    const res = await worker.dispatchFetch('http://shop.test/timed');
    expect(await res.text()).toBe('timed');
    const span = await serverSpan('/timed');
    expect(res.headers.get('server-timing')).toBe(`db;dur=53, ${entry(span)}`);
  });

  // Guards (they pass on the old code too): the in-place path must keep these working.
  it('a 101 WebSocket upgrade is left as it is and the socket works', async () => {
    const res = await worker.dispatchFetch('http://shop.test/ws', { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const reply = new Promise<string>((r) => ws.addEventListener('message', (e) => r(String(e.data))));
    ws.send('hi');
    expect(await reply).toBe('echo:hi');
    ws.close();
  });

  it('a fetch() response passed through (immutable headers) gets the entry too', async () => {
    const res = await worker.dispatchFetch('http://shop.test/passthrough');
    expect(await res.text()).toBe('hello from the server');
    const span = await serverSpan('/passthrough');
    expect(res.headers.get('server-timing')).toBe(entry(span));
  });
});
