// The dev collector takes Zipkin v2 JSON on POST /api/v2/spans, with the
// access rules, size bounds and gzip handling of POST /v1/traces, and stores
// it as OTLP spans: the viewer's API and the printed trees show those traces.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCollector, type Collector, type CollectorOptions } from '../../demo/collector/collector.mjs';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, setSpanContext } from '../../src/index.js';
import { createTracing } from '../../src/zipkin.js';

let collector: Collector | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await collector?.close();
  collector = undefined;
});
const start = async (options: CollectorOptions = {}) => (collector = await startCollector({ port: 0, print: false, ...options }));
const spansUrl = (c: Collector) => `${c.url}/api/v2/spans`;
const json = { 'content-type': 'application/json' };

function zipkinSpan(overrides: Record<string, unknown> = {}) {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    id: '00f067aa0ba902b7',
    name: 'get /cart',
    kind: 'SERVER',
    timestamp: 1_700_000_000_000_000,
    duration: 5_000,
    localEndpoint: { serviceName: 'cart' },
    tags: { 'http.route': '/cart' },
    ...overrides,
  };
}

/** A request with headers fetch() will not send (Host). */
function rawRequest(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dev collector: Zipkin v2 JSON on POST /api/v2/spans', () => {
  it("stores what tracelet's Zipkin exporter sends, as one trace with kinds, parents, status, events and service", async () => {
    const printed: string[] = [];
    // The printer's clock (Date.now and its timer) is stepped, never waited for; the HTTP exchanges are real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const c = await start({ print: (t) => printed.push(t), quietMs: 50 });
    const tracing = createTracing({ serviceName: 'shop', exporter: 'zipkin', endpoint: spansUrl(c), registerGlobals: false });
    const remote = setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    const server = tracing.tracer.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart' } }, remote);
    const client = tracing.tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'server.address': 'api.example.com', 'server.port': 443 } }, setSpanContext(ROOT_CONTEXT, server.spanContext()));
    client.addEvent('retry', { attempt: 2 });
    client.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 503' });
    client.end();
    server.end();
    await tracing.shutdown();

    const [trace] = c.traces();
    expect(trace!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const byName = new Map(trace!.spans.map((s) => [s.name, s]));
    const storedServer = byName.get('GET /cart')!;
    const storedClient = byName.get('GET')!;
    expect(storedServer).toMatchObject({ kind: 2, parentSpanId: '00f067aa0ba902b7', resource: { 'service.name': 'shop' }, scope: { name: 'tracelet' } });
    expect(storedServer.attributesMap['http.route']).toBe('/cart');
    expect(storedClient).toMatchObject({ kind: 3, parentSpanId: storedServer.spanId, status: { code: 2, message: 'upstream 503' } });
    expect(storedClient.attributesMap).toMatchObject({ 'server.address': 'api.example.com', 'server.port': '443', 'peer.service': 'api.example.com', 'network.peer.port': 443 });
    expect('otel.status_code' in storedClient.attributesMap || 'error' in storedClient.attributesMap).toBe(false);
    expect(storedClient.events).toEqual([{ timeUnixNano: expect.stringMatching(/^\d+000$/), name: 'retry', attributes: [{ key: 'attempt', value: { stringValue: '2' } }] }]);
    expect(BigInt(storedClient.endTimeUnixNano)).toBeGreaterThan(BigInt(storedClient.startTimeUnixNano));

    // The viewer's list shows the trace by its root; the terminal prints its tree.
    const summary = await (await fetch(`${c.url}/api/summary`)).json();
    expect(summary.list).toEqual([expect.objectContaining({ traceId: trace!.traceId, name: 'GET /cart', spanCount: 2, services: ['shop'], errors: 1 })]);
    await vi.advanceTimersByTimeAsync(50); // quiet for quietMs: printed
    // The remote parent (the caller's span) never reached this collector.
    expect(printed.join('')).toMatch(/\(2 spans, shop\)\n {2}GET \/cart {2}\[shop\] server [\d.]+ ms \(orphan: parent 00f067aa0ba902b7 missing\)\n {4}GET {2}\[shop\] client [\d.]+ ms ERROR\n/);
  });

  it('answers 202 with no body, reads gzip bodies, and pads 64-bit trace ids to 128 bits', async () => {
    const c = await start();
    const plain = await fetch(spansUrl(c), { method: 'POST', headers: json, body: JSON.stringify([zipkinSpan({ traceId: 'a3ce929d0e0e4736' })]) });
    expect(plain.status).toBe(202);
    expect(await plain.text()).toBe('');
    const gzipped = await fetch(spansUrl(c), { method: 'POST', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify([zipkinSpan({ id: '00f067aa0ba902b8', tags: { 'otel.status_code': 'OK' } })])) });
    expect(gzipped.status).toBe(202);
    expect(c.spans().map((s) => [s.traceId, s.spanId, s.status])).toEqual([
      ['0000000000000000a3ce929d0e0e4736', '00f067aa0ba902b7', { code: 0 }],
      ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b8', { code: 1 }],
    ]);
    expect(c.requests().map((r) => r.contentEncoding)).toEqual(['identity', 'gzip']);
  });

  it('otel.* tags become the span fields they came from; other tags stay string attributes', async () => {
    const c = await start();
    const tags = { 'otel.dropped_attributes_count': '3', 'otel.dropped_events_count': '2', 'otel.dropped_links_count': '1', 'otel.scope.name': 'lib', 'otel.scope.version': '1.0', 'http.response.status_code': '200', error: '' };
    const res = await fetch(spansUrl(c), { method: 'POST', headers: json, body: JSON.stringify([zipkinSpan({ tags, shared: true, debug: false, parentId: '00f067aa0ba902b6' })]) });
    expect(res.status).toBe(202);
    const [span] = c.spans();
    expect(span).toMatchObject({ droppedAttributesCount: 3, droppedEventsCount: 2, droppedLinksCount: 1, scope: { name: 'lib', version: '1.0' }, parentSpanId: '00f067aa0ba902b6', status: { code: 2 } });
    expect(span!.status).toEqual({ code: 2 });
    expect(span!.attributesMap).toEqual({ 'http.response.status_code': '200' });
  });

  it('a 400 names the bad field; 415 for another content type; nothing is stored', async () => {
    const c = await start();
    const post = async (body: unknown) => {
      const res = await fetch(spansUrl(c), { method: 'POST', headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return [res.status, ((await res.json()) as { message: string }).message];
    };
    expect(await post({ spans: [] })).toEqual([400, 'request: expected a JSON list of Zipkin v2 spans, got {"spans":[]}']);
    expect(await post([zipkinSpan({ id: 'XYZ' })])).toEqual([400, 'spans[0].id: expected 16 lower-case hex characters, got "XYZ"']);
    expect(await post([zipkinSpan(), zipkinSpan({ traceId: '0000000000000000' })])).toEqual([400, 'spans[1].traceId: must not be all zeros']);
    expect(await post([zipkinSpan({ kind: 'INTERNAL' })])).toEqual([400, 'spans[0].kind: expected one of SERVER, CLIENT, PRODUCER, CONSUMER, got "INTERNAL"']);
    expect(await post([zipkinSpan({ timestamp: undefined })])).toEqual([400, 'spans[0].timestamp: expected whole microseconds >= 1, got undefined']);
    expect(await post([zipkinSpan({ duration: 1.5 })])).toEqual([400, 'spans[0].duration: expected whole microseconds >= 1, got 1.5']);
    expect(await post([zipkinSpan({ tags: { n: 1 } })])).toEqual([400, 'spans[0].tags.n: expected a string, got 1']);
    expect(await post([zipkinSpan({ tags: ['a'] })])).toEqual([400, 'spans[0].tags: expected an object of strings, got ["a"]']);
    expect(await post([zipkinSpan({ annotations: [{ timestamp: 1, value: 2 }] })])).toEqual([400, 'spans[0].annotations[0].value: expected a string, got 2']);
    expect(await post([zipkinSpan({ traceID: 'x' })])).toEqual([400, expect.stringMatching(/^spans\[0\]\.traceID: unknown field/)]);
    expect(await post([zipkinSpan({ localEndpoint: { serviceName: 'a', port: 70000 } })])).toEqual([400, 'spans[0].localEndpoint.port: expected a port number, got 70000']);
    expect(await post('[{')).toEqual([400, expect.stringMatching(/^invalid JSON/)]);
    const text = await fetch(spansUrl(c), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify([zipkinSpan()]) });
    expect(text.status).toBe(415);
    expect(c.spans()).toEqual([]);
  });

  it('the size bounds of /v1/traces: 413 past the bytes on the wire, and past the bytes after gzip', async () => {
    const c = await start({ maxBodyBytes: 2000, maxInflatedBytes: 50_000 });
    const big = JSON.stringify([zipkinSpan({ tags: { pad: 'x'.repeat(3000) } })]);
    expect((await fetch(spansUrl(c), { method: 'POST', headers: json, body: big })).status).toBe(413);
    const bomb = gzipSync(JSON.stringify([zipkinSpan({ tags: { pad: 'x'.repeat(100_000) } })]));
    expect(bomb.length).toBeLessThan(2000);
    expect((await fetch(spansUrl(c), { method: 'POST', headers: { ...json, 'content-encoding': 'gzip' }, body: bomb })).status).toBe(413);
    expect(c.spans()).toEqual([]);
  });

  it('the access rules of /v1/traces: CORS for pages (preflight, exact origin), --allow-origin, and only its own Host', async () => {
    const page = 'http://shop.localhost:5173';
    const c = await start({ allowOrigins: [page] });
    const preflight = await rawRequest(spansUrl(c), { method: 'OPTIONS', headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(page);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
    const body = JSON.stringify([zipkinSpan()]);
    const allowed = await rawRequest(spansUrl(c), { method: 'POST', headers: { ...json, origin: page }, body });
    expect(allowed.status).toBe(202);
    expect(allowed.headers['access-control-allow-origin']).toBe(page);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await rawRequest(spansUrl(c), { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: JSON.stringify([zipkinSpan({ id: '00f067aa0ba902b9' })]) });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await rawRequest(spansUrl(c), { method: 'POST', headers: { ...json, host: 'attacker.example' }, body: JSON.stringify([zipkinSpan({ id: '00f067aa0ba902ba' })]) });
    expect(rebound.status).toBe(403);
    expect(c.spans().map((s) => s.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(c.stats().refused).toEqual({ host: 1, origin: 1 });
  });
});
