import { describe, expect, it } from 'vitest';
import { expectEchoingWebSocket, workerWithCollector } from './support/workerd.js';

// Real workerd: what the handler returns reaches the runtime as it was.
const running = workerWithCollector('odd-results.mjs', 'odd-results');

async function outcome(path: string, init?: RequestInit) {
  try {
    const res = await running.worker.dispatchFetch('http://shop.test' + path, init as never);
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}

describe('non-Response results', () => {
  it('undefined gets workerd\'s own error, not a TypeError from tracelet', async () => {
    const { status, text } = await outcome('/undefined');
    expect(status).toBe(500);
    expect(text).toContain("the Promise did not resolve to 'Response'");
    const spans = await running.collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/undefined'));
    expect(spans.find((x) => x.attributesMap['url.path'] === '/undefined')!.status?.code).toBe(2);
  });

  it('a plain object is not turned into a Response', async () => {
    const { status, text } = await outcome('/plain');
    expect(status).toBe(500);
    expect(text).toContain("the Promise did not resolve to 'Response'");
  });

  // A guard: the old code already skipped 101; the Response check must keep that.
  it('a 101 WebSocket response is returned as it is and the socket works', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/ws', { headers: { upgrade: 'websocket' } });
    await expectEchoingWebSocket(res);
  });
});
