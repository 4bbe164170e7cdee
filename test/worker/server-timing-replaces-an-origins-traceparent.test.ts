import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

// Real workerd: instrument() and the Hono middleware on responses that already
// carry an origin's `traceparent` Server-Timing metric. Pages read the first
// one, so ours must replace it, not follow it.
let collector: Collector;
let plain: Miniflare;
let hono: Miniflare;

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  const env = { OTEL_SERVICE_NAME: 'origin-timing', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl };
  [plain, hono] = await Promise.all([startWorker('origin-server-timing.mjs', env), startWorker('hono-server-timing.mjs', env)]);
});
afterAll(async () => {
  await Promise.all([plain?.dispose(), hono?.dispose()]);
  await collector?.close();
});

async function ours(path: string) {
  const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 2 && x.attributesMap['url.path'] === path));
  const span = spans.find((x) => x.kind === 2 && x.attributesMap['url.path'] === path)!;
  return `traceparent;desc="00-${span.traceId}-${span.spanId}-03"`;
}

describe('an origin\'s traceparent Server-Timing metric', () => {
  it('instrument(): replaced by ours, the other metrics (quoted commas included) kept', async () => {
    const res = await plain.dispatchFetch('http://shop.test/plain');
    expect(await res.text()).toBe('from origin');
    expect(res.headers.get('server-timing')).toBe(`cdn;desc="HIT, edge", db;dur=7, ${await ours('/plain')}`);
  });

  it('Hono middleware: replaced by ours', async () => {
    const res = await hono.dispatchFetch('http://shop.test/origin-timing');
    expect(await res.text()).toBe('from origin');
    expect(res.headers.get('server-timing')).toBe(`db;dur=7, ${await ours('/origin-timing')}`);
  });
});
