import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startServer, type TestServer } from '../unit/helpers/http-server.js';
import { startWorker } from './support/workerd.js';

// A collector that answers 503, and one that never answers. The response time
// of the instrumented worker is compared with the uninstrumented one in the
// same run, as a ratio: export happens in waitUntil, after the response.
let unavailable: TestServer;
let hanging: TestServer;
let plain: Miniflare;
let to503: Miniflare;
let toHang: Miniflare;

beforeAll(async () => {
  [unavailable, hanging] = await Promise.all([startServer((_r, res) => res.writeHead(503).end()), startServer(() => {})]);
  [plain, to503, toHang] = await Promise.all([
    startWorker('plain.mjs', {}),
    startWorker('app.mjs', { OTEL_SERVICE_NAME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: unavailable.url }),
    startWorker('app.mjs', { OTEL_SERVICE_NAME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: hanging.url }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.dispose(), to503?.dispose(), toHang?.dispose()]);
  await Promise.all([unavailable?.close(), hanging?.close()]);
});

async function median(worker: Miniflare, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await worker.dispatchFetch('http://shop.test/hello');
    await res.text();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[n >> 1]!;
}

describe('export never delays the response', () => {
  it('with the collector answering 503 or hanging, latency stays near the uninstrumented worker', async () => {
    await Promise.all([median(plain, 3), median(to503, 3), median(toHang, 3)]); // warm up
    const base = await median(plain, 15);
    const with503 = await median(to503, 15);
    const withHang = await median(toHang, 15);
    const base2 = await median(plain, 15);
    const baseline = Math.max(base, base2, 1);
    // Waiting for the export would cost the exporter's timeout (5 s) or the
    // retry backoff per request: thousands of times the baseline. 20x is loose
    // for a noisy machine and still fails on any blocking.
    expect(with503 / baseline).toBeLessThan(20);
    expect(withHang / baseline).toBeLessThan(20);
    // The collectors did get the export attempts (after the responses).
    await new Promise((r) => setTimeout(r, 300));
    expect(unavailable.requests.length).toBeGreaterThan(0);
    expect(hanging.requests.length).toBeGreaterThan(0);
  });
});
