import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

// Real workerd: instrument() given a class (a Durable Object class, a
// WorkerEntrypoint default export) must not break it. It used to return a
// plain object, which workerd cannot construct: every call failed.
let collector: Collector;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('classes.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], output, {
    durableObjects: { COUNTER: 'Counter', CART: 'Cart' },
  } as never);
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('instrument() given a class', () => {
  it('the WorkerEntrypoint answers and the Durable Object counts, both as written', async () => {
    const first = await worker.dispatchFetch('http://shop.test/');
    expect([first.status, await first.text()]).toEqual([200, 'counted 1']);
    expect(await (await worker.dispatchFetch('http://shop.test/')).text()).toBe('counted 2');
  });

  it('says once in the console that a class is passed on untraced, and what to do instead', async () => {
    await new Promise((r) => setTimeout(r, 200)); // stdout arrives on its own
    const said = output.join('');
    expect(said.match(/instrument\(\): a class is passed on untraced; instrument a handler object inside it \(README: Classes\)/g)).toHaveLength(1);
  });

  it("a Durable Object that calls instrument({ fetch }) inside (the README's way) is traced with its env's OTEL_* config", async () => {
    expect(await (await worker.dispatchFetch('http://shop.test/cart')).text()).toBe('cart /cart');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/cart'));
    const span = spans.find((x) => x.attributesMap['url.path'] === '/cart')!;
    expect(span).toMatchObject({ name: 'GET', kind: 2, resource: { 'service.name': 'cart' } });
  });
});
