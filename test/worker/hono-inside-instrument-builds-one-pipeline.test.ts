import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

let collector: Collector;
let worker: Miniflare;
beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('hono-inside-instrument.mjs', { OTEL_SERVICE_NAME: 'hono-edge', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl });
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('tracelet() middleware inside instrument(app)', () => {
  it('two requests build one pipeline (instrument\'s); the middleware only names its span by route', async () => {
    await worker.dispatchFetch('http://shop.test/users/1');
    await worker.dispatchFetch('http://shop.test/users/2');
    const spans = await collector.waitForSpans(2);
    expect(spans.map((s) => [s.name, s.attributesMap['url.path'], s.attributesMap['http.route']])).toEqual([
      ['GET /users/:id', '/users/1', '/users/:id'],
      ['GET /users/:id', '/users/2', '/users/:id'],
    ]);
    // One SERVER span per request: the middleware started none of its own.
    expect(spans.every((s) => s.kind === 2 && s.parentSpanId === undefined)).toBe(true);
    const res = await worker.dispatchFetch('http://shop.test/pipelines-built');
    expect(await res.json()).toEqual({ instrument: 1, middleware: 0 });
  });
});
