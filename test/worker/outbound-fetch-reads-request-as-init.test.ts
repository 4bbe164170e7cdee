import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

// Real workerd, a real origin that records what it received, the dev collector.
let collector: Collector;
let origin: Site;
let worker: Miniflare;

beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker('outbound-init.mjs', { OTEL_SERVICE_NAME: 'outbound-init', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl, ORIGIN_URL: origin.url });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('outbound fetch in workerd', () => {
  it('fetch(url, request) sends the request\'s method and body, as without tracelet, and the span agrees', async () => {
    const res = await worker.dispatchFetch('http://shop.test/forward', { method: 'POST', body: 'order=42', headers: { 'content-type': 'text/plain', traceparent: `00-${T}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    const received = origin.seen.find((r) => r.path === '/api/echo?forwarded')!;
    expect(received.method).toBe('POST');
    expect(received.body).toBe('order=42');
    expect(received.headers['content-type']).toBe('text/plain');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('forwarded')));
    const client = spans.find((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('forwarded'))!;
    expect(client.attributesMap['http.request.method']).toBe('POST');
    // The forwarded request's own headers win, its traceparent included.
    expect(received.headers.traceparent).toBe(`00-${T}-00f067aa0ba902b7-01`);
  });

  it('an app that sets its own traceparent gets no tracestate of ours beside it', async () => {
    await worker.dispatchFetch('http://shop.test/own-traceparent', { headers: { traceparent: `00-${T}-00f067aa0ba902b7-01`, tracestate: 'vendor=abc' } });
    const received = origin.seen.find((r) => r.path === '/api/echo?own-traceparent')!;
    expect(received.headers.traceparent).toBe('00-11111111111111111111111111111111-2222222222222222-01');
    expect(received.headers.tracestate).toBeUndefined();
  });
});
