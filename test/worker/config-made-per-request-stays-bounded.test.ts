import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { consoleSentinel, startWorker } from './support/workerd.js';

// Real workerd: a config object made per request (a Hono middleware built in
// the request, a common idiom for env-dependent options) used to add one
// pipeline per request to a map that lives as long as the isolate. Now at
// most 16 are kept, every request is still traced, and the console says once
// how to make the config once.
let collector: Collector;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('hono-config-per-request.mjs', { NAME: 'per-request', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], output);
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

const built = async () => ((await (await worker.dispatchFetch('http://shop.test/built')).json()) as { built: number }).built;

describe('a config object per request', () => {
  it('every request is still traced, and the console says once that the config is made per request', async () => {
    for (let i = 0; i < 24; i++) expect(await (await worker.dispatchFetch(`http://shop.test/item/${i}`)).text()).toBe(`item ${i}`);
    const spans = await collector.waitForSpans((s) => s.filter((x) => x.resource['service.name'] === 'per-request').length >= 24);
    expect(spans.filter((x) => x.resource['service.name'] === 'per-request')).toHaveLength(24);
    await consoleSentinel(worker, output); // what the 24 requests printed has arrived
    expect(output.join('').match(/over 16 config objects, the oldest let go: a config made per request\? Make it once, or pass \(env\) => config/g)).toHaveLength(1);
  });

  it('the pipelines of at most 16 configs are kept: 20 configs used in turn are built again on the second round', async () => {
    for (let i = 0; i < 20; i++) await worker.dispatchFetch(`http://shop.test/pooled/${i}`);
    expect(await built()).toBe(20);
    for (let i = 0; i < 20; i++) await worker.dispatchFetch(`http://shop.test/pooled/${i}`);
    // Kept for the isolate's life, all 20 would be reused (20 builds in all).
    expect(await built()).toBe(40);
  });

  it('a config used on every request keeps its pipeline among many made per request', async () => {
    await worker.dispatchFetch('http://shop.test/pooled/0');
    const before = await built();
    for (let i = 0; i < 40; i++) {
      await worker.dispatchFetch(`http://shop.test/item/x${i}`);
      if (i % 8 === 0) await worker.dispatchFetch('http://shop.test/pooled/0');
    }
    expect(await built()).toBe(before);
  });
});

describe('a pipeline let go of (more configs than are kept)', () => {
  let rotation: Miniflare;
  beforeAll(async () => {
    rotation = await startWorker('configs-in-rotation.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl });
  });
  afterAll(() => rotation?.dispose());

  it('is flushed first: a span that ended after its invocation had flushed still reaches the collector', async () => {
    collector.clear();
    expect(await (await rotation.dispatchFetch('http://shop.test/late?h=0')).text()).toBe('handler 0');
    await collector.waitForSpans((s) => s.some((x) => x.resource['service.name'] === 'rotation-0'));
    // `late` has ended (200 ms after the response, in workerd's real timer), after handler 0's flush.
    await expect.poll(async () => (await rotation.dispatchFetch('http://shop.test/late-ended')).text(), { timeout: 10_000 }).toBe('true');
    // Sentinel: handler 1's request, made now. An export of `late` by handler 0's pipeline as it ended would have
    // been sent before handler 1's invocation exports its span.
    await rotation.dispatchFetch('http://shop.test/?h=1');
    await collector.waitForSpans((s) => s.some((x) => x.resource['service.name'] === 'rotation-1'));
    expect(collector.spans().map((s) => s.name)).not.toContain('late');
    // 16 other configs: the 17th pipeline built lets handler 0's go.
    for (let i = 1; i <= 16; i++) await rotation.dispatchFetch(`http://shop.test/?h=${i}`);
    const spans = await collector.waitForSpans((s) => s.some((x) => x.name === 'late'), { timeoutMs: 3000 });
    expect(spans.find((x) => x.name === 'late')!.resource['service.name']).toBe('rotation-0');
  });
});
