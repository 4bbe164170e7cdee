import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportResultCode, type ExportResult } from '../../src/index.js';
import { createSender, type SenderOptions } from '../../src/export/otlp-http.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { startServer, type TestServer } from './helpers/http-server.js';

// The waits between attempts, on a fake clock, against a real local collector
// that keeps answering 503 without Retry-After. Defaults: the first retry after
// 1000 ms, each next one 1.5 times longer, at most 5000 ms, times a jitter
// factor 0.8 + 0.4 × Math.random() (0.8 to 1.2); 5 attempts within 20 000 ms.
// (https://opentelemetry.io/docs/specs/otlp/#otlphttp-throttling: "exponential backoff with jitter".)

let server: TestServer;
const messages = captureDiagnostics();
beforeEach(async () => {
  server = await startServer((_req, res) => res.writeHead(503).end());
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server.close();
});

/**
 * Sends one body and measures, on the fake clock, each wait from the moment the
 * sender schedules a retry (its beforeRetry hook) to its next fetch call.
 */
async function waitsBetweenAttempts(random: number, options: SenderOptions = {}): Promise<{ waits: number[]; result: ExportResult }> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(random);
  let fetches = 0;
  // A recording wrapper over the real fetch: the requests do reach the server.
  const recording: typeof fetch = (input, init) => (fetches++, fetch(input, init));
  let retrying = () => {};
  const nextRetry = () => new Promise<'retry'>((resolve) => (retrying = () => resolve('retry')));
  let scheduled = nextRetry();
  const sender = createSender({ endpoint: server.url + '/v1/traces', fetch: recording, ...options }, undefined, { beforeRetry: () => retrying() });
  const sent = sender.send('{}', 1);
  const waits: number[] = [];
  while ((await Promise.race([scheduled, sent])) === 'retry') {
    scheduled = nextRetry();
    const before = fetches;
    let waited = 0;
    while (fetches === before) {
      await vi.advanceTimersByTimeAsync(1);
      waited++;
    }
    waits.push(waited);
  }
  return { waits, result: await sent };
}

/** The fake clock moves by whole milliseconds: a wait of w ms is seen as w or the next millisecond. */
const about = (ms: number) => expect.toSatisfy((w: number) => w >= Math.floor(ms) && w <= Math.ceil(ms) + 1, `${ms} ms`);

describe('OTLP/HTTP retry backoff', () => {
  it('waits 1000 ms, then 1.5 times longer each retry, times the jitter factor 0.8 + 0.4 × random', async () => {
    const { waits, result } = await waitsBetweenAttempts(0.75); // factor 1.1
    expect(result.error).toMatchObject({ message: 'HTTP 503', retryable: true });
    expect(server.requests).toHaveLength(5);
    expect(waits).toEqual([1100, 1650, 2475, 3712.5].map(about));
    expect(messages).toEqual([`gave up exporting 1 spans to ${server.url}/v1/traces after 5 attempt(s): HTTP 503`]);
  });

  it('the jitter ranges from 0.8 to 1.2 times the backoff, and the backoff stops growing at maxBackoffMillis', async () => {
    expect((await waitsBetweenAttempts(0, { retry: { maxAttempts: 2 } })).waits).toEqual([about(800)]);
    vi.restoreAllMocks();
    expect((await waitsBetweenAttempts(0.9999, { retry: { maxAttempts: 2 } })).waits).toEqual([about(1199.96)]);
    vi.restoreAllMocks();
    const capped = await waitsBetweenAttempts(0.5, { retry: { maxAttempts: 5, initialBackoffMillis: 100, multiplier: 3, maxBackoffMillis: 500 } });
    expect(capped.waits).toEqual([100, 300, 500, 500].map(about));
  });

  it('gives up instead of waiting when the wait would reach the end of maxElapsedMillis', async () => {
    // Retry-After: 2 against 2000 ms in all, on a clock that does not move while the collector answers.
    await server.close();
    server = await startServer((_req, res) => res.writeHead(503, { 'retry-after': '2' }).end());
    const { waits, result } = await waitsBetweenAttempts(0.5, { maxElapsedMillis: 2000 });
    expect(waits).toEqual([]);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(1);
    const { waits: onTime } = await waitsBetweenAttempts(0.5, { maxElapsedMillis: 2001, retry: { maxAttempts: 2 } });
    expect(onTime).toEqual([about(2000)]);
  });
});
