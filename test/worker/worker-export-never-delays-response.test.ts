import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startServer, type TestServer } from '../unit/helpers/http-server.js';
import { startWorker } from './support/workerd.js';

// Export runs in ctx.waitUntil, after the response. Proved by the order of
// events, not by a clock: each collector below holds every export request it
// receives unanswered until the test has read the worker's whole response.
// A worker that waited for its export would never answer (the test times
// out), and one that waited with a timeout would have aborted the held
// request before answering (`abortedBeforeResponse`).

interface HoldingCollector {
  server: TestServer;
  /** Export requests the worker's side closed before they were answered. */
  aborted: number;
  /** Answers every held request (and later ones) with 200. */
  release(): void;
}

/** A real collector on 127.0.0.1 that answers the first `failFirst` requests 503 at once and holds the rest. */
async function holdingCollector(failFirst: number): Promise<HoldingCollector> {
  const held: ServerResponse[] = [];
  let released = false;
  const c: HoldingCollector = {
    server: undefined as unknown as TestServer,
    aborted: 0,
    release() {
      released = true;
      for (const res of held.splice(0)) if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    },
  };
  c.server = await startServer((_req, res, index) => {
    if (index < failFirst) return void res.writeHead(503).end();
    if (released) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    res.on('close', () => {
      if (!res.writableFinished) c.aborted++;
    });
    held.push(res);
  });
  return c;
}

let unavailable: HoldingCollector; // 503, then the retry is held
let hanging: HoldingCollector; // every request held
let to503: Miniflare;
let toHang: Miniflare;

beforeAll(async () => {
  [unavailable, hanging] = await Promise.all([holdingCollector(1), holdingCollector(0)]);
  [to503, toHang] = await Promise.all([
    startWorker('app.mjs', { OTEL_SERVICE_NAME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: unavailable.server.url }),
    startWorker('app.mjs', { OTEL_SERVICE_NAME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: hanging.server.url }),
  ]);
});
afterAll(async () => {
  unavailable?.release();
  hanging?.release();
  await Promise.all([to503?.dispose(), toHang?.dispose()]);
  await Promise.all([unavailable?.server.close(), hanging?.server.close()]);
});

describe('export never delays the response', () => {
  it.each([
    ['answering 503 (the retry held)', () => unavailable, () => to503, 2],
    ['never answering', () => hanging, () => toHang, 1],
  ] as const)('with the collector %s, the response comes while the export is still unanswered', async (_name, collector, worker, attempts) => {
    const c = collector();
    const res = await worker().dispatchFetch('http://shop.test/hello');
    expect(await res.text()).toBe('hello from the edge');
    const abortedBeforeResponse = c.aborted;

    // The export did happen, after the response: the request span reaches
    // the collector (after the 503, as the retry), and is held there. (Held
    // past the exporter's 5 s timeout it is aborted then; only aborts before
    // the response count against the worker.)
    await expect.poll(() => c.server.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(attempts);
    expect(c.server.requests.at(-1)!.body).toContain('"name":"GET"');
    expect(abortedBeforeResponse).toBe(0);
    c.release();
  });
});
