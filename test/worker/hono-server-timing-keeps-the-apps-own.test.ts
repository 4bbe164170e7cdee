import { describe, expect, it } from 'vitest';
import { expectEchoingWebSocket, workerWithCollector } from './support/workerd.js';

// Real workerd, a real origin that records what it received, the dev collector.
const running = workerWithCollector('hono-server-timing.mjs', 'hono-timing', { origin: true });

async function serverSpan(route: string) {
  const spans = await running.collector.waitForSpans((s) => s.some((x) => x.kind === 2 && x.attributesMap['url.path'] === route));
  return spans.find((x) => x.kind === 2 && x.attributesMap['url.path'] === route)!;
}

// Flags 03: sampled, and the W3C Level 2 random flag (the trace id is ours).
const entry = (span: { traceId: string; spanId: string }) => `traceparent;desc="00-${span.traceId}-${span.spanId}-03"`;

describe('Hono middleware Server-Timing', () => {
  it('a route\'s own Server-Timing stays and ours is added beside it', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/timed');
    expect(await res.text()).toBe('timed');
    const span = await serverSpan('/timed');
    expect(res.headers.get('server-timing')).toBe(`db;dur=53, ${entry(span)}`);
  });

  // Guards (they pass on the old code too): the in-place path must keep these working.
  it('a 101 WebSocket upgrade is left as it is and the socket works', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/ws', { headers: { upgrade: 'websocket' } });
    await expectEchoingWebSocket(res);
  });

  it('a fetch() response passed through (immutable headers) gets the entry too', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/passthrough');
    expect(await res.text()).toBe('hello from the server');
    const span = await serverSpan('/passthrough');
    expect(res.headers.get('server-timing')).toBe(entry(span));
  });
});
