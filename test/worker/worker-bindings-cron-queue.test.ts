import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

let collector: Collector;
let origin: Site;
let worker: Miniflare;
const serviceSaw: Record<string, string | null>[] = [];

beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker('app.mjs', { OTEL_SERVICE_NAME: 'edge', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ORIGIN_URL: origin.url }, ['nodejs_compat'], undefined, {
    serviceBindings: {
      // Another worker behind a service binding, here a function in the test.
      SVC: async (request: { headers: Headers }) => {
        serviceSaw.push({ traceparent: request.headers.get('traceparent') });
        return new Response('items');
      },
    },
  } as never);
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

describe('bindings, cron triggers and queues', () => {
  it('a service binding call gets a CLIENT span and a traceparent', async () => {
    expect(await (await worker.dispatchFetch('http://shop.test/binding')).text()).toBe('items');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 3 && String(x.attributesMap['url.full']).startsWith('http://svc.internal/')));
    const client = spans.find((x) => x.kind === 3 && String(x.attributesMap['url.full']).startsWith('http://svc.internal/'))!;
    const server = spans.find((x) => x.attributesMap['url.path'] === '/binding')!;
    expect(client.parentSpanId).toBe(server.spanId);
    expect(serviceSaw[0]!.traceparent).toBe(`00-${client.traceId}-${client.spanId}-03`);
  });

  it('a binding read twice is one object (env.SVC === env.SVC), and still traced', async () => {
    collector.clear();
    expect(await (await worker.dispatchFetch('http://shop.test/same-binding')).json()).toEqual({ same: true, items: 'items' });
    await collector.waitForSpans((s) => s.some((x) => x.kind === 3 && String(x.attributesMap['url.full']).startsWith('http://svc.internal/')));
  });

  it('a binding kept from an earlier request is traced in the request that calls it, not the one it was read in', async () => {
    collector.clear();
    serviceSaw.length = 0;
    for (let i = 0; i < 2; i++) expect(await (await worker.dispatchFetch('http://shop.test/kept-binding')).text()).toBe('items');
    const isClient = (x: { kind: number; attributesMap: Record<string, unknown> }) => x.kind === 3 && x.attributesMap['url.full'] === 'http://svc.internal/kept';
    const spans = await collector.waitForSpans((s) => s.filter(isClient).length === 2 && s.filter((x) => x.attributesMap['url.path'] === '/kept-binding').length === 2);
    const servers = spans.filter((x) => x.attributesMap['url.path'] === '/kept-binding');
    expect(new Set(servers.map((x) => x.traceId)).size).toBe(2);
    for (const server of servers) {
      const client = spans.find((x) => isClient(x) && x.traceId === server.traceId);
      expect(client?.parentSpanId).toBe(server.spanId);
    }
    expect(serviceSaw.map((s) => s.traceparent!.slice(3, 35)).sort()).toEqual(servers.map((x) => x.traceId).sort());
  });

  it('a binding called by a handler instrumented inside another is one CLIENT span, of the inner request span', async () => {
    collector.clear();
    serviceSaw.length = 0;
    expect(await (await worker.dispatchFetch('http://shop.test/nested-binding')).text()).toBe('items');
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 3) && s.filter((x) => x.kind === 2).length === 2);
    // Sentinel: a later request with no CLIENT span. A second CLIENT span, were there one, goes out in an export sent before it.
    await worker.dispatchFetch('http://shop.test/hello');
    await collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/hello'));
    const clients = collector.spans().filter((x) => x.kind === 3);
    expect(clients.map((x) => x.attributesMap['url.full'])).toEqual(['http://svc.internal/nested']);
    const innerSpan = spans.find((x) => x.kind === 2 && x.spanId === clients[0]!.parentSpanId);
    expect(innerSpan).toBeDefined();
    expect(serviceSaw.map((s) => s.traceparent)).toEqual([`00-${clients[0]!.traceId}-${clients[0]!.spanId}-03`]);
  });

  it('a scheduled invocation gets its own SERVER span, parenting its fetches', async () => {
    collector.clear();
    const w = (await worker.getWorker()) as unknown as { scheduled(c: object): Promise<unknown>; queue(name: string, m: object[]): Promise<unknown> };
    await w.scheduled({ cron: '*/5 * * * *' });
    const spans = await collector.waitForSpans((s) => s.some((x) => x.name.startsWith('scheduled')) && s.some((x) => x.kind === 3));
    const cron = spans.find((x) => x.name === 'scheduled */5 * * * *')!;
    // FaaS semantic conventions, timer trigger: the invocation span is a SERVER span.
    expect(cron.kind).toBe(2);
    expect(cron.parentSpanId).toBeUndefined();
    expect(cron.attributesMap).toMatchObject({ 'faas.trigger': 'timer', 'faas.cron': '*/5 * * * *' });
    expect(spans.find((x) => x.kind === 3)!.parentSpanId).toBe(cron.spanId);
  });

  it('a queue batch continues the context carried in its message', async () => {
    collector.clear();
    const w = (await worker.getWorker()) as unknown as { scheduled(c: object): Promise<unknown>; queue(name: string, m: object[]): Promise<unknown> };
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await w.queue('jobs', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { traceparent, job: 'resize' } }]);
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 5));
    const consumer = spans.find((x) => x.kind === 5)!;
    expect(consumer.name).toBe('process jobs');
    expect(consumer.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(consumer.parentSpanId).toBe('00f067aa0ba902b7');
    expect(consumer.attributesMap).toMatchObject({
      'faas.trigger': 'pubsub',
      // the messaging conventions' Required attributes, and the operation's type
      'messaging.system.name': 'cloudflare',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'jobs',
      'messaging.batch.message_count': 1,
    });
  });
});
