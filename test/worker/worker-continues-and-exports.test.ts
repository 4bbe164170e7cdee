import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

// Real workerd (Miniflare), a real origin server and the dev collector, all on 127.0.0.1.
let collector: Collector;
let origin: Site;
let worker: Miniflare;

beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  // Env-only configuration: no code config in the fixture.
  worker = await startWorker('app.mjs', {
    OTEL_SERVICE_NAME: 'edge-test',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=edge',
    ORIGIN_URL: origin.url,
  });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';
// Scopes tracelet names carry its version (package.json's).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function serverSpan(path: string) {
  const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 2 && x.attributesMap['url.path'] === path));
  return spans.find((x) => x.kind === 2 && x.attributesMap['url.path'] === path)!;
}

describe('tracelet/worker in workerd', () => {
  it('continues an incoming valid traceparent and exports after the response, configured from env only', async () => {
    const res = await worker.dispatchFetch('http://shop.test/hello?sig=secret&q=1', { headers: { traceparent: `00-${T}-${P}-01`, 'user-agent': 'test-agent', 'cf-connecting-ip': '203.0.113.9' } });
    expect(await res.text()).toBe('hello from the edge');
    const span = await serverSpan('/hello');
    expect(span.traceId).toBe(T);
    expect(span.parentSpanId).toBe(P);
    expect(span.name).toBe('GET');
    expect(span.resource).toMatchObject({ 'service.name': 'edge-test', 'deployment.environment.name': 'test', team: 'edge', 'cloud.provider': 'cloudflare', 'telemetry.sdk.name': 'tracelet' });
    expect(span.scope).toEqual({ name: 'tracelet.worker', version });
    expect(span.attributesMap).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/hello',
      'url.query': 'sig=REDACTED&q=1',
      'url.scheme': 'http',
      'server.address': 'shop.test',
      'client.address': '203.0.113.9',
      'user_agent.original': 'test-agent',
      'http.response.status_code': 200,
      'faas.trigger': 'http',
    });
    expect(res.headers.get('server-timing')).toBe(`traceparent;desc="00-${T}-${span.spanId}-01"`);
  });

  it('starts a new trace for an invalid traceparent', async () => {
    await worker.dispatchFetch('http://shop.test/invalid', { headers: { traceparent: `00-${'0'.repeat(32)}-${P}-01` } });
    const span = await serverSpan('/invalid');
    expect(span.traceId).not.toBe('0'.repeat(32));
    expect(span.parentSpanId).toBeUndefined();
  });

  it('the outbound fetch to the origin carries a traceparent whose parent is the CLIENT span', async () => {
    const res = await worker.dispatchFetch('http://shop.test/origin', { headers: { traceparent: `00-${T}-${P}-01` } });
    expect(res.status).toBe(200);
    const received = origin.seen.find((r) => r.path === '/api/echo?from-worker')!;
    const spans = await collector.waitForSpans((s) => s.some((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('from-worker')) && s.some((x) => x.attributesMap['url.path'] === '/origin'));
    const server = spans.find((x) => x.attributesMap['url.path'] === '/origin')!;
    const client = spans.find((x) => x.kind === 3 && String(x.attributesMap['url.full']).includes('from-worker'))!;
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.traceId).toBe(T);
    expect(received.headers.traceparent).toBe(`00-${T}-${client.spanId}-01`);
    // The exporter's own requests are never traced.
    expect(spans.filter((s) => String(s.attributesMap['url.full'] ?? '').startsWith(collector.url))).toEqual([]);
    for (const r of collector.requests()) expect(r.headers.traceparent).toBeUndefined();
  });

  it('a thrown error yields an ERROR span with an exception event and the same error to the runtime', async () => {
    const res = await worker.dispatchFetch('http://shop.test/throw').catch((e: Error) => e);
    // Miniflare surfaces an uncaught handler error as a 500 or a rejected dispatch with the same message.
    const text = typeof (res as Response).text === 'function' ? await (res as Response).text() : String(res);
    expect(text).toContain('boom in worker');
    const span = await serverSpan('/throw');
    expect(span.status?.code).toBe(2);
    const event = span.events!.find((e) => e.name === 'exception')!;
    const attrs = Object.fromEntries((event.attributes as { key: string; value: { stringValue?: string } }[]).map((a) => [a.key, a.value.stringValue]));
    expect(attrs['exception.type']).toBe('TypeError');
    expect(attrs['exception.message']).toBe('boom in worker');
  });

  it('one export request per invocation', async () => {
    // The earlier tests waited for their spans: their invocations' exports have arrived.
    collector.clear();
    await worker.dispatchFetch('http://shop.test/origin');
    // Sentinel: a later invocation (one span). A second export of /origin's, were there one, is sent before it.
    await worker.dispatchFetch('http://shop.test/hello');
    await collector.waitForSpans((s) => s.some((x) => x.kind === 3) && s.some((x) => x.attributesMap['url.path'] === '/origin') && s.some((x) => x.attributesMap['url.path'] === '/hello'));
    // /origin's SERVER + CLIENT together in one request, and the sentinel's.
    expect(collector.requests().map((r) => r.spanCount).sort()).toEqual([1, 2]);
  });

  it('5xx responses are errors', async () => {
    const res = await worker.dispatchFetch('http://shop.test/bad-gateway');
    expect(res.status).toBe(502);
    const span = await serverSpan('/bad-gateway');
    expect(span.status?.code).toBe(2);
    expect(span.attributesMap['error.type']).toBe('502');
  });
});
