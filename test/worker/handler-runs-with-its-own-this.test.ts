import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { bundle } from './support/workerd.js';

// Real workerd: instrument() must not change what `this` is inside the handler,
// whichever handler workerd calls, nor what an email handler returns or
// throws. Two workers: `shop` (the instrumented class instance) and
// `producer`, a plain worker whose tail consumer is `shop`.
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

const email = (to: string) => `From: buyer@example.com\r\nTo: ${to}\r\nMessage-ID: <order-42@example.com>\r\nSubject: order\r\n\r\nplease send 42`;
/** Delivers an email to `shop` as Email Routing would (Miniflare's email trigger). */
const sendEmail = (to: string) =>
  mf.dispatchFetch(`http://shop.test/cdn-cgi/handler/email?from=buyer@example.com&to=${to}`, { method: 'POST', body: email(to) });
const emailSpan = async () => (await collector.waitForSpans((s) => s.some((x) => x.name === 'email'))).find((x) => x.name === 'email')!;

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

  it('email() inherited from the class runs on the handler itself, in a SERVER span exported to the collector', async () => {
    collector.clear();
    const raw = email('orders@shop.test');
    const res = await sendEmail('orders@shop.test');
    expect(await res.text()).toBe('Worker successfully processed email');
    expect((await seen()).emails).toEqual([{ from: 'buyer@example.com', same: true }]);
    const span = await emailSpan();
    // SERVER (2): an incoming FaaS invocation, inside the sender's SMTP transaction, which waits for it.
    expect(span).toMatchObject({ name: 'email', kind: 2, resource: { 'service.name': 'class-handler', 'cloud.provider': 'cloudflare' }, scope: { name: 'tracelet.worker' } });
    expect(span.parentSpanId).toBeUndefined();
    expect(span.status?.code ?? 0).toBe(0);
    expect(span.attributesMap).toEqual({
      'faas.trigger': 'other',
      'faas.coldstart': false, // the fetch test ran first in this isolate
      'email.to.domain': 'shop.test',
      'email.from.domain': 'example.com',
      'messaging.message.envelope.size': new TextEncoder().encode(raw).length,
    });
  });

  it('a throwing email() still throws to workerd, and its span is an ERROR with the exception', async () => {
    collector.clear();
    const res = await sendEmail('broken@shop.test');
    // What workerd reports for an email handler that threw (Miniflare answers 500 with the error).
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^Error: mailbox on fire/);
    const span = await emailSpan();
    expect(span.status).toMatchObject({ code: 2, message: 'mailbox on fire' });
    expect(span.events?.map((e) => e.name)).toEqual(['exception']);
  });

  it('message.setReject() still rejects the email, and the span is an ERROR', async () => {
    collector.clear();
    const res = await sendEmail('nobody@shop.test');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Worker rejected email with the following reason: no such mailbox');
    const span = await emailSpan();
    expect(span.status).toMatchObject({ code: 2, message: 'rejected: no such mailbox' });
    expect(span.attributesMap['error.type']).toBe('rejected');
  });

  it('tail() inherited from the class runs on the handler itself', async () => {
    const producer = (await mf.getWorker('producer')) as unknown as { fetch(url: string): Promise<{ text(): Promise<string> }> };
    expect(await (await producer.fetch('http://producer.test/')).text()).toBe('made');
    // workerd delivers tail events after the producer's invocation has finished: wait for them.
    await expect.poll(async () => (await seen()).tails, { timeout: 10_000 }).toEqual([{ urls: ['http://producer.test/'], same: true }]);
  });
});
