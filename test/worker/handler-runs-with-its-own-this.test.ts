import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { bundle } from './support/workerd.js';

// Real workerd: instrument() must not change what `this` is inside the handler,
// whichever handler workerd calls. Two workers: `shop` (the instrumented class
// instance) and `producer`, a plain worker whose tail consumer is `shop`.
let collector: Collector;
let mf: Miniflare;

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  mf = new Miniflare({
    // Lets a request to /cdn-cgi/handler/email deliver an email to the first worker.
    unsafeTriggerHandlers: true,
    workers: [
      {
        name: 'shop',
        modules: true,
        script: await bundle('class-handler.mjs'),
        compatibilityDate: '2026-04-26',
        compatibilityFlags: ['nodejs_compat'],
        bindings: { OTEL_SERVICE_NAME: 'class-handler', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl },
      },
      {
        name: 'producer',
        modules: true,
        script: 'export default { fetch() { return new Response("made"); } };',
        compatibilityDate: '2026-04-26',
        tails: ['shop'],
      },
    ],
  });
  await mf.ready;
});
afterAll(async () => {
  await mf?.dispose();
  await collector?.close();
});

const seen = async () => (await (await mf.dispatchFetch('http://shop.test/seen')).json()) as { emails: unknown[]; tails: { urls: string[]; same: boolean }[] };

describe('instrument() keeps the handler as this', () => {
  it('a class instance with a #private field answers, with this === the handler, and the request is traced', async () => {
    const res = await mf.dispatchFetch('http://shop.test/');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ visits: 1, same: true });
    expect(await (await mf.dispatchFetch('http://shop.test/')).json()).toEqual({ visits: 2, same: true });
    const spans = await collector.waitForSpans((s) => s.filter((x) => x.kind === 2).length >= 2);
    expect(spans.filter((x) => x.kind === 2 && x.attributesMap['http.response.status_code'] === 200)).toHaveLength(2);
  });

  it('email() inherited from the class runs on the handler itself', async () => {
    const raw = 'From: buyer@example.com\r\nTo: orders@shop.test\r\nMessage-ID: <order-42@example.com>\r\nSubject: order\r\n\r\nplease send 42';
    const res = await mf.dispatchFetch('http://shop.test/cdn-cgi/handler/email?from=buyer@example.com&to=orders@shop.test', { method: 'POST', body: raw });
    expect(await res.text()).toBe('Worker successfully processed email');
    expect((await seen()).emails).toEqual([{ from: 'buyer@example.com', same: true }]);
  });

  it('tail() inherited from the class runs on the handler itself', async () => {
    const producer = (await mf.getWorker('producer')) as unknown as { fetch(url: string): Promise<{ text(): Promise<string> }> };
    expect(await (await producer.fetch('http://producer.test/')).text()).toBe('made');
    // workerd delivers tail events after the producer's invocation has finished: wait for them.
    let tails = (await seen()).tails;
    for (let i = 0; i < 200 && !tails.length; i++) {
      await new Promise((r) => setTimeout(r, 25));
      tails = (await seen()).tails;
    }
    expect(tails).toEqual([{ urls: ['http://producer.test/'], same: true }]);
  });
});
