// Real workerd: a Queues producer's send and sendBatch are PRODUCER spans and
// the consumer continues the context an app carries in its message body; the
// Cache API's match, put and delete are CLIENT spans with hit or miss; env
// members that are no binding tracelet knows (a string var, a JSON var, an
// Analytics Engine dataset) reach the Worker untouched and make no span.
import { describe, expect, it } from 'vitest';
import type { StoredSpan } from '../../demo/collector/collector.mjs';
import { bindingsWorker, callRoute } from './support/bindings.js';

const running = bindingsWorker();
const pick = (s: StoredSpan) => ({ name: s.name, kind: s.kind, status: s.status?.code ?? 0, attributes: s.attributesMap });
const producer = (more: object = {}) => ({
  'messaging.system.name': 'cloudflare',
  'messaging.operation.name': 'send',
  'messaging.operation.type': 'send',
  'messaging.destination.name': 'QUEUE',
  ...more,
});

describe('Queues producer', () => {
  it('send is a PRODUCER span under the request span; the consumer continues the context the app put in the body', async () => {
    const { body, server, children } = await callRoute(running, 'queue-send', 1);
    expect(body).toBe('sent');
    expect(children.map(pick)).toEqual([{ name: 'send QUEUE', kind: 4, status: 0, attributes: producer() }]);
    const spans = await running.collector.waitForSpans((s) => s.some((x) => x.kind === 5));
    const consumer = spans.find((x) => x.kind === 5)!;
    expect(consumer.name).toBe('process jobs');
    expect(consumer.traceId).toBe(server.traceId);
    expect(consumer.parentSpanId).toBe(server.spanId);
    expect(consumer.attributesMap).toMatchObject({ 'messaging.destination.name': 'jobs', 'messaging.batch.message_count': 1 });
  });

  it('sendBatch is one PRODUCER span with the message count; the consumer gets the batch', async () => {
    const { children } = await callRoute(running, 'queue-send-batch', 1);
    expect(children.map(pick)).toEqual([{ name: 'send QUEUE', kind: 4, status: 0, attributes: producer({ 'messaging.batch.message_count': 3 }) }]);
    const spans = await running.collector.waitForSpans((s) => s.some((x) => x.kind === 5));
    expect(spans.find((x) => x.kind === 5)!.attributesMap['messaging.batch.message_count']).toBe(3);
  });

  it('a send the queue rejects (a body it cannot serialize) is an ERROR span, and the Worker gets the error', async () => {
    const { body, children } = await callRoute(running, 'queue-bad', 1);
    expect(JSON.parse(body).error).toMatch(/^Error: /);
    expect(children.map(pick)).toEqual([{ name: 'send QUEUE', kind: 4, status: 2, attributes: producer({ 'error.type': 'Error' }) }]);
  });
});

describe('Cache API', () => {
  it('match (miss, hit), put, delete on caches.default and caches.open(name): CLIENT spans with cache.hit, results unchanged, no URL', async () => {
    const { body, children, all } = await callRoute(running, 'cache', 5);
    expect(JSON.parse(body)).toEqual({ miss: true, hit: 'cached-body', namedMiss: true, deleted: true });
    expect(children.map(pick)).toEqual([
      { name: 'Cache match', kind: 3, status: 0, attributes: { 'cloudflare.cache.name': 'default', 'cache.hit': false } },
      { name: 'Cache put', kind: 3, status: 0, attributes: { 'cloudflare.cache.name': 'default' } },
      { name: 'Cache match', kind: 3, status: 0, attributes: { 'cloudflare.cache.name': 'default', 'cache.hit': true } },
      { name: 'Cache match', kind: 3, status: 0, attributes: { 'cloudflare.cache.name': 'pages', 'cache.hit': false } },
      { name: 'Cache delete', kind: 3, status: 0, attributes: { 'cloudflare.cache.name': 'default', 'cache.hit': true } },
    ]);
    expect(JSON.stringify(all)).not.toContain('secret-cache-key');
  });
});

describe('env members tracelet does not trace', () => {
  it('a string var, a JSON var and an unknown binding (Analytics Engine) pass through untouched, with no span', async () => {
    const { body, server } = await callRoute(running, 'passthrough', 0);
    expect(JSON.parse(body)).toEqual({ plain: 'a plain var', json: { flags: ['a'], n: 1 }, sameJson: true, unknownSame: true, unknownResult: 'undefined' });
    // Sentinel: the same request again. A span of the first, were there one, would go out in the first
    // invocation's export, sent before the second request was made.
    await running.worker.dispatchFetch('http://shop.test/passthrough');
    const spans = await running.collector.waitForSpans((all) => all.filter((s) => s.kind === 2 && s.attributesMap['url.path'] === '/passthrough').length === 2);
    const sentinel = spans.find((s) => s.kind === 2 && s.attributesMap['url.path'] === '/passthrough' && s.spanId !== server.spanId)!;
    expect(running.collector.spans().filter((s) => s.spanId !== server.spanId && s.spanId !== sentinel.spanId)).toEqual([]);
  });
});
