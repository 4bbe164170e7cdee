import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

// Real workerd, a real origin that records what it received, the dev collector.
const running = workerWithCollector('outbound-init.mjs', 'outbound-init', { origin: true });

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('outbound fetch in workerd', () => {
  it('fetch(url, request) sends the request\'s method and body, as without tracelet, and the span agrees', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/forward', { method: 'POST', body: 'order=42', headers: { 'content-type': 'text/plain', traceparent: `00-${T}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    const received = running.origin.seen.find((r) => r.path === '/api/echo?forwarded')!;
    expect(received.method).toBe('POST');
    expect(received.body).toBe('order=42');
    expect(received.headers['content-type']).toBe('text/plain');
    const spans = await running.collector.waitForSpans((s) => s.some((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('forwarded')));
    const client = spans.find((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('forwarded'))!;
    expect(client.attributesMap['http.request.method']).toBe('POST');
    // The forwarded request's own headers win, its traceparent included.
    expect(received.headers.traceparent).toBe(`00-${T}-00f067aa0ba902b7-01`);
  });

  it('an app that sets its own traceparent gets no tracestate of ours beside it', async () => {
    await running.worker.dispatchFetch('http://shop.test/own-traceparent', { headers: { traceparent: `00-${T}-00f067aa0ba902b7-01`, tracestate: 'vendor=abc' } });
    const received = running.origin.seen.find((r) => r.path === '/api/echo?own-traceparent')!;
    expect(received.headers.traceparent).toBe('00-11111111111111111111111111111111-2222222222222222-01');
    expect(received.headers.tracestate).toBeUndefined();
  });
});
